//! Benchmarks (divan): version comparisons per ecosystem, snapshot load + index, and
//! matching a 5,000-component SBOM. `cargo bench -p stellaops-policy`.
#![allow(clippy::disallowed_methods)]

use stellaops_policy::advisory::matcher::{ComponentRef, Matcher};
use stellaops_policy::advisory::snapshot::Snapshot;
use stellaops_policy::version::{self, Ecosystem};

fn main() {
    divan::main();
}

const PAIRS: &[(Ecosystem, &str, &str)] = &[
    (Ecosystem::Deb, "1:2.36-9+deb12u4", "1:2.36-9+deb12u7"),
    (Ecosystem::Rpm, "3.0.7-18.el9_2", "3.0.7-24.el9"),
    (Ecosystem::Apk, "1.2.4_git20230717-r4", "1.2.4-r2"),
    (Ecosystem::Semver, "1.2.3-alpha.10", "1.2.3-alpha.9"),
    (Ecosystem::Npm, "4.17.20", "4.17.21"),
    (
        Ecosystem::Golang,
        "v0.0.0-20191109021931-daa7c04131f5",
        "v0.17.0",
    ),
    (Ecosystem::Pypi, "2.31.0.post1", "2.31.0rc1"),
    (Ecosystem::Maven, "2.17.1", "2.17.1-SNAPSHOT"),
    (Ecosystem::Nuget, "6.0.0-preview.7", "6.0.0"),
];

#[divan::bench(args = 0..9usize)]
fn compare(i: usize) -> std::cmp::Ordering {
    let (eco, a, b) = PAIRS[i];
    version::compare(
        divan::black_box(eco),
        divan::black_box(a),
        divan::black_box(b),
    )
    .unwrap_or(std::cmp::Ordering::Equal)
}

fn synth_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../bench/work/advisories")
}

fn load_snapshot() -> Option<Snapshot> {
    let bytes = std::fs::read(synth_dir().join("db/snapshot.jsonl")).ok()?;
    Snapshot::from_jsonl(&bytes).ok()
}

#[divan::bench(sample_count = 3)]
fn snapshot_load_and_index(bencher: divan::Bencher) {
    let Ok(bytes) = std::fs::read(synth_dir().join("db/snapshot.jsonl")) else {
        return; // run bench/bench-advisories.sh first
    };
    bencher.bench(|| {
        let snap = Snapshot::from_jsonl(&bytes).unwrap_or_default();
        let matcher = Matcher::new(&snap);
        divan::black_box(matcher.snapshot_hash().len())
    });
}

#[divan::bench(sample_count = 10)]
fn match_5000_components(bencher: divan::Bencher) {
    let Some(snap) = load_snapshot() else { return };
    let Ok(sbom) = std::fs::read(synth_dir().join("sbom.cdx.json")) else {
        return;
    };
    let doc: serde_json::Value = serde_json::from_slice(&sbom).unwrap_or_default();
    let components: Vec<ComponentRef> = doc["components"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| ComponentRef {
                    reference: c["bom-ref"].as_str().unwrap_or_default().to_owned(),
                    purl: c["purl"].as_str().unwrap_or_default().to_owned(),
                    layer_digest: None,
                })
                .collect()
        })
        .unwrap_or_default();
    let matcher = Matcher::new(&snap);
    bencher.bench(|| divan::black_box(matcher.match_components(&components).findings.len()));
}
