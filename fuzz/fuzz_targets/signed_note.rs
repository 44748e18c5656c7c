#![no_main]
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use stellaops_attest::tlog::{
    open_note, sign_note, Checkpoint, NoteSigner, NoteVerifier, TlogProof,
};

static SIGNER: LazyLock<NoteSigner> =
    LazyLock::new(|| NoteSigner::from_seed("fuzz.example", &[2; 32]).expect("fixed signer"));
static VERIFIER: LazyLock<NoteVerifier> = LazyLock::new(|| SIGNER.verifier());

// Signed notes (C2SP signed-note), checkpoints and tlog-proofs. Also: every text the signer
// accepts must open again with the same text, and parsed checkpoints / tlog-proofs must
// round-trip through their formatters.
fuzz_target!(|data: &[u8]| {
    let verifiers = std::slice::from_ref(&*VERIFIER);
    let _ = open_note(data, verifiers);

    let text = String::from_utf8_lossy(data);
    if let Ok(cp) = Checkpoint::parse(&text) {
        if let Ok(formatted) = cp.format() {
            let again = Checkpoint::parse(&formatted)
                .unwrap_or_else(|e| panic!("formatted checkpoint does not parse: {e}"));
            assert_eq!(again, cp, "checkpoint changed across format/parse");
        }
    }

    if let Ok(proof) = TlogProof::parse(data) {
        let formatted = proof.format();
        let again = TlogProof::parse(formatted.as_bytes())
            .unwrap_or_else(|e| panic!("formatted tlog-proof does not parse: {e}"));
        assert_eq!(again, proof, "tlog-proof changed across format/parse");
    }

    if let Ok(signed) = sign_note(&text, &[&*SIGNER]) {
        let note = open_note(signed.as_bytes(), verifiers)
            .unwrap_or_else(|e| panic!("a note we signed does not open: {e}"));
        assert_eq!(note.text, text, "signed text changed");
        assert_eq!(note.verified_by.len(), 1);
    }
});
