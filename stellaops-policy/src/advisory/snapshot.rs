//! The advisory snapshot: every normalised record plus KEV and EPSS enrichment, with a
//! deterministic export (canonical JSON lines, sorted) whose SHA-256 is the
//! `concelierSnapshotHash`.
//!
//! Records are keyed by (source, id, scope): importing the same document again replaces its
//! records (imports are idempotent); `scope` separates records that one source publishes per
//! document (Alpine secdb branches, CSAF advisories mentioning the same CVE).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::ingest::Ingested;
use super::model::{Advisory, EpssScore, KevEntry};

/// Format line written first in every export.
pub const FORMAT: &str = "stellaops.concelier.snapshot/v1";

/// The advisory database in memory.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    records: BTreeMap<(String, String, String), Advisory>,
    kev: BTreeMap<String, KevEntry>,
    epss: BTreeMap<String, EpssScore>,
    /// Hash of the bytes this snapshot was read from, while it is unchanged since.
    loaded_hash: Option<String>,
}

/// One line of the export.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum Line {
    Format { format: String },
    Advisory(Box<Advisory>),
    Kev(KevEntry),
    Epss(EpssScore),
}

/// What an import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpsertStats {
    /// Records new to the snapshot.
    pub added: usize,
    /// Records that replaced a different earlier version.
    pub replaced: usize,
    /// Records identical to what was there.
    pub unchanged: usize,
}

/// Counts for `stella db stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotStats {
    /// Advisory records.
    pub records: usize,
    /// Records per source.
    pub records_by_source: BTreeMap<String, usize>,
    /// Affected-package entries.
    pub affected_entries: usize,
    /// Affected entries per ecosystem (with release for distributions).
    pub affected_by_ecosystem: BTreeMap<String, usize>,
    /// Ranges marked unusable (unparsable versions, unknown ecosystems).
    pub unusable_ranges: usize,
    /// KEV entries.
    pub kev: usize,
    /// EPSS scores.
    pub epss: usize,
}

/// A snapshot file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("snapshot line {line}: {message}")]
pub struct SnapshotError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

fn scope(adv: &Advisory) -> String {
    match adv.provenance.source.as_str() {
        "alpine-secdb" | "csaf" => adv.provenance.document.clone(),
        _ => String::new(),
    }
}

impl Snapshot {
    /// An empty snapshot.
    pub fn new() -> Self {
        Snapshot::default()
    }

    /// Add or replace the records of one ingested document.
    pub fn upsert(&mut self, ingested: Ingested) -> UpsertStats {
        self.loaded_hash = None;
        let mut stats = UpsertStats::default();
        for adv in ingested.advisories {
            let key = (adv.provenance.source.clone(), adv.id.clone(), scope(&adv));
            match self.records.insert(key, adv.clone()) {
                None => stats.added += 1,
                Some(old) if old == adv => stats.unchanged += 1,
                Some(_) => stats.replaced += 1,
            }
        }
        for k in ingested.kev {
            self.kev.insert(k.cve.clone(), k);
        }
        for e in ingested.epss {
            self.epss.insert(e.cve.clone(), e);
        }
        stats
    }

    /// Every advisory record, in key order.
    pub fn advisories(&self) -> impl Iterator<Item = &Advisory> {
        self.records.values()
    }

    /// KEV entry of a CVE.
    pub fn kev(&self, cve: &str) -> Option<&KevEntry> {
        self.kev.get(cve)
    }

    /// EPSS score of a CVE.
    pub fn epss(&self, cve: &str) -> Option<&EpssScore> {
        self.epss.get(cve)
    }

    /// The canonical export: one JSON object per line (keys sorted), records sorted by
    /// (source, id, scope), then KEV and EPSS by CVE.
    pub fn to_jsonl(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.records.len() * 512);
        let mut push = |line: &Line| {
            // Serialising through `Value` sorts object keys (no `preserve_order`).
            if let Ok(v) = serde_json::to_value(line) {
                if let Ok(bytes) = serde_json::to_vec(&v) {
                    out.extend_from_slice(&bytes);
                    out.push(b'\n');
                }
            }
        };
        push(&Line::Format {
            format: FORMAT.to_owned(),
        });
        for adv in self.records.values() {
            push(&Line::Advisory(Box::new(adv.clone())));
        }
        for k in self.kev.values() {
            push(&Line::Kev(k.clone()));
        }
        for e in self.epss.values() {
            push(&Line::Epss(e.clone()));
        }
        out
    }

    /// `sha256:<hex>` of [`Snapshot::to_jsonl`]: the `concelierSnapshotHash`. For a snapshot
    /// read with [`Snapshot::from_jsonl`] and not changed since, the hash of the bytes read
    /// (the export is canonical, so re-serialising would give the same bytes).
    pub fn hash(&self) -> String {
        match &self.loaded_hash {
            Some(h) => h.clone(),
            None => hash_bytes(&self.to_jsonl()),
        }
    }

    /// Read an export back.
    pub fn from_jsonl(bytes: &[u8]) -> Result<Self, SnapshotError> {
        let mut snap = Snapshot::new();
        for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let parsed: Line = serde_json::from_slice(line).map_err(|e| SnapshotError {
                line: i + 1,
                message: e.to_string(),
            })?;
            match parsed {
                Line::Format { format } if format == FORMAT => {}
                Line::Format { format } => {
                    return Err(SnapshotError {
                        line: i + 1,
                        message: format!(
                            "unsupported snapshot format {format:?} (expected {FORMAT})"
                        ),
                    })
                }
                Line::Advisory(adv) => {
                    let key = (adv.provenance.source.clone(), adv.id.clone(), scope(&adv));
                    snap.records.insert(key, *adv);
                }
                Line::Kev(k) => {
                    snap.kev.insert(k.cve.clone(), k);
                }
                Line::Epss(e) => {
                    snap.epss.insert(e.cve.clone(), e);
                }
            }
        }
        snap.loaded_hash = Some(hash_bytes(bytes));
        Ok(snap)
    }

    /// Counts.
    pub fn stats(&self) -> SnapshotStats {
        let mut s = SnapshotStats {
            records: self.records.len(),
            kev: self.kev.len(),
            epss: self.epss.len(),
            ..SnapshotStats::default()
        };
        for adv in self.records.values() {
            *s.records_by_source
                .entry(adv.provenance.source.clone())
                .or_default() += 1;
            for a in &adv.affected {
                s.affected_entries += 1;
                let eco = match &a.package.release {
                    Some(r) => format!("{}:{r}", a.package.ecosystem),
                    None => a.package.ecosystem.clone(),
                };
                *s.affected_by_ecosystem.entry(eco).or_default() += 1;
                s.unusable_ranges += a.ranges.iter().filter(|r| r.unusable.is_some()).count();
            }
        }
        s
    }
}

/// `sha256:<hex>` of bytes.
pub fn hash_bytes(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}
