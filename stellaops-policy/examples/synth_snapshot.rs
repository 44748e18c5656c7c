//! Writes a synthetic advisory snapshot and a matching SBOM, for load and match benchmarks:
//! `cargo run --release -p stellaops-policy --example synth_snapshot -- DIR [ADVISORIES] [COMPONENTS]`
//! writes `DIR/db/snapshot.jsonl` (ADVISORIES records, 5 affected entries each across
//! debian, alpine, npm, pypi and maven) and `DIR/sbom.cdx.json` (COMPONENTS components, half
//! of them named in the snapshot).
#![allow(clippy::disallowed_methods, clippy::print_stdout)]

use std::path::PathBuf;

use stellaops_policy::advisory::ingest::Ingested;
use stellaops_policy::advisory::snapshot::Snapshot;
use stellaops_policy::advisory::{
    Advisory, Affected, AffectedStatus, Event, PackageKey, Provenance, Range, RangeKind,
    SeverityRating,
};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = PathBuf::from(args.get(1).map_or("bench/work/advisories", String::as_str));
    let advisories: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(60_000);
    let components: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(5_000);
    let snapshot = synth(advisories);
    std::fs::create_dir_all(dir.join("db")).unwrap();
    std::fs::write(dir.join("db/snapshot.jsonl"), snapshot.to_jsonl()).unwrap();
    std::fs::write(dir.join("sbom.cdx.json"), sbom(components)).unwrap();
    let stats = snapshot.stats();
    println!(
        "{} records, {} affected entries -> {}",
        stats.records,
        stats.affected_entries,
        dir.display()
    );
}

fn key(i: usize, slot: usize) -> (PackageKey, String, String) {
    match slot {
        0 => (
            PackageKey {
                ecosystem: "debian".into(),
                release: Some("12".into()),
                name: format!("srcpkg{}", i % 20_000),
            },
            "0".into(),
            format!("1.{}-{}+deb12u1", i % 97, i % 13),
        ),
        1 => (
            PackageKey {
                ecosystem: "alpine".into(),
                release: Some("3.19".into()),
                name: format!("apkpkg{}", i % 20_000),
            },
            "0".into(),
            format!("2.{}.{}-r1", i % 50, i % 9),
        ),
        2 => (
            PackageKey {
                ecosystem: "npm".into(),
                release: None,
                name: format!("npm-pkg-{}", i % 30_000),
            },
            format!("1.{}.0", i % 7),
            format!("1.{}.{}", i % 7 + 1, i % 11),
        ),
        3 => (
            PackageKey {
                ecosystem: "pypi".into(),
                release: None,
                name: format!("py-pkg-{}", i % 30_000),
            },
            "0".into(),
            format!("3.{}.post{}", i % 40, i % 3),
        ),
        _ => (
            PackageKey {
                ecosystem: "maven".into(),
                release: None,
                name: format!("org.example{}:artifact{}", i % 300, i % 10_000),
            },
            "1.0".into(),
            format!("2.{}.{}-RC{}", i % 30, i % 5, i % 3 + 1),
        ),
    }
}

fn synth(n: usize) -> Snapshot {
    let mut snap = Snapshot::new();
    let mut batch = Vec::with_capacity(n);
    for i in 0..n {
        let affected = (0..5)
            .map(|slot| {
                let (package, introduced, fixed) = key(i, slot);
                Affected {
                    package,
                    status: AffectedStatus::Affected,
                    ranges: vec![Range {
                        kind: RangeKind::Ecosystem,
                        events: vec![Event::Introduced(introduced), Event::Fixed(fixed)],
                        unusable: None,
                    }],
                    versions: vec![],
                    extra: Default::default(),
                }
            })
            .collect();
        batch.push(Advisory {
            id: format!("SYN-{i:07}"),
            aliases: vec![format!("CVE-2099-{i:06}")],
            summary: Some(format!("synthetic advisory {i}")),
            published: Some("2024-01-01T00:00:00Z".into()),
            modified: None,
            withdrawn: None,
            severity: vec![SeverityRating {
                kind: "CVSS_V3".into(),
                value: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".into(),
                score: Some(9.8),
            }],
            affected,
            references: vec![format!("https://advisories.example/SYN-{i}")],
            provenance: Provenance {
                source: "osv".into(),
                document: format!("SYN-{i}.json"),
                document_sha256: "0".repeat(64),
            },
        });
    }
    snap.upsert(Ingested {
        advisories: batch,
        ..Default::default()
    });
    snap
}

fn sbom(n: usize) -> String {
    let comps: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            let purl = match i % 5 {
                0 => format!("pkg:deb/debian/bin{i}@1.{}-{}?arch=amd64&distro=debian-12&upstream=srcpkg{}", i % 97, i % 13, i * 7 % 40_000),
                1 => format!("pkg:apk/alpine/apkpkg{}@2.{}.{}-r0?arch=x86_64&distro=alpine-3.19.1", i * 7 % 40_000, i % 50, i % 9),
                2 => format!("pkg:npm/npm-pkg-{}@1.{}.{}", i * 7 % 60_000, i % 7, i % 11),
                3 => format!("pkg:pypi/py-pkg-{}@3.{}", i * 7 % 60_000, i % 40),
                _ => format!("pkg:maven/org.example{}/artifact{}@2.{}.0", i % 300, i * 7 % 20_000, i % 30),
            };
            serde_json::json!({"type": "library", "bom-ref": format!("c{i}"), "name": format!("c{i}"), "purl": purl})
        })
        .collect();
    serde_json::to_string(&serde_json::json!({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": comps})).unwrap()
}
