//! Distribution identification: `os-release` (os-release(5)) and the older per-distribution
//! release files used when an image has no `os-release`.
//!
//! `os-release` is a list of `KEY=value` assignments in shell syntax (unquoted, `"double"`
//! with `\"`, `\\`, `\$`, `` \` `` escapes, or `'single'` quoted; `#` comment lines). The
//! fallback files are read by content with fixed rules (no guessing beyond the
//! distribution's own naming): `etc/alpine-release`, `etc/debian_version`, the Red Hat
//! family files (`etc/redhat-release`, `etc/centos-release`, `etc/fedora-release`,
//! `etc/system-release`) and `etc/lsb-release`.

use stellaops_core::Distro;

/// Paths (without leading `/`) of the release files read by [`parse_release_fallback`].
const FALLBACK_PATHS: [&str; 7] = [
    "etc/alpine-release",
    "etc/debian_version",
    "etc/redhat-release",
    "etc/centos-release",
    "etc/fedora-release",
    "etc/system-release",
    "etc/lsb-release",
];

/// Red Hat family release-file names (`<name> release <version> (...)`) and their
/// os-release `ID`, longest prefix first; `true` when os-release keeps only the major
/// version (CentOS: `7.9.2009` is `VERSION_ID="7"`).
const RED_HAT_FAMILY: [(&str, &str, bool); 8] = [
    ("Red Hat Enterprise Linux", "rhel", false),
    ("CentOS Stream", "centos", true),
    ("CentOS Linux", "centos", true),
    ("CentOS", "centos", true),
    ("Fedora", "fedora", false),
    ("Amazon Linux", "amzn", false),
    ("Rocky Linux", "rocky", false),
    ("AlmaLinux", "almalinux", false),
];

/// Reads an `os-release` file found at `source_path` (inside the image, with or without a
/// leading `/`). `None` when the file has none of `ID`, `VERSION_ID` and `NAME`.
///
/// `ID` is lowercased and defaults to `linux` as os-release(5) specifies; the codename is
/// `VERSION_CODENAME`, else `UBUNTU_CODENAME`; `ID_LIKE` is split on whitespace. Empty
/// values count as absent; a later assignment of a key wins, as in a shell.
pub fn parse_os_release(bytes: &[u8], source_path: &str) -> Option<Distro> {
    let text = String::from_utf8_lossy(bytes);
    let vars = Vars::parse(&text);
    if ["ID", "VERSION_ID", "NAME"]
        .iter()
        .all(|key| vars.get(key).is_none())
    {
        return None;
    }
    Some(Distro {
        id: vars
            .get("ID")
            .map_or_else(|| "linux".to_owned(), str::to_lowercase),
        version_id: vars.owned("VERSION_ID"),
        codename: vars
            .owned("VERSION_CODENAME")
            .or_else(|| vars.owned("UBUNTU_CODENAME")),
        pretty_name: vars.owned("PRETTY_NAME"),
        id_like: vars
            .get("ID_LIKE")
            .map(|v| v.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default(),
        source_path: absolute(source_path),
    })
}

/// Reads one of the fallback release files (`path` as [`is_release_fallback`] accepts it).
/// `None` when `path` is not one of them or its content is not recognised.
///
/// * `etc/alpine-release` `3.19.1` gives `alpine` `3.19.1`;
/// * `etc/debian_version` `12.5` gives `debian` `12` (major only, as Debian's own
///   os-release), `bookworm/sid` gives `debian` with codename `bookworm` and no version;
/// * Red Hat family files `<Name> release <version> (...)` give `rhel`, `centos` (major
///   only), `fedora`, `amzn`, `rocky` or `almalinux` by the name, whatever the file;
/// * `etc/lsb-release` gives `DISTRIB_ID` (lowercased), `DISTRIB_RELEASE`,
///   `DISTRIB_CODENAME` and `DISTRIB_DESCRIPTION` (as pretty name).
pub fn parse_release_fallback(path: &str, bytes: &[u8]) -> Option<Distro> {
    let path = path.trim_start_matches('/');
    if !is_release_fallback(path) {
        return None;
    }
    let text = String::from_utf8_lossy(bytes);
    let distro = match path {
        "etc/alpine-release" => alpine(first_line(&text)?),
        "etc/debian_version" => debian(first_line(&text)?),
        "etc/lsb-release" => lsb(&text),
        _ => red_hat_family(first_line(&text)?),
    }?;
    Some(Distro {
        source_path: absolute(path),
        ..distro
    })
}

/// Whether `path` (relative to the image root; a leading `/` is tolerated) is one of the
/// fallback release files [`parse_release_fallback`] reads.
pub fn is_release_fallback(path: &str) -> bool {
    FALLBACK_PATHS.contains(&path.trim_start_matches('/'))
}

/// A distro with just an id (the caller fills the rest).
fn distro(id: &str) -> Distro {
    Distro {
        id: id.to_owned(),
        ..Distro::default()
    }
}

/// `alpine-release`: the version, when it looks like one (`3.19.1`, `3.20_alpha20240329`).
fn alpine(line: &str) -> Option<Distro> {
    let looks_like_version = line.starts_with(|c: char| c.is_ascii_digit())
        && line
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    looks_like_version.then(|| Distro {
        version_id: Some(line.to_owned()),
        ..distro("alpine")
    })
}

/// `debian_version`: `12.5` (major kept) or `<codename>/sid` (testing/unstable).
fn debian(line: &str) -> Option<Distro> {
    if let Some((codename, suite)) = line.split_once('/') {
        let usable = suite == "sid"
            && !codename.is_empty()
            && codename.chars().all(|c| c.is_ascii_lowercase());
        return usable.then(|| Distro {
            codename: Some(codename.to_owned()),
            ..distro("debian")
        });
    }
    let major = line.split('.').next().filter(|_| is_dotted_number(line))?;
    Some(Distro {
        version_id: Some(major.to_owned()),
        ..distro("debian")
    })
}

/// Red Hat family: `<Name> release <version> [(<codename>)]`.
fn red_hat_family(line: &str) -> Option<Distro> {
    let (name, rest) = line.split_once(" release ")?;
    let version = rest
        .split_whitespace()
        .next()
        .filter(|v| is_dotted_number(v))?;
    let (_, id, major_only) = RED_HAT_FAMILY
        .iter()
        .find(|(prefix, _, _)| name.trim().starts_with(prefix))?;
    let version = if *major_only {
        version.split('.').next().unwrap_or(version)
    } else {
        version
    };
    Some(Distro {
        version_id: Some(version.to_owned()),
        ..distro(id)
    })
}

/// `lsb-release`: `DISTRIB_*` assignments; `None` without `DISTRIB_ID`.
fn lsb(text: &str) -> Option<Distro> {
    let vars = Vars::parse(text);
    let id = vars.get("DISTRIB_ID")?.to_lowercase();
    Some(Distro {
        version_id: vars.owned("DISTRIB_RELEASE"),
        codename: vars.owned("DISTRIB_CODENAME"),
        pretty_name: vars.owned("DISTRIB_DESCRIPTION"),
        ..distro(&id)
    })
}

/// Whether `s` is digits separated by single dots (`12`, `8.9`, `7.9.2009`).
fn is_dotted_number(s: &str) -> bool {
    s.split('.')
        .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

/// The first non-blank line, trimmed.
fn first_line(text: &str) -> Option<&str> {
    text.lines().map(str::trim).find(|line| !line.is_empty())
}

/// `path` with exactly one leading `/`.
fn absolute(path: &str) -> String {
    format!("/{}", path.trim_start_matches('/'))
}

/// Shell-style `KEY=value` assignments in file order.
struct Vars {
    /// (key, unquoted value) pairs.
    pairs: Vec<(String, String)>,
}

impl Vars {
    /// Reads every valid assignment; comments, blank and other lines are ignored.
    fn parse(text: &str) -> Self {
        let pairs = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| line.split_once('='))
            .filter(|(key, _)| is_shell_name(key))
            .map(|(key, raw)| (key.to_owned(), unquote(raw.trim())))
            .collect();
        Vars { pairs }
    }

    /// Last non-empty value assigned to `key`.
    fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// [`Vars::get`], owned.
    fn owned(&self, key: &str) -> Option<String> {
        self.get(key).map(str::to_owned)
    }
}

/// `[A-Za-z_][A-Za-z0-9_]*`.
fn is_shell_name(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The value of one assignment's right-hand side: `"double"` (with `\" \\ \$ \``
/// escapes; any other backslash is kept), `'single'` or unquoted. An unterminated quote
/// runs to the end of the line.
fn unquote(raw: &str) -> String {
    if let Some(inner) = raw.strip_prefix('\'') {
        return inner.split('\'').next().unwrap_or_default().to_owned();
    }
    let Some(inner) = raw.strip_prefix('"') else {
        return raw.to_owned();
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => break,
            '\\' => match chars.next() {
                Some(escaped @ ('"' | '\\' | '$' | '`')) => out.push(escaped),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Test-only: reads a shared fixture (the library itself never touches the file system).
    fn fixture(rel: &str) -> Vec<u8> {
        stellaops_testkit::fixture(&format!("os-package-db/{rel}"))
    }

    /// Expected distro fields (source path checked separately).
    #[derive(Default)]
    struct Want {
        id: &'static str,
        version_id: Option<&'static str>,
        codename: Option<&'static str>,
        pretty_name: Option<&'static str>,
        id_like: &'static [&'static str],
    }

    fn want(id: &'static str, version_id: Option<&'static str>) -> Want {
        Want {
            id,
            version_id,
            ..Want::default()
        }
    }

    /// Compares a parse result with the expectation; `None` expects no distro.
    fn check(label: &str, got: Option<Distro>, expected: Option<Want>, source_path: &str) {
        let Some(expected) = expected else {
            assert_eq!(got, None, "{label}");
            return;
        };
        let got = got.unwrap_or_else(|| panic!("{label}: no distro"));
        let expected = Distro {
            id: expected.id.to_owned(),
            version_id: expected.version_id.map(str::to_owned),
            codename: expected.codename.map(str::to_owned),
            pretty_name: expected.pretty_name.map(str::to_owned),
            id_like: expected.id_like.iter().map(|s| (*s).to_owned()).collect(),
            source_path: source_path.to_owned(),
        };
        assert_eq!(got, expected, "{label}");
    }

    fn os(label: &str, text: &str, expected: Option<Want>) {
        check(
            label,
            parse_os_release(text.as_bytes(), "etc/os-release"),
            expected,
            "/etc/os-release",
        );
    }

    fn fallback(path: &str, text: &str, expected: Option<Want>) {
        check(
            path,
            parse_release_fallback(path, text.as_bytes()),
            expected,
            &format!("/{path}"),
        );
    }

    #[test]
    fn syft_debian_os_release_fixture() {
        let bytes = fixture("syft/debian/image-dpkg/etc/os-release");
        check(
            "syft image-dpkg",
            parse_os_release(&bytes, "etc/os-release"),
            Some(Want {
                codename: Some("bookworm"),
                pretty_name: Some("Debian GNU/Linux 12 (bookworm)"),
                ..want("debian", Some("12"))
            }),
            "/etc/os-release",
        );
        let usr_lib = parse_os_release(&bytes, "usr/lib/os-release").map(|d| d.source_path);
        assert_eq!(usr_lib.as_deref(), Some("/usr/lib/os-release"));
    }

    #[test]
    fn os_release_syntax() {
        os(
            "quoting",
            "# comment\nID=\"Ubuntu\"\nVERSION_ID='22.04'\nUBUNTU_CODENAME=jammy\n\
             PRETTY_NAME=\"say \\\"hi\\\" \\\\ \\$HOME \\`x\\` \\n\"\nID_LIKE=\"debian  linux\"\n",
            Some(Want {
                codename: Some("jammy"),
                pretty_name: Some("say \"hi\" \\ $HOME `x` \\n"),
                id_like: &["debian", "linux"],
                ..want("ubuntu", Some("22.04"))
            }),
        );
        os(
            "version codename wins over ubuntu codename",
            "ID=ubuntu\nVERSION_CODENAME=noble\nUBUNTU_CODENAME=other\n",
            Some(Want {
                codename: Some("noble"),
                ..want("ubuntu", None)
            }),
        );
        os(
            "alpine, CRLF, last assignment wins",
            "ID=alpine\r\nVERSION_ID=3.18.0\r\nVERSION_ID=3.19.1\r\n",
            Some(want("alpine", Some("3.19.1"))),
        );
        os(
            "no ID defaults to linux",
            "NAME=Linux\n",
            Some(want("linux", None)),
        );
        os(
            "only version",
            "VERSION_ID=1\n",
            Some(want("linux", Some("1"))),
        );
        os(
            "unterminated quote",
            "ID=\"rhel\nVERSION_ID=\"9.3",
            Some(want("rhel", Some("9.3"))),
        );
        os("empty ID", "ID=\"\"\nNAME=x\n", Some(want("linux", None)));
        os(
            "none of ID/VERSION_ID/NAME",
            "PRETTY_NAME=x\nHOME_URL=y\n",
            None,
        );
        os("empty", "", None);
        os("blank lines", "\n\n  \n", None);
        os("garbage", "\u{0}\u{1}=?\n== x\nfoo bar\n", None);
        check(
            "invalid utf-8",
            parse_os_release(b"ID=deb\xffian\n", "/etc/os-release"),
            Some(want("deb\u{fffd}ian", None)),
            "/etc/os-release",
        );
        let long = format!("ID=x\nPRETTY_NAME={}\n", "p".repeat(1 << 20));
        let got = parse_os_release(long.as_bytes(), "etc/os-release");
        assert_eq!(
            got.and_then(|d| d.pretty_name).map(|p| p.len()),
            Some(1 << 20)
        );
    }

    #[test]
    fn fallbacks() {
        fallback(
            "etc/alpine-release",
            "3.19.1\n",
            Some(want("alpine", Some("3.19.1"))),
        );
        fallback(
            "etc/alpine-release",
            "3.20_alpha20240329\n",
            Some(want("alpine", Some("3.20_alpha20240329"))),
        );
        fallback("etc/alpine-release", "not a version\n", None);
        fallback(
            "etc/debian_version",
            "12.5\n",
            Some(want("debian", Some("12"))),
        );
        fallback(
            "etc/debian_version",
            "11\n",
            Some(want("debian", Some("11"))),
        );
        fallback(
            "etc/debian_version",
            "bookworm/sid\n",
            Some(Want {
                codename: Some("bookworm"),
                ..want("debian", None)
            }),
        );
        fallback("etc/debian_version", "sid\n", None);
        fallback("etc/debian_version", "12.x\n", None);
        fallback(
            "etc/redhat-release",
            "Red Hat Enterprise Linux release 8.9 (Ootpa)\n",
            Some(want("rhel", Some("8.9"))),
        );
        fallback(
            "etc/redhat-release",
            "Red Hat Enterprise Linux Server release 7.9 (Maipo)\n",
            Some(want("rhel", Some("7.9"))),
        );
        fallback(
            "etc/centos-release",
            "CentOS Linux release 7.9.2009 (Core)\n",
            Some(want("centos", Some("7"))),
        );
        fallback(
            "etc/centos-release",
            "CentOS Stream release 9\n",
            Some(want("centos", Some("9"))),
        );
        fallback(
            "etc/fedora-release",
            "Fedora release 39 (Thirty Nine)\n",
            Some(want("fedora", Some("39"))),
        );
        fallback(
            "etc/system-release",
            "Amazon Linux release 2023 (Amazon Linux)\n",
            Some(want("amzn", Some("2023"))),
        );
        fallback(
            "etc/system-release",
            "Amazon Linux AMI release 2018.03\n",
            Some(want("amzn", Some("2018.03"))),
        );
        fallback(
            "etc/redhat-release",
            "Rocky Linux release 9.3 (Blue Onyx)\n",
            Some(want("rocky", Some("9.3"))),
        );
        fallback("etc/system-release", "Some Other OS release 1.0\n", None);
        fallback("etc/redhat-release", "Red Hat Enterprise Linux\n", None);
        fallback(
            "etc/lsb-release",
            "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\n\
             DISTRIB_DESCRIPTION=\"Ubuntu 22.04.3 LTS\"\n",
            Some(Want {
                codename: Some("jammy"),
                pretty_name: Some("Ubuntu 22.04.3 LTS"),
                ..want("ubuntu", Some("22.04"))
            }),
        );
        fallback("etc/lsb-release", "DISTRIB_RELEASE=22.04\n", None);
        for path in FALLBACK_PATHS {
            fallback(path, "", None);
            fallback(path, "\n\n", None);
            fallback(path, "\u{0}\u{7f}garbage", None);
        }
        let bytes = b"3.19.1\n";
        assert_eq!(parse_release_fallback("etc/os-release", bytes), None);
        assert_eq!(
            parse_release_fallback("etc/alpine-release.bak", bytes),
            None
        );
        check(
            "leading slash tolerated",
            parse_release_fallback("/etc/alpine-release", bytes),
            Some(want("alpine", Some("3.19.1"))),
            "/etc/alpine-release",
        );
    }

    #[test]
    fn fallback_paths() {
        for path in FALLBACK_PATHS {
            assert!(is_release_fallback(path), "{path}");
        }
        for path in [
            "etc/os-release",
            "usr/lib/os-release",
            "etc/issue",
            "",
            "etc/",
        ] {
            assert!(!is_release_fallback(path), "{path}");
        }
    }
}
