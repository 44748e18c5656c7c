//! Composition: ordered layer fragments in, the image's inventory out.
//!
//! **Architecture Invariant:** composition is a pure function of the ordered fragments. The
//! visible version of each package database is the one the topmost layer wrote (unless a
//! later whiteout removed it); each package in it is attributed to the lowest layer from
//! which it is continuously present in every snapshot of that database up to the top.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::{Deserialize, Serialize};

use crate::fragment::{CopyrightInfo, DbKind, EntryKind, Fact, LayerFragment, LayerRef};
use crate::model::{Diagnostic, Distro, Package, PackageKind};
use crate::purl::package_purl;
use crate::tree::MergedTree;

mod binaries;
mod lang;

/// A package placed in the image: the fact plus its identity and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Component {
    /// Stable, unique reference inside one SBOM (the purl, made unique when needed).
    pub bom_ref: String,
    /// Canonical package URL.
    pub purl: String,
    /// The installed package.
    #[serde(flatten)]
    pub package: Package,
    /// Index of the layer that introduced it (0 = base layer).
    pub layer_index: usize,
    /// That layer.
    pub layer: LayerRef,
    /// Absolute path of the package database that lists it.
    pub location: String,
    /// Path of a copyright file that exists but is not machine-readable, when that is all
    /// there is to say about the license.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unparsed_license_file: Option<String>,
    /// Native binaries (absolute paths) this package owns, per its file list: evidence that
    /// the package's code is really there.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub binaries: Vec<String>,
    /// In the closure of what the image's entrypoint runs (the usage view).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub used_by_entrypoint: bool,
}

/// What an image holds, after all layers are applied.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Inventory {
    /// Distribution, when an os-release (or fallback) file is present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distro: Option<Distro>,
    /// Components, sorted by (kind, name, version, arch, location).
    pub components: Vec<Component>,
    /// Layers, bottom-up.
    pub layers: Vec<LayerRef>,
    /// Warnings and errors from every layer and from composition.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
    /// What the image's entrypoint runs, when the image has a config to start from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_trace: Option<crate::entry_trace::EntryTrace>,
}

/// [`Package::identity_key`], borrowed.
type IdentityKey<'a> = (PackageKind, &'a str, &'a str, Option<u64>, Option<&'a str>);
/// [`Package::identity_key`], owned.
type OwnedKey = (PackageKind, String, String, Option<u64>, Option<String>);

const OS_RELEASE_PATHS: [&str; 2] = ["etc/os-release", "usr/lib/os-release"];

/// Compose ordered fragments (base layer first) into an inventory.
pub fn compose(fragments: &[LayerFragment]) -> Inventory {
    let tree = MergedTree::build(fragments);
    let mut diagnostics: Vec<Diagnostic> = fragments
        .iter()
        .flat_map(|f| {
            f.diagnostics
                .iter()
                .map(|d| d.clone().in_layer(Some(f.layer.display_name())))
        })
        .collect();

    let distro = find_distro(fragments, &tree, &mut diagnostics);
    let mut visible_facts: Vec<(&str, &Fact)> = tree.visible_facts(fragments).collect();
    visible_facts.sort_by(|a, b| a.0.cmp(b.0));

    let mut dpkg_files: BTreeMap<&str, &Vec<String>> = BTreeMap::new();
    for (_, fact) in &visible_facts {
        if let Fact::DpkgFiles { package, files } = fact {
            dpkg_files.insert(package.as_str(), files);
        }
    }

    let mut seen: HashSet<OwnedKey> = HashSet::new();
    let mut components = Vec::new();
    for (path, fact) in &visible_facts {
        let Fact::PackageDb { db, packages } = fact else {
            continue;
        };
        let Some(top) = tree.get(path).map(|n| n.layer) else {
            continue;
        };
        let attribution = Attribution::new(fragments, path, top);
        for pkg in packages {
            let (kind, name, version, epoch, arch) = pkg.identity_key();
            let key = (
                kind,
                name.to_owned(),
                version.to_owned(),
                epoch,
                arch.map(str::to_owned),
            );
            if !seen.insert(key) {
                diagnostics.push(Diagnostic::warning(
                    Some(format!("/{path}")),
                    format!(
                        "{} {} {} listed by more than one package database; kept the first",
                        pkg.kind.purl_type(),
                        pkg.name,
                        pkg.version
                    ),
                ));
                continue;
            }
            let layer_index = attribution.lowest_layer(pkg);
            let mut package = pkg.clone();
            if matches!(db, DbKind::DpkgStatus | DbKind::DpkgStatusD) && package.files.is_empty() {
                package.files = dpkg_owned_files(&package, &dpkg_files);
            }
            let mut unparsed_license_file = None;
            if package.kind == PackageKind::Deb && package.licenses.is_empty() {
                match deb_copyright(&package, &tree, fragments) {
                    Some((info, _)) if info.machine_readable => {
                        package.licenses.clone_from(&info.licenses);
                    }
                    Some((_, real_path)) => unparsed_license_file = Some(format!("/{real_path}")),
                    None => {}
                }
            }
            components.push(Component {
                bom_ref: String::new(),
                purl: package_purl(&package, distro.as_ref()),
                package,
                layer_index,
                layer: fragments[layer_index].layer.clone(),
                location: format!("/{path}"),
                unparsed_license_file,
                binaries: Vec::new(),
                used_by_entrypoint: false,
            });
        }
    }
    for (path, fact) in &visible_facts {
        let (Fact::LangPackages { packages, .. } | Fact::Binary { packages, .. }) = fact else {
            continue;
        };
        if let Some(top) = tree.get(path).map(|n| n.layer) {
            components.extend(lang::components(fragments, path, top, packages));
        }
    }
    binaries::attach(fragments, &tree, &visible_facts, &mut components);

    components.sort_by(|a, b| {
        (
            a.package.kind,
            &a.package.name,
            &a.package.namespace,
            &a.package.version,
            &a.package.arch,
            &a.location,
        )
            .cmp(&(
                b.package.kind,
                &b.package.name,
                &b.package.namespace,
                &b.package.version,
                &b.package.arch,
                &b.location,
            ))
    });
    assign_bom_refs(&mut components);
    diagnostics.sort();
    diagnostics.dedup();

    Inventory {
        distro,
        components,
        layers: fragments.iter().map(|f| f.layer.clone()).collect(),
        diagnostics,
        entry_trace: None,
    }
}

fn fact_at<'a>(
    fragments: &'a [LayerFragment],
    tree: &MergedTree<'_>,
    path: &str,
) -> Option<&'a Fact> {
    let node = tree.get(path)?;
    fragments.get(node.layer)?.facts.get(path)
}

fn find_distro(
    fragments: &[LayerFragment],
    tree: &MergedTree<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Distro> {
    for candidate in OS_RELEASE_PATHS {
        match tree.resolve(candidate) {
            Ok(real) => {
                if let Some(Fact::OsRelease { distro, .. }) = fact_at(fragments, tree, &real) {
                    return Some(distro.clone());
                }
            }
            Err(crate::tree::ResolveError::Missing(_)) => {}
            Err(e) => diagnostics.push(Diagnostic::warning(
                Some(format!("/{candidate}")),
                e.to_string(),
            )),
        }
    }
    // Fallback files (`etc/alpine-release`, `etc/debian_version`, ...), first by path.
    let mut fallbacks: Vec<(&str, &Distro)> = tree
        .visible_facts(fragments)
        .filter_map(|(path, fact)| match fact {
            Fact::OsRelease {
                distro,
                fallback: true,
            } => Some((path, distro)),
            _ => None,
        })
        .collect();
    fallbacks.sort_by(|a, b| a.0.cmp(b.0));
    fallbacks.first().map(|(_, d)| (*d).clone())
}

fn dpkg_owned_files(pkg: &Package, lists: &BTreeMap<&str, &Vec<String>>) -> Vec<String> {
    let qualified = pkg.arch.as_ref().map(|a| format!("{}:{a}", pkg.name));
    let files = qualified
        .as_deref()
        .and_then(|q| lists.get(q))
        .or_else(|| lists.get(pkg.name.as_str()));
    let mut files: Vec<String> = files.map(|f| (*f).clone()).unwrap_or_default();
    files.sort();
    files.dedup();
    files
}

fn deb_copyright<'a>(
    pkg: &Package,
    tree: &MergedTree<'_>,
    fragments: &'a [LayerFragment],
) -> Option<(&'a CopyrightInfo, String)> {
    let real = tree
        .resolve(&format!("usr/share/doc/{}/copyright", pkg.name))
        .ok()?;
    match fact_at(fragments, tree, &real)? {
        Fact::Copyright { info, .. } => Some((info, real)),
        _ => None,
    }
}

/// Attribution of the packages of one database path to layers.
struct Attribution<'a> {
    /// Snapshots of the path, from the top layer downwards, until the first break
    /// (a layer that deleted the path or wrote something that is not a database).
    snapshots: Vec<(usize, BTreeSet<IdentityKey<'a>>)>,
    top: usize,
}

impl<'a> Attribution<'a> {
    fn new(fragments: &'a [LayerFragment], path: &str, top: usize) -> Self {
        let mut snapshots = Vec::new();
        for index in (0..=top).rev() {
            let fragment = &fragments[index];
            match fragment.facts.get(path) {
                Some(Fact::PackageDb { packages, .. }) => {
                    snapshots.push((index, packages.iter().map(Package::identity_key).collect()));
                    if removes(fragment, path) {
                        break;
                    }
                }
                _ if index == top => {}
                _ if touches(fragment, path) => break,
                _ => {}
            }
        }
        Attribution { snapshots, top }
    }

    fn lowest_layer(&self, pkg: &Package) -> usize {
        let key = pkg.identity_key();
        let mut lowest = self.top;
        for (index, keys) in &self.snapshots {
            if keys.contains(&key) {
                lowest = *index;
            } else {
                break;
            }
        }
        lowest
    }
}

/// Whether the layer deletes `path` (whiteout or opaque directory above it).
pub(crate) fn removes(fragment: &LayerFragment, path: &str) -> bool {
    let under = |dir: &str| dir.is_empty() || path == dir || path.starts_with(&format!("{dir}/"));
    fragment.whiteouts.iter().any(|w| under(w)) || fragment.opaque_dirs.iter().any(|d| under(d))
}

/// Whether the layer writes or deletes `path`.
pub(crate) fn touches(fragment: &LayerFragment, path: &str) -> bool {
    removes(fragment, path)
        || fragment
            .entries
            .iter()
            .any(|e| e.path == path && !matches!(e.kind, EntryKind::Dir))
}

fn assign_bom_refs(components: &mut [Component]) {
    let mut used: HashSet<String> = HashSet::new();
    for c in components.iter_mut() {
        let mut candidate = if c.package.kind == PackageKind::Binary {
            c.bom_ref.clone()
        } else {
            c.purl.clone()
        };
        if used.contains(&candidate) {
            candidate = format!("{}#{}", c.purl, c.location);
        }
        let mut n = 2;
        while used.contains(&candidate) {
            candidate = format!("{}#{}-{n}", c.purl, c.location);
            n += 1;
        }
        used.insert(candidate.clone());
        c.bom_ref = candidate;
    }
}
