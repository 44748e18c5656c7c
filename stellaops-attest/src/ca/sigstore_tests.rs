//! Real Fulcio certificates from the sigstore-conformance bundle cases
//! (`shared/fixtures/attestation/sigstore/conformance-assets/bundle-verify`, see
//! `shared/fixtures/attestation/PROVENANCE.md`): the leaf from the bundle's
//! `verificationMaterial`, the Fulcio CA chain from a `trusted_root.json`
//! (`certificateAuthorities[].certChain.certificates[].rawBytes`) and the signing time from
//! the bundle's tlog entry `integratedTime`. Proves the verifier accepts what real Fulcio
//! issues — P-384 production intermediate and root with ecdsa-with-SHA384, and the P-256
//! conformance mock CA signing with SHA-384 — and rejects the certificate-related `_fail` cases
//! for the right reason.

use base64::prelude::{Engine as _, BASE64_STANDARD};
use serde_json::Value;

use super::*;

const BEACON: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
const GITHUB_ACTIONS: &str = "https://token.actions.githubusercontent.com";

/// Test-only: reads a conformance case file (the library itself never touches the file system).
fn case_json(case: &str, file: &str) -> Value {
    let path = format!(
        "{}/../../shared/fixtures/attestation/sigstore/conformance-assets/bundle-verify/{case}/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text =
        stellaops_testkit::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {path}: {e}"))
}

fn b64(v: &Value) -> Vec<u8> {
    BASE64_STANDARD.decode(v.as_str().unwrap()).unwrap()
}

/// The bundle's certificates: leaf first (v0.3 `certificate`, or v0.1/v0.2
/// `x509CertificateChain`, whose tail is whatever else the bundle ships).
fn bundle_certs(case: &str) -> Vec<Vec<u8>> {
    let bundle = case_json(case, "bundle.sigstore.json");
    let vm = &bundle["verificationMaterial"];
    if let Some(raw) = vm["certificate"].get("rawBytes") {
        return vec![b64(raw)];
    }
    vm["x509CertificateChain"]["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| b64(&c["rawBytes"]))
        .collect()
}

/// `integratedTime` of the bundle's (first) tlog entry: the log's proof of signing time.
fn integrated_time(case: &str) -> u64 {
    let bundle = case_json(case, "bundle.sigstore.json");
    bundle["verificationMaterial"]["tlogEntries"][0]["integratedTime"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// Every Fulcio CA certificate of a trusted root, split into (intermediates, roots) by
/// whether the certificate is self-issued.
fn fulcio_trust(case: &str) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let root = case_json(case, "trusted_root.json");
    let mut intermediates = Vec::new();
    let mut roots = Vec::new();
    for ca in root["certificateAuthorities"].as_array().unwrap() {
        for cert in ca["certChain"]["certificates"].as_array().unwrap() {
            let der = b64(&cert["rawBytes"]);
            let parsed = <x509_cert::Certificate as der::Decode>::from_der(&der).unwrap();
            let tbs = parsed.tbs_certificate();
            if tbs.subject() == tbs.issuer() {
                roots.push(der);
            } else {
                intermediates.push(der);
            }
        }
    }
    (intermediates, roots)
}

fn verify_with(
    leaf: &[u8],
    trust: &(Vec<Vec<u8>>, Vec<Vec<u8>>),
    time: u64,
    expected: Option<&Identity>,
) -> Result<VerifiedCert> {
    let inter: Vec<&[u8]> = trust.0.iter().map(Vec::as_slice).collect();
    let roots: Vec<&[u8]> = trust.1.iter().map(Vec::as_slice).collect();
    verify_signing_cert_der(leaf, &inter, &roots, time, expected)
}

/// The production (sigstore.dev) trust root. Only cases with a custom root ship a
/// `trusted_root.json`; this case's Fulcio part is the production one (its README: only the
/// tlog validity was edited).
const PRODUCTION_ROOT: &str = "trust-root-tlog-validity-end-inclusive";
/// The staging (sigstage.dev) trust root.
const STAGING_ROOT: &str = "rekor2-happy-path";

#[test]
fn conformance_mock_ca_leaf_from_custom_trust_root() {
    // Leaf signed directly by the conformance mock root (P-256 key, ecdsa-with-SHA384);
    // integratedTime equals the leaf's notBefore: the inclusive bound.
    let case = "intoto-with-custom-trust-root";
    let leaf = &bundle_certs(case)[0];
    let time = integrated_time(case);
    assert_eq!(time, 1_675_209_600);
    let expected = Identity::new(BEACON, GITHUB_ACTIONS);
    let v = verify_with(leaf, &fulcio_trust(case), time, Some(&expected)).unwrap();
    assert_eq!(v.identity, expected);
    assert_eq!((v.not_before, v.not_after), (1_675_209_600, 1_675_210_200));
    // The certified key is the P-256 key the bundle's signature verifies with.
    assert!(
        <p256::ecdsa::VerifyingKey as spki::DecodePublicKey>::from_public_key_der(
            &v.public_key_spki_der
        )
        .is_ok()
    );

    // Same through the PEM API.
    let pem =
        |der: &[u8]| der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, der).unwrap();
    let (_, roots) = fulcio_trust(case);
    let root_pem = pem(&roots[0]);
    let v2 = verify_signing_cert(&pem(leaf), &[&root_pem], time, Some(&expected)).unwrap();
    assert_eq!(v2, v);
}

#[test]
fn production_fulcio_leaf_through_p384_intermediate() {
    // leaf (P-256) -> sigstore-intermediate (P-384) -> sigstore root (P-384), ecdsa-with-SHA384.
    let case = PRODUCTION_ROOT;
    let certs = bundle_certs(case);
    let time = integrated_time(case);
    let trust = fulcio_trust(case);
    assert!(!trust.0.is_empty(), "expected the production intermediate");
    let expected = Identity::new(BEACON, GITHUB_ACTIONS);
    let v = verify_with(&certs[0], &trust, time, Some(&expected)).unwrap();
    assert_eq!(v.identity, expected);
    assert!(v.not_before <= time && time <= v.not_after);

    // The happy-path bundles carry the same certificate.
    for case in ["happy-path-v0.1", "happy-path-v0.2"] {
        let leaf = &bundle_certs(case)[0];
        verify_with(leaf, &trust, integrated_time(case), Some(&expected)).unwrap();
    }

    // Without the intermediate, the root alone is not the issuer.
    let roots_only = (Vec::new(), trust.1.clone());
    let err = verify_with(&certs[0], &roots_only, time, None).unwrap_err();
    assert!(matches!(err, CaError::UnknownIssuer { .. }), "{err}");
}

#[test]
fn production_fulcio_leaf_2024_dsse_bundle() {
    let case = "happy-path-intoto-in-dsse-v3";
    let leaf = &bundle_certs(case)[0];
    let trust = fulcio_trust(PRODUCTION_ROOT);
    let v = verify_with(leaf, &trust, integrated_time(case), None).unwrap();
    assert_eq!(v.identity, Identity::new(BEACON, GITHUB_ACTIONS));
}

#[test]
fn production_fulcio_email_identity() {
    // This bundle fails only because its chain ships a (staging) root; the leaf itself is a
    // production certificate for an e-mail identity issued via GitHub OAuth.
    let case = "bundle-with-root-cert_fail";
    let certs = bundle_certs(case);
    let v = verify_with(
        &certs[0],
        &fulcio_trust(PRODUCTION_ROOT),
        integrated_time(case),
        None,
    )
    .unwrap();
    assert_eq!(
        v.identity,
        Identity::new("a@tny.town", "https://github.com/login/oauth")
    );
}

#[test]
fn fail_case_bundle_with_root_cert() {
    // Passing the bundle's chain as intermediates: it contains a self-issued root.
    let case = "bundle-with-root-cert_fail";
    let certs = bundle_certs(case);
    assert_eq!(certs.len(), 3);
    let chain: Vec<&[u8]> = certs[1..].iter().map(Vec::as_slice).collect();
    let (_, roots) = fulcio_trust(PRODUCTION_ROOT);
    let roots: Vec<&[u8]> = roots.iter().map(Vec::as_slice).collect();
    let err = verify_signing_cert_der(&certs[0], &chain, &roots, integrated_time(case), None)
        .unwrap_err();
    assert!(
        matches!(err, CaError::Path(ref m) if m.contains("self-issued")),
        "{err}"
    );
}

#[test]
fn fail_case_integrated_time_after_expiry() {
    // integratedTime 2026-05-07T15:34:11Z, six minutes after the leaf's notAfter.
    let case = "integrated-time-in-future_fail";
    let leaf = &bundle_certs(case)[0];
    let trust = fulcio_trust(PRODUCTION_ROOT);
    let time = integrated_time(case);
    let err = verify_with(leaf, &trust, time, None).unwrap_err();
    assert!(
        matches!(err, CaError::Expired { ref cert, signing_time, not_after, .. }
            if cert == "leaf certificate" && signing_time == 1_778_168_051 && not_after == 1_778_167_690),
        "{err}"
    );
    // The certificate itself is genuine: inside its validity it verifies (e-mail identity).
    let v = verify_with(leaf, &trust, 1_778_167_690, None).unwrap();
    assert_eq!(
        v.identity,
        Identity::new(
            "untrusted-sa@sigstore-conformance.iam.gserviceaccount.com",
            "https://accounts.google.com"
        )
    );
}

#[test]
fn fail_case_set_outside_signing_cert_validity() {
    let case = "intoto-set-outside-signing-cert-validity_fail";
    let leaf = &bundle_certs(case)[0];
    let err = verify_with(leaf, &fulcio_trust(case), integrated_time(case), None).unwrap_err();
    assert!(matches!(err, CaError::Expired { .. }), "{err}");
    assert!(err.to_string().contains("2023-02-02T00:00:00Z"), "{err}");
}

#[test]
fn fail_case_certificate_outside_ca_validity() {
    // Leaf for 2030 from a mock CA valid only in 2023.
    let case = "intoto-expired-certificate_fail";
    let leaf = &bundle_certs(case)[0];
    let trust = fulcio_trust(case);
    let err = verify_with(leaf, &trust, integrated_time(case), None).unwrap_err();
    assert!(
        matches!(err, CaError::NotYetValid { ref cert, .. } if cert == "leaf certificate"),
        "{err}"
    );
    // Even at a time inside the leaf's own validity the chain fails: the root has expired.
    let leaf_not_before = 1_893_456_000; // 2030-01-01T00:00:00Z
    let err = verify_with(leaf, &trust, leaf_not_before, None).unwrap_err();
    assert!(
        matches!(err, CaError::Expired { ref cert, .. } if cert.starts_with("root certificate")),
        "{err}"
    );
}

#[test]
fn fail_case_bundle_from_wrong_instance() {
    // A staging certificate is not trusted by the production root: the staging intermediate
    // has the same name as the production one, the key identifiers differ.
    let case = "bundle-from-wrong-instance_fail";
    let leaf = &bundle_certs(case)[0];
    let time = integrated_time(case);
    let err = verify_with(leaf, &fulcio_trust(PRODUCTION_ROOT), time, None).unwrap_err();
    assert!(matches!(err, CaError::UnknownIssuer { .. }), "{err}");
    assert!(err.to_string().contains("sigstore-intermediate"), "{err}");
    // Against the staging trust root it verifies: only the instance was wrong.
    let v = verify_with(leaf, &fulcio_trust(STAGING_ROOT), time, None).unwrap();
    assert_eq!(v.identity, Identity::new(BEACON, GITHUB_ACTIONS));
}

#[test]
fn tampered_real_certificate_fails() {
    let case = PRODUCTION_ROOT;
    let mut leaf = bundle_certs(case).remove(0);
    let at = leaf.windows(7).position(|w| w == b"beacon.").unwrap();
    leaf[at] = b'B';
    let err = verify_with(&leaf, &fulcio_trust(case), integrated_time(case), None).unwrap_err();
    assert!(matches!(err, CaError::BadSignature { .. }), "{err}");
}
