//! `stella key`, `stella attest`, `stella prove`, `stella verify`, `stella replay`.

use std::path::Path;

use crate::support::*;

fn s(p: &Path) -> String {
    p.display().to_string()
}

#[test]
fn key_generate_sign_verify_and_tamper() {
    let tmp = tempfile::tempdir().unwrap();
    for alg in ["ed25519", "ecdsa-p256"] {
        let key = tmp.path().join(format!("{alg}.pem"));
        let run = stella(&["key", "generate", "--algorithm", alg, "--output", &s(&key)]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let public = tmp.path().join(format!("{alg}.pub.pem"));
        let pem = std::fs::read_to_string(&key).unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"), "{pem}");
        assert!(std::fs::read_to_string(&public)
            .unwrap()
            .starts_with("-----BEGIN PUBLIC KEY-----"));
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
            0o600
        );

        let payload = tmp.path().join("sbom.json");
        std::fs::write(&payload, br#"{"bomFormat":"CycloneDX"}"#).unwrap();
        let env = tmp.path().join(format!("{alg}.env.json"));
        let run = stella(&[
            "attest",
            "sign",
            "--key",
            &s(&key),
            "--payload",
            &s(&payload),
            "--payload-type",
            "application/vnd.cyclonedx+json",
            "--output",
            &s(&env),
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let run = stella(&["attest", "verify", &s(&env), "--key", &s(&public)]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        // `stella verify` takes envelopes too.
        assert_eq!(stella(&["verify", &s(&env), "--key", &s(&public)]).code, 0);

        // Tampering with the payload is detected (exit 1); a missing key file is an error (2).
        let mut doc: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&env).unwrap()).unwrap();
        doc["payload"] = serde_json::json!("eyJib21Gb3JtYXQiOiJTUERYIn0=");
        let bad = tmp.path().join("bad.json");
        std::fs::write(&bad, serde_json::to_vec(&doc).unwrap()).unwrap();
        let run = stella(&["attest", "verify", &s(&bad), "--key", &s(&public)]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        let run = stella(&[
            "attest",
            "verify",
            &s(&env),
            "--key",
            &s(&tmp.path().join("missing.pem")),
        ]);
        assert_eq!(run.code, 2, "{}", run.stderr);
    }
    // A key made by another tool (OpenSSL), when it is installed.
    let ossl = tmp.path().join("openssl.pem");
    let made = std::process::Command::new("openssl")
        .args(["genpkey", "-algorithm", "ed25519", "-out"])
        .arg(&ossl)
        .status()
        .is_ok_and(|st| st.success());
    if made {
        let env = tmp.path().join("ossl.env.json");
        let payload = tmp.path().join("sbom.json");
        let run = stella(&[
            "attest",
            "sign",
            "--key",
            &s(&ossl),
            "--payload",
            &s(&payload),
            "--payload-type",
            "text/plain",
            "--output",
            &s(&env),
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(
            stella(&["attest", "verify", &s(&env), "--key", &s(&ossl)]).code,
            0
        );
    }
}

#[test]
fn proof_bundle_verifies_replays_and_detects_tampering() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("db");
    let adv = fixtures().join("advisories/debian/DSA-3029-1.json");
    let run = stella(&["db", "import", "--db", &s(&db), &s(&adv)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sbom = tmp.path().join("sbom.json");
    std::fs::write(
        &sbom,
        serde_json::to_vec(&serde_json::json!({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": [
            {"type": "library", "bom-ref": "nginx", "name": "nginx", "purl": "pkg:deb/debian/nginx@1.2.1-2.2%2Bwheezy2?distro=debian-7"}
        ]}))
        .unwrap(),
    )
    .unwrap();
    let key = tmp.path().join("k.pem");
    assert_eq!(stella(&["key", "generate", "--output", &s(&key)]).code, 0);
    let public = tmp.path().join("k.pub.pem");
    let bundle = tmp.path().join("proof.zip");
    let run = stella(&[
        "prove",
        "--db",
        &s(&db),
        "--sbom",
        &s(&sbom),
        "--key",
        &s(&key),
        "--output",
        &s(&bundle),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = stella(&["verify", &s(&bundle), "--key", &s(&public)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(String::from_utf8_lossy(&run.stdout).contains("proof root sha256:"));

    // Replay from the recorded inputs, and from a fresh match against the same database.
    let run = stella(&["replay", &s(&bundle)]);
    assert_eq!(run.code, 0, "{}", String::from_utf8_lossy(&run.stdout));
    let run = stella(&["replay", &s(&bundle), "--db", &s(&db), "--sbom", &s(&sbom)]);
    assert_eq!(run.code, 0, "{}", String::from_utf8_lossy(&run.stdout));
    // A fixed package in the SBOM changes the replay.
    let fixed = tmp.path().join("fixed.json");
    std::fs::write(
        &fixed,
        std::fs::read_to_string(&sbom)
            .unwrap()
            .replace("wheezy2", "wheezy3"),
    )
    .unwrap();
    let run = stella(&["replay", &s(&bundle), "--db", &s(&db), "--sbom", &s(&fixed)]);
    assert_eq!(run.code, 1);
    assert!(String::from_utf8_lossy(&run.stdout).contains("no longer found"));

    // Any changed byte inside any bundle file is detected.
    let bytes = std::fs::read(&bundle).unwrap();
    for needle in [&b"\"total\""[..], b"CVE-2014-3616", b"\"created\""] {
        let Some(pos) = bytes.windows(needle.len()).position(|w| w == needle) else {
            continue;
        };
        let mut bad = bytes.clone();
        bad[pos + 1] ^= 0x01;
        let path = tmp.path().join("bad.zip");
        std::fs::write(&path, bad).unwrap();
        let run = stella(&["verify", &s(&path), "--key", &s(&public)]);
        assert_eq!(
            run.code,
            1,
            "tampering at {pos} not detected: {}",
            String::from_utf8_lossy(&run.stdout)
        );
    }
    // The wrong key.
    let other = tmp.path().join("o.pem");
    assert_eq!(stella(&["key", "generate", "--output", &s(&other)]).code, 0);
    assert_eq!(
        stella(&[
            "verify",
            &s(&bundle),
            "--key",
            &s(&tmp.path().join("o.pub.pem"))
        ])
        .code,
        1
    );
}

#[test]
fn zip_slip_bundle_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("evil.zip");
    {
        use std::io::Write;
        let mut z = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        z.start_file("../../evil.json", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(b"{}").unwrap();
        z.finish().unwrap();
    }
    let key = tmp.path().join("k.pem");
    assert_eq!(stella(&["key", "generate", "--output", &s(&key)]).code, 0);
    let run = stella(&[
        "verify",
        &s(&path),
        "--key",
        &s(&tmp.path().join("k.pub.pem")),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("path traversal"), "{}", run.stderr);
}

#[test]
fn logged_proof_bundle_verifies_inclusion_offline() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("db");
    let adv = fixtures().join("advisories/debian/DSA-3029-1.json");
    assert_eq!(stella(&["db", "import", "--db", &s(&db), &s(&adv)]).code, 0);
    let sbom = tmp.path().join("sbom.json");
    std::fs::write(
        &sbom,
        br#"{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[{"type":"library","bom-ref":"n","name":"nginx","purl":"pkg:deb/debian/nginx@1.2.1-2.2%2Bwheezy1?distro=debian-7"}]}"#,
    )
    .unwrap();
    let key = tmp.path().join("k.pem");
    let log_key = tmp.path().join("log.pem");
    assert_eq!(stella(&["key", "generate", "--output", &s(&key)]).code, 0);
    assert_eq!(
        stella(&["key", "generate", "--output", &s(&log_key)]).code,
        0
    );
    let log = tmp.path().join("log");
    assert_eq!(
        stella(&[
            "log",
            "init",
            &s(&log),
            "--origin",
            "log.example/proofs",
            "--key",
            &s(&log_key)
        ])
        .code,
        0
    );
    let bundle = tmp.path().join("proof.zip");
    let run = stella(&[
        "prove",
        "--db",
        &s(&db),
        "--sbom",
        &s(&sbom),
        "--key",
        &s(&key),
        "--output",
        &s(&bundle),
        "--log",
        &s(&log),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("logged as entry 0"), "{}", run.stderr);
    let public = s(&tmp.path().join("k.pub.pem"));
    let run = stella(&[
        "verify",
        &s(&bundle),
        "--key",
        &public,
        "--log-key",
        &s(&log),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(String::from_utf8_lossy(&run.stdout).contains("logged as entry 0 (tree size 1)"));
    // Another log's key does not vouch for it.
    let other = tmp.path().join("other");
    assert_eq!(
        stella(&[
            "log",
            "init",
            &s(&other),
            "--origin",
            "log.example/proofs",
            "--key",
            &s(&key)
        ])
        .code,
        0
    );
    assert_eq!(
        stella(&[
            "verify",
            &s(&bundle),
            "--key",
            &public,
            "--log-key",
            &s(&other)
        ])
        .code,
        1
    );
    // A bundle without a log record fails when log inclusion is required.
    let plain = tmp.path().join("plain.zip");
    assert_eq!(
        stella(&[
            "prove",
            "--db",
            &s(&db),
            "--sbom",
            &s(&sbom),
            "--key",
            &s(&key),
            "--output",
            &s(&plain)
        ])
        .code,
        0
    );
    assert_eq!(
        stella(&[
            "verify",
            &s(&plain),
            "--key",
            &public,
            "--log-key",
            &s(&log)
        ])
        .code,
        1
    );
    assert_eq!(stella(&["log", "verify", &s(&log)]).code, 0);
}
