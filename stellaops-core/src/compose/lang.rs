//! Language packages in composition: each [`Fact::LangPackages`] visible in the final tree
//! becomes components, attributed to the lowest layer from which the same file kept listing
//! the same package without a break.

use crate::compose::{touches, Component};
use crate::fragment::{Fact, LayerFragment};
use crate::lang::LangPackage;
use crate::model::Package;

/// Components for the language packages of one visible fact at `path`, written by `top`.
pub(super) fn components(
    fragments: &[LayerFragment],
    path: &str,
    top: usize,
    packages: &[LangPackage],
) -> Vec<Component> {
    packages
        .iter()
        .map(|lp| {
            let layer_index = lowest_layer(fragments, path, top, lp);
            Component {
                bom_ref: String::new(),
                purl: lp.purl.clone(),
                package: package(lp),
                layer_index,
                layer: fragments[layer_index].layer.clone(),
                location: absolute(&lp.location),
                unparsed_license_file: None,
                binaries: Vec::new(),
                used_by_entrypoint: false,
            }
        })
        .collect()
}

/// The package model of a language package.
pub(crate) fn package(lp: &LangPackage) -> Package {
    let mut p = Package::new(lp.ecosystem.into(), lp.name.clone(), lp.version.clone());
    p.namespace.clone_from(&lp.namespace);
    p.licenses.clone_from(&lp.licenses);
    p.files.clone_from(&lp.files);
    p.hashes.clone_from(&lp.hashes);
    p.evidence = lp.evidence;
    p.confidence = lp.confidence;
    p.properties.clone_from(&lp.properties);
    p
}

fn absolute(location: &str) -> String {
    if location.starts_with('/') {
        location.to_owned()
    } else {
        format!("/{location}")
    }
}

fn same(a: &LangPackage, b: &LangPackage) -> bool {
    a.ecosystem == b.ecosystem
        && a.namespace == b.namespace
        && a.name == b.name
        && a.version == b.version
        && a.location == b.location
}

fn lowest_layer(fragments: &[LayerFragment], path: &str, top: usize, lp: &LangPackage) -> usize {
    let mut lowest = top;
    for index in (0..top).rev() {
        let fragment = &fragments[index];
        match fragment.facts.get(path) {
            Some(Fact::LangPackages { packages, .. } | Fact::Binary { packages, .. })
                if packages.iter().any(|p| same(p, lp)) =>
            {
                lowest = index;
                if crate::compose::removes(fragment, path) {
                    break;
                }
            }
            _ if touches(fragment, path) => break,
            _ => {}
        }
    }
    lowest
}
