#![no_main]
//! Rust crates: the cargo-auditable `.dep-v0` section of ELF/PE/Mach-O binaries (bounded zlib
//! inflate, then JSON) via `lang::rust::scan_auditable_binary`, and the `Cargo.lock` reader
//! `parse_cargo_lock`, both on the same bytes.

use libfuzzer_sys::fuzz_target;
use stellaops_analyzers::lang::rust;

mod lang_check;

fuzz_target!(|data: &[u8]| {
    let scan = rust::scan_auditable_binary("/x", data);
    lang_check::check_scan(&scan, "/x");
    let scan = rust::parse_cargo_lock("/x", data);
    lang_check::check_scan(&scan, "/x");
});
