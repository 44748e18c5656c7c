//! The package model every analyzer fills and every writer reads.
//!
//! A [`Package`] is a fact read from installed state (a package database entry), never a
//! guess. Fields keep the package manager's own spelling; identity (purl, bom-ref) is derived
//! later by [`crate::purl`] and [`crate::compose`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use crate::lang::{Confidence, Evidence};

/// The package manager a package was read from; selects the purl type and version rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PackageKind {
    /// Debian `dpkg` (`var/lib/dpkg/status`, `status.d/*`).
    Deb,
    /// Alpine `apk` (`lib/apk/db/installed`).
    Apk,
    /// RPM (`rpmdb` in SQLite, Berkeley DB or NDB form).
    Rpm,
    /// npm package (`node_modules/**/package.json`, lockfiles).
    Npm,
    /// Python distribution (`*.dist-info`, `*.egg-info`, lockfiles).
    Pypi,
    /// Maven artifact (jar `pom.properties`, `MANIFEST.MF`).
    Maven,
    /// Go module (build info embedded in a binary).
    Golang,
    /// NuGet package (`*.deps.json`).
    Nuget,
    /// Rust crate (`cargo auditable` data, `Cargo.lock`).
    Cargo,
    /// A native binary no package claims, identified by its SHA-256 (`bin:{sha256}`).
    Binary,
}

impl PackageKind {
    /// The purl type for this kind.
    pub fn purl_type(self) -> &'static str {
        match self {
            PackageKind::Deb => "deb",
            PackageKind::Apk => "apk",
            PackageKind::Rpm => "rpm",
            PackageKind::Npm => "npm",
            PackageKind::Pypi => "pypi",
            PackageKind::Maven => "maven",
            PackageKind::Golang => "golang",
            PackageKind::Nuget => "nuget",
            PackageKind::Cargo => "cargo",
            PackageKind::Binary => "generic",
        }
    }

    /// True for the OS package managers (dpkg, apk, rpm).
    pub fn is_os(self) -> bool {
        matches!(self, PackageKind::Deb | PackageKind::Apk | PackageKind::Rpm)
    }
}

/// One declared license of a package.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "value")]
pub enum License {
    /// A valid SPDX license expression (already normalised to SPDX identifiers).
    Expression(String),
    /// A license named by the package that is not a valid SPDX expression; kept verbatim.
    Named(String),
}

/// An installed package as its package manager records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Package {
    /// Which package manager recorded it.
    pub kind: PackageKind,
    /// Namespace of language packages: npm scope (`@babel`), Maven groupId, Go module path
    /// prefix. `None` for OS packages (their purl namespace is the distribution).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Package name (dpkg `Package`, apk `P`, rpm `NAME`, npm `name`, ...).
    pub name: String,
    /// Version as the ecosystem spells it: dpkg `Version` (epoch included, `1:2.3-4`),
    /// apk `V` (`1.2.3-r0`), rpm `VERSION-RELEASE` (epoch kept apart in [`Package::epoch`]).
    pub version: String,
    /// RPM epoch when the header has one; `None` for dpkg/apk (dpkg keeps it in the version).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epoch: Option<u64>,
    /// Architecture (`amd64`, `x86_64`, `noarch`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    /// Source package: dpkg `Source` (or the package itself), rpm source rpm name, apk origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_name: Option<String>,
    /// Source version when it differs from or completes the binary version
    /// (dpkg `Source: name (ver)`, the version part of an rpm `SOURCERPM`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_version: Option<String>,
    /// Declared licenses, in the order the package declares them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<License>,
    /// Maintainer (dpkg), packager/vendor (rpm), maintainer (apk).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier: Option<String>,
    /// One-line summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Files the package manager says this package owns, absolute paths, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    /// Hashes of the package artifact by algorithm (`sha1`, `sha256`), when it is one file
    /// (a jar, a binary).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub hashes: BTreeMap<String, String>,
    /// Installed (package databases, installed metadata, build info) or only declared by a
    /// lockfile of a source tree.
    #[serde(default, skip_serializing_if = "is_default")]
    pub evidence: Evidence,
    /// Low only when nothing but a file name named the package.
    #[serde(default, skip_serializing_if = "is_default")]
    pub confidence: Confidence,
    /// Extra facts in the package manager's own terms (apk commit, rpm vendor, sizes...).
    /// Keys are `<ecosystem>:<field>`, e.g. `apk:commit`, `rpm:vendor`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, String>,
}

impl Package {
    /// A package with just its identity; the rest is filled by the analyzer.
    pub fn new(kind: PackageKind, name: impl Into<String>, version: impl Into<String>) -> Self {
        Package {
            kind,
            namespace: None,
            name: name.into(),
            version: version.into(),
            epoch: None,
            arch: None,
            source_name: None,
            source_version: None,
            licenses: Vec::new(),
            supplier: None,
            description: None,
            files: Vec::new(),
            hashes: BTreeMap::new(),
            evidence: Evidence::Installed,
            confidence: Confidence::High,
            properties: BTreeMap::new(),
        }
    }

    /// Identity used to follow one package across database snapshots of several layers:
    /// same name, version, epoch and architecture means the same installed package.
    pub fn identity_key(&self) -> (PackageKind, &str, &str, Option<u64>, Option<&str>) {
        (
            self.kind,
            &self.name,
            &self.version,
            self.epoch,
            self.arch.as_deref(),
        )
    }
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// The distribution an image's packages were built for, from `etc/os-release` and fallbacks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Distro {
    /// `ID` (lowercase, e.g. `debian`, `alpine`, `rhel`, `amzn`, `sles`).
    pub id: String,
    /// `VERSION_ID` (e.g. `12`, `3.19.1`, `2023`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
    /// `VERSION_CODENAME` (e.g. `bookworm`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codename: Option<String>,
    /// `PRETTY_NAME`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pretty_name: Option<String>,
    /// `ID_LIKE`, split on whitespace.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub id_like: Vec<String>,
    /// The file this was read from (absolute path inside the image).
    pub source_path: String,
}

impl Distro {
    /// The purl `distro` qualifier value: `<id>-<version_id>` (or just `<id>`).
    pub fn purl_qualifier(&self) -> String {
        match &self.version_id {
            Some(v) => format!("{}-{}", self.id, v),
            None => self.id.clone(),
        }
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Part of the input was skipped; the rest of the scan is kept.
    Warning,
    /// A whole input (layer, database) could not be used.
    Error,
}

/// A problem met while reading input, kept in the output instead of failing the scan.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    /// Warning or error.
    pub severity: Severity,
    /// Digest of the layer (or `dir:` root) where it was seen, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    /// Path inside the image, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// What went wrong, for a person.
    pub message: String,
}

impl Diagnostic {
    /// A warning about `path`.
    pub fn warning(path: impl Into<Option<String>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            layer: None,
            path: path.into(),
            message: message.into(),
        }
    }

    /// An error about `path`.
    pub fn error(path: impl Into<Option<String>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            layer: None,
            path: path.into(),
            message: message.into(),
        }
    }

    /// The same diagnostic attributed to a layer.
    #[must_use]
    pub fn in_layer(mut self, layer: Option<&str>) -> Self {
        if self.layer.is_none() {
            self.layer = layer.map(str::to_owned);
        }
        self
    }
}
