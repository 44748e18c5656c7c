//! Go modules compiled into executables: the build info the Go toolchain (>= 1.13) embeds
//! in every binary it links.
//!
//! The linker writes a 32-byte header starting with `\xff Go buildinf:` (16-byte aligned, in
//! `.go.buildinfo` on ELF, `__DATA,__go_buildinfo` on Mach-O, the first read-write data
//! section on PE). Byte 14 is the pointer size, byte 15 a flag byte: bit 0 big-endian, bit 1
//! (Go >= 1.18) "strings inline": the header is then followed by two uvarint-length-prefixed
//! strings, the Go version and the module info. Without bit 1 (Go 1.13 - 1.17), bytes 16..
//! hold two pointers to Go string headers (`{data pointer, length}`) that are followed through
//! the file's segment or section tables (goblin; module `exe`).
//!
//! The module info is framed by two 16-byte sentinels and holds lines `path`, `mod`, `dep`,
//! `=>` (replacement of the line before) and, since Go 1.18, `build` settings
//! ([`parse_modinfo`]).
//!
//! Packages produced by [`scan_go_binary`]:
//! - the main module. Its version is usually `(devel)`: it is kept as the package version but
//!   left out of the purl (a purl without version). Build settings are recorded on it as
//!   `go:build.<key>` properties, with `go:path` (main package) and `go:version` (toolchain).
//! - each dependency, with `go:h1` = its go.sum hash. A dependency replaced by another
//!   module is reported as the replacement (its path, version and hash: that is the code in
//!   the binary) with `go:replaces=<original path>@<original version>`. A dependency replaced
//!   by a local directory keeps the original identity (a directory has no purl) and records
//!   `go:replace=<directory>`.
//! - `stdlib`, following syft: name `stdlib`, version the toolchain version as Go writes it
//!   (`go1.21.5`), purl `pkg:golang/stdlib@1.21.5` (the `go` prefix dropped, as in syft and
//!   the Go vulnerability database). A `X:<experiments>` suffix of the toolchain version goes to
//!   `go:experiments`; a development toolchain (`devel ...`) gets a purl without version.

pub(crate) mod exe;
#[cfg(test)]
pub(crate) mod testbin;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use stellaops_core::Diagnostic;

use self::exe::{Exe, ExeFormat};
use super::{purl, Confidence, Evidence, LangEcosystem, LangPackage, LangScan};

/// The magic that starts the build info header.
pub(crate) const BUILDINFO_MAGIC: &[u8; 14] = b"\xff Go buildinf:";
/// Size of the build info header.
const HEADER_SIZE: usize = 32;
/// How many magic occurrences are tried before giving up (each try may copy a string).
const MAX_CANDIDATES: usize = 64;
/// Longest plausible toolchain version string.
const MAX_VERSION_LEN: usize = 1024;

/// Build information of one Go binary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoBuildInfo {
    /// Toolchain version (`go1.21.5`, `devel go1.22-abc...`).
    pub go_version: String,
    /// Import path of the main package (`path` line).
    pub path: String,
    /// The main module (`mod` line).
    pub main: Option<GoModule>,
    /// Dependencies (`dep` lines), in the binary's order.
    pub deps: Vec<GoModule>,
    /// Build settings (`build` lines, Go >= 1.18), in order, values unquoted.
    pub settings: Vec<(String, String)>,
}

/// One module of a Go binary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoModule {
    /// Module path.
    pub path: String,
    /// Module version (`v1.2.3`, `(devel)`, empty for a local replacement).
    pub version: String,
    /// go.sum hash (`h1:...`).
    pub sum: Option<String>,
    /// The module that replaced this one (`=>` line).
    pub replace: Option<Box<GoModule>>,
}

/// Packages of the Go build info in `bytes` (an executable at `path`). Empty when the file is
/// not a Go binary; a warning naming `path` when it is one but its build info is unreadable.
pub fn scan_go_binary(path: &str, bytes: &[u8]) -> LangScan {
    let mut scan = LangScan::default();
    match read_build_info(bytes) {
        Ok(None) => {}
        Ok(Some(info)) => scan.packages = packages(path, &info),
        Err(e) => scan.diagnostics.push(Diagnostic::warning(
            Some(path.to_owned()),
            format!("Go build info unreadable: {e}"),
        )),
    }
    scan
}

/// Read the build info embedded in a Go executable. `Ok(None)` when `bytes` holds no build
/// info header; `Err` when it has one that cannot be decoded (truncated, pointing outside
/// the file, unreadable executable tables).
pub fn read_build_info(bytes: &[u8]) -> Result<Option<GoBuildInfo>, String> {
    if find_all(bytes, BUILDINFO_MAGIC).next().is_none() {
        return Ok(None);
    }
    // The executable's tables: needed for the pointer format, and to try first the header in
    // the section the linker puts it in (a Go program that links debug/buildinfo also holds
    // the magic as a string constant).
    match Exe::parse(bytes) {
        Ok(Some(exe)) => {
            let found = read_image(exe.bytes, Some(&exe), None);
            // A fat Mach-O: the parsed architecture is one slice; the header may be elsewhere.
            if exe.bytes.len() != bytes.len() && found.is_err() {
                if let Ok(info) = read_image(bytes, None, None) {
                    return Ok(Some(info));
                }
            }
            found.map(Some)
        }
        Ok(None) => read_image(bytes, None, None).map(Some),
        Err(e) => read_image(bytes, None, Some(&e)).map(Some),
    }
}

/// Try the magic occurrences of one image, those in the linker's data region first.
fn read_image(
    image: &[u8],
    exe: Option<&Exe<'_>>,
    exe_error: Option<&str>,
) -> Result<GoBuildInfo, String> {
    // Occurrences inside the linker's data region first, then anywhere in the image.
    let preferred = exe.and_then(data_region);
    let in_region: Vec<usize> = preferred
        .and_then(|(start, end)| Some((start, image.get(start..end)?)))
        .map(|(start, region)| {
            find_all(region, BUILDINFO_MAGIC)
                .take(MAX_CANDIDATES)
                .map(|h| start + h)
                .collect()
        })
        .unwrap_or_default();
    let elsewhere = find_all(image, BUILDINFO_MAGIC)
        .filter(|h| !in_region.contains(h))
        .take(MAX_CANDIDATES);
    let order: Vec<usize> = in_region.iter().copied().chain(elsewhere).collect();
    let mut first_error = None;
    for at in order {
        match decode_header(image, at, exe, exe_error) {
            Ok((version, modinfo)) => {
                let mut info = parse_modinfo(&String::from_utf8_lossy(&modinfo));
                info.go_version = version;
                return Ok(info);
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| "no build info header in the image".to_owned()))
}

/// File range (start, end) where the linker puts the build info: Go's `DataStart`.
fn data_region(exe: &Exe<'_>) -> Option<(usize, usize)> {
    let range = |offset: u64, size: u64| -> Option<(usize, usize)> {
        let start = usize::try_from(offset).ok()?;
        let end = start.checked_add(usize::try_from(size).ok()?)?;
        (end <= exe.bytes.len()).then_some((start, end))
    };
    const INITIALIZED_DATA: u64 = 0x40;
    const MEM_READ: u64 = 0x4000_0000;
    const MEM_WRITE: u64 = 0x8000_0000;
    const ALIGN_MASK: u64 = 0x00f0_0000;
    let section = match exe.format {
        ExeFormat::Elf => exe.section(".go.buildinfo", None),
        ExeFormat::MachO => exe.section("__go_buildinfo", None),
        ExeFormat::Pe => exe.sections.iter().find(|s| {
            s.file_size != 0 && s.flags & !ALIGN_MASK == INITIALIZED_DATA | MEM_READ | MEM_WRITE
        }),
    };
    if let Some(s) = section {
        return range(s.offset, s.file_size);
    }
    exe.mappings
        .iter()
        .find(|m| m.writable && !m.executable && m.file_size != 0 && m.vaddr != 0)
        .and_then(|m| range(m.offset, m.file_size))
}

/// Decode the header at `at`: (version, module info without its sentinels).
fn decode_header(
    bytes: &[u8],
    at: usize,
    exe: Option<&Exe<'_>>,
    exe_error: Option<&str>,
) -> Result<(String, Vec<u8>), String> {
    let header = at
        .checked_add(HEADER_SIZE)
        .and_then(|end| bytes.get(at..end))
        .ok_or_else(|| format!("build info header at {at:#x} is truncated"))?;
    let ptr_size = header.get(14).copied().unwrap_or(0);
    let flags = header.get(15).copied().unwrap_or(0);
    if ptr_size != 4 && ptr_size != 8 {
        return Err(format!(
            "build info header at {at:#x} has pointer size {ptr_size}"
        ));
    }
    let (version, modinfo) = if flags & 2 != 0 {
        let rest = bytes.get(at + HEADER_SIZE..).unwrap_or_default();
        let (version, rest) = varint_string(rest)
            .ok_or_else(|| format!("build info at {at:#x}: bad version string"))?;
        let (modinfo, _) = varint_string(rest)
            .ok_or_else(|| format!("build info at {at:#x}: bad module info string"))?;
        (version, modinfo)
    } else {
        let exe = exe.ok_or_else(|| match exe_error {
            Some(e) => format!("build info uses addresses but the executable is unreadable: {e}"),
            None => "build info uses addresses but the file is not ELF, PE or Mach-O".to_owned(),
        })?;
        let big_endian = flags & 1 != 0;
        let read_ptr = |b: &[u8]| -> Option<u64> {
            Some(match (ptr_size, big_endian) {
                (4, false) => u64::from(u32::from_le_bytes(b.get(..4)?.try_into().ok()?)),
                (4, true) => u64::from(u32::from_be_bytes(b.get(..4)?.try_into().ok()?)),
                (_, false) => u64::from_le_bytes(b.get(..8)?.try_into().ok()?),
                (_, true) => u64::from_be_bytes(b.get(..8)?.try_into().ok()?),
            })
        };
        let size = usize::from(ptr_size);
        let go_string = |field: &[u8], what: &str| -> Result<&[u8], String> {
            let addr = read_ptr(field).ok_or_else(|| format!("{what}: header truncated"))?;
            let hdr = exe.read_va(addr, 2 * u64::from(ptr_size)).ok_or_else(|| {
                format!("{what}: string header address {addr:#x} is outside the file")
            })?;
            let data = read_ptr(hdr).ok_or_else(|| format!("{what}: string header truncated"))?;
            let len = read_ptr(hdr.get(size..).unwrap_or_default())
                .ok_or_else(|| format!("{what}: string header truncated"))?;
            if len > bytes.len() as u64 {
                return Err(format!("{what}: string length {len} exceeds the file size"));
            }
            exe.read_va(data, len)
                .ok_or_else(|| format!("{what}: {len} bytes at {data:#x} are outside the file"))
        };
        let version = go_string(header.get(16..).unwrap_or_default(), "version")?;
        let modinfo = go_string(header.get(16 + size..).unwrap_or_default(), "module info")?;
        (version, modinfo)
    };
    if version.is_empty()
        || version.len() > MAX_VERSION_LEN
        || !version.iter().all(|b| (0x20..0x7f).contains(b))
    {
        return Err(format!("build info at {at:#x}: implausible Go version"));
    }
    let version = String::from_utf8_lossy(version).into_owned();
    // Go's framing check: 16-byte sentinel, text, newline, 16-byte sentinel.
    let n = modinfo.len();
    let modinfo = if n >= 33 && modinfo.get(n - 17) == Some(&b'\n') {
        modinfo.get(16..n - 16).unwrap_or_default().to_vec()
    } else {
        Vec::new()
    };
    Ok((version, modinfo))
}

/// A uvarint-length-prefixed byte string, and what follows it.
fn varint_string(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut len: u64 = 0;
    let mut used = 0;
    for (i, &b) in bytes.iter().enumerate().take(10) {
        let shift = 7 * i as u32;
        len |= u64::from(b & 0x7f).checked_shl(shift)?;
        if b < 0x80 {
            used = i + 1;
            break;
        }
    }
    if used == 0 {
        return None;
    }
    let rest = bytes.get(used..)?;
    let len = usize::try_from(len).ok()?;
    Some((rest.get(..len)?, rest.get(len..)?))
}

/// Offsets of every occurrence of `needle` in `hay`.
fn find_all<'h>(hay: &'h [u8], needle: &'h [u8]) -> impl Iterator<Item = usize> + 'h {
    memchr::memmem::find_iter(hay, needle)
}

/// Parse module info text: the `path`, `mod`, `dep`, `=>` and `build` lines found between
/// the two 16-byte sentinels (without them), plus a `go` line when present (the form
/// `debug.BuildInfo.String` prints). Lenient: unknown or malformed lines are skipped.
pub fn parse_modinfo(text: &str) -> GoBuildInfo {
    let mut info = GoBuildInfo::default();
    // Which module the next `=>` line replaces: None, the main module, or the last dep.
    #[derive(Clone, Copy, PartialEq)]
    enum Last {
        None,
        Main,
        Dep,
    }
    let mut last = Last::None;
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let Some((kind, rest)) = line.split_once('\t') else {
            continue;
        };
        match kind {
            "go" => info.go_version = rest.to_owned(),
            "path" => info.path = rest.to_owned(),
            "mod" => {
                info.main = module_line(rest);
                last = if info.main.is_some() {
                    Last::Main
                } else {
                    Last::None
                };
            }
            "dep" => match module_line(rest) {
                Some(m) => {
                    info.deps.push(m);
                    last = Last::Dep;
                }
                None => last = Last::None,
            },
            "=>" => {
                let replacement = module_line(rest).map(Box::new);
                let target = match last {
                    Last::Main => info.main.as_mut(),
                    Last::Dep => info.deps.last_mut(),
                    Last::None => None,
                };
                if let Some(m) = target {
                    m.replace = replacement;
                }
                last = Last::None;
            }
            "build" => {
                if let Some(setting) = build_setting(rest) {
                    info.settings.push(setting);
                }
            }
            _ => {}
        }
    }
    info
}

/// `path \t version [\t sum]`.
fn module_line(rest: &str) -> Option<GoModule> {
    let mut fields = rest.split('\t');
    let path = fields.next().unwrap_or_default();
    if path.is_empty() {
        return None;
    }
    let version = fields.next().unwrap_or_default();
    let sum = fields.next().filter(|s| !s.is_empty());
    Some(GoModule {
        path: path.to_owned(),
        version: version.to_owned(),
        sum: sum.map(str::to_owned),
        replace: None,
    })
}

/// `key=value`, where key and value may be Go-quoted.
fn build_setting(kv: &str) -> Option<(String, String)> {
    let (key, raw_value) = if kv.starts_with(['"', '`']) {
        let (key, used) = go_unquote_prefix(kv)?;
        (key, kv.get(used..)?.strip_prefix('=')?)
    } else {
        let (key, value) = kv.split_once('=')?;
        (key.to_owned(), value)
    };
    if key.is_empty() {
        return None;
    }
    let value = if raw_value.starts_with(['"', '`']) {
        match go_unquote_prefix(raw_value) {
            Some((v, used)) if used == raw_value.len() => v,
            _ => raw_value.to_owned(),
        }
    } else {
        raw_value.to_owned()
    };
    Some((key, value))
}

/// Unquote the Go string literal (`"..."` with escapes, or `` `...` ``) at the start of `s`:
/// the value and the number of bytes the literal used.
fn go_unquote_prefix(s: &str) -> Option<(String, usize)> {
    let mut chars = s.char_indices();
    let (_, quote) = chars.next()?;
    if quote == '`' {
        let end = s.get(1..)?.find('`')? + 1;
        return Some((s.get(1..end)?.to_owned(), end + 1));
    }
    if quote != '"' {
        return None;
    }
    let mut out = String::new();
    let mut bytes: Vec<u8> = Vec::new(); // pending \x / octal bytes (may form UTF-8)
    let flush = |out: &mut String, bytes: &mut Vec<u8>| {
        if !bytes.is_empty() {
            out.push_str(&String::from_utf8_lossy(bytes));
            bytes.clear();
        }
    };
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                flush(&mut out, &mut bytes);
                return Some((out, i + 1));
            }
            '\\' => {
                let (_, e) = chars.next()?;
                let simple = match e {
                    'a' => Some('\x07'),
                    'b' => Some('\x08'),
                    'f' => Some('\x0c'),
                    'n' => Some('\n'),
                    'r' => Some('\r'),
                    't' => Some('\t'),
                    'v' => Some('\x0b'),
                    '\\' => Some('\\'),
                    '"' => Some('"'),
                    '\'' => Some('\''),
                    _ => None,
                };
                if let Some(ch) = simple {
                    flush(&mut out, &mut bytes);
                    out.push(ch);
                    continue;
                }
                let hex = |n: usize, chars: &mut std::str::CharIndices<'_>| -> Option<u32> {
                    let mut v = 0u32;
                    for _ in 0..n {
                        v = v.checked_mul(16)? + chars.next()?.1.to_digit(16)?;
                    }
                    Some(v)
                };
                match e {
                    'x' => bytes.push(u8::try_from(hex(2, &mut chars)?).ok()?),
                    'u' | 'U' => {
                        let v = hex(if e == 'u' { 4 } else { 8 }, &mut chars)?;
                        flush(&mut out, &mut bytes);
                        out.push(char::from_u32(v)?);
                    }
                    '0'..='7' => {
                        let mut v = e.to_digit(8)?;
                        for _ in 0..2 {
                            v = v * 8 + chars.next()?.1.to_digit(8)?;
                        }
                        bytes.push(u8::try_from(v).ok()?);
                    }
                    _ => return None,
                }
            }
            '\n' => return None,
            c => {
                flush(&mut out, &mut bytes);
                out.push(c);
            }
        }
    }
    None
}

/// Split a module path into purl namespace (everything before the last `/`) and name.
fn split_module_path(path: &str) -> (Option<&str>, &str) {
    match path.rsplit_once('/') {
        Some((ns, name)) if !ns.is_empty() && !name.is_empty() => (Some(ns), name),
        _ => (None, path),
    }
}

/// A replacement by a directory (`./x`, `../x`, `/abs`, `C:\x`) rather than by a module.
fn is_local_replacement(m: &GoModule) -> bool {
    let p = m.path.as_str();
    m.version.is_empty()
        || p == "."
        || p == ".."
        || p.starts_with("./")
        || p.starts_with("../")
        || p.starts_with('/')
        || p.starts_with(".\\")
        || p.starts_with("..\\")
        || p.contains('\\')
        || p.as_bytes().get(1) == Some(&b':')
}

fn module_package(location: &str, m: &GoModule) -> Option<LangPackage> {
    let mut properties = BTreeMap::new();
    let (path, version, sum) = match m.replace.as_deref() {
        Some(r) if !is_local_replacement(r) => {
            let orig = if m.version.is_empty() {
                m.path.clone()
            } else {
                format!("{}@{}", m.path, m.version)
            };
            properties.insert("go:replaces".to_owned(), orig);
            (&r.path, &r.version, &r.sum)
        }
        Some(r) => {
            properties.insert("go:replace".to_owned(), r.path.clone());
            (&m.path, &m.version, &r.sum)
        }
        None => (&m.path, &m.version, &m.sum),
    };
    if path.is_empty() {
        return None;
    }
    if let Some(sum) = sum {
        properties.insert("go:h1".to_owned(), sum.clone());
    }
    let (namespace, name) = split_module_path(path);
    let purl_version = if version == "(devel)" {
        ""
    } else {
        version.as_str()
    };
    Some(LangPackage {
        ecosystem: LangEcosystem::Golang,
        namespace: namespace.map(str::to_owned),
        name: name.to_owned(),
        version: version.clone(),
        purl: purl(LangEcosystem::Golang, namespace, name, purl_version, &[]),
        licenses: Vec::new(),
        evidence: Evidence::Installed,
        confidence: Confidence::High,
        location: location.to_owned(),
        hashes: BTreeMap::new(),
        files: Vec::new(),
        properties,
    })
}

fn stdlib_package(location: &str, go_version: &str) -> LangPackage {
    let (version, experiments) = match go_version.split_once(' ') {
        Some((v, rest)) if !v.starts_with("devel") => {
            (v, rest.trim().strip_prefix("X:").map(str::to_owned))
        }
        _ => (go_version, None),
    };
    let purl_version = version
        .strip_prefix("go")
        .filter(|v| v.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or("");
    let mut properties = BTreeMap::new();
    if let Some(x) = experiments {
        properties.insert("go:experiments".to_owned(), x);
    }
    LangPackage {
        ecosystem: LangEcosystem::Golang,
        namespace: None,
        name: "stdlib".to_owned(),
        version: version.to_owned(),
        purl: purl(LangEcosystem::Golang, None, "stdlib", purl_version, &[]),
        licenses: Vec::new(),
        evidence: Evidence::Installed,
        confidence: Confidence::High,
        location: location.to_owned(),
        hashes: BTreeMap::new(),
        files: Vec::new(),
        properties,
    }
}

/// The packages of one binary's build info (see the module docs).
fn packages(location: &str, info: &GoBuildInfo) -> Vec<LangPackage> {
    let mut out = Vec::with_capacity(info.deps.len() + 2);
    let mut settings_owner = None;
    if let Some(mut main) = info.main.as_ref().and_then(|m| module_package(location, m)) {
        main.properties
            .insert("go:main".to_owned(), "true".to_owned());
        if !info.path.is_empty() {
            main.properties
                .insert("go:path".to_owned(), info.path.clone());
        }
        if !info.go_version.is_empty() {
            main.properties
                .insert("go:version".to_owned(), info.go_version.clone());
        }
        settings_owner = Some(out.len());
        out.push(main);
    }
    out.extend(info.deps.iter().filter_map(|d| module_package(location, d)));
    if !info.go_version.is_empty() {
        if settings_owner.is_none() {
            settings_owner = Some(out.len());
        }
        out.push(stdlib_package(location, &info.go_version));
    }
    if let Some(owner) = settings_owner.and_then(|i| out.get_mut(i)) {
        for (k, v) in &info.settings {
            owner.properties.insert(format!("go:build.{k}"), v.clone());
        }
    }
    out
}
