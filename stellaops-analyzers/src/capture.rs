//! Which files the OS analyzers read, and how their bytes become facts.
//!
//! Paths are normalised (no leading `/`). Only the files named here are ever read into
//! memory, each under a size limit; everything else is recorded as an entry and skipped.

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

/// What `path` is to the analyzers, if anything.
pub fn classify(path: &str) -> Option<Capture> {
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_paths() {
        assert_eq!(classify("var/lib/dpkg/status"), Some(Capture::DpkgStatus));
        assert_eq!(
            classify("var/lib/dpkg/status.d/libc6"),
            Some(Capture::DpkgStatusD)
        );
        assert_eq!(
            classify("var/lib/dpkg/status.d/libc6.md5sums"),
            Some(Capture::DpkgMd5sums("libc6".into()))
        );
        assert_eq!(classify("var/lib/dpkg/status.d/libc6.preinst"), None);
        assert_eq!(
            classify("var/lib/dpkg/info/libc6:amd64.list"),
            Some(Capture::DpkgList("libc6:amd64".into()))
        );
        assert_eq!(classify("var/lib/dpkg/info/libc6.md5sums"), None);
        assert_eq!(
            classify("lib/apk/db/installed"),
            Some(Capture::ApkInstalled)
        );
        assert_eq!(
            classify("usr/lib/sysimage/rpm/rpmdb.sqlite"),
            Some(Capture::RpmDb)
        );
        assert_eq!(classify("var/lib/rpm/Packages"), Some(Capture::RpmDb));
        assert_eq!(classify("etc/os-release"), Some(Capture::OsRelease));
        assert_eq!(
            classify("usr/share/doc/bash/copyright"),
            Some(Capture::Copyright("bash".into()))
        );
        assert_eq!(classify("usr/share/doc/bash/examples/copyright"), None);
        assert_eq!(classify("usr/bin/bash"), None);
    }
}
