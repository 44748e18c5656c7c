//! Layer fragments: what the analyzers saw in one layer, and nothing else.
//!
//! **Architecture Invariant:** a fragment is a pure function of (layer bytes, analyzer
//! version). It records the layer's file entries, its whiteouts and the facts parsed from the
//! files it wrote, keyed by path. It never refers to other layers; [`crate::compose`] combines
//! fragments. That is what makes a cached fragment reusable for every image sharing the layer.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::binary::BinaryInfo;
use crate::lang::LangPackage;
use crate::model::{Diagnostic, Distro, License, Package};

/// Version of the fragment format and the analyzers that fill it; part of the cache key.
pub const ANALYZER_VERSION: &str =
    concat!("stellaops-analyzers/", env!("CARGO_PKG_VERSION"), "+f2");

/// Identity of a layer as the image describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LayerRef {
    /// Digest of the layer blob as the image manifest lists it (compressed form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// Digest of the uncompressed layer tar (the config's `rootfs.diff_ids` entry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff_id: Option<String>,
    /// Media type from the manifest, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// Size of the blob in bytes as stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Bytes of uncompressed tar read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncompressed_size: Option<u64>,
}

impl LayerRef {
    /// The best name for this layer in messages: manifest digest, else diff id, else `dir`.
    pub fn display_name(&self) -> &str {
        self.digest
            .as_deref()
            .or(self.diff_id.as_deref())
            .unwrap_or("dir")
    }
}

/// Kind of one file-system entry a layer wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum EntryKind {
    /// Regular file.
    File {
        /// Size in bytes.
        size: u64,
    },
    /// Directory.
    Dir,
    /// Symbolic link, target as stored (may be relative or absolute).
    Symlink {
        /// Link target.
        target: String,
    },
    /// Hard link to another path (normalised, relative to the root) in the same image.
    Hardlink {
        /// Path linked to.
        target: String,
    },
    /// Device, FIFO or other special file.
    Other,
}

/// One path written by a layer. Paths are relative to the image root, `/`-separated, with no
/// leading `/`, no `.` or `..` components (the reader rejects those).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Normalised path.
    pub path: String,
    /// What it is.
    #[serde(flatten)]
    pub kind: EntryKind,
}

/// Debian copyright information for one `usr/share/doc/<pkg>/copyright` file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CopyrightInfo {
    /// True when the file follows the machine-readable DEP-5 format.
    pub machine_readable: bool,
    /// Distinct licenses found (empty when not machine-readable).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<License>,
}

/// Which package database a snapshot came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DbKind {
    /// `var/lib/dpkg/status`.
    DpkgStatus,
    /// One file of distroless `var/lib/dpkg/status.d/`.
    DpkgStatusD,
    /// `lib/apk/db/installed`.
    ApkInstalled,
    /// rpmdb, SQLite backend.
    RpmSqlite,
    /// rpmdb, Berkeley DB hash backend.
    RpmBdb,
    /// rpmdb, NDB backend.
    RpmNdb,
}

/// A fact parsed from one file of a layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "fact")]
pub enum Fact {
    /// An `os-release`-style file (or a fallback such as `etc/alpine-release`).
    OsRelease {
        /// Parsed distribution.
        distro: Distro,
        /// True for fallback files, which rank below `os-release`.
        fallback: bool,
    },
    /// A package database snapshot as this layer wrote it.
    PackageDb {
        /// Which database.
        db: DbKind,
        /// Every package the snapshot lists, in database order.
        packages: Vec<Package>,
    },
    /// Files one dpkg package owns (`info/<pkg>.list`, or `status.d/<pkg>.md5sums`).
    DpkgFiles {
        /// Package name (with `:arch` for multi-arch list files).
        package: String,
        /// Absolute paths.
        files: Vec<String>,
    },
    /// A Debian copyright file.
    Copyright {
        /// Package the doc dir belongs to.
        package: String,
        /// What was read.
        info: CopyrightInfo,
    },
    /// Language packages read from one file: an installed `package.json`, a `.dist-info`
    /// (keyed by its `METADATA`), a Java archive (every package inside, nested ones
    /// included), a `.deps.json`, or, for source trees, a lockfile.
    LangPackages {
        /// Packages in the order the file lists them.
        packages: Vec<LangPackage>,
        /// A Java archive's own `Main-Class`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        main_class: Option<String>,
        /// A Java archive's own `Class-Path` entries (relative to its directory), in order.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        class_path: Vec<String>,
    },
    /// A native executable or shared library (ELF, PE, Mach-O).
    Binary {
        /// SHA-256 of the file, lowercase hex.
        sha256: String,
        /// Its headers' dynamic-linking facts.
        info: BinaryInfo,
        /// Language packages its build info embeds (Go modules, cargo-auditable crates).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        packages: Vec<LangPackage>,
    },
    /// An executable script (`#!` first line), kept for EntryTrace.
    Script {
        /// The interpreter named by the `#!` line, with its arguments.
        shebang: String,
        /// The script text (bounded; invalid UTF-8 replaced).
        text: String,
    },
    /// `etc/ld.so.conf` or one of `etc/ld.so.conf.d/*.conf`.
    LdSoConf {
        /// Library directories listed, in order.
        dirs: Vec<String>,
        /// `include` patterns, in order.
        includes: Vec<String>,
    },
}

/// Everything the analyzers found in one layer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LayerFragment {
    /// [`ANALYZER_VERSION`] that produced it.
    pub analyzer_version: String,
    /// The layer.
    pub layer: LayerRef,
    /// Entries in archive order (a later entry for the same path replaces an earlier one).
    pub entries: Vec<Entry>,
    /// Paths removed by `.wh.<name>` whiteouts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub whiteouts: Vec<String>,
    /// Directories made opaque by `.wh..wh..opq` (lower layers' contents hidden).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub opaque_dirs: Vec<String>,
    /// Facts keyed by the path they were read from.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub facts: BTreeMap<String, Fact>,
    /// Problems met in this layer; the rest of the layer was kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
}
