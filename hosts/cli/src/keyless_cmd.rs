//! `stella ca init`, `stella attest sign-keyless` and `stella attest verify-keyless`:
//! keyless signing in the style of Sigstore (Fulcio + Rekor), fully local and verifiable
//! offline.
//!
//! Signing generates an ephemeral ECDSA P-256 key that never touches the disk, has the local
//! CA ([`stellaops_attest::ca`]) issue a ten-minute certificate binding the key's public half
//! to an identity (subject + OIDC issuer), signs the payload into a DSSE envelope and logs
//! the signing event in a transparency log (`stella log init`). The log entry binds the time:
//! it is the RFC 8785 canonical JSON
//!
//! ```json
//! {"certificateSha256":"<hex>","integratedTime":<unix secs>,"sha256":"<hex>"}
//! ```
//!
//! where `sha256` is the SHA-256 of the envelope's compact JSON (exactly the bytes of
//! [`Envelope::to_json`]: sorted keys, standard padded base64) and `certificateSha256` that of
//! the certificate's DER. Everything a verifier needs goes into one bundle:
//!
//! ```json
//! {
//!   "mediaType": "application/vnd.stellaops.keyless-bundle+json;version=1",
//!   "dsseEnvelope": {"payload": "..", "payloadType": "..", "signatures": [..]},
//!   "certificate": "-----BEGIN CERTIFICATE-----\n..",
//!   "tlog": {
//!     "origin": "<log origin>", "index": 0, "integratedTime": 1700000000,
//!     "proof": "c2sp.org/tlog-proof@v1\n..", "entry": "<base64 of the logged entry>"
//!   }
//! }
//! ```
//!
//! Verification needs only the bundle, the CA root certificate and the log's verifier key:
//! the entry recomputed from the bundle must equal the logged one and be included in a
//! checkpoint signed by the log; the certificate must chain to the root and be valid at
//! `integratedTime` (so an expired certificate, or a signing time moved outside its ten
//! minutes, fails); the envelope must be signed by the certificate's key.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use stellaops_attest::ca::{self, CertificateAuthority, Identity};
use stellaops_attest::dsse::{self, Envelope};
use stellaops_attest::keys::{Algorithm, KeyError, SigningKey, VerifyingKey};
use stellaops_attest::tlog::{verify_tlog_proof, NoteVerifier};

use crate::attest_cmd::Verdict;

/// Media type of a keyless bundle.
pub const BUNDLE_MEDIA_TYPE: &str = "application/vnd.stellaops.keyless-bundle+json;version=1";
/// Lifetime of a signing certificate, seconds (as Fulcio).
pub const CERT_VALIDITY_SECS: u64 = 600;
/// CA certificate file in a CA directory.
const ROOT_CERT: &str = "root.pem";
/// CA private key file in a CA directory (mode 0600).
const ROOT_KEY: &str = "root.key.pem";

/// `stella ca`: a local certificate authority for keyless signing.
#[derive(clap::Subcommand)]
pub enum CaCommand {
    /// Create a root CA (ECDSA P-256, OS randomness) in DIR: DIR/root.pem (the certificate to
    /// hand to verifiers) and DIR/root.key.pem (the private key, mode 0600).
    Init {
        /// CA directory (created if missing; an existing CA is never overwritten).
        dir: PathBuf,
        /// The root certificate's subject common name.
        #[arg(long)]
        common_name: String,
        /// Validity of the root certificate, in days from now.
        #[arg(long, default_value_t = 365)]
        validity_days: u64,
    },
}

/// `stella attest sign-keyless` (the keyless form of `stella attest sign`, a separate
/// subcommand because its inputs differ: a CA, an identity and a log instead of a key).
#[derive(clap::Args)]
#[command(after_help = "\
This is `stella attest sign --keyless`, spelled as a separate subcommand because it takes a
CA, an identity and a log instead of --key.

An ephemeral ECDSA P-256 key (never written to disk) is certified by the CA for 10 minutes as
IDENTITY/ISSUER and signs the payload into a DSSE envelope; the signing event, the canonical
JSON {\"certificateSha256\",\"integratedTime\",\"sha256\"} (SHA-256 of the certificate DER and
of the envelope JSON), is appended to the transparency log. The bundle (JSON, mediaType
application/vnd.stellaops.keyless-bundle+json;version=1) holds the envelope, the certificate
and the log inclusion proof; check it offline with `stella attest verify-keyless`.")]
pub struct SignKeylessArgs {
    /// CA directory written by `stella ca init` (root.pem, root.key.pem).
    #[arg(long)]
    ca: PathBuf,
    /// The signer's identity: an e-mail address or a URI (certificate Subject Alternative Name).
    #[arg(long)]
    identity: String,
    /// The OIDC issuer URL that vouched for the identity.
    #[arg(long)]
    issuer: String,
    /// Transparency log directory written by `stella log init`.
    #[arg(long)]
    log: PathBuf,
    /// Payload file.
    #[arg(long)]
    payload: PathBuf,
    /// DSSE payload type, e.g. application/vnd.in-toto+json.
    #[arg(long)]
    payload_type: String,
    /// Bundle to write (JSON).
    #[arg(long, short)]
    output: PathBuf,
}

/// `stella attest verify-keyless`.
#[derive(clap::Args)]
pub struct VerifyKeylessArgs {
    /// Bundle written by `stella attest sign-keyless`.
    pub bundle: PathBuf,
    /// Trusted CA root certificate(s) (PEM); repeatable.
    #[arg(long = "ca-root", required = true)]
    pub ca_roots: Vec<PathBuf>,
    /// The log's verifier key (`<name>+<hash>+<key>`, the origin is its name), a file holding
    /// it, or a log directory (its log.json names key and origin).
    #[arg(long)]
    pub log_key: String,
    /// Require this signer identity (with --issuer); without it any identity the CA certified
    /// is accepted and printed.
    #[arg(long, requires = "issuer")]
    pub identity: Option<String>,
    /// Require this OIDC issuer (with --identity).
    #[arg(long, requires = "identity")]
    pub issuer: Option<String>,
}

/// A keyless bundle (see the module documentation).
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Bundle {
    media_type: String,
    dsse_envelope: serde_json::Value,
    certificate: String,
    tlog: TlogEntry,
}

/// Where and when the signing event was logged.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TlogEntry {
    origin: String,
    index: u64,
    integrated_time: u64,
    /// C2SP tlog-proof text (inclusion proof and signed checkpoint).
    proof: String,
    /// Base64 of the logged entry bytes.
    entry: String,
}

/// Create a root CA in `dir`.
pub fn ca_init(dir: &Path, common_name: &str, validity_days: u64) -> Result<String> {
    let (cert_path, key_path) = (dir.join(ROOT_CERT), dir.join(ROOT_KEY));
    if cert_path.exists() || key_path.exists() {
        bail!("{} already holds a CA", dir.display());
    }
    if validity_days == 0 {
        bail!("--validity-days must be at least 1");
    }
    let not_before = unix_now()?;
    let not_after = validity_days
        .checked_mul(86_400)
        .and_then(|secs| not_before.checked_add(secs))
        .context("--validity-days is too large")?;
    // The CA key is a P-256 scalar like a signing key: draw until one is valid.
    let seed =
        p256_seed(|seed| SigningKey::generate(Algorithm::EcdsaP256Sha256, seed).map(|_| ()))?;
    let ca = CertificateAuthority::new_root(&seed, common_name, not_before, not_after, &serial()?)
        .context("cannot create the root CA")?;
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    write_private(&key_path, ca.key_pem()?.as_bytes())?;
    crate::output::write(Some(&cert_path), ca.root_pem().as_bytes())?;
    Ok(format!(
        "created CA \"{common_name}\" in {}: {} (root certificate, give it to verifiers) and {} \
         (private key); valid until {}",
        dir.display(),
        cert_path.display(),
        key_path.display(),
        when(not_after)
    ))
}

/// Sign a payload keylessly and write the bundle; returns a summary.
pub fn sign(args: &SignKeylessArgs) -> Result<String> {
    let ca = load_ca(&args.ca)?;
    let identity = Identity::new(&args.identity, &args.issuer);
    let payload = fs::read(&args.payload)
        .with_context(|| format!("cannot read {}", args.payload.display()))?;
    let (vkey, origin) = crate::log_cmd::identity(&args.log)?;

    let key = ephemeral_key()?;
    let not_before = unix_now()?;
    let cert_pem = ca
        .issue_signing_cert(
            &key.verifying_key().to_spki_der()?,
            &identity,
            not_before,
            CERT_VALIDITY_SECS,
            &serial()?,
        )
        .context("the CA refused to issue a signing certificate")?;
    let cert_der = single_certificate_der(&cert_pem)?;
    let envelope = dsse::sign(&args.payload_type, &payload, &[&key]);
    drop(key);
    let envelope_json = envelope.to_json();

    let integrated_time = unix_now()?;
    let not_after = not_before + CERT_VALIDITY_SECS;
    if !(not_before..=not_after).contains(&integrated_time) {
        bail!(
            "the clock left the signing certificate's validity ({}..{}) before the signature \
             could be logged (now {})",
            when(not_before),
            when(not_after),
            when(integrated_time)
        );
    }
    let entry = log_entry(integrated_time, &envelope_json, &cert_der)?;
    let index = append_entry(&args.log, &entry)?;
    let proof = crate::log_cmd::prove(&args.log, index)?;

    let bundle = Bundle {
        media_type: BUNDLE_MEDIA_TYPE.to_owned(),
        dsse_envelope: serde_json::from_slice(&envelope_json)?,
        certificate: cert_pem,
        tlog: TlogEntry {
            origin: origin.clone(),
            index,
            integrated_time,
            proof,
            entry: base64::encode(&entry),
        },
    };
    // Check what we produced with the verifier's own code before handing it out.
    let verifier = NoteVerifier::from_verifier_key(&vkey)?;
    if let Err(reason) = check(
        &bundle,
        &[ca.root_pem()],
        &verifier,
        &origin,
        Some(&identity),
    ) {
        bail!("the new bundle does not verify: {reason}");
    }
    let mut json = serde_json::to_vec_pretty(&bundle)?;
    json.push(b'\n');
    crate::output::write(Some(&args.output), &json)?;
    Ok(format!(
        "wrote {}: signed as {identity} with a certificate valid {}..{}, logged as entry \
         {index} of {origin} at {}",
        args.output.display(),
        when(not_before),
        when(not_after),
        when(integrated_time)
    ))
}

/// Verify a bundle offline. `Ok(Err(reason))` names the check that failed.
pub fn verify(args: &VerifyKeylessArgs) -> Verdict {
    let roots = args
        .ca_roots
        .iter()
        .map(|p| fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display())))
        .collect::<Result<Vec<_>>>()?;
    let roots: Vec<&str> = roots.iter().map(String::as_str).collect();
    let (verifier, origin) = log_verifier(&args.log_key)?;
    let expected = match (&args.identity, &args.issuer) {
        (Some(subject), Some(issuer)) => Some(Identity::new(subject, issuer)),
        _ => None,
    };
    let bytes =
        fs::read(&args.bundle).with_context(|| format!("cannot read {}", args.bundle.display()))?;
    let bundle: Bundle = match serde_json::from_slice(&bytes) {
        Ok(b) => b,
        Err(e) => return Ok(Err(format!("bundle: not a keyless bundle: {e}"))),
    };
    Ok(check(
        &bundle,
        &roots,
        &verifier,
        &origin,
        expected.as_ref(),
    ))
}

/// Every check of a bundle, in order: format, transparency log, certificate, signature.
fn check(
    bundle: &Bundle,
    roots: &[&str],
    verifier: &NoteVerifier,
    origin: &str,
    expected: Option<&Identity>,
) -> Result<String, String> {
    if bundle.media_type != BUNDLE_MEDIA_TYPE {
        return Err(format!(
            "bundle: media type {:?}, expected {BUNDLE_MEDIA_TYPE:?}",
            bundle.media_type
        ));
    }
    let envelope = serde_json::to_vec(&bundle.dsse_envelope)
        .map_err(|e| e.to_string())
        .and_then(|json| Envelope::from_json(&json).map_err(|e| e.to_string()))
        .map_err(|e| format!("bundle: dsseEnvelope is not a DSSE envelope: {e}"))?;
    let cert_der = single_certificate_der(&bundle.certificate)
        .map_err(|e| format!("bundle: certificate: {e:#}"))?;
    let tree_size = check_tlog(bundle, &envelope, &cert_der, verifier, origin)
        .map_err(|e| format!("transparency log: {e}"))?;
    let time = bundle.tlog.integrated_time;
    let cert = ca::verify_signing_cert(&bundle.certificate, roots, time, expected)
        .map_err(|e| format!("certificate: {e}"))?;
    let key = VerifyingKey::from_spki_der(&cert.public_key_spki_der)
        .map_err(|e| format!("certificate: public key: {e}"))?;
    let verified = dsse::verify(&envelope, &[key], 1).map_err(|e| format!("signature: {e}"))?;
    Ok(format!(
        "valid: payload type {}, {} bytes, signed by {} with a certificate valid {}..{}, \
         logged at {} as entry {} of {origin} (tree size {tree_size})",
        verified.payload_type,
        verified.payload.len(),
        cert.identity,
        when(cert.not_before),
        when(cert.not_after),
        when(time),
        bundle.tlog.index,
    ))
}

/// The logged entry recomputed from the bundle equals the one it carries, and the proof
/// includes it in a checkpoint of `origin` signed by `verifier`. Returns the tree size.
fn check_tlog(
    bundle: &Bundle,
    envelope: &Envelope,
    cert_der: &[u8],
    verifier: &NoteVerifier,
    origin: &str,
) -> Result<u64, String> {
    let tlog = &bundle.tlog;
    if tlog.origin != origin {
        return Err(format!(
            "the bundle was logged in {:?}, not in the trusted log {origin:?}",
            tlog.origin
        ));
    }
    let entry = log_entry(tlog.integrated_time, &envelope.to_json(), cert_der)
        .map_err(|e| format!("{e:#}"))?;
    let logged = base64::decode(&tlog.entry).map_err(|e| format!("entry: {e}"))?;
    if logged != entry {
        return Err(
            "the logged entry does not match the bundle (envelope, certificate or \
             integratedTime changed)"
                .to_owned(),
        );
    }
    let (proof, checkpoint) = verify_tlog_proof(tlog.proof.as_bytes(), &entry, verifier, origin)
        .map_err(|e| e.to_string())?;
    if proof.index != tlog.index {
        return Err(format!(
            "the proof is for entry {}, the bundle says {}",
            proof.index, tlog.index
        ));
    }
    Ok(checkpoint.size)
}

/// The entry logged for a keyless signature: canonical JSON binding the time, the envelope
/// and the certificate.
fn log_entry(integrated_time: u64, envelope_json: &[u8], cert_der: &[u8]) -> Result<Vec<u8>> {
    let sha256 = |b: &[u8]| stellaops_core::digest::Sha256Digest::of(b).hex().to_owned();
    Ok(stellaops_core::canonical::to_vec(&serde_json::json!({
        "certificateSha256": sha256(cert_der),
        "integratedTime": integrated_time,
        "sha256": sha256(envelope_json),
    }))?)
}

/// Append one keyless entry to the log in `dir`; returns its index.
fn append_entry(dir: &Path, entry: &[u8]) -> Result<u64> {
    crate::log_cmd::append_entries(dir, &[entry.to_vec()])?
        .first()
        .copied()
        .context("the log returned no index for the appended entry")
}

/// The trusted log from `--log-key`: a log directory, a file holding a verifier key, or the
/// verifier key itself. The origin is the log's (directory) or the key's name.
fn log_verifier(spec: &str) -> Result<(NoteVerifier, String)> {
    let path = Path::new(spec);
    if path.is_dir() {
        let (vkey, origin) = crate::log_cmd::identity(path)?;
        return Ok((NoteVerifier::from_verifier_key(&vkey)?, origin));
    }
    let vkey = if path.is_file() {
        fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?
    } else {
        spec.to_owned()
    };
    let verifier = NoteVerifier::from_verifier_key(vkey.trim()).with_context(|| {
        format!("--log-key {spec:?} is neither a log directory nor a verifier key")
    })?;
    let origin = verifier.name().to_owned();
    Ok((verifier, origin))
}

fn load_ca(dir: &Path) -> Result<CertificateAuthority> {
    let read = |name: &str| {
        let p = dir.join(name);
        fs::read_to_string(&p).with_context(|| {
            format!(
                "cannot read {} (create a CA with `stella ca init`)",
                p.display()
            )
        })
    };
    let key = Secret(read(ROOT_KEY)?);
    CertificateAuthority::from_pem(&read(ROOT_CERT)?, &key.0)
        .with_context(|| format!("CA in {}", dir.display()))
}

/// A string overwritten with zeros when dropped (the CA key PEM).
struct Secret(String);

impl Drop for Secret {
    fn drop(&mut self) {
        let mut bytes = std::mem::take(&mut self.0).into_bytes();
        bytes.fill(0);
        std::hint::black_box(&bytes);
    }
}

/// A fresh ECDSA P-256 key from OS randomness (kept in memory only).
fn ephemeral_key() -> Result<SigningKey> {
    let mut key = None;
    p256_seed(|seed| {
        key = Some(SigningKey::generate(Algorithm::EcdsaP256Sha256, seed)?);
        Ok(())
    })?;
    key.context("no key was generated")
}

/// OS random bytes accepted by `accept` as a P-256 scalar (redrawn in the negligible case
/// they are not one).
fn p256_seed(mut accept: impl FnMut(&[u8; 32]) -> Result<(), KeyError>) -> Result<[u8; 32]> {
    for _ in 0..16 {
        let seed = os_random::<32>()?;
        match accept(&seed) {
            Ok(()) => return Ok(seed),
            Err(KeyError::InvalidSeed { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    bail!("the OS random source gave no valid P-256 key in 16 draws")
}

/// A random positive 16-byte certificate serial number (first byte 0x40..=0x7f: positive and
/// minimally encoded).
fn serial() -> Result<[u8; 16]> {
    let mut serial = os_random::<16>()?;
    serial[0] = (serial[0] & 0x3f) | 0x40;
    Ok(serial)
}

/// `N` bytes from the operating system's random source.
fn os_random<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .context("cannot read /dev/urandom")?;
    Ok(bytes)
}

/// Unix seconds as RFC 3339, for messages.
fn when(secs: u64) -> String {
    i64::try_from(secs).map_or_else(|_| secs.to_string(), stellaops_core::sbom::rfc3339)
}

fn unix_now() -> Result<u64> {
    Ok(SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .context("the system clock is before 1970")?
        .as_secs())
}

/// Create `path` (never overwriting) with mode 0600 and write `bytes`.
fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// The DER of the single `CERTIFICATE` block of `pem`.
fn single_certificate_der(pem: &str) -> Result<Vec<u8>> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let (_, rest) = pem
        .split_once(BEGIN)
        .context("no -----BEGIN CERTIFICATE----- line")?;
    let (body, tail) = rest
        .split_once(END)
        .context("no -----END CERTIFICATE----- line")?;
    if tail.contains(BEGIN) {
        bail!("more than one certificate");
    }
    base64::decode(body).map_err(|e| anyhow::anyhow!("certificate body: {e}"))
}

/// Strict standard base64 (RFC 4648 §4, padded), via the `base64` crate.
mod base64 {
    use ::base64::Engine as _;

    pub(super) fn encode(bytes: &[u8]) -> String {
        ::base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    pub(super) fn decode(text: &str) -> Result<Vec<u8>, String> {
        let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        ::base64::engine::general_purpose::STANDARD
            .decode(compact)
            .map_err(|e| e.to_string())
    }
}
