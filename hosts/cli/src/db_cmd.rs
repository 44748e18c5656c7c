//! `stella db import|export|stats`: the local advisory database, a directory holding the
//! canonical snapshot (`snapshot.jsonl`) and a manifest with its hash and what was imported.
//! Offline kits are one `.tar.zst` holding `manifest.json` and `snapshot.jsonl`.

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use stellaops_policy::advisory::ingest;
use stellaops_policy::advisory::snapshot::{hash_bytes, Snapshot, UpsertStats};

const SNAPSHOT: &str = "snapshot.jsonl";
const MANIFEST: &str = "manifest.json";
/// Largest single advisory document read.
const MAX_DOCUMENT: u64 = 1 << 30;

/// The database manifest.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// Always `stellaops.concelier.db/v1`.
    pub format: String,
    /// SHA-256 of `snapshot.jsonl`.
    pub concelier_snapshot_hash: String,
    /// Documents imported, by name, with their hashes (latest import wins).
    pub documents: BTreeMap<String, String>,
}

/// Load the snapshot of a database directory (empty when the directory is new).
pub fn load(db: &Path) -> Result<(Snapshot, Manifest)> {
    let path = db.join(SNAPSHOT);
    if !path.exists() {
        return Ok((Snapshot::new(), Manifest::default()));
    }
    let bytes = fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let manifest: Manifest = match fs::read(db.join(MANIFEST)) {
        Ok(m) => serde_json::from_slice(&m)
            .with_context(|| format!("{}/{MANIFEST} is damaged", db.display()))?,
        Err(_) => Manifest::default(),
    };
    let actual = hash_bytes(&bytes);
    if !manifest.concelier_snapshot_hash.is_empty() && manifest.concelier_snapshot_hash != actual {
        bail!(
            "{} does not match its manifest (hash {actual}, manifest says {}); re-import the sources",
            path.display(),
            manifest.concelier_snapshot_hash
        );
    }
    let snapshot = Snapshot::from_jsonl(&bytes).with_context(|| format!("{}", path.display()))?;
    Ok((snapshot, manifest))
}

fn save(db: &Path, snapshot: &Snapshot, manifest: &mut Manifest) -> Result<String> {
    fs::create_dir_all(db).with_context(|| format!("cannot create {}", db.display()))?;
    let bytes = snapshot.to_jsonl();
    let hash = hash_bytes(&bytes);
    manifest.format = "stellaops.concelier.db/v1".to_owned();
    manifest.concelier_snapshot_hash.clone_from(&hash);
    crate::output::write(Some(&db.join(SNAPSHOT)), &bytes)?;
    let mut m = serde_json::to_vec_pretty(manifest)?;
    m.push(b'\n');
    crate::output::write(Some(&db.join(MANIFEST)), &m)?;
    Ok(hash)
}

/// Files to import under `path` (a file, or every file below a directory, sorted), with the
/// document name recorded for each (path relative to the directory given).
fn documents(path: &Path) -> Result<Vec<(PathBuf, String)>> {
    let meta = fs::metadata(path)
        .with_context(|| format!("{}: no such file or directory", path.display()))?;
    if meta.is_file() {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        return Ok(vec![(path.to_owned(), name)]);
    }
    let mut out = Vec::new();
    let mut stack = vec![path.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).with_context(|| format!("cannot list {}", dir.display()))? {
            let entry = entry?;
            let p = entry.path();
            let ft = entry.file_type()?;
            if ft.is_dir() {
                stack.push(p);
            } else if ft.is_file() {
                let rel = p
                    .strip_prefix(path)
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .into_owned();
                out.push((p, rel));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Outcome of an import, for the summary line.
#[derive(Default)]
pub struct ImportSummary {
    /// Documents read.
    pub documents: usize,
    /// Documents refused (unknown format, malformed).
    pub refused: Vec<String>,
    /// Warnings from the parsers.
    pub warnings: Vec<String>,
    /// Record counts.
    pub stats: UpsertStats,
    /// New snapshot hash.
    pub hash: String,
}

/// Import documents (OSV, Debian tracker, Alpine secdb, CSAF, KEV, EPSS, or an offline kit).
pub fn import(db: &Path, paths: &[PathBuf]) -> Result<ImportSummary> {
    let (mut snapshot, mut manifest) = load(db)?;
    let mut summary = ImportSummary::default();
    for path in paths {
        for (file, name) in documents(path)? {
            let mut bytes = Vec::new();
            fs::File::open(&file)
                .with_context(|| format!("cannot open {}", file.display()))?
                .take(MAX_DOCUMENT)
                .read_to_end(&mut bytes)?;
            summary.documents += 1;
            if name.ends_with(".tar.zst") {
                let kit =
                    read_kit(&bytes).with_context(|| format!("offline kit {}", file.display()))?;
                for adv in kit.advisories() {
                    let s = snapshot.upsert(ingest::Ingested {
                        advisories: vec![adv.clone()],
                        ..Default::default()
                    });
                    add(&mut summary.stats, s);
                }
                manifest.documents.insert(name, hash_bytes(&bytes));
                continue;
            }
            if is_skippable(&name) {
                summary.documents -= 1;
                continue;
            }
            match ingest::ingest(&name, &bytes) {
                Ok(ingested) => {
                    summary
                        .warnings
                        .extend(ingested.warnings.iter().map(|w| format!("{name}: {w}")));
                    add(&mut summary.stats, snapshot.upsert(ingested));
                    manifest.documents.insert(name, hash_bytes(&bytes));
                }
                Err(e) => summary.refused.push(format!("{}: {e}", file.display())),
            }
        }
    }
    summary.hash = save(db, &snapshot, &mut manifest)?;
    Ok(summary)
}

/// Files that are documentation beside feeds, not feeds.
fn is_skippable(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md")
        || lower.ends_with(".yaml")
        || lower.ends_with(".yml")
        || lower.ends_with(".txt")
}

fn add(total: &mut UpsertStats, s: UpsertStats) {
    total.added += s.added;
    total.replaced += s.replaced;
    total.unchanged += s.unchanged;
}

/// Write the canonical export (`.jsonl`), or an offline kit when `output` ends in `.tar.zst`.
pub fn export(db: &Path, output: &Path) -> Result<String> {
    let (snapshot, _) = load(db)?;
    let bytes = snapshot.to_jsonl();
    let hash = hash_bytes(&bytes);
    if output.to_string_lossy().ends_with(".tar.zst") {
        let kit = write_kit(&bytes, &hash)?;
        crate::output::write(Some(output), &kit)?;
    } else {
        crate::output::write(Some(output), &bytes)?;
    }
    Ok(hash)
}

fn write_kit(snapshot: &[u8], hash: &str) -> Result<Vec<u8>> {
    let manifest = serde_json::to_vec_pretty(&serde_json::json!({
        "format": "stellaops.concelier.kit/v1",
        "files": { SNAPSHOT: hash },
        "concelierSnapshotHash": hash,
    }))?;
    let mut tar = tar::Builder::new(Vec::new());
    for (name, data) in [(MANIFEST, manifest.as_slice()), (SNAPSHOT, snapshot)] {
        let mut h = tar::Header::new_ustar();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_mtime(0);
        h.set_cksum();
        tar.append_data(&mut h, name, data)?;
    }
    let tar = tar.into_inner()?;
    Ok(ruzstd::encoding::compress_to_vec(
        &tar[..],
        ruzstd::encoding::CompressionLevel::Fastest,
    ))
}

fn read_kit(bytes: &[u8]) -> Result<Snapshot> {
    let mut decoder = ruzstd::decoding::StreamingDecoder::new(bytes).context("not zstd")?;
    let mut tar_bytes = Vec::new();
    decoder.by_ref().take(8 << 30).read_to_end(&mut tar_bytes)?;
    let mut archive = tar::Archive::new(&tar_bytes[..]);
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for entry in archive.entries()? {
        let mut entry = entry?;
        let name = entry.path()?.to_string_lossy().into_owned();
        if name == MANIFEST || name == SNAPSHOT {
            let mut data = Vec::new();
            entry.read_to_end(&mut data)?;
            files.insert(name, data);
        }
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(files.get(MANIFEST).context("kit has no manifest.json")?)?;
    let snapshot = files.get(SNAPSHOT).context("kit has no snapshot.jsonl")?;
    let want = manifest["files"][SNAPSHOT].as_str().unwrap_or_default();
    let got = hash_bytes(snapshot);
    if want != got {
        bail!("snapshot.jsonl hash {got} does not match the kit manifest ({want})");
    }
    Ok(Snapshot::from_jsonl(snapshot)?)
}

/// Print `stats` as JSON.
pub fn stats(db: &Path) -> Result<()> {
    let (snapshot, manifest) = load(db)?;
    let body = serde_json::json!({
        "concelierSnapshotHash": snapshot.hash(),
        "documents": manifest.documents.len(),
        "stats": snapshot.stats(),
    });
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &body)?;
    writeln!(out)?;
    Ok(())
}
