//! The generic range syntax for ecosystems without one of their own (dpkg, rpm, apk, Go):
//! comparator lists `OP VERSION` joined by `,` or whitespace (all must hold), alternatives
//! joined by `||`. Operators: `<`, `<=`, `=`, `==`, `>=`, `>`, `!=`, and dpkg's `<<`, `>>`.
//! A bare version means `=`.

use std::cmp::Ordering;

use super::{Ecosystem, VersionError};

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `<` / `<<`
    Lt,
    /// `<=`
    Le,
    /// `=` / `==`
    Eq,
    /// `!=`
    Ne,
    /// `>=`
    Ge,
    /// `>` / `>>`
    Gt,
}

impl Op {
    /// Whether `ordering` (version compared to the bound) satisfies the operator.
    pub fn holds(self, ordering: Ordering) -> bool {
        match self {
            Op::Lt => ordering == Ordering::Less,
            Op::Le => ordering != Ordering::Greater,
            Op::Eq => ordering == Ordering::Equal,
            Op::Ne => ordering != Ordering::Equal,
            Op::Ge => ordering != Ordering::Less,
            Op::Gt => ordering == Ordering::Greater,
        }
    }
}

/// Split a leading operator off `text`.
fn split_op(text: &str) -> (Op, &str) {
    for (prefix, op) in [
        ("<<", Op::Lt),
        (">>", Op::Gt),
        ("<=", Op::Le),
        (">=", Op::Ge),
        ("==", Op::Eq),
        ("!=", Op::Ne),
        ("<", Op::Lt),
        (">", Op::Gt),
        ("=", Op::Eq),
    ] {
        if let Some(rest) = text.strip_prefix(prefix) {
            return (op, rest.trim_start());
        }
    }
    (Op::Eq, text)
}

/// Parse a comparator list into alternatives of (operator, version) conjunctions.
pub fn parse(ecosystem: Ecosystem, range: &str) -> Result<Vec<Vec<(Op, &str)>>, VersionError> {
    let mut alternatives = Vec::new();
    for alt in range.split("||") {
        let mut all = Vec::new();
        // Tokens: operators may be followed by spaces before the version.
        let mut tokens = alt
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|t| !t.is_empty())
            .peekable();
        while let Some(tok) = tokens.next() {
            let (op, rest) = split_op(tok);
            let version = if rest.is_empty() {
                tokens.next().ok_or_else(|| {
                    VersionError::new(Some(ecosystem), range, "operator without a version")
                })?
            } else {
                rest
            };
            all.push((op, version));
        }
        if all.is_empty() {
            return Err(VersionError::new(Some(ecosystem), range, "empty range"));
        }
        alternatives.push(all);
    }
    Ok(alternatives)
}

/// Whether `version` satisfies `range` under `compare`.
pub fn satisfies(
    ecosystem: Ecosystem,
    version: &str,
    range: &str,
    compare: impl Fn(&str, &str) -> Result<Ordering, VersionError>,
) -> Result<bool, VersionError> {
    let alternatives = parse(ecosystem, range)?;
    let mut any = false;
    for all in alternatives {
        let mut ok = true;
        for (op, bound) in all {
            if !op.holds(compare(version, bound)?) {
                ok = false;
            }
        }
        any |= ok;
    }
    Ok(any)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric(a: &str, b: &str) -> Result<Ordering, VersionError> {
        let p = |s: &str| {
            s.parse::<u32>()
                .map_err(|_| VersionError::new(None, s, "nan"))
        };
        Ok(p(a)?.cmp(&p(b)?))
    }

    fn check(version: &str, range: &str, expected: bool) {
        assert_eq!(
            satisfies(Ecosystem::Deb, version, range, numeric).unwrap(),
            expected,
            "{version} in {range}"
        );
    }

    #[test]
    fn comparator_lists() {
        check("5", ">= 3, << 7", true);
        check("7", ">= 3, << 7", false);
        check("7", ">=3 <7 || =7", true);
        check("2", "> 1 < 3", true);
        check("4", "4", true);
        check("4", "!= 4", false);
        assert!(parse(Ecosystem::Deb, ">=").is_err());
        assert!(parse(Ecosystem::Deb, " || ").is_err());
        assert!(satisfies(Ecosystem::Deb, "x", ">= 1", numeric).is_err());
    }
}
