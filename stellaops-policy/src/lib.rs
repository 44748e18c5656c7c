//! Decisions: version ordering per ecosystem, advisory matching, VEX consensus and policy.
//!
//! **Architecture Invariant:** this crate performs no I/O and never reads the clock; it builds
//! for `wasm32-unknown-unknown`. Nothing is implemented here yet (issue 4 onwards).
