//! Structured Python lockfiles.
//!
//! - `Pipfile.lock` (JSON): `default` and `develop` sections, `name -> {version: "==1.0"}`;
//!   entries without a `==` version (git, path, editable) are skipped; develop-only entries
//!   get `python:dev = "true"`.
//! - `poetry.lock`, `pdm.lock`, `uv.lock` (TOML, the subset of [`super::toml`]): each
//!   `[[package]]` with `name` and `version`. Skipped: local project code (poetry
//!   `source.type = "directory"`; uv `source = { virtual | editable | directory = .. }`;
//!   pdm/poetry `editable = true` path entries). poetry 1.x `category = "dev"` gives
//!   `python:dev = "true"`.
//! - `pylock.toml` (PEP 751): each `[[packages]]` with `name` and `version` (the version is
//!   optional in the format; entries without one, or with a `directory` source, are skipped).

use serde_json::Value as Json;

use super::toml::{self, Table, Value};
use super::Collector;

/// Which TOML lockfile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TomlLock {
    Poetry,
    Uv,
    Pdm,
    Pylock,
}

pub(super) fn parse_pipfile_lock(out: &mut Collector, bytes: &[u8]) {
    let root: Json = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            out.error(format!("Pipfile.lock is not valid JSON: {e}"));
            return;
        }
    };
    if !root.is_object() {
        out.error("Pipfile.lock is not a JSON object");
        return;
    }
    for (section, dev) in [("default", false), ("develop", true)] {
        let Some(entries) = root.get(section).and_then(Json::as_object) else {
            continue;
        };
        for (name, entry) in entries {
            let version = entry.get("version").and_then(Json::as_str).and_then(|v| {
                let v = v.trim();
                v.strip_prefix("===").or_else(|| v.strip_prefix("=="))
            });
            if let Some(version) = version {
                out.add(name, version, dev);
            }
        }
    }
}

pub(super) fn parse_toml_lock(out: &mut Collector, bytes: &[u8], kind: TomlLock) {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            out.error(format!("lockfile is not valid UTF-8 (TOML must be): {e}"));
            return;
        }
    };
    let doc = match toml::parse(text) {
        Ok(d) => d,
        Err(e) => {
            out.error(format!("lockfile is not in the supported TOML subset: {e}"));
            return;
        }
    };
    let key = if kind == TomlLock::Pylock {
        "packages"
    } else {
        "package"
    };
    let Some(packages) = doc.get(key) else {
        return;
    };
    let Some(packages) = packages.as_array() else {
        out.error(format!("`{key}` is not an array of tables"));
        return;
    };
    for package in packages.iter().filter_map(Value::as_table) {
        let str_of = |k: &str| package.get(k).and_then(Value::as_str);
        let (Some(name), Some(version)) = (str_of("name"), str_of("version")) else {
            continue;
        };
        if is_local(package, kind) {
            continue;
        }
        let dev = kind == TomlLock::Poetry && str_of("category") == Some("dev");
        out.add(name, version, dev);
    }
}

/// Whether a `[[package]]` entry is the project's own (local) code.
fn is_local(package: &Table, kind: TomlLock) -> bool {
    let source = package.get("source").and_then(Value::as_table);
    let editable = package.get("editable") == Some(&Value::Bool(true));
    match kind {
        TomlLock::Poetry => {
            source.and_then(|s| s.get("type")).and_then(Value::as_str) == Some("directory")
                || editable
        }
        TomlLock::Uv => source.is_some_and(|s| {
            s.contains_key("virtual") || s.contains_key("editable") || s.contains_key("directory")
        }),
        TomlLock::Pdm => editable,
        TomlLock::Pylock => package.contains_key("directory"),
    }
}
