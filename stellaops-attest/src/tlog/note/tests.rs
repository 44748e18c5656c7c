//! Tests of signed notes against Go's `golang.org/x/mod/sumdb/note` published keys and notes
//! (package documentation and `note_test.go`), the C2SP spec examples (shared fixtures), and
//! tampering.

use std::path::Path;

use super::*;

// Go reference key pair and note (golang.org/x/mod/sumdb/note, doc and note_test.go).
const PETER_SKEY: &str =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const PETER_VKEY: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const ENOCH_VKEY: &str = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const TEXT: &str = "If you think cryptography is the answer to your problem,\n\
                    then you don't know what your problem is.\n";
const PETER_SIG: &str = "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const ENOCH_SIG: &str = "\u{2014} EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

// C2SP signed-note spec example key.
const FOO_VKEY: &str = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";

fn v(vkey: &str) -> NoteVerifier {
    NoteVerifier::from_verifier_key(vkey).unwrap_or_else(|e| panic!("{vkey}: {e}"))
}

fn sig(line: &str) -> NoteSignature {
    let body = line.trim_end().trim_start_matches('\u{2014}').trim_start();
    let (name, b64) = body.split_once(' ').expect("name and base64");
    let raw = STANDARD.decode(b64).expect("base64");
    NoteSignature {
        name: name.into(),
        key_id: u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]),
        base64: b64.into(),
    }
}

/// Test-only: reads a shared C2SP note fixture.
fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/fixtures/attestation/c2sp/notes")
        .join(name);
    stellaops_testkit::fs::read(&path).unwrap_or_else(|e| panic!("read {path:?}: {e}"))
}

#[test]
fn go_key_pair_round_trips_and_signs_byte_for_byte() {
    let signer = NoteSigner::from_signer_key(PETER_SKEY).expect("skey");
    assert_eq!(signer.name(), "PeterNeumann");
    assert_eq!(signer.key_id(), 0xc74f20a3);
    assert_eq!(signer.signer_key(), PETER_SKEY);
    assert_eq!(signer.verifier_key(), PETER_VKEY);
    assert_eq!(v(PETER_VKEY), signer.verifier());
    assert_eq!(v(PETER_VKEY).verifier_key(), PETER_VKEY);
    assert_eq!(PETER_VKEY.parse::<NoteVerifier>(), Ok(v(PETER_VKEY)));
    // Ed25519 is deterministic: Go's exact note.
    let note = sign_note(TEXT, &[&signer]).expect("sign");
    assert_eq!(note, format!("{TEXT}\n{PETER_SIG}"));
    // Debug never shows the secret.
    let dbg = format!("{signer:?}");
    assert!(
        dbg.contains("PeterNeumann") && dbg.contains("c74f20a3"),
        "{dbg}"
    );
    assert!(!dbg.contains("AYEKFALV"), "{dbg}");
}

#[test]
fn seeds_and_generated_keys() {
    let signer = NoteSigner::from_seed("log.example/stella", &[7u8; 32]).expect("seed");
    let verifier = signer.verifier();
    let parsed = NoteSigner::from_signer_key(&signer.signer_key()).expect("round trip");
    assert_eq!(parsed.verifier(), verifier);
    assert_eq!(v(&signer.verifier_key()), verifier);
    let msg = b"hi";
    let s = signer.sign(msg);
    assert!(verifier.verify(msg, &s));
    let mut bad = s;
    bad[0] ^= 1;
    assert!(!verifier.verify(msg, &bad));
    assert!(!verifier.verify(b"hj", &s));
    assert!(!verifier.verify(msg, &s[..63]));
    for name in [
        "",
        "a b",
        "a+b",
        "tab\there",
        "nbsp\u{a0}x",
        "em\u{2003}space",
        "ctl\u{1}",
    ] {
        assert_eq!(
            NoteSigner::from_seed(name, &[7u8; 32]).err(),
            Some(NoteError::InvalidName(name.into()))
        );
    }
}

/// Go's TestNewVerifier / TestNewSigner: every proper substring and every single-byte
/// increment of the key strings must be rejected.
#[test]
fn mangled_key_strings_are_rejected() {
    for (key, is_signer) in [(PETER_VKEY, false), (PETER_SKEY, true)] {
        let parse = |k: &str| {
            if is_signer {
                NoteSigner::from_signer_key(k).map(|_| ())
            } else {
                NoteVerifier::from_verifier_key(k).map(|_| ())
            }
        };
        assert_eq!(parse(key), Ok(()));
        let b = key.as_bytes();
        for i in 0..=b.len() {
            for j in i + 1..=b.len() {
                if i == 0 && j == b.len() {
                    continue;
                }
                if let Ok(k) = core::str::from_utf8(&b[i..j]) {
                    assert!(parse(k).is_err(), "{k:?} accepted");
                }
            }
        }
        for i in 0..b.len() {
            let mut m = b.to_vec();
            m[i] = m[i].wrapping_add(1);
            if let Ok(k) = core::str::from_utf8(&m) {
                assert!(parse(k).is_err(), "{k:?} accepted");
            }
        }
    }
    // Wrong-length key and unknown algorithm, with adjusted key hashes (from Go's tests).
    assert!(NoteVerifier::from_verifier_key(
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="
    )
    .is_err());
    assert_eq!(
        NoteVerifier::from_verifier_key(
            "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
        ),
        Err(NoteError::UnsupportedKeyType(0x65))
    );
    // Upper-case hex key IDs are not canonical.
    assert!(NoteVerifier::from_verifier_key(
        "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    )
    .is_err());
}

/// Go's TestOpen.
#[test]
fn open_like_go() {
    let peter = v(PETER_VKEY);
    let enoch = v(ENOCH_VKEY);
    let both = format!("{TEXT}\n{PETER_SIG}{ENOCH_SIG}");

    let n = open_note(both.as_bytes(), std::slice::from_ref(&peter)).expect("one verified");
    assert_eq!(n.text, TEXT);
    assert_eq!(n.verified_by, [sig(PETER_SIG)]);
    assert_eq!(n.unverified_sigs, [sig(ENOCH_SIG)]);
    assert_eq!(sig(PETER_SIG).key_id, 0xc74f20a3);

    let n = open_note(both.as_bytes(), &[peter.clone(), enoch.clone()]).expect("both");
    assert_eq!(n.verified_by, [sig(PETER_SIG), sig(ENOCH_SIG)]);
    assert!(n.unverified_sigs.is_empty());

    assert_eq!(
        open_note(both.as_bytes(), &[]),
        Err(NoteError::NoVerifiedSignature { unverified: 2 })
    );

    // Duplicated verifier.
    let enoch_only = format!("{TEXT}\n{ENOCH_SIG}");
    assert_eq!(
        open_note(
            enoch_only.as_bytes(),
            &[enoch.clone(), peter.clone(), enoch.clone()]
        ),
        Err(NoteError::AmbiguousVerifier {
            name: "EnochRoot".into(),
            key_id: 0xaf0cfe78
        })
    );
    // Unused duplicated verifier.
    let peter_only = format!("{TEXT}\n{PETER_SIG}");
    assert!(open_note(
        peter_only.as_bytes(),
        &[enoch.clone(), peter.clone(), enoch.clone()]
    )
    .is_ok());

    // Too many signatures (verified or not); 100 is fine.
    let many = |n: usize| format!("{TEXT}\n{}", PETER_SIG.repeat(n));
    assert_eq!(
        open_note(many(101).as_bytes(), std::slice::from_ref(&peter)),
        Err(NoteError::TooManySignatures)
    );
    assert_eq!(
        open_note(many(101).as_bytes(), &[]),
        Err(NoteError::TooManySignatures)
    );
    assert_eq!(
        open_note(many(100).as_bytes(), std::slice::from_ref(&peter)).map(|n| n.verified_by.len()),
        Ok(1)
    );

    // Invalid signature by a known key.
    let forged = format!("{TEXT}\n{}ABCD{}", &PETER_SIG[..60], &PETER_SIG[60..]);
    assert_eq!(
        open_note(forged.as_bytes(), std::slice::from_ref(&peter)),
        Err(NoteError::InvalidSignature {
            name: "PeterNeumann".into(),
            key_id: 0xc74f20a3
        })
    );

    // Duplicated verified and unverified signatures.
    let enoch_abcd = format!("{}ABCD{}", &ENOCH_SIG[..60], &ENOCH_SIG[60..]);
    let dup = format!("{TEXT}\n{PETER_SIG}{PETER_SIG}{ENOCH_SIG}{ENOCH_SIG}{enoch_abcd}");
    let n = open_note(dup.as_bytes(), std::slice::from_ref(&peter)).expect("dups");
    assert_eq!(n.verified_by, [sig(PETER_SIG)]);
    assert_eq!(n.unverified_sigs, [sig(ENOCH_SIG), sig(&enoch_abcd)]);

    // Invalid encodings.
    let bad_msgs: Vec<Vec<u8>> = vec![
        TEXT.into(),
        format!("{TEXT}\n").into(),
        format!("{TEXT}\n{}", &PETER_SIG[..PETER_SIG.len() - 1]).into(),
        format!("\x01{TEXT}\n{PETER_SIG}").into(),
        [b"\xff".as_slice(), format!("{TEXT}\n{PETER_SIG}").as_bytes()].concat(),
        format!("{TEXT}\n\u{2014} Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=").into(),
        format!("{TEXT}\n{PETER_SIG}Unexpected line.\n").into(),
        // More malformed lines.
        format!("{TEXT}\n\u{2014} PeterNeumann\n").into(),
        format!("{TEXT}\n\u{2014} PeterNeumann \n").into(),
        format!("{TEXT}\n\u{2014} PeterNeumann x08g\n").into(), // 3 bytes: no signature
        format!("{TEXT}\n\u{2014} PeterNeumann x08go/ZJ!!\n").into(),
        format!("{TEXT}\n\u{2014}  PeterNeumann x08go\n").into(),
        format!("{TEXT}\n- PeterNeumann x08go/ZJkuBS9UG/Sf==\n").into(),
        format!("{TEXT}\n{PETER_SIG}\n").into(),
        format!("{TEXT}\r\n{PETER_SIG}").into(),
        format!("{TEXT}\n{}", PETER_SIG.replace('\n', "\r\n")).into(),
    ];
    for msg in bad_msgs {
        assert!(
            open_note(&msg, std::slice::from_ref(&peter)).is_err(),
            "accepted {:?}",
            String::from_utf8_lossy(&msg)
        );
    }
    assert_eq!(open_note(b"\xffabc\n\n", &[]), Err(NoteError::NotUtf8));
}

#[test]
fn sign_note_rejects_bad_texts() {
    let signer = NoteSigner::from_signer_key(PETER_SKEY).expect("skey");
    assert_eq!(
        sign_note("abc", &[&signer]),
        Err(NoteError::TextMissingNewline)
    );
    assert_eq!(
        sign_note("", &[&signer]),
        Err(NoteError::TextMissingNewline)
    );
    assert_eq!(
        sign_note("a\tb\n", &[&signer]),
        Err(NoteError::ControlCharacter(9))
    );
    assert_eq!(
        sign_note("a\r\n", &[&signer]),
        Err(NoteError::ControlCharacter(13))
    );
    assert_eq!(sign_note("abc\n", &[]), Err(NoteError::NoSigners));
    // Texts with blank lines (also at the end) round-trip.
    for text in ["a\n\nb\n", "a\n\n", "\n", "x\n\n\n"] {
        let note = sign_note(text, &[&signer]).expect("sign");
        let opened = open_note(note.as_bytes(), &[signer.verifier()]).expect("open");
        assert_eq!(opened.text, text);
    }
    // Two signers, in order.
    let other = NoteSigner::from_seed("EnochRoot", &[1u8; 32]).expect("seed");
    let note = sign_note(TEXT, &[&signer, &other]).expect("sign");
    let n = open_note(note.as_bytes(), &[other.verifier(), signer.verifier()]).expect("open");
    assert_eq!(
        n.verified_by
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
        ["PeterNeumann", "EnochRoot"]
    );
}

/// The C2SP spec examples: the signed-note example verifies with the spec's verifier key; the
/// others carry no published key, so they must parse and report their signatures as
/// unverified (and never verify); the tlog-proof / tlog-witness blocks elide signatures
/// (`[...]`) and are not valid notes.
#[test]
fn c2sp_spec_examples() {
    let foo = v(FOO_VKEY);
    let n = open_note(
        &fixture("signed-note.note1.txt"),
        std::slice::from_ref(&foo),
    )
    .expect("spec example");
    assert_eq!(n.text, "This is an example message.\n");
    assert_eq!(n.verified_by.len(), 1);
    assert_eq!(n.verified_by[0].name, "example.com/foo");
    assert_eq!(n.verified_by[0].key_id, 0x530d903a);

    for (file, unverified) in [
        ("signed-note.note0.txt", 1),
        ("tlog-checkpoint.note0.txt", 1),
        ("tlog-cosignature.note0.txt", 2),
    ] {
        assert_eq!(
            open_note(&fixture(file), std::slice::from_ref(&foo)),
            Err(NoteError::NoVerifiedSignature { unverified }),
            "{file}"
        );
    }
    let quasimodo = open_note(&fixture("signed-note.note0.txt"), &[]).err();
    assert_eq!(
        quasimodo,
        Some(NoteError::NoVerifiedSignature { unverified: 1 })
    );
    for file in ["tlog-proof.note0.txt", "tlog-witness.note0.txt"] {
        assert!(matches!(
            open_note(&fixture(file), std::slice::from_ref(&foo)),
            Err(NoteError::BadSignatureLine(_))
        ));
    }
    // Another key under the same name has another key ID: the signature stays unknown.
    let impostor = NoteSigner::from_seed("example.com/foo", &[9u8; 32]).expect("seed");
    let n = open_note(&fixture("signed-note.note1.txt"), &[impostor.verifier()]);
    assert_eq!(n, Err(NoteError::NoVerifiedSignature { unverified: 1 }));
}

#[test]
fn tampering_with_the_spec_example_is_detected() {
    let foo = v(FOO_VKEY);
    let good = fixture("signed-note.note1.txt");
    let text_len = "This is an example message.\n".len();
    // Every single-bit flip of the text: either malformed or a bad signature, never accepted.
    for i in 0..text_len {
        for bit in 0..8 {
            let mut m = good.clone();
            m[i] ^= 1 << bit;
            assert!(
                open_note(&m, std::slice::from_ref(&foo)).is_err(),
                "flip {i}:{bit}"
            );
        }
    }
    // Every single-character change of the base64 signature.
    let s = String::from_utf8(good.clone()).expect("utf8");
    let start = s.rfind(' ').expect("space") + 1;
    for i in start..s.len() - 2 {
        let mut m = s.clone().into_bytes();
        m[i] = if m[i] == b'A' { b'B' } else { b'A' };
        assert!(
            open_note(&m, std::slice::from_ref(&foo)).is_err(),
            "sig char {i}"
        );
    }
    // Renaming the key makes the signature unknown, hence unverified.
    let renamed = s.replace("\u{2014} example.com/foo ", "\u{2014} example.com/bar ");
    assert_eq!(
        open_note(renamed.as_bytes(), std::slice::from_ref(&foo)),
        Err(NoteError::NoVerifiedSignature { unverified: 1 })
    );
    // Appending text after the signature block, or a second text block.
    let appended = format!("{s}more\n");
    assert!(open_note(appended.as_bytes(), std::slice::from_ref(&foo)).is_err());
    let prepended = format!("Injected line\n{s}");
    assert!(open_note(prepended.as_bytes(), &[foo]).is_err());
}
