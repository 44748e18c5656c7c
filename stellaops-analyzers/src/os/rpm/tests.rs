//! Data-driven tests of [`super::parse_rpmdb`] against real rpmdb files from
//! `shared/fixtures/os-package-db` (see its PROVENANCE.md), plus robustness against
//! truncated, garbage and random input.

use stellaops_core::{License, Package};

use super::*;

/// Tests may do I/O: the fixture file is read here, never by the library.
fn fixture(rel: &str) -> Vec<u8> {
    stellaops_testkit::fixture(&format!("os-package-db/{rel}"))
}

/// The facts compared for every package.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Facts {
    name: String,
    epoch: Option<u64>,
    version_release: String,
    arch: Option<String>,
    source_rpm: Option<String>,
    license: Option<String>,
    vendor: Option<String>,
    size: Option<String>,
    summary: Option<String>,
}

fn present(field: &str) -> Option<String> {
    let f = field.trim();
    (!f.is_empty() && f != "(none)").then(|| f.to_owned())
}

/// Rows of go-rpmdb's `packages.csv`: `rpm -qa --queryformat` output with `¶` separators:
/// epoch¶name¶version¶release¶arch¶sourcerpm¶size¶license¶vendor¶summary¶sigmd5, where an
/// empty field or `(none)` means the tag is absent.
///
/// `gpg-pubkey` rows (imported signing keys, which `rpm -qa` lists) are excluded here, as
/// the parser excludes them.
fn csv_facts(text: &str) -> Vec<Facts> {
    let mut out: Vec<Facts> = text
        .lines()
        .filter(|l| !l.is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split('¶').collect();
            assert_eq!(f.len(), 11, "{line}");
            Facts {
                name: f[1].to_owned(),
                epoch: present(f[0]).map(|e| e.parse().unwrap()),
                version_release: format!("{}-{}", f[2], f[3]),
                arch: present(f[4]),
                source_rpm: present(f[5]),
                license: present(f[7]),
                vendor: present(f[8]),
                size: present(f[6]),
                summary: present(f[9]),
            }
        })
        .filter(|f| f.name != "gpg-pubkey")
        .collect();
    out.sort();
    out
}

fn facts(pkg: &Package) -> Facts {
    let prop = |k: &str| pkg.properties.get(k).cloned();
    assert!(pkg.licenses.len() <= 1, "{}: {:?}", pkg.name, pkg.licenses);
    Facts {
        name: pkg.name.clone(),
        epoch: pkg.epoch,
        version_release: pkg.version.clone(),
        arch: pkg.arch.clone(),
        source_rpm: prop("rpm:sourcerpm"),
        license: pkg.licenses.first().map(|l| match l {
            License::Expression(s) | License::Named(s) => s.clone(),
        }),
        vendor: prop("rpm:vendor"),
        size: prop("rpm:size"),
        summary: pkg.description.clone(),
    }
}

/// Invariants every parsed package satisfies, whatever the fixture.
fn check_invariants(scan: &RpmDbScan) {
    let keys: Vec<_> = scan
        .packages
        .iter()
        .map(|p| (&p.name, &p.version, p.epoch, &p.arch))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "packages are sorted");
    for p in &scan.packages {
        assert_ne!(p.name, "gpg-pubkey");
        assert!(
            p.files.windows(2).all(|w| w[0] < w[1]),
            "{}: files sorted+deduped",
            p.name
        );
        assert!(
            p.files.iter().all(|f| f.starts_with('/')),
            "{}: absolute files",
            p.name
        );
        let split = p
            .properties
            .get("rpm:sourcerpm")
            .and_then(|src| package::split_source_rpm(src));
        assert_eq!(p.source_name.as_deref(), split.map(|s| s.0));
        assert_eq!(p.source_version.as_deref(), split.map(|s| s.1));
        if let Some(vendor) = p.properties.get("rpm:vendor") {
            assert_eq!(p.supplier.as_ref(), Some(vendor));
        }
    }
}

fn find<'a>(scan: &'a RpmDbScan, name: &str) -> &'a Package {
    scan.packages
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no package {name}"))
}

#[test]
#[cfg(feature = "rpmdb-sqlite")]
fn sqlite_amazonlinux2023_matches_every_package() {
    let bytes = fixture("go-rpmdb/amazonlinux2023-plain/rpmdb.sqlite");
    assert_eq!(
        detect_format("var/lib/rpm/rpmdb.sqlite", &bytes),
        Some(RpmDbFormat::Sqlite)
    );
    let scan = parse_rpmdb(RpmDbFormat::Sqlite, &bytes).unwrap();
    assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
    let expected = csv_facts(
        &String::from_utf8(fixture("go-rpmdb/amazonlinux2023-plain/packages.csv")).unwrap(),
    );
    assert_eq!(expected.len(), 102, "103 csv rows minus gpg-pubkey");
    let mut actual: Vec<Facts> = scan.packages.iter().map(facts).collect();
    actual.sort();
    assert_eq!(actual.len(), expected.len());
    for (a, e) in actual.iter().zip(&expected) {
        assert_eq!(a, e);
    }
    check_invariants(&scan);
    let bash = find(&scan, "bash");
    assert!(
        bash.files.contains(&"/usr/bin/bash".to_owned()),
        "{:?}",
        bash.files
    );
    assert_eq!(bash.supplier.as_deref(), Some("Amazon Linux"));
}

#[test]
#[cfg(not(feature = "rpmdb-sqlite"))]
fn sqlite_without_feature_is_an_error() {
    let bytes = fixture("go-rpmdb/amazonlinux2023-plain/rpmdb.sqlite");
    let err = parse_rpmdb(RpmDbFormat::Sqlite, &bytes).unwrap_err();
    assert!(err.message.contains("lacks SQLite support"), "{err}");
}

#[test]
fn ndb_sle15_bci_matches_every_package() {
    let bytes = fixture("go-rpmdb/sle15-bci/Packages.db");
    assert_eq!(
        detect_format("/var/lib/rpm/Packages.db", &bytes),
        Some(RpmDbFormat::Ndb)
    );
    let scan = parse_rpmdb(RpmDbFormat::Ndb, &bytes).unwrap();
    assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
    // No gpg-pubkey rows in this list; the filter in `csv_facts` is a no-op here.
    let expected =
        csv_facts(&String::from_utf8(fixture("go-rpmdb/sle15-bci/packages.csv")).unwrap());
    assert_eq!(expected.len(), 36);
    let mut actual: Vec<Facts> = scan.packages.iter().map(facts).collect();
    actual.sort();
    assert_eq!(actual.len(), expected.len());
    for (a, e) in actual.iter().zip(&expected) {
        assert_eq!(a, e);
    }
    check_invariants(&scan);
    let glibc = find(&scan, "glibc");
    assert_eq!(
        glibc.licenses,
        vec![License::Expression(
            "LGPL-2.1-or-later AND LGPL-2.1-or-later WITH GCC-exception-2.0 AND GPL-2.0-or-later"
                .to_owned()
        )]
    );
    assert!(
        glibc.files.iter().any(|f| f.starts_with("/lib64/libc")),
        "{:?}",
        glibc.files
    );
}

#[test]
fn bdb_syft_matches_expected_json() {
    let bytes = fixture("syft/rpm-bdb/Packages");
    assert_eq!(
        detect_format("Packages", &bytes),
        Some(RpmDbFormat::BerkeleyDb)
    );
    let scan = parse_rpmdb(RpmDbFormat::BerkeleyDb, &bytes).unwrap();
    assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
    let json: serde_json::Value =
        serde_json::from_slice(&fixture("syft/rpm-bdb/expected.json")).unwrap();
    let expected = json["packages"].as_array().unwrap();
    // expected.json lists no gpg-pubkey entries; the parser would skip them anyway.
    assert_eq!(scan.packages.len(), expected.len());
    for (p, e) in scan.packages.iter().zip(expected) {
        let s = |k: &str| e[k].as_str().filter(|s| !s.is_empty()).map(str::to_owned);
        assert_eq!(Some(p.name.clone()), s("name"));
        assert_eq!(Some(p.version.clone()), s("version"));
        assert_eq!(p.epoch, e["epoch"].as_u64());
        assert_eq!(p.arch, s("arch"));
        assert_eq!(p.properties.get("rpm:sourcerpm").cloned(), s("sourceRpm"));
        assert_eq!(p.properties.get("rpm:vendor").cloned(), s("vendor"));
        assert_eq!(
            p.properties.get("rpm:size").cloned(),
            Some(e["size"].as_u64().unwrap().to_string())
        );
        assert_eq!(p.licenses, vec![License::Expression(s("license").unwrap())]);
        let files: Vec<String> = e["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(p.files, files);
    }
    check_invariants(&scan);
    let dive = find(&scan, "dive");
    assert_eq!(dive.source_name.as_deref(), Some("dive"));
    assert_eq!(dive.source_version.as_deref(), Some("0.9.2-1"));
}

#[test]
fn detect_format_needs_name_and_magic() {
    let bdb = fixture("syft/rpm-bdb/Packages");
    let ndb = fixture("go-rpmdb/sle15-bci/Packages.db");
    assert_eq!(detect_format("Packages.db", &bdb), None);
    assert_eq!(detect_format("Packages", &ndb), None);
    assert_eq!(detect_format("rpmdb.sqlite", &bdb), None);
    assert_eq!(detect_format("Packages.bak", &bdb), None);
    assert_eq!(detect_format("Packages", &[]), None);
    assert_eq!(
        detect_format("rpmdb.sqlite", b"SQLite format 3\0"),
        Some(RpmDbFormat::Sqlite)
    );
    assert_eq!(
        detect_format("usr/lib/sysimage/rpm/Packages.db", b"RpmP"),
        Some(RpmDbFormat::Ndb)
    );
}

/// Every format, with a fixture.
fn all_fixtures() -> Vec<(RpmDbFormat, Vec<u8>)> {
    vec![
        (RpmDbFormat::BerkeleyDb, fixture("syft/rpm-bdb/Packages")),
        (RpmDbFormat::Ndb, fixture("go-rpmdb/sle15-bci/Packages.db")),
        (
            RpmDbFormat::Sqlite,
            fixture("go-rpmdb/amazonlinux2023-plain/rpmdb.sqlite"),
        ),
    ]
}

#[test]
fn truncated_fixtures_give_errors_or_diagnostics() {
    for (format, bytes) in all_fixtures() {
        let full = parse_rpmdb(format, &bytes)
            .map(|s| s.packages.len())
            .unwrap_or(0);
        let n = bytes.len();
        for cut in [
            0,
            1,
            12,
            31,
            99,
            100,
            511,
            4096,
            4097,
            n / 3,
            n / 2,
            n - 4096,
            n - 17,
            n - 1,
        ] {
            match parse_rpmdb(format, &bytes[..cut]) {
                Err(_) => {}
                Ok(scan) => {
                    check_invariants(&scan);
                    // BDB and NDB always report lost data; SQLite may lose it silently
                    // (trailing free pages), but never invents packages.
                    assert!(scan.packages.len() <= full, "{format} cut at {cut}");
                    if format != RpmDbFormat::Sqlite {
                        assert!(
                            !scan.diagnostics.is_empty() || scan.packages.len() == full,
                            "{format} cut at {cut}: no diagnostic"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn garbage_and_empty_input_are_errors() {
    let garbage: Vec<u8> = (0..70_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    for format in [
        RpmDbFormat::BerkeleyDb,
        RpmDbFormat::Ndb,
        RpmDbFormat::Sqlite,
    ] {
        assert!(parse_rpmdb(format, &[]).is_err(), "{format} empty");
        assert!(parse_rpmdb(format, &garbage).is_err(), "{format} garbage");
        assert!(parse_rpmdb(format, b"hello").is_err(), "{format} short");
    }
}

/// Deterministic byte flips over each fixture (xorshift positions): never a panic, and what
/// is returned still satisfies the invariants.
#[test]
fn corrupted_fixtures_do_not_panic() {
    for (format, bytes) in all_fixtures() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let rounds = if format == RpmDbFormat::BerkeleyDb {
            400
        } else {
            60
        };
        for _ in 0..rounds {
            let mut b = bytes.clone();
            for _ in 0..4 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let at = (state % b.len() as u64) as usize;
                b[at] ^= (state >> 56) as u8 | 1;
            }
            if let Ok(scan) = parse_rpmdb(format, &b) {
                check_invariants(&scan);
            }
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    #[test]
    fn random_bytes_never_panic(
        body in proptest::collection::vec(proptest::num::u8::ANY, 0..6000),
        prefix in 0usize..4,
    ) {
        let magic: &[u8] = match prefix {
            0 => b"",
            1 => b"RpmP\0\0\0\0\0\0\0\0\x01\0\0\0",
            2 => b"SQLite format 3\0",
            _ => b"\0\0\0\0\0\0\0\0\0\0\0\0\x61\x15\x06\0\0\0\0\0\0\x02\0\0\0\x08",
        };
        let bytes = [magic, &body].concat();
        for format in [RpmDbFormat::BerkeleyDb, RpmDbFormat::Ndb, RpmDbFormat::Sqlite] {
            if let Ok(scan) = parse_rpmdb(format, &bytes) {
                check_invariants(&scan);
            }
        }
    }
}
