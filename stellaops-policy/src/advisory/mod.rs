//! Advisories (Concelier core): a canonical model, ingest of OSV / Debian tracker / Alpine
//! secdb / CSAF / KEV / EPSS, merge across sources by alias, a deterministic snapshot, and
//! matching of components against it.

pub mod cvss;
pub mod ecosystems;
pub mod ingest;
pub mod matcher;
pub mod merge;
pub mod model;
pub mod snapshot;

pub use model::*;
