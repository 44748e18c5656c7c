//! CVSS base-score calculators for CVSS v2.0, v3.0, v3.1 and v4.0 vectors.
//!
//! [`parse`] detects the version from the vector's prefix, validates every metric (unknown
//! metric, bad value, duplicate, missing mandatory metric, unknown prefix are errors) and
//! computes the **base** score with the official equations:
//!
//! - v2.0: the base equation of the FIRST CVSS v2 guide, section 3.2.1, evaluated in exact
//!   integer arithmetic and rounded half up to one decimal.
//! - v3.0 / v3.1: the specification equations (section 7.1), scope changed included; v3.1
//!   rounds with the `Roundup` of the v3.1 specification, Appendix A (integer arithmetic),
//!   v3.0 with its "smallest one-decimal number not below the input" round-up.
//! - v4.0: the MacroVector scoring of the v4.0 specification, section 8, as implemented by the
//!   FIRST reference calculator (`cvss_lookup.js`, `max_composed.js`, `max_severity.js`,
//!   `cvss40.js`): equivalence classes EQ1..EQ6, the MacroVector lookup table, and the
//!   severity-distance interpolation.
//!
//! Temporal / threat, environmental and supplemental metrics are validated but do not change
//! the result: the score is always the base score (for v4.0 the CVSS-B score), whatever else
//! the vector carries.
//!
//! Everything here is pure: no I/O, and no input makes it panic.

mod v2;
mod v3;
mod v4;

#[cfg(test)]
mod tests;

use std::fmt;

/// A CVSS version, as detected from a vector string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CvssVersion {
    /// CVSS v2.0: `AV:N/AC:L/Au:N/C:P/I:P/A:P` (also `(AV:…)` and `CVSS:2.0/AV:…`).
    V2,
    /// CVSS v3.0: `CVSS:3.0/…`.
    V3_0,
    /// CVSS v3.1: `CVSS:3.1/…`.
    V3_1,
    /// CVSS v4.0: `CVSS:4.0/…`.
    V4_0,
}

impl CvssVersion {
    /// The version number as written in a vector prefix: `"2.0"`, `"3.0"`, `"3.1"`, `"4.0"`.
    pub fn as_str(self) -> &'static str {
        match self {
            CvssVersion::V2 => "2.0",
            CvssVersion::V3_0 => "3.0",
            CvssVersion::V3_1 => "3.1",
            CvssVersion::V4_0 => "4.0",
        }
    }
}

impl fmt::Display for CvssVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CVSS v{}", self.as_str())
    }
}

/// The base score of a CVSS vector.
#[derive(Debug, Clone, PartialEq)]
pub struct CvssScore {
    /// Version detected from the vector.
    pub version: CvssVersion,
    /// Base score, `0.0..=10.0`, one decimal.
    pub base_score: f64,
    /// Qualitative severity of `base_score`, see [`severity_for_score`]: `"NONE"`, `"LOW"`,
    /// `"MEDIUM"`, `"HIGH"` or `"CRITICAL"` (v2: `"LOW"`, `"MEDIUM"`, `"HIGH"`).
    pub severity: &'static str,
    /// The vector as given, with surrounding whitespace trimmed.
    pub vector: String,
}

/// What is wrong with a CVSS vector.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CvssErrorKind {
    /// The vector is empty (or only whitespace).
    Empty,
    /// A `CVSS:x.y/` prefix names a version this module does not know, or the vector has no
    /// recognisable prefix.
    UnknownPrefix(String),
    /// A component is not `METRIC:VALUE` (empty component, missing `:`).
    MalformedComponent(String),
    /// A metric name that the version does not define.
    UnknownMetric(String),
    /// A metric that appears more than once.
    DuplicateMetric(String),
    /// A value that the metric does not allow.
    BadValue {
        /// The metric.
        metric: String,
        /// The value given.
        value: String,
    },
    /// Mandatory (base) metrics that are absent.
    MissingMetrics(Vec<&'static str>),
}

/// Error from [`parse`]: which version was being read (when known) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CvssError {
    version: Option<CvssVersion>,
    kind: CvssErrorKind,
}

impl CvssError {
    fn new(version: Option<CvssVersion>, kind: CvssErrorKind) -> Self {
        CvssError { version, kind }
    }

    /// What is wrong.
    pub fn kind(&self) -> &CvssErrorKind {
        &self.kind
    }

    /// The version being parsed when the error was found, if the prefix was recognised.
    pub fn version(&self) -> Option<CvssVersion> {
        self.version
    }
}

/// Longest piece of input quoted back in an error message.
const MAX_QUOTE: usize = 64;

/// `s`, cut to at most [`MAX_QUOTE`] characters.
fn quote(s: &str) -> String {
    match s.char_indices().nth(MAX_QUOTE) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

impl fmt::Display for CvssError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.version {
            Some(v) => write!(f, "invalid {v} vector: ")?,
            None => f.write_str("invalid CVSS vector: ")?,
        }
        match &self.kind {
            CvssErrorKind::Empty => f.write_str("empty vector"),
            CvssErrorKind::UnknownPrefix(p) => write!(
                f,
                "unknown prefix or version {p:?} (expected CVSS:3.0/, CVSS:3.1/, CVSS:4.0/, \
                 CVSS:2.0/ or a bare v2 vector starting with AV:)"
            ),
            CvssErrorKind::MalformedComponent(c) => {
                write!(f, "malformed component {c:?} (expected METRIC:VALUE)")
            }
            CvssErrorKind::UnknownMetric(m) => write!(f, "unknown metric {m:?}"),
            CvssErrorKind::DuplicateMetric(m) => write!(f, "duplicate metric {m:?}"),
            CvssErrorKind::BadValue { metric, value } => {
                write!(f, "bad value {value:?} for metric {metric:?}")
            }
            CvssErrorKind::MissingMetrics(ms) => {
                write!(f, "missing mandatory metric(s) {}", ms.join(", "))
            }
        }
    }
}

/// One metric a version defines: its name, the values it allows, and whether it is mandatory.
#[derive(Debug)]
struct MetricDef {
    name: &'static str,
    values: &'static [&'static str],
    mandatory: bool,
}

/// Shorthand for a [`MetricDef`] table entry.
const fn def(name: &'static str, values: &'static [&'static str], mandatory: bool) -> MetricDef {
    MetricDef {
        name,
        values,
        mandatory,
    }
}

/// Metric values of one vector, indexed like the [`MetricDef`] table it was parsed with.
/// Each value is the table's own `&'static str`.
#[derive(Debug)]
struct Metrics<'d> {
    defs: &'d [MetricDef],
    values: Vec<Option<&'static str>>,
}

impl Metrics<'_> {
    /// Value of metric `name`, `None` when absent (or when the table has no such metric).
    fn get(&self, name: &str) -> Option<&'static str> {
        self.defs
            .iter()
            .position(|d| d.name == name)
            .and_then(|i| self.values.get(i).copied().flatten())
    }

    /// Value of a mandatory metric; [`parse_metrics`] guarantees it is present. An empty
    /// string (never a valid value) stands in if a caller asks for a non-mandatory one.
    fn base(&self, name: &str) -> &'static str {
        self.get(name).unwrap_or("")
    }
}

/// Splits `body` (the vector after its prefix) on `/` and checks each `METRIC:VALUE` against
/// `defs`: unknown metric, bad value, duplicate and missing mandatory metrics are errors.
fn parse_metrics<'d>(
    version: CvssVersion,
    body: &str,
    defs: &'d [MetricDef],
) -> Result<Metrics<'d>, CvssError> {
    let err = |kind| CvssError::new(Some(version), kind);
    let mut values: Vec<Option<&'static str>> = vec![None; defs.len()];
    for component in body.split('/') {
        let Some((name, value)) = component.split_once(':') else {
            return Err(err(CvssErrorKind::MalformedComponent(quote(component))));
        };
        let Some(index) = defs.iter().position(|d| d.name == name) else {
            return Err(err(CvssErrorKind::UnknownMetric(quote(name))));
        };
        let Some(slot) = values.get_mut(index) else {
            return Err(err(CvssErrorKind::UnknownMetric(quote(name))));
        };
        if slot.is_some() {
            return Err(err(CvssErrorKind::DuplicateMetric(name.to_string())));
        }
        let Some(allowed) = defs[index].values.iter().find(|v| **v == value) else {
            return Err(err(CvssErrorKind::BadValue {
                metric: name.to_string(),
                value: quote(value),
            }));
        };
        *slot = Some(*allowed);
    }
    let missing: Vec<&'static str> = defs
        .iter()
        .zip(&values)
        .filter(|(d, v)| d.mandatory && v.is_none())
        .map(|(d, _)| d.name)
        .collect();
    if !missing.is_empty() {
        return Err(err(CvssErrorKind::MissingMetrics(missing)));
    }
    Ok(Metrics { defs, values })
}

/// Parses a CVSS vector and computes its base score.
///
/// The version comes from the prefix: `CVSS:3.1/…`, `CVSS:3.0/…`, `CVSS:4.0/…`; CVSS v2 has
/// none (`AV:N/AC:L/Au:N/C:P/I:P/A:P`), and `(AV:…)` and `CVSS:2.0/AV:…` are accepted too.
/// Surrounding whitespace is ignored. Metric names and values are case-sensitive, as in the
/// specifications; metric order is not checked.
///
/// # Errors
///
/// A [`CvssError`] saying what is wrong: empty vector, unknown prefix, malformed component,
/// unknown metric, duplicate metric, bad value or missing mandatory metric.
pub fn parse(vector: &str) -> Result<CvssScore, CvssError> {
    let trimmed = vector.trim();
    if trimmed.is_empty() {
        return Err(CvssError::new(None, CvssErrorKind::Empty));
    }
    let (version, body) = split_prefix(trimmed)?;
    let base_score = match version {
        CvssVersion::V2 => v2::base_score(&parse_metrics(version, body, v2::METRICS)?),
        CvssVersion::V3_0 | CvssVersion::V3_1 => {
            v3::base_score(version, &parse_metrics(version, body, v3::METRICS)?)
        }
        CvssVersion::V4_0 => v4::base_score(&parse_metrics(version, body, v4::METRICS)?),
    };
    Ok(CvssScore {
        version,
        base_score,
        severity: severity_for_score(version, base_score),
        vector: trimmed.to_string(),
    })
}

/// Detects the version and returns the metric part of the vector.
fn split_prefix(vector: &str) -> Result<(CvssVersion, &str), CvssError> {
    if let Some(rest) = vector.strip_prefix("CVSS:") {
        let (ver, body) = rest.split_once('/').unwrap_or((rest, ""));
        let version = match ver {
            "2.0" => CvssVersion::V2,
            "3.0" => CvssVersion::V3_0,
            "3.1" => CvssVersion::V3_1,
            "4.0" => CvssVersion::V4_0,
            _ => {
                return Err(CvssError::new(
                    None,
                    CvssErrorKind::UnknownPrefix(quote(&format!("CVSS:{ver}"))),
                ))
            }
        };
        return Ok((version, body));
    }
    // v2 in parentheses, as NVD used to print it.
    if let Some(inner) = vector.strip_prefix('(').and_then(|v| v.strip_suffix(')')) {
        if inner.starts_with("AV:") {
            return Ok((CvssVersion::V2, inner));
        }
    }
    if vector.starts_with("AV:") {
        return Ok((CvssVersion::V2, vector));
    }
    let head = vector.split('/').next().unwrap_or(vector);
    Err(CvssError::new(
        None,
        CvssErrorKind::UnknownPrefix(quote(head)),
    ))
}

/// Qualitative severity of a score.
///
/// v3.0, v3.1 and v4.0 (specification bands): `"NONE"` for 0.0, `"LOW"` below 4.0,
/// `"MEDIUM"` below 7.0, `"HIGH"` below 9.0, `"CRITICAL"` from 9.0. v2 (NVD bands): `"LOW"`
/// below 4.0, `"MEDIUM"` below 7.0, `"HIGH"` from 7.0. A NaN or negative score counts as 0.0.
pub fn severity_for_score(version: CvssVersion, score: f64) -> &'static str {
    // NaN, negative and zero scores all count as 0.0.
    let zero = score.is_nan() || score <= 0.0;
    match version {
        CvssVersion::V2 => {
            if zero || score < 4.0 {
                "LOW"
            } else if score < 7.0 {
                "MEDIUM"
            } else {
                "HIGH"
            }
        }
        CvssVersion::V3_0 | CvssVersion::V3_1 | CvssVersion::V4_0 => {
            if zero {
                "NONE"
            } else if score < 4.0 {
                "LOW"
            } else if score < 7.0 {
                "MEDIUM"
            } else if score < 9.0 {
                "HIGH"
            } else {
                "CRITICAL"
            }
        }
    }
}
