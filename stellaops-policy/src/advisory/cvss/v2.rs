//! CVSS v2.0 base equation (FIRST "A Complete Guide to the CVSS Version 2.0", section 3.2.1):
//!
//! ```text
//! BaseScore      = round_to_1_decimal(((0.6*Impact)+(0.4*Exploitability)-1.5)*f(Impact))
//! Impact         = 10.41*(1-(1-ConfImpact)*(1-IntegImpact)*(1-AvailImpact))
//! Exploitability = 20*AccessVector*AccessComplexity*Authentication
//! f(impact)      = 0 if Impact=0, 1.176 otherwise
//! ```
//!
//! Every constant has at most three decimals, so the equation is evaluated exactly on scaled
//! integers and rounded half up, as the guide intends, with no floating-point error.

use super::{def, MetricDef, Metrics};

/// Base, temporal and environmental metrics of CVSS v2 (`ND` = not defined).
pub(super) const METRICS: &[MetricDef] = &[
    def("AV", &["L", "A", "N"], true),
    def("AC", &["H", "M", "L"], true),
    def("Au", &["M", "S", "N"], true),
    def("C", &["N", "P", "C"], true),
    def("I", &["N", "P", "C"], true),
    def("A", &["N", "P", "C"], true),
    def("E", &["U", "POC", "F", "H", "ND"], false),
    def("RL", &["OF", "TF", "W", "U", "ND"], false),
    def("RC", &["UC", "UR", "C", "ND"], false),
    def("CDP", &["N", "L", "LM", "MH", "H", "ND"], false),
    def("TD", &["N", "L", "M", "H", "ND"], false),
    def("CR", &["L", "M", "H", "ND"], false),
    def("IR", &["L", "M", "H", "ND"], false),
    def("AR", &["L", "M", "H", "ND"], false),
];

/// AccessVector ×1000.
fn access_vector(v: &str) -> i64 {
    match v {
        "L" => 395,
        "A" => 646,
        _ => 1000, // N
    }
}

/// AccessComplexity ×100.
fn access_complexity(v: &str) -> i64 {
    match v {
        "H" => 35,
        "M" => 61,
        _ => 71, // L
    }
}

/// Authentication ×1000.
fn authentication(v: &str) -> i64 {
    match v {
        "M" => 450,
        "S" => 560,
        _ => 704, // N
    }
}

/// `1 - impact` for C, I and A, ×1000 (impact values N 0, P 0.275, C 0.660).
fn one_minus_impact(v: &str) -> i64 {
    match v {
        "P" => 725,
        "C" => 340,
        _ => 1000, // N
    }
}

/// Base score of validated v2 metrics.
pub(super) fn base_score(m: &Metrics<'_>) -> f64 {
    // (1-C)(1-I)(1-A), scale 1e9.
    let untouched = one_minus_impact(m.base("C"))
        * one_minus_impact(m.base("I"))
        * one_minus_impact(m.base("A"));
    if untouched == 1_000_000_000 {
        // Impact = 0, so f(Impact) = 0.
        return 0.0;
    }
    // Impact = 10.41 * (1 - untouched): scale 1e2 * 1e9 = 1e11.
    let impact = 1041 * (1_000_000_000 - untouched);
    // Exploitability = 20 * AV * AC * Au: scale 1e3 * 1e2 * 1e3 = 1e8.
    let exploitability = 20
        * access_vector(m.base("AV"))
        * access_complexity(m.base("AC"))
        * authentication(m.base("Au"));
    // 0.6*Impact + 0.4*Exploitability - 1.5, scale 1e12.
    let inner = 6 * impact + 4_000 * exploitability - 1_500_000_000_000;
    // * 1.176, scale 1e15; never above ~1.2e16, far inside i64.
    let scaled = (inner * 1176).max(0);
    // Round half up to one decimal: tenths = floor(scaled / 1e14 + 0.5).
    let tenths = (scaled + 50_000_000_000_000) / 100_000_000_000_000;
    (tenths.min(100) as f64) / 10.0
}
