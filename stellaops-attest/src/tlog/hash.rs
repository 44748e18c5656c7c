//! RFC 6962 / RFC 9162 §2.1 Merkle tree hashing with SHA-256.
//!
//! Leaves and interior nodes are domain-separated by a one-byte prefix so that a leaf can never
//! be confused with a node (second-preimage protection):
//!
//! * `leaf_hash(d)    = SHA-256(0x00 || d)`
//! * `node_hash(l, r) = SHA-256(0x01 || l || r)`
//! * the hash of the empty tree is `SHA-256("")`.
//!
//! The Merkle Tree Hash (MTH) of `n > 1` leaves splits them at `k`, the largest power of two
//! strictly smaller than `n`: `MTH(D[n]) = node_hash(MTH(D[0:k]), MTH(D[k:n]))`.

use sha2::{Digest, Sha256};

/// A SHA-256 Merkle tree hash (leaf, node or root).
pub type Hash = [u8; 32];

/// Size of a [`Hash`](type@Hash) in bytes.
pub const HASH_SIZE: usize = 32;

/// Domain-separation prefix of leaf hashes.
const LEAF_PREFIX: u8 = 0x00;
/// Domain-separation prefix of interior-node hashes.
const NODE_PREFIX: u8 = 0x01;

/// Hash of a log entry: `SHA-256(0x00 || data)`.
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([LEAF_PREFIX]);
    h.update(data);
    h.finalize().into()
}

/// Hash of an interior node: `SHA-256(0x01 || left || right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([NODE_PREFIX]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// Root hash of the empty tree: `SHA-256("")`.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// The RFC 6962 Merkle Tree Hash of a sequence of *leaf hashes* (not raw entries: hash those
/// with [`leaf_hash`] first). Returns [`empty_root`] for an empty slice.
///
/// This is the reference definition (recursive split at the largest power of two smaller than
/// `n`), linear in the number of leaves; logs use [`crate::tlog::log::Log`] instead.
pub fn root_from_leaves(leaves: &[Hash]) -> Hash {
    match leaves {
        [] => empty_root(),
        [one] => *one,
        _ => {
            // `largest_pow2_below` of a length >= 2 is in 1..len, so the split is in bounds.
            let k = usize::try_from(largest_pow2_below(leaves.len() as u64)).unwrap_or(0);
            let (left, right) = leaves.split_at(k.min(leaves.len()));
            node_hash(&root_from_leaves(left), &root_from_leaves(right))
        }
    }
}

/// The largest power of two strictly smaller than `n`, for `n >= 2` (returns 0 for `n < 2`).
pub(crate) fn largest_pow2_below(n: u64) -> u64 {
    if n < 2 {
        return 0;
    }
    1u64 << (63 - (n - 1).leading_zeros())
}

/// Hash of a *perfect* subtree given its `2^k` leaves-level hashes (`hashes.len()` must be a
/// power of two; any other length hashes as the RFC 6962 tree of that many leaves).
pub(crate) fn perfect_root(hashes: &[Hash]) -> Hash {
    if hashes.len().is_power_of_two() {
        let mut level: Vec<Hash> = hashes.to_vec();
        while level.len() > 1 {
            level = level
                .chunks_exact(2)
                .map(|pair| match pair {
                    [l, r] => node_hash(l, r),
                    _ => empty_root(), // unreachable: chunks_exact(2) yields pairs
                })
                .collect();
        }
        level.first().copied().unwrap_or_else(empty_root)
    } else {
        root_from_leaves(hashes)
    }
}

/// Constant-time equality of two hashes (no early exit on the first differing byte).
///
/// Root and hash comparisons in this module go through this helper so that no timing signal
/// depends on how many leading bytes an attacker-chosen value got right.
pub fn ct_eq(a: &Hash, b: &Hash) -> bool {
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b.iter()) {
        diff |= x ^ y;
    }
    core::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hx(s: &str) -> Hash {
        let v = hex::decode(s).unwrap_or_default();
        v.try_into().unwrap_or([0u8; 32])
    }

    /// RFC 6962 reference roots for the 8 test leaves used by the Certificate Transparency and
    /// transparency-dev/merkle test suites (`leaves`/`roots` tables in `proof/verify_test.go`).
    #[test]
    fn reference_roots_of_the_ct_test_leaves() {
        let leaves: [&[u8]; 8] = [
            b"",
            b"\x00",
            b"\x10",
            b"\x20\x21",
            b"\x30\x31",
            b"\x40\x41\x42\x43",
            b"\x50\x51\x52\x53\x54\x55\x56\x57",
            b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
        ];
        let roots = [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
        ];
        let hashes: Vec<Hash> = leaves.iter().map(|l| leaf_hash(l)).collect();
        for (n, want) in roots.iter().enumerate() {
            assert_eq!(
                root_from_leaves(&hashes[..=n]),
                hx(want),
                "root of {} leaves",
                n + 1
            );
        }
    }

    #[test]
    fn empty_tree_and_prefixes() {
        assert_eq!(
            empty_root(),
            hx("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        );
        assert_eq!(root_from_leaves(&[]), empty_root());
        // leaf_hash("") = SHA-256(0x00)
        assert_eq!(
            leaf_hash(b""),
            hx("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
        );
        let a = leaf_hash(b"a");
        let b = leaf_hash(b"b");
        assert_ne!(node_hash(&a, &b), node_hash(&b, &a));
        let mut concat = Vec::new();
        concat.extend_from_slice(&a);
        concat.extend_from_slice(&b);
        assert_ne!(node_hash(&a, &b), leaf_hash(&concat));
    }

    #[test]
    fn pow2_split_and_perfect_root() {
        assert_eq!(largest_pow2_below(0), 0);
        assert_eq!(largest_pow2_below(1), 0);
        assert_eq!(largest_pow2_below(2), 1);
        assert_eq!(largest_pow2_below(3), 2);
        assert_eq!(largest_pow2_below(4), 2);
        assert_eq!(largest_pow2_below(5), 4);
        assert_eq!(largest_pow2_below(u64::MAX), 1 << 63);
        let hs: Vec<Hash> = (0u8..16).map(|i| leaf_hash(&[i])).collect();
        for n in 1..=16 {
            assert_eq!(perfect_root(&hs[..n]), root_from_leaves(&hs[..n]));
        }
    }

    #[test]
    fn ct_eq_matches_eq() {
        let a = leaf_hash(b"x");
        let mut b = a;
        assert!(ct_eq(&a, &b));
        b[31] ^= 1;
        assert!(!ct_eq(&a, &b));
        b = a;
        b[0] ^= 0x80;
        assert!(!ct_eq(&a, &b));
    }
}
