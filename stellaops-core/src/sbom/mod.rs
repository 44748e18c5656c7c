//! SBOM writers: CycloneDX 1.6 JSON, SPDX 2.3 JSON and the native JSON form.
//!
//! **Architecture Invariant:** writers are deterministic: same [`DocumentContext`] and
//! [`Inventory`] give the same bytes. Serial numbers and namespaces are UUIDv5 of the
//! content; the timestamp is whatever the caller passes in.

pub mod cyclonedx;
pub mod native;
pub mod read;
pub mod spdx;

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::compose::Inventory;

/// What was scanned.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subject {
    /// The reference the user gave (`oci-dir:/path`, `dir:/`, ...).
    pub reference: String,
    /// `container` for images, `directory` for `dir:` scans.
    pub kind: SubjectKind,
    /// Image manifest digest, when scanning an image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest_digest: Option<String>,
    /// Image config digest (the image id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_digest: Option<String>,
    /// `os/arch[/variant]` of the image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// Tags recorded in the archive, if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// Kind of scanned subject.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SubjectKind {
    /// A container image.
    #[default]
    Container,
    /// A directory or root file system.
    Directory,
}

/// Everything a writer needs besides the inventory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentContext {
    /// What was scanned.
    pub subject: Subject,
    /// Creation time, seconds since the Unix epoch (from `SOURCE_DATE_EPOCH`, the image's
    /// created date, or the clock when the user asks for it). Never read here.
    pub created_unix: i64,
    /// Name of the producing tool.
    pub tool_name: String,
    /// Version of the producing tool.
    pub tool_version: String,
}

impl DocumentContext {
    /// RFC 3339 UTC form of [`DocumentContext::created_unix`].
    pub fn created_rfc3339(&self) -> String {
        rfc3339(self.created_unix)
    }

    /// A UUIDv5 over the subject and the inventory, so that the same content always gets
    /// the same serial number and a different content a different one.
    pub fn content_uuid(&self, format: &str, inventory: &Inventory) -> uuid::Uuid {
        let mut h = Sha256::new();
        h.update(format.as_bytes());
        h.update([0]);
        h.update(serde_json::to_vec(&self.subject).unwrap_or_default());
        h.update([0]);
        h.update(serde_json::to_vec(inventory).unwrap_or_default());
        uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, &h.finalize())
    }

    /// A readable name for the subject.
    pub fn subject_name(&self) -> &str {
        &self.subject.reference
    }
}

/// The EntryTrace chain as `(name, value)` pairs, in order: `stellaops:entryTrace.step`
/// (`<n> <kind> <argv...> @ <evidence>`), `stellaops:entryTrace.terminal`
/// (`<kind> <program>`), `stellaops:entryTrace.app` (each application path or
/// `module:<name>`), `stellaops:entryTrace.unresolved` (`step <n>: <reason>`).
pub fn entry_trace_lines(trace: &crate::entry_trace::EntryTrace) -> Vec<(String, String)> {
    let name = |s: &str| format!("stellaops:entryTrace.{s}");
    let kind = |v: &dyn erased::Named| v.name();
    let mut out = Vec::new();
    for (i, step) in trace.steps.iter().enumerate() {
        let argv = if step.argv.is_empty() {
            step.program.clone()
        } else {
            step.argv.join(" ")
        };
        let program = step
            .resolved
            .as_deref()
            .map(|r| format!(" [{r}]"))
            .unwrap_or_default();
        out.push((
            name("step"),
            format!(
                "{i} {} {argv}{program} @ {}",
                kind(&step.kind),
                step.evidence
            ),
        ));
    }
    if let Some(t) = &trace.terminal {
        out.push((name("terminal"), format!("{} {}", kind(&t.kind), t.program)));
        for app in &t.app {
            out.push((name("app"), app.clone()));
        }
    }
    for u in &trace.unresolved {
        out.push((name("unresolved"), format!("step {}: {}", u.step, u.reason)));
    }
    out
}

/// Serde names of the trace's enums, for text.
mod erased {
    /// A value whose serde name is its text form.
    pub(super) trait Named {
        /// The serde name (`shellC`, `java`, ...).
        fn name(&self) -> String;
    }

    impl<T: serde::Serialize> Named for T {
        fn name(&self) -> String {
            match serde_json::to_value(self) {
                Ok(serde_json::Value::String(s)) => s,
                _ => String::new(),
            }
        }
    }
}

/// Format seconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn rfc3339(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    )
}

/// Parse the `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)` timestamps found in image configs.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> { text.get(r)?.parse().ok() };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let mut rest = &text[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        rest = &frac[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            sign * (rest.get(1..3)?.parse::<i64>().ok()? * 3600
                + rest.get(4..6)?.parse::<i64>().ok()? * 60)
        }
        _ => return None,
    };
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s - offset)
}

// Howard Hinnant's civil calendar algorithms.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(parse_rfc3339("2023-11-14T22:13:20Z"), Some(1_700_000_000));
        assert_eq!(
            parse_rfc3339("2023-11-14T22:13:20.123456789Z"),
            Some(1_700_000_000)
        );
        assert_eq!(
            parse_rfc3339("2023-11-15T00:13:20+02:00"),
            Some(1_700_000_000)
        );
        assert_eq!(parse_rfc3339("garbage"), None);
        for t in [-86_401_i64, 951_782_400, 4_102_444_800] {
            assert_eq!(parse_rfc3339(&rfc3339(t)), Some(t));
        }
    }
}
