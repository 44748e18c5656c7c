//! DSSE v1.0 (Dead Simple Signing Envelope): pre-authentication encoding, the JSON envelope,
//! signing, and threshold verification.
//!
//! * [`pae`] is `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, lengths in decimal
//!   ASCII byte counts. Signatures are always over the PAE, never over the raw payload.
//! * [`Envelope`] reads the standard JSON shape
//!   `{"payload": b64, "payloadType": "..", "signatures": [{"keyid": "..", "sig": b64}]}`.
//!   Standard and URL-safe base64, padded or not, are accepted on input; output is standard
//!   base64 with padding. `keyid` may be missing or `null` (read as empty). Unknown fields are
//!   ignored, duplicate fields are refused. [`Envelope::to_json`] writes compact JSON with
//!   sorted keys (`payload`, `payloadType`, `signatures`; `keyid`, `sig`) and always writes
//!   `keyid` (empty when unset), so equal envelopes give equal bytes.
//! * [`verify`] implements the spec's `(t, n)` multi-signature rule: each signature is checked
//!   against the trusted keys whose [`VerifyingKey::key_id`] equals its `keyid`; when the
//!   `keyid` is empty or names no trusted key (other tools use other key-id conventions, e.g.
//!   securesystemslib's hash of its JSON key form) every trusted key is tried, since the
//!   keyid is an unauthenticated hint. Each trusted key counts once however many signatures
//!   it made; signatures that do not verify are skipped and reported. Verification fails
//!   when fewer than `threshold` distinct trusted keys verified.

use std::collections::BTreeMap;
use std::fmt;

use base64::engine::general_purpose::{
    STANDARD, STANDARD_PAD_INDIFFERENT, URL_SAFE_PAD_INDIFFERENT,
};
use base64::Engine as _;
use serde::Deserialize;

use crate::keys::{SigningKey, VerifyingKey};

/// The pre-authentication encoding of DSSE v1:
/// `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, where `LEN` is the byte length in
/// decimal ASCII without leading zeros and `type` is the UTF-8 payload type.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let type_len = payload_type.len().to_string();
    let body_len = payload.len().to_string();
    let mut out = Vec::with_capacity(
        "DSSEv1".len() + 4 + type_len.len() + payload_type.len() + body_len.len() + payload.len(),
    );
    out.extend_from_slice(b"DSSEv1 ");
    out.extend_from_slice(type_len.as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload_type.as_bytes());
    out.push(b' ');
    out.extend_from_slice(body_len.as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload);
    out
}

/// One signature of an envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// Unauthenticated hint naming the key; empty when unset. Ours is
    /// [`VerifyingKey::key_id`].
    pub keyid: String,
    /// The signature bytes over the PAE (see [`crate::keys::SigningKey::sign`] for the
    /// encoding per algorithm).
    pub sig: Vec<u8>,
}

/// A DSSE envelope: the serialized body, its type, and signatures over their PAE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// The serialized body (decoded from base64).
    pub payload: Vec<u8>,
    /// How to interpret the payload, e.g. [`crate::intoto::PAYLOAD_TYPE`].
    pub payload_type: String,
    /// The signatures, in envelope order.
    pub signatures: Vec<Signature>,
}

#[derive(Deserialize)]
struct WireEnvelope {
    payload: String,
    #[serde(rename = "payloadType")]
    payload_type: String,
    signatures: Vec<WireSignature>,
}

#[derive(Deserialize)]
struct WireSignature {
    #[serde(default)]
    keyid: Option<String>,
    sig: String,
}

impl Envelope {
    /// Parse the JSON envelope. `payload`, `payloadType`, `signatures` and each `sig` are
    /// required (they may be empty); `keyid` is optional. An envelope without signatures
    /// parses, but [`verify`] refuses it.
    pub fn from_json(json: &[u8]) -> Result<Self, DsseError> {
        let wire: WireEnvelope =
            serde_json::from_slice(json).map_err(|e| DsseError::Json(e.to_string()))?;
        let payload = decode_base64("payload", &wire.payload)?;
        let signatures = wire
            .signatures
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                Ok(Signature {
                    keyid: s.keyid.unwrap_or_default(),
                    sig: decode_base64(&format!("signatures[{i}].sig"), &s.sig)?,
                })
            })
            .collect::<Result<Vec<_>, DsseError>>()?;
        Ok(Envelope {
            payload,
            payload_type: wire.payload_type,
            signatures,
        })
    }

    /// Compact JSON with sorted keys and standard padded base64; `keyid` is always written.
    /// Deterministic: equal envelopes give equal bytes.
    pub fn to_json(&self) -> Vec<u8> {
        use serde_json::{Map, Value};
        let signatures = self
            .signatures
            .iter()
            .map(|s| {
                let mut sig = Map::new();
                sig.insert("keyid".into(), Value::String(s.keyid.clone()));
                sig.insert("sig".into(), Value::String(STANDARD.encode(&s.sig)));
                Value::Object(sig)
            })
            .collect();
        let mut envelope = Map::new();
        envelope.insert(
            "payload".into(),
            Value::String(STANDARD.encode(&self.payload)),
        );
        envelope.insert(
            "payloadType".into(),
            Value::String(self.payload_type.clone()),
        );
        envelope.insert("signatures".into(), Value::Array(signatures));
        Value::Object(envelope).to_string().into_bytes()
    }

    /// The PAE of this envelope's payload type and payload (the bytes that are signed).
    pub fn pae(&self) -> Vec<u8> {
        pae(&self.payload_type, &self.payload)
    }

    /// Add a signature by `key` over this envelope's PAE, with `keyid` = its key id.
    pub fn add_signature(&mut self, key: &SigningKey) {
        let sig = key.sign(&self.pae());
        self.signatures.push(Signature {
            keyid: key.verifying_key().key_id(),
            sig,
        });
    }
}

/// Sign `payload` of type `payload_type` with each key (in order), `keyid` = the key's
/// [`VerifyingKey::key_id`]. With no keys the envelope has no signatures.
pub fn sign(payload_type: &str, payload: &[u8], keys: &[&SigningKey]) -> Envelope {
    let mut envelope = Envelope {
        payload: payload.to_vec(),
        payload_type: payload_type.to_owned(),
        signatures: Vec::with_capacity(keys.len()),
    };
    for key in keys {
        envelope.add_signature(key);
    }
    envelope
}

/// A verified envelope: what was signed and by whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// Key ids of the distinct trusted keys that verified a signature, in envelope order.
    pub accepted_keyids: Vec<String>,
    /// The authenticated payload type.
    pub payload_type: String,
    /// The authenticated payload.
    pub payload: Vec<u8>,
    /// Signatures that did not count (unknown key, bad signature, repeats), for reporting.
    pub ignored: Vec<SignatureNote>,
}

/// Why one signature of an envelope did not count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureNote {
    /// Index of the signature in the envelope.
    pub index: usize,
    /// Its `keyid` (empty when unset).
    pub keyid: String,
    /// What happened.
    pub issue: SignatureIssue,
}

/// What happened to a signature that did not count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureIssue {
    /// The `keyid` names no trusted key and no trusted key verifies the signature.
    UnknownKeyId,
    /// The signature does not verify with the trusted key(s) tried: the payload or payload
    /// type was changed, the signature is damaged, or another key made it.
    BadSignature {
        /// Details (the last key's error).
        reason: String,
    },
    /// The signature verifies, but its key already counted (a key counts once).
    RepeatedKey {
        /// Key id of the trusted key.
        key_id: String,
    },
    /// The same `keyid` and signature bytes appeared before, at `first_index`.
    DuplicateEntry {
        /// Index of the first occurrence.
        first_index: usize,
    },
}

impl fmt::Display for SignatureNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "signature {} (keyid {:?}): ", self.index, self.keyid)?;
        match &self.issue {
            SignatureIssue::UnknownKeyId => {
                f.write_str("keyid names no trusted key and no trusted key verifies it")
            }
            SignatureIssue::BadSignature { reason } => write!(f, "does not verify: {reason}"),
            SignatureIssue::RepeatedKey { key_id } => {
                write!(f, "key {key_id} already counted (a key counts once)")
            }
            SignatureIssue::DuplicateEntry { first_index } => {
                write!(f, "duplicate of signature {first_index}")
            }
        }
    }
}

/// Why an envelope could not be read or verified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DsseError {
    /// The JSON is malformed or lacks a required field.
    #[error("invalid DSSE envelope JSON: {0}")]
    Json(String),
    /// A base64 field does not decode.
    #[error("DSSE envelope field `{field}` is not valid base64: {detail}")]
    Base64 {
        /// The field (`payload`, `signatures[i].sig`).
        field: String,
        /// The decoder's message.
        detail: String,
    },
    /// The envelope has no signatures.
    #[error("DSSE envelope has no signatures")]
    NoSignatures,
    /// A threshold of 0 would accept anything.
    #[error("DSSE verification threshold must be at least 1")]
    ThresholdZero,
    /// More distinct trusted keys are required than were given.
    #[error("DSSE verification threshold {threshold} exceeds the {trusted} distinct trusted key(s) given")]
    ThresholdUnreachable {
        /// The threshold asked for.
        threshold: usize,
        /// Distinct trusted keys given.
        trusted: usize,
    },
    /// Fewer than `threshold` distinct trusted keys verified a signature.
    #[error("DSSE envelope verified by {} of the required {threshold} trusted key(s){}", accepted.len(), list_notes(notes))]
    ThresholdNotMet {
        /// The threshold asked for.
        threshold: usize,
        /// Key ids of the trusted keys that did verify.
        accepted: Vec<String>,
        /// Why the other signatures did not count.
        notes: Vec<SignatureNote>,
    },
}

fn list_notes(notes: &[SignatureNote]) -> String {
    let mut out = String::new();
    for (i, note) in notes.iter().enumerate() {
        out.push_str(if i == 0 { ": " } else { "; " });
        out.push_str(&note.to_string());
    }
    out
}

/// Verify `envelope` against `trusted` keys: at least `threshold` distinct trusted keys must
/// each have made a valid signature over the envelope's PAE.
///
/// Each signature is checked against the trusted keys whose key id equals its `keyid`; when
/// the `keyid` is empty or unknown, against every trusted key (the keyid is only a hint).
/// A key counts once; an exact repeat of an entry is not verified again. Trusted keys given
/// twice count once. Errors: no signatures, threshold 0, threshold above the number of
/// distinct trusted keys, or threshold not met (with the reason for each signature that did
/// not count).
pub fn verify(
    envelope: &Envelope,
    trusted: &[VerifyingKey],
    threshold: usize,
) -> Result<Verified, DsseError> {
    if threshold == 0 {
        return Err(DsseError::ThresholdZero);
    }
    if envelope.signatures.is_empty() {
        return Err(DsseError::NoSignatures);
    }
    // Distinct trusted keys, by key id (the hash of the key itself).
    let mut keys: BTreeMap<String, &VerifyingKey> = BTreeMap::new();
    for key in trusted {
        keys.entry(key.key_id()).or_insert(key);
    }
    if keys.len() < threshold {
        return Err(DsseError::ThresholdUnreachable {
            threshold,
            trusted: keys.len(),
        });
    }

    let pae = envelope.pae();
    let mut accepted: Vec<String> = Vec::new();
    let mut notes = Vec::new();
    let mut seen: BTreeMap<(&str, &[u8]), usize> = BTreeMap::new();
    for (index, signature) in envelope.signatures.iter().enumerate() {
        let note = |issue| SignatureNote {
            index,
            keyid: signature.keyid.clone(),
            issue,
        };
        if let Some(&first_index) = seen.get(&(signature.keyid.as_str(), signature.sig.as_slice()))
        {
            notes.push(note(SignatureIssue::DuplicateEntry { first_index }));
            continue;
        }
        seen.insert((signature.keyid.as_str(), signature.sig.as_slice()), index);

        let named = keys.get_key_value(signature.keyid.as_str());
        let candidates: Vec<(&String, &&VerifyingKey)> = match named {
            Some(pair) => vec![pair],
            None => keys.iter().collect(),
        };
        let mut verified_by = None;
        let mut last_error = None;
        for (key_id, key) in candidates {
            match key.verify(&pae, &signature.sig) {
                Ok(()) => {
                    verified_by = Some(key_id);
                    break;
                }
                Err(e) => last_error = Some(e),
            }
        }
        match verified_by {
            Some(key_id) if accepted.contains(key_id) => {
                notes.push(note(SignatureIssue::RepeatedKey {
                    key_id: key_id.clone(),
                }));
            }
            Some(key_id) => accepted.push(key_id.clone()),
            None if named.is_none() && !signature.keyid.is_empty() => {
                notes.push(note(SignatureIssue::UnknownKeyId));
            }
            None => notes.push(note(SignatureIssue::BadSignature {
                reason: last_error.map(|e| e.to_string()).unwrap_or_default(),
            })),
        }
    }

    if accepted.len() < threshold {
        return Err(DsseError::ThresholdNotMet {
            threshold,
            accepted,
            notes,
        });
    }
    Ok(Verified {
        accepted_keyids: accepted,
        payload_type: envelope.payload_type.clone(),
        payload: envelope.payload.clone(),
        ignored: notes,
    })
}

/// Decode standard or URL-safe base64, padded or not.
fn decode_base64(field: &str, text: &str) -> Result<Vec<u8>, DsseError> {
    let engine = if text.contains(['-', '_']) {
        &URL_SAFE_PAD_INDIFFERENT
    } else {
        &STANDARD_PAD_INDIFFERENT
    };
    engine.decode(text).map_err(|e| DsseError::Base64 {
        field: field.to_owned(),
        detail: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::Algorithm;
    use proptest::prelude::*;

    fn key(alg: Algorithm, n: u8) -> SigningKey {
        SigningKey::generate(alg, &[n; 32]).unwrap()
    }

    /// Test-only: reads a shared fixture (the library itself never touches the file system).
    fn fixture(rel: &str) -> Vec<u8> {
        stellaops_testkit::fixture(&format!("attestation/{rel}"))
    }

    /// Big-endian bytes (`len` long) of a decimal number.
    fn decimal_to_be(decimal: &str, len: usize) -> Vec<u8> {
        let mut out = vec![0u8; len];
        for digit in decimal.bytes() {
            let mut carry = u32::from(digit - b'0');
            for byte in out.iter_mut().rev() {
                let v = u32::from(*byte) * 10 + carry;
                *byte = (v & 0xff) as u8;
                carry = v >> 8;
            }
            assert_eq!(carry, 0, "number too large");
        }
        out
    }

    #[test]
    fn pae_matches_spec() {
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
        );
        assert_eq!(pae("", b""), b"DSSEv1 0  0 ");
        // Lengths count bytes, not characters.
        assert_eq!(pae("é", b"\xff"), b"DSSEv1 2 \xc3\xa9 1 \xff");
    }

    #[test]
    fn official_test_vector() {
        let vector: serde_json::Value =
            serde_json::from_slice(&fixture("dsse/protocol-test-vector.json")).unwrap();
        let envelope_json = serde_json::to_vec(&vector["envelope"]).unwrap();
        let envelope = Envelope::from_json(&envelope_json).unwrap();
        assert_eq!(
            envelope.payload_type,
            vector["payloadType"].as_str().unwrap()
        );
        assert_eq!(
            envelope.payload,
            vector["payload_utf8"].as_str().unwrap().as_bytes()
        );
        assert_eq!(
            envelope.pae(),
            vector["pae_utf8"].as_str().unwrap().as_bytes()
        );
        assert_eq!(envelope.signatures.len(), 1);
        assert_eq!(envelope.signatures[0].keyid, "");
        assert_eq!(envelope.signatures[0].sig.len(), 64, "raw r||s");

        let k = &vector["key"];
        let mut point = vec![0x04];
        point.extend(decimal_to_be(k["x"].as_str().unwrap(), 32));
        point.extend(decimal_to_be(k["y"].as_str().unwrap(), 32));
        let vk = VerifyingKey::from_public_bytes(Algorithm::EcdsaP256Sha256, &point).unwrap();

        // The raw r||s signature verifies with the given public key.
        vk.verify(&envelope.pae(), &envelope.signatures[0].sig)
            .unwrap();
        let verified = verify(&envelope, std::slice::from_ref(&vk), 1).unwrap();
        assert_eq!(verified.accepted_keyids, vec![vk.key_id()]);
        assert_eq!(verified.payload, b"hello world");

        // The private scalar d, used as our P-256 seed, gives the same key, and RFC 6979
        // deterministic signing reproduces the vector's signature exactly (as DER).
        let d: [u8; 32] = decimal_to_be(k["d"].as_str().unwrap(), 32)
            .try_into()
            .unwrap();
        let sk = SigningKey::generate(Algorithm::EcdsaP256Sha256, &d).unwrap();
        assert_eq!(sk.verifying_key(), vk);
        let ours = sk.sign(&envelope.pae());
        let ours_raw = p256::ecdsa::Signature::from_der(&ours).unwrap().to_bytes();
        assert_eq!(ours_raw.as_slice(), envelope.signatures[0].sig.as_slice());

        // Tampering with the payload type or payload fails.
        let mut t = envelope.clone();
        t.payload_type.push('x');
        assert!(matches!(
            verify(&t, std::slice::from_ref(&vk), 1),
            Err(DsseError::ThresholdNotMet { .. })
        ));
        let mut t = envelope.clone();
        t.payload[0] ^= 1;
        assert!(verify(&t, std::slice::from_ref(&vk), 1).is_err());
    }

    #[test]
    fn json_round_trip_and_shape() {
        let k = key(Algorithm::Ed25519, 1);
        let env = sign("application/vnd.in-toto+json", b"{\"a\":1}", &[&k]);
        let json = env.to_json();
        let text = String::from_utf8(json.clone()).unwrap();
        assert!(text.starts_with("{\"payload\":\"eyJhIjoxfQ==\",\"payloadType\":"));
        assert!(text.contains(&format!("\"keyid\":\"{}\"", k.verifying_key().key_id())));
        assert_eq!(Envelope::from_json(&json).unwrap(), env);
        assert_eq!(Envelope::from_json(&json).unwrap().to_json(), json);
    }

    #[test]
    fn json_input_variants() {
        // URL-safe, unpadded, missing keyid, null keyid, unknown fields.
        let json = br#"{"payload":"-_8","payloadType":"t","extra":{"x":1},
            "signatures":[{"sig":"AAE"},{"keyid":null,"sig":"AA=="},{"keyid":"k","sig":"","more":1}]}"#;
        let env = Envelope::from_json(json).unwrap();
        assert_eq!(env.payload, vec![0xfb, 0xff]);
        assert_eq!(env.signatures[0].keyid, "");
        assert_eq!(env.signatures[0].sig, vec![0, 1]);
        assert_eq!(env.signatures[1].keyid, "");
        assert_eq!(env.signatures[2].keyid, "k");
        assert!(env.signatures[2].sig.is_empty());

        for (bad, what) in [
            (
                &br#"{"payloadType":"t","signatures":[]}"#[..],
                "missing payload",
            ),
            (br#"{"payload":"","signatures":[]}"#, "missing payloadType"),
            (br#"{"payload":"","payloadType":"t"}"#, "missing signatures"),
            (
                br#"{"payload":"","payloadType":"t","signatures":[{"keyid":"k"}]}"#,
                "missing sig",
            ),
            (
                br#"{"payload":"","payload":"","payloadType":"t","signatures":[]}"#,
                "duplicate field",
            ),
            (b"[]", "not an object"),
            (b"{", "truncated"),
        ] {
            assert!(
                matches!(Envelope::from_json(bad), Err(DsseError::Json(_))),
                "{what}"
            );
        }
        for bad in [
            &br#"{"payload":"a+b-","payloadType":"t","signatures":[]}"#[..],
            br#"{"payload":"!!!!","payloadType":"t","signatures":[]}"#,
            br#"{"payload":"","payloadType":"t","signatures":[{"sig":"A"}]}"#,
        ] {
            let err = Envelope::from_json(bad).unwrap_err();
            assert!(matches!(err, DsseError::Base64 { .. }), "{err}");
        }
        let err =
            Envelope::from_json(br#"{"payload":"","payloadType":"t","signatures":[{"sig":"A"}]}"#)
                .unwrap_err();
        assert!(err.to_string().contains("signatures[0].sig"), "{err}");
    }

    #[test]
    fn threshold_and_multi_signature_rules() {
        let a = key(Algorithm::Ed25519, 1);
        let b = key(Algorithm::EcdsaP256Sha256, 2);
        let c = key(Algorithm::Ed25519, 3);
        let (va, vb, vc) = (a.verifying_key(), b.verifying_key(), c.verifying_key());
        let env = sign("t", b"body", &[&a, &b]);

        let ok = verify(&env, &[va.clone(), vb.clone()], 2).unwrap();
        assert_eq!(ok.accepted_keyids, vec![va.key_id(), vb.key_id()]);
        assert!(ok.ignored.is_empty());

        // Threshold 0, no signatures, unreachable threshold.
        assert_eq!(
            verify(&env, std::slice::from_ref(&va), 0),
            Err(DsseError::ThresholdZero)
        );
        let empty = sign("t", b"body", &[]);
        assert_eq!(
            verify(&empty, std::slice::from_ref(&va), 1),
            Err(DsseError::NoSignatures)
        );
        assert_eq!(
            verify(&env, &[va.clone(), va.clone()], 2),
            Err(DsseError::ThresholdUnreachable {
                threshold: 2,
                trusted: 1
            })
        );

        // Only one of the signers trusted: threshold 1 passes (the other is unknown), 2 fails.
        let one = verify(&env, &[va.clone(), vc.clone()], 1).unwrap();
        assert_eq!(one.accepted_keyids, vec![va.key_id()]);
        assert_eq!(one.ignored.len(), 1);
        assert_eq!(one.ignored[0].issue, SignatureIssue::UnknownKeyId);
        let err = verify(&env, &[va.clone(), vc.clone()], 2).unwrap_err();
        assert!(matches!(&err, DsseError::ThresholdNotMet { accepted, .. } if accepted.len() == 1));
        assert!(
            err.to_string().contains("verified by 1 of the required 2"),
            "{err}"
        );

        // The same key signing twice counts once; an exact duplicate entry is reported.
        let mut twice = sign("t", b"body", &[&a, &a]);
        let mut other_sig = twice.signatures[0].clone();
        other_sig.keyid = String::new(); // same signature, no keyid: same key again
        twice.signatures.push(other_sig);
        let err = verify(&twice, &[va.clone(), vb.clone()], 2).unwrap_err();
        let DsseError::ThresholdNotMet {
            accepted, notes, ..
        } = err
        else {
            panic!("{err}")
        };
        assert_eq!(accepted, vec![va.key_id()]);
        assert_eq!(
            notes.iter().map(|n| n.issue.clone()).collect::<Vec<_>>(),
            vec![
                SignatureIssue::DuplicateEntry { first_index: 0 },
                SignatureIssue::RepeatedKey {
                    key_id: va.key_id()
                },
            ]
        );

        // Keyid unknown (another tool's convention) or empty: every trusted key is tried.
        let mut foreign = env.clone();
        foreign.signatures[0].keyid = "securesystemslib-style-id".into();
        foreign.signatures[1].keyid = String::new();
        let ok = verify(&foreign, &[vb.clone(), va.clone()], 2).unwrap();
        assert_eq!(ok.accepted_keyids.len(), 2);

        // A keyid that names a trusted key whose signature fails is a bad signature.
        let mut swapped = env.clone();
        swapped.signatures[0].keyid = vb.key_id();
        let ok = verify(&swapped, &[va.clone(), vb.clone()], 1).unwrap();
        assert_eq!(ok.accepted_keyids, vec![vb.key_id()]);
        assert!(matches!(
            ok.ignored[0].issue,
            SignatureIssue::BadSignature { .. }
        ));
    }

    #[test]
    fn tampering_is_a_signature_mismatch() {
        let a = key(Algorithm::EcdsaP256Sha256, 5);
        let va = a.verifying_key();
        let env = sign("application/vnd.in-toto+json", b"{}", &[&a]);
        let mut t = env.clone();
        t.payload_type = "application/vnd.in-toto+jsom".into();
        let err = verify(&t, std::slice::from_ref(&va), 1).unwrap_err();
        let DsseError::ThresholdNotMet { notes, .. } = &err else {
            panic!("{err}")
        };
        assert!(matches!(
            notes[0].issue,
            SignatureIssue::BadSignature { .. }
        ));
        assert!(err.to_string().contains("does not verify"), "{err}");
        // Signing the raw payload instead of the PAE is not a DSSE signature.
        let mut raw = env.clone();
        raw.signatures[0].sig = a.sign(b"{}");
        assert!(verify(&raw, std::slice::from_ref(&va), 1).is_err());
    }

    fn algorithm() -> impl Strategy<Value = Algorithm> {
        prop_oneof![Just(Algorithm::Ed25519), Just(Algorithm::EcdsaP256Sha256)]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn sign_verify_round_trip(
            alg in algorithm(),
            seed in 1u8..=200,
            payload_type in "[ -~]{0,40}",
            payload in proptest::collection::vec(any::<u8>(), 0..300),
        ) {
            let k = key(alg, seed);
            let vk = k.verifying_key();
            let env = sign(&payload_type, &payload, &[&k]);
            let parsed = Envelope::from_json(&env.to_json()).unwrap();
            prop_assert_eq!(&parsed, &env);
            let ok = verify(&parsed, std::slice::from_ref(&vk), 1).unwrap();
            prop_assert_eq!(ok.payload, payload);
            prop_assert_eq!(ok.payload_type, payload_type);
            prop_assert_eq!(ok.accepted_keyids, vec![vk.key_id()]);
        }

        #[test]
        fn any_single_byte_change_is_rejected(
            alg in algorithm(),
            payload_type in "[a-z/+.]{1,30}",
            payload in proptest::collection::vec(any::<u8>(), 1..200),
            target in 0usize..3,
            position in any::<prop::sample::Index>(),
            flip in 1u8..=255,
        ) {
            let k = key(alg, 7);
            let vk = k.verifying_key();
            let mut env = sign(&payload_type, &payload, &[&k]);
            match target {
                0 => {
                    let i = position.index(env.payload.len());
                    env.payload[i] ^= flip;
                }
                1 => {
                    // Keep it ASCII (a String): replace one byte with a different ASCII one.
                    let mut bytes = env.payload_type.clone().into_bytes();
                    let i = position.index(bytes.len());
                    let replacement = (bytes[i] ^ (flip & 0x7f)).max(1);
                    let replacement = if replacement == bytes[i] { bytes[i] ^ 1 } else { replacement };
                    bytes[i] = replacement & 0x7f;
                    prop_assume!(bytes != env.payload_type.as_bytes());
                    env.payload_type = String::from_utf8(bytes).unwrap();
                }
                _ => {
                    let sig = &mut env.signatures[0].sig;
                    let i = position.index(sig.len());
                    sig[i] ^= flip;
                }
            }
            prop_assert!(verify(&env, std::slice::from_ref(&vk), 1).is_err());
        }
    }
}
