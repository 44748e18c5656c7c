//! The image as EntryTrace sees it: the merged tree of all layers plus the facts the layer
//! scan kept (scripts, native binaries), behind [`ImageFs`].

use std::collections::HashMap;

use stellaops_core::fragment::{EntryKind, Fact, LayerFragment};
use stellaops_core::tree::MergedTree;

use crate::entrytrace::ImageFs;

/// The final file system of an image, from its fragments.
pub struct TreeView<'a> {
    tree: MergedTree<'a>,
    facts: HashMap<&'a str, &'a Fact>,
}

impl<'a> TreeView<'a> {
    /// View of the image made of `fragments` (base layer first).
    pub fn new(fragments: &'a [LayerFragment]) -> Self {
        let tree = MergedTree::build(fragments);
        let facts = tree.visible_facts(fragments).collect();
        TreeView { tree, facts }
    }

    fn fact(&self, real: &str) -> Option<&'a Fact> {
        self.facts.get(real.trim_start_matches('/')).copied()
    }
}

impl ImageFs for TreeView<'_> {
    fn resolve(&self, path: &str) -> Option<String> {
        let real = self.tree.resolve(path.trim_start_matches('/')).ok()?;
        Some(format!("/{real}"))
    }

    fn is_file(&self, real: &str) -> bool {
        matches!(
            self.tree.get(real.trim_start_matches('/')).map(|n| n.kind),
            Some(EntryKind::File { .. } | EntryKind::Hardlink { .. })
        )
    }

    fn script(&self, real: &str) -> Option<&str> {
        match self.fact(real)? {
            Fact::Script { text, .. } => Some(text.as_str()),
            _ => None,
        }
    }

    fn is_native(&self, real: &str) -> bool {
        matches!(self.fact(real), Some(Fact::Binary { .. }))
    }
}
