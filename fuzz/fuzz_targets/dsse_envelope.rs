#![no_main]
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use stellaops_attest::dsse::{self, Envelope};
use stellaops_attest::keys::{Algorithm, SigningKey, VerifyingKey};

static KEY: LazyLock<VerifyingKey> = LazyLock::new(|| {
    SigningKey::generate(Algorithm::Ed25519, &[1; 32])
        .expect("fixed Ed25519 seed")
        .verifying_key()
});

// Envelope parsing, PAE, signature verification against one fixed trusted key; the compact
// serialisation must parse back to the same envelope.
fuzz_target!(|data: &[u8]| {
    if let Ok(env) = Envelope::from_json(data) {
        let _ = env.pae();
        let _ = dsse::verify(&env, std::slice::from_ref(&*KEY), 1);
        let json = env.to_json();
        let again = Envelope::from_json(&json)
            .unwrap_or_else(|e| panic!("to_json output does not parse: {e}"));
        assert_eq!(again, env, "envelope changed across to_json/from_json");
    }
});
