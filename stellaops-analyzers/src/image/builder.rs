//! Builds one layer's fragment from its entries, whatever they come from (a tar stream or a
//! directory walk): path normalisation, whiteouts, bounded capture of the files the analyzers
//! want, and hard links to captured files.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Read};
use std::sync::Arc;

use sha2::{Digest as _, Sha256};
use stellaops_core::fragment::{Entry, EntryKind, Fact, LayerFragment, LayerRef, ANALYZER_VERSION};
use stellaops_core::Diagnostic;

use crate::capture::cache::{CachedFile, FileCache};
use crate::capture::content::{self, Sniffed, SNIFF_BYTES};
use crate::capture::lang::{DistPart, LangCapture};
use crate::capture::{self, Capture};
use crate::image::path::{self, file_name, join, parent};
use crate::image::{AnalyzerSet, Limits};

/// Kind of an entry before normalisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawKind {
    /// Regular file of `size` bytes.
    File {
        /// Size in bytes (logical size for sparse files).
        size: u64,
        /// Permission bits (`0o755`...); only the execute bits are used.
        mode: u32,
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
    /// Lockfiles are read too (a `dir:` scan of a source tree).
    source_tree: bool,
    /// Which analyzers run.
    analyzers: AnalyzerSet,
    /// Parse results of binaries and archives by content digest.
    file_cache: Option<Arc<dyn FileCache>>,
    /// Files of installed Python distributions, by metadata directory, parsed at the end.
    python: BTreeMap<String, PythonDist>,
}

/// The files of one Python distribution seen so far.
#[derive(Default)]
struct PythonDist {
    metadata: Option<(String, Vec<u8>)>,
    record: Option<Vec<u8>>,
    direct_url: Option<Vec<u8>>,
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
            source_tree: false,
            analyzers: AnalyzerSet::default(),
            file_cache: None,
            python: BTreeMap::new(),
        }
    }

    /// Read lockfiles too: the input is a source tree, not an installed system.
    #[must_use]
    pub fn source_tree(mut self, yes: bool) -> Self {
        self.source_tree = yes;
        self
    }

    /// Run only `analyzers` (OS package databases are always read).
    #[must_use]
    pub fn analyzers(mut self, analyzers: AnalyzerSet) -> Self {
        self.analyzers = analyzers;
        self
    }

    /// Reuse and record parse results of binaries and archives in `cache`.
    #[must_use]
    pub fn file_cache(mut self, cache: Option<Arc<dyn FileCache>>) -> Self {
        self.file_cache = cache;
        self
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
            RawKind::File { size, mode } => {
                self.capture_file(&path, size, mode, content)?;
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

    fn capture_file(
        &mut self,
        path: &str,
        size: u64,
        mode: u32,
        content: &mut dyn Read,
    ) -> io::Result<()> {
        match capture::classify(path, self.source_tree) {
            Some(Capture::Lang(_)) if !self.analyzers.lang => Ok(()),
            Some(capture) => self.capture_known(path, size, capture, content),
            None if self.analyzers.binaries && size >= 4 && content::worth_sniffing(path, mode) => {
                self.capture_sniffed(path, size, content)
            }
            None => Ok(()),
        }
    }

    fn too_large(&mut self, path: &str, size: u64, limit: u64) -> bool {
        if size > limit {
            self.warn(
                Some(format!("/{path}")),
                format!("file of {size} bytes is larger than the {limit}-byte limit; not analyzed"),
            );
        }
        size > limit
    }

    fn capture_known(
        &mut self,
        path: &str,
        size: u64,
        capture: Capture,
        content: &mut dyn Read,
    ) -> io::Result<()> {
        let limit = capture::size_limit(&capture, &self.limits);
        if self.too_large(path, size, limit) {
            return Ok(());
        }
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).min(1 << 26));
        content.take(limit + 1).read_to_end(&mut bytes)?;
        match &capture {
            Capture::Lang(LangCapture::PythonDist { dir, part }) => {
                let dist = self.python.entry(dir.clone()).or_default();
                match part {
                    DistPart::Metadata => dist.metadata = Some((path.to_owned(), bytes)),
                    DistPart::Record => dist.record = Some(bytes),
                    DistPart::DirectUrl => dist.direct_url = Some(bytes),
                }
                return Ok(());
            }
            Capture::Lang(LangCapture::JavaArchive) => {
                let capture = capture.clone();
                self.cached(path, &bytes, |bytes| {
                    capture::analyze(path, &capture, bytes)
                });
                return Ok(());
            }
            _ => {}
        }
        self.analyze(path, &capture, &bytes);
        if !matches!(
            capture,
            Capture::DpkgStatus | Capture::DpkgStatusD | Capture::ApkInstalled | Capture::RpmDb
        ) {
            self.small_files.insert(path.to_owned(), bytes);
        }
        Ok(())
    }

    fn capture_sniffed(&mut self, path: &str, size: u64, content: &mut dyn Read) -> io::Result<()> {
        let mut head = Vec::with_capacity(SNIFF_BYTES);
        content.take(SNIFF_BYTES as u64).read_to_end(&mut head)?;
        match content::sniff(&head) {
            Some(Sniffed::Native) => {
                let limit = self.limits.max_binary_bytes;
                if self.too_large(path, size, limit) {
                    return Ok(());
                }
                let mut bytes = head;
                bytes.reserve(usize::try_from(size).unwrap_or(0).min(1 << 28));
                content.take(limit + 1).read_to_end(&mut bytes)?;
                self.cached(path, &bytes, |bytes| {
                    let sha256 = hex::encode(Sha256::digest(bytes));
                    content::analyze_binary(path, bytes, &sha256)
                });
            }
            Some(Sniffed::Script) if size <= self.limits.max_script_bytes => {
                let mut bytes = head;
                content
                    .take(self.limits.max_script_bytes)
                    .read_to_end(&mut bytes)?;
                if let Some(fact) = content::analyze_script(&bytes) {
                    self.fragment.facts.insert(path.to_owned(), fact);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Parse `bytes` with `parse`, or reuse the result for the same content.
    fn cached(
        &mut self,
        path: &str,
        bytes: &[u8],
        parse: impl FnOnce(&[u8]) -> (Option<Fact>, Vec<Diagnostic>),
    ) {
        let key = self
            .file_cache
            .as_ref()
            .map(|_| format!("sha256:{}", hex::encode(Sha256::digest(bytes))));
        let hit = match (&self.file_cache, &key) {
            (Some(cache), Some(key)) => cache.get(key).filter(|e| e.reusable_at(path)),
            _ => None,
        };
        let entry = match hit {
            Some(entry) => entry.relocated(path),
            None => {
                let (fact, diagnostics) = parse(bytes);
                let entry = CachedFile {
                    path: path.to_owned(),
                    fact,
                    diagnostics,
                };
                if let (Some(cache), Some(key)) = (&self.file_cache, &key) {
                    cache.put(key, bytes.len() as u64, &entry);
                }
                entry
            }
        };
        self.apply(path, entry);
    }

    fn apply(&mut self, path: &str, entry: CachedFile) {
        self.fragment.diagnostics.extend(entry.diagnostics);
        match entry.fact {
            Some(f) => {
                self.fragment.facts.insert(path.to_owned(), f);
            }
            None => {
                self.fragment.facts.remove(path);
            }
        }
    }

    fn capture_hardlink(&mut self, path: &str, target: &str) {
        // Binaries, scripts and archives: the target's fact, moved to this path.
        if let Some(fact) = self.fragment.facts.get(target) {
            if matches!(
                fact,
                Fact::Binary { .. } | Fact::Script { .. } | Fact::LangPackages { .. }
            ) && !self.small_files.contains_key(target)
            {
                let entry = CachedFile {
                    path: target.to_owned(),
                    fact: Some(fact.clone()),
                    diagnostics: Vec::new(),
                };
                if entry.reusable_at(path) {
                    self.apply(path, entry.relocated(path));
                } else {
                    self.warn(
                        Some(format!("/{path}")),
                        format!(
                            "hard link to /{target}, identified only by its file name; not analyzed"
                        ),
                    );
                }
                return;
            }
        }
        let Some(capture) = capture::classify(path, self.source_tree) else {
            return;
        };
        if let Capture::Lang(LangCapture::PythonDist { .. }) = capture {
            self.warn(
                Some(format!("/{path}")),
                format!("hard link to /{target} in Python metadata; not analyzed"),
            );
            return;
        }
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

    /// The finished fragment: Python distributions are parsed now that all their files
    /// were seen.
    pub fn finish(mut self) -> LayerFragment {
        for dist in std::mem::take(&mut self.python).into_values() {
            let Some((path, metadata)) = dist.metadata else {
                continue; // RECORD without metadata in this layer: nothing to report
            };
            let (fact, diagnostics) = capture::lang::analyze_python(
                &path,
                &metadata,
                dist.record.as_deref(),
                dist.direct_url.as_deref(),
            );
            self.apply(
                &path,
                CachedFile {
                    path: path.clone(),
                    fact,
                    diagnostics,
                },
            );
        }
        self.fragment
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    /// A cache that counts what it is asked.
    #[derive(Default)]
    struct Counting {
        entries: Mutex<HashMap<String, CachedFile>>,
        hits: Mutex<usize>,
        puts: Mutex<usize>,
    }

    impl FileCache for Counting {
        fn get(&self, digest: &str) -> Option<CachedFile> {
            let hit = self.entries.lock().unwrap().get(digest).cloned();
            if hit.is_some() {
                *self.hits.lock().unwrap() += 1;
            }
            hit
        }
        fn put(&self, digest: &str, _size: u64, entry: &CachedFile) {
            *self.puts.lock().unwrap() += 1;
            self.entries
                .lock()
                .unwrap()
                .insert(digest.to_owned(), entry.clone());
        }
    }

    fn go_binary() -> Vec<u8> {
        let path = format!(
            "{}/tests/fixtures/go/hello-linux-amd64",
            env!("CARGO_MANIFEST_DIR")
        );
        stellaops_testkit::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn add_file(b: &mut LayerBuilder, path: &str, mode: u32, bytes: &[u8]) {
        let size = bytes.len() as u64;
        b.add(
            path.as_bytes(),
            RawKind::File { size, mode },
            &mut &bytes[..],
        )
        .unwrap();
    }

    #[test]
    fn identical_binaries_are_parsed_once_and_moved_to_their_path() {
        let cache = Arc::new(Counting::default());
        let shared: Arc<dyn FileCache> = cache.clone();
        let bin = go_binary();
        let mut first = LayerBuilder::new(LayerRef::default(), Limits::default())
            .file_cache(Some(shared.clone()));
        add_file(&mut first, "usr/bin/hello", 0o755, &bin);
        let mut second =
            LayerBuilder::new(LayerRef::default(), Limits::default()).file_cache(Some(shared));
        add_file(&mut second, "opt/other/hello", 0o755, &bin);
        let (a, b) = (first.finish(), second.finish());
        assert_eq!(*cache.puts.lock().unwrap(), 1);
        assert_eq!(*cache.hits.lock().unwrap(), 1);
        let Some(Fact::Binary { packages, .. }) = b.facts.get("opt/other/hello") else {
            panic!("{:#?}", b.facts);
        };
        assert!(!packages.is_empty());
        assert!(packages.iter().all(|p| p.location == "/opt/other/hello"));
        assert!(matches!(
            a.facts.get("usr/bin/hello"),
            Some(Fact::Binary { .. })
        ));
    }

    #[test]
    fn python_metadata_and_record_in_any_order() {
        let mut b = LayerBuilder::new(LayerRef::default(), Limits::default());
        let dir = "usr/lib/python3/dist-packages/six-1.16.0.dist-info";
        add_file(
            &mut b,
            &format!("{dir}/RECORD"),
            0o644,
            b"six.py,sha256=abc,100\nsix-1.16.0.dist-info/METADATA,,\n",
        );
        add_file(
            &mut b,
            &format!("{dir}/METADATA"),
            0o644,
            b"Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\nLicense: MIT\n",
        );
        let fragment = b.finish();
        let Some(Fact::LangPackages { packages, .. }) =
            fragment.facts.get(&format!("{dir}/METADATA"))
        else {
            panic!("{:#?}", fragment.facts);
        };
        assert_eq!(packages[0].purl, "pkg:pypi/six@1.16.0");
        assert!(packages[0]
            .files
            .contains(&"/usr/lib/python3/dist-packages/six.py".to_owned()));
    }

    #[test]
    fn non_executable_files_are_not_sniffed_and_binaries_can_be_switched_off() {
        let bin = go_binary();
        let mut b = LayerBuilder::new(LayerRef::default(), Limits::default());
        add_file(&mut b, "usr/share/doc/hello", 0o644, &bin);
        assert!(b.finish().facts.is_empty());
        let mut b =
            LayerBuilder::new(LayerRef::default(), Limits::default()).analyzers(AnalyzerSet {
                lang: true,
                binaries: false,
            });
        add_file(&mut b, "usr/bin/hello", 0o755, &bin);
        assert!(b.finish().facts.is_empty());
    }
}
