//! Image references and the sources behind them: `oci-dir:`, `oci-archive:`,
//! `docker-archive:` and `dir:`. This is the only place that opens image files; layers are
//! handed to the pure analyzers as `impl Read`.

pub mod archive;
pub mod dir;
pub mod image;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// What a reference names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// An OCI image layout directory.
    OciDir(PathBuf),
    /// A tar of an OCI image layout.
    OciArchive(PathBuf),
    /// A `docker save` tar.
    DockerArchive(PathBuf),
    /// A plain directory or root file system.
    Dir(PathBuf),
}

impl Reference {
    /// Parse `scheme:path`, or detect the scheme from what is at `path`.
    pub fn parse(text: &str) -> Result<Self> {
        if let Some((scheme, rest)) = text.split_once(':') {
            let path = PathBuf::from(rest);
            let r = match scheme {
                "oci-dir" | "oci" => Some(Reference::OciDir(path)),
                "oci-archive" => Some(Reference::OciArchive(path)),
                "docker-archive" => Some(Reference::DockerArchive(path)),
                "dir" => Some(Reference::Dir(path)),
                _ => None,
            };
            if let Some(r) = r {
                if !r.path().exists() {
                    bail!("{}: no such file or directory", r.path().display());
                }
                return Ok(r);
            }
        }
        detect(Path::new(text))
    }

    /// The file or directory referenced.
    pub fn path(&self) -> &Path {
        match self {
            Reference::OciDir(p)
            | Reference::OciArchive(p)
            | Reference::DockerArchive(p)
            | Reference::Dir(p) => p,
        }
    }
}

fn detect(path: &Path) -> Result<Reference> {
    let meta = std::fs::metadata(path).with_context(|| {
        format!(
            "{}: no such file or directory (expected oci-dir:, oci-archive:, docker-archive: or dir: followed by a path)",
            path.display()
        )
    })?;
    if meta.is_dir() {
        if path.join("oci-layout").is_file() {
            return Ok(Reference::OciDir(path.to_owned()));
        }
        return Ok(Reference::Dir(path.to_owned()));
    }
    let index = archive::ArchiveIndex::open(path)
        .with_context(|| format!("{}: not a directory, and not an image tar", path.display()))?;
    if index.contains("manifest.json") {
        Ok(Reference::DockerArchive(path.to_owned()))
    } else if index.contains("index.json") {
        Ok(Reference::OciArchive(path.to_owned()))
    } else {
        bail!(
            "{}: a tar, but neither a docker-archive (no manifest.json) nor an OCI archive (no index.json)",
            path.display()
        )
    }
}
