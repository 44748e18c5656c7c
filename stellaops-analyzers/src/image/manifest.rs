//! OCI and Docker image documents parsed from bytes: image index, image manifest, image
//! config, and `docker save`'s `manifest.json`; platform selection in multi-platform indexes.

use serde::Deserialize;

use crate::error::ManifestError;

/// Media types of image indexes (OCI and Docker manifest lists).
pub const INDEX_MEDIA_TYPES: [&str; 2] = [
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
];
/// Media types of image manifests.
pub const MANIFEST_MEDIA_TYPES: [&str; 2] = [
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
];

/// A content descriptor.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Descriptor {
    /// Media type of the referenced content.
    #[serde(default)]
    pub media_type: String,
    /// `sha256:<hex>` digest of the referenced content.
    pub digest: String,
    /// Size in bytes.
    #[serde(default)]
    pub size: u64,
    /// Platform, in indexes.
    #[serde(default)]
    pub platform: Option<Platform>,
    /// Annotations.
    #[serde(default)]
    pub annotations: std::collections::BTreeMap<String, String>,
}

/// A platform as OCI describes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Platform {
    /// CPU architecture (`amd64`, `arm64`, ...).
    #[serde(default)]
    pub architecture: String,
    /// Operating system (`linux`, `windows`).
    #[serde(default)]
    pub os: String,
    /// Variant (`v7`, `v8`).
    #[serde(default)]
    pub variant: Option<String>,
}

impl Platform {
    /// `os/arch[/variant]`.
    pub fn to_spec_string(&self) -> String {
        match &self.variant {
            Some(v) if !v.is_empty() => format!("{}/{}/{v}", self.os, self.architecture),
            _ => format!("{}/{}", self.os, self.architecture),
        }
    }
}

/// A requested platform, parsed from `os/arch[/variant]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformSpec {
    /// Operating system.
    pub os: String,
    /// Architecture.
    pub architecture: String,
    /// Variant, when given.
    pub variant: Option<String>,
}

impl PlatformSpec {
    /// Parse `linux/amd64`, `linux/arm64/v8`.
    pub fn parse(text: &str) -> Result<Self, ManifestError> {
        let parts: Vec<&str> = text.split('/').collect();
        match parts.as_slice() {
            [os, arch] if !os.is_empty() && !arch.is_empty() => Ok(PlatformSpec {
                os: (*os).to_owned(),
                architecture: (*arch).to_owned(),
                variant: None,
            }),
            [os, arch, variant] if !os.is_empty() && !arch.is_empty() => Ok(PlatformSpec {
                os: (*os).to_owned(),
                architecture: (*arch).to_owned(),
                variant: Some((*variant).to_owned()),
            }),
            _ => Err(ManifestError::new(
                "--platform",
                format!("expected os/arch[/variant], got {text:?}"),
            )),
        }
    }

    fn matches(&self, p: &Platform) -> bool {
        if self.os != p.os || self.architecture != p.architecture {
            return false;
        }
        match (&self.variant, &p.variant) {
            (None, _) => true,
            (Some(want), Some(have)) => want == have,
            // arm64 images usually omit the implied v8.
            (Some(want), None) => self.architecture == "arm64" && want == "v8",
        }
    }
}

/// An image index or an image manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageDocument {
    /// A list of manifests (multi-platform).
    Index(Vec<Descriptor>),
    /// One image.
    Manifest(ImageManifest),
}

/// An image manifest.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ImageManifest {
    /// The config blob.
    pub config: Descriptor,
    /// Layers, base first.
    #[serde(default)]
    pub layers: Vec<Descriptor>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawDocument {
    #[serde(default)]
    media_type: Option<String>,
    #[serde(default)]
    manifests: Option<Vec<Descriptor>>,
    #[serde(default)]
    config: Option<Descriptor>,
    #[serde(default)]
    layers: Option<Vec<Descriptor>>,
}

/// Parse `index.json`, an index blob or a manifest blob. `what` names it in errors.
pub fn parse_document(bytes: &[u8], what: &str) -> Result<ImageDocument, ManifestError> {
    let raw: RawDocument = serde_json::from_slice(bytes).map_err(|e| {
        ManifestError::new(
            what,
            format!("not valid JSON for an image index or manifest: {e}"),
        )
    })?;
    let media = raw.media_type.as_deref().unwrap_or("");
    if let Some(manifests) = raw.manifests {
        if !media.is_empty() && !INDEX_MEDIA_TYPES.contains(&media) {
            return Err(ManifestError::new(
                what,
                format!("unsupported index media type {media}"),
            ));
        }
        return Ok(ImageDocument::Index(manifests));
    }
    match raw.config {
        Some(config) => {
            if !media.is_empty() && !MANIFEST_MEDIA_TYPES.contains(&media) {
                return Err(ManifestError::new(
                    what,
                    format!("unsupported manifest media type {media}"),
                ));
            }
            Ok(ImageDocument::Manifest(ImageManifest {
                config,
                layers: raw.layers.unwrap_or_default(),
            }))
        }
        None => Err(ManifestError::new(
            what,
            "neither an image index (no \"manifests\") nor an image manifest (no \"config\")",
        )),
    }
}

/// Whether a descriptor in an index is an attestation or other non-image entry.
fn is_attestation(d: &Descriptor) -> bool {
    d.annotations
        .get("vnd.docker.reference.type")
        .is_some_and(|t| t == "attestation-manifest")
        || d.platform.as_ref().is_some_and(|p| p.os == "unknown")
}

/// Pick the manifest for `wanted` from an index. The error lists the platforms that exist.
pub fn select_platform<'a>(
    manifests: &'a [Descriptor],
    wanted: &PlatformSpec,
    what: &str,
) -> Result<&'a Descriptor, ManifestError> {
    let images: Vec<&Descriptor> = manifests.iter().filter(|d| !is_attestation(d)).collect();
    if let Some(d) = images
        .iter()
        .find(|d| d.platform.as_ref().is_some_and(|p| wanted.matches(p)))
    {
        return Ok(d);
    }
    if images.len() == 1 && images[0].platform.is_none() {
        return Ok(images[0]);
    }
    let available: Vec<String> = images
        .iter()
        .map(|d| {
            d.platform.as_ref().map_or_else(
                || format!("(no platform) {}", d.digest),
                Platform::to_spec_string,
            )
        })
        .collect();
    let want = match &wanted.variant {
        Some(v) => format!("{}/{}/{v}", wanted.os, wanted.architecture),
        None => format!("{}/{}", wanted.os, wanted.architecture),
    };
    Err(ManifestError::new(
        what,
        format!(
            "no image for platform {want}; available: {}",
            if available.is_empty() {
                "none".to_owned()
            } else {
                available.join(", ")
            }
        ),
    ))
}

/// The parts of an image config the scanner uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ImageConfig {
    /// Creation time (RFC 3339).
    #[serde(default)]
    pub created: Option<String>,
    /// Architecture.
    #[serde(default)]
    pub architecture: String,
    /// Operating system.
    #[serde(default)]
    pub os: String,
    /// Variant.
    #[serde(default)]
    pub variant: Option<String>,
    /// Root file system.
    #[serde(default)]
    pub rootfs: RootFs,
    /// How a container of the image starts (Docker's capitalised keys).
    #[serde(default)]
    pub config: Option<ContainerConfig>,
}

/// The `config` object of an image config: what EntryTrace starts from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerConfig {
    /// `Entrypoint` (exec form; `null` when unset).
    #[serde(default)]
    pub entrypoint: Option<Vec<String>>,
    /// `Cmd` (exec form; `null` when unset).
    #[serde(default)]
    pub cmd: Option<Vec<String>>,
    /// `Env`, `KEY=value` strings.
    #[serde(default)]
    pub env: Option<Vec<String>>,
    /// `WorkingDir`.
    #[serde(default)]
    pub working_dir: Option<String>,
    /// `User`.
    #[serde(default)]
    pub user: Option<String>,
}

/// `rootfs` of an image config.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct RootFs {
    /// Digests of the uncompressed layers, base first.
    #[serde(default)]
    pub diff_ids: Vec<String>,
}

impl ImageConfig {
    /// `os/arch[/variant]`.
    pub fn platform(&self) -> String {
        Platform {
            architecture: self.architecture.clone(),
            os: self.os.clone(),
            variant: self.variant.clone(),
        }
        .to_spec_string()
    }
}

/// Parse an image config blob.
pub fn parse_config(bytes: &[u8], what: &str) -> Result<ImageConfig, ManifestError> {
    serde_json::from_slice(bytes)
        .map_err(|e| ManifestError::new(what, format!("not a valid image config: {e}")))
}

/// One image in a `docker save` archive's `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DockerArchiveImage {
    /// Path of the config JSON inside the archive.
    pub config: String,
    /// Tags.
    #[serde(default)]
    pub repo_tags: Option<Vec<String>>,
    /// Paths of the layer tars inside the archive, base first.
    pub layers: Vec<String>,
}

/// Parse `manifest.json` of a `docker save` archive.
pub fn parse_docker_manifest(bytes: &[u8]) -> Result<Vec<DockerArchiveImage>, ManifestError> {
    let images: Vec<DockerArchiveImage> = serde_json::from_slice(bytes).map_err(|e| {
        ManifestError::new(
            "manifest.json",
            format!("not a docker-archive manifest: {e}"),
        )
    })?;
    if images.is_empty() {
        return Err(ManifestError::new("manifest.json", "lists no images"));
    }
    Ok(images)
}

/// Whether a layer media type is something this scanner can read as a tar stream.
pub fn is_layer_media_type(media_type: &str) -> bool {
    media_type.is_empty()
        || (!media_type.contains("encrypted")
            && (media_type.contains(".tar") || media_type.contains("rootfs.diff")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desc(os: &str, arch: &str, variant: Option<&str>) -> Descriptor {
        Descriptor {
            media_type: MANIFEST_MEDIA_TYPES[0].into(),
            digest: format!("sha256:{os}{arch}"),
            size: 1,
            platform: Some(Platform {
                architecture: arch.into(),
                os: os.into(),
                variant: variant.map(Into::into),
            }),
            annotations: Default::default(),
        }
    }

    #[test]
    fn selects_platform_or_lists_what_exists() {
        let list = vec![
            desc("linux", "arm64", Some("v8")),
            desc("linux", "amd64", None),
            desc("unknown", "unknown", None),
        ];
        let amd = PlatformSpec::parse("linux/amd64").unwrap();
        assert_eq!(
            select_platform(&list, &amd, "index").unwrap().digest,
            "sha256:linuxamd64"
        );
        let arm = PlatformSpec::parse("linux/arm64/v8").unwrap();
        assert_eq!(
            select_platform(&list, &arm, "index").unwrap().digest,
            "sha256:linuxarm64"
        );
        let err = select_platform(&list, &PlatformSpec::parse("linux/s390x").unwrap(), "index")
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("available: linux/arm64/v8, linux/amd64"),
            "{err}"
        );
        assert!(PlatformSpec::parse("linux").is_err());
    }

    #[test]
    fn parses_documents() {
        let idx = br#"{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:aa","size":3}]}"#;
        assert!(
            matches!(parse_document(idx, "index.json").unwrap(), ImageDocument::Index(m) if m.len() == 1)
        );
        let man = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"x","digest":"sha256:c","size":1},"layers":[]}"#;
        assert!(matches!(
            parse_document(man, "m").unwrap(),
            ImageDocument::Manifest(_)
        ));
        assert!(parse_document(b"{}", "m").is_err());
        assert!(parse_document(b"\xff", "m").is_err());
    }
}
