//! FIRST EPSS scores CSV (`https://epss.cyentia.com/epss_scores-YYYY-MM-DD.csv.gz`, after
//! decompression — compressed input is refused with a message, this crate does no
//! decompression).
//!
//! Shape: an optional comment line `#model_version:v2023.03.01,score_date:2024-01-01T00:00:00+0000`,
//! a header `cve,epss,percentile`, then one row per CVE. Columns are found by header name, so
//! extra columns are ignored. The earliest (2021) files have no comment and no `percentile`
//! column; then each percentile is computed from the file itself (share of scores at or below
//! the CVE's score, which is how EPSS defines it) and one warning says so.
//!
//! A row with a bad CVE id, a score that is not a number in `0..=1`, too few fields or a
//! repeated CVE (first kept) is a warning naming its line number. A missing header is an
//! error. The model version and score date are not kept (the model has no place for them).

use std::collections::BTreeSet;

use super::common::Ctx;
use super::IngestError;
use crate::advisory::model::EpssScore;

/// Whether `body` (BOM and leading whitespace removed) starts like an EPSS CSV.
pub(super) fn looks_like_epss(body: &[u8]) -> bool {
    let head = body.get(..14).unwrap_or(body);
    head.starts_with(b"#model_version")
        || body
            .get(..8)
            .is_some_and(|h| h.eq_ignore_ascii_case(b"cve,epss"))
}

/// Parse an EPSS CSV.
pub(super) fn ingest(ctx: &mut Ctx, bytes: &[u8]) -> Result<Vec<EpssScore>, IngestError> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut columns: Option<(usize, usize, Option<usize>)> = None;
    let mut seen = BTreeSet::new();
    let mut out: Vec<EpssScore> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let Some((cve_at, epss_at, pct_at)) = columns else {
            let find = |name: &str| fields.iter().position(|f| f.eq_ignore_ascii_case(name));
            match (find("cve"), find("epss")) {
                (Some(c), Some(e)) => columns = Some((c, e, find("percentile"))),
                _ => {
                    return Err(ctx.error(format!(
                        "line {line_no}: expected a `cve,epss,percentile` header, found {:?}",
                        truncate(line)
                    )))
                }
            }
            continue;
        };
        let (Some(cve), Some(epss)) = (fields.get(cve_at), fields.get(epss_at)) else {
            ctx.warn(format!("line {line_no}: too few fields; skipped"));
            continue;
        };
        if !is_cve(cve) {
            ctx.warn(format!(
                "line {line_no}: {:?} is not a CVE id; skipped",
                truncate(cve)
            ));
            continue;
        }
        let Some(epss) = probability(epss) else {
            ctx.warn(format!(
                "line {line_no}: epss {:?} is not a number in 0..1; skipped",
                truncate(epss)
            ));
            continue;
        };
        let percentile = match pct_at {
            None => f64::NAN,
            Some(p) => match fields.get(p).and_then(|v| probability(v)) {
                Some(v) => v,
                None => {
                    ctx.warn(format!(
                        "line {line_no}: percentile is missing or not a number in 0..1; skipped"
                    ));
                    continue;
                }
            },
        };
        if !seen.insert((*cve).to_owned()) {
            ctx.warn(format!(
                "line {line_no}: {cve} is listed more than once; first row kept"
            ));
            continue;
        }
        out.push(EpssScore {
            cve: (*cve).to_owned(),
            epss,
            percentile,
        });
    }
    match columns {
        None => return Err(ctx.error("no `cve,epss,percentile` header")),
        Some((_, _, None)) => {
            ctx.warn("no percentile column; percentiles computed from the scores in this file");
            let mut sorted: Vec<f64> = out.iter().map(|s| s.epss).collect();
            sorted.sort_by(f64::total_cmp);
            let n = sorted.len().max(1) as f64;
            for s in &mut out {
                let at_or_below = sorted.partition_point(|v| *v <= s.epss);
                s.percentile = at_or_below as f64 / n;
            }
        }
        Some(_) => {}
    }
    Ok(out)
}

fn is_cve(s: &str) -> bool {
    let mut parts = s.splitn(3, '-');
    parts.next() == Some("CVE")
        && parts
            .next()
            .is_some_and(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
        && parts
            .next()
            .is_some_and(|n| n.len() >= 4 && n.bytes().all(|b| b.is_ascii_digit()))
}

/// A finite number in `0..=1` (scientific notation allowed, as EPSS writes `5e-05`).
fn probability(s: &str) -> Option<f64> {
    s.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && (0.0..=1.0).contains(v))
}

fn truncate(s: &str) -> String {
    s.chars().take(60).collect()
}

#[cfg(test)]
mod tests {
    use super::super::{detect, ingest, Format};

    // No real EPSS file is available in the shared fixtures. These documents are hand-written
    // in the exact upstream shape (comment line `#model_version:...,score_date:...`, header
    // `cve,epss,percentile`, and the 2021 form `cve,epss` without comment or percentile),
    // verified with the search tool against several EPSS consumers quoting the live files.
    const EPSS: &str = "#model_version:v2023.03.01,score_date:2024-01-01T00:00:00+0000\n\
cve,epss,percentile\n\
CVE-1999-0001,0.01297,0.85194\n\
CVE-2021-44228,0.97565,0.99996\n\
CVE-2021-40438,5e-05,0.02318\n";

    #[test]
    fn epss_rows() {
        assert_eq!(detect(EPSS.as_bytes()), Some(Format::Epss));
        let out = ingest("epss.csv", EPSS.as_bytes()).unwrap();
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
        assert_eq!(out.epss.len(), 3);
        assert_eq!(out.epss[1].cve, "CVE-2021-44228");
        assert_eq!(out.epss[1].epss, 0.97565);
        assert_eq!(out.epss[1].percentile, 0.99996);
        assert_eq!(out.epss[2].epss, 0.00005);
    }

    #[test]
    fn old_files_without_percentile_get_computed_percentiles() {
        let out = ingest(
            "epss-2021.csv",
            b"cve,epss\nCVE-2020-0001,0.1\nCVE-2020-0002,0.3\nCVE-2020-0003,0.2\nCVE-2020-0004,0.2\n",
        )
        .unwrap();
        assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
        let p: Vec<f64> = out.epss.iter().map(|s| s.percentile).collect();
        assert_eq!(p, [0.25, 1.0, 0.75, 0.75]);
    }

    #[test]
    fn bad_rows_are_warnings_naming_the_line() {
        let doc = "#model_version:v2023.03.01,score_date:2024-01-01T00:00:00+0000\n\
cve,epss,percentile\n\
CVE-2024-0001,0.5,0.9\n\
NOT-A-CVE,0.1,0.1\n\
CVE-2024-0002,1.5,0.1\n\
CVE-2024-0003,abc,0.1\n\
CVE-2024-0004,0.1\n\
CVE-2024-0001,0.2,0.3\n\
\n\
CVE-2024-0005,NaN,0.2\n";
        let out = ingest("e.csv", doc.as_bytes()).unwrap();
        assert_eq!(out.epss.len(), 1);
        let lines: Vec<&str> = out
            .warnings
            .iter()
            .map(|w| w.split(':').nth(1).unwrap_or("").trim())
            .collect();
        assert_eq!(
            lines,
            ["line 4", "line 5", "line 6", "line 7", "line 8", "line 10"]
        );
        let e = ingest("e.csv", b"#model_version:x\nfoo,bar\n").unwrap_err();
        assert!(e.message.contains("line 2"), "{e}");
        let e = ingest("e.csv", b"#model_version:x\n").unwrap_err();
        assert!(e.message.contains("header"), "{e}");
    }
}
