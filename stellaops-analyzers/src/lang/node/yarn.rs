//! `yarn.lock`, classic (v1) and berry (v2+).
//!
//! **v1** has its own line format: an entry header at column 0 lists the specs it resolves,
//! comma-separated, each optionally quoted (`"a@^1", a@^1.2:`), then indented `key value`
//! fields (key and value optionally quoted: npm-written files quote both); deeper-indented
//! blocks (`dependencies:`, `optionalDependencies:`) are skipped. One package per entry with
//! a `version`; its name is the spec's name, or the target of an `npm:` alias
//! (`string-width-cjs@npm:string-width@^4`). Entries whose spec is `file:`, `link:`,
//! `workspace:` or `portal:`, or whose `resolved` is a `file:` path, are local code and
//! skipped; git and tarball URLs are kept with their `version`. A line that fits nowhere is
//! counted and reported once.
//!
//! **Berry** (a top-level `__metadata:` line) is YAML (the subset of [`super::yaml`]): each
//! key but `__metadata` is an entry; the name comes from `resolution` (`name@npm:1.2.3`,
//! which also resolves aliases and `patch:` entries), the version from `version`. Entries
//! resolved by `workspace:`, `link:`, `portal:` or `file:`, or with `linkType: soft`, are
//! skipped.

use super::yaml::{self, Node};
use super::{split_name_version, Collector};

/// Protocols of specs and resolutions that point at local code, not a published package.
const LOCAL_PROTOCOLS: [&str; 4] = ["file:", "link:", "workspace:", "portal:"];

pub(super) fn parse(out: &mut Collector, text: &str) {
    if text
        .lines()
        .any(|l| l.trim_end() == "__metadata:" || l.trim_end() == "\"__metadata\":")
    {
        parse_berry(out, text);
    } else {
        parse_v1(out, text);
    }
}

fn is_local(reference: &str) -> bool {
    LOCAL_PROTOCOLS.iter().any(|p| reference.starts_with(p))
}

/// Name of the package a spec (`a@^1`, `@s/a@npm:^1`, `alias@npm:real@^1`) resolves to, and
/// whether it names local code.
fn spec_target(spec: &str) -> Option<(&str, bool)> {
    let (name, range) = split_name_version(spec)?;
    if let Some(target) = range.strip_prefix("npm:") {
        if let Some((real, _)) = split_name_version(target) {
            return Some((real, false));
        }
    }
    Some((name, is_local(range)))
}

#[derive(Default)]
struct Entry {
    specs: Vec<String>,
    version: Option<String>,
    resolved: Option<String>,
    field_indent: Option<usize>,
}

fn parse_v1(out: &mut Collector, text: &str) {
    let mut current: Option<Entry> = None;
    let mut malformed = 0usize;
    let mut first_malformed = 0usize;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        let content = line.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        let ok = if indent == 0 {
            finish_v1(out, current.take());
            match content.strip_suffix(':') {
                Some(header) => {
                    let specs = split_specs(header);
                    let ok = !specs.is_empty();
                    if ok {
                        current = Some(Entry {
                            specs,
                            ..Entry::default()
                        });
                    }
                    ok
                }
                None => false,
            }
        } else if let Some(entry) = current.as_mut() {
            let field_indent = *entry.field_indent.get_or_insert(indent);
            if indent == field_indent && !content.ends_with(':') {
                match split_field(content) {
                    Some((key, value)) => {
                        match key.as_str() {
                            "version" => entry.version = Some(value),
                            "resolved" => entry.resolved = Some(value),
                            _ => {}
                        }
                        true
                    }
                    None => false,
                }
            } else {
                indent >= field_indent
            }
        } else {
            false
        };
        if !ok {
            malformed += 1;
            if first_malformed == 0 {
                first_malformed = i + 1;
            }
        }
    }
    finish_v1(out, current.take());
    if malformed > 0 {
        out.warning(format!(
            "{malformed} line(s) not in the yarn.lock v1 format were skipped (first at line \
             {first_malformed})"
        ));
    }
}

fn finish_v1(out: &mut Collector, entry: Option<Entry>) {
    let Some(entry) = entry else { return };
    let Some(version) = entry.version else { return };
    let Some((name, local)) = entry.specs.first().and_then(|s| spec_target(s)) else {
        return;
    };
    if local || entry.resolved.as_deref().is_some_and(is_local) {
        return;
    }
    out.add(name, &version, Vec::new(), false);
}

/// The specs of an entry header: comma-separated, each optionally double-quoted.
fn split_specs(header: &str) -> Vec<String> {
    let mut specs = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                specs.push(std::mem::take(&mut current).trim().to_owned());
            }
            _ => current.push(c),
        }
    }
    specs.push(current.trim().to_owned());
    specs.retain(|s| !s.is_empty());
    specs
}

/// `key value`, either optionally double-quoted.
fn split_field(content: &str) -> Option<(String, String)> {
    let (key, rest) = take_token(content)?;
    let rest = rest.trim_start();
    let (value, tail) = if rest.starts_with('"') {
        take_token(rest)?
    } else {
        (rest.to_owned(), "")
    };
    (tail.trim().is_empty() && !key.is_empty()).then_some((key, value))
}

/// A leading token: a double-quoted string (with `\"` and `\\` escapes) or a run of
/// non-blank characters. Returns it and the rest.
fn take_token(s: &str) -> Option<(String, &str)> {
    let Some(body) = s.strip_prefix('"') else {
        let end = s.find([' ', '\t']).unwrap_or(s.len());
        return Some((s.get(..end)?.to_owned(), s.get(end..)?));
    };
    let mut out = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?.1),
            '"' => return Some((out, body.get(i + 1..)?)),
            _ => out.push(c),
        }
    }
    None
}

fn parse_berry(out: &mut Collector, text: &str) {
    let docs = match yaml::parse_documents(text) {
        Ok(d) => d,
        Err(e) => {
            out.error(format!(
                "yarn.lock (berry) is not in the supported YAML subset: {e}"
            ));
            return;
        }
    };
    for doc in &docs {
        for (key, entry) in doc.entries() {
            if key == "__metadata" {
                continue;
            }
            berry_entry(out, key, entry);
        }
    }
}

fn berry_entry(out: &mut Collector, key: &str, entry: &Node) {
    let Some(version) = entry.get("version").and_then(Node::as_str) else {
        return;
    };
    if entry.get("linkType").and_then(Node::as_str) == Some("soft") {
        return;
    }
    let target = match entry.get("resolution").and_then(Node::as_str) {
        Some(resolution) => {
            split_name_version(resolution).map(|(name, reference)| (name, is_local(reference)))
        }
        None => key.split(',').next().map(str::trim).and_then(spec_target),
    };
    let Some((name, local)) = target else { return };
    if !local {
        out.add(name, version, Vec::new(), false);
    }
}
