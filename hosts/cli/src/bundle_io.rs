//! Proof bundles on disk: a deterministic zip (stored entries in a fixed order, fixed
//! timestamps and permissions) written and read without ever extracting to the file system.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

use anyhow::{bail, Context, Result};
use stellaops_attest::proof::FILES;

/// Largest file read from a bundle.
const MAX_FILE: u64 = 64 << 20;

/// Zip the bundle files in [`FILES`] order.
pub fn write_zip(files: &BTreeMap<String, Vec<u8>>) -> Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for name in FILES {
        let data = files
            .get(name)
            .with_context(|| format!("bundle file {name} missing"))?;
        zip.start_file(name, options)?;
        zip.write_all(data)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// Read a bundle zip. Entry names must be plain bundle file names: no directories, no
/// `..`, no absolute paths (a zip-slip attempt is an error, nothing is ever extracted).
pub fn read_zip(bytes: &[u8]) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).context("not a zip archive")?;
    if archive.len() > 16 {
        bail!(
            "bundle has {} entries; a proof bundle has {}",
            archive.len(),
            FILES.len()
        );
    }
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        let name = entry.name()?.into_owned();
        if name.contains('/') || name.contains('\\') || name.contains("..") || name.is_empty() {
            bail!("bundle entry {name:?} is not a plain file name (path traversal refused)");
        }
        if !FILES.contains(&name.as_str()) {
            bail!("unexpected bundle entry {name:?}");
        }
        if entry.size() > MAX_FILE {
            bail!(
                "bundle entry {name} is {} bytes, over the {MAX_FILE}-byte limit",
                entry.size()
            );
        }
        let mut data = Vec::new();
        entry.by_ref().take(MAX_FILE + 1).read_to_end(&mut data)?;
        if files.insert(name.clone(), data).is_some() {
            bail!("bundle entry {name} appears twice");
        }
    }
    Ok(files)
}
