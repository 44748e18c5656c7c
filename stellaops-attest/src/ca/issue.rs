//! The certificate authority: root creation, key import/export and leaf issuance.

use core::fmt;

use der::{
    asn1::{Any, Ia5String, OctetString, SetOfVec, Utf8StringRef},
    pem::LineEnding,
    referenced::OwnedToRef,
    Decode, Encode, EncodePem, Tag,
};
use p256::ecdsa::{DerSignature, SigningKey};
use p256::elliptic_curve::zeroize::Zeroizing;
use pkcs8::{DecodePrivateKey, EncodePrivateKey};
use spki::{DecodePublicKey, SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};
use x509_cert::{
    attr::AttributeTypeAndValue,
    builder::{profile::BuilderProfile, Builder, CertificateBuilder},
    certificate::TbsCertificate,
    ext::{
        pkix::{
            name::GeneralName, AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage,
            KeyUsage, KeyUsages, SubjectAltName, SubjectKeyIdentifier,
        },
        Extension,
    },
    name::Name,
    serial_number::SerialNumber,
    time::{Time, Validity},
    Certificate,
};

use super::{
    malformed, pem_certificates, CaError, Identity, Result, EXT_AKI, EXT_BASIC_CONSTRAINTS,
    EXT_EXT_KEY_USAGE, EXT_KEY_USAGE, EXT_SAN, EXT_SKI, OID_EC_PUBLIC_KEY, OID_ED25519,
    OID_FULCIO_ISSUER, OID_FULCIO_ISSUER_V2, OID_KP_CODE_SIGNING, OID_P256, OID_P384,
};

/// `id-at-commonName`.
const OID_COMMON_NAME: der::asn1::ObjectIdentifier =
    der::asn1::ObjectIdentifier::new_unwrap("2.5.4.3");

/// An ECDSA P-256 certificate authority: a signing key and its (normally self-signed root)
/// certificate. Issues short-lived, Fulcio-shaped code-signing certificates.
///
/// `Debug` never prints the private key.
#[derive(Clone)]
pub struct CertificateAuthority {
    key: SigningKey,
    cert: Certificate,
    cert_pem: String,
    /// Key identifier of the CA key (its certificate's SKI), used as the leaves' AKI.
    key_id: Vec<u8>,
    not_before: u64,
    not_after: u64,
}

impl fmt::Debug for CertificateAuthority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CertificateAuthority")
            .field(
                "subject",
                &self.cert.tbs_certificate().subject().to_string(),
            )
            .field("key_id", &hex::encode(&self.key_id))
            .field("not_before", &self.not_before)
            .field("not_after", &self.not_after)
            .finish_non_exhaustive()
    }
}

impl CertificateAuthority {
    /// Creates a CA with a new self-signed root certificate.
    ///
    /// `seed` is the P-256 private scalar (big-endian); it must come from a secure random
    /// source on the host (this crate has none) and be a valid scalar (non-zero, below the
    /// group order — true for all but a negligible fraction of random values). The root's
    /// subject is `CN=<common_name>`, its validity `[not_before, not_after]` (Unix seconds,
    /// inclusive), its serial number the positive big-endian integer `serial` (1–20 bytes,
    /// not zero). Extensions: critical BasicConstraints `CA:TRUE`, critical
    /// KeyUsage `keyCertSign, cRLSign`, subject and authority key identifiers (SHA-1 of the
    /// public key, RFC 5280 method 1). Signed with ECDSA P-256 SHA-256.
    pub fn new_root(
        seed: &[u8; 32],
        common_name: &str,
        not_before: u64,
        not_after: u64,
        serial: &[u8],
    ) -> Result<Self> {
        let key = SigningKey::from_slice(seed)
            .map_err(|_| CaError::Key("seed is not a valid P-256 private scalar".into()))?;
        if common_name.is_empty() {
            return Err(CaError::InvalidInput("empty root common name".into()));
        }
        if not_after < not_before {
            return Err(CaError::InvalidInput(format!(
                "root validity ends ({not_after}) before it starts ({not_before})"
            )));
        }
        let subject = common_name_dn(common_name)?;
        let spki = SubjectPublicKeyInfoOwned::from_key(key.verifying_key())
            .map_err(|e| CaError::Key(e.to_string()))?;
        let key_id = key_identifier(spki.owned_to_ref())?;
        let extensions = vec![
            extension(
                EXT_BASIC_CONSTRAINTS,
                true,
                &BasicConstraints {
                    ca: true,
                    path_len_constraint: None,
                },
            )?,
            extension(
                EXT_KEY_USAGE,
                true,
                &KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign),
            )?,
            extension(EXT_SKI, false, &SubjectKeyIdentifier(octets(&key_id)?))?,
            extension(EXT_AKI, false, &authority_key_id(&key_id)?)?,
        ];
        let profile = FixedProfile {
            issuer: subject.clone(),
            subject,
            extensions,
        };
        let cert = sign(profile, serial, not_before, not_after, spki, &key)?;
        Self::assemble(key, cert)
    }

    /// Loads a CA from its certificate (PEM, exactly one `CERTIFICATE` block) and its ECDSA
    /// P-256 private key (PKCS#8 PEM, `-----BEGIN PRIVATE KEY-----`). The certificate must be
    /// a CA certificate (BasicConstraints `CA:TRUE`) for that key. It is normally the
    /// self-signed root from [`CertificateAuthority::new_root`], but may be an intermediate;
    /// verifiers then need its chain.
    pub fn from_pem(cert_pem: &str, key_pem: &str) -> Result<Self> {
        let key = SigningKey::from_pkcs8_pem(key_pem.trim()).map_err(|e| {
            CaError::Key(format!(
                "expected an ECDSA P-256 key as PKCS#8 PEM (BEGIN PRIVATE KEY): {e}"
            ))
        })?;
        let ders = pem_certificates(cert_pem, "CA certificate")?;
        let [der] = ders.as_slice() else {
            return Err(malformed(
                "CA certificate PEM",
                format!("expected exactly one certificate, found {}", ders.len()),
            ));
        };
        let cert = Certificate::from_der(der).map_err(|e| malformed("CA certificate DER", e))?;
        let spki = SubjectPublicKeyInfoOwned::from_key(key.verifying_key())
            .map_err(|e| CaError::Key(e.to_string()))?;
        if &spki != cert.tbs_certificate().subject_public_key_info() {
            return Err(CaError::Key(
                "the private key does not match the CA certificate's public key".into(),
            ));
        }
        match cert.tbs_certificate().get_extension::<BasicConstraints>() {
            Ok(Some((_, bc))) if bc.ca => {}
            _ => {
                return Err(CaError::InvalidInput(
                    "the CA certificate lacks BasicConstraints CA:TRUE".into(),
                ))
            }
        }
        Self::assemble(key, cert)
    }

    fn assemble(key: SigningKey, cert: Certificate) -> Result<Self> {
        let tbs = cert.tbs_certificate();
        let key_id = match tbs.get_extension::<SubjectKeyIdentifier>() {
            Ok(Some((_, ski))) => ski.0.as_bytes().to_vec(),
            _ => key_identifier(tbs.subject_public_key_info().owned_to_ref())?,
        };
        let not_before = tbs.validity().not_before.to_unix_duration().as_secs();
        let not_after = tbs.validity().not_after.to_unix_duration().as_secs();
        let cert_pem = cert
            .to_pem(LineEnding::LF)
            .map_err(|e| CaError::Signing(e.to_string()))?;
        Ok(Self {
            key,
            cert,
            cert_pem,
            key_id,
            not_before,
            not_after,
        })
    }

    /// The CA certificate as PEM: hand it to verifiers as a trusted root.
    pub fn root_pem(&self) -> &str {
        &self.cert_pem
    }

    /// The CA certificate as DER.
    pub fn root_der(&self) -> Result<Vec<u8>> {
        self.cert
            .to_der()
            .map_err(|e| CaError::Signing(e.to_string()))
    }

    /// The CA private key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), zeroized on drop.
    /// Store it as a secret; [`CertificateAuthority::from_pem`] loads it back.
    pub fn key_pem(&self) -> Result<Zeroizing<String>> {
        self.key
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| CaError::Key(e.to_string()))
    }

    /// Validity of the CA certificate, Unix seconds `(not_before, not_after)`, inclusive.
    pub fn validity(&self) -> (u64, u64) {
        (self.not_before, self.not_after)
    }

    /// Issues a short-lived code-signing certificate for `identity`, Fulcio style, as PEM.
    ///
    /// - `subject_public_key_spki_der`: the signer's public key as DER `SubjectPublicKeyInfo`:
    ///   ECDSA P-256, ECDSA P-384 or Ed25519.
    /// - `identity.subject`: an e-mail address (`local@domain`, becomes a SAN `rfc822Name`)
    ///   or an absolute URI (`scheme:...`, becomes a SAN `uniformResourceIdentifier`); ASCII
    ///   only. `identity.issuer`: the OIDC issuer URL, written to the Fulcio extensions
    ///   `1.3.6.1.4.1.57264.1.8` (UTF8String) and `1.3.6.1.4.1.57264.1.1` (raw).
    /// - validity: `[not_before, not_before + validity_secs]`, which must lie within the CA
    ///   certificate's validity (Fulcio issues 600 seconds).
    /// - `serial`: positive big-endian integer, 1–20 bytes (random bytes from the host).
    ///
    /// The subject DN is empty; the SAN is critical; KeyUsage (critical) is
    /// `digitalSignature`; ExtendedKeyUsage is `codeSigning`; BasicConstraints (critical) is
    /// `CA:FALSE`; SKI is the SHA-1 of the leaf key, AKI the CA's key identifier.
    pub fn issue_signing_cert(
        &self,
        subject_public_key_spki_der: &[u8],
        identity: &Identity,
        not_before: u64,
        validity_secs: u64,
        serial: &[u8],
    ) -> Result<String> {
        let spki = SubjectPublicKeyInfoOwned::from_der(subject_public_key_spki_der)
            .map_err(|e| malformed("subject public key (SPKI DER)", e))?;
        check_leaf_key(&spki, subject_public_key_spki_der)?;
        if validity_secs == 0 {
            return Err(CaError::InvalidInput("validity_secs is zero".into()));
        }
        let not_after = not_before
            .checked_add(validity_secs)
            .ok_or_else(|| CaError::InvalidInput("not_before + validity_secs overflows".into()))?;
        if not_before < self.not_before || not_after > self.not_after {
            return Err(CaError::InvalidInput(format!(
                "leaf validity {}..{} is outside the CA certificate's validity {}..{}",
                super::fmt_time(not_before),
                super::fmt_time(not_after),
                super::fmt_time(self.not_before),
                super::fmt_time(self.not_after),
            )));
        }
        let san = identity_general_name(&identity.subject)?;
        if identity.issuer.is_empty() {
            return Err(CaError::InvalidInput("empty OIDC issuer".into()));
        }
        let issuer_v2 = Utf8StringRef::new(identity.issuer.as_str())
            .map_err(|e| CaError::InvalidInput(format!("OIDC issuer: {e}")))?;

        let leaf_key_id = key_identifier(spki.owned_to_ref())?;
        let extensions = vec![
            extension(
                EXT_KEY_USAGE,
                true,
                &KeyUsage(KeyUsages::DigitalSignature.into()),
            )?,
            extension(
                EXT_EXT_KEY_USAGE,
                false,
                &ExtendedKeyUsage(vec![OID_KP_CODE_SIGNING]),
            )?,
            extension(
                EXT_BASIC_CONSTRAINTS,
                true,
                &BasicConstraints {
                    ca: false,
                    path_len_constraint: None,
                },
            )?,
            extension(EXT_SKI, false, &SubjectKeyIdentifier(octets(&leaf_key_id)?))?,
            extension(EXT_AKI, false, &authority_key_id(self.key_id())?)?,
            extension(EXT_SAN, true, &SubjectAltName(vec![san]))?,
            Extension {
                extn_id: OID_FULCIO_ISSUER,
                critical: false,
                extn_value: octets(identity.issuer.as_bytes())?,
            },
            extension(OID_FULCIO_ISSUER_V2, false, &issuer_v2)?,
        ];
        let cert = self.issue_raw(
            Name::default(),
            spki,
            extensions,
            not_before,
            not_after,
            serial,
        )?;
        cert.to_pem(LineEnding::LF)
            .map_err(|e| CaError::Signing(e.to_string()))
    }

    /// Signs a certificate with exactly the given subject, key and extensions (in order),
    /// issued by this CA. No policy checks: callers build the extensions.
    pub(super) fn issue_raw(
        &self,
        subject: Name,
        spki: SubjectPublicKeyInfoOwned,
        extensions: Vec<Extension>,
        not_before: u64,
        not_after: u64,
        serial: &[u8],
    ) -> Result<Certificate> {
        let profile = FixedProfile {
            issuer: self.cert.tbs_certificate().subject().clone(),
            subject,
            extensions,
        };
        sign(profile, serial, not_before, not_after, spki, &self.key)
    }

    /// The key identifier leaves name in their AuthorityKeyIdentifier.
    pub(super) fn key_id(&self) -> &[u8] {
        &self.key_id
    }
}

/// A builder profile that emits exactly the given names and extensions, in order.
pub(super) struct FixedProfile {
    pub(super) issuer: Name,
    pub(super) subject: Name,
    pub(super) extensions: Vec<Extension>,
}

impl BuilderProfile for FixedProfile {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        _spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        _tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        Ok(self.extensions.clone())
    }
}

/// Builds and signs (ECDSA P-256 SHA-256, RFC 6979 deterministic) a certificate.
fn sign(
    profile: FixedProfile,
    serial: &[u8],
    not_before: u64,
    not_after: u64,
    spki: SubjectPublicKeyInfoOwned,
    key: &SigningKey,
) -> Result<Certificate> {
    let serial = serial_number(serial)?;
    let validity = Validity::new(unix_time(not_before)?, unix_time(not_after)?);
    let builder = CertificateBuilder::new(profile, serial, validity, spki)
        .map_err(|e| CaError::Signing(e.to_string()))?;
    builder
        .build::<_, DerSignature>(key)
        .map_err(|e| CaError::Signing(e.to_string()))
}

fn serial_number(serial: &[u8]) -> Result<SerialNumber> {
    if serial.iter().all(|b| *b == 0) {
        return Err(CaError::InvalidInput(
            "serial number must be a positive integer (got zero or no bytes)".into(),
        ));
    }
    SerialNumber::new(serial)
        .map_err(|e| CaError::InvalidInput(format!("serial number ({} bytes): {e}", serial.len())))
}

pub(super) fn unix_time(secs: u64) -> Result<Time> {
    der::DateTime::from_unix_duration(core::time::Duration::from_secs(secs))
        .map(Time::from)
        .map_err(|e| CaError::InvalidInput(format!("time {secs} not representable: {e}")))
}

pub(super) fn octets(bytes: &[u8]) -> Result<OctetString> {
    OctetString::new(bytes).map_err(|e| CaError::Signing(e.to_string()))
}

/// An extension whose value is the DER encoding of `value`.
pub(super) fn extension(
    oid: der::asn1::ObjectIdentifier,
    critical: bool,
    value: &impl Encode,
) -> Result<Extension> {
    let der = value
        .to_der()
        .map_err(|e| CaError::Signing(format!("encoding extension {oid}: {e}")))?;
    Ok(Extension {
        extn_id: oid,
        critical,
        extn_value: octets(&der)?,
    })
}

pub(super) fn authority_key_id(key_id: &[u8]) -> Result<AuthorityKeyIdentifier> {
    Ok(AuthorityKeyIdentifier {
        key_identifier: Some(octets(key_id)?),
        ..Default::default()
    })
}

/// RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits.
pub(super) fn key_identifier(spki: SubjectPublicKeyInfoRef<'_>) -> Result<Vec<u8>> {
    SubjectKeyIdentifier::try_from(spki)
        .map(|ski| ski.0.as_bytes().to_vec())
        .map_err(|e| CaError::Signing(e.to_string()))
}

/// `CN=<common_name>` as a UTF8String, built structurally (no RFC 4514 escaping issues).
pub(super) fn common_name_dn(common_name: &str) -> Result<Name> {
    let atv = AttributeTypeAndValue {
        oid: OID_COMMON_NAME,
        value: Any::new(Tag::Utf8String, common_name.as_bytes())
            .map_err(|e| CaError::InvalidInput(format!("common name: {e}")))?,
    };
    let rdn = SetOfVec::try_from(vec![atv])
        .map_err(|e| CaError::InvalidInput(format!("common name: {e}")))?;
    let der = vec![rdn]
        .to_der()
        .map_err(|e| CaError::InvalidInput(format!("common name: {e}")))?;
    Name::from_der(&der).map_err(|e| CaError::InvalidInput(format!("common name: {e}")))
}

/// Accepts ECDSA P-256 / P-384 and Ed25519 keys, checking the point is valid.
fn check_leaf_key(spki: &SubjectPublicKeyInfoOwned, der: &[u8]) -> Result<()> {
    let alg = &spki.algorithm;
    if alg.oid == OID_EC_PUBLIC_KEY {
        let curve = alg
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<der::asn1::ObjectIdentifier>().ok());
        return match curve {
            Some(c) if c == OID_P256 => p256::ecdsa::VerifyingKey::from_public_key_der(der)
                .map(|_| ())
                .map_err(|e| CaError::UnsupportedKey(format!("invalid P-256 key: {e}"))),
            Some(c) if c == OID_P384 => p384::ecdsa::VerifyingKey::from_public_key_der(der)
                .map(|_| ())
                .map_err(|e| CaError::UnsupportedKey(format!("invalid P-384 key: {e}"))),
            Some(c) => Err(CaError::UnsupportedKey(format!("EC curve {c}"))),
            None => Err(CaError::UnsupportedKey(
                "EC key without a named curve".into(),
            )),
        };
    }
    if alg.oid == OID_ED25519 {
        return ed25519_dalek::VerifyingKey::from_public_key_der(der)
            .map(|_| ())
            .map_err(|e| CaError::UnsupportedKey(format!("invalid Ed25519 key: {e}")));
    }
    Err(CaError::UnsupportedKey(format!(
        "algorithm {} (expected ECDSA P-256/P-384 or Ed25519)",
        alg.oid
    )))
}

/// The SAN entry for an identity subject: `rfc822Name` for e-mail, URI otherwise.
fn identity_general_name(subject: &str) -> Result<GeneralName> {
    let ia5 = |s: &str| {
        Ia5String::new(s)
            .map_err(|e| CaError::InvalidInput(format!("identity {s:?} is not IA5 (ASCII): {e}")))
    };
    if super::looks_like_uri(subject) {
        Ok(GeneralName::UniformResourceIdentifier(ia5(subject)?))
    } else if super::looks_like_email(subject) {
        Ok(GeneralName::Rfc822Name(ia5(subject)?))
    } else {
        Err(CaError::InvalidInput(format!(
            "identity subject {subject:?} is neither an e-mail address nor an absolute URI"
        )))
    }
}
