//! Tidy checks of the workspace's shape (rust-analyzer style): the pure crates do no I/O.

use std::path::{Path, PathBuf};

const PURE: [&str; 4] = [
    "stellaops-core",
    "stellaops-analyzers",
    "stellaops-policy",
    "stellaops-attest",
];

/// Calls that mean I/O, the environment, the clock, processes or the network.
const FORBIDDEN: [&str; 12] = [
    "std::fs::",
    "fs::read",
    "File::open",
    "File::create",
    "std::env::var",
    "env::var(",
    "SystemTime::now",
    "Instant::now",
    "std::process::",
    "std::net::",
    "TcpStream",
    "getrandom",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn pure_crates_sources_do_no_io() {
    let root = stellaops_testkit::repo_root();
    let mut offences = Vec::new();
    for krate in PURE {
        let mut files = Vec::new();
        rust_files(&root.join(krate).join("src"), &mut files);
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                for pattern in FORBIDDEN {
                    if code.contains(pattern) && !code.contains("stellaops_testkit::") {
                        offences.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                    }
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "I/O in pure crates (use stellaops_testkit in tests):\n{}",
        offences.join("\n")
    );
}

#[test]
fn testkit_is_only_a_dev_dependency_of_pure_crates() {
    let root = stellaops_testkit::repo_root();
    for krate in PURE {
        let manifest = std::fs::read_to_string(root.join(krate).join("Cargo.toml")).unwrap();
        let mut section = String::new();
        for line in manifest.lines() {
            if line.starts_with('[') {
                section = line.trim().to_owned();
            }
            if line.contains("stellaops-testkit") {
                assert_eq!(
                    section, "[dev-dependencies]",
                    "{krate}: stellaops-testkit outside [dev-dependencies]"
                );
            }
        }
    }
}
