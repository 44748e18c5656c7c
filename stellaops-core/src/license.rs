//! Declared-license handling: a license string becomes an SPDX expression only when it
//! already is one (strict SPDX grammar, license list pinned by the `spdx` crate); anything
//! else is kept verbatim as a named license. Nothing is guessed.

use crate::model::License;

/// The SPDX license list version the expressions are validated against.
pub const SPDX_LICENSE_LIST_VERSION: &str = spdx::identifiers::VERSION;

/// Classify one declared license string. Empty or placeholder values give `None`.
pub fn declared(text: &str) -> Option<License> {
    let text = text.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("unknown") || text == "(none)" {
        return None;
    }
    if is_spdx_expression(text) {
        Some(License::Expression(text.to_owned()))
    } else {
        Some(License::Named(text.to_owned()))
    }
}

/// Whether `text` parses as an SPDX license expression in strict mode.
pub fn is_spdx_expression(text: &str) -> bool {
    spdx::Expression::parse(text).is_ok()
}

/// Whether `text` is exactly one SPDX license identifier (no operators), e.g. `MIT`.
pub fn is_single_spdx_id(text: &str) -> bool {
    spdx::license_id(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Option<License>) {
        assert_eq!(declared(input), expected, "input {input:?}");
    }

    #[test]
    fn classifies_declared_licenses() {
        check("MIT", Some(License::Expression("MIT".into())));
        check(
            "GPL-2.0-or-later AND MIT",
            Some(License::Expression("GPL-2.0-or-later AND MIT".into())),
        );
        check("GPLv2+", Some(License::Named("GPLv2+".into())));
        check("MIT BSD", Some(License::Named("MIT BSD".into())));
        check("  ", None);
        check("(none)", None);
    }
}
