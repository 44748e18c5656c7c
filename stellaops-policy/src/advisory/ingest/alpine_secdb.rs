//! Alpine secdb JSON (`https://secdb.alpinelinux.org/<v3.19|edge>/<main|community>.json`).
//!
//! Shape (verified with the search tool against the trivy-db fixtures and several consumers):
//!
//! ```text
//! { "distroversion": "v3.19", "reponame": "main", "urlprefix": "...", "apkurl": "...",
//!   "archs": ["x86_64", ...],
//!   "packages": [ { "pkg": { "name": "openssl",
//!                            "secfixes": { "3.1.4-r1": ["CVE-2023-5678"], "0": ["CVE-..."] } } } ] }
//! ```
//!
//! One [`Advisory`] per vulnerability id (source `alpine-secdb`), one [`Affected`] per package
//! keyed `alpine` / [`alpine_release`]`(distroversion)` / package name (aports origin):
//!
//! * an id listed only under `"0"` is `NotAffected` (Alpine's "never affected" marker);
//! * otherwise `Affected` with `[introduced 0, fixed V]`, V the *lowest* version the id is
//!   listed under for that package (apk ordering; later listings are regression fixes and
//!   re-listings, all kept in `extra["secfixes"]`).
//!
//! A secfix entry may carry more than the id: `"CVE-2024-22195 GHSA-h5c8-rqwp-cp95"`,
//! `"CVE-2017-2616 (+ regression fix)"`, `"CVE-2018-7540 XSA-252"`. It is split on whitespace:
//! the first token is the id, the following tokens that look like vulnerability ids are
//! aliases, and any other text is kept as `extra["note"]`. Entries whose first token is not an
//! id, secfix values that are not lists (upstream has `"7.4.0-r0": {}`), and packages without a
//! name are warnings. `reponame` goes to `extra["reponame"]`.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde_json::Value;

use super::common::{distro_range, finish_aliases, looks_like_vuln_id, text_at, type_name, Ctx};
use super::IngestError;
use crate::advisory::ecosystems::alpine_release;
use crate::advisory::model::{Advisory, Affected, AffectedStatus, PackageKey};
use crate::version::{self, Ecosystem};

/// Provenance source kind.
const SOURCE: &str = "alpine-secdb";

#[derive(Default)]
struct Listing {
    /// Versions the id is listed under, in document order (may include "0").
    versions: Vec<String>,
    /// Extra text after the id.
    notes: Vec<String>,
}

#[derive(Default)]
struct Acc {
    aliases: Vec<String>,
    packages: BTreeMap<String, Listing>,
}

/// Normalise one secdb document.
pub(super) fn ingest(ctx: &mut Ctx, value: &Value) -> Result<Vec<Advisory>, IngestError> {
    let packages = match value.get("packages") {
        Some(Value::Array(p)) => p,
        Some(other) => {
            return Err(ctx.error(format!(
                "\"packages\" is {}, not an array",
                type_name(other)
            )))
        }
        None => return Err(ctx.error("no \"packages\" array")),
    };
    let release = match text_at(value, "distroversion") {
        Some(d) => Some(alpine_release(d).to_owned()),
        None => {
            ctx.warn("no \"distroversion\"; entries apply to every Alpine release");
            None
        }
    };
    let reponame = text_at(value, "reponame").map(str::to_owned);

    let mut by_id: BTreeMap<String, Acc> = BTreeMap::new();
    for (i, entry) in packages.iter().enumerate() {
        let Some(pkg) = entry.get("pkg").filter(|p| p.is_object()) else {
            ctx.warn(format!("packages[{i}] has no \"pkg\" object; skipped"));
            continue;
        };
        let Some(name) = text_at(pkg, "name") else {
            ctx.warn(format!("packages[{i}] has no \"name\"; skipped"));
            continue;
        };
        let secfixes = match pkg.get("secfixes") {
            None | Some(Value::Null) => continue,
            Some(Value::Object(s)) => s,
            Some(other) => {
                ctx.warn(format!(
                    "{name}: \"secfixes\" is {}, not an object; skipped",
                    type_name(other)
                ));
                continue;
            }
        };
        for (fixed, list) in secfixes {
            let Some(list) = list.as_array() else {
                ctx.warn(format!(
                    "{name} {fixed}: secfixes value is {}, not a list; skipped",
                    type_name(list)
                ));
                continue;
            };
            for item in list {
                let Some(text) = item.as_str() else {
                    ctx.warn(format!(
                        "{name} {fixed}: entry {item} is not a string; skipped"
                    ));
                    continue;
                };
                let mut tokens = text.split_whitespace();
                let Some(first) = tokens.next() else {
                    continue;
                };
                if !looks_like_vuln_id(first) {
                    ctx.warn(format!(
                        "{name} {fixed}: {text:?} does not start with a vulnerability id; skipped"
                    ));
                    continue;
                }
                let id = canonical_id(first);
                let mut note = Vec::new();
                let acc = by_id.entry(id).or_default();
                for t in tokens {
                    if looks_like_vuln_id(t) {
                        acc.aliases.push(canonical_id(t));
                    } else {
                        note.push(t);
                    }
                }
                let listing = acc.packages.entry(name.to_owned()).or_default();
                listing.versions.push(fixed.trim().to_owned());
                if !note.is_empty() {
                    listing.notes.push(note.join(" "));
                }
            }
        }
    }

    Ok(by_id
        .into_iter()
        .map(|(id, acc)| {
            let affected = acc
                .packages
                .into_iter()
                .map(|(name, listing)| affected(name, listing, &release, reponame.as_deref()))
                .collect();
            let references = if id.starts_with("CVE-") {
                vec![format!("https://security.alpinelinux.org/vuln/{id}")]
            } else {
                Vec::new()
            };
            Advisory {
                aliases: finish_aliases(&id, acc.aliases),
                summary: None,
                published: None,
                modified: None,
                withdrawn: None,
                severity: Vec::new(),
                affected,
                references,
                provenance: ctx.provenance(SOURCE),
                id,
            }
        })
        .collect())
}

/// `cve-2020-1` -> `CVE-2020-1`; other ids as written.
fn canonical_id(token: &str) -> String {
    match token.get(..4) {
        Some(p) if p.eq_ignore_ascii_case("cve-") => token.to_ascii_uppercase(),
        _ => token.to_owned(),
    }
}

fn affected(
    name: String,
    listing: Listing,
    release: &Option<String>,
    reponame: Option<&str>,
) -> Affected {
    let fixed =
        listing
            .versions
            .iter()
            .filter(|v| v.as_str() != "0")
            .fold(None::<&String>, |best, v| match best {
                None => Some(v),
                Some(b) => match version::compare(Ecosystem::Apk, v, b) {
                    Ok(Ordering::Less) => Some(v),
                    _ => Some(b),
                },
            });
    let (status, ranges) = match fixed {
        None => (AffectedStatus::NotAffected, Vec::new()),
        Some(v) => (
            AffectedStatus::Affected,
            vec![distro_range(Some(Ecosystem::Apk), Some(v))],
        ),
    };
    let mut extra = BTreeMap::new();
    if let Some(r) = reponame {
        extra.insert("reponame".to_owned(), Value::String(r.to_owned()));
    }
    if listing.versions.len() > 1 {
        extra.insert(
            "secfixes".to_owned(),
            Value::Array(listing.versions.into_iter().map(Value::String).collect()),
        );
    }
    if !listing.notes.is_empty() {
        extra.insert("note".to_owned(), Value::String(listing.notes.join("; ")));
    }
    Affected {
        package: PackageKey {
            ecosystem: "alpine".to_owned(),
            release: release.clone(),
            name,
        },
        status,
        ranges,
        versions: Vec::new(),
        extra,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{detect, ingest, Format};
    use crate::advisory::model::{AffectedStatus, Event};

    // No real secdb file is available in the shared fixtures (no Alpine feed is indexed; see
    // advisories/PROVENANCE.md). This document is hand-written in the exact upstream shape of
    // secdb.alpinelinux.org/v3.19/main.json — top-level `distroversion`, `reponame`,
    // `urlprefix`, `apkurl`, `archs`, `packages[].pkg.{name, secfixes}` — verified with the
    // search tool against aquasecurity/trivy-db's alpine testdata (which also shows the
    // "CVE GHSA" and "(+ regression fix)" entry forms) and other secdb consumers (which show
    // `"XSA-252"` ids and a `{}` secfixes value).
    const SECDB: &str = r#"{
      "apkurl": "{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk",
      "archs": ["aarch64", "armhf", "armv7", "ppc64le", "s390x", "x86", "x86_64"],
      "reponame": "main",
      "urlprefix": "https://dl-cdn.alpinelinux.org/alpine",
      "distroversion": "v3.19",
      "packages": [
        {"pkg": {"name": "openssl", "secfixes": {
          "3.1.4-r1": ["CVE-2023-5678"],
          "3.1.4-r0": ["CVE-2023-5363"],
          "0": ["CVE-2022-1343"]
        }}},
        {"pkg": {"name": "ansible", "secfixes": {
          "2.9.3-r0": ["CVE-2019-14904", "CVE-2024-22195 GHSA-h5c8-rqwp-cp95", "CVE-2017-2616 (+ regression fix)"],
          "2.10.0-r0": ["CVE-2017-2616"]
        }}},
        {"pkg": {"name": "xen", "secfixes": {
          "4.10.0-r2": ["CVE-2018-7540 XSA-252"],
          "4.10.0-r1": ["XSA-248"]
        }}},
        {"pkg": {"name": "heimdal", "secfixes": {"7.4.0-r0": {}, "7.1.0-r1": ["CVE-2017-11103"]}}},
        {"pkg": {"name": "zlib"}}
      ]
    }"#;

    #[test]
    fn secdb_maps_to_the_model() {
        assert_eq!(detect(SECDB.as_bytes()), Some(Format::AlpineSecdb));
        let out = ingest("v3.19-main.json", SECDB.as_bytes()).unwrap();
        assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
        assert!(out.warnings[0].contains("heimdal 7.4.0-r0"));
        let ids: Vec<_> = out.advisories.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "CVE-2017-11103",
                "CVE-2017-2616",
                "CVE-2018-7540",
                "CVE-2019-14904",
                "CVE-2022-1343",
                "CVE-2023-5363",
                "CVE-2023-5678",
                "CVE-2024-22195",
                "XSA-248"
            ]
        );
        let by = |id: &str| out.advisories.iter().find(|a| a.id == id).unwrap();

        let a = by("CVE-2023-5678");
        assert_eq!(a.provenance.source, "alpine-secdb");
        let af = &a.affected[0];
        assert_eq!(af.package.ecosystem, "alpine");
        assert_eq!(af.package.release.as_deref(), Some("3.19"));
        assert_eq!(af.package.name, "openssl");
        assert_eq!(af.status, AffectedStatus::Affected);
        assert_eq!(
            af.ranges[0].events,
            [
                Event::Introduced("0".into()),
                Event::Fixed("3.1.4-r1".into())
            ]
        );
        assert_eq!(af.extra["reponame"], "main");

        assert!(out
            .advisories
            .iter()
            .flat_map(|a| &a.affected)
            .all(|x| x.ranges.iter().all(|r| r.unusable.is_none())));
        let na = &by("CVE-2022-1343").affected[0];
        assert_eq!(na.status, AffectedStatus::NotAffected);
        assert!(na.ranges.is_empty());

        assert_eq!(by("CVE-2024-22195").aliases, ["GHSA-h5c8-rqwp-cp95"]);
        assert_eq!(by("CVE-2018-7540").aliases, ["XSA-252"]);

        // Listed twice: the regression-fix note is kept, the fix is the lowest version.
        let twice = &by("CVE-2017-2616").affected[0];
        assert!(by("CVE-2017-2616").aliases.is_empty());
        assert_eq!(twice.extra["note"], "(+ regression fix)");
        assert_eq!(
            twice.extra["secfixes"],
            serde_json::json!(["2.10.0-r0", "2.9.3-r0"])
        );
        // JSON object order is lexical ("2.10.0" before "2.9.3"); the fix is the lowest in apk
        // ordering.
        assert_eq!(twice.ranges[0].events[1], Event::Fixed("2.9.3-r0".into()));
    }

    #[test]
    fn malformed_secdb_is_an_error_or_warnings() {
        let e = ingest("x.json", br#"{"reponame":"main","packages":{}}"#).unwrap_err();
        assert!(e.message.contains("not an array"), "{e}");
        let out = ingest(
            "x.json",
            br#"{"reponame":"main","packages":[1, {"pkg":{}}, {"pkg":{"name":"a","secfixes":[]}},
                 {"pkg":{"name":"b","secfixes":{"1.0-r0":[5, "", "(+ fix)", "CVE-2020-1 junk"]}}}]}"#,
        )
        .unwrap();
        assert_eq!(out.warnings.len(), 6, "{:#?}", out.warnings);
        assert_eq!(out.advisories.len(), 1);
        assert_eq!(out.advisories[0].affected[0].package.release, None);
        assert_eq!(out.advisories[0].affected[0].extra["note"], "junk");
    }
}
