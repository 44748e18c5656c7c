//! Go build info: constructed executables in every supported layout (inline strings of
//! Go >= 1.18, pointers of Go 1.13-1.17; ELF 32/64 LE/BE, PE32/PE32+, Mach-O thin and fat),
//! the committed real binary `tests/fixtures/go/hello-linux-amd64` (see its regenerate.sh),
//! and damaged input, which must give a diagnostic, never a panic.

use super::testbin::{self, Sec, Seg};
use super::*;
use stellaops_core::Severity;

/// The sentinels `cmd/go` writes around the module info (`modload.infoStart` / `infoEnd`).
const INFO_START: [u8; 16] = *b"0w\xaf\x0c\x92t\x08\x02A\xe1\xc1\x07\xe6\xd6\x18\xe6";
const INFO_END: [u8; 16] = *b"\xf92C1\x86\x18 r\x00\x82B\x10A\x16\xd8\xf2";

const MODINFO: &str = "path\texample.com/hello/cmd/hello\n\
mod\texample.com/hello\t(devel)\t\n\
dep\tgithub.com/gin-gonic/gin\tv1.9.1\th1:4idEAncQnU5cB7BeOkPtxjfCSye0AAm1R0RVIqJ+Jmg=\n\
dep\tgolang.org/x/text\tv0.3.0\t\n\
=>\tgolang.org/x/text\tv0.14.0\th1:ScX5w1eTa3QqT8oi6+ziP7dTV1S2+ALU0bI+0zXKWiQ=\n\
dep\texample.com/local\tv0.0.0-00010101000000-000000000000\n\
=>\t../local\t\t\n\
dep\tgopkg.in/yaml.v3\tv3.0.1\th1:fxVm/GzAzEWqLHuvctI91KS9hhNmmWOoWu0XTYJS7CA=\n\
build\t-compiler=gc\n\
build\t-ldflags=\"-s -w -X \\\"main.version=1.0\\\"\"\n\
build\tCGO_ENABLED=0\n\
build\tvcs.revision=0123abcd\n";

fn framed(text: &str) -> Vec<u8> {
    let mut v = INFO_START.to_vec();
    v.extend_from_slice(text.as_bytes());
    v.extend_from_slice(&INFO_END);
    v
}

fn uvarint(mut n: u64, out: &mut Vec<u8>) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Go >= 1.18 header: flags bit 1, strings inline after the 32-byte header.
fn inline_blob(ptr_size: u8, version: &str, modinfo: &[u8]) -> Vec<u8> {
    let mut v = BUILDINFO_MAGIC.to_vec();
    v.extend_from_slice(&[ptr_size, 2]);
    v.resize(32, 0);
    uvarint(version.len() as u64, &mut v);
    v.extend_from_slice(version.as_bytes());
    uvarint(modinfo.len() as u64, &mut v);
    v.extend_from_slice(modinfo);
    v
}

fn word(ptr_size: u8, be: bool, v: u64) -> Vec<u8> {
    match (ptr_size, be) {
        (4, false) => (v as u32).to_le_bytes().to_vec(),
        (4, true) => (v as u32).to_be_bytes().to_vec(),
        (_, false) => v.to_le_bytes().to_vec(),
        (_, true) => v.to_be_bytes().to_vec(),
    }
}

/// The three pieces of a pointer-format (Go 1.13-1.17) build info: the header (pointing at
/// two string headers at `hdr_addr`), the string headers (pointing into `data_addr`), and
/// the string bytes (version, then module info).
struct PointerLayout {
    header: Vec<u8>,
    string_headers: Vec<u8>,
    strings: Vec<u8>,
}

fn pointer_layout(
    ptr_size: u8,
    be: bool,
    hdr_addr: u64,
    data_addr: u64,
    version: &str,
    modinfo: &[u8],
) -> PointerLayout {
    let mut header = BUILDINFO_MAGIC.to_vec();
    header.extend_from_slice(&[ptr_size, u8::from(be)]);
    header.extend(word(ptr_size, be, hdr_addr));
    header.extend(word(ptr_size, be, hdr_addr + 2 * u64::from(ptr_size)));
    header.resize(32, 0);
    let mut string_headers = word(ptr_size, be, data_addr);
    string_headers.extend(word(ptr_size, be, version.len() as u64));
    string_headers.extend(word(ptr_size, be, data_addr + version.len() as u64));
    string_headers.extend(word(ptr_size, be, modinfo.len() as u64));
    let mut strings = version.as_bytes().to_vec();
    strings.extend_from_slice(modinfo);
    PointerLayout {
        header,
        string_headers,
        strings,
    }
}

fn pointer_elf(is_64: bool, be: bool) -> Vec<u8> {
    let ptr = if is_64 { 8 } else { 4 };
    let l = pointer_layout(ptr, be, 0x61_0000, 0x50_0000, "go1.16.15", &framed(MODINFO));
    testbin::elf(
        is_64,
        be,
        &[
            Sec::new(".rodata", 0x50_0000, l.strings),
            Sec::new(".go.buildinfo", 0x60_0000, l.header).writable(),
            Sec::new(".data", 0x61_0000, l.string_headers).writable(),
        ],
    )
}

fn expected_info(version: &str) -> GoBuildInfo {
    let m = |path: &str, version: &str, sum: Option<&str>| GoModule {
        path: path.to_owned(),
        version: version.to_owned(),
        sum: sum.map(str::to_owned),
        replace: None,
    };
    let mut text = m("golang.org/x/text", "v0.3.0", None);
    text.replace = Some(Box::new(m(
        "golang.org/x/text",
        "v0.14.0",
        Some("h1:ScX5w1eTa3QqT8oi6+ziP7dTV1S2+ALU0bI+0zXKWiQ="),
    )));
    let mut local = m(
        "example.com/local",
        "v0.0.0-00010101000000-000000000000",
        None,
    );
    local.replace = Some(Box::new(m("../local", "", None)));
    GoBuildInfo {
        go_version: version.to_owned(),
        path: "example.com/hello/cmd/hello".to_owned(),
        main: Some(m("example.com/hello", "(devel)", None)),
        deps: vec![
            m(
                "github.com/gin-gonic/gin",
                "v1.9.1",
                Some("h1:4idEAncQnU5cB7BeOkPtxjfCSye0AAm1R0RVIqJ+Jmg="),
            ),
            text,
            local,
            m(
                "gopkg.in/yaml.v3",
                "v3.0.1",
                Some("h1:fxVm/GzAzEWqLHuvctI91KS9hhNmmWOoWu0XTYJS7CA="),
            ),
        ],
        settings: vec![
            ("-compiler".to_owned(), "gc".to_owned()),
            (
                "-ldflags".to_owned(),
                "-s -w -X \"main.version=1.0\"".to_owned(),
            ),
            ("CGO_ENABLED".to_owned(), "0".to_owned()),
            ("vcs.revision".to_owned(), "0123abcd".to_owned()),
        ],
    }
}

#[test]
fn parse_modinfo_lines() {
    let mut info = parse_modinfo(MODINFO);
    assert_eq!(info.go_version, "");
    info.go_version = "go1.21.5".to_owned();
    assert_eq!(info, expected_info("go1.21.5"));
    // The `debug.BuildInfo.String` form with a `go` line, CRLF, junk lines and quoted keys.
    let info = parse_modinfo(
        "go\tgo1.22.0\r\nnonsense\n\tx\nmod\t\t\n=>\torphan\tv1\t\nbuild\t\"we ird\"=`raw \\n`\nbuild\tnoequals\nbuild\t=v\n",
    );
    assert_eq!(info.go_version, "go1.22.0");
    assert_eq!(info.main, None);
    assert_eq!(
        info.settings,
        vec![("we ird".to_owned(), "raw \\n".to_owned())]
    );
}

#[test]
fn go_quoting() {
    assert_eq!(
        go_unquote_prefix(r#""a\tb\x41\u00e9\101\"""#),
        Some(("a\tbAéA\"".to_owned(), 22))
    );
    assert_eq!(
        go_unquote_prefix(r#""\xc3\xa9"=x"#),
        Some(("é".to_owned(), 10))
    );
    assert_eq!(go_unquote_prefix(r#""unterminated"#), None);
    assert_eq!(go_unquote_prefix(r#""\q""#), None);
    assert_eq!(go_unquote_prefix(r#""\400""#), None);
    assert_eq!(go_unquote_prefix("`raw`rest"), Some(("raw".to_owned(), 5)));
    assert_eq!(
        build_setting(r#"-tags="a b""#),
        Some(("-tags".to_owned(), "a b".to_owned()))
    );
    // A value whose quoting is broken is kept as written.
    assert_eq!(
        build_setting(r#"k="a"#),
        Some(("k".to_owned(), "\"a".to_owned()))
    );
}

#[test]
fn inline_elf64_packages() {
    let bin = testbin::elf(
        true,
        false,
        &[Sec::new(
            ".go.buildinfo",
            0x60_0000,
            inline_blob(8, "go1.21.5", &framed(MODINFO)),
        )
        .writable()],
    );
    assert_eq!(read_build_info(&bin), Ok(Some(expected_info("go1.21.5"))));

    let scan = scan_go_binary("/usr/bin/hello", &bin);
    assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
    let purls: Vec<&str> = scan.packages.iter().map(|p| p.purl.as_str()).collect();
    assert_eq!(
        purls,
        [
            "pkg:golang/example.com/hello",
            "pkg:golang/github.com/gin-gonic/gin@v1.9.1",
            "pkg:golang/golang.org/x/text@v0.14.0",
            "pkg:golang/example.com/local@v0.0.0-00010101000000-000000000000",
            "pkg:golang/gopkg.in/yaml.v3@v3.0.1",
            "pkg:golang/stdlib@1.21.5",
        ]
    );
    for p in &scan.packages {
        assert_eq!(p.ecosystem, LangEcosystem::Golang);
        assert_eq!(p.evidence, Evidence::Installed);
        assert_eq!(p.confidence, Confidence::High);
        assert_eq!(p.location, "/usr/bin/hello");
    }
    let main = &scan.packages[0];
    assert_eq!(main.namespace.as_deref(), Some("example.com"));
    assert_eq!(main.name, "hello");
    assert_eq!(main.version, "(devel)");
    let prop = |p: &LangPackage, k: &str| p.properties.get(k).cloned();
    assert_eq!(prop(main, "go:main").as_deref(), Some("true"));
    assert_eq!(
        prop(main, "go:path").as_deref(),
        Some("example.com/hello/cmd/hello")
    );
    assert_eq!(prop(main, "go:version").as_deref(), Some("go1.21.5"));
    assert_eq!(prop(main, "go:build.CGO_ENABLED").as_deref(), Some("0"));
    assert_eq!(
        prop(main, "go:build.-ldflags").as_deref(),
        Some("-s -w -X \"main.version=1.0\"")
    );
    assert_eq!(
        prop(main, "go:build.vcs.revision").as_deref(),
        Some("0123abcd")
    );

    let gin = &scan.packages[1];
    assert_eq!(
        (gin.namespace.as_deref(), gin.name.as_str()),
        (Some("github.com/gin-gonic"), "gin")
    );
    assert_eq!(
        prop(gin, "go:h1").as_deref(),
        Some("h1:4idEAncQnU5cB7BeOkPtxjfCSye0AAm1R0RVIqJ+Jmg=")
    );

    let text = &scan.packages[2];
    assert_eq!(text.version, "v0.14.0");
    assert_eq!(
        prop(text, "go:replaces").as_deref(),
        Some("golang.org/x/text@v0.3.0")
    );
    assert_eq!(
        prop(text, "go:h1").as_deref(),
        Some("h1:ScX5w1eTa3QqT8oi6+ziP7dTV1S2+ALU0bI+0zXKWiQ=")
    );

    let local = &scan.packages[3];
    assert_eq!(local.name, "local");
    assert_eq!(prop(local, "go:replace").as_deref(), Some("../local"));
    assert_eq!(prop(local, "go:h1"), None);

    let stdlib = &scan.packages[5];
    assert_eq!(
        (stdlib.namespace.as_deref(), stdlib.name.as_str()),
        (None, "stdlib")
    );
    assert_eq!(stdlib.version, "go1.21.5");
    assert!(stdlib.properties.is_empty());
}

#[test]
fn pointer_format_elf_all_widths_and_orders() {
    for (is_64, be) in [(true, false), (true, true), (false, false), (false, true)] {
        let bin = pointer_elf(is_64, be);
        assert_eq!(
            read_build_info(&bin),
            Ok(Some(expected_info("go1.16.15"))),
            "64-bit {is_64}, big-endian {be}"
        );
    }
}

#[test]
fn pe_inline_and_pointer() {
    // Inline (Go >= 1.18): the header is in the read-write .data section.
    let bin = testbin::pe(
        true,
        0x1_4000_0000,
        &[
            Sec::new(".text", 0x1000, vec![0xc3; 64]),
            Sec::new(
                ".data",
                0x2000,
                inline_blob(8, "go1.20.1", &framed(MODINFO)),
            )
            .writable(),
        ],
        None,
    );
    assert_eq!(read_build_info(&bin), Ok(Some(expected_info("go1.20.1"))));
    // Pointer format: addresses are image base + RVA.
    for (is_64, base) in [(true, 0x1_4000_0000u64), (false, 0x40_0000)] {
        let ptr = if is_64 { 8 } else { 4 };
        let l = pointer_layout(
            ptr,
            false,
            base + 0x3000,
            base + 0x1000,
            "go1.15.2",
            &framed(MODINFO),
        );
        let bin = testbin::pe(
            is_64,
            base,
            &[
                Sec::new(".rdata", 0x1000, l.strings),
                Sec::new(".data", 0x2000, l.header).writable(),
                Sec::new(".bss2", 0x3000, l.string_headers).writable(),
            ],
            None,
        );
        assert_eq!(
            read_build_info(&bin),
            Ok(Some(expected_info("go1.15.2"))),
            "PE 64-bit {is_64}"
        );
    }
}

#[test]
fn macho_inline_pointer_and_fat() {
    let inline = testbin::macho(&[
        Seg::new("__TEXT", 0x1_0000_0000, 5, &[("__text", vec![0xc3; 32])]),
        Seg::new(
            "__DATA",
            0x1_0010_0000,
            3,
            &[(
                "__go_buildinfo",
                inline_blob(8, "go1.21.0", &framed(MODINFO)),
            )],
        ),
    ]);
    assert_eq!(
        read_build_info(&inline),
        Ok(Some(expected_info("go1.21.0")))
    );

    let l = pointer_layout(
        8,
        false,
        0x1_0020_0000,
        0x1_0000_0000,
        "go1.17.13",
        &framed(MODINFO),
    );
    let pointer = testbin::macho(&[
        Seg::new("__TEXT", 0x1_0000_0000, 5, &[("__rodata", l.strings)]),
        Seg::new("__DATA", 0x1_0010_0000, 3, &[("__go_buildinfo", l.header)]),
        Seg::new("__DATA2", 0x1_0020_0000, 3, &[("__data", l.string_headers)]),
    ]);
    assert_eq!(
        read_build_info(&pointer),
        Ok(Some(expected_info("go1.17.13")))
    );

    let fat = testbin::fat(&[pointer.clone(), inline.clone()]);
    assert_eq!(read_build_info(&fat), Ok(Some(expected_info("go1.17.13"))));
}

#[test]
fn header_is_found_outside_its_section_and_in_raw_bytes() {
    // No .go.buildinfo section: Go's fallback is the first writable non-executable segment.
    let bin = testbin::elf(
        true,
        false,
        &[
            Sec::new(".text", 0x40_1000, vec![0x90; 100]),
            Sec::new(
                ".noptrdata",
                0x60_0000,
                [vec![7; 48], inline_blob(8, "go1.19.8", &framed(MODINFO))].concat(),
            )
            .writable(),
        ],
    );
    assert_eq!(
        read_build_info(&bin).map(|i| i.map(|i| i.go_version)),
        Ok(Some("go1.19.8".to_owned()))
    );
    // Inline strings need no tables: a file whose headers are broken still yields them.
    let mut broken = bin.clone();
    broken[4] = 9; // invalid ELF class
    assert_eq!(
        read_build_info(&broken).map(|i| i.map(|i| i.go_version)),
        Ok(Some("go1.19.8".to_owned()))
    );
    let raw = [b"junk".to_vec(), inline_blob(4, "go1.18", &framed(MODINFO))].concat();
    assert_eq!(
        read_build_info(&raw).map(|i| i.map(|i| i.deps.len())),
        Ok(Some(4))
    );
}

#[test]
fn string_constant_before_the_real_header_is_skipped() {
    // A program linking debug/buildinfo holds the magic as a string in .rodata.
    // (Many of them: more than the number of candidates tried outside the data region.)
    let mut rodata = Vec::new();
    for _ in 0..100 {
        rodata.extend_from_slice(BUILDINFO_MAGIC);
        rodata.extend_from_slice(b"errNotGoExe: not a Go executable, 32+ bytes of text here");
    }
    let bin = testbin::elf(
        true,
        false,
        &[
            Sec::new(".rodata", 0x50_0000, rodata),
            Sec::new(
                ".go.buildinfo",
                0x60_0000,
                inline_blob(8, "go1.21.5", &framed(MODINFO)),
            )
            .writable(),
        ],
    );
    assert_eq!(read_build_info(&bin), Ok(Some(expected_info("go1.21.5"))));
}

#[test]
fn old_and_unframed_module_info() {
    // GOPATH-mode binary: a version, no module info. Only stdlib.
    let bin = inline_blob(8, "go1.13.15", b"");
    let scan = scan_go_binary("/app", &bin);
    assert_eq!(scan.packages.len(), 1);
    assert_eq!(scan.packages[0].purl, "pkg:golang/stdlib@1.13.15");
    // Module info without the sentinel framing is ignored, as Go does.
    let bin = inline_blob(8, "go1.18", MODINFO.as_bytes());
    let info = read_build_info(&bin).unwrap().unwrap();
    assert_eq!((info.main, info.deps.len()), (None, 0));
}

#[test]
fn stdlib_versions() {
    let p = stdlib_package("/x", "go1.21.5 X:boringcrypto,arenas");
    assert_eq!(
        (p.version.as_str(), p.purl.as_str()),
        ("go1.21.5", "pkg:golang/stdlib@1.21.5")
    );
    assert_eq!(
        p.properties.get("go:experiments").map(String::as_str),
        Some("boringcrypto,arenas")
    );
    let p = stdlib_package("/x", "devel go1.22-1a2b3c4 Tue Jan 2 00:00:00 2024 +0000");
    assert_eq!(
        p.version,
        "devel go1.22-1a2b3c4 Tue Jan 2 00:00:00 2024 +0000"
    );
    assert_eq!(p.purl, "pkg:golang/stdlib");
    let p = stdlib_package("/x", "go1.22rc1");
    assert_eq!(p.purl, "pkg:golang/stdlib@1.22rc1");
}

#[test]
fn main_module_with_a_release_version_and_no_path_segments() {
    let info = parse_modinfo("path\tmytool\nmod\tmytool\tv1.2.3\th1:abc=\n");
    let pkgs = packages("/bin/mytool", &info);
    assert_eq!(pkgs.len(), 1);
    assert_eq!(pkgs[0].purl, "pkg:golang/mytool@v1.2.3");
    assert_eq!(pkgs[0].namespace, None);
    assert_eq!(
        pkgs[0].properties.get("go:h1").map(String::as_str),
        Some("h1:abc=")
    );
}

#[test]
fn not_go_binaries() {
    for bytes in [
        Vec::new(),
        b"\x7fELF".to_vec(),
        testbin::elf(
            true,
            false,
            &[Sec::new(".data", 0x60_0000, vec![1; 64]).writable()],
        ),
        testbin::pe(
            true,
            0x40_0000,
            &[Sec::new(".data", 0x1000, vec![0; 64])],
            None,
        ),
        vec![0xff; 4096],
    ] {
        assert_eq!(read_build_info(&bytes), Ok(None));
        assert_eq!(scan_go_binary("/x", &bytes), LangScan::default());
    }
}

fn warning_for(bytes: &[u8]) -> String {
    let scan = scan_go_binary("/srv/app", bytes);
    assert!(scan.packages.is_empty());
    assert_eq!(scan.diagnostics.len(), 1, "{:?}", scan.diagnostics);
    let d = &scan.diagnostics[0];
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.path.as_deref(), Some("/srv/app"));
    d.message.clone()
}

#[test]
fn damaged_build_info_is_a_diagnostic() {
    // Truncated header.
    let msg = warning_for(&inline_blob(8, "go1.21.5", b"")[..20]);
    assert!(msg.contains("truncated"), "{msg}");
    // Truncated inline strings, and a huge length.
    let full = inline_blob(8, "go1.21.5", &framed(MODINFO));
    assert!(warning_for(&full[..full.len() - 10]).contains("module info"));
    let mut huge = BUILDINFO_MAGIC.to_vec();
    huge.extend_from_slice(&[8, 2]);
    huge.resize(32, 0);
    huge.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    assert!(warning_for(&huge).contains("version"));
    let mut overlong = huge.clone();
    overlong.truncate(32);
    overlong.extend_from_slice(&[0x80; 12]);
    assert!(warning_for(&overlong).contains("version"));
    // Bad pointer size.
    let mut bad = full.clone();
    bad[14] = 3;
    assert!(warning_for(&bad).contains("pointer size"));
    // Implausible version.
    let msg = warning_for(&inline_blob(8, "go\u{1}1", b""));
    assert!(msg.contains("implausible"), "{msg}");
}

#[test]
fn damaged_pointers_are_a_diagnostic() {
    let l = pointer_layout(8, false, 0x61_0000, 0x50_0000, "go1.16", &framed(MODINFO));
    let build = |header: Vec<u8>, string_headers: Vec<u8>| {
        testbin::elf(
            true,
            false,
            &[
                Sec::new(".rodata", 0x50_0000, l.strings.clone()),
                Sec::new(".go.buildinfo", 0x60_0000, header).writable(),
                Sec::new(".data", 0x61_0000, string_headers).writable(),
            ],
        )
    };
    // Header pointing outside any segment.
    let mut header = l.header.clone();
    header[16..24].copy_from_slice(&0xdead_0000u64.to_le_bytes());
    assert!(warning_for(&build(header, l.string_headers.clone())).contains("outside the file"));
    // String length beyond the file, and beyond its segment.
    let mut sh = l.string_headers.clone();
    sh[8..16].copy_from_slice(&u64::MAX.to_le_bytes());
    assert!(warning_for(&build(l.header.clone(), sh)).contains("exceeds the file size"));
    let mut sh = l.string_headers.clone();
    sh[24..32].copy_from_slice(&(l.strings.len() as u64).to_le_bytes());
    assert!(warning_for(&build(l.header.clone(), sh)).contains("outside the file"));
    // Address arithmetic at the top of the address space.
    let mut sh = l.string_headers.clone();
    sh[0..8].copy_from_slice(&(u64::MAX - 2).to_le_bytes());
    assert!(warning_for(&build(l.header.clone(), sh)).contains("outside the file"));
    // Pointer format in a file that is no executable, or whose tables are broken.
    let msg = warning_for(&l.header);
    assert!(msg.contains("not ELF, PE or Mach-O"), "{msg}");
    let mut broken = build(l.header.clone(), l.string_headers.clone());
    broken[5] = 7; // invalid ELF data encoding
    let msg = warning_for(&broken);
    assert!(msg.contains("executable is unreadable"), "{msg}");
}

/// Test-only: a committed fixture of this crate (the library itself never touches files).
fn crate_fixture(rel: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"));
    stellaops_testkit::fs::read(&path).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

#[test]
fn real_go_1_19_binary() {
    let bin = crate_fixture("go/hello-linux-amd64");
    let scan = scan_go_binary("/usr/local/bin/hello", &bin);
    assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
    type Row<'a> = (
        &'a str,
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
    );
    let got: Vec<Row<'_>> = scan
        .packages
        .iter()
        .map(|p| {
            (
                p.purl.as_str(),
                p.version.as_str(),
                p.properties.get("go:h1").map(String::as_str),
                p.properties.get("go:replaces").map(String::as_str),
                p.properties.get("go:replace").map(String::as_str),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("pkg:golang/example.com/hello", "(devel)", None, None, None),
            (
                "pkg:golang/example.com/greet@v1.2.3",
                "v1.2.3",
                Some("h1:YnHNxPwzWK0Ha/zSG5fJkf8xer4KIUeMH6m8CRDRk2Y="),
                None,
                None
            ),
            (
                "pkg:golang/example.com/local@v0.0.0-00010101000000-000000000000",
                "v0.0.0-00010101000000-000000000000",
                None,
                None,
                Some("./local")
            ),
            (
                "pkg:golang/example.com/new@v1.1.0",
                "v1.1.0",
                Some("h1:pAISDMD8Yjrv2q585TD23w4xIZpEJJKkFBNEnASzrqY="),
                Some("example.com/old@v1.0.0"),
                None
            ),
            ("pkg:golang/stdlib@1.19.8", "go1.19.8", None, None, None),
        ]
    );
    let main = &scan.packages[0];
    let settings: Vec<(&str, &str)> = main
        .properties
        .iter()
        .filter(|(k, _)| k.starts_with("go:build."))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        settings,
        [
            ("go:build.-compiler", "gc"),
            ("go:build.-trimpath", "true"),
            ("go:build.CGO_ENABLED", "0"),
            ("go:build.GOAMD64", "v1"),
            ("go:build.GOARCH", "amd64"),
            ("go:build.GOOS", "linux"),
        ]
    );
    assert_eq!(
        main.properties.get("go:path").map(String::as_str),
        Some("example.com/hello")
    );
}

/// Real binaries from this machine (e.g. the PE and Mach-O builds of
/// `tests/fixtures/go/regenerate.sh` with OUT_EXTRA_DIR set), named in STELLAOPS_GO_BINARIES
/// (colon-separated). Not run by default: it depends on files outside the repository.
#[test]
#[ignore = "needs STELLAOPS_GO_BINARIES"]
fn real_go_binaries_from_env() {
    let list = stellaops_testkit::env::var("STELLAOPS_GO_BINARIES").unwrap_or_default();
    for path in list.split(':').filter(|p| !p.is_empty()) {
        let bytes =
            stellaops_testkit::fs::read(path).unwrap_or_else(|e| panic!("read {path}: {e}"));
        let info = read_build_info(&bytes)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .unwrap_or_else(|| panic!("{path}: no build info"));
        assert!(info.go_version.starts_with("go"), "{path}: {info:?}");
        assert!(!info.path.is_empty(), "{path}: {info:?}");
        let exe = Exe::parse(&bytes).unwrap().unwrap();
        assert!(data_region(&exe).is_some(), "{path}: no data region");
    }
}

#[test]
fn mutated_binaries_never_panic() {
    let l = pointer_layout(8, false, 0x61_0000, 0x50_0000, "go1.16", &framed(MODINFO));
    let mut bases = vec![
        pointer_elf(true, false),
        pointer_elf(false, true),
        testbin::pe(
            false,
            0x40_0000,
            &[
                Sec::new(".rdata", 0x1000, l.strings.clone()),
                Sec::new(".data", 0x2000, l.header.clone()).writable(),
            ],
            None,
        ),
        testbin::macho(&[Seg::new(
            "__DATA",
            0x1000,
            3,
            &[("__go_buildinfo", l.header.clone())],
        )]),
        testbin::fat(&[testbin::macho(&[Seg::new(
            "__DATA",
            0x1000,
            3,
            &[(
                "__go_buildinfo",
                inline_blob(8, "go1.21.0", &framed(MODINFO)),
            )],
        )])]),
    ];
    bases.push(inline_blob(8, "go1.21.5", &framed(MODINFO)));
    for (i, base) in bases.iter().enumerate() {
        for m in testbin::mutations(base, 0x9e37_79b9 + i as u64, 1500) {
            let scan = scan_go_binary("/m", &m);
            assert!(scan
                .diagnostics
                .iter()
                .all(|d| d.path.as_deref() == Some("/m")));
        }
    }
    // The real binary: mutate its headers and its build info.
    let real = crate_fixture("go/hello-linux-amd64");
    let at = find_all(&real, BUILDINFO_MAGIC).next().unwrap();
    for (j, m) in testbin::mutations(&real[..4096], 7, 40)
        .into_iter()
        .enumerate()
    {
        let mut bytes = real.clone();
        bytes[..m.len()].copy_from_slice(&m);
        let _ = scan_go_binary("/m", &bytes);
        let mut bytes = real.clone();
        let window = &real[at..at + 512];
        let m = &testbin::mutations(window, j as u64 + 1, 1)[0];
        bytes[at..at + m.len()].copy_from_slice(m);
        let _ = scan_go_binary("/m", &bytes);
    }
}

/// Long robustness run over every executable reader (Go build info, cargo-auditable, PE
/// version resources): STELLAOPS_STRESS_ITERATIONS mutations per base file.
#[test]
#[ignore = "long; set STELLAOPS_STRESS_ITERATIONS"]
fn stress_executable_readers() {
    let n: usize = stellaops_testkit::env::var("STELLAOPS_STRESS_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let l = pointer_layout(8, false, 0x61_0000, 0x50_0000, "go1.16", &framed(MODINFO));
    let inline = inline_blob(8, "go1.21.5", &framed(MODINFO));
    let bases = [
        pointer_elf(true, false),
        pointer_elf(false, true),
        testbin::pe(
            true,
            0x1_4000_0000,
            &[
                Sec::new(".rdata", 0x1000, l.strings.clone()),
                Sec::new(".data", 0x2000, l.header.clone()).writable(),
                Sec::new(".dep-v0", 0x3000, vec![0x78, 0x9c, 3, 0, 0, 0, 0, 1]),
                Sec::new(".rsrc", 0x4000, vec![0; 64]),
            ],
            Some((0x4000, 64)),
        ),
        testbin::macho(&[
            Seg::new("__TEXT", 0x1000, 5, &[("__text", vec![0; 16])]),
            Seg::new(
                "__DATA",
                0x8000,
                3,
                &[("__go_buildinfo", inline.clone()), (".dep-v0", vec![0; 8])],
            ),
        ]),
        testbin::fat(&[testbin::macho(&[Seg::new(
            "__DATA",
            0x1000,
            3,
            &[("__go_buildinfo", inline)],
        )])]),
        crate_fixture("go/hello-linux-amd64")[..8192].to_vec(),
        crate_fixture("rust/hello-auditable-linux-x86_64")[..8192].to_vec(),
    ];
    for (i, base) in bases.iter().enumerate() {
        for m in testbin::mutations(base, 0xabcd_ef01 + i as u64, n) {
            let _ = scan_go_binary("/m", &m);
            let _ = crate::lang::rust::scan_auditable_binary("/m", &m);
            let _ = crate::lang::dotnet::pe_version_info(&m);
        }
    }
}
