//! End-to-end tests: a tiled log, signed checkpoints, and client-side verification, including
//! forged checkpoints, proofs for the wrong tree size or index, and tlog-proof files.

use super::*;

const ORIGIN: &str = "log.example/stella";

fn signer() -> NoteSigner {
    NoteSigner::from_seed(ORIGIN, &[5u8; 32]).expect("seed")
}

fn entry(i: u64) -> Vec<u8> {
    format!("{{\"attestation\":{i}}}").into_bytes()
}

/// A log of `n` entries and its signed checkpoint.
fn log_with(store: &mut MemoryStore, n: u64) -> (Log<&mut MemoryStore>, String) {
    let mut log = Log::open(store, 0).expect("open");
    let batch: Vec<Vec<u8>> = (0..n).map(entry).collect();
    log.append_batch(&batch).expect("append");
    let cp = Checkpoint::new(ORIGIN, log.size(), log.root());
    let note = sign_checkpoint(&cp, &signer()).expect("sign");
    (log, note)
}

#[test]
fn entries_verify_against_a_signed_checkpoint() {
    let mut store = MemoryStore::new();
    let (log, note) = log_with(&mut store, 1_000);
    let v = signer().verifier();
    for index in [0u64, 1, 255, 256, 511, 999] {
        let proof = log.inclusion_proof(index).expect("proof");
        let cp = verify_entry(&entry(index), index, &proof, note.as_bytes(), &v, ORIGIN)
            .expect("verifies");
        assert_eq!((cp.size, cp.root), (1_000, log.root()));
        assert_eq!(log.entry(index), Ok(entry(index)));
    }
}

#[test]
fn wrong_entry_index_size_origin_or_key_is_rejected() {
    let mut store = MemoryStore::new();
    let (log, note) = log_with(&mut store, 1_000);
    let v = signer().verifier();
    let proof = log.inclusion_proof(300).expect("proof");
    // Wrong entry.
    assert_eq!(
        verify_entry(&entry(301), 300, &proof, note.as_bytes(), &v, ORIGIN),
        Err(VerifyError::Proof(ProofError::RootMismatch))
    );
    // Wrong index.
    for index in [299, 301, 300 ^ 2, 1_000, u64::MAX] {
        assert!(verify_entry(&entry(300), index, &proof, note.as_bytes(), &v, ORIGIN).is_err());
    }
    // Wrong origin / wrong key.
    assert!(matches!(
        verify_entry(
            &entry(300),
            300,
            &proof,
            note.as_bytes(),
            &v,
            "log.example/other"
        ),
        Err(VerifyError::Checkpoint(
            CheckpointError::OriginMismatch { .. }
        ))
    ));
    let other = NoteSigner::from_seed(ORIGIN, &[6u8; 32])
        .expect("seed")
        .verifier();
    assert!(matches!(
        verify_entry(&entry(300), 300, &proof, note.as_bytes(), &other, ORIGIN),
        Err(VerifyError::Checkpoint(CheckpointError::Note(
            NoteError::NoVerifiedSignature { .. }
        )))
    ));
    // Truncated and extended proofs.
    assert!(verify_entry(&entry(300), 300, &proof[1..], note.as_bytes(), &v, ORIGIN).is_err());
    let mut longer = proof.clone();
    longer.push(log.root());
    assert!(verify_entry(&entry(300), 300, &longer, note.as_bytes(), &v, ORIGIN).is_err());
}

#[test]
fn proof_for_the_wrong_tree_size_is_rejected() {
    let mut store = MemoryStore::new();
    let (mut log, _) = log_with(&mut store, 1_000);
    let old_proof = log.inclusion_proof(10).expect("proof at 1000");
    log.append_batch(&[entry(1_000), entry(1_001), entry(1_002)])
        .expect("append");
    let note =
        sign_checkpoint(&Checkpoint::new(ORIGIN, log.size(), log.root()), &signer()).expect("sign");
    let v = signer().verifier();
    // A proof generated for size 1000 does not verify against the checkpoint of size 1003 ...
    assert!(verify_entry(&entry(10), 10, &old_proof, note.as_bytes(), &v, ORIGIN).is_err());
    // ... but the proof for 1003 does, and the old-size proof via inclusion_proof_at matches.
    let proof = log.inclusion_proof(10).expect("proof at 1003");
    assert!(verify_entry(&entry(10), 10, &proof, note.as_bytes(), &v, ORIGIN).is_ok());
    assert_eq!(log.inclusion_proof_at(10, 1_000), Ok(old_proof));
}

#[test]
fn forged_checkpoints_are_rejected() {
    let mut store = MemoryStore::new();
    let (log, note) = log_with(&mut store, 1_000);
    let v = signer().verifier();
    let proof = log.inclusion_proof(7).expect("proof");
    let sig_block = &note[note.rfind("\n\n").expect("block") + 1..];
    let honest = Checkpoint::new(ORIGIN, 1_000, log.root());
    let other_root = log.root_at(999).expect("root at 999");
    for forged in [
        Checkpoint {
            size: 999,
            root: other_root,
            ..honest.clone()
        },
        Checkpoint {
            size: 1_001,
            ..honest.clone()
        },
        Checkpoint {
            root: other_root,
            ..honest.clone()
        },
        Checkpoint {
            origin: "log.example/stellb".into(),
            ..honest.clone()
        },
    ] {
        let bytes = format!("{}{sig_block}", forged.format().expect("format"));
        assert!(matches!(
            verify_entry(&entry(7), 7, &proof, bytes.as_bytes(), &v, &forged.origin),
            Err(VerifyError::Checkpoint(CheckpointError::Note(
                NoteError::InvalidSignature { .. }
            )))
        ));
    }
    // Extra signatures (e.g. a witness) and unknown keys do not matter; a bad extra signature
    // by the log key does.
    let witness = NoteSigner::from_seed("witness.example/w1", &[8u8; 32]).expect("seed");
    let cosigned =
        sign_note(&honest.format().expect("format"), &[&signer(), &witness]).expect("sign");
    assert!(verify_entry(&entry(7), 7, &proof, cosigned.as_bytes(), &v, ORIGIN).is_ok());
    let sig_line = sig_block.trim_start_matches('\n');
    let pos = sig_line.rfind(' ').expect("space") + 10;
    let mut bad_line = sig_line.as_bytes().to_vec();
    bad_line[pos] = if bad_line[pos] == b'A' { b'B' } else { b'A' };
    let bad_dup = format!("{note}{}", String::from_utf8(bad_line).expect("ascii"));
    assert!(verify_entry(&entry(7), 7, &proof, bad_dup.as_bytes(), &v, ORIGIN).is_err());
}

#[test]
fn consistency_between_checkpoints() {
    let mut store = MemoryStore::new();
    let v = signer().verifier();
    let mut log = Log::open(&mut store, 0).expect("open");
    let sign = |log: &Log<&mut MemoryStore>| {
        sign_checkpoint(&Checkpoint::new(ORIGIN, log.size(), log.root()), &signer()).expect("sign")
    };
    let mut notes = vec![(0u64, sign(&log))];
    let mut next = 0;
    for n in [1u64, 5, 250, 300, 1, 2_000] {
        let batch: Vec<Vec<u8>> = (next..next + n).map(entry).collect();
        log.append_batch(&batch).expect("append");
        next += n;
        notes.push((next, sign(&log)));
    }
    for (i, (old_size, old_note)) in notes.iter().enumerate() {
        for (new_size, new_note) in &notes[i..] {
            let proof = if *old_size == 0 {
                vec![]
            } else {
                log.consistency_proof_between(*old_size, *new_size)
                    .expect("proof")
            };
            let (old, new) = verify_consistency_between(
                old_note.as_bytes(),
                new_note.as_bytes(),
                &proof,
                &v,
                ORIGIN,
            )
            .unwrap_or_else(|e| panic!("{old_size} -> {new_size}: {e}"));
            assert_eq!((old.size, new.size), (*old_size, *new_size));
            if *old_size > 0 && old_size < new_size {
                // Swapped checkpoints, a flipped proof bit and a dropped hash all fail.
                assert!(verify_consistency_between(
                    new_note.as_bytes(),
                    old_note.as_bytes(),
                    &proof,
                    &v,
                    ORIGIN
                )
                .is_err());
                let mut bad = proof.clone();
                bad[0][0] ^= 1;
                assert!(verify_consistency_between(
                    old_note.as_bytes(),
                    new_note.as_bytes(),
                    &bad,
                    &v,
                    ORIGIN
                )
                .is_err());
                assert!(verify_consistency_between(
                    old_note.as_bytes(),
                    new_note.as_bytes(),
                    &proof[1..],
                    &v,
                    ORIGIN
                )
                .is_err());
            }
        }
    }
    // An old checkpoint of size 0 with a non-empty proof, or a non-empty-tree root.
    let (_, first) = &notes[1];
    let (_, empty) = &notes[0];
    assert!(verify_consistency_between(
        empty.as_bytes(),
        first.as_bytes(),
        &[log.root()],
        &v,
        ORIGIN
    )
    .is_err());
    let fake_empty =
        sign_checkpoint(&Checkpoint::new(ORIGIN, 0, log.root()), &signer()).expect("sign");
    assert_eq!(
        verify_consistency_between(fake_empty.as_bytes(), first.as_bytes(), &[], &v, ORIGIN),
        Err(VerifyError::Proof(ProofError::OldRootMismatch))
    );
    // Two different trees of the same size (a split view) are inconsistent.
    let mut fork_store = MemoryStore::new();
    let mut fork = Log::open(&mut fork_store, 0).expect("open");
    fork.append_batch(&[b"forked".to_vec()]).expect("append");
    let fork_note = sign(&fork);
    let (_, one) = &notes[1];
    assert!(
        verify_consistency_between(one.as_bytes(), fork_note.as_bytes(), &[], &v, ORIGIN).is_err()
    );
}

#[test]
fn tlog_proof_files_round_trip_and_verify() {
    let mut store = MemoryStore::new();
    let (log, note) = log_with(&mut store, 700);
    let v = signer().verifier();
    let p = TlogProof {
        extra: Some(b"artifact.tar.gz".to_vec()),
        index: 513,
        proof: log.inclusion_proof(513).expect("proof"),
        checkpoint: note.clone(),
    };
    let text = p.format();
    assert_eq!(TlogProof::parse(text.as_bytes()), Ok(p.clone()));
    let (parsed, cp) = verify_tlog_proof(text.as_bytes(), &entry(513), &v, ORIGIN).expect("ok");
    assert_eq!((parsed, cp.size), (p.clone(), 700));
    assert!(verify_tlog_proof(text.as_bytes(), &entry(512), &v, ORIGIN).is_err());
    let wrong_index = TlogProof {
        index: 512,
        ..p.clone()
    }
    .format();
    assert!(verify_tlog_proof(wrong_index.as_bytes(), &entry(513), &v, ORIGIN).is_err());
    let no_extra = TlogProof { extra: None, ..p }.format();
    assert!(verify_tlog_proof(no_extra.as_bytes(), &entry(513), &v, ORIGIN).is_ok());
}

#[test]
fn truncated_tiles_surface_as_errors_not_panics() {
    let mut store = MemoryStore::new();
    let (log, _) = log_with(&mut store, 600);
    drop(log);
    for path in [
        "tile/0/000",
        "tile/0/001",
        "tile/0/002.p/88",
        "tile/1/000.p/2",
    ] {
        let mut s = store.clone();
        let bytes = s.get(path).ok().flatten().expect("tile exists");
        for cut in [0, 1, 31, 32, bytes.len() - 1] {
            s.insert_raw(path, bytes[..cut].to_vec());
            let result = Log::open(&mut s, 600).and_then(|l| {
                (0..600)
                    .step_by(37)
                    .try_for_each(|i| l.inclusion_proof(i).map(drop))
            });
            assert!(result.is_err(), "{path} cut at {cut}");
        }
    }
}
