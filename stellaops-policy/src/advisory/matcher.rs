//! Matching components (by purl) against a snapshot.
//!
//! - OS packages match by distribution + release + *source* package (dpkg `Source`, rpm
//!   source rpm or binary name, apk origin) against that distribution's own fix data, so a
//!   backported `1.2-3+deb12u1` is fixed when the distribution says so, whatever upstream's
//!   range. A distribution's "not affected" / "will not fix" is reported with that state.
//! - Language packages match by ecosystem + normalised name, in the ecosystem's ordering.
//! - No CPE or name guessing. A component whose ecosystem (and release) has no data at all in
//!   the snapshot is reported as such, never silently clean.
//! - Precedence when several sources speak about one package: distribution sources
//!   (debian-tracker, alpine-secdb, csaf) before OSV; disagreements are listed in the finding.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::str::FromStr;

use serde::Serialize;

use super::ecosystems::{
    distro_key, distro_release, from_purl_type, normalize_name, version_scheme,
};
use super::merge::{merge, Vulnerability};
use super::model::{
    Advisory, Affected, AffectedStatus, EpssScore, Event, KevEntry, Range, RangeKind,
};
use super::snapshot::Snapshot;
use crate::version::{self, Ecosystem};

/// A component to match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentRef {
    /// bom-ref (or SPDX id) in the SBOM.
    pub reference: String,
    /// Package URL.
    pub purl: String,
    /// Layer digest that introduced it, when known.
    pub layer_digest: Option<String>,
}

/// Severity of a finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FindingSeverity {
    /// `critical`, `high`, `medium`, `low`, `none` or `unknown`.
    pub label: String,
    /// Highest CVSS base score any source gives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// The vector (or label) it came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vector: Option<String>,
}

/// One vulnerability affecting (or explicitly not affecting) one component.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// Primary vulnerability id (CVE when there is one).
    pub id: String,
    /// Every other id (GHSA, distro ids, ...).
    pub aliases: Vec<String>,
    /// `affected`, `will-not-fix`, `not-affected` or `under-investigation`.
    pub status: String,
    /// Component purl.
    pub purl: String,
    /// Component reference in the SBOM.
    pub component: String,
    /// Layer that introduced the component.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer_digest: Option<String>,
    /// Package name the advisory is keyed by (the source package for OS packages).
    pub matched_package: String,
    /// Version compared.
    pub installed_version: String,
    /// The range that matched, e.g. `debian:12 ECOSYSTEM introduced 0, fixed 1.2-3`.
    pub matched_range: String,
    /// Why it matched (or did not), for a person.
    pub reason: String,
    /// First fixed version, if the deciding source gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed_version: Option<String>,
    /// Severity.
    pub severity: FindingSeverity,
    /// KEV entry, when the CVE is known exploited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kev: Option<KevEntry>,
    /// EPSS score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub epss: Option<EpssScore>,
    /// `source:document` of the deciding record.
    pub decided_by: String,
    /// Other sources with a different verdict (kept, not dropped).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<String>,
    /// The snapshot this was matched against.
    pub snapshot_hash: String,
}

/// A component that could not be judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NoData {
    /// Component purl.
    pub purl: String,
    /// Component reference.
    pub component: String,
    /// Why.
    pub reason: String,
}

/// Result of matching an SBOM.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MatchReport {
    /// `concelierSnapshotHash` of the snapshot used.
    pub snapshot_hash: String,
    /// Components examined.
    pub components: usize,
    /// Affected / will-not-fix / under-investigation findings, sorted.
    pub findings: Vec<Finding>,
    /// Findings a distribution marks not affected.
    pub not_affected: Vec<Finding>,
    /// Components with no advisory data for their ecosystem or release.
    pub no_data: Vec<NoData>,
}

type Key = (String, Option<String>, String);

/// An index over a snapshot, built once and reused for many SBOMs.
pub struct Matcher<'s> {
    snapshot: &'s Snapshot,
    hash: String,
    records: Vec<&'s Advisory>,
    vulns: Vec<Vulnerability>,
    vulns_of_record: Vec<Vec<usize>>,
    index: HashMap<Key, Vec<(usize, usize)>>,
    covered: HashSet<(String, Option<String>)>,
}

/// What a component's purl says, for matching.
#[derive(Debug, Clone)]
struct Query {
    ecosystem: String,
    release: Option<String>,
    names: Vec<String>,
    version: String,
    scheme: Ecosystem,
}

impl<'s> Matcher<'s> {
    /// Index `snapshot`.
    pub fn new(snapshot: &'s Snapshot) -> Self {
        let records: Vec<&Advisory> = snapshot.advisories().collect();
        let vulns = merge_refs(&records);
        let mut vulns_of_record = vec![Vec::new(); records.len()];
        for (vi, v) in vulns.iter().enumerate() {
            for &r in &v.records {
                vulns_of_record[r].push(vi);
            }
        }
        let mut index: HashMap<Key, Vec<(usize, usize)>> = HashMap::new();
        let mut covered = HashSet::new();
        for (ri, adv) in records.iter().enumerate() {
            for (ai, a) in adv.affected.iter().enumerate() {
                let p = &a.package;
                covered.insert((p.ecosystem.clone(), p.release.clone()));
                index
                    .entry((p.ecosystem.clone(), p.release.clone(), p.name.clone()))
                    .or_default()
                    .push((ri, ai));
            }
        }
        Matcher {
            snapshot,
            hash: snapshot.hash(),
            records,
            vulns,
            vulns_of_record,
            index,
            covered,
        }
    }

    /// The snapshot hash.
    pub fn snapshot_hash(&self) -> &str {
        &self.hash
    }

    /// Match components.
    pub fn match_components(&self, components: &[ComponentRef]) -> MatchReport {
        let mut report = MatchReport {
            snapshot_hash: self.hash.clone(),
            components: components.len(),
            findings: Vec::new(),
            not_affected: Vec::new(),
            no_data: Vec::new(),
        };
        for c in components {
            let query = match query(&c.purl) {
                Ok(q) => q,
                Err(reason) => {
                    report.no_data.push(NoData {
                        purl: c.purl.clone(),
                        component: c.reference.clone(),
                        reason,
                    });
                    continue;
                }
            };
            let release_covered = self
                .covered
                .contains(&(query.ecosystem.clone(), query.release.clone()))
                || self.covered.contains(&(query.ecosystem.clone(), None));
            if !release_covered {
                report.no_data.push(NoData {
                    purl: c.purl.clone(),
                    component: c.reference.clone(),
                    reason: match &query.release {
                        Some(r) => format!("no advisory data for {} {r}", query.ecosystem),
                        None => format!("no advisory data for ecosystem {}", query.ecosystem),
                    },
                });
                continue;
            }
            if let Err(e) = version::compare(query.scheme, &query.version, &query.version) {
                report.no_data.push(NoData {
                    purl: c.purl.clone(),
                    component: c.reference.clone(),
                    reason: format!("installed version cannot be compared: {e}"),
                });
                continue;
            }
            self.match_one(c, &query, &mut report);
        }
        let order = |f: &Finding| (f.purl.clone(), f.id.clone());
        report.findings.sort_by_key(order);
        report.not_affected.sort_by_key(order);
        report
    }

    fn match_one(&self, c: &ComponentRef, q: &Query, report: &mut MatchReport) {
        // Candidate (record, affected) pairs grouped by vulnerability.
        let mut by_vuln: BTreeMap<usize, Vec<(usize, usize, &str)>> = BTreeMap::new();
        for name in &q.names {
            for release in [q.release.clone(), None] {
                let key = (q.ecosystem.clone(), release, name.clone());
                if let Some(list) = self.index.get(&key) {
                    for &(ri, ai) in list {
                        for &vi in &self.vulns_of_record[ri] {
                            by_vuln.entry(vi).or_default().push((ri, ai, name));
                        }
                    }
                }
                if q.release.is_none() {
                    break;
                }
            }
        }
        for (vi, mut candidates) in by_vuln {
            candidates.sort_by_key(|&(ri, ai, _)| {
                (source_rank(&self.records[ri].provenance.source), ri, ai)
            });
            candidates.dedup_by_key(|&mut (ri, ai, _)| (ri, ai));
            let verdicts: Vec<(usize, &str, Verdict)> = candidates
                .iter()
                .map(|&(ri, ai, name)| (ri, name, evaluate(&self.records[ri].affected[ai], q)))
                .collect();
            // The highest-precedence source that has an opinion decides.
            let best_rank = verdicts
                .iter()
                .filter(|(_, _, v)| !matches!(v, Verdict::Unusable(_)))
                .map(|(ri, _, _)| source_rank(&self.records[*ri].provenance.source))
                .min();
            let Some(best_rank) = best_rank else { continue };
            let deciding: Vec<&(usize, &str, Verdict)> = verdicts
                .iter()
                .filter(|(ri, _, v)| {
                    source_rank(&self.records[*ri].provenance.source) == best_rank
                        && !matches!(v, Verdict::Unusable(_))
                })
                .collect();
            // Within the deciding source, an affected verdict wins over fixed.
            let Some(&&(ri, name, ref verdict)) = deciding
                .iter()
                .find(|(_, _, v)| {
                    matches!(v, Verdict::Affected { .. } | Verdict::WillNotFix { .. })
                })
                .or_else(|| deciding.first())
            else {
                continue;
            };
            let status = match verdict {
                Verdict::Affected { .. } => "affected",
                Verdict::WillNotFix { .. } => "will-not-fix",
                Verdict::NotAffected(_) => "not-affected",
                Verdict::Unknown(_) => "under-investigation",
                Verdict::Fixed { .. } | Verdict::NotInRange | Verdict::Unusable(_) => {
                    continue;
                }
            };
            let conflicts: Vec<String> = verdicts
                .iter()
                .filter(|(r, _, v)| {
                    *r != ri
                        && v.affects() != verdict.affects()
                        && !matches!(v, Verdict::Unusable(_))
                })
                .map(|(r, _, v)| {
                    format!(
                        "{}:{} says {}",
                        self.records[*r].provenance.source,
                        self.records[*r].id,
                        v.describe()
                    )
                })
                .collect();
            let vuln = &self.vulns[vi];
            let record = self.records[ri];
            let finding = Finding {
                id: vuln.id.clone(),
                aliases: vuln.aliases.clone(),
                status: status.to_owned(),
                purl: c.purl.clone(),
                component: c.reference.clone(),
                layer_digest: c.layer_digest.clone(),
                matched_package: name.to_owned(),
                installed_version: q.version.clone(),
                matched_range: verdict.range(),
                reason: verdict.describe(),
                fixed_version: verdict.fixed(),
                severity: self.severity(vuln),
                kev: self.kev(vuln),
                epss: self.epss(vuln),
                decided_by: format!(
                    "{}:{}",
                    record.provenance.source, record.provenance.document
                ),
                conflicts,
                snapshot_hash: self.hash.clone(),
            };
            if status == "not-affected" {
                report.not_affected.push(finding);
            } else {
                report.findings.push(finding);
            }
        }
    }

    fn severity(&self, vuln: &Vulnerability) -> FindingSeverity {
        let mut best: Option<(f64, String)> = None;
        let mut label: Option<String> = None;
        for &ri in &vuln.records {
            for s in &self.records[ri].severity {
                if let Some(score) = s.score {
                    if best.as_ref().is_none_or(|(b, _)| score > *b) {
                        best = Some((score, s.value.clone()));
                    }
                } else if label.is_none() {
                    label = Some(s.value.to_lowercase());
                }
            }
        }
        match best {
            Some((score, vector)) => FindingSeverity {
                label: score_label(score).to_owned(),
                score: Some(score),
                vector: Some(vector),
            },
            None => FindingSeverity {
                label: label.map_or_else(|| "unknown".to_owned(), |l| normalize_label(&l)),
                score: None,
                vector: None,
            },
        }
    }

    fn kev(&self, vuln: &Vulnerability) -> Option<KevEntry> {
        std::iter::once(&vuln.id)
            .chain(&vuln.aliases)
            .find_map(|id| self.snapshot.kev(id).cloned())
    }

    fn epss(&self, vuln: &Vulnerability) -> Option<EpssScore> {
        std::iter::once(&vuln.id)
            .chain(&vuln.aliases)
            .find_map(|id| self.snapshot.epss(id).cloned())
    }
}

fn merge_refs(records: &[&Advisory]) -> Vec<Vulnerability> {
    // `merge` works on a slice of owned records; clone only the ids it needs.
    let light: Vec<Advisory> = records
        .iter()
        .map(|a| Advisory {
            id: a.id.clone(),
            aliases: a.aliases.clone(),
            summary: None,
            published: None,
            modified: None,
            withdrawn: None,
            severity: Vec::new(),
            affected: Vec::new(),
            references: Vec::new(),
            provenance: a.provenance.clone(),
        })
        .collect();
    merge(&light)
}

/// Lower is stronger.
fn source_rank(source: &str) -> u8 {
    match source {
        "debian-tracker" | "alpine-secdb" | "csaf" => 0,
        _ => 1,
    }
}

/// Severity label of a CVSS base score (CVSS v3/v4 bands).
pub fn score_label(score: f64) -> &'static str {
    if score >= 9.0 {
        "critical"
    } else if score >= 7.0 {
        "high"
    } else if score >= 4.0 {
        "medium"
    } else if score > 0.0 {
        "low"
    } else {
        "none"
    }
}

fn normalize_label(label: &str) -> String {
    match label {
        "critical" | "high" | "medium" | "low" | "none" => label.to_owned(),
        "moderate" => "medium".to_owned(),
        "important" => "high".to_owned(),
        "unimportant" | "negligible" => "low".to_owned(),
        _ => "unknown".to_owned(),
    }
}

/// Rank of a severity label for `--fail-on`.
pub fn label_rank(label: &str) -> u8 {
    match label {
        "critical" => 5,
        "high" => 4,
        "medium" => 3,
        "low" => 2,
        "none" => 1,
        _ => 0,
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Verdict {
    Affected {
        range: String,
        fixed: Option<String>,
    },
    WillNotFix {
        range: String,
    },
    Fixed {
        range: String,
        fixed: String,
    },
    NotAffected(String),
    Unknown(String),
    NotInRange,
    Unusable(String),
}

impl Verdict {
    fn affects(&self) -> bool {
        matches!(self, Verdict::Affected { .. } | Verdict::WillNotFix { .. })
    }

    fn range(&self) -> String {
        match self {
            Verdict::Affected { range, .. }
            | Verdict::WillNotFix { range }
            | Verdict::Fixed { range, .. } => range.clone(),
            _ => String::new(),
        }
    }

    fn fixed(&self) -> Option<String> {
        match self {
            Verdict::Affected { fixed, .. } => fixed.clone(),
            Verdict::Fixed { fixed, .. } => Some(fixed.clone()),
            _ => None,
        }
    }

    fn describe(&self) -> String {
        match self {
            Verdict::Affected {
                range,
                fixed: Some(f),
            } => format!("installed version is in {range}; fixed in {f}"),
            Verdict::Affected { range, fixed: None } => {
                format!("installed version is in {range}; no fix available")
            }
            Verdict::WillNotFix { range } => {
                format!("the distribution will not fix this ({range})")
            }
            Verdict::Fixed { fixed, .. } => format!("fixed in {fixed}"),
            Verdict::NotAffected(why) => format!("not affected: {why}"),
            Verdict::Unknown(why) => format!("under investigation: {why}"),
            Verdict::NotInRange => "installed version outside every affected range".to_owned(),
            Verdict::Unusable(why) => format!("unusable data: {why}"),
        }
    }
}

fn describe_key(a: &Affected) -> String {
    match &a.package.release {
        Some(r) => format!("{}:{r}", a.package.ecosystem),
        None => a.package.ecosystem.clone(),
    }
}

fn evaluate(a: &Affected, q: &Query) -> Verdict {
    let key = describe_key(a);
    match a.status {
        AffectedStatus::NotAffected => {
            return Verdict::NotAffected(format!("{key} marks {} not affected", a.package.name))
        }
        AffectedStatus::Unknown => {
            return Verdict::Unknown(format!("{key} has not determined the status"))
        }
        AffectedStatus::Affected | AffectedStatus::WillNotFix => {}
    }
    let mut hit: Option<(String, Option<String>)> = None;
    let mut fixed_above: Option<String> = None;
    let mut unusable = None;
    for r in &a.ranges {
        if r.kind == RangeKind::Git {
            continue;
        }
        if let Some(why) = &r.unusable {
            unusable = Some(why.clone());
            continue;
        }
        // OSV SEMVER ranges are semver without the `v`; Go's own ordering accepts both forms,
        // and npm's ordering is semver's.
        let scheme = match (r.kind, q.scheme) {
            (RangeKind::Semver, Ecosystem::Golang | Ecosystem::Npm) => q.scheme,
            (RangeKind::Semver, _) => Ecosystem::Semver,
            _ => q.scheme,
        };
        match in_range(r, &q.version, scheme) {
            Ok(RangeResult::In { fixed }) => {
                hit = Some((
                    format!("{key} {} {}", kind_name(r.kind), events_text(&r.events)),
                    fixed,
                ));
                break;
            }
            Ok(RangeResult::FixedAt(f)) => fixed_above = Some(f),
            Ok(RangeResult::Out) => {}
            Err(why) => unusable = Some(why),
        }
    }
    if hit.is_none() {
        for v in &a.versions {
            if version::compare(q.scheme, &q.version, v) == Ok(Ordering::Equal) {
                hit = Some((format!("{key} versions list contains {v}"), None));
                break;
            }
        }
    }
    match hit {
        Some((range, _)) if a.status == AffectedStatus::WillNotFix => Verdict::WillNotFix { range },
        Some((range, fixed)) => Verdict::Affected { range, fixed },
        None if a.ranges.is_empty()
            && a.versions.is_empty()
            && a.status == AffectedStatus::WillNotFix =>
        {
            Verdict::WillNotFix {
                range: format!("{key} all versions"),
            }
        }
        None => match (fixed_above, unusable) {
            (Some(f), _) => Verdict::Fixed {
                range: key,
                fixed: f,
            },
            (None, Some(why)) => Verdict::Unusable(why),
            (None, None) => Verdict::NotInRange,
        },
    }
}

fn kind_name(kind: RangeKind) -> &'static str {
    match kind {
        RangeKind::Ecosystem => "ECOSYSTEM",
        RangeKind::Semver => "SEMVER",
        RangeKind::Git => "GIT",
    }
}

fn events_text(events: &[Event]) -> String {
    events
        .iter()
        .map(|e| match e {
            Event::Introduced(v) => format!("introduced {v}"),
            Event::Fixed(v) => format!("fixed {v}"),
            Event::LastAffected(v) => format!("last_affected {v}"),
            Event::Limit(v) => format!("limit {v}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

enum RangeResult {
    In { fixed: Option<String> },
    FixedAt(String),
    Out,
}

/// OSV range evaluation: events sorted by version ("0" first); introduced turns affected on,
/// fixed (at or below the version) and last_affected (below it) turn it off.
fn in_range(range: &Range, version: &str, scheme: Ecosystem) -> Result<RangeResult, String> {
    let cmp = |a: &str, b: &str| version::compare(scheme, a, b).map_err(|e| e.to_string());
    let mut events: Vec<&Event> = range
        .events
        .iter()
        .filter(|e| !matches!(e, Event::Limit(_)))
        .collect();
    let ev_version = |e: &Event| -> String {
        match e {
            Event::Introduced(v) | Event::Fixed(v) | Event::LastAffected(v) | Event::Limit(v) => {
                v.clone()
            }
        }
    };
    // Sort by version, with introduced "0" lowest.
    let mut err = None;
    events.sort_by(|a, b| {
        let (va, vb) = (ev_version(a), ev_version(b));
        match (va.as_str(), vb.as_str()) {
            ("0", "0") => Ordering::Equal,
            ("0", _) => Ordering::Less,
            (_, "0") => Ordering::Greater,
            _ => cmp(&va, &vb).unwrap_or_else(|e| {
                err = Some(e);
                Ordering::Equal
            }),
        }
    });
    if let Some(e) = err {
        return Err(e);
    }
    let mut affected = false;
    let mut next_fixed = None;
    let mut last_fixed_below = None;
    for e in events {
        match e {
            Event::Introduced(v) => {
                if v == "0" || cmp(version, v)? != Ordering::Less {
                    affected = true;
                }
            }
            Event::Fixed(v) => {
                if cmp(version, v)? != Ordering::Less {
                    affected = false;
                    last_fixed_below = Some(v.clone());
                } else if affected && next_fixed.is_none() {
                    next_fixed = Some(v.clone());
                }
            }
            Event::LastAffected(v) => {
                if cmp(version, v)? == Ordering::Greater {
                    affected = false;
                }
            }
            Event::Limit(_) => {}
        }
    }
    Ok(if affected {
        RangeResult::In { fixed: next_fixed }
    } else if let Some(f) = last_fixed_below {
        RangeResult::FixedAt(f)
    } else {
        RangeResult::Out
    })
}

fn query(purl: &str) -> Result<Query, String> {
    let p = packageurl::PackageUrl::from_str(purl).map_err(|e| format!("not a valid purl: {e}"))?;
    let version = p.version().ok_or("purl has no version")?.to_owned();
    let qual = |k: &str| {
        p.qualifiers()
            .iter()
            .find(|(qk, _)| qk.as_ref() == k)
            .map(|(_, v)| v.to_string())
    };
    match p.ty() {
        "deb" | "apk" | "rpm" => {
            let (id, ver) = match qual("distro") {
                Some(d) => match d.split_once('-') {
                    Some((id, v)) => (id.to_owned(), Some(v.to_owned())),
                    None => (d.clone(), None),
                },
                None => (p.namespace().unwrap_or_default().to_owned(), None),
            };
            let ecosystem = distro_key(&id).to_owned();
            let scheme = version_scheme(&ecosystem)
                .ok_or_else(|| format!("unsupported distribution {id:?}"))?;
            let release = ver.map(|v| distro_release(&id, &v));
            let upstream = qual("upstream");
            let mut names = Vec::new();
            let mut compare_version = version.clone();
            match p.ty() {
                "rpm" => {
                    names.push(p.name().to_owned());
                    if let Some(src) = upstream.as_deref().and_then(rpm_source_name) {
                        if src != p.name() {
                            names.push(src);
                        }
                    }
                    if let Some(epoch) = qual("epoch") {
                        compare_version = format!("{epoch}:{version}");
                    }
                }
                _ => match upstream {
                    Some(u) => match u.split_once('@') {
                        Some((n, v)) => {
                            names.push(n.to_owned());
                            compare_version = v.to_owned();
                        }
                        None => names.push(u),
                    },
                    None => names.push(p.name().to_owned()),
                },
            }
            Ok(Query {
                ecosystem,
                release,
                names,
                version: compare_version,
                scheme,
            })
        }
        other => {
            let ecosystem = from_purl_type(other)
                .ok_or_else(|| format!("unsupported package type {other:?}"))?;
            let scheme = version_scheme(ecosystem)
                .ok_or_else(|| format!("no version rules for {other:?}"))?;
            let full = match p.namespace() {
                Some(ns) if ecosystem == "maven" => format!("{ns}:{}", p.name()),
                Some(ns) => format!("{ns}/{}", p.name()),
                None => p.name().to_owned(),
            };
            Ok(Query {
                ecosystem: ecosystem.to_owned(),
                release: None,
                names: vec![normalize_name(ecosystem, &full)],
                version,
                scheme,
            })
        }
    }
}

/// `openssl-3.0.7-18.el9_2.src.rpm` -> `openssl`.
fn rpm_source_name(file: &str) -> Option<String> {
    let base = file
        .strip_suffix(".src.rpm")
        .or_else(|| file.strip_suffix(".nosrc.rpm"))
        .unwrap_or(file);
    let (rest, _release) = base.rsplit_once('-')?;
    let (name, _version) = rest.rsplit_once('-')?;
    Some(name.to_owned())
}
