//! .NET: NuGet packages an application was published with (`*.deps.json`), and the version
//! resource of PE assemblies.
//!
//! **deps.json.** `runtimeTarget.name` (an object, or a plain string in early .NET Core
//! files) selects `targets[<name>]`; each of its `Name/Version` keys whose `libraries` entry
//! has `"type": "package"` is a NuGet package (`project` and `reference` entries are the
//! application's own code and are skipped). The `libraries` entry's `sha512` (`sha512-<base64>`,
//! the hash of the `.nupkg`) becomes `hashes["sha512"]` in hex; its `path` is kept as
//! `nuget:path`. When the runtime target is missing, every `package` library is used and a
//! warning says so; without a `libraries` section package types are unknown, so nothing is
//! reported (as trivy does) and a warning says so.
//!
//! **PE version resources.** [`pe_version_info`] walks the resource directory of a PE file
//! (data directory 2, else the `.rsrc` section) to the first `RT_VERSION` (16) resource and
//! reads the `VS_VERSIONINFO` block: every string of its `StringFileInfo` tables
//! (`ProductName`, `ProductVersion`, `FileVersion`, `CompanyName`, `OriginalFilename`,
//! `Assembly Version`, ...; the first table wins when several languages repeat a key) plus the
//! binary `VS_FIXEDFILEINFO` versions as `VS_FIXEDFILEINFO.FileVersion` and
//! `VS_FIXEDFILEINFO.ProductVersion` (`a.b.c.d`). Every offset is checked and the walk visits a
//! bounded number of directory entries, so hostile files cost little and never panic.

use std::collections::BTreeMap;

use serde_json::Value;
use stellaops_core::Diagnostic;

use super::golang::exe::{Exe, ExeFormat};
use super::{purl, Confidence, Evidence, LangEcosystem, LangPackage, LangScan};

/// Packages listed by a `.deps.json` file at `path`.
pub fn parse_deps_json(path: &str, bytes: &[u8]) -> LangScan {
    let mut scan = LangScan::default();
    let warn = |scan: &mut LangScan, msg: String| {
        scan.diagnostics
            .push(Diagnostic::warning(Some(path.to_owned()), msg));
    };
    let doc: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            warn(&mut scan, format!("deps.json is not valid JSON: {e}"));
            return scan;
        }
    };
    let Some(libraries) = doc.get("libraries").and_then(Value::as_object) else {
        warn(
            &mut scan,
            "deps.json has no \"libraries\" section: package types unknown, nothing reported"
                .to_owned(),
        );
        return scan;
    };
    let target_name = match doc.get("runtimeTarget") {
        Some(Value::String(s)) => Some(s.as_str()),
        Some(v) => v.get("name").and_then(Value::as_str),
        None => None,
    };
    let target = target_name.and_then(|name| {
        doc.get("targets")
            .and_then(|t| t.get(name))
            .and_then(Value::as_object)
    });
    let keys: Vec<&String> = match target {
        Some(t) => t.keys().collect(),
        None => {
            warn(
                &mut scan,
                format!(
                    "deps.json runtime target {} not found in \"targets\": all package libraries reported",
                    target_name.map_or_else(|| "(none)".to_owned(), |n| format!("{n:?}"))
                ),
            );
            libraries.keys().collect()
        }
    };
    for key in keys {
        let Some(lib) = libraries.get(key) else {
            continue;
        };
        let kind = lib.get("type").and_then(Value::as_str).unwrap_or_default();
        if !kind.eq_ignore_ascii_case("package") {
            continue;
        }
        let Some((name, version)) = key
            .split_once('/')
            .filter(|(n, v)| !n.is_empty() && !v.is_empty() && !v.contains('/'))
        else {
            warn(
                &mut scan,
                format!("library key {key:?} is not Name/Version; skipped"),
            );
            continue;
        };
        let mut hashes = BTreeMap::new();
        let mut properties = BTreeMap::new();
        if let Some(sri) = lib
            .get("sha512")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
        {
            match sri
                .strip_prefix("sha512-")
                .and_then(base64_decode)
                .filter(|d| d.len() == 64)
            {
                Some(digest) => {
                    hashes.insert("sha512".to_owned(), hex::encode(digest));
                }
                None => {
                    properties.insert("nuget:sha512".to_owned(), sri.to_owned());
                }
            }
        }
        if let Some(p) = lib.get("path").and_then(Value::as_str) {
            properties.insert("nuget:path".to_owned(), p.to_owned());
        }
        scan.packages.push(LangPackage {
            ecosystem: LangEcosystem::Nuget,
            namespace: None,
            name: name.to_owned(),
            version: version.to_owned(),
            purl: purl(LangEcosystem::Nuget, None, name, version, &[]),
            licenses: Vec::new(),
            evidence: Evidence::Installed,
            confidence: Confidence::High,
            location: path.to_owned(),
            hashes,
            files: Vec::new(),
            properties,
        });
    }
    scan
}

/// Standard base64 (with or without padding); `None` on any other character.
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() / 4 * 3 + 3);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Resource type of version resources.
const RT_VERSION: u32 = 16;
/// High bit of a resource entry's offset: it points at a subdirectory.
const SUBDIRECTORY: u32 = 0x8000_0000;
/// Directory entries visited at most, across all levels.
const MAX_RESOURCE_ENTRIES: usize = 4096;
/// `VS_FIXEDFILEINFO` signature.
const FIXED_SIGNATURE: u32 = 0xfeef_04bd;

/// The version resource strings of a PE file, or `None` when it is not a PE file or has no
/// readable version resource.
pub fn pe_version_info(bytes: &[u8]) -> Option<BTreeMap<String, String>> {
    let exe = Exe::parse(bytes).ok()??;
    if exe.format != ExeFormat::Pe {
        return None;
    }
    let rva_slice = |rva: u32, len: u32| {
        exe.read_va(exe.image_base.wrapping_add(u64::from(rva)), u64::from(len))
    };
    let from_directory = exe
        .pe_resources
        .filter(|&(rva, size)| rva != 0 && size != 0)
        .and_then(|(rva, size)| {
            // The directory's size may overstate what the section holds: clip to the section.
            let start = exe.va_to_offset(exe.image_base.wrapping_add(u64::from(rva)), 0)?;
            let section_end = exe
                .sections
                .iter()
                .filter_map(|s| {
                    let end = s.offset.checked_add(s.file_size)?;
                    (s.offset <= start && start < end).then_some(end)
                })
                .next()?;
            let len = u64::from(size).min(section_end - start);
            super::golang::exe::file_range(bytes, start, len)
        });
    let rsrc = from_directory.or_else(|| {
        let s = exe.section(".rsrc", None)?;
        exe.section_data(s)
    })?;

    let mut budget = MAX_RESOURCE_ENTRIES;
    for (id, off) in dir_entries(rsrc, 0, &mut budget) {
        if id != RT_VERSION || off & SUBDIRECTORY == 0 {
            continue;
        }
        for (_, off2) in dir_entries(rsrc, off & !SUBDIRECTORY, &mut budget) {
            if off2 & SUBDIRECTORY == 0 {
                continue;
            }
            for (_, off3) in dir_entries(rsrc, off2 & !SUBDIRECTORY, &mut budget) {
                if off3 & SUBDIRECTORY != 0 {
                    continue;
                }
                let at = usize::try_from(off3).ok()?;
                let data_rva = le_u32(rsrc, at)?;
                let size = le_u32(rsrc, at.checked_add(4)?)?;
                if let Some(map) = rva_slice(data_rva, size).and_then(parse_version_info) {
                    return Some(map);
                }
            }
        }
    }
    None
}

fn le_u16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn le_u32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

/// The (name or id, offset) entries of the resource directory at `offset`, decrementing
/// `budget` per entry (none once it is spent). Named entries get id `u32::MAX`.
fn dir_entries(rsrc: &[u8], offset: u32, budget: &mut usize) -> Vec<(u32, u32)> {
    let Ok(at) = usize::try_from(offset) else {
        return Vec::new();
    };
    let (Some(named), Some(ids)) = (
        le_u16(rsrc, at.saturating_add(12)),
        le_u16(rsrc, at.saturating_add(14)),
    ) else {
        return Vec::new();
    };
    let first = at.saturating_add(16);
    let fit = rsrc.len().saturating_sub(first) / 8;
    let count = (usize::from(named) + usize::from(ids))
        .min(fit)
        .min(*budget);
    *budget -= count;
    (0..count)
        .filter_map(|i| {
            let e = first + 8 * i;
            let name = le_u32(rsrc, e)?;
            let off = le_u32(rsrc, e + 4)?;
            Some((
                if name & SUBDIRECTORY != 0 {
                    u32::MAX
                } else {
                    name
                },
                off,
            ))
        })
        .collect()
}

/// One `VS_VERSIONINFO`-style block: `wLength, wValueLength, wType, szKey, pad, Value, pad,
/// Children`.
struct Block<'b> {
    key: String,
    /// Value bytes (text blocks: to the end of the block, since lengths are often wrong).
    value: &'b [u8],
    /// Children bytes.
    children: &'b [u8],
    /// Total length, for stepping to the next sibling.
    len: usize,
}

fn align4(n: usize) -> usize {
    n.saturating_add(3) & !3
}

/// The block at the start of `b` (which must be 4-aligned relative to the resource).
fn block(b: &[u8]) -> Option<Block<'_>> {
    let len = usize::from(le_u16(b, 0)?);
    if len < 6 {
        return None;
    }
    let this = b.get(..len.min(b.len()))?;
    let value_len = usize::from(le_u16(this, 2)?);
    let text = le_u16(this, 4)? == 1;
    let mut key = Vec::new();
    let mut at = 6;
    loop {
        let unit = le_u16(this, at)?;
        at += 2;
        if unit == 0 {
            break;
        }
        key.push(unit);
    }
    let value_start = align4(at).min(this.len());
    let value_bytes = if text { value_len * 2 } else { value_len };
    let value_end = value_start.saturating_add(value_bytes).min(this.len());
    let value = if text {
        this.get(value_start..)?
    } else {
        this.get(value_start..value_end)?
    };
    let children = this.get(align4(value_end).min(this.len())..)?;
    Some(Block {
        key: String::from_utf16_lossy(&key),
        value,
        children,
        len,
    })
}

/// The sibling blocks in `b`.
fn blocks(mut b: &[u8]) -> impl Iterator<Item = Block<'_>> {
    std::iter::from_fn(move || {
        let blk = block(b)?;
        b = b.get(align4(blk.len)..).unwrap_or_default();
        Some(blk)
    })
}

/// UTF-16LE text up to the first NUL.
fn utf16z(b: &[u8]) -> String {
    let units: Vec<u16> = b
        .chunks_exact(2)
        .map_while(|c| <[u8; 2]>::try_from(c).ok().map(u16::from_le_bytes))
        .take_while(|&u| u != 0)
        .collect();
    String::from_utf16_lossy(&units)
}

fn parse_version_info(b: &[u8]) -> Option<BTreeMap<String, String>> {
    let root = block(b)?;
    if root.key != "VS_VERSION_INFO" {
        return None;
    }
    let mut map = BTreeMap::new();
    if le_u32(root.value, 0) == Some(FIXED_SIGNATURE) {
        let version = |hi_at: usize| -> Option<String> {
            let ms = le_u32(root.value, hi_at)?;
            let ls = le_u32(root.value, hi_at + 4)?;
            Some(format!(
                "{}.{}.{}.{}",
                ms >> 16,
                ms & 0xffff,
                ls >> 16,
                ls & 0xffff
            ))
        };
        if let Some(v) = version(8) {
            map.insert("VS_FIXEDFILEINFO.FileVersion".to_owned(), v);
        }
        if let Some(v) = version(16) {
            map.insert("VS_FIXEDFILEINFO.ProductVersion".to_owned(), v);
        }
    }
    for child in blocks(root.children) {
        if child.key != "StringFileInfo" {
            continue;
        }
        for table in blocks(child.children) {
            for s in blocks(table.children) {
                if !s.key.is_empty() {
                    map.entry(s.key).or_insert_with(|| utf16z(s.value));
                }
            }
        }
    }
    (!map.is_empty()).then_some(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::golang::testbin::{self, Sec};
    use stellaops_core::Severity;

    fn read(path: &str) -> Option<Vec<u8>> {
        stellaops_testkit::fs::read(path).ok()
    }

    fn shared(rel: &str) -> Vec<u8> {
        let path = format!(
            "{}/../../shared/fixtures/lang-packages/{rel}",
            env!("CARGO_MANIFEST_DIR")
        );
        read(&path).unwrap_or_else(|| panic!("read {path}"))
    }

    #[test]
    fn deps_json_happy() {
        let scan = parse_deps_json(
            "/app/ExampleApp1.deps.json",
            &shared("trivy/dotnet/core_deps/happy.deps.json"),
        );
        assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
        assert_eq!(scan.packages.len(), 1);
        let p = &scan.packages[0];
        assert_eq!(
            (p.name.as_str(), p.version.as_str()),
            ("Newtonsoft.Json", "13.0.1")
        );
        assert_eq!(p.purl, "pkg:nuget/Newtonsoft.Json@13.0.1");
        assert_eq!(p.ecosystem, LangEcosystem::Nuget);
        assert_eq!(
            (p.evidence, p.confidence),
            (Evidence::Installed, Confidence::High)
        );
        assert_eq!(p.location, "/app/ExampleApp1.deps.json");
        assert_eq!(
            p.hashes.get("sha512").map(String::as_str),
            Some(
                "a693c5a4172fc5db1f5289cd72f2132aa2e5ddbab159b0c2648cc3587ce3a5d0074457d97b40f0f47980d3ecdad7721dcab809c299034c303d7c76b13abb76d0"
            )
        );
        assert_eq!(
            p.properties.get("nuget:path").map(String::as_str),
            Some("newtonsoft.json/13.0.1")
        );
    }

    #[test]
    fn deps_json_multi_project_skips_projects() {
        let scan = parse_deps_json(
            "/d",
            &shared("trivy/dotnet/core_deps/multi-project.deps.json"),
        );
        assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
        let ids: Vec<String> = scan.packages.iter().map(|p| p.purl.clone()).collect();
        assert_eq!(ids, ["pkg:nuget/Newtonsoft.Json@13.0.3"]);
    }

    fn one_warning(scan: &LangScan) -> &str {
        assert_eq!(scan.diagnostics.len(), 1, "{:?}", scan.diagnostics);
        let d = &scan.diagnostics[0];
        assert_eq!(
            (d.severity, d.path.as_deref()),
            (Severity::Warning, Some("/d"))
        );
        &d.message
    }

    #[test]
    fn deps_json_invalid_and_incomplete() {
        let scan = parse_deps_json("/d", &shared("trivy/dotnet/core_deps/invalid.deps.json"));
        assert!(scan.packages.is_empty());
        assert!(one_warning(&scan).contains("not valid JSON"));

        let scan = parse_deps_json(
            "/d",
            &shared("trivy/dotnet/core_deps/no-libraries.deps.json"),
        );
        assert!(scan.packages.is_empty());
        assert!(one_warning(&scan).contains("no \"libraries\""));

        // No runtime target: every package library, with a warning.
        let doc = br#"{"libraries":{"A/1.0.0":{"type":"package","sha512":"sha512-bad!"},
            "P/1.0.0":{"type":"project"},"Bad":{"type":"package"},"X/1/2":{"type":"Package"}}}"#;
        let scan = parse_deps_json("/d", doc);
        assert_eq!(scan.packages.len(), 1);
        assert_eq!(
            scan.packages[0]
                .properties
                .get("nuget:sha512")
                .map(String::as_str),
            Some("sha512-bad!")
        );
        assert_eq!(scan.diagnostics.len(), 3, "{:?}", scan.diagnostics);
        assert!(scan.diagnostics[0]
            .message
            .contains("runtime target (none)"));

        // Old form: runtimeTarget as a string; the target lists only some libraries.
        let doc = br#"{"runtimeTarget":".NETCoreApp,Version=v1.0",
            "targets":{".NETCoreApp,Version=v1.0":{"B/2.0.0":{}},"other":{"C/1.0.0":{}}},
            "libraries":{"B/2.0.0":{"type":"package"},"C/1.0.0":{"type":"package"}}}"#;
        let scan = parse_deps_json("/d", doc);
        assert!(scan.diagnostics.is_empty());
        assert_eq!(scan.packages.len(), 1);
        assert_eq!(scan.packages[0].purl, "pkg:nuget/B@2.0.0");

        for junk in [
            &b""[..],
            b"[]",
            b"null",
            b"{\"libraries\": 3}",
            b"{\"libraries\":{\"A/1\":3}}",
        ] {
            let _ = parse_deps_json("/d", junk);
        }
    }

    #[test]
    fn base64() {
        assert_eq!(base64_decode("aGVsbG8="), Some(b"hello".to_vec()));
        assert_eq!(base64_decode("aGVsbG8"), Some(b"hello".to_vec()));
        assert_eq!(base64_decode(""), Some(Vec::new()));
        assert_eq!(base64_decode("a-b"), None);
    }

    fn utf16(s: &str) -> Vec<u8> {
        s.encode_utf16()
            .chain([0])
            .flat_map(u16::to_le_bytes)
            .collect()
    }

    /// A version-info block: header, key, padding, value, padding, children.
    fn vblock(
        key: &str,
        value: &[u8],
        value_len: u16,
        text: bool,
        children: &[Vec<u8>],
    ) -> Vec<u8> {
        let mut b = vec![0u8; 6];
        b.extend(utf16(key));
        while b.len() % 4 != 0 {
            b.push(0);
        }
        b.extend_from_slice(value);
        for c in children {
            while b.len() % 4 != 0 {
                b.push(0);
            }
            b.extend_from_slice(c);
        }
        let len = b.len() as u16;
        b[0..2].copy_from_slice(&len.to_le_bytes());
        b[2..4].copy_from_slice(&value_len.to_le_bytes());
        b[4..6].copy_from_slice(&u16::from(text).to_le_bytes());
        b
    }

    fn string(key: &str, value: &str) -> Vec<u8> {
        let v = utf16(value);
        vblock(key, &v, (v.len() / 2) as u16, true, &[])
    }

    fn version_info(tables: &[(&str, &[(&str, &str)])]) -> Vec<u8> {
        let mut fixed = Vec::new();
        for v in [
            FIXED_SIGNATURE,
            0x1_0000,
            0x0002_0003,
            0x0004_0005,
            0x0007_0008,
            0x0009_000a,
        ] {
            fixed.extend(v.to_le_bytes());
        }
        fixed.resize(52, 0);
        let tables: Vec<Vec<u8>> = tables
            .iter()
            .map(|(lang, strings)| {
                let strings: Vec<Vec<u8>> = strings.iter().map(|(k, v)| string(k, v)).collect();
                vblock(lang, &[], 0, true, &strings)
            })
            .collect();
        let sfi = vblock("StringFileInfo", &[], 0, true, &tables);
        let translation = vblock("Translation", &[0x09, 0x04, 0xb0, 0x04], 4, false, &[]);
        let vfi = vblock("VarFileInfo", &[], 0, true, &[translation]);
        vblock("VS_VERSION_INFO", &fixed, 52, false, &[sfi, vfi])
    }

    /// A `.rsrc` section at `rva`: type 16 -> id 1 -> language 0x409 -> data entry -> blob.
    fn rsrc(rva: u32, blob: &[u8], extra_types: usize) -> Vec<u8> {
        let dir = |named: u16, ids: u16| {
            let mut d = vec![0u8; 12];
            d.extend(named.to_le_bytes());
            d.extend(ids.to_le_bytes());
            d
        };
        let n = extra_types as u16 + 1;
        let l1 = 0u32;
        let l2 = 16 + 8 * u32::from(n);
        let l3 = l2 + 24;
        let data_entry = l3 + 24;
        let blob_at = data_entry + 16;
        let mut r = dir(0, n);
        for i in 0..extra_types {
            // Other resource types (icons...) pointing at the same subdirectory.
            r.extend((3 + i as u32).to_le_bytes());
            r.extend((SUBDIRECTORY | l2).to_le_bytes());
        }
        r.extend(RT_VERSION.to_le_bytes());
        r.extend((SUBDIRECTORY | l2).to_le_bytes());
        assert_eq!(r.len() as u32, l2 - l1);
        r.extend(dir(0, 1));
        r.extend(1u32.to_le_bytes());
        r.extend((SUBDIRECTORY | l3).to_le_bytes());
        r.extend(dir(0, 1));
        r.extend(0x409u32.to_le_bytes());
        r.extend(data_entry.to_le_bytes());
        r.extend((rva + blob_at).to_le_bytes());
        r.extend((blob.len() as u32).to_le_bytes());
        r.extend([0u8; 8]);
        r.extend_from_slice(blob);
        r
    }

    fn pe_with_version(blob: &[u8], directory: bool) -> Vec<u8> {
        let rva = 0x4000;
        let r = rsrc(rva, blob, 2);
        let len = r.len() as u32;
        testbin::pe(
            true,
            0x1_4000_0000,
            &[
                Sec::new(".text", 0x1000, vec![0xc3; 16]),
                Sec::new(".rsrc", rva.into(), r),
            ],
            directory.then_some((rva, len)),
        )
    }

    #[test]
    fn version_resource() {
        let blob = version_info(&[
            (
                "040904b0",
                &[
                    ("CompanyName", "Contoso Ltd."),
                    ("FileVersion", "1.2.3.4"),
                    ("ProductName", "Contoso Widget \u{2122}"),
                    ("ProductVersion", "1.2.3+abcdef"),
                    ("OriginalFilename", "Widget.dll"),
                    ("Assembly Version", "1.0.0.0"),
                    ("Comments", ""),
                ],
            ),
            (
                "040704b0",
                &[
                    ("CompanyName", "Contoso GmbH"),
                    ("LegalCopyright", "(c) 2024"),
                ],
            ),
        ]);
        for directory in [true, false] {
            let info = pe_version_info(&pe_with_version(&blob, directory)).unwrap();
            let get = |k: &str| info.get(k).map(String::as_str);
            assert_eq!(get("CompanyName"), Some("Contoso Ltd."));
            assert_eq!(get("FileVersion"), Some("1.2.3.4"));
            assert_eq!(get("ProductName"), Some("Contoso Widget \u{2122}"));
            assert_eq!(get("ProductVersion"), Some("1.2.3+abcdef"));
            assert_eq!(get("OriginalFilename"), Some("Widget.dll"));
            assert_eq!(get("Assembly Version"), Some("1.0.0.0"));
            assert_eq!(get("Comments"), Some(""));
            assert_eq!(get("LegalCopyright"), Some("(c) 2024"));
            assert_eq!(get("VS_FIXEDFILEINFO.FileVersion"), Some("2.3.4.5"));
            assert_eq!(get("VS_FIXEDFILEINFO.ProductVersion"), Some("7.8.9.10"));
            assert_eq!(info.len(), 10);
        }
    }

    #[test]
    fn no_version_resource() {
        assert_eq!(pe_version_info(b""), None);
        assert_eq!(pe_version_info(b"MZ"), None);
        assert_eq!(pe_version_info(&testbin::elf(true, false, &[])), None);
        assert_eq!(
            pe_version_info(&testbin::pe(
                true,
                0x40_0000,
                &[Sec::new(".text", 0x1000, vec![0; 16])],
                None
            )),
            None
        );
        // A version blob with another root key, or an empty string table.
        let other = vblock_root("NOT_VERSION_INFO");
        assert_eq!(pe_version_info(&pe_with_version(&other, true)), None);
        let empty = vblock("VS_VERSION_INFO", &[], 0, false, &[]);
        assert_eq!(pe_version_info(&pe_with_version(&empty, true)), None);
    }

    fn vblock_root(key: &str) -> Vec<u8> {
        vblock(key, &[], 0, false, &[string("ProductName", "x")])
    }

    #[test]
    fn self_referencing_directories_are_bounded() {
        // Every entry of every level points back at the root directory.
        let mut r = vec![0u8; 12];
        r.extend(0u16.to_le_bytes());
        r.extend(2000u16.to_le_bytes());
        for _ in 0..2000 {
            r.extend(RT_VERSION.to_le_bytes());
            r.extend(SUBDIRECTORY.to_le_bytes());
        }
        let len = r.len() as u32;
        let pe = testbin::pe(
            true,
            0x40_0000,
            &[Sec::new(".rsrc", 0x4000, r)],
            Some((0x4000, len)),
        );
        assert_eq!(pe_version_info(&pe), None);
    }

    #[test]
    fn mutated_version_resources_never_panic() {
        let blob = version_info(&[("040904b0", &[("ProductName", "P"), ("FileVersion", "1.0")])]);
        let base = pe_with_version(&blob, true);
        for m in testbin::mutations(&base, 0xd07e7, 3000) {
            let _ = pe_version_info(&m);
        }
        for m in testbin::mutations(&blob, 0xb10b, 3000) {
            let _ = parse_version_info(&m);
        }
    }

    /// PE files with version resources from this machine (pip's launchers), when present.
    #[test]
    fn machine_pe_files_if_present() {
        let candidates = [
            "/usr/lib/python3/dist-packages/pip/_vendor/distlib/t64.exe",
            "/root/.pyenv/versions/3.13.0/lib/python3.13/site-packages/pip/_vendor/distlib/t64.exe",
            "/root/.pyenv/versions/3.13.0/lib/python3.13/site-packages/pip/_vendor/distlib/w32.exe",
        ];
        for path in candidates {
            let Some(bytes) = read(path) else { continue };
            let info = pe_version_info(&bytes).unwrap_or_else(|| panic!("{path}: no version info"));
            assert!(info.contains_key("ProductName"), "{path}: {info:?}");
            assert!(
                info.contains_key("VS_FIXEDFILEINFO.FileVersion"),
                "{path}: {info:?}"
            );
        }
    }
}
