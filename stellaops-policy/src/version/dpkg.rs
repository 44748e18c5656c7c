//! Debian package versions (`deb-version(7)`, Debian Policy §5.6.12), ordered exactly like
//! dpkg's `dpkg_version_compare` / `verrevcmp` (dpkg 1.21).
//!
//! # Syntax
//!
//! `[epoch:]upstream_version[-debian_revision]`
//!
//! * Leading and trailing ASCII whitespace is ignored (as dpkg does); whitespace inside is an
//!   error.
//! * **epoch**: everything before the *first* `:`. It must be a non-empty run of ASCII digits
//!   no greater than `i32::MAX` (dpkg: "epoch in version is empty / not number / too big").
//!   Missing epoch = 0.
//! * **revision**: everything after the *last* `-`; it must not be empty ("revision number is
//!   empty") and may only contain `[A-Za-z0-9.+~]`. A missing revision is the empty string,
//!   which `verrevcmp` orders exactly like `"0"` (so `1.0` == `1.0-0`).
//! * **upstream**: what remains; must not be empty and may only contain `[A-Za-z0-9.+~:-]`.
//!   An upstream version that does not start with a digit is only a *warning* in dpkg, so it is
//!   accepted here. dpkg merely warns about invalid characters too; this module refuses them,
//!   as Debian Policy does.
//!
//! # Ordering
//!
//! Epochs compare numerically, then the upstream parts, then the revisions, each with
//! `verrevcmp`: the string is walked as alternating non-digit and digit runs.
//!
//! * Non-digit runs compare character by character with the weight
//!   `~` < *end of run* < letters (ASCII order) < other characters (ASCII order), so
//!   `1.0~rc1 < 1.0 < 1.0a < 1.0+b1 < 1.0.1`, and `~~ < ~~a < ~ < "" < a`.
//! * Digit runs compare numerically, of any length (leading zeros are skipped, then the longer
//!   run wins, then the first differing digit): `1.09 == 1.9`, no overflow.
//!
//! Comparison walks the `&str` bytes and never allocates; errors allocate only their message.
//!
//! # Ranges
//!
//! [`satisfies`] uses the generic comparator lists of [`super::comparators`]
//! (`>= 1.2-3, << 2.0 || = 3.0-1`).

use std::cmp::Ordering;

use super::{comparators, Ecosystem, VersionError};

/// A syntactically valid Debian version, borrowed from the input.
#[derive(Debug, Clone, Copy)]
struct Parsed<'a> {
    epoch: u32,
    upstream: &'a [u8],
    revision: &'a [u8],
}

fn error(input: &str, reason: &str) -> VersionError {
    VersionError::new(Some(Ecosystem::Deb), input, reason)
}

/// Split and check `v` the way dpkg's `parseversion` does (see the module docs), in one pass.
fn parse(v: &str) -> Result<Parsed<'_>, VersionError> {
    let s = v.trim_ascii().as_bytes();
    if s.is_empty() {
        return Err(error(v, "version string is empty"));
    }
    let mut first_colon = None;
    let mut last_colon = None;
    let mut last_hyphen = None;
    for (i, &c) in s.iter().enumerate() {
        match c {
            b':' => {
                first_colon = first_colon.or(Some(i));
                last_colon = Some(i);
            }
            b'-' => last_hyphen = Some(i),
            b'.' | b'+' | b'~' => {}
            c if c.is_ascii_alphanumeric() => {}
            c if c.is_ascii_whitespace() => {
                return Err(error(v, "version string has embedded spaces"));
            }
            _ => {
                return Err(error(
                    v,
                    "invalid character in version number (allowed: A-Z a-z 0-9 . + ~ - :)",
                ))
            }
        }
    }
    let (epoch, rest) = match first_colon {
        Some(colon) => {
            let (digits, rest) = s.split_at_checked(colon).unwrap_or((s, &[]));
            let rest = rest.get(1..).unwrap_or_default();
            if digits.is_empty() {
                return Err(error(v, "epoch in version is empty"));
            }
            if !digits.iter().all(u8::is_ascii_digit) {
                return Err(error(v, "epoch in version is not a number"));
            }
            let epoch = digits
                .iter()
                .try_fold(0u32, |acc, &c| {
                    acc.checked_mul(10)?.checked_add(u32::from(c - b'0'))
                })
                .filter(|&e| e <= i32::MAX as u32)
                .ok_or_else(|| error(v, "epoch in version is too big"))?;
            if rest.is_empty() {
                return Err(error(v, "nothing after colon in version number"));
            }
            (epoch, rest)
        }
        None => (0, s),
    };
    // The epoch is all digits, so a hyphen, if any, lies in `rest`.
    let (upstream, revision): (&[u8], &[u8]) = match last_hyphen {
        Some(hyphen) => {
            let at = hyphen.saturating_sub(s.len() - rest.len());
            let (upstream, revision) = rest.split_at_checked(at).unwrap_or((rest, &[]));
            (upstream, revision.get(1..).unwrap_or_default())
        }
        None => (rest, &[]),
    };
    if last_hyphen.is_some() && revision.is_empty() {
        return Err(error(v, "revision number is empty"));
    }
    if upstream.is_empty() {
        return Err(error(v, "version number is empty"));
    }
    if last_colon.zip(last_hyphen).is_some_and(|(c, h)| c > h) {
        return Err(error(
            v,
            "invalid character in revision number (allowed: A-Z a-z 0-9 . + ~)",
        ));
    }
    Ok(Parsed {
        epoch,
        upstream,
        revision,
    })
}

/// dpkg's `order()`: the weight of one character of a non-digit run (`None` = end of string).
fn order(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(b'~') => -1,
        Some(c) => i32::from(c) + 256,
    }
}

fn is_digit(c: Option<&u8>) -> bool {
    c.is_some_and(u8::is_ascii_digit)
}

fn is_non_digit(c: Option<&u8>) -> bool {
    c.is_some_and(|c| !c.is_ascii_digit())
}

/// dpkg's `verrevcmp` over bytes.
fn verrevcmp(a: &[u8], b: &[u8]) -> Ordering {
    let (mut i, mut j) = (0usize, 0usize);
    while i < a.len() || j < b.len() {
        // Non-digit prefix.
        while is_non_digit(a.get(i)) || is_non_digit(b.get(j)) {
            let (ac, bc) = (order(a.get(i).copied()), order(b.get(j).copied()));
            if ac != bc {
                return ac.cmp(&bc);
            }
            i += 1;
            j += 1;
        }
        // Digit run: skip leading zeros, then the longer run wins, else the first difference.
        while a.get(i) == Some(&b'0') {
            i += 1;
        }
        while b.get(j) == Some(&b'0') {
            j += 1;
        }
        let mut first_diff = Ordering::Equal;
        while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
            if !x.is_ascii_digit() || !y.is_ascii_digit() {
                break;
            }
            if first_diff == Ordering::Equal {
                first_diff = x.cmp(&y);
            }
            i += 1;
            j += 1;
        }
        if is_digit(a.get(i)) {
            return Ordering::Greater;
        }
        if is_digit(b.get(j)) {
            return Ordering::Less;
        }
        if first_diff != Ordering::Equal {
            return first_diff;
        }
    }
    Ordering::Equal
}

fn compare_parsed(a: &Parsed<'_>, b: &Parsed<'_>) -> Ordering {
    a.epoch
        .cmp(&b.epoch)
        .then_with(|| verrevcmp(a.upstream, b.upstream))
        .then_with(|| verrevcmp(a.revision, b.revision))
}

/// Compare two Debian versions exactly as `dpkg --compare-versions` does.
///
/// Fails when either side is not a valid Debian version (see the module docs).
pub fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    let a = parse(a)?;
    let b = parse(b)?;
    Ok(compare_parsed(&a, &b))
}

/// Whether `version` lies in `range`, a comparator list such as `>= 1.2-3, << 2.0`
/// (see [`super::comparators`]).
pub fn satisfies(version: &str, range: &str) -> Result<bool, VersionError> {
    comparators::satisfies(Ecosystem::Deb, version, range, compare)
}

/// Check that `v` is a valid Debian version, without comparing it.
pub fn validate(v: &str) -> Result<(), VersionError> {
    parse(v).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Data rows of a fixture TSV (shared loader in stellaops-testkit).
    fn fixture_rows(name: &str) -> Vec<(String, Vec<String>)> {
        stellaops_testkit::version_rows(name, "left")
    }

    fn expected(text: &str) -> Ordering {
        stellaops_testkit::expected_ordering(text)
    }

    fn check_pairs(name: &str) -> usize {
        let rows = fixture_rows(name);
        let mut failures = Vec::new();
        for (line, cols) in &rows {
            let [left, right, want] = cols.as_slice() else {
                panic!("{name}: malformed row {line:?}");
            };
            let want = expected(want);
            let got = compare(left, right);
            let back = compare(right, left);
            if got != Ok(want) || back != Ok(want.reverse()) {
                failures.push(format!("{line:?}: got {got:?}, reversed {back:?}"));
            }
        }
        assert!(
            failures.is_empty(),
            "{name}: {} failing rows:\n{}",
            failures.len(),
            failures.join("\n")
        );
        rows.len()
    }

    #[test]
    fn upstream_dpkg_vectors() {
        check_pairs("dpkg.tsv");
    }

    #[test]
    fn upstream_dpkg_sorted_pairs() {
        check_pairs("dpkg_sorted_pairs.tsv");
    }

    /// Extra vectors from deb-version(7), Debian Policy §5.6.12 and real Debian/Ubuntu updates.
    #[test]
    fn extra_vectors() {
        use Ordering::{Equal as E, Greater as G, Less as L};
        let table = [
            ("1.0~rc1", "1.0", L),
            ("1:0.1", "2.0", G),
            ("1.0-1", "1.0-1+deb12u1", L),
            ("2.36-9+deb12u4", "2.36-9+deb12u7", L),
            ("2.36-9+deb12u10", "2.36-9+deb12u9", G),
            // Policy: "~~" < "~~a" < "~" < "" < "a".
            ("1.0~~", "1.0~~a", L),
            ("1.0~~a", "1.0~", L),
            ("1.0~", "1.0", L),
            ("1.0", "1.0a", L),
            ("1.0a", "1.0+", L),
            ("1.0+", "1.0.", L),
            ("1.0", "1.0.0", L),
            ("1.0+dfsg-1", "1.0-1", G),
            ("1.0-0", "1.0", E),
            ("0:1.0", "1.0", E),
            ("00:1.0", "0:1.0", E),
            ("10:1", "9:1", G),
            ("1:1.0", "9.9", G),
            ("2.30-1ubuntu1", "2.30-1", G),
            ("2.30-1ubuntu0.1", "2.30-1ubuntu1", L),
            ("1.2.3-1~bpo12+1", "1.2.3-1", L),
            ("1.2.3-1~deb11u1", "1.2.3-1~deb12u1", L),
            ("7.6p2-4", "7.6-0", G),
            ("1.001", "1.1", E),
            ("1.0-1-2", "1.0-1-10", L),
            ("1:2:3-4", "1:2:3-4", E),
            ("1:2:3", "1:2.3", G), // ':' sorts after '.' (both non-letters)
            (
                "1.99999999999999999999999999999",
                "1.100000000000000000000000000000",
                L,
            ),
            ("1.000000000000000000000000000001", "1.1", E),
            ("abc", "1", G),
            ("  1.0-1 ", "1.0-1", E),
            ("2147483647:1", "2147483646:9", G),
        ];
        for (a, b, want) in table {
            assert_eq!(compare(a, b), Ok(want), "{a} vs {b}");
            assert_eq!(compare(b, a), Ok(want.reverse()), "{b} vs {a}");
        }
    }

    #[test]
    fn invalid_versions() {
        for bad in [
            "",
            "   ",
            ":1.0",
            "a:1.0",
            "-1:1.0",
            "+1:1.0",
            "2147483648:1.0",
            "99999999999999999999:1.0",
            "1:",
            "1.0-",
            "-1",
            "1:-1",
            "1.0 2",
            "1.0_1",
            "1.0-1:2",
            "1.0-1_2",
            "1.0/2",
            "1.0-é",
            "1.0\t-1",
        ] {
            let err = validate(bad).expect_err(bad);
            assert_eq!(err.ecosystem, Some(Ecosystem::Deb));
            assert!(!err.reason.is_empty());
            assert!(compare(bad, "1.0").is_err(), "{bad:?}");
            assert!(compare("1.0", bad).is_err(), "{bad:?}");
        }
        for good in [
            "0",
            "1",
            "abc",
            "1.0-1-2",
            "1:2:3",
            "1.0~",
            "0:0-0",
            "1.0+~.-a~",
        ] {
            assert_eq!(validate(good), Ok(()), "{good:?}");
        }
    }

    #[test]
    fn ranges() {
        assert_eq!(
            satisfies("2.36-9+deb12u4", ">= 2.36-9, << 2.36-9+deb12u7"),
            Ok(true)
        );
        assert_eq!(
            satisfies("2.36-9+deb12u7", ">= 2.36-9, << 2.36-9+deb12u7"),
            Ok(false)
        );
        assert_eq!(satisfies("1:0.1", ">> 2.0"), Ok(true));
        assert_eq!(satisfies("1.0~rc1", "<< 1.0 || = 2.0"), Ok(true));
        assert_eq!(satisfies("1.0", "= 1.0-0"), Ok(true));
        assert!(satisfies("1.0", ">= 1.0_1").is_err());
        assert!(satisfies("1.0 _", ">= 1.0").is_err());
    }

    // ---- properties -------------------------------------------------------------------

    /// Realistic versions plus a dense small-alphabet family that collides often.
    fn version() -> impl Strategy<Value = String> {
        let realistic = (
            prop::option::of(0u32..3),
            concat!(
                "[0-9]{1,2}(\\.[0-9]{1,3}){0,3}[a-z]{0,1}",
                "(~(rc|beta)[0-9]{0,1})?(\\+(dfsg|ds)[0-9]{0,1})?"
            ),
            prop::option::of("[0-9]{1,2}(ubuntu[0-9]|\\+deb1[12]u[0-9]{1,2}|~bpo12\\+1)?"),
        )
            .prop_map(|(e, u, r)| {
                let mut s = e.map(|e| format!("{e}:")).unwrap_or_default();
                s.push_str(&u);
                if let Some(r) = r {
                    s.push('-');
                    s.push_str(&r);
                }
                s
            });
        let dense = (
            prop::option::of("0?[0-2]"),
            "[0-2][0-2ab.+~:-]{0,5}",
            prop::option::of("[0-2ab.+~]{1,3}"),
        )
            .prop_map(|(e, u, r)| {
                let mut s = e.map(|e| format!("{e}:")).unwrap_or_default();
                s.push_str(&u);
                if let Some(r) = r {
                    s.push('-');
                    s.push_str(&r);
                }
                s
            })
            .prop_filter("valid", |s| validate(s).is_ok());
        prop_oneof![realistic, dense]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn order_laws(a in version(), b in version(), c in version()) {
            super::super::semver::fixture::order_laws(compare, &a, &b, &c)?;
        }

        #[test]
        fn never_panics(a in "\\PC{0,12}", b in "[0-9a-z.:~+-]{0,8}") {
            let _ = compare(&a, &b);
            let _ = satisfies(&a, &b);
            prop_assert_eq!(validate(&a).is_ok(), compare(&a, &a).is_ok());
        }
    }

    /// Manual throughput check (not a timed test):
    /// `cargo test --release -p stellaops-policy --lib version::dpkg -- --ignored --nocapture`
    #[test]
    #[ignore = "manual throughput check"]
    #[allow(clippy::print_stdout)]
    fn throughput() {
        let pairs = [
            ("2.36-9+deb12u4", "2.36-9+deb12u7"),
            ("1:1.2.13.dfsg-1", "1:1.2.13.dfsg-1+deb12u1"),
            ("3.0.11-1~deb12u2", "3.0.13-1~deb12u1"),
            ("7.88.1-10+deb12u5", "7.88.1-10+deb12u8"),
            ("1.0~rc1", "1.0"),
            ("252.22-1~deb12u1", "252.30-1~deb12u2"),
            ("2.9.14+dfsg-1.3~deb12u1", "2.9.14+dfsg-1.3~deb12u1"),
            ("5.2.15-2+b2", "5.2.15-2+b7"),
        ];
        let n = 5_000_000usize;
        let start = stellaops_testkit::clock::now();
        let mut checksum = 0i64;
        for (a, b) in pairs.iter().cycle().take(n) {
            let r = compare(std::hint::black_box(a), std::hint::black_box(b));
            checksum += r.map(|o| o as i64).unwrap_or(100);
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "dpkg: {n} compares in {secs:.3} s = {:.2} M compares/s (checksum {checksum})",
            n as f64 / secs / 1e6
        );
    }
}
