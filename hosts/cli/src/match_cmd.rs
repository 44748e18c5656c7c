//! `stella match` and `stella scan --vulns`: findings for an SBOM's components from the local
//! advisory database, as JSON or a table, with an optional `--fail-on` gate.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use stellaops_policy::advisory::matcher::{label_rank, ComponentRef, MatchReport, Matcher};

/// Output formats of a match report.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// The report as JSON.
    Json,
    /// A table for people.
    Table,
}

/// Match `components` against the database in `db`.
pub fn run(db: &Path, components: &[ComponentRef]) -> Result<MatchReport> {
    let (snapshot, _) = crate::db_cmd::load(db)?;
    if snapshot.advisories().next().is_none() {
        anyhow::bail!(
            "the advisory database {} is empty: import advisories with `stella db import --db {} <files>`",
            db.display(),
            db.display()
        );
    }
    let matcher = Matcher::new(&snapshot);
    Ok(matcher.match_components(components))
}

/// Components of an SBOM file.
pub fn sbom_components(path: &Path) -> Result<Vec<ComponentRef>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let list = stellaops_core::sbom::read::components(&bytes)
        .with_context(|| format!("{}", path.display()))?;
    Ok(list
        .into_iter()
        .filter_map(|c| {
            Some(ComponentRef {
                reference: c.reference,
                purl: c.purl?,
                layer_digest: c.layer_digest,
            })
        })
        .collect())
}

/// Render a report.
pub fn render(report: &MatchReport, format: ReportFormat) -> Result<Vec<u8>> {
    match format {
        ReportFormat::Json => {
            let mut out = serde_json::to_vec_pretty(report)?;
            out.push(b'\n');
            Ok(out)
        }
        ReportFormat::Table => Ok(table(report).into_bytes()),
    }
}

fn table(report: &MatchReport) -> String {
    let mut rows: Vec<[String; 7]> = vec![[
        "VULNERABILITY".into(),
        "SEVERITY".into(),
        "STATUS".into(),
        "PACKAGE".into(),
        "INSTALLED".into(),
        "FIXED IN".into(),
        "KEV/EPSS".into(),
    ]];
    for f in report.findings.iter().chain(&report.not_affected) {
        let name = f.purl.split('?').next().unwrap_or(&f.purl);
        let name = name.rsplit_once('@').map_or(name, |(n, _)| n);
        let mut flags = String::new();
        if f.kev.is_some() {
            flags.push_str("KEV ");
        }
        if let Some(e) = &f.epss {
            let _ = write!(flags, "{:.3}", e.epss);
        }
        rows.push([
            f.id.clone(),
            f.severity.label.clone(),
            f.status.clone(),
            name.to_owned(),
            f.installed_version.clone(),
            f.fixed_version.clone().unwrap_or_else(|| "-".into()),
            if flags.is_empty() {
                "-".into()
            } else {
                flags.trim().to_owned()
            },
        ]);
    }
    let mut widths = [0usize; 7];
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for r in &rows {
        let line: Vec<String> = r
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        let _ = writeln!(out, "{}", line.join("  ").trim_end());
    }
    let _ = writeln!(
        out,
        "\n{} findings ({} not affected) in {} components; {} components without advisory data; snapshot {}",
        report.findings.len(),
        report.not_affected.len(),
        report.components,
        report.no_data.len(),
        report.snapshot_hash
    );
    let mut reasons: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for n in &report.no_data {
        *reasons.entry(n.reason.as_str()).or_default() += 1;
    }
    for (reason, count) in reasons {
        let _ = writeln!(out, "  no data: {reason} ({count})");
    }
    out
}

/// Whether any affected or will-not-fix finding is at or above `threshold`.
pub fn fails(report: &MatchReport, threshold: &str) -> bool {
    let min = label_rank(threshold);
    report
        .findings
        .iter()
        .filter(|f| f.status == "affected" || f.status == "will-not-fix")
        .any(|f| label_rank(&f.severity.label) >= min)
}
