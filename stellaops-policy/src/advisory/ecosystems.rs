//! Ecosystem names: OSV ecosystem strings and purl types mapped onto one matching key
//! ([`super::model::PackageKey`]), package-name normalisation per ecosystem, and the version
//! ordering each one uses.

use crate::version::Ecosystem;

/// A matching ecosystem with an optional distribution release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyEcosystem {
    /// Key ecosystem name (`npm`, `pypi`, `debian`, `alpine`, ...).
    pub name: String,
    /// Release for distributions.
    pub release: Option<String>,
}

/// Distributions whose packages are dpkg-versioned.
const DEB_DISTROS: [&str; 2] = ["debian", "ubuntu"];
/// Distributions whose packages are rpm-versioned.
const RPM_DISTROS: [&str; 11] = [
    "redhat",
    "rhel",
    "centos",
    "rocky",
    "almalinux",
    "fedora",
    "amzn",
    "ol",
    "sles",
    "opensuse",
    "suse",
];

/// Map an OSV `affected[].package.ecosystem` value. `None` for ecosystems we do not know
/// (the record is kept with its ranges marked unusable).
pub fn from_osv(ecosystem: &str) -> Option<KeyEcosystem> {
    let (base, rest) = match ecosystem.split_once(':') {
        Some((b, r)) => (b, Some(r)),
        None => (ecosystem, None),
    };
    let lang = |n: &str| {
        Some(KeyEcosystem {
            name: n.to_owned(),
            release: None,
        })
    };
    let distro = |n: &str, release: Option<String>| {
        Some(KeyEcosystem {
            name: n.to_owned(),
            release,
        })
    };
    match base {
        "npm" => lang("npm"),
        "PyPI" => lang("pypi"),
        "Go" => lang("golang"),
        "Maven" => lang("maven"),
        "NuGet" => lang("nuget"),
        "crates.io" => lang("cargo"),
        "RubyGems" => lang("gem"),
        "Packagist" => lang("composer"),
        "Hex" => lang("hex"),
        "Pub" => lang("pub"),
        "Debian" => distro("debian", rest.map(|r| debian_release(r).to_owned())),
        "Ubuntu" => distro(
            "ubuntu",
            rest.map(|r| r.split(':').next().unwrap_or(r).to_owned()),
        ),
        "Alpine" => distro("alpine", rest.map(|r| alpine_release(r).to_owned())),
        "Red Hat" => distro("redhat", rest.and_then(redhat_release)),
        "Rocky Linux" => distro("rocky", rest.map(major)),
        "AlmaLinux" => distro("almalinux", rest.map(major)),
        "SUSE" | "openSUSE" => distro(if base == "SUSE" { "sles" } else { "opensuse" }, None),
        _ => None,
    }
}

/// `Debian:12`, `Debian:bookworm` and `Debian:12.4` all mean release `12`.
pub fn debian_release(release: &str) -> &str {
    match release {
        "buster" => "10",
        "bullseye" => "11",
        "bookworm" => "12",
        "trixie" => "13",
        "forky" => "14",
        "sid" | "unstable" => "sid",
        other => other.split('.').next().unwrap_or(other),
    }
}

/// `v3.19`, `3.19.1` -> `3.19`; `edge` stays.
pub fn alpine_release(release: &str) -> &str {
    let r = release.strip_prefix('v').unwrap_or(release);
    match r.match_indices('.').nth(1) {
        Some((i, _)) => &r[..i],
        None => r,
    }
}

fn major(release: &str) -> String {
    release
        .split(['.', ':'])
        .next()
        .unwrap_or(release)
        .to_owned()
}

/// `Red Hat:enterprise_linux:9::appstream` -> `9`.
fn redhat_release(rest: &str) -> Option<String> {
    rest.split(':')
        .find(|p| p.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .map(major)
}

/// The release key of a distribution as the scanner reports it (purl `distro` qualifier
/// `<id>-<version_id>` split into id and version).
pub fn distro_release(id: &str, version_id: &str) -> String {
    match id {
        "debian" => debian_release(version_id).to_owned(),
        "alpine" => alpine_release(version_id).to_owned(),
        "ubuntu" => version_id.to_owned(),
        _ if RPM_DISTROS.contains(&id) => major(version_id),
        _ => version_id.to_owned(),
    }
}

/// Canonical distro ecosystem key for an os-release `ID`.
pub fn distro_key(id: &str) -> &str {
    match id {
        "rhel" => "redhat",
        other => other,
    }
}

/// Key ecosystem for a purl type (language packages only).
pub fn from_purl_type(purl_type: &str) -> Option<&'static str> {
    Some(match purl_type {
        "npm" => "npm",
        "pypi" => "pypi",
        "golang" => "golang",
        "maven" => "maven",
        "nuget" => "nuget",
        "cargo" => "cargo",
        "gem" => "gem",
        "composer" => "composer",
        _ => return None,
    })
}

/// Version ordering used by a key ecosystem (distros by their package manager).
pub fn version_scheme(key_ecosystem: &str) -> Option<Ecosystem> {
    Some(match key_ecosystem {
        "npm" => Ecosystem::Npm,
        "pypi" => Ecosystem::Pypi,
        "golang" => Ecosystem::Golang,
        "maven" => Ecosystem::Maven,
        "nuget" => Ecosystem::Nuget,
        "cargo" => Ecosystem::Semver,
        "alpine" => Ecosystem::Apk,
        d if DEB_DISTROS.contains(&d) => Ecosystem::Deb,
        d if RPM_DISTROS.contains(&d) => Ecosystem::Rpm,
        _ => return None,
    })
}

/// Normalise a package name for matching in `key_ecosystem`.
pub fn normalize_name(key_ecosystem: &str, name: &str) -> String {
    match key_ecosystem {
        // PEP 503: lowercase, runs of `-`, `_`, `.` become one `-`.
        "pypi" => {
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
        "npm" | "nuget" | "composer" => name.trim().to_lowercase(),
        // Maven `group:artifact`; purls write `group/artifact`.
        "maven" => name.trim().replacen('/', ":", 1),
        _ => name.trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_osv_ecosystems() {
        let k = |e: &str| from_osv(e).map(|k| (k.name, k.release));
        assert_eq!(k("Debian:12"), Some(("debian".into(), Some("12".into()))));
        assert_eq!(k("Debian:7"), Some(("debian".into(), Some("7".into()))));
        assert_eq!(
            k("Alpine:v3.19"),
            Some(("alpine".into(), Some("3.19".into())))
        );
        assert_eq!(
            k("Ubuntu:22.04:LTS"),
            Some(("ubuntu".into(), Some("22.04".into())))
        );
        assert_eq!(
            k("Red Hat:enterprise_linux:9::appstream"),
            Some(("redhat".into(), Some("9".into())))
        );
        assert_eq!(k("PyPI"), Some(("pypi".into(), None)));
        assert_eq!(k("Martian"), None);
        assert_eq!(distro_release("alpine", "3.19.1"), "3.19");
        assert_eq!(distro_release("debian", "12"), "12");
        assert_eq!(distro_release("rhel", "9.2"), "9");
    }

    #[test]
    fn normalises_names() {
        assert_eq!(
            normalize_name("pypi", "Django_Rest.Framework"),
            "django-rest-framework"
        );
        assert_eq!(normalize_name("pypi", "a--b__c"), "a-b-c");
        assert_eq!(
            normalize_name("maven", "org.apache/commons"),
            "org.apache:commons"
        );
        assert_eq!(normalize_name("npm", "@Scope/Pkg"), "@scope/pkg");
    }
}
