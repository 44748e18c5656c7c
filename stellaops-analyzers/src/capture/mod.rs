//! Which files the analyzers read, and how their bytes become facts.
//!
//! Paths are normalised (no leading `/`). Only the files named here (OS package databases,
//! release files, [`lang`] files, `ld.so.conf`) and the executables [`content`] recognises by
//! their first bytes are ever read into memory, each under a size limit; everything else is
//! recorded as an entry and skipped.

pub mod cache;
pub mod content;
pub mod lang;

use stellaops_core::fragment::{DbKind, Fact};
use stellaops_core::Diagnostic;

use crate::image::path::{file_name, parent};
use crate::image::Limits;
use crate::os::{apk, dpkg, dpkg_copyright, release, rpm};

/// A file the analyzers want, and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Capture {
    /// `var/lib/dpkg/status`.
    DpkgStatus,
    /// A package stanza file in `var/lib/dpkg/status.d/` (distroless).
    DpkgStatusD,
    /// `var/lib/dpkg/info/<pkg>.list`: files owned by `<pkg>`.
    DpkgList(String),
    /// `var/lib/dpkg/status.d/<pkg>.md5sums`: files owned by `<pkg>` (distroless).
    DpkgMd5sums(String),
    /// `lib/apk/db/installed`.
    ApkInstalled,
    /// An rpmdb file (`Packages`, `Packages.db`, `rpmdb.sqlite`).
    RpmDb,
    /// `etc/os-release` or `usr/lib/os-release`.
    OsRelease,
    /// `etc/alpine-release`, `etc/debian_version`, ...
    ReleaseFallback,
    /// `usr/share/doc/<pkg>/copyright`.
    Copyright(String),
    /// `etc/ld.so.conf` or `etc/ld.so.conf.d/*.conf`.
    LdSoConf,
    /// A language package file.
    Lang(lang::LangCapture),
}

const RPMDB_DIRS: [&str; 3] = ["var/lib/rpm", "usr/lib/sysimage/rpm", "usr/share/rpm"];
const RPMDB_FILES: [&str; 3] = ["Packages", "Packages.db", "rpmdb.sqlite"];
const DPKG_CONTROL_SUFFIXES: [&str; 12] = [
    ".md5sums",
    ".preinst",
    ".postinst",
    ".prerm",
    ".postrm",
    ".conffiles",
    ".list",
    ".triggers",
    ".shlibs",
    ".symbols",
    ".templates",
    ".config",
];

/// What `path` is to the analyzers, if anything. `source_tree` is set for `dir:` scans of
/// source trees, where lockfiles are read too.
pub fn classify(path: &str, source_tree: bool) -> Option<Capture> {
    if let Some(c) = classify_os(path) {
        return Some(c);
    }
    if path == "etc/ld.so.conf"
        || (parent(path) == "etc/ld.so.conf.d" && file_name(path).ends_with(".conf"))
    {
        return Some(Capture::LdSoConf);
    }
    lang::classify(path, source_tree).map(Capture::Lang)
}

fn classify_os(path: &str) -> Option<Capture> {
    let dir = parent(path);
    let name = file_name(path);
    match dir {
        "var/lib/dpkg" if name == "status" => return Some(Capture::DpkgStatus),
        "var/lib/dpkg/status.d" => {
            if let Some(pkg) = name.strip_suffix(".md5sums") {
                return Some(Capture::DpkgMd5sums(pkg.to_owned()));
            }
            if name.starts_with('.') || DPKG_CONTROL_SUFFIXES.iter().any(|s| name.ends_with(s)) {
                return None;
            }
            return Some(Capture::DpkgStatusD);
        }
        "var/lib/dpkg/info" => {
            return name
                .strip_suffix(".list")
                .map(|pkg| Capture::DpkgList(pkg.to_owned()));
        }
        "lib/apk/db" if name == "installed" => return Some(Capture::ApkInstalled),
        _ => {}
    }
    if RPMDB_DIRS.contains(&dir) && RPMDB_FILES.contains(&name) {
        return Some(Capture::RpmDb);
    }
    if path == "etc/os-release" || path == "usr/lib/os-release" {
        return Some(Capture::OsRelease);
    }
    if release::is_release_fallback(path) {
        return Some(Capture::ReleaseFallback);
    }
    if name == "copyright" {
        if let Some(pkg) = dir.strip_prefix("usr/share/doc/") {
            if !pkg.is_empty() && !pkg.contains('/') {
                return Some(Capture::Copyright(pkg.to_owned()));
            }
        }
    }
    None
}

/// Largest file of this kind read into memory.
pub fn size_limit(capture: &Capture, limits: &Limits) -> u64 {
    match capture {
        Capture::DpkgStatus | Capture::DpkgStatusD | Capture::ApkInstalled | Capture::RpmDb => {
            limits.max_database_bytes
        }
        Capture::Lang(lang::LangCapture::JavaArchive) => limits.max_archive_bytes,
        _ => limits.max_metadata_bytes,
    }
}

/// Turn a captured file into a fact. Problems become diagnostics naming `path`.
pub fn analyze(path: &str, capture: &Capture, bytes: &[u8]) -> (Option<Fact>, Vec<Diagnostic>) {
    let abs = format!("/{path}");
    let with_path = |mut diags: Vec<Diagnostic>| {
        for d in &mut diags {
            if d.path.is_none() {
                d.path = Some(abs.clone());
            }
        }
        diags
    };
    match capture {
        Capture::DpkgStatus | Capture::DpkgStatusD | Capture::ApkInstalled => {
            let (db, scan) = match capture {
                Capture::DpkgStatus => (DbKind::DpkgStatus, dpkg::parse_status(bytes)),
                Capture::DpkgStatusD => (DbKind::DpkgStatusD, dpkg::parse_status(bytes)),
                _ => (DbKind::ApkInstalled, apk::parse_installed(bytes)),
            };
            let fact = Fact::PackageDb {
                db,
                packages: scan.packages,
            };
            (Some(fact), with_path(scan.diagnostics))
        }
        Capture::RpmDb => {
            let Some(format) = rpm::detect_format(file_name(path), bytes) else {
                if bytes.is_empty() {
                    return (None, Vec::new());
                }
                return (
                    None,
                    vec![Diagnostic::warning(
                        Some(abs),
                        "file has an rpmdb name but not the expected format; skipped",
                    )],
                );
            };
            let db = match format {
                rpm::RpmDbFormat::Sqlite => DbKind::RpmSqlite,
                rpm::RpmDbFormat::BerkeleyDb => DbKind::RpmBdb,
                rpm::RpmDbFormat::Ndb => DbKind::RpmNdb,
            };
            match rpm::parse_rpmdb(format, bytes) {
                Ok(scan) => (
                    Some(Fact::PackageDb {
                        db,
                        packages: scan.packages,
                    }),
                    with_path(scan.diagnostics),
                ),
                Err(e) => (
                    None,
                    vec![Diagnostic::error(
                        Some(abs),
                        format!("rpmdb unreadable: {e}"),
                    )],
                ),
            }
        }
        Capture::DpkgList(pkg) | Capture::DpkgMd5sums(pkg) => {
            let files = match capture {
                Capture::DpkgList(_) => dpkg::parse_file_list(bytes),
                _ => dpkg::parse_md5sums(bytes),
            };
            (
                Some(Fact::DpkgFiles {
                    package: pkg.clone(),
                    files,
                }),
                Vec::new(),
            )
        }
        Capture::OsRelease => match release::parse_os_release(bytes, path) {
            Some(distro) => (
                Some(Fact::OsRelease {
                    distro,
                    fallback: false,
                }),
                Vec::new(),
            ),
            None => (
                None,
                vec![Diagnostic::warning(
                    Some(abs),
                    "os-release has no ID, VERSION_ID or NAME",
                )],
            ),
        },
        Capture::ReleaseFallback => (
            release::parse_release_fallback(path, bytes).map(|distro| Fact::OsRelease {
                distro,
                fallback: true,
            }),
            Vec::new(),
        ),
        Capture::Copyright(pkg) => (
            Some(Fact::Copyright {
                package: pkg.clone(),
                info: dpkg_copyright::parse_copyright(bytes),
            }),
            Vec::new(),
        ),
        Capture::LdSoConf => (Some(parse_ld_so_conf(bytes)), Vec::new()),
        Capture::Lang(capture) => lang::analyze(path, capture, bytes),
    }
}

/// `ld.so.conf` syntax: one directory per line (or several separated by whitespace, `:` or
/// `,`), `include PATTERN...`, `#` comments; `hwcap` lines are obsolete and ignored.
fn parse_ld_so_conf(bytes: &[u8]) -> Fact {
    let text = String::from_utf8_lossy(bytes);
    let mut dirs = Vec::new();
    let mut includes = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix("include") {
            if rest.starts_with(char::is_whitespace) {
                includes.extend(rest.split_whitespace().map(str::to_owned));
                continue;
            }
        }
        if line.starts_with("hwcap") {
            continue;
        }
        dirs.extend(
            line.split(|c: char| c.is_whitespace() || c == ':' || c == ',')
                .filter(|d| !d.is_empty())
                .map(str::to_owned),
        );
    }
    Fact::LdSoConf { dirs, includes }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ld_so_conf() {
        let fact = parse_ld_so_conf(
            b"# libc default configuration\n/usr/local/lib\ninclude /etc/ld.so.conf.d/*.conf\n/opt/a:/opt/b\n",
        );
        assert_eq!(
            fact,
            Fact::LdSoConf {
                dirs: vec!["/usr/local/lib".into(), "/opt/a".into(), "/opt/b".into()],
                includes: vec!["/etc/ld.so.conf.d/*.conf".into()],
            }
        );
        assert_eq!(
            classify("etc/ld.so.conf.d/x86_64-linux-gnu.conf", false),
            Some(Capture::LdSoConf)
        );
    }

    #[test]
    fn classifies_paths() {
        assert_eq!(
            classify("var/lib/dpkg/status", false),
            Some(Capture::DpkgStatus)
        );
        assert_eq!(
            classify("var/lib/dpkg/status.d/libc6", false),
            Some(Capture::DpkgStatusD)
        );
        assert_eq!(
            classify("var/lib/dpkg/status.d/libc6.md5sums", false),
            Some(Capture::DpkgMd5sums("libc6".into()))
        );
        assert_eq!(classify("var/lib/dpkg/status.d/libc6.preinst", false), None);
        assert_eq!(
            classify("var/lib/dpkg/info/libc6:amd64.list", false),
            Some(Capture::DpkgList("libc6:amd64".into()))
        );
        assert_eq!(classify("var/lib/dpkg/info/libc6.md5sums", false), None);
        assert_eq!(
            classify("lib/apk/db/installed", false),
            Some(Capture::ApkInstalled)
        );
        assert_eq!(
            classify("usr/lib/sysimage/rpm/rpmdb.sqlite", false),
            Some(Capture::RpmDb)
        );
        assert_eq!(
            classify("var/lib/rpm/Packages", false),
            Some(Capture::RpmDb)
        );
        assert_eq!(classify("etc/os-release", false), Some(Capture::OsRelease));
        assert_eq!(
            classify("usr/share/doc/bash/copyright", false),
            Some(Capture::Copyright("bash".into()))
        );
        assert_eq!(
            classify("usr/share/doc/bash/examples/copyright", false),
            None
        );
        assert_eq!(classify("usr/bin/bash", false), None);
    }
}
