//! `stella version`, `stella db` and `stella match` / `scan --vulns` on real advisories.

use std::path::Path;

use crate::support::*;

fn run_stdin(args: &[&str], stdin: &str) -> Run {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_stella"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn text(run: &Run) -> String {
    String::from_utf8_lossy(&run.stdout).into_owned()
}

/// `stella version <sub> --ecosystem <eco> <x> <y>` succeeds and prints `want`.
fn expect_version_answer(sub: &str, eco: &str, x: &str, y: &str, want: &str) {
    let run = stella(&["version", sub, "--ecosystem", eco, x, y]);
    assert_eq!(run.code, 0, "{sub} {eco} {x} {y}: {}", run.stderr);
    assert_eq!(text(&run).trim(), want, "{sub} {eco} {x} {y}");
}

#[test]
fn version_compare_single_and_batch() {
    for (eco, a, b, want) in [
        ("deb", "1.0~rc1", "1.0", "-1"),
        ("deb", "1:0.1", "2.0", "1"),
        ("deb", "2.36-9+deb12u4", "2.36-9+deb12u7", "-1"),
        ("rpm", "1.0^git1", "1.0", "1"),
        ("apk", "1.2.3_rc1-r0", "1.2.3-r0", "-1"),
        ("pypi", "1.0.post1", "1.0", "1"),
        ("npm", "1.2.3-alpha", "1.2.3", "-1"),
        ("golang", "v1.2.3", "v1.2.3", "0"),
        ("maven", "1.0-SNAPSHOT", "1.0", "-1"),
        ("nuget", "1.0.0.0", "1.0.0", "0"),
    ] {
        expect_version_answer("compare", eco, a, b, want);
    }
    let run = run_stdin(
        &["version", "compare", "--ecosystem", "deb", "--batch"],
        "1.0\t1.1\n2:1\t1:9\nnot a version!\t1.0\n1.0\t1.0\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<String> = text(&run).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0], "-1");
    assert_eq!(lines[1], "1");
    assert!(lines[2].starts_with("error: "), "{lines:?}");
    assert_eq!(lines[3], "0");
    let run = stella(&["version", "compare", "--ecosystem", "cobol", "1", "2"]);
    assert_eq!(run.code, 2);
}

#[test]
fn version_satisfies() {
    for (eco, v, range, want) in [
        ("npm", "1.2.5", "^1.2.0", "true"),
        ("npm", "2.0.0", "^1.2.0", "false"),
        ("pypi", "1.5", ">=1.0,<2.0,!=1.5", "false"),
        ("maven", "1.5", "[1.0,2.0)", "true"),
        ("deb", "1.2-3+deb12u1", ">= 1.2-3, << 1.2-4", "true"),
    ] {
        expect_version_answer("satisfies", eco, v, range, want);
    }
}

fn import(db: &Path, paths: &[String]) -> Run {
    let mut args = vec![
        "db".to_owned(),
        "import".to_owned(),
        "--db".to_owned(),
        db.display().to_string(),
    ];
    args.extend(paths.iter().cloned());
    stella(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

fn advisory_sources() -> Vec<String> {
    let f = fixtures();
    let mut paths: Vec<String> = [
        "advisories/go",
        "advisories/ghsa",
        "advisories/debian",
        "advisories/pypi",
    ]
    .iter()
    .map(|p| f.join(p).display().to_string())
    .collect();
    paths.push(
        f.join("vex/csaf/go-vex-csaf/rhsa-2020_1358.json")
            .display()
            .to_string(),
    );
    paths.push(
        f.join("vex/csaf/oasis-csaf_2.0-advisories/rhsa-2019_1862.json")
            .display()
            .to_string(),
    );
    paths
}

fn stats(db: &Path) -> serde_json::Value {
    let run = stella(&["db", "stats", "--db", &db.display().to_string()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
}

#[test]
fn db_import_is_idempotent_and_export_is_the_hashed_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("db");
    let run = import(&db, &advisory_sources());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let first = stats(&db);
    assert!(first["stats"]["records"].as_u64().unwrap() > 40, "{first}");
    let by_source = &first["stats"]["recordsBySource"];
    assert!(by_source["osv"].as_u64().unwrap() > 30, "{first}");
    assert!(by_source["csaf"].as_u64().unwrap() >= 1, "{first}");
    // Importing the same documents again changes nothing.
    let run = import(&db, &advisory_sources());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(" 0 records added, 0 replaced"),
        "{}",
        run.stderr
    );
    let second = stats(&db);
    assert_eq!(
        first["concelierSnapshotHash"],
        second["concelierSnapshotHash"]
    );
    // The export is the snapshot whose hash the stats report.
    let out = tmp.path().join("snapshot.jsonl");
    let run = stella(&[
        "db",
        "export",
        "--db",
        &db.display().to_string(),
        "--output",
        &out.display().to_string(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(
        sha256(&bytes),
        first["concelierSnapshotHash"].as_str().unwrap()
    );
    // Offline kit round trip into a fresh database gives the same snapshot.
    let kit = tmp.path().join("kit.tar.zst");
    let run = stella(&[
        "db",
        "export",
        "--db",
        &db.display().to_string(),
        "--output",
        &kit.display().to_string(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let db2 = tmp.path().join("db2");
    let run = import(&db2, &[kit.display().to_string()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        stats(&db2)["concelierSnapshotHash"],
        first["concelierSnapshotHash"]
    );
    // A damaged kit is refused.
    let mut damaged = std::fs::read(&kit).unwrap();
    let n = damaged.len();
    damaged[n / 2] ^= 0xff;
    std::fs::write(&kit, damaged).unwrap();
    let run = import(&tmp.path().join("db3"), &[kit.display().to_string()]);
    assert_ne!(run.code, 0);
}

#[test]
fn malformed_documents_are_refused_and_the_rest_imported() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        src.join("truncated.json"),
        b"{\"id\": \"GHSA-x\", \"affected\": [",
    )
    .unwrap();
    std::fs::write(src.join("other.json"), b"{\"hello\": 1}").unwrap();
    std::fs::copy(
        fixtures().join("advisories/ghsa/GHSA-35jh-r3h4-6jhm.json"),
        src.join("good.json"),
    )
    .unwrap();
    let run = import(&tmp.path().join("db"), &[src.display().to_string()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("truncated.json"), "{}", run.stderr);
    assert!(run.stderr.contains("1 records added"), "{}", run.stderr);
}

fn cdx(components: &[(&str, &str)]) -> Vec<u8> {
    let comps: Vec<serde_json::Value> = components
        .iter()
        .map(|(r, p)| serde_json::json!({"type": "library", "bom-ref": r, "name": r, "purl": p}))
        .collect();
    serde_json::to_vec(&serde_json::json!({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": comps})).unwrap()
}

#[test]
fn match_uses_distro_fix_data_and_language_ranges() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("db");
    assert_eq!(import(&db, &advisory_sources()).code, 0);
    let sbom = tmp.path().join("sbom.json");
    std::fs::write(
        &sbom,
        cdx(&[
            // DSA-3029-1: nginx in Debian 7 fixed in 1.2.1-2.2+wheezy3 (a backport; upstream
            // fixed it in 1.7.5, so an upstream-range matcher would flag the fixed package).
            ("nginx-old", "pkg:deb/debian/nginx-full@1.2.1-2.2%2Bwheezy2?arch=amd64&distro=debian-7&upstream=nginx"),
            ("nginx-fixed", "pkg:deb/debian/nginx@1.2.1-2.2%2Bwheezy3?arch=amd64&distro=debian-7"),
            ("lodash-old", "pkg:npm/lodash@4.17.20"),
            ("lodash-new", "pkg:npm/lodash@4.17.21"),
            ("requests", "pkg:pypi/Requests@2.2.1"),
            ("gin", "pkg:golang/github.com/gin-gonic/gin@v1.9.0"),
            ("musl", "pkg:apk/alpine/musl@1.2.4-r2?distro=alpine-3.19.1"),
        ]),
    )
    .unwrap();
    let run = stella(&[
        "match",
        "--db",
        &db.display().to_string(),
        "--sbom",
        &sbom.display().to_string(),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    let findings = report["findings"].as_array().unwrap();
    let hit = |component: &str, id: &str| {
        findings.iter().any(|f| {
            f["component"] == component
                && (f["id"] == id || f["aliases"].as_array().unwrap().iter().any(|a| a == id))
        })
    };
    assert!(hit("nginx-old", "CVE-2014-3616"), "{report:#}");
    assert!(hit("nginx-old", "DSA-3029-1"));
    assert!(
        !findings.iter().any(|f| f["component"] == "nginx-fixed"),
        "{report:#}"
    );
    assert!(hit("lodash-old", "GHSA-35jh-r3h4-6jhm"));
    assert!(!findings.iter().any(|f| f["component"] == "lodash-new"));
    assert!(
        hit("requests", "CVE-2014-1829"),
        "PEP 503 name normalisation: {report:#}"
    );
    assert!(hit("gin", "GO-2023-1737"));
    let nginx = findings
        .iter()
        .find(|f| f["component"] == "nginx-old")
        .unwrap();
    assert_eq!(nginx["fixedVersion"], "1.2.1-2.2+wheezy3");
    assert_eq!(nginx["matchedPackage"], "nginx");
    assert_eq!(nginx["snapshotHash"], report["snapshotHash"]);
    assert!(nginx["purl"].as_str().unwrap().contains("nginx-full"));
    // Alpine has no data in this snapshot: reported, not silently clean.
    let no_data = report["noData"].as_array().unwrap();
    assert!(
        no_data
            .iter()
            .any(|n| n["component"] == "musl"
                && n["reason"].as_str().unwrap().contains("alpine 3.19")),
        "{report:#}"
    );
    // --fail-on and the table.
    let run = stella(&[
        "match",
        "--db",
        &db.display().to_string(),
        "--sbom",
        &sbom.display().to_string(),
        "--fail-on",
        "critical",
    ]);
    assert!(run.code == 0 || run.code == 3, "{}", run.stderr);
    assert!(text(&run).contains("VULNERABILITY"), "{}", text(&run));
    let run = stella(&[
        "match",
        "--db",
        &db.display().to_string(),
        "--sbom",
        &sbom.display().to_string(),
        "--fail-on",
        "none",
    ]);
    assert_eq!(run.code, 3, "{}", run.stderr);
}

#[test]
fn scan_vulns_end_to_end() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("db");
    assert_eq!(import(&db, &advisory_sources()).code, 0);
    let status = "Package: nginx-full\nStatus: install ok installed\nArchitecture: amd64\nSource: nginx\nVersion: 1.2.1-2.2+wheezy2\nDescription: web server\n\nPackage: nginx-common\nStatus: install ok installed\nArchitecture: all\nSource: nginx\nVersion: 1.2.1-2.2+wheezy3\nDescription: web server\n";
    let l = layer(
        &[
            file("etc/os-release", "ID=debian\nVERSION_ID=\"7\"\n"),
            file("var/lib/dpkg/status", status),
        ],
        Comp::Gzip,
    );
    let image = tmp.path().join("img");
    oci_dir(&image, &[l]);
    let run = stella(&[
        "scan",
        &format!("oci-dir:{}", image.display()),
        "--no-cache",
        "--quiet",
        "--vulns",
        "--db",
        &db.display().to_string(),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{report:#}");
    assert_eq!(findings[0]["id"], "CVE-2014-3616");
    assert!(findings[0]["layerDigest"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
}

#[test]
fn rpm_backports_follow_red_hat_csaf_fix_data() {
    // RHSA-2020:1358 fixes CVE-2020-1711/7039 in qemu-kvm 15:2.12.0-88.module+el8.1.0+5708+...
    // for RHEL 8. Upstream QEMU fixed them in 4.2/5.0, so an upstream-range matcher flags
    // every 2.12.0 build; the distribution's own data says the .3 rebuild is fixed.
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("db");
    let csaf = fixtures().join("vex/csaf/go-vex-csaf/rhsa-2020_1358.json");
    assert_eq!(import(&db, &[csaf.display().to_string()]).code, 0);
    let sbom = tmp.path().join("sbom.json");
    std::fs::write(
        &sbom,
        cdx(&[
            ("qemu-fixed", "pkg:rpm/rhel/qemu-kvm@2.12.0-88.module%2Bel8.1.0%2B5708%2B85d8e057.3?arch=x86_64&distro=rhel-8.1&epoch=15"),
            ("qemu-old", "pkg:rpm/rhel/qemu-kvm@2.12.0-88.module%2Bel8.1.0%2B5708%2B85d8e057.2?arch=x86_64&distro=rhel-8.1&epoch=15"),
            ("qemu-epoch", "pkg:rpm/rhel/qemu-kvm@2.12.0-99?arch=x86_64&distro=rhel-8.1&epoch=14"),
            ("guestfs-el9", "pkg:rpm/rhel/libguestfs@1.38.4-1?arch=x86_64&distro=rhel-9.2&epoch=1"),
        ]),
    )
    .unwrap();
    let run = stella(&[
        "match",
        "--db",
        &db.display().to_string(),
        "--sbom",
        &sbom.display().to_string(),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    let ids = |component: &str| -> Vec<String> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["component"] == component)
            .map(|f| f["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(ids("qemu-fixed").is_empty(), "{report:#}");
    assert_eq!(ids("qemu-old"), vec!["CVE-2020-1711", "CVE-2020-7039"]);
    // A lower epoch is older whatever the version says.
    assert_eq!(ids("qemu-epoch").len(), 2);
    // RHEL 9 has no data in this snapshot: reported, not matched against RHEL 8 data.
    assert!(
        report["noData"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["component"] == "guestfs-el9"),
        "{report:#}"
    );
    let old = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["component"] == "qemu-old")
        .unwrap();
    assert_eq!(
        old["fixedVersion"],
        "15:2.12.0-88.module+el8.1.0+5708+85d8e057.3"
    );
    assert!(old["decidedBy"].as_str().unwrap().starts_with("csaf:"));
}
