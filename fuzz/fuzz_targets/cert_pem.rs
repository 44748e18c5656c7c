#![no_main]
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use stellaops_attest::ca::{self, CertificateAuthority};

/// Fixed P-256 root, valid from the epoch to 2100-01-01.
static ROOT: LazyLock<String> = LazyLock::new(|| {
    CertificateAuthority::new_root(&[3; 32], "Stella Ops fuzz root", 0, 4_102_444_800, &[1])
        .expect("fixed root")
        .root_pem()
        .to_string()
});

// PEM decoding, strict DER, X.509 path and extension checks of a signing certificate.
fuzz_target!(|data: &[u8]| {
    let leaf = String::from_utf8_lossy(data);
    let _ = ca::verify_signing_cert(&leaf, &[ROOT.as_str()], 0, None);
});
