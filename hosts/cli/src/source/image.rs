//! Resolving an image reference to its config and ordered layers, verifying every manifest,
//! index and config blob against its digest on the way.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use stellaops_analyzers::image::manifest::{
    is_layer_media_type, parse_config, parse_docker_manifest, parse_document, select_platform,
    ImageConfig, ImageDocument, PlatformSpec,
};
use stellaops_core::digest::Sha256Digest;
use stellaops_core::fragment::LayerRef;
use stellaops_core::sbom::{parse_rfc3339, Subject, SubjectKind};

use super::archive::ArchiveIndex;

/// Largest manifest, index or config read.
const MAX_DOCUMENT_BYTES: u64 = 16 << 20;

/// Where a layer blob's bytes are.
#[derive(Debug, Clone)]
pub enum LayerLocation {
    /// A file (OCI layout blob).
    File(PathBuf),
    /// A member of an indexed tar.
    Member(Arc<ArchiveIndex>, String),
}

impl LayerLocation {
    /// Open the blob for streaming.
    pub fn open(&self) -> Result<Box<dyn Read + Send>> {
        match self {
            LayerLocation::File(p) => {
                let f = File::open(p)
                    .with_context(|| format!("cannot open layer blob {}", p.display()))?;
                Ok(Box::new(BufReader::with_capacity(1 << 20, f)))
            }
            LayerLocation::Member(index, name) => {
                let (reader, _) = index.open_member(name)?;
                Ok(Box::new(BufReader::with_capacity(1 << 20, reader)))
            }
        }
    }
}

/// An image ready to scan.
#[derive(Debug)]
pub struct ResolvedImage {
    /// What it is.
    pub subject: Subject,
    /// The config's `created`, seconds since the epoch.
    pub created: Option<i64>,
    /// Layers, base first, with the digests the image claims.
    pub layers: Vec<(LayerRef, LayerLocation)>,
    /// The config's `config` object (Entrypoint, Cmd, Env, WorkingDir), if any.
    pub container: Option<stellaops_analyzers::image::manifest::ContainerConfig>,
}

/// Blob access for OCI layouts (directory or tar).
enum Blobs {
    Dir(PathBuf),
    Archive(Arc<ArchiveIndex>),
}

impl Blobs {
    fn location(&self, digest: &str) -> Result<LayerLocation> {
        let d = Sha256Digest::parse(digest)?;
        Ok(match self {
            Blobs::Dir(root) => {
                LayerLocation::File(root.join("blobs").join("sha256").join(d.hex()))
            }
            Blobs::Archive(index) => {
                LayerLocation::Member(index.clone(), format!("blobs/sha256/{}", d.hex()))
            }
        })
    }

    fn read_root(&self, name: &str) -> Result<Vec<u8>> {
        match self {
            Blobs::Dir(root) => read_limited(&root.join(name)),
            Blobs::Archive(index) => index.read_member(name, MAX_DOCUMENT_BYTES),
        }
    }

    /// Read a small blob and check it against its digest.
    fn read_verified(&self, digest: &str, what: &str) -> Result<Vec<u8>> {
        let bytes = match self.location(digest)? {
            LayerLocation::File(p) => read_limited(&p),
            LayerLocation::Member(index, name) => index.read_member(&name, MAX_DOCUMENT_BYTES),
        }
        .with_context(|| format!("{what} {digest}"))?;
        verify(&bytes, digest, what)?;
        Ok(bytes)
    }
}

fn verify(bytes: &[u8], digest: &str, what: &str) -> Result<()> {
    let actual = Sha256Digest::of(bytes);
    if actual.as_str() != digest {
        bail!("{what} digest mismatch: content is {actual}, but it is referenced as {digest}");
    }
    Ok(())
}

fn read_limited(path: &Path) -> Result<Vec<u8>> {
    let f = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut out = Vec::new();
    f.take(MAX_DOCUMENT_BYTES + 1).read_to_end(&mut out)?;
    if out.len() as u64 > MAX_DOCUMENT_BYTES {
        bail!(
            "{} is larger than {MAX_DOCUMENT_BYTES} bytes",
            path.display()
        );
    }
    Ok(out)
}

/// Resolve an OCI layout (directory or archive).
pub fn resolve_oci(
    reference: &str,
    archive: Option<ArchiveIndex>,
    dir: &Path,
    platform: &PlatformSpec,
    explicit_platform: bool,
) -> Result<ResolvedImage> {
    let blobs = match archive {
        Some(index) => Blobs::Archive(Arc::new(index)),
        None => Blobs::Dir(dir.to_owned()),
    };
    let root = blobs
        .read_root("index.json")
        .context("reading index.json of the OCI layout")?;
    let mut doc = parse_document(&root, "index.json")?;
    let mut manifest_digest = None;
    let mut tags = Vec::new();
    for depth in 0..4 {
        match doc {
            ImageDocument::Manifest(_) if depth == 0 => {
                bail!("index.json is a manifest, not an index")
            }
            ImageDocument::Manifest(_) => break,
            ImageDocument::Index(list) => {
                let what = if depth == 0 {
                    "index.json".to_owned()
                } else {
                    format!("index {}", manifest_digest.clone().unwrap_or_default())
                };
                let chosen = select_platform(&list, platform, &what)?.clone();
                if let Some(t) = chosen.annotations.get("org.opencontainers.image.ref.name") {
                    tags.push(t.clone());
                }
                let bytes = blobs.read_verified(&chosen.digest, "manifest")?;
                doc = parse_document(&bytes, &format!("manifest {}", chosen.digest))?;
                manifest_digest = Some(chosen.digest);
            }
        }
    }
    let ImageDocument::Manifest(manifest) = doc else {
        bail!("image indexes nested more than 4 deep");
    };
    let config_bytes = blobs.read_verified(&manifest.config.digest, "config")?;
    let config = parse_config(&config_bytes, &format!("config {}", manifest.config.digest))?;
    check_platform(&config, platform, explicit_platform)?;
    if config.rootfs.diff_ids.len() != manifest.layers.len() {
        bail!(
            "manifest lists {} layers but the config lists {} diff_ids",
            manifest.layers.len(),
            config.rootfs.diff_ids.len()
        );
    }
    let mut layers = Vec::new();
    for (desc, diff_id) in manifest.layers.iter().zip(&config.rootfs.diff_ids) {
        if !is_layer_media_type(&desc.media_type) {
            bail!(
                "layer {} has unsupported media type {}",
                desc.digest,
                desc.media_type
            );
        }
        let layer = LayerRef {
            digest: Some(desc.digest.clone()),
            diff_id: Some(diff_id.clone()),
            media_type: Some(desc.media_type.clone()).filter(|m| !m.is_empty()),
            size: Some(desc.size),
            uncompressed_size: None,
        };
        layers.push((layer, blobs.location(&desc.digest)?));
    }
    Ok(ResolvedImage {
        subject: Subject {
            reference: reference.to_owned(),
            kind: SubjectKind::Container,
            manifest_digest,
            config_digest: Some(manifest.config.digest.clone()),
            platform: Some(config.platform()),
            tags,
        },
        created: config.created.as_deref().and_then(parse_rfc3339),
        container: config.config.clone(),
        layers,
    })
}

fn check_platform(config: &ImageConfig, wanted: &PlatformSpec, explicit: bool) -> Result<()> {
    if explicit && (config.os != wanted.os || config.architecture != wanted.architecture) {
        bail!(
            "image is {}, not the requested {}/{}",
            config.platform(),
            wanted.os,
            wanted.architecture
        );
    }
    Ok(())
}

/// Resolve a `docker save` archive.
pub fn resolve_docker_archive(
    reference: &str,
    index: ArchiveIndex,
    platform: &PlatformSpec,
    explicit_platform: bool,
) -> Result<ResolvedImage> {
    let index = Arc::new(index);
    let manifest = index.read_member("manifest.json", MAX_DOCUMENT_BYTES)?;
    let images = parse_docker_manifest(&manifest)?;
    if images.len() > 1 {
        bail!(
            "the archive holds {} images; this scanner reads archives of one image (tags: {})",
            images.len(),
            images
                .iter()
                .flat_map(|i| i.repo_tags.clone().unwrap_or_default())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let image = &images[0];
    let config_bytes = index.read_member(&image.config, MAX_DOCUMENT_BYTES)?;
    let config_digest = Sha256Digest::of(&config_bytes);
    if let Some(claimed) = hex_from_member_name(&image.config) {
        if claimed != config_digest.hex() {
            bail!(
                "config {} digest mismatch: content is {config_digest}",
                image.config
            );
        }
    }
    let config = parse_config(&config_bytes, &image.config)?;
    check_platform(&config, platform, explicit_platform)?;
    if config.rootfs.diff_ids.len() != image.layers.len() {
        bail!(
            "manifest.json lists {} layers but the config lists {} diff_ids",
            image.layers.len(),
            config.rootfs.diff_ids.len()
        );
    }
    let layers = image
        .layers
        .iter()
        .zip(&config.rootfs.diff_ids)
        .map(|(name, diff_id)| {
            let digest = name
                .strip_prefix("blobs/sha256/")
                .filter(|h| h.len() == 64)
                .map(|h| format!("sha256:{h}"));
            let layer = LayerRef {
                digest,
                diff_id: Some(diff_id.clone()),
                media_type: None,
                size: None,
                uncompressed_size: None,
            };
            (layer, LayerLocation::Member(index.clone(), name.clone()))
        })
        .collect();
    Ok(ResolvedImage {
        subject: Subject {
            reference: reference.to_owned(),
            kind: SubjectKind::Container,
            manifest_digest: None,
            config_digest: Some(config_digest.to_string()),
            platform: Some(config.platform()),
            tags: image.repo_tags.clone().unwrap_or_default(),
        },
        created: config.created.as_deref().and_then(parse_rfc3339),
        container: config.config.clone(),
        layers,
    })
}

/// `<hex>.json` or `blobs/sha256/<hex>` member names carry the content digest.
fn hex_from_member_name(name: &str) -> Option<&str> {
    let hex = name
        .strip_prefix("blobs/sha256/")
        .or_else(|| name.strip_suffix(".json"))?;
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then_some(hex)
}
