//! Writes seed inputs that the fuzzer cannot make itself: documents signed with the fixed keys
//! the fuzz targets trust, and snapshots exported from the advisory fixtures.
//!
//! `cargo run --release -- <corpus dir> <shared fixtures dir>` (see ../README.md).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use stellaops_attest::ca::{CertificateAuthority, Identity};
use stellaops_attest::dsse;
use stellaops_attest::keys::{Algorithm, SigningKey};
use stellaops_attest::proof::{self, TlogRecord};
use stellaops_attest::tlog::{
    self, sign_checkpoint, sign_note, tiles, Checkpoint, NoteSigner, TlogProof,
};
use stellaops_core::proof::{default_knobs, ScanManifest, ScoreInput};
use stellaops_policy::advisory::{ingest, snapshot::Snapshot};

fn write(corpus: &Path, target: &str, name: &str, bytes: impl AsRef<[u8]>) {
    let dir = corpus.join(target);
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join(name), bytes).unwrap();
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let corpus = PathBuf::from(
        args.get(1)
            .expect("usage: seedgen <corpus dir> <fixtures dir>"),
    );
    let fixtures = PathBuf::from(
        args.get(2)
            .expect("usage: seedgen <corpus dir> <fixtures dir>"),
    );

    // The keys the fuzz targets trust (keep in sync with fuzz_targets/*.rs).
    let key = SigningKey::generate(Algorithm::Ed25519, &[1; 32]).unwrap();
    let p256 = SigningKey::generate(Algorithm::EcdsaP256Sha256, &[5; 32]).unwrap();
    let signer = NoteSigner::from_seed("fuzz.example", &[2; 32]).unwrap();
    let other = NoteSigner::from_seed("witness.example", &[4; 32]).unwrap();
    let ca =
        CertificateAuthority::new_root(&[3; 32], "Stella Ops fuzz root", 0, 4_102_444_800, &[1])
            .unwrap();

    // dsse_envelope
    let statement = br#"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"00"}}],"predicateType":"https://example/p","predicate":{}}"#;
    write(
        &corpus,
        "dsse_envelope",
        "seed-ed25519",
        dsse::sign("application/vnd.in-toto+json", statement, &[&key]).to_json(),
    );
    write(
        &corpus,
        "dsse_envelope",
        "seed-p256",
        dsse::sign("application/vnd.in-toto+json", statement, &[&p256]).to_json(),
    );
    write(
        &corpus,
        "dsse_envelope",
        "seed-two-keys",
        dsse::sign("text/plain", b"hello", &[&key, &p256]).to_json(),
    );
    write(
        &corpus,
        "dsse_envelope",
        "seed-empty",
        dsse::sign("", b"", &[&key]).to_json(),
    );

    // proof_bundle: FILES joined by 0xFF, with and without a log record.
    let manifest = ScanManifest {
        scan_id: "scan-1".into(),
        artifact_digest: format!("sha256:{}", "ab".repeat(32)),
        artifact_purl: Some("pkg:oci/app@sha256:abab".into()),
        scanner_version: "stella/0.1.0".into(),
        concelier_snapshot_hash: format!("sha256:{}", "cd".repeat(32)),
        excititor_snapshot_hash: None,
        policy_hash: None,
        seed: "0".into(),
        knobs: default_knobs(),
    };
    let inputs = vec![
        ScoreInput {
            id: "CVE-2014-3616".into(),
            purl: "pkg:deb/debian/nginx@1.2.1-2.2%2Bwheezy2".into(),
            cvss: Some(4.3),
            severity: "medium".into(),
            kev: false,
            epss: Some(0.01),
        },
        ScoreInput {
            id: "CVE-2021-44228".into(),
            purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1".into(),
            cvss: Some(10.0),
            severity: "critical".into(),
            kev: true,
            epss: Some(0.97),
        },
    ];
    let files = proof::build(
        &manifest,
        &inputs,
        "2024-01-01T00:00:00Z",
        "stella/0.1.0",
        &key,
    )
    .unwrap();
    proof::verify(&files, &[key.verifying_key()], 1).expect("seed bundle verifies");
    let join = |files: &BTreeMap<String, Vec<u8>>| {
        let mut out = Vec::new();
        for (i, name) in proof::FILES.iter().enumerate() {
            if i > 0 {
                out.push(0xFF);
            }
            out.extend_from_slice(&files[*name]);
        }
        out
    };
    write(&corpus, "proof_bundle", "seed-bundle", join(&files));
    let empty = proof::build(&manifest, &[], "2024-01-01T00:00:00Z", "stella/0.1.0", &key).unwrap();
    write(&corpus, "proof_bundle", "seed-bundle-empty", join(&empty));

    // A log holding the bundle's proof root; its tlog-proof goes into meta.json and to the
    // signed_note corpus.
    let mut tree = tlog::MemoryTree::new();
    tree.push(b"first entry");
    let index = tree.push(&proof::log_entry(&files["proof_root.dsse.json"]));
    tree.push(b"third entry");
    let cp = Checkpoint::new("fuzz.example/log", tree.size(), tree.root());
    let signed_cp = sign_checkpoint(&cp, &signer).unwrap();
    let tlog_proof = TlogProof {
        extra: None,
        index,
        proof: tree.inclusion_proof(index).unwrap(),
        checkpoint: signed_cp.clone(),
    };
    let logged = proof::finish(
        files.clone(),
        "2024-01-01T00:00:00Z",
        "stella/0.1.0",
        Some(TlogRecord {
            origin: "fuzz.example/log".into(),
            proof: tlog_proof.format(),
        }),
    )
    .unwrap();
    write(&corpus, "proof_bundle", "seed-bundle-logged", join(&logged));

    // signed_note
    write(&corpus, "signed_note", "seed-checkpoint", &signed_cp);
    write(
        &corpus,
        "signed_note",
        "seed-checkpoint-text",
        cp.format().unwrap(),
    );
    write(
        &corpus,
        "signed_note",
        "seed-tlog-proof",
        tlog_proof.format(),
    );
    let with_extra = TlogProof {
        extra: Some(b"extra data".to_vec()),
        ..tlog_proof
    };
    write(
        &corpus,
        "signed_note",
        "seed-tlog-proof-extra",
        with_extra.format(),
    );
    let ext = Checkpoint {
        extensions: vec!["ext line".into()],
        ..cp
    };
    write(
        &corpus,
        "signed_note",
        "seed-cosigned",
        sign_note(&ext.format().unwrap(), &[&signer, &other]).unwrap(),
    );
    write(&corpus, "signed_note", "seed-note", sign_note("If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n", &[&signer]).unwrap());

    // tile_decode
    let hashes: Vec<_> = (0..3u8).map(|i| [i; 32]).collect();
    write(
        &corpus,
        "tile_decode",
        "seed-tile",
        tiles::encode_tile(&hashes).unwrap(),
    );
    write(
        &corpus,
        "tile_decode",
        "seed-bundle",
        tiles::encode_entry_bundle(&[&b"a"[..], b"", b"entry three"]).unwrap(),
    );
    for (i, path) in [
        "tile/0/000",
        "tile/1/x001/234.p/5",
        "tile/entries/x123/067",
        "tile/63/000.p/255",
    ]
    .iter()
    .enumerate()
    {
        write(&corpus, "tile_decode", &format!("seed-path-{i}"), path);
    }

    // cert_pem: leaves issued by the fixed root (Ed25519 and P-256 keys; e-mail and URI
    // identities) and the root itself.
    let ed_spki = key.verifying_key().to_spki_der().unwrap();
    let p256_spki = p256.verifying_key().to_spki_der().unwrap();
    let leaf = ca
        .issue_signing_cert(
            &ed_spki,
            &Identity::new("dev@example.com", "https://accounts.example.com"),
            0,
            600,
            &[2],
        )
        .unwrap();
    stellaops_attest::ca::verify_signing_cert(&leaf, &[ca.root_pem()], 0, None)
        .expect("seed leaf verifies");
    write(&corpus, "cert_pem", "seed-leaf-email", &leaf);
    let leaf = ca
        .issue_signing_cert(
            &p256_spki,
            &Identity::new(
                "https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main",
                "https://token.actions.githubusercontent.com",
            ),
            0,
            600,
            &[0x7f, 3],
        )
        .unwrap();
    write(&corpus, "cert_pem", "seed-leaf-uri", &leaf);
    write(&corpus, "cert_pem", "seed-root", ca.root_pem());

    // snapshot_jsonl: exports of the advisory fixtures, one per source directory (an export of
    // all of them is ~190 KB, too big to mutate quickly).
    let mut docs = Vec::new();
    json_files(&fixtures.join("advisories"), &mut docs);
    json_files(
        &fixtures.join("vex/csaf/oasis-csaf_2.0-advisories"),
        &mut docs,
    );
    json_files(&fixtures.join("vex/csaf/oasis-csaf_2.0-vex"), &mut docs);
    let mut per_dir: BTreeMap<PathBuf, Snapshot> = BTreeMap::new();
    for doc in &docs {
        let bytes = fs::read(doc).unwrap();
        if let Ok(ingested) = ingest::ingest(&doc.display().to_string(), &bytes) {
            per_dir
                .entry(doc.parent().unwrap().to_path_buf())
                .or_default()
                .upsert(ingested);
        }
    }
    for (i, snap) in per_dir.values().enumerate() {
        write(
            &corpus,
            "snapshot_jsonl",
            &format!("seed-dir-{i}"),
            snap.to_jsonl(),
        );
    }
    eprintln!("seeds written to {}", corpus.display());
}
