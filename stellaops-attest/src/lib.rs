//! Proof: DSSE envelopes, in-toto statements, the Merkle transparency log and bundles.
//!
//! **Architecture Invariant:** this crate performs no I/O and never reads the clock; it builds
//! for `wasm32-unknown-unknown`. Nothing is implemented here yet (issue 5).
