#![no_main]
//! The entrypoint-script parser and the EntryTrace interpreter on arbitrary text: parsing
//! returns `Ok`/`Err` without panicking; when it parses, tracing the text as an entrypoint
//! script (also as a `sh -c` string) terminates without panicking.

use libfuzzer_sys::fuzz_target;
use stellaops_analyzers::entrytrace::{shell, trace, ImageFs};
use stellaops_core::entry_trace::EntryConfig;

/// A tiny image: `/entry.sh` holds the input, a few native programs around it.
struct FuzzFs<'a> {
    script: &'a str,
}

const NATIVE: [&str; 6] = [
    "/bin/sh",
    "/bin/bash",
    "/usr/bin/env",
    "/usr/local/bin/node",
    "/usr/bin/java",
    "/usr/sbin/gosu",
];

impl ImageFs for FuzzFs<'_> {
    fn resolve(&self, path: &str) -> Option<String> {
        (path == "/entry.sh" || path == "/" || path == "/app" || NATIVE.contains(&path))
            .then(|| path.to_string())
    }
    fn is_file(&self, real: &str) -> bool {
        real == "/entry.sh" || NATIVE.contains(&real)
    }
    fn script(&self, real: &str) -> Option<&str> {
        (real == "/entry.sh").then_some(self.script)
    }
    fn is_native(&self, real: &str) -> bool {
        NATIVE.contains(&real)
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if shell::parse(&text).is_err() {
        return;
    }
    let script = format!("#!/bin/sh\n{text}");
    let fs = FuzzFs { script: &script };
    let config = EntryConfig {
        entrypoint: vec!["/entry.sh".to_string()],
        cmd: vec!["node".to_string(), "-x".to_string()],
        env: vec!["PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin".to_string()],
        working_dir: Some("/app".to_string()),
        user: None,
    };
    let t = trace(&config, &fs);
    assert!(t.steps.len() <= 64, "too many steps: {}", t.steps.len());
    let config = EntryConfig {
        entrypoint: vec!["/bin/sh".to_string(), "-c".to_string(), text.into_owned()],
        ..config
    };
    let _ = trace(&config, &fs);
});
