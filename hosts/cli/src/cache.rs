//! The caches. Layer fragments: one JSON file per (analyzer version, layer diff id). A fragment
//! is a pure function of the layer's bytes and the analyzer version, so a hit is reused for
//! every image that shares the layer. Writes are atomic (temporary file + rename); a damaged
//! entry is ignored and rewritten. File facts: [`FileFactCache`].

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

use stellaops_analyzers::capture::cache::{CachedFile, FileCache};

use sha2::{Digest as _, Sha256};
use stellaops_core::fragment::{LayerFragment, ANALYZER_VERSION};

/// A directory of cached fragments.
pub struct FragmentCache {
    root: PathBuf,
    dir: PathBuf,
}

impl FragmentCache {
    /// Use `root`/fragments.
    pub fn new(root: PathBuf) -> Self {
        FragmentCache {
            dir: root.join("fragments"),
            root,
        }
    }

    /// The cache root (other caches live beside the fragments).
    pub fn root(&self) -> &std::path::Path {
        &self.root
    }

    fn path(&self, key: &str) -> PathBuf {
        let mut h = Sha256::new();
        h.update(ANALYZER_VERSION.as_bytes());
        h.update([0]);
        h.update(key.as_bytes());
        self.dir.join(format!("{}.json", hex::encode(h.finalize())))
    }

    /// The cached fragment for `key`, if present and readable.
    pub fn get(&self, key: &str) -> Option<LayerFragment> {
        let bytes = fs::read(self.path(key)).ok()?;
        let fragment: LayerFragment = serde_json::from_slice(&bytes).ok()?;
        (fragment.analyzer_version == ANALYZER_VERSION).then_some(fragment)
    }

    /// Store `fragment` under `key`; failures only lose the cache entry.
    pub fn put(&self, key: &str, fragment: &LayerFragment) {
        let Ok(bytes) = serde_json::to_vec(fragment) else {
            return;
        };
        if fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let target = self.path(key);
        let tmp = target.with_extension(format!("tmp{}", std::process::id()));
        let ok = fs::File::create(&tmp)
            .and_then(|mut f| f.write_all(&bytes).and_then(|()| f.sync_all()))
            .is_ok();
        if ok {
            let _ = fs::rename(&tmp, &target);
        } else {
            let _ = fs::remove_file(&tmp);
        }
    }
}

/// Parse results of binaries and archives by content digest ([`FileCache`]): in memory for
/// the whole scan (all layers), and on disk under `root`/files for entries whose file was
/// at least [`FileFactCache::DISK_MIN_BYTES`] long (small files parse faster than a cache
/// file can be written).
pub struct FileFactCache {
    dir: Option<PathBuf>,
    memory: Mutex<HashMap<String, CachedFile>>,
}

impl FileFactCache {
    /// Smallest file whose parse result is written to disk.
    pub const DISK_MIN_BYTES: u64 = 1 << 20;

    /// A cache kept in memory, and under `root`/files when a root is given.
    pub fn new(root: Option<PathBuf>) -> Self {
        FileFactCache {
            dir: root.map(|r| r.join("files")),
            memory: Mutex::new(HashMap::new()),
        }
    }

    fn path(&self, key: &str) -> Option<PathBuf> {
        let mut h = Sha256::new();
        h.update(ANALYZER_VERSION.as_bytes());
        h.update([0]);
        h.update(key.as_bytes());
        Some(
            self.dir
                .as_ref()?
                .join(format!("{}.json", hex::encode(h.finalize()))),
        )
    }
}

impl FileCache for FileFactCache {
    fn get(&self, digest: &str) -> Option<CachedFile> {
        if let Some(hit) = self.memory.lock().ok()?.get(digest) {
            return Some(hit.clone());
        }
        let bytes = fs::read(self.path(digest)?).ok()?;
        let entry: CachedFile = serde_json::from_slice(&bytes).ok()?;
        if let Ok(mut m) = self.memory.lock() {
            m.insert(digest.to_owned(), entry.clone());
        }
        Some(entry)
    }

    fn put(&self, digest: &str, size: u64, entry: &CachedFile) {
        if let Ok(mut m) = self.memory.lock() {
            m.insert(digest.to_owned(), entry.clone());
        }
        if size < Self::DISK_MIN_BYTES {
            return;
        }
        let (Some(dir), Some(target)) = (&self.dir, self.path(digest)) else {
            return;
        };
        let Ok(bytes) = serde_json::to_vec(entry) else {
            return;
        };
        if fs::create_dir_all(dir).is_err() {
            return;
        }
        let tmp = target.with_extension(format!("tmp{}", std::process::id()));
        if fs::write(&tmp, &bytes).is_ok() {
            let _ = fs::rename(&tmp, &target);
        } else {
            let _ = fs::remove_file(&tmp);
        }
    }
}
