//! Byte-level comparisons shared by the version schemes: digit runs compared numerically at
//! any length, and plain lexicographic bytes.

use std::cmp::Ordering;

/// Compare two ASCII digit runs numerically, of any length (leading zeros ignored).
#[inline]
pub(super) fn cmp_digits(a: &[u8], b: &[u8]) -> Ordering {
    let a = strip_zeros(a);
    let b = strip_zeros(b);
    a.len().cmp(&b.len()).then_with(|| cmp_bytes(a, b))
}

/// [`cmp_digits`] over `str`.
#[inline]
pub(super) fn cmp_numeric(a: &str, b: &str) -> Ordering {
    cmp_digits(a.as_bytes(), b.as_bytes())
}

#[inline]
fn strip_zeros(s: &[u8]) -> &[u8] {
    let zeros = s.iter().take_while(|&&c| c == b'0').count();
    s.get(zeros..).unwrap_or(&[])
}

/// Bytewise comparison, like `<[u8]>::cmp`, as a plain loop. Version segments are short and
/// often empty; `<[u8]>::cmp` / `==` call `memcmp`, whose AVX-512 variant (glibc) performs a
/// masked load even for length 0, which was measured to cost a ~100 ns microcode assist when
/// the (dangling) pointer of an empty slice is unmapped.
#[inline]
pub(super) fn cmp_bytes(a: &[u8], b: &[u8]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x.cmp(y);
        }
    }
    a.len().cmp(&b.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_compare_numerically() {
        assert_eq!(cmp_numeric("010", "9"), Ordering::Greater);
        assert_eq!(cmp_numeric("000", ""), Ordering::Equal);
        assert_eq!(
            cmp_numeric("12345678901234567890", "12345678901234567891"),
            Ordering::Less
        );
        assert_eq!(cmp_bytes(b"", b"a"), Ordering::Less);
        assert_eq!(cmp_bytes(b"ab", b"aa"), Ordering::Greater);
    }
}
