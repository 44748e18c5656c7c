//! Language packages, native binaries, EntryTrace and the usage view on an image built from
//! real fixtures: npm `package.json` files and a Python `dist-info` from syft's test data, a
//! jar from trivy's, the Go and cargo-auditable test binaries, and the gcc-built ELF
//! fixtures (an executable with `DT_RPATH $ORIGIN/../lib` and the `libgreet.so.1` it needs).

use serde_json::{json, Value};

use crate::support::*;

const NODE_ENTRYPOINT: &str = r#"#!/bin/sh
set -e

# Run command with node if the first argument contains a "-" or is not a system command.
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi

exec "$@"
"#;

fn native(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../stellaops-analyzers/tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn dpkg_status() -> Vec<u8> {
    b"Package: libgreet1\nStatus: install ok installed\nPriority: optional\nSection: libs\n\
Maintainer: Test <test@example.org>\nArchitecture: amd64\nSource: greet\nVersion: 1.0-1\n\
Description: greeting library\n\nPackage: dash\nStatus: install ok installed\n\
Architecture: amd64\nVersion: 0.5.12-2\nDescription: POSIX shell\n\n"
        .to_vec()
}

/// The image: an OS layer (dpkg with two packages, a shell, the library), and an app layer.
fn app_image(root: &std::path::Path) {
    let os = layer(
        &[
            file(
                "etc/os-release",
                "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n",
            ),
            file("var/lib/dpkg/status", dpkg_status()),
            file(
                "var/lib/dpkg/info/libgreet1:amd64.list",
                "/usr\n/usr/lib\n/usr/lib/libgreet.so.1\n",
            ),
            file("var/lib/dpkg/info/dash.list", "/bin\n/bin/dash\n"),
            Item::Exec("bin/dash".into(), native("native/tiny-static-pie")),
            Item::Symlink("bin/sh".into(), "dash".into()),
            file("usr/lib/libgreet.so.1", native("native/libgreet.so.1")),
        ],
        Comp::Gzip,
    );
    let pkg = |rel: &str| fixture(&format!("lang-packages/syft/javascript/pkg-lock/{rel}"));
    let site = "usr/lib/python3/dist-packages/Pygments-2.6.1.dist-info";
    let py = |f: &str| {
        fixture(&format!(
            "lang-packages/syft/python/site-packages/malformed-record/dist-info/{f}"
        ))
    };
    let app = layer(
        &[
            Item::Exec(
                "usr/local/bin/docker-entrypoint.sh".into(),
                NODE_ENTRYPOINT.into(),
            ),
            Item::Exec("usr/bin/node".into(), native("native/hello-rpath")),
            file("usr/src/app/app.js", "console.log('hi')\n"),
            file(
                "usr/src/app/node_modules/cowsay/package.json",
                pkg("node_modules/cowsay/package.json"),
            ),
            file(
                "usr/src/app/node_modules/@actions/core/package.json",
                pkg("node_modules/@actions/core/package.json"),
            ),
            file(&format!("{site}/METADATA"), py("METADATA")),
            file(&format!("{site}/RECORD"), py("RECORD")),
            file(
                "opt/lib/test.jar",
                fixture("lang-packages/trivy/java/jar/test.jar"),
            ),
            Item::Exec(
                "usr/local/bin/hello-go".into(),
                native("go/hello-linux-amd64"),
            ),
            Item::Exec(
                "usr/local/bin/hello-auditable".into(),
                native("rust/hello-auditable-linux-x86_64"),
            ),
            Item::Exec("usr/local/bin/tiny".into(), native("native/tiny-static")),
            Item::Exec("opt/copy/tiny".into(), native("native/tiny-static")),
        ],
        Comp::Gzip,
    );
    oci_dir_with(
        root,
        &[os, app],
        json!({
            "Entrypoint": ["docker-entrypoint.sh"],
            "Cmd": ["node", "app.js"],
            "WorkingDir": "/usr/src/app",
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "NODE_ENV=production"],
        }),
    );
}

fn by_purl<'a>(doc: &'a Value, prefix: &str) -> Vec<&'a Value> {
    doc["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["purl"].as_str().is_some_and(|p| p.starts_with(prefix)))
        .collect()
}

fn purls(doc: &Value) -> Vec<String> {
    doc["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["purl"].as_str().map(str::to_owned))
        .collect()
}

fn used(c: &Value) -> bool {
    prop(c, "stellaops:usedByEntrypoint") == Some("true")
}

fn meta_props(doc: &Value, name: &str) -> Vec<String> {
    doc["metadata"]["properties"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["name"] == name)
        .map(|p| p["value"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn language_packages_binaries_and_entry_trace_in_inventory() {
    let tmp = tempfile::tempdir().unwrap();
    app_image(tmp.path());
    let reference = format!("oci-dir:{}", tmp.path().display());
    let doc = scan(&reference, "cdx-json").json();
    assert_valid(&doc, CDX_SCHEMA);
    let all = purls(&doc);

    // npm, per the purl spec (scope percent-encoded), located at their package.json.
    assert!(all.contains(&"pkg:npm/cowsay@1.4.0".to_owned()), "{all:#?}");
    let core = &by_purl(&doc, "pkg:npm/%40actions/core@1.6.0")[0];
    assert_eq!(core["name"], "@actions/core");
    assert_eq!(
        core["evidence"]["occurrences"][0]["location"],
        "/usr/src/app/node_modules/@actions/core/package.json"
    );
    // PyPI, PEP 503 name in the purl, files from RECORD.
    let pygments = &by_purl(&doc, "pkg:pypi/pygments@2.6.1")[0];
    assert!(prop(pygments, "stellaops:package.fileCount").is_some());
    // Maven from the jar's pom.properties, with the jar's hashes.
    let maven = by_purl(&doc, "pkg:maven/");
    assert!(!maven.is_empty());
    let algs: Vec<&str> = maven[0]["hashes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["alg"].as_str().unwrap())
        .collect();
    assert_eq!(algs, ["SHA-1", "SHA-256"]);
    // Go build info: stdlib and the main module; cargo-auditable: its runtime crate.
    assert!(!by_purl(&doc, "pkg:golang/stdlib@").is_empty(), "{all:#?}");
    assert!(
        all.contains(&"pkg:cargo/itoa@1.0.15".to_owned()),
        "{all:#?}"
    );
    // The library dpkg owns is evidence on its package.
    let greet = &by_purl(&doc, "pkg:deb/debian/libgreet1@1.0-1")[0];
    assert_eq!(
        greet["evidence"]["occurrences"][0]["location"],
        "/usr/lib/libgreet.so.1"
    );
    // An unowned binary with no build info: one bin: component for both identical copies.
    let bins: Vec<&Value> = doc["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["bom-ref"].as_str().is_some_and(|r| r.starts_with("bin:")))
        .collect();
    let names: Vec<&str> = bins.iter().map(|b| b["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"tiny"), "{names:?}");
    let tiny = bins.iter().find(|b| b["name"] == "tiny").unwrap();
    assert_eq!(tiny["type"], "file");
    assert_eq!(tiny["evidence"]["occurrences"].as_array().unwrap().len(), 2);
    let sha = tiny["hashes"][0]["content"].as_str().unwrap();
    assert_eq!(tiny["bom-ref"], format!("bin:{sha}"));
    assert_eq!(
        format!("sha256:{sha}"),
        sha256(&native("native/tiny-static"))
    );

    // EntryTrace: the node entrypoint script execs `node app.js`.
    let terminal = meta_props(&doc, "stellaops:entryTrace.terminal");
    assert_eq!(terminal, ["node /usr/bin/node"]);
    assert_eq!(
        meta_props(&doc, "stellaops:entryTrace.app"),
        ["/usr/src/app/app.js"]
    );
    let steps = meta_props(&doc, "stellaops:entryTrace.step");
    assert!(
        steps
            .iter()
            .any(|s| s.contains("@ /usr/local/bin/docker-entrypoint.sh:9")),
        "{steps:#?}"
    );

    // Usage marks: node_modules of the app, the library node loads through its RPATH, the
    // shell running the entrypoint script; not the Go/Rust tools or the Python package.
    let mark = |prefix: &str| by_purl(&doc, prefix).iter().all(|c| used(c));
    assert!(mark("pkg:npm/"));
    assert!(used(greet));
    assert!(used(by_purl(&doc, "pkg:deb/debian/dash@")[0]));
    assert!(!used(pygments));
    assert!(by_purl(&doc, "pkg:golang/").iter().all(|c| !used(c)));
    assert!(!used(tiny));

    // SPDX of the same scan is schema-valid too.
    let spdx = scan(&reference, "spdx-json").json();
    assert_valid(&spdx, SPDX_SCHEMA);
}

#[test]
fn usage_view_is_a_strict_subset_and_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    app_image(tmp.path());
    let reference = format!("oci-dir:{}", tmp.path().display());
    let inventory = scan(&reference, "cdx-json").json();
    let usage_run = stella(&[
        "scan",
        &reference,
        "--view",
        "usage",
        "--no-cache",
        "--quiet",
    ]);
    assert_eq!(usage_run.code, 0, "{}", usage_run.stderr);
    let usage = usage_run.json();
    assert_valid(&usage, CDX_SCHEMA);
    let all = purls(&inventory);
    let used_purls = purls(&usage);
    assert!(!used_purls.is_empty());
    assert!(used_purls.len() < all.len());
    for p in &used_purls {
        assert!(all.contains(p), "{p} is in the usage view only");
    }
    for c in usage["components"].as_array().unwrap() {
        if c["type"] != "operating-system" {
            assert!(used(c), "{c}");
        }
    }
    // Same bytes again.
    let again = stella(&[
        "scan",
        &reference,
        "--view",
        "usage",
        "--no-cache",
        "--quiet",
    ]);
    assert_eq!(usage_run.stdout, again.stdout);

    // SPDX usage view.
    let spdx = stella(&[
        "scan",
        &reference,
        "--view",
        "usage",
        "--format",
        "spdx-json",
        "--no-cache",
        "--quiet",
    ]);
    assert_eq!(spdx.code, 0, "{}", spdx.stderr);
    assert_valid(&spdx.json(), SPDX_SCHEMA);
}

#[test]
fn file_cache_gives_the_same_sbom_and_os_only_skips_languages() {
    let tmp = tempfile::tempdir().unwrap();
    app_image(tmp.path());
    let cache = tempfile::tempdir().unwrap();
    let reference = format!("oci-dir:{}", tmp.path().display());
    let run = |extra: &[&str]| {
        let mut args = vec![
            "scan",
            reference.as_str(),
            "--quiet",
            "--cache-dir",
            cache.path().to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let r = stella(&args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
    };
    let cold = run(&[]);
    let warm = run(&[]);
    assert_eq!(cold, warm);
    let os_only: Value = serde_json::from_slice(&run(&["--analyzers", "none"])).unwrap();
    let kinds: Vec<String> = purls(&os_only)
        .iter()
        .map(|p| p.split('/').next().unwrap().to_owned())
        .collect();
    assert!(kinds.iter().all(|k| k == "pkg:deb"), "{kinds:?}");
    let bad = stella(&["scan", &reference, "--analyzers", "python"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("unknown analyzer"), "{}", bad.stderr);
}

#[test]
fn dir_scans_read_lockfiles_as_declared() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        src.join("package-lock.json"),
        fixture("lang-packages/syft/javascript/pkg-lock/package-lock.json"),
    )
    .unwrap();
    std::fs::write(
        src.join("Cargo.lock"),
        fixture("lang-packages/syft/rust/Cargo.lock"),
    )
    .unwrap();
    let reference = format!("dir:{}", tmp.path().display());
    let doc = scan(&reference, "cdx-json").json();
    assert_valid(&doc, CDX_SCHEMA);
    let npm = by_purl(&doc, "pkg:npm/");
    let cargo = by_purl(&doc, "pkg:cargo/");
    assert!(!npm.is_empty() && !cargo.is_empty());
    for c in npm.iter().chain(cargo.iter()) {
        assert_eq!(prop(c, "stellaops:evidence"), Some("declared"), "{c}");
    }
    let usage = stella(&["scan", &reference, "--view", "usage"]);
    assert_eq!(usage.code, 2);
    assert!(usage.stderr.contains("--view usage needs an image"));
}
