//! PyPI ecosystem: installed distributions (`*.dist-info/METADATA`, `*.egg-info/PKG-INFO`,
//! `*.egg-info` files, `EGG-INFO/PKG-INFO`) and the lockfiles of source trees
//! (`requirements*.txt`, `poetry.lock`, `uv.lock`, `pdm.lock`, `Pipfile.lock`, `pylock.toml`).
//!
//! Names are kept as written; the purl uses the PEP 503 normalised name. Within one file,
//! packages are deduplicated by (normalised name, version) and sorted by (normalised name,
//! version). Installed packages are [`Evidence::Installed`], lockfile entries
//! [`Evidence::Declared`]; `location` is the path given.
//!
//! **Metadata** (core metadata, RFC 822 style): the header block ends at the first empty line
//! or at a line that is neither `Name: value` nor a continuation (leading space or tab).
//! `Name` and `Version` are required (else a warning and no package). Licenses: the
//! `License-Expression` header when present; else a one-line `License` header (a multi-line
//! one is license text, not a name, and is ignored); else, only when neither gave anything,
//! each `Classifier: License :: ...` (but the bare `License :: OSI Approved`) as a named
//! license, verbatim. Invalid UTF-8 is decoded lossily with one warning naming the path.
//!
//! **RECORD** (CSV `path,hash,size`): each row of exactly three fields gives one file, made
//! absolute relative to the directory holding the `.dist-info`/`.egg-info` (site-packages),
//! `..` resolved but never above `/`; other rows are counted in one warning. For an
//! `.egg-info` directory the same argument may carry `installed-files.txt` (recognised by
//! having no comma at all): paths relative to the `.egg-info` directory. Files are sorted and
//! deduplicated.
//!
//! **direct_url.json** (PEP 610): `url` → property `python:direct_url`, `vcs_info.vcs` →
//! `python:vcs`, `vcs_info.commit_id` → `python:vcs_commit_id`,
//! `vcs_info.requested_revision` → `python:vcs_requested_revision`, `dir_info.editable` →
//! `python:editable`.

mod lockfiles;
mod requirements;
mod toml;

#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::Value;
use stellaops_core::license::declared;
use stellaops_core::{Diagnostic, License};

use super::{pep503, purl, Confidence, Evidence, LangEcosystem, LangPackage, LangScan};

/// Installed: `*.dist-info/METADATA` (plus the sibling `RECORD` bytes if the caller has
/// them), `*.egg-info/PKG-INFO` (or the `.egg-info` file itself), and `direct_url.json`
/// content when available.
pub fn parse_installed_metadata(
    path: &str,
    metadata: &[u8],
    record: Option<&[u8]>,
    direct_url: Option<&[u8]>,
) -> LangScan {
    let mut diagnostics = Vec::new();
    let text = decode(metadata, path, "metadata", &mut diagnostics);
    let headers = parse_headers(&text);
    let first = |name: &str| {
        headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .filter(|h| !h.multiline)
            .map(|h| h.value.trim())
            .filter(|v| !v.is_empty())
    };
    let (Some(name), Some(version)) = (first("Name"), first("Version")) else {
        diagnostics.push(Diagnostic::warning(
            Some(path.to_owned()),
            "metadata has no Name or no Version header; no package",
        ));
        return LangScan {
            packages: Vec::new(),
            diagnostics,
        };
    };
    let licenses = metadata_licenses(&headers);
    let mut package = pypi_package(name, version, licenses, Evidence::Installed, path);

    if let Some(record) = record {
        let record_path = sibling(path, "RECORD");
        let text = decode(record, &record_path, "RECORD", &mut diagnostics);
        let (files, malformed) = record_files(path, &text);
        package.files = files;
        if malformed > 0 {
            diagnostics.push(Diagnostic::warning(
                Some(record_path),
                format!("{malformed} malformed RECORD line(s) skipped"),
            ));
        }
    }
    if let Some(bytes) = direct_url {
        let direct_path = sibling(path, "direct_url.json");
        match serde_json::from_slice::<Value>(bytes) {
            Ok(v) => direct_url_properties(&v, &mut package.properties),
            Err(e) => diagnostics.push(Diagnostic::warning(
                Some(direct_path),
                format!("direct_url.json is not valid JSON: {e}"),
            )),
        }
    }
    LangScan {
        packages: vec![package],
        diagnostics,
    }
}

/// Declared: `requirements*.txt` (only exactly pinned `==`/`===` lines become packages;
/// anything else is skipped without a diagnostic), `poetry.lock`, `uv.lock`, `pdm.lock`,
/// `Pipfile.lock`, `pylock.toml`.
///
/// The format is chosen by file name (lowercased): `*.txt` requirements, `pipfile*` Pipfile
/// lock, `pylock*.toml` PEP 751, `poetry*`, `uv*`, `pdm*` the TOML lockfiles. A file that
/// cannot be read as its format gives an error diagnostic and no packages.
pub fn parse_lockfile(path: &str, bytes: &[u8]) -> LangScan {
    let mut out = Collector::new(path);
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    if name.ends_with(".txt") {
        requirements::parse(&mut out, bytes);
    } else if name.starts_with("pipfile") {
        lockfiles::parse_pipfile_lock(&mut out, bytes);
    } else if name.starts_with("pylock") && name.ends_with(".toml") {
        lockfiles::parse_toml_lock(&mut out, bytes, lockfiles::TomlLock::Pylock);
    } else if name.starts_with("poetry") {
        lockfiles::parse_toml_lock(&mut out, bytes, lockfiles::TomlLock::Poetry);
    } else if name.starts_with("uv") {
        lockfiles::parse_toml_lock(&mut out, bytes, lockfiles::TomlLock::Uv);
    } else if name.starts_with("pdm") {
        lockfiles::parse_toml_lock(&mut out, bytes, lockfiles::TomlLock::Pdm);
    } else {
        out.error("not a supported Python lockfile");
    }
    out.finish()
}

/// Whether `path` is installed distribution metadata [`parse_installed_metadata`] reads:
/// `<dir ending dist-info>/METADATA`, `<dir ending egg-info>/PKG-INFO` (incl. `EGG-INFO`),
/// or a file named `*.egg-info` (directory suffixes compared case-insensitively).
pub fn is_python_metadata(path: &str) -> bool {
    let mut parts = path.rsplit('/');
    let file = parts.next().unwrap_or("");
    let dir = parts.next().unwrap_or("").to_ascii_lowercase();
    match file {
        "METADATA" => dir.ends_with("dist-info"),
        "PKG-INFO" => dir.ends_with("egg-info"),
        f => f.len() > ".egg-info".len() && f.to_ascii_lowercase().ends_with(".egg-info"),
    }
}

/// Whether `path` is a Python lockfile [`parse_lockfile`] reads: `poetry.lock`, `uv.lock`,
/// `pdm.lock`, `Pipfile.lock`, `pylock.toml`, `pylock.<name>.toml`, or a `*.txt` whose name
/// contains `requirements`.
pub fn is_python_lockfile(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(
        name,
        "poetry.lock" | "uv.lock" | "pdm.lock" | "Pipfile.lock" | "pylock.toml"
    ) || (name.starts_with("pylock.") && name.ends_with(".toml"))
        || (name.ends_with(".txt") && name.to_ascii_lowercase().contains("requirements"))
}

/// UTF-8 text; invalid bytes are replaced, with one warning naming `path`.
fn decode<'a>(
    bytes: &'a [u8],
    path: &str,
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Cow<'a, str> {
    let text = String::from_utf8_lossy(bytes);
    if matches!(text, Cow::Owned(_)) {
        diagnostics.push(Diagnostic::warning(
            Some(path.to_owned()),
            format!("{what} is not valid UTF-8; invalid bytes replaced"),
        ));
    }
    text
}

/// `path` with its last segment replaced by `name`.
fn sibling(path: &str, name: &str) -> String {
    match path.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/{name}"),
        None => name.to_owned(),
    }
}

struct Header {
    name: String,
    value: String,
    multiline: bool,
}

/// The RFC 822 style header block of core metadata.
fn parse_headers(text: &str) -> Vec<Header> {
    let mut out: Vec<Header> = Vec::new();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for line in text.lines() {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            let Some(last) = out.last_mut() else { break };
            last.value.push('\n');
            last.value.push_str(line.trim());
            if !line.trim().is_empty() {
                last.multiline = true;
            }
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            break;
        };
        if name.is_empty() || !name.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
            break;
        }
        out.push(Header {
            name: name.to_owned(),
            value: value.trim().to_owned(),
            multiline: false,
        });
    }
    out
}

fn metadata_licenses(headers: &[Header]) -> Vec<License> {
    fn named<'h>(headers: &'h [Header], name: &'static str) -> impl Iterator<Item = &'h Header> {
        headers
            .iter()
            .filter(move |h| h.name.eq_ignore_ascii_case(name))
    }
    if let Some(l) = named(headers, "License-Expression").find_map(|h| declared(&h.value)) {
        return vec![l];
    }
    if let Some(l) = named(headers, "License")
        .filter(|h| !h.multiline)
        .find_map(|h| declared(&h.value))
    {
        return vec![l];
    }
    let mut out: Vec<License> = Vec::new();
    for h in named(headers, "Classifier") {
        let value = h.value.trim();
        let Some(rest) = value.strip_prefix("License ::") else {
            continue;
        };
        if rest.trim().is_empty() || rest.trim() == "OSI Approved" {
            continue;
        }
        let license = License::Named(value.to_owned());
        if !out.contains(&license) {
            out.push(license);
        }
    }
    out
}

fn pypi_package(
    name: &str,
    version: &str,
    licenses: Vec<License>,
    evidence: Evidence,
    location: &str,
) -> LangPackage {
    LangPackage {
        ecosystem: LangEcosystem::Pypi,
        namespace: None,
        name: name.to_owned(),
        version: version.to_owned(),
        purl: purl(LangEcosystem::Pypi, None, name, version, &[]),
        licenses,
        evidence,
        confidence: Confidence::High,
        location: location.to_owned(),
        hashes: BTreeMap::new(),
        files: Vec::new(),
        properties: BTreeMap::new(),
    }
}

/// Files of a RECORD (or `installed-files.txt`) for the metadata at `metadata_path`, and how
/// many lines were malformed.
fn record_files(metadata_path: &str, text: &str) -> (Vec<String>, usize) {
    let (meta_dir, meta_file) = metadata_path
        .rsplit_once('/')
        .unwrap_or(("", metadata_path));
    let egg_info_file = meta_file.to_ascii_lowercase().ends_with(".egg-info");
    // The directory holding the .dist-info / .egg-info (site-packages, or the .egg).
    let base = if egg_info_file {
        meta_dir
    } else {
        meta_dir.rsplit_once('/').map_or("", |(parent, _)| parent)
    };
    let egg_info_dir = !egg_info_file
        && meta_dir
            .rsplit('/')
            .next()
            .is_some_and(|d| d.to_ascii_lowercase().ends_with("egg-info"));
    let installed_files = egg_info_dir && !text.contains(',');
    let mut files = Vec::new();
    let mut malformed = 0;
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        if installed_files {
            files.push(resolve(meta_dir, line.trim()));
            continue;
        }
        match csv_fields(line) {
            Some(fields) if fields.len() == 3 && fields.first().is_some_and(|p| !p.is_empty()) => {
                if let Some(p) = fields.first() {
                    files.push(resolve(base, p));
                }
            }
            _ => malformed += 1,
        }
    }
    files.sort();
    files.dedup();
    (files, malformed)
}

/// Fields of one CSV line (`"` quoting with `""` escapes). `None` when a quote is unbalanced.
fn csv_fields(line: &str) -> Option<Vec<String>> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted => {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            }
            '"' if at_start => quoted = true,
            ',' if !quoted => {
                fields.push(std::mem::take(&mut field));
                at_start = true;
                continue;
            }
            _ => field.push(c),
        }
        at_start = false;
    }
    if quoted {
        return None;
    }
    fields.push(field);
    Some(fields)
}

/// `rel` resolved against `base` (both image paths), absolute, `.`/`..` removed, never above
/// the root.
fn resolve(base: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let base_segments = if rel.starts_with('/') { "" } else { base };
    for segment in base_segments.split('/').chain(rel.split('/')) {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

fn direct_url_properties(v: &Value, properties: &mut BTreeMap<String, String>) {
    let mut set = |key: &str, value: Option<&str>| {
        if let Some(value) = value.map(str::trim).filter(|s| !s.is_empty()) {
            properties.insert(key.to_owned(), value.to_owned());
        }
    };
    set("python:direct_url", v.get("url").and_then(Value::as_str));
    let vcs = v.get("vcs_info");
    set(
        "python:vcs",
        vcs.and_then(|x| x.get("vcs")).and_then(Value::as_str),
    );
    set(
        "python:vcs_commit_id",
        vcs.and_then(|x| x.get("commit_id")).and_then(Value::as_str),
    );
    set(
        "python:vcs_requested_revision",
        vcs.and_then(|x| x.get("requested_revision"))
            .and_then(Value::as_str),
    );
    let editable = v
        .get("dir_info")
        .and_then(|d| d.get("editable"))
        .and_then(Value::as_bool);
    if editable == Some(true) {
        set("python:editable", Some("true"));
    }
}

/// Accumulates the declared packages of one lockfile, deduplicated and sorted.
struct Collector {
    path: String,
    packages: BTreeMap<(String, String), LangPackage>,
    diagnostics: Vec<Diagnostic>,
}

impl Collector {
    fn new(path: &str) -> Self {
        Collector {
            path: path.to_owned(),
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

    /// Adds one package; `python:dev = "true"` is kept only when every occurrence is dev.
    fn add(&mut self, name: &str, version: &str, dev: bool) {
        let name = name.trim();
        let version = version.trim();
        if name.is_empty() || version.is_empty() {
            return;
        }
        let key = (pep503(name), version.to_owned());
        if let Some(existing) = self.packages.get_mut(&key) {
            if !dev {
                existing.properties.remove("python:dev");
            }
            return;
        }
        let mut package = pypi_package(name, version, Vec::new(), Evidence::Declared, &self.path);
        if dev {
            package
                .properties
                .insert("python:dev".to_owned(), "true".to_owned());
        }
        self.packages.insert(key, package);
    }

    fn finish(self) -> LangScan {
        LangScan {
            packages: self.packages.into_values().collect(),
            diagnostics: self.diagnostics,
        }
    }
}
