//! Python package versions, [PEP 440](https://peps.python.org/pep-0440/), as
//! [`packaging`](https://github.com/pypa/packaging) implements it.
//!
//! **Grammar** (case-insensitive, surrounding whitespace ignored, optional leading `v`):
//! `[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]`, with the accepted alternative spellings:
//! - pre-release: `a`/`alpha`, `b`/`beta`, `rc`/`c`/`pre`/`preview`, optionally preceded
//!   and followed by `.`, `-` or `_`, number optional (`1.0-ALPHA` == `1.0a0`);
//! - post-release: `.postN`, `postN`, `-N`, `.revN`, `.rN`, separators and number optional
//!   (`1.0-r` == `1.0.post0`);
//! - dev release: `.devN`, `-devN`, `devN`, number optional;
//! - local version: `+` then alphanumeric segments separated by `.`, `-` or `_`.
//!
//! Numbers are arbitrary-precision (compared as digit strings, leading zeros ignored);
//! only ASCII digits count. Whitespace is Python's `str.isspace` set.
//!
//! **Ordering** (packaging's `_cmpkey`): epoch; release with trailing zeros insignificant
//! (`1.0` == `1.0.0`); then `X.devN` < `XaN` < `XbN` < `XrcN` < `X` < `X.postN`, with a
//! pre-, post- or dev-release's own dev part sorting before it (`1.0a1.dev1` < `1.0a1`,
//! `1.0.post1.dev1` < `1.0.post1`); finally the local version: none < any, segments
//! compared pairwise (numbers numerically and above strings, strings case-insensitively),
//! a longer local version winning on a shared prefix.
//!
//! [`normalize`] gives packaging's `str(Version(v))`: `1.0-ALPHA` → `1.0a0`,
//! `v1.01.post` → `1.1.post0`, `1.0+AbC` → `1.0+abc`.
//!
//! **Specifiers** ([`satisfies`]): a comma-separated specifier set, all of which must hold
//! (an empty set holds for every final release): `==V`, `!=V`, `<=V`, `>=V`, `<V`, `>V`,
//! `~=V` (compatible release: `~=1.4.5` == `>=1.4.5, ==1.4.*`; needs two release
//! segments), `==V.*` / `!=V.*` (prefix match on the zero-padded release, ignoring the
//! candidate's pre/post/dev/local parts), and `===S` (arbitrary equality: the candidate's
//! normalized form equals `S`, case-insensitively). Local versions are allowed only in
//! `==`/`!=`; when the specifier has none, the candidate's local part is ignored. `<V`
//! does not match pre-releases of `V` itself unless `V` is a pre-release, and `>V` matches
//! neither post-releases of `V` (unless `V` is one) nor local versions of `V`.
//!
//! **Pre-release exclusion**, as packaging's `SpecifierSet.contains` with
//! `prereleases=None`: a pre-release or dev-release candidate (`1.0a1`, `1.0.dev0`,
//! `1.0.post1.dev1`) satisfies the set only when at least one specifier of the set, with an
//! operator other than `!=`, names a pre-release or dev version itself (`>=1.0a1`,
//! `~=2.0b1`, `==1.0rc1`). The installer-side fallback of PEP 440 ("accept a pre-release
//! when it is the only candidate") concerns choosing among several versions and is not
//! applied to a single version.
//!
//! Not reproduced: Python's Unicode case folding in the grammar (e.g. U+212A KELVIN SIGN
//! matching `k` in a local segment); such inputs are refused. A `~=` whose spelling puts
//! `.rev`/`.r`/`.pre`/`.c` after a dotted release (`~=1.0.rev1`) gets PEP 440's prefix
//! (`1.*`), where packaging's textual split yields `1.0.*`.
//!
//! [`compare`] does no allocation.

use std::cmp::Ordering;

use super::bytes::cmp_numeric;
use super::semver::split_dots;
use super::{Ecosystem, VersionError};

/// Pre-release phase, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    Alpha,
    Beta,
    Rc,
}

impl Phase {
    fn label(self) -> &'static str {
        match self {
            Phase::Alpha => "a",
            Phase::Beta => "b",
            Phase::Rc => "rc",
        }
    }
}

/// A parsed version, borrowing from the input. Numbers are ASCII digit strings; an empty
/// number means 0 (implicit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Parsed<'a> {
    epoch: &'a str,
    /// Dot-separated digit runs.
    release: &'a str,
    pre: Option<(Phase, &'a str)>,
    post: Option<&'a str>,
    dev: Option<&'a str>,
    /// Raw local version (segments separated by `.`, `-` or `_`).
    local: Option<&'a str>,
}

impl Parsed<'_> {
    fn is_prerelease(&self) -> bool {
        self.pre.is_some() || self.dev.is_some()
    }

    fn is_postrelease(&self) -> bool {
        self.post.is_some()
    }

    fn public(self) -> Self {
        Parsed {
            local: None,
            ..self
        }
    }
}

/// Compare two PEP 440 versions.
pub fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    let pa = parse_or_err(a)?;
    let pb = parse_or_err(b)?;
    Ok(cmp_parsed(&pa, &pb))
}

/// Whether `version` satisfies the specifier set `range` (`>=1.0,<2.0,!=1.5.*`), with
/// PEP 440's pre-release exclusion (see the module docs).
pub fn satisfies(version: &str, range: &str) -> Result<bool, VersionError> {
    let v = parse_or_err(version)?;
    let mut specs = Vec::new();
    for part in range.split(',') {
        if part.trim_matches(is_py_space).is_empty() {
            continue;
        }
        specs.push(
            parse_specifier(part)
                .map_err(|reason| VersionError::new(Some(Ecosystem::Pypi), range, reason))?,
        );
    }
    let prereleases = specs.iter().any(Specifier::names_prerelease);
    if v.is_prerelease() && !prereleases {
        return Ok(false);
    }
    Ok(specs.iter().all(|s| s.contains(&v)))
}

/// Check that `v` is a valid PEP 440 version.
pub fn validate(v: &str) -> Result<(), VersionError> {
    parse_or_err(v).map(|_| ())
}

/// packaging's `str(Version(v))`: the normalized spelling.
pub fn normalize(v: &str) -> Result<String, VersionError> {
    parse_or_err(v).map(|p| render(&p))
}

fn parse_or_err(v: &str) -> Result<Parsed<'_>, VersionError> {
    parse(v.trim_matches(is_py_space))
        .ok_or_else(|| VersionError::new(Some(Ecosystem::Pypi), v, "not a valid PEP 440 version"))
}

/// Python's `str.isspace` (what the `\s` of packaging's regex matches).
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

fn is_sep(b: u8) -> bool {
    matches!(b, b'.' | b'-' | b'_')
}

fn is_local_sep(c: char) -> bool {
    matches!(c, '.' | '-' | '_')
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_zero(n: &str) -> bool {
    n.bytes().all(|b| b == b'0')
}

/// Python's `str(int(n))` for a digit string (empty = 0).
fn int_text(n: &str) -> &str {
    let t = n.trim_start_matches('0');
    if t.is_empty() {
        "0"
    } else {
        t
    }
}

// ---------------------------------------------------------------------------------------
// Parsing

/// A byte cursor over the version text.
struct Cursor<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.i).copied()
    }

    fn peek_at(&self, k: usize) -> Option<u8> {
        self.s.as_bytes().get(self.i + k).copied()
    }

    /// Consume a run of ASCII digits (possibly empty).
    fn digits(&mut self) -> &'a str {
        let start = self.i;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.i += 1;
        }
        self.s.get(start..self.i).unwrap_or("")
    }

    /// Consume an optional `.`, `-` or `_`.
    fn sep(&mut self) {
        if self.peek().is_some_and(is_sep) {
            self.i += 1;
        }
    }

    /// Consume the first of `words` found here (ASCII case-insensitive), returning its index.
    fn word(&mut self, words: &[&str]) -> Option<usize> {
        let rest = self.s.as_bytes().get(self.i..)?;
        let k = words.iter().position(|w| {
            rest.len() >= w.len()
                && rest
                    .iter()
                    .zip(w.bytes())
                    .all(|(a, b)| a.to_ascii_lowercase() == b)
        })?;
        self.i += words.get(k).map_or(0, |w| w.len());
        Some(k)
    }
}

/// Parse an already trimmed version (packaging's `VERSION_PATTERN`, anchored).
fn parse(s: &str) -> Option<Parsed<'_>> {
    let mut c = Cursor { s, i: 0 };
    if matches!(c.peek(), Some(b'v' | b'V')) {
        c.i += 1;
    }
    let mut epoch = "";
    let mut release_start = c.i;
    let first = c.digits();
    if first.is_empty() {
        return None;
    }
    if c.peek() == Some(b'!') {
        epoch = first;
        c.i += 1;
        release_start = c.i;
        if c.digits().is_empty() {
            return None;
        }
    }
    while c.peek() == Some(b'.') && c.peek_at(1).is_some_and(|b| b.is_ascii_digit()) {
        c.i += 1;
        c.digits();
    }
    let release = s.get(release_start..c.i)?;
    let pre = parse_pre(&mut c);
    let post = parse_post(&mut c);
    let dev = parse_dev(&mut c);
    let local = parse_local(&mut c)?;
    (c.i == s.len()).then_some(Parsed {
        epoch,
        release,
        pre,
        post,
        dev,
        local,
    })
}

fn parse_pre<'a>(c: &mut Cursor<'a>) -> Option<(Phase, &'a str)> {
    let save = c.i;
    c.sep();
    const WORDS: [&str; 8] = ["alpha", "a", "beta", "b", "preview", "pre", "c", "rc"];
    let Some(k) = c.word(&WORDS) else {
        c.i = save;
        return None;
    };
    let phase = match k {
        0 | 1 => Phase::Alpha,
        2 | 3 => Phase::Beta,
        _ => Phase::Rc,
    };
    c.sep();
    Some((phase, c.digits()))
}

fn parse_post<'a>(c: &mut Cursor<'a>) -> Option<&'a str> {
    if c.peek() == Some(b'-') && c.peek_at(1).is_some_and(|b| b.is_ascii_digit()) {
        c.i += 1;
        return Some(c.digits());
    }
    let save = c.i;
    c.sep();
    if c.word(&["post", "rev", "r"]).is_none() {
        c.i = save;
        return None;
    }
    c.sep();
    Some(c.digits())
}

fn parse_dev<'a>(c: &mut Cursor<'a>) -> Option<&'a str> {
    let save = c.i;
    c.sep();
    if c.word(&["dev"]).is_none() {
        c.i = save;
        return None;
    }
    c.sep();
    Some(c.digits())
}

/// `+` and `[a-z0-9]+([-_.][a-z0-9]+)*`; outer `None` when malformed.
fn parse_local<'a>(c: &mut Cursor<'a>) -> Option<Option<&'a str>> {
    if c.peek() != Some(b'+') {
        return Some(None);
    }
    c.i += 1;
    let start = c.i;
    let rest = c.s.get(start..)?;
    let end = rest
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || is_sep(b)))
        .unwrap_or(rest.len());
    let local = rest.get(..end)?;
    if local.split(is_local_sep).any(str::is_empty) {
        return None;
    }
    c.i += end;
    Some(Some(local))
}

// ---------------------------------------------------------------------------------------
// Ordering

/// packaging's `_cmpkey` comparison.
fn cmp_parsed(a: &Parsed<'_>, b: &Parsed<'_>) -> Ordering {
    cmp_numeric(a.epoch, b.epoch)
        .then_with(|| cmp_release(a.release, b.release))
        .then_with(|| pre_key(a).cmp(&pre_key(b)))
        .then_with(|| cmp_missing_low(a.post, b.post))
        .then_with(|| cmp_missing_high(a.dev, b.dev))
        .then_with(|| cmp_local(a.local, b.local))
}

/// Compare dot-separated releases, the shorter one padded with zeros.
fn cmp_release(a: &str, b: &str) -> Ordering {
    let mut xs = split_dots(a);
    let mut ys = split_dots(b);
    loop {
        match (xs.next(), ys.next()) {
            (None, None) => return Ordering::Equal,
            (x, y) => match cmp_numeric(x.unwrap_or(""), y.unwrap_or("")) {
                Ordering::Equal => {}
                other => return other,
            },
        }
    }
}

/// The pre-release slot of `_cmpkey`.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum PreKey<'a> {
    /// A dev release of a final release (`1.0.dev0`): before every pre-release.
    Low,
    Pre(Phase, Num<'a>),
    /// No pre-release.
    High,
}

/// A digit string ordered numerically.
#[derive(Debug, PartialEq, Eq)]
struct Num<'a>(&'a str);

impl PartialOrd for Num<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Num<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_numeric(self.0, other.0)
    }
}

fn pre_key<'a>(p: &Parsed<'a>) -> PreKey<'a> {
    match p.pre {
        Some((phase, n)) => PreKey::Pre(phase, Num(n)),
        None if p.post.is_none() && p.dev.is_some() => PreKey::Low,
        None => PreKey::High,
    }
}

/// Absent sorts below any number (the post-release slot).
fn cmp_missing_low(a: Option<&str>, b: Option<&str>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => cmp_numeric(x, y),
    }
}

/// Absent sorts above any number (the dev slot).
fn cmp_missing_high(a: Option<&str>, b: Option<&str>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => cmp_numeric(x, y),
    }
}

/// Local versions: none < some; segments pairwise, numbers above strings.
fn cmp_local(a: Option<&str>, b: Option<&str>) -> Ordering {
    let (a, b) = match (a, b) {
        (None, None) => return Ordering::Equal,
        (None, Some(_)) => return Ordering::Less,
        (Some(_), None) => return Ordering::Greater,
        (Some(a), Some(b)) => (a, b),
    };
    let mut xs = a.split(is_local_sep);
    let mut ys = b.split(is_local_sep);
    loop {
        let (x, y) = match (xs.next(), ys.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => (x, y),
        };
        let o = match (is_digits(x), is_digits(y)) {
            (true, true) => cmp_numeric(x, y),
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => x
                .bytes()
                .map(|c| c.to_ascii_lowercase())
                .cmp(y.bytes().map(|c| c.to_ascii_lowercase())),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
}

/// Equal epochs and releases (packaging's `Version(v.base_version)` equality).
fn same_base(a: &Parsed<'_>, b: &Parsed<'_>) -> bool {
    cmp_numeric(a.epoch, b.epoch) == Ordering::Equal
        && cmp_release(a.release, b.release) == Ordering::Equal
}

// ---------------------------------------------------------------------------------------
// Specifiers

/// A specifier operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Compatible,
    Eq,
    Ne,
    Le,
    Ge,
    Lt,
    Gt,
    Arbitrary,
}

/// One parsed specifier.
#[derive(Debug, Clone, Copy)]
struct Specifier<'a> {
    op: Op,
    /// The version (for `.*` specifiers: epoch and release only).
    version: Option<Parsed<'a>>,
    /// `==V.*` / `!=V.*`.
    wildcard: bool,
    /// The operand text (for `===`).
    raw: &'a str,
}

fn parse_specifier(text: &str) -> Result<Specifier<'_>, &'static str> {
    let t = text.trim_matches(is_py_space);
    const OPS: [(&str, Op); 8] = [
        ("===", Op::Arbitrary),
        ("~=", Op::Compatible),
        ("==", Op::Eq),
        ("!=", Op::Ne),
        ("<=", Op::Le),
        (">=", Op::Ge),
        ("<", Op::Lt),
        (">", Op::Gt),
    ];
    let (op, rest) = OPS
        .iter()
        .find_map(|(s, op)| t.strip_prefix(s).map(|r| (*op, r)))
        .ok_or("specifier must start with ~=, ==, !=, <=, >=, <, > or ===")?;
    let raw = rest.trim_start_matches(is_py_space);
    let mut spec = Specifier {
        op,
        version: None,
        wildcard: false,
        raw,
    };
    if op == Op::Arbitrary {
        if raw.contains(|c: char| is_py_space(c) || c == ';' || c == ')') {
            return Err("invalid arbitrary-equality operand");
        }
        return Ok(spec);
    }
    if matches!(op, Op::Eq | Op::Ne) {
        if let Some(base) = raw.strip_suffix(".*") {
            let v = parse(base).ok_or("invalid version in prefix match")?;
            if v.pre.is_some() || v.post.is_some() || v.dev.is_some() || v.local.is_some() {
                return Err("`.*` may only follow a release number");
            }
            spec.version = Some(v);
            spec.wildcard = true;
            return Ok(spec);
        }
    }
    let v = parse(raw).ok_or("invalid version in specifier")?;
    if v.local.is_some() && !matches!(op, Op::Eq | Op::Ne) {
        return Err("local versions are only allowed with == and !=");
    }
    if op == Op::Compatible && !v.release.contains('.') {
        return Err("~= needs at least two release segments");
    }
    spec.version = Some(v);
    Ok(spec)
}

impl Specifier<'_> {
    /// packaging's `Specifier.prereleases` (without an explicit override).
    fn names_prerelease(&self) -> bool {
        match self.op {
            Op::Ne => false,
            Op::Arbitrary => parse(self.raw).is_some_and(|v| v.is_prerelease()),
            _ => self.version.is_some_and(|v| v.is_prerelease()),
        }
    }

    fn contains(&self, v: &Parsed<'_>) -> bool {
        if self.op == Op::Arbitrary {
            return normalized_eq(v, self.raw);
        }
        let Some(spec) = self.version else {
            return false;
        };
        match self.op {
            Op::Eq => self.equal(v, &spec),
            Op::Ne => !self.equal(v, &spec),
            Op::Le => cmp_parsed(&v.public(), &spec) != Ordering::Greater,
            Op::Ge => cmp_parsed(&v.public(), &spec) != Ordering::Less,
            Op::Lt => less_than(v, &spec),
            Op::Gt => greater_than(v, &spec),
            Op::Compatible => {
                cmp_parsed(&v.public(), &spec) != Ordering::Less
                    && prefix_match(v, spec.epoch, release_without_last(spec.release))
            }
            Op::Arbitrary => false,
        }
    }

    fn equal(&self, v: &Parsed<'_>, spec: &Parsed<'_>) -> bool {
        if self.wildcard {
            prefix_match(v, spec.epoch, spec.release)
        } else if spec.local.is_none() {
            cmp_parsed(&v.public(), spec) == Ordering::Equal
        } else {
            cmp_parsed(v, spec) == Ordering::Equal
        }
    }
}

/// `<V`: below, and not a pre-release of `V` itself unless `V` is one.
fn less_than(v: &Parsed<'_>, spec: &Parsed<'_>) -> bool {
    cmp_parsed(v, spec) == Ordering::Less
        && !(!spec.is_prerelease() && v.is_prerelease() && same_base(v, spec))
}

/// `>V`: above, and neither a post-release of `V` (unless `V` is one) nor a local `V`.
fn greater_than(v: &Parsed<'_>, spec: &Parsed<'_>) -> bool {
    cmp_parsed(v, spec) == Ordering::Greater
        && !(!spec.is_postrelease() && v.is_postrelease() && same_base(v, spec))
        && !(v.local.is_some() && same_base(v, spec))
}

/// `==E!R.*`: same epoch, and `R` a prefix of the candidate's zero-padded release.
fn prefix_match(v: &Parsed<'_>, epoch: &str, release: &str) -> bool {
    if cmp_numeric(v.epoch, epoch) != Ordering::Equal {
        return false;
    }
    let mut ours = split_dots(v.release);
    split_dots(release).all(|seg| cmp_numeric(ours.next().unwrap_or(""), seg) == Ordering::Equal)
}

fn release_without_last(release: &str) -> &str {
    release.rsplit_once('.').map_or(release, |(head, _)| head)
}

/// `===`: the candidate's normalized form equals the operand, case-insensitively.
fn normalized_eq(v: &Parsed<'_>, raw: &str) -> bool {
    render(v) == raw.to_lowercase()
}

/// The normalized spelling of parsed parts.
fn render(p: &Parsed<'_>) -> String {
    let mut out = String::with_capacity(p.release.len() + 8);
    if !is_zero(p.epoch) {
        out.push_str(int_text(p.epoch));
        out.push('!');
    }
    for (i, seg) in p.release.split('.').enumerate() {
        if i > 0 {
            out.push('.');
        }
        out.push_str(int_text(seg));
    }
    if let Some((phase, n)) = p.pre {
        out.push_str(phase.label());
        out.push_str(int_text(n));
    }
    if let Some(n) = p.post {
        out.push_str(".post");
        out.push_str(int_text(n));
    }
    if let Some(n) = p.dev {
        out.push_str(".dev");
        out.push_str(int_text(n));
    }
    if let Some(local) = p.local {
        out.push('+');
        for (i, seg) in local.split(is_local_sep).enumerate() {
            if i > 0 {
                out.push('.');
            }
            if is_digits(seg) {
                out.push_str(int_text(seg));
            } else {
                out.push_str(&seg.to_ascii_lowercase());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::semver::fixture::{finish, json_str, load, ordering};
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn pep440_tsv() {
        let rows = load("pep440.tsv");
        let mut failures = Vec::new();
        for row in &rows {
            let expected = ordering(row, 2);
            match compare(row.col(0), row.col(1)) {
                Ok(got) if got == expected => {}
                got => failures.push(format!("line {}: {:?} -> {got:?}", row.line, row.text)),
            }
        }
        finish("pep440.tsv", rows.len(), &failures);
    }

    #[test]
    fn pep440_invalid_tsv() {
        let rows = load("pep440_invalid.tsv");
        let mut failures = Vec::new();
        for row in &rows {
            let Some(v) = json_str(row.col(0)) else {
                failures.push(format!("line {}: bad JSON", row.line));
                continue;
            };
            if validate(&v).is_ok() {
                failures.push(format!("line {}: {v:?} accepted", row.line));
            }
        }
        finish("pep440_invalid.tsv", rows.len(), &failures);
    }

    #[test]
    fn pep440_normalize_tsv() {
        let rows = load("pep440_normalize.tsv");
        let mut failures = Vec::new();
        for row in &rows {
            let Some(v) = json_str(row.col(0)) else {
                failures.push(format!("line {}: bad JSON", row.line));
                continue;
            };
            match normalize(&v) {
                Ok(got) if got == row.col(1) => {}
                got => failures.push(format!("line {}: {:?} -> {got:?}", row.line, row.text)),
            }
        }
        finish("pep440_normalize.tsv", rows.len(), &failures);
    }

    #[test]
    fn grammar_edges() {
        for ok in [
            "1.0a.",
            "1.0.post.",
            "1.0-dev-",
            "V1.0",
            "1!2.0",
            "1.0_RC_1",
            "1.0+a_b-c.1",
            "00!01.0",
            "1.0-r",
        ] {
            assert!(validate(ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "v", "1.", "1.0-", "1.0+", "1.0+a..b", "1!", "!1", "1.0a1b1", "1.0 a", "1.0.x",
            "1.0+Ⅻ",
        ] {
            assert!(validate(bad).is_err(), "{bad}");
        }
        assert_eq!(normalize("1.0-r").unwrap(), "1.0.post0");
        assert_eq!(normalize("00!01.0").unwrap(), "1.0");
        assert_eq!(
            normalize("1!0.0.post00.DEV00+Ubuntu-01").unwrap(),
            "1!0.0.post0.dev0+ubuntu.1"
        );
        assert_eq!(
            compare("1.0+ubuntu.1", "1.0+UBUNTU-01").unwrap(),
            Ordering::Equal
        );
        assert_eq!(
            compare("99999999999999999999999.0", "99999999999999999999998.9").unwrap(),
            Ordering::Greater
        );
    }

    #[test]
    fn specifiers() {
        let yes = |v: &str, r: &str| assert!(satisfies(v, r).unwrap(), "{v} in {r}");
        let no = |v: &str, r: &str| assert!(!satisfies(v, r).unwrap(), "{v} not in {r}");
        yes("1.4", ">=1.0,<2.0,!=1.5.*");
        no("1.5.2", ">=1.0,<2.0,!=1.5.*");
        yes("1.5", ">=1.0, <2.0, != 1.5.1");
        yes("2.2.5", "~=2.2");
        no("3.0", "~=2.2");
        yes("1.4.9", "~=1.4.5");
        no("1.5.0", "~=1.4.5");
        no("1.4.4", "~=1.4.5");
        yes("2.2.post4", "~=2.2.post3");
        yes("1.1", "==1.1.*");
        yes("1.1.0.post1", "==1.1.*");
        yes("1", "==1.0.*");
        no("1.10", "==1.1.*");
        yes("1.0+local", "==1.0");
        no("1.0+local", "==1.0+other");
        yes("1.0+local", "==1.0+LOCAL");
        yes("1.0+local", "<=1.0");
        no("1.0+local", ">1.0");
        no("1.0.post1", ">1.0");
        yes("1.0.post1", ">1.0.post0");
        yes("1.1", ">1.0");
        no("3.1.dev0", "<3.1");
        // Pre-releases only when the set names one.
        no("1.0a1", ">=0.9");
        no("1.0a1", ">=0.9,!=1.0b1");
        yes("1.0a1", ">=1.0a1");
        yes("1.0a1", ">=0.9,<=1.0rc1");
        yes("3.0.dev0", ">=3.0.dev0");
        yes("3.1a1", ">=3.0a1,<3.2");
        no("3.1a1", ">=3.0a1,<3.1");
        yes("1.0", "");
        no("1.0a1", "");
        yes("1.0", "===1.0");
        yes("v1.0", "===1.0");
        no("1.0.0", "===1.0");
        yes("1.0", "== 1.0");
        yes("1!1.0", "==1!1.*");
        no("1.0", "==1!1.*");
        for bad in [
            "=>1.0",
            "1.0",
            ">=1.0+local",
            "~=1",
            "==1.0a1.*",
            ">=1.0.*",
            "==",
            ">= 1.0 .*",
            "===a b",
        ] {
            assert!(satisfies("1.0", bad).is_err(), "{bad}");
        }
        assert!(satisfies("not a version", ">=1").is_err());
    }

    fn version() -> impl Strategy<Value = String> {
        let epoch = prop_oneof![Just(""), Just("1!")];
        let release = prop_oneof![
            Just("1"),
            Just("1.0"),
            Just("1.0.0"),
            Just("1.1"),
            Just("2"),
            Just("1.01")
        ];
        let pre = prop_oneof![
            Just(""),
            Just("a1"),
            Just("-alpha"),
            Just("b2"),
            Just(".rc1"),
            Just("c1"),
            Just("pre")
        ];
        let post = prop_oneof![
            Just(""),
            Just(".post1"),
            Just("-2"),
            Just("rev0"),
            Just(".post")
        ];
        let dev = prop_oneof![Just(""), Just(".dev0"), Just("dev1"), Just("-DEV")];
        let local = prop_oneof![
            Just(""),
            Just("+abc"),
            Just("+1"),
            Just("+1.abc"),
            Just("+abc.1"),
            Just("+01"),
            Just("+ABC-2")
        ];
        (epoch, release, pre, post, dev, local)
            .prop_map(|(e, r, a, b, c, d)| format!("{e}{r}{a}{b}{c}{d}"))
    }

    proptest! {
        #[test]
        fn total_order(a in version(), b in version(), c in version()) {
            super::super::semver::fixture::order_laws(compare, &a, &b, &c)?;
            // Normalization preserves the order.
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
            ("1.0a1", "1.0.dev456"),
            ("1!2.0.post1", "1!2.0.0+local.7"),
            ("2.31.0", "2.31.0rc1"),
        ];
        let r = super::super::semver::fixture::rate("pep440", &pairs, compare);
        assert!(r > 0.0);
    }
}
