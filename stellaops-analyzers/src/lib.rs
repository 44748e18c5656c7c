//! Stella Ops analyzers.

pub mod os;
