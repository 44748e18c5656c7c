//! CVSS v3.0 and v3.1 base equations (specification section 7.1):
//!
//! ```text
//! ISS            = 1 - [(1 - C) × (1 - I) × (1 - A)]
//! Impact         = 6.42 × ISS                                      (scope unchanged)
//!                = 7.52 × (ISS - 0.029) - 3.25 × (ISS - 0.02)^15   (scope changed)
//! Exploitability = 8.22 × AV × AC × PR × UI     (PR is L 0.68 / H 0.50 when scope changed)
//! BaseScore      = 0 if Impact <= 0, else
//!                  Roundup(min(Impact + Exploitability, 10))           (scope unchanged)
//!                  Roundup(min(1.08 × (Impact + Exploitability), 10))  (scope changed)
//! ```
//!
//! v3.1 uses the `Roundup` of its Appendix A (integer arithmetic on the input × 100,000, so
//! that floating-point noise cannot push a value over a tenth); v3.0 defines round-up as the
//! smallest one-decimal number not below the input, applied here to the value with the same
//! noise tolerance (a value within 1e-9 of a tenth counts as that tenth).

use super::{def, CvssVersion, MetricDef, Metrics};

/// Base, temporal and environmental metrics of CVSS v3.0 / v3.1 (`X` = not defined).
pub(super) const METRICS: &[MetricDef] = &[
    def("AV", &["N", "A", "L", "P"], true),
    def("AC", &["L", "H"], true),
    def("PR", &["N", "L", "H"], true),
    def("UI", &["N", "R"], true),
    def("S", &["U", "C"], true),
    def("C", &["H", "L", "N"], true),
    def("I", &["H", "L", "N"], true),
    def("A", &["H", "L", "N"], true),
    def("E", &["X", "H", "F", "P", "U"], false),
    def("RL", &["X", "U", "W", "T", "O"], false),
    def("RC", &["X", "C", "R", "U"], false),
    def("CR", &["X", "H", "M", "L"], false),
    def("IR", &["X", "H", "M", "L"], false),
    def("AR", &["X", "H", "M", "L"], false),
    def("MAV", &["X", "N", "A", "L", "P"], false),
    def("MAC", &["X", "L", "H"], false),
    def("MPR", &["X", "N", "L", "H"], false),
    def("MUI", &["X", "N", "R"], false),
    def("MS", &["X", "U", "C"], false),
    def("MC", &["X", "H", "L", "N"], false),
    def("MI", &["X", "H", "L", "N"], false),
    def("MA", &["X", "H", "L", "N"], false),
];

fn attack_vector(v: &str) -> f64 {
    match v {
        "N" => 0.85,
        "A" => 0.62,
        "L" => 0.55,
        _ => 0.2, // P
    }
}

fn attack_complexity(v: &str) -> f64 {
    match v {
        "L" => 0.77,
        _ => 0.44, // H
    }
}

fn privileges_required(v: &str, scope_changed: bool) -> f64 {
    match (v, scope_changed) {
        ("N", _) => 0.85,
        ("L", false) => 0.62,
        ("L", true) => 0.68,
        (_, false) => 0.27, // H
        (_, true) => 0.5,
    }
}

fn user_interaction(v: &str) -> f64 {
    match v {
        "N" => 0.85,
        _ => 0.62, // R
    }
}

fn cia(v: &str) -> f64 {
    match v {
        "H" => 0.56,
        "L" => 0.22,
        _ => 0.0, // N
    }
}

/// `Roundup` of the CVSS v3.1 specification, Appendix A.
pub(super) fn roundup_v31(input: f64) -> f64 {
    let int_input = (input * 100_000.0).round() as i64;
    if int_input % 10_000 == 0 {
        int_input as f64 / 100_000.0
    } else {
        (int_input.div_euclid(10_000) + 1) as f64 / 10.0
    }
}

/// CVSS v3.0 round-up: the smallest number with one decimal that is not below `input`.
/// A value within 1e-9 of a tenth is taken to be that tenth (floating-point noise).
pub(super) fn roundup_v30(input: f64) -> f64 {
    let tenths = input * 10.0;
    let nearest = tenths.round();
    if (tenths - nearest).abs() < 1e-8 {
        nearest / 10.0
    } else {
        tenths.ceil() / 10.0
    }
}

/// Base score of validated v3.x metrics.
pub(super) fn base_score(version: CvssVersion, m: &Metrics<'_>) -> f64 {
    let changed = m.base("S") == "C";
    let iss =
        1.0 - ((1.0 - cia(m.base("C"))) * (1.0 - cia(m.base("I"))) * (1.0 - cia(m.base("A"))));
    let impact = if changed {
        7.52 * (iss - 0.029) - 3.25 * (iss - 0.02).powi(15)
    } else {
        6.42 * iss
    };
    if impact <= 0.0 {
        return 0.0;
    }
    let exploitability = 8.22
        * attack_vector(m.base("AV"))
        * attack_complexity(m.base("AC"))
        * privileges_required(m.base("PR"), changed)
        * user_interaction(m.base("UI"));
    let raw = if changed {
        (1.08 * (impact + exploitability)).min(10.0)
    } else {
        (impact + exploitability).min(10.0)
    };
    let score = if version == CvssVersion::V3_0 {
        roundup_v30(raw)
    } else {
        roundup_v31(raw)
    };
    score.clamp(0.0, 10.0)
}
