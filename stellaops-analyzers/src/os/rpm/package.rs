//! Turning one decoded RPM header into a [`Package`].
//!
//! Owns the mapping from rpm tags to the model: `VERSION-RELEASE` version, epoch, arch, the
//! source rpm split into name and version, license, supplier, summary, the owned file list
//! (`DIRNAMES[DIRINDEXES[i]] + BASENAMES[i]`, or legacy `OLDFILENAMES`) and `rpm:*`
//! properties. A missing or unreadable `NAME`/`VERSION` rejects the header; a problem with
//! an optional tag drops only that field and is reported as a warning.

use stellaops_core::license;
use stellaops_core::{Package, PackageKind};

use super::header::{tag, Header, HeaderError};

/// Imported signing keys are stored as fake packages with this name.
const GPG_PUBKEY: &str = "gpg-pubkey";

/// The package from `header`, `Ok(None)` for a `gpg-pubkey` pseudo-package. Problems with
/// optional tags are pushed to `warnings` (without location; the caller adds it).
pub(crate) fn from_header(
    header: &Header<'_>,
    blob_len: usize,
    warnings: &mut Vec<String>,
) -> Result<Option<Package>, String> {
    let required = |t: i32, what: &str| -> Result<String, String> {
        match header.string(t) {
            Ok(Some(s)) if !s.is_empty() => Ok(s),
            Ok(_) => Err(format!("header has no {what}")),
            Err(e) => Err(format!("unreadable {what}: {e}")),
        }
    };
    let name = required(tag::NAME, "NAME")?;
    if name == GPG_PUBKEY {
        return Ok(None);
    }
    let version = required(tag::VERSION, "VERSION")?;
    let mut optional = |t: i32, what: &str| -> Option<String> {
        match header.string(t) {
            Ok(Some(s)) => {
                let s = s.trim();
                (!s.is_empty() && s != "(none)").then(|| s.to_owned())
            }
            Ok(None) => None,
            Err(e) => {
                warnings.push(format!("{name}: {what} ignored: {e}"));
                None
            }
        }
    };
    let release = optional(tag::RELEASE, "RELEASE");
    let arch = optional(tag::ARCH, "ARCH");
    let source_rpm = optional(tag::SOURCERPM, "SOURCERPM");
    let license_text = optional(tag::LICENSE, "LICENSE");
    let vendor = optional(tag::VENDOR, "VENDOR");
    let packager = optional(tag::PACKAGER, "PACKAGER");
    let summary = optional(tag::SUMMARY, "SUMMARY");
    let modularity = optional(tag::MODULARITYLABEL, "MODULARITYLABEL");

    let full_version = match &release {
        Some(r) => format!("{version}-{r}"),
        None => version,
    };
    let mut pkg = Package::new(PackageKind::Rpm, name.clone(), full_version);
    pkg.arch = arch;
    match header.int(tag::EPOCH) {
        Ok(epoch) => pkg.epoch = epoch,
        Err(e) => warnings.push(format!("{name}: EPOCH ignored: {e}")),
    }
    if let Some(src) = &source_rpm {
        if let Some((n, v)) = split_source_rpm(src) {
            pkg.source_name = Some(n.to_owned());
            pkg.source_version = Some(v.to_owned());
        }
        pkg.properties
            .insert("rpm:sourcerpm".to_owned(), src.clone());
    }
    pkg.licenses = license_text
        .as_deref()
        .and_then(license::declared)
        .into_iter()
        .collect();
    pkg.supplier = vendor.clone().or(packager);
    pkg.description = summary;
    if let Some(v) = vendor {
        pkg.properties.insert("rpm:vendor".to_owned(), v);
    }
    if let Some(m) = modularity {
        pkg.properties.insert("rpm:modularitylabel".to_owned(), m);
    }
    let size = match header.int(tag::SIZE) {
        Ok(Some(s)) => Ok(Some(s)),
        Ok(None) => header.int(tag::LONGSIZE),
        Err(e) => Err(e),
    };
    match size {
        Ok(Some(s)) => {
            pkg.properties.insert("rpm:size".to_owned(), s.to_string());
        }
        Ok(None) => {}
        Err(e) => warnings.push(format!("{name}: SIZE ignored: {e}")),
    }
    match files(header, blob_len) {
        Ok(mut files) => {
            files.sort_unstable();
            files.dedup();
            pkg.files = files;
        }
        Err(e) => warnings.push(format!("{name}: file list ignored: {e}")),
    }
    Ok(Some(pkg))
}

/// `(name, "version-release")` from `name-version-release.src.rpm`.
pub(crate) fn split_source_rpm(src: &str) -> Option<(&str, &str)> {
    let stem = src
        .strip_suffix(".src.rpm")
        .or_else(|| src.strip_suffix(".nosrc.rpm"))
        .unwrap_or(src);
    let (rest, release) = stem.rsplit_once('-')?;
    let (name, version) = rest.rsplit_once('-')?;
    if name.is_empty() || version.is_empty() || release.is_empty() {
        return None;
    }
    let version_release = stem.get(name.len() + 1..)?;
    Some((name, version_release))
}

/// Absolute paths of the files the package owns (unsorted).
fn files(header: &Header<'_>, blob_len: usize) -> Result<Vec<String>, String> {
    let err = |e: HeaderError| e.to_string();
    if !header.has(tag::BASENAMES) {
        let old = header.strings(tag::OLDFILENAMES).map_err(err)?;
        return Ok(old.unwrap_or_default().into_iter().map(absolute).collect());
    }
    let base_lens = header
        .string_lengths(tag::BASENAMES)
        .map_err(err)?
        .unwrap_or_default();
    let dir_lens = header
        .string_lengths(tag::DIRNAMES)
        .map_err(err)?
        .unwrap_or_default();
    let indexes = header
        .ints(tag::DIRINDEXES)
        .map_err(err)?
        .unwrap_or_default();
    if indexes.len() != base_lens.len() {
        return Err(format!(
            "{} BASENAMES but {} DIRINDEXES",
            base_lens.len(),
            indexes.len()
        ));
    }
    // Paths share directory strings: bound the joined size before building it.
    let limit = blob_len.saturating_mul(16).saturating_add(1 << 16);
    let mut total = 0usize;
    for (i, (&dir, &base)) in indexes.iter().zip(&base_lens).enumerate() {
        let dir_len = usize::try_from(dir)
            .ok()
            .and_then(|d| dir_lens.get(d))
            .ok_or_else(|| {
                format!(
                    "file {i}: DIRINDEXES value {dir} outside {} DIRNAMES",
                    dir_lens.len()
                )
            })?;
        total = total.saturating_add(dir_len + base + 2);
    }
    if total > limit {
        return Err(format!(
            "joined paths would take {total} bytes from a {blob_len}-byte header"
        ));
    }
    let bases = header
        .strings(tag::BASENAMES)
        .map_err(err)?
        .unwrap_or_default();
    let dirs = header
        .strings(tag::DIRNAMES)
        .map_err(err)?
        .unwrap_or_default();
    let mut out = Vec::with_capacity(bases.len());
    for (base, dir) in bases.iter().zip(&indexes) {
        let dir = usize::try_from(*dir)
            .ok()
            .and_then(|d| dirs.get(d))
            .map(String::as_str)
            .unwrap_or_default();
        let mut path = String::with_capacity(dir.len() + base.len() + 2);
        path.push_str(dir);
        if !path.ends_with('/') && !base.is_empty() {
            path.push('/');
        }
        path.push_str(base);
        out.push(absolute(path));
    }
    Ok(out)
}

fn absolute(path: String) -> String {
    if path.starts_with('/') {
        path
    } else {
        format!("/{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::super::header::tests::{build, Val};
    use super::*;

    fn convert(blob: &[u8]) -> (Result<Option<Package>, String>, Vec<String>) {
        let h = Header::parse(blob).unwrap();
        let mut warnings = Vec::new();
        (from_header(&h, blob.len(), &mut warnings), warnings)
    }

    #[test]
    fn maps_every_field() {
        let blob = build(&[
            (tag::NAME, Val::Str("openssl-libs")),
            (tag::VERSION, Val::Str("3.0.8")),
            (tag::RELEASE, Val::Str("1.amzn2023.0.4")),
            (tag::EPOCH, Val::I32(&[1])),
            (
                tag::SUMMARY,
                Val::I18n(&["A general purpose cryptography library"]),
            ),
            (tag::SIZE, Val::I32(&[6806522])),
            (tag::VENDOR, Val::Str("Amazon Linux")),
            (tag::LICENSE, Val::Str("ASL 2.0")),
            (tag::PACKAGER, Val::Str("Amazon Linux <x@example.invalid>")),
            (tag::ARCH, Val::Str("x86_64")),
            (
                tag::SOURCERPM,
                Val::Str("openssl-3.0.8-1.amzn2023.0.4.src.rpm"),
            ),
            (tag::DIRINDEXES, Val::I32(&[1, 0, 1])),
            (
                tag::BASENAMES,
                Val::Strs(&["libssl.so.3", "openssl", "libcrypto.so.3"]),
            ),
            (tag::DIRNAMES, Val::Strs(&["/etc/pki/tls/", "/usr/lib64/"])),
            (tag::MODULARITYLABEL, Val::Str("nodejs:18:1:abc")),
        ]);
        let (pkg, warnings) = convert(&blob);
        let pkg = pkg.unwrap().unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(pkg.name, "openssl-libs");
        assert_eq!(pkg.version, "3.0.8-1.amzn2023.0.4");
        assert_eq!(pkg.epoch, Some(1));
        assert_eq!(pkg.arch.as_deref(), Some("x86_64"));
        assert_eq!(pkg.source_name.as_deref(), Some("openssl"));
        assert_eq!(pkg.source_version.as_deref(), Some("3.0.8-1.amzn2023.0.4"));
        assert_eq!(
            pkg.licenses,
            vec![stellaops_core::License::Named("ASL 2.0".to_owned())]
        );
        assert_eq!(pkg.supplier.as_deref(), Some("Amazon Linux"));
        assert_eq!(
            pkg.description.as_deref(),
            Some("A general purpose cryptography library")
        );
        assert_eq!(
            pkg.files,
            vec![
                "/etc/pki/tls/openssl",
                "/usr/lib64/libcrypto.so.3",
                "/usr/lib64/libssl.so.3"
            ]
        );
        let props: Vec<(&str, &str)> = pkg
            .properties
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            props,
            vec![
                ("rpm:modularitylabel", "nodejs:18:1:abc"),
                ("rpm:size", "6806522"),
                ("rpm:sourcerpm", "openssl-3.0.8-1.amzn2023.0.4.src.rpm"),
                ("rpm:vendor", "Amazon Linux"),
            ]
        );
    }

    #[test]
    fn packager_is_the_fallback_supplier_and_none_means_absent() {
        let blob = build(&[
            (tag::NAME, Val::Str("dive")),
            (tag::VERSION, Val::Str("0.9.2")),
            (tag::VENDOR, Val::Str("(none)")),
            (tag::SOURCERPM, Val::Str("(none)")),
            (tag::PACKAGER, Val::Str("someone")),
            (
                tag::OLDFILENAMES,
                Val::Strs(&["/usr/bin/dive", "usr/bin/dive"]),
            ),
        ]);
        let pkg = convert(&blob).0.unwrap().unwrap();
        assert_eq!(pkg.version, "0.9.2");
        assert_eq!(pkg.epoch, None);
        assert_eq!(pkg.supplier.as_deref(), Some("someone"));
        assert_eq!(pkg.source_name, None);
        assert!(pkg.properties.is_empty());
        assert_eq!(pkg.files, vec!["/usr/bin/dive"]);
    }

    #[test]
    fn gpg_pubkey_is_skipped_and_missing_name_is_an_error() {
        let blob = build(&[
            (tag::NAME, Val::Str("gpg-pubkey")),
            (tag::VERSION, Val::Str("d832c631")),
        ]);
        assert_eq!(convert(&blob).0, Ok(None));
        let blob = build(&[(tag::VERSION, Val::Str("1"))]);
        assert!(convert(&blob).0.is_err());
        let blob = build(&[(tag::NAME, Val::I32(&[1])), (tag::VERSION, Val::Str("1"))]);
        assert!(convert(&blob).0.is_err());
    }

    #[test]
    fn bad_optional_tags_are_warnings() {
        let blob = build(&[
            (tag::NAME, Val::Str("x")),
            (tag::VERSION, Val::Str("1")),
            (tag::EPOCH, Val::Str("one")),
            (tag::DIRINDEXES, Val::I32(&[5])),
            (tag::BASENAMES, Val::Strs(&["a"])),
            (tag::DIRNAMES, Val::Strs(&["/"])),
        ]);
        let (pkg, warnings) = convert(&blob);
        let pkg = pkg.unwrap().unwrap();
        assert_eq!(pkg.epoch, None);
        assert!(pkg.files.is_empty());
        assert_eq!(warnings.len(), 2, "{warnings:?}");
    }

    #[test]
    fn source_rpm_splitting() {
        assert_eq!(
            split_source_rpm("system-release-2023.1.20230825-0.amzn2023.src.rpm"),
            Some(("system-release", "2023.1.20230825-0.amzn2023"))
        );
        assert_eq!(
            split_source_rpm("foo-1.0-2.nosrc.rpm"),
            Some(("foo", "1.0-2"))
        );
        assert_eq!(split_source_rpm("foo-1.0.src.rpm"), None);
        assert_eq!(split_source_rpm("-1-2.src.rpm"), None);
    }
}
