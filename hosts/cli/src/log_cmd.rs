//! `stella log init|append|prove|verify|checkpoint`: a transparency log in a directory laid
//! out as a C2SP tlog-tiles tree (`tile/<L>/<N>`, `tile/entries/<N>`, `checkpoint`), with the
//! checkpoint signed as a C2SP signed note by an Ed25519 key.
//!
//! Each appended file becomes one entry: the RFC 8785 canonical JSON
//! `{"sha256":"<hex>","size":<bytes>}` of the file, so anyone holding the file can recompute
//! the entry and check its inclusion proof offline.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use stellaops_attest::tlog::{
    empty_root, leaf_hash, root_from_leaves, sign_checkpoint, verify_checkpoint, verify_tlog_proof,
    Checkpoint, Log, NoteSigner, NoteVerifier, StoreError, TileStore, TlogProof,
};

const CONFIG: &str = "log.json";
const CHECKPOINT: &str = "checkpoint";

/// The log's settings, kept beside the tiles.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Config {
    origin: String,
    /// Verifier key in Go's note format (`<name>+<hash>+<base64>`).
    verifier_key: String,
    /// Absolute path of the Ed25519 PKCS#8 key that signs checkpoints.
    signing_key: PathBuf,
}

/// Tiles as files under the log directory; writes are atomic and durable.
struct DirStore {
    root: PathBuf,
}

impl DirStore {
    fn path(&self, rel: &str) -> Result<PathBuf, StoreError> {
        if rel
            .split('/')
            .any(|p| p.is_empty() || p == "." || p == "..")
        {
            return Err(StoreError::Backend(format!("refusing tile path {rel:?}")));
        }
        Ok(self.root.join(rel))
    }
}

impl TileStore for DirStore {
    fn get(&self, rel: &str) -> Result<Option<Vec<u8>>, StoreError> {
        match fs::read(self.path(rel)?) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::Backend(format!("{rel}: {e}"))),
        }
    }

    fn put(&mut self, rel: &str, bytes: &[u8]) -> Result<(), StoreError> {
        let path = self.path(rel)?;
        if !rel.contains(".p/") {
            if let Ok(existing) = fs::read(&path) {
                if existing == bytes {
                    return Ok(());
                }
                return Err(StoreError::Immutable {
                    path: rel.to_owned(),
                });
            }
        }
        write_durable(&path, bytes).map_err(|e| StoreError::Backend(format!("{rel}: {e:#}")))
    }
}

fn write_durable(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().context("tile path has no parent")?;
    fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    let mut f = fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    fs::rename(&tmp, path)?;
    Ok(())
}

fn load_config(dir: &Path) -> Result<Config> {
    let bytes = fs::read(dir.join(CONFIG)).with_context(|| {
        format!(
            "{} is not a log directory (no {CONFIG}; run `stella log init`)",
            dir.display()
        )
    })?;
    serde_json::from_slice(&bytes).with_context(|| format!("{}/{CONFIG}", dir.display()))
}

fn signer(config: &Config) -> Result<NoteSigner> {
    let key = crate::attest_cmd::signing_key(&config.signing_key)?;
    let seed = key
        .ed25519_seed()
        .context("checkpoints are signed with Ed25519: the log key must be an Ed25519 key")?;
    Ok(NoteSigner::from_seed(&config.origin, &seed)?)
}

fn read_checkpoint(dir: &Path, config: &Config) -> Result<Checkpoint> {
    let bytes = fs::read(dir.join(CHECKPOINT))
        .with_context(|| format!("{}/{CHECKPOINT}", dir.display()))?;
    let verifier = NoteVerifier::from_verifier_key(&config.verifier_key)?;
    verify_checkpoint(&bytes, &verifier, &config.origin).context("checkpoint does not verify")
}

/// The entry logged for a file.
pub fn entry_for(bytes: &[u8]) -> Result<Vec<u8>> {
    Ok(stellaops_attest::proof::log_entry(bytes))
}

/// Create a log.
pub fn init(dir: &Path, origin: &str, key: &Path) -> Result<String> {
    if dir.join(CONFIG).exists() {
        bail!("{} already holds a log", dir.display());
    }
    fs::create_dir_all(dir)?;
    let key_path = fs::canonicalize(key).with_context(|| format!("{}", key.display()))?;
    let mut config = Config {
        origin: origin.to_owned(),
        verifier_key: String::new(),
        signing_key: key_path,
    };
    let s = signer(&config)?;
    config.verifier_key = s.verifier_key();
    let cp = sign_checkpoint(&Checkpoint::new(origin, 0, empty_root()), &s)?;
    write_durable(&dir.join(CONFIG), &serde_json::to_vec_pretty(&config)?)?;
    write_durable(&dir.join(CHECKPOINT), cp.as_bytes())?;
    Ok(config.verifier_key)
}

/// Append files; returns their indices.
pub fn append(dir: &Path, files: &[PathBuf]) -> Result<Vec<u64>> {
    let mut entries = Vec::with_capacity(files.len());
    for f in files {
        let bytes = fs::read(f).with_context(|| format!("cannot read {}", f.display()))?;
        entries.push(entry_for(&bytes)?);
    }
    append_entries(dir, &entries)
}

/// Append raw entries (e.g. keyless signing events); returns their indices.
pub fn append_entries(dir: &Path, entries: &[Vec<u8>]) -> Result<Vec<u64>> {
    let config = load_config(dir)?;
    let cp = read_checkpoint(dir, &config)?;
    let s = signer(&config)?;
    let store = DirStore {
        root: dir.to_owned(),
    };
    let mut log = Log::open_with_root(store, cp.size, &cp.root)
        .context("log tiles do not match the checkpoint")?;
    let indices = log.append_batch(entries)?;
    let signed = sign_checkpoint(&Checkpoint::new(&config.origin, log.size(), log.root()), &s)?;
    write_durable(&dir.join(CHECKPOINT), signed.as_bytes())?;
    Ok(indices)
}

/// The C2SP tlog-proof of entry `index` against the current checkpoint.
pub fn prove(dir: &Path, index: u64) -> Result<String> {
    let config = load_config(dir)?;
    let cp = read_checkpoint(dir, &config)?;
    if index >= cp.size {
        bail!("index {index} is not in the log (size {})", cp.size);
    }
    let log = Log::open_with_root(
        DirStore {
            root: dir.to_owned(),
        },
        cp.size,
        &cp.root,
    )?;
    let proof = log.inclusion_proof(index)?;
    let checkpoint = fs::read_to_string(dir.join(CHECKPOINT))?;
    Ok(TlogProof {
        extra: None,
        index,
        proof,
        checkpoint,
    }
    .format())
}

/// Verify a file's inclusion with a tlog-proof and the log's verifier key.
pub fn verify_file(
    proof: &Path,
    file: &Path,
    verifier_key: &str,
    origin: &str,
) -> Result<Result<String, String>> {
    let proof_bytes =
        fs::read(proof).with_context(|| format!("cannot read {}", proof.display()))?;
    let entry =
        entry_for(&fs::read(file).with_context(|| format!("cannot read {}", file.display()))?)?;
    let verifier = NoteVerifier::from_verifier_key(verifier_key)?;
    Ok(
        match verify_tlog_proof(&proof_bytes, &entry, &verifier, origin) {
            Ok((p, cp)) => Ok(format!(
                "valid: {} is entry {} of {} (tree size {})",
                file.display(),
                p.index,
                cp.origin,
                cp.size
            )),
            Err(e) => Err(e.to_string()),
        },
    )
}

/// Check the whole log: the checkpoint signature, every tile against the entries, the root.
pub fn verify(dir: &Path) -> Result<Result<String, String>> {
    let config = load_config(dir)?;
    let cp = match read_checkpoint(dir, &config) {
        Ok(cp) => cp,
        Err(e) => return Ok(Err(format!("{e:#}"))),
    };
    let log = match Log::open_with_root(
        DirStore {
            root: dir.to_owned(),
        },
        cp.size,
        &cp.root,
    ) {
        Ok(l) => l,
        Err(e) => return Ok(Err(format!("tiles do not match the checkpoint: {e}"))),
    };
    let mut leaves = Vec::with_capacity(usize::try_from(cp.size).unwrap_or(0));
    for i in 0..cp.size {
        match log.entry(i) {
            Ok(e) => leaves.push(leaf_hash(&e)),
            Err(e) => return Ok(Err(format!("entry {i}: {e}"))),
        }
        // Every stored level-0 hash must be the hash of its entry.
        match log.hash_at(0, i) {
            Ok(h) if h == leaves[leaves.len() - 1] => {}
            Ok(_) => {
                return Ok(Err(format!(
                    "tile hash of entry {i} does not match the entry"
                )))
            }
            Err(e) => return Ok(Err(format!("tile of entry {i}: {e}"))),
        }
    }
    let root = root_from_leaves(&leaves);
    if root != cp.root {
        return Ok(Err("entries do not hash to the checkpoint root".to_owned()));
    }
    Ok(Ok(format!(
        "valid: {} entries, root matches the signed checkpoint of {}",
        cp.size, cp.origin
    )))
}

/// Check the whole log, then that it extends the older checkpoint in `old` (a consistency
/// proof between the two signed checkpoints).
pub fn verify_since(dir: &Path, old: &Path) -> Result<Result<String, String>> {
    if let Err(reason) = verify(dir)? {
        return Ok(Err(reason));
    }
    let config = load_config(dir)?;
    let verifier = NoteVerifier::from_verifier_key(&config.verifier_key)?;
    let old_bytes = fs::read(old).with_context(|| format!("cannot read {}", old.display()))?;
    let new_bytes = fs::read(dir.join(CHECKPOINT))?;
    let old_cp = match verify_checkpoint(&old_bytes, &verifier, &config.origin) {
        Ok(cp) => cp,
        Err(e) => return Ok(Err(format!("older checkpoint: {e}"))),
    };
    let cp = read_checkpoint(dir, &config)?;
    if old_cp.size > cp.size {
        return Ok(Err(format!(
            "older checkpoint has size {}, larger than the log's {}",
            old_cp.size, cp.size
        )));
    }
    let log = Log::open_with_root(
        DirStore {
            root: dir.to_owned(),
        },
        cp.size,
        &cp.root,
    )?;
    let proof = if old_cp.size == 0 || old_cp.size == cp.size {
        Vec::new()
    } else {
        log.consistency_proof(old_cp.size)?
    };
    Ok(
        match stellaops_attest::tlog::verify_consistency_between(
            &old_bytes,
            &new_bytes,
            &proof,
            &verifier,
            &config.origin,
        ) {
            Ok((o, n)) => Ok(format!(
                "valid: the log at size {} extends the checkpoint at size {} ({} consistency hashes)",
                n.size,
                o.size,
                proof.len()
            )),
            Err(e) => Err(format!("not consistent with the older checkpoint: {e}")),
        },
    )
}

/// The current checkpoint text.
pub fn checkpoint(dir: &Path) -> Result<String> {
    let config = load_config(dir)?;
    read_checkpoint(dir, &config)?;
    Ok(fs::read_to_string(dir.join(CHECKPOINT))?)
}

/// The log's verifier key and origin, for offline verification elsewhere.
pub fn identity(dir: &Path) -> Result<(String, String)> {
    let config = load_config(dir)?;
    Ok((config.verifier_key, config.origin))
}
