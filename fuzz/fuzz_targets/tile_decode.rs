#![no_main]
use libfuzzer_sys::fuzz_target;

// C2SP tlog-tiles: hash tiles, entry bundles and tile paths. Whatever decodes must encode
// back to the same bytes (each resource has exactly one encoding).
fuzz_target!(|data: &[u8]| {
    use stellaops_attest::tlog::tiles::{
        decode_entry_bundle, decode_tile, encode_entry_bundle, encode_tile, parse_tile_path,
    };
    if let Ok(hashes) = decode_tile(data) {
        assert_eq!(encode_tile(&hashes).expect("re-encode tile"), data);
    }
    if let Ok(entries) = decode_entry_bundle(data) {
        assert_eq!(
            encode_entry_bundle(&entries).expect("re-encode bundle"),
            data
        );
    }
    let path = String::from_utf8_lossy(data);
    if let Ok(tp) = parse_tile_path(&path) {
        assert_eq!(tp.to_path(), path, "tile path is not canonical");
    }
});
