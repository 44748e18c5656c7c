//! The merged file tree of an image: layers applied in order with whiteouts, opaque
//! directories and shadowing, plus symlink resolution that never leaves the image root.

use std::collections::BTreeMap;
use std::ops::Bound;

use crate::fragment::{EntryKind, Fact, LayerFragment};

/// Most symlinks followed while resolving one path (Linux uses 40).
pub const MAX_SYMLINK_HOPS: usize = 40;

/// One path in the merged tree and the layer that last wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node<'a> {
    /// Index of the layer (0 = base) that wrote the visible version of this path.
    pub layer: usize,
    /// What the path is.
    pub kind: &'a EntryKind,
}

/// Why a path could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    /// More than [`MAX_SYMLINK_HOPS`] links: a loop or a very long chain.
    #[error("symlink loop or chain longer than {MAX_SYMLINK_HOPS} links at {0}")]
    Loop(String),
    /// A component does not exist in the merged tree.
    #[error("no such path in the image: {0}")]
    Missing(String),
}

/// The file system an image presents after all its layers are applied.
#[derive(Debug, Default)]
pub struct MergedTree<'a> {
    nodes: BTreeMap<&'a str, Node<'a>>,
}

impl<'a> MergedTree<'a> {
    /// Apply `layers` bottom-up.
    pub fn build(layers: &'a [LayerFragment]) -> Self {
        let mut tree = MergedTree::default();
        for (index, layer) in layers.iter().enumerate() {
            for dir in &layer.opaque_dirs {
                tree.remove_children(dir);
            }
            for path in &layer.whiteouts {
                tree.remove_subtree(path);
            }
            for entry in &layer.entries {
                if !matches!(entry.kind, EntryKind::Dir) {
                    // A file replacing a lower directory hides everything below it.
                    tree.remove_children(&entry.path);
                }
                tree.nodes.insert(
                    entry.path.as_str(),
                    Node {
                        layer: index,
                        kind: &entry.kind,
                    },
                );
            }
        }
        tree
    }

    fn remove_children(&mut self, dir: &str) {
        if dir.is_empty() {
            self.nodes.clear();
            return;
        }
        let prefix = format!("{dir}/");
        let doomed: Vec<&'a str> = self
            .nodes
            .range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| *k)
            .collect();
        for k in doomed {
            self.nodes.remove(k);
        }
    }

    fn has_children(&self, dir: &str) -> bool {
        let prefix = format!("{dir}/");
        self.nodes
            .range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
            .next()
            .is_some_and(|(k, _)| k.starts_with(&prefix))
    }

    fn remove_subtree(&mut self, path: &str) {
        self.nodes.remove(path);
        self.remove_children(path);
    }

    /// The node at exactly `path` (no symlink resolution).
    pub fn get(&self, path: &str) -> Option<&Node<'a>> {
        self.nodes.get(path)
    }

    /// The facts of visible files: each path's fact from the layer whose version of the path
    /// is visible (`fragments` must be the ones the tree was built from), layer by layer.
    pub fn visible_facts<'t>(
        &'t self,
        fragments: &'a [LayerFragment],
    ) -> impl Iterator<Item = (&'a str, &'a Fact)> + 't {
        fragments
            .iter()
            .enumerate()
            .flat_map(move |(index, fragment)| {
                fragment
                    .facts
                    .iter()
                    .filter(move |(path, _)| self.get(path).is_some_and(|n| n.layer == index))
                    .map(|(path, fact)| (path.as_str(), fact))
            })
    }

    /// All visible paths and their nodes, sorted.
    pub fn iter(&self) -> impl Iterator<Item = (&'a str, &Node<'a>)> + '_ {
        self.nodes.iter().map(|(k, v)| (*k, v))
    }

    /// Number of visible paths.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when no path is visible.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Resolve every symlink in `path` (relative to the root, as in entries), staying inside
    /// the root: `..` at the root stays at the root and absolute targets restart at the root.
    /// Returns the real path, which exists in the tree.
    pub fn resolve(&self, path: &str) -> Result<String, ResolveError> {
        let mut hops = 0usize;
        let mut done: Vec<String> = Vec::new();
        let mut todo: Vec<String> = split_rev(path);
        while let Some(part) = todo.pop() {
            match part.as_str() {
                "" | "." => continue,
                ".." => {
                    done.pop();
                    continue;
                }
                _ => {}
            }
            done.push(part);
            let current = done.join("/");
            match self.nodes.get(current.as_str()) {
                // Tars often omit parent directory entries: a path with children is a dir.
                None if !todo.is_empty() && self.has_children(&current) => {}
                None => return Err(ResolveError::Missing(current)),
                Some(Node {
                    kind: EntryKind::Symlink { target },
                    ..
                }) => {
                    hops += 1;
                    if hops > MAX_SYMLINK_HOPS {
                        return Err(ResolveError::Loop(path.to_owned()));
                    }
                    done.pop();
                    if target.starts_with('/') {
                        done.clear();
                    }
                    todo.extend(split_rev(target));
                }
                Some(_) => {}
            }
        }
        Ok(done.join("/"))
    }
}

fn split_rev(path: &str) -> Vec<String> {
    path.split('/').rev().map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fragment::Entry;

    fn layer(entries: &[(&str, EntryKind)], whiteouts: &[&str], opaque: &[&str]) -> LayerFragment {
        LayerFragment {
            entries: entries
                .iter()
                .map(|(p, k)| Entry {
                    path: (*p).to_owned(),
                    kind: k.clone(),
                })
                .collect(),
            whiteouts: whiteouts.iter().map(|s| (*s).to_owned()).collect(),
            opaque_dirs: opaque.iter().map(|s| (*s).to_owned()).collect(),
            ..LayerFragment::default()
        }
    }

    fn file() -> EntryKind {
        EntryKind::File { size: 1 }
    }

    fn link(t: &str) -> EntryKind {
        EntryKind::Symlink { target: t.into() }
    }

    #[test]
    fn whiteouts_opaque_and_shadowing() {
        let layers = vec![
            layer(
                &[
                    ("a", EntryKind::Dir),
                    ("a/x", file()),
                    ("a/y", file()),
                    ("b", file()),
                ],
                &[],
                &[],
            ),
            layer(&[("a/z", file())], &["a/x"], &[]),
            layer(&[("b", file()), ("a/w", file())], &[], &["a"]),
        ];
        let tree = MergedTree::build(&layers);
        let paths: Vec<_> = tree.iter().map(|(p, n)| (p, n.layer)).collect();
        assert_eq!(paths, vec![("a", 0), ("a/w", 2), ("b", 2)]);
    }

    #[test]
    fn symlinks_stay_inside_root() {
        let layers = vec![layer(
            &[
                ("etc", EntryKind::Dir),
                ("usr/lib/os-release", file()),
                ("etc/os-release", link("../usr/lib/os-release")),
                ("etc/escape", link("../../../../usr/lib/os-release")),
                ("etc/abs", link("/usr/lib/os-release")),
                ("loop1", link("loop2")),
                ("loop2", link("loop1")),
            ],
            &[],
            &[],
        )];
        let tree = MergedTree::build(&layers);
        assert_eq!(
            tree.resolve("etc/os-release").unwrap(),
            "usr/lib/os-release"
        );
        assert_eq!(tree.resolve("etc/escape").unwrap(), "usr/lib/os-release");
        assert_eq!(tree.resolve("etc/abs").unwrap(), "usr/lib/os-release");
        assert!(matches!(tree.resolve("loop1"), Err(ResolveError::Loop(_))));
        assert!(matches!(
            tree.resolve("nope"),
            Err(ResolveError::Missing(_))
        ));
    }
}
