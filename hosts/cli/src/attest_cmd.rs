//! `stella key generate`, `stella attest sign|verify`, `stella prove`, `stella verify` and
//! `stella replay`: keys and envelopes on files; randomness comes from the OS here, never in
//! the pure crates.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use stellaops_attest::dsse::{self, Envelope};
use stellaops_attest::keys::{Algorithm, SigningKey, VerifyingKey};
use stellaops_attest::proof;
use stellaops_core::proof::{default_knobs, ScanManifest, ScoreInput};

/// 32 bytes from the operating system's random source.
fn os_seed() -> Result<[u8; 32]> {
    let mut seed = [0u8; 32];
    fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut seed))
        .context("cannot read /dev/urandom")?;
    Ok(seed)
}

/// Path of the public key written beside `private`.
pub fn public_path(private: &Path) -> PathBuf {
    let s = private.to_string_lossy();
    match s.strip_suffix(".pem") {
        Some(stem) => PathBuf::from(format!("{stem}.pub.pem")),
        None => PathBuf::from(format!("{s}.pub.pem")),
    }
}

/// Generate a key pair: PKCS#8 private key at `output` (mode 0600), SPKI public key beside.
pub fn generate(algorithm: Algorithm, output: &Path) -> Result<(PathBuf, String)> {
    let key = loop {
        match SigningKey::generate(algorithm, &os_seed()?) {
            Ok(k) => break k,
            Err(stellaops_attest::keys::KeyError::InvalidSeed { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    };
    let private = key.to_pkcs8_pem()?;
    let public = key.verifying_key().to_spki_pem()?;
    write_private(output, private.as_bytes())?;
    let pub_path = public_path(output);
    crate::output::write(Some(&pub_path), public.as_bytes())?;
    Ok((pub_path, key.verifying_key().key_id()))
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}

/// Read a private key (PKCS#8 or SEC1 PEM).
pub fn signing_key(path: &Path) -> Result<SigningKey> {
    let pem =
        fs::read_to_string(path).with_context(|| format!("cannot read key {}", path.display()))?;
    SigningKey::from_pkcs8_pem(&pem).with_context(|| format!("{}", path.display()))
}

/// Read public keys (SPKI PEM); a private key file is accepted too (its public half).
pub fn verifying_keys(paths: &[PathBuf]) -> Result<Vec<VerifyingKey>> {
    paths
        .iter()
        .map(|p| {
            let pem = fs::read_to_string(p)
                .with_context(|| format!("cannot read key {}", p.display()))?;
            if pem.contains("PRIVATE KEY") {
                return Ok(SigningKey::from_pkcs8_pem(&pem)?.verifying_key());
            }
            VerifyingKey::from_spki_pem(&pem).with_context(|| format!("{}", p.display()))
        })
        .collect()
}

/// Sign a payload file into a DSSE envelope file.
pub fn sign(key: &Path, payload: &Path, payload_type: &str, output: &Path) -> Result<String> {
    let key = signing_key(key)?;
    let bytes = fs::read(payload).with_context(|| format!("cannot read {}", payload.display()))?;
    let env = dsse::sign(payload_type, &bytes, &[&key]);
    let mut json = env.to_json();
    json.push(b'\n');
    crate::output::write(Some(output), &json)?;
    Ok(key.verifying_key().key_id())
}

/// Outcome of a verification, for exit codes: `Ok(Ok(msg))` valid, `Ok(Err(reason))`
/// invalid, `Err` could not be checked.
pub type Verdict = Result<Result<String, String>>;

/// Verify a DSSE envelope file.
pub fn verify_envelope(envelope: &Path, keys: &[PathBuf], threshold: usize) -> Verdict {
    let trusted = verifying_keys(keys)?;
    let bytes =
        fs::read(envelope).with_context(|| format!("cannot read {}", envelope.display()))?;
    let env = match Envelope::from_json(&bytes) {
        Ok(e) => e,
        Err(e) => return Ok(Err(format!("not a valid DSSE envelope: {e}"))),
    };
    Ok(match dsse::verify(&env, &trusted, threshold) {
        Ok(v) => Ok(format!(
            "valid: payload type {}, {} bytes, signed by {}",
            v.payload_type,
            v.payload.len(),
            v.accepted_keyids.join(", ")
        )),
        Err(e) => Err(e.to_string()),
    })
}

/// A log verifier from a verifier key string or a log directory (its `log.json`).
pub fn log_verifier(spec: &str) -> Result<stellaops_attest::tlog::NoteVerifier> {
    let vkey = if Path::new(spec).is_dir() {
        crate::log_cmd::identity(Path::new(spec))?.0
    } else {
        spec.to_owned()
    };
    Ok(stellaops_attest::tlog::NoteVerifier::from_verifier_key(
        &vkey,
    )?)
}

/// Verify a proof bundle zip (and, with `log_key`, its log inclusion).
pub fn verify_bundle(
    bundle: &Path,
    keys: &[PathBuf],
    threshold: usize,
    log_key: Option<&str>,
) -> Verdict {
    let trusted = verifying_keys(keys)?;
    let log = log_key.map(log_verifier).transpose()?;
    let bytes = fs::read(bundle).with_context(|| format!("cannot read {}", bundle.display()))?;
    let files = match crate::bundle_io::read_zip(&bytes) {
        Ok(f) => f,
        Err(e) => return Ok(Err(format!("{e:#}"))),
    };
    Ok(
        match proof::verify_with_log(&files, &trusted, threshold, log.as_ref()) {
            Ok(r) => Ok(format!(
                "valid: scan {} of {}, proof root {}, total {}, snapshot {}, signed by {}{}",
                r.manifest.scan_id,
                r.manifest.artifact_digest,
                r.root_hash,
                r.total,
                r.manifest.concelier_snapshot_hash,
                r.root_signers.join(", "),
                match r.logged {
                    Some((i, size)) => format!(", logged as entry {i} (tree size {size})"),
                    None => ", log inclusion not checked (no --log-key)".to_owned(),
                }
            )),
            Err(e) => Err(e.to_string()),
        },
    )
}

/// Whether `path` looks like a zip (a bundle) rather than JSON (an envelope).
pub fn is_zip(path: &Path) -> bool {
    let mut head = [0u8; 4];
    fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && head == *b"PK\x03\x04"
}

/// Score inputs from a match report.
pub fn score_inputs(report: &stellaops_policy::advisory::matcher::MatchReport) -> Vec<ScoreInput> {
    report
        .findings
        .iter()
        .filter(|f| f.status == "affected" || f.status == "will-not-fix")
        .map(|f| ScoreInput {
            id: f.id.clone(),
            purl: f.purl.clone(),
            cvss: f.severity.score,
            severity: f.severity.label.clone(),
            kev: f.kev.is_some(),
            epss: f.epss.as_ref().map(|e| e.epss),
        })
        .collect()
}

/// Match an SBOM, score it and write a signed proof bundle.
pub fn prove(
    db: &Path,
    sbom: &Path,
    key: &Path,
    output: &Path,
    created: &str,
    log: Option<&Path>,
) -> Result<String> {
    let key = signing_key(key)?;
    let sbom_bytes = fs::read(sbom).with_context(|| format!("cannot read {}", sbom.display()))?;
    let components = crate::match_cmd::sbom_components(sbom)?;
    let report = crate::match_cmd::run(db, &components)?;
    let sbom_digest = stellaops_core::digest::Sha256Digest::of(&sbom_bytes).to_string();
    let manifest = ScanManifest {
        scan_id: stellaops_core::canonical::digest(&(&sbom_digest, &report.snapshot_hash))?,
        artifact_digest: sbom_digest,
        artifact_purl: None,
        scanner_version: format!("stella/{}", env!("CARGO_PKG_VERSION")),
        concelier_snapshot_hash: report.snapshot_hash.clone(),
        excititor_snapshot_hash: None,
        policy_hash: None,
        seed: "0".to_owned(),
        knobs: default_knobs(),
    };
    let files = proof::build(
        &manifest,
        &score_inputs(&report),
        created,
        &format!("stella/{}", env!("CARGO_PKG_VERSION")),
        &key,
    )?;
    let tool = format!("stella/{}", env!("CARGO_PKG_VERSION"));
    let mut logged = String::new();
    let files = match log {
        Some(dir) => {
            let entry = proof::log_entry(&files["proof_root.dsse.json"]);
            let index = crate::log_cmd::append_entries(dir, &[entry])?
                .first()
                .copied()
                .context("the log returned no index")?;
            let (_, origin) = crate::log_cmd::identity(dir)?;
            let record = proof::TlogRecord {
                origin,
                proof: crate::log_cmd::prove(dir, index)?,
            };
            logged = format!(", proof root logged as entry {index}");
            proof::finish(files, created, &tool, Some(record))?
        }
        None => files,
    };
    let zip = crate::bundle_io::write_zip(&files)?;
    crate::output::write(Some(output), &zip)?;
    let proof: proof::ScoreProof = serde_json::from_slice(&files["score_proof.json"])?;
    Ok(format!(
        "wrote {}: {} findings scored, total {}, proof root {}{logged}",
        output.display(),
        proof.inputs.len(),
        proof.total,
        proof.root_hash
    ))
}

/// Re-run scoring from a bundle's recorded inputs (and, with a database and the SBOM, from
/// a fresh match) and list every difference.
pub fn replay(bundle: &Path, db: Option<&Path>, sbom: Option<&Path>) -> Result<(bool, String)> {
    let bytes = fs::read(bundle).with_context(|| format!("cannot read {}", bundle.display()))?;
    let files = crate::bundle_io::read_zip(&bytes)?;
    let proof: proof::ScoreProof = serde_json::from_slice(
        files
            .get("score_proof.json")
            .context("bundle has no score_proof.json")?,
    )?;
    let manifest: ScanManifest = serde_json::from_slice(
        files
            .get("manifest.json")
            .context("bundle has no manifest.json")?,
    )?;
    let mut lines = Vec::new();
    let replayed = match (db, sbom) {
        (Some(db), Some(sbom)) => {
            let components = crate::match_cmd::sbom_components(sbom)?;
            let report = crate::match_cmd::run(db, &components)?;
            if report.snapshot_hash != manifest.concelier_snapshot_hash {
                lines.push(format!(
                    "advisory snapshot differs: recorded {}, now {}",
                    manifest.concelier_snapshot_hash, report.snapshot_hash
                ));
            }
            proof::replay_inputs(&proof, &score_inputs(&report))?
        }
        (None, None) => proof::replay(&proof)?,
        _ => bail!("--db and --sbom go together"),
    };
    lines.extend(replayed.differences.iter().cloned());
    let same = lines.is_empty();
    let mut text = format!(
        "recorded root {} total {}\nreplayed root {} total {}\n",
        proof.root_hash, proof.total, replayed.root_hash, replayed.total
    );
    if same {
        text.push_str("identical\n");
    } else {
        for l in lines {
            text.push_str(&format!("difference: {l}\n"));
        }
    }
    Ok((same, text))
}
