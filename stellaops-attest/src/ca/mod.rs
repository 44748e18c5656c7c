//! A local certificate authority for "keyless" signing in the style of Sigstore Fulcio.
//!
//! Keyless signing binds a short-lived signing key to an identity proven through OpenID
//! Connect: the signer generates a key pair, proves who it is to the CA, and receives a
//! certificate valid for a few minutes that names the identity (an e-mail address or a URI
//! such as a CI workflow) and the OIDC issuer that vouched for it. The signature is logged in a
//! transparency log, whose entry time proves the signature was made while the certificate was
//! valid; after that the private key can be thrown away.
//!
//! This module provides both halves:
//!
//! - [`CertificateAuthority`]: an ECDSA P-256 CA with a self-signed root certificate
//!   ([`CertificateAuthority::new_root`], [`CertificateAuthority::from_pem`]) that issues
//!   Fulcio-shaped leaf certificates ([`CertificateAuthority::issue_signing_cert`]): empty
//!   subject, critical Subject Alternative Name carrying the identity, critical KeyUsage
//!   `digitalSignature`, ExtendedKeyUsage `codeSigning`, BasicConstraints `CA:FALSE`, subject
//!   and authority key identifiers, and the Fulcio OIDC issuer extensions
//!   [`OID_FULCIO_ISSUER_V2`] (`1.3.6.1.4.1.57264.1.8`, a DER `UTF8String`) and
//!   [`OID_FULCIO_ISSUER`] (`1.3.6.1.4.1.57264.1.1`, deprecated, raw bytes).
//! - [`verify_signing_cert`] / [`verify_signing_cert_chain`] / [`verify_signing_cert_der`]:
//!   verification of such a certificate — ours or a real Fulcio one — against trusted roots
//!   (optionally through one intermediate): issuer signature (ECDSA P-256/P-384 with
//!   SHA-256/384/512, or Ed25519), validity of every certificate of the path at the signing
//!   time, CA constraints of the issuers, KeyUsage/ExtendedKeyUsage of the leaf, critical
//!   extensions, and extraction of the [`Identity`] (optionally compared with an expected one).
//!
//! Nothing here reads a clock or a random source: times are Unix seconds passed by the
//! caller, the CA key comes from caller-provided seed bytes or PEM, serial numbers are caller
//! bytes, and ECDSA signatures are deterministic (RFC 6979).
//!
//! Not covered (the caller's job or out of scope): revocation, Signed Certificate Timestamps
//! (the SCT extension is ignored), the validity windows a Sigstore `trusted_root.json`
//! attaches to each CA, name constraints and policy extensions (a certificate carrying them as
//! critical extensions is rejected).

mod issue;
mod verify;

#[cfg(test)]
mod sigstore_tests;
#[cfg(test)]
mod tests;

use core::fmt;

use der::asn1::ObjectIdentifier;
use serde::{Deserialize, Serialize};

pub use issue::CertificateAuthority;
pub use verify::{verify_signing_cert, verify_signing_cert_chain, verify_signing_cert_der};

/// Fulcio "Issuer (V2)" extension: the OIDC issuer URL as a DER `UTF8String`.
pub const OID_FULCIO_ISSUER_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1.8");

/// Fulcio "Issuer" extension (deprecated): the OIDC issuer URL as raw bytes, not DER-wrapped.
pub const OID_FULCIO_ISSUER: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1.1");

/// Fulcio `otherName` type for username identities (a `UTF8String` in the SAN).
pub(crate) const OID_FULCIO_USERNAME: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1.7");

/// `id-kp-codeSigning` (RFC 5280 §4.2.1.12).
pub(crate) const OID_KP_CODE_SIGNING: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.3");

/// `anyExtendedKeyUsage` (RFC 5280 §4.2.1.12).
pub(crate) const OID_ANY_EKU: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37.0");

/// `id-ecPublicKey` (RFC 5480).
pub(crate) const OID_EC_PUBLIC_KEY: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");

/// `secp256r1` / NIST P-256 (RFC 5480).
pub(crate) const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");

/// `secp384r1` / NIST P-384 (RFC 5480).
pub(crate) const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");

/// `id-Ed25519` (RFC 8410), both key and signature algorithm.
pub(crate) const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");

/// BasicConstraints (RFC 5280 §4.2.1.9).
pub(crate) const EXT_BASIC_CONSTRAINTS: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.5.29.19");
/// KeyUsage (RFC 5280 §4.2.1.3).
pub(crate) const EXT_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
/// ExtendedKeyUsage (RFC 5280 §4.2.1.12).
pub(crate) const EXT_EXT_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
/// SubjectKeyIdentifier (RFC 5280 §4.2.1.2).
pub(crate) const EXT_SKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
/// AuthorityKeyIdentifier (RFC 5280 §4.2.1.1).
pub(crate) const EXT_AKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");
/// SubjectAltName (RFC 5280 §4.2.1.6).
pub(crate) const EXT_SAN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");

/// Result of this module.
pub type Result<T, E = CaError> = core::result::Result<T, E>;

/// Who a signing certificate was issued to: the identity proven to the OIDC issuer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Identity {
    /// The signer: an e-mail address (SAN `rfc822Name`), a URI such as
    /// `https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main` (SAN
    /// `uniformResourceIdentifier`), or, when verifying, a Fulcio username (`otherName`).
    pub subject: String,
    /// The OIDC issuer URL that vouched for the subject, e.g.
    /// `https://token.actions.githubusercontent.com`.
    pub issuer: String,
}

impl Identity {
    /// An identity from its subject (e-mail or URI) and OIDC issuer URL.
    pub fn new(subject: impl Into<String>, issuer: impl Into<String>) -> Self {
        Self {
            subject: subject.into(),
            issuer: issuer.into(),
        }
    }
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} (OIDC issuer {:?})", self.subject, self.issuer)
    }
}

/// What [`verify_signing_cert`] established about a signing certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedCert {
    /// The identity from the Subject Alternative Name and the Fulcio issuer extension.
    pub identity: Identity,
    /// The certified public key as a DER `SubjectPublicKeyInfo`: verify the artifact or DSSE
    /// signature with this key.
    pub public_key_spki_der: Vec<u8>,
    /// Start of the certificate's validity, Unix seconds (inclusive).
    pub not_before: u64,
    /// End of the certificate's validity, Unix seconds (inclusive).
    pub not_after: u64,
}

/// Errors of the certificate authority and of certificate verification.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CaError {
    /// PEM or DER input could not be decoded.
    #[error("malformed {what}: {detail}")]
    Malformed {
        /// What was being decoded, e.g. "leaf certificate PEM".
        what: String,
        /// The decoder's complaint.
        detail: String,
    },
    /// A private key or key seed is unusable.
    #[error("invalid CA key: {0}")]
    Key(String),
    /// A parameter passed by the caller is unusable (serial, validity, identity, ...).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// A public key of an algorithm or curve this module does not handle.
    #[error("unsupported public key: {0}")]
    UnsupportedKey(String),
    /// A certificate signature algorithm this module does not handle.
    #[error("unsupported signature algorithm {algorithm} on {cert}")]
    UnsupportedSignatureAlgorithm {
        /// Which certificate.
        cert: String,
        /// The algorithm OID (and key type) found.
        algorithm: String,
    },
    /// The signing time is before the certificate's `notBefore`.
    #[error(
        "{cert} is not yet valid at signing time {}: valid from {} to {}",
        fmt_time(*signing_time),
        fmt_time(*not_before),
        fmt_time(*not_after)
    )]
    NotYetValid {
        /// Which certificate.
        cert: String,
        /// The signing time checked, Unix seconds.
        signing_time: u64,
        /// The certificate's `notBefore`, Unix seconds.
        not_before: u64,
        /// The certificate's `notAfter`, Unix seconds.
        not_after: u64,
    },
    /// The signing time is after the certificate's `notAfter`.
    #[error(
        "{cert} had expired at signing time {}: valid from {} to {}",
        fmt_time(*signing_time),
        fmt_time(*not_before),
        fmt_time(*not_after)
    )]
    Expired {
        /// Which certificate.
        cert: String,
        /// The signing time checked, Unix seconds.
        signing_time: u64,
        /// The certificate's `notBefore`, Unix seconds.
        not_before: u64,
        /// The certificate's `notAfter`, Unix seconds.
        not_after: u64,
    },
    /// No trusted root (or supplied intermediate) matches the certificate's issuer.
    #[error(
        "unknown issuer of {cert}: no trusted certificate has subject \"{issuer}\"{}",
        fmt_key_id(authority_key_id)
    )]
    UnknownIssuer {
        /// Which certificate.
        cert: String,
        /// The issuer distinguished name it names.
        issuer: String,
        /// Its authority key identifier (hex), if any.
        authority_key_id: Option<String>,
    },
    /// The issuer's signature over the certificate does not verify.
    #[error("bad signature on {cert}: not signed by the key of \"{issuer}\"")]
    BadSignature {
        /// Which certificate.
        cert: String,
        /// The issuer whose key was tried.
        issuer: String,
    },
    /// The leaf's KeyUsage does not allow digital signatures (or is missing).
    #[error("signing certificate key usage: {0}")]
    KeyUsage(String),
    /// The leaf lacks the `codeSigning` extended key usage.
    #[error("signing certificate lacks the codeSigning extended key usage{0}")]
    MissingCodeSigning(String),
    /// The certificate path violates a CA constraint (BasicConstraints, path length, issuer
    /// key usage, root passed as intermediate, chain too long).
    #[error("invalid certificate path: {0}")]
    Path(String),
    /// A critical extension this verifier does not process.
    #[error("unhandled critical extension {oid} in {cert}")]
    UnhandledCriticalExtension {
        /// Which certificate.
        cert: String,
        /// The extension OID.
        oid: String,
    },
    /// The leaf names no identity (SAN) or no OIDC issuer (Fulcio extension), or an ambiguous one.
    #[error("signing certificate identity: {0}")]
    MissingIdentity(String),
    /// The certificate's identity differs from the expected one.
    #[error("identity mismatch: expected {expected}, certificate is for {found}")]
    IdentityMismatch {
        /// What the caller expected.
        expected: Identity,
        /// What the certificate says.
        found: Identity,
    },
    /// Building or signing a certificate failed.
    #[error("certificate signing failed: {0}")]
    Signing(String),
}

/// Unix seconds as `"<secs> (<RFC 3339>)"` for error messages.
pub(crate) fn fmt_time(secs: u64) -> String {
    match der::DateTime::from_unix_duration(core::time::Duration::from_secs(secs)) {
        Ok(dt) => format!("{secs} ({dt})"),
        Err(_) => format!("{secs}"),
    }
}

fn fmt_key_id(id: &Option<String>) -> String {
    match id {
        Some(id) => format!(" and key identifier {id}"),
        None => String::new(),
    }
}

/// Shorthand for a [`CaError::Malformed`].
pub(crate) fn malformed(what: impl Into<String>, detail: impl fmt::Display) -> CaError {
    CaError::Malformed {
        what: what.into(),
        detail: detail.to_string(),
    }
}

/// The DER bodies of every `CERTIFICATE` PEM block in `pem`, in order (text outside the
/// blocks is ignored).
pub(crate) fn pem_certificates(pem: &str, what: &str) -> Result<Vec<Vec<u8>>> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let mut out = Vec::new();
    let mut rest = pem;
    while let Some(start) = rest.find(BEGIN) {
        let block_and_rest = rest.get(start..).unwrap_or_default();
        let end = block_and_rest
            .find(END)
            .ok_or_else(|| malformed(format!("{what} PEM"), "missing END CERTIFICATE line"))?
            + END.len();
        let block = block_and_rest.get(..end).unwrap_or_default();
        let (label, der) = der::pem::decode_vec(block.as_bytes())
            .map_err(|e| malformed(format!("{what} PEM"), e))?;
        if label != "CERTIFICATE" {
            return Err(malformed(format!("{what} PEM"), format!("label {label:?}")));
        }
        out.push(der);
        rest = block_and_rest.get(end..).unwrap_or_default();
    }
    if out.is_empty() {
        return Err(malformed(
            format!("{what} PEM"),
            "no -----BEGIN CERTIFICATE----- block",
        ));
    }
    Ok(out)
}

/// `scheme:rest` with an RFC 3986 scheme (a letter, then letters, digits, `+`, `-`, `.`).
pub(crate) fn looks_like_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
}

/// `local@domain` with exactly one `@`, both parts non-empty, no whitespace.
pub(crate) fn looks_like_email(s: &str) -> bool {
    let mut parts = s.split('@');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(local), Some(domain), None) if !local.is_empty() && !domain.is_empty()
    ) && !s.chars().any(char::is_whitespace)
}
