//! Ingest of advisory feeds into the canonical model ([`super::model`]).
//!
//! [`ingest`] detects the format of one document from its *content* (never its file name) and
//! normalises it:
//!
//! | format | module | output |
//! |---|---|---|
//! | OSV 1.x JSON (one record, or a JSON array of records) | `osv` | [`Advisory`] per record |
//! | Debian security tracker JSON export | `debian_tracker` | [`Advisory`] per CVE / TEMP id |
//! | Alpine secdb JSON (`v3.19/main.json`) | `alpine_secdb` | [`Advisory`] per id |
//! | CSAF 2.0 (advisory or VEX) | `csaf` | [`Advisory`] per vulnerability |
//! | CISA KEV catalog JSON | `kev` | [`KevEntry`] per catalog entry |
//! | EPSS CSV | `epss` | [`EpssScore`] per row |
//!
//! Every advisory carries [`Provenance`](super::model::Provenance) (source kind, document name,
//! SHA-256 of the input bytes). A document that is unusable as a whole (malformed JSON, unknown
//! format, missing mandatory top-level structure) is an [`IngestError`]; a damaged *part* of a
//! usable document (one bad package, one bad row, one unmappable product) is a warning in
//! [`Ingested::warnings`] and is skipped. Nothing here panics on input.
//!
//! Versions in ranges are checked with the ecosystem's own ordering
//! ([`crate::version::compare`]); a range holding a version that ordering refuses is kept but
//! marked [`Range::unusable`](super::model::Range::unusable), so it is reported, never matched.

mod alpine_secdb;
mod common;
mod csaf;
mod debian_tracker;
mod epss;
mod kev;
mod osv;

use std::fmt;

use serde_json::Value;

use super::model::{Advisory, EpssScore, KevEntry};
use common::Ctx;

/// The result of ingesting one document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ingested {
    /// Advisories (OSV, Debian tracker, Alpine secdb, CSAF), in a deterministic order.
    pub advisories: Vec<Advisory>,
    /// KEV catalog entries (KEV documents only).
    pub kev: Vec<KevEntry>,
    /// EPSS scores (EPSS documents only).
    pub epss: Vec<EpssScore>,
    /// Parts of the document that were skipped or degraded, each `"<document>: <what>"`.
    pub warnings: Vec<String>,
}

/// A document that cannot be used at all: unknown format, malformed JSON, or a missing
/// mandatory top-level structure. Displays as `"<document>: <what is wrong>"`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{document}: {message}")]
pub struct IngestError {
    /// The document name given to [`ingest`].
    pub document: String,
    /// What is wrong with it.
    pub message: String,
}

/// A supported input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// OSV schema 1.x JSON (one record or an array of records).
    Osv,
    /// Debian security tracker JSON export (`security-tracker.debian.org/tracker/data/json`).
    DebianTracker,
    /// Alpine secdb JSON (`secdb.alpinelinux.org/<release>/<repo>.json`).
    AlpineSecdb,
    /// CSAF 2.0 JSON (security advisory or VEX profile).
    Csaf,
    /// CISA Known Exploited Vulnerabilities catalog JSON.
    Kev,
    /// FIRST EPSS scores CSV (decompressed).
    Epss,
}

impl Format {
    /// Every supported format, for messages.
    pub const ALL: [Format; 6] = [
        Format::Osv,
        Format::DebianTracker,
        Format::AlpineSecdb,
        Format::Csaf,
        Format::Kev,
        Format::Epss,
    ];

    /// Short human name.
    pub fn name(self) -> &'static str {
        match self {
            Format::Osv => "OSV JSON",
            Format::DebianTracker => "Debian security tracker JSON",
            Format::AlpineSecdb => "Alpine secdb JSON",
            Format::Csaf => "CSAF 2.0 JSON",
            Format::Kev => "CISA KEV JSON",
            Format::Epss => "EPSS CSV",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Detect the format of `bytes` from its content. `None` when it is none of the supported
/// formats (or is not even well-formed JSON / text).
pub fn detect(bytes: &[u8]) -> Option<Format> {
    match classify(bytes) {
        Classified::Json(Ok(value)) => detect_json(&value),
        Classified::Json(Err(_)) | Classified::Gzip | Classified::Other => None,
        Classified::EpssText => Some(Format::Epss),
    }
}

/// Detect the format from content and normalise it. `document` names the input in provenance
/// and in every warning and error message.
pub fn ingest(document: &str, bytes: &[u8]) -> Result<Ingested, IngestError> {
    let mut ctx = Ctx::new(document, bytes);
    match classify(bytes) {
        Classified::EpssText => {
            let epss = epss::ingest(&mut ctx, bytes)?;
            Ok(ctx.finish(Vec::new(), Vec::new(), epss))
        }
        Classified::Gzip => {
            Err(ctx
                .error("gzip-compressed input; decompress it first (EPSS is published as .csv.gz)"))
        }
        Classified::Other => Err(ctx.error(format!("unknown format (supported: {})", supported()))),
        Classified::Json(Err(e)) => Err(ctx.error(format!("malformed JSON: {e}"))),
        Classified::Json(Ok(value)) => {
            let Some(format) = detect_json(&value) else {
                return Err(ctx.error(format!(
                    "unknown JSON document (supported: {})",
                    supported()
                )));
            };
            match format {
                Format::Osv => {
                    let advisories = osv::ingest(&mut ctx, &value)?;
                    Ok(ctx.finish(advisories, Vec::new(), Vec::new()))
                }
                Format::DebianTracker => {
                    let advisories = debian_tracker::ingest(&mut ctx, &value)?;
                    Ok(ctx.finish(advisories, Vec::new(), Vec::new()))
                }
                Format::AlpineSecdb => {
                    let advisories = alpine_secdb::ingest(&mut ctx, &value)?;
                    Ok(ctx.finish(advisories, Vec::new(), Vec::new()))
                }
                Format::Csaf => {
                    let advisories = csaf::ingest(&mut ctx, &value)?;
                    Ok(ctx.finish(advisories, Vec::new(), Vec::new()))
                }
                Format::Kev => {
                    let kev = kev::ingest(&mut ctx, &value)?;
                    Ok(ctx.finish(Vec::new(), kev, Vec::new()))
                }
                Format::Epss => Err(ctx.error("EPSS is CSV, not JSON")),
            }
        }
    }
}

fn supported() -> String {
    Format::ALL
        .iter()
        .map(|f| f.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// First look at the bytes: JSON, EPSS text, gzip, or something else.
enum Classified {
    Json(Result<Value, serde_json::Error>),
    EpssText,
    Gzip,
    Other,
}

fn classify(bytes: &[u8]) -> Classified {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return Classified::Gzip;
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    let body = body.get(start..).unwrap_or_default();
    match body.first() {
        Some(b'{') | Some(b'[') => Classified::Json(serde_json::from_slice(body)),
        _ if epss::looks_like_epss(body) => Classified::EpssText,
        _ => Classified::Other,
    }
}

fn detect_json(value: &Value) -> Option<Format> {
    match value {
        Value::Object(map) => {
            let has = |k: &str| map.contains_key(k);
            if map
                .get("document")
                .and_then(Value::as_object)
                .is_some_and(|d| d.contains_key("csaf_version"))
            {
                Some(Format::Csaf)
            } else if has("vulnerabilities") && has("catalogVersion") {
                Some(Format::Kev)
            } else if has("packages") && (has("distroversion") || has("reponame")) {
                Some(Format::AlpineSecdb)
            } else if osv::looks_like_osv(value) {
                Some(Format::Osv)
            } else if debian_tracker::looks_like_tracker(map) {
                Some(Format::DebianTracker)
            } else {
                None
            }
        }
        Value::Array(items) => {
            let first = items.first()?;
            osv::looks_like_osv(first).then_some(Format::Osv)
        }
        _ => None,
    }
}

#[cfg(test)]
pub(super) mod testutil {
    //! Test-only helpers: reading shared fixtures (the library itself never touches files).

    use std::path::PathBuf;

    /// Root of the shared fixtures.
    pub(crate) fn fixtures() -> PathBuf {
        PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/fixtures"
        ))
    }

    /// Read one fixture (relative to the fixtures root).
    pub(crate) fn read(rel: &str) -> Vec<u8> {
        let path = fixtures().join(rel);
        stellaops_testkit::fs::read(&path)
            .unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    /// Files in a fixture directory whose name ends with `suffix`, sorted, as
    /// `(relative path, bytes)`.
    pub(crate) fn read_dir(rel_dir: &str, suffix: &str) -> Vec<(String, Vec<u8>)> {
        let dir = fixtures().join(rel_dir);
        let mut names: Vec<String> = stellaops_testkit::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("read_dir {}: {e}", dir.display()))
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(suffix))
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|n| {
                let rel = format!("{rel_dir}/{n}");
                let bytes = read(&rel);
                (rel, bytes)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_format_from_content() {
        let cases: [(&str, Option<Format>); 12] = [
            (r#"{"document":{"csaf_version":"2.0"}}"#, Some(Format::Csaf)),
            (
                r#"{"catalogVersion":"1","vulnerabilities":[]}"#,
                Some(Format::Kev),
            ),
            (
                r#"{"distroversion":"v3.19","packages":[]}"#,
                Some(Format::AlpineSecdb),
            ),
            (
                r#"{"id":"GHSA-x","modified":"2024-01-01T00:00:00Z"}"#,
                Some(Format::Osv),
            ),
            (
                r#"[{"id":"GO-1","affected":[]}]"#,
                Some(Format::Osv),
            ),
            (
                r#"{"zlib":{"CVE-2023-45853":{"releases":{}}}}"#,
                Some(Format::DebianTracker),
            ),
            (
                "#model_version:v2023.03.01,score_date:2024-01-01T00:00:00+0000\ncve,epss,percentile\n",
                Some(Format::Epss),
            ),
            ("cve,epss,percentile\nCVE-1-1,0.1,0.2\n", Some(Format::Epss)),
            (r#"{"hello":"world"}"#, None),
            (r#"{"id":"x""#, None),
            ("\u{1f}\u{8b}garbage", None),
            ("", None),
        ];
        for (input, want) in cases {
            assert_eq!(detect(input.as_bytes()), want, "{input:?}");
        }
    }

    #[test]
    fn errors_name_the_document() {
        let e = ingest("feed.json", br#"{"id": "GHSA-1", "modified": "#).unwrap_err();
        assert_eq!(e.document, "feed.json");
        assert!(
            e.to_string().starts_with("feed.json: malformed JSON: "),
            "{e}"
        );
        assert!(e.message.contains("line 1 column"), "{e}");

        let e = ingest("x.json", br#"{"hello":"world"}"#).unwrap_err();
        assert!(e.message.contains("unknown JSON document"), "{e}");
        for f in Format::ALL {
            assert!(e.message.contains(f.name()), "{e}");
        }
        let e = ingest("x.bin", b"\x00\x01\x02garbage").unwrap_err();
        assert!(e.message.contains("unknown format"), "{e}");
        let e = ingest("x.csv.gz", b"\x1f\x8b\x08\x00").unwrap_err();
        assert!(e.message.contains("gzip"), "{e}");
    }

    #[test]
    fn garbage_never_panics() {
        let inputs: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"{".to_vec(),
            b"[".to_vec(),
            b"[]".to_vec(),
            b"[1,2,3]".to_vec(),
            b"null".to_vec(),
            b"\"string\"".to_vec(),
            b"{\"id\": 5, \"modified\": []}".to_vec(),
            b"{\"id\": \"X\", \"affected\": 5}".to_vec(),
            b"{\"document\": {\"csaf_version\": 2}, \"product_tree\": 7, \"vulnerabilities\": {}}"
                .to_vec(),
            b"{\"catalogVersion\": 1, \"vulnerabilities\": {\"a\": 1}}".to_vec(),
            b"{\"reponame\": 1, \"packages\": \"no\"}".to_vec(),
            b"{\"pkg\": {\"CVE-1\": 5}}".to_vec(),
            b"cve,epss\n,,,,\n\xff\xfe".to_vec(),
            vec![0xff; 64],
            (0u8..=255).collect(),
        ];
        for input in inputs {
            let _ = detect(&input);
            let _ = ingest("garbage", &input);
        }
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let _ = detect(&bytes);
            let _ = ingest("prop", &bytes);
        }

        #[test]
        fn truncated_documents_never_panic(cut in 0usize..4000) {
            for rel in [
                "advisories/ghsa/GHSA-35jh-r3h4-6jhm.json",
                "vex/csaf/go-vex-csaf/csaf.json",
            ] {
                let bytes = testutil::read(rel);
                let end = cut.min(bytes.len());
                let _ = ingest(rel, bytes.get(..end).unwrap_or_default());
            }
        }
    }

    #[test]
    fn provenance_hash_is_sha256_of_input() {
        let bytes = testutil::read("advisories/debian/DSA-3029-1.json");
        let out = ingest("DSA-3029-1.json", &bytes).unwrap();
        let p = &out.advisories[0].provenance;
        assert_eq!(p.source, "osv");
        assert_eq!(p.document, "DSA-3029-1.json");
        use sha2::Digest;
        assert_eq!(p.document_sha256, hex::encode(sha2::Sha256::digest(&bytes)));
    }
}
