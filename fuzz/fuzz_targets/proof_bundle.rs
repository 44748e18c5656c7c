#![no_main]
use std::collections::BTreeMap;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use stellaops_attest::keys::{Algorithm, SigningKey, VerifyingKey};
use stellaops_attest::proof;

static KEY: LazyLock<VerifyingKey> = LazyLock::new(|| {
    SigningKey::generate(Algorithm::Ed25519, &[1; 32])
        .expect("fixed Ed25519 seed")
        .verifying_key()
});

// A proof bundle: the input is split at 0xFF bytes (never present in UTF-8 JSON) into up to
// five files, named in `proof::FILES` order.
fuzz_target!(|data: &[u8]| {
    let files: BTreeMap<String, Vec<u8>> = data
        .split(|&b| b == 0xFF)
        .zip(proof::FILES)
        .map(|(chunk, name)| (name.to_string(), chunk.to_vec()))
        .collect();
    let _ = proof::verify(&files, std::slice::from_ref(&*KEY), 1);
});
