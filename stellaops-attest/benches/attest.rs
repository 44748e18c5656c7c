//! Benchmarks (divan): DSSE verification, batched log appends, and inclusion proof
//! generation + verification on a 1M-entry log. `cargo bench -p stellaops-attest`.

use stellaops_attest::dsse;
use stellaops_attest::keys::{Algorithm, SigningKey};
use stellaops_attest::tlog::{leaf_hash, verify_inclusion, Log, MemoryStore};

fn main() {
    divan::main();
}

fn envelope(alg: Algorithm) -> (dsse::Envelope, SigningKey) {
    let key = SigningKey::generate(alg, &[9u8; 32]).unwrap_or_else(|_| unreachable!());
    let payload = br#"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"img","digest":{"sha256":"00"}}],"predicateType":"https://cyclonedx.org/bom","predicate":{}}"#;
    (
        dsse::sign("application/vnd.in-toto+json", payload, &[&key]),
        key,
    )
}

#[divan::bench]
fn dsse_verify_ed25519(bencher: divan::Bencher) {
    let (env, key) = envelope(Algorithm::Ed25519);
    let trusted = vec![key.verifying_key()];
    bencher.bench(|| dsse::verify(divan::black_box(&env), &trusted, 1).is_ok());
}

#[divan::bench]
fn dsse_verify_p256(bencher: divan::Bencher) {
    let (env, key) = envelope(Algorithm::EcdsaP256Sha256);
    let trusted = vec![key.verifying_key()];
    bencher.bench(|| dsse::verify(divan::black_box(&env), &trusted, 1).is_ok());
}

#[divan::bench(sample_count = 5)]
fn log_append_10k_in_batches_of_1000(bencher: divan::Bencher) {
    let entries: Vec<Vec<u8>> = (0..10_000u32)
        .map(|i| format!("{{\"sha256\":\"{i:064x}\",\"size\":{i}}}").into_bytes())
        .collect();
    bencher.bench(|| {
        let mut log = Log::open(MemoryStore::default(), 0).unwrap_or_else(|_| unreachable!());
        for chunk in entries.chunks(1000) {
            let _ = log.append_batch(chunk);
        }
        log.size()
    });
}

fn million() -> Log<MemoryStore> {
    {
        let mut log = Log::open(MemoryStore::default(), 0).unwrap_or_else(|_| unreachable!());
        let batch: Vec<Vec<u8>> = (0..10_000u32).map(|i| i.to_be_bytes().to_vec()).collect();
        for round in 0..100u32 {
            let entries: Vec<Vec<u8>> = batch
                .iter()
                .map(|e| [e.as_slice(), &round.to_be_bytes()].concat())
                .collect();
            let _ = log.append_batch(&entries);
        }
        log
    }
}

#[divan::bench(sample_count = 50)]
fn inclusion_proof_and_verify_1m(bencher: divan::Bencher) {
    let log = million();
    let log = &log;
    let root = log.root();
    let size = log.size();
    let mut i = 0u64;
    bencher.bench_local(|| {
        i = (i + 7_919) % size;
        let entry = log.entry(i).unwrap_or_default();
        let proof = log.inclusion_proof(i).unwrap_or_default();
        verify_inclusion(i, size, &leaf_hash(&entry), &proof, &root).is_ok()
    });
}
