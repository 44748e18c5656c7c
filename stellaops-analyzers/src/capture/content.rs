//! Files recognised by their first bytes rather than their path: native executables and
//! shared libraries (ELF, PE, Mach-O), whose headers and embedded build info (Go, cargo
//! auditable) become [`Fact::Binary`], and `#!` scripts, kept as [`Fact::Script`] for
//! EntryTrace.

use stellaops_core::fragment::Fact;
use stellaops_core::Diagnostic;

use crate::image::path::file_name;
use crate::lang::{golang, rust};
use crate::native;

/// Bytes read from the start of a candidate file to recognise it.
pub const SNIFF_BYTES: usize = 64;

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// ELF, PE or Mach-O.
    Native,
    /// Starts with `#!`.
    Script,
}

/// Whether a regular file is worth looking at: an execute bit is set, or its name is that of
/// a shared library, a PE file or a Node.js addon (libraries are often installed `0644`).
pub fn worth_sniffing(path: &str, mode: u32) -> bool {
    mode & 0o111 != 0 || is_library_name(file_name(path))
}

fn is_library_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".so")
        || lower.contains(".so.")
        || [".dll", ".exe", ".dylib", ".node"]
            .iter()
            .any(|ext| lower.ends_with(ext))
}

/// Recognise a file from its first [`SNIFF_BYTES`] bytes.
pub fn sniff(head: &[u8]) -> Option<Sniffed> {
    if native::sniff(head).is_some() {
        Some(Sniffed::Native)
    } else if head.starts_with(b"#!") {
        Some(Sniffed::Script)
    } else {
        None
    }
}

/// Parse a native binary at `path` whose SHA-256 (hex) is `sha256`: headers, then the
/// language packages its build info embeds. An unreadable header is a warning naming the
/// path; the file stays an entry.
pub fn analyze_binary(path: &str, bytes: &[u8], sha256: &str) -> (Option<Fact>, Vec<Diagnostic>) {
    let abs = format!("/{path}");
    let info = match native::parse_binary(bytes) {
        Ok(info) => info,
        Err(e) => {
            return (
                None,
                vec![Diagnostic::warning(
                    Some(abs),
                    format!("executable header unreadable: {e}"),
                )],
            )
        }
    };
    let mut packages = Vec::new();
    let mut diagnostics = Vec::new();
    for scan in [
        golang::scan_go_binary(&abs, bytes),
        rust::scan_auditable_binary(&abs, bytes),
    ] {
        packages.extend(scan.packages);
        diagnostics.extend(scan.diagnostics);
    }
    let fact = Fact::Binary {
        sha256: sha256.to_owned(),
        info,
        packages,
    };
    (Some(fact), diagnostics)
}

/// Keep a `#!` script: its interpreter line and text (invalid UTF-8 replaced).
pub fn analyze_script(bytes: &[u8]) -> Option<Fact> {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let first = text.lines().next()?;
    let shebang = first.strip_prefix("#!")?.trim().to_owned();
    if shebang.is_empty() {
        return None;
    }
    Some(Fact::Script { shebang, text })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_candidates_by_mode_or_name() {
        assert!(worth_sniffing("usr/bin/ls", 0o755));
        assert!(worth_sniffing("usr/lib/x86_64-linux-gnu/libc.so.6", 0o644));
        assert!(worth_sniffing(
            "app/node_modules/x/build/Release/addon.node",
            0o644
        ));
        assert!(worth_sniffing("app/bin/MyApp.dll", 0o644));
        assert!(!worth_sniffing("usr/share/doc/bash/README", 0o644));
    }

    #[test]
    fn keeps_scripts_with_shebang() {
        let fact = analyze_script(b"#!/bin/sh\nset -e\nexec \"$@\"\n");
        assert!(matches!(
            fact,
            Some(Fact::Script { ref shebang, .. }) if shebang == "/bin/sh"
        ));
        assert_eq!(analyze_script(b"#!\n"), None);
        assert_eq!(sniff(b"#!/usr/bin/env python3\n"), Some(Sniffed::Script));
        assert_eq!(sniff(b"hello"), None);
    }
}
