//! `pnpm-lock.yaml`, lockfileVersion 5.x, 6.x and 9.x (YAML, the subset of [`super::yaml`]).
//!
//! Every document of the file is read (pnpm 10 writes its own installation as a first
//! document: those packages get `npm:package-manager = "true"`). Each key of `packages:` is
//! one package:
//! - a registry dependency path: `/name/1.0.0` (v5, peer suffix `_...`), `/name@1.0.0`
//!   (v6, peer suffix `(...)`), `name@1.0.0` (v9), scoped names included;
//! - anything else (tarball, git, `file:` keys) takes its name and version from the entry's
//!   `name:` and `version:` fields; `name:`/`version:` fields also win over the key when
//!   present.
//!
//! Entries resolved from a local directory (`resolution: {directory: ..}`) are the project's
//! own code and skipped, as are entries with no usable version. `dev: true` (v5/v6) becomes
//! `npm:dev = "true"`. v9 `snapshots:` keys whose package (peer suffix removed) is not listed
//! under `packages:` are added too. Not supported: v5 keys with a registry host prefix and no
//! `name`/`version` fields, dev flags of v9 lockfiles.

use super::yaml::{self, Node};
use super::{split_name_version, Collector};

pub(super) fn parse(out: &mut Collector, text: &str) {
    let docs = match yaml::parse_documents(text) {
        Ok(d) => d,
        Err(e) => {
            out.error(format!(
                "pnpm lockfile is not in the supported YAML subset: {e}"
            ));
            return;
        }
    };
    for (i, doc) in docs.iter().enumerate() {
        let version = doc.get("lockfileVersion").and_then(Node::as_str);
        let Some(major) = version.and_then(major_version) else {
            out.error(format!(
                "document {} has no lockfileVersion; not read as a pnpm lockfile",
                i + 1
            ));
            continue;
        };
        if major > 9 {
            out.warning(format!(
                "unknown lockfileVersion {major}; read as version 9"
            ));
        }
        let props: &[(&str, &str)] = if is_self_management(doc) {
            &[("npm:package-manager", "true")]
        } else {
            &[]
        };
        let packages = doc.get("packages");
        for (key, info) in packages.map(Node::entries).unwrap_or_default() {
            package(out, key, info, major, props);
        }
        for (key, _) in doc.get("snapshots").map(Node::entries).unwrap_or_default() {
            let base = key.split('(').next().unwrap_or(key);
            if packages.and_then(|p| p.get(base)).is_some() {
                continue;
            }
            if let Some((name, Some(version))) = parse_key(key, major) {
                out.add_with(name, version, Vec::new(), false, props);
            }
        }
    }
}

/// `5.4` / `'6.0'` / `9.0` → 5 / 6 / 9.
fn major_version(v: &str) -> Option<u32> {
    v.trim().split('.').next()?.parse().ok()
}

/// A document that only installs pnpm itself: importers with `packageManagerDependencies`
/// or `configDependencies` and no project dependencies.
fn is_self_management(doc: &Node) -> bool {
    let importers = doc.get("importers").map(Node::entries).unwrap_or_default();
    let has = |keys: &[&str]| {
        importers
            .iter()
            .any(|(_, imp)| keys.iter().any(|k| imp.get(k).is_some()))
    };
    has(&["packageManagerDependencies", "configDependencies"])
        && !has(&["dependencies", "devDependencies", "optionalDependencies"])
}

fn package(out: &mut Collector, key: &str, info: &Node, major: u32, props: &[(&str, &str)]) {
    let resolution = info.get("resolution");
    if resolution.and_then(|r| r.get("directory")).is_some()
        || resolution
            .and_then(|r| r.get("type"))
            .and_then(Node::as_str)
            == Some("directory")
    {
        return;
    }
    let from_key = parse_key(key, major);
    let name = info
        .get("name")
        .and_then(Node::as_str)
        .or(from_key.map(|(n, _)| n));
    let version = info
        .get("version")
        .and_then(Node::as_str)
        .or(from_key.and_then(|(_, v)| v));
    let (Some(name), Some(version)) = (name, version) else {
        return;
    };
    let dev = info.get("dev").and_then(Node::as_str) == Some("true");
    out.add_with(name, version, Vec::new(), dev, props);
}

/// Name and (registry) version of a dependency-path key. The version is `None` when the key
/// does not carry one (tarball URLs, `file:` paths, git).
fn parse_key(key: &str, major: u32) -> Option<(&str, Option<&str>)> {
    let (path, slash) = match key.strip_prefix('/') {
        Some(p) => (p, true),
        None => (key, false),
    };
    if !slash && major < 9 {
        return None;
    }
    let (name, version) = if major < 6 && slash {
        split_v5(path)?
    } else {
        split_name_version(path)?
    };
    let mut version = version.split('(').next().unwrap_or(version);
    if major < 6 {
        version = version.split('_').next().unwrap_or(version);
    }
    let usable = !version.is_empty() && !version.contains([':', '/']);
    Some((name, usable.then_some(version)))
}

/// `@scope/name/1.0.0` / `name/1.0.0` → (name, version).
fn split_v5(path: &str) -> Option<(&str, &str)> {
    let from = if path.starts_with('@') {
        path.find('/')? + 1
    } else {
        0
    };
    let slash = path.get(from..)?.find('/')? + from;
    Some((path.get(..slash)?, path.get(slash + 1..)?))
}
