//! A tiled append-only Merkle log over a host-provided [`TileStore`].
//!
//! [`Log`] keeps in memory only the right edge of the tree: the rightmost (partial) tile of
//! every level and the partial entry bundle, at most 8 × 255 hashes and 255 entries. Appending
//! a batch hashes each entry once, writes every tile and entry bundle that became full (once:
//! full tiles are immutable) and the new partial tiles `.p/W` for the final size. Nothing is
//! ever deleted, so partial tiles of every size the host checkpointed stay readable (the
//! tlog-tiles spec allows deleting them once the full tile exists; that is a host decision).
//!
//! Reads go through [`Log::hash_at`], which recomputes the hash of any perfect subtree from
//! at most 128 hashes of one tile; proofs read O(log n) tiles (at most one per tile level and
//! border subtree, cached per proof).
//!
//! Durability and atomicity are the host's job: a batch's writes are staged and issued after
//! all hashing succeeded, and the in-memory state only advances when every `put` succeeded.
//! A host that crashed after writing tiles but before publishing a checkpoint re-opens the log
//! at the checkpointed size; re-appending *different* entries then collides with the already
//! written full tiles ([`StoreError::Immutable`]) instead of silently forking the log.

use thiserror::Error;

use super::hash::{ct_eq, leaf_hash, perfect_root, Hash};
use super::proof::{self, ProofError};
use super::tiles::{
    decode_entry_bundle_exact, decode_tile_exact, encode_entry_bundle, encode_tile, entries_path,
    tile_path, StoreError, TileError, TileStore, MAX_ENTRY_SIZE, TILE_HEIGHT, TILE_WIDTH,
};

/// Number of hashes in a full tile, as a `usize`.
const WIDTH: usize = TILE_WIDTH as usize;
/// Number of tile levels needed for any `u64` tree size (8 × 8 = 64 tree levels).
const MAX_TILE_LEVELS: usize = 8;
/// Decoded full tiles kept per read session (a proof touches at most ~16 tiles).
const CACHE_TILES: usize = 16;

/// Errors of [`Log`] operations.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum LogError {
    /// The host's store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored tile or bundle is malformed.
    #[error("{path}: {source}")]
    Tile {
        /// Path of the resource.
        path: String,
        /// What is wrong with it.
        #[source]
        source: TileError,
    },
    /// A tile path or tile could not be built (should not happen for valid sizes).
    #[error(transparent)]
    Encode(#[from] TileError),
    /// Proof generation failed.
    #[error(transparent)]
    Proof(#[from] ProofError),
    /// A tile the tree size requires is not in the store.
    #[error("{0} is missing from the tile store")]
    MissingTile(String),
    /// An entry is too large for an entry bundle.
    #[error("entry {position} of the batch is {len} bytes; entries are limited to 65535 bytes")]
    EntryTooLarge {
        /// Position of the entry in the batch.
        position: usize,
        /// Its length.
        len: usize,
    },
    /// The log would exceed 2^64 - 1 entries.
    #[error("log size would overflow")]
    SizeOverflow,
    /// A requested entry or tree size is beyond the log size.
    #[error("{what} {value} is beyond the log size {size}")]
    OutOfRange {
        /// What was requested (`entry index`, `tree size`, …).
        what: &'static str,
        /// The requested value.
        value: u64,
        /// Current log size.
        size: u64,
    },
    /// Stored resources contradict each other (e.g. an entry bundle and its level-0 tile).
    #[error("inconsistent tile store: {0}")]
    Inconsistent(&'static str),
    /// The root recomputed from the stored tiles is not the expected root.
    #[error("the stored tiles do not match the expected root")]
    RootMismatch,
}

/// A tiled Merkle log (C2SP tlog-tiles layout, RFC 6962 hashing) over a [`TileStore`].
#[derive(Debug)]
pub struct Log<S: TileStore> {
    store: S,
    size: u64,
    /// `edge[l]`: hashes of the rightmost partial tile at level `l`
    /// (`(size >> 8l) % 256` of them; empty when that level has no partial tile).
    edge: Vec<Vec<Hash>>,
    /// Entries of the partial entry bundle (`size % 256` of them).
    bundle: Vec<Vec<u8>>,
    root: Hash,
}

/// `size >> (8 * level)`: number of level-`level` tile hashes in a tree of `size` leaves.
fn hashes_at_tile_level(size: u64, level: usize) -> u64 {
    size.checked_shr(u32::from(TILE_HEIGHT) * level as u32)
        .unwrap_or(0)
}

/// The hash of perfect subtree (`level`, `index`) if it lies in a partial edge tile.
fn edge_lookup(size: u64, edge: &[Vec<Hash>], level: u8, index: u64) -> Option<Option<Hash>> {
    let tl = usize::from(level / TILE_HEIGHT);
    let sub = u32::from(level % TILE_HEIGHT);
    let first = index.checked_shl(sub)?;
    let tile_index = first / TILE_WIDTH as u64;
    let n = hashes_at_tile_level(size, tl);
    if tile_index != n / TILE_WIDTH as u64 {
        return None; // in a full tile
    }
    let offset = (first % TILE_WIDTH as u64) as usize;
    let count = 1usize << sub;
    Some(
        edge.get(tl)
            .and_then(|row| row.get(offset..offset + count))
            .map(perfect_root),
    )
}

/// Whether perfect subtree (`level`, `index`) lies entirely inside a tree of `size` leaves.
fn subtree_in_tree(size: u64, level: u8, index: u64) -> bool {
    level < 64 && ((u128::from(index) + 1) << level) <= u128::from(size)
}

/// Root of a tree of `size` leaves from its right edge alone.
fn root_from_edge(size: u64, edge: &[Vec<Hash>]) -> Result<Hash, LogError> {
    proof::tree_root(size, |level, index| {
        match edge_lookup(size, edge, level, index) {
            Some(Some(h)) => Ok(h),
            _ => Err(LogError::Inconsistent(
                "tree root needs a hash outside the edge tiles",
            )),
        }
    })
}

impl<S: TileStore> Log<S> {
    /// Opens the log of `size` entries stored in `store` (`size` comes from the host's latest
    /// checkpoint; use 0 for a new log). Reads the partial tiles and the partial entry bundle
    /// of that size and checks the bundle against the level-0 tile.
    pub fn open(store: S, size: u64) -> Result<Self, LogError> {
        let mut edge = Vec::new();
        for level in 0..MAX_TILE_LEVELS {
            let n = hashes_at_tile_level(size, level);
            if n == 0 {
                break;
            }
            let width = (n % TILE_WIDTH as u64) as usize;
            if width == 0 {
                edge.push(Vec::new());
                continue;
            }
            let path = tile_path(level as u8, n / TILE_WIDTH as u64, Some(width as u16))?;
            let bytes = store
                .get(&path)?
                .ok_or_else(|| LogError::MissingTile(path.clone()))?;
            let hashes = decode_tile_exact(&bytes, width)
                .map_err(|source| LogError::Tile { path, source })?;
            edge.push(hashes);
        }
        let width = (size % TILE_WIDTH as u64) as usize;
        let bundle = if width == 0 {
            Vec::new()
        } else {
            let path = entries_path(size / TILE_WIDTH as u64, Some(width as u16))?;
            let bytes = store
                .get(&path)?
                .ok_or_else(|| LogError::MissingTile(path.clone()))?;
            let entries = decode_entry_bundle_exact(&bytes, width)
                .map_err(|source| LogError::Tile { path, source })?;
            let level0 = edge.first().map(Vec::as_slice).unwrap_or_default();
            if entries.len() != level0.len()
                || entries
                    .iter()
                    .zip(level0)
                    .any(|(e, h)| !ct_eq(&leaf_hash(e), h))
            {
                return Err(LogError::Inconsistent(
                    "partial entry bundle does not match the partial level-0 tile",
                ));
            }
            entries
        };
        let root = root_from_edge(size, &edge)?;
        Ok(Self {
            store,
            size,
            edge,
            bundle,
            root,
        })
    }

    /// Opens the log like [`Log::open`] and checks that the stored tiles hash to `root` (the
    /// root of the host's verified checkpoint of that size).
    pub fn open_with_root(store: S, size: u64, root: &Hash) -> Result<Self, LogError> {
        let log = Self::open(store, size)?;
        if ct_eq(&log.root, root) {
            Ok(log)
        } else {
            Err(LogError::RootMismatch)
        }
    }

    /// Number of entries.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Current root hash.
    pub fn root(&self) -> Hash {
        self.root
    }

    /// The underlying store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Gives the store back.
    pub fn into_store(self) -> S {
        self.store
    }

    /// Appends a batch of entries (each at most 65535 bytes); returns their indices.
    ///
    /// Writes the tiles and bundles that became full, then the partial tiles and the partial
    /// bundle of the new size. On error nothing in memory changes (some full tiles may have
    /// been written; see the module docs).
    pub fn append_batch<E: AsRef<[u8]>>(&mut self, entries: &[E]) -> Result<Vec<u64>, LogError> {
        if entries.is_empty() {
            return Ok(Vec::new());
        }
        if let Some((position, e)) = entries
            .iter()
            .enumerate()
            .find(|(_, e)| e.as_ref().len() > MAX_ENTRY_SIZE)
        {
            return Err(LogError::EntryTooLarge {
                position,
                len: e.as_ref().len(),
            });
        }
        let old_size = self.size;
        let new_size = u64::try_from(entries.len())
            .ok()
            .and_then(|n| old_size.checked_add(n))
            .ok_or(LogError::SizeOverflow)?;

        let mut edge = self.edge.clone();
        let mut bundle = self.bundle.clone();
        let mut writes: Vec<(String, Vec<u8>)> = Vec::new();
        for (offset, e) in (0u64..).zip(entries) {
            // Index of this entry (no overflow: old_size + entries.len() fits, checked above).
            let size = old_size + offset;
            let e = e.as_ref();
            bundle.push(e.to_vec());
            if bundle.len() == WIDTH {
                writes.push((
                    entries_path(size / TILE_WIDTH as u64, None)?,
                    encode_entry_bundle(&bundle)?,
                ));
                bundle.clear();
            }
            let mut hash = leaf_hash(e);
            let mut level = 0usize;
            loop {
                if edge.len() <= level {
                    edge.push(Vec::with_capacity(WIDTH));
                }
                let Some(row) = edge.get_mut(level) else {
                    return Err(LogError::Inconsistent("edge level missing"));
                };
                row.push(hash);
                if row.len() < WIDTH {
                    break;
                }
                // The row is a full tile: index = (hashes at this level after the push) / 256 - 1.
                let index = hashes_at_tile_level(size + 1, level) / TILE_WIDTH as u64 - 1;
                writes.push((tile_path(level as u8, index, None)?, encode_tile(row)?));
                hash = perfect_root(row);
                row.clear();
                level += 1;
                if level >= MAX_TILE_LEVELS {
                    return Err(LogError::SizeOverflow);
                }
            }
        }
        for (level, row) in edge.iter().enumerate() {
            let n = hashes_at_tile_level(new_size, level);
            if row.is_empty() || n == hashes_at_tile_level(old_size, level) {
                continue; // no partial tile, or the stored one is unchanged
            }
            let path = tile_path(level as u8, n / TILE_WIDTH as u64, Some(row.len() as u16))?;
            writes.push((path, encode_tile(row)?));
        }
        if !bundle.is_empty() {
            let path = entries_path(new_size / TILE_WIDTH as u64, Some(bundle.len() as u16))?;
            writes.push((path, encode_entry_bundle(&bundle)?));
        }
        let root = root_from_edge(new_size, &edge)?;

        for (path, bytes) in &writes {
            self.store.put(path, bytes)?;
        }
        self.edge = edge;
        self.bundle = bundle;
        self.size = new_size;
        self.root = root;
        Ok((old_size..new_size).collect())
    }

    /// Hash of the perfect subtree of height `level` covering entries
    /// `[index << level, (index + 1) << level)`, read from the tiles.
    pub fn hash_at(&self, level: u8, index: u64) -> Result<Hash, LogError> {
        Reader::new(self).hash_at(level, index)
    }

    /// Root hash of the first `tree_size` entries (`tree_size <= size()`).
    pub fn root_at(&self, tree_size: u64) -> Result<Hash, LogError> {
        self.check_size(tree_size)?;
        let mut r = Reader::new(self);
        proof::tree_root(tree_size, |l, i| r.hash_at(l, i))
    }

    /// Inclusion proof of entry `index` in the current tree.
    pub fn inclusion_proof(&self, index: u64) -> Result<Vec<Hash>, LogError> {
        self.inclusion_proof_at(index, self.size)
    }

    /// Inclusion proof of entry `index` in the tree of the first `tree_size` entries (for a
    /// client holding an older checkpoint).
    pub fn inclusion_proof_at(&self, index: u64, tree_size: u64) -> Result<Vec<Hash>, LogError> {
        self.check_size(tree_size)?;
        let mut r = Reader::new(self);
        proof::inclusion_proof(index, tree_size, |l, i| r.hash_at(l, i))
    }

    /// Consistency proof from the tree of `old_size` entries to the current tree
    /// (`0 < old_size <= size()`).
    pub fn consistency_proof(&self, old_size: u64) -> Result<Vec<Hash>, LogError> {
        self.consistency_proof_between(old_size, self.size)
    }

    /// Consistency proof between the trees of `size1` and `size2` entries
    /// (`0 < size1 <= size2 <= size()`).
    pub fn consistency_proof_between(&self, size1: u64, size2: u64) -> Result<Vec<Hash>, LogError> {
        self.check_size(size2)?;
        let mut r = Reader::new(self);
        proof::consistency_proof(size1, size2, |l, i| r.hash_at(l, i))
    }

    /// Entry `index`, read from its entry bundle.
    pub fn entry(&self, index: u64) -> Result<Vec<u8>, LogError> {
        if index >= self.size {
            return Err(LogError::OutOfRange {
                what: "entry index",
                value: index,
                size: self.size,
            });
        }
        let bundle_index = index / TILE_WIDTH as u64;
        let offset = (index % TILE_WIDTH as u64) as usize;
        if bundle_index == self.size / TILE_WIDTH as u64 {
            return self
                .bundle
                .get(offset)
                .cloned()
                .ok_or(LogError::Inconsistent(
                    "partial bundle shorter than the log",
                ));
        }
        let path = entries_path(bundle_index, None)?;
        let bytes = self
            .store
            .get(&path)?
            .ok_or_else(|| LogError::MissingTile(path.clone()))?;
        let mut entries = decode_entry_bundle_exact(&bytes, WIDTH)
            .map_err(|source| LogError::Tile { path, source })?;
        if offset < entries.len() {
            Ok(entries.swap_remove(offset))
        } else {
            Err(LogError::Inconsistent(
                "full bundle shorter than 256 entries",
            ))
        }
    }

    fn check_size(&self, tree_size: u64) -> Result<(), LogError> {
        if tree_size > self.size {
            return Err(LogError::OutOfRange {
                what: "tree size",
                value: tree_size,
                size: self.size,
            });
        }
        Ok(())
    }
}

/// One read session: caches the decoded full tiles it reads.
struct Reader<'a, S: TileStore> {
    log: &'a Log<S>,
    cache: Vec<((usize, u64), Vec<Hash>)>,
}

impl<'a, S: TileStore> Reader<'a, S> {
    fn new(log: &'a Log<S>) -> Self {
        Self {
            log,
            cache: Vec::new(),
        }
    }

    fn hash_at(&mut self, level: u8, index: u64) -> Result<Hash, LogError> {
        let size = self.log.size;
        if !subtree_in_tree(size, level, index) {
            return Err(ProofError::MissingHash { level, index }.into());
        }
        match edge_lookup(size, &self.log.edge, level, index) {
            Some(Some(h)) => return Ok(h),
            Some(None) => return Err(LogError::Inconsistent("edge tile shorter than the log")),
            None => {}
        }
        let tl = usize::from(level / TILE_HEIGHT);
        let sub = u32::from(level % TILE_HEIGHT);
        // In range: subtree_in_tree bounds index << level by the size.
        let first = index << sub;
        let tile_index = first / TILE_WIDTH as u64;
        let offset = (first % TILE_WIDTH as u64) as usize;
        let tile = self.full_tile(tl, tile_index)?;
        tile.get(offset..offset + (1usize << sub))
            .map(perfect_root)
            .ok_or(LogError::Inconsistent("full tile shorter than 256 hashes"))
    }

    fn full_tile(&mut self, level: usize, index: u64) -> Result<&[Hash], LogError> {
        let pos = match self.cache.iter().position(|(k, _)| *k == (level, index)) {
            Some(pos) => pos,
            None => {
                let path = tile_path(level as u8, index, None)?;
                let bytes = self
                    .log
                    .store
                    .get(&path)?
                    .ok_or_else(|| LogError::MissingTile(path.clone()))?;
                let hashes = decode_tile_exact(&bytes, WIDTH)
                    .map_err(|source| LogError::Tile { path, source })?;
                if self.cache.len() >= CACHE_TILES {
                    self.cache.remove(0);
                }
                self.cache.push(((level, index), hashes));
                self.cache.len() - 1
            }
        };
        Ok(self
            .cache
            .get(pos)
            .map(|(_, t)| t.as_slice())
            .unwrap_or_default())
    }
}

#[cfg(test)]
mod tests;
