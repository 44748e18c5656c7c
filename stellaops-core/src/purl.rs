//! Package URLs for OS packages, per the purl spec's `deb`, `apk` and `rpm` types.
//!
//! Namespace is the distribution id; qualifiers are `arch`, `distro` (`<id>-<version_id>`),
//! `epoch` (rpm only; dpkg keeps the epoch inside the version) and `upstream` (the source
//! package). Qualifiers are emitted sorted, as the spec's canonical form requires.

use packageurl::PackageUrl;

use crate::model::{Distro, Package, PackageKind};

/// The canonical purl of `pkg` installed on `distro`.
pub fn package_purl(pkg: &Package, distro: Option<&Distro>) -> String {
    match build(pkg, distro) {
        Ok(purl) => purl,
        // The purl library only rejects empty names or bad qualifier keys, which our
        // analyzers never produce; keep a readable fallback instead of panicking.
        Err(_) => format!("pkg:{}/{}@{}", pkg.kind.purl_type(), pkg.name, pkg.version),
    }
}

/// `pkg:generic/<file name>[@<version>]?checksum=sha256:<hex>` for a binary no package
/// claims (the version only when the file states one, e.g. a PE version resource).
pub fn binary_purl(name: &str, version: &str, sha256: &str) -> String {
    let build = || -> Result<String, packageurl::Error> {
        let mut purl = PackageUrl::new("generic", name)?;
        if !version.is_empty() {
            purl.with_version(version)?;
        }
        purl.add_qualifier("checksum", format!("sha256:{sha256}"))?;
        Ok(purl.to_string())
    };
    build().unwrap_or_else(|_| format!("pkg:generic/{name}?checksum=sha256:{sha256}"))
}

fn build(pkg: &Package, distro: Option<&Distro>) -> Result<String, packageurl::Error> {
    let mut purl = PackageUrl::new(pkg.kind.purl_type(), pkg.name.as_str())?;
    if let Some(ns) = namespace(pkg.kind, distro) {
        purl.with_namespace(ns)?;
    }
    purl.with_version(pkg.version.as_str())?;
    if let Some(arch) = &pkg.arch {
        purl.add_qualifier("arch", arch.as_str())?;
    }
    if let Some(distro) = distro {
        purl.add_qualifier("distro", distro.purl_qualifier())?;
    }
    if pkg.kind == PackageKind::Rpm {
        if let Some(epoch) = pkg.epoch {
            purl.add_qualifier("epoch", epoch.to_string())?;
        }
    }
    if let Some(upstream) = upstream(pkg) {
        purl.add_qualifier("upstream", upstream)?;
    }
    Ok(purl.to_string())
}

fn namespace(kind: PackageKind, distro: Option<&Distro>) -> Option<String> {
    match distro {
        Some(d) if !d.id.is_empty() => Some(d.id.to_ascii_lowercase()),
        _ => match kind {
            PackageKind::Deb => Some("debian".to_owned()),
            PackageKind::Apk => Some("alpine".to_owned()),
            _ => None,
        },
    }
}

fn upstream(pkg: &Package) -> Option<String> {
    match pkg.kind {
        PackageKind::Rpm => pkg.properties.get("rpm:sourcerpm").cloned(),
        PackageKind::Deb | PackageKind::Apk => {
            let src = pkg.source_name.as_deref()?;
            match pkg.source_version.as_deref() {
                Some(v) if v != pkg.version => Some(format!("{src}@{v}")),
                _ if src != pkg.name => Some(src.to_owned()),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distro(id: &str, v: &str) -> Distro {
        Distro {
            id: id.into(),
            version_id: Some(v.into()),
            source_path: "/etc/os-release".into(),
            ..Distro::default()
        }
    }

    #[test]
    fn deb_purl_with_upstream_and_epoch_in_version() {
        let mut p = Package::new(PackageKind::Deb, "libc6", "2.36-9+deb12u4");
        p.arch = Some("amd64".into());
        p.source_name = Some("glibc".into());
        assert_eq!(
            package_purl(&p, Some(&distro("debian", "12"))),
            "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc"
        );
        let mut p = Package::new(PackageKind::Deb, "libpam-runtime", "1:1.5.2-6");
        p.source_name = Some("pam".into());
        p.source_version = Some("1.5.2-6".into());
        assert_eq!(
            package_purl(&p, None),
            "pkg:deb/debian/libpam-runtime@1:1.5.2-6?upstream=pam%401.5.2-6"
        );
    }

    #[test]
    fn rpm_purl_has_epoch_qualifier() {
        let mut p = Package::new(PackageKind::Rpm, "openssl-libs", "3.0.8-1.amzn2023.0.1");
        p.epoch = Some(1);
        p.arch = Some("x86_64".into());
        p.properties.insert(
            "rpm:sourcerpm".into(),
            "openssl-3.0.8-1.amzn2023.0.1.src.rpm".into(),
        );
        assert_eq!(
            package_purl(&p, Some(&distro("amzn", "2023"))),
            "pkg:rpm/amzn/openssl-libs@3.0.8-1.amzn2023.0.1?arch=x86_64&distro=amzn-2023&epoch=1&upstream=openssl-3.0.8-1.amzn2023.0.1.src.rpm"
        );
    }
}
