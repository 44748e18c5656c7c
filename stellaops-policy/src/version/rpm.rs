//! RPM versions (`[epoch:]version[-release]`, "EVR"), ordered exactly like rpm 4.18+
//! (`rpmvercmp` for each part, `rpmverCmp` for the whole EVR).
//!
//! # Syntax
//!
//! * **epoch**: the digits before a `:` (rpm's `parseEVR` only takes an epoch when the string
//!   starts with digits followed by `:`). Missing epoch = 0; an empty one (`:1.0`) is 0 too, as
//!   in rpm. Anything else before the first `:` is an error.
//! * **release**: everything after the *last* `-`; it must not be empty when the `-` is there.
//! * **version**: what remains; it must not be empty.
//! * Version and release may only contain the characters rpmbuild accepts in them:
//!   `[A-Za-z0-9._+%{}~^]` (so `-` never appears in a version, and whitespace, `:` and
//!   non-ASCII are refused). rpm's `rpmvercmp` itself would treat any other character as a
//!   separator (and compare e.g. `1.1.α` equal to `1.1.β`); this module refuses such input
//!   instead of guessing.
//!
//! # Ordering (`rpmvercmp`)
//!
//! Identical strings are equal. Otherwise both strings are walked segment by segment:
//!
//! * separators (any character other than ASCII letters, digits, `~` and `^`) are skipped and
//!   only delimit segments, so `1.0 == 1_0 == 1+0`;
//! * `~` sorts before everything, even the end of the string (`1.0~rc1 < 1.0`);
//! * `^` sorts after the end of the string but before any further segment
//!   (`1.0 < 1.0^git1 < 1.0.1`);
//! * a segment is a maximal run of digits or of ASCII letters; numeric segments compare as
//!   numbers of any length (leading zeros dropped, longer wins, then digit by digit), alpha
//!   segments compare bytewise, and a numeric segment is newer than an alpha one;
//! * when all segments are equal, the string with segments left over is newer (`1.0 < 1.0a`).
//!
//! # EVR comparison (`rpmverCmp`)
//!
//! Epochs compare numerically, then versions with `rpmvercmp`, then releases with `rpmvercmp`
//! **only when both sides have a release**: a missing release matches any release, exactly as
//! in rpm's dependency matching (`1.0 == 1.0-5`, so `>= 1.0` and `<= 1.0` both hold for
//! `1.0-5`). Consequently the order is a total preorder only among EVRs that all have, or all
//! lack, a release (`1.0-1 == 1.0 == 1.0-2` but `1.0-1 < 1.0-2`); installed packages and
//! advisory bounds normally all carry one.
//!
//! Comparison walks the `&str` bytes and never allocates; errors allocate only their message.
//!
//! # Ranges
//!
//! [`satisfies`] uses the generic comparator lists of [`super::comparators`]
//! (`>= 1.0-1.el9, < 1.0-5.el9`).

use std::cmp::Ordering;

use super::bytes::{cmp_bytes, cmp_digits};
use super::{comparators, Ecosystem, VersionError};

/// A syntactically valid EVR, borrowed from the input.
#[derive(Debug, Clone, Copy)]
struct Evr<'a> {
    /// ASCII digits, possibly empty (= 0).
    epoch: &'a [u8],
    version: &'a [u8],
    release: Option<&'a [u8]>,
}

fn error(input: &str, reason: &str) -> VersionError {
    VersionError::new(Some(Ecosystem::Rpm), input, reason)
}

/// Characters rpmbuild allows in Version and Release (`ALLOWED_CHARS_VERREL` plus alnum).
fn allowed(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'+' | b'%' | b'{' | b'}' | b'~' | b'^')
}

/// Split and check `v` (see the module docs), in one pass.
fn parse(v: &str) -> Result<Evr<'_>, VersionError> {
    let s = v.as_bytes();
    if s.is_empty() {
        return Err(error(v, "empty version"));
    }
    let mut colon = None;
    let mut last_hyphen = None;
    for (i, &c) in s.iter().enumerate() {
        match c {
            b':' if colon.is_none() => colon = Some(i),
            b'-' if last_hyphen.is_none() => last_hyphen = Some(i),
            b'-' => {
                return Err(error(
                    v,
                    "'-' is not allowed in a version (only one '-' before the release)",
                ))
            }
            c if allowed(c) => {}
            _ => return Err(error(
                v,
                "invalid character in version or release (allowed: A-Z a-z 0-9 . _ + % { } ~ ^)",
            )),
        }
    }
    let (epoch, rest) = match colon {
        Some(colon) => {
            let (epoch, rest) = s.split_at_checked(colon).unwrap_or((s, &[]));
            if !epoch.iter().all(u8::is_ascii_digit) {
                return Err(error(v, "epoch (before ':') must be a number"));
            }
            (epoch, rest.get(1..).unwrap_or_default())
        }
        None => (&[][..], s),
    };
    // The epoch is all digits, so the hyphen, if any, lies in `rest`.
    let (version, release) = match last_hyphen {
        Some(hyphen) => {
            let at = hyphen.saturating_sub(s.len() - rest.len());
            let (version, release) = rest.split_at_checked(at).unwrap_or((rest, &[]));
            (version, Some(release.get(1..).unwrap_or_default()))
        }
        None => (rest, None),
    };
    if version.is_empty() {
        return Err(error(v, "empty version"));
    }
    if release.is_some_and(<[u8]>::is_empty) {
        return Err(error(v, "empty release after '-'"));
    }
    Ok(Evr {
        epoch,
        version,
        release,
    })
}

/// `rpmvercmp` separators: everything except ASCII letters, digits, `~` and `^`.
fn is_separator(c: u8) -> bool {
    !c.is_ascii_alphanumeric() && c != b'~' && c != b'^'
}

/// Split the leading run of bytes satisfying `pred` off `s`.
fn split_run(s: &[u8], pred: impl Fn(u8) -> bool) -> (&[u8], &[u8]) {
    let n = s.iter().position(|&c| !pred(c)).unwrap_or(s.len());
    s.split_at_checked(n).unwrap_or((s, &[]))
}

fn skip_separators(s: &[u8]) -> &[u8] {
    split_run(s, is_separator).1
}

/// rpm's `rpmvercmp` over bytes.
fn rpmvercmp(a: &[u8], b: &[u8]) -> Ordering {
    // rpm's `rstreq` shortcut (the walk below would also find identical strings equal).
    if a.len() == b.len() && cmp_bytes(a, b) == Ordering::Equal {
        return Ordering::Equal;
    }
    let (mut one, mut two) = (a, b);
    while !one.is_empty() || !two.is_empty() {
        one = skip_separators(one);
        two = skip_separators(two);
        let (c1, c2) = (one.first().copied(), two.first().copied());

        // Tilde sorts before everything else, even the end.
        if c1 == Some(b'~') || c2 == Some(b'~') {
            if c1 != Some(b'~') {
                return Ordering::Greater;
            }
            if c2 != Some(b'~') {
                return Ordering::Less;
            }
            one = one.get(1..).unwrap_or_default();
            two = two.get(1..).unwrap_or_default();
            continue;
        }
        // Caret: like tilde, except that the end of a string (the base version) sorts lower.
        if c1 == Some(b'^') || c2 == Some(b'^') {
            if c1.is_none() {
                return Ordering::Less;
            }
            if c2.is_none() {
                return Ordering::Greater;
            }
            if c1 != Some(b'^') {
                return Ordering::Greater;
            }
            if c2 != Some(b'^') {
                return Ordering::Less;
            }
            one = one.get(1..).unwrap_or_default();
            two = two.get(1..).unwrap_or_default();
            continue;
        }
        let Some(c1) = c1 else { break };
        if c2.is_none() {
            break;
        }

        let is_num = c1.is_ascii_digit();
        let ((seg1, rest1), (seg2, rest2)) = if is_num {
            (
                split_run(one, |c| c.is_ascii_digit()),
                split_run(two, |c| c.is_ascii_digit()),
            )
        } else {
            (
                split_run(one, |c| c.is_ascii_alphabetic()),
                split_run(two, |c| c.is_ascii_alphabetic()),
            )
        };
        // seg1 is never empty: `one` starts with an alphanumeric character.
        if seg2.is_empty() {
            // Different segment types: numeric is newer than alpha.
            return if is_num {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        let ord = if is_num {
            cmp_digits(seg1, seg2)
        } else {
            cmp_bytes(seg1, seg2)
        };
        if ord != Ordering::Equal {
            return ord;
        }
        one = rest1;
        two = rest2;
    }
    match (one.is_empty(), two.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        (false, _) => Ordering::Greater,
    }
}

fn compare_evr(a: &Evr<'_>, b: &Evr<'_>) -> Ordering {
    cmp_digits(a.epoch, b.epoch)
        .then_with(|| rpmvercmp(a.version, b.version))
        .then_with(|| match (a.release, b.release) {
            (Some(ra), Some(rb)) => rpmvercmp(ra, rb),
            _ => Ordering::Equal,
        })
}

/// Compare two RPM EVRs as rpm does (`rpmverCmp`): epoch, version, then release when both
/// sides have one.
///
/// Fails when either side is not a valid EVR (see the module docs).
pub fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    let a = parse(a)?;
    let b = parse(b)?;
    Ok(compare_evr(&a, &b))
}

/// Whether `version` lies in `range`, a comparator list such as `>= 1.0-1.el9, < 1.0-5.el9`
/// (see [`super::comparators`]).
pub fn satisfies(version: &str, range: &str) -> Result<bool, VersionError> {
    comparators::satisfies(Ecosystem::Rpm, version, range, compare)
}

/// Check that `v` is a valid EVR, without comparing it.
pub fn validate(v: &str) -> Result<(), VersionError> {
    parse(v).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::super::semver::fixture::permutations;
    use super::*;
    use proptest::prelude::*;

    /// Data rows of a fixture TSV (shared loader in stellaops-testkit).
    fn fixture_rows(name: &str) -> Vec<(String, Vec<String>)> {
        stellaops_testkit::version_rows(name, "left")
    }

    fn expected(text: &str) -> Ordering {
        stellaops_testkit::expected_ordering(text)
    }

    #[test]
    fn upstream_rpmvercmp_vectors() {
        let rows = fixture_rows("rpm.tsv");
        let mut failures = Vec::new();
        for (line, cols) in &rows {
            let [left, right, want] = cols.as_slice() else {
                panic!("rpm.tsv: malformed row {line:?}");
            };
            let want = expected(want);
            // The rows are bare version strings: check both the EVR entry point and rpmvercmp.
            let got = compare(left, right);
            let back = compare(right, left);
            let raw = rpmvercmp(left.as_bytes(), right.as_bytes());
            if got != Ok(want) || back != Ok(want.reverse()) || raw != want {
                failures.push(format!(
                    "{line:?}: got {got:?}, reversed {back:?}, rpmvercmp {raw:?}"
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "rpm.tsv: {} failing rows:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    /// Rows rpm's own suite does not assert (RhBug:811992, non-ASCII): only "no panic".
    /// The ASCII ones do reproduce rpm's (arguably buggy) answers; the non-ASCII ones are refused.
    #[test]
    fn rpm_oddities_do_not_panic() {
        for (line, cols) in fixture_rows("rpm_oddities_not_enforced.tsv") {
            let [left, right, _] = cols.as_slice() else {
                panic!("malformed row {line:?}");
            };
            let _ = compare(left, right);
            let _ = compare(right, left);
            let _ = rpmvercmp(left.as_bytes(), right.as_bytes());
            let _ = satisfies(left, &format!(">= {right}"));
        }
    }

    #[test]
    fn extra_vectors() {
        use Ordering::{Equal as E, Greater as G, Less as L};
        let table = [
            ("1.0~rc1", "1.0", L),
            ("1.0^git1", "1.0", G),
            ("1.0^git1", "1.0.1", L),
            ("1.0~rc1^git1", "1.0", L),
            ("1.0^git1~pre", "1.0", G),
            ("1.0^", "1.0", G),
            ("1.0~", "1.0", L),
            ("1.0", "1.0a", L),
            ("1.0a", "1.0.1", L),
            ("1.0", "1_0", E),
            ("1.0", "1.0.", E),
            ("1.00", "1.0", E),
            ("1.010", "1.9", G),
            (
                "123456789012345678901234567890",
                "123456789012345678901234567889",
                G,
            ),
            // EVR.
            ("1:1.0", "2.0", G),
            ("0:1.0", "1.0", E),
            (":1.0", "1.0", E),
            ("01:1.0", "1:1.0", E),
            ("2:1.0-1", "1:9.9-9", G),
            ("1.0-1", "1.0-2", L),
            ("1.0-1.el9", "1.0-1.el9_1", L),
            ("1.0-1.el9_1", "1.0-2.el9", L),
            ("2.34-100.el9_4.2", "2.34-83.el9_3.7", G),
            ("1.0-1~rc", "1.0-1", L),
            ("1.1-1", "1.0-9", G),
            // A missing release matches any release (rpm's rpmverCmp).
            ("1.0", "1.0-5", E),
            ("1.0-5", "1.0", E),
            ("1:1.0", "1:1.0-0.1", E),
            ("1.0", "1.1-1", L),
        ];
        for (a, b, want) in table {
            assert_eq!(compare(a, b), Ok(want), "{a} vs {b}");
            assert_eq!(compare(b, a), Ok(want.reverse()), "{b} vs {a}");
        }
    }

    #[test]
    fn invalid_versions() {
        for bad in [
            "", ":", "1:", "-1", "1.0-", "a:1.0", "1a:1.0", "-1:1.0", "1:2:3", "1.0-1-2", "1.0 1",
            " 1.0", "1.0/2", "1.1.α", "1.0-é", "1.0\n",
        ] {
            let err = validate(bad).expect_err(bad);
            assert_eq!(err.ecosystem, Some(Ecosystem::Rpm));
            assert!(compare(bad, "1.0").is_err(), "{bad:?}");
            assert!(compare("1.0", bad).is_err(), "{bad:?}");
        }
        for good in [
            "1",
            "a",
            "+",
            "_",
            "1.0^",
            "1.0~rc1",
            "1:1.0-1.el9",
            "0:0-0",
            "%{x}",
        ] {
            assert_eq!(validate(good), Ok(()), "{good:?}");
        }
    }

    #[test]
    fn ranges() {
        assert_eq!(
            satisfies("1.0-3.el9", ">= 1.0-1.el9, < 1.0-5.el9"),
            Ok(true)
        );
        assert_eq!(
            satisfies("1.0-5.el9", ">= 1.0-1.el9, < 1.0-5.el9"),
            Ok(false)
        );
        assert_eq!(satisfies("1.0-3.el9", "< 1.0"), Ok(false));
        assert_eq!(satisfies("1.0-3.el9", "<= 1.0"), Ok(true));
        assert_eq!(satisfies("1.0^git1", "> 1.0, < 1.0.1"), Ok(true));
        assert!(satisfies("1.0", ">= 1.0 1").is_ok());
        assert!(satisfies("1.0", ">= 1.0-").is_err());
    }

    // ---- properties -------------------------------------------------------------------

    /// A version or release string: realistic shapes plus a dense small alphabet.
    fn verrel() -> impl Strategy<Value = String> {
        prop_oneof![
            "[0-9]{1,2}(\\.[0-9]{1,3}){0,3}(~(rc|beta)[0-9]?)?(\\^(git|[0-9]{8})[0-9a-f]{0,3})?",
            "[0-9]{1,3}(\\.el[89](_[0-9])?|\\.fc[34][0-9])?(\\.[0-9]{1,2})?",
            "[0-2ab.~^_]{1,6}",
        ]
    }

    fn evr(with_release: bool) -> impl Strategy<Value = String> {
        let release = if with_release {
            verrel().prop_map(Some).boxed()
        } else {
            Just(None).boxed()
        };
        (prop::option::of("0?[0-2]"), verrel(), release).prop_map(|(e, v, r)| {
            let mut s = e.map(|e| format!("{e}:")).unwrap_or_default();
            s.push_str(&v);
            if let Some(r) = r {
                s.push('-');
                s.push_str(&r);
            }
            s
        })
    }

    fn any_evr() -> impl Strategy<Value = String> {
        any::<bool>().prop_flat_map(evr)
    }

    /// Triples that all have, or all lack, a release (see the module docs).
    fn evr_triple() -> impl Strategy<Value = (String, String, String)> {
        any::<bool>().prop_flat_map(|r| (evr(r), evr(r), evr(r)))
    }

    /// Arbitrary rpmvercmp input, separators and non-ASCII included.
    const SOUP: &str = "[0-2ab.~^_é]{0,6}";

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn order_laws((a, b, c) in evr_triple()) {
            super::super::semver::fixture::order_laws(compare, &a, &b, &c)?;
        }

        /// Antisymmetry holds across versions with and without a release too (transitivity
        /// does not: see the module docs).
        #[test]
        fn antisymmetric_across_releases(a in any_evr(), b in any_evr()) {
            let ab = compare(&a, &b);
            prop_assert!(ab.is_ok(), "{a:?} {b:?}");
            prop_assert_eq!(ab.map(Ordering::reverse), compare(&b, &a));
        }

        /// rpmvercmp alone is a total preorder over arbitrary bytes.
        #[test]
        fn rpmvercmp_total_preorder(a in SOUP, b in SOUP, c in SOUP) {
            let cmp = |x: &str, y: &str| rpmvercmp(x.as_bytes(), y.as_bytes());
            prop_assert_eq!(cmp(&a, &b), cmp(&b, &a).reverse());
            for (x, y, z) in permutations(&a, &b, &c) {
                if cmp(x, y) != Ordering::Greater && cmp(y, z) != Ordering::Greater {
                    prop_assert!(cmp(x, z) != Ordering::Greater, "{x:?} {y:?} {z:?}");
                }
            }
        }

        #[test]
        fn never_panics(a in "\\PC{0,12}", b in "[0-9a-z.:~^+-]{0,8}") {
            let _ = compare(&a, &b);
            let _ = satisfies(&a, &b);
            prop_assert_eq!(validate(&a).is_ok(), compare(&a, &a).is_ok());
        }
    }

    /// Manual throughput check (not a timed test):
    /// `cargo test --release -p stellaops-policy --lib version::rpm -- --ignored --nocapture`
    #[test]
    #[ignore = "manual throughput check"]
    #[allow(clippy::print_stdout)]
    fn throughput() {
        let pairs = [
            ("2.34-100.el9_4.2", "2.34-83.el9_3.7"),
            ("1:3.0.7-27.el9", "1:3.0.7-28.el9_4"),
            ("0:1.2.11-40.el9", "1.2.11-41.el9"),
            ("7.76.1-29.el9_4", "7.76.1-29.el9_4.1"),
            ("1.0~rc1", "1.0"),
            ("1.0^git20240101", "1.0.1"),
            ("5.14.0-427.13.1.el9_4", "5.14.0-427.13.1.el9_4"),
            ("252-32.el9_4", "252-32.el9_4.7"),
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
            "rpm: {n} compares in {secs:.3} s = {:.2} M compares/s (checksum {checksum})",
            n as f64 / secs / 1e6
        );
    }
}
