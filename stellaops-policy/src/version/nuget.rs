//! NuGet package versions, as `NuGet.Versioning` (`NuGetVersion.TryParse`,
//! `VersionComparer.Default`, `VersionRange`) defines them.
//!
//! **Parsing** (`NuGetVersion.TryParse`, the lenient parser NuGet uses for package
//! versions): surrounding whitespace is trimmed; then `VERSION[-LABELS][+METADATA]` where
//! `VERSION` is 1 to 4 dot-separated non-negative 32-bit numbers (`System.Version` rules:
//! leading zeros and blanks around a number allowed, `1` means `1.0`), `LABELS` is
//! dot-separated non-empty `[0-9A-Za-z-]+` identifiers (numeric ones without leading
//! zeros) and `METADATA` dot-separated non-empty `[0-9A-Za-z-]+` identifiers.
//!
//! **Ordering** (`VersionComparer.Default`): major, minor, patch, revision numerically (a
//! missing part is 0, so `1.0` == `1.0.0.0`); a version with release labels sorts before
//! the same version without; labels are compared pairwise, numeric ones (those
//! `int.TryParse` accepts) numerically and before non-numeric ones, non-numeric ones
//! case-insensitively (ordinal), a longer list winning on a shared prefix. Metadata is
//! ignored.
//!
//! [`normalize`] is `ToNormalizedString()`: `Major.Minor.Patch`, `.Revision` only when it
//! is not zero, `-labels` with their original case, no metadata (`1.0.0009.01-RC.1+A` →
//! `1.0.9.1-RC.1`).
//!
//! **Ranges** ([`satisfies`], `VersionRange.Parse` then `Satisfies`): `1.0` (≥ 1.0),
//! `[1.0]` (exactly 1.0), `[1.0,2.0)`, `(1.0,)`, `(,1.0]`... with NuGet's checks (at most
//! two bounds, at least one, `(1.0]` refused, minimum not above maximum). Satisfies applies
//! no pre-release filtering, as NuGet's. Floating ranges (`1.*`, `*`), which NuGet resolves
//! against a feed rather than test, are refused.
//!
//! [`compare`] does no allocation.

use std::cmp::Ordering;

use super::semver::{find_byte, split_dots};
use super::{Ecosystem, VersionError};

/// A parsed NuGet version, borrowing labels and metadata from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Parsed<'a> {
    /// Major, minor, patch, revision (missing parts are 0).
    parts: [u32; 4],
    /// Dot-separated release labels; empty when none.
    labels: &'a str,
    /// Build metadata; empty when none.
    metadata: &'a str,
}

/// Compare two NuGet versions (`VersionComparer.Default`).
pub fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    let pa = parse_or_err(a)?;
    let pb = parse_or_err(b)?;
    Ok(cmp_parsed(&pa, &pb))
}

/// Whether `version` satisfies the NuGet range `range` (`[1.0,2.0)`, `1.0` = ≥ 1.0, ...).
pub fn satisfies(version: &str, range: &str) -> Result<bool, VersionError> {
    let v = parse_or_err(version)?;
    let r = parse_range(range)
        .map_err(|reason| VersionError::new(Some(Ecosystem::Nuget), range, reason))?;
    Ok(r.contains(&v))
}

/// Check that `v` parses with `NuGetVersion.TryParse`.
pub fn validate(v: &str) -> Result<(), VersionError> {
    parse_or_err(v).map(|_| ())
}

/// `NuGetVersion.ToNormalizedString()`.
pub fn normalize(v: &str) -> Result<String, VersionError> {
    let p = parse_or_err(v)?;
    let [major, minor, patch, revision] = p.parts;
    let mut out = format!("{major}.{minor}.{patch}");
    if revision > 0 {
        out.push_str(&format!(".{revision}"));
    }
    if !p.labels.is_empty() {
        out.push('-');
        out.push_str(p.labels);
    }
    Ok(out)
}

fn parse_or_err(v: &str) -> Result<Parsed<'_>, VersionError> {
    parse(v, false).map_err(|reason| VersionError::new(Some(Ecosystem::Nuget), v, reason))
}

// ---------------------------------------------------------------------------------------
// Parsing

/// Parse with `NuGetVersion.TryParse` or, with `strict`, `SemanticVersion.TryParse`
/// (exactly three numbers without leading zeros or blanks, no trimming).
fn parse(value: &str, strict: bool) -> Result<Parsed<'_>, &'static str> {
    let value = if strict { value } else { value.trim() };
    let (version, labels, metadata) = sections(value).ok_or("not a NuGet version")?;
    let parts = parse_numbers(version, strict)?;
    if let Some(labels) = labels {
        if !split_dots(labels).all(|l| valid_part(l, false)) {
            return Err("invalid release label");
        }
    }
    if let Some(metadata) = metadata {
        if !split_dots(metadata).all(|m| valid_part(m, true)) {
            return Err("invalid build metadata");
        }
    }
    Ok(Parsed {
        parts,
        labels: labels.unwrap_or(""),
        metadata: metadata.unwrap_or(""),
    })
}

/// `SemanticVersion.ParseSections`: version, labels and metadata texts. A `-` or `+` as
/// the very last character stays in the preceding section (which then fails to parse).
fn sections(value: &str) -> Option<(&str, Option<&str>, Option<&str>)> {
    let last = value.len().checked_sub(1)?;
    let Some(i) = value.bytes().position(|b| b == b'-' || b == b'+') else {
        return Some((value, None, None));
    };
    if i == last {
        return Some((value, None, None));
    }
    let (version, rest) = value.split_at(i);
    if let Some(metadata) = rest.strip_prefix('+') {
        return Some((version, None, Some(metadata)));
    }
    let rest = rest.get(1..)?;
    match find_byte(rest, b'+') {
        Some(j) if j + 1 < rest.len() => Some((version, rest.get(..j), rest.get(j + 1..))),
        _ => Some((version, Some(rest), None)),
    }
}

/// `System.Version.TryParse` (after NuGet appends `.0` to a single number).
fn parse_numbers(version: &str, strict: bool) -> Result<[u32; 4], &'static str> {
    if version.is_empty() {
        return Err("missing version number");
    }
    let mut parts = [0u32; 4];
    let mut n = 0;
    for component in split_dots(version) {
        let slot = parts.get_mut(n).ok_or("more than four version numbers")?;
        *slot = parse_component(component, strict)?;
        n += 1;
    }
    if strict && n != 3 {
        return Err("a strict SemVer version has exactly three numbers");
    }
    Ok(parts)
}

/// `int.TryParse(NumberStyles.Integer)` of a version component, non-negative; `strict`
/// additionally refuses blanks and leading zeros.
fn parse_component(c: &str, strict: bool) -> Result<u32, &'static str> {
    let digits = if strict {
        c
    } else {
        c.trim_matches(is_dotnet_number_space)
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("version numbers must be decimal numbers");
    }
    if strict && digits.len() > 1 && digits.starts_with('0') {
        return Err("leading zero in a version number");
    }
    digits
        .parse::<u32>()
        .ok()
        .filter(|&n| i32::try_from(n).is_ok())
        .ok_or("version number larger than 2147483647")
}

/// Blanks `NumberStyles.AllowLeadingWhite`/`AllowTrailingWhite` accept.
fn is_dotnet_number_space(c: char) -> bool {
    matches!(c, '\u{9}'..='\u{d}' | ' ')
}

/// `SemanticVersion.IsValidPart`.
fn valid_part(s: &str, allow_leading_zeros: bool) -> bool {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return false;
    }
    allow_leading_zeros
        || !(s.len() > 1 && s.starts_with('0') && s.bytes().all(|b| b.is_ascii_digit()))
}

// ---------------------------------------------------------------------------------------
// Ordering

fn cmp_parsed(a: &Parsed<'_>, b: &Parsed<'_>) -> Ordering {
    a.parts
        .cmp(&b.parts)
        .then_with(|| match (a.labels.is_empty(), b.labels.is_empty()) {
            (true, true) => Ordering::Equal,
            (false, true) => Ordering::Less,
            (true, false) => Ordering::Greater,
            (false, false) => cmp_labels(a.labels, b.labels),
        })
}

/// `VersionComparer.CompareReleaseLabels`.
fn cmp_labels(a: &str, b: &str) -> Ordering {
    let mut xs = split_dots(a);
    let mut ys = split_dots(b);
    loop {
        let o = match (xs.next(), ys.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => cmp_label(x, y),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
}

/// `VersionComparer.CompareRelease`: `int.TryParse`-numeric labels first and by value,
/// others by `StringComparer.OrdinalIgnoreCase`.
fn cmp_label(x: &str, y: &str) -> Ordering {
    match (label_number(x), label_number(y)) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => x
            .bytes()
            .map(|c| c.to_ascii_uppercase())
            .cmp(y.bytes().map(|c| c.to_ascii_uppercase())),
    }
}

/// `int.TryParse(label)`: optional `-`, digits, 32-bit range.
fn label_number(s: &str) -> Option<i32> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i32>().ok()
}

// ---------------------------------------------------------------------------------------
// Ranges

/// A parsed `VersionRange` (floating ranges excluded).
struct Range<'a> {
    min: Option<(Parsed<'a>, bool)>,
    max: Option<(Parsed<'a>, bool)>,
}

impl Range<'_> {
    /// `VersionRangeBase.Satisfies` with `VersionComparer.Default`.
    fn contains(&self, v: &Parsed<'_>) -> bool {
        let above = self
            .min
            .as_ref()
            .is_none_or(|(min, inclusive)| match cmp_parsed(min, v) {
                Ordering::Less => true,
                Ordering::Equal => *inclusive,
                Ordering::Greater => false,
            });
        let below = self
            .max
            .as_ref()
            .is_none_or(|(max, inclusive)| match cmp_parsed(v, max) {
                Ordering::Less => true,
                Ordering::Equal => *inclusive,
                Ordering::Greater => false,
            });
        above && below
    }
}

/// `VersionRange.TryParse` (without floating versions).
fn parse_range(value: &str) -> Result<Range<'_>, &'static str> {
    let t = value.trim();
    if t.is_empty() {
        return Err("empty range");
    }
    if t.contains('*') {
        return Err("floating ranges are not supported");
    }
    let bracket = t.starts_with(['[', '(']);
    if !bracket {
        let min = parse(t, false)?;
        return Ok(Range {
            min: Some((min, true)),
            max: None,
        });
    }
    let min_inclusive = t.starts_with('[');
    let max_inclusive = match t.chars().last() {
        Some(']') => true,
        Some(')') => false,
        _ => return Err("a range must end with `]` or `)`"),
    };
    let inner = t.get(1..t.len() - 1).ok_or("malformed range")?;
    let parts: Vec<&str> = inner.split(',').collect();
    let (min_text, max_text) = match parts.as_slice() {
        [single] => {
            if !(min_inclusive && max_inclusive) {
                return Err("a single-version range must be written [V]");
            }
            (*single, *single)
        }
        [lo, hi] => (*lo, *hi),
        _ => return Err("a range has at most two bounds"),
    };
    if parts.iter().all(|p| p.is_empty()) {
        return Err("a range needs at least one bound");
    }
    let (min, max) = (bound(min_text)?, bound(max_text)?);
    if let (Some(lo), Some(hi)) = (&min, &max) {
        match cmp_parsed(lo, hi) {
            Ordering::Greater => return Err("minimum above maximum"),
            Ordering::Equal if min_inclusive != max_inclusive => return Err("empty range"),
            _ => {}
        }
    }
    Ok(Range {
        min: min.map(|v| (v, min_inclusive)),
        max: max.map(|v| (v, max_inclusive)),
    })
}

/// An optional range bound (blank = unbounded).
fn bound(s: &str) -> Result<Option<Parsed<'_>>, &'static str> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        parse(s, false).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::super::semver::fixture::{finish, json_str, load, ordering};
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn nuget_tsv() {
        let rows = load("nuget.tsv");
        let mut failures = Vec::new();
        for row in &rows {
            let expected = ordering(row, 2);
            match compare(row.col(0), row.col(1)) {
                Ok(got) if got == expected => {}
                got => failures.push(format!("line {}: {:?} -> {got:?}", row.line, row.text)),
            }
        }
        finish("nuget.tsv", rows.len(), &failures);
    }

    /// `normalized` through [`normalize`]; `full` (ToFullString) from the parsed parts.
    #[test]
    fn nuget_normalize_tsv() {
        let rows = load("nuget_normalize.tsv");
        let mut failures = Vec::new();
        for row in &rows {
            let normalized = normalize(row.col(0));
            let full = parse(row.col(0), false)
                .ok()
                .zip(normalized.as_ref().ok())
                .map(|(p, n)| {
                    if p.metadata.is_empty() {
                        n.clone()
                    } else {
                        format!("{n}+{}", p.metadata)
                    }
                });
            if normalized.as_deref() != Ok(row.col(1)) || full.as_deref() != Some(row.col(2)) {
                failures.push(format!(
                    "line {}: {:?} -> {normalized:?} / {full:?}",
                    row.line, row.text
                ));
            }
        }
        finish("nuget_normalize.tsv", rows.len(), &failures);
    }

    #[test]
    fn nuget_parse_tsv() {
        let rows = load("nuget_parse.tsv");
        let mut failures = Vec::new();
        for row in &rows {
            let input = json_str(row.col(0)).unwrap_or_default();
            let got = parse(&input, false).map(|p| {
                let [a, b, c, d] = p.parts;
                (
                    format!("{a}.{b}.{c}.{d}"),
                    p.labels.to_string(),
                    p.metadata.to_string(),
                )
            });
            let want = (
                row.col(1).to_string(),
                row.col(2).to_string(),
                row.col(3).to_string(),
            );
            if got.as_ref() != Ok(&want) {
                failures.push(format!("line {}: {:?} -> {got:?}", row.line, row.text));
            }
        }
        finish("nuget_parse.tsv", rows.len(), &failures);
    }

    /// `NuGetVersion.Parse` rows through [`validate`]; `SemanticVersion.TryParse` and
    /// `NuGetVersion.TryParseStrict` rows (strict SemVer 2.0.0) through the strict parser.
    #[test]
    fn nuget_validity_tsv() {
        let rows = load("nuget_validity.tsv");
        let mut failures = Vec::new();
        for row in &rows {
            let Some(v) = json_str(row.col(1)) else {
                failures.push(format!("line {}: bad JSON", row.line));
                continue;
            };
            let valid = row.col(2) == "true";
            let got = match row.col(0) {
                "NuGetVersion.Parse" => validate(&v).is_ok(),
                "NuGetVersion.TryParseStrict" | "SemanticVersion.TryParse" => {
                    parse(&v, true).is_ok()
                }
                other => {
                    failures.push(format!("line {}: unknown parser {other}", row.line));
                    continue;
                }
            };
            if got != valid {
                failures.push(format!("line {}: {:?} -> {got}", row.line, row.text));
            }
        }
        finish("nuget_validity.tsv", rows.len(), &failures);
    }

    /// nuget.tsv omits NuGet's `"22.3.07     " == "22.3.07"` (trailing blanks); checked here.
    #[test]
    fn trailing_whitespace_equality() {
        assert_eq!(compare("22.3.07     ", "22.3.07").unwrap(), Ordering::Equal);
    }

    #[test]
    fn label_rules() {
        let lt = |a: &str, b: &str| assert_eq!(compare(a, b).unwrap(), Ordering::Less, "{a} < {b}");
        lt("1.0.0-2", "1.0.0-10");
        lt("1.0.0-99", "1.0.0-a");
        lt("1.0.0--1", "1.0.0-0");
        // Beyond int range a label is text, and text sorts after numbers.
        lt("1.0.0-3", "1.0.0-2147483648");
        lt("1.0.0-Alpha", "1.0.0-beta");
        lt("1.0.0", "1.0.0.1");
        assert_eq!(normalize("1.0.0.0").unwrap(), "1.0.0");
        assert_eq!(normalize("1").unwrap(), "1.0.0");
        assert_eq!(normalize("1. 2 .3").unwrap(), "1.2.3");
        for bad in [
            "",
            " ",
            "1.2.3.4.5",
            "2147483648.0",
            "1.0-01",
            "1.0+",
            "1.0-",
            "1.0-a+",
            "-1.0",
            "1.a",
            "1..2",
        ] {
            assert!(validate(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn ranges() {
        let yes = |v: &str, r: &str| assert!(satisfies(v, r).unwrap(), "{v} in {r}");
        let no = |v: &str, r: &str| assert!(!satisfies(v, r).unwrap(), "{v} not in {r}");
        yes("1.0", "1.0");
        yes("5.0", "1.0");
        no("1.0-beta", "1.0");
        yes("1.0.0", "[1.0]");
        no("1.0.1", "[1.0]");
        yes("1.5", "[1.0,2.0)");
        no("2.0", "[1.0,2.0)");
        yes("2.0-beta", "[1.0,2.0)");
        no("1.0", "(1.0,)");
        yes("1.0.1", "(1.0,)");
        yes("0.5", "(,1.0]");
        yes("1.5", "[ 1.0 , 2.0 ]");
        for bad in [
            "",
            "(1.0)",
            "[1.0)",
            "(,)",
            "[1,2,3]",
            "[2.0,1.0]",
            "(1.0,1.0]",
            "1.*",
            "*",
            "[1.0",
            "nope",
        ] {
            assert!(satisfies("1.0", bad).is_err(), "{bad}");
        }
    }

    fn version() -> impl Strategy<Value = String> {
        let num = prop_oneof![Just("0"), Just("1"), Just("01"), Just("2"), Just("10")];
        let rev = prop_oneof![Just(""), Just(".0"), Just(".1")];
        let label = prop_oneof![
            Just("alpha"),
            Just("Alpha"),
            Just("BETA"),
            Just("1"),
            Just("2"),
            Just("10"),
            Just("rc-1"),
            Just("-1")
        ];
        let meta = prop_oneof![Just(""), Just("+sha.1"), Just("+B")];
        (
            num.clone(),
            num.clone(),
            num,
            rev,
            prop::collection::vec(label, 0..3),
            meta,
        )
            .prop_map(|(a, b, c, r, l, m)| {
                let mut s = format!("{a}.{b}.{c}{r}");
                if !l.is_empty() {
                    s.push('-');
                    s.push_str(&l.join("."));
                }
                s.push_str(m);
                s
            })
    }

    proptest! {
        #[test]
        fn total_order(a in version(), b in version(), c in version()) {
            super::super::semver::fixture::order_laws(compare, &a, &b, &c)?;
            prop_assert_eq!(compare(&normalize(&a).unwrap(), &a).unwrap(), Ordering::Equal);
        }
    }

    proptest! {
        /// Arbitrary text is an error or an answer, never a panic.
        #[test]
        fn arbitrary_input_never_panics(
            a in "\\PC{0,24}",
            b in "[0-9a-zA-Z.+_!*~^<>=|, ()\\[\\]-]{0,24}",
        ) {
            let _ = compare(&a, &b);
            let _ = compare(&b, &a);
            let _ = validate(&a);
            let _ = normalize(&a);
            let _ = satisfies(&a, &b);
            let _ = satisfies(&b, &a);
            let _ = satisfies("1.0.0", &b);
        }
    }

    #[test]
    #[ignore = "rate check: run in release with --ignored --nocapture"]
    fn rate() {
        let pairs = [
            ("1.2.3", "1.2.4"),
            ("6.0.0-preview.7.21377.19", "6.0.0-rc.1.21451.13"),
            ("4.5.0.1", "4.5.0"),
            ("13.0.1", "13.0.1-beta1+sha.abc"),
        ];
        let r = super::super::semver::fixture::rate("nuget", &pairs, compare);
        assert!(r > 0.0);
    }
}
