//! Proof bundles: a scan's manifest, its score proof ledger, and the signatures over both,
//! as five files anyone can verify and replay offline.
//!
//! | file | content |
//! |---|---|
//! | `manifest.json` | the [`ScanManifest`], RFC 8785 canonical JSON |
//! | `manifest.dsse.json` | DSSE envelope (payload type [`MANIFEST_PAYLOAD_TYPE`]) over `manifest.json` |
//! | `score_proof.json` | recorded score inputs, knobs, the proof ledger, its root hash and total |
//! | `proof_root.dsse.json` | DSSE envelope over an in-toto Statement (predicate type proof-root) whose subjects are `manifest.json` and `score_proof.json` by SHA-256 |
//! | `meta.json` | creation time, tool, and the SHA-256 of every other file |
//!
//! The container (a deterministic zip) is the host's business; this module works on the
//! file map.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::json;
use stellaops_core::canonical;
use stellaops_core::digest::Sha256Digest;
use stellaops_core::proof::{score, ProofLedger, ScanManifest, ScoreInput};

use crate::dsse::{self, Envelope};
use crate::intoto::{self, Statement, Subject};
use crate::keys::{SigningKey, VerifyingKey};

/// DSSE payload type of the signed manifest.
pub const MANIFEST_PAYLOAD_TYPE: &str = "application/vnd.stellaops.scan-manifest+json";
/// The five files of a bundle, in the order they are written.
pub const FILES: [&str; 5] = [
    "manifest.json",
    "manifest.dsse.json",
    "score_proof.json",
    "proof_root.dsse.json",
    "meta.json",
];

/// The recorded scoring of a scan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScoreProof {
    /// Facts scored, one per finding.
    pub inputs: Vec<ScoreInput>,
    /// Knobs used.
    pub knobs: BTreeMap<String, f64>,
    /// The ledger.
    pub ledger: ProofLedger,
    /// Its root hash.
    pub root_hash: String,
    /// Its total.
    pub total: f64,
}

/// `meta.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BundleMeta {
    /// Creation time, RFC 3339 (from the host).
    pub created: String,
    /// Producing tool.
    pub tool: String,
    /// SHA-256 (`sha256:<hex>`) of each other file.
    pub files: BTreeMap<String, String>,
    /// Where `proof_root.dsse.json` was logged, when it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tlog: Option<TlogRecord>,
}

/// A transparency-log record of `proof_root.dsse.json`: the C2SP tlog-proof (index, inclusion
/// proof, signed checkpoint) of its log entry [`log_entry`]. Self-authenticating given the
/// log's verifier key, which the verifier must supply from its own trust configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TlogRecord {
    /// Log origin.
    pub origin: String,
    /// The tlog-proof text.
    pub proof: String,
}

/// The log entry for a file: RFC 8785 canonical JSON `{"sha256":"<hex>","size":<bytes>}`
/// (the entry `stella log append` writes).
pub fn log_entry(bytes: &[u8]) -> Vec<u8> {
    let d = Sha256Digest::of(bytes);
    canonical::to_vec(&json!({"sha256": d.hex(), "size": bytes.len()})).unwrap_or_default()
}

/// Why a bundle is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BundleError(pub String);

fn err(msg: impl Into<String>) -> BundleError {
    BundleError(msg.into())
}

/// Build the files of a bundle.
pub fn build(
    manifest: &ScanManifest,
    inputs: &[ScoreInput],
    created_rfc3339: &str,
    tool: &str,
    key: &SigningKey,
) -> Result<BTreeMap<String, Vec<u8>>, BundleError> {
    let ledger = score(inputs, &manifest.knobs).map_err(|e| err(e.to_string()))?;
    let root_hash = ledger.root_hash().map_err(|e| err(e.to_string()))?;
    let mut sorted_inputs = inputs.to_vec();
    sorted_inputs.sort_by(|a, b| (&a.id, &a.purl).cmp(&(&b.id, &b.purl)));
    let proof = ScoreProof {
        inputs: sorted_inputs,
        knobs: manifest.knobs.clone(),
        total: ledger.total(),
        root_hash: root_hash.clone(),
        ledger,
    };
    let manifest_json = canonical::to_vec(manifest).map_err(|e| err(e.to_string()))?;
    let proof_json = canonical::to_vec(&proof).map_err(|e| err(e.to_string()))?;
    let manifest_env = dsse::sign(MANIFEST_PAYLOAD_TYPE, &manifest_json, &[key]);
    let statement = Statement::new(
        vec![
            Subject::sha256("manifest.json", &Sha256Digest::of(&manifest_json)),
            Subject::sha256("score_proof.json", &Sha256Digest::of(&proof_json)),
        ],
        intoto::PREDICATE_PROOF_ROOT,
        json!({
            "rootHash": root_hash,
            "total": proof.total,
            "manifestDigest": Sha256Digest::of(&manifest_json).to_string(),
            "concelierSnapshotHash": manifest.concelier_snapshot_hash,
            "scanId": manifest.scan_id,
        }),
    );
    let root_env = statement.sign(&[key]).map_err(|e| err(e.to_string()))?;
    let mut files = BTreeMap::new();
    files.insert("manifest.json".to_owned(), manifest_json);
    files.insert("manifest.dsse.json".to_owned(), manifest_env.to_json());
    files.insert("score_proof.json".to_owned(), proof_json);
    files.insert("proof_root.dsse.json".to_owned(), root_env.to_json());
    finish(files, created_rfc3339, tool, None)
}

/// Add `meta.json` (hashes of the other four files, and the log record when the host logged
/// `proof_root.dsse.json`) to the files [`build`] made. Replaces any `meta.json` present.
pub fn finish(
    mut files: BTreeMap<String, Vec<u8>>,
    created_rfc3339: &str,
    tool: &str,
    tlog: Option<TlogRecord>,
) -> Result<BTreeMap<String, Vec<u8>>, BundleError> {
    files.remove("meta.json");
    let meta = BundleMeta {
        created: created_rfc3339.to_owned(),
        tool: tool.to_owned(),
        files: files
            .iter()
            .map(|(k, v)| (k.clone(), Sha256Digest::of(v).to_string()))
            .collect(),
        tlog,
    };
    files.insert(
        "meta.json".to_owned(),
        canonical::to_vec(&meta).map_err(|e| err(e.to_string()))?,
    );
    Ok(files)
}

/// What verification established.
#[derive(Debug, Clone, PartialEq)]
pub struct BundleReport {
    /// The manifest.
    pub manifest: ScanManifest,
    /// Log inclusion of `proof_root.dsse.json`: `Some(index, tree size)` when verified
    /// against a trusted log key, `None` when the bundle has no log record.
    pub logged: Option<(u64, u64)>,
    /// Recorded root hash (verified by recomputation).
    pub root_hash: String,
    /// Recorded total.
    pub total: f64,
    /// Key ids that signed the manifest.
    pub manifest_signers: Vec<String>,
    /// Key ids that signed the proof root.
    pub root_signers: Vec<String>,
}

/// Verify every signature and hash of a bundle and recompute its proof root from the
/// recorded inputs. `threshold` distinct trusted keys must sign each envelope.
pub fn verify(
    files: &BTreeMap<String, Vec<u8>>,
    trusted: &[VerifyingKey],
    threshold: usize,
) -> Result<BundleReport, BundleError> {
    verify_with_log(files, trusted, threshold, None)
}

/// [`verify`], and when `log` (the log's verifier) is given, also require that
/// `proof_root.dsse.json` is included in that log per the bundle's tlog record.
pub fn verify_with_log(
    files: &BTreeMap<String, Vec<u8>>,
    trusted: &[VerifyingKey],
    threshold: usize,
    log: Option<&crate::tlog::NoteVerifier>,
) -> Result<BundleReport, BundleError> {
    let get = |name: &str| {
        files
            .get(name)
            .ok_or_else(|| err(format!("bundle has no {name}")))
    };
    for name in files.keys() {
        if !FILES.contains(&name.as_str()) {
            return Err(err(format!("unexpected file {name:?} in bundle")));
        }
    }
    let manifest_json = get("manifest.json")?;
    let proof_json = get("score_proof.json")?;
    // meta.json: every other file's hash.
    let meta: BundleMeta =
        serde_json::from_slice(get("meta.json")?).map_err(|e| err(format!("meta.json: {e}")))?;
    for name in &FILES[..4] {
        let want = meta
            .files
            .get(*name)
            .ok_or_else(|| err(format!("meta.json does not list {name}")))?;
        let got = Sha256Digest::of(get(name)?).to_string();
        if *want != got {
            return Err(err(format!(
                "{name} has digest {got}, meta.json says {want}"
            )));
        }
    }
    // The signed manifest.
    let env = Envelope::from_json(get("manifest.dsse.json")?)
        .map_err(|e| err(format!("manifest.dsse.json: {e}")))?;
    let verified = dsse::verify(&env, trusted, threshold)
        .map_err(|e| err(format!("manifest.dsse.json: {e}")))?;
    if verified.payload_type != MANIFEST_PAYLOAD_TYPE || verified.payload != *manifest_json {
        return Err(err("manifest.dsse.json does not sign manifest.json"));
    }
    let manifest: ScanManifest =
        serde_json::from_slice(manifest_json).map_err(|e| err(format!("manifest.json: {e}")))?;
    // The signed proof root.
    let env = Envelope::from_json(get("proof_root.dsse.json")?)
        .map_err(|e| err(format!("proof_root.dsse.json: {e}")))?;
    let root_verified = dsse::verify(&env, trusted, threshold)
        .map_err(|e| err(format!("proof_root.dsse.json: {e}")))?;
    let statement = Statement::from_verified(&root_verified)
        .map_err(|e| err(format!("proof_root.dsse.json: {e}")))?;
    if statement.predicate_type != intoto::PREDICATE_PROOF_ROOT {
        return Err(err(format!(
            "proof_root.dsse.json has predicate type {}",
            statement.predicate_type
        )));
    }
    for (name, bytes) in [
        ("manifest.json", manifest_json),
        ("score_proof.json", proof_json),
    ] {
        let hex = Sha256Digest::of(bytes);
        if !statement.has_subject_digest("sha256", hex.hex()) {
            return Err(err(format!("the signed proof root does not cover {name}")));
        }
    }
    // The ledger: ids, links, root, and recomputation from the inputs.
    let proof: ScoreProof =
        serde_json::from_slice(proof_json).map_err(|e| err(format!("score_proof.json: {e}")))?;
    proof
        .ledger
        .verify()
        .map_err(|e| err(format!("score_proof.json ledger: {e}")))?;
    let root = proof.ledger.root_hash().map_err(|e| err(e.to_string()))?;
    if root != proof.root_hash {
        return Err(err(format!(
            "ledger root is {root}, score_proof.json says {}",
            proof.root_hash
        )));
    }
    if statement.predicate.get("rootHash").and_then(|v| v.as_str()) != Some(root.as_str()) {
        return Err(err("the signed proof root names a different root hash"));
    }
    let replayed = replay(&proof).map_err(|e| err(e.to_string()))?;
    if !replayed.differences.is_empty() {
        return Err(err(format!(
            "replaying the recorded inputs gives a different ledger: {}",
            replayed.differences.join("; ")
        )));
    }
    let logged = match (&meta.tlog, log) {
        (Some(record), Some(verifier)) => {
            let entry = log_entry(get("proof_root.dsse.json")?);
            let (p, cp) = crate::tlog::verify_tlog_proof(
                record.proof.as_bytes(),
                &entry,
                verifier,
                &record.origin,
            )
            .map_err(|e| err(format!("log inclusion of proof_root.dsse.json: {e}")))?;
            Some((p.index, cp.size))
        }
        (None, Some(_)) => return Err(err("the bundle has no transparency-log record")),
        (_, None) => None,
    };
    Ok(BundleReport {
        manifest,
        logged,
        root_hash: root,
        total: proof.total,
        manifest_signers: verified.accepted_keyids,
        root_signers: root_verified.accepted_keyids,
    })
}

/// Result of re-running scoring from recorded inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Replay {
    /// Root hash recomputed.
    pub root_hash: String,
    /// Total recomputed.
    pub total: f64,
    /// Every difference from the recorded proof (empty when identical).
    pub differences: Vec<String>,
}

/// Re-run scoring from the recorded inputs and knobs and compare with the recorded ledger.
pub fn replay(proof: &ScoreProof) -> Result<Replay, BundleError> {
    replay_inputs(proof, &proof.inputs)
}

/// Re-run scoring over `inputs` (e.g. re-matched against a database) and compare with the
/// recorded proof.
pub fn replay_inputs(proof: &ScoreProof, inputs: &[ScoreInput]) -> Result<Replay, BundleError> {
    let ledger = score(inputs, &proof.knobs).map_err(|e| err(e.to_string()))?;
    let root_hash = ledger.root_hash().map_err(|e| err(e.to_string()))?;
    let mut differences = Vec::new();
    let recorded: BTreeMap<(&str, &str), &ScoreInput> = proof
        .inputs
        .iter()
        .map(|i| ((i.id.as_str(), i.purl.as_str()), i))
        .collect();
    let now: BTreeMap<(&str, &str), &ScoreInput> = inputs
        .iter()
        .map(|i| ((i.id.as_str(), i.purl.as_str()), i))
        .collect();
    for (k, v) in &recorded {
        match now.get(k) {
            None => differences.push(format!("{} on {} no longer found", k.0, k.1)),
            Some(n) if n != v => {
                differences.push(format!("{} on {} changed: {:?} -> {:?}", k.0, k.1, v, n))
            }
            Some(_) => {}
        }
    }
    for k in now.keys() {
        if !recorded.contains_key(k) {
            differences.push(format!("{} on {} is new", k.0, k.1));
        }
    }
    if root_hash != proof.root_hash {
        differences.push(format!("root hash {} -> {root_hash}", proof.root_hash));
    }
    if (ledger.total() - proof.total).abs() > 1e-9 {
        differences.push(format!("total {} -> {}", proof.total, ledger.total()));
    }
    Ok(Replay {
        root_hash,
        total: ledger.total(),
        differences,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::Algorithm;

    fn manifest() -> ScanManifest {
        ScanManifest {
            scan_id: "scan-1".into(),
            artifact_digest: format!("sha256:{}", "ab".repeat(32)),
            artifact_purl: None,
            scanner_version: "stella/0.1.0".into(),
            concelier_snapshot_hash: format!("sha256:{}", "cd".repeat(32)),
            excititor_snapshot_hash: None,
            policy_hash: None,
            seed: "0".into(),
            knobs: stellaops_core::proof::default_knobs(),
        }
    }

    fn inputs() -> Vec<ScoreInput> {
        vec![ScoreInput {
            id: "CVE-2014-3616".into(),
            purl: "pkg:deb/debian/nginx@1.2.1-2.2%2Bwheezy2".into(),
            cvss: Some(4.3),
            severity: "medium".into(),
            kev: false,
            epss: Some(0.01),
        }]
    }

    #[test]
    fn bundle_round_trip_and_tamper_detection() {
        let key = SigningKey::generate(Algorithm::Ed25519, &[7u8; 32]).unwrap();
        let files = build(
            &manifest(),
            &inputs(),
            "2024-01-01T00:00:00Z",
            "stella/0.1.0",
            &key,
        )
        .unwrap();
        let trusted = vec![key.verifying_key()];
        let report = verify(&files, &trusted, 1).unwrap();
        assert_eq!(report.manifest, manifest());
        // Deterministic.
        assert_eq!(
            files,
            build(
                &manifest(),
                &inputs(),
                "2024-01-01T00:00:00Z",
                "stella/0.1.0",
                &key
            )
            .unwrap()
        );
        // Any byte of any file changed is detected.
        for name in FILES {
            let mut bad = files.clone();
            let f = bad.get_mut(name).unwrap();
            let i = f.len() / 2;
            f[i] ^= 0x01;
            assert!(verify(&bad, &trusted, 1).is_err(), "{name}");
        }
        // The wrong key.
        let other = SigningKey::generate(Algorithm::Ed25519, &[8u8; 32]).unwrap();
        assert!(verify(&files, &[other.verifying_key()], 1).is_err());
        // Replay finds differences when an input changes.
        let proof: ScoreProof = serde_json::from_slice(&files["score_proof.json"]).unwrap();
        assert!(replay(&proof).unwrap().differences.is_empty());
        let mut changed = inputs();
        changed[0].kev = true;
        assert!(!replay_inputs(&proof, &changed)
            .unwrap()
            .differences
            .is_empty());
    }
}
