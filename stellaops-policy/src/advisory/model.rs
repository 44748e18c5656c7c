//! The canonical advisory model every source is normalised into, with provenance per record.
//!
//! One [`Advisory`] is what one source says about one vulnerability id. Merging across
//! sources by alias happens in [`super::merge`]; conflicts are kept, not dropped.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Where a record came from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Provenance {
    /// Source kind: `osv`, `debian-tracker`, `alpine-secdb`, `csaf`.
    pub source: String,
    /// Document it was read from (file name or id inside a feed).
    pub document: String,
    /// SHA-256 of the document's bytes.
    pub document_sha256: String,
}

/// Package coordinates an advisory applies to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PackageKey {
    /// Matching ecosystem: a language ecosystem (`npm`, `pypi`, `maven`, `golang`, `nuget`,
    /// `cargo`, ...) or a distribution (`debian`, `ubuntu`, `alpine`, `redhat`, `rocky`, ...).
    pub ecosystem: String,
    /// Distribution release for distro ecosystems (`12`, `3.19`, `9`), `None` otherwise or
    /// when the record covers every release.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
    /// Normalised package name (PEP 503 for PyPI, `group:artifact` for Maven, source package
    /// name for distros).
    pub name: String,
}

/// One event of an OSV-style range.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Event {
    /// Affected from this version (`0` = from the beginning).
    Introduced(String),
    /// Fixed in this version (not affected from here on).
    Fixed(String),
    /// Last affected version (inclusive).
    LastAffected(String),
    /// Upper limit of the range (exclusive), for git ranges.
    Limit(String),
}

/// How range versions are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RangeKind {
    /// The package ecosystem's own ordering.
    Ecosystem,
    /// SemVer 2.0 ordering.
    Semver,
    /// Git commits: recorded, never matched.
    Git,
}

/// A version range with its events in source order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Range {
    /// Comparison rules.
    pub kind: RangeKind,
    /// Events in source order.
    pub events: Vec<Event>,
    /// Why this range cannot be used for matching (unparsable version, unknown ecosystem).
    /// An unusable range never matches: it is reported, not treated as "affects everything".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unusable: Option<String>,
}

/// What a source says about one package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AffectedStatus {
    /// Affected in the given ranges/versions.
    Affected,
    /// The distribution says this package is not affected.
    NotAffected,
    /// The distribution will not fix it (affected, no fix coming).
    WillNotFix,
    /// Under investigation / undetermined.
    Unknown,
}

/// One affected package entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Affected {
    /// Package coordinates.
    pub package: PackageKey,
    /// Status from the source.
    pub status: AffectedStatus,
    /// Ranges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<Range>,
    /// Explicit affected versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
    /// `ecosystem_specific` / `database_specific` and other source fields kept as-is.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// A severity rating.
#[derive(Debug, Clone, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeverityRating {
    /// `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, or a source's own scale (`debian-urgency`, ...).
    pub kind: String,
    /// Vector or label as the source wrote it.
    pub value: String,
    /// Base score computed from the vector, when it is a CVSS vector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

/// What one source says about one vulnerability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Advisory {
    /// The source's id (`GHSA-...`, `GO-...`, `CVE-...`, `DSA-...`, `RHSA-...`).
    pub id: String,
    /// Other ids for the same vulnerability, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// One-line summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Published time (RFC 3339) as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Modified time (RFC 3339) as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// Withdrawn time, if the source withdrew it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    /// Severity ratings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<SeverityRating>,
    /// Affected packages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub affected: Vec<Affected>,
    /// Reference URLs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    /// Where this record came from.
    pub provenance: Provenance,
}

impl Advisory {
    /// Every id of this record: its own and its aliases.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// KEV catalog entry (CISA Known Exploited Vulnerabilities).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KevEntry {
    /// CVE id.
    pub cve: String,
    /// Date added to the catalog.
    pub date_added: String,
    /// Remediation due date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<String>,
    /// `Known` when used in ransomware campaigns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_ransomware: Option<String>,
}

/// EPSS score of a CVE.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EpssScore {
    /// CVE id.
    pub cve: String,
    /// Probability of exploitation in the next 30 days (0..1).
    pub epss: f64,
    /// Percentile (0..1).
    pub percentile: f64,
}
