//! CSAF 2.0 (OASIS Common Security Advisory Framework; security advisories and the VEX
//! profile), as published by Red Hat and others.
//!
//! # Products
//!
//! A product map is built from `product_tree`: `branches` (recursively; a product inherits the
//! name of its enclosing `architecture` branch, and a `product_version` branch's name is the
//! product's version text), `full_product_names`, `product_groups`, and `relationships`
//! (any category; Red Hat uses `default_component_of`): a relationship's
//! `full_product_name.product_id` is *component* `product_reference` on *platform*
//! `relates_to_product_reference`.
//!
//! A product id from `product_status` resolves to a [`PackageKey`] and an optional version:
//!
//! * the component's identity comes from its purl (`product_identification_helper.purl`:
//!   `rpm`/`deb`/`apk`, or a language type known to [`from_purl_type`]); without a
//!   purl, from an RPM NEVRA in the `product_version` name (`name-[E:]V-R.arch`, older Red Hat
//!   documents). The RPM epoch (purl `epoch` qualifier or NEVRA `E:`) is written as an `E:`
//!   prefix of the version unless it is `0` (rpm orders a missing epoch as 0). The arch goes to
//!   `extra["arch"]`.
//! * an OS package's ecosystem and release come from the platform's CPE: vendor `redhat` is
//!   ecosystem `redhat`, release the `elN` edition when the CPE has one
//!   (`cpe:/a:redhat:openstack:16.1::el8` → `8`), else the major version of
//!   `enterprise_linux` / `rhel_*` products (`cpe:/o:redhat:rhel_eus:9.2::baseos` → `9`). A few
//!   other distribution vendors (CentOS, Rocky, Alma, Oracle, Fedora, SUSE, Debian, Ubuntu,
//!   Alpine) map to their ecosystems. Without a platform, the purl's `distro` qualifier is used.
//!   A language package (`pkg:maven/...`) is keyed by its own ecosystem whatever the platform.
//! * anything else (no purl and no NEVRA, `pkg:oci/...`, a platform whose release cannot be
//!   told, an id missing from the tree) is a warning naming the product id, once per document,
//!   and the product is skipped.
//!
//! # Vulnerabilities
//!
//! One [`Advisory`] per vulnerability, id = `cve` (else the first `ids[].text`), source `csaf`.
//! Aliases are `ids[].text` and — only when the document has exactly one vulnerability — the
//! document's `tracking.id`. A multi-CVE document id (`RHSA-2020:1358` fixes two CVEs) is not
//! an alias: aliases merge records transitively ([`crate::advisory::merge`]), so it would fuse
//! distinct CVEs into one vulnerability. It is kept in every entry's `extra["advisory"]`.
//!
//! | `product_status` | status | ranges / versions |
//! |---|---|---|
//! | `fixed`, `first_fixed` | `Affected` | `[introduced 0, fixed V]` |
//! | `known_affected` | `Affected` (`WillNotFix` when a `no_fix_planned` remediation covers it) | `versions [V]`, or `[introduced 0]` for a version-less product |
//! | `first_affected` | same | `[introduced V]` |
//! | `last_affected` | same | `[introduced 0, last_affected V]` |
//! | `known_not_affected` | `NotAffected` (flag label in `extra["justification"]`) | `versions [V]` if versioned |
//! | `under_investigation` | `Unknown` | `versions [V]` if versioned |
//!
//! A `fixed` product without a version is a warning. Identical entries (same key, status,
//! ranges, versions) are merged; their arches and platform CPEs are collected as sorted lists in
//! `extra["arch"]` / `extra["cpe"]`. Severity: `scores[].cvss_v3` / `cvss_v2` vectors (score
//! from the vector, else the document's `baseScore`), and `threats[]` of category `impact` whose
//! details is a severity word (Red Hat's `Important`) as kind `csaf-impact`. Summary is the
//! `title`, else the first line of a `summary`/`description` note; `release_date` (else the
//! document's initial release) is `published`, the document's current release is `modified`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::common::{
    array_at, cvss_rating, events_unusable, finish_aliases, first_line, push_unique, str_at,
    text_at, type_name, Ctx,
};
use super::IngestError;
use crate::advisory::ecosystems::{
    alpine_release, debian_release, distro_key, distro_release, from_purl_type, normalize_name,
    version_scheme,
};
use crate::advisory::model::{
    Advisory, Affected, AffectedStatus, Event, PackageKey, Range, RangeKind, SeverityRating,
};
use crate::version::Ecosystem;

/// Provenance source kind.
const SOURCE: &str = "csaf";

/// Nesting limit for `branches` (serde_json already refuses deeper documents).
const MAX_DEPTH: usize = 100;

/// A product of the tree.
#[derive(Debug, Default, Clone)]
struct Product {
    name: Option<String>,
    cpe: Option<String>,
    purl: Option<String>,
    /// Name of the `product_version` branch holding it.
    version_name: Option<String>,
    /// Name of the enclosing `architecture` branch.
    arch: Option<String>,
}

#[derive(Debug, Default)]
struct Tree {
    products: BTreeMap<String, Product>,
    /// Relationship product id -> (component id, platform id).
    relationships: BTreeMap<String, (String, String)>,
    groups: BTreeMap<String, Vec<String>>,
}

/// What a product id resolves to.
#[derive(Debug, Clone)]
struct Resolved {
    key: PackageKey,
    version: Option<String>,
    arch: Option<String>,
    cpe: Option<String>,
    scheme: Option<Ecosystem>,
}

/// Identity of a component product.
#[derive(Debug, Clone)]
enum Ident {
    /// A distribution package; `distro` is the purl `distro` qualifier.
    Os {
        kind: &'static str,
        name: String,
        version: Option<String>,
        arch: Option<String>,
        distro: Option<String>,
    },
    /// A language package in a key ecosystem.
    Lang {
        ecosystem: &'static str,
        name: String,
        version: Option<String>,
    },
}

/// Normalise a CSAF document.
pub(super) fn ingest(ctx: &mut Ctx, value: &Value) -> Result<Vec<Advisory>, IngestError> {
    let document = value.get("document").filter(|d| d.is_object());
    let Some(document) = document else {
        return Err(ctx.error("no \"document\" object"));
    };
    let vulnerabilities = match value.get("vulnerabilities") {
        None | Some(Value::Null) => {
            ctx.warn("no vulnerabilities in this document");
            return Ok(Vec::new());
        }
        Some(Value::Array(v)) => v,
        Some(other) => {
            return Err(ctx.error(format!(
                "\"vulnerabilities\" is {}, not an array",
                type_name(other)
            )))
        }
    };
    let tree = build_tree(ctx, value.get("product_tree"));
    let tracking = document.get("tracking");
    let tracking_id = tracking.and_then(|t| text_at(t, "id")).map(str::to_owned);
    let initial = tracking.and_then(|t| text_at(t, "initial_release_date"));
    let current = tracking.and_then(|t| text_at(t, "current_release_date"));
    let mut doc_refs = Vec::new();
    if let Ok(list) = array_at(document, "references") {
        for r in list {
            if let Some(url) = text_at(r, "url") {
                push_unique(&mut doc_refs, url.to_owned());
            }
        }
    }

    let mut resolver = Resolver {
        tree,
        cache: BTreeMap::new(),
    };
    let single = vulnerabilities.len() == 1;
    let mut out = Vec::with_capacity(vulnerabilities.len());
    for (i, v) in vulnerabilities.iter().enumerate() {
        if !v.is_object() {
            ctx.warn(format!(
                "vulnerabilities[{i}] is {}, not an object; skipped",
                type_name(v)
            ));
            continue;
        }
        let ids: Vec<String> = array_at(v, "ids")
            .unwrap_or_default()
            .iter()
            .filter_map(|x| text_at(x, "text"))
            .map(str::to_owned)
            .collect();
        let Some(id) = text_at(v, "cve")
            .map(str::to_owned)
            .or_else(|| ids.first().cloned())
        else {
            ctx.warn(format!(
                "vulnerabilities[{i}] has neither \"cve\" nor \"ids\"; skipped"
            ));
            continue;
        };
        let mut aliases = ids;
        if single {
            aliases.extend(tracking_id.clone());
        }

        let summary = text_at(v, "title").map(str::to_owned).or_else(|| {
            array_at(v, "notes")
                .unwrap_or_default()
                .iter()
                .find_map(|n| {
                    matches!(str_at(n, "category"), Some("summary" | "description"))
                        .then(|| str_at(n, "text").and_then(first_line))
                        .flatten()
                })
        });

        let mut references = Vec::new();
        for r in array_at(v, "references").unwrap_or_default() {
            if let Some(url) = text_at(r, "url") {
                push_unique(&mut references, url.to_owned());
            }
        }
        for url in &doc_refs {
            push_unique(&mut references, url.clone());
        }

        let affected = affected_entries(ctx, &mut resolver, &id, v, tracking_id.as_deref());

        out.push(Advisory {
            aliases: finish_aliases(&id, aliases),
            summary,
            published: text_at(v, "release_date").or(initial).map(str::to_owned),
            modified: current.map(str::to_owned),
            withdrawn: None,
            severity: severities(v),
            affected,
            references,
            provenance: ctx.provenance(SOURCE),
            id,
        });
    }
    Ok(out)
}

fn severities(v: &Value) -> Vec<SeverityRating> {
    let mut out = Vec::new();
    for s in array_at(v, "scores").unwrap_or_default() {
        for (field, kind) in [("cvss_v3", "CVSS_V3"), ("cvss_v2", "CVSS_V2")] {
            let Some(c) = s.get(field) else { continue };
            let Some(vector) = text_at(c, "vectorString") else {
                continue;
            };
            let mut rating = cvss_rating(kind, vector);
            if rating.score.is_none() {
                rating.score = c
                    .get("baseScore")
                    .and_then(Value::as_f64)
                    .filter(|s| (0.0..=10.0).contains(s));
            }
            push_unique(&mut out, rating);
        }
    }
    for t in array_at(v, "threats").unwrap_or_default() {
        if str_at(t, "category") != Some("impact") {
            continue;
        }
        let Some(details) = text_at(t, "details") else {
            continue;
        };
        let word = details.to_ascii_lowercase();
        if matches!(
            word.as_str(),
            "critical" | "important" | "high" | "moderate" | "medium" | "low" | "none"
        ) {
            push_unique(
                &mut out,
                SeverityRating {
                    kind: "csaf-impact".to_owned(),
                    value: details.to_owned(),
                    score: None,
                },
            );
        }
    }
    out
}

/// Which product_status list a product came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Listed {
    Fixed,
    KnownAffected,
    FirstAffected,
    LastAffected,
    NotAffected,
    UnderInvestigation,
}

type EntryKey = (PackageKey, AffectedStatus, Vec<Range>, Vec<String>);

/// What merged entries collect.
#[derive(Default)]
struct EntryExtra {
    arch: BTreeSet<String>,
    cpe: BTreeSet<String>,
    justification: Option<String>,
}

fn affected_entries(
    ctx: &mut Ctx,
    resolver: &mut Resolver,
    vuln_id: &str,
    v: &Value,
    tracking_id: Option<&str>,
) -> Vec<Affected> {
    let Some(status) = v.get("product_status").filter(|s| !s.is_null()) else {
        return Vec::new();
    };
    let lists = [
        ("fixed", Listed::Fixed),
        ("first_fixed", Listed::Fixed),
        ("known_affected", Listed::KnownAffected),
        ("first_affected", Listed::FirstAffected),
        ("last_affected", Listed::LastAffected),
        ("known_not_affected", Listed::NotAffected),
        ("under_investigation", Listed::UnderInvestigation),
    ];

    let no_fix_planned: BTreeSet<String> = array_at(v, "remediations")
        .unwrap_or_default()
        .iter()
        .filter(|r| str_at(r, "category") == Some("no_fix_planned"))
        .flat_map(|r| resolver.product_ids(r))
        .collect();
    let mut justification: BTreeMap<String, String> = BTreeMap::new();
    for f in array_at(v, "flags").unwrap_or_default() {
        if let Some(label) = text_at(f, "label") {
            for pid in resolver.product_ids(f) {
                justification.entry(pid).or_insert_with(|| label.to_owned());
            }
        }
    }

    let mut merged: BTreeMap<EntryKey, EntryExtra> = BTreeMap::new();
    for (field, listed) in lists {
        let ids = match array_at(status, field) {
            Ok(ids) => ids,
            Err(t) => {
                ctx.warn(format!(
                    "{vuln_id}: product_status.{field} is {t}, not an array; ignored"
                ));
                continue;
            }
        };
        for pid in ids {
            let Some(pid) = pid.as_str() else {
                ctx.warn(format!(
                    "{vuln_id}: product_status.{field} entry {pid} is not a string; ignored"
                ));
                continue;
            };
            let Some(r) = resolver.resolve(ctx, pid) else {
                continue;
            };
            let will_not_fix = no_fix_planned.contains(pid);
            let affected_status = if will_not_fix {
                AffectedStatus::WillNotFix
            } else {
                AffectedStatus::Affected
            };
            let version = r.version.clone();
            let (status, ranges, versions) = match (listed, version) {
                (Listed::Fixed, Some(v)) => (
                    AffectedStatus::Affected,
                    vec![range(r.scheme, vec![intro0(), Event::Fixed(v)])],
                    Vec::new(),
                ),
                (Listed::Fixed, None) => {
                    ctx.warn(format!(
                        "{vuln_id}: fixed product {pid} has no version; skipped"
                    ));
                    continue;
                }
                (Listed::KnownAffected, Some(v)) => (affected_status, Vec::new(), vec![v]),
                (Listed::FirstAffected, Some(v)) => (
                    affected_status,
                    vec![range(r.scheme, vec![Event::Introduced(v)])],
                    Vec::new(),
                ),
                (Listed::LastAffected, Some(v)) => (
                    affected_status,
                    vec![range(r.scheme, vec![intro0(), Event::LastAffected(v)])],
                    Vec::new(),
                ),
                (Listed::KnownAffected | Listed::FirstAffected | Listed::LastAffected, None) => (
                    affected_status,
                    vec![range(r.scheme, vec![intro0()])],
                    Vec::new(),
                ),
                (Listed::NotAffected, v) => (
                    AffectedStatus::NotAffected,
                    Vec::new(),
                    v.into_iter().collect(),
                ),
                (Listed::UnderInvestigation, v) => {
                    (AffectedStatus::Unknown, Vec::new(), v.into_iter().collect())
                }
            };
            let entry = merged
                .entry((r.key.clone(), status, ranges, versions))
                .or_default();
            entry.arch.extend(r.arch.clone());
            entry.cpe.extend(r.cpe.clone());
            if status == AffectedStatus::NotAffected && entry.justification.is_none() {
                entry.justification = justification.get(pid).cloned();
            }
        }
    }

    merged
        .into_iter()
        .map(|((package, status, ranges, versions), x)| {
            let EntryExtra {
                arch,
                cpe,
                justification: why,
            } = x;
            let mut extra = BTreeMap::new();
            let list =
                |s: BTreeSet<String>| Value::Array(s.into_iter().map(Value::String).collect());
            if !arch.is_empty() {
                extra.insert("arch".to_owned(), list(arch));
            }
            if !cpe.is_empty() {
                extra.insert("cpe".to_owned(), list(cpe));
            }
            if let Some(why) = why {
                extra.insert("justification".to_owned(), Value::String(why));
            }
            if let Some(t) = tracking_id.filter(|t| *t != vuln_id) {
                extra.insert("advisory".to_owned(), Value::String(t.to_owned()));
            }
            Affected {
                package,
                status,
                ranges,
                versions,
                extra,
            }
        })
        .collect()
}

fn intro0() -> Event {
    Event::Introduced("0".to_owned())
}

fn range(scheme: Option<Ecosystem>, events: Vec<Event>) -> Range {
    let unusable = match scheme {
        Some(s) => events_unusable(s, &events),
        None => Some("no version ordering for this ecosystem".to_owned()),
    };
    Range {
        kind: RangeKind::Ecosystem,
        events,
        unusable,
    }
}

// ---------------------------------------------------------------------------------------------
// Product tree

fn build_tree(ctx: &mut Ctx, product_tree: Option<&Value>) -> Tree {
    let mut tree = Tree::default();
    let Some(pt) = product_tree.filter(|p| p.is_object()) else {
        if product_tree.is_some_and(|p| !p.is_null()) {
            ctx.warn("\"product_tree\" is not an object; ignored");
        }
        return tree;
    };
    walk_branches(ctx, &mut tree, pt, None, 0);
    for fpn in array_at(pt, "full_product_names").unwrap_or_default() {
        add_product(&mut tree, fpn, None, None);
    }
    for g in array_at(pt, "product_groups").unwrap_or_default() {
        if let Some(gid) = text_at(g, "group_id") {
            let ids = array_at(g, "product_ids")
                .unwrap_or_default()
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
            tree.groups.insert(gid.to_owned(), ids);
        }
    }
    for r in array_at(pt, "relationships").unwrap_or_default() {
        let pid = r
            .get("full_product_name")
            .and_then(|f| text_at(f, "product_id"));
        let component = text_at(r, "product_reference");
        let platform = text_at(r, "relates_to_product_reference");
        match (pid, component, platform) {
            (Some(pid), Some(c), Some(p)) => {
                tree.relationships
                    .insert(pid.to_owned(), (c.to_owned(), p.to_owned()));
            }
            _ => ctx.warn(
                "relationship without full_product_name.product_id, product_reference and relates_to_product_reference; ignored",
            ),
        }
    }
    tree
}

fn walk_branches(ctx: &mut Ctx, tree: &mut Tree, node: &Value, arch: Option<&str>, depth: usize) {
    let branches = match array_at(node, "branches") {
        Ok(b) => b,
        Err(t) => {
            ctx.warn(format!("\"branches\" is {t}, not an array; ignored"));
            return;
        }
    };
    if depth > MAX_DEPTH {
        ctx.warn("product_tree branches nested too deeply; ignored below");
        return;
    }
    for b in branches {
        let category = str_at(b, "category");
        let name = text_at(b, "name");
        let arch = if category == Some("architecture") {
            name.or(arch)
        } else {
            arch
        };
        if let Some(p) = b.get("product") {
            let version_name = (category == Some("product_version"))
                .then_some(name)
                .flatten();
            add_product(tree, p, version_name, arch);
        }
        walk_branches(ctx, tree, b, arch, depth + 1);
    }
}

fn add_product(tree: &mut Tree, p: &Value, version_name: Option<&str>, arch: Option<&str>) {
    let Some(pid) = text_at(p, "product_id") else {
        return;
    };
    let helper = p.get("product_identification_helper");
    let product = Product {
        name: text_at(p, "name").map(str::to_owned),
        cpe: helper.and_then(|h| text_at(h, "cpe")).map(str::to_owned),
        purl: helper.and_then(|h| text_at(h, "purl")).map(str::to_owned),
        version_name: version_name.map(str::to_owned),
        arch: arch.map(str::to_owned),
    };
    tree.products.entry(pid.to_owned()).or_insert(product);
}

struct Resolver {
    tree: Tree,
    cache: BTreeMap<String, Option<Resolved>>,
}

impl Resolver {
    /// `product_ids` plus the members of `group_ids` of a remediation / flag / threat.
    fn product_ids(&self, v: &Value) -> Vec<String> {
        let mut out: Vec<String> = array_at(v, "product_ids")
            .unwrap_or_default()
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        for g in array_at(v, "group_ids").unwrap_or_default() {
            if let Some(members) = g.as_str().and_then(|g| self.tree.groups.get(g)) {
                out.extend(members.iter().cloned());
            }
        }
        out
    }

    /// Resolve a product id (memoised; a failure is warned about once).
    fn resolve(&mut self, ctx: &mut Ctx, pid: &str) -> Option<Resolved> {
        if let Some(r) = self.cache.get(pid) {
            return r.clone();
        }
        let r = match resolve(&self.tree, pid) {
            Ok(r) => Some(r),
            Err(why) => {
                ctx.warn(format!("product {pid:?}: {why}; skipped"));
                None
            }
        };
        self.cache.insert(pid.to_owned(), r.clone());
        r
    }
}

fn resolve(tree: &Tree, pid: &str) -> Result<Resolved, String> {
    let (component, platform) = match tree.relationships.get(pid) {
        Some((c, p)) => {
            let component = tree
                .products
                .get(c)
                .ok_or_else(|| format!("component {c:?} is not in the product tree"))?;
            let platform = tree
                .products
                .get(p)
                .ok_or_else(|| format!("platform {p:?} is not in the product tree"))?;
            (component, Some(platform))
        }
        None => (
            tree.products.get(pid).ok_or("not in the product tree")?,
            None,
        ),
    };
    let platform_cpe = platform.and_then(|p| p.cpe.clone());
    match identity(component)? {
        Ident::Lang {
            ecosystem,
            name,
            version,
        } => Ok(Resolved {
            key: PackageKey {
                ecosystem: ecosystem.to_owned(),
                release: None,
                name,
            },
            version,
            arch: None,
            cpe: platform_cpe,
            scheme: version_scheme(ecosystem),
        }),
        Ident::Os {
            kind,
            name,
            version,
            arch,
            distro,
        } => {
            let (ecosystem, release) = match (&platform_cpe, platform, distro) {
                (Some(cpe), _, _) => cpe_distro(cpe)?,
                (None, Some(p), _) => {
                    return Err(format!(
                        "platform {:?} has no CPE",
                        p.name.as_deref().unwrap_or("?")
                    ))
                }
                (None, None, Some(d)) => match d.split_once('-') {
                    Some((id, v)) => (distro_key(id).to_owned(), Some(distro_release(id, v))),
                    None => (distro_key(&d).to_owned(), None),
                },
                (None, None, None) => {
                    return Err(
                        "a distribution package with neither a platform nor a distro qualifier"
                            .to_owned(),
                    )
                }
            };
            let scheme = version_scheme(&ecosystem);
            let expected = match kind {
                "deb" => Ecosystem::Deb,
                "apk" => Ecosystem::Apk,
                _ => Ecosystem::Rpm,
            };
            if scheme != Some(expected) {
                return Err(format!(
                    "{kind} package on platform ecosystem {ecosystem:?}"
                ));
            }
            Ok(Resolved {
                key: PackageKey {
                    ecosystem,
                    release,
                    name,
                },
                version,
                arch,
                cpe: platform_cpe,
                scheme,
            })
        }
    }
}

/// Identity of a component product: purl first, else an RPM NEVRA name.
fn identity(p: &Product) -> Result<Ident, String> {
    if let Some(raw) = &p.purl {
        let purl = parse_purl(raw).ok_or_else(|| format!("unparsable purl {raw:?}"))?;
        let q = |k: &str| purl.qualifiers.get(k).cloned().filter(|v| !v.is_empty());
        return match purl.ty.as_str() {
            "rpm" | "deb" | "apk" => {
                let kind = match purl.ty.as_str() {
                    "rpm" => "rpm",
                    "deb" => "deb",
                    _ => "apk",
                };
                let version = purl.version.map(|v| match q("epoch") {
                    Some(e) if kind == "rpm" && e != "0" && !v.contains(':') => format!("{e}:{v}"),
                    _ => v,
                });
                Ok(Ident::Os {
                    kind,
                    name: purl.name,
                    version,
                    arch: q("arch").or_else(|| p.arch.clone()),
                    distro: q("distro"),
                })
            }
            other => {
                let ecosystem = from_purl_type(other)
                    .ok_or_else(|| format!("unsupported purl type {other:?}"))?;
                let full = match &purl.namespace {
                    Some(ns) => format!("{ns}/{}", purl.name),
                    None => purl.name.clone(),
                };
                Ok(Ident::Lang {
                    ecosystem,
                    name: normalize_name(ecosystem, &full),
                    version: purl.version,
                })
            }
        };
    }
    let text = p
        .version_name
        .as_deref()
        .or(p.name.as_deref())
        .ok_or("no purl and no name")?;
    let (name, evr, arch) = parse_nevra(text).ok_or("no purl, and the name is not an RPM NEVRA")?;
    Ok(Ident::Os {
        kind: "rpm",
        name,
        version: Some(evr),
        arch: arch.or_else(|| p.arch.clone()),
        distro: None,
    })
}

/// RPM architectures recognised as the last `.`-suffix of a NEVRA.
const ARCHES: [&str; 17] = [
    "noarch", "src", "nosrc", "x86_64", "i386", "i486", "i586", "i686", "aarch64", "ppc64le",
    "ppc64", "ppc", "s390x", "s390", "armv7hl", "armhfp", "riscv64",
];

/// `name-[E:]V-R[.arch]` -> (name, `[E:]V-R` without a `0:` epoch, arch).
fn parse_nevra(s: &str) -> Option<(String, String, Option<String>)> {
    let s = s.trim();
    if s.is_empty() || s.contains(char::is_whitespace) {
        return None;
    }
    let (rest, arch) = match s.rsplit_once('.') {
        Some((r, a)) if ARCHES.contains(&a) => (r, Some(a.to_owned())),
        _ => (s, None),
    };
    let (nv, release) = rest.rsplit_once('-')?;
    let (name, version) = nv.rsplit_once('-')?;
    let (epoch, version) = match version.split_once(':') {
        Some((e, v)) if !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()) => (Some(e), v),
        Some(_) => return None,
        None => (None, version),
    };
    if name.is_empty()
        || release.is_empty()
        || !version.starts_with(|c: char| c.is_ascii_alphanumeric())
    {
        return None;
    }
    let evr = match epoch {
        Some(e) if e.trim_start_matches('0').is_empty() => format!("{version}-{release}"),
        Some(e) => format!("{e}:{version}-{release}"),
        None => format!("{version}-{release}"),
    };
    Some((name.to_owned(), evr, arch))
}

/// Ecosystem and release of a platform CPE (2.2 URI or 2.3 formatted string).
fn cpe_distro(cpe: &str) -> Result<(String, Option<String>), String> {
    let fields: Vec<&str> = if let Some(rest) = cpe.strip_prefix("cpe:/") {
        rest.split(':').collect()
    } else if let Some(rest) = cpe.strip_prefix("cpe:2.3:") {
        rest.split(':').collect()
    } else {
        return Err(format!("platform CPE {cpe:?} is not a CPE"));
    };
    let field = |i: usize| {
        fields
            .get(i)
            .copied()
            .map(str::trim)
            .filter(|f| !f.is_empty() && *f != "*" && *f != "-")
            .map(str::to_ascii_lowercase)
    };
    let vendor = field(1).unwrap_or_default();
    let product = field(2).unwrap_or_default();
    let version = field(3);
    let major = |v: &str| v.split(['.', ':']).next().unwrap_or(v).to_owned();
    let unknown_release = || format!("cannot tell the release of platform {cpe:?}");
    match (vendor.as_str(), product.as_str()) {
        ("redhat", _) => {
            let el = fields.iter().skip(3).find_map(|f| {
                let f = f.trim().to_ascii_lowercase();
                let digits = f.strip_prefix("el")?;
                let digits = digits.split('_').next().unwrap_or(digits);
                (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| digits.to_owned())
            });
            let release = match el {
                Some(r) => r,
                None if product == "enterprise_linux" || product.starts_with("rhel_") => {
                    major(&version.ok_or_else(unknown_release)?)
                }
                None => return Err(unknown_release()),
            };
            Ok(("redhat".to_owned(), Some(release)))
        }
        (v, p) => {
            let ecosystem = match (v, p) {
                ("centos", _) => "centos",
                ("rocky", _) | ("rockylinux", _) => "rocky",
                ("almalinux", _) => "almalinux",
                ("oracle", "linux") => "ol",
                ("fedoraproject", "fedora") => "fedora",
                ("suse", _) => "sles",
                ("opensuse", _) => "opensuse",
                ("debian", "debian_linux") => "debian",
                ("canonical", "ubuntu_linux") => "ubuntu",
                ("alpinelinux", _) | ("alpine", _) => "alpine",
                _ => return Err(format!("platform {cpe:?} is not a known distribution")),
            };
            let version = version.ok_or_else(unknown_release)?;
            let release = match ecosystem {
                "debian" => debian_release(&version).to_owned(),
                "ubuntu" => version,
                "alpine" => alpine_release(&version).to_owned(),
                _ => major(&version),
            };
            Ok((ecosystem.to_owned(), Some(release)))
        }
    }
}

/// A parsed package URL (enough of the purl spec for identities).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Purl {
    ty: String,
    namespace: Option<String>,
    name: String,
    version: Option<String>,
    qualifiers: BTreeMap<String, String>,
}

fn parse_purl(s: &str) -> Option<Purl> {
    let rest = s.trim().strip_prefix("pkg:")?.trim_start_matches('/');
    let rest = rest.split_once('#').map_or(rest, |(r, _)| r);
    let (rest, qualifiers) = match rest.split_once('?') {
        Some((r, q)) => (r, q),
        None => (rest, ""),
    };
    let mut quals = BTreeMap::new();
    for pair in qualifiers.split('&').filter(|p| !p.is_empty()) {
        if let Some((k, v)) = pair.split_once('=') {
            quals.insert(k.to_ascii_lowercase(), decode(v));
        }
    }
    let (ty, path) = rest.split_once('/')?;
    let (path, version) = match path.rsplit_once('@') {
        Some((p, v)) if !v.contains('/') => (p, Some(decode(v)).filter(|v| !v.is_empty())),
        _ => (path, None),
    };
    let path = path.trim_matches('/');
    let (namespace, name) = match path.rsplit_once('/') {
        Some((ns, n)) => (
            Some(ns.split('/').map(decode).collect::<Vec<_>>().join("/")),
            decode(n),
        ),
        None => (None, decode(path)),
    };
    if name.is_empty() || ty.is_empty() {
        return None;
    }
    Some(Purl {
        ty: ty.to_ascii_lowercase(),
        namespace: namespace.filter(|n| !n.is_empty()),
        name,
        version,
        qualifiers: quals,
    })
}

/// Percent-decoding (invalid escapes are kept literally).
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(v) = hex {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::super::{ingest, testutil};
    use super::*;

    #[test]
    fn parses_nevra() {
        assert_eq!(
            parse_nevra("libguestfs-1:1.38.4-14.module+el8.1.0+4066+0f1aadab.aarch64"),
            Some((
                "libguestfs".into(),
                "1:1.38.4-14.module+el8.1.0+4066+0f1aadab".into(),
                Some("aarch64".into())
            ))
        );
        assert_eq!(
            parse_nevra("SLOF-0:20171214-6.gitfa98132.module+el8.1.0+4066+0f1aadab.noarch"),
            Some((
                "SLOF".into(),
                "20171214-6.gitfa98132.module+el8.1.0+4066+0f1aadab".into(),
                Some("noarch".into())
            ))
        );
        assert_eq!(
            parse_nevra("openssl-1.1.1k-9.el8_6"),
            Some(("openssl".into(), "1.1.1k-9.el8_6".into(), None))
        );
        for bad in ["kernel", "4.2", "", "a b-1-2", "x-:1-2", "-1-2"] {
            assert_eq!(parse_nevra(bad), None, "{bad}");
        }
    }

    #[test]
    fn parses_purls() {
        let p = parse_purl(
            "pkg:rpm/redhat/openstack-nova@20.4.1-1.20221005193235.el8ost?arch=src&epoch=1",
        )
        .unwrap();
        assert_eq!(p.ty, "rpm");
        assert_eq!(p.namespace.as_deref(), Some("redhat"));
        assert_eq!(p.name, "openstack-nova");
        assert_eq!(p.version.as_deref(), Some("20.4.1-1.20221005193235.el8ost"));
        assert_eq!(p.qualifiers["epoch"], "1");
        let p =
            parse_purl("pkg:rpm/redhat/libguestfs@1.38.4-14.module%2Bel8.1.0?arch=x86_64").unwrap();
        assert_eq!(p.version.as_deref(), Some("1.38.4-14.module+el8.1.0"));
        let p = parse_purl("pkg:npm/@angular/core").unwrap();
        assert_eq!(
            (p.namespace.as_deref(), p.name.as_str(), p.version),
            (Some("@angular"), "core", None)
        );
        let p = parse_purl("pkg:npm/%40angular/core@1.0.0").unwrap();
        assert_eq!(p.namespace.as_deref(), Some("@angular"));
        assert_eq!(p.version.as_deref(), Some("1.0.0"));
        assert_eq!(parse_purl("pkg:maven/@1.3.4"), None);
        assert_eq!(parse_purl("nope"), None);
        assert_eq!(parse_purl("pkg:rpm/x@1%"), parse_purl("pkg:rpm/x@1%"));
    }

    #[test]
    fn platform_cpes() {
        let c = |s: &str| cpe_distro(s).map(|(e, r)| (e, r.unwrap_or_default()));
        assert_eq!(
            c("cpe:/o:redhat:enterprise_linux:9::baseos"),
            Ok(("redhat".into(), "9".into()))
        );
        assert_eq!(
            c("cpe:/a:redhat:enterprise_linux:8::appstream"),
            Ok(("redhat".into(), "8".into()))
        );
        assert_eq!(
            c("cpe:/o:redhat:rhel_eus:9.2::baseos"),
            Ok(("redhat".into(), "9".into()))
        );
        assert_eq!(
            c("cpe:/a:redhat:openstack:16.1::el8"),
            Ok(("redhat".into(), "8".into()))
        );
        assert_eq!(
            c("cpe:/a:redhat:rhel_software_collections:3::el7"),
            Ok(("redhat".into(), "7".into()))
        );
        assert_eq!(
            c("cpe:2.3:o:redhat:enterprise_linux:9:*:*:*:*:*:*:*"),
            Ok(("redhat".into(), "9".into()))
        );
        assert_eq!(
            c("cpe:/o:debian:debian_linux:12"),
            Ok(("debian".into(), "12".into()))
        );
        assert!(c("cpe:/a:redhat:openshift:4.13").is_err());
        assert!(c("cpe:/a:example:thing:1").is_err());
        assert!(c("not a cpe").is_err());
    }

    #[test]
    fn red_hat_rhsa_2020_1358() {
        let rel = "vex/csaf/go-vex-csaf/rhsa-2020_1358.json";
        let out = ingest("rhsa-2020_1358.json", &testutil::read(rel)).unwrap();
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
        let ids: Vec<_> = out.advisories.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["CVE-2020-1711", "CVE-2020-7039"]);
        let a = &out.advisories[0];
        assert_eq!(a.provenance.source, "csaf");
        assert_eq!(
            a.aliases,
            ["https://bugzilla.redhat.com/show_bug.cgi?id=1794290"],
            "two CVEs: the RHSA id is not an alias"
        );
        assert_eq!(
            a.summary.as_deref(),
            Some(
                "CVE-2020-1711 QEMU: block: iscsi: OOB heap access via an unexpected response of iSCSI Server"
            )
        );
        assert_eq!(a.published.as_deref(), Some("2020-01-23T00:00:00Z"));
        assert_eq!(a.modified.as_deref(), Some("2020-04-07T14:17:00Z"));
        assert!(a
            .references
            .contains(&"https://access.redhat.com/errata/RHSA-2020:1358".to_owned()));
        let v3 = a.severity.iter().find(|s| s.kind == "CVSS_V3").unwrap();
        assert_eq!(v3.value, "CVSS:3.1/AV:N/AC:H/PR:L/UI:N/S:C/C:L/I:L/A:L");
        assert_eq!(v3.score, Some(6.0));
        assert!(a
            .severity
            .iter()
            .any(|s| s.kind == "csaf-impact" && s.value == "Important"));

        // 737 (platform, NEVRA) products collapse to one entry per (package, release, fix).
        assert!(a.affected.iter().all(|x| x.package.ecosystem == "redhat"
            && x.package.release.as_deref() == Some("8")
            && x.status == AffectedStatus::Affected));
        eprintln_count(a.affected.len());
        assert!(a
            .affected
            .iter()
            .all(|x| x.ranges.iter().all(|r| r.unusable.is_none())));
        let find = |name: &str| {
            a.affected
                .iter()
                .find(|x| x.package.name == name)
                .unwrap_or_else(|| panic!("{name}"))
        };
        let lg = find("libguestfs");
        assert_eq!(
            lg.ranges[0].events,
            [
                Event::Introduced("0".into()),
                Event::Fixed("1:1.38.4-14.module+el8.1.0+4066+0f1aadab".into())
            ]
        );
        assert_eq!(
            lg.extra["arch"],
            serde_json::json!(["aarch64", "ppc64le", "s390x", "src", "x86_64"])
        );
        assert_eq!(
            lg.extra["cpe"],
            serde_json::json!(["cpe:/a:redhat:enterprise_linux:8::appstream"])
        );
        assert_eq!(lg.extra["advisory"], "RHSA-2020:1358");
        let hivex = find("hivex");
        assert_eq!(
            hivex.ranges[0].events[1],
            Event::Fixed("1.3.15-7.module+el8.1.0+4066+0f1aadab".into())
        );
        let qemu = find("qemu-kvm");
        assert_eq!(
            qemu.ranges[0].events[1],
            Event::Fixed("15:2.12.0-88.module+el8.1.0+5708+85d8e057.3".into())
        );
        // CRB and AppStream both are RHEL 8: one entry, both CPEs.
        let both = a
            .affected
            .iter()
            .find(|x| x.extra["cpe"].as_array().is_some_and(|c| c.len() == 2));
        assert!(both.is_some());
        // Entries are unique.
        let mut keys: Vec<_> = a
            .affected
            .iter()
            .map(|x| (&x.package, x.status, &x.ranges, &x.versions))
            .collect();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n);
    }

    #[allow(clippy::print_stderr)]
    fn eprintln_count(n: usize) {
        eprintln!("rhsa-2020_1358 CVE-2020-1711: {n} affected entries");
    }

    #[test]
    fn rhsa_2019_1862_has_no_vulnerabilities() {
        let rel = "vex/csaf/oasis-csaf_2.0-advisories/rhsa-2019_1862.json";
        let out = ingest("rhsa-2019_1862.json", &testutil::read(rel)).unwrap();
        assert!(out.advisories.is_empty());
        assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
    }

    #[test]
    #[allow(clippy::print_stderr)]
    fn every_csaf_fixture_ingests_without_panicking() {
        let mut n = 0;
        let mut advisories = 0;
        let mut warnings = 0;
        for dir in [
            "vex/csaf/go-vex-csaf",
            "vex/csaf/oasis-csaf_2.0-advisories",
            "vex/csaf/oasis-csaf_2.0-vex",
            "vex/csaf/oasis-csaf_2.0-validator-testdata/mandatory",
            "vex/csaf/oasis-csaf_2.0-validator-testdata/optional",
            "vex/csaf/oasis-csaf_2.0-validator-testdata/informative",
        ] {
            for (rel, bytes) in testutil::read_dir(dir, ".json") {
                if let Ok(out) = ingest(&rel, &bytes) {
                    advisories += out.advisories.len();
                    warnings += out.warnings.len();
                }
                n += 1;
            }
        }
        assert!(n > 50);
        eprintln!("csaf fixtures: {n} files, {advisories} advisories, {warnings} warnings");
    }

    /// Modern Red Hat VEX shape (verified with the search tool against Red Hat's published
    /// CSAF/VEX documentation): purls on `product_version` products, `epoch` qualifier,
    /// version-less unfixed components, `no_fix_planned` remediations, flags and groups.
    const VEX: &str = r#"{
      "document": {
        "category": "csaf_vex", "csaf_version": "2.0", "title": "kernel",
        "publisher": {"category": "vendor", "name": "Red Hat Product Security", "namespace": "https://www.redhat.com"},
        "tracking": {"id": "CVE-2024-0001", "status": "final", "version": "1",
                     "initial_release_date": "2024-01-01T00:00:00Z", "current_release_date": "2024-02-01T00:00:00Z",
                     "revision_history": []}
      },
      "product_tree": {
        "branches": [{"category": "vendor", "name": "Red Hat", "branches": [
          {"category": "product_family", "name": "Red Hat Enterprise Linux", "branches": [
            {"category": "product_name", "name": "Red Hat Enterprise Linux 9",
             "product": {"name": "Red Hat Enterprise Linux 9", "product_id": "red_hat_enterprise_linux_9",
                         "product_identification_helper": {"cpe": "cpe:/o:redhat:enterprise_linux:9"}}},
            {"category": "product_name", "name": "Red Hat Enterprise Linux 8",
             "product": {"name": "Red Hat Enterprise Linux 8", "product_id": "red_hat_enterprise_linux_8",
                         "product_identification_helper": {"cpe": "cpe:/o:redhat:enterprise_linux:8"}}},
            {"category": "product_name", "name": "RHEL 9.2 EUS",
             "product": {"name": "RHEL 9.2 EUS", "product_id": "BaseOS-9.2.0.Z.EUS",
                         "product_identification_helper": {"cpe": "cpe:/o:redhat:rhel_eus:9.2::baseos"}}}
          ]},
          {"category": "product_version", "name": "kernel",
           "product": {"name": "kernel", "product_id": "kernel",
                       "product_identification_helper": {"purl": "pkg:rpm/redhat/kernel?arch=src"}}},
          {"category": "product_version", "name": "rhc",
           "product": {"name": "rhc", "product_id": "rhc",
                       "product_identification_helper": {"purl": "pkg:rpm/redhat/rhc?arch=src"}}},
          {"category": "product_version", "name": "ubi9",
           "product": {"name": "ubi9", "product_id": "ubi9",
                       "product_identification_helper": {"purl": "pkg:oci/ubi9?repository_url=registry.redhat.io"}}},
          {"category": "architecture", "name": "src", "branches": [
            {"category": "product_version", "name": "grub2-1:2.06-61.el9_2.1.src",
             "product": {"name": "grub2-1:2.06-61.el9_2.1.src", "product_id": "grub2-1:2.06-61.el9_2.1.src",
                         "product_identification_helper": {"purl": "pkg:rpm/redhat/grub2@2.06-61.el9_2.1?arch=src&epoch=1"}}}
          ]},
          {"category": "product_version", "name": "log4j-core",
           "product": {"name": "log4j-core", "product_id": "log4j-core-2.17.1",
                       "product_identification_helper": {"purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1.redhat-00001?type=jar"}}}
        ]}],
        "product_groups": [{"group_id": "wnf", "product_ids": ["red_hat_enterprise_linux_8:rhc"]}],
        "relationships": [
          {"category": "default_component_of", "product_reference": "kernel", "relates_to_product_reference": "red_hat_enterprise_linux_9",
           "full_product_name": {"name": "kernel as a component of RHEL 9", "product_id": "red_hat_enterprise_linux_9:kernel"}},
          {"category": "default_component_of", "product_reference": "kernel", "relates_to_product_reference": "red_hat_enterprise_linux_8",
           "full_product_name": {"name": "kernel as a component of RHEL 8", "product_id": "red_hat_enterprise_linux_8:kernel"}},
          {"category": "default_component_of", "product_reference": "rhc", "relates_to_product_reference": "red_hat_enterprise_linux_8",
           "full_product_name": {"name": "rhc as a component of RHEL 8", "product_id": "red_hat_enterprise_linux_8:rhc"}},
          {"category": "default_component_of", "product_reference": "ubi9", "relates_to_product_reference": "red_hat_enterprise_linux_9",
           "full_product_name": {"name": "ubi9", "product_id": "red_hat_enterprise_linux_9:ubi9"}},
          {"category": "default_component_of", "product_reference": "grub2-1:2.06-61.el9_2.1.src", "relates_to_product_reference": "BaseOS-9.2.0.Z.EUS",
           "full_product_name": {"name": "grub2 on 9.2 EUS", "product_id": "BaseOS-9.2.0.Z.EUS:grub2-1:2.06-61.el9_2.1.src"}},
          {"category": "default_component_of", "product_reference": "log4j-core-2.17.1", "relates_to_product_reference": "red_hat_enterprise_linux_8",
           "full_product_name": {"name": "log4j", "product_id": "red_hat_enterprise_linux_8:log4j-core-2.17.1"}}
        ]
      },
      "vulnerabilities": [{
        "cve": "CVE-2024-0001",
        "ids": [{"system_name": "Red Hat Bugzilla ID", "text": "2250000"}],
        "notes": [{"category": "description", "text": "A flaw was found.\nMore.", "title": "Vulnerability description"}],
        "product_status": {
          "fixed": ["BaseOS-9.2.0.Z.EUS:grub2-1:2.06-61.el9_2.1.src", "red_hat_enterprise_linux_8:log4j-core-2.17.1"],
          "known_affected": ["red_hat_enterprise_linux_9:kernel", "red_hat_enterprise_linux_8:rhc", "red_hat_enterprise_linux_9:ubi9", "no-such-product"],
          "known_not_affected": ["red_hat_enterprise_linux_8:kernel"],
          "under_investigation": ["red_hat_enterprise_linux_9:ubi9"]
        },
        "flags": [{"label": "vulnerable_code_not_present", "product_ids": ["red_hat_enterprise_linux_8:kernel"]}],
        "remediations": [
          {"category": "no_fix_planned", "details": "Out of support scope", "group_ids": ["wnf"]},
          {"category": "none_available", "details": "Affected", "product_ids": ["red_hat_enterprise_linux_9:kernel"]}
        ],
        "scores": [{"cvss_v3": {"version": "3.1", "vectorString": "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", "baseScore": 7.8, "baseSeverity": "HIGH"},
                    "products": ["red_hat_enterprise_linux_9:kernel"]}],
        "threats": [{"category": "impact", "details": "Moderate"}]
      }]
    }"#;

    #[test]
    fn modern_red_hat_vex() {
        let out = ingest("cve-2024-0001.json", VEX.as_bytes()).unwrap();
        assert_eq!(
            out.warnings.len(),
            2,
            "ubi9 (oci) once, no-such-product once: {:#?}",
            out.warnings
        );
        assert!(out
            .warnings
            .iter()
            .any(|w| w.contains("\"red_hat_enterprise_linux_9:ubi9\"")
                && w.contains("unsupported purl type \"oci\"")));
        assert!(out.warnings.iter().any(|w| w.contains("no-such-product")));
        let a = &out.advisories[0];
        assert_eq!(a.id, "CVE-2024-0001");
        assert_eq!(
            a.aliases,
            ["2250000"],
            "single vulnerability: tracking id == cve"
        );
        assert_eq!(a.summary.as_deref(), Some("A flaw was found."));
        assert_eq!(a.published.as_deref(), Some("2024-01-01T00:00:00Z"));
        let got: Vec<_> = a
            .affected
            .iter()
            .map(|x| {
                (
                    x.package.ecosystem.as_str(),
                    x.package.release.as_deref().unwrap_or("-"),
                    x.package.name.as_str(),
                    x.status,
                    x.ranges
                        .iter()
                        .map(|r| r.events.clone())
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        let i0 = || Event::Introduced("0".into());
        assert_eq!(
            got,
            [
                (
                    "maven",
                    "-",
                    "org.apache.logging.log4j:log4j-core",
                    AffectedStatus::Affected,
                    vec![vec![i0(), Event::Fixed("2.17.1.redhat-00001".into())]]
                ),
                ("redhat", "8", "kernel", AffectedStatus::NotAffected, vec![]),
                (
                    "redhat",
                    "8",
                    "rhc",
                    AffectedStatus::WillNotFix,
                    vec![vec![i0()]]
                ),
                (
                    "redhat",
                    "9",
                    "grub2",
                    AffectedStatus::Affected,
                    vec![vec![i0(), Event::Fixed("1:2.06-61.el9_2.1".into())]]
                ),
                (
                    "redhat",
                    "9",
                    "kernel",
                    AffectedStatus::Affected,
                    vec![vec![i0()]]
                ),
            ]
        );
        assert_eq!(
            a.affected[1].extra["justification"],
            "vulnerable_code_not_present"
        );
        assert_eq!(a.affected[3].extra["arch"], serde_json::json!(["src"]));
        assert!(a
            .severity
            .iter()
            .any(|s| s.kind == "CVSS_V3" && s.score == Some(7.8)));
        assert!(a
            .severity
            .iter()
            .any(|s| s.kind == "csaf-impact" && s.value == "Moderate"));
    }

    #[test]
    fn malformed_csaf() {
        let e = ingest(
            "c.json",
            br#"{"document":{"csaf_version":"2.0"},"vulnerabilities":7}"#,
        )
        .unwrap_err();
        assert!(e.message.contains("not an array"), "{e}");
        let out = ingest(
            "c.json",
            br#"{"document":{"csaf_version":"2.0"},"product_tree":{"branches":5,"relationships":[{}]},
                 "vulnerabilities":[5, {}, {"cve":"CVE-1","product_status":{"fixed":"x","known_affected":[3,"p"]}}]}"#,
        )
        .unwrap();
        assert_eq!(out.advisories.len(), 1);
        assert!(out.warnings.len() >= 6, "{:#?}", out.warnings);
    }
}
