//! Builds one layer's fragment from its entries, whatever they come from (a tar stream or a
//! directory walk): path normalisation, whiteouts, bounded capture of the files the analyzers
//! want, and hard links to captured files.

use std::collections::HashMap;
use std::io::{self, Read};

use stellaops_core::fragment::{Entry, EntryKind, LayerFragment, LayerRef, ANALYZER_VERSION};
use stellaops_core::Diagnostic;

use crate::capture::{self, Capture};
use crate::image::path::{self, file_name, join, parent};
use crate::image::Limits;

/// Kind of an entry before normalisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawKind {
    /// Regular file of `size` bytes.
    File {
        /// Size in bytes (logical size for sparse files).
        size: u64,
    },
    /// Directory.
    Dir,
    /// Symbolic link to `target` (bytes as stored).
    Symlink {
        /// Link target.
        target: Vec<u8>,
    },
    /// Hard link to another entry of the same layer.
    Hardlink {
        /// Path linked to, as stored.
        target: Vec<u8>,
    },
    /// Device, FIFO, socket.
    Other,
}

const OPAQUE_MARKER: &str = ".wh..wh..opq";
const WHITEOUT_PREFIX: &str = ".wh.";

/// Accumulates one layer's fragment.
pub struct LayerBuilder {
    fragment: LayerFragment,
    limits: Limits,
    /// Metadata files captured so far, for hard links that point at them.
    small_files: HashMap<String, Vec<u8>>,
}

impl LayerBuilder {
    /// Start a fragment for `layer`.
    pub fn new(layer: LayerRef, limits: Limits) -> Self {
        LayerBuilder {
            fragment: LayerFragment {
                analyzer_version: ANALYZER_VERSION.to_owned(),
                layer,
                ..LayerFragment::default()
            },
            limits,
            small_files: HashMap::new(),
        }
    }

    /// Record a problem without stopping.
    pub fn warn(&mut self, path: Option<String>, message: impl Into<String>) {
        self.fragment
            .diagnostics
            .push(Diagnostic::warning(path, message));
    }

    /// Number of entries recorded so far.
    pub fn entry_count(&self) -> usize {
        self.fragment.entries.len()
    }

    /// The path of the last entry recorded, for error messages.
    pub fn last_path(&self) -> Option<&str> {
        self.fragment.entries.last().map(|e| e.path.as_str())
    }

    /// Add one entry. `content` is read only when the analyzers want the file; an `Err` is a
    /// failure of the underlying stream, which ends the layer.
    pub fn add(
        &mut self,
        raw_path: &[u8],
        kind: RawKind,
        content: &mut dyn Read,
    ) -> io::Result<()> {
        if self.fragment.entries.len() as u64 >= self.limits.max_entries {
            return Err(io::Error::other(format!(
                "more than {} entries in one layer",
                self.limits.max_entries
            )));
        }
        let path = match path::normalize(raw_path) {
            Ok(p) => p,
            Err(e) => {
                let shown = String::from_utf8_lossy(raw_path).into_owned();
                self.warn(Some(shown), format!("entry ignored: {e}"));
                return Ok(());
            }
        };
        if path.is_empty() {
            return Ok(()); // the root directory itself
        }
        let name = file_name(&path);
        if name == OPAQUE_MARKER {
            self.fragment.opaque_dirs.push(parent(&path).to_owned());
            return Ok(());
        }
        if let Some(hidden) = name.strip_prefix(WHITEOUT_PREFIX) {
            if !hidden.starts_with(".wh.") && !hidden.is_empty() {
                self.fragment.whiteouts.push(join(parent(&path), hidden));
            }
            // `.wh..wh.*` other than the opaque marker are aufs bookkeeping: not content.
            return Ok(());
        }
        let kind = match kind {
            RawKind::File { size } => {
                self.capture_file(&path, size, content)?;
                EntryKind::File { size }
            }
            RawKind::Dir => EntryKind::Dir,
            RawKind::Symlink { target } => EntryKind::Symlink {
                target: String::from_utf8_lossy(&target).into_owned(),
            },
            RawKind::Hardlink { target } => match path::normalize(&target) {
                Ok(target) => {
                    self.capture_hardlink(&path, &target);
                    EntryKind::Hardlink { target }
                }
                Err(e) => {
                    self.warn(
                        Some(format!("/{path}")),
                        format!("hard link ignored: target {e}"),
                    );
                    return Ok(());
                }
            },
            RawKind::Other => EntryKind::Other,
        };
        self.fragment.entries.push(Entry { path, kind });
        Ok(())
    }

    fn capture_file(&mut self, path: &str, size: u64, content: &mut dyn Read) -> io::Result<()> {
        let Some(capture) = capture::classify(path) else {
            return Ok(());
        };
        let limit = capture::size_limit(&capture, &self.limits);
        if size > limit {
            self.warn(
                Some(format!("/{path}")),
                format!("file of {size} bytes is larger than the {limit}-byte limit; not analyzed"),
            );
            return Ok(());
        }
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).min(1 << 26));
        content.take(limit + 1).read_to_end(&mut bytes)?;
        self.analyze(path, &capture, &bytes);
        if !matches!(
            capture,
            Capture::DpkgStatus | Capture::DpkgStatusD | Capture::ApkInstalled | Capture::RpmDb
        ) {
            self.small_files.insert(path.to_owned(), bytes);
        }
        Ok(())
    }

    fn capture_hardlink(&mut self, path: &str, target: &str) {
        let Some(capture) = capture::classify(path) else {
            return;
        };
        match self.small_files.get(target).cloned() {
            Some(bytes) => self.analyze(path, &capture, &bytes),
            None => self.warn(
                Some(format!("/{path}")),
                format!("hard link to /{target}, whose content was not kept; not analyzed"),
            ),
        }
    }

    fn analyze(&mut self, path: &str, capture: &Capture, bytes: &[u8]) {
        let (fact, diagnostics) = capture::analyze(path, capture, bytes);
        self.fragment.diagnostics.extend(diagnostics);
        match fact {
            Some(f) => {
                self.fragment.facts.insert(path.to_owned(), f);
            }
            None => {
                self.fragment.facts.remove(path);
            }
        }
    }

    /// Set the layer identity (digests are known only once the stream is read).
    pub fn layer_mut(&mut self) -> &mut LayerRef {
        &mut self.fragment.layer
    }

    /// The finished fragment.
    pub fn finish(self) -> LayerFragment {
        self.fragment
    }
}
