//! Alpine apk-tools versions, validated and ordered exactly like apk-tools 2.14 / 3.x
//! (`apk_version_validate`, `apk_version_compare`, `apk_version_match`).
//!
//! # Syntax
//!
//! `digit{.digit}...{letter}{_suffix{number}}...{~hash}{-r#}`, tokenised as:
//!
//! * an initial number (required: the version starts with an ASCII digit);
//! * further `.`-separated numbers;
//! * at most one lowercase letter, right after a number (`1.0a`; `0.1a1` and `0.1a.1` are
//!   invalid);
//! * any number of suffixes `_alpha`, `_beta`, `_pre`, `_rc` (pre-releases, lower than no
//!   suffix) or `_cvs`, `_svn`, `_git`, `_hg`, `_p` (post-releases, higher), each optionally
//!   followed by a number (`_pre2`, `_git20240101`);
//! * at most one commit hash `~` + lowercase hex digits (`1.0~1234abcd`);
//! * at most one revision `-r` + number (`-r3`), last.
//!
//! Anything else (unknown suffix, uppercase, an empty hash, `-r` without a number, tokens out
//! of order, ...) makes the version invalid: [`validate`] refuses it.
//!
//! # Ordering
//!
//! Both versions are tokenised in parallel; while the tokens are of the same kind they compare
//! by value:
//!
//! * the initial number, suffix numbers and revisions numerically (any length, no overflow);
//! * the following `.`-numbers numerically, unless either has a leading zero, in which case
//!   they compare as strings (Gentoo rule: `1.01 < 1.1`, `8.2.0 < 8.2.001`);
//! * letters and commit hashes bytewise; suffixes by the list above
//!   (`alpha < beta < pre < rc < (none) < cvs < svn < git < hg < p`).
//!
//! When the kinds differ (one version ran out first, or continues differently), a pre-release
//! suffix makes its side lower; otherwise the side whose next token comes *later* in the
//! grammar (number < letter < suffix < suffix number < hash < revision < end < invalid) is
//! lower: `1.0 < 1.0a < 1.0.1`, `1.0_rc1 < 1.0 < 1.0_p1`, `1.0 < 1.0-r1`.
//!
//! Like apk, [`compare`] also orders versions that are invalid after their initial number:
//! the invalid tail compares as a token lower than everything but a pre-release suffix, and
//! two invalid tails at the same position compare equal (`1.0bc < 1.0b`, `1.0bc == 1.0bd`,
//! but `1.0bc > 1.0` because the letter `b` already decides). A version that does
//! not even start with a digit (empty, `a`, `_pre1`, `-r1`) cannot be ordered meaningfully
//! (apk would call every such string equal) and is an error.
//!
//! One deliberate difference: apk accumulates numbers in a `uint64_t` that silently wraps after
//! 20 digits; here numbers of any length compare exactly. The results agree for every number
//! below 2^64.
//!
//! Comparison walks the `&str` bytes and never allocates; errors allocate only their message.
//!
//! # Ranges
//!
//! [`satisfies`] uses the generic comparator lists of [`super::comparators`]
//! (`>= 1.2.3-r0, < 1.2.5-r1`) and also understands apk's fuzzy operators:
//! `~X` (or `=~X`) holds when the version equals `X` or extends it by more tokens
//! (`3.6.9 ~ 3.6`, but not `3.60 ~ 3.6`), `<~X` / `>~X` are "less / greater than, or fuzzy
//! equal", and `!~X` negates `~X`.

use std::borrow::Cow;
use std::cmp::Ordering;

use super::bytes::{cmp_bytes, cmp_digits};
use super::{comparators, Ecosystem, VersionError};

/// Token kinds, in apk's order (the order matters for the comparison).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    InitialDigit,
    Digit,
    Letter,
    Suffix,
    SuffixNo,
    CommitHash,
    RevisionNo,
    End,
    Invalid,
}

/// Suffixes, in apk's order; `None` is the pivot between pre- and post-release suffixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Suffix {
    Alpha,
    Beta,
    Pre,
    Rc,
    None,
    Cvs,
    Svn,
    Git,
    Hg,
    P,
}

impl Suffix {
    fn from_name(name: &[u8]) -> Option<Suffix> {
        Some(match name {
            b"alpha" => Suffix::Alpha,
            b"beta" => Suffix::Beta,
            b"pre" => Suffix::Pre,
            b"rc" => Suffix::Rc,
            b"cvs" => Suffix::Cvs,
            b"svn" => Suffix::Svn,
            b"git" => Suffix::Git,
            b"hg" => Suffix::Hg,
            b"p" => Suffix::P,
            _ => return None,
        })
    }
}

/// Split the leading run of bytes satisfying `pred` off `s`.
fn split_run(s: &[u8], pred: impl Fn(u8) -> bool) -> (&[u8], &[u8]) {
    let n = s.iter().position(|&c| !pred(c)).unwrap_or(s.len());
    s.split_at_checked(n).unwrap_or((s, &[]))
}

/// apk's `token_state`: the current token and the unparsed rest.
#[derive(Debug, Clone, Copy)]
struct Tokens<'a> {
    kind: Kind,
    /// Digits, the letter or the hash of the current token.
    value: &'a [u8],
    suffix: Suffix,
    rest: &'a [u8],
}

impl<'a> Tokens<'a> {
    /// `token_first`: the initial number.
    fn first(s: &'a [u8]) -> Self {
        let mut t = Tokens {
            kind: Kind::InitialDigit,
            value: &[],
            suffix: Suffix::None,
            rest: s,
        };
        t.digits();
        t
    }

    fn digits(&mut self) {
        let (digits, rest) = split_run(self.rest, |c| c.is_ascii_digit());
        self.value = digits;
        self.rest = rest;
        if digits.is_empty() {
            self.kind = Kind::Invalid;
        }
    }

    /// `token_next`: advance to the next token, checking that it may follow the current one.
    fn advance(&mut self) {
        let Some((&c, tail)) = self.rest.split_first() else {
            self.kind = Kind::End;
            return;
        };
        match c {
            b'a'..=b'z' if self.kind <= Kind::Digit => {
                self.value = self.rest.get(..1).unwrap_or_default();
                self.kind = Kind::Letter;
                self.rest = tail;
            }
            b'.' | b'0'..=b'9' => {
                if c == b'.' {
                    if self.kind > Kind::Digit {
                        self.kind = Kind::Invalid;
                        return;
                    }
                    self.rest = tail;
                }
                self.kind = match self.kind {
                    Kind::InitialDigit | Kind::Digit => Kind::Digit,
                    Kind::Suffix => Kind::SuffixNo,
                    _ => {
                        self.kind = Kind::Invalid;
                        return;
                    }
                };
                self.digits();
            }
            b'_' if self.kind <= Kind::SuffixNo => {
                let (name, rest) = split_run(tail, |c| c.is_ascii_lowercase());
                match Suffix::from_name(name) {
                    Some(suffix) => {
                        self.suffix = suffix;
                        self.value = name;
                        self.kind = Kind::Suffix;
                        self.rest = rest;
                    }
                    None => self.kind = Kind::Invalid,
                }
            }
            b'~' if self.kind < Kind::CommitHash => {
                let (hash, rest) = split_run(tail, |c| matches!(c, b'0'..=b'9' | b'a'..=b'f'));
                if hash.is_empty() {
                    self.kind = Kind::Invalid;
                } else {
                    self.value = hash;
                    self.kind = Kind::CommitHash;
                    self.rest = rest;
                }
            }
            b'-' if self.kind < Kind::RevisionNo => match tail.split_first() {
                Some((b'r', rest)) => {
                    self.kind = Kind::RevisionNo;
                    self.rest = rest;
                    self.digits();
                }
                _ => self.kind = Kind::Invalid,
            },
            _ => self.kind = Kind::Invalid,
        }
    }
}

/// apk's `token_cmp`, for two tokens of the same kind.
fn token_cmp(a: &Tokens<'_>, b: &Tokens<'_>) -> Ordering {
    match a.kind {
        Kind::Digit if a.value.first() == Some(&b'0') || b.value.first() == Some(&b'0') => {
            cmp_bytes(a.value, b.value)
        }
        Kind::InitialDigit | Kind::Digit | Kind::SuffixNo | Kind::RevisionNo => {
            cmp_digits(a.value, b.value)
        }
        Kind::Suffix => a.suffix.cmp(&b.suffix),
        // Letter, commit hash: bytewise (`apk_blob_sort`).
        _ => cmp_bytes(a.value, b.value),
    }
}

fn start(v: &str) -> Result<Tokens<'_>, VersionError> {
    let t = Tokens::first(v.as_bytes());
    if t.kind == Kind::Invalid {
        return Err(VersionError::new(
            Some(Ecosystem::Apk),
            v,
            "an apk version must start with a digit",
        ));
    }
    Ok(t)
}

/// apk's `apk_version_compare_fuzzy`.
fn compare_impl(a: &str, b: &str, fuzzy: bool) -> Result<Ordering, VersionError> {
    let mut ta = start(a)?;
    let mut tb = start(b)?;
    while ta.kind == tb.kind && ta.kind < Kind::End {
        let r = token_cmp(&ta, &tb);
        if r != Ordering::Equal {
            return Ok(r);
        }
        ta.advance();
        tb.advance();
    }
    // Both ended (or both turned invalid), or `a` extends `b` and this is a fuzzy match.
    if ta.kind == tb.kind || (fuzzy && tb.kind == Kind::End) {
        return Ok(Ordering::Equal);
    }
    // The non-terminating version is greater unless it continues with a pre-release suffix.
    if ta.kind == Kind::Suffix && ta.suffix < Suffix::None {
        return Ok(Ordering::Less);
    }
    if tb.kind == Kind::Suffix && tb.suffix < Suffix::None {
        return Ok(Ordering::Greater);
    }
    Ok(tb.kind.cmp(&ta.kind))
}

/// Compare two apk versions exactly as `apk version -t` does.
///
/// Versions that are invalid after their initial number are ordered the way apk orders them
/// (see the module docs); a version that does not start with a digit is an error.
pub fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    compare_impl(a, b, false)
}

/// apk's fuzzy comparison: like [`compare`], but `version` is `Equal` to `prefix` when its
/// tokens start with all of `prefix`'s tokens (`3.6.9` ~ `3.6`).
fn compare_fuzzy(version: &str, prefix: &str) -> Result<Ordering, VersionError> {
    compare_impl(version, prefix, true)
}

/// Rewrite apk's fuzzy operators into comparator-list operators whose version is marked with
/// a leading `~` (which no apk version starts with): `~X`/`=~X` -> `=~X`, `<~X` -> `<=~X`,
/// `>~X` -> `>=~X`, `!~X` -> `!=~X`.
fn rewrite_fuzzy(range: &str) -> Result<Cow<'_, str>, VersionError> {
    if !range.contains('~') {
        return Ok(Cow::Borrowed(range));
    }
    let is_op = |c: char| matches!(c, '<' | '>' | '=' | '!' | '~');
    let mut out = String::with_capacity(range.len() + 8);
    let mut rest = range;
    let mut at_token_start = true;
    while let Some(c) = rest.chars().next() {
        if at_token_start && is_op(c) {
            let end = rest.find(|c: char| !is_op(c)).unwrap_or(rest.len());
            let (op, tail) = rest.split_at_checked(end).unwrap_or((rest, ""));
            if op.contains('~') {
                let mapped = match op {
                    "~" | "=~" | "~=" => "=~",
                    "<~" | "<=~" => "<=~",
                    ">~" | ">=~" => ">=~",
                    "!~" | "!=~" => "!=~",
                    _ => {
                        return Err(VersionError::new(
                            Some(Ecosystem::Apk),
                            range,
                            format!("unknown operator {op:?}"),
                        ))
                    }
                };
                out.push_str(mapped);
                // Glue the version to the operator.
                rest = tail.trim_start();
            } else {
                out.push_str(op);
                rest = tail;
            }
            at_token_start = false;
            continue;
        }
        at_token_start = c.is_whitespace() || c == ',' || c == '|';
        out.push(c);
        rest = rest.get(c.len_utf8()..).unwrap_or_default();
    }
    Ok(Cow::Owned(out))
}

/// Whether `version` lies in `range`: a comparator list such as `>= 1.2.3-r0, < 1.2.5-r1`
/// (see [`super::comparators`]), plus apk's fuzzy operators `~`, `=~`, `<~`, `>~` and `!~`
/// (see the module docs).
pub fn satisfies(version: &str, range: &str) -> Result<bool, VersionError> {
    let range = rewrite_fuzzy(range)?;
    comparators::satisfies(Ecosystem::Apk, version, &range, |v, bound| {
        match bound.strip_prefix('~') {
            Some(prefix) => compare_fuzzy(v, prefix),
            None => compare(v, bound),
        }
    })
}

/// apk's version grammar, for error messages.
const GRAMMAR: &str = "digit{.digit}...{letter}{_suf{#}}...{~hash}{-r#}";

/// Check that `v` is a valid apk version (`apk_version_validate`), without comparing it.
pub fn validate(v: &str) -> Result<(), VersionError> {
    let mut t = Tokens::first(v.as_bytes());
    while t.kind < Kind::End {
        t.advance();
    }
    if t.kind == Kind::End {
        return Ok(());
    }
    let at = v.len().saturating_sub(t.rest.len());
    let reason = match v.get(at..).and_then(|s| s.chars().next()) {
        None if v.is_empty() => "empty version".to_string(),
        None => "unexpected end of version".to_string(),
        Some(c) if at == 0 => format!("an apk version must start with a digit, not {c:?}"),
        Some(c) => format!("unexpected {c:?} at byte {at} (grammar: {GRAMMAR})"),
    };
    Err(VersionError::new(Some(Ecosystem::Apk), v, reason))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Data rows of a fixture TSV (shared loader in stellaops-testkit).
    fn fixture_rows(name: &str, header_start: &str) -> Vec<(String, Vec<String>)> {
        stellaops_testkit::version_rows(name, header_start)
    }

    fn expected(text: &str) -> Ordering {
        stellaops_testkit::expected_ordering(text)
    }

    #[test]
    fn upstream_compare_vectors() {
        let rows = fixture_rows("apk.tsv", "left\tright\texpected");
        let mut failures = Vec::new();
        for (line, cols) in &rows {
            let [left, right, want] = cols.as_slice() else {
                panic!("apk.tsv: malformed row {line:?}");
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
            "apk.tsv: {} failing rows:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn upstream_fuzzy_vectors() {
        let rows = fixture_rows("apk_fuzzy.tsv", "left\top\tright");
        let mut failures = Vec::new();
        for (line, cols) in &rows {
            let [left, op, right] = cols.as_slice() else {
                panic!("apk_fuzzy.tsv: malformed row {line:?}");
            };
            // Every row states a match that holds (for `!~`: the `~` match is false).
            let spaced = satisfies(left, &format!("{op} {right}"));
            let glued = satisfies(left, &format!("{op}{right}"));
            if spaced != Ok(true) || glued != Ok(true) {
                failures.push(format!("{line:?}: got {spaced:?} / {glued:?}"));
            }
        }
        assert!(
            failures.is_empty(),
            "apk_fuzzy.tsv: {} failing rows:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn upstream_validity_vectors() {
        let rows = fixture_rows("apk_validity.tsv", "version\tvalid");
        let mut failures = Vec::new();
        for (line, cols) in &rows {
            let [version, valid] = cols.as_slice() else {
                panic!("apk_validity.tsv: malformed row {line:?}");
            };
            let want = match valid.as_str() {
                "true" => true,
                "false" => false,
                other => panic!("bad validity {other:?}"),
            };
            let got = validate(version);
            if got.is_ok() != want {
                failures.push(format!("{line:?}: got {got:?}"));
            }
            if want && compare(version, version) != Ok(Ordering::Equal) {
                failures.push(format!("{line:?}: valid but not comparable"));
            }
        }
        assert!(
            failures.is_empty(),
            "apk_validity.tsv: {} failing rows:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn extra_vectors() {
        use Ordering::{Equal as E, Greater as G, Less as L};
        let table = [
            ("1.0_alpha", "1.0_beta", L),
            ("1.0_beta", "1.0_pre", L),
            ("1.0_pre", "1.0_rc", L),
            ("1.0_rc", "1.0", L),
            ("1.0", "1.0_cvs", L),
            ("1.0_cvs", "1.0_svn", L),
            ("1.0_svn", "1.0_git", L),
            ("1.0_git", "1.0_hg", L),
            ("1.0_hg", "1.0_p", L),
            ("1.0_rc1", "1.0_rc", G),
            ("1.0_p1", "1.0_p", G),
            ("1.0_rc9", "1.0_rc10", L),
            ("1.0_rc1", "1.0-r1", L),
            ("1.0", "1.0-r0", L),
            ("1.0-r0", "1.0-r00", E),
            ("1.0-r9", "1.0-r10", L),
            ("1.0", "1.0a", L),
            ("1.0a", "1.0b", L),
            ("1.0z", "1.0.1", L),
            ("1.0", "1.0.0", L),
            ("1.01", "1.1", L),
            ("1.09", "1.1", L),
            ("1.10", "1.9", G),
            ("06", "6", E),
            ("1.0~abc", "1.0", G),
            ("1.0~abc", "1.0-r1", G),
            ("1.0~abc-r1", "1.0~abc-r2", L),
            ("1.0_git20240101~1a2b", "1.0_git20240101~1a2c", L),
            ("3.0.13-r0", "3.0.13-r1", L),
            ("1.36.1-r15", "1.36.1-r29", L),
            ("99999999999999999999999", "99999999999999999999998", G),
            ("1.99999999999999999999999", "1.100000000000000000000000", L),
            // Invalid tails sort below everything but pre-release suffixes.
            ("1.0bc", "1.0b", L),
            ("1.0bc", "1.0", G),
            ("1.0bc", "1.0bd", E),
            ("1.0bc", "1.0_rc1", G),
            ("1.0_foo", "1.0-r0", L),
        ];
        for (a, b, want) in table {
            assert_eq!(compare(a, b), Ok(want), "{a} vs {b}");
            assert_eq!(compare(b, a), Ok(want.reverse()), "{b} vs {a}");
        }
    }

    #[test]
    fn unorderable_and_invalid() {
        for bad in ["", "a", "_pre1", "-r1", "~1", ".1", " 1.0", "v1.0"] {
            assert!(compare(bad, "1.0").is_err(), "{bad:?}");
            assert!(compare("1.0", bad).is_err(), "{bad:?}");
            let err = validate(bad).expect_err(bad);
            assert_eq!(err.ecosystem, Some(Ecosystem::Apk));
        }
        for bad in [
            "1.0 ", "1.0A", "1.0-r", "1.0-1", "1.0~", "1.0~G", "1.", "1..0", "1.0_",
        ] {
            assert!(validate(bad).is_err(), "{bad:?}");
            assert!(compare(bad, "1.0").is_ok(), "{bad:?}");
        }
        let err = validate("0.1_foobar").expect_err("invalid suffix");
        assert!(err.reason.contains("byte 3"), "{}", err.reason);
    }

    #[test]
    fn ranges() {
        assert_eq!(satisfies("1.2.4-r0", ">= 1.2.3-r0, < 1.2.5-r1"), Ok(true));
        assert_eq!(satisfies("1.2.5-r1", ">= 1.2.3-r0, < 1.2.5-r1"), Ok(false));
        assert_eq!(satisfies("1.0~1234-r1", "> 1.0~1234-r0"), Ok(true));
        assert_eq!(satisfies("3.6.9", "~3.6"), Ok(true));
        assert_eq!(satisfies("3.60", "~3.6"), Ok(false));
        assert_eq!(satisfies("3.6.9", "=~ 3.6"), Ok(true));
        assert_eq!(satisfies("3.6.9", "<~3.6"), Ok(true));
        assert_eq!(satisfies("3.5", "<~3.6"), Ok(true));
        assert_eq!(satisfies("3.7", "<~3.6"), Ok(false));
        assert_eq!(satisfies("3.6.1", ">~3.6, < 4"), Ok(true));
        assert_eq!(satisfies("3.8", "!~3.6 || = 1"), Ok(true));
        assert_eq!(satisfies("3.6.1", "!~3.6"), Ok(false));
        assert_eq!(satisfies("1", "~3.6 || ~1"), Ok(true));
        assert!(satisfies("1", "~~3.6").is_err());
        assert!(satisfies("1", "~").is_err());
        assert!(satisfies("1", "~x").is_err());
    }

    // ---- properties -------------------------------------------------------------------

    /// Realistic versions plus a token soup that also produces invalid tails (apk orders them).
    fn version() -> impl Strategy<Value = String> {
        let realistic = concat!(
            "[0-9]{1,2}(\\.[0-9]{1,3}){0,3}[a-z]?",
            "(_(alpha|beta|pre|rc|cvs|svn|git|hg|p)[0-9]{0,8}){0,2}",
            "(~[0-9a-f]{1,4})?(-r[0-9]{1,2})?"
        );
        let piece = prop::sample::select(vec![
            ".0", ".1", ".01", ".10", "a", "b", "_alpha", "_pre1", "_rc", "_p", "_p2", "_git",
            "~ab", "~1f", "-r0", "-r1", "-r10", "x", "_",
        ]);
        let soup = ("0?[0-2]", prop::collection::vec(piece, 0..5)).prop_map(|(head, pieces)| {
            let mut s = head;
            s.extend(pieces);
            s
        });
        prop_oneof![realistic, soup]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn order_laws(a in version(), b in version(), c in version()) {
            super::super::semver::fixture::order_laws(compare, &a, &b, &c)?;
        }

        /// A fuzzy match on a prefix of one's own tokens always holds.
        #[test]
        fn fuzzy_prefix(
            a in "[0-9]{1,2}(\\.[0-9]{1,2}){0,3}",
            tail in "(\\.[0-9]{1,2}|_pre1|_p2|-r3){0,2}",
        ) {
            let v = format!("{a}{tail}");
            prop_assert_eq!(satisfies(&v, &format!("~{a}")), Ok(true));
        }

        #[test]
        fn never_panics(a in "\\PC{0,12}", b in "[0-9a-z._~<>=!|, -]{0,10}") {
            let _ = compare(&a, &b);
            let _ = satisfies(&a, &b);
            let _ = satisfies("1.0", &a);
            if validate(&a).is_ok() {
                prop_assert_eq!(compare(&a, &a), Ok(Ordering::Equal));
            }
        }
    }

    /// Manual throughput check (not a timed test):
    /// `cargo test --release -p stellaops-policy --lib version::apk -- --ignored --nocapture`
    #[test]
    #[ignore = "manual throughput check"]
    #[allow(clippy::print_stdout)]
    fn throughput() {
        let pairs = [
            ("3.0.13-r0", "3.0.14-r1"),
            ("1.36.1-r15", "1.36.1-r29"),
            ("8.5.0-r0", "8.5.0-r0"),
            ("2.9.11_pre20051101-r2", "2.9.11_pre20061021-r1"),
            ("1.0~1234-r1", "1.0~1234-r0"),
            ("1.2.13-r1", "1.2.12.1-r0"),
            ("4.2.52_p2-r1", "4.2.52_p4-r2"),
            ("0.20070118", "0.20070207_rc1"),
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
            "apk: {n} compares in {secs:.3} s = {:.2} M compares/s (checksum {checksum})",
            n as f64 / secs / 1e6
        );
    }
}
