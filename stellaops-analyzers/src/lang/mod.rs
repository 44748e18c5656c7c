//! Language packages: what is installed (package metadata on disk, build info embedded in
//! binaries) and, for `dir:` scans of source trees, what lockfiles declare.
//!
//! Each parser takes the bytes of one file (or one archive) and returns [`LangScan`]. Nothing
//! is guessed from file names unless nothing else exists, and then it is marked
//! [`Confidence::Low`]. [`crate::capture`] decides which files reach them.

pub mod dotnet;
pub mod golang;
pub mod java;
pub mod node;
pub mod python;
pub mod rust;

pub use stellaops_core::lang::{Confidence, Evidence, LangEcosystem, LangPackage};
use stellaops_core::Diagnostic;

/// Result of parsing one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LangScan {
    /// Packages found.
    pub packages: Vec<LangPackage>,
    /// Problems, naming the path.
    pub diagnostics: Vec<Diagnostic>,
}

/// Build the canonical purl for a language package.
pub fn purl(
    ecosystem: LangEcosystem,
    namespace: Option<&str>,
    name: &str,
    version: &str,
    qualifiers: &[(&str, &str)],
) -> String {
    let build = || -> Result<String, packageurl::Error> {
        let pname = if ecosystem == LangEcosystem::Pypi {
            pep503(name)
        } else {
            name.to_owned()
        };
        let mut p = packageurl::PackageUrl::new(ecosystem.purl_type(), pname)?;
        if let Some(ns) = namespace.filter(|n| !n.is_empty()) {
            p.with_namespace(ns.to_owned())?;
        }
        if !version.is_empty() {
            p.with_version(version.to_owned())?;
        }
        for (k, v) in qualifiers {
            p.add_qualifier(k.to_string(), v.to_string())?;
        }
        Ok(p.to_string())
    };
    build().unwrap_or_else(|_| format!("pkg:{}/{name}@{version}", ecosystem.purl_type()))
}

/// PEP 503 normalisation: lowercase, runs of `-`, `_`, `.` become `-`.
pub fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for ch in name.trim().chars() {
        if matches!(ch, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.extend(ch.to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purls_per_spec() {
        assert_eq!(
            purl(LangEcosystem::Npm, Some("@babel"), "core", "7.24.0", &[]),
            "pkg:npm/%40babel/core@7.24.0"
        );
        assert_eq!(
            purl(
                LangEcosystem::Pypi,
                None,
                "Django_REST.framework",
                "3.15.1",
                &[]
            ),
            "pkg:pypi/django-rest-framework@3.15.1"
        );
        assert_eq!(
            purl(
                LangEcosystem::Maven,
                Some("org.apache.logging.log4j"),
                "log4j-core",
                "2.17.1",
                &[]
            ),
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1"
        );
        assert_eq!(
            purl(
                LangEcosystem::Golang,
                Some("github.com/gin-gonic"),
                "gin",
                "v1.9.1",
                &[]
            ),
            "pkg:golang/github.com/gin-gonic/gin@v1.9.1"
        );
    }
}
