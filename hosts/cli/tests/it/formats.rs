//! Output formats: schema validity, determinism, timestamps.

use crate::support::*;

fn mixed_image(dir: &std::path::Path) {
    let l0 = layer(
        &[
            file(
                "etc/os-release",
                fixture("os-package-db/syft/debian/image-dpkg/etc/os-release"),
            ),
            file(
                "var/lib/dpkg/status",
                fixture("os-package-db/syft/debian/image-dpkg/var/lib/dpkg/status"),
            ),
            file(
                "usr/share/doc/libpam-runtime/copyright",
                fixture(
                    "os-package-db/syft/debian/image-dpkg/usr/share/doc/libpam-runtime/copyright",
                ),
            ),
        ],
        Comp::Gzip,
    );
    let l1 = layer(
        &[file(
            "lib/apk/db/installed",
            fixture("os-package-db/trivy/apk/apk"),
        )],
        Comp::Gzip,
    );
    let l2 = layer(
        &[file(
            "var/lib/rpm/Packages",
            fixture("os-package-db/syft/rpm-bdb/Packages"),
        )],
        Comp::Gzip,
    );
    oci_dir(dir, &[l0, l1, l2]);
}

#[test]
fn every_format_is_schema_valid_and_byte_identical_across_runs() {
    let tmp = tempfile::tempdir().unwrap();
    mixed_image(tmp.path());
    let r = format!("oci-dir:{}", tmp.path().display());
    for format in ["cdx-json", "spdx-json", "native"] {
        let a = scan(&r, format);
        let b = scan(&r, format);
        assert_eq!(a.stdout, b.stdout, "{format} output differs between runs");
        let doc = a.json();
        match format {
            "cdx-json" => assert_valid(&doc, CDX_SCHEMA),
            "spdx-json" => assert_valid(&doc, SPDX_SCHEMA),
            _ => assert_eq!(doc["format"], "stellaops.inventory/v1"),
        }
    }
}

#[test]
fn cyclonedx_document_shape() {
    let tmp = tempfile::tempdir().unwrap();
    mixed_image(tmp.path());
    let doc = scan(&format!("oci-dir:{}", tmp.path().display()), "cdx-json").json();
    assert_eq!(doc["specVersion"], "1.6");
    // Timestamp from the image config's created date, not the clock.
    assert_eq!(doc["metadata"]["timestamp"], "2024-05-01T12:00:00Z");
    assert!(doc["serialNumber"]
        .as_str()
        .unwrap()
        .starts_with("urn:uuid:"));
    assert_eq!(doc["metadata"]["component"]["type"], "container");
    let pkgs = packages(&doc);
    let kinds: std::collections::BTreeSet<&str> = pkgs
        .iter()
        .map(|c| prop(c, "stellaops:package.type").unwrap())
        .collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        vec!["apk", "deb", "rpm"]
    );
    for c in &pkgs {
        assert!(prop(c, "stellaops:layer.digest")
            .unwrap()
            .starts_with("sha256:"));
        assert!(prop(c, "stellaops:layer.diffId")
            .unwrap()
            .starts_with("sha256:"));
    }
    // bom-refs are unique.
    let mut refs: Vec<&str> = doc["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["bom-ref"].as_str().unwrap())
        .collect();
    let n = refs.len();
    refs.sort_unstable();
    refs.dedup();
    assert_eq!(refs.len(), n);
}

#[test]
fn source_date_epoch_sets_the_timestamp_and_output_file_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let img = tmp.path().join("img");
    mixed_image(&img);
    let out = tmp.path().join("sbom.spdx.json");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_stella"))
        .args([
            "scan",
            &format!("oci-dir:{}", img.display()),
            "--format",
            "spdx-json",
            "--no-cache",
            "--quiet",
            "--output",
        ])
        .arg(&out)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .status()
        .unwrap();
    assert!(status.success());
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(doc["creationInfo"]["created"], "2023-11-14T22:13:20Z");
    // Only the output file was written next to it.
    let names: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn help_has_examples() {
    let run = stella(&["scan", "--help"]);
    assert_eq!(run.code, 0);
    let text = String::from_utf8_lossy(&run.stdout);
    assert!(
        text.contains("Examples:") && text.contains("docker-archive:"),
        "{text}"
    );
}
