//! Random access into an image tar (`docker save` or OCI archive) without extracting it:
//! one pass over the headers records where each member's bytes sit, and members are then
//! read in place with a seek.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use stellaops_analyzers::image::path::{join, normalize, parent};

/// Where a member's bytes are.
#[derive(Debug, Clone)]
enum Member {
    File { offset: u64, size: u64 },
    Link(String),
}

/// An indexed tar archive.
#[derive(Debug)]
pub struct ArchiveIndex {
    path: PathBuf,
    members: BTreeMap<String, Member>,
}

impl ArchiveIndex {
    /// Index the members of the tar at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let mut archive = tar::Archive::new(io::BufReader::new(file));
        let mut members = BTreeMap::new();
        let entries = archive
            .entries()
            .with_context(|| format!("{} is not a tar archive", path.display()))?;
        for entry in entries {
            let entry =
                entry.with_context(|| format!("{}: corrupt or truncated tar", path.display()))?;
            let Ok(name) = normalize(&entry.path_bytes()) else {
                continue; // never address anything outside the archive
            };
            let kind = entry.header().entry_type();
            let member = if kind.is_file() {
                Member::File {
                    offset: entry.raw_file_position(),
                    size: entry.size(),
                }
            } else if kind.is_symlink() || kind.is_hard_link() {
                let target = entry
                    .link_name_bytes()
                    .map(|t| t.into_owned())
                    .unwrap_or_default();
                let target = String::from_utf8_lossy(&target).into_owned();
                let resolved = if kind.is_symlink() && !target.starts_with('/') {
                    join(parent(&name), &target)
                } else {
                    target
                };
                Member::Link(resolved)
            } else {
                continue;
            };
            members.insert(name, member);
        }
        Ok(ArchiveIndex {
            path: path.to_owned(),
            members,
        })
    }

    /// Whether the archive has a member at `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.locate(name).is_ok()
    }

    fn locate(&self, name: &str) -> Result<(u64, u64)> {
        let mut current = normalize(name.as_bytes()).map_err(|e| anyhow!("{name}: {e}"))?;
        for _ in 0..40 {
            match self.members.get(&current) {
                Some(Member::File { offset, size }) => return Ok((*offset, *size)),
                Some(Member::Link(target)) => {
                    current = resolve_dots(target)
                        .ok_or_else(|| anyhow!("{name}: link escapes the archive ({target})"))?;
                }
                None => bail!("{}: no member {name}", self.path.display()),
            }
        }
        bail!("{}: link loop at {name}", self.path.display())
    }

    /// A reader over member `name`'s bytes.
    pub fn open_member(&self, name: &str) -> Result<(io::Take<File>, u64)> {
        let (offset, size) = self.locate(name)?;
        let mut file = File::open(&self.path)?;
        file.seek(SeekFrom::Start(offset))?;
        Ok((file.take(size), size))
    }

    /// Read a small member fully (at most `limit` bytes).
    pub fn read_member(&self, name: &str, limit: u64) -> Result<Vec<u8>> {
        let (reader, size) = self.open_member(name)?;
        if size > limit {
            bail!("{name} is {size} bytes, over the {limit}-byte limit for metadata");
        }
        let mut out = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        reader.take(limit).read_to_end(&mut out)?;
        Ok(out)
    }
}

/// Resolve `.`/`..` in a member path, refusing to climb above the archive root.
fn resolve_dots(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            _ => parts.push(p),
        }
    }
    Some(parts.join("/"))
}
