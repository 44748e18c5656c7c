//! in-toto Attestation Framework Statement v1: subjects (name + digest set), predicate type
//! and predicate, plus the Stella Ops predicate types.
//!
//! * [`Statement::to_json`] writes compact JSON with every object's keys sorted (built from
//!   `serde_json::Value`, whose maps are ordered), so equal statements give equal bytes. A
//!   subject's `name` is omitted when empty and the `predicate` when it is `null` (the spec
//!   treats unset and empty alike). `_type` is not forced first.
//! * [`Statement::from_json`] validates: `_type` is Statement v1 (v0.1 is read too and
//!   flagged in [`Statement::version`]), `subject` is a non-empty array, each subject has a
//!   non-empty digest set whose values are lowercase hex, `predicateType` is a non-empty
//!   string, and `predicate`, when present, is an object. Other fields (including other
//!   ResourceDescriptor fields of subjects, such as `uri` or `annotations`) are ignored and
//!   not kept; verification is always over the signed payload bytes, never a re-encoding.
//! * A statement travels in a DSSE envelope with payload type [`PAYLOAD_TYPE`]:
//!   [`Statement::sign`] and [`Statement::from_verified`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use stellaops_core::digest::Sha256Digest;

use crate::dsse::{self, Envelope, Verified};
use crate::keys::SigningKey;

/// `_type` of an in-toto Statement v1.
pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";
/// `_type` of the legacy Statement v0.1 (read, flagged, never written by [`Statement::new`]).
pub const STATEMENT_TYPE_V01: &str = "https://in-toto.io/Statement/v0.1";
/// DSSE `payloadType` of an in-toto statement.
pub const PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

/// Predicate type of a CycloneDX SBOM predicate.
pub const PREDICATE_CYCLONEDX: &str = "https://cyclonedx.org/bom";
/// Predicate type of an SPDX SBOM predicate.
pub const PREDICATE_SPDX: &str = "https://spdx.dev/Document";
/// Predicate type of a Stella Ops scan report ([`ScanReportPredicate`]).
pub const PREDICATE_SCAN_REPORT: &str = "https://stellaops.example/attestations/scan-report/v1";
/// Predicate type of a Stella Ops reachability graph.
pub const PREDICATE_REACHABILITY: &str = "https://stellaops.example/attestations/reachability/v1";
/// Predicate type of a Stella Ops proof root.
pub const PREDICATE_PROOF_ROOT: &str = "https://stellaops.example/attestations/proof-root/v1";

/// Why a statement was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntotoError {
    /// Not JSON.
    #[error("in-toto statement is not valid JSON: {0}")]
    Json(String),
    /// `_type` is neither Statement v1 nor v0.1.
    #[error("unsupported in-toto statement _type {0:?} (expected {STATEMENT_TYPE:?})")]
    UnsupportedType(String),
    /// A field is missing or has a wrong value.
    #[error("in-toto statement field `{field}`: {reason}")]
    Invalid {
        /// The field path, e.g. `subject[0].digest.sha256`.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// The DSSE envelope does not carry an in-toto statement.
    #[error("DSSE payloadType is {0:?}, expected {PAYLOAD_TYPE:?}")]
    WrongPayloadType(String),
    /// The predicate does not have the expected shape.
    #[error("invalid {predicate_type} predicate: {reason}")]
    Predicate {
        /// The predicate type.
        predicate_type: &'static str,
        /// What is wrong.
        reason: String,
    },
}

fn invalid(field: impl Into<String>, reason: impl Into<String>) -> IntotoError {
    IntotoError::Invalid {
        field: field.into(),
        reason: reason.into(),
    }
}

/// Which statement schema version was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatementVersion {
    /// `https://in-toto.io/Statement/v1`.
    V1,
    /// `https://in-toto.io/Statement/v0.1` (legacy: read for compatibility, flagged).
    V01,
}

impl StatementVersion {
    /// The `_type` URI.
    pub fn type_uri(self) -> &'static str {
        match self {
            StatementVersion::V1 => STATEMENT_TYPE,
            StatementVersion::V01 => STATEMENT_TYPE_V01,
        }
    }
}

/// An artifact the statement is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// Name (file name, image reference...); empty when unset (omitted on output).
    pub name: String,
    /// Digest set: algorithm (`sha256`, `gitCommit`...) to lowercase hex value.
    pub digest: BTreeMap<String, String>,
}

impl Subject {
    /// A subject identified by a SHA-256 digest (`{"sha256": "<hex>"}`).
    pub fn sha256(name: impl Into<String>, digest: &Sha256Digest) -> Self {
        Subject {
            name: name.into(),
            digest: BTreeMap::from([("sha256".to_owned(), digest.hex().to_owned())]),
        }
    }
}

/// An in-toto statement: subjects, predicate type and predicate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The artifacts the statement is about (non-empty when valid).
    pub subject: Vec<Subject>,
    /// URI of the predicate's schema.
    pub predicate_type: String,
    /// The predicate (a JSON object, or `null` for none).
    pub predicate: Value,
    /// The schema version read (`V1` for statements made with [`Statement::new`]).
    pub version: StatementVersion,
}

impl Statement {
    /// A Statement v1.
    pub fn new(subject: Vec<Subject>, predicate_type: impl Into<String>, predicate: Value) -> Self {
        Statement {
            subject,
            predicate_type: predicate_type.into(),
            predicate,
            version: StatementVersion::V1,
        }
    }

    /// Whether this statement was read as the legacy v0.1 schema.
    pub fn is_legacy(&self) -> bool {
        self.version == StatementVersion::V01
    }

    /// Check the rules [`Statement::from_json`] enforces.
    pub fn validate(&self) -> Result<(), IntotoError> {
        if self.subject.is_empty() {
            return Err(invalid("subject", "must list at least one subject"));
        }
        for (i, s) in self.subject.iter().enumerate() {
            validate_digest_set(&format!("subject[{i}].digest"), &s.digest)?;
        }
        if self.predicate_type.is_empty() {
            return Err(invalid("predicateType", "must not be empty"));
        }
        if !(self.predicate.is_null() || self.predicate.is_object()) {
            return Err(invalid("predicate", "must be a JSON object"));
        }
        Ok(())
    }

    /// Compact JSON with sorted keys (see the module docs). Does not validate: call
    /// [`Statement::validate`] first, or use [`Statement::sign`].
    pub fn to_json(&self) -> Vec<u8> {
        let subjects = self
            .subject
            .iter()
            .map(|s| {
                let mut obj = Map::new();
                if !s.name.is_empty() {
                    obj.insert("name".into(), Value::String(s.name.clone()));
                }
                let digest = s
                    .digest
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                    .collect();
                obj.insert("digest".into(), Value::Object(digest));
                Value::Object(obj)
            })
            .collect();
        let mut obj = Map::new();
        obj.insert(
            "_type".into(),
            Value::String(self.version.type_uri().to_owned()),
        );
        obj.insert("subject".into(), Value::Array(subjects));
        obj.insert(
            "predicateType".into(),
            Value::String(self.predicate_type.clone()),
        );
        if !self.predicate.is_null() {
            obj.insert("predicate".into(), self.predicate.clone());
        }
        Value::Object(obj).to_string().into_bytes()
    }

    /// Parse and validate a statement (see the module docs for the rules).
    pub fn from_json(json: &[u8]) -> Result<Self, IntotoError> {
        let value = serde_json::from_slice::<StrictValue>(json)
            .map_err(|e| IntotoError::Json(e.to_string()))?
            .0;
        let obj = value
            .as_object()
            .ok_or_else(|| invalid("$", "a statement is a JSON object"))?;
        let type_uri = obj
            .get("_type")
            .ok_or_else(|| invalid("_type", "missing"))?
            .as_str()
            .ok_or_else(|| invalid("_type", "must be a string"))?;
        let version = match type_uri {
            STATEMENT_TYPE => StatementVersion::V1,
            STATEMENT_TYPE_V01 => StatementVersion::V01,
            other => return Err(IntotoError::UnsupportedType(other.to_owned())),
        };
        let subjects = obj
            .get("subject")
            .ok_or_else(|| invalid("subject", "missing"))?
            .as_array()
            .ok_or_else(|| invalid("subject", "must be an array"))?;
        let mut subject = Vec::with_capacity(subjects.len());
        for (i, s) in subjects.iter().enumerate() {
            let field = format!("subject[{i}]");
            let s = s
                .as_object()
                .ok_or_else(|| invalid(&field, "must be an object"))?;
            let name = match s.get("name") {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(n)) => n.clone(),
                Some(_) => return Err(invalid(format!("{field}.name"), "must be a string")),
            };
            let digest_obj = s
                .get("digest")
                .ok_or_else(|| invalid(format!("{field}.digest"), "missing"))?
                .as_object()
                .ok_or_else(|| invalid(format!("{field}.digest"), "must be an object"))?;
            let mut digest = BTreeMap::new();
            for (alg, v) in digest_obj {
                let v = v
                    .as_str()
                    .ok_or_else(|| invalid(format!("{field}.digest.{alg}"), "must be a string"))?;
                digest.insert(alg.clone(), v.to_owned());
            }
            subject.push(Subject { name, digest });
        }
        let predicate_type = obj
            .get("predicateType")
            .ok_or_else(|| invalid("predicateType", "missing"))?
            .as_str()
            .ok_or_else(|| invalid("predicateType", "must be a string"))?
            .to_owned();
        let predicate = obj.get("predicate").cloned().unwrap_or(Value::Null);
        let statement = Statement {
            subject,
            predicate_type,
            predicate,
            version,
        };
        statement.validate()?;
        Ok(statement)
    }

    /// Validate, serialize and sign into a DSSE envelope of type [`PAYLOAD_TYPE`].
    pub fn sign(&self, keys: &[&SigningKey]) -> Result<Envelope, IntotoError> {
        self.validate()?;
        Ok(dsse::sign(PAYLOAD_TYPE, &self.to_json(), keys))
    }

    /// The statement of a verified DSSE envelope: its payload type must be [`PAYLOAD_TYPE`].
    pub fn from_verified(verified: &Verified) -> Result<Self, IntotoError> {
        if verified.payload_type != PAYLOAD_TYPE {
            return Err(IntotoError::WrongPayloadType(verified.payload_type.clone()));
        }
        Self::from_json(&verified.payload)
    }

    /// Whether some subject has digest `algorithm` = `hex` (e.g. `sha256`, image digest hex).
    pub fn has_subject_digest(&self, algorithm: &str, hex: &str) -> bool {
        self.subject
            .iter()
            .any(|s| s.digest.get(algorithm).is_some_and(|v| v == hex))
    }
}

/// A JSON value that refuses duplicate object keys at any depth (serde_json's `Value` keeps
/// the last one silently, other parsers the first: a statement must mean one thing).
struct StrictValue(Value);

impl<'de> Deserialize<'de> for StrictValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(StrictValue)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("non-finite number"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(StrictValue(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format!(
                    "duplicate object key {key:?}"
                )));
            }
            let StrictValue(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

fn validate_digest_set(field: &str, digest: &BTreeMap<String, String>) -> Result<(), IntotoError> {
    if digest.is_empty() {
        return Err(invalid(field, "digest set must not be empty"));
    }
    for (alg, value) in digest {
        if alg.is_empty() {
            return Err(invalid(field, "digest algorithm name must not be empty"));
        }
        let is_hex = !value.is_empty()
            && value.len() % 2 == 0
            && value
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !is_hex {
            let shown: String = value.chars().take(80).collect();
            return Err(invalid(
                format!("{field}.{alg}"),
                format!("value {shown:?} is not lowercase hex"),
            ));
        }
    }
    Ok(())
}

/// Predicate of [`PREDICATE_SCAN_REPORT`]: what was scanned, by which scanner, under which
/// policy and advisory snapshot, and which views were produced. JSON field names are
/// camelCase; absent options are omitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScanReportPredicate {
    /// The scanned image's digest (`sha256:<hex>`).
    pub image_digest: String,
    /// The scanner's version.
    pub scanner_version: String,
    /// Digest of the policy applied, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_digest: Option<String>,
    /// Hash of the Concelier advisory snapshot used, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concelier_snapshot_hash: Option<String>,
    /// The views (report kinds) produced.
    #[serde(default)]
    pub views: Vec<String>,
    /// When the report was made, RFC 3339 (passed in by the host).
    pub created: String,
    /// Digest of the SBOM produced, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sbom_digest: Option<String>,
}

impl ScanReportPredicate {
    /// As a JSON object (for [`Statement::predicate`]).
    pub fn to_value(&self) -> Value {
        let mut obj = Map::new();
        let mut put = |k: &str, v: &str| {
            obj.insert(k.to_owned(), Value::String(v.to_owned()));
        };
        put("imageDigest", &self.image_digest);
        put("scannerVersion", &self.scanner_version);
        if let Some(v) = &self.policy_digest {
            put("policyDigest", v);
        }
        if let Some(v) = &self.concelier_snapshot_hash {
            put("concelierSnapshotHash", v);
        }
        put("created", &self.created);
        if let Some(v) = &self.sbom_digest {
            put("sbomDigest", v);
        }
        obj.insert(
            "views".to_owned(),
            Value::Array(self.views.iter().cloned().map(Value::String).collect()),
        );
        Value::Object(obj)
    }

    /// Read from a statement's predicate.
    pub fn from_value(value: &Value) -> Result<Self, IntotoError> {
        Self::deserialize(value).map_err(|e| IntotoError::Predicate {
            predicate_type: PREDICATE_SCAN_REPORT,
            reason: e.to_string(),
        })
    }

    /// A Statement v1 of type [`PREDICATE_SCAN_REPORT`] about the image `name` with this
    /// predicate's image digest as subject.
    pub fn to_statement(&self, name: impl Into<String>) -> Result<Statement, IntotoError> {
        let digest = Sha256Digest::parse(&self.image_digest)
            .map_err(|e| invalid("predicate.imageDigest", e.to_string()))?;
        Ok(Statement::new(
            vec![Subject::sha256(name, &digest)],
            PREDICATE_SCAN_REPORT,
            self.to_value(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::Algorithm;

    /// Test-only: reads the shared in-toto spec examples (the library never reads files).
    fn spec_examples() -> Vec<(String, Vec<u8>)> {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/fixtures/attestation/in-toto/spec-examples"
        );
        let mut out: Vec<(String, Vec<u8>)> = stellaops_testkit::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("read {dir}: {e}"))
            .map(|e| {
                let path = e.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                (name, stellaops_testkit::fs::read(&path).unwrap())
            })
            .collect();
        out.sort();
        assert!(out.len() >= 5, "expected the in-toto spec examples");
        out
    }

    #[test]
    fn spec_examples_parse_and_round_trip() {
        let mut parsed = 0;
        for (name, bytes) in spec_examples() {
            let original: Value = serde_json::from_slice(&bytes).unwrap();
            if original.get("_type").is_none() {
                continue; // a bare predicate example, not a statement
            }
            match Statement::from_json(&bytes) {
                Ok(statement) => {
                    parsed += 1;
                    assert_eq!(statement.version, StatementVersion::V1, "{name}");
                    let out = statement.to_json();
                    // Same JSON value (the examples carry no fields we drop) ...
                    let back: Value = serde_json::from_slice(&out).unwrap();
                    assert_eq!(back, original, "{name}");
                    // ... canonical bytes: sorted keys, compact, stable.
                    assert_eq!(out, back.to_string().into_bytes(), "{name}");
                    assert_eq!(Statement::from_json(&out).unwrap(), statement, "{name}");
                }
                Err(e) => {
                    // The release examples elide digests ("4faeb1b2..."): not hex.
                    assert!(name.contains("release"), "{name}: {e}");
                    assert!(
                        matches!(&e, IntotoError::Invalid { field, .. } if field == "subject[0].digest.sha256"),
                        "{name}: {e}"
                    );
                    assert!(e.to_string().contains("not lowercase hex"), "{e}");
                }
            }
        }
        assert_eq!(
            parsed, 3,
            "reference x2 and test-result examples are valid statements"
        );
    }

    #[test]
    fn subject_without_name_round_trips() {
        let (_, bytes) = spec_examples()
            .into_iter()
            .find(|(n, _)| n.contains("test-result"))
            .unwrap();
        let st = Statement::from_json(&bytes).unwrap();
        assert_eq!(st.subject[0].name, "");
        assert_eq!(
            st.subject[0].digest["gitCommit"],
            "d20ace7968ba43c0219f62d71334c1095bab1602"
        );
        assert!(!String::from_utf8(st.to_json())
            .unwrap()
            .contains("\"name\":\"\""));
    }

    #[test]
    fn validation_errors() {
        let base = serde_json::json!({
            "_type": STATEMENT_TYPE,
            "subject": [{"name": "a", "digest": {"sha256": "00ff"}}],
            "predicateType": "https://example.com/p",
            "predicate": {}
        });
        assert!(Statement::from_json(base.to_string().as_bytes()).is_ok());
        let case = |patch: &dyn Fn(&mut Value)| {
            let mut v = base.clone();
            patch(&mut v);
            Statement::from_json(v.to_string().as_bytes()).unwrap_err()
        };
        assert!(matches!(
            case(&|v| v["_type"] = "https://in-toto.io/Statement/v2".into()),
            IntotoError::UnsupportedType(_)
        ));
        for (patch, field) in [
            (
                Box::new(|v: &mut Value| v["subject"] = serde_json::json!([]))
                    as Box<dyn Fn(&mut Value)>,
                "subject",
            ),
            (
                Box::new(|v| v["subject"][0]["digest"] = serde_json::json!({})),
                "subject[0].digest",
            ),
            (
                Box::new(|v| v["subject"][0]["digest"]["sha256"] = "00FF".into()),
                "subject[0].digest.sha256",
            ),
            (
                Box::new(|v| v["subject"][0]["digest"]["sha256"] = "".into()),
                "subject[0].digest.sha256",
            ),
            (
                Box::new(|v| v["subject"][0]["digest"]["sha256"] = "0ff".into()),
                "subject[0].digest.sha256",
            ),
            (
                Box::new(|v| v["subject"][0]["digest"]["sha256"] = 5.into()),
                "subject[0].digest.sha256",
            ),
            (
                Box::new(|v| v["predicateType"] = "".into()),
                "predicateType",
            ),
            (
                Box::new(|v| {
                    v.as_object_mut().unwrap().remove("predicateType");
                }),
                "predicateType",
            ),
            (
                Box::new(|v| v["predicate"] = serde_json::json!([1])),
                "predicate",
            ),
            (
                Box::new(|v| v["subject"][0]["name"] = 1.into()),
                "subject[0].name",
            ),
        ] {
            let err = case(&*patch);
            assert!(
                matches!(&err, IntotoError::Invalid { field: f, .. } if f == field),
                "{field}: {err}"
            );
        }
        assert!(matches!(
            Statement::from_json(b"[1]"),
            Err(IntotoError::Invalid { .. })
        ));
        assert!(matches!(
            Statement::from_json(b"{"),
            Err(IntotoError::Json(_))
        ));
    }

    #[test]
    fn legacy_v01_is_read_and_flagged() {
        let v = serde_json::json!({
            "_type": STATEMENT_TYPE_V01,
            "subject": [{"name": "a", "digest": {"sha256": "00ff"}}],
            "predicateType": "https://slsa.dev/provenance/v0.2",
        });
        let st = Statement::from_json(v.to_string().as_bytes()).unwrap();
        assert!(st.is_legacy());
        assert_eq!(st.predicate, Value::Null);
        // Written back as what it is; statements we make are v1.
        assert!(String::from_utf8(st.to_json())
            .unwrap()
            .contains(STATEMENT_TYPE_V01));
        assert!(!Statement::new(st.subject.clone(), "p", Value::Null).is_legacy());
    }

    #[test]
    fn scan_report_statement_signs_and_verifies() {
        let predicate = ScanReportPredicate {
            image_digest: format!("sha256:{}", "ab".repeat(32)),
            scanner_version: "0.1.0".into(),
            policy_digest: Some(format!("sha256:{}", "cd".repeat(32))),
            concelier_snapshot_hash: None,
            views: vec!["inventory".into(), "usage".into()],
            created: "2025-01-02T03:04:05Z".into(),
            sbom_digest: None,
        };
        let value = predicate.to_value();
        assert_eq!(value, serde_json::to_value(&predicate).unwrap());
        assert_eq!(value["imageDigest"], predicate.image_digest.as_str());
        assert!(value.get("concelierSnapshotHash").is_none());
        assert_eq!(ScanReportPredicate::from_value(&value).unwrap(), predicate);
        assert!(ScanReportPredicate::from_value(&serde_json::json!({"imageDigest": 1})).is_err());

        let st = predicate.to_statement("registry.example/app").unwrap();
        assert!(st.has_subject_digest("sha256", &"ab".repeat(32)));
        let key = SigningKey::generate(Algorithm::Ed25519, &[1; 32]).unwrap();
        let env = st.sign(&[&key]).unwrap();
        assert_eq!(env.payload_type, PAYLOAD_TYPE);
        let verified = dsse::verify(&env, &[key.verifying_key()], 1).unwrap();
        let back = Statement::from_verified(&verified).unwrap();
        assert_eq!(back, st);
        assert_eq!(back.predicate_type, PREDICATE_SCAN_REPORT);
        assert_eq!(
            ScanReportPredicate::from_value(&back.predicate).unwrap(),
            predicate
        );

        let mut wrong = verified.clone();
        wrong.payload_type = "application/json".into();
        assert!(matches!(
            Statement::from_verified(&wrong),
            Err(IntotoError::WrongPayloadType(_))
        ));
        let invalid = Statement::new(vec![], PREDICATE_SCAN_REPORT, Value::Null);
        assert!(invalid.sign(&[&key]).is_err());
        let mut bad_digest = predicate.clone();
        bad_digest.image_digest = "latest".into();
        assert!(bad_digest.to_statement("x").is_err());
    }
}
