//! Go module versions, as [`golang.org/x/mod/semver`](https://pkg.go.dev/golang.org/x/mod/semver)
//! defines them.
//!
//! - A version is `vMAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]]`: numbers without leading
//!   zeros, identifiers `[0-9A-Za-z-]+` (numeric pre-release identifiers without leading
//!   zeros). The shorthands `v1` and `v1.2` mean `v1.0.0` and `v1.2.0`; a shorthand may not
//!   carry a pre-release or build (`v1.2-pre` and `v1+meta` are invalid, as in x/mod).
//! - Ordering is SemVer precedence. Build metadata, including Go's `+incompatible`, is
//!   ignored, so `v2.0.0+incompatible` == `v2.0.0`. Pseudo-versions
//!   (`v0.0.0-20191109021931-daa7c04131f5`, `v1.2.4-0.20191109021931-daa7c04131f5`) are
//!   ordinary pre-releases and order correctly by their timestamp.
//! - [`normalize`] is x/mod `Canonical`: shorthands completed, build metadata dropped.
//!
//! **Deviations from x/mod**, both deliberate:
//! - OSV writes Go versions without the `v` (`1.2.3`): every function here adds the `v` when
//!   the input does not start with one, so `1.2.3` == `v1.2.3` (and [`normalize`] returns the
//!   `v` form).
//! - x/mod's `Compare` orders every invalid string equal to every other and below all valid
//!   versions; here an invalid version is an error, so that a typo can never silently
//!   satisfy `< v1.2.3`.
//!
//! [`satisfies`] takes the generic comparator list of [`super::comparators`]
//! (`>= v1.2.0, < v1.3.0 || = v2.0.0`). [`compare`] does no allocation.

use std::cmp::Ordering;

use super::bytes::cmp_numeric;
use super::semver::{cmp_prerelease, find_byte, split_dots};
use super::{comparators, Ecosystem, VersionError};

/// A parsed Go version, borrowing from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Parsed<'a> {
    major: &'a str,
    minor: &'a str,
    patch: &'a str,
    /// Pre-release identifiers without the `-`; empty when none.
    pre: &'a str,
}

/// Compare two Go module versions (`v` prefix optional, see the module docs).
pub fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    let pa = parse_or_err(a)?;
    let pb = parse_or_err(b)?;
    Ok(cmp_parsed(&pa, &pb))
}

/// Whether `version` satisfies a comparator list (`>= v1.2.0, < v1.3.0 || v2.0.0`).
pub fn satisfies(version: &str, range: &str) -> Result<bool, VersionError> {
    comparators::satisfies(Ecosystem::Golang, version, range, compare)
}

/// Check that `v` is a valid Go module version (`v` prefix optional).
pub fn validate(v: &str) -> Result<(), VersionError> {
    parse_or_err(v).map(|_| ())
}

/// x/mod `Canonical`: `v1` → `v1.0.0`, `v1.2.3+meta` → `v1.2.3`; adds a missing `v`.
pub fn normalize(v: &str) -> Result<String, VersionError> {
    let p = parse_or_err(v)?;
    let mut out = format!("v{}.{}.{}", p.major, p.minor, p.patch);
    if !p.pre.is_empty() {
        out.push('-');
        out.push_str(p.pre);
    }
    Ok(out)
}

fn parse_or_err(v: &str) -> Result<Parsed<'_>, VersionError> {
    let body = v.strip_prefix('v').unwrap_or(v);
    parse(body).map_err(|reason| VersionError::new(Some(Ecosystem::Golang), v, reason))
}

fn cmp_parsed(a: &Parsed<'_>, b: &Parsed<'_>) -> Ordering {
    cmp_numeric(a.major, b.major)
        .then_with(|| cmp_numeric(a.minor, b.minor))
        .then_with(|| cmp_numeric(a.patch, b.patch))
        .then_with(|| cmp_prerelease(a.pre, b.pre))
}

/// x/mod `parse`, on the text after the `v`.
fn parse(body: &str) -> Result<Parsed<'_>, &'static str> {
    let (major, rest) = parse_int(body)?;
    let mut p = Parsed {
        major,
        minor: "0",
        patch: "0",
        pre: "",
    };
    if rest.is_empty() {
        return Ok(p);
    }
    let rest = rest
        .strip_prefix('.')
        .ok_or("expected `.` after the major version")?;
    let (minor, rest) = parse_int(rest)?;
    p.minor = minor;
    if rest.is_empty() {
        return Ok(p);
    }
    let rest = rest
        .strip_prefix('.')
        .ok_or("expected `.` after the minor version")?;
    let (patch, mut rest) = parse_int(rest)?;
    p.patch = patch;
    if let Some(tail) = rest.strip_prefix('-') {
        let end = find_byte(tail, b'+').unwrap_or(tail.len());
        let (pre, after) = tail.split_at(end);
        check_idents(pre, true)?;
        p.pre = pre;
        rest = after;
    }
    if let Some(build) = rest.strip_prefix('+') {
        check_idents(build, false)?;
        rest = "";
    }
    if rest.is_empty() {
        Ok(p)
    } else {
        Err("unexpected characters after the version")
    }
}

/// x/mod `parseInt`: digits, no leading zero unless `0`.
fn parse_int(s: &str) -> Result<(&str, &str), &'static str> {
    let end = s
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(s.len());
    let (num, rest) = s.split_at(end);
    if num.is_empty() {
        return Err("expected a number (Go versions look like v1.2.3)");
    }
    if num.len() > 1 && num.starts_with('0') {
        return Err("number with a leading zero");
    }
    Ok((num, rest))
}

/// x/mod `parsePrerelease` / `parseBuild` identifier rules.
fn check_idents(ids: &str, pre: bool) -> Result<(), &'static str> {
    for id in split_dots(ids) {
        if id.is_empty() {
            return Err("empty identifier");
        }
        if !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err("identifiers may only contain [0-9A-Za-z-]");
        }
        if pre && id.len() > 1 && id.starts_with('0') && id.bytes().all(|b| b.is_ascii_digit()) {
            return Err("numeric pre-release identifier with a leading zero");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::semver::fixture::{finish, load, ordering};
    use super::*;
    use proptest::prelude::*;

    /// x/mod `Compare`, from our functions: invalid versions equal each other and sort
    /// below every valid one. Only rows with an invalid side need it; the test asserts
    /// that those sides are errors for [`compare`].
    fn xmod_compare(a: &str, b: &str) -> Ordering {
        match (compare(a, a), compare(b, b)) {
            (Err(_), Err(_)) => Ordering::Equal,
            (Err(_), Ok(_)) => Ordering::Less,
            (Ok(_), Err(_)) => Ordering::Greater,
            (Ok(_), Ok(_)) => compare(a, b).unwrap_or(Ordering::Equal),
        }
    }

    /// Every row: valid pairs through [`compare`]; a row with an invalid side (which x/mod
    /// orders below all valid versions) must make [`compare`] fail, and the x/mod result
    /// must follow from that rule.
    #[test]
    fn go_semver_tsv() {
        let rows = load("go_semver.tsv");
        let mut failures = Vec::new();
        let mut invalid_rows = 0;
        for row in &rows {
            let (a, b) = (row.col(0), row.col(1));
            let expected = ordering(row, 2);
            let any_invalid = validate(a).is_err() || validate(b).is_err();
            if any_invalid {
                invalid_rows += 1;
                if compare(a, b).is_ok() {
                    failures.push(format!(
                        "line {}: {:?} should be an error",
                        row.line, row.text
                    ));
                }
                if xmod_compare(a, b) != expected {
                    failures.push(format!("line {}: {:?} x/mod rule", row.line, row.text));
                }
                continue;
            }
            match compare(a, b) {
                Ok(got) if got == expected => {}
                got => failures.push(format!("line {}: {:?} -> {got:?}", row.line, row.text)),
            }
        }
        assert!(invalid_rows > 0);
        finish("go_semver.tsv", rows.len(), &failures);
    }

    #[test]
    fn go_semver_canonical_tsv() {
        let rows = load("go_semver_canonical.tsv");
        let mut failures = Vec::new();
        for row in &rows {
            let expected = row.cols.get(1).map(String::as_str).unwrap_or("");
            let got = normalize(row.col(0)).unwrap_or_default();
            if got != expected || validate(row.col(0)).is_ok() == expected.is_empty() {
                failures.push(format!("line {}: {:?} -> {got:?}", row.line, row.text));
            }
        }
        finish("go_semver_canonical.tsv", rows.len(), &failures);
    }

    #[test]
    fn osv_forms_and_pseudo_versions() {
        assert_eq!(compare("1.2.3", "v1.2.3").unwrap(), Ordering::Equal);
        assert_eq!(
            compare("v2.0.0+incompatible", "v2.0.0").unwrap(),
            Ordering::Equal
        );
        assert_eq!(normalize("1.2").unwrap(), "v1.2.0");
        let lt = |a: &str, b: &str| assert_eq!(compare(a, b).unwrap(), Ordering::Less, "{a} < {b}");
        lt(
            "v0.0.0-20191109021931-daa7c04131f5",
            "v0.0.0-20200101000000-000000000000",
        );
        lt("v0.0.0-20191109021931-daa7c04131f5", "v0.0.1");
        lt("v1.2.3", "v1.2.4-0.20191109021931-daa7c04131f5");
        lt("v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4");
        lt("v1.2.4-pre", "v1.2.4-pre.0.20191109021931-daa7c04131f5");
        assert!(satisfies("v1.2.5", ">= v1.2.0, < v1.3.0").unwrap());
        assert!(satisfies("1.2.5", ">=1.2.0 <1.3.0").unwrap());
        assert!(!satisfies("v1.3.0", ">= v1.2.0, < v1.3.0").unwrap());
        assert!(satisfies("v1.2.5", ">= bad").is_err());
        for bad in [
            "",
            "v",
            "vv1.2.3",
            "V1.2.3",
            "v01.2.3",
            "v1.2.3-01",
            "v1.2.3-",
            "v1.2.3+",
            "v1..2",
            "v1.2.3.4",
        ] {
            assert!(validate(bad).is_err(), "{bad}");
        }
    }

    fn version() -> impl Strategy<Value = String> {
        let num = prop_oneof![Just("0"), Just("1"), Just("2"), Just("10")];
        let tail = prop_oneof![
            Just(""),
            Just("-pre"),
            Just("-pre.1"),
            Just("-0.20191109021931-daa7c04131f5"),
            Just("-20191109021931-daa7c04131f5"),
            Just("+incompatible"),
            Just("-rc.1+meta"),
        ];
        let v = prop_oneof![Just("v"), Just("")];
        (v, num.clone(), prop::option::of(num.clone()), num, tail).prop_map(|(v, a, b, c, tail)| {
            match b {
                Some(b) => format!("{v}{a}.{b}.{c}{tail}"),
                None => format!("{v}{a}.{c}"),
            }
        })
    }

    proptest! {
        #[test]
        fn total_order(a in version(), b in version(), c in version()) {
            super::super::semver::fixture::order_laws(compare, &a, &b, &c)?;
            let ab = compare(&a, &b)?;
            prop_assert_eq!(ab == Ordering::Equal, normalize(&a).unwrap() == normalize(&b).unwrap());
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
            ("v1.2.3", "v1.2.4"),
            (
                "v0.0.0-20191109021931-daa7c04131f5",
                "v0.0.0-20200101000000-000000000000",
            ),
            ("v2.0.0+incompatible", "v2.0.0"),
            ("1.4", "v1.4.0-rc.1"),
        ];
        let r = super::super::semver::fixture::rate("golang", &pairs, compare);
        assert!(r > 0.0);
    }
}
