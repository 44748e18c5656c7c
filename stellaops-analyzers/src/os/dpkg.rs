//! Debian `dpkg` database: the `status` file (and each distroless `status.d/<pkg>` file),
//! `info/<pkg>.list` file lists and `<pkg>.md5sums` files.
//!
//! The status file is a sequence of deb822 stanzas (paragraphs separated by blank lines,
//! `Name: value` fields, continuation lines starting with a space or tab, field names
//! case-insensitive). Each stanza whose `Status` says the package is installed (or that has
//! no `Status`, as in `status.d/`) becomes one [`Package`]; a stanza without `Package` or
//! `Version`, or with a `Version` that is not valid Debian version syntax, is skipped with a
//! warning naming its line. The deb822 reader here is shared with
//! [`super::dpkg_copyright`].

use std::borrow::Cow;
use std::collections::HashSet;

use stellaops_core::{Diagnostic, Package, PackageKind};

use super::DbScan;

/// At most this many malformed lines are reported one by one; the rest are summarised.
const MAX_LINE_WARNINGS: usize = 20;

/// Reads a dpkg `status` file (or one `status.d/<pkg>` file) into installed packages.
///
/// Packages come out in file order. Invalid UTF-8 is decoded lossily with one warning; a
/// malformed line is reported and the rest of its stanza kept; a stanza without
/// `Package`/`Version` (or with an unparsable `Version` or `Status`) is reported and
/// skipped; a stanza whose `Status` is not `<want> <flag> installed` (removed packages,
/// `config-files`, `half-installed`, ...) is skipped silently.
pub fn parse_status(bytes: &[u8]) -> DbScan {
    let (text, bad_utf8_line) = decode(bytes);
    let doc = parse_deb822(&text);
    let mut warnings: Vec<(usize, String)> = Vec::new();
    if let Some(line) = bad_utf8_line {
        warnings.push((line, invalid_utf8_message(line)));
    }
    warnings.extend(malformed_line_warnings(&doc.malformed));
    let mut packages = Vec::new();
    for paragraph in &doc.paragraphs {
        match stanza_package(paragraph) {
            Ok(Some(package)) => packages.push(package),
            Ok(None) => {}
            Err(message) => warnings.push((paragraph.line, message)),
        }
    }
    DbScan {
        packages,
        diagnostics: into_diagnostics(warnings),
    }
}

/// Reads an `info/<pkg>.list` file: every path line (directories included), deduplicated
/// in order of first appearance. Blank lines and the `/.` root entry are skipped; a
/// relative line is made absolute.
pub fn parse_file_list(bytes: &[u8]) -> Vec<String> {
    let (text, _) = decode(bytes);
    let paths = lines(&text)
        .map(|(_, line)| line)
        .filter(|line| !line.trim().is_empty() && *line != "/.")
        .map(absolute);
    dedup_in_order(paths)
}

/// Reads a `<pkg>.md5sums` file (`<md5>  <path>` lines, path relative to the root) into
/// absolute paths, in file order, deduplicated. Paths may contain spaces; the binary-mode
/// separator (`<md5> *<path>`) is accepted too. Lines that do not start with an MD5 digest
/// are ignored.
pub fn parse_md5sums(bytes: &[u8]) -> Vec<String> {
    let (text, _) = decode(bytes);
    let paths = lines(&text)
        .filter_map(|(_, line)| md5sums_path(line))
        .map(absolute);
    dedup_in_order(paths)
}

// ---------------------------------------------------------------------------------------
// Stanza -> Package
// ---------------------------------------------------------------------------------------

/// The installed package a stanza describes: `Ok(None)` when the stanza is a package that is
/// not installed, `Err` (a warning message) when it cannot be used.
fn stanza_package(paragraph: &Paragraph<'_>) -> Result<Option<Package>, String> {
    let line = paragraph.line;
    let (Some(name), Some(version)) = (
        paragraph.non_empty("Package"),
        paragraph.non_empty("Version"),
    ) else {
        return Err(format!(
            "stanza at line {line} has no Package/Version field"
        ));
    };
    if let Some(status) = paragraph.get("Status") {
        match status_is_installed(status) {
            Some(true) => {}
            Some(false) => return Ok(None),
            None => {
                return Err(format!(
                    "stanza at line {line} (package {name}) has a malformed Status field {status:?}"
                ))
            }
        }
    }
    if !is_valid_deb_version(version) {
        return Err(format!(
            "stanza at line {line} (package {name}) has an invalid Version {version:?}"
        ));
    }
    Ok(Some(build_package(paragraph, name, version)))
}

/// `Some(true)` when the third word of `Status` (`want flag status`) is `installed`,
/// `Some(false)` for any other state, `None` when the field is not three words.
fn status_is_installed(status: &str) -> Option<bool> {
    let words: Vec<&str> = status.split_whitespace().collect();
    match words.as_slice() {
        [_, _, state] => Some(*state == "installed"),
        _ => None,
    }
}

/// The package with every optional field the stanza has.
fn build_package(paragraph: &Paragraph<'_>, name: &str, version: &str) -> Package {
    let mut package = Package::new(PackageKind::Deb, name, version);
    package.arch = paragraph.non_empty("Architecture").map(str::to_owned);
    match paragraph.non_empty("Source").and_then(parse_source) {
        Some((source_name, source_version)) => {
            package.source_name = Some(source_name.to_owned());
            package.source_version = source_version.map(str::to_owned);
        }
        None => package.source_name = Some(name.to_owned()),
    }
    package.supplier = paragraph.non_empty("Maintainer").map(str::to_owned);
    package.description = paragraph.non_empty("Description").map(str::to_owned);
    let properties = [
        ("Installed-Size", "deb:installedSize"),
        ("Multi-Arch", "deb:multiArch"),
    ];
    for (field, key) in properties {
        if let Some(value) = paragraph.non_empty(field) {
            package.properties.insert(key.to_owned(), value.to_owned());
        }
    }
    package
}

/// `Source: name` or `Source: name (version)` as (name, version).
fn parse_source(value: &str) -> Option<(&str, Option<&str>)> {
    let value = value.trim();
    match value.split_once(char::is_whitespace) {
        None if value.is_empty() => None,
        None => Some((value, None)),
        Some((name, rest)) => {
            let version = rest
                .trim()
                .strip_prefix('(')
                .and_then(|r| r.strip_suffix(')'))
                .map(str::trim)
                .filter(|v| !v.is_empty());
            Some((name, version))
        }
    }
}

/// Whether `version` follows deb-version(7) syntax: `[epoch:]upstream[-revision]` with a
/// numeric epoch, a non-empty upstream part of alphanumerics and `.+~-`, and a non-empty
/// revision of alphanumerics and `.+~`. (A leading non-digit, which dpkg only warns about,
/// is accepted.)
fn is_valid_deb_version(version: &str) -> bool {
    let (epoch, rest) = match version.split_once(':') {
        Some((epoch, rest)) => (Some(epoch), rest),
        None => (None, version),
    };
    if let Some(epoch) = epoch {
        if epoch.is_empty() || !epoch.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    let (upstream, revision) = match rest.rsplit_once('-') {
        Some((upstream, revision)) => (upstream, Some(revision)),
        None => (rest, None),
    };
    let upstream_ok = !upstream.is_empty()
        && upstream
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".+~-".contains(&b));
    let revision_ok = revision.is_none_or(|r| {
        !r.is_empty()
            && r.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".+~".contains(&b))
    });
    upstream_ok && revision_ok
}

/// The path part of one md5sums line, when the line starts with an MD5 digest.
fn md5sums_path(line: &str) -> Option<&str> {
    let (digest, rest) = line.split_once([' ', '\t'])?;
    if digest.len() != 32 || !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let path = rest
        .strip_prefix(' ')
        .or_else(|| rest.strip_prefix('*'))
        .unwrap_or(rest);
    (!path.trim().is_empty()).then_some(path)
}

/// `path` with exactly one leading `/`.
fn absolute(path: &str) -> String {
    format!("/{}", path.trim_start_matches('/'))
}

/// Items in order of first appearance, duplicates dropped.
fn dedup_in_order(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = HashSet::new();
    items.filter(|item| seen.insert(item.clone())).collect()
}

// ---------------------------------------------------------------------------------------
// Decoding and diagnostics
// ---------------------------------------------------------------------------------------

/// `bytes` as text (lossy), plus the 1-based line of the first invalid UTF-8 sequence.
fn decode(bytes: &[u8]) -> (Cow<'_, str>, Option<usize>) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), None),
        Err(error) => {
            let valid = bytes.get(..error.valid_up_to()).unwrap_or_default();
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            (String::from_utf8_lossy(bytes), Some(line))
        }
    }
}

/// The warning text for invalid UTF-8 first met at `line`.
fn invalid_utf8_message(line: usize) -> String {
    format!("invalid UTF-8 at line {line}; the file was decoded lossily")
}

/// One warning per malformed line, up to [`MAX_LINE_WARNINGS`], then one summary.
fn malformed_line_warnings(malformed: &[usize]) -> Vec<(usize, String)> {
    let mut warnings: Vec<(usize, String)> = malformed
        .iter()
        .take(MAX_LINE_WARNINGS)
        .map(|&line| {
            let message = format!("line {line} is neither a field nor a continuation line");
            (line, message)
        })
        .collect();
    if let Some(&first_unreported) = malformed.get(MAX_LINE_WARNINGS) {
        let more = malformed.len() - MAX_LINE_WARNINGS;
        let message =
            format!("{more} more malformed lines from line {first_unreported} on were ignored");
        warnings.push((first_unreported, message));
    }
    warnings
}

/// Warnings sorted by line (stable), as diagnostics without a path (the caller knows it).
fn into_diagnostics(mut warnings: Vec<(usize, String)>) -> Vec<Diagnostic> {
    warnings.sort_by_key(|(line, _)| *line);
    warnings
        .into_iter()
        .map(|(_, message)| Diagnostic::warning(None::<String>, message))
        .collect()
}

// ---------------------------------------------------------------------------------------
// deb822 reader
// ---------------------------------------------------------------------------------------

/// One `Name: value` field; `value` is the first line, trimmed (continuation lines are
/// consumed but not kept: nothing read here needs them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Field<'a> {
    /// Field name as written.
    pub(super) name: &'a str,
    /// First-line value, trimmed.
    pub(super) value: &'a str,
}

/// One deb822 paragraph (stanza).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Paragraph<'a> {
    /// 1-based line of the paragraph's first line.
    pub(super) line: usize,
    /// Fields in order.
    pub(super) fields: Vec<Field<'a>>,
}

impl<'a> Paragraph<'a> {
    /// First-line value of the first field called `name` (case-insensitive).
    pub(super) fn get(&self, name: &str) -> Option<&'a str> {
        self.fields
            .iter()
            .find(|field| field.name.eq_ignore_ascii_case(name))
            .map(|field| field.value)
    }

    /// Like [`Paragraph::get`], but an empty value counts as absent.
    pub(super) fn non_empty(&self, name: &str) -> Option<&'a str> {
        self.get(name).filter(|value| !value.is_empty())
    }
}

/// A parsed deb822 document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Deb822<'a> {
    /// Paragraphs with at least one field, in order.
    pub(super) paragraphs: Vec<Paragraph<'a>>,
    /// 1-based numbers of lines that are neither a field nor a continuation of one.
    pub(super) malformed: Vec<usize>,
}

/// Lines of `text` with their 1-based numbers, `\r\n` endings accepted.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .enumerate()
        .map(|(index, line)| (index + 1, line))
}

/// Splits `text` into paragraphs. Lines holding only spaces/tabs separate paragraphs (as
/// Debian policy allows parsers to accept).
pub(super) fn parse_deb822(text: &str) -> Deb822<'_> {
    let mut doc = Deb822::default();
    let mut current: Option<Paragraph<'_>> = None;
    for (number, line) in lines(text) {
        if line.trim().is_empty() {
            finish_paragraph(&mut doc, current.take());
            continue;
        }
        let paragraph = current.get_or_insert_with(|| Paragraph {
            line: number,
            fields: Vec::new(),
        });
        if line.starts_with([' ', '\t']) {
            if paragraph.fields.is_empty() {
                doc.malformed.push(number);
            }
        } else if let Some(field) = parse_field(line) {
            paragraph.fields.push(field);
        } else {
            doc.malformed.push(number);
        }
    }
    finish_paragraph(&mut doc, current);
    doc
}

/// Keeps `paragraph` when it has fields.
fn finish_paragraph<'a>(doc: &mut Deb822<'a>, paragraph: Option<Paragraph<'a>>) {
    if let Some(paragraph) = paragraph.filter(|p| !p.fields.is_empty()) {
        doc.paragraphs.push(paragraph);
    }
}

/// `Name: value`, where the name is non-empty, has no whitespace and does not start with
/// `#` or `-`.
fn parse_field(line: &str) -> Option<Field<'_>> {
    let (name, value) = line.split_once(':')?;
    let valid_name = !name.is_empty()
        && !name.starts_with(['#', '-'])
        && !name.chars().any(|c| c.is_whitespace() || c.is_control());
    valid_name.then(|| Field {
        name,
        value: value.trim(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Test-only: reads a shared fixture (the library itself never touches the file system).
    fn fixture(rel: &str) -> Vec<u8> {
        stellaops_testkit::fixture(&format!("os-package-db/{rel}"))
    }

    /// Expected facts about one package of a scan.
    struct Spot {
        name: &'static str,
        version: &'static str,
        arch: Option<&'static str>,
        source: Option<&'static str>,
        source_version: Option<&'static str>,
    }

    const fn spot(
        name: &'static str,
        version: &'static str,
        arch: Option<&'static str>,
        source: Option<&'static str>,
        source_version: Option<&'static str>,
    ) -> Spot {
        Spot {
            name,
            version,
            arch,
            source,
            source_version,
        }
    }

    /// Parses `bytes` and checks counts, diagnostics (substrings, in order) and spot values.
    fn check(label: &str, bytes: &[u8], packages: usize, warnings: &[&str], spots: &[Spot]) {
        let scan = parse_status(bytes);
        let names: Vec<&str> = scan.packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(scan.packages.len(), packages, "{label}: packages {names:?}");
        let messages: Vec<&str> = scan
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(messages.len(), warnings.len(), "{label}: {messages:?}");
        for (message, expected) in messages.iter().zip(warnings) {
            assert!(
                message.contains(expected),
                "{label}: {message:?} lacks {expected:?}"
            );
        }
        for d in &scan.diagnostics {
            assert_eq!(
                d.severity,
                stellaops_core::model::Severity::Warning,
                "{label}"
            );
        }
        for s in spots {
            let p = scan
                .packages
                .iter()
                .find(|p| p.name == s.name)
                .unwrap_or_else(|| panic!("{label}: no package {}", s.name));
            assert_eq!(p.kind, PackageKind::Deb, "{label}");
            assert_eq!(p.version, s.version, "{label}: {} version", s.name);
            assert_eq!(p.arch.as_deref(), s.arch, "{label}: {} arch", s.name);
            assert_eq!(
                p.source_name.as_deref(),
                s.source,
                "{label}: {} source",
                s.name
            );
            assert_eq!(
                p.source_version.as_deref(),
                s.source_version,
                "{label}: {} source version",
                s.name
            );
        }
    }

    const NO_PV: &str = "has no Package/Version field";

    #[test]
    fn syft_status_fixtures() {
        check(
            "image-dpkg status",
            &fixture("syft/debian/image-dpkg/var/lib/dpkg/status"),
            1,
            &["stanza at line 1 has no Package/Version field"],
            &[spot(
                "libpam-runtime",
                "1.1.8-3.6",
                Some("all"),
                Some("pam"),
                None,
            )],
        );
        check(
            "distroless libsqlite3-0",
            &fixture("syft/debian/image-distroless-deb/var/lib/dpkg/status.d/libsqlite3-0"),
            1,
            &[],
            &[spot(
                "libsqlite3-0",
                "3.34.1-3",
                Some("arm64"),
                Some("sqlite3"),
                None,
            )],
        );
        check(
            "status.d/coreutils-relationships",
            &fixture("syft/debian/status.d/coreutils-relationships"),
            9,
            &[],
            &[
                spot("coreutils", "9.1-1", Some("arm64"), Some("coreutils"), None),
                spot("libattr1", "1:2.5.1-4", Some("arm64"), Some("attr"), None),
                spot(
                    "libgmp10",
                    "2:6.2.1+dfsg1-1.1",
                    Some("arm64"),
                    Some("gmp"),
                    None,
                ),
                spot(
                    "libpcre2-8-0",
                    "10.42-1",
                    Some("arm64"),
                    Some("pcre2"),
                    None,
                ),
            ],
        );
        check(
            "status.d/doc-examples",
            &fixture("syft/debian/status.d/doc-examples"),
            5,
            &[NO_PV; 11],
            &[
                spot("mutt", "1.3.17-1", None, Some("mutt"), None),
                spot("made-up-package-1", "1.0.0", None, Some("glibc"), None),
                spot(
                    "made-up-package-4",
                    "3.0.0",
                    None,
                    Some("made-up-package-4"),
                    None,
                ),
            ],
        );
        check(
            "status.d/empty",
            &fixture("syft/debian/status.d/empty"),
            0,
            &["stanza at line 1 has no Package/Version field"],
            &[],
        );
        check(
            "status.d/libpam-runtime",
            &fixture("syft/debian/status.d/libpam-runtime"),
            1,
            &[NO_PV; 5],
            &[spot(
                "libpam-runtime",
                "1.5.2-6+deb12u1",
                Some("all"),
                Some("pam"),
                None,
            )],
        );
        check(
            "status.d/multiple",
            &fixture("syft/debian/status.d/multiple"),
            2,
            &["stanza at line 1 has", "stanza at line 3 has"],
            &[
                spot(
                    "tzdata",
                    "2020a-0+deb10u1",
                    Some("all"),
                    Some("tzdata-dev"),
                    None,
                ),
                spot(
                    "util-linux",
                    "2.33.1-0.1",
                    Some("amd64"),
                    Some("util-linux"),
                    None,
                ),
            ],
        );
        check(
            "status.d/single",
            &fixture("syft/debian/status.d/single"),
            1,
            &[],
            &[spot("apt", "1.8.2", Some("amd64"), Some("apt-dev"), None)],
        );
        check(
            "opkg status",
            &fixture("syft/debian/opkg/status"),
            3,
            &[],
            &[
                spot(
                    "dropbear",
                    "2024.85-r0",
                    Some("x86_64"),
                    Some("dropbear"),
                    None,
                ),
                spot(
                    "kernel-modules",
                    "6.6.0-r0",
                    Some("x86_64"),
                    Some("kernel-modules"),
                    None,
                ),
            ],
        );
    }

    #[test]
    fn trivy_status_fixtures() {
        check(
            "trivy valid",
            &fixture("trivy/dpkg/valid/var/lib/dpkg/status"),
            90,
            &[],
            &[
                spot(
                    "fdisk",
                    "2.31.1-0.4ubuntu3.1",
                    Some("amd64"),
                    Some("util-linux"),
                    None,
                ),
                spot(
                    "debianutils",
                    "4.8.4",
                    Some("amd64"),
                    Some("debianutils"),
                    None,
                ),
                spot(
                    "liblzma5",
                    "5.1.1alpha+20120614-2+b3",
                    Some("amd64"),
                    Some("xz-utils"),
                    Some("5.1.1alpha+20120614-2"),
                ),
                spot(
                    "libustr-1.0-1",
                    "1.0.4-3+b2",
                    Some("amd64"),
                    Some("ustr"),
                    Some("1.0.4-3"),
                ),
            ],
        );
        check(
            "trivy corrupsed",
            &fixture("trivy/dpkg/corrupsed/var/lib/dpkg/status"),
            4,
            &[
                "stanza at line 63 has no Package/Version field",
                "stanza at line 85 (package invalidpkg) has an invalid Version \"1:5.#\"",
            ],
            &[
                spot(
                    "libpam-runtime",
                    "1.1.8-3.1ubuntu3",
                    Some("all"),
                    Some("pam"),
                    None,
                ),
                spot(
                    "libpam-modules-bin",
                    "1.1.8-3.1ubuntu3",
                    Some("amd64"),
                    Some("pam"),
                    None,
                ),
                spot(
                    "makedev",
                    "2.3.1-93ubuntu1",
                    Some("all"),
                    Some("makedev"),
                    None,
                ),
                spot(
                    "libgcc1",
                    "1:5.1.1-12ubuntu1",
                    Some("amd64"),
                    Some("gcc-5"),
                    Some("5.1.1-12ubuntu1"),
                ),
            ],
        );
        check(
            "trivy md5sums",
            &fixture("trivy/dpkg/md5sums/var/lib/dpkg/status"),
            1,
            &[],
            &[spot("tar", "1.29b-2", Some("amd64"), Some("tar"), None)],
        );
        check(
            "trivy third-party",
            &fixture("trivy/dpkg/third-party/var/lib/dpkg/status"),
            2,
            &[],
            &[
                spot(
                    "docker-ce",
                    "5:20.10.7~3-0~debian-buster",
                    Some("amd64"),
                    Some("docker-ce"),
                    None,
                ),
                spot("apt", "1.6.3ubuntu0.1", Some("amd64"), Some("apt"), None),
            ],
        );
        check(
            "trivy only-apt",
            &fixture("trivy/dpkg/only-apt/var/lib/dpkg/status"),
            1,
            &[],
            &[spot(
                "apt",
                "1.6.3ubuntu0.1",
                Some("amd64"),
                Some("apt"),
                None,
            )],
        );
    }

    #[test]
    fn trivy_valid_skips_deinstalled_git_and_keeps_order() {
        let scan = parse_status(&fixture("trivy/dpkg/valid/var/lib/dpkg/status"));
        assert!(scan.packages.iter().all(|p| p.name != "git"));
        let first: Vec<&str> = scan
            .packages
            .iter()
            .take(3)
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(first, ["fdisk", "libpam-runtime", "libncurses5"]);
        assert_eq!(
            scan.packages.last().map(|p| p.name.as_str()),
            Some("libustr-1.0-1")
        );
    }

    #[test]
    fn fields_are_mapped() {
        let scan = parse_status(&fixture("syft/debian/status.d/multiple"));
        let tzdata = &scan.packages[0];
        assert_eq!(
            tzdata.supplier.as_deref(),
            Some("GNU Libc Maintainers <debian-glibc@lists.debian.org>")
        );
        assert_eq!(
            tzdata.description.as_deref(),
            Some("time zone and daylight-saving time data")
        );
        assert_eq!(tzdata.properties["deb:installedSize"], "3036");
        assert_eq!(tzdata.properties["deb:multiArch"], "foreign");
        assert_eq!(tzdata.epoch, None);
        assert!(tzdata.licenses.is_empty() && tzdata.files.is_empty());
    }

    #[test]
    fn status_states() {
        let stanza = |status: &str| format!("Package: a\nStatus: {status}\nVersion: 1.0\n");
        check(
            "install ok installed",
            stanza("install ok installed").as_bytes(),
            1,
            &[],
            &[],
        );
        check(
            "hold ok installed",
            stanza("hold ok installed").as_bytes(),
            1,
            &[],
            &[],
        );
        check(
            "config-files",
            stanza("deinstall ok config-files").as_bytes(),
            0,
            &[],
            &[],
        );
        check(
            "half-installed",
            stanza("install ok half-installed").as_bytes(),
            0,
            &[],
            &[],
        );
        check(
            "not-installed",
            stanza("purge ok not-installed").as_bytes(),
            0,
            &[],
            &[],
        );
        check(
            "two-word status",
            stanza("install ok").as_bytes(),
            0,
            &["stanza at line 1 (package a) has a malformed Status field"],
            &[],
        );
    }

    #[test]
    fn edge_inputs() {
        check("empty", b"", 0, &[], &[]);
        check("blank lines", b"\n\n \n\t\n\r\n", 0, &[], &[]);
        check(
            "garbage",
            b"\x00\x01garb\xffage\nmore garbage\n",
            0,
            &["invalid UTF-8", "line 1 is neither", "line 2 is neither"],
            &[],
        );
        check(
            "no Package",
            b"Version: 1.0\nArchitecture: amd64\n\nPackage: b\nVersion: 2\n",
            1,
            &["stanza at line 1 has no Package/Version field"],
            &[spot("b", "2", None, Some("b"), None)],
        );
        check(
            "malformed line kept stanza",
            b"Package: a\nthis line has no colon\nVersion: 1.0\nArchitecture: amd64\n",
            1,
            &["line 2 is neither a field nor a continuation line"],
            &[spot("a", "1.0", Some("amd64"), Some("a"), None)],
        );
        check(
            "leading continuation",
            b" orphan\nPackage: a\nVersion: 1\n",
            1,
            &["line 1 is neither"],
            &[],
        );
        check(
            "case-insensitive names and CRLF",
            b"package: a\r\nVERSION: 1:2.0-1\r\nsource: src (2.0-1)\r\n",
            1,
            &[],
            &[spot("a", "1:2.0-1", None, Some("src"), Some("2.0-1"))],
        );
        check(
            "source without parenthesised version",
            b"Package: a\nVersion: 1\nSource: src garbage\n",
            1,
            &[],
            &[spot("a", "1", None, Some("src"), None)],
        );
    }

    #[test]
    fn invalid_utf8_gives_one_warning_naming_the_line() {
        let bytes = b"Package: a\nVersion: 1\nMaintainer: J\xfcrgen\nDescription: \xff\xfe\n";
        let scan = parse_status(bytes);
        assert_eq!(scan.packages.len(), 1);
        assert_eq!(scan.diagnostics.len(), 1);
        assert!(scan.diagnostics[0].message.contains("line 3"));
        assert_eq!(scan.packages[0].supplier.as_deref(), Some("J\u{fffd}rgen"));
    }

    #[test]
    fn many_malformed_lines_are_summarised() {
        let text = "junk\n".repeat(100);
        let scan = parse_status(text.as_bytes());
        assert_eq!(scan.diagnostics.len(), MAX_LINE_WARNINGS + 1);
        assert!(scan.diagnostics[MAX_LINE_WARNINGS]
            .message
            .contains("80 more malformed lines from line 21"));
    }

    #[test]
    fn megabyte_line() {
        let long = "x".repeat(1 << 20);
        let text = format!("Package: a\nVersion: 1\nDescription: {long}\n continued {long}\n");
        let scan = parse_status(text.as_bytes());
        assert_eq!(scan.packages.len(), 1);
        assert_eq!(
            scan.packages[0].description.as_ref().map(String::len),
            Some(1 << 20)
        );
        let garbage = vec![b'y'; 1 << 20];
        let scan = parse_status(&garbage);
        assert_eq!((scan.packages.len(), scan.diagnostics.len()), (0, 1));
    }

    #[test]
    fn deb_versions() {
        for ok in [
            "1.0",
            "1:2.3-4",
            "5:20.10.7~3-0~debian-buster",
            "2.0+dfsg-1.1~bpo",
            "a1",
        ] {
            assert!(is_valid_deb_version(ok), "{ok}");
        }
        for bad in ["1:5.#", ":1.0", "x:1.0", "1.0-", "-1", "1 0", "1:", "1:2:3"] {
            assert!(!is_valid_deb_version(bad), "{bad}");
        }
    }

    fn check_paths(label: &str, got: Vec<String>, expected: &[&str]) {
        assert_eq!(got, expected, "{label}");
    }

    #[test]
    fn file_lists() {
        check_paths(
            "list",
            parse_file_list(b"/.\n/bin\n/bin/tar\n\n/bin\n/usr/share/doc/my file\r\n"),
            &["/bin", "/bin/tar", "/usr/share/doc/my file"],
        );
        check_paths("empty list", parse_file_list(b""), &[]);
        check_paths("blank list", parse_file_list(b"\n  \n/.\n"), &[]);
        check_paths("lossy list", parse_file_list(b"/a\xff\n"), &["/a\u{fffd}"]);
    }

    #[test]
    fn md5sums() {
        let tar = parse_md5sums(&fixture("trivy/dpkg/md5sums/var/lib/dpkg/info/tar.md5sums"));
        assert_eq!(tar.len(), 13);
        assert_eq!(tar.first().map(String::as_str), Some("/usr/bin/tar"));
        assert_eq!(
            tar.last().map(String::as_str),
            Some("/usr/share/man/man8/rmt-tar.8.gz")
        );
        check_paths(
            "zlib1g.md5sums (no final newline)",
            parse_md5sums(&fixture("syft/debian/info/zlib1g.md5sums")),
            &[
                "/lib/x86_64-linux-gnu/libz.so.1.2.11",
                "/usr/share/doc/zlib1g/changelog.Debian.gz",
                "/usr/share/doc/zlib1g/changelog.gz",
                "/usr/share/doc/zlib1g/copyright",
            ],
        );
        let sqlite = parse_md5sums(&fixture(
            "syft/debian/image-distroless-deb/var/lib/dpkg/status.d/libsqlite3-0.md5sums",
        ));
        assert_eq!(sqlite.len(), 6);
        assert_eq!(
            sqlite.first().map(String::as_str),
            Some("/usr/lib/aarch64-linux-gnu/libsqlite3.so.0.8.6")
        );
        check_paths(
            "spaces and binary mode",
            parse_md5sums(
                b"d41d8cd98f00b204e9800998ecf8427e  usr/share/my file.txt\n\
                  d41d8cd98f00b204e9800998ecf8427e *usr/bin/x\n\
                  not-a-digest  usr/bin/y\n\
                  d41d8cd98f00b204e9800998ecf8427e\n\n",
            ),
            &["/usr/share/my file.txt", "/usr/bin/x"],
        );
        check_paths("empty md5sums", parse_md5sums(b""), &[]);
    }
}
