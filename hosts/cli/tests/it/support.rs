//! Test support: builds real image layouts (OCI dir/archive, docker-archive) from layer
//! specs, runs the `stella` binary, and validates outputs against the official schemas.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// Root of the shared fixtures (`../shared/fixtures` from the repository root).
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures")
}

/// Read a fixture file.
pub fn fixture(rel: &str) -> Vec<u8> {
    let p = fixtures().join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("fixture {}: {e}", p.display()))
}

/// One tar entry of a test layer.
#[derive(Clone)]
pub enum Item {
    File(String, Vec<u8>),
    /// A regular file with mode 0755.
    Exec(String, Vec<u8>),
    Dir(String),
    Symlink(String, String),
    Hardlink(String, String),
    /// Deletes the path from lower layers (`.wh.<name>`).
    Whiteout(String),
    /// Hides lower contents of a directory (`.wh..wh..opq`).
    Opaque(String),
    /// An entry whose name is written raw into the header (for hostile names).
    RawName(Vec<u8>, Vec<u8>),
}

pub fn file(path: &str, content: impl Into<Vec<u8>>) -> Item {
    Item::File(path.to_owned(), content.into())
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Comp {
    None,
    Gzip,
    Zstd,
}

fn header(kind: tar::EntryType, size: u64) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(kind);
    h.set_size(size);
    h.set_mode(if kind == tar::EntryType::Directory {
        0o755
    } else {
        0o644
    });
    h.set_mtime(1_700_000_000);
    h.set_uid(0);
    h.set_gid(0);
    h
}

/// An uncompressed layer tar.
pub fn layer_tar(items: &[Item]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for item in items {
        match item {
            Item::File(p, c) => {
                let mut h = header(tar::EntryType::Regular, c.len() as u64);
                b.append_data(&mut h, p, &c[..]).unwrap();
            }
            Item::Exec(p, c) => {
                let mut h = header(tar::EntryType::Regular, c.len() as u64);
                h.set_mode(0o755);
                b.append_data(&mut h, p, &c[..]).unwrap();
            }
            Item::Dir(p) => {
                let mut h = header(tar::EntryType::Directory, 0);
                b.append_data(&mut h, p, &[][..]).unwrap();
            }
            Item::Symlink(p, t) => {
                let mut h = header(tar::EntryType::Symlink, 0);
                b.append_link(&mut h, p, t).unwrap();
            }
            Item::Hardlink(p, t) => {
                let mut h = header(tar::EntryType::Link, 0);
                b.append_link(&mut h, p, t).unwrap();
            }
            Item::Whiteout(p) => {
                let (dir, name) = p.rsplit_once('/').map_or(("", p.as_str()), |(d, n)| (d, n));
                let wh = if dir.is_empty() {
                    format!(".wh.{name}")
                } else {
                    format!("{dir}/.wh.{name}")
                };
                let mut h = header(tar::EntryType::Regular, 0);
                b.append_data(&mut h, wh, &[][..]).unwrap();
            }
            Item::Opaque(dir) => {
                let mut h = header(tar::EntryType::Regular, 0);
                b.append_data(&mut h, format!("{dir}/.wh..wh..opq"), &[][..])
                    .unwrap();
            }
            Item::RawName(name, content) => {
                let mut h = header(tar::EntryType::Regular, content.len() as u64);
                let old = h.as_old_mut();
                old.name.fill(0);
                old.name[..name.len()].copy_from_slice(name);
                h.set_cksum();
                b.append(&h, &content[..]).unwrap();
            }
        }
    }
    b.into_inner().unwrap()
}

pub fn compress(tar: &[u8], comp: Comp) -> Vec<u8> {
    match comp {
        Comp::None => tar.to_vec(),
        Comp::Gzip => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(tar).unwrap();
            e.finish().unwrap()
        }
        Comp::Zstd => {
            ruzstd::encoding::compress_to_vec(tar, ruzstd::encoding::CompressionLevel::Fastest)
        }
    }
}

pub fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

/// A layer ready to be written: the blob as stored and its tar.
pub struct Layer {
    pub blob: Vec<u8>,
    pub tar: Vec<u8>,
    pub comp: Comp,
}

pub fn layer(items: &[Item], comp: Comp) -> Layer {
    let tar = layer_tar(items);
    Layer {
        blob: compress(&tar, comp),
        tar,
        comp,
    }
}

fn media_type(comp: Comp) -> &'static str {
    match comp {
        Comp::None => "application/vnd.oci.image.layer.v1.tar",
        Comp::Gzip => "application/vnd.oci.image.layer.v1.tar+gzip",
        Comp::Zstd => "application/vnd.oci.image.layer.v1.tar+zstd",
    }
}

pub fn config(layers: &[Layer], arch: &str) -> Vec<u8> {
    config_with(layers, arch, json!({"Entrypoint": ["/bin/sh"]}))
}

/// An image config with `container` as its `config` object (Entrypoint, Cmd, Env...).
pub fn config_with(layers: &[Layer], arch: &str, container: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "architecture": arch,
        "os": "linux",
        "created": "2024-05-01T12:00:00Z",
        "config": container,
        "rootfs": {"type": "layers", "diff_ids": layers.iter().map(|l| sha256(&l.tar)).collect::<Vec<_>>()},
    }))
    .unwrap()
}

fn put_blob(root: &Path, bytes: &[u8]) -> String {
    let d = sha256(bytes);
    let dir = root.join("blobs/sha256");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(&d["sha256:".len()..]), bytes).unwrap();
    d
}

/// Write an image manifest (and its config and layers) into an OCI layout; returns the
/// manifest descriptor.
pub fn put_image(root: &Path, layers: &[Layer], arch: &str) -> Value {
    put_image_with(root, layers, arch, json!({"Entrypoint": ["/bin/sh"]}))
}

/// [`put_image`] with `container` as the config's `config` object.
pub fn put_image_with(root: &Path, layers: &[Layer], arch: &str, container: Value) -> Value {
    let cfg = config_with(layers, arch, container);
    let cfg_digest = put_blob(root, &cfg);
    let layer_descs: Vec<Value> = layers
        .iter()
        .map(|l| json!({"mediaType": media_type(l.comp), "digest": put_blob(root, &l.blob), "size": l.blob.len()}))
        .collect();
    let manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cfg_digest, "size": cfg.len()},
        "layers": layer_descs,
    }))
    .unwrap();
    let digest = put_blob(root, &manifest);
    json!({
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": digest,
        "size": manifest.len(),
        "platform": {"architecture": arch, "os": "linux"},
        "annotations": {"org.opencontainers.image.ref.name": "test"},
    })
}

pub fn write_index(root: &Path, manifests: Vec<Value>) {
    std::fs::write(
        root.join("oci-layout"),
        br#"{"imageLayoutVersion":"1.0.0"}"#,
    )
    .unwrap();
    let index = json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": manifests});
    std::fs::write(root.join("index.json"), serde_json::to_vec(&index).unwrap()).unwrap();
}

/// A single-platform OCI layout directory.
pub fn oci_dir(root: &Path, layers: &[Layer]) {
    let desc = put_image(root, layers, "amd64");
    write_index(root, vec![desc]);
}

/// A single-platform OCI layout directory whose config starts `container`.
pub fn oci_dir_with(root: &Path, layers: &[Layer], container: Value) {
    let desc = put_image_with(root, layers, "amd64", container);
    write_index(root, vec![desc]);
}

/// Tar up a directory tree (for OCI archives).
pub fn tar_dir(dir: &Path, out: &Path) {
    let mut b = tar::Builder::new(std::fs::File::create(out).unwrap());
    b.append_dir_all(".", dir).unwrap();
    b.finish().unwrap();
}

/// A `docker save` archive (old layout: `<hex>/layer.tar`, `<hex>.json`).
pub fn docker_archive(out: &Path, layers: &[Layer]) {
    let cfg = config(layers, "amd64");
    let cfg_name = format!("{}.json", &sha256(&cfg)["sha256:".len()..]);
    let mut items = vec![file(&cfg_name, cfg.clone())];
    let mut names = Vec::new();
    for l in layers {
        let id = &sha256(&l.tar)["sha256:".len()..];
        let name = format!("{id}/layer.tar");
        items.push(file(&name, l.blob.clone()));
        names.push(name);
    }
    let manifest = json!([{"Config": cfg_name, "RepoTags": ["test:latest"], "Layers": names}]);
    items.push(file(
        "manifest.json",
        serde_json::to_vec(&manifest).unwrap(),
    ));
    std::fs::write(out, layer_tar(&items)).unwrap();
}

/// Output of one `stella` run.
pub struct Run {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.stdout)
            .unwrap_or_else(|e| panic!("output is not JSON ({e}); stderr: {}", self.stderr))
    }
}

pub fn stella(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_stella"))
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .env(
            "STELLAOPS_CACHE_DIR",
            std::env::temp_dir().join("stellaops-it-unused-cache"),
        )
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Scan `reference` in `format` with the cache off; asserts success.
pub fn scan(reference: &str, format: &str) -> Run {
    let run = stella(&[
        "scan",
        reference,
        "--format",
        format,
        "--no-cache",
        "--quiet",
    ]);
    assert_eq!(run.code, 0, "scan {reference} failed: {}", run.stderr);
    run
}

struct SchemaDir;

impl jsonschema::Retrieve for SchemaDir {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri
            .as_str()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        let path = fixtures().join("schemas/cyclonedx").join(&name);
        Ok(serde_json::from_slice(&std::fs::read(path)?)?)
    }
}

/// Validate against the official schema; panics listing the violations.
pub fn assert_valid(doc: &Value, schema_rel: &str) {
    let schema: Value = serde_json::from_slice(&fixture(schema_rel)).unwrap();
    let validator = jsonschema::options()
        .with_retriever(SchemaDir)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("schema {schema_rel}: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .take(20)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{schema_rel} violations:\n{}",
        errors.join("\n")
    );
}

pub const CDX_SCHEMA: &str = "schemas/cyclonedx/bom-1.6.schema.json";
pub const SPDX_SCHEMA: &str = "schemas/spdx-2.3/spdx-schema.json";

/// Components of a CycloneDX document that are packages (not the OS component).
pub fn packages(doc: &Value) -> Vec<&Value> {
    doc["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "library")
        .collect()
}

pub fn prop<'a>(component: &'a Value, name: &str) -> Option<&'a str> {
    component["properties"]
        .as_array()?
        .iter()
        .find(|p| p["name"] == name)
        .and_then(|p| p["value"].as_str())
}
