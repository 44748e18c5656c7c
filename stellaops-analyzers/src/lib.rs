//! Stella Ops analyzers: facts from images.
//!
//! Reads image documents and layer streams ([`image`]), builds one
//! [`stellaops_core::fragment::LayerFragment`] per layer, and parses the OS package databases
//! and release files found in them ([`os`], chosen by [`capture`]).
//!
//! **Architecture Invariant:** this crate performs no I/O of its own: it takes `&[u8]` and
//! `impl Read` from the host, never opens files or sockets, never reads the clock or the
//! environment. A malformed entry is a diagnostic in the fragment; only an input that is not
//! what it claims to be (corrupt stream, digest mismatch) is an `Err`.

pub mod capture;
pub mod entrytrace;
pub mod error;
pub mod image;
pub mod lang;
pub mod native;
pub mod os;
pub mod tree_view;

pub use error::{LayerError, LayerErrorKind, ManifestError};
pub use image::{scan_layer, Limits};
