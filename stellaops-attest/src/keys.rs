//! Signing and verifying keys: Ed25519, ECDSA P-256/SHA-256 and ECDSA P-384/SHA-384.
//!
//! * **Key generation** takes 32 seed bytes from the host (which reads its OS random source);
//!   this crate never touches a random source. For Ed25519 the seed *is* the RFC 8032 secret
//!   key; for P-256 it is the big-endian secret scalar, and the ~2^-32 seeds that are not a
//!   valid scalar (zero or not below the group order) are refused with
//!   [`KeyError::InvalidSeed`] so the host can draw again. P-384 keys need a 48-byte scalar:
//!   import them from PKCS#8 instead ([`SigningKey::from_pkcs8_pem`]).
//! * **Key formats**: private keys as PKCS#8 (`PRIVATE KEY`, DER or PEM; SEC1
//!   `EC PRIVATE KEY` PEM, OpenSSL's default for EC keys, is also read), public keys as
//!   SubjectPublicKeyInfo (`PUBLIC KEY`, DER or PEM).
//! * **Signatures**: Ed25519 signatures are the raw 64 bytes. ECDSA signatures are produced
//!   as ASN.1 DER `ECDSA-Sig-Value` (what DSSE tooling, sigstore, securesystemslib and
//!   OpenSSL use), computed deterministically (RFC 6979), so signing needs no randomness.
//!   Verification accepts DER and also the fixed-size raw `r || s` encoding that some tools
//!   emit (the DSSE spec's own test vector uses it). Like sigstore and Go's `crypto/ecdsa`,
//!   verification accepts both low-S and high-S ECDSA signatures (no malleability check:
//!   DSSE signatures are not used as identifiers). Ed25519 uses `verify_strict` (rejects
//!   small-order keys and non-canonical signatures).
//! * **Key id**: [`VerifyingKey::key_id`] is the lowercase hex SHA-256 of the key's
//!   SubjectPublicKeyInfo DER in canonical form (EC points uncompressed), which equals
//!   `openssl pkey -pubin -outform DER | sha256sum` for keys written by OpenSSL.

use std::fmt;

use der::oid::ObjectIdentifier;
use der::Decode as _;
use p256::ecdsa::signature::hazmat::{PrehashSigner, PrehashVerifier as _};
use pkcs8::EncodePrivateKey as _;
use sha2::{Digest as _, Sha256, Sha384};

/// A signature algorithm (key type plus hash).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Algorithm {
    /// Ed25519 (RFC 8032, pure, no pre-hash).
    Ed25519,
    /// ECDSA over NIST P-256 with SHA-256.
    EcdsaP256Sha256,
    /// ECDSA over NIST P-384 with SHA-384.
    EcdsaP384Sha384,
}

impl Algorithm {
    /// A short stable name: `ed25519`, `ecdsa-p256-sha256`, `ecdsa-p384-sha384`.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Ed25519 => "ed25519",
            Algorithm::EcdsaP256Sha256 => "ecdsa-p256-sha256",
            Algorithm::EcdsaP384Sha384 => "ecdsa-p384-sha384",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a key could not be generated, read or written, or why a signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The seed is not a valid secret scalar for the curve (probability ~2^-32 for P-256);
    /// draw a new seed and retry.
    #[error("seed is not a valid {algorithm} secret scalar (zero or not below the group order); draw a new seed")]
    InvalidSeed {
        /// The requested algorithm.
        algorithm: Algorithm,
    },
    /// The algorithm cannot be used for this operation.
    #[error("{algorithm}: {operation} is not supported")]
    Unsupported {
        /// The algorithm.
        algorithm: Algorithm,
        /// What was asked, with the way around it.
        operation: &'static str,
    },
    /// The text is not a PEM document, or not the expected kind.
    #[error("invalid PEM: {0}")]
    Pem(String),
    /// The key's algorithm (or EC curve) OID is not one of ours.
    #[error("unsupported key algorithm: {0}")]
    UnsupportedKeyAlgorithm(String),
    /// The DER structure or the key material inside it is invalid.
    #[error("malformed {what}: {detail}")]
    Malformed {
        /// What was being decoded (`PKCS#8 private key`, `SubjectPublicKeyInfo`, ...).
        what: &'static str,
        /// What is wrong with it.
        detail: String,
    },
    /// Encoding a key failed (should not happen for valid keys).
    #[error("cannot encode {what}: {detail}")]
    Encode {
        /// What was being encoded.
        what: &'static str,
        /// The encoder's message.
        detail: String,
    },
    /// The signature bytes cannot be a signature of this algorithm (wrong length or encoding).
    #[error("malformed {algorithm} signature ({len} bytes): {detail}")]
    MalformedSignature {
        /// The key's algorithm.
        algorithm: Algorithm,
        /// Length of the signature bytes.
        len: usize,
        /// What is wrong.
        detail: &'static str,
    },
    /// The signature is well formed but does not verify with this key over this message.
    #[error("{algorithm} signature does not verify with key {key_id}")]
    BadSignature {
        /// The key's algorithm.
        algorithm: Algorithm,
        /// The key id of the verifying key.
        key_id: String,
    },
}

const ED25519_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const EC_PUBLIC_KEY_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const P256_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const P384_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");

/// SubjectPublicKeyInfo DER prefixes: the whole structure up to the key bytes, which are
/// fixed-size for each algorithm (Ed25519: 32 bytes; EC: uncompressed SEC1 point).
const ED25519_SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];
const P256_SPKI_PREFIX: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];
const P384_SPKI_PREFIX: [u8; 23] = [
    0x30, 0x76, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b,
    0x81, 0x04, 0x00, 0x22, 0x03, 0x62, 0x00,
];

#[derive(Clone)]
enum SigningInner {
    Ed25519(ed25519_dalek::SigningKey),
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
}

/// A private signing key. `Debug` prints only the algorithm and the key id.
#[derive(Clone)]
pub struct SigningKey {
    inner: SigningInner,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("algorithm", &self.algorithm())
            .field("key_id", &self.verifying_key().key_id())
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// Make a key from 32 seed bytes the host read from its OS random source.
    ///
    /// Ed25519: the seed is the RFC 8032 secret key. P-256: the seed is the big-endian
    /// secret scalar; a seed that is zero or not below the group order (probability ~2^-32)
    /// is refused with [`KeyError::InvalidSeed`] and the host draws again. P-384 needs a
    /// 48-byte scalar and is refused with [`KeyError::Unsupported`]: import a PKCS#8 key.
    pub fn generate(algorithm: Algorithm, seed: &[u8; 32]) -> Result<Self, KeyError> {
        let inner = match algorithm {
            Algorithm::Ed25519 => {
                SigningInner::Ed25519(ed25519_dalek::SigningKey::from_bytes(seed))
            }
            Algorithm::EcdsaP256Sha256 => SigningInner::P256(
                p256::ecdsa::SigningKey::from_slice(seed)
                    .map_err(|_| KeyError::InvalidSeed { algorithm })?,
            ),
            Algorithm::EcdsaP384Sha384 => {
                return Err(KeyError::Unsupported {
                    algorithm,
                    operation: "generation from a 32-byte seed (import a PKCS#8 key instead)",
                })
            }
        };
        Ok(SigningKey { inner })
    }

    /// Read a PEM private key: PKCS#8 `PRIVATE KEY`, or SEC1 `EC PRIVATE KEY` (P-256/P-384,
    /// OpenSSL's default for EC keys). An `EC PARAMETERS` block before the key (as written by
    /// `openssl ecparam -genkey`) is skipped. Encrypted keys are not supported.
    pub fn from_pkcs8_pem(pem: &str) -> Result<Self, KeyError> {
        let (label, der) = decode_pem(pem)?;
        match label.as_str() {
            "PRIVATE KEY" => Self::from_pkcs8_der(&der),
            "EC PRIVATE KEY" => Self::from_sec1_der(&der),
            "ENCRYPTED PRIVATE KEY" => Err(KeyError::Pem(
                "encrypted PKCS#8 keys are not supported; decrypt the key first".into(),
            )),
            other => Err(KeyError::Pem(format!(
                "expected a \"PRIVATE KEY\" or \"EC PRIVATE KEY\" block, found \"{other}\""
            ))),
        }
    }

    /// Read a DER PKCS#8 `PrivateKeyInfo` (v1 or v2) holding an Ed25519, P-256 or P-384 key.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, KeyError> {
        const WHAT: &str = "PKCS#8 private key";
        let malformed = |detail: String| KeyError::Malformed { what: WHAT, detail };
        let info = pkcs8::PrivateKeyInfoRef::from_der(der).map_err(|e| malformed(e.to_string()))?;
        let oid = info.algorithm.oid;
        let inner = if oid == ED25519_OID {
            SigningInner::Ed25519(
                ed25519_dalek::SigningKey::try_from(info).map_err(|e| malformed(e.to_string()))?,
            )
        } else if oid == EC_PUBLIC_KEY_OID {
            let curve = info
                .algorithm
                .parameters_oid()
                .map_err(|e| malformed(format!("EC key without a named curve: {e}")))?;
            if curve == P256_OID {
                SigningInner::P256(
                    p256::ecdsa::SigningKey::try_from(info)
                        .map_err(|e| malformed(e.to_string()))?,
                )
            } else if curve == P384_OID {
                SigningInner::P384(
                    p384::ecdsa::SigningKey::try_from(info)
                        .map_err(|e| malformed(e.to_string()))?,
                )
            } else {
                return Err(unsupported_curve(curve));
            }
        } else {
            return Err(unsupported_algorithm(oid));
        };
        Ok(SigningKey { inner })
    }

    /// Read a DER SEC1 `ECPrivateKey` (P-256 or P-384; the curve is taken from the key's
    /// parameters).
    pub fn from_sec1_der(der: &[u8]) -> Result<Self, KeyError> {
        if let Ok(key) = p256::SecretKey::from_sec1_der(der) {
            return Ok(SigningKey {
                inner: SigningInner::P256(key.into()),
            });
        }
        match p384::SecretKey::from_sec1_der(der) {
            Ok(key) => Ok(SigningKey {
                inner: SigningInner::P384(key.into()),
            }),
            Err(e) => Err(KeyError::Malformed {
                what: "SEC1 EC private key",
                detail: format!("not a valid P-256 or P-384 key: {e}"),
            }),
        }
    }

    /// The unencrypted PKCS#8 DER encoding (Ed25519: RFC 8410 v1 form, without the public
    /// key, as OpenSSL writes it). The caller owns the secret bytes.
    pub fn to_pkcs8_der(&self) -> Result<Vec<u8>, KeyError> {
        Ok(self.pkcs8_document()?.as_bytes().to_vec())
    }

    /// The unencrypted PKCS#8 PEM encoding (`-----BEGIN PRIVATE KEY-----`, LF line endings).
    /// The returned string holds the secret: the caller should write it with restrictive
    /// permissions and drop it promptly.
    pub fn to_pkcs8_pem(&self) -> Result<String, KeyError> {
        let pem = self
            .pkcs8_document()?
            .to_pem("PRIVATE KEY", der::pem::LineEnding::LF)
            .map_err(|e| KeyError::Encode {
                what: "PKCS#8 PEM",
                detail: e.to_string(),
            })?;
        Ok(pem.as_str().to_owned())
    }

    /// The PKCS#8 document (zeroized on drop).
    fn pkcs8_document(&self) -> Result<pkcs8::SecretDocument, KeyError> {
        match &self.inner {
            SigningInner::Ed25519(k) => ed25519_dalek::pkcs8::KeypairBytes {
                secret_key: k.to_bytes(),
                public_key: None,
            }
            .to_pkcs8_der(),
            SigningInner::P256(k) => k.to_pkcs8_der(),
            SigningInner::P384(k) => k.to_pkcs8_der(),
        }
        .map_err(|e| KeyError::Encode {
            what: "PKCS#8 private key",
            detail: e.to_string(),
        })
    }

    /// The matching public key.
    /// The RFC 8032 secret seed of an Ed25519 key (`None` for ECDSA keys), e.g. to derive a
    /// signed-note signer from the same key.
    pub fn ed25519_seed(&self) -> Option<[u8; 32]> {
        match &self.inner {
            SigningInner::Ed25519(k) => Some(k.to_bytes()),
            _ => None,
        }
    }

    pub fn verifying_key(&self) -> VerifyingKey {
        let inner = match &self.inner {
            SigningInner::Ed25519(k) => VerifyingInner::Ed25519(k.verifying_key()),
            SigningInner::P256(k) => VerifyingInner::P256(*k.verifying_key()),
            SigningInner::P384(k) => VerifyingInner::P384(*k.verifying_key()),
        };
        VerifyingKey { inner }
    }

    /// The key's algorithm.
    pub fn algorithm(&self) -> Algorithm {
        match self.inner {
            SigningInner::Ed25519(_) => Algorithm::Ed25519,
            SigningInner::P256(_) => Algorithm::EcdsaP256Sha256,
            SigningInner::P384(_) => Algorithm::EcdsaP384Sha384,
        }
    }

    /// Sign `message`. Ed25519: the raw 64-byte signature. ECDSA: the ASN.1 DER
    /// `ECDSA-Sig-Value` over SHA-256 (P-256) or SHA-384 (P-384) of the message, with the
    /// nonce derived deterministically (RFC 6979), so equal inputs give equal signatures.
    ///
    /// Deterministic ECDSA signing cannot fail for a valid key (the underlying crates only
    /// return `Result` for hardware signers); were it ever to, the result would be an empty
    /// signature, which every verifier rejects.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        match &self.inner {
            SigningInner::Ed25519(k) => {
                use ed25519_dalek::Signer as _;
                match k.try_sign(message) {
                    Ok(sig) => sig.to_bytes().to_vec(),
                    Err(_) => Vec::new(),
                }
            }
            SigningInner::P256(k) => {
                let digest = Sha256::digest(message);
                match PrehashSigner::<p256::ecdsa::DerSignature>::sign_prehash(k, &digest) {
                    Ok(sig) => sig.as_bytes().to_vec(),
                    Err(_) => Vec::new(),
                }
            }
            SigningInner::P384(k) => {
                let digest = Sha384::digest(message);
                match PrehashSigner::<p384::ecdsa::DerSignature>::sign_prehash(k, &digest) {
                    Ok(sig) => sig.as_bytes().to_vec(),
                    Err(_) => Vec::new(),
                }
            }
        }
    }
}

#[derive(Clone, PartialEq, Eq)]
enum VerifyingInner {
    Ed25519(ed25519_dalek::VerifyingKey),
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
}

/// A public key that verifies signatures. Two keys are equal when they are the same key.
/// `Debug` prints the algorithm and key id.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifyingKey {
    inner: VerifyingInner,
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyingKey")
            .field("algorithm", &self.algorithm())
            .field("key_id", &self.key_id())
            .finish()
    }
}

impl VerifyingKey {
    /// Read a PEM SubjectPublicKeyInfo (`-----BEGIN PUBLIC KEY-----`).
    pub fn from_spki_pem(pem: &str) -> Result<Self, KeyError> {
        let (label, der) = decode_pem(pem)?;
        if label != "PUBLIC KEY" {
            return Err(KeyError::Pem(format!(
                "expected a \"PUBLIC KEY\" block, found \"{label}\""
            )));
        }
        Self::from_spki_der(&der)
    }

    /// Read a DER SubjectPublicKeyInfo holding an Ed25519, P-256 or P-384 key (EC points may
    /// be compressed or uncompressed).
    pub fn from_spki_der(der: &[u8]) -> Result<Self, KeyError> {
        const WHAT: &str = "SubjectPublicKeyInfo";
        let malformed = |detail: String| KeyError::Malformed { what: WHAT, detail };
        let info =
            spki::SubjectPublicKeyInfoRef::from_der(der).map_err(|e| malformed(e.to_string()))?;
        let oid = info.algorithm.oid;
        let inner = if oid == ED25519_OID {
            let key = ed25519_dalek::VerifyingKey::try_from(info)
                .map_err(|e| malformed(e.to_string()))?;
            check_ed25519_not_weak(&key)?;
            VerifyingInner::Ed25519(key)
        } else if oid == EC_PUBLIC_KEY_OID {
            let curve = info
                .algorithm
                .parameters_oid()
                .map_err(|e| malformed(format!("EC key without a named curve: {e}")))?;
            if curve == P256_OID {
                VerifyingInner::P256(
                    p256::ecdsa::VerifyingKey::try_from(info)
                        .map_err(|e| malformed(e.to_string()))?,
                )
            } else if curve == P384_OID {
                VerifyingInner::P384(
                    p384::ecdsa::VerifyingKey::try_from(info)
                        .map_err(|e| malformed(e.to_string()))?,
                )
            } else {
                return Err(unsupported_curve(curve));
            }
        } else {
            return Err(unsupported_algorithm(oid));
        };
        Ok(VerifyingKey { inner })
    }

    /// A key from its raw public bytes: Ed25519 the 32-byte point; ECDSA a SEC1 encoded
    /// point (compressed or uncompressed).
    pub fn from_public_bytes(algorithm: Algorithm, bytes: &[u8]) -> Result<Self, KeyError> {
        let malformed = |detail: String| KeyError::Malformed {
            what: "raw public key",
            detail,
        };
        let inner = match algorithm {
            Algorithm::Ed25519 => {
                let key = ed25519_dalek::VerifyingKey::try_from(bytes)
                    .map_err(|e| malformed(format!("{algorithm}: {e}")))?;
                check_ed25519_not_weak(&key)?;
                VerifyingInner::Ed25519(key)
            }
            Algorithm::EcdsaP256Sha256 => {
                VerifyingInner::P256(p256::ecdsa::VerifyingKey::from_sec1_bytes(bytes).map_err(
                    |_| malformed(format!("{algorithm}: not a SEC1 point on the curve")),
                )?)
            }
            Algorithm::EcdsaP384Sha384 => {
                VerifyingInner::P384(p384::ecdsa::VerifyingKey::from_sec1_bytes(bytes).map_err(
                    |_| malformed(format!("{algorithm}: not a SEC1 point on the curve")),
                )?)
            }
        };
        Ok(VerifyingKey { inner })
    }

    /// The raw public bytes: Ed25519 the 32-byte point; ECDSA the uncompressed SEC1 point.
    pub fn public_bytes(&self) -> Vec<u8> {
        match &self.inner {
            VerifyingInner::Ed25519(k) => k.to_bytes().to_vec(),
            VerifyingInner::P256(k) => k.to_sec1_point(false).as_bytes().to_vec(),
            VerifyingInner::P384(k) => k.to_sec1_point(false).as_bytes().to_vec(),
        }
    }

    /// The canonical DER SubjectPublicKeyInfo (EC points uncompressed).
    pub fn to_spki_der(&self) -> Result<Vec<u8>, KeyError> {
        Ok(self.spki_der())
    }

    /// The PEM SubjectPublicKeyInfo (`-----BEGIN PUBLIC KEY-----`, LF line endings).
    pub fn to_spki_pem(&self) -> Result<String, KeyError> {
        der::pem::encode_string("PUBLIC KEY", der::pem::LineEnding::LF, &self.spki_der()).map_err(
            |e| KeyError::Encode {
                what: "SubjectPublicKeyInfo PEM",
                detail: e.to_string(),
            },
        )
    }

    /// The key id: lowercase hex SHA-256 of the canonical SubjectPublicKeyInfo DER
    /// ([`VerifyingKey::to_spki_der`]). Key ids are public; they only select keys to try.
    pub fn key_id(&self) -> String {
        hex::encode(Sha256::digest(self.spki_der()))
    }

    /// The key's algorithm.
    pub fn algorithm(&self) -> Algorithm {
        match self.inner {
            VerifyingInner::Ed25519(_) => Algorithm::Ed25519,
            VerifyingInner::P256(_) => Algorithm::EcdsaP256Sha256,
            VerifyingInner::P384(_) => Algorithm::EcdsaP384Sha384,
        }
    }

    /// Verify `signature` over `message`.
    ///
    /// Ed25519: 64 raw bytes, checked with `verify_strict`. ECDSA: the ASN.1 DER
    /// `ECDSA-Sig-Value` or the fixed-size raw `r || s` (64 bytes for P-256, 96 for P-384);
    /// high-S values are accepted, as sigstore and Go's `crypto/ecdsa` do.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), KeyError> {
        let algorithm = self.algorithm();
        let bad = || KeyError::BadSignature {
            algorithm,
            key_id: self.key_id(),
        };
        let malformed = |detail| KeyError::MalformedSignature {
            algorithm,
            len: signature.len(),
            detail,
        };
        match &self.inner {
            VerifyingInner::Ed25519(k) => {
                let sig = ed25519_dalek::Signature::from_slice(signature)
                    .map_err(|_| malformed("an Ed25519 signature is 64 bytes"))?;
                k.verify_strict(message, &sig).map_err(|_| bad())
            }
            VerifyingInner::P256(k) => {
                let digest = Sha256::digest(message);
                let parsed = ecdsa_curve::parse::<p256::NistP256>(signature, 64)
                    .ok_or_else(|| malformed("neither ASN.1 DER nor 64-byte r||s"))?;
                if parsed
                    .iter()
                    .any(|sig| k.verify_prehash(&digest, sig).is_ok())
                {
                    Ok(())
                } else {
                    Err(bad())
                }
            }
            VerifyingInner::P384(k) => {
                let digest = Sha384::digest(message);
                let parsed = ecdsa_curve::parse::<p384::NistP384>(signature, 96)
                    .ok_or_else(|| malformed("neither ASN.1 DER nor 96-byte r||s"))?;
                if parsed
                    .iter()
                    .any(|sig| k.verify_prehash(&digest, sig).is_ok())
                {
                    Ok(())
                } else {
                    Err(bad())
                }
            }
        }
    }

    fn spki_der(&self) -> Vec<u8> {
        let (prefix, key): (&[u8], Vec<u8>) = match &self.inner {
            VerifyingInner::Ed25519(_) => (&ED25519_SPKI_PREFIX, self.public_bytes()),
            VerifyingInner::P256(_) => (&P256_SPKI_PREFIX, self.public_bytes()),
            VerifyingInner::P384(_) => (&P384_SPKI_PREFIX, self.public_bytes()),
        };
        let mut out = Vec::with_capacity(prefix.len() + key.len());
        out.extend_from_slice(prefix);
        out.extend_from_slice(&key);
        out
    }
}

/// Curve-generic ECDSA signature parsing, so the P-256 and P-384 paths stay identical.
mod ecdsa_curve {
    pub(super) trait Curve: Sized {
        type Sig;
        fn from_der(bytes: &[u8]) -> Option<Self::Sig>;
        fn from_raw(bytes: &[u8]) -> Option<Self::Sig>;
    }

    /// The candidate readings of an ECDSA signature: DER, and raw `r || s` when the length
    /// is `raw_len`. `None` when it is neither.
    pub(super) fn parse<C: Curve>(signature: &[u8], raw_len: usize) -> Option<Vec<C::Sig>> {
        let mut out = Vec::new();
        if let Some(sig) = C::from_der(signature) {
            out.push(sig);
        }
        if signature.len() == raw_len {
            if let Some(sig) = C::from_raw(signature) {
                out.push(sig);
            }
        }
        if out.is_empty() {
            None
        } else {
            Some(out)
        }
    }

    impl Curve for p256::NistP256 {
        type Sig = p256::ecdsa::Signature;
        fn from_der(bytes: &[u8]) -> Option<Self::Sig> {
            p256::ecdsa::Signature::from_der(bytes).ok()
        }
        fn from_raw(bytes: &[u8]) -> Option<Self::Sig> {
            p256::ecdsa::Signature::from_slice(bytes).ok()
        }
    }

    impl Curve for p384::NistP384 {
        type Sig = p384::ecdsa::Signature;
        fn from_der(bytes: &[u8]) -> Option<Self::Sig> {
            p384::ecdsa::Signature::from_der(bytes).ok()
        }
        fn from_raw(bytes: &[u8]) -> Option<Self::Sig> {
            p384::ecdsa::Signature::from_slice(bytes).ok()
        }
    }
}

fn check_ed25519_not_weak(key: &ed25519_dalek::VerifyingKey) -> Result<(), KeyError> {
    if key.is_weak() {
        return Err(KeyError::Malformed {
            what: "Ed25519 public key",
            detail: "small-order point (weak key)".into(),
        });
    }
    Ok(())
}

fn unsupported_curve(curve: ObjectIdentifier) -> KeyError {
    KeyError::UnsupportedKeyAlgorithm(format!(
        "EC curve {curve} (supported: P-256 {P256_OID}, P-384 {P384_OID})"
    ))
}

fn unsupported_algorithm(oid: ObjectIdentifier) -> KeyError {
    KeyError::UnsupportedKeyAlgorithm(format!(
        "{oid} (supported: Ed25519 {ED25519_OID}, EC {EC_PUBLIC_KEY_OID} on P-256 or P-384)"
    ))
}

/// Find the first PEM block (skipping `EC PARAMETERS`) and decode it: `(label, DER)`.
/// Text around the block (comments, other blocks after it) is ignored.
fn decode_pem(text: &str) -> Result<(String, Vec<u8>), KeyError> {
    const BEGIN: &str = "-----BEGIN ";
    let mut rest = text;
    loop {
        let start = rest
            .find(BEGIN)
            .ok_or_else(|| KeyError::Pem("no \"-----BEGIN ...-----\" line found".into()))?;
        let block = rest.get(start..).unwrap_or_default();
        let after_begin = block.get(BEGIN.len()..).unwrap_or_default();
        let label_end = after_begin
            .find("-----")
            .ok_or_else(|| KeyError::Pem("unterminated BEGIN line".into()))?;
        let label = after_begin.get(..label_end).unwrap_or_default();
        let end_line = format!("-----END {label}-----");
        let end = block
            .find(&end_line)
            .ok_or_else(|| KeyError::Pem(format!("missing \"{end_line}\" line")))?;
        let block_end = end + end_line.len();
        if label == "EC PARAMETERS" {
            rest = block.get(block_end..).unwrap_or_default();
            continue;
        }
        let pem = block.get(..block_end).unwrap_or_default();
        let (label, der) = der::pem::decode_vec(pem.as_bytes())
            .map_err(|e| KeyError::Pem(format!("\"{label}\" block: {e}")))?;
        return Ok((label.to_owned(), der));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spki::EncodePublicKey as _;

    fn seed(n: u8) -> [u8; 32] {
        [n; 32]
    }

    fn all_keys() -> Vec<SigningKey> {
        let p384_pem = "-----BEGIN PRIVATE KEY-----
MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDCjo2bCU9mTfOP172YX
8Uv4W9LBI6Ou00+wcXtUXguq30V5yHyhmHwPHrqSsQwXDmGhZANiAARx/wHvzs3w
4rY+u4qLTMC4OmzBsGIU7bgFitFJEvElI+7CjDsnA55pqfvtDtpRe4nP5n3y+/Gz
llBLZr7mCWyMugURteIcSZ3L0QzKwXUQEdAhEJ/f26TXwpjaqIPMM/c=
-----END PRIVATE KEY-----
";
        vec![
            SigningKey::generate(Algorithm::Ed25519, &seed(1)).unwrap(),
            SigningKey::generate(Algorithm::EcdsaP256Sha256, &seed(2)).unwrap(),
            SigningKey::from_pkcs8_pem(p384_pem).unwrap(),
        ]
    }

    #[test]
    fn sign_verify_all_algorithms() {
        for key in all_keys() {
            let vk = key.verifying_key();
            assert_eq!(vk.algorithm(), key.algorithm());
            let sig = key.sign(b"message");
            vk.verify(b"message", &sig).unwrap();
            assert!(matches!(
                vk.verify(b"messagf", &sig),
                Err(KeyError::BadSignature { .. })
            ));
            // Deterministic.
            assert_eq!(sig, key.sign(b"message"));
        }
    }

    #[test]
    fn ecdsa_accepts_raw_and_high_s() {
        let key = SigningKey::generate(Algorithm::EcdsaP256Sha256, &seed(3)).unwrap();
        let vk = key.verifying_key();
        let der_sig = key.sign(b"m");
        let sig = p256::ecdsa::Signature::from_der(&der_sig).unwrap();
        vk.verify(b"m", &sig.to_bytes()).unwrap();
        // High-S twin: (r, n - s).
        let (r, s) = sig.split_scalars();
        let neg = -*s;
        let high = p256::ecdsa::Signature::from_scalars(r.to_bytes(), neg.to_bytes()).unwrap();
        assert_ne!(high.to_bytes(), sig.to_bytes());
        vk.verify(b"m", &high.to_bytes()).unwrap();
        vk.verify(b"m", high.to_der().as_bytes()).unwrap();
        assert!(matches!(
            vk.verify(b"m", &[0x30, 0x00]),
            Err(KeyError::MalformedSignature { .. })
        ));
        assert!(matches!(
            vk.verify(b"m", &[]),
            Err(KeyError::MalformedSignature { .. })
        ));
    }

    #[test]
    fn ed25519_rejects_wrong_length() {
        let key = SigningKey::generate(Algorithm::Ed25519, &seed(4)).unwrap();
        let vk = key.verifying_key();
        let sig = key.sign(b"m");
        assert!(matches!(
            vk.verify(b"m", &sig[..63]),
            Err(KeyError::MalformedSignature { .. })
        ));
    }

    #[test]
    fn p256_invalid_seeds_are_refused() {
        assert_eq!(
            SigningKey::generate(Algorithm::EcdsaP256Sha256, &[0; 32]).unwrap_err(),
            KeyError::InvalidSeed {
                algorithm: Algorithm::EcdsaP256Sha256
            }
        );
        assert!(matches!(
            SigningKey::generate(Algorithm::EcdsaP256Sha256, &[0xff; 32]),
            Err(KeyError::InvalidSeed { .. })
        ));
        assert!(matches!(
            SigningKey::generate(Algorithm::EcdsaP384Sha384, &seed(1)),
            Err(KeyError::Unsupported { .. })
        ));
    }

    #[test]
    fn spki_encoding_matches_crates_and_round_trips() {
        for key in all_keys() {
            let vk = key.verifying_key();
            let ours = vk.to_spki_der().unwrap();
            let theirs = match &vk.inner {
                VerifyingInner::Ed25519(k) => k.to_public_key_der().unwrap(),
                VerifyingInner::P256(k) => k.to_public_key_der().unwrap(),
                VerifyingInner::P384(k) => k.to_public_key_der().unwrap(),
            };
            assert_eq!(ours, theirs.as_bytes(), "{}", vk.algorithm());
            let pem = vk.to_spki_pem().unwrap();
            assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
            let back = VerifyingKey::from_spki_pem(&pem).unwrap();
            assert_eq!(back, vk);
            assert_eq!(back.key_id(), hex::encode(Sha256::digest(&ours)));
            assert_eq!(
                VerifyingKey::from_public_bytes(vk.algorithm(), &vk.public_bytes()).unwrap(),
                vk
            );
        }
    }

    #[test]
    fn pkcs8_round_trips() {
        for key in all_keys() {
            let pem = key.to_pkcs8_pem().unwrap();
            assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
            let back = SigningKey::from_pkcs8_pem(&pem).unwrap();
            assert_eq!(back.verifying_key(), key.verifying_key());
            assert_eq!(back.sign(b"x"), key.sign(b"x"));
        }
    }

    #[test]
    fn reads_openssl_keys() {
        // `openssl genpkey -algorithm ed25519` and `openssl ecparam -genkey -name prime256v1`
        // (SEC1 with an EC PARAMETERS block first), and their public keys.
        let ed_priv = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIB7N+cmyQbiPFVmgV31ogUEJZ0vVwJk8NGRAaA536Lab
-----END PRIVATE KEY-----
";
        let ed_pub = "-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAvXds7aEpiLE+CKgwRBKguSrq57UXpgYpjZUKV2Dr418=
-----END PUBLIC KEY-----
";
        let ec_priv = "-----BEGIN EC PARAMETERS-----
BggqhkjOPQMBBw==
-----END EC PARAMETERS-----
-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIA3aOJxcxWuxEnnvfDmiPuPeaa8jfaTW+OqSZBT6UnxNoAoGCCqGSM49
AwEHoUQDQgAE1JIu574phfM8/1QIuzwU1j1ulgNtSqJwv5Us92Gs5XdwWFBHozjv
b+tmZ6d4Y4R3W8nGIRV9WdU0qGURzqkztw==
-----END EC PRIVATE KEY-----
";
        let ec_pub = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE1JIu574phfM8/1QIuzwU1j1ulgNt
SqJwv5Us92Gs5XdwWFBHozjvb+tmZ6d4Y4R3W8nGIRV9WdU0qGURzqkztw==
-----END PUBLIC KEY-----
";
        for (private, public, alg) in [
            (ed_priv, ed_pub, Algorithm::Ed25519),
            (ec_priv, ec_pub, Algorithm::EcdsaP256Sha256),
        ] {
            let sk = SigningKey::from_pkcs8_pem(private).unwrap();
            let vk = VerifyingKey::from_spki_pem(public).unwrap();
            assert_eq!(sk.algorithm(), alg);
            assert_eq!(sk.verifying_key(), vk);
            vk.verify(b"hi", &sk.sign(b"hi")).unwrap();
        }
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert!(matches!(
            VerifyingKey::from_spki_pem("nothing here"),
            Err(KeyError::Pem(_))
        ));
        assert!(matches!(
            VerifyingKey::from_spki_der(&[0x30, 0x03, 0x02, 0x01, 0x00]),
            Err(KeyError::Malformed { .. })
        ));
        let sk = SigningKey::generate(Algorithm::Ed25519, &seed(9)).unwrap();
        let priv_pem = sk.to_pkcs8_pem().unwrap();
        assert!(matches!(
            VerifyingKey::from_spki_pem(&priv_pem),
            Err(KeyError::Pem(_))
        ));
        // Truncated DER at every length never panics.
        let der = sk.verifying_key().to_spki_der().unwrap();
        for n in 0..der.len() {
            assert!(VerifyingKey::from_spki_der(&der[..n]).is_err());
        }
        let pk8 = sk.to_pkcs8_der().unwrap();
        for n in 0..pk8.len() {
            assert!(SigningKey::from_pkcs8_der(&pk8[..n]).is_err());
        }
        // Weak (small-order) Ed25519 key: the identity point.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert!(VerifyingKey::from_public_bytes(Algorithm::Ed25519, &identity).is_err());
        // Unsupported algorithm: an RSA SPKI.
        let rsa = "-----BEGIN PUBLIC KEY-----
MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBALUaVGLV1KxHUqh6T1k+Yh9Wx8yNg3U9
W3DXBRFXFI8PkuXjabU/xIXQ3wBMvJpIwxJyHKCc/YGXbPwF0eQ0voMCAwEAAQ==
-----END PUBLIC KEY-----
";
        assert!(matches!(
            VerifyingKey::from_spki_pem(rsa),
            Err(KeyError::UnsupportedKeyAlgorithm(_))
        ));
    }

    #[test]
    fn debug_does_not_print_secret() {
        let sk = SigningKey::generate(Algorithm::Ed25519, &seed(7)).unwrap();
        let dbg = format!("{sk:?}");
        assert!(dbg.contains("key_id"));
        assert!(!dbg.contains(&hex::encode(seed(7))));
    }
}
