//! Tests of the tiled log: tile layout against the tlog-tiles spec examples, agreement with the
//! in-memory reference tree, reopening at every published size, tile reads per proof,
//! corruption and immutability, and an ignored performance measurement.

use super::*;
use crate::tlog::hash::root_from_leaves;
use crate::tlog::proof::{verify_consistency, verify_inclusion, MemoryTree};
use crate::tlog::tiles::{parse_tile_path, MemoryStore, TileKind};

fn entry(i: u64) -> Vec<u8> {
    format!("entry {i}").into_bytes()
}

fn entries(range: core::ops::Range<u64>) -> Vec<Vec<u8>> {
    range.map(entry).collect()
}

#[test]
fn empty_log() {
    let mut store = MemoryStore::new();
    let log = Log::open(&mut store, 0).expect("open");
    assert_eq!(log.size(), 0);
    assert_eq!(log.root(), crate::tlog::hash::empty_root());
    assert!(log.inclusion_proof(0).is_err());
    assert!(log.entry(0).is_err());
    assert!(store.is_empty());
}

/// "a tree of size 70,000 will be represented by 273 full level 0 tiles, one partial level 0
/// tile of width 112, one full level 1 tile, one partial level 1 tile of width 17, and one
/// partial level 2 tile of width 1. Note that a tree of size 256 will be represented by a full
/// level 0 tile and a partial level 1 tile of width 1."
#[test]
fn tile_layout_matches_the_spec_examples() {
    let mut store = MemoryStore::new();
    let mut log = Log::open(&mut store, 0).expect("open");
    assert_eq!(
        log.append_batch(&entries(0..256)).expect("append"),
        (0..256).collect::<Vec<_>>()
    );
    drop(log);
    let paths: Vec<&str> = store.paths().collect();
    assert_eq!(paths, ["tile/0/000", "tile/1/000.p/1", "tile/entries/000"]);

    let mut store = MemoryStore::new();
    let mut log = Log::open(&mut store, 0).expect("open");
    log.append_batch(&entries(0..70_000)).expect("append");
    let mut reference = MemoryTree::new();
    for i in 0..70_000 {
        reference.push(&entry(i));
    }
    assert_eq!(log.root(), reference.root());
    drop(log);

    let mut full = [0usize; 3];
    let mut partial = Vec::new();
    let mut bundles = (0usize, Vec::new());
    for p in store.paths() {
        let t = parse_tile_path(p).expect("canonical path");
        match (t.kind, t.width) {
            (TileKind::Hashes { level }, None) => full[usize::from(level)] += 1,
            (TileKind::Hashes { level }, Some(w)) => partial.push((level, t.index, w)),
            (TileKind::Entries, None) => bundles.0 += 1,
            (TileKind::Entries, Some(w)) => bundles.1.push((t.index, w)),
        }
    }
    assert_eq!(full, [273, 1, 0]);
    assert_eq!(partial, [(0, 273, 112), (1, 1, 17), (2, 0, 1)]);
    assert_eq!(bundles, (273, vec![(273, 112)]));
    assert_eq!(store.len(), 273 + 1 + 1 + 1 + 1 + 273 + 1);

    // Level-1 hash i is the MTH of level-0 tile i; the level-2 hash is the MTH of level-1 tile 0.
    let log = Log::open(&mut store, 70_000).expect("reopen");
    assert_eq!(log.hash_at(8, 5), Ok(reference.hash_at(8, 5).expect("ref")));
    assert_eq!(
        log.hash_at(16, 0),
        Ok(reference.hash_at(16, 0).expect("ref"))
    );
    assert_eq!(
        log.hash_at(0, 69_999),
        Ok(reference.hash_at(0, 69_999).expect("ref"))
    );
    assert!(log.hash_at(0, 70_000).is_err());
    assert!(log.hash_at(17, 0).is_err());
    assert_eq!(log.entry(12_345), Ok(entry(12_345)));
    assert_eq!(log.entry(69_999), Ok(entry(69_999)));
}

/// Random batch sizes: after every batch the root matches the reference tree, the log can be
/// reopened at every earlier published size, and proofs verify.
#[test]
fn batches_agree_with_the_reference_tree_and_reopen_at_every_size() {
    let mut store = MemoryStore::new();
    let mut reference = MemoryTree::new();
    let mut published = vec![(0u64, reference.root())];
    let batch_sizes = [
        1u64, 1, 3, 250, 1, 1, 256, 255, 512, 7, 700, 1, 66_000, 3, 255, 1,
    ];
    let mut next = 0u64;
    for n in batch_sizes {
        let mut log = Log::open(&mut store, next).expect("open");
        let batch = entries(next..next + n);
        let indices = log.append_batch(&batch).expect("append");
        assert_eq!(indices, (next..next + n).collect::<Vec<_>>());
        for e in &batch {
            reference.push(e);
        }
        next += n;
        assert_eq!(log.size(), next);
        assert_eq!(log.root(), reference.root(), "root at {next}");
        published.push((next, log.root()));
    }
    // Reopen at every published size (old partial tiles are never deleted).
    for &(size, root) in &published {
        let log = Log::open_with_root(&mut store, size, &root).expect("reopen");
        assert_eq!(log.root(), root);
    }
    // Proofs against the latest tree and against older trees.
    let log = Log::open(&mut store, next).expect("open");
    let root = log.root();
    for index in [
        0,
        1,
        2,
        255,
        256,
        257,
        1000,
        65_535,
        65_536,
        next - 2,
        next - 1,
    ] {
        let p = log.inclusion_proof(index).expect("proof");
        assert_eq!(
            Ok(p.clone()),
            reference.inclusion_proof(index).map_err(LogError::from)
        );
        assert_eq!(
            verify_inclusion(index, next, &leaf_hash(&entry(index)), &p, &root),
            Ok(())
        );
    }
    for &(size, old_root) in &published {
        if size == 0 {
            continue;
        }
        let p = log.consistency_proof(size).expect("consistency");
        assert_eq!(verify_consistency(size, next, &p, &old_root, &root), Ok(()));
        assert_eq!(log.root_at(size), Ok(old_root));
        let p_old = log
            .inclusion_proof_at(size - 1, size)
            .expect("old inclusion");
        assert_eq!(
            verify_inclusion(
                size - 1,
                size,
                &leaf_hash(&entry(size - 1)),
                &p_old,
                &old_root
            ),
            Ok(())
        );
    }
    assert_eq!(
        log.consistency_proof(0),
        Err(LogError::Proof(ProofError::EmptyOldTree))
    );
    assert!(log.consistency_proof_between(5, next + 1).is_err());
}

#[test]
fn proofs_read_few_tiles() {
    let mut store = MemoryStore::new();
    let mut log = Log::open(&mut store, 0).expect("open");
    for chunk in entries(0..200_000).chunks(10_000) {
        log.append_batch(chunk).expect("append");
    }
    let size = log.size();
    for index in [0u64, 77_777, 199_999] {
        let before = log.store().reads();
        let p = log.inclusion_proof(index).expect("proof");
        let reads = log.store().reads() - before;
        // At most one full tile per tile level below the top (levels 0 and 1 here), plus a
        // tile per border subtree; never proportional to the tree size.
        assert!(reads <= 4, "{reads} tile reads for one proof");
        assert_eq!(
            verify_inclusion(index, size, &leaf_hash(&entry(index)), &p, &log.root()),
            Ok(())
        );
        let before = log.store().reads();
        log.consistency_proof(index + 1).expect("consistency");
        assert!(log.store().reads() - before <= 8);
    }
}

#[test]
fn entries_too_large_and_empty_batches() {
    let mut store = MemoryStore::new();
    let mut log = Log::open(&mut store, 0).expect("open");
    assert_eq!(log.append_batch::<Vec<u8>>(&[]), Ok(vec![]));
    assert_eq!(
        log.append_batch(&[vec![1u8], vec![0u8; 65_536]]),
        Err(LogError::EntryTooLarge {
            position: 1,
            len: 65_536
        })
    );
    assert_eq!(log.size(), 0);
    assert_eq!(
        log.append_batch(&[vec![0u8; 65_535], vec![]]),
        Ok(vec![0, 1])
    );
    assert_eq!(log.entry(0).map(|e| e.len()), Ok(65_535));
    assert_eq!(log.entry(1), Ok(vec![]));
}

#[test]
fn missing_truncated_and_inconsistent_tiles_are_errors() {
    let mut store = MemoryStore::new();
    let mut log = Log::open(&mut store, 0).expect("open");
    log.append_batch(&entries(0..1000)).expect("append");
    let root = log.root();
    drop(log);

    // Missing partial tile.
    let mut s = store.clone();
    s.remove("tile/0/003.p/232");
    assert_eq!(
        Log::open(&mut s, 1000).err(),
        Some(LogError::MissingTile("tile/0/003.p/232".into()))
    );
    // Truncated partial tile.
    let mut s = store.clone();
    let mut t = s.get("tile/0/003.p/232").ok().flatten().expect("tile");
    t.truncate(t.len() - 1);
    s.insert_raw("tile/0/003.p/232", t);
    assert!(matches!(
        Log::open(&mut s, 1000),
        Err(LogError::Tile {
            source: TileError::TileLength(_),
            ..
        })
    ));
    // Partial tile of the wrong width.
    let mut s = store.clone();
    let t = s.get("tile/0/003.p/232").ok().flatten().expect("tile");
    s.insert_raw("tile/0/003.p/232", t[..32 * 231].to_vec());
    assert!(matches!(
        Log::open(&mut s, 1000),
        Err(LogError::Tile {
            source: TileError::WidthMismatch {
                got: 231,
                want: 232
            },
            ..
        })
    ));
    // Truncated full tile: proofs that need it fail cleanly.
    let mut s = store.clone();
    let t = s.get("tile/0/000").ok().flatten().expect("tile");
    s.insert_raw("tile/0/000", t[..8000].to_vec());
    let log = Log::open(&mut s, 1000).expect("open does not read full tiles");
    assert!(matches!(log.inclusion_proof(3), Err(LogError::Tile { .. })));
    assert!(log.inclusion_proof(999).is_ok());
    drop(log);
    // Entry bundle that does not match the level-0 tile.
    let mut s = store.clone();
    s.insert_raw(
        "tile/entries/003.p/232",
        encode_entry_bundle(&entries(1..233)).expect("bundle"),
    );
    assert!(matches!(
        Log::open(&mut s, 1000),
        Err(LogError::Inconsistent(_))
    ));
    // Tampered partial level-0 tile with a consistent bundle: caught by the expected root.
    let mut s = store.clone();
    let mut forged = entries(768..1000);
    forged[5] = b"forged".to_vec();
    let forged_hashes: Vec<Hash> = forged.iter().map(|e| leaf_hash(e)).collect();
    s.insert_raw(
        "tile/0/003.p/232",
        encode_tile(&forged_hashes).expect("tile"),
    );
    s.insert_raw(
        "tile/entries/003.p/232",
        encode_entry_bundle(&forged).expect("bundle"),
    );
    assert!(Log::open(&mut s, 1000).is_ok());
    assert_eq!(
        Log::open_with_root(&mut s, 1000, &root).err(),
        Some(LogError::RootMismatch)
    );
}

#[test]
fn full_tiles_are_never_rewritten() {
    // A host crashed after writing tiles for size 300 but published a checkpoint at 200 only.
    let mut store = MemoryStore::new();
    let mut log = Log::open(&mut store, 0).expect("open");
    log.append_batch(&entries(0..200)).expect("append");
    let root200 = log.root();
    log.append_batch(&entries(200..300)).expect("append");
    drop(log);
    // Re-appending different entries at 200..256 would rewrite the full tile tile/0/000.
    let mut log = Log::open_with_root(&mut store, 200, &root200).expect("reopen at 200");
    let other: Vec<Vec<u8>> = (200..300)
        .map(|i| format!("other {i}").into_bytes())
        .collect();
    assert!(matches!(
        log.append_batch(&other),
        Err(LogError::Store(StoreError::Immutable { .. }))
    ));
    assert_eq!(
        (log.size(), log.root()),
        (200, root200),
        "state unchanged on error"
    );
    // Re-appending the same entries is idempotent.
    log.append_batch(&entries(200..300)).expect("same entries");
    assert_eq!(log.size(), 300);
}

#[test]
fn matches_root_from_leaves_for_small_sizes() {
    let mut store = MemoryStore::new();
    let mut log = Log::open(&mut store, 0).expect("open");
    let mut leaves = Vec::new();
    for i in 0..600u64 {
        log.append_batch(&[entry(i)]).expect("append");
        leaves.push(leaf_hash(&entry(i)));
        assert_eq!(log.root(), root_from_leaves(&leaves), "size {}", i + 1);
    }
}

/// Performance: appends 1M entries in batches and measures inclusion-proof generation plus
/// verification. Run with
/// `cargo test --release -p stellaops-attest --lib tlog::log::tests::perf -- --ignored --nocapture`.
#[test]
#[ignore = "performance measurement; run in release mode"]
#[allow(clippy::print_stderr)] // the test prints its measured rates
fn perf_one_million_entries() {
    const N: u64 = 1_000_000;
    const BATCH: u64 = 1_000;
    let mut store = MemoryStore::new();
    let mut log = Log::open(&mut store, 0).expect("open");
    let all: Vec<Vec<u8>> = (0..N)
        .map(|i| format!("{{\"entry\":{i:>12}}}").into_bytes())
        .collect();
    let start = stellaops_testkit::clock::now();
    for chunk in all.chunks(BATCH as usize) {
        log.append_batch(chunk).expect("append");
    }
    let append = start.elapsed();
    let root = log.root();

    let probes = 2_000u64;
    let start = stellaops_testkit::clock::now();
    for k in 0..probes {
        let index = k.wrapping_mul(0x9E37_79B9_7F4A_7C15) % N;
        let p = log.inclusion_proof(index).expect("proof");
        let leaf = leaf_hash(&all[index as usize]);
        assert_eq!(verify_inclusion(index, N, &leaf, &p, &root), Ok(()));
    }
    let per_proof = start.elapsed() / probes as u32;

    let start = stellaops_testkit::clock::now();
    for k in 1..=200u64 {
        let old = k * 4_999;
        let p = log.consistency_proof(old).expect("consistency");
        let old_root = log.root_at(old).expect("old root");
        assert_eq!(verify_consistency(old, N, &p, &old_root, &root), Ok(()));
    }
    let per_consistency = start.elapsed() / 200;

    let rate = N as f64 / append.as_secs_f64();
    eprintln!(
        "append: {N} entries in batches of {BATCH}: {append:?} ({rate:.0} entries/s); \
         inclusion proof generation + verification: {per_proof:?} per proof; \
         consistency proof + old root + verification: {per_consistency:?}"
    );
    assert!(rate >= 5_000.0);
    assert!(per_proof.as_micros() <= 1_000);
}
