//! (being written)
pub mod hash;
pub mod log;
pub mod proof;
pub mod tiles;
