//! The layer fragment cache: one JSON file per (analyzer version, layer diff id). A fragment
//! is a pure function of the layer's bytes and the analyzer version, so a hit is reused for
//! every image that shares the layer. Writes are atomic (temporary file + rename); a damaged
//! entry is ignored and rewritten.

use std::fs;
use std::io::Write;
use std::path::PathBuf;

use sha2::{Digest as _, Sha256};
use stellaops_core::fragment::{LayerFragment, ANALYZER_VERSION};

/// A directory of cached fragments.
pub struct FragmentCache {
    dir: PathBuf,
}

impl FragmentCache {
    /// Use `root`/fragments.
    pub fn new(root: PathBuf) -> Self {
        FragmentCache {
            dir: root.join("fragments"),
        }
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
