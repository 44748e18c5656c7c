//! Decisions: version ordering per ecosystem, advisory matching, VEX consensus and policy.
//!
//! **Architecture Invariant:** this crate performs no I/O and never reads the clock; it builds
//! for `wasm32-unknown-unknown`.

pub mod advisory;
pub mod version;
