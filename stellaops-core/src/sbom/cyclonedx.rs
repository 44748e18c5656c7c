//! CycloneDX 1.6 JSON writer.
//!
//! Each component carries `stellaops:layer.digest` (the layer blob digest the manifest
//! lists) and `stellaops:layer.diffId` (digest of the uncompressed layer tar) properties.
//! The distribution is an `operating-system` component; the scanned image is
//! `metadata.component`. Diagnostics are `stellaops:diagnostic` metadata properties; the
//! EntryTrace chain is `stellaops:entryTrace.*` metadata properties, and components in the
//! entrypoint's closure carry `stellaops:usedByEntrypoint` = `true`.

use serde_json::{json, Map, Value};

use crate::compose::{Component, Inventory};
use crate::license::is_single_spdx_id;
use crate::model::{Confidence, Evidence, License, PackageKind};
use crate::sbom::{DocumentContext, SubjectKind};

/// CycloneDX spec version written.
pub const SPEC_VERSION: &str = "1.6";

/// Render `inventory` as a CycloneDX 1.6 JSON document (pretty-printed, trailing newline).
pub fn to_json(ctx: &DocumentContext, inventory: &Inventory) -> Vec<u8> {
    let doc = document(ctx, inventory);
    let mut out = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    out.push(b'\n');
    out
}

/// The document as a JSON value.
pub fn document(ctx: &DocumentContext, inventory: &Inventory) -> Value {
    let serial = ctx.content_uuid("cyclonedx-1.6", inventory);
    let subject_ref = subject_bom_ref(ctx);

    let mut components: Vec<Value> = Vec::new();
    let mut os_ref = None;
    if let Some(distro) = &inventory.distro {
        let reference = format!(
            "os:{}@{}",
            distro.id,
            distro.version_id.as_deref().unwrap_or("")
        );
        let mut os = Map::new();
        os.insert("type".into(), json!("operating-system"));
        os.insert("bom-ref".into(), json!(reference));
        os.insert("name".into(), json!(distro.id));
        if let Some(v) = &distro.version_id {
            os.insert("version".into(), json!(v));
        }
        if let Some(p) = &distro.pretty_name {
            os.insert("description".into(), json!(p));
        }
        let mut props = vec![prop("stellaops:os.source", &distro.source_path)];
        if let Some(c) = &distro.codename {
            props.push(prop("stellaops:os.codename", c));
        }
        for like in &distro.id_like {
            props.push(prop("stellaops:os.idLike", like));
        }
        os.insert("properties".into(), Value::Array(props));
        components.push(Value::Object(os));
        os_ref = Some(reference);
    }
    components.extend(inventory.components.iter().map(component));

    let mut metadata = Map::new();
    metadata.insert("timestamp".into(), json!(ctx.created_rfc3339()));
    metadata.insert(
        "tools".into(),
        json!({"components": [{
            "type": "application",
            "group": "stellaops",
            "name": ctx.tool_name,
            "version": ctx.tool_version,
        }]}),
    );
    metadata.insert("component".into(), subject_component(ctx, &subject_ref));
    let mut meta_props = Vec::new();
    for (i, layer) in inventory.layers.iter().enumerate() {
        if let Some(d) = &layer.digest {
            meta_props.push(prop(&format!("stellaops:layer.{i}.digest"), d));
        }
        if let Some(d) = &layer.diff_id {
            meta_props.push(prop(&format!("stellaops:layer.{i}.diffId"), d));
        }
    }
    if let Some(trace) = &inventory.entry_trace {
        for (name, value) in crate::sbom::entry_trace_lines(trace) {
            meta_props.push(prop(&name, &value));
        }
    }
    for d in &inventory.diagnostics {
        meta_props.push(prop("stellaops:diagnostic", &diagnostic_text(d)));
    }
    if !meta_props.is_empty() {
        metadata.insert("properties".into(), Value::Array(meta_props));
    }

    let mut depends: Vec<String> = Vec::new();
    if let Some(os) = &os_ref {
        depends.push(os.clone());
    }
    depends.extend(inventory.components.iter().map(|c| c.bom_ref.clone()));
    let dependencies = json!([{ "ref": subject_ref, "dependsOn": depends }]);

    json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": format!("urn:uuid:{serial}"),
        "version": 1,
        "metadata": Value::Object(metadata),
        "components": components,
        "dependencies": dependencies,
    })
}

fn subject_bom_ref(ctx: &DocumentContext) -> String {
    match &ctx.subject.manifest_digest {
        Some(d) => format!("image:{d}"),
        None => format!("subject:{}", ctx.subject.reference),
    }
}

fn subject_component(ctx: &DocumentContext, bom_ref: &str) -> Value {
    let s = &ctx.subject;
    let mut c = Map::new();
    c.insert(
        "type".into(),
        json!(match s.kind {
            SubjectKind::Container => "container",
            SubjectKind::Directory => "file",
        }),
    );
    c.insert("bom-ref".into(), json!(bom_ref));
    c.insert("name".into(), json!(s.reference));
    if let Some(d) = &s.manifest_digest {
        c.insert("version".into(), json!(d));
        if let Some(hex) = d.strip_prefix("sha256:") {
            c.insert("hashes".into(), json!([{"alg": "SHA-256", "content": hex}]));
        }
    }
    let mut props = Vec::new();
    if let Some(d) = &s.config_digest {
        props.push(prop("stellaops:image.configDigest", d));
    }
    if let Some(p) = &s.platform {
        props.push(prop("stellaops:image.platform", p));
    }
    for t in &s.tags {
        props.push(prop("stellaops:image.tag", t));
    }
    if !props.is_empty() {
        c.insert("properties".into(), Value::Array(props));
    }
    Value::Object(c)
}

fn component(c: &Component) -> Value {
    let p = &c.package;
    let mut m = Map::new();
    let kind = if p.kind == PackageKind::Binary {
        "file"
    } else {
        "library"
    };
    m.insert("type".into(), json!(kind));
    m.insert("bom-ref".into(), json!(c.bom_ref));
    if let Some(s) = &p.supplier {
        m.insert("supplier".into(), json!({"name": s}));
    }
    match (p.kind, &p.namespace) {
        (PackageKind::Maven, Some(group)) => {
            m.insert("group".into(), json!(group));
            m.insert("name".into(), json!(p.name));
        }
        (PackageKind::Npm | PackageKind::Golang, Some(ns)) => {
            m.insert("name".into(), json!(format!("{ns}/{}", p.name)));
        }
        _ => {
            m.insert("name".into(), json!(p.name));
        }
    }
    if !p.version.is_empty() {
        m.insert("version".into(), json!(p.version));
    }
    if let Some(d) = &p.description {
        m.insert("description".into(), json!(d));
    }
    let hashes: Vec<Value> = p
        .hashes
        .iter()
        .filter_map(|(alg, value)| {
            let alg = match alg.as_str() {
                "sha1" => "SHA-1",
                "sha256" => "SHA-256",
                "sha512" => "SHA-512",
                "md5" => "MD5",
                _ => return None,
            };
            Some(json!({"alg": alg, "content": value}))
        })
        .collect();
    if !hashes.is_empty() {
        m.insert("hashes".into(), Value::Array(hashes));
    }
    if let Some(l) = licenses(&p.licenses) {
        m.insert("licenses".into(), l);
    }
    m.insert("purl".into(), json!(c.purl));
    if !p.kind.is_os() || !c.binaries.is_empty() {
        let mut occurrences = Vec::new();
        if !p.kind.is_os() && !c.binaries.contains(&c.location) {
            occurrences.push(json!({"location": c.location}));
        }
        occurrences.extend(c.binaries.iter().map(|b| json!({"location": b})));
        m.insert("evidence".into(), json!({"occurrences": occurrences}));
    }

    let mut props = Vec::new();
    if let Some(d) = &c.layer.digest {
        props.push(prop("stellaops:layer.digest", d));
    }
    if let Some(d) = &c.layer.diff_id {
        props.push(prop("stellaops:layer.diffId", d));
    }
    props.push(prop("stellaops:layer.index", &c.layer_index.to_string()));
    props.push(prop("stellaops:location", &c.location));
    props.push(prop("stellaops:package.type", p.kind.purl_type()));
    if let Some(a) = &p.arch {
        props.push(prop("stellaops:package.arch", a));
    }
    if let Some(e) = p.epoch {
        props.push(prop("stellaops:package.epoch", &e.to_string()));
    }
    if let Some(s) = &p.source_name {
        props.push(prop("stellaops:package.sourceName", s));
    }
    if let Some(s) = &p.source_version {
        props.push(prop("stellaops:package.sourceVersion", s));
    }
    if !p.files.is_empty() {
        props.push(prop(
            "stellaops:package.fileCount",
            &p.files.len().to_string(),
        ));
    }
    if let Some(f) = &c.unparsed_license_file {
        props.push(prop("stellaops:license.unparsedFile", f));
    }
    if p.evidence == Evidence::Declared {
        props.push(prop("stellaops:evidence", "declared"));
    }
    if p.confidence == Confidence::Low {
        props.push(prop("stellaops:confidence", "low"));
    }
    if c.used_by_entrypoint {
        props.push(prop("stellaops:usedByEntrypoint", "true"));
    }
    for (k, v) in &p.properties {
        props.push(prop(&format!("stellaops:{}", k.replacen(':', ".", 1)), v));
    }
    m.insert("properties".into(), Value::Array(props));
    Value::Object(m)
}

/// CycloneDX `licenses`: either license objects (ids and names) or exactly one expression.
fn licenses(list: &[License]) -> Option<Value> {
    if list.is_empty() {
        return None;
    }
    let all_simple = list.iter().all(|l| match l {
        License::Expression(e) => is_single_spdx_id(e),
        License::Named(_) => true,
    });
    if all_simple {
        let items: Vec<Value> = list
            .iter()
            .map(|l| match l {
                License::Expression(id) => json!({"license": {"id": id}}),
                License::Named(name) => json!({"license": {"name": name}}),
            })
            .collect();
        return Some(Value::Array(items));
    }
    if list.iter().all(|l| matches!(l, License::Expression(_))) {
        let joined = list
            .iter()
            .map(|l| match l {
                License::Expression(e) if list.len() > 1 => format!("({e})"),
                License::Expression(e) | License::Named(e) => e.clone(),
            })
            .collect::<Vec<_>>()
            .join(" AND ");
        return Some(json!([{ "expression": joined }]));
    }
    // Mixed compound expressions and free-text names: keep each as a named license.
    Some(Value::Array(
        list.iter()
            .map(|l| match l {
                License::Expression(e) if is_single_spdx_id(e) => json!({"license": {"id": e}}),
                License::Expression(e) | License::Named(e) => json!({"license": {"name": e}}),
            })
            .collect(),
    ))
}

fn prop(name: &str, value: &str) -> Value {
    json!({"name": name, "value": value})
}

pub(crate) fn diagnostic_text(d: &crate::model::Diagnostic) -> String {
    let sev = match d.severity {
        crate::model::Severity::Warning => "warning",
        crate::model::Severity::Error => "error",
    };
    let mut s = sev.to_owned();
    if let Some(l) = &d.layer {
        s.push_str(&format!(" [layer {l}]"));
    }
    if let Some(p) = &d.path {
        s.push_str(&format!(" [{p}]"));
    }
    s.push_str(": ");
    s.push_str(&d.message);
    s
}
