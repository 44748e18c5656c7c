//! Issue/verify round trips and every rejection path, on certificates from our own CA.

use der::{
    asn1::BitString, flagset::FlagSet, pem::LineEnding, referenced::OwnedToRef, Decode, Encode,
    EncodePem,
};
use pkcs8::EncodePublicKey;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::{
    ext::{
        pkix::{
            BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages, SubjectAltName,
            SubjectKeyIdentifier,
        },
        Extension,
    },
    name::Name,
    Certificate,
};

use super::issue::{
    authority_key_id, common_name_dn, extension, key_identifier, octets, unix_time, FixedProfile,
};
use super::*;

/// 2025-01-01T00:00:00Z.
const T0: u64 = 1_735_689_600;
const DAY: u64 = 86_400;
const GITHUB: &str = "https://token.actions.githubusercontent.com";
const WORKFLOW: &str =
    "https://github.com/stella-ops/stella/.github/workflows/release.yml@refs/heads/main";

fn test_ca(seed: u8, cn: &str) -> CertificateAuthority {
    CertificateAuthority::new_root(&[seed; 32], cn, T0 - DAY, T0 + 365 * DAY, &[0x01, seed])
        .unwrap()
}

fn p256_spki(seed: u8) -> Vec<u8> {
    let key = p256::ecdsa::SigningKey::from_slice(&[seed; 32]).unwrap();
    key.verifying_key()
        .to_public_key_der()
        .unwrap()
        .as_bytes()
        .to_vec()
}

fn email() -> Identity {
    Identity::new("alice@example.com", "https://accounts.google.com")
}

fn issue(ca: &CertificateAuthority, identity: &Identity) -> String {
    ca.issue_signing_cert(&p256_spki(9), identity, T0, 600, &[0x42; 16])
        .unwrap()
}

fn pem_to_der(pem: &str) -> Vec<u8> {
    pem_certificates(pem, "test").unwrap().remove(0)
}

fn der_to_pem(der: &[u8]) -> String {
    Certificate::from_der(der)
        .unwrap()
        .to_pem(LineEnding::LF)
        .unwrap()
}

/// A leaf from `ca` with the given extensions (and the P-256 key of seed 9).
fn custom_leaf(ca: &CertificateAuthority, extensions: Vec<Extension>) -> String {
    let spki = SubjectPublicKeyInfoOwned::from_der(&p256_spki(9)).unwrap();
    ca.issue_raw(Name::default(), spki, extensions, T0, T0 + 600, &[7])
        .unwrap()
        .to_pem(LineEnding::LF)
        .unwrap()
}

/// The extensions of a well-formed leaf, minus those whose OID is in `drop`, plus `extra`.
fn leaf_extensions(
    ca: &CertificateAuthority,
    drop: &[der::asn1::ObjectIdentifier],
    extra: Vec<Extension>,
) -> Vec<Extension> {
    leaf_extensions_with_aki(ca.key_id(), drop, extra)
}

fn leaf_extensions_with_aki(
    aki: &[u8],
    drop: &[der::asn1::ObjectIdentifier],
    extra: Vec<Extension>,
) -> Vec<Extension> {
    let spki = SubjectPublicKeyInfoOwned::from_der(&p256_spki(9)).unwrap();
    let san = SubjectAltName(vec![x509_cert::ext::pkix::name::GeneralName::Rfc822Name(
        der::asn1::Ia5String::new("alice@example.com").unwrap(),
    )]);
    let mut all = vec![
        extension(
            EXT_KEY_USAGE,
            true,
            &KeyUsage(KeyUsages::DigitalSignature.into()),
        )
        .unwrap(),
        extension(
            EXT_EXT_KEY_USAGE,
            false,
            &ExtendedKeyUsage(vec![OID_KP_CODE_SIGNING]),
        )
        .unwrap(),
        extension(
            EXT_SKI,
            false,
            &SubjectKeyIdentifier(octets(&key_identifier(spki.owned_to_ref()).unwrap()).unwrap()),
        )
        .unwrap(),
        extension(EXT_AKI, false, &authority_key_id(aki).unwrap()).unwrap(),
        extension(EXT_SAN, true, &san).unwrap(),
        extension(
            OID_FULCIO_ISSUER_V2,
            false,
            &der::asn1::Utf8StringRef::new("https://accounts.google.com").unwrap(),
        )
        .unwrap(),
    ];
    all.retain(|e| !drop.contains(&e.extn_id));
    all.extend(extra);
    all
}

#[test]
fn issue_and_verify_email_identity() {
    let ca = test_ca(7, "Stella Ops Test CA");
    let pem = issue(&ca, &email());
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
    let v = verify_signing_cert(&pem, &[ca.root_pem()], T0 + 1, Some(&email())).unwrap();
    assert_eq!(v.identity, email());
    assert_eq!(v.public_key_spki_der, p256_spki(9));
    assert_eq!((v.not_before, v.not_after), (T0, T0 + 600));
    // Validity bounds are inclusive.
    verify_signing_cert(&pem, &[ca.root_pem()], T0, None).unwrap();
    verify_signing_cert(&pem, &[ca.root_pem()], T0 + 600, None).unwrap();
}

#[test]
fn issued_certificate_has_the_fulcio_shape() {
    let ca = test_ca(7, "Stella Ops Test CA");
    let pem = issue(&ca, &Identity::new(WORKFLOW, GITHUB));
    let cert = Certificate::from_der(&pem_to_der(&pem)).unwrap();
    let tbs = cert.tbs_certificate();
    assert!(tbs.subject().is_empty());
    assert_eq!(tbs.issuer().to_string(), "CN=Stella Ops Test CA");
    assert_eq!(tbs.serial_number().as_bytes(), &[0x42; 16]);
    let (critical, ku) = tbs.get_extension::<KeyUsage>().unwrap().unwrap();
    assert!(critical && ku.digital_signature() && !ku.key_cert_sign());
    let (_, eku) = tbs.get_extension::<ExtendedKeyUsage>().unwrap().unwrap();
    assert_eq!(eku.0, vec![OID_KP_CODE_SIGNING]);
    let (critical, bc) = tbs.get_extension::<BasicConstraints>().unwrap().unwrap();
    assert!(critical && !bc.ca);
    let (critical, san) = tbs.get_extension::<SubjectAltName>().unwrap().unwrap();
    assert!(critical);
    assert!(matches!(
        san.0.as_slice(),
        [x509_cert::ext::pkix::name::GeneralName::UniformResourceIdentifier(uri)] if uri.to_string() == WORKFLOW
    ));
    let ext = |oid| {
        tbs.extensions()
            .unwrap()
            .iter()
            .find(|e| e.extn_id == oid)
            .unwrap()
            .extn_value
            .as_bytes()
            .to_vec()
    };
    // Issuer V2 is a DER UTF8String (tag 0x0c); the deprecated one is the raw string.
    let mut v2 = vec![0x0c, GITHUB.len() as u8];
    v2.extend_from_slice(GITHUB.as_bytes());
    assert_eq!(ext(OID_FULCIO_ISSUER_V2), v2);
    assert_eq!(ext(OID_FULCIO_ISSUER), GITHUB.as_bytes());
    // AKI of the leaf = SKI of the root.
    let root = Certificate::from_der(&ca.root_der().unwrap()).unwrap();
    let (_, root_ski) = root
        .tbs_certificate()
        .get_extension::<SubjectKeyIdentifier>()
        .unwrap()
        .unwrap();
    assert_eq!(ext(EXT_AKI)[4..], *root_ski.0.as_bytes());
    // Root: self-issued CA, signed with ecdsa-with-SHA256.
    assert_eq!(
        root.tbs_certificate().subject(),
        root.tbs_certificate().issuer()
    );
    assert_eq!(
        cert.signature_algorithm().oid.to_string(),
        "1.2.840.10045.4.3.2"
    );
}

#[test]
fn issuance_is_deterministic() {
    let a = test_ca(7, "CA");
    let b = test_ca(7, "CA");
    assert_eq!(a.root_pem(), b.root_pem());
    assert_eq!(issue(&a, &email()), issue(&b, &email()));
}

#[test]
fn ca_round_trips_through_pem() {
    let ca = test_ca(7, "Stella Ops Test CA");
    let key_pem = ca.key_pem().unwrap();
    assert!(key_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    let reloaded = CertificateAuthority::from_pem(ca.root_pem(), &key_pem).unwrap();
    assert_eq!(reloaded.root_pem(), ca.root_pem());
    assert_eq!(reloaded.validity(), (T0 - DAY, T0 + 365 * DAY));
    let id = Identity::new(WORKFLOW, GITHUB);
    let pem = issue(&reloaded, &id);
    let v = verify_signing_cert(&pem, &[ca.root_pem()], T0 + 300, Some(&id)).unwrap();
    assert_eq!(v.identity, id);

    // The key must match the certificate.
    let other = test_ca(8, "Other");
    let err = CertificateAuthority::from_pem(ca.root_pem(), &other.key_pem().unwrap()).unwrap_err();
    assert!(matches!(err, CaError::Key(_)), "{err}");
    let err = CertificateAuthority::from_pem(ca.root_pem(), "not a key").unwrap_err();
    assert!(matches!(err, CaError::Key(_)), "{err}");
    // A leaf certificate is not a CA certificate.
    let err = CertificateAuthority::from_pem(&issue(&ca, &email()), &key_pem).unwrap_err();
    assert!(matches!(err, CaError::Key(_)), "{err}");
}

#[test]
fn debug_does_not_print_the_key() {
    let ca = test_ca(7, "Stella Ops Test CA");
    let debug = format!("{ca:?}");
    assert!(debug.contains("Stella Ops Test CA"));
    assert!(!debug.contains("0707070707"));
}

#[test]
fn wrong_root_is_unknown_issuer() {
    let ca = test_ca(7, "Stella Ops Test CA");
    let pem = issue(&ca, &email());
    let other = test_ca(8, "Another CA");
    let err = verify_signing_cert(&pem, &[other.root_pem()], T0 + 1, None).unwrap_err();
    assert!(matches!(err, CaError::UnknownIssuer { .. }), "{err}");
    assert!(err.to_string().contains("CN=Stella Ops Test CA"), "{err}");

    // Same name, different key: the key identifiers tell them apart.
    let impostor = test_ca(9, "Stella Ops Test CA");
    let err = verify_signing_cert(&pem, &[impostor.root_pem()], T0 + 1, None).unwrap_err();
    assert!(matches!(err, CaError::UnknownIssuer { .. }), "{err}");

    // Several roots: the right one is found.
    verify_signing_cert(&pem, &[other.root_pem(), ca.root_pem()], T0 + 1, None).unwrap();
    let bundle = format!("{}{}", other.root_pem(), ca.root_pem());
    verify_signing_cert(&pem, &[&bundle], T0 + 1, None).unwrap();

    let err = verify_signing_cert(&pem, &[], T0 + 1, None).unwrap_err();
    assert!(matches!(err, CaError::InvalidInput(_)), "{err}");
}

#[test]
fn signing_time_outside_validity() {
    let ca = test_ca(7, "Stella Ops Test CA");
    let pem = issue(&ca, &email());
    let err = verify_signing_cert(&pem, &[ca.root_pem()], T0 - 1, None).unwrap_err();
    assert_eq!(
        err,
        CaError::NotYetValid {
            cert: "leaf certificate".into(),
            signing_time: T0 - 1,
            not_before: T0,
            not_after: T0 + 600,
        }
    );
    assert!(
        err.to_string()
            .contains("1735689599 (2024-12-31T23:59:59Z)"),
        "{err}"
    );
    let err = verify_signing_cert(&pem, &[ca.root_pem()], T0 + 601, None).unwrap_err();
    assert!(
        matches!(err, CaError::Expired { signing_time, not_after, .. } if signing_time == T0 + 601 && not_after == T0 + 600),
        "{err}"
    );
    assert!(err.to_string().contains("had expired"), "{err}");
}

#[test]
fn tampered_certificate_fails() {
    let ca = test_ca(7, "Stella Ops Test CA");
    let der = pem_to_der(&issue(&ca, &email()));
    // Change the identity inside the signed bytes: still valid DER, wrong signature.
    let at = der.windows(5).position(|w| w == b"alice").unwrap();
    let mut tampered = der.clone();
    tampered[at] = b'm';
    let err =
        verify_signing_cert(&der_to_pem(&tampered), &[ca.root_pem()], T0 + 1, None).unwrap_err();
    assert!(matches!(err, CaError::BadSignature { .. }), "{err}");

    // Flip a bit in the last byte of the signature value.
    let mut tampered = der.clone();
    *tampered.last_mut().unwrap() ^= 1;
    let err =
        verify_signing_cert(&der_to_pem(&tampered), &[ca.root_pem()], T0 + 1, None).unwrap_err();
    assert!(matches!(err, CaError::BadSignature { .. }), "{err}");

    // Every single-byte change is rejected one way or another, never accepted, never a panic.
    for i in 0..der.len() {
        let mut t = der.clone();
        t[i] ^= 0x01;
        let r = verify_signing_cert_der(&t, &[], &[&ca.root_der().unwrap()], T0 + 1, None);
        assert!(r.is_err(), "byte {i} flipped but accepted");
    }
}

#[test]
fn identity_mismatch() {
    let ca = test_ca(7, "Stella Ops Test CA");
    let pem = issue(&ca, &email());
    let wrong_subject = Identity::new("mallory@example.com", "https://accounts.google.com");
    let err =
        verify_signing_cert(&pem, &[ca.root_pem()], T0 + 1, Some(&wrong_subject)).unwrap_err();
    assert_eq!(
        err,
        CaError::IdentityMismatch {
            expected: wrong_subject,
            found: email()
        }
    );
    let wrong_issuer = Identity::new("alice@example.com", GITHUB);
    let err = verify_signing_cert(&pem, &[ca.root_pem()], T0 + 1, Some(&wrong_issuer)).unwrap_err();
    assert!(matches!(err, CaError::IdentityMismatch { .. }), "{err}");
    assert!(err.to_string().contains("accounts.google.com"), "{err}");
}

#[test]
fn ed25519_and_p384_leaf_keys() {
    let ca = test_ca(7, "Stella Ops Test CA");
    let ed = ed25519_dalek::SigningKey::from_bytes(&[5; 32]);
    let ed_spki = ed.verifying_key().to_public_key_der().unwrap();
    let pem = ca
        .issue_signing_cert(ed_spki.as_bytes(), &email(), T0, 600, &[1])
        .unwrap();
    let v = verify_signing_cert(&pem, &[ca.root_pem()], T0 + 10, Some(&email())).unwrap();
    assert_eq!(v.public_key_spki_der, ed_spki.as_bytes());
    let key: ed25519_dalek::VerifyingKey =
        spki::DecodePublicKey::from_public_key_der(&v.public_key_spki_der).unwrap();
    assert_eq!(key, ed.verifying_key());

    let p384 = p384::ecdsa::SigningKey::from_slice(&[3; 48]).unwrap();
    let p384_spki = p384.verifying_key().to_public_key_der().unwrap();
    let pem = ca
        .issue_signing_cert(p384_spki.as_bytes(), &email(), T0, 600, &[2])
        .unwrap();
    let v = verify_signing_cert(&pem, &[ca.root_pem()], T0 + 10, None).unwrap();
    assert_eq!(v.public_key_spki_der, p384_spki.as_bytes());
}

#[test]
fn issuance_rejects_bad_input() {
    let ca = test_ca(7, "Stella Ops Test CA");
    let spki = p256_spki(9);
    let issue = |spki: &[u8], id: &Identity, nb: u64, secs: u64, serial: &[u8]| {
        ca.issue_signing_cert(spki, id, nb, secs, serial)
            .unwrap_err()
    };
    assert!(matches!(
        issue(b"junk", &email(), T0, 600, &[1]),
        CaError::Malformed { .. }
    ));
    // X25519 is not a signing key.
    let x25519 = SubjectPublicKeyInfoOwned {
        algorithm: AlgorithmIdentifierOwned {
            oid: der::asn1::ObjectIdentifier::new_unwrap("1.3.101.110"),
            parameters: None,
        },
        subject_public_key: BitString::from_bytes(&[9; 32]).unwrap(),
    }
    .to_der()
    .unwrap();
    assert!(matches!(
        issue(&x25519, &email(), T0, 600, &[1]),
        CaError::UnsupportedKey(_)
    ));
    // An EC point not on the curve.
    let mut bad_point = spki.clone();
    *bad_point.last_mut().unwrap() ^= 1;
    assert!(matches!(
        issue(&bad_point, &email(), T0, 600, &[1]),
        CaError::UnsupportedKey(_)
    ));
    for subject in ["alice", "", "a@b@c", "ålice@example.com"] {
        let err = issue(&spki, &Identity::new(subject, GITHUB), T0, 600, &[1]);
        assert!(matches!(err, CaError::InvalidInput(_)), "{subject}: {err}");
    }
    let err = issue(
        &spki,
        &Identity::new("alice@example.com", ""),
        T0,
        600,
        &[1],
    );
    assert!(matches!(err, CaError::InvalidInput(_)), "{err}");
    for serial in [&[][..], &[0, 0][..], &[0xff; 21][..]] {
        let err = issue(&spki, &email(), T0, 600, serial);
        assert!(matches!(err, CaError::InvalidInput(_)), "{serial:?}: {err}");
    }
    assert!(matches!(
        issue(&spki, &email(), T0, 0, &[1]),
        CaError::InvalidInput(_)
    ));
    assert!(matches!(
        issue(&spki, &email(), u64::MAX, 600, &[1]),
        CaError::InvalidInput(_)
    ));
    // Outside the CA's own validity.
    let err = issue(&spki, &email(), T0 + 365 * DAY, 600, &[1]);
    assert!(matches!(err, CaError::InvalidInput(_)), "{err}");
    let err = issue(&spki, &email(), T0 - 2 * DAY, 600, &[1]);
    assert!(matches!(err, CaError::InvalidInput(_)), "{err}");

    // Root creation.
    let err = CertificateAuthority::new_root(&[0; 32], "CA", T0, T0 + DAY, &[1]).unwrap_err();
    assert!(matches!(err, CaError::Key(_)), "{err}");
    let err = CertificateAuthority::new_root(&[0xff; 32], "CA", T0, T0 + DAY, &[1]).unwrap_err();
    assert!(matches!(err, CaError::Key(_)), "{err}");
    let err = CertificateAuthority::new_root(&[1; 32], "CA", T0 + DAY, T0, &[1]).unwrap_err();
    assert!(matches!(err, CaError::InvalidInput(_)), "{err}");
    let err = CertificateAuthority::new_root(&[1; 32], "", T0, T0 + DAY, &[1]).unwrap_err();
    assert!(matches!(err, CaError::InvalidInput(_)), "{err}");
    // Common names with RFC 4514 special characters need no escaping.
    let ca =
        CertificateAuthority::new_root(&[1; 32], "Stella, \"Ops\"+CA", T0, T0 + DAY, &[1]).unwrap();
    let cert = Certificate::from_der(&ca.root_der().unwrap()).unwrap();
    let cn = cert.tbs_certificate().subject().common_name().unwrap();
    assert!(
        matches!(cn, Some(x509_cert::ext::pkix::name::DirectoryString::Utf8String(ref s)) if s == "Stella, \"Ops\"+CA"),
        "{cn:?}"
    );
}

#[test]
fn malformed_input_is_an_error() {
    let ca = test_ca(7, "Stella Ops Test CA");
    let pem = issue(&ca, &email());
    for leaf in [
        "",
        "garbage",
        "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
        "-----BEGIN CERTIFICATE-----\nMIIB\n",
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    ] {
        let err = verify_signing_cert(leaf, &[ca.root_pem()], T0 + 1, None).unwrap_err();
        assert!(matches!(err, CaError::Malformed { .. }), "{leaf:?}: {err}");
    }
    // Two certificates where one is expected.
    let two = format!("{pem}{pem}");
    let err = verify_signing_cert(&two, &[ca.root_pem()], T0 + 1, None).unwrap_err();
    assert!(matches!(err, CaError::Malformed { .. }), "{err}");
    let err = verify_signing_cert(&pem, &["nope"], T0 + 1, None).unwrap_err();
    assert!(matches!(err, CaError::Malformed { .. }), "{err}");
    // Truncated DER, trailing bytes.
    let der = pem_to_der(&pem);
    for bad in [&der[..der.len() - 1], &[der.as_slice(), &[0]].concat()[..]] {
        let err = verify_signing_cert_der(bad, &[], &[&ca.root_der().unwrap()], T0 + 1, None)
            .unwrap_err();
        assert!(matches!(err, CaError::Malformed { .. }), "{err}");
    }
    // Surrounding text and CRLF line endings are fine.
    let crlf = format!("subject=\r\n{}", pem.replace('\n', "\r\n"));
    verify_signing_cert(&crlf, &[ca.root_pem()], T0 + 1, None).unwrap();
}

#[test]
fn leaf_usage_and_extension_checks() {
    let ca = test_ca(7, "Stella Ops Test CA");
    let roots = [ca.root_pem()];
    // The hand-built baseline verifies.
    let ok = custom_leaf(&ca, leaf_extensions(&ca, &[], vec![]));
    let v = verify_signing_cert(&ok, &roots, T0 + 1, None).unwrap();
    assert_eq!(v.identity, email());

    let no_eku = custom_leaf(&ca, leaf_extensions(&ca, &[EXT_EXT_KEY_USAGE], vec![]));
    let err = verify_signing_cert(&no_eku, &roots, T0 + 1, None).unwrap_err();
    assert!(matches!(err, CaError::MissingCodeSigning(_)), "{err}");

    let server_auth = extension(
        EXT_EXT_KEY_USAGE,
        false,
        &ExtendedKeyUsage(vec![der::asn1::ObjectIdentifier::new_unwrap(
            "1.3.6.1.5.5.7.3.1",
        )]),
    )
    .unwrap();
    let tls = custom_leaf(
        &ca,
        leaf_extensions(&ca, &[EXT_EXT_KEY_USAGE], vec![server_auth]),
    );
    let err = verify_signing_cert(&tls, &roots, T0 + 1, None).unwrap_err();
    assert!(matches!(err, CaError::MissingCodeSigning(_)), "{err}");
    assert!(err.to_string().contains("1.3.6.1.5.5.7.3.1"), "{err}");

    let no_ku = custom_leaf(&ca, leaf_extensions(&ca, &[EXT_KEY_USAGE], vec![]));
    let err = verify_signing_cert(&no_ku, &roots, T0 + 1, None).unwrap_err();
    assert!(matches!(err, CaError::KeyUsage(_)), "{err}");

    let encipher = extension(
        EXT_KEY_USAGE,
        true,
        &KeyUsage(KeyUsages::KeyEncipherment.into()),
    )
    .unwrap();
    let wrong_ku = custom_leaf(&ca, leaf_extensions(&ca, &[EXT_KEY_USAGE], vec![encipher]));
    let err = verify_signing_cert(&wrong_ku, &roots, T0 + 1, None).unwrap_err();
    assert!(matches!(err, CaError::KeyUsage(_)), "{err}");

    let unknown_critical = Extension {
        extn_id: der::asn1::ObjectIdentifier::new_unwrap("1.3.6.1.4.1.99999.1"),
        critical: true,
        extn_value: octets(&[0x05, 0x00]).unwrap(),
    };
    let critical = custom_leaf(&ca, leaf_extensions(&ca, &[], vec![unknown_critical]));
    let err = verify_signing_cert(&critical, &roots, T0 + 1, None).unwrap_err();
    assert!(
        matches!(err, CaError::UnhandledCriticalExtension { ref oid, .. } if oid == "1.3.6.1.4.1.99999.1"),
        "{err}"
    );

    let ca_true = extension(
        EXT_BASIC_CONSTRAINTS,
        true,
        &BasicConstraints {
            ca: true,
            path_len_constraint: None,
        },
    )
    .unwrap();
    let ca_leaf = custom_leaf(&ca, leaf_extensions(&ca, &[], vec![ca_true]));
    let err = verify_signing_cert(&ca_leaf, &roots, T0 + 1, None).unwrap_err();
    assert!(matches!(err, CaError::Path(_)), "{err}");

    let no_san = custom_leaf(&ca, leaf_extensions(&ca, &[EXT_SAN], vec![]));
    let err = verify_signing_cert(&no_san, &roots, T0 + 1, None).unwrap_err();
    assert!(matches!(err, CaError::MissingIdentity(_)), "{err}");

    let no_issuer = custom_leaf(&ca, leaf_extensions(&ca, &[OID_FULCIO_ISSUER_V2], vec![]));
    let err = verify_signing_cert(&no_issuer, &roots, T0 + 1, None).unwrap_err();
    assert!(matches!(err, CaError::MissingIdentity(_)), "{err}");

    // Only the deprecated raw issuer extension: still read.
    let v1 = Extension {
        extn_id: OID_FULCIO_ISSUER,
        critical: false,
        extn_value: octets(b"https://issuer.example").unwrap(),
    };
    let v1_only = custom_leaf(&ca, leaf_extensions(&ca, &[OID_FULCIO_ISSUER_V2], vec![v1]));
    let v = verify_signing_cert(&v1_only, &roots, T0 + 1, None).unwrap();
    assert_eq!(v.identity.issuer, "https://issuer.example");

    // Both, disagreeing.
    let v1 = Extension {
        extn_id: OID_FULCIO_ISSUER,
        critical: false,
        extn_value: octets(b"https://issuer.example").unwrap(),
    };
    let both = custom_leaf(&ca, leaf_extensions(&ca, &[], vec![v1]));
    let err = verify_signing_cert(&both, &roots, T0 + 1, None).unwrap_err();
    assert!(matches!(err, CaError::Malformed { .. }), "{err}");

    // Two identities in the SAN are ambiguous.
    let two = SubjectAltName(vec![
        x509_cert::ext::pkix::name::GeneralName::Rfc822Name(
            der::asn1::Ia5String::new("alice@example.com").unwrap(),
        ),
        x509_cert::ext::pkix::name::GeneralName::Rfc822Name(
            der::asn1::Ia5String::new("bob@example.com").unwrap(),
        ),
    ]);
    let two_san = custom_leaf(
        &ca,
        leaf_extensions(
            &ca,
            &[EXT_SAN],
            vec![extension(EXT_SAN, true, &two).unwrap()],
        ),
    );
    let err = verify_signing_cert(&two_san, &roots, T0 + 1, None).unwrap_err();
    assert!(matches!(err, CaError::MissingIdentity(_)), "{err}");

    // Duplicate extension.
    let dup = leaf_extensions(&ca, &[], vec![]);
    let first = dup[0].clone();
    let dup_leaf = custom_leaf(&ca, [dup, vec![first]].concat());
    let err = verify_signing_cert(&dup_leaf, &roots, T0 + 1, None).unwrap_err();
    assert!(matches!(err, CaError::Malformed { .. }), "{err}");
}

/// An intermediate CA under `root`: CA:TRUE with the given path length, KeyUsage `usage`,
/// EKU codeSigning, key identifiers.
fn intermediate_with(
    root: &CertificateAuthority,
    seed: u8,
    cn: &str,
    path_len: Option<u8>,
    usage: FlagSet<KeyUsages>,
) -> CertificateAuthority {
    let key = p256::ecdsa::SigningKey::from_slice(&[seed; 32]).unwrap();
    let spki = SubjectPublicKeyInfoOwned::from_key(key.verifying_key()).unwrap();
    let key_id = key_identifier(spki.owned_to_ref()).unwrap();
    let extensions = vec![
        extension(
            EXT_BASIC_CONSTRAINTS,
            true,
            &BasicConstraints {
                ca: true,
                path_len_constraint: path_len,
            },
        )
        .unwrap(),
        extension(EXT_KEY_USAGE, true, &KeyUsage(usage)).unwrap(),
        extension(
            EXT_EXT_KEY_USAGE,
            false,
            &ExtendedKeyUsage(vec![OID_KP_CODE_SIGNING]),
        )
        .unwrap(),
        extension(
            EXT_SKI,
            false,
            &SubjectKeyIdentifier(octets(&key_id).unwrap()),
        )
        .unwrap(),
        extension(EXT_AKI, false, &authority_key_id(root.key_id()).unwrap()).unwrap(),
    ];
    let cert = root
        .issue_raw(
            common_name_dn(cn).unwrap(),
            spki,
            extensions,
            T0 - DAY,
            T0 + 30 * DAY,
            &[0x10, seed],
        )
        .unwrap();
    let key_pem = pkcs8::EncodePrivateKey::to_pkcs8_pem(&key, LineEnding::LF).unwrap();
    CertificateAuthority::from_pem(&cert.to_pem(LineEnding::LF).unwrap(), &key_pem).unwrap()
}

fn intermediate(root: &CertificateAuthority, seed: u8, cn: &str) -> CertificateAuthority {
    intermediate_with(
        root,
        seed,
        cn,
        Some(0),
        KeyUsages::KeyCertSign | KeyUsages::CRLSign,
    )
}

#[test]
fn chain_through_an_intermediate() {
    let root = test_ca(7, "Stella Root");
    let inter = intermediate(&root, 11, "Stella Intermediate");
    let id = Identity::new(WORKFLOW, GITHUB);
    let leaf = issue(&inter, &id);
    let v = verify_signing_cert_chain(
        &leaf,
        &[inter.root_pem()],
        &[root.root_pem()],
        T0 + 5,
        Some(&id),
    )
    .unwrap();
    assert_eq!(v.identity, id);
    // Unrelated extra intermediates do not matter.
    let stray = intermediate(&test_ca(8, "Other Root"), 12, "Stray");
    verify_signing_cert_chain(
        &leaf,
        &[stray.root_pem(), inter.root_pem()],
        &[root.root_pem()],
        T0 + 5,
        Some(&id),
    )
    .unwrap();

    // Without the intermediate the issuer is unknown.
    let err = verify_signing_cert(&leaf, &[root.root_pem()], T0 + 5, None).unwrap_err();
    assert!(matches!(err, CaError::UnknownIssuer { .. }), "{err}");

    // An intermediate that does not chain to a trusted root.
    let other = test_ca(8, "Other Root");
    let err = verify_signing_cert_chain(
        &leaf,
        &[inter.root_pem()],
        &[other.root_pem()],
        T0 + 5,
        None,
    )
    .unwrap_err();
    assert!(
        matches!(err, CaError::UnknownIssuer { ref cert, .. } if cert.contains("Stella Intermediate")),
        "{err}"
    );

    // The same intermediate key certified by an impostor root named like the real one: its
    // authority key identifier names the impostor, so the real root is not its issuer.
    let impostor = test_ca(9, "Stella Root");
    let forged = intermediate(&impostor, 11, "Stella Intermediate");
    let err = verify_signing_cert_chain(
        &leaf,
        &[forged.root_pem()],
        &[root.root_pem()],
        T0 + 5,
        None,
    )
    .unwrap_err();
    assert!(matches!(err, CaError::UnknownIssuer { .. }), "{err}");

    // A root passed as an intermediate is refused.
    let err = verify_signing_cert_chain(
        &leaf,
        &[inter.root_pem(), root.root_pem()],
        &[root.root_pem()],
        T0 + 5,
        None,
    )
    .unwrap_err();
    assert!(matches!(err, CaError::Path(_)), "{err}");

    // The intermediate's validity bounds what it can issue (it ends at T0 + 30 days).
    let late = inter
        .issue_signing_cert(&p256_spki(9), &id, T0 + 30 * DAY - 100, 600, &[1])
        .unwrap_err();
    assert!(matches!(late, CaError::InvalidInput(_)), "{late}");
}

#[test]
fn chain_time_checks_every_certificate() {
    let root = CertificateAuthority::new_root(&[7; 32], "Short Root", T0, T0 + 1000, &[1]).unwrap();
    let leaf = issue(&root, &email());
    // Leaf valid T0..T0+600, root T0..T0+1000: a time inside both passes.
    verify_signing_cert(&leaf, &[root.root_pem()], T0 + 600, None).unwrap();
    // The leaf is checked first, so its expiry is what is reported.
    let err = verify_signing_cert(&leaf, &[root.root_pem()], T0 + 1001, None).unwrap_err();
    assert!(
        matches!(err, CaError::Expired { ref cert, .. } if cert == "leaf certificate"),
        "{err}"
    );
}

#[test]
fn issuer_constraints() {
    let root = test_ca(7, "Stella Root");
    let id = Identity::new(WORKFLOW, GITHUB);

    // A trusted CA with pathlen 0 cannot have an intermediate CA below it.
    let pathlen0 = intermediate(&root, 13, "Pathlen0 CA");
    let sub = intermediate_with(&pathlen0, 14, "Sub CA", None, KeyUsages::KeyCertSign.into());
    let leaf = issue(&sub, &id);
    let err = verify_signing_cert_chain(
        &leaf,
        &[sub.root_pem()],
        &[pathlen0.root_pem()],
        T0 + 5,
        None,
    )
    .unwrap_err();
    assert!(
        matches!(err, CaError::Path(ref m) if m.contains("allows 0")),
        "{err}"
    );
    // Trusting `sub` directly is fine.
    verify_signing_cert(&leaf, &[sub.root_pem()], T0 + 5, Some(&id)).unwrap();

    // An issuer whose KeyUsage lacks keyCertSign.
    let no_cert_sign = intermediate_with(
        &root,
        15,
        "Signing-only CA",
        None,
        KeyUsages::DigitalSignature.into(),
    );
    let leaf = issue(&no_cert_sign, &id);
    let err = verify_signing_cert_chain(
        &leaf,
        &[no_cert_sign.root_pem()],
        &[root.root_pem()],
        T0 + 5,
        None,
    )
    .unwrap_err();
    assert!(
        matches!(err, CaError::Path(ref m) if m.contains("keyCertSign")),
        "{err}"
    );

    // A certificate without BasicConstraints CA:TRUE cannot be loaded as a CA.
    let key = p256::ecdsa::SigningKey::from_slice(&[21; 32]).unwrap();
    let spki = SubjectPublicKeyInfoOwned::from_key(key.verifying_key()).unwrap();
    let not_ca = root
        .issue_raw(
            common_name_dn("Not a CA").unwrap(),
            spki,
            vec![],
            T0 - DAY,
            T0 + DAY,
            &[5],
        )
        .unwrap()
        .to_pem(LineEnding::LF)
        .unwrap();
    let err = CertificateAuthority::from_pem(
        &not_ca,
        &pkcs8::EncodePrivateKey::to_pkcs8_pem(&key, LineEnding::LF).unwrap(),
    )
    .unwrap_err();
    assert!(matches!(err, CaError::InvalidInput(_)), "{err}");
}

#[test]
fn ed25519_issuer() {
    use x509_cert::builder::{Builder, CertificateBuilder};
    use x509_cert::{serial_number::SerialNumber, time::Validity};

    let root_key = ed25519_dalek::SigningKey::from_bytes(&[31; 32]);
    let root_spki = SubjectPublicKeyInfoOwned::from_key(&root_key.verifying_key()).unwrap();
    let root_id = key_identifier(root_spki.owned_to_ref()).unwrap();
    let root_name = common_name_dn("Ed25519 Root").unwrap();
    let validity = |from, to| Validity::new(unix_time(from).unwrap(), unix_time(to).unwrap());
    let root = CertificateBuilder::new(
        FixedProfile {
            issuer: root_name.clone(),
            subject: root_name.clone(),
            extensions: vec![
                extension(
                    EXT_BASIC_CONSTRAINTS,
                    true,
                    &BasicConstraints {
                        ca: true,
                        path_len_constraint: None,
                    },
                )
                .unwrap(),
                extension(
                    EXT_SKI,
                    false,
                    &SubjectKeyIdentifier(octets(&root_id).unwrap()),
                )
                .unwrap(),
            ],
        },
        SerialNumber::new(&[1]).unwrap(),
        validity(T0 - DAY, T0 + DAY),
        root_spki,
    )
    .unwrap()
    .build::<_, ed25519_dalek::Signature>(&root_key)
    .unwrap();
    let leaf = CertificateBuilder::new(
        FixedProfile {
            issuer: root_name,
            subject: Name::default(),
            extensions: leaf_extensions_with_aki(&root_id, &[], vec![]),
        },
        SerialNumber::new(&[2]).unwrap(),
        validity(T0, T0 + 600),
        SubjectPublicKeyInfoOwned::from_der(&p256_spki(9)).unwrap(),
    )
    .unwrap()
    .build::<_, ed25519_dalek::Signature>(&root_key)
    .unwrap();
    let (root_der, leaf_der) = (root.to_der().unwrap(), leaf.to_der().unwrap());
    let v = verify_signing_cert_der(&leaf_der, &[], &[&root_der], T0 + 1, Some(&email())).unwrap();
    assert_eq!(v.identity, email());
    let mut tampered = leaf_der.clone();
    *tampered.last_mut().unwrap() ^= 1;
    let err = verify_signing_cert_der(&tampered, &[], &[&root_der], T0 + 1, None).unwrap_err();
    assert!(matches!(err, CaError::BadSignature { .. }), "{err}");
}
