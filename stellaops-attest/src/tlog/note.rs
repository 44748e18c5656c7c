//! C2SP signed-note: text signed by one or more named keys (Ed25519, signature type `0x01`).
//! [`SpkiNoteVerifier`] additionally reads Sigstore Rekor v1 checkpoints (ECDSA, key ID from
//! the SubjectPublicKeyInfo hash) through [`open_note_with`].
//!
//! ```text
//! <text, ending in a newline>
//!
//! — <key name> <base64(key ID (4 bytes, big-endian) || signature)>
//! ```
//!
//! * Key ID = first 4 bytes of `SHA-256(name || "\n" || 0x01 || public key)`.
//! * Verifier keys are `<name>+<key ID hex8>+<base64(0x01 || public key)>`, signer keys
//!   `PRIVATE+KEY+<name>+<key ID hex8>+<base64(0x01 || 32-byte seed)>`, byte-compatible with
//!   Go's `golang.org/x/mod/sumdb/note` (tested against its published key pair and notes).
//!
//! [`open_note`] follows `note.Open`: the note must be valid UTF-8 without control characters
//! other than newline; the text is separated from the signature block by the *last* empty
//! line; every signature line must be well formed; signatures by unknown keys (name *and* key
//! ID must match) are ignored but reported; a signature by a known key that does not verify
//! rejects the whole note; at least one known key must have signed; at most
//! [`MAX_SIGNATURES`] signature lines. Unlike Go, repeated signature lines of a known key are
//! all verified (Go verifies only the first); Ed25519 verification is strict (RFC 8032
//! canonical encodings, no small-order keys or R), which every honest signer satisfies.

use base64::{engine::general_purpose::STANDARD, Engine as _};
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use thiserror::Error;

/// Signature type byte of Ed25519 note signatures.
pub const SIG_TYPE_ED25519: u8 = 0x01;
/// Maximum number of signature lines [`open_note`] accepts (Go's limit; the spec asks for at
/// least 16).
pub const MAX_SIGNATURES: usize = 100;
/// Prefix of a signature line: em dash (U+2014) and a space.
const SIG_PREFIX: &str = "\u{2014} ";

/// Errors of note keys, signing and opening.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum NoteError {
    /// The note bytes are not UTF-8.
    #[error("malformed note: not valid UTF-8")]
    NotUtf8,
    /// The note (or a text to sign) contains an ASCII control character other than newline.
    #[error("malformed note: control character U+{0:04X}")]
    ControlCharacter(u32),
    /// No empty line separates the text from the signatures.
    #[error("malformed note: no blank line before the signature block")]
    MissingSignatureBlock,
    /// The signature block is empty or does not end in a newline.
    #[error("malformed note: signature block is empty or does not end in a newline")]
    UnterminatedSignatureBlock,
    /// A line of the signature block is not `— <name> <base64>`.
    #[error("malformed note: bad signature line {0:?}")]
    BadSignatureLine(String),
    /// A key name is empty or contains a space or `+`.
    #[error("invalid key name {0:?}: names must be non-empty and contain no spaces or '+'")]
    InvalidName(String),
    /// More than [`MAX_SIGNATURES`] signature lines.
    #[error("malformed note: more than {MAX_SIGNATURES} signatures")]
    TooManySignatures,
    /// A signature by a known key does not verify.
    #[error("invalid signature for key {name}+{key_id:08x}")]
    InvalidSignature {
        /// Key name.
        name: String,
        /// Key ID.
        key_id: u32,
    },
    /// No signature by a known key: the text must not be trusted.
    #[error("note has no signature by a known key ({unverified} signatures by unknown keys)")]
    NoVerifiedSignature {
        /// Number of (distinct) signatures by unknown keys.
        unverified: usize,
    },
    /// Several known verifiers share a name and key ID.
    #[error("ambiguous key {name}+{key_id:08x}: several verifiers have this name and key ID")]
    AmbiguousVerifier {
        /// Key name.
        name: String,
        /// Key ID.
        key_id: u32,
    },
    /// A text to sign is empty or does not end in a newline.
    #[error("note text must be non-empty and end in a newline")]
    TextMissingNewline,
    /// `sign_note` was given no signer.
    #[error("a note needs at least one signer")]
    NoSigners,
    /// A verifier key string is malformed.
    #[error("malformed verifier key: {0}")]
    InvalidVerifierKey(&'static str),
    /// A signer key string is malformed (the key itself is never echoed).
    #[error("malformed signer key: {0}")]
    InvalidSignerKey(&'static str),
    /// The key ID in a key string is not the hash of its name and key.
    #[error("key ID does not match the key name and key")]
    KeyIdMismatch,
    /// A key of a signature type other than Ed25519 (0x01).
    #[error("unsupported signature type 0x{0:02x} (only Ed25519, 0x01, is supported)")]
    UnsupportedKeyType(u8),
    /// An Ed25519 public key that is not a valid curve point.
    #[error("invalid Ed25519 public key")]
    InvalidPublicKey,
}

/// Whether `name` is a valid key name: non-empty, no Unicode white space, no `+` (Go's
/// `isValidName`), and no control characters.
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && !name
            .chars()
            .any(|c| c.is_whitespace() || c == '+' || c.is_control())
}

/// Key ID of a key: first 4 bytes (big-endian) of `SHA-256(name || "\n" || type_and_key)`,
/// where `type_and_key` is the signature type byte followed by the public key.
pub fn key_id(name: &str, type_and_key: &[u8]) -> u32 {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update(type_and_key);
    let d: [u8; 32] = h.finalize().into();
    u32::from_be_bytes([d[0], d[1], d[2], d[3]])
}

fn ed25519_key_id(name: &str, public_key: &[u8; 32]) -> u32 {
    let mut k = [0u8; 33];
    k[0] = SIG_TYPE_ED25519;
    k[1..].copy_from_slice(public_key);
    key_id(name, &k)
}

/// Parses an 8-digit lowercase hex key ID.
fn parse_key_id(s: &str) -> Option<u32> {
    if s.len() != 8 || !s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    u32::from_str_radix(s, 16).ok()
}

/// A known public key that can verify note signatures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteVerifier {
    name: String,
    key_id: u32,
    key: VerifyingKey,
}

impl NoteVerifier {
    /// A verifier for the Ed25519 public key `public_key` named `name`.
    pub fn new(name: &str, public_key: &[u8; 32]) -> Result<Self, NoteError> {
        if !is_valid_name(name) {
            return Err(NoteError::InvalidName(name.to_string()));
        }
        let key = VerifyingKey::from_bytes(public_key).map_err(|_| NoteError::InvalidPublicKey)?;
        Ok(Self {
            name: name.to_string(),
            key_id: ed25519_key_id(name, public_key),
            key,
        })
    }

    /// Parses a verifier key `<name>+<key ID hex8>+<base64(0x01 || public key)>`.
    pub fn from_verifier_key(vkey: &str) -> Result<Self, NoteError> {
        let (name, rest) = vkey
            .split_once('+')
            .ok_or(NoteError::InvalidVerifierKey("expected <name>+<id>+<key>"))?;
        let (id, key64) = rest
            .split_once('+')
            .ok_or(NoteError::InvalidVerifierKey("expected <name>+<id>+<key>"))?;
        if !is_valid_name(name) {
            return Err(NoteError::InvalidName(name.to_string()));
        }
        let id =
            parse_key_id(id).ok_or(NoteError::InvalidVerifierKey("key ID is not 8 hex digits"))?;
        let key = STANDARD
            .decode(key64)
            .map_err(|_| NoteError::InvalidVerifierKey("key is not standard base64"))?;
        if key.is_empty() {
            return Err(NoteError::InvalidVerifierKey("empty key"));
        }
        if key_id(name, &key) != id {
            return Err(NoteError::KeyIdMismatch);
        }
        match key.split_first() {
            Some((&SIG_TYPE_ED25519, pk)) => {
                let pk: [u8; 32] = pk
                    .try_into()
                    .map_err(|_| NoteError::InvalidVerifierKey("Ed25519 key is not 32 bytes"))?;
                Self::new(name, &pk)
            }
            Some((&other, _)) => Err(NoteError::UnsupportedKeyType(other)),
            None => Err(NoteError::InvalidVerifierKey("empty key")),
        }
    }

    /// The verifier key string `<name>+<key ID hex8>+<base64(0x01 || public key)>`.
    pub fn verifier_key(&self) -> String {
        let mut k = Vec::with_capacity(33);
        k.push(SIG_TYPE_ED25519);
        k.extend_from_slice(self.key.as_bytes());
        format!("{}+{:08x}+{}", self.name, self.key_id, STANDARD.encode(k))
    }

    /// Key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Key ID.
    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// The Ed25519 public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    /// Whether `signature` (64 bytes, without the key ID) is a valid signature of `msg`.
    pub fn verify(&self, msg: &[u8], signature: &[u8]) -> bool {
        match <[u8; 64]>::try_from(signature) {
            Ok(sig) => self
                .key
                .verify_strict(msg, &Signature::from_bytes(&sig))
                .is_ok(),
            Err(_) => false,
        }
    }
}

impl core::str::FromStr for NoteVerifier {
    type Err = NoteError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_verifier_key(s)
    }
}

/// A known key that can check note signature lines: its name, its 4-byte key ID, and the
/// signature check. Implemented by [`NoteVerifier`] (C2SP Ed25519) and [`SpkiNoteVerifier`]
/// (Sigstore Rekor v1 style); [`open_note_with`] takes any mix of them.
pub trait NoteKey {
    /// The key name a signature line must carry.
    fn note_key_name(&self) -> &str;
    /// The key ID a signature line must carry (first 4 bytes of its base64 payload).
    fn note_key_id(&self) -> u32;
    /// Whether `signature` (the payload after the key ID) is a valid signature of `msg`.
    fn verify_note_signature(&self, msg: &[u8], signature: &[u8]) -> bool;
}

impl NoteKey for NoteVerifier {
    fn note_key_name(&self) -> &str {
        &self.name
    }
    fn note_key_id(&self) -> u32 {
        self.key_id
    }
    fn verify_note_signature(&self, msg: &[u8], signature: &[u8]) -> bool {
        self.verify(msg, signature)
    }
}

/// A note verifier in the style of Sigstore Rekor v1 checkpoints (`rekor.sigstore.dev`):
/// the key is any [`crate::keys::VerifyingKey`] (in practice ECDSA P-256), given as a DER
/// SubjectPublicKeyInfo; the key ID ("key hint") is the first 4 bytes of SHA-256 of that
/// SubjectPublicKeyInfo (the log ID's prefix), not derived from the name; the signature
/// after the key ID is the key's signature over the note text (ECDSA: ASN.1 DER, SHA-256
/// for P-256, SHA-384 for P-384; see [`crate::keys::VerifyingKey::verify`]).
///
/// This is not a C2SP signed-note key type (C2SP defines Ed25519, `0x01`); it exists to read
/// what Rekor v1 writes. Rekor v2 (tiles) logs use standard Ed25519 [`NoteVerifier`]s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpkiNoteVerifier {
    name: String,
    key_id: u32,
    key: crate::keys::VerifyingKey,
}

impl SpkiNoteVerifier {
    /// A verifier named `name` for the public key in `spki_der` (Ed25519, P-256 or P-384).
    pub fn from_spki_der(name: &str, spki_der: &[u8]) -> Result<Self, NoteError> {
        if !is_valid_name(name) {
            return Err(NoteError::InvalidName(name.to_string()));
        }
        let key = crate::keys::VerifyingKey::from_spki_der(spki_der).map_err(|_| {
            NoteError::InvalidVerifierKey(
                "not a DER SubjectPublicKeyInfo of an Ed25519, P-256 or P-384 key",
            )
        })?;
        // The key hint hashes the canonical encoding (uncompressed EC point), which is what
        // Rekor and `trusted_root.json` log IDs use.
        let canonical = key
            .to_spki_der()
            .map_err(|_| NoteError::InvalidVerifierKey("cannot encode the public key"))?;
        let d: [u8; 32] = Sha256::digest(canonical).into();
        Ok(Self {
            name: name.to_string(),
            key_id: u32::from_be_bytes([d[0], d[1], d[2], d[3]]),
            key,
        })
    }

    /// Key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Key ID: first 4 bytes (big-endian) of SHA-256 of the SubjectPublicKeyInfo.
    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// The public key.
    pub fn key(&self) -> &crate::keys::VerifyingKey {
        &self.key
    }
}

impl NoteKey for SpkiNoteVerifier {
    fn note_key_name(&self) -> &str {
        &self.name
    }
    fn note_key_id(&self) -> u32 {
        self.key_id
    }
    fn verify_note_signature(&self, msg: &[u8], signature: &[u8]) -> bool {
        self.key.verify(msg, signature).is_ok()
    }
}

/// A named Ed25519 signing key for notes. Its `Debug` output never shows the secret.
#[derive(Clone)]
pub struct NoteSigner {
    name: String,
    key_id: u32,
    key: SigningKey,
}

impl core::fmt::Debug for NoteSigner {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("NoteSigner")
            .field("name", &self.name)
            .field("key_id", &format_args!("{:08x}", self.key_id))
            .finish_non_exhaustive()
    }
}

impl NoteSigner {
    /// A signer named `name` for the Ed25519 key with this 32-byte seed (RFC 8032 private
    /// key). The host supplies the seed (this crate has no randomness source).
    pub fn from_seed(name: &str, seed: &[u8; 32]) -> Result<Self, NoteError> {
        if !is_valid_name(name) {
            return Err(NoteError::InvalidName(name.to_string()));
        }
        let key = SigningKey::from_bytes(seed);
        Ok(Self {
            name: name.to_string(),
            key_id: ed25519_key_id(name, key.verifying_key().as_bytes()),
            key,
        })
    }

    /// Parses a signer key `PRIVATE+KEY+<name>+<key ID hex8>+<base64(0x01 || seed)>`
    /// (the format of Go's `note.GenerateKey`).
    pub fn from_signer_key(skey: &str) -> Result<Self, NoteError> {
        let bad = NoteError::InvalidSignerKey;
        let rest = skey
            .strip_prefix("PRIVATE+KEY+")
            .ok_or(bad("expected PRIVATE+KEY+<name>+<id>+<key>"))?;
        let (name, rest) = rest
            .split_once('+')
            .ok_or(bad("expected <name>+<id>+<key>"))?;
        let (id, key64) = rest
            .split_once('+')
            .ok_or(bad("expected <name>+<id>+<key>"))?;
        if !is_valid_name(name) {
            return Err(NoteError::InvalidName(name.to_string()));
        }
        let id = parse_key_id(id).ok_or(bad("key ID is not 8 hex digits"))?;
        let key = STANDARD
            .decode(key64)
            .map_err(|_| bad("key is not standard base64"))?;
        let seed: [u8; 32] = match key.split_first() {
            Some((&SIG_TYPE_ED25519, seed)) => seed
                .try_into()
                .map_err(|_| bad("Ed25519 seed is not 32 bytes"))?,
            Some((&other, _)) => return Err(NoteError::UnsupportedKeyType(other)),
            None => return Err(bad("empty key")),
        };
        let signer = Self::from_seed(name, &seed)?;
        if signer.key_id != id {
            return Err(NoteError::KeyIdMismatch);
        }
        Ok(signer)
    }

    /// The signer key string `PRIVATE+KEY+<name>+<key ID hex8>+<base64(0x01 || seed)>`.
    /// **Secret**: store it like a private key.
    pub fn signer_key(&self) -> String {
        let mut k = Vec::with_capacity(33);
        k.push(SIG_TYPE_ED25519);
        k.extend_from_slice(self.key.as_bytes());
        format!(
            "PRIVATE+KEY+{}+{:08x}+{}",
            self.name,
            self.key_id,
            STANDARD.encode(k)
        )
    }

    /// The matching verifier.
    pub fn verifier(&self) -> NoteVerifier {
        NoteVerifier {
            name: self.name.clone(),
            key_id: self.key_id,
            key: self.key.verifying_key(),
        }
    }

    /// The matching verifier key string.
    pub fn verifier_key(&self) -> String {
        self.verifier().verifier_key()
    }

    /// Key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Key ID.
    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// Ed25519 signature of `msg` (64 bytes, without the key ID).
    pub fn sign(&self, msg: &[u8]) -> [u8; 64] {
        self.key.sign(msg).to_bytes()
    }
}

/// One signature line of a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSignature {
    /// Key name.
    pub name: String,
    /// Key ID.
    pub key_id: u32,
    /// The base64 payload as it appeared (key ID and signature).
    pub base64: String,
}

/// An opened note: its text, and which signatures verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The signed text, including its final newline.
    pub text: String,
    /// Signatures by known keys, all verified (one per key).
    pub verified_by: Vec<NoteSignature>,
    /// Signatures by unknown keys (not verified), without repeated identical lines.
    pub unverified_sigs: Vec<NoteSignature>,
}

fn check_control_chars(s: &str) -> Result<(), NoteError> {
    match s.chars().find(|c| (*c as u32) < 0x20 && *c != '\n') {
        Some(c) => Err(NoteError::ControlCharacter(c as u32)),
        None => Ok(()),
    }
}

/// Signs `text` (non-empty, ending in a newline, no control characters other than newline)
/// with every signer; returns the signed note.
pub fn sign_note(text: &str, signers: &[&NoteSigner]) -> Result<String, NoteError> {
    if !text.ends_with('\n') {
        return Err(NoteError::TextMissingNewline);
    }
    check_control_chars(text)?;
    if signers.is_empty() {
        return Err(NoteError::NoSigners);
    }
    let mut out = String::with_capacity(text.len() + 1 + signers.len() * 110);
    out.push_str(text);
    out.push('\n');
    for s in signers {
        if !is_valid_name(&s.name) {
            return Err(NoteError::InvalidName(s.name.clone()));
        }
        let mut payload = Vec::with_capacity(68);
        payload.extend_from_slice(&s.key_id.to_be_bytes());
        payload.extend_from_slice(&s.sign(text.as_bytes()));
        out.push_str(SIG_PREFIX);
        out.push_str(&s.name);
        out.push(' ');
        out.push_str(&STANDARD.encode(payload));
        out.push('\n');
    }
    Ok(out)
}

/// Opens a signed note, verifying its signatures against the known `verifiers`.
///
/// Succeeds only if at least one known key signed and every signature by a known key
/// verifies; see the module docs for the exact rules.
pub fn open_note(msg: &[u8], verifiers: &[NoteVerifier]) -> Result<Note, NoteError> {
    let keys: Vec<&dyn NoteKey> = verifiers.iter().map(|v| v as &dyn NoteKey).collect();
    open_note_with(msg, &keys)
}

/// [`open_note`] with known keys of any kind ([`NoteVerifier`], [`SpkiNoteVerifier`], or a
/// caller's own [`NoteKey`]): the same parsing and the same rules; a signature line is
/// checked by the known key whose name and key ID both match it.
pub fn open_note_with(msg: &[u8], verifiers: &[&dyn NoteKey]) -> Result<Note, NoteError> {
    let msg = core::str::from_utf8(msg).map_err(|_| NoteError::NotUtf8)?;
    check_control_chars(msg)?;
    let split = msg.rfind("\n\n").ok_or(NoteError::MissingSignatureBlock)?;
    // `split` is the byte index of an ASCII newline, so both halves are on char boundaries.
    let (text, rest) = msg
        .split_at_checked(split + 1)
        .ok_or(NoteError::MissingSignatureBlock)?;
    let sigs = rest
        .strip_prefix('\n')
        .and_then(|s| s.strip_suffix('\n'))
        .filter(|s| !s.is_empty())
        .ok_or(NoteError::UnterminatedSignatureBlock)?;
    let mut note = Note {
        text: text.to_string(),
        verified_by: Vec::new(),
        unverified_sigs: Vec::new(),
    };
    let mut count = 0usize;
    for line in sigs.split('\n') {
        let bad = || NoteError::BadSignatureLine(line.to_string());
        let body = line.strip_prefix(SIG_PREFIX).ok_or_else(bad)?;
        let (name, b64) = body.split_once(' ').ok_or_else(bad)?;
        if !is_valid_name(name) || b64.is_empty() {
            return Err(bad());
        }
        let raw = STANDARD.decode(b64).map_err(|_| bad())?;
        let (id, sig) = match raw.split_first_chunk::<4>() {
            Some((id, sig)) if !sig.is_empty() => (u32::from_be_bytes(*id), sig),
            _ => return Err(bad()),
        };
        count += 1;
        if count > MAX_SIGNATURES {
            return Err(NoteError::TooManySignatures);
        }
        let signature = NoteSignature {
            name: name.to_string(),
            key_id: id,
            base64: b64.to_string(),
        };
        let mut known = verifiers
            .iter()
            .filter(|v| v.note_key_id() == id && v.note_key_name() == name);
        let Some(verifier) = known.next() else {
            if !note.unverified_sigs.contains(&signature) {
                note.unverified_sigs.push(signature);
            }
            continue;
        };
        if known.next().is_some() {
            return Err(NoteError::AmbiguousVerifier {
                name: name.to_string(),
                key_id: id,
            });
        }
        if !verifier.verify_note_signature(text.as_bytes(), sig) {
            return Err(NoteError::InvalidSignature {
                name: name.to_string(),
                key_id: id,
            });
        }
        if !note
            .verified_by
            .iter()
            .any(|s| s.name == name && s.key_id == id)
        {
            note.verified_by.push(signature);
        }
    }
    if note.verified_by.is_empty() {
        return Err(NoteError::NoVerifiedSignature {
            unverified: note.unverified_sigs.len(),
        });
    }
    Ok(note)
}

#[cfg(test)]
mod tests;
