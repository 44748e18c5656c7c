//! Merging records from several sources into vulnerabilities, by alias.
//!
//! Two records belong to the same vulnerability when they share any id (own id or alias),
//! transitively (CVE ⇄ GHSA ⇄ distro ids). Nothing is dropped: a merged vulnerability keeps
//! every record, so conflicting fix data stays visible. Which record decides for a package is
//! the matcher's precedence rule (distribution data first for distribution packages).
//!
//! A record naming two or more CVE ids (a distribution advisory such as a DSA or an RHSA
//! bundling several CVEs) does not join those CVEs into one vulnerability: it is attached to
//! the vulnerability of each CVE it names instead.

use std::collections::{BTreeMap, BTreeSet};

use super::model::Advisory;

/// Records that describe one vulnerability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vulnerability {
    /// Primary id: the smallest CVE id, else the smallest GHSA id, else the smallest id.
    pub id: String,
    /// Every other id of the group, sorted.
    pub aliases: Vec<String>,
    /// Indices of the records in the snapshot's advisory list (a bundle record can appear
    /// in several vulnerabilities).
    pub records: Vec<usize>,
}

/// Group `advisories` into vulnerabilities. Output sorted by primary id.
pub fn merge(advisories: &[Advisory]) -> Vec<Vulnerability> {
    let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
    let mut parent: Vec<usize> = Vec::new();
    // Pass 1: one node per id; union the ids of every non-bundle record.
    let is_bundle = |adv: &Advisory| adv.ids().filter(|i| i.starts_with("CVE-")).count() >= 2;
    for adv in advisories {
        let bundle = is_bundle(adv);
        let mut first = None;
        for id in adv.ids() {
            let n = match ids.get(id) {
                Some(&n) => n,
                None => {
                    let n = parent.len();
                    parent.push(n);
                    ids.insert(id, n);
                    n
                }
            };
            if bundle {
                continue;
            }
            match first {
                None => first = Some(n),
                Some(f) => union(&mut parent, f, n),
            }
        }
    }
    // Pass 2: a bundle's non-CVE ids (its own DSA/RHSA id) join nothing; the bundle record
    // is attached to each CVE group it names.
    let mut groups: BTreeMap<usize, (BTreeSet<&str>, BTreeSet<usize>)> = BTreeMap::new();
    for (i, adv) in advisories.iter().enumerate() {
        let targets: Vec<&str> = if is_bundle(adv) {
            adv.ids().filter(|id| id.starts_with("CVE-")).collect()
        } else {
            adv.ids().take(1).collect()
        };
        for id in targets {
            if let Some(&n) = ids.get(id) {
                let root = find(&mut parent, n);
                groups.entry(root).or_default().1.insert(i);
            }
        }
    }
    for (id, &n) in &ids {
        let root = find(&mut parent, n);
        if let Some(g) = groups.get_mut(&root) {
            g.0.insert(id);
        }
    }
    // Bundle ids that are in no group of their own (the DSA id) are listed as aliases of
    // every group the bundle joined.
    for (i, adv) in advisories.iter().enumerate() {
        if !is_bundle(adv) {
            continue;
        }
        for g in groups.values_mut() {
            if g.1.contains(&i) {
                g.0.extend(adv.ids().filter(|id| !id.starts_with("CVE-")));
            }
        }
    }
    let mut out: Vec<Vulnerability> = groups
        .into_values()
        .map(|(all, records)| {
            let id = primary(&all);
            let aliases = all
                .into_iter()
                .filter(|a| *a != id)
                .map(str::to_owned)
                .collect();
            Vulnerability {
                id,
                aliases,
                records: records.into_iter().collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

fn primary(ids: &BTreeSet<&str>) -> String {
    ids.iter()
        .find(|i| i.starts_with("CVE-"))
        .or_else(|| ids.iter().find(|i| i.starts_with("GHSA-")))
        .or_else(|| ids.iter().next())
        .map(|s| (*s).to_owned())
        .unwrap_or_default()
}

fn find(parent: &mut [usize], mut n: usize) -> usize {
    while parent[n] != n {
        parent[n] = parent[parent[n]];
        n = parent[n];
    }
    n
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisory::model::Provenance;

    fn adv(id: &str, aliases: &[&str]) -> Advisory {
        Advisory {
            id: id.into(),
            aliases: aliases.iter().map(|s| (*s).to_owned()).collect(),
            summary: None,
            published: None,
            modified: None,
            withdrawn: None,
            severity: vec![],
            affected: vec![],
            references: vec![],
            provenance: Provenance {
                source: "osv".into(),
                document: id.into(),
                document_sha256: String::new(),
            },
        }
    }

    #[test]
    fn merges_transitively_by_alias() {
        let list = vec![
            adv("GHSA-aaaa", &["CVE-2024-1"]),
            adv("DSA-1", &["CVE-2024-1"]),
            adv("PYSEC-9", &["GHSA-aaaa"]),
            adv("GO-2024-2", &[]),
        ];
        let merged = merge(&list);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].id, "CVE-2024-1");
        assert_eq!(merged[0].aliases, vec!["DSA-1", "GHSA-aaaa", "PYSEC-9"]);
        assert_eq!(merged[0].records, vec![0, 1, 2]);
        assert_eq!(merged[1].id, "GO-2024-2");
    }

    #[test]
    fn bundles_attach_to_each_cve_without_fusing_them() {
        let list = vec![
            adv("DSA-5000-1", &["CVE-2024-1", "CVE-2024-2"]),
            adv("GHSA-bbbb", &["CVE-2024-2"]),
        ];
        let merged = merge(&list);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].id, "CVE-2024-1");
        assert_eq!(merged[0].aliases, vec!["DSA-5000-1"]);
        assert_eq!(merged[0].records, vec![0]);
        assert_eq!(merged[1].id, "CVE-2024-2");
        assert_eq!(merged[1].aliases, vec!["DSA-5000-1", "GHSA-bbbb"]);
        assert_eq!(merged[1].records, vec![0, 1]);
    }
}
