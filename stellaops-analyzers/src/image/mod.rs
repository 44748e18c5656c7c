//! The image model over byte streams: manifests and configs parsed from bytes, layers read
//! from `impl Read`, whiteouts, and the per-layer fragment builder. The host opens files;
//! this module only sees bytes.

pub mod builder;
pub mod compression;
pub mod hashing;
mod limits;
pub mod manifest;
pub mod path;
pub mod tar_layer;

pub use limits::{AnalyzerSet, Limits};
pub use tar_layer::{scan_layer, scan_layer_with, LayerOptions};
