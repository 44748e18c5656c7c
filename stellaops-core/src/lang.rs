//! Language packages as the analyzers find them: npm, PyPI, Maven, Go, NuGet and Cargo
//! packages, from installed metadata, binaries' build info, or (for source trees) lockfiles.
//!
//! These are facts of one file ([`crate::fragment::Fact::LangPackages`]); composition turns
//! them into components with [`crate::model::PackageKind`] of the ecosystem.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{License, PackageKind};

/// A language ecosystem (the purl type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LangEcosystem {
    /// npm (`pkg:npm`).
    Npm,
    /// PyPI (`pkg:pypi`).
    Pypi,
    /// Maven (`pkg:maven`).
    Maven,
    /// Go modules (`pkg:golang`).
    Golang,
    /// NuGet (`pkg:nuget`).
    Nuget,
    /// crates.io (`pkg:cargo`).
    Cargo,
}

impl LangEcosystem {
    /// The purl type.
    pub fn purl_type(self) -> &'static str {
        match self {
            LangEcosystem::Npm => "npm",
            LangEcosystem::Pypi => "pypi",
            LangEcosystem::Maven => "maven",
            LangEcosystem::Golang => "golang",
            LangEcosystem::Nuget => "nuget",
            LangEcosystem::Cargo => "cargo",
        }
    }
}

/// Where a package fact came from.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Evidence {
    /// Installed metadata (package databases, node_modules package.json, dist-info, jar
    /// manifests, binary build info).
    #[default]
    Installed,
    /// A lockfile or manifest of a source tree: declared, maybe not installed.
    Declared,
}

/// How sure the fact is.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// From package metadata or build info.
    #[default]
    High,
    /// Only a file name said so.
    Low,
}

/// One language package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LangPackage {
    /// Ecosystem.
    pub ecosystem: LangEcosystem,
    /// purl namespace: npm scope (`@babel`), Maven groupId, Go module path prefix
    /// (everything before the last `/`); `None` when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Name (PEP 503 normalised for PyPI only in the purl, kept as written here).
    pub name: String,
    /// Version as the metadata writes it.
    pub version: String,
    /// Canonical purl.
    pub purl: String,
    /// Declared licenses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<License>,
    /// Installed or declared.
    pub evidence: Evidence,
    /// High unless only a file name said so.
    pub confidence: Confidence,
    /// Path (inside the image) of the file the fact was read from; for nested archives
    /// `outer.jar!/BOOT-INF/lib/inner.jar`.
    pub location: String,
    /// Hashes by algorithm (`sha1`, `sha256`) of the artifact, when it is one file (jars).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub hashes: BTreeMap<String, String>,
    /// Files owned (PyPI RECORD, ...), absolute.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    /// Ecosystem-specific facts (`go:h1`, `go:replace`, `python:direct_url`, ...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, String>,
}

impl From<LangEcosystem> for PackageKind {
    fn from(e: LangEcosystem) -> Self {
        match e {
            LangEcosystem::Npm => PackageKind::Npm,
            LangEcosystem::Pypi => PackageKind::Pypi,
            LangEcosystem::Maven => PackageKind::Maven,
            LangEcosystem::Golang => PackageKind::Golang,
            LangEcosystem::Nuget => PackageKind::Nuget,
            LangEcosystem::Cargo => PackageKind::Cargo,
        }
    }
}
