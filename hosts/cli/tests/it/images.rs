//! Images assembled from real package databases: every package the database lists must be
//! in the SBOM with the right version, arch, source and layer.

use std::collections::BTreeMap;

use crate::support::*;

const DPKG_VALID: &str = "os-package-db/trivy/dpkg/valid/var/lib/dpkg/status";
const DEBIAN_OS_RELEASE: &str = "os-package-db/syft/debian/image-dpkg/etc/os-release";

/// Installed stanzas of a dpkg status file, by a parser independent of the product's:
/// (name, version, arch, source) for stanzas whose Status ends in " installed".
fn installed_stanzas(status: &str) -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    for stanza in status.split("\n\n") {
        let field = |k: &str| {
            stanza
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{k}: ")).map(str::to_owned))
        };
        let (Some(name), Some(version)) = (field("Package"), field("Version")) else {
            continue;
        };
        if !field("Status").is_some_and(|s| s.ends_with(" installed")) {
            continue;
        }
        let source = field("Source")
            .map(|s| s.split(' ').next().unwrap_or_default().to_owned())
            .unwrap_or_else(|| name.clone());
        out.push((
            name,
            version,
            field("Architecture").unwrap_or_default(),
            source,
        ));
    }
    out.sort();
    out
}

fn debian_layers(comp: Comp) -> (Vec<Layer>, String, String) {
    let status = String::from_utf8(fixture(DPKG_VALID)).unwrap();
    let stanzas: Vec<&str> = status
        .split("\n\n")
        .filter(|s| !s.trim().is_empty())
        .collect();
    // Layer 1 rewrites the database: drops the first package and upgrades the second.
    let removed = stanzas[0]
        .lines()
        .next()
        .unwrap()
        .trim_start_matches("Package: ")
        .to_owned();
    let upgraded_name = stanzas[1]
        .lines()
        .next()
        .unwrap()
        .trim_start_matches("Package: ")
        .to_owned();
    let mut rewritten: Vec<String> = stanzas[1..].iter().map(|s| (*s).to_owned()).collect();
    rewritten[0] = rewritten[0]
        .lines()
        .map(|l| {
            if l.starts_with("Version: ") {
                format!("{l}+stella1")
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let status1 = rewritten.join("\n\n") + "\n";
    let l0 = layer(
        &[
            Item::Dir("etc".into()),
            file("etc/os-release", fixture(DEBIAN_OS_RELEASE)),
            file("var/lib/dpkg/status", status.clone()),
            file(
                "var/lib/dpkg/info/base-files.list",
                "/.\n/etc\n/etc/debian_version\n",
            ),
            file(
                "usr/share/doc/libpam-runtime/copyright",
                fixture(
                    "os-package-db/syft/debian/image-dpkg/usr/share/doc/libpam-runtime/copyright",
                ),
            ),
            file("bin/removed-later", "x"),
        ],
        comp,
    );
    let l1 = layer(
        &[
            file("var/lib/dpkg/status", status1),
            Item::Whiteout("bin/removed-later".into()),
        ],
        comp,
    );
    // Layer 2 does not touch the database.
    let l2 = layer(&[file("srv/app/README", "hello")], comp);
    (vec![l0, l1, l2], removed, upgraded_name)
}

fn by_name(doc: &serde_json::Value) -> BTreeMap<String, serde_json::Value> {
    packages(doc)
        .into_iter()
        .map(|c| (c["name"].as_str().unwrap().to_owned(), c.clone()))
        .collect()
}

#[test]
fn dpkg_multi_layer_counts_versions_and_attribution() {
    let tmp = tempfile::tempdir().unwrap();
    let (layers, removed, upgraded) = debian_layers(Comp::Gzip);
    oci_dir(tmp.path(), &layers);
    let doc = scan(&format!("oci-dir:{}", tmp.path().display()), "cdx-json").json();

    let status = String::from_utf8(fixture(DPKG_VALID)).unwrap();
    let expected: Vec<_> = installed_stanzas(&status)
        .into_iter()
        .filter(|s| s.0 != removed)
        .collect();
    let got = by_name(&doc);
    assert_eq!(
        got.len(),
        expected.len(),
        "package count must equal the database's installed count"
    );
    let layer_digests: Vec<String> = layers.iter().map(|l| sha256(&l.blob)).collect();
    let diff_ids: Vec<String> = layers.iter().map(|l| sha256(&l.tar)).collect();
    for (name, version, arch, source) in &expected {
        let c = got.get(name).unwrap_or_else(|| panic!("{name} missing"));
        let want_version = if *name == upgraded {
            format!("{version}+stella1")
        } else {
            version.clone()
        };
        assert_eq!(c["version"], want_version.as_str(), "{name}");
        assert_eq!(
            prop(c, "stellaops:package.arch"),
            Some(arch.as_str()),
            "{name}"
        );
        assert_eq!(
            prop(c, "stellaops:package.sourceName"),
            Some(source.as_str()),
            "{name}"
        );
        let layer = if *name == upgraded { 1 } else { 0 };
        assert_eq!(
            prop(c, "stellaops:layer.digest"),
            Some(layer_digests[layer].as_str()),
            "{name}"
        );
        assert_eq!(
            prop(c, "stellaops:layer.diffId"),
            Some(diff_ids[layer].as_str()),
            "{name}"
        );
        let purl = c["purl"].as_str().unwrap();
        assert!(
            purl.starts_with(&format!("pkg:deb/debian/{}@", name.replace('+', "%2B"))),
            "{purl}"
        );
        assert!(purl.contains("distro=debian-"), "{purl}");
    }
    assert!(!got.contains_key(&removed));
    // Ownership from info/*.list, license from the DEP-5 copyright file.
    assert_eq!(
        prop(&got["base-files"], "stellaops:package.fileCount"),
        Some("2")
    );
    let os: Vec<_> = doc["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "operating-system")
        .collect();
    assert_eq!(os.len(), 1);
    assert_eq!(os[0]["name"], "debian");
}

#[test]
fn same_image_in_every_container_format_gives_the_same_packages() {
    let summary = |doc: &serde_json::Value| -> Vec<(String, String)> {
        packages(doc)
            .iter()
            .map(|c| {
                (
                    c["purl"].as_str().unwrap().to_owned(),
                    prop(c, "stellaops:layer.diffId").unwrap().to_owned(),
                )
            })
            .collect()
    };
    let tmp = tempfile::tempdir().unwrap();
    let (gz, _, _) = debian_layers(Comp::Gzip);
    let (zst, _, _) = debian_layers(Comp::Zstd);
    let (plain, _, _) = debian_layers(Comp::None);
    let gz_dir = tmp.path().join("gz");
    oci_dir(&gz_dir, &gz);
    let reference = summary(&scan(&format!("oci-dir:{}", gz_dir.display()), "cdx-json").json());
    assert!(reference.len() > 80);

    let zst_dir = tmp.path().join("zst");
    oci_dir(&zst_dir, &zst);
    assert_eq!(
        summary(&scan(&format!("oci-dir:{}", zst_dir.display()), "cdx-json").json()),
        reference
    );

    let archive = tmp.path().join("oci.tar");
    tar_dir(&gz_dir, &archive);
    assert_eq!(
        summary(&scan(&format!("oci-archive:{}", archive.display()), "cdx-json").json()),
        reference
    );
    // Detected without a scheme.
    assert_eq!(
        summary(&scan(&archive.display().to_string(), "cdx-json").json()),
        reference
    );

    let docker = tmp.path().join("docker.tar");
    docker_archive(&docker, &plain);
    let doc = scan(&format!("docker-archive:{}", docker.display()), "cdx-json").json();
    assert_eq!(summary(&doc), reference);
    assert_eq!(
        summary(&scan(&docker.display().to_string(), "cdx-json").json()),
        reference
    );
}

#[test]
fn apk_database_every_package() {
    let tmp = tempfile::tempdir().unwrap();
    let installed = fixture("os-package-db/syft/alpine/base");
    let text = String::from_utf8_lossy(&installed).into_owned();
    let expected: Vec<(String, String)> = text
        .split("\n\n")
        .filter_map(|rec| {
            let f = |k: &str| {
                rec.lines()
                    .find_map(|l| l.strip_prefix(&format!("{k}:")).map(str::to_owned))
            };
            Some((f("P")?, f("V")?))
        })
        .collect();
    let l0 = layer(
        &[
            file(
                "etc/os-release",
                "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\n",
            ),
            file("lib/apk/db/installed", installed.clone()),
        ],
        Comp::Gzip,
    );
    oci_dir(tmp.path(), &[l0]);
    let doc = scan(&format!("oci-dir:{}", tmp.path().display()), "cdx-json").json();
    let got = by_name(&doc);
    assert_eq!(got.len(), expected.len());
    for (name, version) in &expected {
        let c = &got[name];
        assert_eq!(c["version"], version.as_str());
        assert!(c["purl"]
            .as_str()
            .unwrap()
            .starts_with(&format!("pkg:apk/alpine/{name}@")));
        assert!(c["purl"].as_str().unwrap().contains("distro=alpine-3.19.1"));
    }
}

/// (name, version-release, epoch, arch) rows of a go-rpmdb `packages.csv`, gpg-pubkey excluded
/// (imported keys, not packages).
fn rpm_expected(csv: &str) -> Vec<(String, String, String, String)> {
    let text = String::from_utf8(fixture(csv)).unwrap();
    let mut rows: Vec<_> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\u{b6}').collect();
            (
                f[1].to_owned(),
                format!("{}-{}", f[2], f[3]),
                f[0].to_owned(),
                f[4].to_owned(),
            )
        })
        .filter(|r| r.0 != "gpg-pubkey")
        .collect();
    rows.sort();
    rows
}

fn check_rpm_image(db_path: &str, db_fixture: &str, csv: &str, os_release: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let l0 = layer(
        &[
            file("usr/lib/os-release", os_release.as_bytes().to_vec()),
            Item::Symlink("etc/os-release".into(), "../usr/lib/os-release".into()),
            file(db_path, fixture(db_fixture)),
        ],
        Comp::Gzip,
    );
    oci_dir(tmp.path(), &[l0]);
    let doc = scan(&format!("oci-dir:{}", tmp.path().display()), "cdx-json").json();
    let mut got: Vec<(String, String, String, String)> = packages(&doc)
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_owned(),
                c["version"].as_str().unwrap().to_owned(),
                prop(c, "stellaops:package.epoch").unwrap_or("").to_owned(),
                prop(c, "stellaops:package.arch").unwrap_or("").to_owned(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(got, rpm_expected(csv));
    assert_valid(&doc, CDX_SCHEMA);
}

#[test]
fn rpm_sqlite_database_every_package() {
    check_rpm_image(
        "usr/lib/sysimage/rpm/rpmdb.sqlite",
        "os-package-db/go-rpmdb/amazonlinux2023-plain/rpmdb.sqlite",
        "os-package-db/go-rpmdb/amazonlinux2023-plain/packages.csv",
        "NAME=\"Amazon Linux\"\nID=\"amzn\"\nVERSION_ID=\"2023\"\n",
    );
}

#[test]
fn rpm_ndb_database_every_package() {
    check_rpm_image(
        "usr/lib/sysimage/rpm/Packages.db",
        "os-package-db/go-rpmdb/sle15-bci/Packages.db",
        "os-package-db/go-rpmdb/sle15-bci/packages.csv",
        "NAME=\"SLES\"\nID=\"sles\"\nVERSION_ID=\"15.3\"\n",
    );
}

#[test]
fn rpm_bdb_database_every_package() {
    let tmp = tempfile::tempdir().unwrap();
    let expected: serde_json::Value =
        serde_json::from_slice(&fixture("os-package-db/syft/rpm-bdb/expected.json")).unwrap();
    let want = expected["packages"].as_array().unwrap();
    let l0 = layer(
        &[file(
            "var/lib/rpm/Packages",
            fixture("os-package-db/syft/rpm-bdb/Packages"),
        )],
        Comp::Gzip,
    );
    oci_dir(tmp.path(), &[l0]);
    let doc = scan(&format!("oci-dir:{}", tmp.path().display()), "cdx-json").json();
    assert_eq!(packages(&doc).len(), want.len());
}

#[test]
fn distroless_status_d_whiteout_and_opaque_dirs() {
    let tmp = tempfile::tempdir().unwrap();
    let single = fixture("os-package-db/syft/debian/status.d/single");
    let sqlite = fixture(
        "os-package-db/syft/debian/image-distroless-deb/var/lib/dpkg/status.d/libsqlite3-0",
    );
    let l0 = layer(
        &[
            file("var/lib/dpkg/status.d/single", single),
            file("var/lib/dpkg/status.d/libsqlite3-0", sqlite.clone()),
            file("var/lib/dpkg/status.d/libsqlite3-0.md5sums", fixture("os-package-db/syft/debian/image-distroless-deb/var/lib/dpkg/status.d/libsqlite3-0.md5sums")),
        ],
        Comp::Gzip,
    );
    let first = scan_layers(tmp.path(), &[l0]);
    assert_eq!(first.len(), 2, "{first:?}");

    let tmp = tempfile::tempdir().unwrap();
    let l0 = layer(
        &[
            file(
                "var/lib/dpkg/status.d/single",
                fixture("os-package-db/syft/debian/status.d/single"),
            ),
            file("var/lib/dpkg/status.d/libsqlite3-0", sqlite.clone()),
        ],
        Comp::Gzip,
    );
    let l1 = layer(
        &[Item::Whiteout("var/lib/dpkg/status.d/single".into())],
        Comp::Gzip,
    );
    let after_whiteout = scan_layers(tmp.path(), &[l0, l1]);
    assert_eq!(after_whiteout, vec!["libsqlite3-0".to_owned()]);

    let tmp = tempfile::tempdir().unwrap();
    let l0 = layer(
        &[file(
            "var/lib/dpkg/status.d/single",
            fixture("os-package-db/syft/debian/status.d/single"),
        )],
        Comp::Gzip,
    );
    let l1 = layer(
        &[
            Item::Opaque("var/lib/dpkg/status.d".into()),
            file("var/lib/dpkg/status.d/libsqlite3-0", sqlite),
        ],
        Comp::Gzip,
    );
    assert_eq!(
        scan_layers(tmp.path(), &[l0, l1]),
        vec!["libsqlite3-0".to_owned()]
    );
}

fn scan_layers(dir: &std::path::Path, layers: &[Layer]) -> Vec<String> {
    oci_dir(dir, layers);
    let doc = scan(&format!("oci-dir:{}", dir.display()), "cdx-json").json();
    packages(&doc)
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn dir_scan_reads_a_root_filesystem() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("var/lib/dpkg")).unwrap();
    std::fs::create_dir_all(root.join("usr/lib")).unwrap();
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::write(root.join("var/lib/dpkg/status"), fixture(DPKG_VALID)).unwrap();
    std::fs::write(root.join("usr/lib/os-release"), fixture(DEBIAN_OS_RELEASE)).unwrap();
    std::os::unix::fs::symlink("../usr/lib/os-release", root.join("etc/os-release")).unwrap();
    let doc = scan(&format!("dir:{}", root.display()), "cdx-json").json();
    let status = String::from_utf8(fixture(DPKG_VALID)).unwrap();
    assert_eq!(packages(&doc).len(), installed_stanzas(&status).len());
    assert_eq!(doc["metadata"]["component"]["type"], "file");
    assert_valid(&doc, CDX_SCHEMA);
}

#[test]
fn multi_platform_index_selects_or_lists_platforms() {
    let tmp = tempfile::tempdir().unwrap();
    let amd = layer(
        &[file(
            "lib/apk/db/installed",
            "P:amd-only\nV:1.0-r0\nA:x86_64\n\n",
        )],
        Comp::Gzip,
    );
    let arm = layer(
        &[file(
            "lib/apk/db/installed",
            "P:arm-only\nV:1.0-r0\nA:aarch64\n\n",
        )],
        Comp::Gzip,
    );
    let d1 = put_image(tmp.path(), &[amd], "amd64");
    let d2 = put_image(tmp.path(), &[arm], "arm64");
    write_index(tmp.path(), vec![d1, d2]);
    let r = format!("oci-dir:{}", tmp.path().display());
    let names = |run: Run| -> Vec<String> {
        packages(&run.json())
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(scan(&r, "cdx-json")), vec!["amd-only"]);
    let run = stella(&[
        "scan",
        &r,
        "--platform",
        "linux/arm64",
        "--no-cache",
        "--quiet",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(names(run), vec!["arm-only"]);
    let run = stella(&[
        "scan",
        &r,
        "--platform",
        "linux/s390x",
        "--no-cache",
        "--quiet",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("available: linux/amd64, linux/arm64"),
        "{}",
        run.stderr
    );
}

#[test]
fn fragment_cache_reuses_layers_and_keeps_output_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let (layers, _, _) = debian_layers(Comp::Gzip);
    let image = tmp.path().join("img");
    oci_dir(&image, &layers);
    let cache = tmp.path().join("cache");
    let args = |c: &str| -> Vec<String> {
        vec![
            "scan".into(),
            format!("oci-dir:{}", image.display()),
            "--quiet".into(),
            "--cache-dir".into(),
            c.into(),
        ]
    };
    let cold = stella(
        &args(cache.to_str().unwrap())
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert_eq!(cold.code, 0, "{}", cold.stderr);
    let cached = std::fs::read_dir(cache.join("fragments")).unwrap().count();
    assert_eq!(cached, 3);
    // Damage every layer blob: the warm scan must not need them.
    for l in &layers {
        let hex = &sha256(&l.blob)["sha256:".len()..];
        std::fs::write(image.join("blobs/sha256").join(hex), b"damaged").unwrap();
    }
    let warm = stella(
        &args(cache.to_str().unwrap())
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert_eq!(warm.code, 0);
    assert_eq!(cold.stdout, warm.stdout);
}
