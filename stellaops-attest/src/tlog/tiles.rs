//! C2SP tlog-tiles: the static resources a tiled transparency log is served as.
//!
//! * A *tile* at level `L` with index `N` holds up to 256 consecutive Merkle tree hashes of
//!   height `8 * L`: hash `i` is `MTH(D[(N*256 + i) * 256^L .. (N*256 + i + 1) * 256^L])`.
//!   Level-0 tiles hold leaf hashes. A *full* tile holds exactly 256 hashes (8192 bytes);
//!   the rightmost tile of a level may be *partial* (1..=255 hashes) and is then served at
//!   `tile/<L>/<N>.p/<W>`.
//! * An *entry bundle* `tile/entries/<N>[.p/<W>]` holds the entries of the level-0 tile `N`,
//!   each prefixed by its length as a big-endian `u16` (so entries are at most 65535 bytes).
//! * `<N>` is written as zero-padded groups of three digits, all but the last prefixed with
//!   `x`: 1234067 is `x001/x234/067`.
//!
//! Paths here are relative to the log prefix (`tile/0/000`, not `https://…/tile/0/000`).
//! The host persists tiles through the [`TileStore`] trait; [`MemoryStore`] is an in-memory
//! implementation for tests. Full tiles and full entry bundles are immutable: storing different
//! bytes at an existing full path is an error.

use std::cell::Cell;
use std::collections::BTreeMap;

use thiserror::Error;

use super::hash::{Hash, HASH_SIZE};

/// Height of a tile: each tile spans 8 levels of the Merkle tree.
pub const TILE_HEIGHT: u8 = 8;
/// Number of hashes in a full tile (and entries in a full bundle).
pub const TILE_WIDTH: u16 = 256;
/// Highest tile level allowed in a path.
pub const MAX_TILE_LEVEL: u8 = 63;
/// Largest entry an entry bundle can hold (its length prefix is a `u16`).
pub const MAX_ENTRY_SIZE: usize = u16::MAX as usize;

/// Errors of tile paths, tile bytes and entry bundles.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum TileError {
    /// A path is not a canonical tile or entry-bundle path.
    #[error("invalid tile path {path:?}: {reason}")]
    InvalidPath {
        /// The offending path.
        path: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Tile level above [`MAX_TILE_LEVEL`].
    #[error("tile level {0} is out of range 0..=63")]
    LevelOutOfRange(u8),
    /// Tile width outside 1..=256.
    #[error("tile width {0} is out of range 1..=256")]
    WidthOutOfRange(u16),
    /// Tile bytes are not a whole number of hashes.
    #[error("tile length {0} is not a multiple of 32 bytes")]
    TileLength(usize),
    /// A tile or bundle is empty (empty tiles must not be served).
    #[error("empty tile or entry bundle")]
    Empty,
    /// A tile with more than 256 hashes.
    #[error("tile has {0} hashes, at most 256 are allowed")]
    TooManyHashes(usize),
    /// An entry bundle with more than 256 entries.
    #[error("entry bundle has more than 256 entries")]
    TooManyEntries,
    /// A tile or bundle does not have the width its path says.
    #[error("tile or bundle has {got} items, expected {want}")]
    WidthMismatch {
        /// Number of hashes or entries found.
        got: usize,
        /// Number expected from the path or the tree size.
        want: usize,
    },
    /// An entry bundle ends in the middle of a length prefix or an entry.
    #[error("entry bundle is truncated at byte offset {0}")]
    TruncatedBundle(usize),
    /// An entry too large for the `u16` length prefix of entry bundles.
    #[error("entry of {0} bytes exceeds the 65535-byte limit of entry bundles")]
    EntryTooLarge(usize),
}

/// Error of a [`TileStore`] (the host's storage).
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// A full tile or bundle already exists with different bytes (they are immutable).
    #[error("refusing to overwrite immutable tile {path} with different content")]
    Immutable {
        /// Path of the tile.
        path: String,
    },
    /// Any other storage failure, described by the host.
    #[error("tile store: {0}")]
    Backend(String),
}

/// What a tile path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TileKind {
    /// A Merkle tree hash tile at this level.
    Hashes {
        /// Tile level (tree height `8 * level`).
        level: u8,
    },
    /// An entry bundle (the entries of the level-0 tile with the same index).
    Entries,
}

/// A parsed tile or entry-bundle path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TilePath {
    /// Hash tile (with level) or entry bundle.
    pub kind: TileKind,
    /// Index `N` of the tile within its level.
    pub index: u64,
    /// `Some(W)` (1..=255) for a partial tile, `None` for a full one.
    pub width: Option<u16>,
}

impl TilePath {
    /// Number of hashes or entries the resource holds (256 for a full tile).
    pub fn count(&self) -> usize {
        usize::from(self.width.unwrap_or(TILE_WIDTH))
    }

    /// Whether this is a partial tile (`.p/W`).
    pub fn is_partial(&self) -> bool {
        self.width.is_some()
    }

    /// The canonical path string.
    pub fn to_path(&self) -> String {
        let mut s = match self.kind {
            TileKind::Hashes { level } => format!("tile/{level}/"),
            TileKind::Entries => "tile/entries/".to_string(),
        };
        s.push_str(&format_index(self.index));
        if let Some(w) = self.width {
            s.push_str(&format!(".p/{w}"));
        }
        s
    }
}

impl core::fmt::Display for TilePath {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.to_path())
    }
}

/// `N` as 3-digit groups, all but the last prefixed with `x`.
fn format_index(mut n: u64) -> String {
    let mut s = format!("{:03}", n % 1000);
    while n >= 1000 {
        n /= 1000;
        s = format!("x{:03}/{s}", n % 1000);
    }
    s
}

/// Normalises a requested width: `None` and `Some(256)` mean full, `Some(1..=255)` partial.
fn normalize_width(width: Option<u16>) -> Result<Option<u16>, TileError> {
    match width {
        None | Some(TILE_WIDTH) => Ok(None),
        Some(w @ 1..=255) => Ok(Some(w)),
        Some(w) => Err(TileError::WidthOutOfRange(w)),
    }
}

/// Path of the hash tile at `level` with index `index`; `width` is `None` (or `Some(256)`)
/// for a full tile and `Some(1..=255)` for a partial one.
pub fn tile_path(level: u8, index: u64, width: Option<u16>) -> Result<String, TileError> {
    if level > MAX_TILE_LEVEL {
        return Err(TileError::LevelOutOfRange(level));
    }
    Ok(TilePath {
        kind: TileKind::Hashes { level },
        index,
        width: normalize_width(width)?,
    }
    .to_path())
}

/// Path of the entry bundle with index `index` (`width` as for [`tile_path`]).
pub fn entries_path(index: u64, width: Option<u16>) -> Result<String, TileError> {
    Ok(TilePath {
        kind: TileKind::Entries,
        index,
        width: normalize_width(width)?,
    }
    .to_path())
}

/// Parses a decimal with no sign and no leading zeros (except `0` itself).
fn parse_decimal(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0'))
    {
        return None;
    }
    s.parse().ok()
}

/// Parses a canonical `tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]` path (relative to
/// the log prefix). Non-canonical spellings (leading zeros, `x000` groups, `.p/256`, …) are
/// rejected, so that every resource has exactly one path.
pub fn parse_tile_path(path: &str) -> Result<TilePath, TileError> {
    let bad = |reason| TileError::InvalidPath {
        path: path.to_string(),
        reason,
    };
    let rest = path
        .strip_prefix("tile/")
        .ok_or_else(|| bad("missing tile/ prefix"))?;
    let (kind_str, rest) = rest.split_once('/').ok_or_else(|| bad("missing index"))?;
    let kind = if kind_str == "entries" {
        TileKind::Entries
    } else {
        let level =
            parse_decimal(kind_str).ok_or_else(|| bad("level is not a canonical decimal"))?;
        let level = u8::try_from(level)
            .ok()
            .filter(|l| *l <= MAX_TILE_LEVEL)
            .ok_or_else(|| bad("level out of range 0..=63"))?;
        TileKind::Hashes { level }
    };
    let (index_str, width) = match rest.split_once(".p/") {
        Some((idx, w)) => {
            let w = parse_decimal(w)
                .and_then(|w| u16::try_from(w).ok())
                .filter(|w| (1..TILE_WIDTH).contains(w))
                .ok_or_else(|| bad("partial width is not a decimal in 1..=255"))?;
            (idx, Some(w))
        }
        None => (rest, None),
    };
    let groups: Vec<&str> = index_str.split('/').collect();
    let mut index: u64 = 0;
    for (i, group) in groups.iter().enumerate() {
        let digits = if i + 1 < groups.len() {
            group
                .strip_prefix('x')
                .ok_or_else(|| bad("index group without x prefix"))?
        } else {
            group
        };
        if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("index group is not 3 digits"));
        }
        let g: u64 = digits
            .parse()
            .map_err(|_| bad("index group is not 3 digits"))?;
        index = index
            .checked_mul(1000)
            .and_then(|n| n.checked_add(g))
            .ok_or_else(|| bad("index overflows 64 bits"))?;
    }
    let parsed = TilePath { kind, index, width };
    if parsed.to_path() != path {
        return Err(bad("not in canonical form"));
    }
    Ok(parsed)
}

/// Encodes hashes as tile bytes (concatenated hashes); 1..=256 hashes.
pub fn encode_tile(hashes: &[Hash]) -> Result<Vec<u8>, TileError> {
    if hashes.is_empty() {
        return Err(TileError::Empty);
    }
    if hashes.len() > usize::from(TILE_WIDTH) {
        return Err(TileError::TooManyHashes(hashes.len()));
    }
    Ok(hashes.concat())
}

/// Decodes tile bytes: a non-empty whole number of 32-byte hashes, at most 256.
pub fn decode_tile(bytes: &[u8]) -> Result<Vec<Hash>, TileError> {
    if bytes.is_empty() {
        return Err(TileError::Empty);
    }
    if bytes.len() % HASH_SIZE != 0 {
        return Err(TileError::TileLength(bytes.len()));
    }
    let count = bytes.len() / HASH_SIZE;
    if count > usize::from(TILE_WIDTH) {
        return Err(TileError::TooManyHashes(count));
    }
    Ok(bytes
        .chunks_exact(HASH_SIZE)
        .filter_map(|c| <Hash>::try_from(c).ok())
        .collect())
}

/// Decodes tile bytes that must hold exactly `width` hashes (256 for a full tile).
pub fn decode_tile_exact(bytes: &[u8], width: usize) -> Result<Vec<Hash>, TileError> {
    let hashes = decode_tile(bytes)?;
    if hashes.len() != width {
        return Err(TileError::WidthMismatch {
            got: hashes.len(),
            want: width,
        });
    }
    Ok(hashes)
}

/// Encodes entries as an entry bundle: each entry prefixed by its big-endian `u16` length;
/// 1..=256 entries of at most 65535 bytes.
pub fn encode_entry_bundle<E: AsRef<[u8]>>(entries: &[E]) -> Result<Vec<u8>, TileError> {
    if entries.is_empty() {
        return Err(TileError::Empty);
    }
    if entries.len() > usize::from(TILE_WIDTH) {
        return Err(TileError::TooManyEntries);
    }
    let total: usize = entries.iter().map(|e| e.as_ref().len() + 2).sum();
    let mut out = Vec::with_capacity(total);
    for e in entries {
        let e = e.as_ref();
        let len = u16::try_from(e.len()).map_err(|_| TileError::EntryTooLarge(e.len()))?;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(e);
    }
    Ok(out)
}

/// Decodes an entry bundle; rejects empty, truncated and over-long (> 256 entries) bundles.
pub fn decode_entry_bundle(bytes: &[u8]) -> Result<Vec<Vec<u8>>, TileError> {
    if bytes.is_empty() {
        return Err(TileError::Empty);
    }
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let offset = bytes.len() - rest.len();
        if out.len() == usize::from(TILE_WIDTH) {
            return Err(TileError::TooManyEntries);
        }
        let (len, after) = match rest {
            [hi, lo, after @ ..] => (usize::from(u16::from_be_bytes([*hi, *lo])), after),
            _ => return Err(TileError::TruncatedBundle(offset)),
        };
        if after.len() < len {
            return Err(TileError::TruncatedBundle(offset));
        }
        let (entry, tail) = after.split_at(len);
        out.push(entry.to_vec());
        rest = tail;
    }
    Ok(out)
}

/// Decodes an entry bundle that must hold exactly `width` entries (256 for a full bundle).
pub fn decode_entry_bundle_exact(bytes: &[u8], width: usize) -> Result<Vec<Vec<u8>>, TileError> {
    let entries = decode_entry_bundle(bytes)?;
    if entries.len() != width {
        return Err(TileError::WidthMismatch {
            got: entries.len(),
            want: width,
        });
    }
    Ok(entries)
}

/// Storage of tiles and entry bundles, implemented by the host (files, object store, …).
///
/// Paths are canonical tile paths relative to the log prefix (`tile/0/x001/234.p/7`).
/// Implementations must treat full tiles and bundles (paths without `.p/`) as immutable:
/// `put` of different bytes at an existing full path must fail with
/// [`StoreError::Immutable`]; `put` of identical bytes must succeed. Durability (fsync,
/// atomic renames) is the host's job.
pub trait TileStore {
    /// Bytes stored at `path`, or `None` if there are none.
    fn get(&self, path: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// Stores `bytes` at `path`.
    fn put(&mut self, path: &str, bytes: &[u8]) -> Result<(), StoreError>;
}

impl<S: TileStore + ?Sized> TileStore for &mut S {
    fn get(&self, path: &str) -> Result<Option<Vec<u8>>, StoreError> {
        (**self).get(path)
    }
    fn put(&mut self, path: &str, bytes: &[u8]) -> Result<(), StoreError> {
        (**self).put(path, bytes)
    }
}

/// Whether a path names a full (immutable) tile or bundle.
fn is_full_path(path: &str) -> bool {
    !path.contains(".p/")
}

/// An in-memory [`TileStore`] (for tests and examples). Counts reads so tests can check how
/// many tiles an operation touches.
#[derive(Debug, Default, Clone)]
pub struct MemoryStore {
    tiles: BTreeMap<String, Vec<u8>>,
    reads: Cell<u64>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of stored resources.
    pub fn len(&self) -> usize {
        self.tiles.len()
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.tiles.is_empty()
    }

    /// Stored paths, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.tiles.keys().map(String::as_str)
    }

    /// Number of `get` calls so far.
    pub fn reads(&self) -> u64 {
        self.reads.get()
    }

    /// Removes a resource (to simulate loss in tests); returns its bytes.
    pub fn remove(&mut self, path: &str) -> Option<Vec<u8>> {
        self.tiles.remove(path)
    }

    /// Stores bytes bypassing the immutability check (to simulate corruption in tests).
    pub fn insert_raw(&mut self, path: &str, bytes: Vec<u8>) {
        self.tiles.insert(path.to_string(), bytes);
    }
}

impl TileStore for MemoryStore {
    fn get(&self, path: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.reads.set(self.reads.get().saturating_add(1));
        Ok(self.tiles.get(path).cloned())
    }

    fn put(&mut self, path: &str, bytes: &[u8]) -> Result<(), StoreError> {
        if let Some(existing) = self.tiles.get(path) {
            if existing.as_slice() == bytes {
                return Ok(());
            }
            if is_full_path(path) {
                return Err(StoreError::Immutable {
                    path: path.to_string(),
                });
            }
        }
        self.tiles.insert(path.to_string(), bytes.to_vec());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tlog::hash::leaf_hash;

    #[test]
    fn index_encoding_matches_the_spec() {
        assert_eq!(
            tile_path(0, 1_234_067, None).as_deref(),
            Ok("tile/0/x001/x234/067")
        );
        assert_eq!(tile_path(0, 0, None).as_deref(), Ok("tile/0/000"));
        assert_eq!(tile_path(2, 999, None).as_deref(), Ok("tile/2/999"));
        assert_eq!(
            tile_path(1, 1000, Some(17)).as_deref(),
            Ok("tile/1/x001/000.p/17")
        );
        assert_eq!(tile_path(0, 5, Some(256)).as_deref(), Ok("tile/0/005"));
        assert_eq!(
            entries_path(273, Some(112)).as_deref(),
            Ok("tile/entries/273.p/112")
        );
        assert_eq!(
            entries_path(u64::MAX, None).as_deref(),
            Ok("tile/entries/x018/x446/x744/x073/x709/x551/615")
        );
        assert_eq!(tile_path(64, 0, None), Err(TileError::LevelOutOfRange(64)));
        assert_eq!(tile_path(0, 0, Some(0)), Err(TileError::WidthOutOfRange(0)));
        assert_eq!(
            tile_path(0, 0, Some(257)),
            Err(TileError::WidthOutOfRange(257))
        );
    }

    #[test]
    fn parse_round_trips_and_rejects_non_canonical_paths() {
        for p in [
            "tile/0/000",
            "tile/0/x001/x234/067",
            "tile/0/x001/x234/067.p/8",
            "tile/63/999.p/255",
            "tile/entries/000.p/1",
            "tile/entries/x018/x446/x744/x073/x709/x551/615",
        ] {
            let parsed = parse_tile_path(p).unwrap_or_else(|e| panic!("{p}: {e}"));
            assert_eq!(parsed.to_path(), p);
        }
        let t = parse_tile_path("tile/3/x001/x234/067.p/8").expect("valid");
        assert_eq!(
            t,
            TilePath {
                kind: TileKind::Hashes { level: 3 },
                index: 1_234_067,
                width: Some(8)
            }
        );
        assert_eq!(t.count(), 8);
        for bad in [
            "",
            "tile",
            "tile/",
            "tile/0",
            "tile/0/",
            "/tile/0/000",
            "tiles/0/000",
            "tile/00/000",
            "tile/01/000",
            "tile/64/000",
            "tile/-1/000",
            "tile/+1/000",
            "tile/a/000",
            "tile/0/0",
            "tile/0/00",
            "tile/0/0000",
            "tile/0/x000/001",
            "tile/0/001/001",
            "tile/0/x001/01",
            "tile/0/x1/001",
            "tile/0/000.p/0",
            "tile/0/000.p/256",
            "tile/0/000.p/007",
            "tile/0/000.p/",
            "tile/0/000.p",
            "tile/0/000/",
            "tile/0/000.p/8/",
            "tile/0/x018/x446/x744/x073/x709/x551/616",
            "tile/0/x999/x999/x999/x999/x999/x999/x999/999",
            "tile/entries/00a",
            "tile/entry/000",
            "tile/0/０００",
        ] {
            assert!(parse_tile_path(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn tile_bytes() {
        let hashes: Vec<Hash> = (0u8..=255).map(|i| leaf_hash(&[i])).collect();
        let full = encode_tile(&hashes).expect("full");
        assert_eq!(full.len(), 8192);
        assert_eq!(decode_tile(&full), Ok(hashes.clone()));
        assert_eq!(decode_tile_exact(&full, 256), Ok(hashes.clone()));
        assert!(decode_tile_exact(&full, 255).is_err());
        // Truncated tiles.
        assert_eq!(decode_tile(&full[..8191]), Err(TileError::TileLength(8191)));
        assert_eq!(decode_tile(&full[..31]), Err(TileError::TileLength(31)));
        assert_eq!(decode_tile(&[]), Err(TileError::Empty));
        assert_eq!(
            decode_tile_exact(&full[..32 * 7], 8),
            Err(TileError::WidthMismatch { got: 7, want: 8 })
        );
        // Too long.
        let mut long = full.clone();
        long.extend_from_slice(&[0u8; 32]);
        assert_eq!(decode_tile(&long), Err(TileError::TooManyHashes(257)));
        let mut more = hashes.clone();
        more.push([0u8; 32]);
        assert_eq!(encode_tile(&more), Err(TileError::TooManyHashes(257)));
        assert_eq!(encode_tile(&[]), Err(TileError::Empty));
    }

    #[test]
    fn entry_bundles() {
        let entries: Vec<Vec<u8>> = vec![vec![], b"a".to_vec(), vec![7u8; 300], vec![1u8; 65535]];
        let b = encode_entry_bundle(&entries).expect("encode");
        assert_eq!(&b[..5], &[0, 0, 0, 1, b'a']);
        assert_eq!(decode_entry_bundle(&b), Ok(entries.clone()));
        assert_eq!(decode_entry_bundle_exact(&b, 4), Ok(entries.clone()));
        assert!(decode_entry_bundle_exact(&b, 3).is_err());
        // Truncated anywhere: inside a prefix or inside an entry.
        for cut in [1, 3, 4, 6, 7, 100, b.len() - 1] {
            assert!(
                matches!(
                    decode_entry_bundle(&b[..cut]),
                    Err(TileError::TruncatedBundle(_))
                ),
                "cut at {cut}"
            );
        }
        assert_eq!(decode_entry_bundle(&[]), Err(TileError::Empty));
        assert_eq!(
            encode_entry_bundle(&[vec![0u8; 65536]]),
            Err(TileError::EntryTooLarge(65536))
        );
        let many: Vec<Vec<u8>> = vec![vec![]; 257];
        assert_eq!(encode_entry_bundle(&many), Err(TileError::TooManyEntries));
        assert_eq!(
            decode_entry_bundle(&[0u8; 2 * 257]),
            Err(TileError::TooManyEntries)
        );
        assert_eq!(
            decode_entry_bundle(&[0u8; 2 * 256]).map(|e| e.len()),
            Ok(256)
        );
    }

    #[test]
    fn memory_store_full_tiles_are_immutable() {
        let mut s = MemoryStore::new();
        s.put("tile/0/000", b"one").expect("first put");
        s.put("tile/0/000", b"one")
            .expect("identical put is idempotent");
        assert_eq!(
            s.put("tile/0/000", b"two"),
            Err(StoreError::Immutable {
                path: "tile/0/000".into()
            })
        );
        s.put("tile/0/000.p/3", b"x").expect("partial");
        s.put("tile/0/000.p/3", b"y")
            .expect("partials may be rewritten");
        assert_eq!(s.get("tile/0/000"), Ok(Some(b"one".to_vec())));
        assert_eq!(s.get("tile/0/001"), Ok(None));
        assert_eq!(s.reads(), 2);
        assert_eq!(s.len(), 2);
    }
}
