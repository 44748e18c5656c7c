//! Helpers shared by the format modules: the per-document context (provenance, warnings),
//! lenient JSON accessors, alias normalisation, range validation and CVSS ratings.

use std::collections::BTreeSet;

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{IngestError, Ingested};
use crate::advisory::model::{
    Advisory, EpssScore, Event, KevEntry, Provenance, Range, SeverityRating,
};
use crate::version::{self, Ecosystem};

/// Per-document state: its name, its hash and the warnings collected so far.
pub(super) struct Ctx {
    document: String,
    sha256: String,
    warnings: Vec<String>,
}

impl Ctx {
    /// Context for `document` with content `bytes`.
    pub(super) fn new(document: &str, bytes: &[u8]) -> Self {
        Ctx {
            document: document.to_owned(),
            sha256: hex::encode(Sha256::digest(bytes)),
            warnings: Vec::new(),
        }
    }

    /// Provenance of a record from this document.
    pub(super) fn provenance(&self, source: &str) -> Provenance {
        Provenance {
            source: source.to_owned(),
            document: self.document.clone(),
            document_sha256: self.sha256.clone(),
        }
    }

    /// Record a warning (prefixed with the document name).
    pub(super) fn warn(&mut self, message: impl std::fmt::Display) {
        self.warnings.push(format!("{}: {message}", self.document));
    }

    /// An error for the whole document.
    pub(super) fn error(&self, message: impl Into<String>) -> IngestError {
        IngestError {
            document: self.document.clone(),
            message: message.into(),
        }
    }

    /// Assemble the result.
    pub(super) fn finish(
        self,
        advisories: Vec<Advisory>,
        kev: Vec<KevEntry>,
        epss: Vec<EpssScore>,
    ) -> Ingested {
        Ingested {
            advisories,
            kev,
            epss,
            warnings: self.warnings,
        }
    }
}

/// `value[key]` as a string.
pub(super) fn str_at<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

/// `value[key]` as a non-empty trimmed string.
pub(super) fn text_at<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    str_at(value, key).map(str::trim).filter(|s| !s.is_empty())
}

/// `value[key]` as an array (missing or `null` = empty; another type = `Err(type name)`).
pub(super) fn array_at<'a>(value: &'a Value, key: &str) -> Result<&'a [Value], &'static str> {
    match value.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(type_name(other)),
    }
}

/// JSON type name, for messages.
pub(super) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Aliases sorted and deduplicated, without empty strings and without the record's own id.
pub(super) fn finish_aliases(
    own_id: &str,
    aliases: impl IntoIterator<Item = String>,
) -> Vec<String> {
    aliases
        .into_iter()
        .map(|a| a.trim().to_owned())
        .filter(|a| !a.is_empty() && a != own_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Push `item` unless an equal one is already present (keeps first-seen order).
pub(super) fn push_unique<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// First non-empty line of `text`, trimmed.
pub(super) fn first_line(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_owned)
}

/// Whether `version` is valid in `scheme` (the comparator refuses what it cannot order).
pub(super) fn check_version(scheme: Ecosystem, version: &str) -> Result<(), String> {
    version::compare(scheme, version, version)
        .map(|_| ())
        .map_err(|e| format!("unparsable {scheme} version {version:?}: {}", e.reason))
}

/// Why the events of a range cannot be used with `scheme`, if they cannot: the first version
/// the ordering refuses. `introduced: "0"` (the start of time) and `limit: "*"` are not
/// versions and are not checked.
pub(super) fn events_unusable(scheme: Ecosystem, events: &[Event]) -> Option<String> {
    events.iter().find_map(|e| {
        let v = match e {
            Event::Introduced(v) if v == "0" => return None,
            Event::Limit(v) if v == "*" => return None,
            Event::Introduced(v) | Event::Fixed(v) | Event::LastAffected(v) | Event::Limit(v) => v,
        };
        check_version(scheme, v).err()
    })
}

/// `[introduced "0", fixed <fixed>]` (or `[introduced "0"]` without a fix) as an ECOSYSTEM
/// range, checked with `scheme`.
pub(super) fn distro_range(scheme: Option<Ecosystem>, fixed: Option<&str>) -> Range {
    let mut events = vec![Event::Introduced("0".to_owned())];
    if let Some(f) = fixed {
        events.push(Event::Fixed(f.to_owned()));
    }
    let unusable = match scheme {
        Some(s) => events_unusable(s, &events),
        None => Some("no version ordering for this ecosystem".to_owned()),
    };
    Range {
        kind: crate::advisory::model::RangeKind::Ecosystem,
        events,
        unusable,
    }
}

/// A CVSS rating (`kind` = `CVSS_V2` / `CVSS_V3` / `CVSS_V4`) with the base score computed
/// from the vector when the vector parses.
pub(super) fn cvss_rating(kind: &str, vector: &str) -> SeverityRating {
    let vector = vector.trim();
    SeverityRating {
        kind: kind.to_owned(),
        value: vector.to_owned(),
        score: crate::advisory::cvss::parse(vector)
            .ok()
            .map(|s| s.base_score),
    }
}

/// Whether `s` looks like a vulnerability identifier (`CVE-2024-1`, `GHSA-xxxx-...`,
/// `XSA-252`, `TEMP-0000000-ABCDEF`): an ASCII letter prefix, `-`, then letters, digits and
/// `-`/`_`/`.`/`:`, with at least one digit.
pub(super) fn looks_like_vuln_id(s: &str) -> bool {
    let Some((prefix, rest)) = s.split_once('-') else {
        return false;
    };
    !prefix.is_empty()
        && prefix.bytes().all(|b| b.is_ascii_alphabetic())
        && !rest.is_empty()
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
        && s.bytes().any(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_sorted_deduped_without_own_id() {
        let a = finish_aliases(
            "GHSA-1",
            ["CVE-2", "GHSA-1", "CVE-1", "CVE-2", " ", "CVE-0"].map(String::from),
        );
        assert_eq!(a, ["CVE-0", "CVE-1", "CVE-2"]);
    }

    #[test]
    fn vuln_ids() {
        for ok in [
            "CVE-2024-1234",
            "GHSA-h5c8-rqwp-cp95",
            "XSA-252",
            "TEMP-0000000-ABCDEF",
        ] {
            assert!(looks_like_vuln_id(ok), "{ok}");
        }
        for bad in ["(+", "regression", "fix)", "CVE-", "-1", "CVE-abc", "C1-2"] {
            assert!(!looks_like_vuln_id(bad), "{bad}");
        }
    }

    #[test]
    fn first_line_skips_blank_lines() {
        assert_eq!(first_line("\n\n  hello \nworld").as_deref(), Some("hello"));
        assert_eq!(first_line(" \n "), None);
    }
}
