//! From the metadata files of one archive to packages: `pom.properties` first, else the
//! manifest, else the file name (marked [`Confidence::Low`]).

use std::collections::BTreeMap;

use stellaops_core::license::{declared, is_spdx_expression};
use stellaops_core::License;

use super::manifest::Manifest;
use crate::lang::{purl, Confidence, Evidence, LangEcosystem, LangPackage};

/// Maven coordinates read from one `pom.properties`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Pom {
    /// Entry name of the `pom.properties` inside its archive.
    pub(super) entry: String,
    pub(super) group: String,
    pub(super) artifact: String,
    pub(super) version: String,
}

impl Pom {
    /// Coordinates from parsed properties. `groupId`/`artifactId` missing from the file are
    /// taken from the standard location `META-INF/maven/<groupId>/<artifactId>/pom.properties`
    /// (maven-archiver writes both from the same project); the version must be in the file.
    pub(super) fn from_properties(entry: &str, props: &BTreeMap<String, String>) -> Option<Pom> {
        let field = |key: &str| {
            props
                .get(key)
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let (path_group, path_artifact) = maven_dir(entry).unzip();
        let group = field("groupId").or(path_group.map(str::to_owned))?;
        let artifact = field("artifactId").or(path_artifact.map(str::to_owned))?;
        let version = field("version")?;
        Some(Pom {
            entry: entry.to_owned(),
            group,
            artifact,
            version,
        })
    }
}

/// `(group, artifact)` from `.../META-INF/maven/<group>/<artifact>/pom.properties`.
fn maven_dir(entry: &str) -> Option<(&str, &str)> {
    let mut parts = entry.rsplit('/');
    let _file = parts.next()?;
    let artifact = parts.next()?;
    let group = parts.next()?;
    let maven = parts.next()?;
    let meta = parts.next()?;
    (maven == "maven"
        && meta.eq_ignore_ascii_case("META-INF")
        && !group.is_empty()
        && !artifact.is_empty())
    .then_some((group, artifact))
}

/// What one archive says about itself.
pub(super) struct Facts<'a> {
    /// Location of the archive (`outer.jar!/BOOT-INF/lib/inner.jar`).
    pub(super) location: &'a str,
    /// Base name of the archive file.
    pub(super) file_name: &'a str,
    pub(super) manifest: Option<&'a Manifest>,
    pub(super) poms: &'a [Pom],
    /// `sha1` and `sha256` of the archive bytes.
    pub(super) hashes: &'a BTreeMap<String, String>,
}

/// The packages one archive is (its own identity) and embeds (shaded `pom.properties`).
///
/// Every `pom.properties` is a package. Which of them is the archive itself:
/// 1. those whose coordinates match the file name best ([`filename_score`]);
/// 2. else those the manifest names (name and version headers);
/// 3. else the one whose version alone equals the manifest's version, when exactly one does
///    (a renamed jar whose manifest has a project title instead of the artifactId);
/// 4. else none when the manifest identifies the archive otherwise (a jar that shades one
///    other artifact: Debian's `guice.jar` holds only cglib's `pom.properties`);
/// 5. else the only one.
///
/// The others get `java:embedded=true`, no archive hashes and no manifest licenses. When no
/// `pom.properties` is the archive itself, the archive is identified by its manifest
/// ([`manifest_identity`], [`Confidence::High`]) or else by its file name
/// ([`Confidence::Low`]).
pub(super) fn packages(facts: &Facts<'_>) -> Vec<LangPackage> {
    let licenses = facts.manifest.map(manifest_licenses).unwrap_or_default();
    let own = owners(facts);
    let mut out: Vec<LangPackage> = facts
        .poms
        .iter()
        .zip(&own)
        .map(|(pom, &own)| {
            let mut properties = BTreeMap::new();
            properties.insert("java:identifiedBy".to_owned(), "pom.properties".to_owned());
            properties.insert("java:pomProperties".to_owned(), pom.entry.clone());
            if !own {
                properties.insert("java:embedded".to_owned(), "true".to_owned());
            }
            let id = Identity {
                namespace: Some(pom.group.clone()),
                name: pom.artifact.clone(),
                version: pom.version.clone(),
            };
            let (licenses, hashes) = if own {
                (licenses.clone(), facts.hashes.clone())
            } else {
                (Vec::new(), BTreeMap::new())
            };
            package(facts, id, Confidence::High, licenses, hashes, properties)
        })
        .collect();
    if own.contains(&true) {
        return out;
    }
    let identity = facts
        .manifest
        .and_then(manifest_identity)
        .map(|id| (id, "manifest", Confidence::High))
        .or_else(|| {
            // A manifest version but only a prose title (`Java Runtime Environment`): the
            // version is a fact, the name comes from the file name.
            let version = facts
                .manifest
                .and_then(|m| manifest_versions(m).first().copied());
            let mut id = filename_identity(facts.file_name)?;
            match version {
                Some(v) if id.version.is_empty() => {
                    id.version = v.to_owned();
                    Some((id, "filename+manifestVersion", Confidence::Low))
                }
                _ => Some((id, "filename", Confidence::Low)),
            }
        });
    if let Some((id, source, confidence)) = identity {
        let mut properties = BTreeMap::new();
        properties.insert("java:identifiedBy".to_owned(), source.to_owned());
        let own = package(
            facts,
            id,
            confidence,
            licenses,
            facts.hashes.clone(),
            properties,
        );
        out.insert(0, own);
    }
    out
}

/// For each `pom.properties`, whether it is the archive itself (rules on [`packages`]).
fn owners(facts: &Facts<'_>) -> Vec<bool> {
    let poms = facts.poms;
    let stem = stem(facts.file_name);
    let scores: Vec<u8> = poms
        .iter()
        .map(|p| filename_score(stem, &p.group, &p.artifact, &p.version))
        .collect();
    let best = scores.iter().copied().max().unwrap_or(0);
    if best > 0 {
        return scores.iter().map(|&s| s == best).collect();
    }
    let Some(manifest) = facts.manifest else {
        return vec![poms.len() == 1; poms.len()];
    };
    let named: Vec<bool> = poms.iter().map(|p| manifest_names(manifest, p)).collect();
    if named.contains(&true) {
        return named;
    }
    let versions = manifest_versions(manifest);
    let same_version: Vec<bool> = poms
        .iter()
        .map(|p| versions.contains(&p.version.as_str()))
        .collect();
    if same_version.iter().filter(|&&v| v).count() == 1 {
        return same_version;
    }
    if manifest_identity(manifest).is_some() {
        return vec![false; poms.len()];
    }
    vec![poms.len() == 1; poms.len()]
}

/// Name, version and namespace of a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Identity {
    pub(super) namespace: Option<String>,
    pub(super) name: String,
    pub(super) version: String,
}

fn package(
    facts: &Facts<'_>,
    id: Identity,
    confidence: Confidence,
    licenses: Vec<License>,
    hashes: BTreeMap<String, String>,
    properties: BTreeMap<String, String>,
) -> LangPackage {
    LangPackage {
        ecosystem: LangEcosystem::Maven,
        purl: purl(
            LangEcosystem::Maven,
            id.namespace.as_deref(),
            &id.name,
            &id.version,
            &[],
        ),
        namespace: id.namespace,
        name: id.name,
        version: id.version,
        licenses,
        evidence: Evidence::Installed,
        confidence,
        location: facts.location.to_owned(),
        hashes,
        files: Vec::new(),
        properties,
    }
}

/// How well `<group>`, `<artifact>`, `<version>` match a file name stem: 0 no match; for
/// the name part `artifact` weighs 1 and `group.artifact` / `group-artifact` (Quarkus, some
/// distributions) weigh 2, doubled, plus 1 when the version matches too (a classifier may
/// follow it: `netty-x-4.1.100.Final-linux-x86_64`). Case-insensitive.
pub(super) fn filename_score(stem: &str, group: &str, artifact: &str, version: &str) -> u8 {
    if artifact.is_empty() {
        return 0;
    }
    let stem = stem.to_ascii_lowercase();
    let (file_name, _) = split_name_version(&stem);
    let version = version.to_ascii_lowercase();
    let candidates = [
        (format!("{group}.{artifact}").to_ascii_lowercase(), 2),
        (format!("{group}-{artifact}").to_ascii_lowercase(), 2),
        (artifact.to_ascii_lowercase(), 1),
    ];
    let mut best = 0;
    for (name, weight) in candidates {
        let with_version = format!("{name}-{version}");
        let score = if !version.is_empty()
            && (stem == with_version || stem.starts_with(&format!("{with_version}-")))
        {
            weight * 2 + 1
        } else if stem == name || file_name == name {
            weight * 2
        } else {
            0
        };
        best = best.max(score);
    }
    best
}

/// Whether the manifest names this `pom.properties`: a name header equal to the artifactId
/// (or `groupId.artifactId`) and a version header equal to its version.
fn manifest_names(manifest: &Manifest, pom: &Pom) -> bool {
    let qualified = format!("{}.{}", pom.group, pom.artifact);
    let name = [
        "Implementation-Title",
        "Bundle-SymbolicName",
        "Automatic-Module-Name",
        "Short-Name",
    ]
    .iter()
    .filter_map(|h| manifest.get(h))
    .map(symbolic_name)
    .any(|n| n == pom.artifact || n == qualified);
    name && manifest_versions(manifest).contains(&pom.version.as_str())
}

/// The version headers present in the manifest.
fn manifest_versions(manifest: &Manifest) -> Vec<&str> {
    ["Implementation-Version", "Bundle-Version", "Plugin-Version"]
        .iter()
        .filter_map(|h| manifest.get(h))
        .collect()
}

/// `Bundle-SymbolicName` without its directives (`org.foo;singleton:=true`).
fn symbolic_name(value: &str) -> &str {
    value.split(';').next().unwrap_or(value).trim()
}

/// Identity from the manifest's main section, only when it gives both a name and a version.
///
/// - Jenkins plugins: `Short-Name`, `Plugin-Version`, group `Group-Id`.
/// - Otherwise name `Implementation-Title`, else `Bundle-SymbolicName`, else
///   `Automatic-Module-Name` (each only when it is one token: a title with spaces is prose);
///   version `Implementation-Version`, else `Bundle-Version`.
///   Group: `Implementation-Vendor-Id` (maven-archiver writes the groupId there); else, when
///   the `Bundle-SymbolicName` is `<prefix>.<name>`, that prefix. Nothing else is inferred.
pub(super) fn manifest_identity(manifest: &Manifest) -> Option<Identity> {
    if let (Some(name), Some(version)) =
        (manifest.get("Short-Name"), manifest.get("Plugin-Version"))
    {
        return Some(Identity {
            namespace: manifest.get("Group-Id").map(str::to_owned),
            name: name.to_owned(),
            version: version.to_owned(),
        });
    }
    let bsn = manifest.get("Bundle-SymbolicName").map(symbolic_name);
    // A title with spaces is prose (`Java Runtime Environment`), not an artifact name.
    let token = |v: &&str| !v.is_empty() && !v.contains(char::is_whitespace);
    let name = manifest
        .get("Implementation-Title")
        .filter(token)
        .or(bsn.filter(token))
        .or(manifest.get("Automatic-Module-Name").filter(token))?;
    let version = manifest
        .get("Implementation-Version")
        .or(manifest.get("Bundle-Version"))?;
    let namespace = manifest
        .get("Implementation-Vendor-Id")
        .or_else(|| {
            bsn.and_then(|b| b.strip_suffix(name))
                .and_then(|prefix| prefix.strip_suffix('.'))
                .filter(|prefix| !prefix.is_empty())
        })
        .map(str::to_owned);
    Some(Identity {
        namespace,
        name: name.to_owned(),
        version: version.to_owned(),
    })
}

/// Identity from the file name alone: `name-1.2.3.jar`; the version starts at the first `-`
/// followed by a digit (none: empty version).
pub(super) fn filename_identity(file_name: &str) -> Option<Identity> {
    let (name, version) = split_name_version(stem(file_name));
    (!name.is_empty()).then(|| Identity {
        namespace: None,
        name: name.to_owned(),
        version: version.to_owned(),
    })
}

/// The file name without its Java archive extension.
pub(super) fn stem(file_name: &str) -> &str {
    match file_name.rsplit_once('.') {
        Some((stem, ext)) if super::is_java_archive_ext(ext) => stem,
        _ => file_name,
    }
}

/// Split `name-1.2.3` at the first `-` followed by an ASCII digit.
fn split_name_version(stem: &str) -> (&str, &str) {
    let bytes = stem.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'-' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            if let (Some(name), Some(version)) = (stem.get(..i), stem.get(i + 1..)) {
                return (name, version);
            }
        }
    }
    (stem, "")
}

/// `Bundle-License` (OSGi: comma-separated clauses `name;link=...;description=...`).
/// The whole value when it is an SPDX expression; else one license per clause name when each
/// is an SPDX expression or a URL; else one clause's name, or the whole value, verbatim.
pub(super) fn manifest_licenses(manifest: &Manifest) -> Vec<License> {
    let Some(value) = manifest.get("Bundle-License") else {
        return Vec::new();
    };
    if is_spdx_expression(value) {
        return declared(value).into_iter().collect();
    }
    let names: Vec<&str> = split_outside_quotes(value, ',')
        .into_iter()
        .map(|clause| {
            let name = split_outside_quotes(clause, ';')
                .into_iter()
                .next()
                .unwrap_or("")
                .trim();
            name.strip_prefix('"')
                .and_then(|n| n.strip_suffix('"'))
                .unwrap_or(name)
                .trim()
        })
        .filter(|name| !name.is_empty())
        .collect();
    let is_url = |n: &str| n.starts_with("http://") || n.starts_with("https://");
    match names.as_slice() {
        [] => Vec::new(),
        [one] => declared(one).into_iter().collect(),
        many if many.iter().all(|n| is_spdx_expression(n) || is_url(n)) => {
            many.iter().filter_map(|n| declared(n)).collect()
        }
        _ => declared(value).into_iter().collect(),
    }
}

/// Split on `sep` where not inside double quotes.
fn split_outside_quotes(text: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '"' {
            quoted = !quoted;
        } else if c == sep && !quoted {
            parts.push(text.get(start..i).unwrap_or(""));
            start = i + c.len_utf8();
        }
    }
    parts.push(text.get(start..).unwrap_or(""));
    parts
}
