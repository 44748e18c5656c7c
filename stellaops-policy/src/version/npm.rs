//! npm versions and ranges, as [node-semver](https://github.com/npm/node-semver) defines
//! them (`loose: true`, `includePrerelease: false`).
//!
//! **Versions** (loose): surrounding whitespace is trimmed and any run of `v`, `=` and
//! whitespace before the numbers is skipped (`v1.2.3`, `=1.2.3`, `= v 1.2.3`); the three
//! numbers may have leading zeros and must not exceed 2^53 - 1; the pre-release may be
//! introduced by `-` or, when it starts with a letter or `-`, by nothing or by dots
//! (`1.2.3beta`, `1.2.3.beta`); identifiers are `[0-9A-Za-z-]+`; `+build` is ignored.
//! Versions longer than 256 UTF-16 units are refused, as node-semver does.
//! Ordering is SemVer precedence; numeric identifiers are compared by value (`-01` ==
//! `-1`), alphanumeric ones in ASCII order.
//!
//! **Ranges**: alternatives joined by `||`; each a whitespace-separated list of comparators
//! that must all hold. Comparators: `<`, `<=`, `>`, `>=`, `=` or nothing, followed by a full or
//! partial version; `x`, `X` and `*` stand for any number (`1.2.x`, `1.*`, `*`); missing
//! parts are wildcards (`1.2` == `1.2.x`). Desugaring is node-semver's:
//! - `^1.2.3` → `>=1.2.3 <2.0.0-0`, `^0.2.3` → `>=0.2.3 <0.3.0-0`, `^0.0.3` →
//!   `>=0.0.3 <0.0.4-0`, `^1.x` → `>=1.0.0 <2.0.0-0`;
//! - `~1.2.3` / `~>1.2.3` → `>=1.2.3 <1.3.0-0`, `~1` → `>=1.0.0 <2.0.0-0`;
//! - `1.2.x` → `>=1.2.0 <1.3.0-0`, `>1.2` → `>=1.3.0`, `<=1.2` → `<1.3.0-0`, `>*` and `<*`
//!   match nothing;
//! - `1.2 - 2.3.4` → `>=1.2.0 <=2.3.4`, `1.2.3 - 2.3` → `>=1.2.3 <2.4.0-0`;
//! - an empty range or empty alternative means `*`.
//!
//! Whitespace between an operator and its version is allowed (`>= 1.0`, `~ 1.2`, `^ 2`).
//! In loose mode a comparator that does not parse is dropped (node-semver's behaviour);
//! a range with no usable comparator set is an error. node-semver's quirk that an
//! alternative which reduces to `*` swallows the whole range is kept (`* || 1.0.0-beta`
//! does not match `1.0.0-beta`).
//!
//! **Pre-release rule**: a version with a pre-release satisfies a comparator set only if
//! some comparator of that same set names a pre-release of the same `[major, minor, patch]`
//! (`>=1.2.3-alpha <2` matches `1.2.3-beta` but not `1.2.4-beta`).
//!
//! node-semver's `includePrerelease` option exists in the engine (it drops the
//! pre-release rule and gives partial lower bounds a `-0`, so `1.1.x` admits `1.1.0-a`)
//! but is only used to check the upstream vectors; the public API never sets it.
//!
//! Not implemented: node-semver's removal of a `*` glued to other characters (`1.2.3*`,
//! refused here), and JS float rounding of numeric identifiers beyond 2^53 (compared exactly
//! here).
//!
//! [`compare`] does no allocation; [`satisfies`] allocates only the parsed range.

use std::cmp::Ordering;

use super::semver::{cmp_prerelease, find_byte, split_dots};
use super::{Ecosystem, VersionError};

/// node-semver's `MAX_LENGTH`.
const MAX_LENGTH: usize = 256;
/// JavaScript's `Number.MAX_SAFE_INTEGER`, node-semver's bound on version numbers.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Parsing options of the node-semver engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Options {
    /// node-semver `loose`: tolerant version spellings.
    pub(super) loose: bool,
    /// node-semver `includePrerelease`: no pre-release rule, `-0` lower bounds.
    pub(super) include_prerelease: bool,
}

impl Options {
    /// node-semver defaults (strict parsing).
    pub(super) const STRICT: Options = Options {
        loose: false,
        include_prerelease: false,
    };
    /// npm's loose parsing.
    pub(super) const LOOSE: Options = Options {
        loose: true,
        include_prerelease: false,
    };
}

/// Compare two npm versions (loose parsing).
pub fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    let va = parse_or_err(a)?;
    let vb = parse_or_err(b)?;
    Ok(va.cmp_precedence(&vb))
}

/// Whether `version` satisfies the npm `range` (loose parsing, pre-release rule applied).
pub fn satisfies(version: &str, range: &str) -> Result<bool, VersionError> {
    satisfies_with(Ecosystem::Npm, version, range, Options::LOOSE)
}

/// Check that `v` parses as a (loose) npm version.
pub fn validate(v: &str) -> Result<(), VersionError> {
    parse_or_err(v).map(|_| ())
}

fn parse_or_err(v: &str) -> Result<Version<'_>, VersionError> {
    parse_version(v, true).map_err(|reason| VersionError::new(Some(Ecosystem::Npm), v, reason))
}

/// The range engine shared with [`super::semver`]: node-semver `satisfies` with `opts`.
pub(super) fn satisfies_with(
    ecosystem: Ecosystem,
    version: &str,
    range: &str,
    opts: Options,
) -> Result<bool, VersionError> {
    let v = parse_version(version, opts.loose)
        .map_err(|reason| VersionError::new(Some(ecosystem), version, reason))?;
    let sets = parse_range(range, opts)
        .map_err(|reason| VersionError::new(Some(ecosystem), range, reason))?;
    Ok(sets.iter().any(|set| test_set(set, &v, opts)))
}

// ---------------------------------------------------------------------------------------
// Versions

/// A parsed version: numbers plus the raw pre-release identifiers (no build metadata).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Version<'a> {
    major: u64,
    minor: u64,
    patch: u64,
    /// Dot-separated pre-release identifiers; empty when none.
    pre: &'a str,
}

impl Version<'_> {
    fn new(major: u64, minor: u64, patch: u64, pre: &str) -> Version<'_> {
        Version {
            major,
            minor,
            patch,
            pre,
        }
    }

    fn cmp_precedence(&self, other: &Version<'_>) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| cmp_prerelease(self.pre, other.pre))
    }

    fn same_tuple(&self, other: &Version<'_>) -> bool {
        (self.major, self.minor, self.patch) == (other.major, other.minor, other.patch)
    }
}

/// JavaScript's `\s` (and what `String.prototype.trim` removes).
fn is_js_space(c: char) -> bool {
    (c.is_whitespace() && c != '\u{85}') || c == '\u{feff}'
}

fn js_trim(s: &str) -> &str {
    s.trim_matches(is_js_space)
}

/// Parse a version: node-semver `FULL` (strict: `v?` prefix, no leading zeros) or `LOOSE`.
fn parse_version(s: &str, loose: bool) -> Result<Version<'_>, &'static str> {
    if s.len() > MAX_LENGTH && s.encode_utf16().count() > MAX_LENGTH {
        return Err("version longer than 256 characters");
    }
    let t = js_trim(s);
    let rest = if loose {
        t.trim_start_matches(|c: char| c == 'v' || c == '=' || is_js_space(c))
    } else {
        t.strip_prefix('v').unwrap_or(t)
    };
    let (major, rest) = main_number(rest, loose)?;
    let rest = rest.strip_prefix('.').ok_or("expected MAJOR.MINOR.PATCH")?;
    let (minor, rest) = main_number(rest, loose)?;
    let rest = rest.strip_prefix('.').ok_or("expected MAJOR.MINOR.PATCH")?;
    let (patch, rest) = main_number(rest, loose)?;
    let pre = parse_tail(rest, loose).ok_or("invalid pre-release or build metadata")?;
    Ok(Version::new(major, minor, patch, pre))
}

/// Split a leading run of ASCII digits off `s`.
fn digits(s: &str) -> (&str, &str) {
    let end = s
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(s.len());
    s.split_at(end)
}

/// A version number (strict: no leading zero), at most 2^53 - 1.
fn main_number(s: &str, loose: bool) -> Result<(u64, &str), &'static str> {
    let (num, rest) = digits(s);
    if num.is_empty() {
        return Err("expected a number");
    }
    if !loose && num.len() > 1 && num.starts_with('0') {
        return Err("number with a leading zero");
    }
    Ok((to_safe_int(num)?, rest))
}

fn to_safe_int(num: &str) -> Result<u64, &'static str> {
    match num.parse::<u64>() {
        Ok(n) if n <= MAX_SAFE_INTEGER => Ok(n),
        _ => Err("number larger than 2^53 - 1"),
    }
}

/// Parse what follows the patch number: optional pre-release, optional `+build`, end.
/// Returns the pre-release identifiers (empty when none).
fn parse_tail(rest: &str, loose: bool) -> Option<&str> {
    let (region, build) = match find_byte(rest, b'+') {
        Some(i) => (rest.get(..i).unwrap_or(""), rest.get(i + 1..)),
        None => (rest, None),
    };
    if let Some(build) = build {
        if !valid_ids(build, true) {
            return None;
        }
    }
    if region.is_empty() {
        return Some("");
    }
    if let Some(ids) = region.strip_prefix('-') {
        if valid_ids(ids, loose) {
            return Some(ids);
        }
    }
    if !loose {
        return None;
    }
    // PRERELEASELOOSE's other branch: dots, then an identifier starting with [a-zA-Z-].
    let after = region.trim_start_matches('.');
    let starts_ok = after
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'-');
    (starts_ok && valid_ids(after, true)).then_some(after)
}

/// Dot-separated non-empty `[0-9A-Za-z-]+` identifiers; unless `loose`, numeric
/// identifiers without leading zeros.
fn valid_ids(ids: &str, loose: bool) -> bool {
    split_dots(ids).all(|id| {
        !id.is_empty()
            && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && (loose
                || !(id.len() > 1 && id.starts_with('0') && id.bytes().all(|b| b.is_ascii_digit())))
    })
}

// ---------------------------------------------------------------------------------------
// Ranges

/// A comparison operator of a desugared comparator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Lt,
    Le,
    Eq,
    Ge,
    Gt,
}

impl Op {
    fn holds(self, o: Ordering) -> bool {
        match self {
            Op::Lt => o == Ordering::Less,
            Op::Le => o != Ordering::Greater,
            Op::Eq => o == Ordering::Equal,
            Op::Ge => o != Ordering::Less,
            Op::Gt => o == Ordering::Greater,
        }
    }
}

/// A desugared comparator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Comp<'a> {
    /// Matches everything (`*`, `''`, `>=0.0.0`).
    Any,
    /// `version OP bound`.
    Cmp(Op, Version<'a>),
}

/// `<0.0.0-0`: node-semver's "null set", which nothing satisfies.
const NULL_SET: Comp<'static> = Comp::Cmp(
    Op::Lt,
    Version {
        major: 0,
        minor: 0,
        patch: 0,
        pre: "0",
    },
);

impl Comp<'_> {
    fn is_null_set(&self) -> bool {
        match self {
            Comp::Cmp(Op::Lt, v) => {
                (v.major, v.minor, v.patch) == (0, 0, 0) && is_zero_identifier(v.pre)
            }
            _ => false,
        }
    }

    fn test(&self, v: &Version<'_>) -> bool {
        match self {
            Comp::Any => true,
            Comp::Cmp(op, bound) => op.holds(v.cmp_precedence(bound)),
        }
    }
}

/// A single numeric pre-release identifier of value 0 (`0`, `00`, ...).
fn is_zero_identifier(pre: &str) -> bool {
    !pre.is_empty() && pre.bytes().all(|b| b == b'0')
}

/// Parse a whole range into its comparator sets (node-semver `new Range`).
fn parse_range(range: &str, opts: Options) -> Result<Vec<Vec<Comp<'_>>>, &'static str> {
    let mut sets = Vec::new();
    for alt in range.split("||") {
        let set = parse_set(js_trim(alt), opts)?;
        if !set.is_empty() {
            sets.push(set);
        }
    }
    if sets.is_empty() {
        return Err("invalid range: no usable comparator set");
    }
    if sets.len() > 1 {
        let kept: Vec<Vec<Comp<'_>>> = sets
            .iter()
            .filter(|s| !s.first().is_some_and(Comp::is_null_set))
            .cloned()
            .collect();
        if !kept.is_empty() {
            sets = kept;
        } else {
            sets.truncate(1);
        }
    }
    if sets.len() > 1 {
        if let Some(any) = sets.iter().find(|s| s.as_slice() == [Comp::Any]) {
            return Ok(vec![any.clone()]);
        }
    }
    Ok(sets)
}

/// Parse one comparator set (node-semver `parseRange`).
fn parse_set(set: &str, opts: Options) -> Result<Vec<Comp<'_>>, &'static str> {
    let mut comps = Vec::new();
    if let Some((from, to)) = split_hyphen(set, opts.loose) {
        hyphen(from, to, opts, &mut comps)?;
    } else {
        for token in tokens(set) {
            // loose: node-semver drops comparators that do not parse.
            if desugar(token, opts, &mut comps).is_none() && !opts.loose {
                return Err("invalid comparator");
            }
        }
        if comps.is_empty() && set.split(is_js_space).all(str::is_empty) {
            comps.push(Comp::Any);
        }
    }
    check_numbers(&comps)?;
    if comps.iter().any(Comp::is_null_set) {
        return Ok(vec![NULL_SET]);
    }
    if comps.iter().any(|c| *c != Comp::Any) {
        comps.retain(|c| *c != Comp::Any);
    } else {
        comps.truncate(1);
    }
    Ok(comps)
}

/// Desugared bounds may exceed node-semver's number limit (`^9007199254740991`).
fn check_numbers(comps: &[Comp<'_>]) -> Result<(), &'static str> {
    let too_big = comps.iter().any(|c| match c {
        Comp::Cmp(_, v) => v.major.max(v.minor).max(v.patch) > MAX_SAFE_INTEGER,
        Comp::Any => false,
    });
    if too_big {
        Err("version number larger than 2^53 - 1")
    } else {
        Ok(())
    }
}

/// Whitespace-separated comparator tokens, with a lone operator glued to what follows
/// (`>= 1.2` → `>=1.2`, `~> 1` → `~>1`, `^ 2` → `^2`).
fn tokens(set: &str) -> Vec<&str> {
    const OPS: [&str; 8] = ["<", ">", "<=", ">=", "=", "~", "~>", "^"];
    let mut out = Vec::new();
    let mut rest = set;
    loop {
        rest = rest.trim_start_matches(is_js_space);
        if rest.is_empty() {
            return out;
        }
        let end = rest.find(is_js_space).unwrap_or(rest.len());
        let mut tok_end = end;
        if OPS.contains(&&rest[..end]) {
            let after = &rest[end..];
            let skipped = after.len() - after.trim_start_matches(is_js_space).len();
            let next = &after[skipped..];
            if !next.is_empty() {
                tok_end = end + skipped + next.find(is_js_space).unwrap_or(next.len());
            }
        }
        let (tok, tail) = rest.split_at(tok_end);
        out.push(tok);
        rest = tail;
    }
}

/// Remove whitespace inside a glued token (`>=  1.2` → the version part `1.2`).
fn after_space(s: &str) -> &str {
    s.trim_start_matches(is_js_space)
}

/// One number position of a partial version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part<'a> {
    /// `x`, `X`, `*` or missing.
    X,
    /// A number, with its text (node-semver compares `M === '0'` textually).
    Num(u64, &'a str),
}

impl Part<'_> {
    fn value(self) -> u64 {
        match self {
            Part::X => 0,
            Part::Num(n, _) => n,
        }
    }

    fn is_x(self) -> bool {
        self == Part::X
    }

    fn is_zero_text(self) -> bool {
        matches!(self, Part::Num(_, "0"))
    }
}

/// A partial version (`XRANGEPLAIN`): `[v=\s]*M[.m[.p[-pre][+build]]]`.
#[derive(Debug, Clone, Copy)]
struct Partial<'a> {
    major: Part<'a>,
    minor: Part<'a>,
    patch: Part<'a>,
    pre: &'a str,
    has_build: bool,
    /// The whole text, for node-semver's textual re-use of full versions.
    text: &'a str,
}

impl<'a> Partial<'a> {
    fn any_x(&self) -> bool {
        self.major.is_x() || self.minor.is_x() || self.patch.is_x()
    }

    /// `M.m.p` with `pre`.
    fn version(&self, pre: &'a str) -> Version<'a> {
        Version::new(
            self.major.value(),
            self.minor.value(),
            self.patch.value(),
            pre,
        )
    }
}

/// Parse an x-range identifier: a number (strict: no leading zero), `x`, `X` or `*`.
fn xid(s: &str, loose: bool) -> Option<(Part<'_>, &str)> {
    if let Some(rest) = s.strip_prefix(['x', 'X', '*']) {
        return Some((Part::X, rest));
    }
    let (num, rest) = digits(s);
    if num.is_empty() || (!loose && num.len() > 1 && num.starts_with('0')) {
        return None;
    }
    // Saturate: bounds beyond 2^53 - 1 are refused after desugaring (`check_numbers`).
    let n = num
        .parse::<u64>()
        .unwrap_or(u64::MAX)
        .min(MAX_SAFE_INTEGER + 1);
    Some((Part::Num(n, num), rest))
}

fn parse_partial(text: &str, loose: bool) -> Option<Partial<'_>> {
    let s = text.trim_start_matches(|c: char| c == 'v' || c == '=' || is_js_space(c));
    let mut p = Partial {
        major: Part::X,
        minor: Part::X,
        patch: Part::X,
        pre: "",
        has_build: false,
        text,
    };
    let (major, rest) = xid(s, loose)?;
    p.major = major;
    let Some(rest) = rest.strip_prefix('.') else {
        return rest.is_empty().then_some(p);
    };
    let (minor, rest) = xid(rest, loose)?;
    p.minor = minor;
    let Some(rest) = rest.strip_prefix('.') else {
        return rest.is_empty().then_some(p);
    };
    let (patch, rest) = xid(rest, loose)?;
    p.patch = patch;
    p.pre = parse_tail(rest, loose)?;
    p.has_build = rest.contains('+');
    Some(p)
}

/// Split `A - B` (node-semver `HYPHENRANGE`): both sides must be partial versions.
fn split_hyphen(set: &str, loose: bool) -> Option<(Partial<'_>, Partial<'_>)> {
    let chars: Vec<(usize, char)> = set.char_indices().collect();
    for w in chars.windows(3) {
        if let [(_, before), (i, '-'), (_, after)] = w {
            if is_js_space(*before) && is_js_space(*after) {
                let left = js_trim(set.get(..*i)?);
                let right = js_trim(set.get(i + 1..)?);
                if let (Some(a), Some(b)) =
                    (parse_partial(left, loose), parse_partial(right, loose))
                {
                    return Some((a, b));
                }
            }
        }
    }
    None
}

/// Lower bound of a desugared range: `>=M.m.p[-pre]`, which node-semver turns into `*`
/// when it is exactly `>=0.0.0` (`>=0.0.0-0` with `includePrerelease`).
fn lower<'a>(v: Version<'a>, opts: Options) -> Comp<'a> {
    let gte0_pre = if opts.include_prerelease { "0" } else { "" };
    if (v.major, v.minor, v.patch) == (0, 0, 0) && v.pre == gte0_pre {
        Comp::Any
    } else {
        Comp::Cmp(Op::Ge, v)
    }
}

/// `<M.m.p-0`.
fn below(major: u64, minor: u64, patch: u64) -> Comp<'static> {
    Comp::Cmp(Op::Lt, Version::new(major, minor, patch, "0"))
}

/// The `-0` node-semver appends to lower bounds with `includePrerelease`.
fn z(opts: Options) -> &'static str {
    if opts.include_prerelease {
        "0"
    } else {
        ""
    }
}

/// Desugar one token; `None` if it is not a valid comparator.
fn desugar<'a>(tok: &'a str, opts: Options, out: &mut Vec<Comp<'a>>) -> Option<()> {
    if let Some(rest) = tok.strip_prefix('^') {
        caret(parse_partial(after_space(rest), opts.loose)?, opts, out);
        Some(())
    } else if let Some(rest) = tok.strip_prefix('~') {
        let rest = rest.strip_prefix('>').unwrap_or(rest);
        tilde(parse_partial(after_space(rest), opts.loose)?, opts, out);
        Some(())
    } else {
        xrange(tok, opts, out)
    }
}

fn caret<'a>(p: Partial<'a>, opts: Options, out: &mut Vec<Comp<'a>>) {
    let (mj, mn, pt) = (p.major.value(), p.minor.value(), p.patch.value());
    if p.major.is_x() {
        out.push(Comp::Any);
    } else if p.minor.is_x() {
        out.push(lower(Version::new(mj, 0, 0, z(opts)), opts));
        out.push(below(mj + 1, 0, 0));
    } else if p.patch.is_x() {
        out.push(lower(Version::new(mj, mn, 0, z(opts)), opts));
        out.push(if p.major.is_zero_text() {
            below(mj, mn + 1, 0)
        } else {
            below(mj + 1, 0, 0)
        });
    } else {
        // A full version is its own lower bound: no `-0`, even with includePrerelease.
        out.push(lower(Version::new(mj, mn, pt, p.pre), opts));
        out.push(match (p.major.is_zero_text(), p.minor.is_zero_text()) {
            (true, true) => below(mj, mn, pt + 1),
            (true, false) => below(mj, mn + 1, 0),
            _ => below(mj + 1, 0, 0),
        });
    }
}

fn tilde<'a>(p: Partial<'a>, opts: Options, out: &mut Vec<Comp<'a>>) {
    let (mj, mn, pt) = (p.major.value(), p.minor.value(), p.patch.value());
    if p.major.is_x() {
        out.push(Comp::Any);
    } else if p.minor.is_x() {
        out.push(lower(Version::new(mj, 0, 0, z(opts)), opts));
        out.push(below(mj + 1, 0, 0));
    } else if p.patch.is_x() {
        out.push(lower(Version::new(mj, mn, 0, z(opts)), opts));
        out.push(below(mj, mn + 1, 0));
    } else {
        out.push(lower(Version::new(mj, mn, pt, p.pre), opts));
        out.push(below(mj, mn + 1, 0));
    }
}

/// Split node-semver's `GTLT` (`(<|>)?=?`) off a token.
fn split_gtlt(tok: &str) -> (&str, &str) {
    let mut end = 0;
    if tok.starts_with(['<', '>']) {
        end = 1;
    }
    if tok.get(end..).is_some_and(|r| r.starts_with('=')) {
        end += 1;
    }
    tok.split_at(end)
}

fn xrange<'a>(tok: &'a str, opts: Options, out: &mut Vec<Comp<'a>>) -> Option<()> {
    let (gtlt, rest) = split_gtlt(tok);
    let rest = after_space(rest);
    let p = parse_partial(rest, opts.loose)?;
    if !p.any_x() {
        if !opts.loose && !strict_prefix_ok(rest) {
            return None;
        }
        out.push(plain(gtlt, p.version(p.pre), rest, opts));
        return Some(());
    }
    let gtlt = if gtlt == "=" { "" } else { gtlt };
    let (mut mj, mut mn) = (p.major.value(), p.minor.value());
    if p.major.is_x() {
        out.push(if gtlt == ">" || gtlt == "<" {
            NULL_SET
        } else {
            Comp::Any
        });
    } else if !gtlt.is_empty() {
        let xm = p.minor.is_x();
        if xm {
            mn = 0;
        }
        let op = match gtlt {
            ">" => {
                if xm {
                    mj += 1;
                    mn = 0;
                } else {
                    mn += 1;
                }
                Op::Ge
            }
            "<=" => {
                if xm {
                    mj += 1;
                } else {
                    mn += 1;
                }
                Op::Lt
            }
            "<" => Op::Lt,
            _ => Op::Ge,
        };
        let pre = if op == Op::Lt { "0" } else { z(opts) };
        let v = Version::new(mj, mn, 0, pre);
        out.push(if op == Op::Ge {
            lower(v, opts)
        } else {
            Comp::Cmp(op, v)
        });
    } else if p.minor.is_x() {
        out.push(lower(Version::new(mj, 0, 0, z(opts)), opts));
        out.push(below(mj + 1, 0, 0));
    } else {
        out.push(lower(Version::new(mj, mn, 0, z(opts)), opts));
        out.push(below(mj, mn + 1, 0));
    }
    Some(())
}

/// node-semver's strict `FULLPLAIN` allows only `v?` before the numbers.
fn strict_prefix_ok(text: &str) -> bool {
    let body = text.trim_start_matches(|c: char| c == 'v' || c == '=' || is_js_space(c));
    matches!(&text[..text.len() - body.len()], "" | "v")
}

/// A user-written comparator on a full version; `>=0.0.0` is node-semver's `*`.
fn plain<'a>(gtlt: &str, v: Version<'a>, text: &str, opts: Options) -> Comp<'a> {
    let gte0 = if opts.include_prerelease {
        "0.0.0-0"
    } else {
        "0.0.0"
    };
    if gtlt == ">=" && text == gte0 {
        return Comp::Any;
    }
    let op = match gtlt {
        "<" => Op::Lt,
        "<=" => Op::Le,
        ">" => Op::Gt,
        ">=" => Op::Ge,
        _ => Op::Eq,
    };
    Comp::Cmp(op, v)
}

fn hyphen<'a>(
    from: Partial<'a>,
    to: Partial<'a>,
    opts: Options,
    out: &mut Vec<Comp<'a>>,
) -> Result<(), &'static str> {
    let inc = opts.include_prerelease;
    if from.major.is_x() {
        // no lower bound
    } else if from.minor.is_x() {
        out.push(lower(Version::new(from.major.value(), 0, 0, z(opts)), opts));
    } else if from.patch.is_x() {
        out.push(lower(from.version(z(opts)).with_patch(0), opts));
    } else {
        if !opts.loose && !strict_prefix_ok(from.text) {
            return Err("invalid comparator");
        }
        let v = from.version(from.pre);
        // `>=${from}-0`: with build metadata the `-0` lands in the build and is ignored.
        let v = if v.pre.is_empty() && inc && !from.has_build {
            Version { pre: "0", ..v }
        } else {
            v
        };
        let gte0 = if inc { "0" } else { "" };
        let textual_zero = from.text == "0.0.0" || (inc && from.text == "0.0.0-0");
        out.push(if textual_zero && v.pre == gte0 {
            Comp::Any
        } else {
            Comp::Cmp(Op::Ge, v)
        });
    }
    if to.major.is_x() {
        // no upper bound
    } else if to.minor.is_x() {
        out.push(below(to.major.value() + 1, 0, 0));
    } else if to.patch.is_x() {
        out.push(below(to.major.value(), to.minor.value() + 1, 0));
    } else if !to.pre.is_empty() {
        out.push(Comp::Cmp(Op::Le, to.version(to.pre)));
    } else if inc {
        out.push(below(
            to.major.value(),
            to.minor.value(),
            to.patch.value() + 1,
        ));
    } else if !opts.loose && !strict_prefix_ok(to.text) {
        return Err("invalid comparator");
    } else {
        out.push(Comp::Cmp(Op::Le, to.version("")));
    }
    if out.is_empty() {
        out.push(Comp::Any);
    }
    Ok(())
}

impl<'a> Version<'a> {
    fn with_patch(self, patch: u64) -> Version<'a> {
        Version { patch, ..self }
    }
}

/// node-semver `testSet`: every comparator holds, and the pre-release rule.
fn test_set(set: &[Comp<'_>], v: &Version<'_>, opts: Options) -> bool {
    if !set.iter().all(|c| c.test(v)) {
        return false;
    }
    if v.pre.is_empty() || opts.include_prerelease {
        return true;
    }
    set.iter().any(|c| match c {
        Comp::Cmp(_, bound) => !bound.pre.is_empty() && bound.same_tuple(v),
        Comp::Any => false,
    })
}

#[cfg(test)]
mod tests {
    use super::super::semver::fixture::{finish, json_str, load, ordering};
    use super::*;
    use proptest::prelude::*;

    fn check_compare_table(name: &str) {
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
    fn semver_npm_loose_tsv() {
        check_compare_table("semver_npm_loose.tsv");
    }

    /// Loose parsing accepts every strict vector too.
    #[test]
    fn semver_tsv_loose() {
        check_compare_table("semver.tsv");
    }

    #[test]
    fn semver_spec_examples_tsv_loose() {
        check_compare_table("semver_spec_examples.tsv");
    }

    /// Every row of npm_ranges.tsv through the engine with the row's own options; rows whose
    /// version is not a JSON string (node-semver returns false for non-strings) are
    /// asserted to have expected=false and are otherwise not representable in a `&str` API.
    #[test]
    fn npm_ranges_tsv() {
        let rows = load("npm_ranges.tsv");
        let mut failures = Vec::new();
        let mut non_string = 0;
        for row in &rows {
            let Some(range) = json_str(row.col(0)) else {
                failures.push(format!("line {}: range is not a string", row.line));
                continue;
            };
            let expected = row.col(4) == "true";
            let Some(version) = json_str(row.col(1)) else {
                // node-semver: satisfies(non-string) === false.
                non_string += 1;
                if expected {
                    failures.push(format!(
                        "line {}: non-string version expected true",
                        row.line
                    ));
                }
                continue;
            };
            let opts = Options {
                loose: row.col(2) == "true",
                include_prerelease: row.col(3) == "true",
            };
            // node-semver returns false where we return an error (invalid version or range).
            let got = satisfies_with(Ecosystem::Npm, &version, &range, opts).unwrap_or(false);
            if got != expected {
                failures.push(format!("line {}: {:?} -> {got}", row.line, row.text));
            }
            // The public npm API (always loose, no includePrerelease) agrees on every row
            // that does not ask for includePrerelease.
            if !opts.include_prerelease && satisfies(&version, &range).unwrap_or(false) != expected
            {
                failures.push(format!(
                    "line {}: npm::satisfies disagrees: {:?}",
                    row.line, row.text
                ));
            }
        }
        assert_eq!(non_string, 1, "one row has version `false`");
        finish("npm_ranges.tsv", rows.len(), &failures);
    }

    #[test]
    fn desugaring() {
        let yes = |v: &str, r: &str| assert!(satisfies(v, r).unwrap(), "{v} in {r}");
        let no = |v: &str, r: &str| assert!(!satisfies(v, r).unwrap(), "{v} not in {r}");
        yes("1.9.9", "^1.2.3");
        no("2.0.0-0", "^1.2.3");
        yes("0.2.9", "^0.2.3");
        no("0.3.0", "^0.2.3");
        yes("0.0.3", "^0.0.3");
        no("0.0.4", "^0.0.3");
        yes("1.2.9", "~1.2.3");
        no("1.3.0", "~1.2.3");
        yes("1.3.0", ">1.2");
        no("1.2.9", ">1.2");
        yes("1.2.9", "<=1.2");
        no("1.3.0", "<=1.2");
        no("1.0.0", ">*");
        no("1.0.0", "<*");
        yes("2.3.4", "1.2 - 2.3.4");
        no("2.3.5", "1.2 - 2.3.4");
        yes("2.3.9", "1.2.3 - 2.3");
        no("2.4.0", "1.2.3 - 2.3");
        yes("3.0.0", ">=1.0.0 <2.0.0 || >=3");
        yes("1.2.3", "");
        yes("1.2.3-beta.2", ">=1.2.3-beta.1 <1.3");
        no("1.2.4-beta.2", ">=1.2.3-beta.1 <1.3");
        // node-semver quirk: an alternative that is just `*` swallows the others.
        no("1.0.0-beta", "* || 1.0.0-beta");
        yes("1.0.0-beta", "1.0.0-beta || 2.x");
        yes("1.2.3", ">= 1.2.3 <  2");
        yes("1.2.3", "~> 1.2");
        yes("1.2.3", "^ 1.2");
        assert!(satisfies("1.2.3", "not a range").is_err());
        assert!(satisfies("nope", "*").is_err());
        assert!(super::super::semver::satisfies("1.2.3", ">=1.0.0 junk").is_err());
        assert!(satisfies("1.2.3", ">=1.0.0 junk").unwrap());
        assert!(satisfies("1.2.3", "^9007199254740991").is_err());
    }

    #[test]
    fn loose_versions() {
        assert_eq!(compare("v1.2.3", "=1.2.3").unwrap(), Ordering::Equal);
        assert_eq!(compare("1.2.3beta", "1.2.3-beta").unwrap(), Ordering::Equal);
        assert_eq!(
            compare("1.2.3.beta", "1.2.3-beta").unwrap(),
            Ordering::Equal
        );
        assert_eq!(compare("01.02.03-01", "1.2.3-1").unwrap(), Ordering::Equal);
        assert_eq!(compare("1.2.3-.a", "1.2.3--.a").unwrap(), Ordering::Equal);
        // node-semver loose reads `1.2.3-` as the pre-release identifier `-`.
        assert_eq!(compare("1.2.3-", "1.2.3--").unwrap(), Ordering::Equal);
        for bad in [
            "1.2",
            "1.2.3.4",
            "1.2.3+",
            "a.b.c",
            "9007199254740992.0.0",
            "1.2.3 4",
        ] {
            assert!(validate(bad).is_err(), "{bad}");
        }
        assert!(validate(&format!("1.2.3-{}", "a".repeat(300))).is_err());
    }

    fn version() -> impl Strategy<Value = String> {
        let num = prop_oneof![Just("0"), Just("1"), Just("01"), Just("2"), Just("10")];
        let prefix = prop_oneof![Just(""), Just("v"), Just("="), Just(" v ")];
        let ident = prop_oneof![
            Just("alpha"),
            Just("beta"),
            Just("0"),
            Just("1"),
            Just("01"),
            Just("11"),
            Just("Rc")
        ];
        let sep = prop_oneof![Just("-"), Just(".")];
        (
            prefix,
            num.clone(),
            num.clone(),
            num,
            prop::collection::vec(ident, 0..3),
            sep,
        )
            .prop_map(|(prefix, a, b, c, pre, sep)| {
                let mut s = format!("{prefix}{a}.{b}.{c}");
                if !pre.is_empty() {
                    // `.` may only introduce a pre-release that starts with a letter.
                    let sep = if pre[0].starts_with(|c: char| c.is_ascii_digit()) {
                        "-"
                    } else {
                        sep
                    };
                    s.push_str(sep);
                    s.push_str(&pre.join("."));
                }
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
            ("v1.0.0-alpha.1", "1.0.0-alpha.beta"),
            ("10.20.30", "=10.20.30+build.5"),
            ("2.0.0-rc.1", "2.0.0"),
        ];
        let r = super::super::semver::fixture::rate("npm", &pairs, compare);
        assert!(r > 0.0);
    }
}
