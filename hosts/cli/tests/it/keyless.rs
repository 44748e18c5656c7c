//! `stella ca init`, `stella attest sign-keyless` and `stella attest verify-keyless`: keyless
//! signing with a local CA and transparency log, verified offline.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use stellaops_attest::dsse::Envelope;
use stellaops_attest::keys::SigningKey;
use stellaops_attest::tlog::{
    leaf_hash, root_from_leaves, sign_checkpoint, Checkpoint, NoteSigner, TlogProof,
};

use crate::support::*;

const ORIGIN: &str = "log.example/keyless-test";
const ALICE: &str = "alice@example.com";
const ISSUER: &str = "https://accounts.example.com";

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// A temporary directory with a CA, a log and a payload, and a bundle signed by ALICE.
struct Setup {
    tmp: tempfile::TempDir,
    ca: PathBuf,
    log: PathBuf,
    log_key: PathBuf,
    bundle: PathBuf,
}

impl Setup {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let ca = tmp.path().join("ca");
        ca_init(&ca, "Stella Test CA");
        let (log, log_key) = log_init(tmp.path(), "log");
        let payload = tmp.path().join("statement.json");
        std::fs::write(&payload, br#"{"_type":"https://in-toto.io/Statement/v1"}"#).unwrap();
        let bundle = tmp.path().join("bundle.json");
        let run = sign(&ca, &log, &payload, ALICE, &bundle);
        assert_eq!(run.code, 0, "{}", run.stderr);
        Setup {
            tmp,
            ca,
            log,
            log_key,
            bundle,
        }
    }

    fn root(&self) -> PathBuf {
        self.ca.join("root.pem")
    }

    fn read_bundle(&self) -> Value {
        serde_json::from_slice(&std::fs::read(&self.bundle).unwrap()).unwrap()
    }

    /// Write `bundle` beside the original and verify it against this CA and log.
    fn verify_edited(&self, bundle: &Value, name: &str) -> Run {
        let path = self.tmp.path().join(name);
        std::fs::write(&path, serde_json::to_vec_pretty(bundle).unwrap()).unwrap();
        verify(&path, &self.root(), &s(&self.log), None)
    }
}

fn ca_init(dir: &Path, name: &str) {
    let run = stella(&["ca", "init", &s(dir), "--common-name", name]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// A log in `parent/name` with its own Ed25519 key; returns (log dir, key).
fn log_init(parent: &Path, name: &str) -> (PathBuf, PathBuf) {
    let key = parent.join(format!("{name}.pem"));
    assert_eq!(stella(&["key", "generate", "--output", &s(&key)]).code, 0);
    let dir = parent.join(name);
    let run = stella(&[
        "log",
        "init",
        &s(&dir),
        "--origin",
        ORIGIN,
        "--key",
        &s(&key),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (dir, key)
}

fn sign(ca: &Path, log: &Path, payload: &Path, identity: &str, out: &Path) -> Run {
    stella(&[
        "attest",
        "sign-keyless",
        "--ca",
        &s(ca),
        "--identity",
        identity,
        "--issuer",
        ISSUER,
        "--log",
        &s(log),
        "--payload",
        &s(payload),
        "--payload-type",
        "application/vnd.in-toto+json",
        "--output",
        &s(out),
    ])
}

fn verify(bundle: &Path, root: &Path, log_key: &str, identity: Option<(&str, &str)>) -> Run {
    let (bundle, root) = (s(bundle), s(root));
    let mut args = vec![
        "attest",
        "verify-keyless",
        &bundle,
        "--ca-root",
        &root,
        "--log-key",
        log_key,
    ];
    if let Some((subject, issuer)) = identity {
        args.extend(["--identity", subject, "--issuer", issuer]);
    }
    stella(&args)
}

fn assert_invalid(run: &Run, check: &str) {
    assert_eq!(
        run.code, 1,
        "stdout: {:?} stderr: {}",
        run.stdout, run.stderr
    );
    assert!(
        run.stderr.contains(&format!("invalid: {check}")),
        "expected a failed {check:?} check, got: {}",
        run.stderr
    );
}

/// Standard base64 through the DSSE codec (the test crate has no base64 dependency).
fn b64_decode(text: &str) -> Vec<u8> {
    let env = json!({"payload": text, "payloadType": "", "signatures": []});
    Envelope::from_json(env.to_string().as_bytes())
        .unwrap()
        .payload
}

fn b64_encode(bytes: &[u8]) -> String {
    let env = Envelope {
        payload: bytes.to_vec(),
        payload_type: String::new(),
        signatures: Vec::new(),
    };
    let json: Value = serde_json::from_slice(&env.to_json()).unwrap();
    json["payload"].as_str().unwrap().to_owned()
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The logged entry the bundle's envelope, certificate and integratedTime call for.
fn entry_of(bundle: &Value) -> Vec<u8> {
    let envelope = Envelope::from_json(bundle["dsseEnvelope"].to_string().as_bytes()).unwrap();
    let pem = bundle["certificate"].as_str().unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    stellaops_core::canonical::to_vec(&json!({
        "certificateSha256": sha256_hex(&b64_decode(&body)),
        "integratedTime": bundle["tlog"]["integratedTime"],
        "sha256": sha256_hex(&envelope.to_json()),
    }))
    .unwrap()
}

/// What a log operator colluding with a forger can do: log the bundle's entry as it now
/// stands (in a fresh tree of one, a split view) under a checkpoint signed with the real log
/// key, and put that entry and proof into the bundle. The log checks then pass.
fn relog(bundle: &mut Value, log_key: &Path) {
    let entry = entry_of(bundle);
    let key = SigningKey::from_pkcs8_pem(&std::fs::read_to_string(log_key).unwrap()).unwrap();
    let signer = NoteSigner::from_seed(ORIGIN, &key.ed25519_seed().unwrap()).unwrap();
    let root = root_from_leaves(&[leaf_hash(&entry)]);
    let checkpoint = sign_checkpoint(&Checkpoint::new(ORIGIN, 1, root), &signer).unwrap();
    let proof = TlogProof {
        extra: None,
        index: 0,
        proof: Vec::new(),
        checkpoint,
    };
    bundle["tlog"]["index"] = json!(0);
    bundle["tlog"]["proof"] = json!(proof.format());
    bundle["tlog"]["entry"] = json!(b64_encode(&entry));
}

#[test]
fn keyless_round_trip() {
    let t = Setup::new();

    // The CA: a certificate and a private key readable only by its owner.
    use std::os::unix::fs::PermissionsExt;
    let key_mode = std::fs::metadata(t.ca.join("root.key.pem"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(key_mode & 0o777, 0o600);
    assert!(std::fs::read_to_string(t.root())
        .unwrap()
        .starts_with("-----BEGIN CERTIFICATE-----"));
    let again = stella(&["ca", "init", &s(&t.ca), "--common-name", "Other"]);
    assert_eq!(again.code, 2, "an existing CA must not be overwritten");

    // The bundle.
    let b = t.read_bundle();
    assert_eq!(
        b["mediaType"],
        "application/vnd.stellaops.keyless-bundle+json;version=1"
    );
    assert_eq!(
        b["dsseEnvelope"]["payloadType"],
        "application/vnd.in-toto+json"
    );
    assert!(b["certificate"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN CERTIFICATE-----\n"));
    assert_eq!(b["tlog"]["origin"], ORIGIN);
    assert_eq!(b["tlog"]["index"], 0);
    assert!(b["tlog"]["proof"]
        .as_str()
        .unwrap()
        .starts_with("c2sp.org/tlog-proof@v1\nindex 0\n"));
    let entry = b64_decode(b["tlog"]["entry"].as_str().unwrap());
    assert_eq!(entry, entry_of(&b), "logged entry = recomputed entry");
    let entry: Value = serde_json::from_slice(&entry).unwrap();
    assert_eq!(entry["integratedTime"], b["tlog"]["integratedTime"]);

    // The ephemeral key is never written: only the inputs and the bundle are there.
    let mut files: Vec<String> = std::fs::read_dir(t.tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "bundle.json",
            "ca",
            "log",
            "log.pem",
            "log.pub.pem",
            "statement.json"
        ]
    );

    // Verifies with the log directory, the verifier key or a file holding it; with and
    // without an expected identity.
    let run = verify(&t.bundle, &t.root(), &s(&t.log), Some((ALICE, ISSUER)));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(out.starts_with("valid: "), "{out}");
    assert!(out.contains(ALICE) && out.contains(ORIGIN), "{out}");
    let log_json: Value =
        serde_json::from_slice(&std::fs::read(t.log.join("log.json")).unwrap()).unwrap();
    let vkey = log_json["verifierKey"].as_str().unwrap();
    assert_eq!(verify(&t.bundle, &t.root(), vkey, None).code, 0);
    let vkey_file = t.tmp.path().join("log.vkey");
    std::fs::write(&vkey_file, format!("{vkey}\n")).unwrap();
    assert_eq!(verify(&t.bundle, &t.root(), &s(&vkey_file), None).code, 0);

    // A second signature goes to the next entry and verifies too.
    let second = t.tmp.path().join("second.json");
    let run = sign(
        &t.ca,
        &t.log,
        &t.bundle,
        "https://ci.example/pipeline",
        &second,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let b2: Value = serde_json::from_slice(&std::fs::read(&second).unwrap()).unwrap();
    assert_eq!(b2["tlog"]["index"], 1);
    let run = verify(
        &second,
        &t.root(),
        &s(&t.log),
        Some(("https://ci.example/pipeline", ISSUER)),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(stella(&["log", "verify", &s(&t.log)]).code, 0);
}

#[test]
fn keyless_wrong_identity_is_invalid() {
    let t = Setup::new();
    let log = s(&t.log);
    let run = verify(
        &t.bundle,
        &t.root(),
        &log,
        Some(("mallory@example.com", ISSUER)),
    );
    assert_invalid(&run, "certificate: identity mismatch");
    let run = verify(
        &t.bundle,
        &t.root(),
        &log,
        Some((ALICE, "https://evil.example")),
    );
    assert_invalid(&run, "certificate: identity mismatch");
}

#[test]
fn keyless_wrong_root_is_invalid() {
    let t = Setup::new();
    let other = t.tmp.path().join("other-ca");
    // Same name, different key: only the signature can tell them apart.
    ca_init(&other, "Stella Test CA");
    let run = verify(&t.bundle, &other.join("root.pem"), &s(&t.log), None);
    assert_invalid(&run, "certificate: ");
}

#[test]
fn keyless_tampered_payload_is_invalid() {
    let t = Setup::new();
    let mut b = t.read_bundle();
    b["dsseEnvelope"]["payload"] = json!(b64_encode(b"{\"_type\":\"forged\"}"));
    let run = t.verify_edited(&b, "tampered.json");
    assert_invalid(&run, "transparency log: the logged entry does not match");

    // Even re-logged, the signature does not cover the new payload.
    relog(&mut b, &t.log_key);
    let run = t.verify_edited(&b, "tampered-relogged.json");
    assert_invalid(&run, "signature: ");
}

#[test]
fn keyless_moved_integrated_time_is_invalid() {
    let t = Setup::new();
    let mut b = t.read_bundle();
    let logged = b["tlog"]["integratedTime"].as_u64().unwrap();
    // One hour later: past the certificate's ten minutes.
    b["tlog"]["integratedTime"] = json!(logged + 3600);
    let run = t.verify_edited(&b, "moved.json");
    assert_invalid(&run, "transparency log: the logged entry does not match");

    // Re-logged with the moved time, the log checks pass but the certificate had expired.
    relog(&mut b, &t.log_key);
    let run = t.verify_edited(&b, "moved-relogged.json");
    assert_invalid(&run, "certificate: ");
    assert!(run.stderr.contains("expired"), "{}", run.stderr);

    // Before the certificate existed: not yet valid.
    b["tlog"]["integratedTime"] = json!(logged - 3600);
    relog(&mut b, &t.log_key);
    let run = t.verify_edited(&b, "early-relogged.json");
    assert_invalid(&run, "certificate: ");
    assert!(run.stderr.contains("not yet valid"), "{}", run.stderr);

    // The re-logging itself is sound: the untouched time re-logged verifies.
    b["tlog"]["integratedTime"] = json!(logged);
    relog(&mut b, &t.log_key);
    assert_eq!(t.verify_edited(&b, "relogged.json").code, 0);
}

#[test]
fn keyless_certificate_of_another_key_is_invalid() {
    let t = Setup::new();
    let other = t.tmp.path().join("other.json");
    let run = sign(&t.ca, &t.log, &t.bundle, ALICE, &other);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let other: Value = serde_json::from_slice(&std::fs::read(&other).unwrap()).unwrap();
    let mut b = t.read_bundle();
    b["certificate"] = other["certificate"].clone();
    let run = t.verify_edited(&b, "swapped.json");
    assert_invalid(&run, "transparency log: the logged entry does not match");
    // Re-logged: same CA, same identity, valid at the time, but not the envelope's key. Take
    // the other certificate's log time, so that the certificate is valid whether or not a
    // second boundary fell between the two signings (the check must fail on the signature).
    b["tlog"]["integratedTime"] = other["tlog"]["integratedTime"].clone();
    relog(&mut b, &t.log_key);
    let run = t.verify_edited(&b, "swapped-relogged.json");
    assert_invalid(&run, "signature: ");
}

#[test]
fn keyless_proof_from_another_log_is_invalid() {
    let t = Setup::new();
    // Another log with the same origin but its own key.
    let other_dir = t.tmp.path().join("other");
    std::fs::create_dir(&other_dir).unwrap();
    let (other_log, _) = log_init(&other_dir, "log");
    let payload = t.tmp.path().join("statement.json");
    let elsewhere = t.tmp.path().join("elsewhere.json");
    let run = sign(&t.ca, &other_log, &payload, ALICE, &elsewhere);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = verify(&elsewhere, &t.root(), &s(&t.log), None);
    assert_invalid(&run, "transparency log: ");
    assert!(
        run.stderr.contains("no signature by a known key"),
        "{}",
        run.stderr
    );

    // The other log's proof spliced into a bundle of the trusted log.
    let foreign: Value = serde_json::from_slice(&std::fs::read(&elsewhere).unwrap()).unwrap();
    let mut b = t.read_bundle();
    b["tlog"] = foreign["tlog"].clone();
    let run = t.verify_edited(&b, "spliced.json");
    assert_invalid(&run, "transparency log: ");

    // And against the other log's key, the trusted log's bundle does not verify.
    assert_invalid(
        &verify(&t.bundle, &t.root(), &s(&other_log), None),
        "transparency log: ",
    );
}

#[test]
fn keyless_errors_exit_2() {
    let t = Setup::new();
    let missing = t.tmp.path().join("missing.pem");
    assert_eq!(verify(&t.bundle, &missing, &s(&t.log), None).code, 2);
    assert_eq!(verify(&t.bundle, &t.root(), "not-a-key", None).code, 2);
    let garbage = t.tmp.path().join("garbage.json");
    std::fs::write(&garbage, b"{\"not\":\"a bundle\"}").unwrap();
    assert_invalid(&verify(&garbage, &t.root(), &s(&t.log), None), "bundle: ");
    let no_ca = t.tmp.path().join("no-ca");
    let out = t.tmp.path().join("never.json");
    let run = sign(&no_ca, &t.log, &garbage, ALICE, &out);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!out.exists());
}

#[test]
fn stella_verify_accepts_keyless_bundles() {
    let t = Setup::new();
    let run = stella(&[
        "verify",
        &s(&t.bundle),
        "--ca-root",
        &s(&t.root()),
        "--log-key",
        &s(&t.log),
        "--identity",
        ALICE,
        "--issuer",
        ISSUER,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = stella(&["verify", &s(&t.bundle), "--ca-root", &s(&t.root())]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}
