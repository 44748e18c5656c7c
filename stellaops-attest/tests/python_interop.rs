//! DSSE interoperability with an independent implementation: Python `securesystemslib`
//! (with pyca/`cryptography`), driven through `tests/interop/dsse_interop.py`.
//!
//! * Python generates Ed25519, P-256 and P-384 keys, signs a DSSE envelope, and we verify it
//!   with its SPKI public key (its keyid follows securesystemslib's convention, unknown to
//!   us, so our verifier falls back to trying the trusted keys), and import its PKCS#8 key.
//! * We sign envelopes and securesystemslib verifies them with our SPKI PEM, the key given
//!   our key id (SHA-256 of the SPKI DER, computed independently in Python); `cryptography`
//!   loads our PKCS#8 PEM.
//! * A tampered payload (and payload type) fails in both implementations.
//!
//! Skipped with a message when `python3 -c "import securesystemslib, cryptography"` fails,
//! unless `STELLAOPS_REQUIRE_INTEROP=1`, which turns the skip into a failure (CI).

// Test harness, not library code: it runs processes and writes temporary files.
#![allow(clippy::disallowed_methods)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use stellaops_attest::dsse::{self, DsseError, Envelope, SignatureIssue};
use stellaops_attest::intoto::PAYLOAD_TYPE;
use stellaops_attest::keys::{Algorithm, SigningKey, VerifyingKey};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/interop/dsse_interop.py");

/// A P-384 PKCS#8 key written by `openssl genpkey -algorithm EC -pkeyopt
/// ec_paramgen_curve:P-384` (our P-384 signing keys are imported, not generated).
const P384_PKCS8: &str = "-----BEGIN PRIVATE KEY-----
MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDCjo2bCU9mTfOP172YX
8Uv4W9LBI6Ou00+wcXtUXguq30V5yHyhmHwPHrqSsQwXDmGhZANiAARx/wHvzs3w
4rY+u4qLTMC4OmzBsGIU7bgFitFJEvElI+7CjDsnA55pqfvtDtpRe4nP5n3y+/Gz
llBLZr7mCWyMugURteIcSZ3L0QzKwXUQEdAhEJ/f26TXwpjaqIPMM/c=
-----END PRIVATE KEY-----
";

const PAYLOAD: &[u8] = br#"{"_type":"https://in-toto.io/Statement/v1","predicateType":"https://stellaops.example/attestations/scan-report/v1","subject":[{"digest":{"sha256":"00ff"},"name":"x"}]}"#;

/// Whether the Python side is available; `false` means skip (after printing why).
#[allow(clippy::print_stderr)]
fn python_available(test: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import securesystemslib, cryptography"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if ok {
        return true;
    }
    let required = std::env::var("STELLAOPS_REQUIRE_INTEROP").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "STELLAOPS_REQUIRE_INTEROP=1 but `python3 -c \"import securesystemslib, cryptography\"` \
         fails: pip install securesystemslib cryptography"
    );
    eprintln!(
        "SKIPPED {test}: python3 with securesystemslib and cryptography is not available \
         (pip install securesystemslib cryptography; set STELLAOPS_REQUIRE_INTEROP=1 to fail instead)"
    );
    false
}

/// A temporary directory removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "stellaops-dsse-interop-{}-{name}-{n}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    fn join(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run_python(args: &[&str]) -> Output {
    let output = Command::new("python3")
        .arg(SCRIPT)
        .args(args)
        .output()
        .expect("run python3");
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "{args:?} failed with {:?}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// securesystemslib verifies `envelope` (a file) against `public_key` (a PEM file).
fn python_verifies(envelope: &Path, public_key: &Path, convention: &str) -> Output {
    run_python(&[
        "verify",
        "--envelope",
        path_str(envelope),
        "--public-key",
        path_str(public_key),
        "--keyid-convention",
        convention,
    ])
}

fn tampered_payload(envelope: &Envelope) -> Envelope {
    let mut t = envelope.clone();
    let last = t.payload.len() - 1;
    t.payload[last] ^= 0x01;
    t
}

#[test]
fn python_signs_stellaops_verifies() {
    if !python_available("python_signs_stellaops_verifies") {
        return;
    }
    for (alg_arg, algorithm) in [
        ("ed25519", Algorithm::Ed25519),
        ("ecdsa-p256", Algorithm::EcdsaP256Sha256),
        ("ecdsa-p384", Algorithm::EcdsaP384Sha384),
    ] {
        let dir = TempDir::new(&format!("py-sign-{alg_arg}"));
        std::fs::write(dir.join("payload"), PAYLOAD).unwrap();
        let out = run_python(&[
            "sign",
            "--alg",
            alg_arg,
            "--out-dir",
            path_str(&dir.0),
            "--payload-file",
            path_str(&dir.join("payload")),
            "--payload-type",
            PAYLOAD_TYPE,
        ]);
        assert!(out.status.success(), "{alg_arg}: python sign failed");

        let public_pem = std::fs::read_to_string(dir.join("public.pem")).unwrap();
        let vk = VerifyingKey::from_spki_pem(&public_pem).unwrap();
        assert_eq!(vk.algorithm(), algorithm);
        // Their PKCS#8 private key imports to the same key.
        let private_pem = std::fs::read_to_string(dir.join("private.pem")).unwrap();
        let sk = SigningKey::from_pkcs8_pem(&private_pem).unwrap();
        assert_eq!(sk.verifying_key(), vk, "{alg_arg}");

        let envelope_json = std::fs::read(dir.join("envelope.json")).unwrap();
        let envelope = Envelope::from_json(&envelope_json).unwrap();
        let sslib_keyid = std::fs::read_to_string(dir.join("sslib_keyid.txt")).unwrap();
        assert_eq!(envelope.signatures.len(), 1);
        assert_eq!(envelope.signatures[0].keyid, sslib_keyid);
        assert_ne!(sslib_keyid, vk.key_id(), "key-id conventions differ");

        // Their keyid is unknown to us: every trusted key is tried, the right one verifies.
        let other = SigningKey::generate(Algorithm::Ed25519, &[9; 32])
            .unwrap()
            .verifying_key();
        let verified = dsse::verify(&envelope, &[other.clone(), vk.clone()], 1)
            .unwrap_or_else(|e| panic!("{alg_arg}: {e}"));
        assert_eq!(verified.accepted_keyids, vec![vk.key_id()]);
        assert_eq!(verified.payload, PAYLOAD);
        assert_eq!(verified.payload_type, PAYLOAD_TYPE);

        // Tampered payload: both implementations refuse it.
        let tampered = tampered_payload(&envelope);
        let err = dsse::verify(&tampered, &[other, vk.clone()], 1).unwrap_err();
        let DsseError::ThresholdNotMet { notes, .. } = &err else {
            panic!("{alg_arg}: {err}")
        };
        assert_eq!(notes[0].issue, SignatureIssue::UnknownKeyId, "{alg_arg}");
        std::fs::write(dir.join("tampered.json"), tampered.to_json()).unwrap();
        let py = python_verifies(&dir.join("tampered.json"), &dir.join("public.pem"), "sslib");
        assert_eq!(
            py.status.code(),
            Some(1),
            "{alg_arg}: securesystemslib accepted a tampered payload"
        );
        // Sanity: securesystemslib accepts the untampered envelope after our re-encoding.
        std::fs::write(dir.join("reencoded.json"), envelope.to_json()).unwrap();
        let py = python_verifies(
            &dir.join("reencoded.json"),
            &dir.join("public.pem"),
            "sslib",
        );
        assert_eq!(
            py.status.code(),
            Some(0),
            "{alg_arg}: re-encoded envelope refused"
        );
    }
}

#[test]
fn stellaops_signs_python_verifies() {
    if !python_available("stellaops_signs_python_verifies") {
        return;
    }
    let keys = [
        (
            "ed25519",
            SigningKey::generate(Algorithm::Ed25519, &[0x11; 32]).unwrap(),
        ),
        (
            "ecdsa-p256",
            SigningKey::generate(Algorithm::EcdsaP256Sha256, &[0x22; 32]).unwrap(),
        ),
        (
            "ecdsa-p384",
            SigningKey::from_pkcs8_pem(P384_PKCS8).unwrap(),
        ),
    ];
    for (name, sk) in keys {
        let dir = TempDir::new(&format!("rs-sign-{name}"));
        let vk = sk.verifying_key();
        std::fs::write(dir.join("public.pem"), vk.to_spki_pem().unwrap()).unwrap();
        std::fs::write(dir.join("private.pem"), sk.to_pkcs8_pem().unwrap()).unwrap();

        let envelope = dsse::sign(PAYLOAD_TYPE, PAYLOAD, &[&sk]);
        std::fs::write(dir.join("envelope.json"), envelope.to_json()).unwrap();
        let py = python_verifies(
            &dir.join("envelope.json"),
            &dir.join("public.pem"),
            "stellaops",
        );
        assert_eq!(
            py.status.code(),
            Some(0),
            "{name}: securesystemslib refused our envelope: {}",
            String::from_utf8_lossy(&py.stderr)
        );
        // Python computed the same key id from the SPKI DER.
        let accepted: serde_json::Value = serde_json::from_slice(&py.stdout).unwrap();
        assert_eq!(
            accepted["accepted_keyids"],
            serde_json::json!([vk.key_id()]),
            "{name}"
        );

        // `cryptography` loads our PKCS#8 PEM and it matches our SPKI PEM.
        let check = run_python(&[
            "check-private",
            "--private-key",
            path_str(&dir.join("private.pem")),
            "--public-key",
            path_str(&dir.join("public.pem")),
        ]);
        assert_eq!(check.status.code(), Some(0), "{name}: PKCS#8 not accepted");

        // Tampered payload and payload type: both implementations refuse them.
        let mut tampered_type = envelope.clone();
        tampered_type.payload_type.push('x');
        for (what, tampered) in [
            ("payload", tampered_payload(&envelope)),
            ("payloadType", tampered_type),
        ] {
            let err = dsse::verify(&tampered, std::slice::from_ref(&vk), 1).unwrap_err();
            let DsseError::ThresholdNotMet { notes, .. } = &err else {
                panic!("{name}: {err}")
            };
            assert!(
                matches!(notes[0].issue, SignatureIssue::BadSignature { .. }),
                "{name} {what}: {err}"
            );
            let file = dir.join("tampered.json");
            std::fs::write(&file, tampered.to_json()).unwrap();
            let py = python_verifies(&file, &dir.join("public.pem"), "stellaops");
            assert_eq!(
                py.status.code(),
                Some(1),
                "{name}: securesystemslib accepted a tampered {what}"
            );
        }
    }
}
