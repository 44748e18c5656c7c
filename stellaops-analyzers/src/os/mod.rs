//! OS package databases and distribution identification, each parser over bytes.
//!
//! Every parser returns what it could read plus diagnostics for what it could not
//! ([`DbScan`]); a damaged entry never hides the rest of the database.

pub mod apk;
pub mod dpkg;
pub mod dpkg_copyright;
pub mod release;
pub mod rpm;

use stellaops_core::{Diagnostic, Package};

/// Packages read from one database file, plus problems met on the way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DbScan {
    /// Installed packages, in database order.
    pub packages: Vec<Package>,
    /// One entry per skipped or damaged record, naming the line or record.
    pub diagnostics: Vec<Diagnostic>,
}
