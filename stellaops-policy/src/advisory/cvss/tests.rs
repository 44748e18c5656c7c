//! Tests of the CVSS calculators: upstream test vectors (`testdata/*.txt`, with provenance
//! notes), every (vector, score) pair of the shared fixture documents, specification examples,
//! error cases, exhaustive enumeration of the base metric spaces, and properties.

use super::*;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

/// Parses `vector` and checks its base score against `expected`, and that the severity is the
/// one [`severity_for_score`] gives.
#[track_caller]
fn check(vector: &str, expected: f64) {
    let score = parse(vector).unwrap_or_else(|e| panic!("{vector}: {e}"));
    assert_eq!(score.base_score, expected, "{vector}");
    assert_eq!(
        score.severity,
        severity_for_score(score.version, score.base_score),
        "{vector}"
    );
    assert_eq!(score.vector, vector.trim());
}

/// Data lines of an upstream vector file: `VECTOR - (score, …)` or `VECTOR - score`; `#`
/// lines are comments. Returns (vector, first score).
fn upstream_lines(text: &'static str) -> Vec<(&'static str, f64)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (vector, scores) = l
                .split_once(" - ")
                .unwrap_or_else(|| panic!("bad test line {l:?}"));
            let first = scores
                .trim_start_matches('(')
                .split([',', ')'])
                .next()
                .unwrap_or_default()
                .trim();
            let score: f64 = first
                .parse()
                .unwrap_or_else(|e| panic!("bad score in {l:?}: {e}"));
            (vector, score)
        })
        .collect()
}

const V2_VECTORS: &str = include_str!("testdata/cvss2.txt");
const V30_VECTORS: &str = include_str!("testdata/cvss30.txt");
const V31_VECTORS: &str = include_str!("testdata/cvss31.txt");
const V4_VECTORS: &str = include_str!("testdata/cvss4.txt");
const V4_BTE_VECTORS: &str = include_str!("testdata/cvss4_bte.txt");

#[test]
fn upstream_v2_vectors() {
    let rows = upstream_lines(V2_VECTORS);
    // 24 (vectors_cvsslib2) + 3 (vectors_calculator2) + 340 (vectors_simple2).
    assert_eq!(rows.len(), 367);
    for (vector, expected) in rows {
        assert_eq!(parse(vector).map(|s| s.version), Ok(CvssVersion::V2));
        check(vector, expected);
    }
}

#[test]
fn upstream_v30_vectors() {
    let rows = upstream_lines(V30_VECTORS);
    // 29 (vectors_cvsslib3) + 2 (vectors_calculator3) + 195 (vectors_simple3).
    assert_eq!(rows.len(), 226);
    for (vector, expected) in rows {
        assert_eq!(parse(vector).map(|s| s.version), Ok(CvssVersion::V3_0));
        check(vector, expected);
    }
}

#[test]
fn upstream_v31_vectors() {
    let rows = upstream_lines(V31_VECTORS);
    // 162 + 132 lines of vectors_simple31.
    assert_eq!(rows.len(), 294);
    for (vector, expected) in rows {
        assert_eq!(parse(vector).map(|s| s.version), Ok(CvssVersion::V3_1));
        check(vector, expected);
    }
}

#[test]
fn upstream_v4_vectors() {
    let rows = upstream_lines(V4_VECTORS);
    // 95 + 218 lines of vectors_simple4.
    assert_eq!(rows.len(), 313);
    for (vector, expected) in rows {
        assert_eq!(parse(vector).map(|s| s.version), Ok(CvssVersion::V4_0));
        check(vector, expected);
    }
}

/// The same MacroVector algorithm with threat and environmental metrics applied, against the
/// reference's CVSS-BTE scores; `parse` itself must give the base score of the base metrics.
#[test]
fn upstream_v4_threat_environmental_vectors() {
    let rows = upstream_lines(V4_BTE_VECTORS);
    // 54 (vectors_security4) + 6 (vectors_threat4) + 4 (test_cvss4.py).
    assert_eq!(rows.len(), 64);
    for (vector, expected) in rows {
        let body = vector.strip_prefix("CVSS:4.0/").unwrap_or_default();
        let metrics = parse_metrics(CvssVersion::V4_0, body, v4::METRICS)
            .unwrap_or_else(|e| panic!("{vector}: {e}"));
        assert_eq!(v4::bte_score(&metrics), expected, "{vector}");

        let base_only: Vec<&str> = body.split('/').take(11).collect();
        let base_vector = format!("CVSS:4.0/{}", base_only.join("/"));
        let base = parse(&base_vector).map(|s| s.base_score);
        assert_eq!(parse(vector).map(|s| s.base_score), base, "{vector}");
    }
}

/// Worked examples of the specification documents.
#[test]
fn specification_examples() {
    // FIRST, "A Complete Guide to the CVSS Version 2.0", section 3.3.
    check("AV:N/AC:L/Au:N/C:N/I:N/A:C", 7.8); // CVE-2002-0392
    check("AV:N/AC:L/Au:N/C:C/I:C/A:C", 10.0); // CVE-2003-0818
    check("AV:L/AC:H/Au:N/C:C/I:C/A:C", 6.2); // CVE-2003-0062
    check("AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C", 7.8); // temporal metrics ignored

    // FIRST, "CVSS v3.1: Examples" (the same vectors and base scores as the v3.0 examples).
    for (vector, score) in [
        ("AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1), // CVE-2013-1937 phpMyAdmin XSS
        ("AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4), // CVE-2013-0375 MySQL SQL injection
        ("AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1), // CVE-2014-3566 POODLE
        ("AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9), // CVE-2012-1516 VMware guest to host
        ("AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", 4.2), // CVE-2009-0783 Tomcat XML parser
        ("AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8), // CVE-2012-0384 Cisco IOS
        ("AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8), // CVE-2015-1098 Apple iWork
        ("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5), // CVE-2014-0160 Heartbleed
        ("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8), // CVE-2014-6271 Shellshock
        ("AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", 6.8), // CVE-2008-1447 DNS Kaminsky bug
        ("AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 6.8), // CVE-2014-2005 Sophos login bypass
        ("AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", 5.8), // CVE-2010-0467 Joomla traversal
        ("AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:L/A:N", 5.8), // CVE-2012-1342 Cisco ACL bypass
        ("AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H", 9.3), // CVE-2013-6014 Juniper proxy ARP
        ("AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", 5.4), // CVE-2014-9253 DokuWiki XSS
        ("AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.8), // CVE-2011-1265 Windows Bluetooth
        ("AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N", 4.6), // CVE-2014-2019 Apple iOS bypass
        ("AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 8.8), // CVE-2015-0970 SearchBlox CSRF
        ("AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N", 7.4), // CVE-2014-0224 OpenSSL CCS
        ("AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", 9.6), // CVE-2012-5376 Chrome sandbox
    ] {
        check(&format!("CVSS:3.1/{vector}"), score);
        check(&format!("CVSS:3.0/{vector}"), score);
    }

    // v4.0: no impact at all is 0.0; the best-known critical vectors.
    check(
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
        9.3,
    );
    check(
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H",
        10.0,
    );
    check(
        "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N",
        0.0,
    );
}

/// The two rounding rules of v3: Appendix A of v3.1 and plain ceiling of v3.0.
#[test]
fn v3_roundup() {
    assert_eq!(v3::roundup_v31(4.0), 4.0);
    assert_eq!(v3::roundup_v31(4.02), 4.1);
    assert_eq!(v3::roundup_v31(4.000_001), 4.0); // within 5e-6: float noise
    assert_eq!(v3::roundup_v31(4.000_01), 4.1);
    assert_eq!(v3::roundup_v31(0.0), 0.0);
    assert_eq!(v3::roundup_v31(10.0), 10.0);
    // The spec's motivating case: 4.0 computed as 4.000000000000001.
    assert_eq!(v3::roundup_v31(4.000_000_000_000_001), 4.0);
    assert_eq!(v3::roundup_v30(4.000_000_000_000_001), 4.0);
    assert_eq!(v3::roundup_v30(4.02), 4.1);
    assert_eq!(v3::roundup_v30(4.0), 4.0);
    assert_eq!(v3::roundup_v30(3.99), 4.0);
}

#[test]
fn prefixes_and_forms() {
    let plain = parse("AV:N/AC:L/Au:N/C:P/I:P/A:P").map(|s| s.base_score);
    assert_eq!(plain, Ok(7.5));
    for form in [
        "(AV:N/AC:L/Au:N/C:P/I:P/A:P)",
        "CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P",
        "  AV:N/AC:L/Au:N/C:P/I:P/A:P\n",
        "AV:N/AC:L/Au:N/C:P/I:P/A:P/E:ND/RL:ND/RC:ND/CDP:ND/TD:ND/CR:ND/IR:ND/AR:ND",
    ] {
        let s = parse(form).unwrap_or_else(|e| panic!("{form}: {e}"));
        assert_eq!(s.version, CvssVersion::V2, "{form}");
        assert_eq!(Ok(s.base_score), plain, "{form}");
        assert_eq!(s.severity, "HIGH");
        assert_eq!(s.vector, form.trim());
    }
    // Metric order is free; X values and temporal / environmental metrics are ignored.
    check(
        "CVSS:3.1/S:U/A:H/I:H/C:H/UI:N/PR:N/AC:L/AV:N/E:X/RL:O/MAV:P/MS:C/CR:L",
        9.8,
    );
    assert_eq!(CvssVersion::V3_1.to_string(), "CVSS v3.1");
    assert_eq!(CvssVersion::V2.as_str(), "2.0");
}

#[track_caller]
fn assert_error(vector: &str, kind: CvssErrorKind) {
    match parse(vector) {
        Ok(s) => panic!("{vector:?} parsed as {s:?}"),
        Err(e) => {
            assert_eq!(e.kind(), &kind, "{vector:?}: {e}");
            // Display says something useful, never panics.
            assert!(e.to_string().starts_with("invalid CVSS"), "{e}");
        }
    }
}

#[test]
fn errors() {
    use CvssErrorKind as K;
    assert_error("", K::Empty);
    assert_error("   ", K::Empty);
    assert_error("/", K::UnknownPrefix(String::new()));
    assert_error(
        "CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        K::UnknownPrefix("CVSS:3.2".into()),
    );
    assert_error("CVSS:5.0/AV:N", K::UnknownPrefix("CVSS:5.0".into()));
    assert_error("garbage", K::UnknownPrefix("garbage".into()));
    // A v3 vector without its prefix is read as v2, and PR is no v2 metric.
    let e = parse("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").unwrap_err();
    assert_eq!(e.kind(), &K::UnknownMetric("PR".into()));
    assert_eq!(e.version(), Some(CvssVersion::V2));
    assert_error("CVSS:3.1/", K::MalformedComponent(String::new()));
    assert_error(
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/",
        K::MalformedComponent(String::new()),
    );
    assert_error(
        "CVSS:3.0//AC:H/PR:H/UI:R/S:U/C:L/I:N/A:L",
        K::MalformedComponent(String::new()),
    );
    assert_error(
        "CVSS:3.0/AV:P/AC:H/PR:H/UI:R/S:C/C:H/I:H/A:N/MCL",
        K::MalformedComponent("MCL".into()),
    );
    assert_error(
        "CVSS:3.0/AX:P/AC:H/PR:H/UI:R/S:C/C:H/I:H/A:N",
        K::UnknownMetric("AX".into()),
    );
    assert_error(
        "CVSS:3.0/AV:W/AC:H/PR:H/UI:R/S:C/C:H/I:H/A:N",
        K::BadValue {
            metric: "AV".into(),
            value: "W".into(),
        },
    );
    assert_error(
        "CVSS:3.0/AV:P/AV:L/AC:H/PR:H/UI:R/S:C/C:H/I:H/A:N",
        K::DuplicateMetric("AV".into()),
    );
    assert_error(
        "CVSS:3.0/AV:P/AC:H/UI:R/S:C/C:H/I:H/A:N",
        K::MissingMetrics(vec!["PR"]),
    );
    assert_error(
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H",
        K::MissingMetrics(vec!["S"]),
    );
    // Names and values are case-sensitive.
    assert_error(
        "CVSS:3.1/av:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        K::UnknownMetric("av".into()),
    );
    assert_error("AV:N/AC:L/AU:N/C:P/I:P/A:P", K::UnknownMetric("AU".into()));
    assert_error("AV:N/AC:L/Au:N/C:P/I:P", K::MissingMetrics(vec!["A"]));
    assert_error(
        "AV:N/AC:L/Au:N/C:P/I:P/A:P/E:X",
        K::BadValue {
            metric: "E".into(),
            value: "X".into(),
        },
    );
    // v4: the Python package's own error cases.
    assert_error(
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/JJ:H",
        K::UnknownMetric("JJ".into()),
    );
    assert_error(
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:J",
        K::BadValue {
            metric: "SA".into(),
            value: "J".into(),
        },
    );
    assert_error(
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SI:H",
        K::DuplicateMetric("SI".into()),
    );
    assert_error(
        "CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:N/VI:N/VA:N",
        K::MissingMetrics(vec!["AT", "SC", "SI", "SA"]),
    );
    // MSI:S exists, SI:S does not.
    assert_error(
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:S/SA:N",
        K::BadValue {
            metric: "SI".into(),
            value: "S".into(),
        },
    );
    // Long input is quoted back cut short.
    let long = format!("CVSS:3.1/{}:H", "A".repeat(10_000));
    let message = parse(&long).unwrap_err().to_string();
    assert!(message.len() < 300, "{message}");
}

#[test]
fn severity_bands() {
    use CvssVersion::*;
    for v in [V3_0, V3_1, V4_0] {
        assert_eq!(severity_for_score(v, 0.0), "NONE");
        assert_eq!(severity_for_score(v, 0.1), "LOW");
        assert_eq!(severity_for_score(v, 3.9), "LOW");
        assert_eq!(severity_for_score(v, 4.0), "MEDIUM");
        assert_eq!(severity_for_score(v, 6.9), "MEDIUM");
        assert_eq!(severity_for_score(v, 7.0), "HIGH");
        assert_eq!(severity_for_score(v, 8.9), "HIGH");
        assert_eq!(severity_for_score(v, 9.0), "CRITICAL");
        assert_eq!(severity_for_score(v, 10.0), "CRITICAL");
        assert_eq!(severity_for_score(v, f64::NAN), "NONE");
        assert_eq!(severity_for_score(v, -1.0), "NONE");
    }
    assert_eq!(severity_for_score(V2, 0.0), "LOW");
    assert_eq!(severity_for_score(V2, 3.9), "LOW");
    assert_eq!(severity_for_score(V2, 4.0), "MEDIUM");
    assert_eq!(severity_for_score(V2, 6.9), "MEDIUM");
    assert_eq!(severity_for_score(V2, 7.0), "HIGH");
    assert_eq!(severity_for_score(V2, 10.0), "HIGH");
    assert_eq!(severity_for_score(V2, f64::NAN), "LOW");
}

// ---------------------------------------------------------------------------------------
// Shared fixture documents.

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures/");

/// Every file under `dir`, sorted.
fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries =
        stellaops_testkit::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// A (vector, score) pair found in a fixture document.
#[derive(Debug)]
struct Pair {
    file: String,
    vector: String,
    score: f64,
    severity: Option<String>,
}

/// Walks a JSON value for CVSS objects: `{"vectorString", "baseScore"}` (CSAF, CVSS JSON
/// schema) and `{"vectorString", "score"}` (GHSA) pairs go to `pairs`; OSV severity entries
/// `{"type": "CVSS_V3", "score": VECTOR}` go to `vectors` with their type.
fn collect_json(
    file: &str,
    value: &serde_json::Value,
    pairs: &mut Vec<Pair>,
    vectors: &mut Vec<(String, String)>,
) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(vector) = map.get("vectorString").and_then(|v| v.as_str()) {
                let score = map
                    .get("baseScore")
                    .or_else(|| map.get("score"))
                    .and_then(|v| v.as_f64());
                if let Some(score) = score {
                    pairs.push(Pair {
                        file: file.to_string(),
                        vector: vector.to_string(),
                        score,
                        severity: map
                            .get("baseSeverity")
                            .and_then(|v| v.as_str())
                            .map(str::to_string),
                    });
                }
            }
            if let (Some(kind), Some(vector)) = (
                map.get("type").and_then(|v| v.as_str()),
                map.get("score").and_then(|v| v.as_str()),
            ) {
                if kind.starts_with("CVSS_V") {
                    vectors.push((kind.to_string(), vector.to_string()));
                }
            }
            for v in map.values() {
                collect_json(file, v, pairs, vectors);
            }
        }
        serde_json::Value::Array(items) => {
            for v in items {
                collect_json(file, v, pairs, vectors);
            }
        }
        _ => {}
    }
}

/// CSAF validator test documents that test 6.1.9 ("Invalid CVSS computation") lists as
/// failures in `testcases.json`: their scores are wrong on purpose.
const WRONG_ON_PURPOSE: [&str; 3] = [
    "oasis_csaf_tc-csaf_2_0-2021-6-1-09-01.json",
    "oasis_csaf_tc-csaf_2_0-2021-6-1-09-02.json",
    "oasis_csaf_tc-csaf_2_0-2021-6-1-09-03.json",
];

/// Every CVSS (vector, score) pair in the advisory and VEX fixtures (CSAF `scores[].cvss_v2`
/// / `cvss_v3` objects, GHSA `cvss` objects), and every bare vector (OSV `severity[]`,
/// RustSec `cvss = "…"`). CycloneDX `ratings` are not used: their scores there are
/// environmental scores (e.g. 0.0 with MC:N/MI:N/MA:N), not base scores.
#[test]
fn fixture_documents() {
    let mut files = Vec::new();
    for dir in ["vex", "advisories"] {
        files_under(&Path::new(FIXTURES).join(dir), &mut files);
    }
    let mut pairs = Vec::new();
    let mut osv_vectors = Vec::new();
    let mut rustsec_vectors = Vec::new();
    for path in &files {
        let name = path.display().to_string();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext == "json" {
            let text = stellaops_testkit::fs::read_to_string(path)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
                collect_json(&name, &value, &mut pairs, &mut osv_vectors);
            }
        } else if ext == "md" && name.contains("rustsec") {
            let text = stellaops_testkit::fs::read_to_string(path)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            for line in text.lines() {
                if let Some(v) = line.strip_prefix("cvss = \"") {
                    rustsec_vectors.push(v.trim_end_matches('"').to_string());
                }
            }
        }
    }

    let (wrong, right): (Vec<&Pair>, Vec<&Pair>) = pairs
        .iter()
        .partition(|p| WRONG_ON_PURPOSE.iter().any(|w| p.file.ends_with(w)));
    // 73 correct pairs: 67 from CSAF documents (Red Hat RHSA-2020:1358, the OASIS CSAF 2.0
    // examples, the CSAF validator corpus) and 6 from GHSA records in the OSV schema's
    // ghsa-conversion cases; plus the 3 deliberately wrong ones.
    assert_eq!(right.len(), 73, "update the count if fixtures change");
    assert_eq!(wrong.len(), 3);
    let mut per_version = [0usize; 4];
    for p in &right {
        let s = parse(&p.vector).unwrap_or_else(|e| panic!("{}: {}: {e}", p.file, p.vector));
        assert_eq!(s.base_score, p.score, "{}: {}", p.file, p.vector);
        if let Some(sev) = &p.severity {
            assert_eq!(s.severity, sev.as_str(), "{}: {}", p.file, p.vector);
        }
        per_version[s.version as usize] += 1;
    }
    // v2, v3.0, v3.1, v4.0.
    assert_eq!(per_version, [16, 14, 43, 0]);
    for p in &wrong {
        let s = parse(&p.vector).unwrap_or_else(|e| panic!("{}: {}: {e}", p.file, p.vector));
        let agrees =
            s.base_score == p.score && p.severity.as_deref().is_none_or(|v| v == s.severity);
        assert!(
            !agrees,
            "{}: {} should be detected as wrong",
            p.file, p.vector
        );
    }

    // Bare vectors: they must parse, as the version their record says.
    assert_eq!(osv_vectors.len(), 17);
    for (kind, vector) in &osv_vectors {
        let s = parse(vector).unwrap_or_else(|e| panic!("{vector}: {e}"));
        let expected = match kind.as_str() {
            "CVSS_V2" => "CVSS v2",
            "CVSS_V3" => "CVSS v3",
            _ => "CVSS v4",
        };
        assert!(
            s.version.to_string().starts_with(expected),
            "{kind} {vector}"
        );
    }
    assert_eq!(rustsec_vectors.len(), 5);
    for vector in &rustsec_vectors {
        assert!(parse(vector).is_ok(), "{vector}");
    }
    // RUSTSEC-2026-0068 (tar): the one v4.0 vector of the fixtures, 5.1 in vectors_simple4.
    assert!(rustsec_vectors.iter().any(|v| v.starts_with("CVSS:4.0/")));
    check(
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N",
        5.1,
    );
}

// ---------------------------------------------------------------------------------------
// Exhaustive base metric spaces and properties.

/// Every combination of the mandatory metrics of `defs`, as `M:V/M:V/…`.
fn all_base_vectors(defs: &[MetricDef]) -> Vec<String> {
    let mut out = vec![String::new()];
    for d in defs.iter().filter(|d| d.mandatory) {
        let mut next = Vec::with_capacity(out.len() * d.values.len());
        for prefix in &out {
            for v in d.values {
                let sep = if prefix.is_empty() { "" } else { "/" };
                next.push(format!("{prefix}{sep}{}:{v}", d.name));
            }
        }
        out = next;
    }
    out
}

/// The score invariants: within 0..=10, one decimal, severity from the score.
#[track_caller]
fn assert_invariants(s: &CvssScore) {
    assert!((0.0..=10.0).contains(&s.base_score), "{s:?}");
    let tenths = s.base_score * 10.0;
    assert!((tenths - tenths.round()).abs() < 1e-9, "{s:?}");
    assert_eq!(
        s.severity,
        severity_for_score(s.version, s.base_score),
        "{s:?}"
    );
}

#[test]
fn exhaustive_v2_and_v3() {
    let v2 = all_base_vectors(v2::METRICS);
    assert_eq!(v2.len(), 729);
    for body in &v2 {
        assert_invariants(&parse(body).unwrap_or_else(|e| panic!("{body}: {e}")));
    }
    let v3 = all_base_vectors(v3::METRICS);
    assert_eq!(v3.len(), 2592);
    for body in &v3 {
        for prefix in ["CVSS:3.0/", "CVSS:3.1/"] {
            let vector = format!("{prefix}{body}");
            assert_invariants(&parse(&vector).unwrap_or_else(|e| panic!("{vector}: {e}")));
        }
    }
}

/// All 104,976 v4.0 base vectors score, within the invariants, and each one's MacroVector is
/// in the lookup table.
#[test]
fn exhaustive_v4() {
    let all = all_base_vectors(v4::METRICS);
    assert_eq!(all.len(), 104_976);
    for body in &all {
        let vector = format!("CVSS:4.0/{body}");
        assert_invariants(&parse(&vector).unwrap_or_else(|e| panic!("{vector}: {e}")));
    }
}

/// Builds a valid vector of `version` from `choices`: every mandatory metric, and each
/// optional one present or not, values picked by the choices; the order rotated.
fn vector_from_choices(version: CvssVersion, choices: &[u32], rotate: usize) -> (String, String) {
    let (prefix, defs) = match version {
        CvssVersion::V2 => ("", v2::METRICS),
        CvssVersion::V3_0 => ("CVSS:3.0/", v3::METRICS),
        CvssVersion::V3_1 => ("CVSS:3.1/", v3::METRICS),
        CvssVersion::V4_0 => ("CVSS:4.0/", v4::METRICS),
    };
    let mut all = Vec::new();
    let mut base = Vec::new();
    for (d, c) in defs.iter().zip(choices.iter().cycle()) {
        let value = d.values[(*c as usize / 2) % d.values.len()];
        if d.mandatory {
            all.push(format!("{}:{value}", d.name));
            base.push(format!("{}:{value}", d.name));
        } else if c % 2 == 0 {
            all.push(format!("{}:{value}", d.name));
        }
    }
    // A bare v2 vector is recognised by its leading `AV:`; rotated, it needs its prefix.
    let prefix = if version == CvssVersion::V2 && rotate % all.len() != 0 {
        "CVSS:2.0/"
    } else {
        prefix
    };
    let n = all.len();
    all.rotate_left(rotate % n);
    (
        format!("{prefix}{}", all.join("/")),
        format!("{prefix}{}", base.join("/")),
    )
}

fn any_version() -> impl Strategy<Value = CvssVersion> {
    prop_oneof![
        Just(CvssVersion::V2),
        Just(CvssVersion::V3_0),
        Just(CvssVersion::V3_1),
        Just(CvssVersion::V4_0),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any valid vector parses, within the invariants, and its score is the score of its
    /// base metrics alone (temporal / threat / environmental / supplemental are ignored).
    #[test]
    fn valid_vectors_score_their_base(
        version in any_version(),
        choices in proptest::collection::vec(any::<u32>(), 32),
        rotate in 0usize..40,
    ) {
        let (vector, base) = vector_from_choices(version, &choices, rotate);
        let s = parse(&vector).map_err(|e| TestCaseError::fail(format!("{vector}: {e}")))?;
        assert_invariants(&s);
        prop_assert_eq!(s.version, version);
        let b = parse(&base).map_err(|e| TestCaseError::fail(format!("{base}: {e}")))?;
        prop_assert_eq!(s.base_score, b.base_score, "{} vs {}", vector, base);
    }

    /// Arbitrary text never panics; whatever parses keeps the invariants.
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,120}") {
        if let Ok(s) = parse(&text) {
            assert_invariants(&s);
        }
    }

    /// Text made of metric-like components, so that the parser's deeper paths are reached.
    #[test]
    fn metric_like_text_never_panics(
        prefix in prop_oneof![
            Just(""), Just("CVSS:2.0/"), Just("CVSS:3.0/"), Just("CVSS:3.1/"),
            Just("CVSS:4.0/"), Just("("), Just("CVSS:")
        ],
        components in proptest::collection::vec(
            "(AV|AC|Au|AT|PR|UI|S|C|I|A|VC|VI|VA|SC|SI|SA|E|MSI|MSA|CR|U|[A-Z]{1,3}):(N|L|H|P|A|R|U|C|X|S|M|Red|[a-zA-Z]{0,3})",
            0..40,
        ),
    ) {
        let text = format!("{prefix}{}", components.join("/"));
        if let Ok(s) = parse(&text) {
            assert_invariants(&s);
        }
    }
}
