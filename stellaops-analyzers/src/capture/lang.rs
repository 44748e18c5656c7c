//! Which files the language analyzers read, and how their bytes become
//! [`Fact::LangPackages`].
//!
//! Installed state is read in every scan: `node_modules/**/package.json`, `*.dist-info` /
//! `*.egg-info` metadata, Java archives, `*.deps.json`. Lockfiles (npm, yarn, pnpm, Python,
//! Cargo) are read only in source-tree (`dir:`) scans, and their packages are marked declared.

use stellaops_core::fragment::Fact;
use stellaops_core::Diagnostic;

use crate::image::path::{file_name, parent};
use crate::lang::{self, java, node, python, LangScan};

/// A language file the analyzers want.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LangCapture {
    /// An installed `node_modules/**/package.json`.
    NodePackageJson,
    /// `package-lock.json`, `npm-shrinkwrap.json`, `yarn.lock`, `pnpm-lock.yaml` (source trees).
    NodeLockfile,
    /// `requirements*.txt`, `poetry.lock`, `uv.lock`, ... (source trees).
    PythonLockfile,
    /// `Cargo.lock` (source trees).
    CargoLock,
    /// One file of an installed Python distribution, grouped by its metadata directory.
    PythonDist {
        /// The `.dist-info` / `.egg-info` directory (or the `.egg-info` file itself).
        dir: String,
        /// Which file.
        part: DistPart,
    },
    /// `.jar .war .ear .jpi .hpi`.
    JavaArchive,
    /// `*.deps.json`.
    DotnetDeps,
}

/// The files of one installed Python distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DistPart {
    /// `METADATA`, `PKG-INFO` or an `.egg-info` file: the package itself.
    Metadata,
    /// `RECORD`: the files it owns.
    Record,
    /// `direct_url.json`: where it was installed from.
    DirectUrl,
}

/// What `path` is to the language analyzers, if anything. `source_tree` enables lockfiles.
pub fn classify(path: &str, source_tree: bool) -> Option<LangCapture> {
    let name = file_name(path);
    if name == "package.json" {
        return (node::is_installed_package_json(path) || is_distro_node_module(path))
            .then_some(LangCapture::NodePackageJson);
    }
    if python::is_python_metadata(path) {
        let dir = if name.to_ascii_lowercase().ends_with(".egg-info") {
            path
        } else {
            parent(path)
        };
        return Some(LangCapture::PythonDist {
            dir: dir.to_owned(),
            part: DistPart::Metadata,
        });
    }
    if matches!(name, "RECORD" | "direct_url.json")
        && parent(path).to_ascii_lowercase().ends_with(".dist-info")
    {
        let part = if name == "RECORD" {
            DistPart::Record
        } else {
            DistPart::DirectUrl
        };
        return Some(LangCapture::PythonDist {
            dir: parent(path).to_owned(),
            part,
        });
    }
    if java::is_java_archive(path) {
        return Some(LangCapture::JavaArchive);
    }
    if name.len() > ".deps.json".len() && name.ends_with(".deps.json") {
        return Some(LangCapture::DotnetDeps);
    }
    if !source_tree || path.split('/').any(|c| c == "node_modules") {
        return None;
    }
    if node::is_node_lockfile(path) {
        Some(LangCapture::NodeLockfile)
    } else if python::is_python_lockfile(path) {
        Some(LangCapture::PythonLockfile)
    } else if name == "Cargo.lock" {
        Some(LangCapture::CargoLock)
    } else {
        None
    }
}

/// Directories where distributions install npm packages system-wide without a
/// `node_modules` component (Debian's `/usr/share/nodejs`, `/usr/lib/nodejs`, and the
/// architecture-specific `/usr/lib/<triplet>/nodejs`).
fn is_distro_node_module(path: &str) -> bool {
    let rest = ["usr/share/nodejs/", "usr/lib/nodejs/"]
        .iter()
        .find_map(|root| path.strip_prefix(root))
        .or_else(|| {
            let after_lib = path.strip_prefix("usr/lib/")?;
            let (_triplet, rest) = after_lib.split_once('/')?;
            rest.strip_prefix("nodejs/")
        });
    let Some(rest) = rest else {
        return false;
    };
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        [name, "package.json"] => !name.starts_with('@') && !name.starts_with('.'),
        [scope, name, "package.json"] => scope.starts_with('@') && !name.starts_with('.'),
        _ => false,
    }
}

/// Parse one captured language file (not [`LangCapture::PythonDist`], see
/// [`analyze_python`]). `path` is normalised (no leading `/`).
pub fn analyze(path: &str, capture: &LangCapture, bytes: &[u8]) -> (Option<Fact>, Vec<Diagnostic>) {
    let abs = format!("/{path}");
    let scan = match capture {
        LangCapture::NodePackageJson => node::parse_installed_package_json(&abs, bytes),
        LangCapture::NodeLockfile => node::parse_lockfile(&abs, bytes),
        LangCapture::PythonLockfile => python::parse_lockfile(&abs, bytes),
        LangCapture::CargoLock => lang::rust::parse_cargo_lock(&abs, bytes),
        LangCapture::DotnetDeps => lang::dotnet::parse_deps_json(&abs, bytes),
        LangCapture::JavaArchive => {
            let (scan, launch) =
                java::scan_archive_launch(&abs, bytes, &java::JavaLimits::default());
            return fact(scan, launch.main_class, launch.class_path);
        }
        LangCapture::PythonDist { .. } => return (None, Vec::new()),
    };
    fact(scan, None, Vec::new())
}

/// Parse one Python distribution from its files: metadata (required), `RECORD` and
/// `direct_url.json` when present. The fact is keyed by the metadata file's path.
pub fn analyze_python(
    metadata_path: &str,
    metadata: &[u8],
    record: Option<&[u8]>,
    direct_url: Option<&[u8]>,
) -> (Option<Fact>, Vec<Diagnostic>) {
    let scan = python::parse_installed_metadata(
        &format!("/{metadata_path}"),
        metadata,
        record,
        direct_url,
    );
    fact(scan, None, Vec::new())
}

fn fact(
    scan: LangScan,
    main_class: Option<String>,
    class_path: Vec<String>,
) -> (Option<Fact>, Vec<Diagnostic>) {
    let keep = !scan.packages.is_empty() || main_class.is_some() || !class_path.is_empty();
    let fact = keep.then_some(Fact::LangPackages {
        packages: scan.packages,
        main_class,
        class_path,
    });
    (fact, scan.diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_language_files() {
        let installed = |p| classify(p, false);
        assert_eq!(
            installed("usr/lib/node_modules/npm/node_modules/@npmcli/arborist/package.json"),
            Some(LangCapture::NodePackageJson)
        );
        assert_eq!(installed("usr/src/app/package.json"), None);
        assert_eq!(
            installed("usr/share/nodejs/acorn/package.json"),
            Some(LangCapture::NodePackageJson)
        );
        assert_eq!(
            installed("usr/share/nodejs/@types/node/package.json"),
            Some(LangCapture::NodePackageJson)
        );
        assert_eq!(
            installed("usr/lib/x86_64-linux-gnu/nodejs/cjs-module-lexer/package.json"),
            Some(LangCapture::NodePackageJson)
        );
        assert_eq!(installed("usr/share/nodejs/acorn/dist/package.json"), None);
        assert_eq!(
            installed("usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA"),
            Some(LangCapture::PythonDist {
                dir: "usr/lib/python3/dist-packages/requests-2.28.1.dist-info".into(),
                part: DistPart::Metadata
            })
        );
        assert_eq!(
            installed("usr/lib/python3/dist-packages/requests-2.28.1.dist-info/RECORD"),
            Some(LangCapture::PythonDist {
                dir: "usr/lib/python3/dist-packages/requests-2.28.1.dist-info".into(),
                part: DistPart::Record
            })
        );
        assert_eq!(
            installed("usr/lib/python3/dist-packages/six-1.16.0.egg-info"),
            Some(LangCapture::PythonDist {
                dir: "usr/lib/python3/dist-packages/six-1.16.0.egg-info".into(),
                part: DistPart::Metadata
            })
        );
        assert_eq!(
            installed("usr/share/java/commons-lang3.jar"),
            Some(LangCapture::JavaArchive)
        );
        assert_eq!(
            installed("app/MyApp.deps.json"),
            Some(LangCapture::DotnetDeps)
        );
        // Lockfiles only in source trees, never inside node_modules.
        assert_eq!(installed("src/package-lock.json"), None);
        assert_eq!(
            classify("src/package-lock.json", true),
            Some(LangCapture::NodeLockfile)
        );
        assert_eq!(classify("src/node_modules/x/package-lock.json", true), None);
        assert_eq!(
            classify("src/requirements.txt", true),
            Some(LangCapture::PythonLockfile)
        );
        assert_eq!(
            classify("src/Cargo.lock", true),
            Some(LangCapture::CargoLock)
        );
    }
}
