#![no_main]
use libfuzzer_sys::fuzz_target;

// RFC 8785 canonicalisation. Canonical output must be JSON, and canonicalising it again must
// give the same bytes: canonical(parse(canonical(x))) == canonical(x).
fuzz_target!(|data: &[u8]| {
    use stellaops_core::canonical;
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let Ok(first) = canonical::to_vec(&value) else {
        return;
    };
    let reparsed: serde_json::Value = serde_json::from_slice(&first).unwrap_or_else(|e| {
        panic!(
            "canonical output is not JSON ({e}): {}",
            String::from_utf8_lossy(&first)
        )
    });
    let second = canonical::to_vec(&reparsed).unwrap_or_else(|e| {
        panic!(
            "canonical output does not canonicalise ({e}): {}",
            String::from_utf8_lossy(&first)
        )
    });
    assert_eq!(
        String::from_utf8_lossy(&first),
        String::from_utf8_lossy(&second),
        "canonicalisation is not idempotent (left: canonical(x), right: canonical(parse(canonical(x))))"
    );
});
