//! SPDX 2.3 JSON writer.
//!
//! One package per component plus one for the scanned subject (`SPDXRef-Subject`), which
//! the document DESCRIBES and which CONTAINS every package. Licenses that are not SPDX
//! expressions become `LicenseRef-` ids with their text in `hasExtractedLicensingInfos`.
//! Layer attribution is recorded as package annotations (`stellaops:layer.digest=...`).

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};
use sha2::{Digest as _, Sha256};

use crate::compose::{Component, Inventory};
use crate::license::SPDX_LICENSE_LIST_VERSION;
use crate::model::{Confidence, Evidence, License, PackageKind};
use crate::sbom::DocumentContext;

/// Render `inventory` as an SPDX 2.3 JSON document (pretty-printed, trailing newline).
pub fn to_json(ctx: &DocumentContext, inventory: &Inventory) -> Vec<u8> {
    let doc = document(ctx, inventory);
    let mut out = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    out.push(b'\n');
    out
}

/// The document as a JSON value.
pub fn document(ctx: &DocumentContext, inventory: &Inventory) -> Value {
    let uuid = ctx.content_uuid("spdx-2.3", inventory);
    let created = ctx.created_rfc3339();
    let tool = format!("Tool: {}-{}", ctx.tool_name, ctx.tool_version);
    let mut extracted: BTreeMap<String, String> = BTreeMap::new();

    let mut packages = vec![subject_package(ctx)];
    let mut relationships = vec![json!({
        "spdxElementId": "SPDXRef-DOCUMENT",
        "relationshipType": "DESCRIBES",
        "relatedSpdxElement": "SPDXRef-Subject",
    })];
    if let Some(distro) = &inventory.distro {
        let mut os = Map::new();
        os.insert("SPDXID".into(), json!("SPDXRef-OperatingSystem"));
        os.insert("name".into(), json!(distro.id));
        if let Some(v) = &distro.version_id {
            os.insert("versionInfo".into(), json!(v));
        }
        os.insert("primaryPackagePurpose".into(), json!("OPERATING_SYSTEM"));
        os.insert("downloadLocation".into(), json!("NOASSERTION"));
        os.insert("filesAnalyzed".into(), json!(false));
        os.insert("licenseConcluded".into(), json!("NOASSERTION"));
        os.insert("licenseDeclared".into(), json!("NOASSERTION"));
        os.insert("copyrightText".into(), json!("NOASSERTION"));
        if let Some(p) = &distro.pretty_name {
            os.insert("description".into(), json!(p));
        }
        os.insert(
            "sourceInfo".into(),
            json!(format!("read from {}", distro.source_path)),
        );
        packages.push(Value::Object(os));
        relationships.push(contains("SPDXRef-OperatingSystem"));
    }
    for c in &inventory.components {
        let id = spdx_id(c);
        packages.push(package(c, &id, &created, &tool, &mut extracted));
        relationships.push(contains(&id));
    }

    let mut doc = Map::new();
    doc.insert("spdxVersion".into(), json!("SPDX-2.3"));
    doc.insert("dataLicense".into(), json!("CC0-1.0"));
    doc.insert("SPDXID".into(), json!("SPDXRef-DOCUMENT"));
    doc.insert("name".into(), json!(ctx.subject_name()));
    doc.insert(
        "documentNamespace".into(),
        json!(format!(
            "https://stellaops.example/spdx/{}/{uuid}",
            sanitize(ctx.subject_name())
        )),
    );
    let mut creation = Map::new();
    creation.insert("created".into(), json!(created));
    creation.insert("creators".into(), json!([tool]));
    creation.insert(
        "licenseListVersion".into(),
        json!(license_list_major_minor()),
    );
    if !inventory.diagnostics.is_empty() {
        let text: Vec<String> = inventory
            .diagnostics
            .iter()
            .map(crate::sbom::cyclonedx::diagnostic_text)
            .collect();
        creation.insert("comment".into(), json!(text.join("\n")));
    }
    doc.insert("creationInfo".into(), Value::Object(creation));
    if let Some(trace) = &inventory.entry_trace {
        let lines: Vec<String> = crate::sbom::entry_trace_lines(trace)
            .into_iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        doc.insert("comment".into(), json!(lines.join("\n")));
    }
    doc.insert("documentDescribes".into(), json!(["SPDXRef-Subject"]));
    doc.insert("packages".into(), Value::Array(packages));
    doc.insert("relationships".into(), Value::Array(relationships));
    if !extracted.is_empty() {
        let infos: Vec<Value> = extracted
            .into_iter()
            .map(|(id, text)| json!({"licenseId": id, "name": text, "extractedText": text}))
            .collect();
        doc.insert("hasExtractedLicensingInfos".into(), Value::Array(infos));
    }
    Value::Object(doc)
}

fn license_list_major_minor() -> String {
    // SPDX wants `M.N`; the spdx crate reports e.g. `3.29.0`.
    let mut parts = SPDX_LICENSE_LIST_VERSION.split('.');
    match (parts.next(), parts.next()) {
        (Some(a), Some(b)) => format!("{a}.{b}"),
        _ => SPDX_LICENSE_LIST_VERSION.to_owned(),
    }
}

fn contains(id: &str) -> Value {
    json!({
        "spdxElementId": "SPDXRef-Subject",
        "relationshipType": "CONTAINS",
        "relatedSpdxElement": id,
    })
}

fn subject_package(ctx: &DocumentContext) -> Value {
    let s = &ctx.subject;
    let mut m = Map::new();
    m.insert("SPDXID".into(), json!("SPDXRef-Subject"));
    m.insert("name".into(), json!(s.reference));
    if let Some(d) = &s.manifest_digest {
        m.insert("versionInfo".into(), json!(d));
        if let Some(hex) = d.strip_prefix("sha256:") {
            m.insert(
                "checksums".into(),
                json!([{"algorithm": "SHA256", "checksumValue": hex}]),
            );
        }
    }
    m.insert(
        "primaryPackagePurpose".into(),
        json!(match s.kind {
            crate::sbom::SubjectKind::Container => "CONTAINER",
            crate::sbom::SubjectKind::Directory => "FILE",
        }),
    );
    m.insert("downloadLocation".into(), json!("NOASSERTION"));
    m.insert("filesAnalyzed".into(), json!(false));
    m.insert("licenseConcluded".into(), json!("NOASSERTION"));
    m.insert("licenseDeclared".into(), json!("NOASSERTION"));
    m.insert("copyrightText".into(), json!("NOASSERTION"));
    Value::Object(m)
}

fn package(
    c: &Component,
    id: &str,
    created: &str,
    tool: &str,
    extracted: &mut BTreeMap<String, String>,
) -> Value {
    let p = &c.package;
    let mut m = Map::new();
    m.insert("SPDXID".into(), json!(id));
    m.insert("name".into(), json!(p.name));
    m.insert("versionInfo".into(), json!(p.version));
    m.insert(
        "supplier".into(),
        json!(supplier(p.kind, p.supplier.as_deref())),
    );
    m.insert("downloadLocation".into(), json!("NOASSERTION"));
    m.insert("filesAnalyzed".into(), json!(false));
    m.insert("licenseConcluded".into(), json!("NOASSERTION"));
    m.insert(
        "licenseDeclared".into(),
        json!(declared(&p.licenses, extracted)),
    );
    m.insert("copyrightText".into(), json!("NOASSERTION"));
    if let Some(d) = &p.description {
        m.insert("summary".into(), json!(d));
    }
    m.insert("sourceInfo".into(), json!(source_info(c)));
    if !p.hashes.is_empty() {
        let sums: Vec<Value> = p
            .hashes
            .iter()
            .filter_map(|(alg, value)| {
                let alg = match alg.as_str() {
                    "sha1" => "SHA1",
                    "sha256" => "SHA256",
                    "sha512" => "SHA512",
                    "md5" => "MD5",
                    _ => return None,
                };
                Some(json!({"algorithm": alg, "checksumValue": value}))
            })
            .collect();
        m.insert("checksums".into(), Value::Array(sums));
    }
    m.insert(
        "primaryPackagePurpose".into(),
        json!(if p.kind == PackageKind::Binary {
            "FILE"
        } else {
            "LIBRARY"
        }),
    );
    m.insert(
        "externalRefs".into(),
        json!([{
            "referenceCategory": "PACKAGE-MANAGER",
            "referenceType": "purl",
            "referenceLocator": c.purl,
        }]),
    );
    let mut notes = vec![format!("stellaops:layer.index={}", c.layer_index)];
    if let Some(d) = &c.layer.digest {
        notes.push(format!("stellaops:layer.digest={d}"));
    }
    if let Some(d) = &c.layer.diff_id {
        notes.push(format!("stellaops:layer.diffId={d}"));
    }
    if let Some(f) = &c.unparsed_license_file {
        notes.push(format!("stellaops:license.unparsedFile={f}"));
    }
    notes.push(format!("stellaops:location={}", c.location));
    if p.evidence == Evidence::Declared {
        notes.push("stellaops:evidence=declared".to_owned());
    }
    if p.confidence == Confidence::Low {
        notes.push("stellaops:confidence=low".to_owned());
    }
    if !c.binaries.is_empty() {
        notes.push(format!("stellaops:binaryCount={}", c.binaries.len()));
    }
    if c.used_by_entrypoint {
        notes.push("stellaops:usedByEntrypoint=true".to_owned());
    }
    let annotations: Vec<Value> = notes
        .into_iter()
        .map(|comment| {
            json!({
                "annotationType": "OTHER",
                "annotator": tool,
                "annotationDate": created,
                "comment": comment,
            })
        })
        .collect();
    m.insert("annotations".into(), Value::Array(annotations));
    Value::Object(m)
}

/// What the package fact was read from, for `sourceInfo`.
fn source_info(c: &Component) -> String {
    let p = &c.package;
    let what = match p.kind {
        PackageKind::Deb => "dpkg database",
        PackageKind::Apk => "apk database",
        PackageKind::Rpm => "rpm database",
        PackageKind::Binary => "unowned binary",
        _ if p.evidence == Evidence::Declared => "declared by",
        _ => "installed metadata",
    };
    format!("{what} {}", c.location)
}

fn supplier(kind: PackageKind, supplier: Option<&str>) -> String {
    match supplier.map(str::trim) {
        Some(s) if !s.is_empty() => match kind {
            PackageKind::Rpm => format!("Organization: {s}"),
            _ => format!("Person: {s}"),
        },
        _ => "NOASSERTION".to_owned(),
    }
}

fn declared(list: &[License], extracted: &mut BTreeMap<String, String>) -> String {
    if list.is_empty() {
        return "NOASSERTION".to_owned();
    }
    let parts: Vec<String> = list
        .iter()
        .map(|l| match l {
            License::Expression(e) if list.len() > 1 && e.contains(' ') => format!("({e})"),
            License::Expression(e) => e.clone(),
            License::Named(text) => {
                let id = format!("LicenseRef-{}", sanitize(text));
                extracted.insert(id.clone(), text.clone());
                id
            }
        })
        .collect();
    parts.join(" AND ")
}

/// An SPDX element id for a component: readable, unique and stable.
fn spdx_id(c: &Component) -> String {
    let hash = hex::encode(&Sha256::digest(c.bom_ref.as_bytes())[..8]);
    format!(
        "SPDXRef-Package-{}-{}-{hash}",
        c.package.kind.purl_type(),
        sanitize(&c.package.name)
    )
}

/// Keep `[A-Za-z0-9.-]`, replace everything else with `-`.
fn sanitize(text: &str) -> String {
    text.chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || ch == '.' || ch == '-' {
                ch
            } else {
                '-'
            }
        })
        .collect()
}
