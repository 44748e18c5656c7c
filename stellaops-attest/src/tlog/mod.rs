//! Transparency log: RFC 6962 / RFC 9162 Merkle trees stored as C2SP tlog-tiles, with C2SP
//! signed-note checkpoints.
//!
//! Layers, bottom up:
//!
//! * [`hash`]: leaf / node hashing, the reference Merkle Tree Hash, constant-time comparison.
//! * [`proof`]: inclusion and consistency proof verification (RFC 9162 §2.1.3.2 / §2.1.4.2)
//!   and generation from stored subtree hashes; [`MemoryTree`] for tests.
//! * [`tiles`]: tile and entry-bundle paths and encodings, the [`TileStore`] trait the host
//!   implements, [`MemoryStore`].
//! * [`log`]: [`Log`], an append-only tiled log over a [`TileStore`]: batched appends, roots,
//!   proofs, entries.
//! * [`note`]: signed notes (Ed25519), Go-compatible signer / verifier key strings.
//! * [`checkpoint`]: tree heads as signed notes.
//! * [`tlog_proof`]: the C2SP tlog-proof file format (index + inclusion proof + checkpoint).
//!
//! The functions at this level combine them for clients: [`verify_entry`] (an entry is in the
//! tree a trusted checkpoint commits to) and [`verify_consistency_between`] (a newer trusted
//! checkpoint extends an older one).
//!
//! Like the rest of the crate this module does no I/O: the host supplies tile bytes through
//! [`TileStore`], key seeds and note bytes.

pub mod checkpoint;
pub mod hash;
pub mod log;
pub mod note;
pub mod proof;
pub mod tiles;
pub mod tlog_proof;

use thiserror::Error;

pub use checkpoint::{sign_checkpoint, verify_checkpoint, Checkpoint, CheckpointError};
pub use hash::{ct_eq, empty_root, leaf_hash, node_hash, root_from_leaves, Hash, HASH_SIZE};
pub use log::{Log, LogError};
pub use note::{
    open_note, sign_note, Note, NoteError, NoteSignature, NoteSigner, NoteVerifier, MAX_SIGNATURES,
    SIG_TYPE_ED25519,
};
pub use proof::{
    consistency_proof, inclusion_proof, root_from_inclusion_proof, tree_root, verify_consistency,
    verify_inclusion, MemoryTree, ProofError,
};
pub use tiles::{
    decode_entry_bundle, decode_tile, encode_entry_bundle, encode_tile, entries_path,
    parse_tile_path, tile_path, MemoryStore, StoreError, TileError, TileKind, TilePath, TileStore,
    MAX_ENTRY_SIZE, TILE_HEIGHT, TILE_WIDTH,
};
pub use tlog_proof::{verify_tlog_proof, TlogProof, TLOG_PROOF_HEADER};

/// Why a client-side verification failed.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum VerifyError {
    /// The checkpoint is malformed, not signed by the log key, or for another origin.
    #[error(transparent)]
    Checkpoint(#[from] CheckpointError),
    /// The inclusion or consistency proof does not verify.
    #[error(transparent)]
    Proof(#[from] ProofError),
    /// A tlog-proof file is malformed.
    #[error("malformed tlog-proof: {0}")]
    MalformedTlogProof(&'static str),
}

/// Verifies that `entry` is entry `index` of the log tree committed to by `checkpoint` (a
/// signed note): the checkpoint must be signed by `verifier` for `origin`, and `proof` must be
/// the inclusion proof of `leaf_hash(entry)` at `index` in the checkpoint's tree. Returns the
/// verified checkpoint.
pub fn verify_entry(
    entry: &[u8],
    index: u64,
    proof: &[Hash],
    checkpoint: &[u8],
    verifier: &NoteVerifier,
    origin: &str,
) -> Result<Checkpoint, VerifyError> {
    let cp = verify_checkpoint(checkpoint, verifier, origin)?;
    verify_inclusion(index, cp.size, &leaf_hash(entry), proof, &cp.root)?;
    Ok(cp)
}

/// Verifies that the log tree of `new_checkpoint` extends the one of `old_checkpoint` (both
/// signed notes by `verifier` for `origin`) with the consistency `proof`. Returns both
/// verified checkpoints (old, new).
///
/// An old checkpoint of size 0 is consistent with any newer tree, provided its root is the
/// empty-tree hash and the proof is empty. Equal sizes need equal roots and an empty proof.
pub fn verify_consistency_between(
    old_checkpoint: &[u8],
    new_checkpoint: &[u8],
    proof: &[Hash],
    verifier: &NoteVerifier,
    origin: &str,
) -> Result<(Checkpoint, Checkpoint), VerifyError> {
    let old = verify_checkpoint(old_checkpoint, verifier, origin)?;
    let new = verify_checkpoint(new_checkpoint, verifier, origin)?;
    if old.size == 0 {
        if !ct_eq(&old.root, &empty_root()) {
            return Err(ProofError::OldRootMismatch.into());
        }
        if !proof.is_empty() {
            return Err(ProofError::WrongProofSize {
                got: proof.len(),
                want: 0,
            }
            .into());
        }
        if new.size == 0 && !ct_eq(&new.root, &empty_root()) {
            return Err(ProofError::RootMismatch.into());
        }
        return Ok((old, new));
    }
    verify_consistency(old.size, new.size, proof, &old.root, &new.root)?;
    Ok((old, new))
}

#[cfg(test)]
mod tests;
