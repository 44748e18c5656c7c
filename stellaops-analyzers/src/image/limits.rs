//! Resource limits applied while reading untrusted layers.

/// Bounds on what one layer may cost. Exceeding one is an error naming the layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most uncompressed bytes one layer may expand to.
    pub max_layer_uncompressed: u64,
    /// Largest uncompressed/compressed ratio tolerated once
    /// [`Limits::ratio_check_after`] bytes have been produced (decompression bombs).
    pub max_compression_ratio: u64,
    /// Uncompressed bytes after which the ratio is enforced.
    pub ratio_check_after: u64,
    /// Largest package database read into memory (rpmdb, dpkg status, apk installed).
    pub max_database_bytes: u64,
    /// Largest small metadata file read (os-release, copyright, file lists).
    pub max_metadata_bytes: u64,
    /// Most entries one layer may hold.
    pub max_entries: u64,
    /// Largest Java archive read into memory (nested archives have their own limits).
    pub max_archive_bytes: u64,
    /// Largest executable or shared library read and parsed.
    pub max_binary_bytes: u64,
    /// Largest `#!` script kept for EntryTrace.
    pub max_script_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_layer_uncompressed: 64 << 30,
            max_compression_ratio: 200,
            ratio_check_after: 256 << 20,
            max_database_bytes: 512 << 20,
            max_metadata_bytes: 16 << 20,
            max_entries: 5_000_000,
            max_archive_bytes: 512 << 20,
            max_binary_bytes: 512 << 20,
            max_script_bytes: 64 << 10,
        }
    }
}

/// Which analyzers run beyond the OS package databases (always read).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AnalyzerSet {
    /// Language package metadata: node_modules, dist-info, jars, deps.json, lockfiles.
    pub lang: bool,
    /// Native binaries and scripts: headers, Go / cargo-auditable build info, `#!` scripts.
    pub binaries: bool,
}

impl Default for AnalyzerSet {
    fn default() -> Self {
        AnalyzerSet {
            lang: true,
            binaries: true,
        }
    }
}

impl AnalyzerSet {
    /// Short stable name, part of cache keys: `os`, `os+lang`, `os+bin`, `os+lang+bin`.
    pub fn key(&self) -> &'static str {
        match (self.lang, self.binaries) {
            (false, false) => "os",
            (true, false) => "os+lang",
            (false, true) => "os+bin",
            (true, true) => "os+lang+bin",
        }
    }
}
