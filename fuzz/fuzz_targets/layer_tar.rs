#![no_main]
use libfuzzer_sys::fuzz_target;

// The whole layer path: compression detection, gzip/zstd decoding, tar walk, whiteouts,
// capture of package databases and their parsers, digest checks.
fuzz_target!(|data: &[u8]| {
    let limits = stellaops_analyzers::Limits {
        max_layer_uncompressed: 64 << 20,
        ratio_check_after: 1 << 20,
        ..Default::default()
    };
    let _ = stellaops_analyzers::scan_layer(data, Default::default(), &limits);
});
