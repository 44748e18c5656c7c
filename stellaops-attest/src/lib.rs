//! Proof: DSSE envelopes, in-toto statements, signing keys and a local certificate
//! authority, the Merkle transparency log (RFC 6962 hashing, C2SP tlog-tiles, signed-note
//! checkpoints), score proofs and bundles.
//!
//! **Architecture Invariant:** this crate performs no I/O, never reads the clock, the
//! environment or a random source (key generation takes seed bytes from the host; times are
//! parameters), and builds for `wasm32-unknown-unknown`. Secrets are compared in constant
//! time.

pub mod ca;
pub mod dsse;
pub mod intoto;
pub mod keys;
pub mod proof;
pub mod sigstore_bundle;
pub mod tlog;
