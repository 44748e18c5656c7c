//! Merkle inclusion and consistency proofs (RFC 6962 §2.1.1–2.1.2, RFC 9162 §2.1.3–2.1.4).
//!
//! * Verification follows the RFC 9162 algorithms (§2.1.3.2 inclusion, §2.1.4.2 consistency)
//!   literally, after an explicit proof-length check so that a wrong-length proof gets a clear
//!   error. Root comparisons are constant time ([`ct_eq`]).
//! * Generation ([`inclusion_proof`], [`consistency_proof`]) follows the RFC 6962 `PATH` /
//!   `SUBPROOF` definitions but never touches leaves: it asks a `hash_at(level, index)`
//!   callback for the hash of the *perfect* subtree of height `level` covering leaves
//!   `[index * 2^level, (index + 1) * 2^level)`. Such hashes are exactly what tiles store
//!   (see [`crate::tlog::tiles`]), so a proof costs O(log n) callback calls. Incomplete
//!   right-border subtrees are recomputed from their perfect parts.
//! * [`MemoryTree`] is an in-memory tree that stores every perfect subtree hash, for tests and
//!   small hosts.
//!
//! Semantics at the edges match transparency-dev/merkle (whose test vectors this module
//! passes): a consistency proof *from* an empty tree is rejected as meaningless (every tree
//! is trivially consistent with the empty tree; callers that need that case handle it before
//! calling, as [`crate::tlog::verify_consistency_between`] does), and equal sizes require an
//! empty proof and equal roots.

use thiserror::Error;

use super::hash::{ct_eq, empty_root, largest_pow2_below, node_hash, Hash};

/// Why a proof failed to verify or could not be generated.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ProofError {
    /// The leaf index is not inside the tree.
    #[error("leaf index {index} is beyond tree size {size}")]
    IndexOutOfRange {
        /// Leaf index that was asked for.
        index: u64,
        /// Size of the tree.
        size: u64,
    },
    /// The proof has the wrong number of hashes for these indices and sizes.
    #[error("wrong proof size: got {got} hashes, want {want}")]
    WrongProofSize {
        /// Number of hashes in the proof.
        got: usize,
        /// Number of hashes a valid proof has.
        want: usize,
    },
    /// The root recomputed from the proof is not the expected (new) root.
    #[error("calculated root does not match the expected root")]
    RootMismatch,
    /// The old root recomputed from a consistency proof is not the expected old root.
    #[error("calculated old root does not match the expected old root")]
    OldRootMismatch,
    /// A consistency proof was requested from a larger to a smaller tree.
    #[error("old tree size {size1} is larger than new tree size {size2}")]
    SizeDecreased {
        /// Old tree size.
        size1: u64,
        /// New tree size.
        size2: u64,
    },
    /// A consistency proof from the empty tree: meaningless, every tree extends it.
    #[error("consistency proof from an empty tree is meaningless")]
    EmptyOldTree,
    /// Equal tree sizes were given with a non-empty consistency proof.
    #[error("tree sizes are equal but the consistency proof is not empty")]
    NonEmptyProofForEqualSizes,
    /// A consistency proof between different sizes was empty.
    #[error("consistency proof is empty")]
    EmptyProof,
    /// The hash source could not provide a subtree hash.
    #[error("no hash for the subtree at level {level}, index {index}")]
    MissingHash {
        /// Subtree height.
        level: u8,
        /// Subtree index at that height.
        index: u64,
    },
}

/// Number of hashes in the inclusion proof of leaf `index` in a tree of `size` leaves
/// (`index < size`), split as in transparency-dev/merkle: `(inner, border)`.
fn decomp_inclusion(index: u64, size: u64) -> (usize, usize) {
    let inner = 64 - (index ^ size.saturating_sub(1)).leading_zeros();
    let border = index.checked_shr(inner).unwrap_or(0).count_ones();
    (inner as usize, border as usize)
}

/// Expected length of the inclusion proof for leaf `index` in a tree of `size` leaves.
pub fn inclusion_proof_len(index: u64, size: u64) -> Result<usize, ProofError> {
    if index >= size {
        return Err(ProofError::IndexOutOfRange { index, size });
    }
    let (inner, border) = decomp_inclusion(index, size);
    Ok(inner + border)
}

/// Expected length of the consistency proof from `size1` to `size2` (`0 < size1 <= size2`).
pub fn consistency_proof_len(size1: u64, size2: u64) -> Result<usize, ProofError> {
    check_consistency_sizes(size1, size2)?;
    if size1 == size2 {
        return Ok(0);
    }
    let (inner, border) = decomp_inclusion(size1 - 1, size2);
    let shift = size1.trailing_zeros() as usize;
    let start = usize::from(!size1.is_power_of_two());
    Ok(start + inner.saturating_sub(shift) + border)
}

fn check_consistency_sizes(size1: u64, size2: u64) -> Result<(), ProofError> {
    if size2 < size1 {
        return Err(ProofError::SizeDecreased { size1, size2 });
    }
    if size1 == 0 {
        return Err(ProofError::EmptyOldTree);
    }
    Ok(())
}

/// Recomputes the root of a tree of `tree_size` leaves from the hash of leaf `leaf_index` and
/// its inclusion proof (RFC 9162 §2.1.3.2 without the final comparison).
pub fn root_from_inclusion_proof(
    leaf_index: u64,
    tree_size: u64,
    leaf_hash: &Hash,
    proof: &[Hash],
) -> Result<Hash, ProofError> {
    let want = inclusion_proof_len(leaf_index, tree_size)?;
    if proof.len() != want {
        return Err(ProofError::WrongProofSize {
            got: proof.len(),
            want,
        });
    }
    let mut f = leaf_index;
    let mut s = tree_size - 1;
    let mut r = *leaf_hash;
    for p in proof {
        if s == 0 {
            return Err(ProofError::WrongProofSize {
                got: proof.len(),
                want,
            });
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(ProofError::WrongProofSize {
            got: proof.len(),
            want,
        });
    }
    Ok(r)
}

/// Verifies that `leaf_hash` is the hash of leaf `leaf_index` in the tree of `tree_size`
/// leaves with root `root` (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(
    leaf_index: u64,
    tree_size: u64,
    leaf_hash: &Hash,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), ProofError> {
    let calculated = root_from_inclusion_proof(leaf_index, tree_size, leaf_hash, proof)?;
    if ct_eq(&calculated, root) {
        Ok(())
    } else {
        Err(ProofError::RootMismatch)
    }
}

/// Verifies that the tree of `size2` leaves with root `root2` extends the tree of `size1`
/// leaves with root `root1` (RFC 9162 §2.1.4.2).
///
/// Requires `0 < size1 <= size2`; equal sizes need an empty proof and equal roots.
pub fn verify_consistency(
    size1: u64,
    size2: u64,
    proof: &[Hash],
    root1: &Hash,
    root2: &Hash,
) -> Result<(), ProofError> {
    check_consistency_sizes(size1, size2)?;
    if size1 == size2 {
        if !proof.is_empty() {
            return Err(ProofError::NonEmptyProofForEqualSizes);
        }
        return if ct_eq(root1, root2) {
            Ok(())
        } else {
            Err(ProofError::RootMismatch)
        };
    }
    if proof.is_empty() {
        return Err(ProofError::EmptyProof);
    }
    let want = consistency_proof_len(size1, size2)?;
    if proof.len() != want {
        return Err(ProofError::WrongProofSize {
            got: proof.len(),
            want,
        });
    }
    let wrong_size = ProofError::WrongProofSize {
        got: proof.len(),
        want,
    };

    // Step 2: if size1 is a power of two, the old root itself is the first path element.
    let (seed, rest) = if size1.is_power_of_two() {
        (*root1, proof)
    } else {
        match proof.split_first() {
            Some((first, rest)) => (*first, rest),
            None => return Err(ProofError::EmptyProof),
        }
    };
    // Steps 3-5.
    let mut f = size1 - 1;
    let mut s = size2 - 1;
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let mut fr = seed;
    let mut sr = seed;
    // Step 6.
    for c in rest {
        if s == 0 {
            return Err(wrong_size);
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    // Step 7.
    if s != 0 {
        return Err(wrong_size);
    }
    if !ct_eq(&fr, root1) {
        return Err(ProofError::OldRootMismatch);
    }
    if !ct_eq(&sr, root2) {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}

/// MTH of the leaves `[start, end)` where the range is a node of the RFC 6962 tree (its start
/// is a multiple of a power of two at least as large as its length), built from the perfect
/// subtrees that decompose it: left to right, then folded right to left.
fn range_hash<E, F>(start: u64, end: u64, hash_at: &mut F) -> Result<Hash, E>
where
    F: FnMut(u8, u64) -> Result<Hash, E>,
{
    let mut parts: Vec<Hash> = Vec::with_capacity(8);
    let mut pos = start;
    while pos < end {
        let remaining = end - pos;
        let mut level = 63 - remaining.leading_zeros();
        if pos != 0 {
            level = level.min(pos.trailing_zeros());
        }
        // level <= 63, so the cast and the shifts are in range.
        parts.push(hash_at(level as u8, pos >> level)?);
        pos += 1u64 << level;
    }
    let mut acc = match parts.pop() {
        Some(h) => h,
        None => return Ok(empty_root()),
    };
    while let Some(left) = parts.pop() {
        acc = node_hash(&left, &acc);
    }
    Ok(acc)
}

/// Root of the first `tree_size` leaves, from perfect-subtree hashes (at most 64 callback
/// calls). The empty tree has root [`empty_root`].
pub fn tree_root<E, F>(tree_size: u64, mut hash_at: F) -> Result<Hash, E>
where
    F: FnMut(u8, u64) -> Result<Hash, E>,
{
    range_hash(0, tree_size, &mut hash_at)
}

/// Generates the inclusion proof of leaf `leaf_index` in the tree of `tree_size` leaves
/// (RFC 6962 `PATH`), ordered from the leaf's sibling up to the root's child.
///
/// `hash_at(level, index)` must return the hash of the perfect subtree of height `level`
/// covering leaves `[index << level, (index + 1) << level)`; it is only called for subtrees
/// entirely inside the tree, O(log n) times.
pub fn inclusion_proof<E, F>(
    leaf_index: u64,
    tree_size: u64,
    mut hash_at: F,
) -> Result<Vec<Hash>, E>
where
    F: FnMut(u8, u64) -> Result<Hash, E>,
    E: From<ProofError>,
{
    if leaf_index >= tree_size {
        return Err(ProofError::IndexOutOfRange {
            index: leaf_index,
            size: tree_size,
        }
        .into());
    }
    let mut out = Vec::with_capacity(64);
    let (mut lo, mut hi) = (0u64, tree_size);
    while hi - lo > 1 {
        let k = largest_pow2_below(hi - lo);
        if leaf_index < lo + k {
            out.push(range_hash(lo + k, hi, &mut hash_at)?);
            hi = lo + k;
        } else {
            out.push(range_hash(lo, lo + k, &mut hash_at)?);
            lo += k;
        }
    }
    out.reverse();
    Ok(out)
}

/// Generates the consistency proof between the trees of `size1` and `size2` leaves
/// (RFC 6962 `PROOF` / `SUBPROOF`); `0 < size1 <= size2`, equal sizes give an empty proof.
///
/// `hash_at` is as for [`inclusion_proof`].
pub fn consistency_proof<E, F>(size1: u64, size2: u64, mut hash_at: F) -> Result<Vec<Hash>, E>
where
    F: FnMut(u8, u64) -> Result<Hash, E>,
    E: From<ProofError>,
{
    check_consistency_sizes(size1, size2)?;
    let mut out = Vec::with_capacity(64);
    let (mut lo, mut hi) = (0u64, size2);
    let mut complete = true; // the `b` flag of RFC 6962 SUBPROOF
    loop {
        if size1 == hi {
            if !complete {
                out.push(range_hash(lo, hi, &mut hash_at)?);
            }
            break;
        }
        let k = largest_pow2_below(hi - lo);
        if size1 - lo <= k {
            out.push(range_hash(lo + k, hi, &mut hash_at)?);
            hi = lo + k;
        } else {
            out.push(range_hash(lo, lo + k, &mut hash_at)?);
            lo += k;
            complete = false;
        }
    }
    out.reverse();
    Ok(out)
}

/// An in-memory Merkle tree storing every perfect-subtree hash (≈ 2 hashes per leaf).
///
/// For tests and small hosts; persistent logs use [`crate::tlog::log::Log`] over tiles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemoryTree {
    /// `levels[l][i]` is the hash of the perfect subtree of height `l` with index `i`.
    levels: Vec<Vec<Hash>>,
}

impl MemoryTree {
    /// An empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of leaves.
    pub fn size(&self) -> u64 {
        self.levels.first().map_or(0, |l| l.len() as u64)
    }

    /// Appends a leaf given its leaf hash; returns its index.
    pub fn push_leaf_hash(&mut self, leaf: Hash) -> u64 {
        let index = self.size();
        let mut hash = leaf;
        let mut level = 0usize;
        loop {
            if self.levels.len() <= level {
                self.levels.push(Vec::new());
            }
            let Some(row) = self.levels.get_mut(level) else {
                break;
            };
            row.push(hash);
            if row.len() % 2 == 1 {
                break;
            }
            match row.get(row.len() - 2..) {
                Some([l, r]) => hash = node_hash(l, r),
                _ => break,
            }
            level += 1;
        }
        index
    }

    /// Appends a raw entry (hashed with [`super::hash::leaf_hash`]); returns its index.
    pub fn push(&mut self, entry: &[u8]) -> u64 {
        self.push_leaf_hash(super::hash::leaf_hash(entry))
    }

    /// Hash of the perfect subtree of height `level` and index `index`.
    pub fn hash_at(&self, level: u8, index: u64) -> Result<Hash, ProofError> {
        self.levels
            .get(usize::from(level))
            .and_then(|row| row.get(usize::try_from(index).ok()?))
            .copied()
            .ok_or(ProofError::MissingHash { level, index })
    }

    /// Current root hash.
    pub fn root(&self) -> Hash {
        self.root_at(self.size()).unwrap_or_else(|_| empty_root())
    }

    /// Root hash of the first `size` leaves (`size <= self.size()`).
    pub fn root_at(&self, size: u64) -> Result<Hash, ProofError> {
        if size > self.size() {
            return Err(ProofError::IndexOutOfRange {
                index: size,
                size: self.size(),
            });
        }
        tree_root(size, |l, i| self.hash_at(l, i))
    }

    /// Inclusion proof of leaf `index` in the current tree.
    pub fn inclusion_proof(&self, index: u64) -> Result<Vec<Hash>, ProofError> {
        inclusion_proof(index, self.size(), |l, i| self.hash_at(l, i))
    }

    /// Inclusion proof of leaf `index` in the tree of the first `size` leaves.
    pub fn inclusion_proof_at(&self, index: u64, size: u64) -> Result<Vec<Hash>, ProofError> {
        if size > self.size() {
            return Err(ProofError::IndexOutOfRange {
                index: size,
                size: self.size(),
            });
        }
        inclusion_proof(index, size, |l, i| self.hash_at(l, i))
    }

    /// Consistency proof between the first `size1` and the first `size2` leaves.
    pub fn consistency_proof(&self, size1: u64, size2: u64) -> Result<Vec<Hash>, ProofError> {
        if size2 > self.size() {
            return Err(ProofError::IndexOutOfRange {
                index: size2,
                size: self.size(),
            });
        }
        consistency_proof(size1, size2, |l, i| self.hash_at(l, i))
    }
}

#[cfg(test)]
mod tests;
