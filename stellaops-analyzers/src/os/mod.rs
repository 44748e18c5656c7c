//! OS package databases.
pub mod rpm;
