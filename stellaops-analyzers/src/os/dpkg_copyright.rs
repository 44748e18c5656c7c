//! Debian `usr/share/doc/<pkg>/copyright` files in the machine-readable format
//! (copyright-format 1.0, "DEP-5").
//!
//! Only machine-readable files are read: the first paragraph must have a `Format:` field
//! naming the format. Licenses come from the synopsis (first line) of the `License:` field
//! of the header paragraph and of every `Files:` paragraph; standalone `License:`
//! paragraphs only carry license texts. Each synopsis becomes an SPDX expression when every
//! short name in it maps to an SPDX identifier through a fixed table (or already is one),
//! and is kept verbatim as a named license otherwise. Free-text copyright files give no
//! license at all: nothing is guessed from prose.
//!
//! Synopsis grammar (copyright-format 1.0, "License specification"): names are combined
//! with `or` and `and`, `and` binding tighter, except that an operator preceded by a comma
//! binds loosest (`A or B, and C` is `(A or B) and C`); `X with Y exception` adds an
//! exception. Names are case-insensitive.

use stellaops_core::fragment::CopyrightInfo;
use stellaops_core::license;
use stellaops_core::License;

use super::dpkg::{parse_deb822, Paragraph};

/// Reads one copyright file. Not machine-readable: `machine_readable: false` and no
/// licenses. Machine-readable: the distinct licenses of the header and `Files:`
/// paragraphs, in order of first appearance.
pub fn parse_copyright(bytes: &[u8]) -> CopyrightInfo {
    let text = String::from_utf8_lossy(bytes);
    let doc = parse_deb822(&text);
    let mut paragraphs = doc.paragraphs.iter();
    let Some(header) = paragraphs.next().filter(|p| is_format_header(p)) else {
        return CopyrightInfo {
            machine_readable: false,
            licenses: Vec::new(),
        };
    };
    let synopses = std::iter::once(header)
        .chain(paragraphs.filter(|p| p.get("Files").is_some()))
        .filter_map(|p| p.non_empty("License"));
    let mut licenses: Vec<License> = Vec::new();
    for synopsis in synopses {
        let license = synopsis_license(synopsis);
        if !licenses.contains(&license) {
            licenses.push(license);
        }
    }
    CopyrightInfo {
        machine_readable: true,
        licenses,
    }
}

/// Whether the paragraph has a `Format:` naming the machine-readable format.
fn is_format_header(paragraph: &Paragraph<'_>) -> bool {
    paragraph.get("Format").is_some_and(|format| {
        let format = format.to_ascii_lowercase();
        ["copyright-format", "dep5", "dep-5"]
            .iter()
            .any(|marker| format.contains(marker))
    })
}

/// One synopsis as a license: an SPDX expression when every name maps, else named.
fn synopsis_license(synopsis: &str) -> License {
    match to_spdx(synopsis) {
        Some(expression) if license::is_spdx_expression(&expression) => {
            License::Expression(expression)
        }
        _ => License::Named(synopsis.to_owned()),
    }
}

/// The SPDX expression for a synopsis, when it parses and every name maps.
fn to_spdx(synopsis: &str) -> Option<String> {
    let tokens = tokenize(synopsis);
    let node = parse_synopsis(&tokens)?;
    Some(node.render(None))
}

// ---------------------------------------------------------------------------------------
// Tokens and grammar
// ---------------------------------------------------------------------------------------

/// One lexical item of a synopsis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    /// A word (license name, `with`, exception name, `exception`).
    Word(&'a str),
    /// `or`.
    Or,
    /// `and`.
    And,
    /// `,`.
    Comma,
}

/// Words, operators and commas; trailing commas are dropped (`License: Zlib,`).
fn tokenize(synopsis: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    for word in synopsis.split_whitespace() {
        let bare = word.trim_end_matches(',');
        match bare {
            "" => {}
            _ if bare.eq_ignore_ascii_case("or") => tokens.push(Token::Or),
            _ if bare.eq_ignore_ascii_case("and") => tokens.push(Token::And),
            _ => tokens.push(Token::Word(bare)),
        }
        if bare.len() < word.len() {
            tokens.push(Token::Comma);
        }
    }
    while tokens.last() == Some(&Token::Comma) {
        tokens.pop();
    }
    tokens
}

/// A license expression tree.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    /// One SPDX license (possibly `X WITH Y`).
    Leaf(String),
    /// All of these.
    And(Vec<Node>),
    /// Any of these.
    Or(Vec<Node>),
}

/// Which operator a node is, for parenthesising.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    /// `AND`.
    And,
    /// `OR`.
    Or,
}

impl Node {
    /// `op` over `children`, flattening nested nodes of the same kind; one child is
    /// returned as is.
    fn join(op: Op, children: Vec<Node>) -> Node {
        let mut flat = Vec::with_capacity(children.len());
        for child in children {
            match (op, child) {
                (Op::And, Node::And(inner)) | (Op::Or, Node::Or(inner)) => flat.extend(inner),
                (_, child) => flat.push(child),
            }
        }
        if flat.len() == 1 {
            if let Some(only) = flat.pop() {
                return only;
            }
        }
        match op {
            Op::And => Node::And(flat),
            Op::Or => Node::Or(flat),
        }
    }

    /// SPDX text; a compound node inside a node of another kind is parenthesised.
    fn render(&self, parent: Option<Op>) -> String {
        let (op, children, word) = match self {
            Node::Leaf(id) => return id.clone(),
            Node::And(children) => (Op::And, children, " AND "),
            Node::Or(children) => (Op::Or, children, " OR "),
        };
        let inner = children
            .iter()
            .map(|child| child.render(Some(op)))
            .collect::<Vec<_>>()
            .join(word);
        match parent {
            Some(parent) if parent != op => format!("({inner})"),
            _ => inner,
        }
    }
}

/// synopsis := group ((`,` `or` | `,` `and`) group)*, left-associative and loosest.
fn parse_synopsis(tokens: &[Token<'_>]) -> Option<Node> {
    let mut result: Option<Node> = None;
    let mut pending: Option<Op> = None;
    let mut start = 0;
    let mut index = 0;
    while index <= tokens.len() {
        let op = match (tokens.get(index), tokens.get(index + 1)) {
            (Some(Token::Comma), Some(Token::Or)) => Some(Op::Or),
            (Some(Token::Comma), Some(Token::And)) => Some(Op::And),
            (None, _) => None,
            _ => {
                index += 1;
                continue;
            }
        };
        let group = parse_group(tokens.get(start..index)?)?;
        result = Some(match (result, pending) {
            (Some(left), Some(op)) => Node::join(op, vec![left, group]),
            _ => group,
        });
        pending = op;
        index += 2;
        start = index;
    }
    result
}

/// group := term (`or` term)*.
fn parse_group(tokens: &[Token<'_>]) -> Option<Node> {
    let terms = tokens
        .split(|t| *t == Token::Or)
        .map(parse_term)
        .collect::<Option<Vec<_>>>()?;
    Some(Node::join(Op::Or, terms))
}

/// term := operand (`and` operand)*.
fn parse_term(tokens: &[Token<'_>]) -> Option<Node> {
    let operands = tokens
        .split(|t| *t == Token::And)
        .map(parse_operand)
        .collect::<Option<Vec<_>>>()?;
    Some(Node::join(Op::And, operands))
}

/// operand := name | name `with` exception-name `exception`.
fn parse_operand(tokens: &[Token<'_>]) -> Option<Node> {
    match tokens {
        [Token::Word(name)] => map_name(name),
        [Token::Word(name), Token::Word(with), Token::Word(exception), Token::Word(suffix)]
            if with.eq_ignore_ascii_case("with") && suffix.eq_ignore_ascii_case("exception") =>
        {
            let Node::Leaf(id) = map_name(name)? else {
                return None;
            };
            Some(Node::Leaf(format!(
                "{id} WITH {}",
                spdx_exception(exception)?
            )))
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// Name mapping
// ---------------------------------------------------------------------------------------

/// Debian short names whose SPDX identifier differs and cannot be derived by rule.
const DEBIAN_NAMES: [(&str, &str); 5] = [
    ("Expat", "MIT"),
    ("Artistic", "Artistic-1.0"),
    ("Artistic-1", "Artistic-1.0"),
    ("Zope-2.1", "ZPL-2.1"),
    ("Zope-2.0", "ZPL-2.0"),
];

/// GNU families whose SPDX ids carry `-only`/`-or-later`: (Debian prefix, SPDX prefix,
/// SPDX suffix before `-only`/`-or-later`).
const GNU_FAMILIES: [(&str, &str, &str); 5] = [
    ("GPL-", "GPL-", ""),
    ("LGPL-", "LGPL-", ""),
    ("AGPL-", "AGPL-", ""),
    ("GFDL-NIV-", "GFDL-", "-no-invariants"),
    ("GFDL-", "GFDL-", ""),
];

/// The SPDX expression for one Debian license short name, if it has a definite one.
fn map_name(name: &str) -> Option<Node> {
    if name.eq_ignore_ascii_case("Perl") {
        // Debian's `Perl`: "Artistic or GPL-1+", the terms Perl itself is under.
        return Some(Node::Or(vec![
            Node::Leaf("Artistic-1.0-Perl".to_owned()),
            Node::Leaf("GPL-1.0-or-later".to_owned()),
        ]));
    }
    if let Some((_, id)) = DEBIAN_NAMES
        .iter()
        .find(|(debian, _)| debian.eq_ignore_ascii_case(name))
    {
        return Some(Node::Leaf((*id).to_owned()));
    }
    gnu_license(name)
        .or_else(|| spdx_license(name))
        .map(Node::Leaf)
}

/// `GPL-2` -> `GPL-2.0-only`, `GPL-2+`/`GPL-2.0+` -> `GPL-2.0-or-later`, likewise for
/// LGPL, AGPL, GFDL and GFDL-NIV (`-no-invariants`).
fn gnu_license(name: &str) -> Option<String> {
    let (body, or_later) = match name.strip_suffix('+') {
        Some(body) => (body, true),
        None => (name, false),
    };
    let (spdx_prefix, spdx_suffix, version) =
        GNU_FAMILIES.iter().find_map(|(debian, prefix, suffix)| {
            let head = body.get(..debian.len())?;
            let version = body.get(debian.len()..)?;
            head.eq_ignore_ascii_case(debian)
                .then_some((*prefix, *suffix, version))
        })?;
    let version = normalize_version(version)?;
    let tail = if or_later { "-or-later" } else { "-only" };
    let candidate = format!("{spdx_prefix}{version}{spdx_suffix}{tail}");
    current_license_id(&candidate)
}

/// A numeric version with a minor part: `2` -> `2.0`, `2.1` stays; `None` otherwise.
fn normalize_version(version: &str) -> Option<String> {
    let numeric = !version.is_empty()
        && version
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    if !numeric {
        return None;
    }
    Some(if version.contains('.') {
        version.to_owned()
    } else {
        format!("{version}.0")
    })
}

/// A name that already is an SPDX identifier (case-insensitively, as SPDX matches ids),
/// also with a bare major version (`MPL-2` -> `MPL-2.0`) and an optional `+`.
fn spdx_license(name: &str) -> Option<String> {
    let (body, plus) = match name.strip_suffix('+') {
        Some(body) => (body, "+"),
        None => (name, ""),
    };
    let id = current_license_id(body).or_else(|| {
        let (base, major) = body.rsplit_once('-')?;
        let version = normalize_version(major).filter(|_| !major.contains('.'))?;
        current_license_id(&format!("{base}-{version}"))
    })?;
    Some(format!("{id}{plus}"))
}

/// The canonical spelling of a non-deprecated SPDX license id matching `name`
/// case-insensitively.
fn current_license_id(name: &str) -> Option<String> {
    spdx::identifiers::LICENSES
        .iter()
        .find(|l| l.name.eq_ignore_ascii_case(name))
        .and_then(|l| spdx::license_id(l.name))
        .filter(|id| !id.is_deprecated())
        .map(|id| id.name.to_owned())
}

/// The SPDX exception id for the `Y` of `with Y exception`: `Y-exception`, else `Y`
/// itself, when the SPDX list has it (case-insensitively) and it is not deprecated.
fn spdx_exception(name: &str) -> Option<String> {
    [format!("{name}-exception"), name.to_owned()]
        .iter()
        .find_map(|candidate| {
            spdx::identifiers::EXCEPTIONS
                .iter()
                .find(|e| e.name.eq_ignore_ascii_case(candidate))
                .and_then(|e| spdx::exception_id(e.name))
        })
        .filter(|id| !id.is_deprecated())
        .map(|id| id.name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Test-only: reads a shared fixture (the library itself never touches the file system).
    fn fixture(rel: &str) -> Vec<u8> {
        stellaops_testkit::fixture(&format!("os-package-db/{rel}"))
    }

    /// `E:` prefix for an expression, anything else named.
    fn lic(s: &str) -> License {
        match s.strip_prefix("E:") {
            Some(e) => License::Expression(e.to_owned()),
            None => License::Named(s.to_owned()),
        }
    }

    /// Parses `bytes` and compares with (machine-readable, licenses).
    fn check(label: &str, bytes: &[u8], machine_readable: bool, licenses: &[&str]) {
        let got = parse_copyright(bytes);
        let expected = CopyrightInfo {
            machine_readable,
            licenses: licenses.iter().map(|s| lic(s)).collect(),
        };
        assert_eq!(got, expected, "{label}");
    }

    /// A machine-readable file with one `Files: *` paragraph under `synopsis`.
    fn check_synopsis(synopsis: &str, expected: &str) {
        let text = format!(
            "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n\
             Files: *\nCopyright: someone\nLicense: {synopsis}\n text\n"
        );
        check(synopsis, text.as_bytes(), true, &[expected]);
    }

    const FORMAT: &str =
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/";

    #[test]
    fn syft_fixtures() {
        check(
            "libaudit-common",
            &fixture("syft/debian/copyright/libaudit-common"),
            true,
            &["E:GPL-2.0-only", "E:LGPL-2.1-only"],
        );
        check(
            "image-dpkg libpam-runtime",
            &fixture("syft/debian/image-dpkg/usr/share/doc/libpam-runtime/copyright"),
            true,
            &["E:GPL-2.0-only", "E:LGPL-2.1-only"],
        );
        check(
            "distroless libsqlite3-0",
            &fixture("syft/debian/image-distroless-deb/usr/share/doc/libsqlite3-0/copyright"),
            true,
            &["public-domain", "E:GPL-2.0-or-later"],
        );
        // No Format header: not machine-readable (syft's own test expects nil too).
        for name in ["trilicense", "cuda", "dev-kit", "microsoft"] {
            let bytes = fixture(&format!("syft/debian/copyright/{name}"));
            check(name, &bytes, false, &[]);
        }
    }

    #[test]
    fn trivy_fixtures() {
        check(
            "license-pattern-and-classifier",
            &fixture("trivy/dpkg/copyright/license-pattern-and-classifier-copyright"),
            true,
            &["GPL-1+ or Artistic, and BSD-4-clause-POWERDOG", "E:Zlib"],
        );
        for name in [
            "all-patterns-copyright",
            "common-license-copyright",
            "no-license-copyright",
        ] {
            let bytes = fixture(&format!("trivy/dpkg/copyright/{name}"));
            check(name, &bytes, false, &[]);
        }
    }

    #[test]
    fn trilicense_with_format_header() {
        let body = fixture("syft/debian/copyright/trilicense");
        let mut text = format!("{FORMAT}\n\n").into_bytes();
        text.extend_from_slice(&body);
        check(
            "trilicense + Format",
            &text,
            true,
            &["E:MPL-1.1 OR GPL-2.0-only OR LGPL-2.1-only"],
        );
    }

    #[test]
    fn synopses() {
        let cases = [
            ("GPL-2", "E:GPL-2.0-only"),
            ("GPL-2+", "E:GPL-2.0-or-later"),
            ("GPL-2.0+", "E:GPL-2.0-or-later"),
            ("GPL-2.0", "E:GPL-2.0-only"),
            ("gpl-3+", "E:GPL-3.0-or-later"),
            ("GPL-1", "E:GPL-1.0-only"),
            ("LGPL-2", "E:LGPL-2.0-only"),
            ("LGPL-2.1+", "E:LGPL-2.1-or-later"),
            ("LGPL-3", "E:LGPL-3.0-only"),
            ("AGPL-3+", "E:AGPL-3.0-or-later"),
            ("GFDL-1.2", "E:GFDL-1.2-only"),
            ("GFDL-1.3+", "E:GFDL-1.3-or-later"),
            ("GFDL-NIV-1.3+", "E:GFDL-1.3-no-invariants-or-later"),
            ("GPL-2.0-only", "E:GPL-2.0-only"),
            ("Apache-2.0", "E:Apache-2.0"),
            ("Apache-2", "E:Apache-2.0"),
            ("Artistic", "E:Artistic-1.0"),
            ("Artistic-1", "E:Artistic-1.0"),
            ("Artistic-2.0", "E:Artistic-2.0"),
            ("BSD-2-clause", "E:BSD-2-Clause"),
            ("BSD-3-clause", "E:BSD-3-Clause"),
            ("BSD-4-clause", "E:BSD-4-Clause"),
            ("Expat", "E:MIT"),
            ("MIT", "E:MIT"),
            ("ISC", "E:ISC"),
            ("Zlib", "E:Zlib"),
            ("zlib", "E:Zlib"),
            ("MPL-1.1", "E:MPL-1.1"),
            ("MPL-2.0", "E:MPL-2.0"),
            ("CC0-1.0", "E:CC0-1.0"),
            ("CC-BY-3.0", "E:CC-BY-3.0"),
            ("CC-BY-SA-4.0", "E:CC-BY-SA-4.0"),
            ("Perl", "E:Artistic-1.0-Perl OR GPL-1.0-or-later"),
            ("Python-2.0", "E:Python-2.0"),
            ("PSF-2.0", "E:PSF-2.0"),
            ("X11", "E:X11"),
            ("OpenSSL", "E:OpenSSL"),
            ("curl", "E:curl"),
            ("Zope-2.1", "E:ZPL-2.1"),
            (
                "MPL-1.1 or GPL-2 or LGPL-2.1",
                "E:MPL-1.1 OR GPL-2.0-only OR LGPL-2.1-only",
            ),
            (
                "GPL-2+ and BSD-3-clause",
                "E:GPL-2.0-or-later AND BSD-3-Clause",
            ),
            ("GPL-2+ OR Expat", "E:GPL-2.0-or-later OR MIT"),
            (
                "GPL-2+ or MIT and ISC",
                "E:GPL-2.0-or-later OR (MIT AND ISC)",
            ),
            (
                "GPL-2+ or MIT, and ISC",
                "E:(GPL-2.0-or-later OR MIT) AND ISC",
            ),
            (
                "GPL-2+ and MIT, or ISC",
                "E:(GPL-2.0-or-later AND MIT) OR ISC",
            ),
            (
                "Perl and MIT",
                "E:(Artistic-1.0-Perl OR GPL-1.0-or-later) AND MIT",
            ),
            (
                "Perl or MIT",
                "E:Artistic-1.0-Perl OR GPL-1.0-or-later OR MIT",
            ),
            (
                "GPL-2+ with Libtool exception",
                "E:GPL-2.0-or-later WITH Libtool-exception",
            ),
            (
                "GPL-2 with LLVM exception",
                "E:GPL-2.0-only WITH LLVM-exception",
            ),
            (
                "GPL-3+ with GCC-exception-3.1 exception",
                "E:GPL-3.0-or-later WITH GCC-exception-3.1",
            ),
            ("Zlib,", "E:Zlib"),
            // Not mapped: kept verbatim.
            (
                "GPL-2+ with OpenSSL exception",
                "GPL-2+ with OpenSSL exception",
            ),
            ("GPL-2+ with Font exception", "GPL-2+ with Font exception"),
            ("Perl with Libtool exception", "Perl with Libtool exception"),
            ("public-domain", "public-domain"),
            ("other", "other"),
            ("GPL", "GPL"),
            ("GPL-2.1", "GPL-2.1"),
            ("GPLv2+", "GPLv2+"),
            ("BSD", "BSD"),
            ("BSD-2-clause-FreeBSD", "BSD-2-clause-FreeBSD"),
            ("GPL-2+ or public-domain", "GPL-2+ or public-domain"),
            ("MIT, BSD-3-clause", "MIT, BSD-3-clause"),
            ("MIT or", "MIT or"),
            ("and MIT", "and MIT"),
            ("MIT, or", "MIT, or"),
            ("MIT BSD", "MIT BSD"),
            ("GPL-2+ with", "GPL-2+ with"),
        ];
        for (synopsis, expected) in cases {
            check_synopsis(synopsis, expected);
        }
    }

    #[test]
    fn format_header_detection() {
        check(
            "dep5 draft URL",
            b"Format-Specification: x\nFormat: http://dep.debian.net/deps/dep5\nLicense: MIT\n",
            true,
            &["E:MIT"],
        );
        check(
            "DEP-5 spelled out, blank lines first",
            b"\n\nFormat: DEP-5\nLicense: GPL-2\n\nLicense: MIT\n text\n",
            true,
            &["E:GPL-2.0-only"],
        );
        check(
            "Format in a later paragraph",
            b"Comment: x\n\nFormat: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n",
            false,
            &[],
        );
        check(
            "other Format",
            b"Format: something else\nLicense: MIT\n",
            false,
            &[],
        );
        check(
            "header without License, Files without License, empty synopsis",
            format!("{FORMAT}\n\nFiles: *\nCopyright: x\n\nFiles: a\nLicense:\n text\n").as_bytes(),
            true,
            &[],
        );
    }

    #[test]
    fn edge_inputs() {
        check("empty", b"", false, &[]);
        check("blank lines", b"\n \n\t\n", false, &[]);
        check("garbage", b"\x00\xff\xfe garbage\n::::\n", false, &[]);
        check(
            "invalid utf-8 in a synopsis",
            format!("{FORMAT}\nLicense: MIT\n\nFiles: *\nLicense: caf\u{e9}\n")
                .replace('\u{e9}', "\u{fffd}")
                .as_bytes(),
            true,
            &["E:MIT", "caf\u{fffd}"],
        );
        let mut raw = format!("{FORMAT}\n\nFiles: *\nLicense: caf").into_bytes();
        raw.extend_from_slice(b"\xe9\n");
        check("raw invalid utf-8", &raw, true, &["caf\u{fffd}"]);
        let long = format!("{FORMAT}\n\nFiles: *\nLicense: {}\n", "x".repeat(1 << 20));
        let got = parse_copyright(long.as_bytes());
        assert!(matches!(got.licenses.as_slice(), [License::Named(n)] if n.len() == 1 << 20));
        let garbage = vec![b'q'; 1 << 20];
        check("megabyte garbage", &garbage, false, &[]);
    }
}
