//! Test support for the Stella Ops crates.
//!
//! **Architecture Invariant:** the pure crates (`stellaops-core`, `-analyzers`, `-policy`,
//! `-attest`) never perform I/O. Their unit tests still need fixture files, an opt-in
//! environment switch or a stopwatch; those go through this crate, which the pure crates may
//! only take as a *dev-dependency*. The tidy test in `tests/tidy.rs` enforces both halves:
//! no `std::fs`, `std::env`, clock, process or network calls in the pure crates' sources, and
//! this crate never among their normal dependencies.

use std::path::{Path, PathBuf};

/// File-system access for tests.
pub mod fs {
    use std::path::{Path, PathBuf};

    /// `std::fs::read`.
    pub fn read(path: impl AsRef<Path>) -> std::io::Result<Vec<u8>> {
        std::fs::read(path)
    }

    /// `std::fs::read_to_string`.
    pub fn read_to_string(path: impl AsRef<Path>) -> std::io::Result<String> {
        std::fs::read_to_string(path)
    }

    /// `std::fs::read_dir`.
    pub fn read_dir(path: impl AsRef<Path>) -> std::io::Result<std::fs::ReadDir> {
        std::fs::read_dir(path)
    }

    /// Files (not directories) directly in `dir`, sorted by path.
    pub fn files_in(dir: impl AsRef<Path>) -> std::io::Result<Vec<PathBuf>> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            if entry.file_type()?.is_file() {
                out.push(entry.path());
            }
        }
        out.sort();
        Ok(out)
    }
}

/// Environment switches for opt-in tests.
pub mod env {
    /// `std::env::var`.
    pub fn var(name: &str) -> Result<String, std::env::VarError> {
        std::env::var(name)
    }
}

/// A stopwatch for the `#[ignore]`d throughput checks (never a timed assertion).
pub mod clock {
    /// `std::time::Instant::now`.
    pub fn now() -> std::time::Instant {
        std::time::Instant::now()
    }
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `../shared/fixtures` beside the repository.
pub fn fixtures_dir() -> PathBuf {
    repo_root().join("../shared/fixtures")
}

/// Bytes of a shared fixture, by path relative to `shared/fixtures`; panics naming it.
pub fn fixture(rel: &str) -> Vec<u8> {
    let path = fixtures_dir().join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}
