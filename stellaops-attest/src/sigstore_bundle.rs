//! Offline verification of Sigstore bundles (`*.sigstore.json`, media types v0.1, v0.2 and
//! v0.3) against a Sigstore `trusted_root.json`, built on this crate's own pieces: the
//! certificate verifier of [`crate::ca`], DSSE ([`crate::dsse`]), keys ([`crate::keys`]) and
//! the transparency-log proofs and signed notes of [`crate::tlog`].
//!
//! [`verify_bundle`] / [`verify_bundle_with`] check, in this order:
//!
//! 1. **Parsing**: the bundle JSON (media type, verification material, exactly one of
//!    `messageSignature` / `dsseEnvelope`, 64-bit integers as protobuf-JSON strings or
//!    numbers, negative values refused, base64 standard or URL-safe, line breaks ignored as
//!    Go and Python decoders do) and the trusted root
//!    (every transparency log, certificate authority and timestamp authority must carry a
//!    `validFor.start`: a missing bound is an error, not "unbounded").
//! 2. **Transparency log entries** (at least one; each one):
//!    - its `logId` names a log of the trusted root, and `kindVersion` equals the `kind` /
//!      `apiVersion` of the `canonicalizedBody`;
//!    - an **inclusion proof is required** (offline verification): leaf hash
//!      `SHA-256(0x00 || canonicalizedBody)`, RFC 6962 path to `rootHash` at `treeSize`
//!      ([`crate::tlog::verify_inclusion`]);
//!    - the **signed entry timestamp** (`inclusionPromise`), when present, must verify with
//!      the log key over `{"body":..,"integratedTime":..,"logID":..,"logIndex":..}`; v0.1
//!      bundles must have one. Only a verified SET turns `integratedTime` into a trusted
//!      signing time;
//!    - the **checkpoint is required** (except for v0.1 entries, which the v0.1 format lets
//!      rest on their verified SET) and must be a signed note by the log key: Rekor v1 logs
//!      sign with ECDSA and a key ID that is the first 4 bytes of SHA-256 of the DER
//!      SubjectPublicKeyInfo ([`crate::tlog::note::SpkiNoteVerifier`]); Rekor v2 logs use
//!      standard C2SP Ed25519 notes ([`crate::tlog::NoteVerifier`]). The signature name must
//!      be the host of the log's `baseUrl`, the origin that host (v2) or `"<host> - <tree
//!      ID>"` (v1); signatures by unknown keys (witness cosignatures) are ignored, a bad
//!      signature by the log key fails; the checkpoint's size and root hash must equal the
//!      proof's;
//!    - the log key must be valid (trusted root `validFor`, closed interval) at the entry's
//!      `integratedTime`, or, for entries without one (Rekor v2), at every RFC 3161 time.
//! 3. **RFC 3161 timestamps** (`timestampVerificationData`), each one: CMS `SignedData` with
//!    a `TSTInfo` whose message imprint is the hash of the bundle's signature, signed
//!    attributes (content type, message digest of the `TSTInfo`), an ECDSA (P-256/P-384)
//!    signature by the leaf certificate of a timestamp authority of the trusted root (its
//!    chain checked: issuer signatures and validity at the time), the time within the
//!    authority's `validFor`. Certificates embedded in the token are ignored: only the
//!    trusted root's are used. Any timestamp that does not verify fails the bundle.
//! 4. **The signer**: a Fulcio certificate (v0.3 `certificate`, or the first of a v0.1/v0.2
//!    `x509CertificateChain`; further chain certificates are offered as intermediates, and a
//!    root among them is refused) is verified with [`crate::ca::verify_signing_cert_der`] at
//!    **every** verified time (SET-backed `integratedTime`s and RFC 3161 times; at least one
//!    is required), against the certificate authorities of the trusted root valid at that
//!    time, with the expected identity when one is given. A managed-key bundle
//!    (`verificationMaterial.publicKey`) needs the key from the caller
//!    ([`VerifyOptions::public_key`]).
//! 5. **The signature**: `messageSignature` over the artifact bytes (or, given only a
//!    SHA-256 digest, ECDSA P-256 over that prehash); a bundle `messageDigest` must equal the
//!    artifact's. `dsseEnvelope`: exactly one signature, verified over the DSSE PAE; when an
//!    artifact is given the payload must be an in-toto statement with a subject of that
//!    SHA-256 digest.
//! 6. **The log entry binds this bundle**: `hashedrekord` 0.0.1 (hash, signature, public key /
//!    certificate), `dsse` 0.0.1 (payload hash, signatures and verifiers), `intoto` 0.0.2
//!    (payload hash, payload type, double-base64 signatures and keys, payload when present),
//!    `hashedrekord` 0.0.2 (Rekor v2; for DSSE the digest is SHA-256 of the PAE) and `dsse`
//!    0.0.2 (Rekor v2; written from the Rekor v2 schema, no conformance case exercises it).
//!    PEM inside Rekor v1 bodies is read leniently (unwrapped base64 lines), as Go does.
//!
//! **Not checked** (documented gaps): Signed Certificate Timestamps in the Fulcio
//! certificate (the CT logs of the trusted root are not read); `envelopeHash` / `hash` of
//! `dsse` / `intoto` entries (they depend on Rekor's re-serialisation of the envelope);
//! "integrated time in the future" (this crate reads no clock — the caller can compare
//! [`VerifiedBundle::verified_times`] with its own clock); witness cosignatures; certificate
//! revocation; the RFC 3161 nonce / policy / TSA EKU; `hint` of managed keys (unauthenticated).
//! Without an artifact ([`Artifact::BundleDigest`]) only "a signature over the bundle's
//! digest was logged" is established, and DSSE subjects are not matched. Managed-key bundles
//! need no verified time (keys have no validity period). Bundles with only RFC 3161
//! timestamps and no log entry are refused ([`BundleVerifyError::NoTlogEntry`]).
//!
//! **Unsupported** ([`BundleVerifyError::Unsupported`]): RSA or other non-ECDSA/Ed25519 keys
//! in certificate chains and timestamp authorities (no RSA implementation among the crate's
//! dependencies), signatures checked from a digest alone with non-P-256 keys, other bundle
//! media types and log entry kinds.
//!
//! The module does no I/O and reads no clock; malformed input yields an error, never a panic.

use base64::engine::general_purpose::{
    STANDARD, STANDARD_PAD_INDIFFERENT, URL_SAFE_PAD_INDIFFERENT,
};
use base64::Engine as _;
use der::asn1::ObjectIdentifier;
use der::{Decode as _, Encode as _};
use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
use serde_json::Value;
use sha2::{Digest as _, Sha256, Sha384, Sha512};
use spki::DecodePublicKey as _;

use crate::ca::{self, CaError, Identity, VerifiedCert};
use crate::dsse;
use crate::keys::{Algorithm, VerifyingKey};
use crate::tlog::note::{open_note_with, NoteKey, NoteVerifier, SpkiNoteVerifier};
use crate::tlog::{leaf_hash, verify_inclusion, Checkpoint, Hash, ProofError};

/// Bundle media type v0.1.
pub const MEDIA_TYPE_V01: &str = "application/vnd.dev.sigstore.bundle+json;version=0.1";
/// Bundle media type v0.2.
pub const MEDIA_TYPE_V02: &str = "application/vnd.dev.sigstore.bundle+json;version=0.2";
/// Bundle media type v0.3.
pub const MEDIA_TYPE_V03: &str = "application/vnd.dev.sigstore.bundle.v0.3+json";
/// Bundle media type v0.3, legacy spelling.
const MEDIA_TYPE_V03_LEGACY: &str = "application/vnd.dev.sigstore.bundle+json;version=0.3";
/// The in-toto DSSE payload type.
const IN_TOTO_PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

const OID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const OID_TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");
const OID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const OID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const OID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const OID_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const OID_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");
const OID_ECDSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const OID_ECDSA_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");
const OID_ECDSA_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4");

/// Why a bundle did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BundleVerifyError {
    /// The bundle is not valid JSON or lacks / mangles a required field.
    #[error("malformed bundle: {0}")]
    MalformedBundle(String),
    /// The trusted root is not valid JSON, lacks a required field (e.g. `validFor.start`).
    #[error("malformed trusted root: {0}")]
    MalformedTrustedRoot(String),
    /// A bundle feature this verifier does not implement (media type, entry kind, key type).
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// The bundle's certificate chain has no certificate.
    #[error("the bundle's certificate chain is empty")]
    EmptyCertificateChain,
    /// The bundle is signed with a managed key but the caller supplied none.
    #[error("the bundle is signed with a managed key (verificationMaterial.publicKey) but no public key was supplied")]
    MissingPublicKey,
    /// The supplied public key is unusable or does not fit the bundle.
    #[error("public key: {0}")]
    PublicKey(String),
    /// The signing certificate does not verify at a verified signing time.
    #[error("signing certificate at {}: {source}", ca::fmt_time(*time))]
    Certificate {
        /// The verified time (Unix seconds) at which the certificate was checked.
        time: u64,
        /// The certificate verifier's error.
        source: CaError,
    },
    /// No certificate authority of the trusted root is valid at a verified signing time.
    #[error("no certificate authority of the trusted root is valid at {}", ca::fmt_time(*time))]
    NoCertificateAuthority {
        /// The verified time, Unix seconds.
        time: u64,
    },
    /// The artifact or DSSE signature does not verify with the signer's key.
    #[error("signature does not verify: {0}")]
    BadSignature(String),
    /// The artifact differs from what the bundle signed (digest, in-toto subject).
    #[error("artifact does not match the bundle: {0}")]
    ArtifactMismatch(String),
    /// The bundle has no transparency log entry.
    #[error("the bundle has no transparency log entry")]
    NoTlogEntry,
    /// The entry's log is not in the trusted root.
    #[error("transparency log with ID {log_id} is not in the trusted root")]
    UnknownLog {
        /// The log ID (base64) from the bundle.
        log_id: String,
    },
    /// The entry has no inclusion proof.
    #[error("log entry {log_index}: no inclusion proof (offline verification requires one)")]
    MissingInclusionProof {
        /// The entry's log index.
        log_index: u64,
    },
    /// The inclusion proof does not lead to its root hash.
    #[error("log entry {log_index}: inclusion proof does not verify: {source}")]
    InclusionProof {
        /// The entry's log index.
        log_index: u64,
        /// The proof verifier's error.
        source: ProofError,
    },
    /// The inclusion proof has no checkpoint.
    #[error("log entry {log_index}: the inclusion proof has no checkpoint")]
    MissingCheckpoint {
        /// The entry's log index.
        log_index: u64,
    },
    /// The checkpoint is malformed, not signed by the log, or not the proof's tree head.
    #[error("log entry {log_index}: checkpoint: {detail}")]
    Checkpoint {
        /// The entry's log index.
        log_index: u64,
        /// What is wrong.
        detail: String,
    },
    /// A v0.1 bundle entry without a signed entry timestamp.
    #[error(
        "log entry {log_index}: v0.1 bundles need a signed entry timestamp (inclusionPromise)"
    )]
    MissingInclusionPromise {
        /// The entry's log index.
        log_index: u64,
    },
    /// The signed entry timestamp does not verify.
    #[error("log entry {log_index}: signed entry timestamp: {detail}")]
    SignedEntryTimestamp {
        /// The entry's log index.
        log_index: u64,
        /// What is wrong.
        detail: String,
    },
    /// The log entry's body does not describe this bundle's signature, key or content.
    #[error("log entry {log_index} does not match the bundle: {detail}")]
    LogEntryMismatch {
        /// The entry's log index.
        log_index: u64,
        /// What differs.
        detail: String,
    },
    /// The log's key is not valid (trusted root `validFor`) at the entry's time.
    #[error("the key of transparency log {log} is not valid at {}", ca::fmt_time(*time))]
    LogKeyNotValid {
        /// The log's base URL.
        log: String,
        /// The time checked, Unix seconds.
        time: u64,
    },
    /// An RFC 3161 timestamp does not verify.
    #[error("RFC 3161 timestamp {index}: {detail}")]
    Timestamp {
        /// Index in `rfc3161Timestamps`.
        index: usize,
        /// What is wrong.
        detail: String,
    },
    /// Nothing proves when the certificate was used.
    #[error("no verified signing time: the certificate needs a verified signed entry timestamp or RFC 3161 timestamp")]
    NoVerifiedTime,
}

/// What the signature is checked against.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Artifact<'a> {
    /// No artifact: trust the bundle's own `messageDigest` (message signatures) and skip the
    /// in-toto subject check (DSSE). Establishes only that a signature over that digest /
    /// payload was logged.
    #[default]
    BundleDigest,
    /// The artifact bytes.
    Bytes(&'a [u8]),
    /// The artifact's SHA-256 digest (message signatures verify as ECDSA P-256 prehash).
    Sha256(&'a [u8; 32]),
}

/// Options of [`verify_bundle_with`].
#[derive(Debug, Clone, Copy, Default)]
pub struct VerifyOptions<'a> {
    /// The artifact the bundle must sign.
    pub artifact: Artifact<'a>,
    /// The identity the Fulcio certificate must name (checked exactly); `None` accepts any
    /// identity the trusted CAs issued — then check [`VerifiedBundle::identity`] yourself.
    pub expected_identity: Option<&'a Identity>,
    /// For managed-key bundles: the public key (PEM `PUBLIC KEY` or DER
    /// SubjectPublicKeyInfo). Refused for certificate bundles.
    pub public_key: Option<&'a [u8]>,
}

/// Who signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signer {
    /// A certificate verified against the trusted root (identity, key, validity).
    Certificate(VerifiedCert),
    /// A managed key supplied by the caller (canonical DER SubjectPublicKeyInfo).
    PublicKey {
        /// The key, DER SubjectPublicKeyInfo.
        spki_der: Vec<u8>,
    },
}

/// What was signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignedContent {
    /// A message signature over an artifact with this SHA-256 digest.
    MessageDigest {
        /// The SHA-256 digest signed.
        sha256: [u8; 32],
        /// Whether the digest came from the caller's artifact (`false`: from the bundle).
        artifact_checked: bool,
    },
    /// A DSSE envelope.
    Dsse {
        /// The authenticated payload type.
        payload_type: String,
        /// The authenticated payload.
        payload: Vec<u8>,
        /// Whether an artifact digest was matched against the in-toto subjects.
        artifact_checked: bool,
    },
}

/// Where a verified time comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeSource {
    /// A Rekor `integratedTime` backed by a verified signed entry timestamp.
    SignedEntryTimestamp {
        /// The entry's log index.
        log_index: u64,
    },
    /// An RFC 3161 timestamp.
    TimestampAuthority {
        /// The authority's URI from the trusted root.
        uri: String,
    },
}

/// A time the signature provably existed at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedTime {
    /// Where it comes from.
    pub source: TimeSource,
    /// Unix seconds (fractions dropped).
    pub unix_seconds: u64,
}

/// A verified transparency log entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedTlogEntry {
    /// The log's base URL from the trusted root.
    pub log_url: String,
    /// The log ID, hex.
    pub log_id_hex: String,
    /// The entry's log index (global for sharded Rekor v1 logs).
    pub log_index: u64,
    /// The leaf index in the proven tree.
    pub tree_index: u64,
    /// The proven tree size.
    pub tree_size: u64,
    /// The root hash the inclusion proof leads to (signed by the log's checkpoint).
    pub root_hash: Hash,
    /// The origin line of the verified checkpoint; `None` for a v0.1 entry without a
    /// checkpoint, accepted on its signed entry timestamp (then `root_hash` is only what the
    /// proof leads to, not authenticated by the log).
    pub checkpoint_origin: Option<String>,
    /// Entry kind and version, e.g. `hashedrekord` / `0.0.1`.
    pub kind: String,
    /// Entry version.
    pub version: String,
    /// `integratedTime`, when the entry has one.
    pub integrated_time: Option<u64>,
    /// Whether a signed entry timestamp was present and verified.
    pub signed_entry_timestamp: bool,
}

/// A verified bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedBundle {
    /// The bundle media type.
    pub media_type: String,
    /// Who signed.
    pub signer: Signer,
    /// What was signed.
    pub content: SignedContent,
    /// The verified log entries.
    pub tlog_entries: Vec<VerifiedTlogEntry>,
    /// The verified signing times (the certificate was valid at each).
    pub verified_times: Vec<VerifiedTime>,
}

impl VerifiedBundle {
    /// The certificate identity, for certificate bundles.
    pub fn identity(&self) -> Option<&Identity> {
        match &self.signer {
            Signer::Certificate(cert) => Some(&cert.identity),
            Signer::PublicKey { .. } => None,
        }
    }
}

/// Verifies a Sigstore bundle offline against a `trusted_root.json`; see the module docs.
///
/// `artifact`: the signed bytes (`None`: trust the bundle's digest, see
/// [`Artifact::BundleDigest`]). `expected_identity`: the certificate identity to require.
/// Managed-key bundles need [`verify_bundle_with`].
pub fn verify_bundle(
    bundle_json: &[u8],
    trusted_root_json: &[u8],
    artifact: Option<&[u8]>,
    expected_identity: Option<&Identity>,
) -> Result<VerifiedBundle, BundleVerifyError> {
    verify_bundle_with(
        bundle_json,
        trusted_root_json,
        &VerifyOptions {
            artifact: artifact.map_or(Artifact::BundleDigest, Artifact::Bytes),
            expected_identity,
            public_key: None,
        },
    )
}

/// [`verify_bundle`] with all options (artifact as digest, managed public key).
pub fn verify_bundle_with(
    bundle_json: &[u8],
    trusted_root_json: &[u8],
    options: &VerifyOptions<'_>,
) -> Result<VerifiedBundle, BundleVerifyError> {
    let root = TrustedRoot::parse(trusted_root_json)?;
    let bundle = Bundle::parse(bundle_json)?;

    // The signer's material (the certificate is verified once times are known).
    let (leaf, extra_certs, managed_key) = match &bundle.material {
        Material::Certificates(certs) => {
            let Some((leaf, extra)) = certs.split_first() else {
                return Err(BundleVerifyError::EmptyCertificateChain);
            };
            if options.public_key.is_some() {
                return Err(BundleVerifyError::PublicKey(
                    "a public key was supplied but the bundle is signed with a certificate".into(),
                ));
            }
            (Some(leaf.as_slice()), extra, None)
        }
        Material::PublicKey => {
            let pem_or_der = options
                .public_key
                .ok_or(BundleVerifyError::MissingPublicKey)?;
            if options.expected_identity.is_some() {
                return Err(BundleVerifyError::PublicKey(
                    "an identity is expected but the bundle is signed with a managed key, which has none"
                        .into(),
                ));
            }
            (None, &[][..], Some(parse_public_key(pem_or_der)?))
        }
    };

    // Transparency log entries.
    if bundle.entries.is_empty() {
        return Err(BundleVerifyError::NoTlogEntry);
    }
    let mut entries = Vec::with_capacity(bundle.entries.len());
    let mut times = Vec::new();
    for entry in &bundle.entries {
        let (verified, log, body) = verify_entry(entry, &root, bundle.version)?;
        if let Some(time) = verified.integrated_time {
            check_log_validity(log, time)?;
            if verified.signed_entry_timestamp {
                times.push(VerifiedTime {
                    source: TimeSource::SignedEntryTimestamp {
                        log_index: entry.log_index,
                    },
                    unix_seconds: time,
                });
            }
        }
        entries.push((verified, log, body, entry));
    }

    // RFC 3161 timestamps over the signature.
    let signature = bundle.content.signature()?;
    for (index, token) in bundle.timestamps.iter().enumerate() {
        let (time, uri) = verify_rfc3161(token, signature, &root.tsas)
            .map_err(|detail| BundleVerifyError::Timestamp { index, detail })?;
        let unix_seconds = u64::try_from(time.secs).map_err(|_| BundleVerifyError::Timestamp {
            index,
            detail: "time before 1970".into(),
        })?;
        times.push(VerifiedTime {
            source: TimeSource::TimestampAuthority { uri },
            unix_seconds,
        });
    }
    // Logs without an integrated time (Rekor v2) must be valid at the timestamps.
    for (verified, log, _, _) in &entries {
        if verified.integrated_time.is_none() {
            for t in &times {
                if matches!(t.source, TimeSource::TimestampAuthority { .. }) {
                    check_log_validity(log, t.unix_seconds)?;
                }
            }
        }
    }

    // The signer.
    let (signer, key) = match (leaf, managed_key) {
        (Some(leaf), _) => {
            if times.is_empty() {
                return Err(BundleVerifyError::NoVerifiedTime);
            }
            let mut verified: Option<VerifiedCert> = None;
            for t in &times {
                let cert = verify_cert_at(
                    leaf,
                    extra_certs,
                    &root,
                    t.unix_seconds,
                    options.expected_identity,
                )?;
                if verified.is_none() {
                    verified = Some(cert);
                }
            }
            let cert = verified.ok_or(BundleVerifyError::NoVerifiedTime)?;
            let key = VerifyingKey::from_spki_der(&cert.public_key_spki_der)
                .map_err(|e| BundleVerifyError::Unsupported(format!("certificate key: {e}")))?;
            (Signer::Certificate(cert), key)
        }
        (None, Some(key)) => (
            Signer::PublicKey {
                spki_der: key.to_spki_der().unwrap_or_default(),
            },
            key,
        ),
        (None, None) => return Err(BundleVerifyError::MissingPublicKey),
    };
    let signer_ref = SignerRef {
        key: &key,
        leaf_der: leaf,
    };

    // The signature over the content.
    let content = verify_content(&bundle.content, &key, options.artifact)?;

    // Every log entry describes this bundle.
    for (verified, _, body, entry) in &entries {
        check_body(entry, body, &bundle.content, &content, &signer_ref).map_err(|detail| {
            BundleVerifyError::LogEntryMismatch {
                log_index: verified.log_index,
                detail,
            }
        })?;
    }

    Ok(VerifiedBundle {
        media_type: bundle.media_type,
        signer,
        content,
        tlog_entries: entries.into_iter().map(|(v, _, _, _)| v).collect(),
        verified_times: times,
    })
}

// ---------------------------------------------------------------------------------------------
// Trusted root
// ---------------------------------------------------------------------------------------------

/// A point in time: Unix seconds and nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Instant {
    secs: i64,
    nanos: u32,
}

impl Instant {
    fn from_secs(secs: u64) -> Self {
        Self {
            secs: i64::try_from(secs).unwrap_or(i64::MAX),
            nanos: 0,
        }
    }
}

/// A closed validity interval `[start, end]`.
#[derive(Debug, Clone, Copy)]
struct Validity {
    start: Instant,
    end: Option<Instant>,
}

impl Validity {
    fn contains(&self, t: Instant) -> bool {
        t >= self.start && self.end.is_none_or(|end| t <= end)
    }
}

struct TlogKey {
    base_url: String,
    host: String,
    log_id: Vec<u8>,
    spki_der: Vec<u8>,
    key: Result<VerifyingKey, String>,
    valid: Validity,
}

struct Authority {
    uri: String,
    certs: Vec<Vec<u8>>,
    valid: Validity,
}

struct TrustedRoot {
    tlogs: Vec<TlogKey>,
    cas: Vec<Authority>,
    tsas: Vec<Authority>,
}

impl TrustedRoot {
    fn parse(json: &[u8]) -> Result<Self, BundleVerifyError> {
        Self::parse_inner(json).map_err(BundleVerifyError::MalformedTrustedRoot)
    }

    fn parse_inner(json: &[u8]) -> Result<Self, String> {
        let v: Value = serde_json::from_slice(json).map_err(|e| format!("not JSON: {e}"))?;
        let media_type = req_str(&v, "mediaType", "trustedRoot")?;
        if !media_type.starts_with("application/vnd.dev.sigstore.trustedroot") {
            return Err(format!("unexpected media type {media_type:?}"));
        }
        let mut tlogs = Vec::new();
        for (i, t) in opt_array(&v, "tlogs", "trustedRoot")?.iter().enumerate() {
            let path = format!("tlogs[{i}]");
            let base_url = req_str(t, "baseUrl", &path)?.to_string();
            let host = url_host(&base_url)
                .ok_or_else(|| format!("{path}.baseUrl {base_url:?} has no host"))?
                .to_string();
            let pk = req(t, "publicKey", &path)?;
            let pk_path = format!("{path}.publicKey");
            let spki_der = req_b64(pk, "rawBytes", &pk_path)?;
            let valid = parse_validity(pk, &pk_path)?;
            let log_id = req_b64(req(t, "logId", &path)?, "keyId", &format!("{path}.logId"))?;
            let mut key = VerifyingKey::from_spki_der(&spki_der).map_err(|e| e.to_string());
            if let Some(alg) = get(t, "hashAlgorithm").and_then(Value::as_str) {
                if alg != "SHA2_256" {
                    key = Err(format!("log hash algorithm {alg} is not supported"));
                }
            }
            tlogs.push(TlogKey {
                base_url,
                host,
                log_id,
                spki_der,
                key,
                valid,
            });
        }
        let cas = parse_authorities(&v, "certificateAuthorities")?;
        let tsas = parse_authorities(&v, "timestampAuthorities")?;
        Ok(Self { tlogs, cas, tsas })
    }
}

fn parse_authorities(v: &Value, key: &str) -> Result<Vec<Authority>, String> {
    let mut out = Vec::new();
    for (i, a) in opt_array(v, key, "trustedRoot")?.iter().enumerate() {
        let path = format!("{key}[{i}]");
        let uri = get(a, "uri")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let chain = req(a, "certChain", &path)?;
        let mut certs = Vec::new();
        for (j, c) in req_array(chain, "certificates", &format!("{path}.certChain"))?
            .iter()
            .enumerate()
        {
            certs.push(req_b64(
                c,
                "rawBytes",
                &format!("{path}.certChain.certificates[{j}]"),
            )?);
        }
        if certs.is_empty() {
            return Err(format!("{path}.certChain has no certificates"));
        }
        let valid = parse_validity(a, &path)?;
        out.push(Authority { uri, certs, valid });
    }
    Ok(out)
}

/// `validFor` with a required `start` and an optional `end` (RFC 3339).
fn parse_validity(v: &Value, path: &str) -> Result<Validity, String> {
    let valid_for = req(v, "validFor", path)?;
    let path = format!("{path}.validFor");
    let start = req_str(valid_for, "start", &path)?;
    let start =
        parse_rfc3339(start).ok_or_else(|| format!("{path}.start {start:?} is not RFC 3339"))?;
    let end = match get(valid_for, "end") {
        None => None,
        Some(e) => {
            let e = e
                .as_str()
                .ok_or_else(|| format!("{path}.end is not a string"))?;
            Some(parse_rfc3339(e).ok_or_else(|| format!("{path}.end {e:?} is not RFC 3339"))?)
        }
    };
    if end.is_some_and(|end| end < start) {
        return Err(format!("{path} ends before it starts"));
    }
    Ok(Validity { start, end })
}

/// The host (and port) of `scheme://host[:port][/path]`.
fn url_host(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then_some(host)
}

fn check_log_validity(log: &TlogKey, time: u64) -> Result<(), BundleVerifyError> {
    if log.valid.contains(Instant::from_secs(time)) {
        Ok(())
    } else {
        Err(BundleVerifyError::LogKeyNotValid {
            log: log.base_url.clone(),
            time,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Bundle parsing
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BundleVersion {
    V01,
    V02,
    V03,
}

enum Material {
    /// Leaf first.
    Certificates(Vec<Vec<u8>>),
    PublicKey,
}

enum Content {
    Message {
        /// `(algorithm, digest)` of `messageDigest`, when present.
        digest: Option<(String, Vec<u8>)>,
        signature: Vec<u8>,
    },
    Dsse(dsse::Envelope),
}

impl Content {
    /// The signature bytes (the only DSSE signature).
    fn signature(&self) -> Result<&[u8], BundleVerifyError> {
        match self {
            Content::Message { signature, .. } => Ok(signature),
            Content::Dsse(env) => match env.signatures.as_slice() {
                [one] => Ok(&one.sig),
                _ => Err(BundleVerifyError::MalformedBundle(format!(
                    "the DSSE envelope must carry exactly one signature, it has {}",
                    env.signatures.len()
                ))),
            },
        }
    }
}

struct Proof {
    index: u64,
    tree_size: u64,
    root: Hash,
    hashes: Vec<Hash>,
    checkpoint: Option<String>,
}

struct Entry {
    log_index: u64,
    log_id: Vec<u8>,
    kind: String,
    version: String,
    integrated_time: Option<u64>,
    set: Option<Vec<u8>>,
    proof: Option<Proof>,
    body: Vec<u8>,
}

struct Bundle {
    media_type: String,
    version: BundleVersion,
    material: Material,
    entries: Vec<Entry>,
    timestamps: Vec<Vec<u8>>,
    content: Content,
}

impl Bundle {
    fn parse(json: &[u8]) -> Result<Self, BundleVerifyError> {
        let v: Value = serde_json::from_slice(json)
            .map_err(|e| BundleVerifyError::MalformedBundle(format!("not JSON: {e}")))?;
        let media_type =
            req_str(&v, "mediaType", "bundle").map_err(BundleVerifyError::MalformedBundle)?;
        let version = match media_type {
            MEDIA_TYPE_V01 => BundleVersion::V01,
            MEDIA_TYPE_V02 => BundleVersion::V02,
            MEDIA_TYPE_V03 | MEDIA_TYPE_V03_LEGACY => BundleVersion::V03,
            other => {
                return Err(BundleVerifyError::Unsupported(format!(
                    "bundle media type {other:?}"
                )))
            }
        };
        let media_type = media_type.to_string();
        Self::parse_rest(&v, media_type, version).map_err(BundleVerifyError::MalformedBundle)
    }

    fn parse_rest(v: &Value, media_type: String, version: BundleVersion) -> Result<Self, String> {
        let vm = req(v, "verificationMaterial", "bundle")?;
        let vm_path = "verificationMaterial";
        let material = if let Some(chain) = get(vm, "x509CertificateChain") {
            let path = format!("{vm_path}.x509CertificateChain");
            let mut certs = Vec::new();
            for (i, c) in opt_array(chain, "certificates", &path)?.iter().enumerate() {
                certs.push(req_b64(
                    c,
                    "rawBytes",
                    &format!("{path}.certificates[{i}]"),
                )?);
            }
            Material::Certificates(certs)
        } else if let Some(cert) = get(vm, "certificate") {
            Material::Certificates(vec![req_b64(
                cert,
                "rawBytes",
                &format!("{vm_path}.certificate"),
            )?])
        } else if get(vm, "publicKey").is_some() {
            Material::PublicKey
        } else {
            return Err(
                "verificationMaterial has no certificate, certificate chain or public key".into(),
            );
        };

        let mut entries = Vec::new();
        for (i, e) in opt_array(vm, "tlogEntries", vm_path)?.iter().enumerate() {
            entries.push(parse_entry(e, &format!("{vm_path}.tlogEntries[{i}]"))?);
        }

        let mut timestamps = Vec::new();
        if let Some(tvd) = get(vm, "timestampVerificationData") {
            let path = format!("{vm_path}.timestampVerificationData");
            for (i, t) in opt_array(tvd, "rfc3161Timestamps", &path)?
                .iter()
                .enumerate()
            {
                timestamps.push(req_b64(
                    t,
                    "signedTimestamp",
                    &format!("{path}.rfc3161Timestamps[{i}]"),
                )?);
            }
        }

        let content = match (get(v, "messageSignature"), get(v, "dsseEnvelope")) {
            (Some(m), None) => {
                let signature = req_b64(m, "signature", "messageSignature")?;
                let digest = match get(m, "messageDigest") {
                    None => None,
                    Some(d) => Some((
                        req_str(d, "algorithm", "messageSignature.messageDigest")?.to_string(),
                        req_b64(d, "digest", "messageSignature.messageDigest")?,
                    )),
                };
                Content::Message { digest, signature }
            }
            (None, Some(d)) => {
                let json = serde_json::to_vec(d).map_err(|e| format!("dsseEnvelope: {e}"))?;
                Content::Dsse(
                    dsse::Envelope::from_json(&json).map_err(|e| format!("dsseEnvelope: {e}"))?,
                )
            }
            _ => return Err("exactly one of messageSignature and dsseEnvelope is required".into()),
        };

        Ok(Self {
            media_type,
            version,
            material,
            entries,
            timestamps,
            content,
        })
    }
}

fn parse_entry(e: &Value, path: &str) -> Result<Entry, String> {
    let log_index = req_u64(e, "logIndex", path)?;
    let log_id = req_b64(req(e, "logId", path)?, "keyId", &format!("{path}.logId"))?;
    let kv = req(e, "kindVersion", path)?;
    let kv_path = format!("{path}.kindVersion");
    let kind = req_str(kv, "kind", &kv_path)?.to_string();
    let version = req_str(kv, "version", &kv_path)?.to_string();
    let integrated_time = opt_u64(e, "integratedTime", path)?.filter(|t| *t != 0);
    let set = match get(e, "inclusionPromise") {
        None => None,
        Some(p) => Some(req_b64(
            p,
            "signedEntryTimestamp",
            &format!("{path}.inclusionPromise"),
        )?),
    };
    let proof = match get(e, "inclusionProof") {
        None => None,
        Some(p) => {
            let pp = format!("{path}.inclusionProof");
            let mut hashes = Vec::new();
            for (i, h) in opt_array(p, "hashes", &pp)?.iter().enumerate() {
                let h = h
                    .as_str()
                    .and_then(decode_b64)
                    .ok_or_else(|| format!("{pp}.hashes[{i}] is not base64"))?;
                hashes
                    .push(to_hash(&h).ok_or_else(|| format!("{pp}.hashes[{i}] is not 32 bytes"))?);
            }
            let root = req_b64(p, "rootHash", &pp)?;
            let checkpoint = match get(p, "checkpoint") {
                None => None,
                Some(c) => Some(req_str(c, "envelope", &format!("{pp}.checkpoint"))?.to_string()),
            };
            Some(Proof {
                index: req_u64(p, "logIndex", &pp)?,
                tree_size: req_u64(p, "treeSize", &pp)?,
                root: to_hash(&root).ok_or_else(|| format!("{pp}.rootHash is not 32 bytes"))?,
                hashes,
                checkpoint,
            })
        }
    };
    let body = req_b64(e, "canonicalizedBody", path)?;
    Ok(Entry {
        log_index,
        log_id,
        kind,
        version,
        integrated_time,
        set,
        proof,
        body,
    })
}

fn to_hash(bytes: &[u8]) -> Option<Hash> {
    bytes.try_into().ok()
}

// ---------------------------------------------------------------------------------------------
// JSON helpers
// ---------------------------------------------------------------------------------------------

/// A present, non-null field.
fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.get(key).filter(|x| !x.is_null())
}

fn req<'a>(v: &'a Value, key: &str, path: &str) -> Result<&'a Value, String> {
    get(v, key).ok_or_else(|| format!("{path}.{key} is missing"))
}

fn req_str<'a>(v: &'a Value, key: &str, path: &str) -> Result<&'a str, String> {
    req(v, key, path)?
        .as_str()
        .ok_or_else(|| format!("{path}.{key} is not a string"))
}

fn req_array<'a>(v: &'a Value, key: &str, path: &str) -> Result<&'a [Value], String> {
    req(v, key, path)?
        .as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| format!("{path}.{key} is not an array"))
}

/// An array field; absent or null reads as empty.
fn opt_array<'a>(v: &'a Value, key: &str, path: &str) -> Result<&'a [Value], String> {
    match get(v, key) {
        None => Ok(&[]),
        Some(a) => a
            .as_array()
            .map(Vec::as_slice)
            .ok_or_else(|| format!("{path}.{key} is not an array")),
    }
}

/// Standard or URL-safe base64, padded or not (protobuf JSON `bytes`); line breaks (CR, LF)
/// are ignored, as Go's `encoding/base64` and Python's decoder do (`base64` wraps its output).
fn decode_b64(text: &str) -> Option<Vec<u8>> {
    let engine = if text.contains(['-', '_']) {
        &URL_SAFE_PAD_INDIFFERENT
    } else {
        &STANDARD_PAD_INDIFFERENT
    };
    if text.contains(['\r', '\n']) {
        let joined: String = text.chars().filter(|c| !matches!(c, '\r' | '\n')).collect();
        engine.decode(joined).ok()
    } else {
        engine.decode(text).ok()
    }
}

/// The DER bodies of the PEM blocks labelled `label`, read leniently as Go's `pem.Decode`
/// does (Rekor stores PEM with unwrapped base64 lines, which strict RFC 7468 parsers refuse).
fn pem_blocks(text: &str, label: &str) -> Vec<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(&begin) {
        let after_begin = rest.get(start + begin.len()..).unwrap_or_default();
        let Some(stop) = after_begin.find(&end) else {
            break;
        };
        let body: String = after_begin
            .get(..stop)
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect();
        match STANDARD.decode(body) {
            Ok(der) => out.push(der),
            Err(_) => return Vec::new(),
        }
        rest = after_begin.get(stop + end.len()..).unwrap_or_default();
    }
    out
}

fn req_b64(v: &Value, key: &str, path: &str) -> Result<Vec<u8>, String> {
    decode_b64(req_str(v, key, path)?).ok_or_else(|| format!("{path}.{key} is not valid base64"))
}

/// A protobuf-JSON unsigned 64-bit integer (decimal string or JSON number); negative values
/// are refused.
fn opt_u64(v: &Value, key: &str, path: &str) -> Result<Option<u64>, String> {
    let bad = |why: &str| format!("{path}.{key}: {why}");
    match get(v, key) {
        None => Ok(None),
        Some(Value::String(s)) => {
            if s.starts_with('-') {
                return Err(bad("must not be negative"));
            }
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("not a decimal integer"));
            }
            s.parse().map(Some).map_err(|_| bad("out of range"))
        }
        Some(Value::Number(n)) => match n.as_u64() {
            Some(n) => Ok(Some(n)),
            None if n.as_i64().is_some() => Err(bad("must not be negative")),
            None => Err(bad("not an integer")),
        },
        Some(_) => Err(bad("not an integer")),
    }
}

fn req_u64(v: &Value, key: &str, path: &str) -> Result<u64, String> {
    opt_u64(v, key, path)?.ok_or_else(|| format!("{path}.{key} is missing"))
}

// ---------------------------------------------------------------------------------------------
// Transparency log entries
// ---------------------------------------------------------------------------------------------

fn verify_entry<'r>(
    entry: &Entry,
    root: &'r TrustedRoot,
    version: BundleVersion,
) -> Result<(VerifiedTlogEntry, &'r TlogKey, Value), BundleVerifyError> {
    let log_index = entry.log_index;
    let log = root
        .tlogs
        .iter()
        .find(|t| t.log_id == entry.log_id)
        .ok_or_else(|| BundleVerifyError::UnknownLog {
            log_id: STANDARD.encode(&entry.log_id),
        })?;
    let mismatch = |detail: String| BundleVerifyError::LogEntryMismatch { log_index, detail };

    // The body must be the kind the entry claims.
    let body: Value = serde_json::from_slice(&entry.body)
        .map_err(|e| mismatch(format!("canonicalizedBody is not JSON: {e}")))?;
    let body_kind = body.get("kind").and_then(Value::as_str).unwrap_or_default();
    let body_version = body
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if body_kind != entry.kind || body_version != entry.version {
        return Err(mismatch(format!(
            "kindVersion says {}/{}, the body is {body_kind}/{body_version}",
            entry.kind, entry.version
        )));
    }

    // Inclusion in the tree, then the tree head signed by the log.
    let proof = entry
        .proof
        .as_ref()
        .ok_or(BundleVerifyError::MissingInclusionProof { log_index })?;
    verify_inclusion(
        proof.index,
        proof.tree_size,
        &leaf_hash(&entry.body),
        &proof.hashes,
        &proof.root,
    )
    .map_err(|source| BundleVerifyError::InclusionProof { log_index, source })?;
    // The signed entry timestamp (inclusion promise).
    let signed_entry_timestamp = match &entry.set {
        None if version == BundleVersion::V01 => {
            return Err(BundleVerifyError::MissingInclusionPromise { log_index })
        }
        None => false,
        Some(set) => {
            let err =
                |detail: String| BundleVerifyError::SignedEntryTimestamp { log_index, detail };
            let time = entry
                .integrated_time
                .ok_or_else(|| err("the entry has no integratedTime".into()))?;
            let key = log.key.as_ref().map_err(|e| err(format!("log key: {e}")))?;
            let payload = format!(
                "{{\"body\":\"{}\",\"integratedTime\":{time},\"logID\":\"{}\",\"logIndex\":{log_index}}}",
                STANDARD.encode(&entry.body),
                hex::encode(&entry.log_id),
            );
            key.verify(payload.as_bytes(), set)
                .map_err(|e| err(e.to_string()))?;
            true
        }
    };

    // The tree head signed by the log. v0.1 bundles may lack the checkpoint: their verified
    // SET is then the log's signed commitment (the proof's root hash stays unauthenticated).
    let checkpoint_origin = match proof.checkpoint.as_deref() {
        None if version == BundleVersion::V01 && signed_entry_timestamp => None,
        None => return Err(BundleVerifyError::MissingCheckpoint { log_index }),
        Some(text) => {
            let checkpoint = verify_checkpoint(text, log)
                .map_err(|detail| BundleVerifyError::Checkpoint { log_index, detail })?;
            if checkpoint.size != proof.tree_size || checkpoint.root != proof.root {
                return Err(BundleVerifyError::Checkpoint {
                    log_index,
                    detail: format!(
                        "the checkpoint is for tree size {} with root {}, the proof for size {} with root {}",
                        checkpoint.size,
                        STANDARD.encode(checkpoint.root),
                        proof.tree_size,
                        STANDARD.encode(proof.root)
                    ),
                });
            }
            Some(checkpoint.origin)
        }
    };

    Ok((
        VerifiedTlogEntry {
            log_url: log.base_url.clone(),
            log_id_hex: hex::encode(&log.log_id),
            log_index,
            tree_index: proof.index,
            tree_size: proof.tree_size,
            root_hash: proof.root,
            checkpoint_origin,
            kind: entry.kind.clone(),
            version: entry.version.clone(),
            integrated_time: entry.integrated_time,
            signed_entry_timestamp,
        },
        log,
        body,
    ))
}

/// Opens the checkpoint note with the log key and parses it; the origin must be the log's
/// host (Rekor v2) or `"<host> - <tree ID>"` (Rekor v1).
fn verify_checkpoint(text: &str, log: &TlogKey) -> Result<Checkpoint, String> {
    let key = log.key.as_ref().map_err(|e| format!("log key: {e}"))?;
    let spki =
        SpkiNoteVerifier::from_spki_der(&log.host, &log.spki_der).map_err(|e| e.to_string())?;
    let ed25519 = if key.algorithm() == Algorithm::Ed25519 {
        let pk: [u8; 32] = key
            .public_bytes()
            .try_into()
            .map_err(|_| "Ed25519 key is not 32 bytes".to_string())?;
        Some(NoteVerifier::new(&log.host, &pk).map_err(|e| e.to_string())?)
    } else {
        None
    };
    let mut keys: Vec<&dyn NoteKey> = vec![&spki];
    if let Some(v) = &ed25519 {
        keys.push(v);
    }
    let note = open_note_with(text.as_bytes(), &keys).map_err(|e| e.to_string())?;
    let cp = Checkpoint::parse(&note.text).map_err(|e| e.to_string())?;
    let v1_origin = cp
        .origin
        .strip_prefix(log.host.as_str())
        .and_then(|rest| rest.strip_prefix(" - "))
        .is_some_and(|tree| !tree.is_empty());
    if cp.origin != log.host && !v1_origin {
        return Err(format!(
            "origin {:?} is not the log {:?}",
            cp.origin, log.host
        ));
    }
    Ok(cp)
}

// ---------------------------------------------------------------------------------------------
// Signer and content
// ---------------------------------------------------------------------------------------------

fn parse_public_key(pem_or_der: &[u8]) -> Result<VerifyingKey, BundleVerifyError> {
    let err = |e: crate::keys::KeyError| BundleVerifyError::PublicKey(e.to_string());
    if pem_or_der.starts_with(b"-----BEGIN") {
        let pem = core::str::from_utf8(pem_or_der)
            .map_err(|_| BundleVerifyError::PublicKey("PEM is not UTF-8".into()))?;
        VerifyingKey::from_spki_pem(pem).map_err(err)
    } else {
        VerifyingKey::from_spki_der(pem_or_der).map_err(err)
    }
}

fn is_self_issued(der: &[u8]) -> bool {
    x509_cert::Certificate::from_der(der).is_ok_and(|c| {
        let tbs = c.tbs_certificate();
        tbs.subject() == tbs.issuer()
    })
}

/// The certificate at `time` against the CAs of the trusted root valid then.
fn verify_cert_at(
    leaf: &[u8],
    extra: &[Vec<u8>],
    root: &TrustedRoot,
    time: u64,
    expected: Option<&Identity>,
) -> Result<VerifiedCert, BundleVerifyError> {
    let at = Instant::from_secs(time);
    let mut intermediates: Vec<&[u8]> = extra.iter().map(Vec::as_slice).collect();
    let mut roots: Vec<&[u8]> = Vec::new();
    for ca in root.cas.iter().filter(|ca| ca.valid.contains(at)) {
        for cert in &ca.certs {
            if is_self_issued(cert) {
                roots.push(cert);
            } else {
                intermediates.push(cert);
            }
        }
    }
    if roots.is_empty() {
        return Err(BundleVerifyError::NoCertificateAuthority { time });
    }
    ca::verify_signing_cert_der(leaf, &intermediates, &roots, time, expected).map_err(|source| {
        match source {
            CaError::UnsupportedKey(_) | CaError::UnsupportedSignatureAlgorithm { .. } => {
                BundleVerifyError::Unsupported(format!("signing certificate: {source}"))
            }
            source => BundleVerifyError::Certificate { time, source },
        }
    })
}

/// ECDSA P-256 verification of a signature over a SHA-256 prehash.
fn verify_p256_prehash(
    key: &VerifyingKey,
    digest: &[u8; 32],
    sig: &[u8],
) -> Result<(), BundleVerifyError> {
    if key.algorithm() != Algorithm::EcdsaP256Sha256 {
        return Err(BundleVerifyError::Unsupported(format!(
            "verifying a {} signature from a digest alone (pass the artifact bytes)",
            key.algorithm()
        )));
    }
    let spki = key.to_spki_der().unwrap_or_default();
    let vk = p256::ecdsa::VerifyingKey::from_public_key_der(&spki)
        .map_err(|e| BundleVerifyError::PublicKey(e.to_string()))?;
    let signature = p256::ecdsa::Signature::from_der(sig)
        .or_else(|_| p256::ecdsa::Signature::from_slice(sig))
        .map_err(|_| BundleVerifyError::BadSignature("malformed ECDSA P-256 signature".into()))?;
    vk.verify_prehash(digest, &signature).map_err(|_| {
        BundleVerifyError::BadSignature("ECDSA P-256 signature over the digest".into())
    })
}

fn verify_content(
    content: &Content,
    key: &VerifyingKey,
    artifact: Artifact<'_>,
) -> Result<SignedContent, BundleVerifyError> {
    match content {
        Content::Message { digest, signature } => {
            let bundle_digest: Option<[u8; 32]> = match digest {
                Some((alg, d)) if alg == "SHA2_256" => {
                    Some(d.as_slice().try_into().map_err(|_| {
                        BundleVerifyError::MalformedBundle("messageDigest is not 32 bytes".into())
                    })?)
                }
                _ => None,
            };
            let (sha256, artifact_checked) = match artifact {
                Artifact::Bytes(bytes) => {
                    key.verify(bytes, signature)
                        .map_err(|e| BundleVerifyError::BadSignature(e.to_string()))?;
                    (Sha256::digest(bytes).into(), true)
                }
                Artifact::Sha256(d) => {
                    verify_p256_prehash(key, d, signature)?;
                    (*d, true)
                }
                Artifact::BundleDigest => {
                    let d = bundle_digest.ok_or_else(|| {
                        BundleVerifyError::ArtifactMismatch(
                            "no artifact given and the bundle has no SHA2_256 messageDigest".into(),
                        )
                    })?;
                    verify_p256_prehash(key, &d, signature)?;
                    (d, false)
                }
            };
            if bundle_digest.is_some_and(|d| d != sha256) {
                return Err(BundleVerifyError::ArtifactMismatch(
                    "the bundle's messageDigest is not the artifact's SHA-256".into(),
                ));
            }
            Ok(SignedContent::MessageDigest {
                sha256,
                artifact_checked,
            })
        }
        Content::Dsse(env) => {
            content.signature()?;
            dsse::verify(env, core::slice::from_ref(key), 1)
                .map_err(|e| BundleVerifyError::BadSignature(e.to_string()))?;
            let digest: Option<[u8; 32]> = match artifact {
                Artifact::Bytes(bytes) => Some(Sha256::digest(bytes).into()),
                Artifact::Sha256(d) => Some(*d),
                Artifact::BundleDigest => None,
            };
            if let Some(d) = digest {
                check_in_toto_subject(env, &d)?;
            }
            Ok(SignedContent::Dsse {
                payload_type: env.payload_type.clone(),
                payload: env.payload.clone(),
                artifact_checked: digest.is_some(),
            })
        }
    }
}

/// The DSSE payload is an in-toto statement with a subject of SHA-256 `digest`.
fn check_in_toto_subject(env: &dsse::Envelope, digest: &[u8; 32]) -> Result<(), BundleVerifyError> {
    let mismatch = BundleVerifyError::ArtifactMismatch;
    if env.payload_type != IN_TOTO_PAYLOAD_TYPE {
        return Err(mismatch(format!(
            "DSSE payload type {:?} is not an in-toto statement, the artifact cannot be matched",
            env.payload_type
        )));
    }
    let statement: Value = serde_json::from_slice(&env.payload)
        .map_err(|e| mismatch(format!("in-toto statement is not JSON: {e}")))?;
    let want = hex::encode(digest);
    let found = statement
        .get("subject")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| s.get("digest")?.get("sha256")?.as_str())
        .any(|d| d.eq_ignore_ascii_case(&want));
    if found {
        Ok(())
    } else {
        Err(mismatch(format!("no in-toto subject has sha256 {want}")))
    }
}

// ---------------------------------------------------------------------------------------------
// Log entry bodies
// ---------------------------------------------------------------------------------------------

struct SignerRef<'a> {
    key: &'a VerifyingKey,
    leaf_der: Option<&'a [u8]>,
}

impl SignerRef<'_> {
    /// A Rekor v1 verifier field: base64 of a PEM certificate (certificate bundles) or PEM
    /// public key (managed keys) that must be this signer.
    fn check_pem_b64(&self, b64: &str, what: &str) -> Result<(), String> {
        let pem = decode_b64(b64).ok_or_else(|| format!("{what} is not base64"))?;
        let pem = core::str::from_utf8(&pem).map_err(|_| format!("{what} is not PEM"))?;
        match self.leaf_der {
            Some(leaf) => {
                let certs = pem_blocks(pem, "CERTIFICATE");
                if certs.len() == 1 && certs.first().is_some_and(|c| c.as_slice() == leaf) {
                    Ok(())
                } else {
                    Err(format!("{what} is not the bundle's certificate"))
                }
            }
            None => {
                let der = match pem_blocks(pem, "PUBLIC KEY").as_slice() {
                    [one] => one.clone(),
                    _ => return Err(format!("{what} is not one PEM public key")),
                };
                let key = VerifyingKey::from_spki_der(&der).map_err(|e| format!("{what}: {e}"))?;
                if &key == self.key {
                    Ok(())
                } else {
                    Err(format!("{what} is not the supplied public key"))
                }
            }
        }
    }

    /// A Rekor v2 `verifier` object (`x509Certificate.rawBytes` or `publicKey.rawBytes`).
    fn check_v2_verifier(&self, verifier: &Value, what: &str) -> Result<(), String> {
        match self.leaf_der {
            Some(leaf) => {
                let cert = req(verifier, "x509Certificate", what)?;
                if req_b64(cert, "rawBytes", &format!("{what}.x509Certificate"))? == leaf {
                    Ok(())
                } else {
                    Err(format!("{what} is not the bundle's certificate"))
                }
            }
            None => {
                let pk = req(verifier, "publicKey", what)?;
                let der = req_b64(pk, "rawBytes", &format!("{what}.publicKey"))?;
                let key = VerifyingKey::from_spki_der(&der).map_err(|e| format!("{what}: {e}"))?;
                if &key == self.key {
                    Ok(())
                } else {
                    Err(format!("{what} is not the supplied public key"))
                }
            }
        }
    }
}

fn expect_eq(what: &str, found: &[u8], want: &[u8]) -> Result<(), String> {
    if found == want {
        Ok(())
    } else {
        Err(format!("{what} differs from the bundle"))
    }
}

/// `{"algorithm": "sha256", "value": "<hex>"}` equals `want`.
fn check_hex_hash(v: &Value, path: &str, want: &[u8; 32]) -> Result<(), String> {
    let alg = req_str(v, "algorithm", path)?;
    if alg != "sha256" {
        return Err(format!("{path}.algorithm {alg:?} is not sha256"));
    }
    let value = req_str(v, "value", path)?;
    if value.eq_ignore_ascii_case(&hex::encode(want)) {
        Ok(())
    } else {
        Err(format!("{path} differs from the bundle's content"))
    }
}

fn check_body(
    entry: &Entry,
    body: &Value,
    content: &Content,
    verified: &SignedContent,
    signer: &SignerRef<'_>,
) -> Result<(), String> {
    let spec = req(body, "spec", "body")?;
    let signature = match content {
        Content::Message { signature, .. } => signature.as_slice(),
        Content::Dsse(env) => match env.signatures.as_slice() {
            [one] => one.sig.as_slice(),
            _ => return Err("DSSE envelope must carry exactly one signature".into()),
        },
    };
    match (entry.kind.as_str(), entry.version.as_str(), verified) {
        ("hashedrekord", "0.0.1", SignedContent::MessageDigest { sha256, .. }) => {
            let data = req(spec, "data", "spec")?;
            check_hex_hash(req(data, "hash", "spec.data")?, "spec.data.hash", sha256)?;
            let sig = req(spec, "signature", "spec")?;
            expect_eq(
                "spec.signature.content",
                &req_b64(sig, "content", "spec.signature")?,
                signature,
            )?;
            let pk = req(sig, "publicKey", "spec.signature")?;
            signer.check_pem_b64(
                req_str(pk, "content", "spec.signature.publicKey")?,
                "spec.signature.publicKey.content",
            )
        }
        ("dsse", "0.0.1", SignedContent::Dsse { payload, .. }) => {
            check_hex_hash(
                req(spec, "payloadHash", "spec")?,
                "spec.payloadHash",
                &Sha256::digest(payload).into(),
            )?;
            let sigs = req_array(spec, "signatures", "spec")?;
            let [one] = sigs else {
                return Err(format!(
                    "spec.signatures has {} entries, the envelope 1",
                    sigs.len()
                ));
            };
            expect_eq(
                "spec.signatures[0].signature",
                &req_b64(one, "signature", "spec.signatures[0]")?,
                signature,
            )?;
            signer.check_pem_b64(
                req_str(one, "verifier", "spec.signatures[0]")?,
                "spec.signatures[0].verifier",
            )
        }
        (
            "intoto",
            "0.0.2",
            SignedContent::Dsse {
                payload,
                payload_type,
                ..
            },
        ) => {
            let c = req(spec, "content", "spec")?;
            check_hex_hash(
                req(c, "payloadHash", "spec.content")?,
                "spec.content.payloadHash",
                &Sha256::digest(payload).into(),
            )?;
            let env = req(c, "envelope", "spec.content")?;
            if req_str(env, "payloadType", "spec.content.envelope")? != payload_type {
                return Err("spec.content.envelope.payloadType differs from the bundle".into());
            }
            if let Some(p) = get(env, "payload") {
                // Rekor stores the envelope's base64 fields base64-encoded once more.
                let once = p
                    .as_str()
                    .and_then(decode_b64)
                    .ok_or("spec.content.envelope.payload is not base64")?;
                let twice = core::str::from_utf8(&once)
                    .ok()
                    .and_then(decode_b64)
                    .ok_or("spec.content.envelope.payload is not base64 of base64")?;
                expect_eq("spec.content.envelope.payload", &twice, payload)?;
            }
            let sigs = req_array(env, "signatures", "spec.content.envelope")?;
            let [one] = sigs else {
                return Err(format!(
                    "spec.content.envelope.signatures has {} entries, the envelope 1",
                    sigs.len()
                ));
            };
            let path = "spec.content.envelope.signatures[0]";
            // Rekor stores the signature base64-encoded once more (older entries: not).
            let once = req_b64(one, "sig", path)?;
            let twice = core::str::from_utf8(&once).ok().and_then(decode_b64);
            if once != signature && twice.as_deref() != Some(signature) {
                return Err(format!("{path}.sig differs from the bundle"));
            }
            signer.check_pem_b64(
                req_str(one, "publicKey", path)?,
                &format!("{path}.publicKey"),
            )
        }
        ("hashedrekord", "0.0.2", _) => {
            let spec = req(spec, "hashedRekordV002", "spec")?;
            let path = "spec.hashedRekordV002";
            let digest: [u8; 32] = match verified {
                SignedContent::MessageDigest { sha256, .. } => *sha256,
                SignedContent::Dsse {
                    payload,
                    payload_type,
                    ..
                } => Sha256::digest(dsse::pae(payload_type, payload)).into(),
            };
            let data = req(spec, "data", path)?;
            let alg = req_str(data, "algorithm", &format!("{path}.data"))?;
            if alg != "SHA2_256" {
                return Err(format!("{path}.data.algorithm {alg:?} is not SHA2_256"));
            }
            expect_eq(
                &format!("{path}.data.digest"),
                &req_b64(data, "digest", &format!("{path}.data"))?,
                &digest,
            )?;
            let sig = req(spec, "signature", path)?;
            let sig_path = format!("{path}.signature");
            expect_eq(
                &format!("{sig_path}.content"),
                &req_b64(sig, "content", &sig_path)?,
                signature,
            )?;
            signer.check_v2_verifier(
                req(sig, "verifier", &sig_path)?,
                &format!("{sig_path}.verifier"),
            )
        }
        ("dsse", "0.0.2", SignedContent::Dsse { payload, .. }) => {
            let spec = req(spec, "dsseV002", "spec")?;
            let path = "spec.dsseV002";
            let hash = req(spec, "payloadHash", path)?;
            let alg = req_str(hash, "algorithm", &format!("{path}.payloadHash"))?;
            if alg != "SHA2_256" {
                return Err(format!(
                    "{path}.payloadHash.algorithm {alg:?} is not SHA2_256"
                ));
            }
            expect_eq(
                &format!("{path}.payloadHash.digest"),
                &req_b64(hash, "digest", &format!("{path}.payloadHash"))?,
                &Sha256::digest(payload),
            )?;
            let sigs = req_array(spec, "signatures", path)?;
            let [one] = sigs else {
                return Err(format!(
                    "{path}.signatures has {} entries, the envelope 1",
                    sigs.len()
                ));
            };
            let sig_path = format!("{path}.signatures[0]");
            expect_eq(
                &format!("{sig_path}.content"),
                &req_b64(one, "content", &sig_path)?,
                signature,
            )?;
            signer.check_v2_verifier(
                req(one, "verifier", &sig_path)?,
                &format!("{sig_path}.verifier"),
            )
        }
        (kind, version, SignedContent::MessageDigest { .. }) if kind != "hashedrekord" => Err(
            format!("a {kind}/{version} entry cannot log a message signature"),
        ),
        (kind, version, SignedContent::Dsse { .. }) if kind == "hashedrekord" => Err(format!(
            "a {kind}/{version} entry cannot log a DSSE envelope"
        )),
        (kind, version, _) => Err(format!("log entry kind {kind}/{version} is not supported")),
    }
}

// ---------------------------------------------------------------------------------------------
// RFC 3161 timestamps
// ---------------------------------------------------------------------------------------------

/// A DER TLV: tag byte, content, and the whole encoding.
#[derive(Clone, Copy)]
struct Tlv<'a> {
    tag: u8,
    content: &'a [u8],
    raw: &'a [u8],
}

const TAG_INTEGER: u8 = 0x02;
const TAG_BIT_STRING: u8 = 0x03;
const TAG_OCTET_STRING: u8 = 0x04;
const TAG_OID: u8 = 0x06;
const TAG_GENERALIZED_TIME: u8 = 0x18;
const TAG_SEQUENCE: u8 = 0x30;
const TAG_SET: u8 = 0x31;
const TAG_CONTEXT_0: u8 = 0xa0;

/// Reads one DER TLV (single-byte tags, definite minimal lengths up to 4 bytes).
fn read_tlv(input: &[u8]) -> Result<(Tlv<'_>, &[u8]), String> {
    let truncated = || "truncated DER".to_string();
    let (&tag, rest) = input.split_first().ok_or_else(truncated)?;
    if tag & 0x1f == 0x1f {
        return Err("DER high tag numbers are not supported".into());
    }
    let (&first, rest) = rest.split_first().ok_or_else(truncated)?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return Err("indefinite or oversized DER length".into());
        }
        let (bytes, rest) = rest.split_at_checked(n).ok_or_else(truncated)?;
        if bytes.first() == Some(&0) {
            return Err("non-minimal DER length".into());
        }
        let len = bytes
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        if len < 0x80 {
            return Err("non-minimal DER length".into());
        }
        (len, rest)
    };
    let (content, after) = rest.split_at_checked(len).ok_or_else(truncated)?;
    let raw = input
        .get(..input.len() - after.len())
        .ok_or_else(truncated)?;
    Ok((Tlv { tag, content, raw }, after))
}

/// Exactly one TLV of `tag`.
fn single<'a>(input: &'a [u8], tag: u8, what: &str) -> Result<Tlv<'a>, String> {
    let (tlv, rest) = read_tlv(input).map_err(|e| format!("{what}: {e}"))?;
    if !rest.is_empty() {
        return Err(format!("{what}: trailing data"));
    }
    expect_tag(tlv, tag, what)
}

fn expect_tag<'a>(tlv: Tlv<'a>, tag: u8, what: &str) -> Result<Tlv<'a>, String> {
    if tlv.tag == tag {
        Ok(tlv)
    } else {
        Err(format!(
            "{what}: expected tag 0x{tag:02x}, found 0x{:02x}",
            tlv.tag
        ))
    }
}

/// The TLVs inside a constructed content.
fn children<'a>(content: &'a [u8], what: &str) -> Result<Vec<Tlv<'a>>, String> {
    let mut out = Vec::new();
    let mut rest = content;
    while !rest.is_empty() {
        let (tlv, after) = read_tlv(rest).map_err(|e| format!("{what}: {e}"))?;
        out.push(tlv);
        rest = after;
    }
    Ok(out)
}

fn nth<'a>(items: &[Tlv<'a>], i: usize, tag: u8, what: &str) -> Result<Tlv<'a>, String> {
    let tlv = items
        .get(i)
        .copied()
        .ok_or_else(|| format!("{what} is missing"))?;
    expect_tag(tlv, tag, what)
}

fn oid_of(tlv: Tlv<'_>, what: &str) -> Result<ObjectIdentifier, String> {
    let tlv = expect_tag(tlv, TAG_OID, what)?;
    ObjectIdentifier::from_bytes(tlv.content).map_err(|e| format!("{what}: {e}"))
}

/// The OID of an `AlgorithmIdentifier` SEQUENCE.
fn algorithm_oid(tlv: Tlv<'_>, what: &str) -> Result<ObjectIdentifier, String> {
    let tlv = expect_tag(tlv, TAG_SEQUENCE, what)?;
    let parts = children(tlv.content, what)?;
    oid_of(
        parts
            .first()
            .copied()
            .ok_or_else(|| format!("{what} is empty"))?,
        what,
    )
}

fn hash_with(alg: &ObjectIdentifier, data: &[u8]) -> Option<Vec<u8>> {
    if *alg == OID_SHA256 {
        Some(Sha256::digest(data).to_vec())
    } else if *alg == OID_SHA384 {
        Some(Sha384::digest(data).to_vec())
    } else if *alg == OID_SHA512 {
        Some(Sha512::digest(data).to_vec())
    } else {
        None
    }
}

/// The digest algorithm of an `ecdsa-with-SHA*` signature algorithm.
fn ecdsa_hash(alg: &ObjectIdentifier) -> Option<ObjectIdentifier> {
    if *alg == OID_ECDSA_SHA256 {
        Some(OID_SHA256)
    } else if *alg == OID_ECDSA_SHA384 {
        Some(OID_SHA384)
    } else if *alg == OID_ECDSA_SHA512 {
        Some(OID_SHA512)
    } else {
        None
    }
}

/// ECDSA (P-256 / P-384) verification of a DER signature over a prehash.
fn verify_ecdsa_prehash(spki_der: &[u8], prehash: &[u8], sig: &[u8]) -> Result<(), String> {
    let key = VerifyingKey::from_spki_der(spki_der).map_err(|e| e.to_string())?;
    match key.algorithm() {
        Algorithm::EcdsaP256Sha256 => {
            let vk = p256::ecdsa::VerifyingKey::from_public_key_der(spki_der)
                .map_err(|e| e.to_string())?;
            let s =
                p256::ecdsa::Signature::from_der(sig).map_err(|_| "malformed ECDSA signature")?;
            vk.verify_prehash(prehash, &s)
                .map_err(|_| "bad ECDSA P-256 signature".into())
        }
        Algorithm::EcdsaP384Sha384 => {
            let vk = p384::ecdsa::VerifyingKey::from_public_key_der(spki_der)
                .map_err(|e| e.to_string())?;
            let s =
                p384::ecdsa::Signature::from_der(sig).map_err(|_| "malformed ECDSA signature")?;
            vk.verify_prehash(prehash, &s)
                .map_err(|_| "bad ECDSA P-384 signature".into())
        }
        Algorithm::Ed25519 => Err("Ed25519 keys are not supported here".into()),
    }
}

/// What this module needs from an X.509 certificate.
struct CertParts {
    spki_der: Vec<u8>,
    not_before: u64,
    not_after: u64,
    tbs_raw: Vec<u8>,
    signature_algorithm: ObjectIdentifier,
    signature: Vec<u8>,
}

fn cert_parts(der: &[u8]) -> Result<CertParts, String> {
    let cert = x509_cert::Certificate::from_der(der).map_err(|e| format!("certificate: {e}"))?;
    let tbs = cert.tbs_certificate();
    let spki_der = tbs
        .subject_public_key_info()
        .to_der()
        .map_err(|e| format!("certificate key: {e}"))?;
    let validity = tbs.validity();
    let top = single(der, TAG_SEQUENCE, "certificate")?;
    let parts = children(top.content, "certificate")?;
    let tbs_raw = nth(&parts, 0, TAG_SEQUENCE, "certificate TBS")?
        .raw
        .to_vec();
    let signature_algorithm = algorithm_oid(
        parts
            .get(1)
            .copied()
            .ok_or("certificate signature algorithm is missing")?,
        "certificate signature algorithm",
    )?;
    let bits = nth(&parts, 2, TAG_BIT_STRING, "certificate signature")?;
    let signature = match bits.content.split_first() {
        Some((0, sig)) => sig.to_vec(),
        _ => return Err("certificate signature BIT STRING has unused bits".into()),
    };
    Ok(CertParts {
        spki_der,
        not_before: validity.not_before.to_unix_duration().as_secs(),
        not_after: validity.not_after.to_unix_duration().as_secs(),
        tbs_raw,
        signature_algorithm,
        signature,
    })
}

/// The chain of a timestamp authority (leaf first) at `secs`: validity of every certificate
/// and each certificate signed by the next.
fn check_tsa_chain(certs: &[CertParts], secs: u64) -> Result<(), String> {
    for (i, cert) in certs.iter().enumerate() {
        if secs < cert.not_before || secs > cert.not_after {
            return Err(format!(
                "timestamp authority certificate {i} is not valid at {}",
                ca::fmt_time(secs)
            ));
        }
    }
    for (i, pair) in certs.windows(2).enumerate() {
        let [child, parent] = pair else { continue };
        let hash = ecdsa_hash(&child.signature_algorithm).ok_or_else(|| {
            format!(
                "timestamp authority certificate {i}: signature algorithm {} is not supported",
                child.signature_algorithm
            )
        })?;
        let digest = hash_with(&hash, &child.tbs_raw).unwrap_or_default();
        verify_ecdsa_prehash(&parent.spki_der, &digest, &child.signature).map_err(|e| {
            format!("timestamp authority certificate {i} is not signed by the next: {e}")
        })?;
    }
    Ok(())
}

/// Verifies an RFC 3161 `TimeStampResp` (or bare `TimeStampToken`) over `signature` against
/// the trusted timestamp authorities; returns the time and the authority's URI.
fn verify_rfc3161(
    token: &[u8],
    signature: &[u8],
    tsas: &[Authority],
) -> Result<(Instant, String), String> {
    let top = single(token, TAG_SEQUENCE, "timestamp")?;
    let parts = children(top.content, "timestamp")?;
    // TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken ContentInfo }
    let content_info = match parts.first().map(|t| t.tag) {
        Some(TAG_SEQUENCE) => {
            let status = nth(&parts, 0, TAG_SEQUENCE, "PKIStatusInfo")?;
            let status = children(status.content, "PKIStatusInfo")?;
            let code = nth(&status, 0, TAG_INTEGER, "PKIStatus")?;
            if !matches!(code.content, [0] | [1]) {
                return Err("the timestamp response status is not granted".into());
            }
            nth(&parts, 1, TAG_SEQUENCE, "timeStampToken")?
        }
        Some(TAG_OID) => top,
        _ => return Err("neither a TimeStampResp nor a ContentInfo".into()),
    };
    let ci = children(content_info.content, "ContentInfo")?;
    if oid_of(
        ci.first().copied().ok_or("ContentInfo is empty")?,
        "contentType",
    )? != OID_SIGNED_DATA
    {
        return Err("the timestamp token is not CMS SignedData".into());
    }
    let explicit = nth(&ci, 1, TAG_CONTEXT_0, "SignedData")?;
    let signed_data = single(explicit.content, TAG_SEQUENCE, "SignedData")?;
    let sd = children(signed_data.content, "SignedData")?;
    let encap = children(
        nth(&sd, 2, TAG_SEQUENCE, "encapContentInfo")?.content,
        "encapContentInfo",
    )?;
    if oid_of(
        encap.first().copied().ok_or("encapContentInfo is empty")?,
        "eContentType",
    )? != OID_TST_INFO
    {
        return Err("the signed content is not a TSTInfo".into());
    }
    let econtent = nth(&encap, 1, TAG_CONTEXT_0, "eContent")?;
    let tst_der = single(econtent.content, TAG_OCTET_STRING, "eContent")?.content;
    let signer_infos = sd
        .last()
        .copied()
        .filter(|t| t.tag == TAG_SET && sd.len() >= 4)
        .ok_or("SignedData has no signerInfos")?;

    // TSTInfo: the message imprint must be the hash of the bundle's signature.
    let tst = children(single(tst_der, TAG_SEQUENCE, "TSTInfo")?.content, "TSTInfo")?;
    let imprint = children(
        nth(&tst, 2, TAG_SEQUENCE, "messageImprint")?.content,
        "messageImprint",
    )?;
    let imprint_alg = algorithm_oid(
        imprint.first().copied().ok_or("messageImprint is empty")?,
        "messageImprint algorithm",
    )?;
    let hashed = nth(&imprint, 1, TAG_OCTET_STRING, "hashedMessage")?.content;
    let want = hash_with(&imprint_alg, signature)
        .ok_or_else(|| format!("message imprint hash {imprint_alg} is not supported"))?;
    if hashed != want.as_slice() {
        return Err("the message imprint is not the hash of the bundle's signature".into());
    }
    let gen_time = nth(&tst, 4, TAG_GENERALIZED_TIME, "genTime")?;
    let time =
        parse_generalized_time(gen_time.content).ok_or("genTime is not a valid GeneralizedTime")?;
    let secs = u64::try_from(time.secs).map_err(|_| "genTime is before 1970".to_string())?;

    // Signed attributes, then the signature by a trusted authority.
    let mut last_error = "no signerInfo".to_string();
    for info in children(signer_infos.content, "signerInfos")? {
        let si = children(
            expect_tag(info, TAG_SEQUENCE, "SignerInfo")?.content,
            "SignerInfo",
        )?;
        let digest_alg = algorithm_oid(
            si.get(2).copied().ok_or("SignerInfo is truncated")?,
            "digestAlgorithm",
        )?;
        let attrs = nth(&si, 3, TAG_CONTEXT_0, "signedAttrs")?;
        let sig_alg = algorithm_oid(
            si.get(4).copied().ok_or("SignerInfo is truncated")?,
            "signatureAlgorithm",
        )?;
        let sig = nth(&si, 5, TAG_OCTET_STRING, "signature")?.content;

        let mut content_type_ok = false;
        let mut digest_ok = false;
        for attr in children(attrs.content, "signedAttrs")? {
            let attr = children(
                expect_tag(attr, TAG_SEQUENCE, "Attribute")?.content,
                "Attribute",
            )?;
            let ty = oid_of(
                attr.first().copied().ok_or("Attribute is empty")?,
                "attrType",
            )?;
            let values = children(nth(&attr, 1, TAG_SET, "attrValues")?.content, "attrValues")?;
            let [value] = values.as_slice() else {
                return Err(format!("attribute {ty} must have exactly one value"));
            };
            if ty == OID_CONTENT_TYPE {
                content_type_ok = oid_of(*value, "content-type attribute")? == OID_TST_INFO;
            } else if ty == OID_MESSAGE_DIGEST {
                let d = expect_tag(*value, TAG_OCTET_STRING, "message-digest attribute")?.content;
                let want = hash_with(&digest_alg, tst_der)
                    .ok_or_else(|| format!("digest algorithm {digest_alg} is not supported"))?;
                digest_ok = d == want.as_slice();
            }
        }
        if !content_type_ok {
            return Err("the content-type attribute is missing or not TSTInfo".into());
        }
        if !digest_ok {
            return Err(
                "the message-digest attribute is missing or not the TSTInfo's digest".into(),
            );
        }
        // The signature covers the attributes re-tagged as a SET OF.
        let mut signed = attrs.raw.to_vec();
        if let Some(first) = signed.first_mut() {
            *first = TAG_SET;
        }
        let hash = ecdsa_hash(&sig_alg).unwrap_or(digest_alg);
        let prehash = hash_with(&hash, &signed)
            .ok_or_else(|| format!("signature algorithm {sig_alg} is not supported"))?;

        for tsa in tsas {
            let chain = match tsa
                .certs
                .iter()
                .map(|c| cert_parts(c))
                .collect::<Result<Vec<_>, _>>()
            {
                Ok(chain) => chain,
                Err(e) => {
                    last_error = format!("trusted timestamp authority {:?}: {e}", tsa.uri);
                    continue;
                }
            };
            let Some(leaf) = chain.first() else { continue };
            if verify_ecdsa_prehash(&leaf.spki_der, &prehash, sig).is_err() {
                last_error = "not signed by a timestamp authority of the trusted root".into();
                continue;
            }
            // Signed by this authority: from here on its errors are final.
            if !tsa.valid.contains(time) {
                return Err(format!(
                    "the time {} is outside the validity of timestamp authority {:?} in the trusted root",
                    ca::fmt_time(secs),
                    tsa.uri
                ));
            }
            check_tsa_chain(&chain, secs)?;
            return Ok((time, tsa.uri.clone()));
        }
    }
    Err(last_error)
}

// ---------------------------------------------------------------------------------------------
// Times
// ---------------------------------------------------------------------------------------------

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    b.iter().try_fold(0u32, |acc, d| {
        acc.checked_mul(10)?.checked_add(u32::from(d - b'0'))
    })
}

/// Date and time fields to an instant (`nanos` already scaled); `None` if out of range.
fn instant_from_fields(date: [u32; 6], nanos: u32, offset_secs: i64) -> Option<Instant> {
    let [y, mo, d, h, mi, s] = date;
    let y = i64::from(y);
    if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 59
    {
        return None;
    }
    let secs = days_from_civil(y, mo, d) * 86_400
        + i64::from(h) * 3600
        + i64::from(mi) * 60
        + i64::from(s)
        - offset_secs;
    Some(Instant { secs, nanos })
}

/// Fractional seconds digits (1 to 9) as nanoseconds.
fn fraction_nanos(frac: &[u8]) -> Option<u32> {
    if frac.is_empty() || frac.len() > 9 {
        return None;
    }
    let value = digits(frac)?;
    Some(value * 10u32.pow(9 - u32::try_from(frac.len()).ok()?))
}

/// RFC 3339 `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`.
fn parse_rfc3339(s: &str) -> Option<Instant> {
    let b = s.as_bytes();
    let head = b.get(..19)?;
    if head.get(4) != Some(&b'-')
        || head.get(7) != Some(&b'-')
        || !matches!(head.get(10), Some(b'T' | b't'))
        || head.get(13) != Some(&b':')
        || head.get(16) != Some(&b':')
    {
        return None;
    }
    let field = |r: core::ops::Range<usize>| head.get(r).and_then(digits);
    let date = [
        field(0..4)?,
        field(5..7)?,
        field(8..10)?,
        field(11..13)?,
        field(14..16)?,
        field(17..19)?,
    ];
    let mut rest = b.get(19..)?;
    let mut nanos = 0;
    if let Some(after_dot) = rest.strip_prefix(b".") {
        let n = after_dot.iter().take_while(|c| c.is_ascii_digit()).count();
        nanos = fraction_nanos(after_dot.get(..n)?)?;
        rest = after_dot.get(n..)?;
    }
    let offset = match rest {
        b"Z" | b"z" => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let h = i64::from(digits(&[*h1, *h2])?);
            let m = i64::from(digits(&[*m1, *m2])?);
            if h > 23 || m > 59 {
                return None;
            }
            let off = h * 3600 + m * 60;
            if *sign == b'-' {
                -off
            } else {
                off
            }
        }
        _ => return None,
    };
    instant_from_fields(date, nanos, offset)
}

/// DER GeneralizedTime `YYYYMMDDHHMMSS[.frac]Z`.
fn parse_generalized_time(b: &[u8]) -> Option<Instant> {
    let head = b.get(..14)?;
    let field = |r: core::ops::Range<usize>| head.get(r).and_then(digits);
    let date = [
        field(0..4)?,
        field(4..6)?,
        field(6..8)?,
        field(8..10)?,
        field(10..12)?,
        field(12..14)?,
    ];
    let rest = b.get(14..)?;
    let nanos = match rest {
        b"Z" => 0,
        [b'.', frac @ .., b'Z'] => fraction_nanos(frac)?,
        _ => return None,
    };
    instant_from_fields(date, nanos, 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    const BEACON: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    const GITHUB_ACTIONS: &str = "https://token.actions.githubusercontent.com";

    fn assets() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/fixtures/attestation/sigstore/conformance-assets")
    }

    /// Test-only: reads a fixture file (the library itself never touches the file system).
    fn read(path: &Path) -> Vec<u8> {
        stellaops_testkit::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    /// Test-only: a fixture file that a case may or may not have.
    fn read_if_present(path: &Path) -> Option<Vec<u8>> {
        path.exists().then(|| read(path))
    }

    /// Test-only: every case directory under `bundle-verify/`, sorted.
    fn case_names() -> Vec<String> {
        let dir = assets().join("bundle-verify");
        let mut names: Vec<String> = stellaops_testkit::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
            .map(|e| e.unwrap())
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// The production (sigstore.dev) trusted root, which the conformance suite uses for cases
    /// without a `trusted_root.json`: the `trust-root-tlog-validity-end-inclusive` case's root,
    /// whose README says it is the exported production root with one edit — a
    /// `validFor.end` set on the `rekor.sigstore.dev` log — which is undone here.
    fn production_root() -> Vec<u8> {
        let path =
            assets().join("bundle-verify/trust-root-tlog-validity-end-inclusive/trusted_root.json");
        let mut root: Value = serde_json::from_slice(&read(&path)).unwrap();
        let mut undone = 0;
        for tlog in root["tlogs"].as_array_mut().unwrap() {
            if tlog["baseUrl"] == "https://rekor.sigstore.dev" {
                let valid_for = tlog["publicKey"]["validFor"].as_object_mut().unwrap();
                assert_eq!(valid_for["end"], "2023-07-12T15:56:36Z");
                valid_for.remove("end");
                undone += 1;
            }
        }
        assert_eq!(undone, 1);
        serde_json::to_vec(&root).unwrap()
    }

    /// A conformance case as the suite's `BundleMaterials.from_dir` reads it: custom trusted
    /// root, managed key, identity / issuer and artifact when the directory has them, else the
    /// production root, the beacon identity and `a.txt`.
    struct Case {
        bundle: Vec<u8>,
        root: Vec<u8>,
        artifact: Vec<u8>,
        key: Option<Vec<u8>>,
        identity: Identity,
    }

    fn load_case(name: &str, production: &[u8]) -> Case {
        let dir = assets().join("bundle-verify").join(name);
        let text = |file: &str| {
            read_if_present(&dir.join(file))
                .map(|b| String::from_utf8(b).unwrap().trim().to_string())
        };
        Case {
            bundle: read(&dir.join("bundle.sigstore.json")),
            root: read_if_present(&dir.join("trusted_root.json"))
                .unwrap_or_else(|| production.to_vec()),
            artifact: read_if_present(&dir.join("artifact"))
                .unwrap_or_else(|| read(&assets().join("bundle-verify/a.txt"))),
            key: read_if_present(&dir.join("key.pub")),
            identity: Identity::new(
                text("identity").unwrap_or_else(|| BEACON.to_string()),
                text("issuer").unwrap_or_else(|| GITHUB_ACTIONS.to_string()),
            ),
        }
    }

    impl Case {
        fn verify_with(&self, artifact: Artifact<'_>) -> Result<VerifiedBundle, BundleVerifyError> {
            let options = VerifyOptions {
                artifact,
                expected_identity: if self.key.is_some() {
                    None
                } else {
                    Some(&self.identity)
                },
                public_key: self.key.as_deref(),
            };
            verify_bundle_with(&self.bundle, &self.root, &options)
        }

        fn verify(&self) -> Result<VerifiedBundle, BundleVerifyError> {
            self.verify_with(Artifact::Bytes(&self.artifact))
        }
    }

    /// Cases this verifier reports as unsupported, with the reason. Each must fail with
    /// [`BundleVerifyError::Unsupported`].
    const UNSUPPORTED: &[(&str, &str)] = &[(
        "bundle-with-sct-with-extensions",
        "its local Fulcio test CA (CN=fulcio.test) has an RSA key; the certificate verifier \
         (ca::verify_signing_cert_der) handles ECDSA P-256/P-384 and Ed25519 only, and no RSA \
         implementation is among the crate's dependencies. Everything checked before the \
         certificate (Rekor v2 Ed25519 checkpoint, inclusion proof, RFC 3161 timestamp) verifies",
    )];

    fn case(name: &str) -> Case {
        load_case(name, &production_root())
    }

    fn sha256(data: &[u8]) -> [u8; 32] {
        Sha256::digest(data).into()
    }

    /// The case's bundle JSON edited by `edit`.
    fn edited(case: &Case, edit: impl FnOnce(&mut Value)) -> Vec<u8> {
        let mut v: Value = serde_json::from_slice(&case.bundle).unwrap();
        edit(&mut v);
        serde_json::to_vec(&v).unwrap()
    }

    fn verify_edited(case: &Case, edit: impl FnOnce(&mut Value)) -> BundleVerifyError {
        let bundle = edited(case, edit);
        verify_bundle(
            &bundle,
            &case.root,
            Some(&case.artifact),
            Some(&case.identity),
        )
        .unwrap_err()
    }

    #[test]
    fn happy_path_v01_result() {
        let c = case("happy-path-v0.1");
        let v = verify_bundle(&c.bundle, &c.root, Some(&c.artifact), Some(&c.identity)).unwrap();
        assert_eq!(v.media_type, MEDIA_TYPE_V01);
        assert_eq!(v.identity(), Some(&c.identity));
        assert_eq!(
            v.content,
            SignedContent::MessageDigest {
                sha256: sha256(&c.artifact),
                artifact_checked: true
            }
        );
        let [entry] = v.tlog_entries.as_slice() else {
            panic!("one entry")
        };
        assert_eq!(entry.log_url, "https://rekor.sigstore.dev");
        assert_eq!(
            (entry.log_index, entry.tree_index, entry.tree_size),
            (27_246_492, 23_083_061, 23_083_062)
        );
        assert_eq!(
            entry.checkpoint_origin.as_deref(),
            Some("rekor.sigstore.dev - 2605736670972794746")
        );
        assert!(entry.signed_entry_timestamp);
        assert_eq!(
            v.verified_times,
            vec![VerifiedTime {
                source: TimeSource::SignedEntryTimestamp {
                    log_index: 27_246_492
                },
                unix_seconds: 1_689_177_396
            }]
        );
        // Without an expected identity the certificate's is reported.
        let any = verify_bundle(&c.bundle, &c.root, Some(&c.artifact), None).unwrap();
        assert_eq!(any.identity(), Some(&c.identity));
    }

    #[test]
    fn rekor_v2_result_uses_the_timestamp_authority() {
        let c = case("rekor2-happy-path");
        let v = verify_bundle(&c.bundle, &c.root, Some(&c.artifact), Some(&c.identity)).unwrap();
        let [entry] = v.tlog_entries.as_slice() else {
            panic!("one entry")
        };
        assert_eq!(entry.integrated_time, None);
        assert!(!entry.signed_entry_timestamp);
        assert_eq!(
            entry.checkpoint_origin.as_deref(),
            Some("log2025-alpha1.rekor.sigstage.dev")
        );
        assert_eq!(
            v.verified_times,
            vec![VerifiedTime {
                source: TimeSource::TimestampAuthority {
                    uri: "https://timestamp.sigstage.dev/api/v1/timestamp".into()
                },
                unix_seconds: 1_749_729_740
            }]
        );
    }

    #[test]
    fn artifact_as_digest_or_from_the_bundle() {
        for name in [
            "happy-path-v0.1",
            "happy-path-v0.2",
            "rekor2-happy-path",
            "managed-key-happy-path",
        ] {
            let c = case(name);
            let digest = sha256(&c.artifact);
            let v = c.verify_with(Artifact::Sha256(&digest)).unwrap();
            assert_eq!(
                v.content,
                SignedContent::MessageDigest {
                    sha256: digest,
                    artifact_checked: true
                },
                "{name}"
            );
            let v = c.verify_with(Artifact::BundleDigest).unwrap();
            assert_eq!(
                v.content,
                SignedContent::MessageDigest {
                    sha256: digest,
                    artifact_checked: false
                },
                "{name}"
            );
            let other = sha256(b"another artifact");
            assert!(
                matches!(
                    c.verify_with(Artifact::Sha256(&other)),
                    Err(BundleVerifyError::BadSignature(_))
                ),
                "{name}"
            );
            assert!(
                matches!(
                    c.verify_with(Artifact::Bytes(b"another artifact")),
                    Err(BundleVerifyError::BadSignature(_))
                ),
                "{name}"
            );
        }
    }

    #[test]
    fn dsse_subject_must_name_the_artifact() {
        for name in [
            "happy-path-intoto-in-dsse-v3",
            "intoto-with-custom-trust-root",
            "rekor2-dsse-happy-path",
        ] {
            let c = case(name);
            let v = c.verify().unwrap();
            assert!(
                matches!(v.content, SignedContent::Dsse { artifact_checked: true, ref payload_type, .. } if payload_type == IN_TOTO_PAYLOAD_TYPE),
                "{name}"
            );
            let v = c.verify_with(Artifact::BundleDigest).unwrap();
            assert!(
                matches!(
                    v.content,
                    SignedContent::Dsse {
                        artifact_checked: false,
                        ..
                    }
                ),
                "{name}"
            );
            let err = c
                .verify_with(Artifact::Bytes(b"not the subject"))
                .unwrap_err();
            assert!(
                matches!(err, BundleVerifyError::ArtifactMismatch(_)),
                "{name}: {err}"
            );
        }
    }

    #[test]
    fn staging_bundle_verifies_against_the_staging_root() {
        // `bundle-from-wrong-instance_fail` is a valid staging bundle: with the staging root
        // (shipped by the Rekor v2 cases) it verifies; only the instance was wrong.
        let c = case("bundle-from-wrong-instance_fail");
        let staging = read(&assets().join("bundle-verify/rekor2-happy-path/trusted_root.json"));
        let v = verify_bundle(&c.bundle, &staging, Some(&c.artifact), Some(&c.identity)).unwrap();
        assert_eq!(v.tlog_entries[0].log_url, "https://rekor.sigstage.dev");
    }

    #[test]
    fn managed_key_policy() {
        let c = case("managed-key-happy-path");
        let key = c.key.clone().unwrap();
        // DER works as well as PEM.
        let der = VerifyingKey::from_spki_pem(core::str::from_utf8(&key).unwrap())
            .unwrap()
            .to_spki_der()
            .unwrap();
        let options = VerifyOptions {
            artifact: Artifact::Bytes(&c.artifact),
            expected_identity: None,
            public_key: Some(&der),
        };
        let v = verify_bundle_with(&c.bundle, &c.root, &options).unwrap();
        assert_eq!(
            v.signer,
            Signer::PublicKey {
                spki_der: der.clone()
            }
        );
        assert_eq!(v.identity(), None);
        // A valid but different P-256 key.
        let other = crate::keys::SigningKey::generate(Algorithm::EcdsaP256Sha256, &[7; 32])
            .unwrap()
            .verifying_key()
            .to_spki_der()
            .unwrap();
        let options = VerifyOptions {
            public_key: Some(&other),
            ..options
        };
        assert!(matches!(
            verify_bundle_with(&c.bundle, &c.root, &options),
            Err(BundleVerifyError::BadSignature(_))
        ));
        // An expected identity cannot be met by a key.
        let options = VerifyOptions {
            public_key: Some(&der),
            expected_identity: Some(&c.identity),
            ..options
        };
        assert!(matches!(
            verify_bundle_with(&c.bundle, &c.root, &options),
            Err(BundleVerifyError::PublicKey(_))
        ));
        // A key is refused for certificate bundles.
        let happy = case("happy-path-v0.1");
        let options = VerifyOptions {
            artifact: Artifact::Bytes(&happy.artifact),
            expected_identity: None,
            public_key: Some(&der),
        };
        assert!(matches!(
            verify_bundle_with(&happy.bundle, &happy.root, &options),
            Err(BundleVerifyError::PublicKey(_))
        ));
    }

    #[test]
    fn identity_mismatch_is_refused() {
        let c = case("happy-path-v0.2");
        let other = Identity::new(
            "https://github.com/evil/repo/.github/workflows/x.yml@refs/heads/main",
            GITHUB_ACTIONS,
        );
        let err = verify_bundle(&c.bundle, &c.root, Some(&c.artifact), Some(&other)).unwrap_err();
        assert!(
            matches!(
                err,
                BundleVerifyError::Certificate {
                    source: CaError::IdentityMismatch { .. },
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn tampered_bundles_fail() {
        let c = case("happy-path-v0.2");
        fn entry(v: &mut Value) -> &mut Value {
            &mut v["verificationMaterial"]["tlogEntries"][0]
        }

        // integratedTime is covered by the SET.
        let err = verify_edited(&c, |v| entry(v)["integratedTime"] = "1689177397".into());
        assert!(
            matches!(err, BundleVerifyError::SignedEntryTimestamp { .. }),
            "{err}"
        );
        // So is the log index.
        let err = verify_edited(&c, |v| entry(v)["logIndex"] = "27246493".into());
        assert!(
            matches!(err, BundleVerifyError::SignedEntryTimestamp { .. }),
            "{err}"
        );
        // Without a SET the integratedTime proves nothing: no verified time is left.
        let err = verify_edited(&c, |v| {
            entry(v).as_object_mut().unwrap().remove("inclusionPromise");
        });
        assert!(matches!(err, BundleVerifyError::NoVerifiedTime), "{err}");
        // v0.2 needs the checkpoint.
        let err = verify_edited(&c, |v| {
            entry(v)["inclusionProof"]
                .as_object_mut()
                .unwrap()
                .remove("checkpoint");
        });
        assert!(
            matches!(err, BundleVerifyError::MissingCheckpoint { .. }),
            "{err}"
        );
        // A checkpoint edited after signing.
        let err = verify_edited(&c, |v| {
            let cp = entry(v)["inclusionProof"]["checkpoint"]["envelope"]
                .as_str()
                .unwrap()
                .replace("\n23083062\n", "\n23083063\n");
            entry(v)["inclusionProof"]["checkpoint"]["envelope"] = cp.into();
        });
        assert!(matches!(err, BundleVerifyError::Checkpoint { .. }), "{err}");
        // kindVersion must describe the body.
        let err = verify_edited(&c, |v| entry(v)["kindVersion"]["kind"] = "dsse".into());
        assert!(
            matches!(err, BundleVerifyError::LogEntryMismatch { .. }),
            "{err}"
        );
        // A log that is not in the trusted root.
        let err = verify_edited(&c, |v| {
            entry(v)["logId"]["keyId"] = STANDARD.encode([1u8; 32]).into()
        });
        assert!(matches!(err, BundleVerifyError::UnknownLog { .. }), "{err}");
        // messageDigest must be the artifact's.
        let err = verify_edited(&c, |v| {
            v["messageSignature"]["messageDigest"]["digest"] = STANDARD.encode([0u8; 32]).into()
        });
        assert!(
            matches!(err, BundleVerifyError::ArtifactMismatch(_)),
            "{err}"
        );
        // Unknown media type.
        let err = verify_edited(&c, |v| {
            v["mediaType"] = "application/vnd.dev.sigstore.bundle+json;version=9".into()
        });
        assert!(matches!(err, BundleVerifyError::Unsupported(_)), "{err}");
        // v0.1 needs a SET.
        let v01 = case("happy-path-v0.1");
        let err = verify_edited(&v01, |v| {
            entry(v).as_object_mut().unwrap().remove("inclusionPromise");
        });
        assert!(
            matches!(err, BundleVerifyError::MissingInclusionPromise { .. }),
            "{err}"
        );
    }

    #[test]
    fn trusted_root_validity_windows() {
        let c = case("happy-path-v0.1");
        let edit_root = |edit: &dyn Fn(&mut Value)| {
            let mut root: Value = serde_json::from_slice(&c.root).unwrap();
            edit(&mut root);
            serde_json::to_vec(&root).unwrap()
        };
        // The log key's validity ends one second before the integrated time (1689177396).
        let root = edit_root(&|r| {
            for t in r["tlogs"].as_array_mut().unwrap() {
                if t["baseUrl"] != "https://rekor.sigstore.dev" {
                    continue;
                }
                t["publicKey"]["validFor"]["end"] = "2023-07-12T15:56:35Z".into();
            }
        });
        let err =
            verify_bundle(&c.bundle, &root, Some(&c.artifact), Some(&c.identity)).unwrap_err();
        assert!(
            matches!(
                err,
                BundleVerifyError::LogKeyNotValid {
                    time: 1_689_177_396,
                    ..
                }
            ),
            "{err}"
        );
        // ... and with fractional seconds at exactly the time it is still valid (closed).
        let root = edit_root(&|r| {
            for t in r["tlogs"].as_array_mut().unwrap() {
                if t["baseUrl"] != "https://rekor.sigstore.dev" {
                    continue;
                }
                t["publicKey"]["validFor"]["end"] = "2023-07-12T15:56:36.000Z".into();
            }
        });
        verify_bundle(&c.bundle, &root, Some(&c.artifact), Some(&c.identity)).unwrap();
        // No certificate authority valid at the time.
        let root = edit_root(&|r| {
            for ca in r["certificateAuthorities"].as_array_mut().unwrap() {
                ca["validFor"]["end"] = "2023-07-12T00:00:00Z".into();
            }
        });
        let err =
            verify_bundle(&c.bundle, &root, Some(&c.artifact), Some(&c.identity)).unwrap_err();
        assert!(
            matches!(err, BundleVerifyError::NoCertificateAuthority { .. }),
            "{err}"
        );
        // A missing certificate authority start is a malformed root.
        let root = edit_root(&|r| {
            r["certificateAuthorities"][0]["validFor"]
                .as_object_mut()
                .unwrap()
                .remove("start");
        });
        let err =
            verify_bundle(&c.bundle, &root, Some(&c.artifact), Some(&c.identity)).unwrap_err();
        assert!(
            matches!(err, BundleVerifyError::MalformedTrustedRoot(_)),
            "{err}"
        );
    }

    #[test]
    fn rekor_v1_checkpoint_is_an_spki_note() {
        // The Rekor v1 checkpoint of happy-path-v0.1 opens with the production log key: key
        // hint = first 4 bytes of SHA-256(SPKI) = the log ID prefix, ECDSA P-256 signature.
        let c = case("happy-path-v0.1");
        let bundle: Value = serde_json::from_slice(&c.bundle).unwrap();
        let note = bundle["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]["checkpoint"]
            ["envelope"]
            .as_str()
            .unwrap();
        let root: Value = serde_json::from_slice(&c.root).unwrap();
        let spki = STANDARD
            .decode(root["tlogs"][0]["publicKey"]["rawBytes"].as_str().unwrap())
            .unwrap();
        let v = SpkiNoteVerifier::from_spki_der("rekor.sigstore.dev", &spki).unwrap();
        assert_eq!(v.key_id(), 0xc0d2_3d6a);
        let opened = open_note_with(note.as_bytes(), &[&v]).unwrap();
        assert!(opened
            .text
            .starts_with("rekor.sigstore.dev - 2605736670972794746\n23083062\n"));
        // A different name is a different key.
        let other = SpkiNoteVerifier::from_spki_der("rekor.example", &spki).unwrap();
        assert!(open_note_with(note.as_bytes(), &[&other]).is_err());
    }

    #[test]
    fn truncated_inputs_do_not_panic() {
        let c = case("rekor2-happy-path");
        for end in (0..c.bundle.len()).step_by(97) {
            let _ = verify_bundle(
                c.bundle.get(..end).unwrap(),
                &c.root,
                Some(&c.artifact),
                None,
            );
        }
        for end in (0..c.root.len()).step_by(89) {
            let _ = verify_bundle(
                &c.bundle,
                c.root.get(..end).unwrap(),
                Some(&c.artifact),
                None,
            );
        }
        // Every prefix and a spread of single-bit changes of a real RFC 3161 token are handled
        // without panicking; the original verifies.
        let bundle: Value = serde_json::from_slice(&c.bundle).unwrap();
        let token = STANDARD
            .decode(
                bundle["verificationMaterial"]["timestampVerificationData"]["rfc3161Timestamps"][0]
                    ["signedTimestamp"]
                    .as_str()
                    .unwrap(),
            )
            .unwrap();
        let signature = STANDARD
            .decode(bundle["messageSignature"]["signature"].as_str().unwrap())
            .unwrap();
        let root = TrustedRoot::parse(&c.root).unwrap();
        assert!(verify_rfc3161(&token, &signature, &root.tsas).is_ok());
        for end in 0..token.len() {
            assert!(verify_rfc3161(token.get(..end).unwrap(), &signature, &root.tsas).is_err());
        }
        for i in (0..token.len()).step_by(7) {
            let mut t = token.clone();
            t[i] ^= 0x01;
            let _ = verify_rfc3161(&t, &signature, &root.tsas);
        }
        assert!(verify_rfc3161(&token, b"another signature", &root.tsas).is_err());
    }

    #[test]
    fn time_parsing() {
        let t = |s| parse_rfc3339(s).map(|i| (i.secs, i.nanos));
        assert_eq!(t("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(t("2023-07-12T15:56:36Z"), Some((1_689_177_396, 0)));
        assert_eq!(
            t("2022-12-31T23:59:59.999000Z"),
            Some((1_672_531_199, 999_000_000))
        );
        assert_eq!(t("2023-07-12T17:56:36+02:00"), Some((1_689_177_396, 0)));
        assert_eq!(t("2024-02-29T00:00:00Z"), Some((1_709_164_800, 0)));
        for bad in [
            "",
            "2023-02-29T00:00:00Z",
            "2023-13-01T00:00:00Z",
            "2023-07-12 15:56:36Z",
            "2023-07-12T15:56:36",
            "2023-07-12T15:56:36.Z",
            "2023-07-12T24:00:00Z",
        ] {
            assert_eq!(t(bad), None, "{bad}");
        }
        let g = |s: &str| parse_generalized_time(s.as_bytes()).map(|i| (i.secs, i.nanos));
        assert_eq!(g("20250612120220Z"), Some((1_749_729_740, 0)));
        assert_eq!(g("20250612120220.5Z"), Some((1_749_729_740, 500_000_000)));
        assert_eq!(g("20250612120220"), None);
        assert_eq!(g("2025061212022Z"), None);
    }

    /// Why each `_fail` case must fail: the check that is meant to catch it.
    fn expected_failure(name: &str, e: &BundleVerifyError) -> Option<bool> {
        use BundleVerifyError as E;
        let cert =
            |f: fn(&CaError) -> bool| matches!(e, E::Certificate { source, .. } if f(source));
        Some(match name {
            "bundle-empty-certificate-chain_fail" => matches!(e, E::EmptyCertificateChain),
            // A staging entry: its log is not in the production root.
            "bundle-from-wrong-instance_fail" => matches!(e, E::UnknownLog { .. }),
            "bundle-invalid-base64-signature_fail" => {
                matches!(e, E::MalformedBundle(m) if m.contains("messageSignature.signature"))
            }
            "bundle-malformed-json_fail" => {
                matches!(e, E::MalformedBundle(m) if m.contains("not JSON"))
            }
            "bundle-negative-log-index_fail" => {
                matches!(e, E::MalformedBundle(m) if m.contains("negative"))
            }
            "bundle-with-root-cert_fail" => {
                cert(|c| matches!(c, CaError::Path(m) if m.contains("self-issued")))
            }
            "checkpoint-bad-keyhint_fail"
            | "checkpoint-wrong-roothash_fail"
            | "invalid-checkpoint-signature_fail"
            | "rekor2-checkpoint-missing-root-hash_fail"
            | "rekor2-checkpoint-no-matching-signature_fail" => matches!(e, E::Checkpoint { .. }),
            "dsse-invalid-sig_fail"
            | "rekor2-dsse-invalid-sig_fail"
            | "signature-mismatch_fail"
            | "wrong-material_fail" => {
                matches!(e, E::BadSignature(_))
            }
            "dsse-mismatch-envelope_fail"
            | "intoto-log-entry-mismatch_fail"
            | "rekor2-dsse-mismatch-sig_fail"
            | "wrong-hashedrekord-artifact_fail"
            | "wrong-hashedrekord-cert-and-sig_fail" => matches!(e, E::LogEntryMismatch { .. }),
            // The edited body is no longer the leaf the proof and checkpoint commit to.
            "incorrect-public-key_fail"
            | "inclusion-proof-corrupted-hash_fail"
            | "invalid-inclusion-proof_fail" => {
                matches!(e, E::InclusionProof { .. })
            }
            "integrated-time-in-future_fail" | "intoto-set-outside-signing-cert-validity_fail" => {
                cert(|c| matches!(c, CaError::Expired { .. }))
            }
            // The SET time is fine; the RFC 3161 time (a day later) is not.
            "intoto-tsa-timestamp-outside-cert-validity_fail" => matches!(
                e,
                E::Certificate {
                    time: 1_675_296_000,
                    source: CaError::Expired { .. }
                }
            ),
            "rekor2-timestamp-with-incorrect-time_fail" => {
                cert(|c| matches!(c, CaError::Expired { .. }))
            }
            "intoto-expired-certificate_fail" => cert(|c| matches!(c, CaError::NotYetValid { .. })),
            "intoto-missing-inclusion-proof_fail" | "rekor2-no-inclusion-proof_fail" => {
                matches!(e, E::MissingInclusionProof { .. })
            }
            "managed-key-no-key_fail" => matches!(e, E::MissingPublicKey),
            "managed-key-wrong-key_fail" => matches!(e, E::PublicKey(_)),
            "rekor2-timestamp-outside-trust-root-tsa-validity_fail" => {
                matches!(e, E::Timestamp { detail, .. } if detail.contains("outside the validity"))
            }
            "rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail"
            | "rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail" => {
                matches!(e, E::Timestamp { detail, .. } if detail.contains("not signed by a timestamp authority"))
            }
            "set-invalid-signature_fail" => matches!(e, E::SignedEntryTimestamp { .. }),
            "trust-root-tlog-missing-validity-start_fail" => {
                matches!(e, E::MalformedTrustedRoot(m) if m.contains("validFor.start"))
            }
            _ => return None,
        })
    }

    #[test]
    #[allow(clippy::print_stderr)]
    fn conformance_bundle_cases() {
        let production = production_root();
        let names = case_names();
        assert!(
            names.len() >= 55,
            "expected the 55+ conformance cases, found {}",
            names.len()
        );
        let mut passed = Vec::new();
        let mut failed_as_expected = Vec::new();
        let mut unsupported = Vec::new();
        let mut wrong = Vec::new();
        for name in &names {
            let case = load_case(name, &production);
            let result = case.verify();
            let must_fail = name.ends_with("_fail");
            if let Some((_, reason)) = UNSUPPORTED.iter().find(|(n, _)| n == name) {
                match &result {
                    Err(BundleVerifyError::Unsupported(_)) => {
                        unsupported.push(format!("{name}: {reason}"))
                    }
                    other => wrong.push(format!("{name}: listed as unsupported, got {other:?}")),
                }
                continue;
            }
            match (must_fail, &result) {
                (false, Ok(_)) => passed.push(name.clone()),
                (true, Err(e)) => match expected_failure(name, e) {
                    Some(true) => failed_as_expected.push(format!("{name}: {e}")),
                    Some(false) => wrong.push(format!("{name}: failed for another reason: {e:?}")),
                    None => failed_as_expected.push(format!("{name} (reason not pinned): {e}")),
                },
                (false, Err(e)) => wrong.push(format!("{name}: should pass, failed: {e}")),
                (true, Ok(_)) => wrong.push(format!("{name}: should fail, passed")),
            }
        }
        eprintln!("passing as expected ({}):", passed.len());
        for p in &passed {
            eprintln!("  {p}");
        }
        eprintln!("failing as expected ({}):", failed_as_expected.len());
        for f in &failed_as_expected {
            eprintln!("  {f}");
        }
        eprintln!("unsupported ({}):", unsupported.len());
        for u in &unsupported {
            eprintln!("  {u}");
        }
        assert!(
            wrong.is_empty(),
            "unexpected results:\n{}",
            wrong.join("\n")
        );
    }
}
