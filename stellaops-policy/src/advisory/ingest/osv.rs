//! OSV schema 1.x (<https://ossf.github.io/osv-schema/>): one record per document, or a JSON
//! array of records.
//!
//! Mapping:
//!
//! * `id` is the advisory id; `aliases` are aliases (sorted, deduplicated, own id removed).
//!   `related` is *not* an alias (a related record is another vulnerability) and is dropped;
//!   `upstream` is not an alias either and goes to every affected entry's `extra["upstream"]`
//!   (the model has no record-level extra, so a record with empty `affected` — Debian DLAs —
//!   keeps no trace of it).
//! * `summary`, else the first non-empty line of `details`.
//! * `severity[]` `{type, score}` becomes a [`SeverityRating`] with `kind` = the type and the
//!   CVSS base score computed for `CVSS_V2/3/4`; `affected[].severity[]` (allowed by the
//!   schema when the record has no top-level severity) is lifted to the record, deduplicated;
//!   `database_specific.severity` (GitHub's `LOW`..`CRITICAL`) becomes kind `ghsa`.
//! * `affected[].package.ecosystem` maps through [`ecosystems::from_osv`]; an ecosystem we do
//!   not know keeps the entry with the raw ecosystem lowercased and every range unusable
//!   (`unknown ecosystem X`). Names are normalised with [`ecosystems::normalize_name`].
//! * ranges keep their events in source order. `ECOSYSTEM` versions are checked with the
//!   ecosystem's ordering, `SEMVER` versions with SemVer 2.0; a version the ordering refuses
//!   marks that range unusable (the record is kept). `GIT` ranges are recorded, not checked;
//!   their `repo` goes to `extra["git_repos"]`. A range without an `introduced` event is
//!   unusable (the schema requires one). An `ECOSYSTEM` range of an ecosystem with no version
//!   ordering here (RubyGems, Packagist, Hex, Pub) is unusable too.
//! * `versions` are kept as given; `ecosystem_specific`, `database_specific` and
//!   `package.purl` go to `extra`. Every entry has status `Affected`; several entries for one
//!   package stay separate.
//! * An entry without `package` (allowed for pure GIT ranges) is skipped with a warning: it
//!   cannot be keyed.

use serde_json::{Map, Value};

use super::common::{
    array_at, cvss_rating, events_unusable, finish_aliases, first_line, push_unique, str_at,
    text_at, type_name, Ctx,
};
use super::IngestError;
use crate::advisory::ecosystems;
use crate::advisory::model::{
    Advisory, Affected, AffectedStatus, Event, PackageKey, Range, RangeKind, SeverityRating,
};
use crate::version::Ecosystem;

/// Provenance source kind.
const SOURCE: &str = "osv";

/// An object with a string `id` and one of `affected`, `modified`, `schema_version`.
pub(super) fn looks_like_osv(value: &Value) -> bool {
    value.as_object().is_some_and(|m| {
        m.get("id").is_some_and(Value::is_string)
            && (m.contains_key("affected")
                || m.contains_key("modified")
                || m.contains_key("schema_version"))
    })
}

/// Normalise one OSV record, or an array of them.
pub(super) fn ingest(ctx: &mut Ctx, value: &Value) -> Result<Vec<Advisory>, IngestError> {
    match value {
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                match record(ctx, item) {
                    Ok(a) => out.push(a),
                    Err(why) => ctx.warn(format!("record {i}: {why}; skipped")),
                }
            }
            if out.is_empty() && !items.is_empty() {
                return Err(ctx.error("no usable OSV record in the array"));
            }
            Ok(out)
        }
        _ => record(ctx, value)
            .map(|a| vec![a])
            .map_err(|why| ctx.error(why)),
    }
}

fn record(ctx: &mut Ctx, v: &Value) -> Result<Advisory, String> {
    let Some(obj) = v.as_object() else {
        return Err(format!(
            "an OSV record must be an object, not {}",
            type_name(v)
        ));
    };
    let id = text_at(v, "id").ok_or("no \"id\" string")?.to_owned();

    let mut aliases = Vec::new();
    match array_at(v, "aliases") {
        Ok(list) => {
            for a in list {
                match a.as_str() {
                    Some(s) => aliases.push(s.to_owned()),
                    None => ctx.warn(format!("{id}: alias {a} is not a string; ignored")),
                }
            }
        }
        Err(t) => ctx.warn(format!("{id}: \"aliases\" is {t}, not an array; ignored")),
    }

    let summary = text_at(v, "summary")
        .map(str::to_owned)
        .or_else(|| str_at(v, "details").and_then(first_line));

    let mut severity = Vec::new();
    severities(ctx, &id, v, &mut severity);
    if let Some(label) = v
        .get("database_specific")
        .and_then(|d| text_at(d, "severity"))
    {
        push_unique(
            &mut severity,
            SeverityRating {
                kind: "ghsa".to_owned(),
                value: label.to_owned(),
                score: None,
            },
        );
    }

    let upstream: Vec<Value> = match array_at(v, "upstream") {
        Ok(list) => list.iter().filter(|u| u.is_string()).cloned().collect(),
        Err(t) => {
            ctx.warn(format!("{id}: \"upstream\" is {t}, not an array; ignored"));
            Vec::new()
        }
    };

    let mut affected = Vec::new();
    match array_at(v, "affected") {
        Ok(list) => {
            for (i, a) in list.iter().enumerate() {
                severities(ctx, &id, a, &mut severity);
                if let Some(entry) = affected_entry(ctx, &id, i, a, &upstream) {
                    affected.push(entry);
                }
            }
        }
        Err(t) => ctx.warn(format!("{id}: \"affected\" is {t}, not an array; ignored")),
    }

    let mut references = Vec::new();
    match array_at(v, "references") {
        Ok(list) => {
            for r in list {
                match text_at(r, "url") {
                    Some(url) => push_unique(&mut references, url.to_owned()),
                    None => ctx.warn(format!("{id}: reference without a \"url\" string; ignored")),
                }
            }
        }
        Err(t) => ctx.warn(format!(
            "{id}: \"references\" is {t}, not an array; ignored"
        )),
    }

    let time = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_owned);
    Ok(Advisory {
        aliases: finish_aliases(&id, aliases),
        summary,
        published: time("published"),
        modified: time("modified"),
        withdrawn: time("withdrawn"),
        severity,
        affected,
        references,
        provenance: ctx.provenance(SOURCE),
        id,
    })
}

/// `v.severity[]` into `out` (deduplicated).
fn severities(ctx: &mut Ctx, id: &str, v: &Value, out: &mut Vec<SeverityRating>) {
    let list = match array_at(v, "severity") {
        Ok(list) => list,
        Err(t) => {
            ctx.warn(format!("{id}: \"severity\" is {t}, not an array; ignored"));
            return;
        }
    };
    for s in list {
        let (Some(kind), Some(score)) = (text_at(s, "type"), text_at(s, "score")) else {
            ctx.warn(format!(
                "{id}: severity without \"type\" and \"score\" strings; ignored"
            ));
            continue;
        };
        let rating = match kind {
            "CVSS_V2" | "CVSS_V3" | "CVSS_V4" => cvss_rating(kind, score),
            _ => SeverityRating {
                kind: kind.to_owned(),
                value: score.to_owned(),
                score: None,
            },
        };
        push_unique(out, rating);
    }
}

fn affected_entry(
    ctx: &mut Ctx,
    id: &str,
    index: usize,
    a: &Value,
    upstream: &[Value],
) -> Option<Affected> {
    let Some(package) = a.get("package").filter(|p| p.is_object()) else {
        ctx.warn(format!("{id}: affected[{index}] has no package; skipped"));
        return None;
    };
    let (Some(raw_ecosystem), Some(raw_name)) =
        (text_at(package, "ecosystem"), text_at(package, "name"))
    else {
        ctx.warn(format!(
            "{id}: affected[{index}] package needs \"ecosystem\" and \"name\" strings; skipped"
        ));
        return None;
    };

    let (key, scheme, unknown) = match ecosystems::from_osv(raw_ecosystem) {
        Some(k) => {
            let scheme = ecosystems::version_scheme(&k.name);
            let key = PackageKey {
                name: ecosystems::normalize_name(&k.name, raw_name),
                ecosystem: k.name,
                release: k.release,
            };
            (key, scheme, None)
        }
        None => {
            let lower = raw_ecosystem.to_lowercase();
            let key = PackageKey {
                name: ecosystems::normalize_name(&lower, raw_name),
                ecosystem: lower,
                release: None,
            };
            (
                key,
                None,
                Some(format!("unknown ecosystem {raw_ecosystem}")),
            )
        }
    };

    let mut extra = Map::new();
    let mut ranges = Vec::new();
    let mut git_repos = Vec::new();
    match array_at(a, "ranges") {
        Ok(list) => {
            for (j, r) in list.iter().enumerate() {
                let at = format!("{id}: affected[{index}].ranges[{j}]");
                if let Some(range) = range(ctx, &at, r, &key.ecosystem, scheme, unknown.as_deref())
                {
                    if range.kind == RangeKind::Git {
                        if let Some(repo) = text_at(r, "repo") {
                            git_repos.push(Value::String(repo.to_owned()));
                        }
                    }
                    ranges.push(range);
                }
            }
        }
        Err(t) => ctx.warn(format!(
            "{id}: affected[{index}].ranges is {t}, not an array; ignored"
        )),
    }

    let mut versions = Vec::new();
    match array_at(a, "versions") {
        Ok(list) => {
            for v in list {
                match v.as_str() {
                    Some(s) => versions.push(s.to_owned()),
                    None => ctx.warn(format!(
                        "{id}: affected[{index}] version {v} is not a string; ignored"
                    )),
                }
            }
        }
        Err(t) => ctx.warn(format!(
            "{id}: affected[{index}].versions is {t}, not an array; ignored"
        )),
    }

    for k in ["ecosystem_specific", "database_specific"] {
        if let Some(x) = a.get(k).filter(|x| !x.is_null()) {
            extra.insert(k.to_owned(), x.clone());
        }
    }
    if let Some(purl) = text_at(package, "purl") {
        extra.insert("purl".to_owned(), Value::String(purl.to_owned()));
    }
    if !git_repos.is_empty() {
        extra.insert("git_repos".to_owned(), Value::Array(git_repos));
    }
    if !upstream.is_empty() {
        extra.insert("upstream".to_owned(), Value::Array(upstream.to_vec()));
    }

    Some(Affected {
        package: key,
        status: AffectedStatus::Affected,
        ranges,
        versions,
        extra: extra.into_iter().collect(),
    })
}

fn range(
    ctx: &mut Ctx,
    at: &str,
    r: &Value,
    key_ecosystem: &str,
    scheme: Option<Ecosystem>,
    unknown_ecosystem: Option<&str>,
) -> Option<Range> {
    let kind = match str_at(r, "type") {
        Some("ECOSYSTEM") => RangeKind::Ecosystem,
        Some("SEMVER") => RangeKind::Semver,
        Some("GIT") => RangeKind::Git,
        Some(other) => {
            ctx.warn(format!("{at}: unknown range type {other:?}; skipped"));
            return None;
        }
        None => {
            ctx.warn(format!("{at}: range without a \"type\" string; skipped"));
            return None;
        }
    };
    let mut events = Vec::new();
    match array_at(r, "events") {
        Ok(list) => {
            for e in list {
                match event(e) {
                    Some(ev) => events.push(ev),
                    None => ctx.warn(format!("{at}: unrecognised event {e}; ignored")),
                }
            }
        }
        Err(t) => ctx.warn(format!("{at}: \"events\" is {t}, not an array")),
    }
    let unusable = if let Some(why) = unknown_ecosystem {
        Some(why.to_owned())
    } else if kind == RangeKind::Git {
        None
    } else if !events.iter().any(|e| matches!(e, Event::Introduced(_))) {
        Some("range has no introduced event".to_owned())
    } else {
        match (kind, scheme) {
            (RangeKind::Semver, _) => events_unusable(Ecosystem::Semver, &events),
            (_, Some(s)) => events_unusable(s, &events),
            (_, None) => Some(format!("no version ordering for ecosystem {key_ecosystem}")),
        }
    };
    Some(Range {
        kind,
        events,
        unusable,
    })
}

/// One `{"introduced": ".."}` / `fixed` / `last_affected` / `limit` object.
fn event(e: &Value) -> Option<Event> {
    let obj = e.as_object()?;
    let (k, v) = obj.iter().find(|(k, _)| {
        matches!(
            k.as_str(),
            "introduced" | "fixed" | "last_affected" | "limit"
        )
    })?;
    let v = v.as_str()?.to_owned();
    Some(match k.as_str() {
        "introduced" => Event::Introduced(v),
        "fixed" => Event::Fixed(v),
        "last_affected" => Event::LastAffected(v),
        _ => Event::Limit(v),
    })
}

#[cfg(test)]
mod tests {
    use super::super::{ingest, testutil};
    use crate::advisory::model::{AffectedStatus, Event, RangeKind};

    fn one(document: &str, bytes: &[u8]) -> crate::advisory::Advisory {
        let out = ingest(document, bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.advisories.len(), 1, "{document}");
        out.advisories.into_iter().next().unwrap()
    }

    #[test]
    #[allow(clippy::print_stderr)]
    fn every_osv_fixture_ingests() {
        let mut files = Vec::new();
        for dir in [
            "advisories/go",
            "advisories/ghsa",
            "advisories/pypi",
            "advisories/debian",
        ] {
            files.extend(testutil::read_dir(dir, ".json"));
        }
        for dir in [
            "advisories/osv-schema/ghsa-conversion",
            "advisories/osv-schema/linter",
        ] {
            let suffix = if dir.ends_with("linter") {
                ".json"
            } else {
                ".osv.json"
            };
            files.extend(testutil::read_dir(dir, suffix));
        }
        assert!(files.len() >= 80, "{} files", files.len());
        let (mut affected, mut ranges, mut unusable, mut warnings) = (0, 0, 0, 0);
        for (rel, bytes) in &files {
            let out = ingest(rel, bytes).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(out.advisories.len(), 1, "{rel}");
            let a = &out.advisories[0];
            assert!(!a.id.is_empty());
            assert!(!a.aliases.contains(&a.id), "{rel}");
            assert!(a.aliases.windows(2).all(|w| w[0] < w[1]), "{rel}");
            assert_eq!(a.provenance.source, "osv");
            assert_eq!(a.provenance.document_sha256.len(), 64);
            affected += a.affected.len();
            for af in &a.affected {
                ranges += af.ranges.len();
                unusable += af.ranges.iter().filter(|r| r.unusable.is_some()).count();
            }
            warnings += out.warnings.len();
        }
        eprintln!(
            "osv fixtures: {} files, {affected} affected, {ranges} ranges, {unusable} unusable, {warnings} warnings",
            files.len()
        );
    }

    #[test]
    fn ghsa_lodash() {
        let a = one(
            "GHSA-35jh-r3h4-6jhm.json",
            &testutil::read("advisories/ghsa/GHSA-35jh-r3h4-6jhm.json"),
        );
        assert_eq!(a.id, "GHSA-35jh-r3h4-6jhm");
        assert_eq!(a.aliases, ["CVE-2021-23337"]);
        assert_eq!(a.summary.as_deref(), Some("Command Injection in lodash"));
        assert_eq!(a.published.as_deref(), Some("2021-05-06T16:05:51Z"));
        assert_eq!(a.affected.len(), 2);
        let names: Vec<_> = a.affected.iter().map(|x| x.package.name.as_str()).collect();
        assert_eq!(names, ["lodash", "lodash-es"]);
        let af = &a.affected[0];
        assert_eq!(af.package.ecosystem, "npm");
        assert_eq!(af.package.release, None);
        assert_eq!(af.status, AffectedStatus::Affected);
        assert_eq!(af.ranges.len(), 1);
        assert_eq!(af.ranges[0].kind, RangeKind::Ecosystem);
        assert_eq!(
            af.ranges[0].events,
            [
                Event::Introduced("0".into()),
                Event::Fixed("4.17.21".into())
            ]
        );
        assert!(af.extra.contains_key("ecosystem_specific"));
        assert_eq!(a.severity.len(), 2);
        assert_eq!(a.severity[0].kind, "CVSS_V3");
        assert_eq!(
            a.severity[0].value,
            "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"
        );
        // The score is whatever the CVSS module computes from the vector (None until it can).
        let expected = crate::advisory::cvss::parse(&a.severity[0].value)
            .ok()
            .map(|s| s.base_score);
        assert_eq!(a.severity[0].score, expected);
        assert_eq!(a.severity[1].kind, "ghsa");
        assert_eq!(a.severity[1].value, "HIGH");
        assert_eq!(a.references.len(), 17);
        assert_eq!(
            a.references[0],
            "https://nvd.nist.gov/vuln/detail/CVE-2021-23337"
        );
    }

    #[test]
    fn go_semver_range() {
        let a = one(
            "GO-2022-0603.json",
            &testutil::read("advisories/go/GO-2022-0603.json"),
        );
        assert_eq!(a.aliases, ["CVE-2022-28948", "GHSA-hp87-p4gw-j4gq"]);
        let af = &a.affected[0];
        assert_eq!(af.package.ecosystem, "golang");
        assert_eq!(af.package.name, "gopkg.in/yaml.v3");
        assert_eq!(af.ranges[0].kind, RangeKind::Semver);
        assert_eq!(
            af.ranges[0].events[1],
            Event::Fixed("3.0.0-20220521103104-8f96da9f5d5e".into())
        );
    }

    #[test]
    fn debian_dsa_and_dla() {
        let a = one(
            "DSA-3029-1.json",
            &testutil::read("advisories/debian/DSA-3029-1.json"),
        );
        assert_eq!(a.summary.as_deref(), Some("nginx - security update"));
        assert_eq!(a.aliases, ["CVE-2014-3616"]);
        let af = &a.affected[0];
        assert_eq!(
            (
                af.package.ecosystem.as_str(),
                af.package.release.as_deref(),
                af.package.name.as_str()
            ),
            ("debian", Some("7"), "nginx")
        );
        assert_eq!(
            af.ranges[0].events,
            [
                Event::Introduced("0".into()),
                Event::Fixed("1.2.1-2.2+wheezy3".into())
            ]
        );

        // DLA: `upstream` list and an empty `affected`.
        let out = ingest(
            "DLA-3623-1.json",
            &testutil::read("advisories/debian/DLA-3623-1.json"),
        )
        .unwrap();
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
        let a = &out.advisories[0];
        assert_eq!(a.id, "DLA-3623-1");
        assert!(a.affected.is_empty());
        assert!(a.aliases.is_empty(), "upstream ids are not aliases");
        assert_eq!(a.summary, None);
        assert_eq!(a.modified.as_deref(), Some("2025-10-13T15:48:05.749899Z"));
    }

    #[test]
    fn summary_falls_back_to_first_line_of_details() {
        let a = one(
            "x.json",
            br#"{"id":"PYSEC-1","modified":"2024-01-01T00:00:00Z","details":"\n\n  First line.\nSecond."}"#,
        );
        assert_eq!(a.summary.as_deref(), Some("First line."));
    }

    #[test]
    fn related_is_not_an_alias_and_upstream_goes_to_extra() {
        let a = one(
            "x.json",
            br#"{"id":"RHSA-2022:0216","modified":"2024-01-01T00:00:00Z",
                "aliases":["CVE-2","CVE-1","CVE-2","RHSA-2022:0216"],
                "related":["CVE-9"], "upstream":["CVE-7"],
                "affected":[{"package":{"ecosystem":"Red Hat:enterprise_linux:9::appstream","name":"log4j"},
                  "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"0:2.17.1-1.el9"}]}]}]}"#,
        );
        assert_eq!(a.aliases, ["CVE-1", "CVE-2"]);
        let af = &a.affected[0];
        assert_eq!(af.package.ecosystem, "redhat");
        assert_eq!(af.package.release.as_deref(), Some("9"));
        assert_eq!(af.extra["upstream"], serde_json::json!(["CVE-7"]));
    }

    #[test]
    fn unknown_ecosystem_keeps_entry_with_unusable_ranges() {
        let a = one(
            "x.json",
            br#"{"id":"OSV-1","modified":"2024-01-01T00:00:00Z",
                "affected":[{"package":{"ecosystem":"Martian:2","name":"Rover"},
                  "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.0"}]},
                            {"type":"GIT","repo":"https://x","events":[{"introduced":"0"}]}]}]}"#,
        );
        let af = &a.affected[0];
        assert_eq!(af.package.ecosystem, "martian:2");
        assert_eq!(af.package.name, "Rover");
        assert_eq!(af.ranges.len(), 2);
        for r in &af.ranges {
            assert_eq!(r.unusable.as_deref(), Some("unknown ecosystem Martian:2"));
        }
    }

    #[test]
    fn unparsable_version_marks_only_that_range_unusable() {
        let a = one(
            "x.json",
            br#"{"id":"GHSA-xxxx-yyyy-zzzz","modified":"2024-01-01T00:00:00Z",
                "affected":[
                 {"package":{"ecosystem":"Debian:12","name":"zlib"},
                  "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.2 3 has spaces"}]},
                            {"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1:1.2.13.dfsg-1"}]}]},
                 {"package":{"ecosystem":"npm","name":"left-pad"},
                  "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"not.a.version!"}]}]},
                 {"package":{"ecosystem":"npm","name":"right-pad"},
                  "ranges":[{"type":"SEMVER","events":[{"fixed":"1.0.0"}]}]},
                 {"package":{"ecosystem":"RubyGems","name":"rails"},
                  "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"7.0.1"}]}]}
                ]}"#,
        );
        assert_eq!(a.affected.len(), 4);
        let deb = &a.affected[0].ranges;
        let why = deb[0].unusable.as_deref().expect("unusable");
        assert!(why.contains("1.2 3 has spaces"), "{why}");
        assert!(why.starts_with("unparsable deb version"), "{why}");
        // The second range depends on the dpkg comparator being implemented; it must not
        // inherit the first range's problem either way.
        if let Some(w) = &deb[1].unusable {
            assert!(!w.contains("has spaces"), "{w}");
        }
        let npm = &a.affected[1].ranges[0];
        assert!(
            npm.unusable
                .as_deref()
                .is_some_and(|w| w.contains("not.a.version!")),
            "{npm:?}"
        );
        assert_eq!(
            a.affected[2].ranges[0].unusable.as_deref(),
            Some("range has no introduced event")
        );
        assert_eq!(
            a.affected[3].ranges[0].unusable.as_deref(),
            Some("no version ordering for ecosystem gem")
        );
    }

    #[test]
    fn pypi_names_are_normalised() {
        let a = one(
            "x.json",
            br#"{"id":"PYSEC-2","modified":"2024-01-01T00:00:00Z",
                "affected":[{"package":{"ecosystem":"PyPI","name":"Django_Rest.Framework","purl":"pkg:pypi/django-rest-framework"},
                  "versions":["1.0","1.1"]}]}"#,
        );
        let af = &a.affected[0];
        assert_eq!(af.package.name, "django-rest-framework");
        assert_eq!(af.versions, ["1.0", "1.1"]);
        assert_eq!(
            af.extra["purl"],
            serde_json::json!("pkg:pypi/django-rest-framework")
        );
    }

    #[test]
    fn multiple_ranges_and_entries_stay_separate() {
        // Events keep source order, even when one range holds two introduced/fixed pairs.
        let a = one(
            "x.osv.json",
            &testutil::read(
                "advisories/osv-schema/ghsa-conversion/multiple_ranges_in_package.osv.json",
            ),
        );
        assert_eq!(
            a.affected[0].ranges[0].events,
            [
                Event::Introduced("0".into()),
                Event::Introduced("4.0.1".into()),
                Event::Fixed("4.0.5".into()),
                Event::Fixed("3.0.21".into())
            ]
        );
        let a = one(
            "x.osv.json",
            &testutil::read("advisories/osv-schema/linter/CVE-2018-5407.json"),
        );
        assert!(a.affected.len() > 3);
        assert!(a
            .affected
            .iter()
            .all(|x| x.package.ecosystem == "alpine" && x.package.name == "openssl"));
        assert_eq!(a.affected[0].package.release.as_deref(), Some("3.3"));
    }

    #[test]
    fn withdrawn_is_kept() {
        let a = one(
            "x.osv.json",
            &testutil::read("advisories/osv-schema/ghsa-conversion/withdrawn.osv.json"),
        );
        assert!(a.withdrawn.is_some());
    }

    #[test]
    fn arrays_of_records_and_bad_parts_are_warnings() {
        let out = ingest(
            "all.json",
            br#"[{"id":"GO-1","modified":"x","affected":[{"ranges":[]}, {"package":{"ecosystem":"Go"}},
                   {"package":{"ecosystem":"Go","name":"m"},"ranges":[{"type":"WEIRD","events":[]},
                     {"type":"SEMVER","events":[{"introduced":"0"},{"bogus":"1"},{"fixed":7}]}]}],
                  "severity":[{"type":"CVSS_V3"}], "references":[{"type":"WEB"}], "aliases":"CVE-1"},
                 {"id": 5}, "nope"]"#,
        )
        .unwrap();
        assert_eq!(out.advisories.len(), 1);
        let a = &out.advisories[0];
        assert_eq!(a.affected.len(), 1);
        assert_eq!(a.affected[0].ranges.len(), 1);
        assert_eq!(a.affected[0].ranges[0].events.len(), 1);
        assert!(out.warnings.len() >= 8, "{:#?}", out.warnings);
        assert!(out.warnings.iter().all(|w| w.starts_with("all.json: ")));

        let e = ingest("bad.json", br#"[{"id": " ", "modified": "x"}, 1]"#).unwrap_err();
        assert!(e.message.contains("no usable OSV record"), "{e}");
    }
}
