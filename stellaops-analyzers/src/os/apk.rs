//! Alpine `apk` database: `lib/apk/db/installed`.
//!
//! The file is a sequence of records separated by blank lines; each line is `K:value` with a
//! one-character key. The keys read here are `P` name, `V` version, `A` arch, `L` license,
//! `o` origin (source package), `m` maintainer, `T` description, `c` commit, `t` build time,
//! `U` url, `S` size, `I` installed size, and the file list (`F:dir` followed by `R:file`
//! lines). Unknown keys are ignored. A record without `P` or `V` is skipped with a warning
//! naming its first line.

use std::borrow::Cow;

use stellaops_core::license;
use stellaops_core::{Diagnostic, Package, PackageKind};

use super::DbScan;

/// At most this many malformed lines are reported one by one; the rest are summarised.
const MAX_LINE_WARNINGS: usize = 20;

/// Keys copied verbatim into [`Package::properties`].
const PROPERTIES: [(char, &str); 5] = [
    ('c', "apk:commit"),
    ('t', "apk:buildTime"),
    ('U', "apk:url"),
    ('S', "apk:size"),
    ('I', "apk:installedSize"),
];

/// Reads `lib/apk/db/installed` into packages, in database order.
///
/// Invalid UTF-8 is decoded lossily with one warning naming the first bad line; a line that
/// is not `K:value` is reported (the rest of its record is kept); a record without a
/// name or version is reported and skipped. Each package's `files` is sorted and
/// deduplicated.
pub fn parse_installed(bytes: &[u8]) -> DbScan {
    let (text, bad_utf8_line) = decode(bytes);
    let mut reader = Reader::default();
    if let Some(line) = bad_utf8_line {
        reader.warn(format!(
            "invalid UTF-8 at line {line}; the file was decoded lossily"
        ));
    }
    for (index, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        reader.line(index + 1, line);
    }
    reader.finish_record();
    reader.into_scan()
}

/// One record being read.
#[derive(Debug)]
struct Record<'a> {
    /// 1-based line where the record starts.
    line: usize,
    /// Value of the first occurrence of each key, in order.
    fields: Vec<(char, &'a str)>,
    /// Files owned, absolute.
    files: Vec<String>,
    /// Directory set by the last `F:` line (no leading or trailing `/`).
    dir: &'a str,
}

impl<'a> Record<'a> {
    /// A record starting at `line`.
    fn new(line: usize) -> Self {
        Record {
            line,
            fields: Vec::new(),
            files: Vec::new(),
            dir: "",
        }
    }

    /// The first non-empty value of `key`.
    fn get(&self, key: char) -> Option<&'a str> {
        self.fields
            .iter()
            .find(|(k, value)| *k == key && !value.is_empty())
            .map(|(_, value)| *value)
    }

    /// Applies one `K:value` line.
    fn apply(&mut self, key: char, value: &'a str) {
        match key {
            'F' => self.dir = value.trim_matches('/'),
            'R' if !value.is_empty() => self.files.push(join(self.dir, value)),
            'R' => {}
            _ => self.fields.push((key, value)),
        }
    }

    /// The package, or a warning message when the record has no name or version.
    fn into_package(mut self) -> Result<Package, String> {
        let (Some(name), Some(version)) = (self.get('P'), self.get('V')) else {
            return Err(format!(
                "record at line {} has no P (name) or V (version) field",
                self.line
            ));
        };
        let mut package = Package::new(PackageKind::Apk, name, version);
        package.arch = self.get('A').map(str::to_owned);
        package.licenses = self
            .get('L')
            .and_then(license::declared)
            .into_iter()
            .collect();
        package.source_name = self.get('o').map(str::to_owned);
        package.supplier = self.get('m').map(str::to_owned);
        package.description = self.get('T').map(str::to_owned);
        for (key, property) in PROPERTIES {
            if let Some(value) = self.get(key) {
                package
                    .properties
                    .insert(property.to_owned(), value.to_owned());
            }
        }
        self.files.sort();
        self.files.dedup();
        package.files = self.files;
        Ok(package)
    }
}

/// `/dir/file`, or `/file` when `dir` is the root.
fn join(dir: &str, file: &str) -> String {
    let file = file.trim_start_matches('/');
    if dir.is_empty() {
        format!("/{file}")
    } else {
        format!("/{dir}/{file}")
    }
}

/// Line-by-line state of the whole file.
#[derive(Debug, Default)]
struct Reader<'a> {
    /// Record being read, if any.
    current: Option<Record<'a>>,
    /// Packages read so far.
    packages: Vec<Package>,
    /// Warning messages, in the order met.
    warnings: Vec<String>,
    /// Number of lines that are not `K:value`.
    malformed: usize,
    /// First malformed line not reported individually.
    first_unreported: Option<usize>,
}

impl<'a> Reader<'a> {
    /// Handles line `number`.
    fn line(&mut self, number: usize, line: &'a str) {
        if line.trim().is_empty() {
            self.finish_record();
            return;
        }
        let record = self.current.get_or_insert_with(|| Record::new(number));
        match key_value(line) {
            Some((key, value)) => record.apply(key, value),
            None => self.malformed_line(number),
        }
    }

    /// Reports a line that is not `K:value` (individually up to [`MAX_LINE_WARNINGS`]).
    fn malformed_line(&mut self, number: usize) {
        self.malformed += 1;
        if self.malformed <= MAX_LINE_WARNINGS {
            self.warn(format!("line {number} is not a `K:value` line"));
        } else if self.first_unreported.is_none() {
            self.first_unreported = Some(number);
        }
    }

    /// Ends the current record, keeping its package or a warning.
    fn finish_record(&mut self) {
        if let Some(record) = self.current.take() {
            match record.into_package() {
                Ok(package) => self.packages.push(package),
                Err(message) => self.warn(message),
            }
        }
    }

    /// Records a warning.
    fn warn(&mut self, message: String) {
        self.warnings.push(message);
    }

    /// The packages and diagnostics (warnings in the order met; a summary of unreported
    /// malformed lines last).
    fn into_scan(mut self) -> DbScan {
        if let Some(first) = self.first_unreported {
            let more = self.malformed.saturating_sub(MAX_LINE_WARNINGS);
            self.warn(format!(
                "{more} more malformed lines from line {first} on were ignored"
            ));
        }
        let diagnostics = self
            .warnings
            .into_iter()
            .map(|message| Diagnostic::warning(None::<String>, message))
            .collect();
        DbScan {
            packages: self.packages,
            diagnostics,
        }
    }
}

/// `K:value` with a single-character key.
fn key_value(line: &str) -> Option<(char, &str)> {
    let mut chars = line.chars();
    let key = chars.next()?;
    let value = chars.as_str().strip_prefix(':')?;
    (!key.is_whitespace() && key != ':').then_some((key, value))
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use stellaops_core::License;

    /// Test-only: reads a shared fixture (the library itself never touches the file system).
    fn fixture(rel: &str) -> Vec<u8> {
        stellaops_testkit::fixture(&format!("os-package-db/{rel}"))
    }

    /// Expected facts about one package.
    struct Spot {
        name: &'static str,
        version: &'static str,
        arch: Option<&'static str>,
        origin: Option<&'static str>,
        license: Option<License>,
        files: usize,
    }

    fn expr(s: &str) -> Option<License> {
        Some(License::Expression(s.into()))
    }

    fn named(s: &str) -> Option<License> {
        Some(License::Named(s.into()))
    }

    /// Parses `bytes`, checks package count, warnings (substrings in order) and spots.
    fn check(label: &str, bytes: &[u8], packages: usize, warnings: &[&str], spots: &[Spot]) {
        let scan = parse_installed(bytes);
        let names: Vec<&str> = scan.packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(scan.packages.len(), packages, "{label}: {names:?}");
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
        for s in spots {
            let p = scan
                .packages
                .iter()
                .find(|p| p.name == s.name)
                .unwrap_or_else(|| panic!("{label}: no package {}", s.name));
            assert_eq!(p.kind, PackageKind::Apk);
            assert_eq!(p.version, s.version, "{label}: {}", s.name);
            assert_eq!(p.arch.as_deref(), s.arch, "{label}: {}", s.name);
            assert_eq!(p.source_name.as_deref(), s.origin, "{label}: {}", s.name);
            assert_eq!(
                p.licenses.first(),
                s.license.as_ref(),
                "{label}: {}",
                s.name
            );
            assert_eq!(
                p.files.len(),
                s.files,
                "{label}: {} files {:?}",
                s.name,
                p.files
            );
            let mut sorted = p.files.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted, p.files, "{label}: {} files sorted+deduped", s.name);
        }
    }

    fn spot(
        name: &'static str,
        version: &'static str,
        arch: Option<&'static str>,
        origin: Option<&'static str>,
        license: Option<License>,
        files: usize,
    ) -> Spot {
        Spot {
            name,
            version,
            arch,
            origin,
            license,
            files,
        }
    }

    const X86: Option<&str> = Some("x86_64");

    #[test]
    fn syft_fixtures() {
        check(
            "base",
            &fixture("syft/alpine/base"),
            1,
            &[],
            &[spot(
                "alpine-baselayout",
                "3.2.0-r6",
                X86,
                Some("alpine-baselayout"),
                expr("GPL-2.0-only"),
                27,
            )],
        );
        check(
            "single",
            &fixture("syft/alpine/single"),
            1,
            &[],
            &[spot(
                "musl-utils",
                "1.1.24-r2",
                X86,
                Some("musl"),
                named("MIT BSD GPL2+"),
                5,
            )],
        );
        check(
            "empty-deps-and-provides",
            &fixture("syft/alpine/empty-deps-and-provides"),
            1,
            &[],
            &[spot(
                "alpine-baselayout-data",
                "3.4.0-r0",
                X86,
                Some("alpine-baselayout"),
                expr("GPL-2.0-only"),
                15,
            )],
        );
        check(
            "multiple-1",
            &fixture("syft/alpine/multiple-1/lib/apk/db/installed"),
            4,
            &[],
            &[
                spot(
                    "bash",
                    "5.2.21-r0",
                    X86,
                    Some("bash"),
                    expr("GPL-3.0-or-later"),
                    0,
                ),
                spot(
                    "busybox-binsh",
                    "1.36.1-r15",
                    X86,
                    Some("busybox"),
                    expr("GPL-2.0-only"),
                    1,
                ),
                spot(
                    "musl",
                    "1.2.4_git20230717-r4",
                    X86,
                    Some("musl"),
                    expr("MIT"),
                    2,
                ),
                spot(
                    "readline",
                    "8.2.1-r2",
                    X86,
                    Some("readline"),
                    expr("GPL-2.0-or-later"),
                    2,
                ),
            ],
        );
        check(
            "multiple-2",
            &fixture("syft/alpine/multiple-2/lib/apk/db/installed"),
            14,
            &[],
            &[],
        );
    }

    #[test]
    fn trivy_fixture() {
        check(
            "trivy apk",
            &fixture("trivy/apk/apk"),
            15,
            &["record at line 23 has no P (name) or V (version) field"],
            &[
                spot("musl", "1.1.14-r10", X86, Some("musl"), expr("MIT"), 2),
                spot(
                    "busybox",
                    "1.24.2-r9",
                    X86,
                    Some("busybox"),
                    named("GPL2"),
                    5,
                ),
            ],
        );
    }

    #[test]
    fn fields_and_files() {
        let scan = parse_installed(&fixture("syft/alpine/single"));
        let p = &scan.packages[0];
        assert_eq!(
            p.files,
            [
                "/sbin/ldconfig",
                "/usr/bin/getconf",
                "/usr/bin/getent",
                "/usr/bin/iconv",
                "/usr/bin/ldd"
            ]
        );
        assert_eq!(
            p.supplier.as_deref(),
            Some("Timo Teräs <timo.teras@iki.fi>")
        );
        assert_eq!(
            p.description.as_deref(),
            Some("the musl c library (libc) implementation")
        );
        let props: Vec<(&str, &str)> = p
            .properties
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            props,
            [
                ("apk:buildTime", "1584790550"),
                ("apk:commit", "4024cc3b29ad4c65544ad068b8f59172b5494306"),
                ("apk:installedSize", "151552"),
                ("apk:size", "37944"),
                ("apk:url", "https://musl.libc.org/"),
            ]
        );
    }

    #[test]
    fn edge_inputs() {
        check("empty", b"", 0, &[], &[]);
        check("blank lines", b"\n\n  \n\r\n", 0, &[], &[]);
        check(
            "garbage",
            b"\x00\xffgarbage\nmore: garbage\n",
            0,
            &[
                "invalid UTF-8 at line 1",
                "line 1 is not",
                "line 2 is not",
                "record at line 1",
            ],
            &[],
        );
        check(
            "invalid utf-8 in a value",
            b"P:a\nV:1\nm:J\xfcrgen\n",
            1,
            &["invalid UTF-8 at line 3"],
            &[spot("a", "1", None, None, None, 0)],
        );
        check(
            "no name",
            b"V:1\nA:x86_64\n\nP:b\nV:2\n",
            1,
            &["record at line 1 has no P"],
            &[spot("b", "2", None, None, None, 0)],
        );
        check(
            "no version, CRLF, unknown keys, R before F, duplicate files",
            b"P:a\r\nV:\r\n\r\nP:b\r\nV:1\r\nZ:x\r\nR:root-file\r\nF:/etc/\r\nR:x\r\nR:x\r\n",
            1,
            &["record at line 1 has no P"],
            &[spot("b", "1", None, None, None, 2)],
        );
        let scan = parse_installed(b"P:b\nV:1\nR:root-file\nF:etc\nR:x\n");
        assert_eq!(scan.packages[0].files, ["/etc/x", "/root-file"]);
        check(
            "placeholder license",
            b"P:a\nV:1\nL:\n",
            1,
            &[],
            &[spot("a", "1", None, None, None, 0)],
        );
    }

    #[test]
    fn megabyte_line() {
        let long = "x".repeat(1 << 20);
        let text = format!("P:a\nV:1\nT:{long}\n");
        let scan = parse_installed(text.as_bytes());
        assert_eq!(
            scan.packages[0].description.as_ref().map(String::len),
            Some(1 << 20)
        );
        let scan = parse_installed(long.as_bytes());
        assert_eq!((scan.packages.len(), scan.diagnostics.len()), (0, 2));
    }

    #[test]
    fn many_malformed_lines_are_summarised() {
        let scan = parse_installed("junk\n".repeat(50).as_bytes());
        // 20 lines, one summary, one record warning.
        assert_eq!(scan.diagnostics.len(), MAX_LINE_WARNINGS + 2);
    }
}
