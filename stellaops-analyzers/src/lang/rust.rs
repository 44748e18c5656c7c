//! Rust crates: the dependency list `cargo auditable` embeds in binaries (installed), and
//! `Cargo.lock` of source trees (declared).
//!
//! **cargo-auditable.** The section `.dep-v0` (ELF and PE `.dep-v0`, Mach-O `__DATA,.dep-v0`)
//! holds zlib-compressed JSON `{"packages":[{"name","version","source","kind"?,
//! "dependencies"?,"root"?}],...}`. Every package except those of `"kind":"build"` (build
//! dependencies, which ran at build time but are not linked in) becomes a package with
//! `cargo:source` (`crates.io`, `local`, `git`, `registry`, `other`) and `cargo:root=true` for
//! the binary's own crate. Decompression is bounded (see [`MAX_AUDIT_JSON`]).
//!
//! **Cargo.lock.** A line-oriented reader of the TOML subset Cargo writes (`[[package]]`
//! tables of `name`, `version`, `source`, `checksum`; version 1 lockfiles keep checksums
//! in `[metadata]` as `"checksum NAME VERSION (SOURCE)" = "..."`). The `.crate` checksum
//! (sha256) goes to `hashes["sha256"]`. Packages without `source` (the workspace's own crates
//! and path dependencies) are kept. A line that cannot be read, or a package without name or
//! version, is a warning naming the file; the rest of the file is still used.

use std::collections::BTreeMap;
use std::io::Read;

use serde_json::Value;
use stellaops_core::Diagnostic;

use super::golang::exe::Exe;
use super::{purl, Confidence, Evidence, LangEcosystem, LangPackage, LangScan};

/// Section name of the cargo-auditable dependency list.
const DEP_SECTION: &str = ".dep-v0";
/// Upper bound of the decompressed JSON: cargo-auditable's own reader uses 8 MiB.
pub const MAX_AUDIT_JSON: usize = 8 << 20;
/// zlib cannot expand more than about 1032:1; never allow more than that of the input.
const MAX_INFLATE_RATIO: usize = 1032;

/// Packages of the cargo-auditable data in an executable (ELF, PE or Mach-O). Empty when the
/// file has no `.dep-v0` section; a warning naming `path` when the section is unreadable.
pub fn scan_auditable_binary(path: &str, bytes: &[u8]) -> LangScan {
    let mut scan = LangScan::default();
    let warn = |scan: &mut LangScan, msg: String| {
        scan.diagnostics
            .push(Diagnostic::warning(Some(path.to_owned()), msg));
    };
    // Cheap test first: the section name is in the file's string or section table.
    if !contains(bytes, DEP_SECTION.as_bytes()) {
        return scan;
    }
    let exe = match Exe::parse(bytes) {
        Ok(Some(exe)) => exe,
        Ok(None) => return scan,
        Err(e) => {
            warn(&mut scan, format!("cargo-auditable data unreadable: {e}"));
            return scan;
        }
    };
    let Some(section) = exe
        .section(DEP_SECTION, Some("__DATA"))
        .or_else(|| exe.section(DEP_SECTION, None))
    else {
        return scan;
    };
    let Some(compressed) = exe.section_data(section) else {
        warn(
            &mut scan,
            format!(
                "cargo-auditable section {DEP_SECTION} ({} bytes at {:#x}) lies outside the file",
                section.file_size, section.offset
            ),
        );
        return scan;
    };
    let json = match inflate(compressed) {
        Ok(json) => json,
        Err(e) => {
            warn(&mut scan, format!("cargo-auditable data: {e}"));
            return scan;
        }
    };
    let doc: Value = match serde_json::from_slice(&json) {
        Ok(v) => v,
        Err(e) => {
            warn(&mut scan, format!("cargo-auditable data is not JSON: {e}"));
            return scan;
        }
    };
    let Some(list) = doc.get("packages").and_then(Value::as_array) else {
        warn(
            &mut scan,
            "cargo-auditable data has no \"packages\" list".to_owned(),
        );
        return scan;
    };
    for (i, p) in list.iter().enumerate() {
        let field = |k: &str| p.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
        let (Some(name), Some(version)) = (field("name"), field("version")) else {
            warn(
                &mut scan,
                format!("cargo-auditable package #{i} has no name or version; skipped"),
            );
            continue;
        };
        if field("kind") == Some("build") {
            continue;
        }
        let mut properties = BTreeMap::new();
        if let Some(source) = field("source") {
            properties.insert("cargo:source".to_owned(), source.to_owned());
        }
        if p.get("root").and_then(Value::as_bool) == Some(true) {
            properties.insert("cargo:root".to_owned(), "true".to_owned());
        }
        scan.packages.push(package(
            name,
            version,
            path,
            Evidence::Installed,
            BTreeMap::new(),
            properties,
        ));
    }
    scan
}

/// Inflate zlib data, refusing output beyond [`MAX_AUDIT_JSON`] or the zlib ratio bound.
fn inflate(compressed: &[u8]) -> Result<Vec<u8>, String> {
    let limit = MAX_AUDIT_JSON.min(compressed.len().saturating_mul(MAX_INFLATE_RATIO));
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(compressed)
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("invalid zlib stream: {e}"))?;
    if out.len() > limit {
        return Err(format!("decompresses to more than {limit} bytes"));
    }
    Ok(out)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(hay, needle).is_some()
}

fn package(
    name: &str,
    version: &str,
    location: &str,
    evidence: Evidence,
    hashes: BTreeMap<String, String>,
    properties: BTreeMap<String, String>,
) -> LangPackage {
    LangPackage {
        ecosystem: LangEcosystem::Cargo,
        namespace: None,
        name: name.to_owned(),
        version: version.to_owned(),
        purl: purl(LangEcosystem::Cargo, None, name, version, &[]),
        licenses: Vec::new(),
        evidence,
        confidence: Confidence::High,
        location: location.to_owned(),
        hashes,
        files: Vec::new(),
        properties,
    }
}

/// One `[[package]]` table being read.
#[derive(Default)]
struct LockEntry {
    line: usize,
    name: Option<String>,
    version: Option<String>,
    source: Option<String>,
    checksum: Option<String>,
}

/// Which table the reader is in.
#[derive(PartialEq)]
enum Table {
    Root,
    Package,
    Metadata,
    Other,
}

/// Packages declared by a `Cargo.lock` at `path`.
pub fn parse_cargo_lock(path: &str, bytes: &[u8]) -> LangScan {
    let mut scan = LangScan::default();
    let warn = |scan: &mut LangScan, msg: String| {
        scan.diagnostics
            .push(Diagnostic::warning(Some(path.to_owned()), msg));
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            warn(&mut scan, format!("Cargo.lock is not UTF-8: {e}"));
            return scan;
        }
    };
    let mut entries: Vec<LockEntry> = Vec::new();
    let mut metadata_checksums: BTreeMap<String, String> = BTreeMap::new();
    let mut table = Table::Root;
    let mut lines = text.lines();
    let mut lineno = 0usize;
    while let Some(raw) = lines.next() {
        lineno += 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') {
            let header = strip_comment(line).trim();
            table = match header {
                "[[package]]" => {
                    entries.push(LockEntry {
                        line: lineno,
                        ..LockEntry::default()
                    });
                    Table::Package
                }
                "[metadata]" => Table::Metadata,
                _ if header.starts_with("[[") == header.ends_with("]]")
                    && header.ends_with(']') =>
                {
                    Table::Other
                }
                _ => {
                    warn(&mut scan, format!("line {lineno}: malformed table header"));
                    Table::Other
                }
            };
            continue;
        }
        let Some((key, rest)) = split_key(line) else {
            warn(&mut scan, format!("line {lineno}: expected key = value"));
            continue;
        };
        // Values may continue on following lines (arrays, multi-line strings).
        let start = lineno;
        let mut counted = CountLines {
            inner: &mut lines,
            count: &mut lineno,
        };
        let value = match read_value(rest, &mut counted) {
            Ok(v) => v,
            Err(e) => {
                warn(&mut scan, format!("line {start}: {e}"));
                continue;
            }
        };
        match table {
            Table::Package => {
                if let (Some(entry), Some(s)) = (entries.last_mut(), value) {
                    match key.as_str() {
                        "name" => entry.name = Some(s),
                        "version" => entry.version = Some(s),
                        "source" => entry.source = Some(s),
                        "checksum" => entry.checksum = Some(s),
                        _ => {}
                    }
                }
            }
            Table::Metadata => {
                if let (Some(k), Some(v)) = (key.strip_prefix("checksum "), value) {
                    metadata_checksums.insert(k.to_owned(), v);
                }
            }
            Table::Root | Table::Other => {}
        }
    }

    for e in entries {
        let (Some(name), Some(version)) = (
            e.name.filter(|s| !s.is_empty()),
            e.version.filter(|s| !s.is_empty()),
        ) else {
            warn(
                &mut scan,
                format!(
                    "[[package]] at line {} has no name or version; skipped",
                    e.line
                ),
            );
            continue;
        };
        let checksum = e.checksum.or_else(|| {
            let key = match &e.source {
                Some(s) => format!("{name} {version} ({s})"),
                None => format!("{name} {version}"),
            };
            metadata_checksums.get(&key).cloned()
        });
        let mut hashes = BTreeMap::new();
        let mut properties = BTreeMap::new();
        if let Some(source) = e.source {
            properties.insert("cargo:source".to_owned(), source);
        }
        if let Some(sum) = checksum {
            if sum.len() == 64 && sum.bytes().all(|b| b.is_ascii_hexdigit()) {
                hashes.insert("sha256".to_owned(), sum.to_ascii_lowercase());
            } else {
                properties.insert("cargo:checksum".to_owned(), sum);
            }
        }
        scan.packages.push(package(
            &name,
            &version,
            path,
            Evidence::Declared,
            hashes,
            properties,
        ));
    }
    scan
}

/// Line iterator that keeps the caller's line counter right while a value spans lines.
struct CountLines<'a, 't, I: Iterator<Item = &'t str>> {
    inner: &'a mut I,
    count: &'a mut usize,
}

impl<'t, I: Iterator<Item = &'t str>> Iterator for CountLines<'_, 't, I> {
    type Item = &'t str;
    fn next(&mut self) -> Option<&'t str> {
        let line = self.inner.next()?;
        *self.count += 1;
        Some(line)
    }
}

/// `key = rest` with a bare or quoted key; the key unquoted.
fn split_key(line: &str) -> Option<(String, &str)> {
    let (key, rest) = if let Some(after) = line.strip_prefix('"') {
        let end = find_closing(after, "\"", true)?;
        (unescape(after.get(..end)?, false)?, after.get(end + 1..)?)
    } else if let Some(after) = line.strip_prefix('\'') {
        let end = after.find('\'')?;
        (after.get(..end)?.to_owned(), after.get(end + 1..)?)
    } else {
        let end = line.find(|c: char| c == '=' || c.is_whitespace())?;
        let key = line.get(..end)?;
        let ok = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !ok {
            return None;
        }
        (key.to_owned(), line.get(end..)?)
    };
    let rest = rest.trim_start().strip_prefix('=')?;
    Some((key, rest.trim_start()))
}

/// TOML multi-line string delimiters: (delimiter, basic i.e. with escapes).
const MULTILINE: [(&str, bool); 2] = [("\"\"\"", true), ("'''", false)];

/// Read the value of a key: `first` is the text after `=`; arrays and multi-line strings
/// take further lines from `lines` (each line is looked at once). `Ok(Some)` for a string,
/// `Ok(None)` for any other value (arrays, numbers, booleans, inline tables).
fn read_value<'t>(
    first: &'t str,
    lines: &mut impl Iterator<Item = &'t str>,
) -> Result<Option<String>, &'static str> {
    let t = first.trim();
    let after = |rest: &str| -> Result<(), &'static str> {
        if strip_comment(rest).trim().is_empty() {
            Ok(())
        } else {
            Err("unexpected text after value")
        }
    };
    for (delim, basic) in MULTILINE {
        let Some(mut cur) = t.strip_prefix(delim) else {
            continue;
        };
        let mut content = String::new();
        loop {
            if let Some(end) = find_closing(cur, delim, basic) {
                content.push_str(cur.get(..end).unwrap_or_default());
                after(cur.get(end + delim.len()..).unwrap_or_default())?;
                break;
            }
            content.push_str(cur);
            content.push('\n');
            cur = lines.next().ok_or("multi-line string not terminated")?;
        }
        // A newline right after the opening delimiter is not part of the value.
        let content = content.strip_prefix('\n').unwrap_or(&content);
        return if basic {
            unescape(content, true)
                .map(Some)
                .ok_or("invalid escape in string")
        } else {
            Ok(Some(content.to_owned()))
        };
    }
    if let Some(body) = t.strip_prefix('"') {
        let end = find_closing(body, "\"", true).ok_or("unterminated string")?;
        after(body.get(end + 1..).unwrap_or_default())?;
        return unescape(body.get(..end).unwrap_or_default(), false)
            .map(Some)
            .ok_or("invalid escape in string");
    }
    if let Some(body) = t.strip_prefix('\'') {
        let end = body.find('\'').ok_or("unterminated string")?;
        after(body.get(end + 1..).unwrap_or_default())?;
        return Ok(Some(body.get(..end).unwrap_or_default().to_owned()));
    }
    if t.starts_with('[') || t.starts_with('{') {
        let inline_table = t.starts_with('{');
        let mut depth = 0usize;
        let mut cur = t;
        loop {
            if let Some(rest) = close_brackets(cur, &mut depth)? {
                after(rest)?;
                return Ok(None);
            }
            if inline_table {
                return Err("inline table not closed on its line");
            }
            cur = lines
                .next()
                .ok_or("array not terminated before end of file")?;
        }
    }
    if t.is_empty() || t.starts_with('#') {
        return Err("missing value");
    }
    // Numbers, booleans, dates: not needed.
    Ok(None)
}

/// Byte offset of the first `delim` in `s` not escaped by a backslash (basic strings only).
fn find_closing(s: &str, delim: &str, basic: bool) -> Option<usize> {
    let b = s.as_bytes();
    let d = delim.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if basic && c == b'\\' {
            i += 2;
            continue;
        }
        if b.get(i..).is_some_and(|rest| rest.starts_with(d)) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Decode the escapes of a basic string's content; in multi-line strings a backslash at the
/// end of a line joins it with the next non-blank text.
fn unescape(s: &str, multiline: bool) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            if c == '\n' && !multiline {
                return None;
            }
            out.push(c);
            continue;
        }
        let e = chars.next()?;
        match e {
            'b' => out.push('\x08'),
            't' => out.push('\t'),
            'n' => out.push('\n'),
            'f' => out.push('\x0c'),
            'r' => out.push('\r'),
            'e' => out.push('\x1b'),
            '"' => out.push('"'),
            '\\' => out.push('\\'),
            'u' | 'U' => {
                let n = if e == 'u' { 4 } else { 8 };
                let mut v = 0u32;
                for _ in 0..n {
                    v = v
                        .checked_mul(16)?
                        .checked_add(chars.next()?.to_digit(16)?)?;
                }
                out.push(char::from_u32(v)?);
            }
            ' ' | '\t' | '\r' | '\n' if multiline => {
                // Line-ending backslash: skip the whitespace and newlines that follow.
                let mut saw_newline = e == '\n';
                while let Some(&w) = chars.peek() {
                    if !w.is_whitespace() {
                        break;
                    }
                    saw_newline |= w == '\n';
                    chars.next();
                }
                if !saw_newline {
                    return None;
                }
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Track bracket depth through one line of an array or inline table (strings and comments
/// respected): the text after the closing bracket, `None` when still open at line end.
fn close_brackets<'t>(line: &'t str, depth: &mut usize) -> Result<Option<&'t str>, &'static str> {
    let b = line.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'[' | b'{' => *depth += 1,
            b']' | b'}' => {
                *depth = depth.checked_sub(1).ok_or("unbalanced brackets")?;
                if *depth == 0 {
                    return Ok(line.get(i + 1..));
                }
            }
            b'"' | b'\'' => {
                let body = line.get(i + 1..).unwrap_or_default();
                let (delim, basic) = if c == b'"' {
                    ("\"", true)
                } else {
                    ("'", false)
                };
                let end = find_closing(body, delim, basic).ok_or("unterminated string in array")?;
                i += end + 1;
            }
            b'#' => return Ok(None),
            _ => {}
        }
        i += 1;
    }
    Ok(None)
}

/// Text before a `#` comment (only used where no string follows).
fn strip_comment(s: &str) -> &str {
    s.find('#').and_then(|at| s.get(..at)).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::lang::golang::testbin::{self, Sec, Seg};
    use stellaops_core::Severity;

    /// Test-only: a file under the shared fixtures or this crate's tests/fixtures.
    fn read(path: String) -> Vec<u8> {
        stellaops_testkit::fs::read(&path).unwrap_or_else(|e| panic!("read {path}: {e}"))
    }

    fn shared(rel: &str) -> Vec<u8> {
        read(format!(
            "{}/../../shared/fixtures/lang-packages/{rel}",
            env!("CARGO_MANIFEST_DIR")
        ))
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    const AUDIT_JSON: &str = r#"{"packages":[
        {"name":"cfg-if","version":"1.0.4","source":"crates.io","kind":"build"},
        {"name":"app","version":"0.3.0","source":"local","dependencies":[2,3],"root":true},
        {"name":"serde","version":"1.0.228","source":"crates.io","kind":"runtime"},
        {"name":"mycrate","version":"0.1.0-alpha.1","source":"git"}
    ],"format":1}"#;

    fn ids(scan: &LangScan) -> Vec<(&str, Option<&str>, Option<&str>)> {
        scan.packages
            .iter()
            .map(|p| {
                (
                    p.purl.as_str(),
                    p.properties.get("cargo:source").map(String::as_str),
                    p.properties.get("cargo:root").map(String::as_str),
                )
            })
            .collect()
    }

    fn warning(scan: &LangScan, path: &str) -> String {
        assert!(scan.packages.is_empty(), "{:?}", scan.packages);
        assert_eq!(scan.diagnostics.len(), 1, "{:?}", scan.diagnostics);
        let d = &scan.diagnostics[0];
        assert_eq!(
            (d.severity, d.path.as_deref()),
            (Severity::Warning, Some(path))
        );
        d.message.clone()
    }

    #[test]
    fn auditable_real_binary() {
        let bin = read(format!(
            "{}/tests/fixtures/rust/hello-auditable-linux-x86_64",
            env!("CARGO_MANIFEST_DIR")
        ));
        let scan = scan_auditable_binary("/usr/bin/hello-auditable", &bin);
        assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
        // cfg-if is a build dependency: recorded, not linked, not reported.
        assert_eq!(
            ids(&scan),
            [
                (
                    "pkg:cargo/hello-auditable@0.1.0",
                    Some("local"),
                    Some("true")
                ),
                ("pkg:cargo/itoa@1.0.15", Some("crates.io"), None),
            ]
        );
        for p in &scan.packages {
            assert_eq!(p.ecosystem, LangEcosystem::Cargo);
            assert_eq!(
                (p.evidence, p.confidence),
                (Evidence::Installed, Confidence::High)
            );
            assert_eq!(p.location, "/usr/bin/hello-auditable");
        }
    }

    #[test]
    fn auditable_in_every_format() {
        let data = zlib(AUDIT_JSON.as_bytes());
        let want = [
            ("pkg:cargo/app@0.3.0", Some("local"), Some("true")),
            ("pkg:cargo/serde@1.0.228", Some("crates.io"), None),
            ("pkg:cargo/mycrate@0.1.0-alpha.1", Some("git"), None),
        ];
        let bins = [
            testbin::elf(true, false, &[Sec::new(".dep-v0", 0, data.clone())]),
            testbin::elf(false, true, &[Sec::new(".dep-v0", 0x8000, data.clone())]),
            testbin::pe(
                true,
                0x1_4000_0000,
                &[Sec::new(".dep-v0", 0x3000, data.clone())],
                None,
            ),
            testbin::macho(&[
                Seg::new("__TEXT", 0x1_0000_0000, 5, &[("__text", vec![0; 16])]),
                Seg::new("__DATA", 0x1_0000_4000, 3, &[(".dep-v0", data.clone())]),
            ]),
            testbin::fat(&[testbin::macho(&[Seg::new(
                "__DATA",
                0x4000,
                3,
                &[(".dep-v0", data.clone())],
            )])]),
        ];
        for bin in &bins {
            let scan = scan_auditable_binary("/b", bin);
            assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
            assert_eq!(ids(&scan), want);
        }
    }

    #[test]
    fn auditable_absent() {
        for bytes in [
            Vec::new(),
            b"just text mentioning .dep-v0".to_vec(),
            testbin::elf(true, false, &[Sec::new(".data", 0x1000, vec![1; 32])]),
        ] {
            assert_eq!(scan_auditable_binary("/b", &bytes), LangScan::default());
        }
    }

    #[test]
    fn auditable_damaged() {
        let elf = |data: Vec<u8>| testbin::elf(true, false, &[Sec::new(".dep-v0", 0, data)]);
        let msg = warning(
            &scan_auditable_binary("/b", &elf(b"not zlib".to_vec())),
            "/b",
        );
        assert!(msg.contains("invalid zlib"), "{msg}");
        let mut truncated = zlib(AUDIT_JSON.as_bytes());
        truncated.truncate(truncated.len() / 2);
        let msg = warning(&scan_auditable_binary("/b", &elf(truncated)), "/b");
        assert!(msg.contains("invalid zlib"), "{msg}");
        let msg = warning(
            &scan_auditable_binary("/b", &elf(zlib(b"{\"packages\": ["))),
            "/b",
        );
        assert!(msg.contains("not JSON"), "{msg}");
        let msg = warning(
            &scan_auditable_binary("/b", &elf(zlib(b"{\"pkgs\": []}"))),
            "/b",
        );
        assert!(msg.contains("no \"packages\""), "{msg}");
        // A decompression bomb: 9 MiB of spaces is refused, not allocated.
        let bomb = zlib(&vec![b' '; 9 << 20]);
        assert!(bomb.len() < 64 << 10);
        let msg = warning(&scan_auditable_binary("/b", &elf(bomb)), "/b");
        assert!(msg.contains("more than"), "{msg}");
        // A package without a version is skipped with a warning; the others are kept.
        let scan = scan_auditable_binary(
            "/b",
            &elf(zlib(
                br#"{"packages":[{"name":"x"},{"name":"y","version":"1.0.0"},7]}"#,
            )),
        );
        assert_eq!(scan.packages.len(), 1);
        assert_eq!(scan.diagnostics.len(), 2);
        // The section's file range lies outside the file: patch its sh_offset.
        let mut bin = elf(zlib(AUDIT_JSON.as_bytes()));
        let shoff = u64::from_le_bytes(bin[0x28..0x30].try_into().unwrap()) as usize;
        let sh_offset = shoff + 64 + 24;
        bin[sh_offset..sh_offset + 8].copy_from_slice(&0xffff_0000u64.to_le_bytes());
        let msg = warning(&scan_auditable_binary("/b", &bin), "/b");
        assert!(msg.contains("outside the file"), "{msg}");
        // Broken executable headers around a .dep-v0 name.
        let mut bin = elf(zlib(AUDIT_JSON.as_bytes()));
        bin[4] = 0;
        let msg = warning(&scan_auditable_binary("/b", &bin), "/b");
        assert!(msg.contains("unreadable"), "{msg}");
    }

    #[test]
    fn mutated_auditable_binaries_never_panic() {
        let data = zlib(AUDIT_JSON.as_bytes());
        let bases = [
            testbin::elf(true, false, &[Sec::new(".dep-v0", 0, data.clone())]),
            testbin::pe(
                false,
                0x40_0000,
                &[Sec::new(".dep-v0", 0x3000, data.clone())],
                None,
            ),
            testbin::macho(&[Seg::new("__DATA", 0x4000, 3, &[(".dep-v0", data.clone())])]),
        ];
        for (i, base) in bases.iter().enumerate() {
            for m in testbin::mutations(base, 0x5151 + i as u64, 1500) {
                let _ = scan_auditable_binary("/m", &m);
            }
        }
    }

    fn lock_ids(scan: &LangScan) -> Vec<String> {
        scan.packages
            .iter()
            .map(|p| format!("{}@{}", p.name, p.version))
            .collect()
    }

    #[test]
    fn cargo_lock_syft() {
        let scan = parse_cargo_lock("/src/Cargo.lock", &shared("syft/rust/Cargo.lock"));
        assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
        assert_eq!(
            lock_ids(&scan),
            [
                "ansi_term@0.12.1",
                "errno@0.3.9",
                "matches@0.1.8",
                "memchr@2.3.3",
                "natord@1.0.9",
                "nom@4.2.3",
                "schannel@0.1.26",
                "unicode-bidi@0.3.4",
                "version_check@0.1.5",
                "winapi@0.3.9",
                "winapi-i686-pc-windows-gnu@0.4.0",
                "winapi-x86_64-pc-windows-gnu@0.4.0",
                "windows-sys@0.52.0",
                "windows-sys@0.59.0",
            ]
        );
        let first = &scan.packages[0];
        assert_eq!(first.purl, "pkg:cargo/ansi_term@0.12.1");
        assert_eq!(
            (first.evidence, first.confidence),
            (Evidence::Declared, Confidence::High)
        );
        assert_eq!(first.location, "/src/Cargo.lock");
        assert_eq!(
            first.hashes.get("sha256").map(String::as_str),
            Some("d52a9bb7ec0cf484c551830a7ce27bd20d67eac647e1befb56b0be4ee39a55d2")
        );
        assert_eq!(
            first.properties.get("cargo:source").map(String::as_str),
            Some("registry+https://cargo-registry.example/index")
        );
        assert!(scan
            .packages
            .iter()
            .all(|p| p.hashes.contains_key("sha256")));
    }

    #[test]
    fn cargo_lock_git_and_path_dependencies() {
        let scan = parse_cargo_lock("/l", &shared("syft/rust/Cargo.lock-with-git-deps"));
        assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
        assert_eq!(scan.packages.len(), 12);
        let git: Vec<String> = scan
            .packages
            .iter()
            .filter(|p| {
                p.properties
                    .get("cargo:source")
                    .is_some_and(|s| s.starts_with("git+"))
            })
            .map(|p| format!("{}@{}", p.name, p.version))
            .collect();
        assert_eq!(
            git,
            ["regex@1.11.1", "regex-automata@0.4.9", "regex-syntax@0.8.5"]
        );
        // The workspace's own crate has no source and no checksum.
        let root = scan
            .packages
            .iter()
            .find(|p| p.name == "hello_world")
            .unwrap();
        assert!(root.properties.is_empty() && root.hashes.is_empty());

        let scan = parse_cargo_lock("/l", &shared("syft/rust/path-deps/Cargo.lock"));
        assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
        assert_eq!(
            lock_ids(&scan),
            ["app@1.0.0", "memchr@2.7.4", "telemetry@0.1.0"]
        );
    }

    #[test]
    fn cargo_lock_trivy() {
        let scan = parse_cargo_lock("/l", &shared("trivy/rust/cargo/cargo_normal.lock"));
        assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
        assert_eq!(
            lock_ids(&scan),
            [
                "libc@0.2.54",
                "normal@0.1.0",
                "unsafe-any@0.4.2",
                "typemap@0.3.3",
                "idna@0.1.5",
                "matches@0.1.8",
                "percent-encoding@1.0.1",
                "url@1.7.2",
            ]
        );
        // Version 1 lockfile: the checksum comes from [metadata].
        assert_eq!(
            scan.packages[0].hashes.get("sha256").map(String::as_str),
            Some("c6785aa7dd976f5fbf3b71cfd9cd49d7f783c1ff565a858d71031c6c313aa5c6")
        );

        let scan = parse_cargo_lock("/l", &shared("trivy/rust/cargo/cargo_v3.lock"));
        assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
        assert_eq!(scan.packages.len(), 9);
        assert!(lock_ids(&scan).contains(&"memchr@1.0.2".to_owned()));
        assert!(lock_ids(&scan).contains(&"memchr@2.5.0".to_owned()));

        // Comments, blank lines, [metadata] in the middle, a """multi-line""" version.
        let scan = parse_cargo_lock("/l", &shared("trivy/rust/cargo/cargo_mixed.lock"));
        assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
        assert_eq!(scan.packages.len(), 8);
        let url = scan.packages.iter().find(|p| p.name == "url").unwrap();
        assert_eq!(url.version, "1.7.2");
        let libc = scan.packages.iter().find(|p| p.name == "libc").unwrap();
        assert!(libc.hashes.contains_key("sha256"));
    }

    #[test]
    fn cargo_lock_invalid_is_partial_with_diagnostics() {
        let scan = parse_cargo_lock(
            "/bad/Cargo.lock",
            &shared("trivy/rust/cargo/cargo_invalid.lock"),
        );
        assert_eq!(
            lock_ids(&scan),
            ["libc@0.2.54", "typemap@0.3.3", "url@1.7.2"]
        );
        let messages: Vec<&str> = scan
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("missing value"), "{messages:?}");
        assert!(messages[1].contains("no name or version"), "{messages:?}");
        assert!(scan
            .diagnostics
            .iter()
            .all(|d| d.path.as_deref() == Some("/bad/Cargo.lock")));
    }

    #[test]
    fn cargo_lock_toml_subset() {
        let lock = "version = 4 # comment\n\
            [[package]] # a comment\n\
            name = \"esc\\u00e9\\\"q\"\n\
            'version' = '1.0.0'\n\
            source = \"registry+https://example.invalid/#frag\" # trailing\n\
            checksum = \"ABCDEF\"\n\
            dependencies = [\n  \"a ]\", # ] in a comment\n  'b',\n]\n\
            features = { x = [1, 2] }\n\
            [[package]]\n\
            name = \"\"\"\nmulti\\\n    line\"\"\"\n\
            version = '''\n2.0.0'''\n\
            [package.extra]\n\
            name = \"ignored\"\n\
            version = \"9\"\n";
        let scan = parse_cargo_lock("/l", lock.as_bytes());
        assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
        assert_eq!(lock_ids(&scan), ["esc\u{e9}\"q@1.0.0", "multiline@2.0.0"]);
        let p = &scan.packages[0];
        assert_eq!(
            p.properties.get("cargo:checksum").map(String::as_str),
            Some("ABCDEF")
        );
        assert_eq!(
            p.properties.get("cargo:source").map(String::as_str),
            Some("registry+https://example.invalid/#frag")
        );
        assert!(p.hashes.is_empty());
    }

    #[test]
    fn cargo_lock_malformed_lines() {
        let lock = "[[package]\nname = \"a\" junk\nname = \"b\nversion = \"\\q\"\n= 3\n\
            dependencies = [ \"x\n[[package]]\nname = \"c\"\nversion = \"1\"\n\
            deps = [\n \"x\",\n";
        let scan = parse_cargo_lock("/l", lock.as_bytes());
        assert_eq!(lock_ids(&scan), ["c@1"]);
        let messages: Vec<&str> = scan
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            messages,
            [
                "line 1: malformed table header",
                "line 2: unexpected text after value",
                "line 3: unterminated string",
                "line 4: invalid escape in string",
                "line 5: expected key = value",
                "line 6: unterminated string in array",
                "line 10: array not terminated before end of file",
            ]
        );
        assert_eq!(
            parse_cargo_lock("/l", b"\xff\xfe").diagnostics[0].message,
            "Cargo.lock is not UTF-8: invalid utf-8 sequence of 1 bytes from index 0"
        );
    }

    #[test]
    fn mutated_lockfiles_never_panic() {
        let base = shared("trivy/rust/cargo/cargo_mixed.lock");
        for m in testbin::mutations(&base, 99, 3000) {
            let _ = parse_cargo_lock("/m", &m);
        }
        for text in [
            "\"",
            "'",
            "[",
            "x = \"\"\"",
            "x = [[[",
            "x = {",
            "\"k\\",
            "x = \"\\U0011ffff\"",
        ] {
            let _ = parse_cargo_lock("/m", text.as_bytes());
        }
    }
}
