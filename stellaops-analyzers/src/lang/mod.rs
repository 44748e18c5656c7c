//! Language packages: what is installed (package metadata on disk, build info embedded in
//! binaries) and, for `dir:` scans of source trees, what lockfiles declare.
//!
//! Each parser takes the bytes of one file (or one archive) and returns [`LangScan`]. Nothing
//! is guessed from file names unless nothing else exists, and then it is marked
//! [`Confidence::Low`]. These parsers are not yet wired into the layer scan (issue 3).

pub mod dotnet;
pub mod golang;
pub mod java;
pub mod node;
pub mod python;
pub mod rust;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use stellaops_core::{Diagnostic, License};

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Evidence {
    /// Installed metadata (node_modules package.json, dist-info, jar manifests, binary build info).
    Installed,
    /// A lockfile or manifest of a source tree: declared, maybe not installed.
    Declared,
}

/// How sure the fact is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// From package metadata or build info.
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

/// Result of parsing one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LangScan {
    /// Packages found.
    pub packages: Vec<LangPackage>,
    /// Problems, naming the path.
    pub diagnostics: Vec<Diagnostic>,
}

/// Build the canonical purl for a language package.
pub fn purl(
    ecosystem: LangEcosystem,
    namespace: Option<&str>,
    name: &str,
    version: &str,
    qualifiers: &[(&str, &str)],
) -> String {
    let build = || -> Result<String, packageurl::Error> {
        let pname = if ecosystem == LangEcosystem::Pypi {
            pep503(name)
        } else {
            name.to_owned()
        };
        let mut p = packageurl::PackageUrl::new(ecosystem.purl_type(), pname)?;
        if let Some(ns) = namespace.filter(|n| !n.is_empty()) {
            p.with_namespace(ns.to_owned())?;
        }
        if !version.is_empty() {
            p.with_version(version.to_owned())?;
        }
        for (k, v) in qualifiers {
            p.add_qualifier(k.to_string(), v.to_string())?;
        }
        Ok(p.to_string())
    };
    build().unwrap_or_else(|_| format!("pkg:{}/{name}@{version}", ecosystem.purl_type()))
}

/// PEP 503 normalisation: lowercase, runs of `-`, `_`, `.` become `-`.
pub fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for ch in name.trim().chars() {
        if matches!(ch, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.extend(ch.to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purls_per_spec() {
        assert_eq!(
            purl(LangEcosystem::Npm, Some("@babel"), "core", "7.24.0", &[]),
            "pkg:npm/%40babel/core@7.24.0"
        );
        assert_eq!(
            purl(
                LangEcosystem::Pypi,
                None,
                "Django_REST.framework",
                "3.15.1",
                &[]
            ),
            "pkg:pypi/django-rest-framework@3.15.1"
        );
        assert_eq!(
            purl(
                LangEcosystem::Maven,
                Some("org.apache.logging.log4j"),
                "log4j-core",
                "2.17.1",
                &[]
            ),
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1"
        );
        assert_eq!(
            purl(
                LangEcosystem::Golang,
                Some("github.com/gin-gonic"),
                "gin",
                "v1.9.1",
                &[]
            ),
            "pkg:golang/github.com/gin-gonic/gin@v1.9.1"
        );
    }
}
