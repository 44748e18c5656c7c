//! A content-addressed cache of what one file's bytes gave: identical binaries and archives
//! in many layers or images (same SHA-256) are parsed once.
//!
//! The analyzers only define the interface; the host decides where entries live (memory for
//! one scan, a directory across scans). Entries are stored against the path they were first
//! parsed at and moved to the new path on reuse ([`CachedFile::relocated`]).

use serde::{Deserialize, Serialize};
use stellaops_core::fragment::Fact;
use stellaops_core::Diagnostic;

/// What parsing one file gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CachedFile {
    /// Normalised path the file was parsed at.
    pub path: String,
    /// The fact, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact: Option<Fact>,
    /// Problems met.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
}

/// Where parse results are kept, keyed by `sha256:<hex>` of the file plus the analyzer
/// version (the host includes [`stellaops_core::fragment::ANALYZER_VERSION`] in its key).
pub trait FileCache: Send + Sync {
    /// The entry for `digest`, if present.
    fn get(&self, digest: &str) -> Option<CachedFile>;
    /// Store the entry for `digest`, the result of parsing `size` bytes (hosts may keep only
    /// large entries on disk, where a hit saves more than the write costs).
    fn put(&self, digest: &str, size: u64, entry: &CachedFile);
}

impl CachedFile {
    /// Whether the result holds for the same bytes at `path`: always at the same path;
    /// elsewhere only when nothing in it was named after the file name (low-confidence
    /// identities come from the name, which differs).
    pub fn reusable_at(&self, path: &str) -> bool {
        let low = |packages: &[stellaops_core::lang::LangPackage]| {
            packages
                .iter()
                .any(|p| p.confidence == stellaops_core::lang::Confidence::Low)
        };
        self.path == path
            || !matches!(
                &self.fact,
                Some(Fact::LangPackages { packages, .. } | Fact::Binary { packages, .. })
                    if low(packages)
            )
    }

    /// The same result for the same bytes found at `path`: locations and diagnostic paths
    /// under the old path are moved under the new one.
    #[must_use]
    pub fn relocated(mut self, path: &str) -> CachedFile {
        if self.path == path {
            return self;
        }
        let old = format!("/{}", self.path);
        let new = format!("/{path}");
        let moved = |s: &mut String| {
            if let Some(rest) = s.strip_prefix(&old) {
                if rest.is_empty() || rest.starts_with('!') || rest.starts_with('/') {
                    *s = format!("{new}{rest}");
                }
            }
        };
        if let Some(fact) = &mut self.fact {
            match fact {
                Fact::LangPackages { packages, .. } => {
                    for p in packages {
                        moved(&mut p.location);
                    }
                }
                Fact::Binary { packages, .. } => {
                    for p in packages {
                        moved(&mut p.location);
                    }
                }
                _ => {}
            }
        }
        for d in &mut self.diagnostics {
            if let Some(p) = &mut d.path {
                moved(p);
            }
        }
        self.path = path.to_owned();
        self
    }
}
