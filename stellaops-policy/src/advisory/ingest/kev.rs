//! CISA Known Exploited Vulnerabilities catalog
//! (`https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json`).
//!
//! Shape: `{"title", "catalogVersion", "dateReleased", "count", "vulnerabilities": [{"cveID",
//! "vendorProject", "product", "vulnerabilityName", "dateAdded", "shortDescription",
//! "requiredAction", "dueDate", "knownRansomwareCampaignUse", "notes", "cwes"}]}`.
//!
//! Each entry becomes a [`KevEntry`] in catalog order. `knownRansomwareCampaignUse` is kept
//! only when it is `Known` (the model's `known_ransomware` means "used in ransomware
//! campaigns"; `Unknown` is the catalog's default and becomes `None`). An entry without a
//! `cveID` or `dateAdded`, a repeated CVE (first one kept), and a `count` that disagrees with
//! the list are warnings.

use std::collections::BTreeSet;

use serde_json::Value;

use super::common::{text_at, type_name, Ctx};
use super::IngestError;
use crate::advisory::model::KevEntry;

/// Normalise a KEV catalog.
pub(super) fn ingest(ctx: &mut Ctx, value: &Value) -> Result<Vec<KevEntry>, IngestError> {
    let list = match value.get("vulnerabilities") {
        Some(Value::Array(list)) => list,
        Some(other) => {
            return Err(ctx.error(format!(
                "\"vulnerabilities\" is {}, not an array",
                type_name(other)
            )))
        }
        None => return Err(ctx.error("no \"vulnerabilities\" array")),
    };
    if let Some(count) = value.get("count").and_then(Value::as_u64) {
        if usize::try_from(count).ok() != Some(list.len()) {
            ctx.warn(format!(
                "catalog says count {count} but lists {} entries",
                list.len()
            ));
        }
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(list.len());
    for (i, v) in list.iter().enumerate() {
        let Some(cve) = text_at(v, "cveID") else {
            ctx.warn(format!("vulnerabilities[{i}] has no \"cveID\"; skipped"));
            continue;
        };
        let Some(date_added) = text_at(v, "dateAdded") else {
            ctx.warn(format!("{cve}: no \"dateAdded\"; skipped"));
            continue;
        };
        if !seen.insert(cve.to_owned()) {
            ctx.warn(format!("{cve} is listed more than once; first entry kept"));
            continue;
        }
        out.push(KevEntry {
            cve: cve.to_owned(),
            date_added: date_added.to_owned(),
            due_date: text_at(v, "dueDate").map(str::to_owned),
            known_ransomware: text_at(v, "knownRansomwareCampaignUse")
                .filter(|k| k.eq_ignore_ascii_case("known"))
                .map(|_| "Known".to_owned()),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::{detect, ingest, Format};

    // No real KEV catalog is available in the shared fixtures. This document is hand-written
    // in the exact upstream shape of known_exploited_vulnerabilities.json (top-level `title`,
    // `catalogVersion`, `dateReleased`, `count`, `vulnerabilities[]` with `cveID`,
    // `vendorProject`, `product`, `vulnerabilityName`, `dateAdded`, `shortDescription`,
    // `requiredAction`, `dueDate`, `knownRansomwareCampaignUse`, `notes`, `cwes`), verified
    // with the search tool against several KEV consumers and their copies of the feed.
    const KEV: &str = r#"{
      "title": "CISA Catalog of Known Exploited Vulnerabilities",
      "catalogVersion": "2024.07.09",
      "dateReleased": "2024-07-09T17:00:36.2475Z",
      "count": 2,
      "vulnerabilities": [
        {
          "cveID": "CVE-2021-44228",
          "vendorProject": "Apache",
          "product": "Log4j2",
          "vulnerabilityName": "Apache Log4j2 Remote Code Execution Vulnerability",
          "dateAdded": "2021-12-10",
          "shortDescription": "Apache Log4j2 contains a vulnerability where JNDI features do not protect against attacker-controlled JNDI-related endpoints, allowing for remote code execution.",
          "requiredAction": "For all affected software assets for which updates exist, the only acceptable remediation actions are: 1) Apply updates; OR 2) remove affected assets from agency networks.",
          "dueDate": "2021-12-24",
          "knownRansomwareCampaignUse": "Known",
          "notes": "https://nvd.nist.gov/vuln/detail/CVE-2021-44228",
          "cwes": ["CWE-20", "CWE-400", "CWE-502"]
        },
        {
          "cveID": "CVE-2024-4577",
          "vendorProject": "PHP Group",
          "product": "PHP",
          "vulnerabilityName": "PHP-CGI OS Command Injection Vulnerability",
          "dateAdded": "2024-06-12",
          "shortDescription": "PHP, specifically Windows-based PHP used in CGI mode, contains an OS command injection vulnerability.",
          "requiredAction": "Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.",
          "dueDate": "2024-07-03",
          "knownRansomwareCampaignUse": "Unknown",
          "notes": "",
          "cwes": ["CWE-78"]
        }
      ]
    }"#;

    #[test]
    fn kev_entries() {
        assert_eq!(detect(KEV.as_bytes()), Some(Format::Kev));
        let out = ingest("kev.json", KEV.as_bytes()).unwrap();
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
        assert!(out.advisories.is_empty());
        assert_eq!(out.kev.len(), 2);
        let k = &out.kev[0];
        assert_eq!(k.cve, "CVE-2021-44228");
        assert_eq!(k.date_added, "2021-12-10");
        assert_eq!(k.due_date.as_deref(), Some("2021-12-24"));
        assert_eq!(k.known_ransomware.as_deref(), Some("Known"));
        assert_eq!(out.kev[1].known_ransomware, None);
    }

    #[test]
    fn malformed_kev() {
        let e = ingest("k.json", br#"{"catalogVersion":"1","vulnerabilities":{}}"#).unwrap_err();
        assert!(e.to_string().starts_with("k.json: "), "{e}");
        let out = ingest(
            "k.json",
            br#"{"catalogVersion":"1","count":9,"vulnerabilities":[1,{"cveID":"CVE-1-1"},
                 {"cveID":"CVE-1-2","dateAdded":"2024-01-01"},{"cveID":"CVE-1-2","dateAdded":"2024-01-02"}]}"#,
        )
        .unwrap();
        assert_eq!(out.kev.len(), 1);
        assert_eq!(out.warnings.len(), 4, "{:#?}", out.warnings);
    }
}
