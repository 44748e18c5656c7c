#![no_main]
//! Go build info (`lang::golang::read_build_info`, `scan_go_binary`, `parse_modinfo`) on
//! arbitrary bytes: ELF/PE/Mach-O/fat tables, the inline (Go >= 1.18) and pointer header
//! formats, and the module info text.
//!
//! `scan_go_binary` agrees with `read_build_info`: no packages and no diagnostic for `Ok(None)`,
//! no diagnostic for `Ok(Some)`, exactly one diagnostic and no packages for `Err`. A decoded
//! toolchain version is non-empty printable ASCII.

use libfuzzer_sys::fuzz_target;
use stellaops_analyzers::lang::golang;

mod lang_check;

fuzz_target!(|data: &[u8]| {
    let info = golang::read_build_info(data);
    let scan = golang::scan_go_binary("/x", data);
    match &info {
        Ok(None) => assert!(scan.packages.is_empty() && scan.diagnostics.is_empty()),
        Ok(Some(info)) => {
            assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
            assert!(
                !info.go_version.is_empty() && info.go_version.bytes().all(|b| (0x20..0x7f).contains(&b)),
                "go version {:?}",
                info.go_version
            );
        }
        Err(e) => {
            assert!(!e.is_empty());
            assert!(scan.packages.is_empty());
            assert_eq!(scan.diagnostics.len(), 1, "{:?}", scan.diagnostics);
        }
    }
    lang_check::check_scan(&scan, "/x");
    // The module info text parser on its own (lenient: never fails).
    let _ = golang::parse_modinfo(&String::from_utf8_lossy(data));
});
