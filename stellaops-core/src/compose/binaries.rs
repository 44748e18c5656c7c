//! Native binaries in composition. A binary named by a package's file list (dpkg/rpm/apk
//! lists, Python `RECORD`) or lying inside an installed npm package's directory is evidence
//! on that package ([`Component::binaries`]). A binary with embedded build info (Go, cargo
//! auditable) is identified by the language components it yields. Every other binary
//! becomes a component of its own, identified by its SHA-256 (`bin:<hex>`); copies of the
//! same bytes at several paths are one component.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::compose::Component;
use crate::fragment::{Fact, LayerFragment};
use crate::model::{Package, PackageKind};
use crate::tree::MergedTree;

/// A visible native binary: its path (normalised, no leading `/`), layer and content digest.
struct Seen<'a> {
    path: &'a str,
    layer: usize,
    sha256: &'a str,
    identified: bool,
    info: &'a crate::binary::BinaryInfo,
}

/// Attach visible binaries to their owners, or add `bin:` components for unowned ones.
pub(super) fn attach(
    fragments: &[LayerFragment],
    tree: &MergedTree<'_>,
    visible_facts: &[(&str, &Fact)],
    components: &mut Vec<Component>,
) {
    let binaries: Vec<Seen<'_>> = visible_facts
        .iter()
        .filter_map(|(path, fact)| match fact {
            Fact::Binary {
                sha256,
                packages,
                info,
            } => Some(Seen {
                path,
                layer: tree.get(path)?.layer,
                sha256,
                identified: !packages.is_empty(),
                info,
            }),
            _ => None,
        })
        .collect();
    if binaries.is_empty() {
        return;
    }
    let owners = owners(tree, &binaries, components);
    let mut unowned: BTreeMap<&str, Vec<&Seen<'_>>> = BTreeMap::new();
    for b in &binaries {
        if let Some(&owner) = owners.get(b.path) {
            components[owner].binaries.push(format!("/{}", b.path));
        } else if !b.identified {
            unowned.entry(b.sha256).or_default().push(b);
        }
    }
    for c in components.iter_mut() {
        c.binaries.sort();
        c.binaries.dedup();
    }
    for (sha256, copies) in unowned {
        let first = copies[0];
        let name = first.path.rsplit('/').next().unwrap_or(first.path);
        // A PE version resource is the file's own statement of its version.
        let version = ["ProductVersion", "FileVersion"]
            .iter()
            .find_map(|k| first.info.pe_version.get(*k))
            .map(|v| v.trim().to_owned())
            .unwrap_or_default();
        let mut package = Package::new(PackageKind::Binary, name, version);
        package
            .hashes
            .insert("sha256".to_owned(), sha256.to_owned());
        if let Some(id) = &first.info.build_id {
            package
                .properties
                .insert("binary:buildId".to_owned(), id.clone());
        }
        let info = first.info;
        let mut put = |key: &str, value: String| {
            if !value.is_empty() {
                package.properties.insert(format!("binary:{key}"), value);
            }
        };
        put("format", format!("{:?}", info.format).to_ascii_lowercase());
        put("arch", info.arch.clone().unwrap_or_default());
        put("soname", info.soname.clone().unwrap_or_default());
        put("interpreter", info.interpreter.clone().unwrap_or_default());
        put("needed", info.needed.join(","));
        put("rpath", info.rpath.join(":"));
        put("runpath", info.runpath.join(":"));
        put("maxGlibc", info.max_glibc.clone().unwrap_or_default());
        let layer_index = copies.iter().map(|b| b.layer).min().unwrap_or(first.layer);
        components.push(Component {
            bom_ref: format!("bin:{sha256}"),
            purl: crate::purl::binary_purl(name, &package.version, sha256),
            package,
            layer_index,
            layer: fragments[layer_index].layer.clone(),
            location: format!("/{}", first.path),
            unparsed_license_file: None,
            binaries: copies.iter().map(|b| format!("/{}", b.path)).collect(),
            used_by_entrypoint: false,
        });
    }
}

/// Owner (component index) of each binary path that some package claims.
fn owners<'a>(
    tree: &MergedTree<'_>,
    binaries: &[Seen<'a>],
    components: &[Component],
) -> HashMap<&'a str, usize> {
    let by_path: HashMap<&str, &'a str> = binaries.iter().map(|b| (b.path, b.path)).collect();
    let names: HashSet<&str> = binaries
        .iter()
        .map(|b| b.path.rsplit('/').next().unwrap_or(b.path))
        .collect();
    let mut owners = HashMap::new();
    for (index, c) in components.iter().enumerate() {
        for file in &c.package.files {
            let rel = file.trim_start_matches('/');
            if let Some(&path) = by_path.get(rel) {
                owners.entry(path).or_insert(index);
                continue;
            }
            // The list may name the path through a symlinked directory (`/bin` -> `usr/bin`).
            let name = rel.rsplit('/').next().unwrap_or(rel);
            if names.contains(name) {
                if let Ok(real) = tree.resolve(rel) {
                    if let Some(&path) = by_path.get(real.as_str()) {
                        owners.entry(path).or_insert(index);
                    }
                }
            }
        }
        // Files inside an installed npm package's directory belong to it (native addons).
        if c.package.kind == PackageKind::Npm {
            if let Some(dir) = c.location.strip_suffix("/package.json") {
                let dir = format!("{}/", dir.trim_start_matches('/'));
                for b in binaries {
                    if b.path.starts_with(&dir) {
                        owners.entry(b.path).or_insert(index);
                    }
                }
            }
        }
    }
    owners
}
