//! Version ordering and range membership, per ecosystem, exactly as each package manager
//! defines it. Every comparator is tested against the upstream project's own vectors
//! (`../shared/fixtures/version-comparison/`) and property-tested for total order.

pub mod apk;
mod bytes;
pub mod comparators;
pub mod dpkg;
pub mod golang;
pub mod maven;
pub mod npm;
pub mod nuget;
pub mod pep440;
pub mod rpm;
pub mod semver;

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// A versioning scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ecosystem {
    /// Debian dpkg (`deb`).
    Deb,
    /// RPM (`rpm`): rpmvercmp over EVR.
    Rpm,
    /// Alpine apk-tools (`apk`).
    Apk,
    /// Strict SemVer 2.0.0 (`semver`; also crates.io / `cargo`).
    Semver,
    /// npm's node-semver (loose parsing, npm ranges).
    Npm,
    /// Go modules (`golang`): `v`-prefixed semver, pseudo-versions, `+incompatible`.
    Golang,
    /// PEP 440 (`pypi`).
    Pypi,
    /// Maven `ComparableVersion`.
    Maven,
    /// NuGet (SemVer 2 + 4-part, case-insensitive labels).
    Nuget,
}

impl Ecosystem {
    /// Every ecosystem, for help texts.
    pub const ALL: [Ecosystem; 9] = [
        Ecosystem::Deb,
        Ecosystem::Rpm,
        Ecosystem::Apk,
        Ecosystem::Semver,
        Ecosystem::Npm,
        Ecosystem::Golang,
        Ecosystem::Pypi,
        Ecosystem::Maven,
        Ecosystem::Nuget,
    ];

    /// Canonical short name.
    pub fn name(self) -> &'static str {
        match self {
            Ecosystem::Deb => "deb",
            Ecosystem::Rpm => "rpm",
            Ecosystem::Apk => "apk",
            Ecosystem::Semver => "semver",
            Ecosystem::Npm => "npm",
            Ecosystem::Golang => "golang",
            Ecosystem::Pypi => "pypi",
            Ecosystem::Maven => "maven",
            Ecosystem::Nuget => "nuget",
        }
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Ecosystem {
    type Err = VersionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "deb" | "debian" | "dpkg" | "ubuntu" => Ecosystem::Deb,
            "rpm" | "redhat" | "rhel" | "fedora" | "suse" => Ecosystem::Rpm,
            "apk" | "alpine" => Ecosystem::Apk,
            "semver" | "cargo" | "crates.io" => Ecosystem::Semver,
            "npm" => Ecosystem::Npm,
            "golang" | "go" => Ecosystem::Golang,
            "pypi" | "pep440" | "python" => Ecosystem::Pypi,
            "maven" => Ecosystem::Maven,
            "nuget" => Ecosystem::Nuget,
            _ => {
                return Err(VersionError::new(
                    None,
                    s,
                    "unknown ecosystem (expected deb, rpm, apk, semver, npm, golang, pypi, maven or nuget)",
                ))
            }
        })
    }
}

/// A version or range that does not parse in its ecosystem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{input:?}: {reason}", ecosystem.map(|e| format!("{e} ")).unwrap_or_default())]
pub struct VersionError {
    /// Ecosystem, when known.
    pub ecosystem: Option<Ecosystem>,
    /// The offending text (truncated to 200 characters).
    pub input: String,
    /// Why it was refused.
    pub reason: String,
}

impl VersionError {
    /// A new error.
    pub fn new(ecosystem: Option<Ecosystem>, input: &str, reason: impl Into<String>) -> Self {
        VersionError {
            ecosystem,
            input: input.chars().take(200).collect(),
            reason: reason.into(),
        }
    }
}

/// Compare two versions of `ecosystem`.
pub fn compare(ecosystem: Ecosystem, a: &str, b: &str) -> Result<Ordering, VersionError> {
    match ecosystem {
        Ecosystem::Deb => dpkg::compare(a, b),
        Ecosystem::Rpm => rpm::compare(a, b),
        Ecosystem::Apk => apk::compare(a, b),
        Ecosystem::Semver => semver::compare(a, b),
        Ecosystem::Npm => npm::compare(a, b),
        Ecosystem::Golang => golang::compare(a, b),
        Ecosystem::Pypi => pep440::compare(a, b),
        Ecosystem::Maven => maven::compare(a, b),
        Ecosystem::Nuget => nuget::compare(a, b),
    }
}

/// Whether `version` is inside `range`, written in the ecosystem's own range syntax
/// (see each module; OS ecosystems use dpkg-style comparator lists `>= 1.2-3, << 2.0`).
pub fn satisfies(ecosystem: Ecosystem, version: &str, range: &str) -> Result<bool, VersionError> {
    match ecosystem {
        Ecosystem::Deb => dpkg::satisfies(version, range),
        Ecosystem::Rpm => rpm::satisfies(version, range),
        Ecosystem::Apk => apk::satisfies(version, range),
        Ecosystem::Semver => semver::satisfies(version, range),
        Ecosystem::Npm => npm::satisfies(version, range),
        Ecosystem::Golang => golang::satisfies(version, range),
        Ecosystem::Pypi => pep440::satisfies(version, range),
        Ecosystem::Maven => maven::satisfies(version, range),
        Ecosystem::Nuget => nuget::satisfies(version, range),
    }
}
