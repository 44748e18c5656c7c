//! RPM databases (`rpmdb`): which packages an RPM-based image has installed.
//!
//! Owns reading the three on-disk rpmdb formats from bytes already in memory:
//!
//! - SQLite `rpmdb.sqlite` (Fedora 33+, RHEL 9, Amazon Linux 2023), in `sqlite.rs` behind the
//!   `rpmdb-sqlite` cargo feature,
//! - Berkeley DB hash `Packages` (RHEL/CentOS up to 8, Amazon Linux 2), in `bdb.rs`,
//! - NDB `Packages.db` (SUSE), in `ndb.rs`,
//!
//! each of which yields one RPM header blob per installed package, decoded by `header.rs` and
//! mapped to a [`Package`] by `package.rs`. A single malformed record becomes a warning
//! [`Diagnostic`] and the other records are kept; [`RpmDbError`] is returned only when the
//! file as a whole is not a usable database of the requested format. `gpg-pubkey` entries
//! (imported signing keys, not packages) are skipped. No I/O: callers pass the file's bytes.

mod bdb;
mod header;
mod ndb;
mod package;
mod sqlite;

use std::fmt;

use stellaops_core::{Diagnostic, Package};

/// The on-disk format of an rpmdb file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RpmDbFormat {
    /// SQLite database `rpmdb.sqlite` (table `Packages(hnum, blob)`).
    Sqlite,
    /// Berkeley DB hash database `Packages`.
    BerkeleyDb,
    /// rpm's native NDB database `Packages.db`.
    Ndb,
}

impl fmt::Display for RpmDbFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RpmDbFormat::Sqlite => "SQLite rpmdb",
            RpmDbFormat::BerkeleyDb => "Berkeley DB rpmdb",
            RpmDbFormat::Ndb => "NDB rpmdb",
        })
    }
}

/// SQLite database file header.
const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";

/// Which rpmdb format a file is, from its path's file name (`rpmdb.sqlite`, `Packages`,
/// `Packages.db`) confirmed by magic bytes; None if it is none of them.
///
/// `file_name` may also be a whole path; only its last `/`-separated component is used. A
/// big-endian Berkeley DB `Packages` is recognised (so that [`parse_rpmdb`] can report it as
/// unsupported) but other Berkeley DB access methods are not.
pub fn detect_format(file_name: &str, bytes: &[u8]) -> Option<RpmDbFormat> {
    let base = file_name.rsplit('/').next().unwrap_or(file_name);
    match base {
        "rpmdb.sqlite" if bytes.starts_with(SQLITE_MAGIC) => Some(RpmDbFormat::Sqlite),
        "Packages" if bdb::has_hash_magic(bytes) => Some(RpmDbFormat::BerkeleyDb),
        "Packages.db" if ndb::has_magic(bytes) => Some(RpmDbFormat::Ndb),
        _ => None,
    }
}

/// The packages read from one rpmdb file and the records that had to be skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RpmDbScan {
    /// Installed packages, sorted by (name, version, epoch, arch); `gpg-pubkey` excluded.
    pub packages: Vec<Package>,
    /// One warning per record (or region of the file) that could not be read.
    pub diagnostics: Vec<Diagnostic>,
}

/// The whole file is not an rpmdb of the requested format, or is truncated beyond use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{format}: {message}")]
pub struct RpmDbError {
    /// The format the file was read as.
    pub format: RpmDbFormat,
    /// What is wrong and where (byte offset or page number).
    pub message: String,
}

impl RpmDbError {
    fn new(format: RpmDbFormat, message: impl Into<String>) -> Self {
        RpmDbError {
            format,
            message: message.into(),
        }
    }
}

/// Read every package of an rpmdb file of `format` from its bytes.
pub fn parse_rpmdb(format: RpmDbFormat, bytes: &[u8]) -> Result<RpmDbScan, RpmDbError> {
    let mut sink = Sink::default();
    match format {
        RpmDbFormat::Sqlite => sqlite::read(bytes, &mut sink)?,
        RpmDbFormat::BerkeleyDb => bdb::read(bytes, &mut sink)?,
        RpmDbFormat::Ndb => ndb::read(bytes, &mut sink)?,
    }
    Ok(sink.finish())
}

/// Collects packages and warnings as a backend hands over header blobs.
#[derive(Debug, Default)]
struct Sink {
    packages: Vec<Package>,
    diagnostics: Vec<Diagnostic>,
}

impl Sink {
    /// Decode one header blob found at `location` (e.g. "page 3").
    fn header(&mut self, location: &str, blob: &[u8]) {
        let parsed = header::Header::parse(blob).map_err(|e| e.to_string());
        let mut warnings = Vec::new();
        match parsed.and_then(|h| package::from_header(&h, blob.len(), &mut warnings)) {
            Ok(Some(pkg)) => self.packages.push(pkg),
            Ok(None) => {}
            Err(e) => self.warn(format!("rpm header at {location} skipped: {e}")),
        }
        for w in warnings {
            self.warn(format!("rpm header at {location}: {w}"));
        }
    }

    /// Record a problem that skipped part of the file.
    fn warn(&mut self, message: String) {
        self.diagnostics.push(Diagnostic::warning(None, message));
    }

    fn finish(mut self) -> RpmDbScan {
        self.packages.sort_by(|a, b| {
            (&a.name, &a.version, a.epoch, &a.arch).cmp(&(&b.name, &b.version, b.epoch, &b.arch))
        });
        RpmDbScan {
            packages: self.packages,
            diagnostics: self.diagnostics,
        }
    }
}

#[cfg(test)]
mod tests;
