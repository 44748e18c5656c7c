//! Score proofs: the scan manifest (what went in) and the proof ledger (how the score came
//! out), both hashed over RFC 8785 canonical JSON so anyone can recompute them.
//!
//! The ledger is a DAG of [`ProofNode`]s: `Input` nodes hold the recorded facts (one per
//! finding), `Transform` nodes apply a rule (KEV, EPSS weighting), `Score` nodes total a
//! finding, and one final `Score` node totals the scan. Each node's id is the SHA-256 of its
//! canonical content (kind, rule, parents, evidence, delta, total), so changing any input
//! changes every id above it. The root hash is the SHA-256 of the canonical list of leaf
//! ids (nodes nothing points to), sorted.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::canonical;

/// What a scan was run on and with: everything replay needs to know it is replaying the same
/// thing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScanManifest {
    /// Identifier of this scan (content-derived by the producer).
    pub scan_id: String,
    /// Digest of the scanned artifact (image manifest digest, or SBOM digest).
    pub artifact_digest: String,
    /// purl or reference of the artifact, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_purl: Option<String>,
    /// `stella/<version>`.
    pub scanner_version: String,
    /// `concelierSnapshotHash` of the advisory snapshot used.
    pub concelier_snapshot_hash: String,
    /// Hash of the VEX snapshot used, when VEX was applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excititor_snapshot_hash: Option<String>,
    /// Hash of the policy used, when one was applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_hash: Option<String>,
    /// Seed of any randomised step (none today; recorded for replay).
    pub seed: String,
    /// Scoring knobs, by name.
    pub knobs: std::collections::BTreeMap<String, f64>,
}

impl ScanManifest {
    /// `sha256:<hex>` of the canonical manifest.
    pub fn digest(&self) -> Result<String, canonical::CanonicalError> {
        canonical::digest(self)
    }
}

/// Kind of a ledger node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ProofKind {
    /// A recorded input fact.
    Input,
    /// A rule applied to inputs.
    Transform,
    /// A change between two states.
    Delta,
    /// A total.
    Score,
}

/// One node of the proof ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProofNode {
    /// `sha256:<hex>` of the canonical node content (everything below).
    pub id: String,
    /// Kind.
    pub kind: ProofKind,
    /// Rule that produced it (`input.finding`, `transform.kev`, `score.finding`, ...).
    pub rule_id: String,
    /// Parent node ids, in order.
    pub parent_ids: Vec<String>,
    /// Evidence references (finding ids, purls, vectors).
    pub evidence_refs: Vec<String>,
    /// What this node adds.
    pub delta: f64,
    /// Running total at this node.
    pub total: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NodeContent<'a> {
    kind: ProofKind,
    rule_id: &'a str,
    parent_ids: &'a [String],
    evidence_refs: &'a [String],
    delta: f64,
    total: f64,
}

/// Why a ledger is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// A node's id is not the hash of its content.
    #[error("node {0}: id does not match its content")]
    BadId(String),
    /// A parent id names no earlier node.
    #[error("node {node}: unknown parent {parent}")]
    UnknownParent {
        /// The node.
        node: String,
        /// The missing parent.
        parent: String,
    },
    /// A value cannot be canonicalized.
    #[error(transparent)]
    Canonical(#[from] canonical::CanonicalError),
}

/// The proof ledger: nodes in creation order (parents before children).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProofLedger {
    /// Nodes.
    pub nodes: Vec<ProofNode>,
}

/// Round to 6 decimals so totals are stable text in every implementation.
fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

impl ProofLedger {
    /// Add a node; returns its id.
    pub fn add(
        &mut self,
        kind: ProofKind,
        rule_id: &str,
        parent_ids: Vec<String>,
        evidence_refs: Vec<String>,
        delta: f64,
        total: f64,
    ) -> Result<String, ProofError> {
        let (delta, total) = (round(delta), round(total));
        let id = canonical::digest(&NodeContent {
            kind,
            rule_id,
            parent_ids: &parent_ids,
            evidence_refs: &evidence_refs,
            delta,
            total,
        })?;
        self.nodes.push(ProofNode {
            id: id.clone(),
            kind,
            rule_id: rule_id.to_owned(),
            parent_ids,
            evidence_refs,
            delta,
            total,
        });
        Ok(id)
    }

    /// Check every id and parent link.
    pub fn verify(&self) -> Result<(), ProofError> {
        let mut seen = BTreeSet::new();
        for n in &self.nodes {
            let id = canonical::digest(&NodeContent {
                kind: n.kind,
                rule_id: &n.rule_id,
                parent_ids: &n.parent_ids,
                evidence_refs: &n.evidence_refs,
                delta: n.delta,
                total: n.total,
            })?;
            if id != n.id {
                return Err(ProofError::BadId(n.id.clone()));
            }
            for p in &n.parent_ids {
                if !seen.contains(p.as_str()) {
                    return Err(ProofError::UnknownParent {
                        node: n.id.clone(),
                        parent: p.clone(),
                    });
                }
            }
            seen.insert(n.id.as_str());
        }
        Ok(())
    }

    /// `sha256:<hex>` over the canonical sorted list of leaf ids (nodes no other node names
    /// as a parent).
    pub fn root_hash(&self) -> Result<String, ProofError> {
        let parents: BTreeSet<&str> = self
            .nodes
            .iter()
            .flat_map(|n| n.parent_ids.iter().map(String::as_str))
            .collect();
        let leaves: BTreeSet<&str> = self
            .nodes
            .iter()
            .map(|n| n.id.as_str())
            .filter(|id| !parents.contains(id))
            .collect();
        Ok(canonical::digest(&leaves)?)
    }

    /// The final total (last `Score` node), 0 when empty.
    pub fn total(&self) -> f64 {
        self.nodes
            .iter()
            .rev()
            .find(|n| n.kind == ProofKind::Score)
            .map_or(0.0, |n| n.total)
    }
}

/// The facts scoring uses for one finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScoreInput {
    /// Vulnerability id.
    pub id: String,
    /// Component purl.
    pub purl: String,
    /// Highest CVSS base score, if any.
    pub cvss: Option<f64>,
    /// Severity label (used when there is no score).
    pub severity: String,
    /// Listed in CISA KEV.
    pub kev: bool,
    /// EPSS probability, if known.
    pub epss: Option<f64>,
}

/// Default scoring knobs.
pub fn default_knobs() -> std::collections::BTreeMap<String, f64> {
    [
        ("kevMultiplier".to_owned(), 1.5),
        ("epssWeight".to_owned(), 1.0),
    ]
    .into_iter()
    .collect()
}

fn label_score(label: &str) -> f64 {
    match label {
        "critical" => 9.5,
        "high" => 7.5,
        "medium" => 5.0,
        "low" => 2.0,
        "none" => 0.0,
        _ => 5.0,
    }
}

/// Score `inputs` into a ledger, deterministically (inputs are sorted by (id, purl) first).
///
/// Per finding: base = CVSS score (or a label default); `transform.kev` adds
/// base × (kevMultiplier − 1) when in KEV; `transform.epss` adds base × epss × epssWeight;
/// `score.finding` totals it. `score.total` sums every finding.
pub fn score(
    inputs: &[ScoreInput],
    knobs: &std::collections::BTreeMap<String, f64>,
) -> Result<ProofLedger, ProofError> {
    let kev_mult = knobs.get("kevMultiplier").copied().unwrap_or(1.5);
    let epss_weight = knobs.get("epssWeight").copied().unwrap_or(1.0);
    let mut sorted: Vec<&ScoreInput> = inputs.iter().collect();
    sorted.sort_by(|a, b| (&a.id, &a.purl).cmp(&(&b.id, &b.purl)));
    let mut ledger = ProofLedger::default();
    let mut finding_scores = Vec::new();
    let mut grand = 0.0;
    for f in sorted {
        let base = f.cvss.unwrap_or_else(|| label_score(&f.severity));
        let mut evidence = vec![f.id.clone(), f.purl.clone()];
        if let Some(c) = f.cvss {
            evidence.push(format!("cvss={c}"));
        }
        let input = ledger.add(
            ProofKind::Input,
            "input.finding",
            vec![],
            evidence,
            base,
            base,
        )?;
        let mut last = input;
        let mut total = base;
        if f.kev {
            let d = base * (kev_mult - 1.0);
            total += d;
            last = ledger.add(
                ProofKind::Transform,
                "transform.kev",
                vec![last],
                vec![format!("kev:{}", f.id)],
                d,
                total,
            )?;
        }
        if let Some(e) = f.epss {
            let d = base * e * epss_weight;
            total += d;
            last = ledger.add(
                ProofKind::Transform,
                "transform.epss",
                vec![last],
                vec![format!("epss={e}")],
                d,
                total,
            )?;
        }
        let s = ledger.add(
            ProofKind::Score,
            "score.finding",
            vec![last],
            vec![f.id.clone()],
            0.0,
            total,
        )?;
        grand += round(total);
        finding_scores.push(s);
    }
    ledger.add(
        ProofKind::Score,
        "score.total",
        finding_scores,
        vec![],
        0.0,
        grand,
    )?;
    Ok(ledger)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(id: &str, cvss: Option<f64>, kev: bool, epss: Option<f64>) -> ScoreInput {
        ScoreInput {
            id: id.into(),
            purl: "pkg:npm/x@1".into(),
            cvss,
            severity: "high".into(),
            kev,
            epss,
        }
    }

    #[test]
    fn scoring_is_deterministic_and_verifiable() {
        let a = vec![
            input("CVE-1", Some(9.8), true, Some(0.5)),
            input("CVE-2", None, false, None),
        ];
        let b: Vec<ScoreInput> = a.iter().rev().cloned().collect();
        let la = score(&a, &default_knobs()).unwrap();
        let lb = score(&b, &default_knobs()).unwrap();
        assert_eq!(la, lb);
        assert_eq!(la.root_hash().unwrap(), lb.root_hash().unwrap());
        la.verify().unwrap();
        // 9.8 + 4.9 (KEV) + 4.9 (EPSS 0.5) + 7.5 (label default)
        assert!((la.total() - 27.1).abs() < 1e-9, "{}", la.total());
        let mut tampered = la.clone();
        tampered.nodes[0].delta = 1.0;
        assert!(matches!(tampered.verify(), Err(ProofError::BadId(_))));
        let changed = score(
            &[input("CVE-1", Some(9.7), true, Some(0.5))],
            &default_knobs(),
        )
        .unwrap();
        assert_ne!(changed.root_hash().unwrap(), la.root_hash().unwrap());
    }
}
