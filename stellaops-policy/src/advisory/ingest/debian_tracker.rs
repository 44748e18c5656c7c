//! Debian security tracker JSON export (`https://security-tracker.debian.org/tracker/data/json`).
//!
//! Shape (checked against consumers of the live export and the tracker's own status logic):
//!
//! ```text
//! { "<source package>": { "<CVE-… | TEMP-…>": {
//!     "description": "...", "scope": "local|remote", "debianbug": 123456,
//!     "releases": { "<codename>": {
//!         "status": "resolved|open|undetermined",
//!         "repositories": { "<codename>": "<version>", "<codename>-security": "<version>" },
//!         "fixed_version": "<version>",            // resolved; "0" = never affected
//!         "urgency": "low|medium|high|unimportant|not yet assigned|end-of-life",
//!         "nodsa": "<text>", "nodsa_reason": "ignored|postponed" } } } } }
//! ```
//!
//! One [`Advisory`] per vulnerability id (CVE or the tracker's `TEMP-` ids), source
//! `debian-tracker`, with one [`Affected`] per (source package, release) keyed
//! `debian` / [`debian_release`]`(codename)` / source package:
//!
//! | tracker | status | range |
//! |---|---|---|
//! | `resolved`, `fixed_version` `"0"` | `NotAffected` | — |
//! | `resolved`, `fixed_version` V | `Affected` | `[introduced 0, fixed V]` |
//! | `resolved` without a fixed version | `Unknown` (warning) | — |
//! | `open`, urgency `end-of-life` or `nodsa_reason` `ignored` | `WillNotFix` | `[introduced 0]` |
//! | `open` otherwise (incl. `postponed`, `unimportant`) | `Affected` | `[introduced 0]` |
//! | `undetermined` | `Unknown` | — |
//!
//! The raw `urgency`, `nodsa`, `nodsa_reason`, `codename`, `scope`, `debianbug` and
//! `repositories` go to `extra`. The highest urgency on the `unimportant < low < medium < high`
//! scale (trailing `*` — the tracker's "derived from NVD" mark — removed) becomes one
//! `debian-urgency` [`SeverityRating`] per advisory; `not yet assigned` and `end-of-life` are
//! not severities and give none. The description's first line is the summary; the tracker page
//! is the reference.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::common::{distro_range, first_line, str_at, text_at, type_name, Ctx};
use super::IngestError;
use crate::advisory::ecosystems::debian_release;
use crate::advisory::model::{Advisory, Affected, AffectedStatus, PackageKey, SeverityRating};
use crate::version::Ecosystem;

/// Provenance source kind.
const SOURCE: &str = "debian-tracker";

/// A tracker issue id: `CVE-…` or `TEMP-…`.
fn is_tracker_id(key: &str) -> bool {
    key.starts_with("CVE-") || key.starts_with("TEMP-")
}

/// A JSON object whose values are all objects, with at least one inner key that is a tracker
/// issue id.
pub(super) fn looks_like_tracker(map: &Map<String, Value>) -> bool {
    let mut ids = false;
    for v in map.values() {
        let Some(inner) = v.as_object() else {
            return false;
        };
        ids |= inner.keys().any(|k| is_tracker_id(k));
    }
    ids
}

#[derive(Default)]
struct Acc {
    description: Option<String>,
    affected: Vec<Affected>,
    urgency: Option<(u8, String)>,
}

/// Normalise a tracker export.
pub(super) fn ingest(ctx: &mut Ctx, value: &Value) -> Result<Vec<Advisory>, IngestError> {
    let Some(packages) = value.as_object() else {
        return Err(ctx.error("a tracker export must be a JSON object"));
    };
    let mut by_id: BTreeMap<String, Acc> = BTreeMap::new();
    for (package, issues) in packages {
        let Some(issues) = issues.as_object() else {
            ctx.warn(format!(
                "package {package:?} is {}, not an object; skipped",
                type_name(issues)
            ));
            continue;
        };
        for (id, issue) in issues {
            if !is_tracker_id(id) {
                ctx.warn(format!(
                    "{package}: {id:?} is not a CVE or TEMP id; skipped"
                ));
                continue;
            }
            if !issue.is_object() {
                ctx.warn(format!(
                    "{package}/{id} is {}, not an object; skipped",
                    type_name(issue)
                ));
                continue;
            }
            let acc = by_id.entry(id.clone()).or_default();
            if acc.description.is_none() {
                acc.description = str_at(issue, "description").and_then(first_line);
            }
            let releases = match issue.get("releases") {
                Some(Value::Object(r)) => r,
                None | Some(Value::Null) => continue,
                Some(other) => {
                    ctx.warn(format!(
                        "{package}/{id}: \"releases\" is {}, not an object; skipped",
                        type_name(other)
                    ));
                    continue;
                }
            };
            for (codename, rel) in releases {
                let at = format!("{package}/{id}/{codename}");
                if let Some(a) = release_entry(ctx, &at, package, codename, issue, rel) {
                    if let Some(u) = str_at(rel, "urgency") {
                        let label = u.trim().trim_end_matches('*').trim().to_lowercase();
                        if let Some(rank) = urgency_rank(&label) {
                            if acc.urgency.as_ref().is_none_or(|(r, _)| rank > *r) {
                                acc.urgency = Some((rank, label));
                            }
                        }
                    }
                    acc.affected.push(a);
                }
            }
        }
    }
    Ok(by_id
        .into_iter()
        .map(|(id, acc)| Advisory {
            aliases: Vec::new(),
            summary: acc.description,
            published: None,
            modified: None,
            withdrawn: None,
            severity: acc
                .urgency
                .map(|(_, label)| SeverityRating {
                    kind: "debian-urgency".to_owned(),
                    value: label,
                    score: None,
                })
                .into_iter()
                .collect(),
            affected: acc.affected,
            references: vec![format!("https://security-tracker.debian.org/tracker/{id}")],
            provenance: ctx.provenance(SOURCE),
            id,
        })
        .collect())
}

/// Rank on Debian's urgency scale; `None` for values that are not a severity.
fn urgency_rank(label: &str) -> Option<u8> {
    Some(match label {
        "unimportant" => 1,
        "low" => 2,
        "medium" => 3,
        "high" => 4,
        _ => return None,
    })
}

fn release_entry(
    ctx: &mut Ctx,
    at: &str,
    package: &str,
    codename: &str,
    issue: &Value,
    rel: &Value,
) -> Option<Affected> {
    if !rel.is_object() {
        ctx.warn(format!(
            "{at} is {}, not an object; skipped",
            type_name(rel)
        ));
        return None;
    }
    let urgency = str_at(rel, "urgency").map(str::trim);
    let nodsa_reason = str_at(rel, "nodsa_reason").map(str::trim);
    let fixed = text_at(rel, "fixed_version");
    let scheme = Some(Ecosystem::Deb);
    let (status, ranges) = match str_at(rel, "status") {
        Some("resolved") => match fixed {
            Some("0") => (AffectedStatus::NotAffected, Vec::new()),
            Some(v) => (
                AffectedStatus::Affected,
                vec![distro_range(scheme, Some(v))],
            ),
            None => {
                ctx.warn(format!(
                    "{at}: resolved without a fixed_version; status unknown"
                ));
                (AffectedStatus::Unknown, Vec::new())
            }
        },
        Some("open") => {
            let status = if urgency == Some("end-of-life") || nodsa_reason == Some("ignored") {
                AffectedStatus::WillNotFix
            } else {
                AffectedStatus::Affected
            };
            (status, vec![distro_range(scheme, None)])
        }
        Some("undetermined") => (AffectedStatus::Unknown, Vec::new()),
        Some(other) => {
            ctx.warn(format!("{at}: unknown status {other:?}; skipped"));
            return None;
        }
        None => {
            ctx.warn(format!("{at}: no \"status\" string; skipped"));
            return None;
        }
    };

    let mut extra = BTreeMap::new();
    extra.insert("codename".to_owned(), Value::String(codename.to_owned()));
    for k in ["urgency", "nodsa", "nodsa_reason", "repositories"] {
        if let Some(v) = rel.get(k).filter(|v| !v.is_null()) {
            extra.insert(k.to_owned(), v.clone());
        }
    }
    for k in ["scope", "debianbug"] {
        if let Some(v) = issue.get(k).filter(|v| !v.is_null()) {
            extra.insert(k.to_owned(), v.clone());
        }
    }
    Some(Affected {
        package: PackageKey {
            ecosystem: "debian".to_owned(),
            release: Some(debian_release(codename).to_owned()),
            name: package.trim().to_owned(),
        },
        status,
        ranges,
        versions: Vec::new(),
        extra,
    })
}

#[cfg(test)]
mod tests {
    use super::super::{detect, ingest, Format};
    use crate::advisory::model::{AffectedStatus, Event};

    // No real tracker export is available in the shared fixtures (it is a ~70 MB live file).
    // This document is hand-written in the exact upstream shape: per-release fields
    // `status`, `repositories`, `fixed_version`, `urgency`, `nodsa`, `nodsa_reason`, and
    // per-issue `description`, `scope`, `debianbug`, as emitted by
    // security-tracker.debian.org/tracker/data/json (verified with the search tool against
    // consumers of the live export and the tracker's own status logic, which checks
    // `nodsa_reason == "ignored"`, `urgency == "end-of-life"`, `status == "undetermined"`).
    const TRACKER: &str = r#"{
      "zlib": {
        "CVE-2023-45853": {
          "description": "MiniZip in zlib through 1.3 has an integer overflow.\nSecond line.",
          "scope": "local",
          "debianbug": 1054290,
          "releases": {
            "bookworm": {
              "status": "open",
              "repositories": {"bookworm": "1:1.2.13.dfsg-1"},
              "urgency": "not yet assigned",
              "nodsa": "contrib/minizip not built",
              "nodsa_reason": "ignored"
            },
            "bullseye": {
              "status": "open",
              "repositories": {"bullseye": "1:1.2.11.dfsg-2+deb11u2"},
              "urgency": "end-of-life"
            },
            "sid": {
              "status": "resolved",
              "repositories": {"sid": "1:1.3.dfsg-3"},
              "fixed_version": "1:1.3.dfsg-1",
              "urgency": "low**"
            },
            "trixie": {
              "status": "resolved",
              "repositories": {"trixie": "1:1.3.dfsg-3"},
              "fixed_version": "1:1.3.dfsg-1",
              "urgency": "medium"
            }
          }
        },
        "TEMP-0000000-1A2B3C": {
          "description": "Not settled yet",
          "releases": {
            "trixie": {"status": "undetermined", "repositories": {"trixie": "1:1.3.dfsg-3"}, "urgency": "not yet assigned"}
          }
        }
      },
      "openssl": {
        "CVE-2023-45853": {
          "description": "",
          "releases": {
            "bookworm": {"status": "resolved", "repositories": {"bookworm": "3.0.11-1~deb12u2"}, "fixed_version": "0", "urgency": "unimportant"},
            "trixie": {"status": "open", "repositories": {"trixie": "3.1.4-2"}, "urgency": "high", "nodsa": "Minor issue", "nodsa_reason": "postponed"}
          }
        }
      }
    }"#;

    #[test]
    fn tracker_statuses_map_to_the_model() {
        assert_eq!(detect(TRACKER.as_bytes()), Some(Format::DebianTracker));
        let out = ingest("tracker.json", TRACKER.as_bytes()).unwrap();
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
        let ids: Vec<_> = out.advisories.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["CVE-2023-45853", "TEMP-0000000-1A2B3C"]);
        let a = &out.advisories[0];
        assert_eq!(a.provenance.source, "debian-tracker");
        assert_eq!(
            a.summary.as_deref(),
            Some("MiniZip in zlib through 1.3 has an integer overflow.")
        );
        assert_eq!(
            a.references,
            ["https://security-tracker.debian.org/tracker/CVE-2023-45853"]
        );
        assert_eq!(a.severity.len(), 1);
        assert_eq!(a.severity[0].kind, "debian-urgency");
        assert_eq!(a.severity[0].value, "high");

        let got: Vec<_> = a
            .affected
            .iter()
            .map(|x| {
                (
                    x.package.name.as_str(),
                    x.package.release.as_deref().unwrap_or(""),
                    x.status,
                    x.ranges
                        .iter()
                        .map(|r| r.events.clone())
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        let intro = || Event::Introduced("0".into());
        let fixed = |v: &str| Event::Fixed(v.into());
        assert_eq!(
            got,
            [
                ("openssl", "12", AffectedStatus::NotAffected, vec![]),
                (
                    "openssl",
                    "13",
                    AffectedStatus::Affected,
                    vec![vec![intro()]]
                ),
                (
                    "zlib",
                    "12",
                    AffectedStatus::WillNotFix,
                    vec![vec![intro()]]
                ),
                (
                    "zlib",
                    "11",
                    AffectedStatus::WillNotFix,
                    vec![vec![intro()]]
                ),
                (
                    "zlib",
                    "sid",
                    AffectedStatus::Affected,
                    vec![vec![intro(), fixed("1:1.3.dfsg-1")]]
                ),
                (
                    "zlib",
                    "13",
                    AffectedStatus::Affected,
                    vec![vec![intro(), fixed("1:1.3.dfsg-1")]]
                ),
            ]
        );
        assert!(a
            .affected
            .iter()
            .all(|x| x.ranges.iter().all(|r| r.unusable.is_none())));
        let zlib12 = &a.affected[2];
        assert_eq!(zlib12.package.ecosystem, "debian");
        assert_eq!(zlib12.extra["urgency"], "not yet assigned");
        assert_eq!(zlib12.extra["nodsa_reason"], "ignored");
        assert_eq!(zlib12.extra["codename"], "bookworm");
        assert_eq!(zlib12.extra["scope"], "local");
        assert_eq!(zlib12.extra["debianbug"], 1054290);
        assert_eq!(a.affected[4].extra["urgency"], "low**");

        let temp = &out.advisories[1];
        assert_eq!(temp.affected[0].status, AffectedStatus::Unknown);
        assert!(temp.severity.is_empty());
    }

    #[test]
    fn bad_parts_are_warnings() {
        let doc = r#"{
          "a": {"CVE-1-1": {"releases": {"bookworm": {"status": "resolved"},
                                          "trixie": {"status": "weird"},
                                          "sid": 5,
                                          "forky": {"status": "resolved", "fixed_version": "bad version"}}},
                "NOT-AN-ID": {},
                "CVE-1-2": 7,
                "CVE-1-3": {"releases": []}},
          "b": {}
        }"#;
        let out = ingest("t.json", doc.as_bytes()).unwrap();
        assert_eq!(out.warnings.len(), 6, "{:#?}", out.warnings);
        let a = &out.advisories[0];
        assert_eq!(a.affected.len(), 2);
        let forky = a
            .affected
            .iter()
            .find(|x| x.extra["codename"] == "forky")
            .unwrap();
        assert_eq!(forky.package.release.as_deref(), Some("14"));
        let why = forky.ranges[0].unusable.as_deref().unwrap();
        assert!(why.contains("bad version"), "{why}");
    }
}
