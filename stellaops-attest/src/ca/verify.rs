//! Verification of Fulcio-style signing certificates against trusted roots.

use std::collections::BTreeSet;

use der::{
    asn1::{AnyRef, BitStringRef, ObjectIdentifier, Utf8StringRef},
    Decode, Encode, Sequence, Tagged,
};
use p256::ecdsa::signature::hazmat::PrehashVerifier;
use sha2::{Digest, Sha256, Sha384, Sha512};
use spki::DecodePublicKey;
use x509_cert::{
    certificate::Version,
    ext::pkix::{
        name::GeneralName, AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage,
        SubjectAltName, SubjectKeyIdentifier,
    },
    Certificate,
};

use super::{
    malformed, pem_certificates, CaError, Identity, Result, VerifiedCert, EXT_AKI,
    EXT_BASIC_CONSTRAINTS, EXT_EXT_KEY_USAGE, EXT_KEY_USAGE, EXT_SAN, EXT_SKI, OID_ANY_EKU,
    OID_EC_PUBLIC_KEY, OID_ED25519, OID_FULCIO_ISSUER, OID_FULCIO_ISSUER_V2, OID_FULCIO_USERNAME,
    OID_KP_CODE_SIGNING, OID_P256, OID_P384,
};

const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_WITH_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");
const ECDSA_WITH_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4");

/// Critical extensions this verifier processes (anything else critical is rejected).
const HANDLED_CRITICAL: [ObjectIdentifier; 6] = [
    EXT_BASIC_CONSTRAINTS,
    EXT_KEY_USAGE,
    EXT_EXT_KEY_USAGE,
    EXT_SKI,
    EXT_AKI,
    EXT_SAN,
];

/// Verifies a signing certificate issued directly by one of the trusted `roots`.
///
/// Equivalent to [`verify_signing_cert_chain`] without intermediates. `leaf_pem` must hold
/// exactly one certificate; each entry of `roots` may hold one or more PEM certificates.
/// `signing_time` (Unix seconds) is the time the signature was made, as proven by the
/// transparency log entry (`integratedTime`) or a timestamp authority — not "now": Fulcio
/// certificates live ten minutes.
pub fn verify_signing_cert(
    leaf_pem: &str,
    roots: &[&str],
    signing_time: u64,
    expected: Option<&Identity>,
) -> Result<VerifiedCert> {
    verify_signing_cert_chain(leaf_pem, &[], roots, signing_time, expected)
}

/// Verifies a signing certificate issued by one of the trusted `roots`, directly or through
/// one of the `intermediates` (paths of at most three certificates: leaf → intermediate →
/// root, as Sigstore's public Fulcio issues).
///
/// Checks, in order:
/// 1. decoding (PEM, strict DER); intermediates must not be self-issued (a root passed as an
///    intermediate would make the chain trust itself);
/// 2. the path: issuer name (and authority/subject key identifiers when both present) and
///    the issuer's signature over the exact TBS bytes — ECDSA P-256/P-384 with
///    SHA-256/384/512, or Ed25519 → [`CaError::UnknownIssuer`] / [`CaError::BadSignature`];
/// 3. `signing_time` within `[notBefore, notAfter]` (inclusive) of every certificate of the
///    path → [`CaError::NotYetValid`] / [`CaError::Expired`];
/// 4. issuers are CAs (BasicConstraints `CA:TRUE`, path length, KeyUsage `keyCertSign` and
///    ExtendedKeyUsage `codeSigning` when present) → [`CaError::Path`];
/// 5. the leaf: X.509 v3, not a CA, KeyUsage `digitalSignature` → [`CaError::KeyUsage`],
///    ExtendedKeyUsage `codeSigning` → [`CaError::MissingCodeSigning`], no unhandled critical
///    extension → [`CaError::UnhandledCriticalExtension`];
/// 6. the identity: exactly one e-mail / URI / Fulcio-username SAN and the OIDC issuer from
///    extension `1.3.6.1.4.1.57264.1.8` (else the deprecated `.1.1`) →
///    [`CaError::MissingIdentity`]; compared exactly with `expected` when given →
///    [`CaError::IdentityMismatch`].
pub fn verify_signing_cert_chain(
    leaf_pem: &str,
    intermediates: &[&str],
    roots: &[&str],
    signing_time: u64,
    expected: Option<&Identity>,
) -> Result<VerifiedCert> {
    let leaf_ders = pem_certificates(leaf_pem, "leaf certificate")?;
    let [leaf] = leaf_ders.as_slice() else {
        return Err(malformed(
            "leaf certificate PEM",
            format!(
                "expected exactly one certificate, found {} (pass the chain as intermediates)",
                leaf_ders.len()
            ),
        ));
    };
    let mut inter_ders = Vec::new();
    for pem in intermediates {
        inter_ders.extend(pem_certificates(pem, "intermediate certificate")?);
    }
    let mut root_ders = Vec::new();
    for pem in roots {
        root_ders.extend(pem_certificates(pem, "root certificate")?);
    }
    let inter_refs: Vec<&[u8]> = inter_ders.iter().map(Vec::as_slice).collect();
    let root_refs: Vec<&[u8]> = root_ders.iter().map(Vec::as_slice).collect();
    verify_signing_cert_der(leaf, &inter_refs, &root_refs, signing_time, expected)
}

/// [`verify_signing_cert_chain`] on DER certificates (as found base64-encoded in Sigstore
/// bundles and `trusted_root.json`).
pub fn verify_signing_cert_der(
    leaf_der: &[u8],
    intermediates_der: &[&[u8]],
    roots_der: &[&[u8]],
    signing_time: u64,
    expected: Option<&Identity>,
) -> Result<VerifiedCert> {
    if roots_der.is_empty() {
        return Err(CaError::InvalidInput("no trusted root certificates".into()));
    }
    let leaf = Parsed::new(leaf_der, "leaf certificate")?;
    let intermediates = intermediates_der
        .iter()
        .map(|der| Parsed::new(der, "intermediate certificate"))
        .collect::<Result<Vec<_>>>()?;
    let roots = roots_der
        .iter()
        .map(|der| Parsed::new(der, "root certificate"))
        .collect::<Result<Vec<_>>>()?;
    for inter in &intermediates {
        let tbs = inter.cert.tbs_certificate();
        if tbs.subject() == tbs.issuer() {
            return Err(CaError::Path(format!(
                "{} is self-issued: a root may only be passed as a trusted root",
                inter.label
            )));
        }
    }

    // Every path whose signatures verify; the first that also passes the time and CA
    // checks wins, otherwise the first path's error is reported.
    let paths = candidate_paths(&leaf, &intermediates, &roots)?;
    let mut first_error = None;
    let accepted = paths
        .iter()
        .any(|path| match check_path(path, signing_time) {
            Ok(()) => true,
            Err(e) => {
                first_error.get_or_insert(e);
                false
            }
        });
    if !accepted {
        return Err(first_error.unwrap_or_else(|| unknown_issuer(&leaf)));
    }

    check_leaf(&leaf)?;
    let identity = leaf_identity(&leaf)?;
    if let Some(expected) = expected {
        if expected != &identity {
            return Err(CaError::IdentityMismatch {
                expected: expected.clone(),
                found: identity,
            });
        }
    }
    let tbs = leaf.cert.tbs_certificate();
    let public_key_spki_der = tbs
        .subject_public_key_info()
        .to_der()
        .map_err(|e| malformed("leaf public key", e))?;
    let (not_before, not_after) = leaf.validity();
    Ok(VerifiedCert {
        identity,
        public_key_spki_der,
        not_before,
        not_after,
    })
}

/// The outer structure of a certificate with the TBS kept as raw bytes: the signature is
/// over those exact bytes, which re-encoding a parsed TBS need not reproduce.
#[derive(Sequence)]
struct RawCertificate<'a> {
    tbs: AnyRef<'a>,
    signature_algorithm: AnyRef<'a>,
    signature: BitStringRef<'a>,
}

/// A decoded certificate, its raw TBS bytes and a label for error messages.
struct Parsed {
    cert: Certificate,
    tbs_der: Vec<u8>,
    label: String,
}

impl Parsed {
    fn new(der: &[u8], role: &str) -> Result<Self> {
        let cert = Certificate::from_der(der).map_err(|e| malformed(format!("{role} DER"), e))?;
        let raw = RawCertificate::from_der(der).map_err(|e| malformed(format!("{role} DER"), e))?;
        let tbs_der = raw
            .tbs
            .to_der()
            .map_err(|e| malformed(format!("{role} DER"), e))?;
        let subject = cert.tbs_certificate().subject();
        let label = if subject.is_empty() {
            role.to_string()
        } else {
            format!("{role} \"{subject}\"")
        };
        Ok(Self {
            cert,
            tbs_der,
            label,
        })
    }

    /// `(notBefore, notAfter)` in Unix seconds.
    fn validity(&self) -> (u64, u64) {
        let v = self.cert.tbs_certificate().validity();
        (
            v.not_before.to_unix_duration().as_secs(),
            v.not_after.to_unix_duration().as_secs(),
        )
    }

    fn extension<'a, T>(&'a self) -> Result<Option<(bool, T)>>
    where
        T: Decode<'a, Error = der::Error> + der::oid::AssociatedOid,
    {
        self.cert
            .tbs_certificate()
            .get_extension::<T>()
            .map_err(|e| malformed(format!("extension {} of {}", T::OID, self.label), e))
    }

    fn authority_key_id(&self) -> Option<Vec<u8>> {
        match self.extension::<AuthorityKeyIdentifier>() {
            Ok(Some((_, aki))) => aki.key_identifier.map(|k| k.as_bytes().to_vec()),
            _ => None,
        }
    }

    fn subject_key_id(&self) -> Option<Vec<u8>> {
        match self.extension::<SubjectKeyIdentifier>() {
            Ok(Some((_, ski))) => Some(ski.0.as_bytes().to_vec()),
            _ => None,
        }
    }
}

/// Whether `parent` is a plausible issuer of `child`: names match and, when both key
/// identifiers are present, they match too (distinguishes same-named CAs, e.g. Sigstore's
/// production and staging intermediates are both `O=sigstore.dev, CN=sigstore-intermediate`).
fn may_have_issued(child: &Parsed, parent: &Parsed) -> bool {
    child.cert.tbs_certificate().issuer() == parent.cert.tbs_certificate().subject()
        && match (child.authority_key_id(), parent.subject_key_id()) {
            (Some(aki), Some(ski)) => aki == ski,
            _ => true,
        }
}

/// All paths leaf → root and leaf → intermediate → root whose signatures verify.
fn candidate_paths<'a>(
    leaf: &'a Parsed,
    intermediates: &'a [Parsed],
    roots: &'a [Parsed],
) -> Result<Vec<Vec<&'a Parsed>>> {
    let mut paths = Vec::new();
    let mut signature_error = None;
    let mut unknown_error = None;
    for root in roots.iter().filter(|r| may_have_issued(leaf, r)) {
        match verify_issued_by(leaf, root) {
            Ok(()) => paths.push(vec![leaf, root]),
            Err(e) => {
                signature_error.get_or_insert(e);
            }
        }
    }
    for inter in intermediates.iter().filter(|i| may_have_issued(leaf, i)) {
        if let Err(e) = verify_issued_by(leaf, inter) {
            signature_error.get_or_insert(e);
            continue;
        }
        let mut issuer_found = false;
        for root in roots.iter().filter(|r| may_have_issued(inter, r)) {
            issuer_found = true;
            match verify_issued_by(inter, root) {
                Ok(()) => paths.push(vec![leaf, inter, root]),
                Err(e) => {
                    signature_error.get_or_insert(e);
                }
            }
        }
        if !issuer_found {
            unknown_error.get_or_insert_with(|| unknown_issuer(inter));
        }
    }
    if paths.is_empty() {
        return Err(signature_error
            .or(unknown_error)
            .unwrap_or_else(|| unknown_issuer(leaf)));
    }
    Ok(paths)
}

fn unknown_issuer(cert: &Parsed) -> CaError {
    CaError::UnknownIssuer {
        cert: cert.label.clone(),
        issuer: cert.cert.tbs_certificate().issuer().to_string(),
        authority_key_id: cert.authority_key_id().map(hex::encode),
    }
}

/// Verifies `issuer`'s signature over `child`'s TBS bytes.
fn verify_issued_by(child: &Parsed, issuer: &Parsed) -> Result<()> {
    let alg = child.cert.signature_algorithm();
    if alg != child.cert.tbs_certificate().signature() {
        return Err(malformed(
            format!("{} DER", child.label),
            "signatureAlgorithm differs from the TBS signature field",
        ));
    }
    let bad = || CaError::BadSignature {
        cert: child.label.clone(),
        issuer: issuer.cert.tbs_certificate().subject().to_string(),
    };
    let signature = child.cert.signature().as_bytes().ok_or_else(bad)?;
    let spki = issuer.cert.tbs_certificate().subject_public_key_info();
    let spki_der = spki
        .to_der()
        .map_err(|e| malformed(format!("{} public key", issuer.label), e))?;
    let unsupported = |key: &str| CaError::UnsupportedSignatureAlgorithm {
        cert: child.label.clone(),
        algorithm: format!("{} with {key} issuer key", alg.oid),
    };
    let tbs = child.tbs_der.as_slice();

    if spki.algorithm.oid == OID_ED25519 {
        if alg.oid != OID_ED25519 || alg.parameters.is_some() {
            return Err(unsupported("Ed25519"));
        }
        let key = ed25519_dalek::VerifyingKey::from_public_key_der(&spki_der)
            .map_err(|e| CaError::UnsupportedKey(format!("{}: {e}", issuer.label)))?;
        let sig = ed25519_dalek::Signature::from_slice(signature).map_err(|_| bad())?;
        return key.verify_strict(tbs, &sig).map_err(|_| bad());
    }
    if spki.algorithm.oid != OID_EC_PUBLIC_KEY {
        return Err(CaError::UnsupportedKey(format!(
            "{}: key algorithm {}",
            issuer.label, spki.algorithm.oid
        )));
    }
    // RFC 5758: ecdsa-with-SHA* identifiers have absent parameters (tolerate NULL).
    if alg
        .parameters
        .as_ref()
        .is_some_and(|p| p.tag() != der::Tag::Null)
    {
        return Err(unsupported("ECDSA"));
    }
    let digest: Vec<u8> = if alg.oid == ECDSA_WITH_SHA256 {
        Sha256::digest(tbs).to_vec()
    } else if alg.oid == ECDSA_WITH_SHA384 {
        Sha384::digest(tbs).to_vec()
    } else if alg.oid == ECDSA_WITH_SHA512 {
        Sha512::digest(tbs).to_vec()
    } else {
        return Err(unsupported("ECDSA"));
    };
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
    match curve {
        Some(c) if c == OID_P256 => {
            let key = p256::ecdsa::VerifyingKey::from_public_key_der(&spki_der)
                .map_err(|e| CaError::UnsupportedKey(format!("{}: {e}", issuer.label)))?;
            let sig = p256::ecdsa::Signature::from_der(signature).map_err(|_| bad())?;
            key.verify_prehash(&digest, &sig).map_err(|_| bad())
        }
        Some(c) if c == OID_P384 => {
            let key = p384::ecdsa::VerifyingKey::from_public_key_der(&spki_der)
                .map_err(|e| CaError::UnsupportedKey(format!("{}: {e}", issuer.label)))?;
            let sig = p384::ecdsa::Signature::from_der(signature).map_err(|_| bad())?;
            key.verify_prehash(&digest, &sig).map_err(|_| bad())
        }
        Some(c) => Err(CaError::UnsupportedKey(format!(
            "{}: EC curve {c} (supported: P-256, P-384)",
            issuer.label
        ))),
        None => Err(CaError::UnsupportedKey(format!(
            "{}: EC key without a named curve",
            issuer.label
        ))),
    }
}

/// Validity at `signing_time` of every certificate, then CA constraints of the issuers.
fn check_path(path: &[&Parsed], signing_time: u64) -> Result<()> {
    for cert in path {
        check_time(cert, signing_time)?;
    }
    // path[0] is the leaf; path[k] (k >= 1) has k - 1 intermediate CAs below it.
    for (k, cert) in path.iter().enumerate().skip(1) {
        check_ca(cert, k - 1)?;
    }
    Ok(())
}

fn check_time(cert: &Parsed, signing_time: u64) -> Result<()> {
    let (not_before, not_after) = cert.validity();
    if signing_time < not_before {
        return Err(CaError::NotYetValid {
            cert: cert.label.clone(),
            signing_time,
            not_before,
            not_after,
        });
    }
    if signing_time > not_after {
        return Err(CaError::Expired {
            cert: cert.label.clone(),
            signing_time,
            not_before,
            not_after,
        });
    }
    Ok(())
}

/// Rejects duplicate extensions and critical extensions this verifier does not process.
fn check_extensions(cert: &Parsed) -> Result<()> {
    let extensions = cert
        .cert
        .tbs_certificate()
        .extensions()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let mut seen = BTreeSet::new();
    for ext in extensions {
        if !seen.insert(&ext.extn_id) {
            return Err(malformed(
                format!("{} DER", cert.label),
                format!("extension {} appears more than once", ext.extn_id),
            ));
        }
        if ext.critical && !HANDLED_CRITICAL.contains(&ext.extn_id) {
            return Err(CaError::UnhandledCriticalExtension {
                cert: cert.label.clone(),
                oid: ext.extn_id.to_string(),
            });
        }
    }
    Ok(())
}

/// An issuer with `cas_below` intermediate CA certificates between it and the leaf.
fn check_ca(cert: &Parsed, cas_below: usize) -> Result<()> {
    check_extensions(cert)?;
    match cert.extension::<BasicConstraints>()? {
        Some((_, bc)) if bc.ca => {
            if let Some(max) = bc.path_len_constraint {
                if cas_below > usize::from(max) {
                    return Err(CaError::Path(format!(
                        "{} allows {max} intermediate CA(s) below it, the path has {cas_below}",
                        cert.label
                    )));
                }
            }
        }
        _ => {
            return Err(CaError::Path(format!(
                "{} issued a certificate but is not a CA (BasicConstraints CA:TRUE missing)",
                cert.label
            )))
        }
    }
    if let Some((_, ku)) = cert.extension::<KeyUsage>()? {
        if !ku.key_cert_sign() {
            return Err(CaError::Path(format!(
                "{} key usage does not include keyCertSign",
                cert.label
            )));
        }
    }
    if let Some((_, eku)) = cert.extension::<ExtendedKeyUsage>()? {
        if !eku
            .0
            .iter()
            .any(|oid| *oid == OID_KP_CODE_SIGNING || *oid == OID_ANY_EKU)
        {
            return Err(CaError::Path(format!(
                "{} extended key usage does not allow codeSigning",
                cert.label
            )));
        }
    }
    Ok(())
}

fn check_leaf(leaf: &Parsed) -> Result<()> {
    if leaf.cert.tbs_certificate().version() != Version::V3 {
        return Err(malformed(
            "leaf certificate DER",
            "not an X.509 v3 certificate",
        ));
    }
    check_extensions(leaf)?;
    if let Some((_, bc)) = leaf.extension::<BasicConstraints>()? {
        if bc.ca {
            return Err(CaError::Path(
                "the signing certificate is a CA certificate (BasicConstraints CA:TRUE)".into(),
            ));
        }
    }
    match leaf.extension::<KeyUsage>()? {
        Some((_, ku)) if ku.digital_signature() => {}
        Some(_) => return Err(CaError::KeyUsage("digitalSignature not set".into())),
        None => return Err(CaError::KeyUsage("KeyUsage extension missing".into())),
    }
    match leaf.extension::<ExtendedKeyUsage>()? {
        Some((_, eku)) if eku.0.contains(&OID_KP_CODE_SIGNING) => Ok(()),
        Some((_, eku)) => Err(CaError::MissingCodeSigning(format!(
            " (has {})",
            eku.0
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ))),
        None => Err(CaError::MissingCodeSigning(
            " (no ExtendedKeyUsage extension)".into(),
        )),
    }
}

/// The identity: the single e-mail / URI / Fulcio-username SAN and the OIDC issuer.
fn leaf_identity(leaf: &Parsed) -> Result<Identity> {
    let Some((_, san)) = leaf.extension::<SubjectAltName>()? else {
        return Err(CaError::MissingIdentity(
            "no Subject Alternative Name extension".into(),
        ));
    };
    let mut subjects = Vec::new();
    for name in &san.0 {
        match name {
            GeneralName::Rfc822Name(s) | GeneralName::UniformResourceIdentifier(s) => {
                subjects.push(s.to_string());
            }
            GeneralName::OtherName(other) if other.type_id == OID_FULCIO_USERNAME => {
                let username = other
                    .value
                    .decode_as::<Utf8StringRef<'_>>()
                    .map_err(|e| malformed("Fulcio username SAN", e))?;
                subjects.push(username.as_str().to_string());
            }
            _ => {}
        }
    }
    let subject = match subjects.as_slice() {
        [one] => one.clone(),
        _ => {
            return Err(CaError::MissingIdentity(format!(
                "expected exactly one e-mail, URI or username Subject Alternative Name, found {}",
                subjects.len()
            )))
        }
    };

    let mut issuer_v1 = None;
    let mut issuer_v2 = None;
    for ext in leaf
        .cert
        .tbs_certificate()
        .extensions()
        .map(Vec::as_slice)
        .unwrap_or(&[])
    {
        if ext.extn_id == OID_FULCIO_ISSUER_V2 {
            let s = Utf8StringRef::from_der(ext.extn_value.as_bytes())
                .map_err(|e| malformed("Fulcio issuer extension 1.3.6.1.4.1.57264.1.8", e))?;
            issuer_v2 = Some(s.as_str().to_string());
        } else if ext.extn_id == OID_FULCIO_ISSUER {
            let s = core::str::from_utf8(ext.extn_value.as_bytes())
                .map_err(|e| malformed("Fulcio issuer extension 1.3.6.1.4.1.57264.1.1", e))?;
            issuer_v1 = Some(s.to_string());
        }
    }
    let issuer = match (issuer_v2, issuer_v1) {
        (Some(v2), Some(v1)) if v2 != v1 => {
            return Err(malformed(
                "Fulcio issuer extensions",
                format!("1.3.6.1.4.1.57264.1.8 says {v2:?} but 1.3.6.1.4.1.57264.1.1 says {v1:?}"),
            ))
        }
        (Some(issuer), _) | (None, Some(issuer)) => issuer,
        (None, None) => {
            return Err(CaError::MissingIdentity(
                "no OIDC issuer extension (1.3.6.1.4.1.57264.1.8 or 1.3.6.1.4.1.57264.1.1)".into(),
            ))
        }
    };
    Ok(Identity { subject, issuer })
}
