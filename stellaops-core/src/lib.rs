//! Stella Ops core: the model and its canonical bytes.
//!
//! Owns the [`model::Package`] facts, package URLs, digests, per-layer fragments and their
//! composition into an inventory, and the SBOM writers (CycloneDX 1.6, SPDX 2.3, native).
//!
//! **Architecture Invariant:** this crate performs no I/O, never reads the clock, the
//! environment or a random source, and builds for `wasm32-unknown-unknown`. Same inputs give
//! byte-identical outputs.

pub mod binary;
pub mod canonical;
pub mod compose;
pub mod digest;
pub mod entry_trace;
pub mod fragment;
pub mod lang;
pub mod license;
pub mod model;
pub mod proof;
pub mod purl;
pub mod sbom;
pub mod tree;
pub mod usage;

pub use compose::{compose, Component, Inventory};
pub use model::{Diagnostic, Distro, License, Package, PackageKind, Severity};
