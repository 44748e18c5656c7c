//! Checks shared by the language-package targets (`mod lang_check;` in each of them).
//!
//! Every package and diagnostic a parser returns is JSON-serialisable and reloads equal (they
//! are stored in fragments), every purl has the `pkg:<type>/` prefix of its ecosystem, every
//! package's `location` is the path given (or, for nested archives, starts with it), and every
//! diagnostic names a path and says something.

#![allow(dead_code)]

use stellaops_analyzers::lang::{LangPackage, LangScan};
use stellaops_core::fragment::Fact;
use stellaops_core::Diagnostic;

pub fn check_scan(scan: &LangScan, path: &str) {
    for p in &scan.packages {
        check_package(p, path);
    }
    for d in &scan.diagnostics {
        check_diagnostic(d);
    }
}

pub fn check_package(p: &LangPackage, path: &str) {
    let json = serde_json::to_vec(p).expect("serialize package");
    let back: LangPackage = serde_json::from_slice(&json).expect("reload package");
    assert_eq!(&back, p, "package JSON round trip");
    let prefix = format!("pkg:{}/", p.ecosystem.purl_type());
    assert!(p.purl.starts_with(&prefix), "purl {:?} of a {:?} package", p.purl, p.ecosystem);
    assert!(
        p.location.starts_with(path),
        "location {:?} outside {path:?}",
        p.location
    );
}

pub fn check_diagnostic(d: &Diagnostic) {
    let json = serde_json::to_vec(d).expect("serialize diagnostic");
    let back: Diagnostic = serde_json::from_slice(&json).expect("reload diagnostic");
    assert_eq!(&back, d, "diagnostic JSON round trip");
    assert!(d.path.is_some(), "diagnostic without a path: {d:?}");
    assert!(!d.message.is_empty(), "empty diagnostic: {d:?}");
}

pub fn check_fact(f: &Fact) {
    let json = serde_json::to_vec(f).expect("serialize fact");
    let back: Fact = serde_json::from_slice(&json).expect("reload fact");
    assert_eq!(&back, f, "fact JSON round trip");
}
