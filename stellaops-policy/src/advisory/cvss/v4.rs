//! CVSS v4.0 scoring (specification section 8), as the FIRST reference calculator computes it.
//!
//! Reference read (BSD-2-Clause, "Copyright FIRST, Red Hat, and contributors"): the scoring
//! function `cvss_score.js` of github.com/FIRSTdotorg/cvss-v4-calculator (commit ebf933cf),
//! and `cvss_lookup.js`, `max_composed.js` / `max_severity.js` of the calculator it comes
//! from, github.com/RedHatProductSecurity/cvss-v4-calculator (lookup table at commit
//! e2be4832); the Python `cvss` package's `cvss4.py` ports the same code. The table below is
//! that `cvss_lookup.js`, checked entry by entry against the Python package's copy.
//!
//! 1. The vector falls into a MacroVector: six equivalence classes EQ1..EQ6.
//! 2. The MacroVector's score comes from the lookup table (`LOOKUP`).
//! 3. The vector's *severity distance* from the highest-severity vectors of its MacroVector
//!    is computed per EQ (metric levels in steps of 0.1), taken as a proportion of the EQ's
//!    depth (`max_severity`), and multiplied by the score gap to the next lower MacroVector
//!    of that EQ; the mean over the EQs that have a lower MacroVector is subtracted.
//! 4. The result is clamped to 0..10 and rounded half up to one decimal after adding 1e-6,
//!    as the reference does, so that an x.x5 reached with floating-point error still rounds
//!    up.
//!
//! [`parse`](super::parse) asks for the base score (CVSS-B): threat (`E`), environmental
//! (`CR`/`IR`/`AR`, `M*`) and supplemental metrics are validated but take their "not defined"
//! defaults (E:A, CR/IR/AR:H, modified = base). The tests also drive the same algorithm with
//! those metrics applied (CVSS-BTE) to compare with the reference's threat/environmental
//! vectors.

use super::{def, MetricDef, Metrics};

/// Base, threat, environmental and supplemental metrics of CVSS v4.0 (`X` = not defined).
pub(super) const METRICS: &[MetricDef] = &[
    def("AV", &["N", "A", "L", "P"], true),
    def("AC", &["L", "H"], true),
    def("AT", &["N", "P"], true),
    def("PR", &["N", "L", "H"], true),
    def("UI", &["N", "P", "A"], true),
    def("VC", &["H", "L", "N"], true),
    def("VI", &["H", "L", "N"], true),
    def("VA", &["H", "L", "N"], true),
    def("SC", &["H", "L", "N"], true),
    def("SI", &["H", "L", "N"], true),
    def("SA", &["H", "L", "N"], true),
    def("E", &["X", "A", "P", "U"], false),
    def("CR", &["X", "H", "M", "L"], false),
    def("IR", &["X", "H", "M", "L"], false),
    def("AR", &["X", "H", "M", "L"], false),
    def("MAV", &["X", "N", "A", "L", "P"], false),
    def("MAC", &["X", "L", "H"], false),
    def("MAT", &["X", "N", "P"], false),
    def("MPR", &["X", "N", "L", "H"], false),
    def("MUI", &["X", "N", "P", "A"], false),
    def("MVC", &["X", "H", "L", "N"], false),
    def("MVI", &["X", "H", "L", "N"], false),
    def("MVA", &["X", "H", "L", "N"], false),
    def("MSC", &["X", "H", "L", "N"], false),
    def("MSI", &["X", "S", "H", "L", "N"], false),
    def("MSA", &["X", "S", "H", "L", "N"], false),
    def("S", &["X", "N", "P"], false),
    def("AU", &["X", "N", "Y"], false),
    def("R", &["X", "A", "U", "I"], false),
    def("V", &["X", "D", "C"], false),
    def("RE", &["X", "L", "M", "H"], false),
    def("U", &["X", "Clear", "Green", "Amber", "Red"], false),
];

/// MacroVector scores, from the reference calculator's `cvss_lookup.js`, keyed by the six EQ
/// levels (EQ1 EQ2 EQ3 EQ4 EQ5 EQ6); sorted by key (checked by a test).
const LOOKUP: [(&str, f64); 270] = [
    ("000000", 10.0),
    ("000001", 9.9),
    ("000010", 9.8),
    ("000011", 9.5),
    ("000020", 9.5),
    ("000021", 9.2),
    ("000100", 10.0),
    ("000101", 9.6),
    ("000110", 9.3),
    ("000111", 8.7),
    ("000120", 9.1),
    ("000121", 8.1),
    ("000200", 9.3),
    ("000201", 9.0),
    ("000210", 8.9),
    ("000211", 8.0),
    ("000220", 8.1),
    ("000221", 6.8),
    ("001000", 9.8),
    ("001001", 9.5),
    ("001010", 9.5),
    ("001011", 9.2),
    ("001020", 9.0),
    ("001021", 8.4),
    ("001100", 9.3),
    ("001101", 9.2),
    ("001110", 8.9),
    ("001111", 8.1),
    ("001120", 8.1),
    ("001121", 6.5),
    ("001200", 8.8),
    ("001201", 8.0),
    ("001210", 7.8),
    ("001211", 7.0),
    ("001220", 6.9),
    ("001221", 4.8),
    ("002001", 9.2),
    ("002011", 8.2),
    ("002021", 7.2),
    ("002101", 7.9),
    ("002111", 6.9),
    ("002121", 5.0),
    ("002201", 6.9),
    ("002211", 5.5),
    ("002221", 2.7),
    ("010000", 9.9),
    ("010001", 9.7),
    ("010010", 9.5),
    ("010011", 9.2),
    ("010020", 9.2),
    ("010021", 8.5),
    ("010100", 9.5),
    ("010101", 9.1),
    ("010110", 9.0),
    ("010111", 8.3),
    ("010120", 8.4),
    ("010121", 7.1),
    ("010200", 9.2),
    ("010201", 8.1),
    ("010210", 8.2),
    ("010211", 7.1),
    ("010220", 7.2),
    ("010221", 5.3),
    ("011000", 9.5),
    ("011001", 9.3),
    ("011010", 9.2),
    ("011011", 8.5),
    ("011020", 8.5),
    ("011021", 7.3),
    ("011100", 9.2),
    ("011101", 8.2),
    ("011110", 8.0),
    ("011111", 7.2),
    ("011120", 7.0),
    ("011121", 5.9),
    ("011200", 8.4),
    ("011201", 7.0),
    ("011210", 7.1),
    ("011211", 5.2),
    ("011220", 5.0),
    ("011221", 3.0),
    ("012001", 8.6),
    ("012011", 7.5),
    ("012021", 5.2),
    ("012101", 7.1),
    ("012111", 5.2),
    ("012121", 2.9),
    ("012201", 6.3),
    ("012211", 2.9),
    ("012221", 1.7),
    ("100000", 9.8),
    ("100001", 9.5),
    ("100010", 9.4),
    ("100011", 8.7),
    ("100020", 9.1),
    ("100021", 8.1),
    ("100100", 9.4),
    ("100101", 8.9),
    ("100110", 8.6),
    ("100111", 7.4),
    ("100120", 7.7),
    ("100121", 6.4),
    ("100200", 8.7),
    ("100201", 7.5),
    ("100210", 7.4),
    ("100211", 6.3),
    ("100220", 6.3),
    ("100221", 4.9),
    ("101000", 9.4),
    ("101001", 8.9),
    ("101010", 8.8),
    ("101011", 7.7),
    ("101020", 7.6),
    ("101021", 6.7),
    ("101100", 8.6),
    ("101101", 7.6),
    ("101110", 7.4),
    ("101111", 5.8),
    ("101120", 5.9),
    ("101121", 5.0),
    ("101200", 7.2),
    ("101201", 5.7),
    ("101210", 5.7),
    ("101211", 5.2),
    ("101220", 5.2),
    ("101221", 2.5),
    ("102001", 8.3),
    ("102011", 7.0),
    ("102021", 5.4),
    ("102101", 6.5),
    ("102111", 5.8),
    ("102121", 2.6),
    ("102201", 5.3),
    ("102211", 2.1),
    ("102221", 1.3),
    ("110000", 9.5),
    ("110001", 9.0),
    ("110010", 8.8),
    ("110011", 7.6),
    ("110020", 7.6),
    ("110021", 7.0),
    ("110100", 9.0),
    ("110101", 7.7),
    ("110110", 7.5),
    ("110111", 6.2),
    ("110120", 6.1),
    ("110121", 5.3),
    ("110200", 7.7),
    ("110201", 6.6),
    ("110210", 6.8),
    ("110211", 5.9),
    ("110220", 5.2),
    ("110221", 3.0),
    ("111000", 8.9),
    ("111001", 7.8),
    ("111010", 7.6),
    ("111011", 6.7),
    ("111020", 6.2),
    ("111021", 5.8),
    ("111100", 7.4),
    ("111101", 5.9),
    ("111110", 5.7),
    ("111111", 5.7),
    ("111120", 4.7),
    ("111121", 2.3),
    ("111200", 6.1),
    ("111201", 5.2),
    ("111210", 5.7),
    ("111211", 2.9),
    ("111220", 2.4),
    ("111221", 1.6),
    ("112001", 7.1),
    ("112011", 5.9),
    ("112021", 3.0),
    ("112101", 5.8),
    ("112111", 2.6),
    ("112121", 1.5),
    ("112201", 2.3),
    ("112211", 1.3),
    ("112221", 0.6),
    ("200000", 9.3),
    ("200001", 8.7),
    ("200010", 8.6),
    ("200011", 7.2),
    ("200020", 7.5),
    ("200021", 5.8),
    ("200100", 8.6),
    ("200101", 7.4),
    ("200110", 7.4),
    ("200111", 6.1),
    ("200120", 5.6),
    ("200121", 3.4),
    ("200200", 7.0),
    ("200201", 5.4),
    ("200210", 5.2),
    ("200211", 4.0),
    ("200220", 4.0),
    ("200221", 2.2),
    ("201000", 8.5),
    ("201001", 7.5),
    ("201010", 7.4),
    ("201011", 5.5),
    ("201020", 6.2),
    ("201021", 5.1),
    ("201100", 7.2),
    ("201101", 5.7),
    ("201110", 5.5),
    ("201111", 4.1),
    ("201120", 4.6),
    ("201121", 1.9),
    ("201200", 5.3),
    ("201201", 3.6),
    ("201210", 3.4),
    ("201211", 1.9),
    ("201220", 1.9),
    ("201221", 0.8),
    ("202001", 6.4),
    ("202011", 5.1),
    ("202021", 2.0),
    ("202101", 4.7),
    ("202111", 2.1),
    ("202121", 1.1),
    ("202201", 2.4),
    ("202211", 0.9),
    ("202221", 0.4),
    ("210000", 8.8),
    ("210001", 7.5),
    ("210010", 7.3),
    ("210011", 5.3),
    ("210020", 6.0),
    ("210021", 5.0),
    ("210100", 7.3),
    ("210101", 5.5),
    ("210110", 5.9),
    ("210111", 4.0),
    ("210120", 4.1),
    ("210121", 2.0),
    ("210200", 5.4),
    ("210201", 4.3),
    ("210210", 4.5),
    ("210211", 2.2),
    ("210220", 2.0),
    ("210221", 1.1),
    ("211000", 7.5),
    ("211001", 5.5),
    ("211010", 5.8),
    ("211011", 4.5),
    ("211020", 4.0),
    ("211021", 2.1),
    ("211100", 6.1),
    ("211101", 5.1),
    ("211110", 4.8),
    ("211111", 1.8),
    ("211120", 2.0),
    ("211121", 0.9),
    ("211200", 4.6),
    ("211201", 1.8),
    ("211210", 1.7),
    ("211211", 0.7),
    ("211220", 0.8),
    ("211221", 0.2),
    ("212001", 5.3),
    ("212011", 2.4),
    ("212021", 1.4),
    ("212101", 2.4),
    ("212111", 1.2),
    ("212121", 0.5),
    ("212201", 1.0),
    ("212211", 0.3),
    ("212221", 0.1),
];

/// Score of a MacroVector, `None` for the level combinations that do not exist.
fn lookup(eq: [u8; 6]) -> Option<f64> {
    let key = eq.map(|d| b'0' + d);
    LOOKUP
        .binary_search_by(|(k, _)| k.as_bytes().cmp(&key[..]))
        .ok()
        .and_then(|i| LOOKUP.get(i))
        .map(|(_, score)| *score)
}

/// Metric values as severity levels in tenths, the unit of the reference's `*_levels` tables
/// (0 = most severe; the reference uses 0.0, 0.1, 0.2, …). Values are the effective ones:
/// modified metrics applied, or their base defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Levels {
    av: i8,
    pr: i8,
    ui: i8,
    ac: i8,
    at: i8,
    vc: i8,
    vi: i8,
    va: i8,
    sc: i8,
    si: i8,
    sa: i8,
    cr: i8,
    ir: i8,
    ar: i8,
    /// Exploit maturity: A 0, P 1, U 2 (also EQ5's level).
    e: i8,
}

/// AV N 0, A 1, L 2, P 3.
fn av_level(v: &str) -> i8 {
    match v {
        "N" => 0,
        "A" => 1,
        "L" => 2,
        _ => 3,
    }
}

/// PR N 0, L 1, H 2.
fn pr_level(v: &str) -> i8 {
    match v {
        "N" => 0,
        "L" => 1,
        _ => 2,
    }
}

/// UI N 0, P 1, A 2.
fn ui_level(v: &str) -> i8 {
    match v {
        "N" => 0,
        "P" => 1,
        _ => 2,
    }
}

/// AC L 0, H 1; AT N 0, P 1.
fn ac_at_level(v: &str) -> i8 {
    match v {
        "L" | "N" => 0,
        _ => 1,
    }
}

/// VC / VI / VA: H 0, L 1, N 2.
fn vuln_level(v: &str) -> i8 {
    match v {
        "H" => 0,
        "L" => 1,
        _ => 2,
    }
}

/// CR / IR / AR: H 0, M 1, L 2.
#[cfg(test)]
fn requirement_level(v: &str) -> i8 {
    match v {
        "H" => 0,
        "M" => 1,
        _ => 2,
    }
}

/// SC / SI / SA: S 0 (MSI / MSA only), H 1, L 2, N 3.
fn sub_level(v: &str) -> i8 {
    match v {
        "S" => 0,
        "H" => 1,
        "L" => 2,
        _ => 3,
    }
}

/// E: A 0, P 1, U 2.
#[cfg(test)]
fn e_level(v: &str) -> i8 {
    match v {
        "A" => 0,
        "P" => 1,
        _ => 2,
    }
}

const H: i8 = 0;
const N_VULN: i8 = 2;
const S: i8 = 0;
const H_SUB: i8 = 1;
const N_SUB: i8 = 3;

impl Levels {
    /// Levels for the base score (CVSS-B): base metrics only, E:A, CR/IR/AR:H.
    fn base(m: &Metrics<'_>) -> Levels {
        Levels {
            av: av_level(m.base("AV")),
            pr: pr_level(m.base("PR")),
            ui: ui_level(m.base("UI")),
            ac: ac_at_level(m.base("AC")),
            at: ac_at_level(m.base("AT")),
            vc: vuln_level(m.base("VC")),
            vi: vuln_level(m.base("VI")),
            va: vuln_level(m.base("VA")),
            sc: sub_level(m.base("SC")),
            si: sub_level(m.base("SI")),
            sa: sub_level(m.base("SA")),
            cr: 0,
            ir: 0,
            ar: 0,
            e: 0,
        }
    }

    /// Levels with threat and environmental metrics applied (CVSS-BTE), as the reference
    /// calculator scores a full vector.
    #[cfg(test)]
    fn with_threat_and_environment(m: &Metrics<'_>) -> Levels {
        let pick = |metric: &str| -> &'static str {
            match m.get(&format!("M{metric}")) {
                Some(v) if v != "X" => v,
                _ => m.base(metric),
            }
        };
        let or_default = |metric: &str, default: &'static str| -> &'static str {
            match m.get(metric) {
                Some(v) if v != "X" => v,
                _ => default,
            }
        };
        Levels {
            av: av_level(pick("AV")),
            pr: pr_level(pick("PR")),
            ui: ui_level(pick("UI")),
            ac: ac_at_level(pick("AC")),
            at: ac_at_level(pick("AT")),
            vc: vuln_level(pick("VC")),
            vi: vuln_level(pick("VI")),
            va: vuln_level(pick("VA")),
            sc: sub_level(pick("SC")),
            si: sub_level(pick("SI")),
            sa: sub_level(pick("SA")),
            cr: requirement_level(or_default("CR", "H")),
            ir: requirement_level(or_default("IR", "H")),
            ar: requirement_level(or_default("AR", "H")),
            e: e_level(or_default("E", "A")),
        }
    }

    /// The MacroVector: levels of EQ1..EQ6.
    fn macro_vector(&self) -> [u8; 6] {
        // EQ1: 0 AV:N and PR:N and UI:N; 1 (AV:N or PR:N or UI:N) and not all three and not
        // AV:P; 2 otherwise.
        let eq1 = if self.av == 0 && self.pr == 0 && self.ui == 0 {
            0
        } else if (self.av == 0 || self.pr == 0 || self.ui == 0) && self.av != 3 {
            1
        } else {
            2
        };
        // EQ2: 0 AC:L and AT:N; 1 otherwise.
        let eq2 = if self.ac == 0 && self.at == 0 { 0 } else { 1 };
        // EQ3: 0 VC:H and VI:H; 1 VC:H or VI:H or VA:H; 2 otherwise.
        let eq3 = if self.vc == H && self.vi == H {
            0
        } else if self.vc == H || self.vi == H || self.va == H {
            1
        } else {
            2
        };
        // EQ4: 0 MSI:S or MSA:S; 1 SC:H or SI:H or SA:H; 2 otherwise.
        let eq4 = if self.si == S || self.sa == S {
            0
        } else if self.sc == H_SUB || self.si == H_SUB || self.sa == H_SUB {
            1
        } else {
            2
        };
        // EQ5: E:A 0, E:P 1, E:U 2.
        let eq5 = self.e.clamp(0, 2) as u8;
        // EQ6: 0 (CR:H and VC:H) or (IR:H and VI:H) or (AR:H and VA:H); 1 otherwise.
        let eq6 = if (self.cr == H && self.vc == H)
            || (self.ir == H && self.vi == H)
            || (self.ar == H && self.va == H)
        {
            0
        } else {
            1
        };
        [eq1, eq2, eq3, eq4, eq5, eq6]
    }
}

/// Highest-severity vectors of each EQ1 level (`max_composed.js`): (AV, PR, UI).
fn eq1_maxes(eq1: u8) -> &'static [[i8; 3]] {
    match eq1 {
        0 => &[[0, 0, 0]],                       // AV:N/PR:N/UI:N
        1 => &[[1, 0, 0], [0, 1, 0], [0, 0, 1]], // AV:A/PR:N/UI:N, AV:N/PR:L/UI:N, AV:N/PR:N/UI:P
        _ => &[[3, 0, 0], [1, 1, 1]],            // AV:P/PR:N/UI:N, AV:A/PR:L/UI:P
    }
}

/// Highest-severity vectors of each EQ2 level: (AC, AT).
fn eq2_maxes(eq2: u8) -> &'static [[i8; 2]] {
    match eq2 {
        0 => &[[0, 0]],         // AC:L/AT:N
        _ => &[[1, 0], [0, 1]], // AC:H/AT:N, AC:L/AT:P
    }
}

/// Highest-severity vectors of each (EQ3, EQ6) pair: (VC, VI, VA, CR, IR, AR).
fn eq3_eq6_maxes(eq3: u8, eq6: u8) -> &'static [[i8; 6]] {
    match (eq3, eq6) {
        // VC:H/VI:H/VA:H/CR:H/IR:H/AR:H
        (0, 0) => &[[0, 0, 0, 0, 0, 0]],
        // VC:H/VI:H/VA:L/CR:M/IR:M/AR:H, VC:H/VI:H/VA:H/CR:M/IR:M/AR:M
        (0, _) => &[[0, 0, 1, 1, 1, 0], [0, 0, 0, 1, 1, 1]],
        // VC:L/VI:H/VA:H/CR:H/IR:H/AR:H, VC:H/VI:L/VA:H/CR:H/IR:H/AR:H
        (1, 0) => &[[1, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0]],
        // VC:L/VI:H/VA:L/CR:H/IR:M/AR:H, VC:L/VI:H/VA:H/CR:H/IR:M/AR:M,
        // VC:H/VI:L/VA:H/CR:M/IR:H/AR:M, VC:H/VI:L/VA:L/CR:M/IR:H/AR:H,
        // VC:L/VI:L/VA:H/CR:H/IR:H/AR:M
        (1, _) => &[
            [1, 0, 1, 0, 1, 0],
            [1, 0, 0, 0, 1, 1],
            [0, 1, 0, 1, 0, 1],
            [0, 1, 1, 1, 0, 0],
            [1, 1, 0, 0, 0, 1],
        ],
        // VC:L/VI:L/VA:L/CR:H/IR:H/AR:H
        _ => &[[1, 1, 1, 0, 0, 0]],
    }
}

/// Highest-severity vectors of each EQ4 level: (SC, SI, SA).
fn eq4_maxes(eq4: u8) -> [i8; 3] {
    match eq4 {
        0 => [H_SUB, S, S],         // SC:H/SI:S/SA:S
        1 => [H_SUB, H_SUB, H_SUB], // SC:H/SI:H/SA:H
        _ => [2, 2, 2],             // SC:L/SI:L/SA:L
    }
}

/// Depth of each EQ in tenths (`max_severity.js`): the largest severity distance within it.
fn max_severity(eq: usize, level: u8, eq6: u8) -> i8 {
    match (eq, level, eq6) {
        (1, 0, _) => 1,
        (1, 1, _) => 4,
        (1, _, _) => 5,
        (2, 0, _) => 1,
        (2, _, _) => 2,
        (3, 0, 0) => 7,
        (3, 0, _) => 6,
        (3, 1, _) => 8,
        (3, _, _) => 10,
        (4, 0, _) => 6,
        (4, 1, _) => 5,
        _ => 4,
    }
}

/// Base score (CVSS-B) of validated v4.0 metrics.
pub(super) fn base_score(m: &Metrics<'_>) -> f64 {
    score(&Levels::base(m))
}

/// Score with threat and environmental metrics applied (CVSS-BTE), for the tests.
#[cfg(test)]
pub(super) fn bte_score(m: &Metrics<'_>) -> f64 {
    score(&Levels::with_threat_and_environment(m))
}

/// The reference calculator's scoring of effective levels.
fn score(l: &Levels) -> f64 {
    // No impact on the vulnerable nor the subsequent system: 0.
    if [l.vc, l.vi, l.va].iter().all(|v| *v == N_VULN)
        && [l.sc, l.si, l.sa].iter().all(|v| *v == N_SUB)
    {
        return 0.0;
    }
    let mv = l.macro_vector();
    let [eq1, eq2, eq3, eq4, _, eq6] = mv;
    // Every reachable MacroVector is in the table (a test enumerates them); 0.0 keeps this
    // total without a panic.
    let Some(value) = lookup(mv) else {
        return 0.0;
    };

    // Score of the next lower MacroVector of each EQ (absent at the bottom of an EQ).
    let lower = |delta: [u8; 6]| {
        let mut next = mv;
        for (n, d) in next.iter_mut().zip(delta) {
            *n += d;
        }
        lookup(next)
    };
    let lower_eq1 = lower([1, 0, 0, 0, 0, 0]);
    let lower_eq2 = lower([0, 1, 0, 0, 0, 0]);
    let lower_eq3eq6 = match (eq3, eq6) {
        // 11 -> 21, 01 -> 11
        (1, 1) | (0, 1) => lower([0, 0, 1, 0, 0, 0]),
        // 10 -> 11
        (1, 0) => lower([0, 0, 0, 0, 0, 1]),
        // 00 -> 01 or 10, whichever scores higher
        (0, 0) => {
            let left = lower([0, 0, 0, 0, 0, 1]);
            let right = lower([0, 0, 1, 0, 0, 0]);
            match (left, right) {
                (Some(a), Some(b)) if a > b => Some(a),
                (_, b) => b,
            }
        }
        // 21 -> 32 does not exist
        _ => None,
    };
    let lower_eq4 = lower([0, 0, 0, 1, 0, 0]);
    let lower_eq5 = lower([0, 0, 0, 0, 1, 0]);

    // Severity distances from the first highest-severity vector of the MacroVector that the
    // vector does not exceed in any metric (the last candidate if there is none, as the
    // reference does).
    let mut dist = [0i8; 14];
    'search: for e1 in eq1_maxes(eq1) {
        for e2 in eq2_maxes(eq2) {
            for e36 in eq3_eq6_maxes(eq3, eq6) {
                let e4 = eq4_maxes(eq4);
                dist = [
                    l.av - e1[0],
                    l.pr - e1[1],
                    l.ui - e1[2],
                    l.ac - e2[0],
                    l.at - e2[1],
                    l.vc - e36[0],
                    l.vi - e36[1],
                    l.va - e36[2],
                    l.cr - e36[3],
                    l.ir - e36[4],
                    l.ar - e36[5],
                    l.sc - e4[0],
                    l.si - e4[1],
                    l.sa - e4[2],
                ];
                if dist.iter().all(|d| *d >= 0) {
                    break 'search;
                }
            }
        }
    }
    let current_eq1 = dist[0] + dist[1] + dist[2];
    let current_eq2 = dist[3] + dist[4];
    let current_eq3eq6 = dist[5] + dist[6] + dist[7] + dist[8] + dist[9] + dist[10];
    let current_eq4 = dist[11] + dist[12] + dist[13];

    // Each EQ with a lower MacroVector contributes (available score gap) × (proportion of
    // its depth the vector is away from the top); EQ5 counts but contributes 0.
    let parts = [
        (lower_eq1, current_eq1, max_severity(1, eq1, eq6)),
        (lower_eq2, current_eq2, max_severity(2, eq2, eq6)),
        (lower_eq3eq6, current_eq3eq6, max_severity(3, eq3, eq6)),
        (lower_eq4, current_eq4, max_severity(4, eq4, eq6)),
    ];
    let mut n_existing_lower = 0u32;
    let mut sum = 0.0;
    for (lower_score, current, depth) in parts {
        if let Some(lower_score) = lower_score {
            n_existing_lower += 1;
            let available = value - lower_score;
            sum += available * f64::from(current) / f64::from(depth);
        }
    }
    if lower_eq5.is_some() {
        n_existing_lower += 1;
    }
    let mean_distance = if n_existing_lower == 0 {
        0.0
    } else {
        sum / f64::from(n_existing_lower)
    };
    let value = (value - mean_distance).clamp(0.0, 10.0);
    ((value + 1e-6) * 10.0).round() / 10.0
}

#[cfg(test)]
mod table_tests {
    use super::*;

    #[test]
    fn lookup_is_sorted_and_complete() {
        assert!(LOOKUP.windows(2).all(|w| w[0].0 < w[1].0));
        // 3 (EQ1) × 2 (EQ2) × 5 (EQ3+EQ6 pairs) × 3 (EQ4) × 3 (EQ5).
        assert_eq!(LOOKUP.len(), 270);
        for (k, v) in LOOKUP {
            assert_eq!(k.len(), 6);
            assert!((0.0..=10.0).contains(&v), "{k}");
        }
        assert_eq!(lookup([0, 0, 0, 0, 0, 0]), Some(10.0));
        assert_eq!(lookup([2, 1, 2, 2, 2, 1]), Some(0.1));
        assert_eq!(lookup([2, 1, 2, 2, 2, 0]), None);
        assert_eq!(lookup([3, 0, 0, 0, 0, 0]), None);
    }
}
