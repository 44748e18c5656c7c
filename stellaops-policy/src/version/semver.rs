//! Strict [SemVer 2.0.0](https://semver.org/spec/v2.0.0.html) (`semver`, also used for
//! crates.io / Cargo versions).
//!
//! Parsing is exactly the specification's grammar, with nothing trimmed or tolerated:
//! `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]`, numeric identifiers without leading zeros,
//! pre-release identifiers non-empty `[0-9A-Za-z-]+` (numeric ones without leading zeros),
//! build identifiers non-empty `[0-9A-Za-z-]+` (leading zeros allowed). No `v` prefix, no
//! whitespace. Numbers may be arbitrarily large: they are compared as digit strings.
//!
//! Precedence (spec section 11): major, minor, patch numerically; a version with a
//! pre-release sorts before the same version without; pre-release identifiers are compared
//! left to right, numeric ones numerically, alphanumeric ones in ASCII order (so `Foo` <
//! `foo`), numeric before alphanumeric, and a longer list wins when all shared identifiers
//! are equal. Build metadata is ignored (`1.0.0+a` == `1.0.0+b`).
//!
//! [`satisfies`] takes npm (node-semver) range syntax, evaluated by the engine in
//! [`super::npm`] in its non-loose mode, after the version itself passed the strict
//! SemVer 2.0.0 check. Note the npm meaning of a bare version: `1.2.3` means `=1.2.3` (not
//! Cargo's implicit caret); Cargo's comma-separated requirements are not accepted. As in
//! node-semver, range evaluation limits version numbers to 2^53 - 1 (an error beyond).
//!
//! [`compare`] does no allocation.

use std::cmp::Ordering;

use super::bytes::{cmp_bytes, cmp_numeric};
use super::{npm, Ecosystem, VersionError};

/// A strictly parsed SemVer 2.0.0 version, borrowing its parts from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Parsed<'a> {
    /// Major number (digits, no leading zero unless `0`).
    pub(super) major: &'a str,
    /// Minor number.
    pub(super) minor: &'a str,
    /// Patch number.
    pub(super) patch: &'a str,
    /// Dot-separated pre-release identifiers without the leading `-`; empty when absent.
    pub(super) pre: &'a str,
    /// Build metadata without the leading `+`; empty when absent.
    pub(super) build: &'a str,
}

/// Compare two strict SemVer 2.0.0 versions by precedence.
pub fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    let pa = parse_or_err(a)?;
    let pb = parse_or_err(b)?;
    Ok(precedence(&pa, &pb))
}

/// Whether `version` (strict SemVer 2.0.0) satisfies `range`, written in npm's range syntax
/// (`^1.2`, `~1.2.3`, `>=1.0.0 <2.0.0 || 3.x`, `1.0.0 - 2.0.0`; see [`super::npm`]).
/// Range bounds are parsed with node-semver's non-loose grammar.
pub fn satisfies(version: &str, range: &str) -> Result<bool, VersionError> {
    parse_or_err(version)?;
    npm::satisfies_with(Ecosystem::Semver, version, range, npm::Options::STRICT)
}

/// Check that `v` is a valid SemVer 2.0.0 version.
pub fn validate(v: &str) -> Result<(), VersionError> {
    parse_or_err(v).map(|_| ())
}

fn parse_or_err(v: &str) -> Result<Parsed<'_>, VersionError> {
    parse(v).map_err(|reason| VersionError::new(Some(Ecosystem::Semver), v, reason))
}

/// Parse `v` with the SemVer 2.0.0 grammar (one pass over the bytes).
pub(super) fn parse(v: &str) -> Result<Parsed<'_>, &'static str> {
    let b = v.as_bytes();
    let (major, i) = core_number(v, 0)?;
    let i = expect_dot(b, i)?;
    let (minor, i) = core_number(v, i)?;
    let i = expect_dot(b, i)?;
    let (patch, mut i) = core_number(v, i)?;
    let mut pre = "";
    if b.get(i) == Some(&b'-') {
        let end = scan_identifiers(b, i + 1, true)?;
        pre = v.get(i + 1..end).unwrap_or("");
        i = end;
    }
    let mut build = "";
    if b.get(i) == Some(&b'+') {
        let end = scan_identifiers(b, i + 1, false)?;
        build = v.get(i + 1..end).unwrap_or("");
        i = end;
    }
    if i != b.len() {
        return Err("unexpected character in version");
    }
    Ok(Parsed {
        major,
        minor,
        patch,
        pre,
        build,
    })
}

fn expect_dot(b: &[u8], i: usize) -> Result<usize, &'static str> {
    if b.get(i) == Some(&b'.') {
        Ok(i + 1)
    } else {
        Err("expected MAJOR.MINOR.PATCH")
    }
}

/// A numeric core component starting at `i`: digits, no leading zero unless `0`.
fn core_number(v: &str, i: usize) -> Result<(&str, usize), &'static str> {
    let b = v.as_bytes();
    let len = b.get(i..).map_or(0, |rest| {
        rest.iter().take_while(|c| c.is_ascii_digit()).count()
    });
    if len == 0 {
        return Err("version components must be decimal numbers");
    }
    if len > 1 && b.get(i) == Some(&b'0') {
        return Err("numeric component with a leading zero");
    }
    Ok((v.get(i..i + len).unwrap_or(""), i + len))
}

/// Scan dot-separated identifiers from `start` up to the end or (with `pre`) a `+`;
/// returns where they end. Identifiers are non-empty `[0-9A-Za-z-]+`; with `pre`, numeric
/// identifiers must not have leading zeros.
fn scan_identifiers(b: &[u8], start: usize, pre: bool) -> Result<usize, &'static str> {
    let mut i = start;
    loop {
        let id_start = i;
        let mut numeric = true;
        while let Some(&c) = b.get(i) {
            if c.is_ascii_digit() {
            } else if c.is_ascii_alphabetic() || c == b'-' {
                numeric = false;
            } else {
                break;
            }
            i += 1;
        }
        if i == id_start {
            return Err("empty identifier");
        }
        if pre && numeric && i - id_start > 1 && b.get(id_start) == Some(&b'0') {
            return Err("numeric pre-release identifier with a leading zero");
        }
        match b.get(i) {
            Some(b'.') => i += 1,
            None => return Ok(i),
            Some(b'+') if pre => return Ok(i),
            Some(_) => return Err("identifiers may only contain [0-9A-Za-z-]"),
        }
    }
}

/// SemVer precedence of two parsed versions (build metadata ignored).
pub(super) fn precedence(a: &Parsed<'_>, b: &Parsed<'_>) -> Ordering {
    cmp_numeric(a.major, b.major)
        .then_with(|| cmp_numeric(a.minor, b.minor))
        .then_with(|| cmp_numeric(a.patch, b.patch))
        .then_with(|| cmp_prerelease(a.pre, b.pre))
}

/// Whether `s` is a non-empty run of ASCII digits.
pub(super) fn is_numeric(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// The position of the ASCII byte `b` in `s` (a byte scan: `str::find(char)` verifies
/// each hit with a `memcmp` call, which dominates on short version strings).
pub(super) fn find_byte(s: &str, b: u8) -> Option<usize> {
    s.bytes().position(|c| c == b)
}

/// `s.split('.')`, scanning bytes.
pub(super) fn split_dots(s: &str) -> SplitByte<'_> {
    SplitByte {
        rest: Some(s),
        sep: b'.',
    }
}

/// Iterator of [`split_dots`].
#[derive(Debug, Clone)]
pub(super) struct SplitByte<'a> {
    rest: Option<&'a str>,
    sep: u8,
}

impl<'a> Iterator for SplitByte<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let s = self.rest?;
        match find_byte(s, self.sep) {
            Some(i) => {
                self.rest = s.get(i + 1..);
                s.get(..i)
            }
            None => {
                self.rest = None;
                Some(s)
            }
        }
    }
}

/// Compare two pre-release strings (dot-separated identifiers, no leading `-`) by SemVer
/// precedence; the empty string means "no pre-release" and sorts last.
pub(super) fn cmp_prerelease(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        (false, false) => {}
    }
    let mut xs = split_dots(a);
    let mut ys = split_dots(b);
    loop {
        match (xs.next(), ys.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => match cmp_identifier(x, y) {
                Ordering::Equal => {}
                other => return other,
            },
        }
    }
}

/// Compare one pre-release identifier: numeric ones numerically and before alphanumeric
/// ones, alphanumeric ones in ASCII order.
pub(super) fn cmp_identifier(x: &str, y: &str) -> Ordering {
    match (is_numeric(x), is_numeric(y)) {
        (true, true) => cmp_numeric(x, y),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => cmp_bytes(x.as_bytes(), y.as_bytes()),
    }
}

/// Fixture loading shared by the version modules' tests.
#[cfg(test)]
pub(super) mod fixture {
    /// One data row of a fixture table.
    pub(crate) struct Row {
        /// 1-based line number in the file.
        pub(crate) line: usize,
        /// The raw line, for failure messages.
        pub(crate) text: String,
        /// Tab-separated columns.
        pub(crate) cols: Vec<String>,
    }

    impl Row {
        /// Column `i`, or a panic naming the row.
        pub(crate) fn col(&self, i: usize) -> &str {
            match self.cols.get(i) {
                Some(c) => c,
                None => panic!("line {}: missing column {i}: {:?}", self.line, self.text),
            }
        }
    }

    /// The six orderings of three values, for transitivity checks.
    pub(crate) fn permutations<'s>(
        a: &'s str,
        b: &'s str,
        c: &'s str,
    ) -> [(&'s str, &'s str, &'s str); 6] {
        [
            (a, b, c),
            (a, c, b),
            (b, a, c),
            (b, c, a),
            (c, a, b),
            (c, b, a),
        ]
    }

    /// The laws of a total order for valid versions `a`, `b`, `c`: reflexive,
    /// antisymmetric, and transitive for both `<=` and `==`, over every ordering of the three.
    pub(crate) fn order_laws(
        compare: fn(&str, &str) -> Result<std::cmp::Ordering, crate::version::VersionError>,
        a: &str,
        b: &str,
        c: &str,
    ) -> Result<(), proptest::test_runner::TestCaseError> {
        use proptest::{prop_assert, prop_assert_eq};
        use std::cmp::Ordering;
        for v in [a, b, c] {
            prop_assert_eq!(compare(v, v), Ok(Ordering::Equal), "{:?}", v);
        }
        for (x, y, z) in permutations(a, b, c) {
            let xy = compare(x, y);
            prop_assert!(xy.is_ok(), "{:?} {:?}", x, y);
            prop_assert_eq!(xy.map(Ordering::reverse), compare(y, x));
            let (xy, yz, xz) = (compare(x, y)?, compare(y, z)?, compare(x, z)?);
            if xy != Ordering::Greater && yz != Ordering::Greater {
                prop_assert!(
                    xz != Ordering::Greater,
                    "{:?} <= {:?} <= {:?} but not {:?} <= {:?}",
                    x,
                    y,
                    z,
                    x,
                    z
                );
            }
            if xy == Ordering::Equal && yz == Ordering::Equal {
                prop_assert_eq!(xz, Ordering::Equal, "{:?} == {:?} == {:?}", x, y, z);
            }
        }
        Ok(())
    }

    /// Load `name` from the shared fixtures: every non-comment line after the header row.
    pub(crate) fn load(name: &str) -> Vec<Row> {
        let path = format!(
            "{}/../../shared/fixtures/version-comparison/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = match stellaops_testkit::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => panic!("cannot read {path}: {e}"),
        };
        let mut rows = Vec::new();
        let mut header_seen = false;
        for (i, line) in text.lines().enumerate() {
            if line.starts_with('#') {
                continue;
            }
            if !header_seen {
                header_seen = true;
                continue;
            }
            rows.push(Row {
                line: i + 1,
                text: line.to_string(),
                cols: line.split('\t').map(str::to_string).collect(),
            });
        }
        assert!(!rows.is_empty(), "{name}: no rows");
        rows
    }

    /// Decode a JSON string literal (`"..."` with escapes); `None` for any other JSON value.
    pub(crate) fn json_str(s: &str) -> Option<String> {
        let inner = s.strip_prefix('"')?.strip_suffix('"')?;
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                'b' => out.push('\u{8}'),
                'f' => out.push('\u{c}'),
                'u' => {
                    let hi = hex4(&mut chars)?;
                    let code = if (0xD800..0xDC00).contains(&hi) {
                        if chars.next()? != '\\' || chars.next()? != 'u' {
                            return None;
                        }
                        let lo = hex4(&mut chars)?;
                        0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                    } else {
                        hi
                    };
                    out.push(char::from_u32(code)?);
                }
                other => out.push(other),
            }
        }
        Some(out)
    }

    fn hex4(chars: &mut std::str::Chars<'_>) -> Option<u32> {
        let mut v = 0;
        for _ in 0..4 {
            v = v * 16 + chars.next()?.to_digit(16)?;
        }
        Some(v)
    }

    /// Parse an expected ordering column (`-1`, `0`, `1`).
    pub(crate) fn ordering(row: &Row, col: usize) -> std::cmp::Ordering {
        match row.col(col) {
            "-1" => std::cmp::Ordering::Less,
            "0" => std::cmp::Ordering::Equal,
            "1" => std::cmp::Ordering::Greater,
            other => panic!("line {}: bad expected value {other:?}", row.line),
        }
    }

    /// Print a table's tally (visible with `--nocapture`) and fail listing every mismatch.
    #[allow(clippy::print_stderr)]
    pub(crate) fn finish(table: &str, total: usize, failures: &[String]) {
        eprintln!("{table}: {} / {total} rows pass", total - failures.len());
        assert!(
            failures.is_empty(),
            "{table}: {} of {total} rows fail:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    /// Measure comparisons per second of `compare` over `pairs` (release builds only).
    #[allow(clippy::print_stderr)]
    pub(crate) fn rate<E: std::fmt::Debug>(
        name: &str,
        pairs: &[(&str, &str)],
        compare: impl Fn(&str, &str) -> Result<std::cmp::Ordering, E>,
    ) -> f64 {
        let start = stellaops_testkit::clock::now();
        let mut n: u64 = 0;
        let mut sink = 0i64;
        while start.elapsed().as_secs_f64() < 1.0 {
            for _ in 0..1000 {
                for (a, b) in pairs {
                    let r = compare(std::hint::black_box(a), std::hint::black_box(b));
                    sink += match r {
                        Ok(o) => o as i64,
                        Err(e) => panic!("{a} vs {b}: {e:?}"),
                    };
                    n += 1;
                }
            }
        }
        let secs = start.elapsed().as_secs_f64();
        let rate = n as f64 / secs;
        eprintln!(
            "{name}: {:.2} M comparisons/s ({n} in {secs:.2}s, sink {sink})",
            rate / 1e6
        );
        rate
    }
}

#[cfg(test)]
mod tests {
    use super::fixture::{finish, json_str, load, ordering};
    use super::*;
    use proptest::prelude::*;

    fn check_table(name: &str) {
        let rows = load(name);
        let mut failures = Vec::new();
        for row in &rows {
            let expected = ordering(row, 2);
            match compare(row.col(0), row.col(1)) {
                Ok(got) if got == expected => {}
                got => failures.push(format!("line {}: {:?} -> {got:?}", row.line, row.text)),
            }
        }
        finish(name, rows.len(), &failures);
    }

    #[test]
    fn semver_tsv() {
        check_table("semver.tsv");
    }

    #[test]
    fn semver_spec_examples_tsv() {
        check_table("semver_spec_examples.tsv");
    }

    /// The loose table is npm-specific: strict SemVer must refuse the loose spellings.
    #[test]
    fn loose_spellings_are_rejected() {
        let rows = load("semver_npm_loose.tsv");
        let mut failures = Vec::new();
        for row in &rows {
            for v in [row.col(0), row.col(1)] {
                let loose = v.starts_with(['v', '=', ' ']);
                if validate(v).is_ok() == loose {
                    failures.push(format!("line {}: {v:?} validity wrong", row.line));
                }
            }
        }
        finish(
            "semver_npm_loose.tsv (strict validity)",
            rows.len(),
            &failures,
        );
    }

    /// npm_ranges.tsv rows with node-semver's default options (`loose` and
    /// `includePrerelease` false) through [`satisfies`]; node-semver answers `false` where
    /// we return an error. (All rows, with every option, are checked in `npm.rs`.)
    #[test]
    fn npm_ranges_tsv_default_option_rows() {
        let rows = load("npm_ranges.tsv");
        let mut failures = Vec::new();
        let mut checked = 0;
        for row in rows
            .iter()
            .filter(|r| r.col(2) == "false" && r.col(3) == "false")
        {
            let expected = row.col(4) == "true";
            let (Some(range), Some(version)) = (json_str(row.col(0)), json_str(row.col(1))) else {
                // The one row whose version is JSON `false`: node-semver says false.
                if expected {
                    failures.push(format!("line {}: non-string input expected true", row.line));
                }
                continue;
            };
            checked += 1;
            if satisfies(&version, &range).unwrap_or(false) != expected {
                failures.push(format!("line {}: {:?}", row.line, row.text));
            }
        }
        finish(
            "npm_ranges.tsv (default-option rows, strict)",
            checked,
            &failures,
        );
    }

    #[test]
    fn validity() {
        for ok in [
            "0.0.0",
            "1.2.3-alpha.1+build.01",
            "1.0.0--",
            "1.0.0-0a",
            "99999999999999999999999.0.0",
        ] {
            assert!(validate(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "1",
            "1.2",
            "1.2.3.4",
            "01.2.3",
            "1.02.3",
            "1.2.03",
            "v1.2.3",
            " 1.2.3",
            "1.2.3-",
            "1.2.3-01",
            "1.2.3-a..b",
            "1.2.3+",
            "1.2.3+a+b",
            "1.2.3-a_b",
            "1.2.-3",
            "+1.2.3",
            "1.2.3-é",
        ] {
            assert!(validate(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn precedence_rules() {
        let lt = |a: &str, b: &str| assert_eq!(compare(a, b).unwrap(), Ordering::Less, "{a} < {b}");
        lt("1.0.0-alpha", "1.0.0-alpha.1");
        lt("1.0.0-1", "1.0.0-a");
        lt("1.0.0-Foo", "1.0.0-foo");
        lt("99999999999999999999.0.0", "100000000000000000000.0.0");
        assert_eq!(compare("1.0.0+a", "1.0.0+b").unwrap(), Ordering::Equal);
    }

    #[test]
    fn ranges_use_npm_syntax_with_strict_versions() {
        assert!(satisfies("1.2.3", "^1.2").unwrap());
        assert!(!satisfies("2.0.0", "^1.2").unwrap());
        assert!(satisfies("1.2.3", "1.2.3").unwrap());
        assert!(!satisfies("1.2.4", "1.2.3").unwrap());
        assert!(satisfies("1.2.3-beta", ">=1.2.3-alpha <1.3").unwrap());
        assert!(!satisfies("1.2.4-beta", ">=1.2.3-alpha <1.3").unwrap());
        assert!(satisfies("v1.2.3", "*").is_err());
        assert!(satisfies("1.2.3", ">=1.0.0 foo").is_err());
    }

    fn version() -> impl Strategy<Value = String> {
        let num = prop_oneof![
            Just("0".to_string()),
            Just("1".to_string()),
            Just("2".to_string()),
            Just("10".to_string()),
            Just("18446744073709551616".to_string()),
        ];
        let ident = prop_oneof![
            Just("alpha"),
            Just("beta"),
            Just("rc"),
            Just("0"),
            Just("1"),
            Just("2"),
            Just("11"),
            Just("a-b"),
            Just("Alpha"),
            Just("0a"),
        ];
        let pre = prop::collection::vec(ident, 0..3);
        let build = prop_oneof![Just(""), Just("+b1"), Just("+sha.01")];
        (num.clone(), num.clone(), num, pre, build).prop_map(|(a, b, c, pre, build)| {
            let mut s = format!("{a}.{b}.{c}");
            if !pre.is_empty() {
                s.push('-');
                s.push_str(&pre.join("."));
            }
            s.push_str(build);
            s
        })
    }

    proptest! {
        #[test]
        fn total_order(a in version(), b in version(), c in version()) {
            super::super::semver::fixture::order_laws(compare, &a, &b, &c)?;
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
            ("1.0.0-alpha.1", "1.0.0-alpha.beta"),
            ("10.20.30", "10.20.30+build.5"),
            ("2.0.0-rc.1", "2.0.0"),
        ];
        let r = super::fixture::rate("semver", &pairs, compare);
        assert!(r > 0.0);
    }
}
