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

/// Every file under `shared/fixtures/<base>/<dir>`, as paths relative to `<base>/`, sorted.
pub fn fixture_tree(base: &str, dir: &str) -> Vec<String> {
    let root = fixtures_dir().join(base);
    let mut out = Vec::new();
    let mut stack = vec![root.join(dir)];
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).unwrap_or_else(|e| panic!("read_dir {}: {e}", d.display()));
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(rel) = p.strip_prefix(&root) {
                out.push(rel.to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

/// Data rows of a `shared/fixtures/version-comparison/<name>` TSV: comment lines (`#`) and
/// blank lines skipped, the header row checked to start with `header_start` and dropped.
/// Each row is returned as (the line, its tab-separated fields).
pub fn version_rows(name: &str, header_start: &str) -> Vec<(String, Vec<String>)> {
    let text = String::from_utf8(fixture(&format!("version-comparison/{name}")))
        .unwrap_or_else(|e| panic!("{name}: not UTF-8: {e}"));
    let mut lines = text
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
    let header = lines.next().unwrap_or_default();
    assert!(
        header.starts_with(header_start),
        "{name}: unexpected header {header:?}"
    );
    let rows: Vec<_> = lines
        .map(|l| (l.to_owned(), l.split('\t').map(str::to_owned).collect()))
        .collect();
    assert!(!rows.is_empty(), "{name}: no rows");
    rows
}

/// `-1`, `0`, `1` as an ordering (the version tables' expected column).
pub fn expected_ordering(text: &str) -> std::cmp::Ordering {
    match text {
        "-1" => std::cmp::Ordering::Less,
        "0" => std::cmp::Ordering::Equal,
        "1" => std::cmp::Ordering::Greater,
        other => panic!("bad expected value {other:?}"),
    }
}
