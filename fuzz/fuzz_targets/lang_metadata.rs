#![no_main]
//! Language package metadata and lockfiles. The first input byte (mod the number of kinds)
//! picks the parser and the file name it is given (the parsers pick the format by name); the
//! rest is the file. Python installed metadata takes `METADATA 0xFF RECORD 0xFF
//! direct_url.json` (a missing part is `None`). Kinds:
//!
//!  0 node `parse_installed_package_json`    7 python `parse_lockfile` uv.lock
//!  1 node `parse_lockfile` package-lock.json 8 python `parse_lockfile` pdm.lock
//!  2 node `parse_lockfile` yarn.lock         9 python `parse_lockfile` pylock.toml
//!  3 node `parse_lockfile` pnpm-lock.yaml   10 python `parse_installed_metadata` dist-info
//!  4 python `parse_lockfile` requirements   11 python `parse_installed_metadata` egg-info
//!  5 python `parse_lockfile` Pipfile.lock   12 dotnet `parse_deps_json`
//!  6 python `parse_lockfile` poetry.lock    13 `capture::content::analyze_script`

use libfuzzer_sys::fuzz_target;
use stellaops_analyzers::capture::content::analyze_script;
use stellaops_analyzers::lang::{dotnet, node, python};
use stellaops_core::fragment::Fact;

mod lang_check;

const KINDS: u8 = 14;

fuzz_target!(|data: &[u8]| {
    let Some((&kind, body)) = data.split_first() else {
        return;
    };
    let (path, scan) = match kind % KINDS {
        0 => {
            let p = "/app/node_modules/@scope/x/package.json";
            (p, node::parse_installed_package_json(p, body))
        }
        1 => {
            let p = "/src/package-lock.json";
            (p, node::parse_lockfile(p, body))
        }
        2 => {
            let p = "/src/yarn.lock";
            (p, node::parse_lockfile(p, body))
        }
        3 => {
            let p = "/src/pnpm-lock.yaml";
            (p, node::parse_lockfile(p, body))
        }
        k @ 4..=9 => {
            let p = match k {
                4 => "/src/requirements.txt",
                5 => "/src/Pipfile.lock",
                6 => "/src/poetry.lock",
                7 => "/src/uv.lock",
                8 => "/src/pdm.lock",
                _ => "/src/pylock.toml",
            };
            (p, python::parse_lockfile(p, body))
        }
        k @ (10 | 11) => {
            let p = if k == 10 {
                "/usr/lib/python3/site-packages/x-1.0.dist-info/METADATA"
            } else {
                "/usr/lib/python3/site-packages/x-1.0.egg-info/PKG-INFO"
            };
            let mut parts = body.splitn(3, |&b| b == 0xff);
            let metadata = parts.next().unwrap_or_default();
            let record = parts.next();
            let direct_url = parts.next();
            let scan = python::parse_installed_metadata(p, metadata, record, direct_url);
            // The package is the distribution's own: its location is the metadata file or
            // its directory.
            (p.rsplit_once('/').unwrap().0, scan)
        }
        12 => {
            let p = "/app/MyApp.deps.json";
            (p, dotnet::parse_deps_json(p, body))
        }
        _ => {
            match analyze_script(body) {
                Some(fact) => {
                    let Fact::Script { shebang, text } = &fact else {
                        panic!("analyze_script returned {fact:?}");
                    };
                    assert!(!shebang.is_empty() && shebang.trim() == shebang, "shebang {shebang:?}");
                    assert!(text.starts_with("#!"));
                    lang_check::check_fact(&fact);
                }
                None => {
                    let text = String::from_utf8_lossy(body);
                    let first = text.lines().next().unwrap_or("");
                    assert!(first.strip_prefix("#!").is_none_or(|s| s.trim().is_empty()));
                }
            }
            return;
        }
    };
    lang_check::check_scan(&scan, path);
});
