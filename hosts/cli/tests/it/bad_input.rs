//! Hostile and damaged inputs: a clear error naming the layer, or a warning in the SBOM with
//! the rest of the scan kept. Never a panic (exit code 101).

use crate::support::*;

fn diagnostics(doc: &serde_json::Value) -> Vec<String> {
    doc["metadata"]["properties"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|p| p["name"] == "stellaops:diagnostic")
                .map(|p| p["value"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn good_status() -> Item {
    file(
        "var/lib/dpkg/status",
        fixture("os-package-db/trivy/dpkg/valid/var/lib/dpkg/status"),
    )
}

#[test]
fn truncated_gzip_layer_is_an_error_naming_the_layer() {
    let tmp = tempfile::tempdir().unwrap();
    let l = layer(
        &[good_status(), file("big", vec![b'x'; 200_000])],
        Comp::Gzip,
    );
    let digest = sha256(&l.blob);
    oci_dir(tmp.path(), &[l]);
    let blob = tmp
        .path()
        .join("blobs/sha256")
        .join(&digest["sha256:".len()..]);
    let bytes = std::fs::read(&blob).unwrap();
    std::fs::write(&blob, &bytes[..bytes.len() / 2]).unwrap();
    let run = stella(&[
        "scan",
        &format!("oci-dir:{}", tmp.path().display()),
        "--no-cache",
        "--quiet",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains(&digest), "{}", run.stderr);
    assert!(
        run.stderr.contains("corrupt or truncated"),
        "{}",
        run.stderr
    );
}

#[test]
fn truncated_zstd_layer_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let l = layer(
        &[good_status(), file("big", vec![b'x'; 200_000])],
        Comp::Zstd,
    );
    let digest = sha256(&l.blob);
    oci_dir(tmp.path(), &[l]);
    let blob = tmp
        .path()
        .join("blobs/sha256")
        .join(&digest["sha256:".len()..]);
    let bytes = std::fs::read(&blob).unwrap();
    std::fs::write(&blob, &bytes[..bytes.len() - 7]).unwrap();
    let run = stella(&[
        "scan",
        &format!("oci-dir:{}", tmp.path().display()),
        "--no-cache",
        "--quiet",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains(&digest), "{}", run.stderr);
}

#[test]
fn digest_mismatch_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let l = layer(&[good_status()], Comp::None);
    let digest = sha256(&l.blob);
    oci_dir(tmp.path(), &[l]);
    let blob = tmp
        .path()
        .join("blobs/sha256")
        .join(&digest["sha256:".len()..]);
    let mut bytes = std::fs::read(&blob).unwrap();
    let pos = bytes.windows(8).position(|w| w == b"Package:").unwrap();
    bytes[pos + 10] ^= 0x20; // still a valid tar, different content
    std::fs::write(&blob, &bytes).unwrap();
    let run = stella(&[
        "scan",
        &format!("oci-dir:{}", tmp.path().display()),
        "--no-cache",
        "--quiet",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("digest") && run.stderr.contains("but the manifest says"),
        "{}",
        run.stderr
    );
}

#[test]
fn traversal_and_absolute_paths_are_contained() {
    let tmp = tempfile::tempdir().unwrap();
    let l = layer(
        &[
            Item::RawName(b"../../../../tmp/stella-escape".to_vec(), b"pwned".to_vec()),
            Item::RawName(
                b"/var/lib/dpkg/status".to_vec(),
                fixture("os-package-db/trivy/dpkg/valid/var/lib/dpkg/status"),
            ),
            Item::Symlink(
                "etc/os-release".into(),
                "../../../../../usr/lib/os-release".into(),
            ),
            file("usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
        ],
        Comp::Gzip,
    );
    oci_dir(tmp.path(), &[l]);
    let run = stella(&[
        "scan",
        &format!("oci-dir:{}", tmp.path().display()),
        "--no-cache",
        "--quiet",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(packages(&doc).len(), 90);
    assert!(
        diagnostics(&doc)
            .iter()
            .any(|d| d.contains("escapes the image root")),
        "{:?}",
        diagnostics(&doc)
    );
    // The escaping symlink resolves inside the root.
    assert!(packages(&doc)[0]["purl"]
        .as_str()
        .unwrap()
        .contains("distro=debian-12"));
    assert!(!std::path::Path::new("/tmp/stella-escape").exists());
}

#[test]
fn symlink_loop_is_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let l = layer(
        &[
            good_status(),
            Item::Symlink("etc/os-release".into(), "os-release2".into()),
            Item::Symlink("etc/os-release2".into(), "os-release".into()),
        ],
        Comp::Gzip,
    );
    oci_dir(tmp.path(), &[l]);
    let run = stella(&[
        "scan",
        &format!("oci-dir:{}", tmp.path().display()),
        "--no-cache",
        "--quiet",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(packages(&doc).len(), 90);
    assert!(
        diagnostics(&doc).iter().any(|d| d.contains("symlink loop")),
        "{:?}",
        diagnostics(&doc)
    );
}

#[test]
fn oversized_layer_is_stopped() {
    let tmp = tempfile::tempdir().unwrap();
    let l = layer(&[file("zeros", vec![0u8; 8 << 20])], Comp::Gzip);
    oci_dir(tmp.path(), &[l]);
    let run = stella(&[
        "scan",
        &format!("oci-dir:{}", tmp.path().display()),
        "--no-cache",
        "--quiet",
        "--max-layer-bytes",
        "1000000",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("limit"), "{}", run.stderr);
}

#[test]
fn garbage_databases_are_warnings_and_the_rest_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let garbage: Vec<u8> = (0..50_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let l = layer(
        &[
            good_status(),
            file("lib/apk/db/installed", garbage.clone()),
            file("usr/lib/sysimage/rpm/rpmdb.sqlite", garbage.clone()),
            file("var/lib/rpm/Packages", garbage.clone()),
            file("usr/lib/sysimage/rpm/Packages.db", garbage),
            file("etc/os-release", vec![0xff, 0xfe, 0x00, 0x41]),
        ],
        Comp::Gzip,
    );
    oci_dir(tmp.path(), &[l]);
    let run = stella(&[
        "scan",
        &format!("oci-dir:{}", tmp.path().display()),
        "--no-cache",
        "--quiet",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(packages(&doc).len(), 90);
    assert_valid(&doc, CDX_SCHEMA);
}

#[test]
fn truncated_status_keeps_the_complete_stanzas() {
    let tmp = tempfile::tempdir().unwrap();
    let status = fixture("os-package-db/trivy/dpkg/valid/var/lib/dpkg/status");
    let cut = &status[..status.len() / 2];
    let l = layer(&[file("var/lib/dpkg/status", cut.to_vec())], Comp::Gzip);
    oci_dir(tmp.path(), &[l]);
    let run = stella(&[
        "scan",
        &format!("oci-dir:{}", tmp.path().display()),
        "--no-cache",
        "--quiet",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let n = packages(&run.json()).len();
    assert!(n > 30 && n < 90, "{n}");
}

#[test]
fn not_an_image_and_missing_paths_are_input_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let junk = tmp.path().join("junk.bin");
    std::fs::write(&junk, b"this is not a tar archive at all, not even close").unwrap();
    let run = stella(&["scan", junk.to_str().unwrap(), "--quiet"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = stella(&["scan", "oci-dir:/nonexistent/stella", "--quiet"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("/nonexistent/stella"), "{}", run.stderr);
    let run = stella(&["scan", "--format", "xml", "x"]);
    assert_eq!(run.code, 2);
    let run = stella(&["scan", "x", "--platform", "linux"]);
    assert_eq!(run.code, 2);
}

#[test]
fn sparse_10_gib_database_is_not_read() {
    // A GNU sparse entry (type 'S') claiming 10 GiB but storing one block.
    let mut h = tar::Header::new_gnu();
    h.set_path("var/lib/dpkg/status").unwrap();
    h.set_mode(0o644);
    h.set_entry_type(tar::EntryType::GNUSparse);
    h.set_size(512);
    {
        let gnu = h.as_gnu_mut().unwrap();
        // One 512-byte chunk at the very end: the rest is a hole.
        gnu.sparse[0].set_offset((10 << 30) - 512);
        gnu.sparse[0].set_length(512);
        gnu.set_real_size(10 << 30);
    }
    h.set_cksum();
    let mut tar_bytes = Vec::new();
    tar_bytes.extend_from_slice(h.as_bytes());
    tar_bytes.extend_from_slice(&[b'P'; 512]);
    tar_bytes.extend_from_slice(&[0u8; 1024]);
    let tmp = tempfile::tempdir().unwrap();
    let l = Layer {
        blob: compress(&tar_bytes, Comp::Gzip),
        tar: tar_bytes,
        comp: Comp::Gzip,
    };
    oci_dir(tmp.path(), &[l]);
    let run = stella(&[
        "scan",
        &format!("oci-dir:{}", tmp.path().display()),
        "--no-cache",
        "--quiet",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let d = diagnostics(&run.json());
    assert!(d.iter().any(|d| d.contains("larger than")), "{d:?}");
}

/// Damaged language metadata and binaries: each a warning naming its path, the rest kept.
#[test]
fn damaged_language_files_and_binaries_are_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let go = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../stellaops-analyzers/tests/fixtures/go/hello-linux-amd64"),
    )
    .unwrap();
    // A zip whose single entry claims to inflate to far more than it holds.
    let mut bomb = Vec::new();
    {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut bomb));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("META-INF/maven/a/b/pom.properties", opts)
            .unwrap();
        std::io::Write::write_all(&mut zip, &vec![b'a'; 50 << 20]).unwrap();
        zip.finish().unwrap();
    }
    let l = layer(
        &[
            good_status(),
            Item::Exec("usr/bin/truncated".into(), go[..4096].to_vec()),
            Item::Exec(
                "usr/bin/garbage".into(),
                b"\x7fELF\x02\x01\x01garbage".to_vec(),
            ),
            file(
                "opt/app/not-a-zip.jar",
                b"PK\x03\x04 this is not a zip".to_vec(),
            ),
            file("opt/app/bomb.jar", bomb),
            file(
                "usr/lib/python3/dist-packages/bad-1.0.dist-info/METADATA",
                b"Metadata-Version: 2.1\nName: bad\nVersion: 1.0\nSummary: \xff\xfe broken\n"
                    .to_vec(),
            ),
            file(
                "app/node_modules/broken/package.json",
                b"{\"name\": \"broken\", \"version\": ".to_vec(),
            ),
            file(
                "app/node_modules/fine/package.json",
                br#"{"name": "fine", "version": "1.2.3"}"#.to_vec(),
            ),
        ],
        Comp::Gzip,
    );
    oci_dir(tmp.path(), &[l]);
    let run = stella(&[
        "scan",
        &format!("oci-dir:{}", tmp.path().display()),
        "--no-cache",
        "--quiet",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    assert_valid(&doc, CDX_SCHEMA);
    let diags = diagnostics(&doc).join("\n");
    for path in [
        "/usr/bin/garbage",
        "/opt/app/not-a-zip.jar",
        "/opt/app/bomb.jar",
        "/usr/lib/python3/dist-packages/bad-1.0.dist-info/METADATA",
        "/app/node_modules/broken/package.json",
    ] {
        assert!(diags.contains(path), "no diagnostic for {path}:\n{diags}");
    }
    let purls: Vec<&str> = doc["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["purl"].as_str())
        .collect();
    // The rest is kept: the dpkg packages, the good npm package, the Python package whose
    // summary was not UTF-8.
    assert!(purls.contains(&"pkg:npm/fine@1.2.3"), "{purls:?}");
    assert!(purls.contains(&"pkg:pypi/bad@1.0"), "{purls:?}");
    assert!(purls.iter().any(|p| p.starts_with("pkg:deb/")));
}
