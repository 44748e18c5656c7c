//! Reading components back from SBOMs (CycloneDX 1.4–1.6 JSON, SPDX 2.3 JSON, native JSON)
//! for matching: each component's reference, purl and introducing layer.

use serde_json::Value;

/// A component read from an SBOM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SbomComponent {
    /// bom-ref (CycloneDX), SPDXID (SPDX) or bom-ref (native).
    pub reference: String,
    /// Package URL, when the component has one.
    pub purl: Option<String>,
    /// Digest of the layer that introduced it, when recorded.
    pub layer_digest: Option<String>,
}

/// Why an SBOM could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ReadError(String);

/// Read the components of a CycloneDX, SPDX or native JSON document.
pub fn components(bytes: &[u8]) -> Result<Vec<SbomComponent>, ReadError> {
    let doc: Value =
        serde_json::from_slice(bytes).map_err(|e| ReadError(format!("not JSON: {e}")))?;
    if doc.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX") {
        let mut out = Vec::new();
        if let Some(list) = doc.get("components").and_then(Value::as_array) {
            cyclonedx(list, &mut out);
        }
        return Ok(out);
    }
    if doc.get("spdxVersion").is_some() {
        return Ok(spdx(&doc));
    }
    if doc.get("format").and_then(Value::as_str) == Some(super::native::FORMAT) {
        let list = doc
            .get("components")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        return Ok(list
            .iter()
            .map(|c| SbomComponent {
                reference: str_of(c, "bomRef").unwrap_or_default(),
                purl: str_of(c, "purl"),
                layer_digest: c.get("layer").and_then(|l| str_of(l, "digest")),
            })
            .collect());
    }
    Err(ReadError(
        "not a CycloneDX (bomFormat), SPDX (spdxVersion) or Stella Ops native document".to_owned(),
    ))
}

fn str_of(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn cyclonedx(list: &[Value], out: &mut Vec<SbomComponent>) {
    for c in list {
        let layer_digest = c
            .get("properties")
            .and_then(Value::as_array)
            .and_then(|props| {
                props
                    .iter()
                    .find(|p| {
                        p.get("name").and_then(Value::as_str) == Some("stellaops:layer.digest")
                    })
                    .and_then(|p| str_of(p, "value"))
            });
        out.push(SbomComponent {
            reference: str_of(c, "bom-ref")
                .or_else(|| str_of(c, "purl"))
                .unwrap_or_default(),
            purl: str_of(c, "purl"),
            layer_digest,
        });
        if let Some(nested) = c.get("components").and_then(Value::as_array) {
            cyclonedx(nested, out);
        }
    }
}

fn spdx(doc: &Value) -> Vec<SbomComponent> {
    let packages = doc
        .get("packages")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    packages
        .iter()
        .map(|p| {
            let purl = p
                .get("externalRefs")
                .and_then(Value::as_array)
                .and_then(|refs| {
                    refs.iter()
                        .find(|r| r.get("referenceType").and_then(Value::as_str) == Some("purl"))
                        .and_then(|r| str_of(r, "referenceLocator"))
                });
            let layer_digest = p
                .get("annotations")
                .and_then(Value::as_array)
                .and_then(|notes| {
                    notes.iter().find_map(|n| {
                        n.get("comment")
                            .and_then(Value::as_str)
                            .and_then(|c| c.strip_prefix("stellaops:layer.digest="))
                            .map(str::to_owned)
                    })
                });
            SbomComponent {
                reference: str_of(p, "SPDXID").unwrap_or_default(),
                purl,
                layer_digest,
            }
        })
        .collect()
}
