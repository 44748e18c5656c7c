#![no_main]
//! The Java archive walker (`lang::java::scan_archive_launch`) on arbitrary bytes: zip central
//! directory, nested jars, zip bombs, zip-slip entry names, manifests and pom.properties.
//! Small limits keep one run cheap; the walk must stay inside them and never panic.

use libfuzzer_sys::fuzz_target;
use stellaops_analyzers::lang::java::{scan_archive_launch, JavaLimits};

mod lang_check;

const PATH: &str = "/app/fuzz.jar";

fuzz_target!(|data: &[u8]| {
    let limits = JavaLimits {
        max_depth: 4,
        max_entries: 1_000,
        max_total_uncompressed: 4 << 20,
        max_entry_bytes: 1 << 20,
        max_ratio: 100,
    };
    let (scan, launch) = scan_archive_launch(PATH, data, &limits);
    lang_check::check_scan(&scan, PATH);
    // Class-Path is a space-separated list.
    for entry in &launch.class_path {
        assert!(!entry.is_empty() && !entry.contains(' '), "Class-Path entry {entry:?}");
    }
});
