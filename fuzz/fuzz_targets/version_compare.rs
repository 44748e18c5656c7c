#![no_main]
use libfuzzer_sys::fuzz_target;

// Two strings separated by the first NUL byte (lossy UTF-8), compared and range-checked in
// every ecosystem. Checked: reflexivity (compare(a, a) == Equal) and antisymmetry
// (compare(a, b) == compare(b, a).reverse()) whenever the comparisons succeed. RPM's
// rpmvercmp is documented as not transitive, but antisymmetry must still hold there.
fuzz_target!(|data: &[u8]| {
    use std::cmp::Ordering;
    use stellaops_policy::version::{compare, satisfies, Ecosystem};
    let (a, b) = match data.iter().position(|&x| x == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let a = String::from_utf8_lossy(a);
    let b = String::from_utf8_lossy(b);
    for eco in Ecosystem::ALL {
        let ab = compare(eco, &a, &b);
        let ba = compare(eco, &b, &a);
        if let (Ok(ab), Ok(ba)) = (&ab, &ba) {
            assert_eq!(
                *ab,
                ba.reverse(),
                "{eco}: antisymmetry violated: compare({a:?}, {b:?}) = {ab:?} but compare({b:?}, {a:?}) = {ba:?}"
            );
        }
        for v in [&a, &b] {
            if let Ok(o) = compare(eco, v, v) {
                assert_eq!(o, Ordering::Equal, "{eco}: compare({v:?}, {v:?}) = {o:?}");
            }
        }
        let _ = satisfies(eco, &a, &b);
        let _ = satisfies(eco, &b, &a);
    }
});
