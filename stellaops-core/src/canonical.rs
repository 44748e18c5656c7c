//! RFC 8785 JSON Canonicalization Scheme (JCS): the bytes every Stella Ops hash is taken over.
//!
//! Object members sorted by their names' UTF-16 code units, no insignificant whitespace,
//! strings escaped as ECMAScript `JSON.stringify` does, numbers in ECMAScript
//! `Number.prototype.toString` form (via `ryu-js`). Our own implementation so that an upstream
//! change can never silently change our hashes; tested against the RFC's examples.

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest as _, Sha256};

/// Why a value cannot be canonicalized.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CanonicalError {
    /// The value does not serialize to JSON.
    #[error("cannot serialize to JSON: {0}")]
    Serialize(String),
    /// A number that is not finite, or an integer beyond what IEEE 754 doubles represent
    /// exactly (2^53); such values must be strings in hashed documents.
    #[error("number {0} cannot be represented exactly in canonical JSON")]
    Number(String),
}

/// Canonical bytes of any serializable value.
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, CanonicalError> {
    let v = serde_json::to_value(value).map_err(|e| CanonicalError::Serialize(e.to_string()))?;
    let mut out = Vec::new();
    write_value(&v, &mut out)?;
    Ok(out)
}

/// `sha256:<hex>` of the canonical bytes.
pub fn digest<T: Serialize + ?Sized>(value: &T) -> Result<String, CanonicalError> {
    Ok(format!(
        "sha256:{}",
        hex::encode(Sha256::digest(to_vec(value)?))
    ))
}

fn write_value(v: &Value, out: &mut Vec<u8>) -> Result<(), CanonicalError> {
    match v {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Number(n) => write_number(n, out)?,
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(item, out)?;
            }
            out.push(b']');
        }
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            out.push(b'{');
            for (i, (k, item)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_string(k, out);
                out.push(b':');
                write_value(item, out)?;
            }
            out.push(b'}');
        }
    }
    Ok(())
}

const MAX_SAFE: u64 = 1 << 53;

fn write_number(n: &serde_json::Number, out: &mut Vec<u8>) -> Result<(), CanonicalError> {
    // Integers: exact when |i| <= 2^53; larger ones only when the double they denote is the
    // same integer (e.g. 10000000000000000 = 1e16), then printed as that double.
    if let Some(i) = n.as_u64() {
        if i <= MAX_SAFE {
            out.extend_from_slice(i.to_string().as_bytes());
            return Ok(());
        }
        return write_f64(exact_double(i as f64, u128::from(i), false, n)?, out);
    }
    if let Some(i) = n.as_i64() {
        if i.unsigned_abs() <= MAX_SAFE {
            out.extend_from_slice(i.to_string().as_bytes());
            return Ok(());
        }
        return write_f64(
            exact_double(i as f64, u128::from(i.unsigned_abs()), true, n)?,
            out,
        );
    }
    let f = n
        .as_f64()
        .ok_or_else(|| CanonicalError::Number(n.to_string()))?;
    write_f64(f, out).map_err(|_| CanonicalError::Number(n.to_string()))
}

/// `f` if it is exactly the integer `magnitude` (with sign), else an error.
fn exact_double(
    f: f64,
    magnitude: u128,
    negative: bool,
    n: &serde_json::Number,
) -> Result<f64, CanonicalError> {
    // `as u128` saturates; doubles of this size are integers, so the round trip is exact
    // exactly when the integer is representable.
    if f.abs() as u128 == magnitude && (f < 0.0) == negative {
        Ok(f)
    } else {
        Err(CanonicalError::Number(n.to_string()))
    }
}

fn write_f64(f: f64, out: &mut Vec<u8>) -> Result<(), CanonicalError> {
    if !f.is_finite() {
        return Err(CanonicalError::Number(f.to_string()));
    }
    if f == 0.0 {
        out.push(b'0'); // -0 serializes as 0
        return Ok(());
    }
    let mut buf = ryu_js::Buffer::new();
    out.extend_from_slice(buf.format_finite(f).as_bytes());
    Ok(())
}

fn write_string(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    for ch in s.chars() {
        match ch {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\u{8}' => out.extend_from_slice(b"\\b"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\u{c}' => out.extend_from_slice(b"\\f"),
            '\r' => out.extend_from_slice(b"\\r"),
            c if (c as u32) < 0x20 => {
                out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes())
            }
            c => {
                let mut b = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
            }
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(text: &str) -> String {
        let v: Value = serde_json::from_str(text).unwrap();
        String::from_utf8(to_vec(&v).unwrap()).unwrap()
    }

    #[test]
    fn rfc8785_section_3_2_2_example() {
        // RFC 8785 §3.2.2 input (numbers, literals, string escapes).
        let input = r#"{
          "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
          "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
          "literals": [null, true, false]
        }"#;
        assert_eq!(
            canon(input),
            r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        );
    }

    #[test]
    fn rfc8785_section_3_2_3_sorting() {
        // RFC 8785 §3.2.3: sorting by UTF-16 code units.
        let input = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\",\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\",\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
        let out = canon(input);
        let keys: Vec<&str> = [
            "\\r",
            "1",
            "\u{80}",
            "\u{f6}",
            "\u{20ac}",
            "\u{1f600}",
            "\u{fb33}",
        ]
        .to_vec();
        let mut pos = 0;
        for k in keys {
            let found = out[pos..]
                .find(&format!("\"{k}\""))
                .unwrap_or_else(|| panic!("{k} out of order in {out}"));
            pos += found;
        }
    }

    #[test]
    fn rfc8785_appendix_b_numbers() {
        // RFC 8785 Appendix B (IEEE 754 bits -> expected text), cross-checked with Node's
        // JSON.stringify.
        for (bits, expected) in [
            (0x0000_0000_0000_0000u64, "0"),
            (0x8000_0000_0000_0000, "0"),
            (0x0000_0000_0000_0001, "5e-324"),
            (0x8000_0000_0000_0001, "-5e-324"),
            (0x7fef_ffff_ffff_ffff, "1.7976931348623157e+308"),
            (0xffef_ffff_ffff_ffff, "-1.7976931348623157e+308"),
            (0x4340_0000_0000_0000, "9007199254740992"),
            (0xc340_0000_0000_0000, "-9007199254740992"),
            (0x4430_0000_0000_0000, "295147905179352830000"),
            (0x44b5_2d02_c7e1_4af5, "9.999999999999997e+22"),
            (0x44b5_2d02_c7e1_4af6, "1e+23"),
            (0x44b5_2d02_c7e1_4af7, "1.0000000000000001e+23"),
            (0x444b_1ae4_d6e2_ef4e, "999999999999999700000"),
            (0x444b_1ae4_d6e2_ef4f, "999999999999999900000"),
            (0x444b_1ae4_d6e2_ef50, "1e+21"),
            (0x3eb0_c6f7_a0b5_ed8c, "9.999999999999997e-7"),
            (0x3eb0_c6f7_a0b5_ed8d, "0.000001"),
            (0x41b3_de43_5555_5553, "333333333.3333332"),
            (0x41b3_de43_5555_5554, "333333333.33333325"),
            (0x41b3_de43_5555_5555, "333333333.3333333"),
            (0x41b3_de43_5555_5556, "333333333.3333334"),
            (0x41b3_de43_5555_5557, "333333333.33333343"),
            (0xbecb_f647_612f_3696, "-0.0000033333333333333333"),
            (0x4314_3ff3_c1cb_0959, "1424953923781206.2"),
        ] {
            let n = serde_json::Number::from_f64(f64::from_bits(bits)).unwrap();
            let mut out = Vec::new();
            write_number(&n, &mut out).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                expected,
                "bits {bits:016x}"
            );
        }
    }

    #[test]
    fn refuses_unsafe_integers() {
        assert!(to_vec(&serde_json::json!({"n": 9_007_199_254_740_993u64})).is_err());
        assert!(to_vec(&serde_json::json!({"n": 9_007_199_254_740_992u64})).is_ok());
        assert!(to_vec(&serde_json::json!({"n": -9_007_199_254_740_993i64})).is_err());
    }

    /// Fuzz regressions (fuzz/regressions/canonical_json): canonicalisation is idempotent.
    #[test]
    fn idempotent_on_fuzz_regressions() {
        for text in [
            "1e16",
            "9388098197033898e-9",
            "5244809290795e8",
            "-1e300",
            "[1e21, 123456789012345680000]",
        ] {
            let once = canon(text);
            assert_eq!(canon(&once), once, "{text}");
        }
        assert_eq!(canon("1e16"), "10000000000000000");
    }
}
