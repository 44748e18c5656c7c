//! npm ecosystem: installed packages (`node_modules/**/package.json`) and the lockfiles of
//! source trees (`package-lock.json` v1/v2/v3 and `npm-shrinkwrap.json`, `yarn.lock` v1 and
//! berry, `pnpm-lock.yaml` v5/v6/v9).
//!
//! Every parser reads one file's bytes and returns a [`LangScan`]: packages deduplicated by
//! (full name, version) within the file and sorted by (full name, version), the full name
//! being `@scope/name` for scoped packages; the purl namespace is the npm scope (`@babel`). Installed packages are [`Evidence::Installed`],
//! lockfile entries [`Evidence::Declared`]; `location` is the path given.
//!
//! What each lockfile contributes:
//! - `package-lock.json` v2/v3: the `packages` map. The root `""` entry, `link: true` entries
//!   and workspace folders (keys without `node_modules/`) are skipped; the name is the part of
//!   the key after the last `node_modules/`, or the entry's `name` (aliases); `license` as in
//!   `package.json`; `dev: true` becomes `npm:dev = "true"` (kept only when every occurrence
//!   of the package is dev). v1 (no `packages`): the nested `dependencies` tree; `npm:<name>@<v>`
//!   alias versions give the real name; `file:`/`link:` versions are skipped.
//! - `yarn.lock` v1 (see [`yarn`]) and berry (YAML; `__metadata`, `workspace:`, `link:`,
//!   `portal:`, `file:` and soft-linked entries skipped).
//! - `pnpm-lock.yaml` (see [`pnpm`]).
//!
//! Not supported: `bun.lock`/`bun.lockb`, `deno.lock` (an error diagnostic), dev flags of yarn
//! and pnpm v9 lockfiles (they need `package.json` or a graph walk), dependency edges.

mod pnpm;
mod yaml;
mod yarn;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use stellaops_core::license::declared;
use stellaops_core::{Diagnostic, License};

use super::{purl, Confidence, Evidence, LangEcosystem, LangPackage, LangScan};

/// Deepest `dependencies` nesting read from a v1 `package-lock.json`.
const MAX_V1_DEPTH: usize = 64;

/// An installed package: `node_modules/**/package.json` (path given as in the image, e.g.
/// `usr/lib/node_modules/npm/package.json`).
///
/// No package when the file is not a package manifest with a non-empty `name` and `version`
/// (a workspace root, a nested test fixture without version, a JSON document that is not an
/// object); a warning diagnostic when it is not valid JSON. Licenses come from `license` (a
/// string, a `{type}` object or an array of those) or else the legacy `licenses` array.
pub fn parse_installed_package_json(path: &str, bytes: &[u8]) -> LangScan {
    let mut out = Collector::new(path, Evidence::Installed);
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            out.diagnostics.push(Diagnostic::warning(
                Some(path.to_owned()),
                format!("package.json is not valid JSON: {e}"),
            ));
            return out.finish();
        }
    };
    if let Some(obj) = value.as_object() {
        if let (Some(name), Some(version)) = (str_field(obj, "name"), str_field(obj, "version")) {
            out.add(name, version, json_licenses(obj), false);
        }
    }
    out.finish()
}

/// Lockfiles (declared): `package-lock.json` v1/v2/v3 (and `npm-shrinkwrap.json`),
/// `yarn.lock` v1 and berry, `pnpm-lock.yaml` (v5, v6, v9).
///
/// The format is chosen by file name: `*.json` is an npm lockfile, a name containing `pnpm`
/// (or ending `.yaml`/`.yml`) a pnpm lockfile, a name containing `yarn` a yarn lockfile
/// (berry when it has a top-level `__metadata:`). A file that cannot be read as its format
/// gives an error diagnostic and no packages; a partly malformed one keeps what was read and
/// warns.
pub fn parse_lockfile(path: &str, bytes: &[u8]) -> LangScan {
    let mut out = Collector::new(path, Evidence::Declared);
    let name = file_name(path).to_ascii_lowercase();
    if name.ends_with(".json") {
        parse_package_lock(&mut out, bytes);
    } else if name.contains("pnpm") || name.ends_with(".yaml") || name.ends_with(".yml") {
        let text = out.decode(bytes);
        pnpm::parse(&mut out, &text);
    } else if name.contains("yarn") {
        let text = out.decode(bytes);
        yarn::parse(&mut out, &text);
    } else {
        out.error("not a supported npm lockfile (package-lock.json, yarn.lock, pnpm-lock.yaml)");
    }
    out.finish()
}

/// Whether `path` names an npm lockfile [`parse_lockfile`] reads.
pub fn is_node_lockfile(path: &str) -> bool {
    matches!(
        file_name(path),
        "package-lock.json" | "npm-shrinkwrap.json" | "yarn.lock" | "pnpm-lock.yaml"
    )
}

/// True for `.../node_modules/<name>/package.json` and
/// `.../node_modules/@scope/<name>/package.json` at any depth (including pnpm's
/// `node_modules/.pnpm/<id>/node_modules/<name>/package.json`).
pub fn is_installed_package_json(path: &str) -> bool {
    let mut parts = path.rsplit('/');
    if parts.next() != Some("package.json") {
        return false;
    }
    let Some(name) = parts.next() else {
        return false;
    };
    if !valid_dir_name(name) || name.starts_with('@') {
        return false;
    }
    match parts.next() {
        Some("node_modules") => true,
        Some(scope) if scope.len() > 1 && scope.starts_with('@') && valid_dir_name(scope) => {
            parts.next() == Some("node_modules")
        }
        _ => false,
    }
}

fn valid_dir_name(name: &str) -> bool {
    !name.is_empty() && !name.starts_with('.') && !name.starts_with('_')
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn str_field<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    obj.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Declared licenses of a `package.json` (or `package-lock.json` entry) object.
fn json_licenses(obj: &Map<String, Value>) -> Vec<License> {
    let mut out = Vec::new();
    if let Some(v) = obj.get("license") {
        collect_licenses(v, true, &mut out);
    }
    if out.is_empty() {
        if let Some(v) = obj.get("licenses") {
            collect_licenses(v, true, &mut out);
        }
    }
    let mut seen = Vec::with_capacity(out.len());
    out.retain(|l| {
        let new = !seen.contains(l);
        if new {
            seen.push(l.clone());
        }
        new
    });
    out
}

fn collect_licenses(v: &Value, top: bool, out: &mut Vec<License>) {
    match v {
        Value::String(s) => out.extend(declared(s)),
        Value::Object(o) => {
            if let Some(t) = o.get("type").and_then(Value::as_str) {
                out.extend(declared(t));
            }
        }
        Value::Array(items) if top => {
            for item in items {
                collect_licenses(item, false, out);
            }
        }
        _ => {}
    }
}

/// Splits `name@version` where the name may be scoped (`@scope/name@1.0.0`).
fn split_name_version(spec: &str) -> Option<(&str, &str)> {
    let from = usize::from(spec.starts_with('@'));
    let at = spec.get(from..)?.find('@')? + from;
    let name = spec.get(..at)?;
    let version = spec.get(at + 1..)?;
    (!name.is_empty() && name != "@").then_some((name, version))
}

/// `package-lock.json` / `npm-shrinkwrap.json`, any lockfileVersion.
fn parse_package_lock(out: &mut Collector, bytes: &[u8]) {
    let root: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            out.error(format!("package-lock is not valid JSON: {e}"));
            return;
        }
    };
    let Some(root) = root.as_object() else {
        out.error("package-lock is not a JSON object");
        return;
    };
    if let Some(v) = root.get("lockfileVersion").and_then(Value::as_u64) {
        if !(1..=3).contains(&v) {
            out.warning(format!("unknown lockfileVersion {v}; read as version 3"));
        }
    }
    if let Some(packages) = root.get("packages").and_then(Value::as_object) {
        for (key, entry) in packages {
            let Some(entry) = entry.as_object() else {
                continue;
            };
            if key.is_empty() || entry.get("link").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            // Workspace folders (`functions/func1`) are the project's own code.
            let Some(key_name) = key.rsplit_once("node_modules/").map(|(_, n)| n) else {
                continue;
            };
            let name = str_field(entry, "name").unwrap_or(key_name);
            let Some(version) = str_field(entry, "version") else {
                continue;
            };
            let dev = entry.get("dev").and_then(Value::as_bool) == Some(true);
            out.add(name, version, json_licenses(entry), dev);
        }
    } else if let Some(deps) = root.get("dependencies").and_then(Value::as_object) {
        walk_v1(out, deps, 0);
    }
}

fn walk_v1(out: &mut Collector, deps: &Map<String, Value>, depth: usize) {
    if depth > MAX_V1_DEPTH {
        out.warning(format!(
            "dependencies nested deeper than {MAX_V1_DEPTH} levels were not read"
        ));
        return;
    }
    for (key, entry) in deps {
        let Some(entry) = entry.as_object() else {
            continue;
        };
        let key_name = key.rsplit("node_modules/").next().unwrap_or(key);
        if let Some(version) = str_field(entry, "version") {
            let (name, version) = match version.strip_prefix("npm:") {
                Some(alias) => split_name_version(alias).unwrap_or((key_name, alias)),
                None => (key_name, version),
            };
            if !version.starts_with("file:") && !version.starts_with("link:") {
                let dev = entry.get("dev").and_then(Value::as_bool) == Some(true);
                out.add(name, version, Vec::new(), dev);
            }
        }
        if let Some(children) = entry.get("dependencies").and_then(Value::as_object) {
            walk_v1(out, children, depth + 1);
        }
    }
}

/// Accumulates the packages of one file, deduplicated and sorted.
struct Collector {
    path: String,
    evidence: Evidence,
    packages: BTreeMap<(String, String), LangPackage>,
    diagnostics: Vec<Diagnostic>,
}

impl Collector {
    fn new(path: &str, evidence: Evidence) -> Self {
        Collector {
            path: path.to_owned(),
            evidence,
            packages: BTreeMap::new(),
            diagnostics: Vec::new(),
        }
    }

    fn warning(&mut self, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::warning(Some(self.path.clone()), message));
    }

    fn error(&mut self, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::error(Some(self.path.clone()), message));
    }

    /// UTF-8 text of a lockfile; invalid bytes are replaced, with one warning.
    fn decode(&mut self, bytes: &[u8]) -> String {
        match String::from_utf8_lossy(bytes) {
            std::borrow::Cow::Borrowed(s) => s.to_owned(),
            std::borrow::Cow::Owned(s) => {
                self.warning("not valid UTF-8; invalid bytes replaced");
                s
            }
        }
    }

    /// Adds one package (`full_name` possibly scoped). Empty names or versions are ignored.
    fn add(&mut self, full_name: &str, version: &str, licenses: Vec<License>, dev: bool) {
        self.add_with(full_name, version, licenses, dev, &[]);
    }

    fn add_with(
        &mut self,
        full_name: &str,
        version: &str,
        licenses: Vec<License>,
        dev: bool,
        properties: &[(&str, &str)],
    ) {
        let full_name = full_name.trim();
        let version = version.trim();
        if full_name.is_empty() || version.is_empty() {
            return;
        }
        let (namespace, name) = match full_name.split_once('/') {
            Some((scope, name))
                if scope.len() > 1 && scope.starts_with('@') && !name.is_empty() =>
            {
                (Some(scope), name)
            }
            _ => (None, full_name),
        };
        let key = (full_name.to_owned(), version.to_owned());
        if let Some(existing) = self.packages.get_mut(&key) {
            if !dev {
                existing.properties.remove("npm:dev");
            }
            if existing.licenses.is_empty() {
                existing.licenses = licenses;
            }
            for (k, v) in properties {
                existing
                    .properties
                    .entry((*k).to_owned())
                    .or_insert_with(|| (*v).to_owned());
            }
            return;
        }
        let mut props: BTreeMap<String, String> = properties
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        if dev {
            props.insert("npm:dev".to_owned(), "true".to_owned());
        }
        let package = LangPackage {
            ecosystem: LangEcosystem::Npm,
            namespace: namespace.map(str::to_owned),
            name: name.to_owned(),
            version: version.to_owned(),
            purl: purl(LangEcosystem::Npm, namespace, name, version, &[]),
            licenses,
            evidence: self.evidence,
            confidence: Confidence::High,
            location: self.path.clone(),
            hashes: BTreeMap::new(),
            files: Vec::new(),
            properties: props,
        };
        self.packages.insert(key, package);
    }

    fn finish(self) -> LangScan {
        LangScan {
            packages: self.packages.into_values().collect(),
            diagnostics: self.diagnostics,
        }
    }
}
