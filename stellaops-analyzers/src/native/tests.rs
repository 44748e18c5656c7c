//! Tests of [`super::sniff`] and [`super::parse_binary`] over real binaries: the committed
//! Go and Rust fixtures and `tests/fixtures/native/` (built by its `regenerate.sh`: gcc/GNU ld
//! ELF, GNU ld PE, yaml2obj/llvm-lipo Mach-O), plus damaged copies of them.

use serde_json::{json, Value};

use super::{parse_binary, sniff, BinaryFormat};
use crate::lang::golang::testbin::mutations;

fn crate_fixture(rel: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"));
    stellaops_testkit::fs::read(&path).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

fn native(name: &str) -> Vec<u8> {
    crate_fixture(&format!("native/{name}"))
}

/// Every fixture, by path under `tests/fixtures`.
const FIXTURES: &[&str] = &[
    "go/hello-linux-amd64",
    "rust/hello-auditable-linux-x86_64",
    "native/libgreet.so.1",
    "native/hello-rpath",
    "native/hello-runpath",
    "native/tiny-static",
    "native/tiny-static-pie",
    "native/tiny-i386",
    "native/libgreet-s390x.so",
    "native/hello.exe",
    "native/greet.dll",
    "native/hello32.exe",
    "native/libgreet.dylib",
    "native/hello-universal",
    "native/hello-ppc",
];

/// Parses `bytes` and compares the JSON of the result with `expected`.
fn check(bytes: &[u8], expected: &Value) {
    let info = parse_binary(bytes).unwrap_or_else(|e| panic!("parse: {e}"));
    let got = serde_json::to_value(&info).expect("serialize");
    assert_eq!(&got, expected, "\n got: {got}\nwant: {expected}");
}

fn check_err(bytes: &[u8], expected: &str) {
    assert_eq!(parse_binary(bytes), Err(expected.to_owned()));
}

#[test]
fn elf_shared_library_with_soname_and_build_id() {
    check(
        &native("libgreet.so.1"),
        &json!({
            "format": "elf", "arch": "x86_64", "kind": "sharedLibrary",
            "soname": "libgreet.so.1",
            "needed": ["libc.so.6"],
            "symbolVersions": ["GLIBC_2.2.5"], "maxGlibc": "2.2.5",
            "buildId": "7af8901827ba67dc8fa02d3efef5fd80de51a26f",
        }),
    );
}

#[test]
fn elf_pie_with_rpath() {
    check(
        &native("hello-rpath"),
        &json!({
            "format": "elf", "arch": "x86_64", "kind": "executable",
            "interpreter": "/lib64/ld-linux-x86-64.so.2",
            "needed": ["libgreet.so.1", "libc.so.6"],
            "rpath": ["$ORIGIN/../lib", "/opt/greet/lib"],
            "symbolVersions": ["GLIBC_2.2.5", "GLIBC_2.34"], "maxGlibc": "2.34",
            "buildId": "bde33a9fb2b532b64628828706bfb17a515ab1d2",
        }),
    );
}

#[test]
fn elf_non_pie_executable_with_runpath_and_no_build_id() {
    check(
        &native("hello-runpath"),
        &json!({
            "format": "elf", "arch": "x86_64", "kind": "executable",
            "interpreter": "/lib64/ld-linux-x86-64.so.2",
            "needed": ["libgreet.so.1", "libc.so.6"],
            "runpath": ["$ORIGIN/lib"],
            "symbolVersions": ["GLIBC_2.34"], "maxGlibc": "2.34",
        }),
    );
}

#[test]
fn elf_static_executables() {
    check(
        &native("tiny-static"),
        &json!({
            "format": "elf", "arch": "x86_64", "kind": "executable",
            "buildId": "c8147788df6da3de74d97ced434adf17", "isStatic": true,
        }),
    );
    // ET_DYN without PT_INTERP: an executable only because of DF_1_PIE.
    check(
        &native("tiny-static-pie"),
        &json!({ "format": "elf", "arch": "x86_64", "kind": "executable", "isStatic": true }),
    );
    check(
        &native("tiny-i386"),
        &json!({
            "format": "elf", "arch": "i386", "kind": "executable",
            "buildId": "b8e12ea39b7564b8a2c2736a87ae66ccfc6f6a3b", "isStatic": true,
        }),
    );
    // Go's linker writes no GNU build-id note unless asked to (-B).
    check(
        &crate_fixture("go/hello-linux-amd64"),
        &json!({ "format": "elf", "arch": "x86_64", "kind": "executable", "isStatic": true }),
    );
}

#[test]
fn elf_big_endian_s390x_with_two_version_needs() {
    check(
        &native("libgreet-s390x.so"),
        &json!({
            "format": "elf", "arch": "s390x", "kind": "sharedLibrary",
            "soname": "libgreet.so.1",
            "needed": ["libc.so.6", "libm.so.6"],
            "runpath": ["/opt/greet/lib", "$ORIGIN"],
            "symbolVersions": ["GLIBC_2.2", "GLIBC_2.29", "GLIBC_2.34", "GLIBC_PRIVATE"],
            "maxGlibc": "2.34",
            "buildId": "5a390000c0ffee00112233445566778899aabbcc",
        }),
    );
}

#[test]
fn elf_rust_binary_version_needs_across_two_libraries() {
    check(
        &crate_fixture("rust/hello-auditable-linux-x86_64"),
        &json!({
            "format": "elf", "arch": "x86_64", "kind": "executable",
            "interpreter": "/lib64/ld-linux-x86-64.so.2",
            "needed": ["libgcc_s.so.1", "libc.so.6"],
            "symbolVersions": [
                "GCC_3.0", "GCC_3.3", "GCC_4.2.0",
                "GLIBC_2.14", "GLIBC_2.16", "GLIBC_2.2.5", "GLIBC_2.28", "GLIBC_2.3",
                "GLIBC_2.3.4", "GLIBC_2.30", "GLIBC_2.32", "GLIBC_2.33", "GLIBC_2.34",
            ],
            "maxGlibc": "2.34",
            "buildId": "7b5072fb8c85c485555e76b6ae941f8c4d49fcf7",
        }),
    );
}

#[test]
fn pe_executables_and_dll() {
    check(
        &native("hello.exe"),
        &json!({
            "format": "pe", "arch": "x86_64", "kind": "executable",
            "needed": ["KERNEL32.dll", "msvcrt.dll"],
        }),
    );
    check(
        &native("hello32.exe"),
        &json!({
            "format": "pe", "arch": "i386", "kind": "executable",
            "needed": ["KERNEL32.dll"],
        }),
    );
    check(
        &native("greet.dll"),
        &json!({
            "format": "pe", "arch": "x86_64", "kind": "sharedLibrary",
            "soname": "greet.dll",
            "needed": ["msvcrt.dll"],
            "peVersion": {
                "CompanyName": "Stella Ops Test",
                "FileDescription": "greet test DLL",
                "FileVersion": "1.2.3.4",
                "InternalName": "greet",
                "OriginalFilename": "greet.dll",
                "ProductName": "Greet",
                "ProductVersion": "1.2.0",
                "VS_FIXEDFILEINFO.FileVersion": "1.2.3.4",
                "VS_FIXEDFILEINFO.ProductVersion": "1.2.0.0",
            },
        }),
    );
}

#[test]
fn macho_dylib() {
    check(
        &native("libgreet.dylib"),
        &json!({
            "format": "macho", "arch": "x86_64", "kind": "sharedLibrary",
            "soname": "@rpath/libgreet.1.dylib",
            "needed": ["@rpath/libgreet-core.1.dylib", "/usr/lib/libSystem.B.dylib"],
            "buildId": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        }),
    );
}

#[test]
fn macho_fat_merges_slices() {
    // Top level from the x86_64 slice; arm64 adds libobjc and a second rpath.
    check(
        &native("hello-universal"),
        &json!({
            "format": "macho", "arch": "x86_64", "archs": ["x86_64", "aarch64"],
            "kind": "executable",
            "interpreter": "/usr/lib/dyld",
            "needed": [
                "@rpath/libgreet.1.dylib", "/usr/lib/libz.1.dylib",
                "/usr/lib/libSystem.B.dylib", "/usr/lib/libobjc.A.dylib",
            ],
            "rpath": ["@executable_path/../lib", "/opt/homebrew/lib"],
            "buildId": "11111111222233334444555555555555",
        }),
    );
}

#[test]
fn macho_32_bit_big_endian() {
    check(
        &native("hello-ppc"),
        &json!({
            "format": "macho", "arch": "ppc", "kind": "executable",
            "interpreter": "/usr/lib/dyld",
            "needed": ["/usr/lib/libSystem.B.dylib"],
            "rpath": ["@loader_path/../Frameworks"],
        }),
    );
}

#[test]
fn macho_fat_64_header() {
    // The same slices behind a fat_arch_64 table (offset and size as u64).
    let fat = native("hello-universal");
    let mut fat64 = vec![0xca, 0xfe, 0xba, 0xbf, 0, 0, 0, 2];
    for i in 0..2 {
        let e = &fat[8 + 20 * i..28 + 20 * i];
        fat64.extend_from_slice(&e[..8]);
        fat64.extend_from_slice(&[0; 4]);
        fat64.extend_from_slice(&e[8..12]);
        fat64.extend_from_slice(&[0; 4]);
        fat64.extend_from_slice(&e[12..20]);
        fat64.extend_from_slice(&[0; 4]);
    }
    fat64.extend_from_slice(&fat[fat64.len()..]);
    assert_eq!(parse_binary(&fat64), parse_binary(&fat));
}

#[test]
fn sniff_formats() {
    let hello_exe = native("hello.exe");
    let cases: &[(&[u8], Option<BinaryFormat>)] = &[
        (b"\x7fELF", Some(BinaryFormat::Elf)),
        (b"\x7fELF\x02\x01\x01", Some(BinaryFormat::Elf)),
        (b"\x7fELF\x03\x01", None),
        (b"\x7fELF\x02\x00", None),
        (b"MZ", Some(BinaryFormat::Pe)),
        (&hello_exe[..64], Some(BinaryFormat::Pe)),
        (&hello_exe, Some(BinaryFormat::Pe)),
        // A DOS program: e_lfanew 0.
        (
            &[b'M', b'Z']
                .iter()
                .copied()
                .chain([0; 62])
                .collect::<Vec<_>>(),
            None,
        ),
        (b"\xfe\xed\xfa\xce", Some(BinaryFormat::MachO)),
        (b"\xfe\xed\xfa\xcf", Some(BinaryFormat::MachO)),
        (b"\xce\xfa\xed\xfe", Some(BinaryFormat::MachO)),
        (b"\xcf\xfa\xed\xfe", Some(BinaryFormat::MachO)),
        (
            b"\xca\xfe\xba\xbe\x00\x00\x00\x02",
            Some(BinaryFormat::MachO),
        ),
        (
            b"\xca\xfe\xba\xbf\x00\x00\x00\x01",
            Some(BinaryFormat::MachO),
        ),
        (
            b"\xca\xfe\xba\xbe\x00\x00\x00\x20",
            Some(BinaryFormat::MachO),
        ),
        // Java class files: version 52.0 (Java 8), 65.0, 45.3 (Java 1.1).
        (b"\xca\xfe\xba\xbe\x00\x00\x00\x34", None),
        (b"\xca\xfe\xba\xbe\x00\x00\x00\x41", None),
        (b"\xca\xfe\xba\xbe\x00\x03\x00\x2d", None),
        (b"\xca\xfe\xba\xbe\x00\x00\x00\x00", None),
        (b"\xca\xfe\xba\xbe", None),
        (b"", None),
        (b"#!/bin/sh\n", None),
        (b"PK\x03\x04", None),
    ];
    for (head, expected) in cases {
        assert_eq!(sniff(head), *expected, "{head:02x?}");
    }
    for rel in FIXTURES {
        let bytes = crate_fixture(rel);
        assert!(sniff(&bytes[..64]).is_some(), "{rel}");
    }
}

#[test]
fn not_a_binary() {
    check_err(
        b"\xca\xfe\xba\xbe\x00\x00\x00\x34rest of a class file",
        "not an ELF, PE or Mach-O file",
    );
    check_err(b"hello", "not an ELF, PE or Mach-O file");
}

#[test]
fn elf_arch_names() {
    // (fixture, e_machine, expected arch): the machine field is all that changes.
    let cases: &[(&str, u16, Option<&str>)] = &[
        ("tiny-static", 183, Some("aarch64")),
        ("tiny-static", 243, Some("riscv64")),
        ("tiny-static", 21, Some("ppc64le")),
        ("tiny-static", 8, Some("mips64el")),
        ("tiny-static", 258, Some("loongarch64")),
        ("tiny-static", 0x7777, None),
        ("tiny-i386", 40, Some("arm")),
        ("tiny-i386", 62, Some("x32")),
        ("tiny-i386", 8, Some("mipsel")),
    ];
    for &(name, machine, expected) in cases {
        let mut bytes = native(name);
        bytes[18..20].copy_from_slice(&machine.to_le_bytes());
        let info = parse_binary(&bytes).expect("parse");
        assert_eq!(info.arch.as_deref(), expected, "{name} {machine}");
    }
    let mut be = native("libgreet-s390x.so");
    be[18..20].copy_from_slice(&21u16.to_be_bytes());
    assert_eq!(parse_binary(&be).unwrap().arch.as_deref(), Some("ppc64"));
}

#[test]
fn elf_truncated_or_absurd_headers() {
    let tiny = native("tiny-static");
    check_err(&tiny[..4], "ELF header truncated or invalid");
    check_err(&tiny[..63], "ELF header truncated or invalid");
    // The section header table is at the end of the file: any truncation loses it.
    check_err(&tiny[..tiny.len() - 1], "ELF section headers out of bounds");

    let mut shnum = tiny.clone();
    shnum[60..62].copy_from_slice(&0xffffu16.to_le_bytes());
    check_err(&shnum, "ELF section headers out of bounds");
    let mut shoff = tiny.clone();
    shoff[40..48].copy_from_slice(&u64::MAX.to_le_bytes());
    check_err(&shoff, "ELF section headers out of bounds");
    let mut phnum = tiny.clone();
    phnum[56..58].copy_from_slice(&0xffffu16.to_le_bytes());
    check_err(&phnum, "ELF program headers out of bounds");
    let mut class = tiny.clone();
    class[4] = 7;
    check_err(&class, "not an ELF, PE or Mach-O file");
}

#[test]
fn elf_dynamic_string_out_of_bounds() {
    // Point DT_SONAME of the s390x library past the end of .dynstr.
    let good = native("libgreet-s390x.so");
    let dynamic = 0x2f0; // PT_DYNAMIC offset, see regenerate.sh / readelf -l
    let mut bytes = good.clone();
    assert_eq!(&bytes[dynamic + 32..dynamic + 40], &14u64.to_be_bytes());
    bytes[dynamic + 40..dynamic + 48].copy_from_slice(&0x1000u64.to_be_bytes());
    check_err(&bytes, "ELF dynamic string out of bounds");
    // DT_VERNEED pointing outside every PT_LOAD.
    let mut bytes = good;
    assert_eq!(
        &bytes[dynamic + 96..dynamic + 104],
        &0x6fff_fffeu64.to_be_bytes()
    );
    bytes[dynamic + 104..dynamic + 112].copy_from_slice(&0x9000u64.to_be_bytes());
    check_err(&bytes, "ELF version needs out of bounds");
}

#[test]
fn macho_malformed_load_commands() {
    let dylib = native("libgreet.dylib");
    let mut ncmds = dylib.clone();
    ncmds[16..20].copy_from_slice(&0xffff_ffffu32.to_le_bytes());
    check_err(&ncmds, "Mach-O load commands out of bounds");
    let mut sizeofcmds = dylib.clone();
    sizeofcmds[20..24].copy_from_slice(&0x10_0000u32.to_le_bytes());
    check_err(&sizeofcmds, "Mach-O load commands out of bounds");
    let mut zero = dylib.clone();
    zero[36..40].copy_from_slice(&0u32.to_le_bytes());
    check_err(&zero, "Mach-O load command size out of bounds");
    check_err(&dylib[..40], "Mach-O load commands out of bounds");
    // LC_ID_DYLIB's name offset past its command.
    let mut name = dylib;
    name[40..44].copy_from_slice(&200u32.to_le_bytes());
    check_err(&name, "Mach-O load command string out of bounds");

    let fat = native("hello-universal");
    let mut slice = fat.clone();
    slice[16..20].copy_from_slice(&0x00ff_0000u32.to_be_bytes());
    check_err(&slice, "fat Mach-O slice out of bounds");
    check_err(&fat[..20], "fat Mach-O header truncated");
    let mut count = fat;
    count[4..8].copy_from_slice(&33u32.to_be_bytes());
    check_err(&count, "not an ELF, PE or Mach-O file");
}

#[test]
fn pe_malformed() {
    let exe = native("hello.exe");
    check_err(&exe[..64], "PE header truncated or invalid");
    check_err(&exe[..0x190], "PE section table out of bounds");
    // The first import descriptor's Name RVA pointing nowhere.
    let header = goblin::pe::header::Header::parse(&exe).unwrap();
    let opt = header.optional_header.unwrap();
    let rva = opt
        .data_directories
        .get_import_table()
        .unwrap()
        .virtual_address;
    let mut off = 0x80 + 24 + usize::from(header.coff_header.size_of_optional_header);
    let sections = header.coff_header.sections(&exe, &mut off).unwrap();
    let s = sections
        .iter()
        .find(|s| (s.virtual_address..s.virtual_address + s.virtual_size).contains(&rva))
        .unwrap();
    let at = usize::try_from(rva - s.virtual_address + s.pointer_to_raw_data).unwrap();
    let mut bytes = exe.clone();
    bytes[at + 12..at + 16].copy_from_slice(&0x00ff_ff00u32.to_le_bytes());
    check_err(&bytes, "PE import name out of bounds");
    // No terminating descriptor before the end of the file.
    let mut bytes = exe;
    for b in &mut bytes[at..] {
        *b = 0x11;
    }
    assert!(parse_binary(&bytes).is_err());
}

#[test]
fn random_bytes_after_magic_are_errors() {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let magics: &[&[u8]] = &[
        b"\x7fELF\x02\x01\x01",
        b"\x7fELF\x01\x02\x01",
        b"\xfe\xed\xfa\xce",
        b"\xcf\xfa\xed\xfe",
        b"\xca\xfe\xba\xbe\x00\x00\x00\x03",
        b"MZ",
    ];
    for magic in magics {
        for _ in 0..500 {
            let len = usize::try_from(next() % 600).unwrap();
            let mut bytes = magic.to_vec();
            bytes.extend((0..len).map(|_| next().to_le_bytes()[0]));
            assert!(
                parse_binary(&bytes).is_err(),
                "{:02x?}",
                &bytes[..bytes.len().min(64)]
            );
        }
    }
}

#[test]
fn truncations_and_mutations_never_panic() {
    for rel in FIXTURES {
        let bytes = crate_fixture(rel);
        let step = (bytes.len() / 1500).max(1);
        for len in (0..bytes.len()).step_by(step) {
            let _ = parse_binary(&bytes[..len]);
        }
        for (i, m) in mutations(&bytes, 0x5eed ^ bytes.len() as u64, 300)
            .iter()
            .enumerate()
        {
            if let Ok(info) = parse_binary(m) {
                assert!(serde_json::to_vec(&info).is_ok(), "{rel} mutation {i}");
            }
        }
    }
}

#[test]
fn max_glibc_compares_numerically() {
    let names: Vec<String> = [
        "GLIBC_2.9",
        "GLIBC_2.10",
        "GLIBC_PRIVATE",
        "GLIBC_2.2.5",
        "GCC_7.0",
    ]
    .map(str::to_owned)
    .to_vec();
    assert_eq!(super::elf::max_glibc(&names).as_deref(), Some("2.10"));
    assert_eq!(super::elf::max_glibc(&[]), None);
}

#[test]
fn elf_too_many_needed_entries() {
    // Move the s390x library's PT_DYNAMIC to a new table at the end of the file holding
    // MAX_NAMES + 1 DT_NEEDED entries (all naming "libc.so.6"), then DT_STRTAB and DT_NULL.
    let mut bytes = native("libgreet-s390x.so");
    let at = bytes.len();
    let mut entry = |tag: u64, val: u64| {
        bytes.extend_from_slice(&tag.to_be_bytes());
        bytes.extend_from_slice(&val.to_be_bytes());
    };
    for _ in 0..=super::MAX_NAMES {
        entry(1, 1);
    }
    entry(5, 0x224);
    entry(0, 0);
    let size = (bytes.len() - at) as u64;
    let phdr = 64 + 56; // the second program header is PT_DYNAMIC
    assert_eq!(&bytes[phdr..phdr + 4], &2u32.to_be_bytes());
    bytes[phdr + 8..phdr + 16].copy_from_slice(&(at as u64).to_be_bytes());
    bytes[phdr + 32..phdr + 40].copy_from_slice(&size.to_be_bytes());
    check_err(&bytes, "ELF has more than 10000 dynamic string entries");
    // Without the last DT_NEEDED (the third entry from the end) it parses, with every name.
    let cut = bytes.len() - 3 * 16;
    bytes.drain(cut..cut + 16);
    bytes[phdr + 32..phdr + 40].copy_from_slice(&(size - 16).to_be_bytes());
    let info = parse_binary(&bytes).unwrap();
    assert_eq!(info.needed.len(), super::MAX_NAMES);
    assert!(info.needed.iter().all(|n| n == "libc.so.6"));
}
