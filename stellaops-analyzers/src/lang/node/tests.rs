//! Node tests: data-driven over `shared/fixtures/lang-packages` (syft and trivy test data,
//! see its PROVENANCE.md) plus edge cases. Expected package lists were computed
//! independently of these parsers (Python: `json`, PyYAML and the selection rules of the
//! module documentation), not by running them.

use std::collections::BTreeSet;

use stellaops_core::License;

use super::*;

/// Test-only: reads a shared fixture (the library itself never touches the file system).
fn fixture(rel: &str) -> Vec<u8> {
    stellaops_testkit::fixture(&format!("lang-packages/{rel}"))
}

/// Test-only: every file under a fixture directory, relative to `lang-packages/`.
fn fixture_files(dir: &str) -> Vec<String> {
    stellaops_testkit::fixture_tree("lang-packages", dir)
}

/// `@scope/name@version` of a package.
fn id(p: &LangPackage) -> String {
    match &p.namespace {
        Some(ns) => format!("{ns}/{}@{}", p.name, p.version),
        None => format!("{}@{}", p.name, p.version),
    }
}

fn ids(scan: &LangScan) -> BTreeSet<String> {
    scan.packages.iter().map(id).collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn find<'a>(scan: &'a LangScan, wanted: &str) -> &'a LangPackage {
    scan.packages
        .iter()
        .find(|p| id(p) == wanted)
        .unwrap_or_else(|| panic!("{wanted} not found in {:?}", ids(scan)))
}

/// Output order: (full name, version), no duplicates.
fn assert_sorted(scan: &LangScan) {
    let keys: Vec<(String, String)> = scan
        .packages
        .iter()
        .map(|p| {
            let full = match &p.namespace {
                Some(ns) => format!("{ns}/{}", p.name),
                None => p.name.clone(),
            };
            (full, p.version.clone())
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(keys, sorted, "packages must be sorted and unique");
}

/// trivy's package-lock v1 and v2 fixtures describe the same tree.
const TRIVY_NPM_LOCK_IDS: &[&str] = &[
    "@babel/helper-string-parser@7.19.4",
    "asap@2.0.6",
    "body-parser@1.18.3",
    "bytes@3.0.0",
    "content-type@1.0.5",
    "debug@2.5.2",
    "debug@2.6.9",
    "depd@1.1.2",
    "ee-first@1.1.1",
    "encodeurl@1.0.2",
    "escape-html@1.0.3",
    "finalhandler@1.1.1",
    "http-errors@1.6.3",
    "iconv-lite@0.4.23",
    "inherits@2.0.3",
    "media-typer@0.3.0",
    "mime-db@1.52.0",
    "mime-types@2.1.35",
    "ms@0.7.2",
    "ms@1.0.0",
    "ms@2.0.0",
    "on-finished@2.3.0",
    "parseurl@1.3.3",
    "promise@8.3.0",
    "qs@6.5.2",
    "raw-body@2.3.3",
    "safer-buffer@2.1.2",
    "setprototypeof@1.1.0",
    "statuses@1.4.0",
    "type-is@1.6.18",
    "unpipe@1.0.0",
];

struct Expected {
    path: &'static str,
    /// `None`: the file is corrupt; an error diagnostic and no packages.
    ids: Option<&'static [&'static str]>,
    dev: &'static [&'static str],
    package_manager: &'static [&'static str],
}

const LOCKFILES: &[Expected] = &[
    Expected {
        path: "syft/javascript/corrupt/package-lock.json",
        ids: None,
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "syft/javascript/corrupt/pnpm-lock.yaml",
        ids: None,
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "syft/javascript/pkg-lock/alias-package-lock-1.json",
        ids: Some(&["@bundled-es-modules/chai@4.2.2", "case@1.6.2", "case@1.6.3"]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "syft/javascript/pkg-lock/alias-package-lock-2.json",
        ids: Some(&["@bundled-es-modules/chai@4.2.2", "case@1.6.2", "case@1.6.3"]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "syft/javascript/pkg-lock/array-license-package-lock.json",
        ids: Some(&["pause-stream@0.0.11", "through@2.3.8"]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "syft/javascript/pkg-lock/nested-package-lock-1.json",
        ids: Some(&[
            "dev-nested@1.0.0",
            "dev-parent@1.0.0",
            "duplicate@1.0.0",
            "middle@1.0.0",
            "parent@1.0.0",
            "shared@0.5.0",
            "shared@1.0.0",
            "shared@2.0.0",
        ]),
        dev: &["dev-parent@1.0.0"],
        package_manager: &[],
    },
    Expected {
        path: "syft/javascript/pkg-lock/package-lock-2.json",
        ids: Some(&[
            "@types/prop-types@15.7.5",
            "@types/react@18.0.17",
            "@types/scheduler@0.16.2",
            "async@3.2.4",
            "csstype@3.1.0",
        ]),
        dev: &["async@3.2.4"],
        package_manager: &[],
    },
    Expected {
        path: "syft/javascript/pkg-lock/package-lock-3.json",
        ids: Some(&[
            "@types/prop-types@15.7.5",
            "@types/react@18.0.20",
            "@types/scheduler@0.16.2",
            "async@3.2.4",
            "csstype@3.1.1",
        ]),
        dev: &["async@3.2.4"],
        package_manager: &[],
    },
    Expected {
        path: "syft/javascript/pkg-lock/package-lock.json",
        ids: Some(&[
            "@actions/core@1.6.0",
            "ansi-regex@3.0.0",
            "async@3.2.4",
            "cowsay@1.4.0",
            "get-stdin@5.0.1",
            "is-fullwidth-code-point@2.0.0",
            "minimist@0.0.10",
            "optimist@0.6.1",
            "string-width@2.1.1",
            "strip-ansi@4.0.0",
            "strip-eof@1.0.0",
            "wordwrap@0.0.3",
        ]),
        dev: &["async@3.2.4"],
        package_manager: &[],
    },
    Expected {
        path: "syft/javascript/pnpm-multi-doc/pnpm-lock.yaml",
        ids: Some(&[
            "@pnpm/exe.linux-x64@12.0.0-rc.3",
            "minimist@1.2.0",
            "pnpm@12.0.0-rc.3",
        ]),
        dev: &[],
        package_manager: &["@pnpm/exe.linux-x64@12.0.0-rc.3", "pnpm@12.0.0-rc.3"],
    },
    Expected {
        path: "syft/javascript/pnpm-v9-snapshots/pnpm-lock.yaml",
        ids: Some(&[
            "cross-spawn@7.0.6",
            "isexe@2.0.0",
            "path-key@3.1.1",
            "shebang-command@2.0.0",
            "shebang-regex@3.0.0",
            "which@2.0.2",
        ]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "syft/javascript/pnpm-v9/pnpm-lock.yaml",
        ids: Some(&[
            "@babel/core@7.24.7",
            "@babel/helper-plugin-utils@7.24.7",
            "is-positive@3.1.0",
            "rollup@4.18.0",
        ]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "syft/javascript/pnpm/pnpm-lock.yaml",
        ids: Some(&["@bcoe/v8-coverage@0.2.3"]),
        dev: &["@bcoe/v8-coverage@0.2.3"],
        package_manager: &[],
    },
    Expected {
        path: "syft/javascript/yarn-berry-dev-deps/yarn.lock",
        ids: Some(&[
            "dev-only-transitive@1.0.0",
            "dev-pkg@1.0.0",
            "prod-pkg@1.0.0",
            "shared-pkg@1.0.0",
        ]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "syft/javascript/yarn-berry-dups/yarn.lock",
        ids: Some(&["async@0.9.2", "async@3.2.6"]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "syft/javascript/yarn-dev-deps/yarn.lock",
        ids: Some(&[
            "dev-only-transitive@1.0.0",
            "dev-pkg@1.0.0",
            "prod-pkg@1.0.0",
            "shared-pkg@1.0.0",
        ]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "syft/javascript/yarn-dups/yarn.lock",
        ids: Some(&[
            "async@0.9.2",
            "async@3.2.3",
            "merge-objects@1.0.5",
            "resize-observer-polyfill@1.5.2",
            "should-type@1.3.0",
        ]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "syft/javascript/yarn-v1-deps/yarn.lock",
        ids: Some(&[
            "@babel/code-frame@7.10.4",
            "@types/minimatch@3.0.3",
            "@types/qs@6.9.4",
            "ajv@6.12.3",
            "asn1.js@4.10.1",
            "atob@2.1.2",
            "aws-sdk@2.706.0",
            "c0n-fab_u.laTION@7.7.7",
            "jhipster-core@7.3.4",
        ]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "syft/javascript/yarn/yarn.lock",
        ids: Some(&[
            "@babel/code-frame@7.10.4",
            "@types/minimatch@3.0.3",
            "@types/qs@6.9.4",
            "ajv@6.12.3",
            "asn1.js@4.10.1",
            "atob@2.1.2",
            "aws-sdk@2.706.0",
            "c0n-fab_u.laTION@7.7.7",
            "jhipster-core@7.3.4",
        ]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "trivy/nodejs/npm/package-lock_v1.json",
        ids: Some(TRIVY_NPM_LOCK_IDS),
        dev: &["debug@2.5.2", "ms@0.7.2"],
        package_manager: &[],
    },
    Expected {
        path: "trivy/nodejs/npm/package-lock_v2.json",
        ids: Some(TRIVY_NPM_LOCK_IDS),
        dev: &["debug@2.5.2", "ms@0.7.2"],
        package_manager: &[],
    },
    Expected {
        path: "trivy/nodejs/npm/package-lock_v3_broken_link.json",
        ids: Some(&[]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "trivy/nodejs/npm/package-lock_v3_with-same-dev-and-non-dev.json",
        ids: Some(&[
            "fsevents@1.2.9",
            "minimist@0.0.8",
            "mkdirp@0.5.1",
            "node-pre-gyp@0.12.0",
        ]),
        dev: &["fsevents@1.2.9", "mkdirp@0.5.1", "node-pre-gyp@0.12.0"],
        package_manager: &[],
    },
    Expected {
        path: "trivy/nodejs/npm/package-lock_v3_with_legacy_licenses.json",
        ids: Some(&["mustache@2.3.2", "pause-stream@0.0.11", "tv4@1.3.0"]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "trivy/nodejs/npm/package-lock_v3_with_peer.json",
        ids: Some(&[
            "lodash@4.17.21",
            "mustache@2.3.2",
            "triple-beam@1.4.1",
            "winston-mail@2.0.0",
            "winston@3.17.0",
        ]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "trivy/nodejs/npm/package-lock_v3_with_workspace.json",
        ids: Some(&["debug@2.5.2", "debug@2.6.9", "ms@0.7.2", "ms@2.0.0"]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "trivy/nodejs/npm/package-lock_v3_with_workspace_as_object.json",
        ids: Some(&["lodash@4.17.21"]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "trivy/nodejs/npm/package-lock_v3_without_root_deps_field.json",
        ids: Some(&["debug@2.6.9", "ms@2.0.0"]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "trivy/nodejs/pnpm/pnpm-lock_archives.yaml",
        ids: Some(&[
            "asynckit@0.4.0",
            "debug@4.3.4",
            "is-negative@2.0.1",
            "lodash@4.17.21",
            "ms@2.1.2",
        ]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "trivy/nodejs/pnpm/pnpm-lock_many.yaml",
        ids: Some(&[
            "@babel/runtime@7.18.3",
            "@ungap/promise-all-settled@1.1.2",
            "ajv@6.12.6",
            "ansi-colors@4.1.1",
            "ansi-regex@5.0.1",
            "ansi-styles@4.3.0",
            "anymatch@3.1.2",
            "argparse@2.0.1",
            "asn1@0.2.6",
            "assert-plus@1.0.0",
            "asynckit@0.4.0",
            "aws-sign2@0.7.0",
            "aws4@1.11.0",
            "balanced-match@1.0.2",
            "bcrypt-pbkdf@1.0.2",
            "binary-extensions@2.2.0",
            "brace-expansion@1.1.11",
            "brace-expansion@2.0.1",
            "braces@3.0.2",
            "browser-stdout@1.3.1",
            "camelcase@6.3.0",
            "caseless@0.12.0",
            "chalk@4.1.2",
            "chalk@5.0.1",
            "chokidar@3.5.3",
            "cliui@7.0.4",
            "color-convert@2.0.1",
            "color-name@1.1.4",
            "combined-stream@1.0.8",
            "commander@9.3.0",
            "concat-map@0.0.1",
            "core-util-is@1.0.2",
            "dashdash@1.14.1",
            "debug@4.3.4",
            "decamelize@4.0.0",
            "delayed-stream@1.0.0",
            "diff@5.0.0",
            "ecc-jsbn@0.1.2",
            "emoji-regex@8.0.0",
            "escalade@3.1.1",
            "escape-string-regexp@4.0.0",
            "extend@3.0.2",
            "extsprintf@1.3.0",
            "fast-deep-equal@3.1.3",
            "fast-json-stable-stringify@2.1.0",
            "fill-range@7.0.1",
            "find-up@5.0.0",
            "flat@5.0.2",
            "forever-agent@0.6.1",
            "form-data@2.3.3",
            "fs.realpath@1.0.0",
            "fsevents@2.3.2",
            "get-caller-file@2.0.5",
            "getpass@0.1.7",
            "glob-parent@5.1.2",
            "glob@7.2.0",
            "har-schema@2.0.0",
            "har-validator@5.1.5",
            "has-flag@4.0.0",
            "he@1.2.0",
            "http-signature@1.2.0",
            "inflight@1.0.6",
            "inherits@2.0.4",
            "is-binary-path@2.1.0",
            "is-extglob@2.1.1",
            "is-fullwidth-code-point@3.0.0",
            "is-glob@4.0.3",
            "is-number@7.0.0",
            "is-plain-obj@2.1.0",
            "is-typedarray@1.0.0",
            "is-unicode-supported@0.1.0",
            "isstream@0.1.2",
            "js-tokens@4.0.0",
            "js-yaml@4.1.0",
            "jsbn@0.1.1",
            "json-schema-traverse@0.4.1",
            "json-schema@0.4.0",
            "json-stringify-safe@5.0.1",
            "jsprim@1.4.2",
            "locate-path@6.0.0",
            "lodash@4.17.21",
            "log-symbols@4.1.0",
            "loose-envify@1.4.0",
            "mime-db@1.52.0",
            "mime-types@2.1.35",
            "minimatch@3.1.2",
            "minimatch@5.0.1",
            "mocha@10.0.0",
            "ms@2.1.2",
            "ms@2.1.3",
            "nanoid@3.3.3",
            "normalize-path@3.0.0",
            "oauth-sign@0.9.0",
            "once@1.4.0",
            "p-limit@3.1.0",
            "p-locate@5.0.0",
            "path-exists@4.0.0",
            "path-is-absolute@1.0.1",
            "performance-now@2.1.0",
            "picomatch@2.3.1",
            "psl@1.8.0",
            "punycode@2.1.1",
            "qs@6.5.3",
            "randombytes@2.1.0",
            "react@18.1.0",
            "readdirp@3.6.0",
            "redux@4.2.0",
            "regenerator-runtime@0.13.9",
            "request@2.88.2",
            "require-directory@2.1.1",
            "safe-buffer@5.2.1",
            "safer-buffer@2.1.2",
            "serialize-javascript@6.0.0",
            "sshpk@1.17.0",
            "string-width@4.2.3",
            "strip-ansi@6.0.1",
            "strip-json-comments@3.1.1",
            "supports-color@7.2.0",
            "supports-color@8.1.1",
            "to-regex-range@5.0.1",
            "tough-cookie@2.5.0",
            "tunnel-agent@0.6.0",
            "tweetnacl@0.14.5",
            "uri-js@4.4.1",
            "uuid@3.4.0",
            "verror@1.10.0",
            "workerpool@6.2.1",
            "wrap-ansi@7.0.0",
            "wrappy@1.0.2",
            "y18n@5.0.8",
            "yargs-parser@20.2.4",
            "yargs-unparser@2.0.0",
            "yargs@16.2.0",
            "yocto-queue@0.1.0",
        ]),
        dev: &[
            "@ungap/promise-all-settled@1.1.2",
            "ansi-colors@4.1.1",
            "ansi-regex@5.0.1",
            "ansi-styles@4.3.0",
            "anymatch@3.1.2",
            "argparse@2.0.1",
            "balanced-match@1.0.2",
            "binary-extensions@2.2.0",
            "brace-expansion@1.1.11",
            "brace-expansion@2.0.1",
            "braces@3.0.2",
            "browser-stdout@1.3.1",
            "camelcase@6.3.0",
            "chalk@4.1.2",
            "chokidar@3.5.3",
            "cliui@7.0.4",
            "color-convert@2.0.1",
            "color-name@1.1.4",
            "concat-map@0.0.1",
            "debug@4.3.4",
            "decamelize@4.0.0",
            "diff@5.0.0",
            "emoji-regex@8.0.0",
            "escalade@3.1.1",
            "escape-string-regexp@4.0.0",
            "fill-range@7.0.1",
            "find-up@5.0.0",
            "flat@5.0.2",
            "fs.realpath@1.0.0",
            "fsevents@2.3.2",
            "get-caller-file@2.0.5",
            "glob-parent@5.1.2",
            "glob@7.2.0",
            "has-flag@4.0.0",
            "he@1.2.0",
            "inflight@1.0.6",
            "inherits@2.0.4",
            "is-binary-path@2.1.0",
            "is-extglob@2.1.1",
            "is-fullwidth-code-point@3.0.0",
            "is-glob@4.0.3",
            "is-number@7.0.0",
            "is-plain-obj@2.1.0",
            "is-unicode-supported@0.1.0",
            "js-yaml@4.1.0",
            "locate-path@6.0.0",
            "log-symbols@4.1.0",
            "minimatch@3.1.2",
            "minimatch@5.0.1",
            "mocha@10.0.0",
            "ms@2.1.2",
            "ms@2.1.3",
            "nanoid@3.3.3",
            "normalize-path@3.0.0",
            "once@1.4.0",
            "p-limit@3.1.0",
            "p-locate@5.0.0",
            "path-exists@4.0.0",
            "path-is-absolute@1.0.1",
            "picomatch@2.3.1",
            "randombytes@2.1.0",
            "readdirp@3.6.0",
            "require-directory@2.1.1",
            "serialize-javascript@6.0.0",
            "string-width@4.2.3",
            "strip-ansi@6.0.1",
            "strip-json-comments@3.1.1",
            "supports-color@7.2.0",
            "supports-color@8.1.1",
            "to-regex-range@5.0.1",
            "workerpool@6.2.1",
            "wrap-ansi@7.0.0",
            "wrappy@1.0.2",
            "y18n@5.0.8",
            "yargs-parser@20.2.4",
            "yargs-unparser@2.0.0",
            "yargs@16.2.0",
            "yocto-queue@0.1.0",
        ],
        package_manager: &[],
    },
    Expected {
        path: "trivy/nodejs/pnpm/pnpm-lock_normal.yaml",
        ids: Some(&["asap@2.0.6", "jquery@3.6.0", "promise@8.1.0"]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "trivy/nodejs/pnpm/pnpm-lock_v6.yaml",
        ids: Some(&["asap@2.0.6", "jquery@3.6.0", "promise@8.1.0"]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "trivy/nodejs/pnpm/pnpm-lock_v9.yaml",
        ids: Some(&[
            "@babel/helper-string-parser@7.24.1",
            "asap@2.0.6",
            "asynckit@0.4.0",
            "await-sleep@0.0.1",
            "debug@4.3.4",
            "debug@4.3.5",
            "ee-first@1.1.1",
            "encodeurl@1.0.2",
            "escape-html@1.0.3",
            "finalhandler@1.1.1",
            "is-negative@2.0.1",
            "jquery@3.6.0",
            "lodash@4.17.21",
            "ms@2.0.0",
            "ms@2.1.2",
            "on-finished@2.3.0",
            "parseurl@1.3.3",
            "promise@8.1.0",
            "sleep-utils@1.0.3",
            "statuses@1.4.0",
            "unpipe@1.0.0",
        ]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "trivy/nodejs/pnpm/pnpm-lock_v9_multi_version.yaml",
        ids: Some(&["is-number@6.0.0", "is-number@7.0.0"]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "trivy/nodejs/pnpm/pnpm-lock_v9_multiple_documents.yaml",
        ids: Some(&[
            "@pnpm/exe@11.9.0",
            "@pnpm/linux-arm64@11.9.0",
            "@pnpm/linux-x64@11.9.0",
            "@pnpm/linuxstatic-arm64@11.9.0",
            "@pnpm/linuxstatic-x64@11.9.0",
            "@pnpm/macos-arm64@11.9.0",
            "@pnpm/win-arm64@11.9.0",
            "@pnpm/win-x64@11.9.0",
            "@reflink/reflink-darwin-arm64@0.1.19",
            "@reflink/reflink-darwin-x64@0.1.19",
            "@reflink/reflink-linux-arm64-gnu@0.1.19",
            "@reflink/reflink-linux-arm64-musl@0.1.19",
            "@reflink/reflink-linux-x64-gnu@0.1.19",
            "@reflink/reflink-linux-x64-musl@0.1.19",
            "@reflink/reflink-win32-arm64-msvc@0.1.19",
            "@reflink/reflink-win32-x64-msvc@0.1.19",
            "@reflink/reflink@0.1.19",
            "detect-libc@2.1.2",
            "is-number@7.0.0",
            "pnpm@11.9.0",
        ]),
        dev: &[],
        package_manager: &[
            "@pnpm/exe@11.9.0",
            "@pnpm/linux-arm64@11.9.0",
            "@pnpm/linux-x64@11.9.0",
            "@pnpm/linuxstatic-arm64@11.9.0",
            "@pnpm/linuxstatic-x64@11.9.0",
            "@pnpm/macos-arm64@11.9.0",
            "@pnpm/win-arm64@11.9.0",
            "@pnpm/win-x64@11.9.0",
            "@reflink/reflink-darwin-arm64@0.1.19",
            "@reflink/reflink-darwin-x64@0.1.19",
            "@reflink/reflink-linux-arm64-gnu@0.1.19",
            "@reflink/reflink-linux-arm64-musl@0.1.19",
            "@reflink/reflink-linux-x64-gnu@0.1.19",
            "@reflink/reflink-linux-x64-musl@0.1.19",
            "@reflink/reflink-win32-arm64-msvc@0.1.19",
            "@reflink/reflink-win32-x64-msvc@0.1.19",
            "@reflink/reflink@0.1.19",
            "detect-libc@2.1.2",
            "pnpm@11.9.0",
        ],
    },
    Expected {
        path: "trivy/nodejs/pnpm/pnpm-lock_v9_same-vers-diff-peers.yaml",
        ids: Some(&[
            "jest-config@30.0.3",
            "jest-pnp-resolver@1.2.3",
            "jest-resolve@27.5.1",
            "jest-resolve@30.0.2",
            "jest-runner@27.5.1",
            "jest-runner@30.0.3",
        ]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "trivy/nodejs/yarn/yarn_happy.lock",
        ids: Some(&[
            "@babel/helper-regex@7.4.4",
            "ansi-regex@2.1.1",
            "ansi-regex@3.0.0",
            "asap@2.0.6",
            "inherits@2.0.3",
            "is-fullwidth-code-point@2.0.0",
            "jquery@3.4.1",
            "js-tokens@4.0.0",
            "lodash@4.17.11",
            "promise@8.0.3",
            "safe-buffer@5.1.2",
            "safer-buffer@2.1.2",
            "statuses@1.5.0",
            "string-width@2.1.1",
            "strip-ansi@3.0.1",
            "strip-ansi@4.0.0",
            "whatwg-fetch@3.0.0",
            "wide-align@1.1.3",
        ]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "trivy/nodejs/yarn/yarn_v2_happy.lock",
        ids: Some(&[
            "@types/color-name@1.1.1",
            "abbrev@1.1.1",
            "ansi-styles@3.2.1",
            "ansi-styles@4.2.1",
            "assert-plus@1.0.0",
            "async@3.2.0",
            "color-convert@1.9.3",
            "color-convert@2.0.1",
            "color-name@1.1.3",
            "color-name@1.1.4",
            "fsevents@2.1.3",
            "ipaddr.js@1.9.1",
            "js-tokens@4.0.0",
            "loose-envify@1.4.0",
            "node-gyp@7.1.0",
            "once@1.4.0",
            "wrappy@1.0.2",
        ]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "trivy/nodejs/yarn/yarn_with_git.lock",
        ids: Some(&["mapbox-gl-feature-drag-and-drop@1.1.1"]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "trivy/nodejs/yarn/yarn_with_local.lock",
        ids: Some(&["asap@2.0.6", "jquery@3.4.1", "promise@8.0.3"]),
        dev: &[],
        package_manager: &[],
    },
    Expected {
        path: "trivy/nodejs/yarn/yarn_with_npm.lock",
        ids: Some(&["jquery@3.6.0"]),
        dev: &[],
        package_manager: &[],
    },
];

#[test]
fn lockfile_fixtures() {
    for e in LOCKFILES {
        let scan = parse_lockfile(e.path, &fixture(e.path));
        assert_sorted(&scan);
        let Some(want) = e.ids else {
            assert!(scan.packages.is_empty(), "{}: {:?}", e.path, ids(&scan));
            assert_eq!(
                scan.diagnostics.len(),
                1,
                "{}: {:?}",
                e.path,
                scan.diagnostics
            );
            assert!(scan
                .diagnostics
                .iter()
                .all(|d| d.severity == stellaops_core::Severity::Error
                    && d.path.as_deref() == Some(e.path)));
            continue;
        };
        assert_eq!(scan.diagnostics, Vec::new(), "{}", e.path);
        assert_eq!(ids(&scan), set(want), "{}", e.path);
        assert_eq!(scan.packages.len(), want.len(), "{}", e.path);
        let dev: BTreeSet<String> = scan
            .packages
            .iter()
            .filter(|p| p.properties.get("npm:dev").map(String::as_str) == Some("true"))
            .map(id)
            .collect();
        assert_eq!(dev, set(e.dev), "{}: dev", e.path);
        let pm: BTreeSet<String> = scan
            .packages
            .iter()
            .filter(|p| p.properties.contains_key("npm:package-manager"))
            .map(id)
            .collect();
        assert_eq!(pm, set(e.package_manager), "{}: package manager", e.path);
        for p in &scan.packages {
            assert_eq!(p.ecosystem, LangEcosystem::Npm);
            assert_eq!(p.evidence, Evidence::Declared);
            assert_eq!(p.confidence, Confidence::High);
            assert_eq!(p.location, e.path);
            assert!(p.purl.starts_with("pkg:npm/"), "{}", p.purl);
        }
    }
}

#[test]
fn lockfile_counts() {
    // Counts per fixture, also checked above through the full lists.
    for (path, count) in [
        ("trivy/nodejs/npm/package-lock_v1.json", 31),
        ("trivy/nodejs/npm/package-lock_v2.json", 31),
        ("trivy/nodejs/pnpm/pnpm-lock_many.yaml", 134),
        ("trivy/nodejs/pnpm/pnpm-lock_v9.yaml", 21),
        ("trivy/nodejs/pnpm/pnpm-lock_v9_multiple_documents.yaml", 20),
        ("trivy/nodejs/yarn/yarn_happy.lock", 18),
        ("trivy/nodejs/yarn/yarn_v2_happy.lock", 17),
        ("syft/javascript/yarn-v1-deps/yarn.lock", 9),
        ("syft/javascript/pkg-lock/package-lock.json", 12),
    ] {
        assert_eq!(
            parse_lockfile(path, &fixture(path)).packages.len(),
            count,
            "{path}"
        );
    }
}

#[test]
fn every_node_fixture_is_covered() {
    let mut files = fixture_files("syft/javascript");
    files.extend(fixture_files("trivy/nodejs"));
    assert!(files.len() > 60);
    for f in files {
        let name = f.rsplit('/').next().unwrap_or(&f);
        let covered = LOCKFILES.iter().any(|e| e.path == f)
            || (name.ends_with(".json") && !name.contains("lock"))
            || name.starts_with("bun")
            || name == "deno.lock";
        assert!(covered, "{f} is not covered by a test");
        // Whatever it is, no parser panics on it.
        let bytes = fixture(&f);
        let _ = parse_lockfile(&f, &bytes);
        let _ = parse_installed_package_json(&f, &bytes);
    }
}

#[test]
fn unsupported_lockfiles() {
    for path in [
        "syft/javascript/bun-variable-tuples/bun.lock",
        "trivy/nodejs/bun/bun_happy.lock",
        "syft/javascript/deno/deno.lock",
        "syft/javascript/deno/corrupt/deno.lock",
    ] {
        let scan = parse_lockfile(path, &fixture(path));
        assert!(scan.packages.is_empty(), "{path}");
        assert_eq!(scan.diagnostics.len(), 1, "{path}");
        assert!(!is_node_lockfile(path));
    }
}

#[test]
fn lockfile_spot_checks() {
    let path = "syft/javascript/pkg-lock/package-lock-2.json";
    let scan = parse_lockfile(path, &fixture(path));
    let react = find(&scan, "@types/react@18.0.17");
    assert_eq!(react.namespace.as_deref(), Some("@types"));
    assert_eq!(react.name, "react");
    assert_eq!(react.purl, "pkg:npm/%40types/react@18.0.17");
    assert_eq!(react.licenses, vec![License::Expression("MIT".into())]);

    // Aliases: the installed name is the real package (v1 `npm:` versions, v2 `name`).
    for path in [
        "syft/javascript/pkg-lock/alias-package-lock-1.json",
        "syft/javascript/pkg-lock/alias-package-lock-2.json",
    ] {
        let scan = parse_lockfile(path, &fixture(path));
        let chai = find(&scan, "@bundled-es-modules/chai@4.2.2");
        assert_eq!(chai.purl, "pkg:npm/%40bundled-es-modules/chai@4.2.2");
    }

    // License arrays: strings and `{type}` objects, each classified on its own.
    let path = "trivy/nodejs/npm/package-lock_v3_with_legacy_licenses.json";
    let scan = parse_lockfile(path, &fixture(path));
    assert_eq!(
        find(&scan, "tv4@1.3.0").licenses,
        vec![
            License::Named("Public Domain".into()),
            License::Expression("MIT".into())
        ]
    );
    assert_eq!(
        find(&scan, "pause-stream@0.0.11").licenses,
        vec![
            License::Expression("MIT".into()),
            License::Named("Apache2".into())
        ]
    );

    // Same package dev in one place and not in another: not dev.
    let path = "trivy/nodejs/npm/package-lock_v3_with-same-dev-and-non-dev.json";
    let scan = parse_lockfile(path, &fixture(path));
    assert!(find(&scan, "minimist@0.0.8").properties.is_empty());
    assert_eq!(
        find(&scan, "fsevents@1.2.9")
            .properties
            .get("npm:dev")
            .map(String::as_str),
        Some("true")
    );

    // pnpm: v5 scoped keys with peer suffixes, v6 tarball entries named by fields.
    let path = "trivy/nodejs/pnpm/pnpm-lock_many.yaml";
    let scan = parse_lockfile(path, &fixture(path));
    assert_eq!(
        find(&scan, "@babel/runtime@7.18.3").purl,
        "pkg:npm/%40babel/runtime@7.18.3"
    );
    let path = "trivy/nodejs/pnpm/pnpm-lock_archives.yaml";
    let scan = parse_lockfile(path, &fixture(path));
    assert_eq!(
        find(&scan, "is-negative@2.0.1").purl,
        "pkg:npm/is-negative@2.0.1"
    );

    // yarn: multi-spec headers, scoped names, berry patch entries.
    let path = "syft/javascript/yarn/yarn.lock";
    let scan = parse_lockfile(path, &fixture(path));
    assert_eq!(
        find(&scan, "@babel/code-frame@7.10.4").purl,
        "pkg:npm/%40babel/code-frame@7.10.4"
    );
    let path = "trivy/nodejs/yarn/yarn_v2_happy.lock";
    let scan = parse_lockfile(path, &fixture(path));
    assert_eq!(find(&scan, "fsevents@2.1.3").purl, "pkg:npm/fsevents@2.1.3");
    assert!(!ids(&scan).iter().any(|i| i.starts_with("code@")));
}

#[test]
fn yarn_aliases_and_local_entries() {
    let v1 = "# yarn lockfile v1\n\n\"string-width-cjs@npm:string-width@^4.2.0\":\n  \
              version \"4.2.3\"\n\n\"local@file:./local\":\n  version \"1.0.0\"\n\n\
              \"ws@link:../ws\":\n  version \"0.0.0\"\n\n\"@scope/a@^1\", \"@scope/a@^1.1\":\n  \
              version \"1.1.0\"\n  dependencies:\n    b \"^2\"\n\nnot a header\n";
    let scan = parse_lockfile("yarn.lock", v1.as_bytes());
    assert_eq!(ids(&scan), set(&["@scope/a@1.1.0", "string-width@4.2.3"]));
    assert_eq!(scan.diagnostics.len(), 1, "{:?}", scan.diagnostics);

    let berry = "__metadata:\n  version: 6\n\n\"string-width-cjs@npm:string-width@^4.2.0\":\n  \
                 version: 4.2.3\n  resolution: \"string-width@npm:4.2.3\"\n\n\
                 \"app@workspace:.\":\n  version: 0.0.0-use.local\n  resolution: \"app@workspace:.\"\n\n\
                 \"lib@portal:../lib::locator=app%40workspace%3A.\":\n  version: 0.0.0-use.local\n  \
                 resolution: \"lib@portal:../lib::locator=app%40workspace%3A.\"\n  linkType: soft\n";
    let scan = parse_lockfile("yarn.lock", berry.as_bytes());
    assert_eq!(ids(&scan), set(&["string-width@4.2.3"]));
    assert!(scan.diagnostics.is_empty());
}

#[test]
fn package_lock_edge_cases() {
    let lock = br#"{"lockfileVersion": 3, "packages": {
        "": {"name": "root", "version": "1.0.0"},
        "packages/app": {"name": "app", "version": "2.0.0"},
        "node_modules/app": {"resolved": "packages/app", "link": true},
        "node_modules/a": {"version": "1.0.0", "license": {"type": "MIT"}},
        "node_modules/b/node_modules/a": {"version": "1.0.0", "dev": true},
        "node_modules/nover": {},
        "node_modules/weird": "not an object"
    }}"#;
    let scan = parse_lockfile("package-lock.json", lock);
    assert_eq!(ids(&scan), set(&["a@1.0.0"]));
    assert_eq!(
        find(&scan, "a@1.0.0").licenses,
        vec![License::Expression("MIT".into())]
    );
    assert!(find(&scan, "a@1.0.0").properties.is_empty());

    let v1 = br#"{"lockfileVersion": 1, "dependencies": {
        "local": {"version": "file:../local", "dependencies": {"inner": {"version": "1.0.0"}}},
        "gitdep": {"version": "git+https://github.com/x/y.git#abc"}
    }}"#;
    let scan = parse_lockfile("npm-shrinkwrap.json", v1);
    assert_eq!(
        ids(&scan),
        set(&["gitdep@git+https://github.com/x/y.git#abc", "inner@1.0.0"])
    );

    for bad in [&b""[..], b"[]", b"{", b"\xff\xfe", b"null"] {
        let scan = parse_lockfile("package-lock.json", bad);
        assert!(scan.packages.is_empty());
        assert_eq!(scan.diagnostics.len(), 1, "{bad:?}");
    }
    // Valid JSON without packages: nothing, silently.
    assert_eq!(
        parse_lockfile("package-lock.json", b"{}"),
        LangScan::default()
    );

    // Deep v1 nesting is cut off with a warning, not a stack overflow.
    let mut deep = String::from(r#"{"dependencies":"#);
    for i in 0..60 {
        deep.push_str(&format!(
            r#"{{"p{i}":{{"version":"1.0.{i}","dependencies":"#
        ));
    }
    deep.push_str("{}");
    for _ in 0..60 {
        deep.push_str("}}");
    }
    deep.push('}');
    let scan = parse_lockfile("package-lock.json", deep.as_bytes());
    assert_eq!(scan.packages.len(), 60, "{:?}", scan.diagnostics);
    let deeper = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let scan = parse_lockfile("package-lock.json", deeper.as_bytes());
    assert_eq!(scan.diagnostics.len(), 1);
}

#[test]
fn pnpm_edge_cases() {
    let v9 = "lockfileVersion: '9.0'\n\nimporters:\n  .:\n    dependencies:\n      a:\n        \
              specifier: ^1\n        version: 1.0.0\n\npackages:\n  a@1.0.0:\n    resolution: \
              {integrity: sha512-x}\n  local@file:pkgs/local:\n    resolution: {directory: \
              pkgs/local, type: directory}\n    version: 0.1.0\n\nsnapshots:\n  a@1.0.0: {}\n  \
              only-snap@2.0.0(peer@1.0.0): {}\n  local@file:pkgs/local: {}\n";
    let scan = parse_lockfile("pnpm-lock.yaml", v9.as_bytes());
    assert_eq!(ids(&scan), set(&["a@1.0.0", "only-snap@2.0.0"]));
    assert!(scan.diagnostics.is_empty());

    let no_version = "packages:\n  /a/1.0.0: {}\n";
    let scan = parse_lockfile("pnpm-lock.yaml", no_version.as_bytes());
    assert!(scan.packages.is_empty());
    assert_eq!(scan.diagnostics.len(), 1);

    assert_eq!(parse_lockfile("pnpm-lock.yaml", b""), LangScan::default());
}

#[test]
fn installed_package_json_fixtures() {
    let artistic = || vec![License::Expression("Artistic-2.0".into())];
    let mit = || vec![License::Expression("MIT".into())];
    /// (fixture, expected `name@version` and licenses; `None`: no package).
    type Case = (&'static str, Option<(&'static str, Vec<License>)>);
    let cases: Vec<Case> = vec![
        (
            "syft/javascript/pkg-json/package-all-author-fields.json",
            Some(("npm@6.14.6", artistic())),
        ),
        (
            "syft/javascript/pkg-json/package-author-non-standard.json",
            Some(("npm@6.14.6", artistic())),
        ),
        (
            "syft/javascript/pkg-json/package-authors-array.json",
            Some(("npm@6.14.6", artistic())),
        ),
        (
            "syft/javascript/pkg-json/package-authors-objects.json",
            Some(("npm@6.14.6", artistic())),
        ),
        (
            "syft/javascript/pkg-json/package-authors-string.json",
            Some(("npm@6.14.6", artistic())),
        ),
        (
            "syft/javascript/pkg-json/package-both-author-and-authors.json",
            Some(("npm@6.14.6", artistic())),
        ),
        (
            "syft/javascript/pkg-json/package-contributors-string.json",
            Some(("ghost@5.98.1", artistic())),
        ),
        (
            "syft/javascript/pkg-json/package-contributors.json",
            Some(("npm@6.14.6", artistic())),
        ),
        (
            "syft/javascript/pkg-json/package-license-object.json",
            Some(("npm@6.14.6", vec![License::Expression("ISC".into())])),
        ),
        (
            "syft/javascript/pkg-json/package-license-objects.json",
            Some((
                "npm@6.14.6",
                vec![
                    License::Expression("MIT".into()),
                    License::Expression("Apache-2.0".into()),
                ],
            )),
        ),
        (
            "syft/javascript/pkg-json/package-maintainers-object.json",
            Some(("npm@6.14.6", artistic())),
        ),
        (
            "syft/javascript/pkg-json/package-maintainers.json",
            Some(("npm@6.14.6", artistic())),
        ),
        (
            "syft/javascript/pkg-json/package-malformed-license.json",
            Some(("npm@6.14.6", mit())),
        ),
        (
            "syft/javascript/pkg-json/package-nested-author.json",
            Some(("npm@6.14.6", artistic())),
        ),
        (
            "syft/javascript/pkg-json/package-no-license.json",
            Some(("npm@6.14.6", vec![])),
        ),
        ("syft/javascript/pkg-json/package-partial.json", None),
        (
            "syft/javascript/pkg-json/package-private.json",
            Some(("npm@6.14.6", artistic())),
        ),
        (
            "syft/javascript/pkg-json/package-repo-string.json",
            Some(("function-bind@1.1.1", mit())),
        ),
        (
            "syft/javascript/pkg-json/package.json",
            Some(("npm@6.14.6", artistic())),
        ),
        (
            "syft/javascript/pkg-lock/node_modules/@actions/core/package.json",
            Some(("@actions/core@1.6.0", mit())),
        ),
        (
            "syft/javascript/pkg-lock/node_modules/cowsay/package.json",
            Some(("cowsay@1.4.0", mit())),
        ),
        (
            "syft/javascript/yarn-dev-deps/package.json",
            Some(("test-project@1.0.0", vec![])),
        ),
        (
            "syft/javascript/yarn-berry-dev-deps/package.json",
            Some(("test-project@1.0.0", vec![])),
        ),
        (
            "trivy/nodejs/packagejson/invalid_license_package.json",
            Some(("weird-license@1.0.0", vec![])),
        ),
        (
            "trivy/nodejs/packagejson/legacy_array_package.json",
            Some((
                "tv4@1.3.0",
                vec![
                    License::Named("Public Domain".into()),
                    License::Expression("MIT".into()),
                ],
            )),
        ),
        (
            "trivy/nodejs/packagejson/legacy_package.json",
            Some(("angular@4.1.2", vec![License::Expression("ISC".into())])),
        ),
        (
            "trivy/nodejs/packagejson/null_license_package.json",
            Some(("null-license@1.0.0", vec![])),
        ),
        (
            "trivy/nodejs/packagejson/package.json",
            Some(("bootstrap@5.0.2", mit())),
        ),
        (
            "trivy/nodejs/packagejson/unknown_license_object_package.json",
            Some(("unknown-license-object@1.0.0", vec![])),
        ),
        (
            "trivy/nodejs/packagejson/without_name_and_version_package.json",
            None,
        ),
        (
            "trivy/nodejs/packagejson/without_version_package.json",
            None,
        ),
    ];
    for (path, want) in &cases {
        let scan = parse_installed_package_json(path, &fixture(path));
        assert!(
            scan.diagnostics.is_empty(),
            "{path}: {:?}",
            scan.diagnostics
        );
        match want {
            None => assert!(scan.packages.is_empty(), "{path}"),
            Some((wanted, licenses)) => {
                assert_eq!(scan.packages.len(), 1, "{path}");
                let p = find(&scan, wanted);
                assert_eq!(&p.licenses, licenses, "{path}");
                assert_eq!(p.evidence, Evidence::Installed);
                assert_eq!(p.location, *path);
            }
        }
    }
    let core = parse_installed_package_json(
        "usr/lib/node_modules/@actions/core/package.json",
        &fixture("syft/javascript/pkg-lock/node_modules/@actions/core/package.json"),
    );
    assert_eq!(
        core.packages.first().map(|p| p.purl.as_str()),
        Some("pkg:npm/%40actions/core@1.6.0")
    );
    // Every package.json fixture is in the table (or corrupt, below).
    let mut files = fixture_files("syft/javascript");
    files.extend(fixture_files("trivy/nodejs"));
    for f in files {
        if f.ends_with(".json") && !f.rsplit('/').next().unwrap_or("").contains("lock") {
            let corrupt = f.contains("corrupt") || f.contains("invalid_package");
            assert!(
                corrupt || cases.iter().any(|(p, _)| *p == f),
                "{f} not covered"
            );
        }
    }
}

#[test]
fn malformed_package_json() {
    for path in [
        "syft/javascript/corrupt/package.json",
        "trivy/nodejs/packagejson/invalid_package.json",
    ] {
        let scan = parse_installed_package_json(path, &fixture(path));
        assert!(scan.packages.is_empty());
        assert_eq!(scan.diagnostics.len(), 1, "{path}");
        assert_eq!(
            scan.diagnostics.first().and_then(|d| d.path.as_deref()),
            Some(path)
        );
    }
    let p = "node_modules/x/package.json";
    for bad in [
        &b""[..],
        b"   ",
        b"{\"name\": \"x\", \"version\": \"1\xff\"}",
    ] {
        let scan = parse_installed_package_json(p, bad);
        assert!(scan.packages.is_empty());
        assert_eq!(scan.diagnostics.len(), 1, "{bad:?}");
    }
    // Valid JSON that is not a manifest: nothing, silently.
    for quiet in [
        &b"[]"[..],
        b"\"x\"",
        b"{\"name\": 1, \"version\": \"1\"}",
        b"{\"name\": \"x\", \"version\": \"\"}",
    ] {
        assert_eq!(parse_installed_package_json(p, quiet), LangScan::default());
    }
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(
        parse_installed_package_json(p, deep.as_bytes())
            .diagnostics
            .len(),
        1
    );
}

#[test]
fn huge_package_json() {
    let mut json =
        String::from(r#"{"name": "@big/pkg", "version": "1.2.3", "license": "MIT", "files": ["#);
    while json.len() < 5 * 1024 * 1024 {
        json.push_str(r#""lib/some/deeply/nested/file/name.js","#);
    }
    json.push_str(r#""last"], "description": ""#);
    json.push_str(&"x".repeat(100_000));
    json.push_str(r#""}"#);
    assert!(json.len() > 5 * 1024 * 1024);
    let scan = parse_installed_package_json("node_modules/@big/pkg/package.json", json.as_bytes());
    assert!(scan.diagnostics.is_empty());
    assert_eq!(ids(&scan), set(&["@big/pkg@1.2.3"]));
    assert_eq!(
        scan.packages.first().map(|p| p.purl.as_str()),
        Some("pkg:npm/%40big/pkg@1.2.3")
    );
}

#[test]
fn garbage_never_panics() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let inputs: Vec<(&str, Vec<u8>)> = LOCKFILES
        .iter()
        .map(|e| (e.path, fixture(e.path)))
        .collect();
    for (path, bytes) in &inputs {
        for _ in 0..40 {
            let mut b = bytes.clone();
            let len = b.len().max(1);
            let cut = usize::try_from(next() % len as u64).unwrap_or(0);
            b.truncate(cut.max(1));
            for _ in 0..4 {
                let at = usize::try_from(next() % len as u64).unwrap_or(0);
                if let Some(x) = b.get_mut(at) {
                    *x = (next() & 0xff) as u8;
                }
            }
            let _ = parse_lockfile(path, &b);
            let _ = parse_installed_package_json(path, &b);
        }
    }
    for name in ["yarn.lock", "pnpm-lock.yaml", "package-lock.json"] {
        for _ in 0..200 {
            let len = usize::try_from(next() % 300).unwrap_or(0);
            let b: Vec<u8> = (0..len)
                .map(|_| b" :-\n\"'{}[],#@/abc|>&*!\t"[usize::try_from(next() % 23).unwrap_or(0)])
                .collect();
            let _ = parse_lockfile(name, &b);
        }
    }
}

#[test]
fn path_predicates() {
    for yes in [
        "usr/lib/node_modules/npm/package.json",
        "/app/node_modules/@babel/core/package.json",
        "app/node_modules/.pnpm/react@18.2.0/node_modules/react/package.json",
        "node_modules/a/node_modules/b/package.json",
        "node_modules/x/package.json",
    ] {
        assert!(is_installed_package_json(yes), "{yes}");
    }
    for no in [
        "app/package.json",
        "package.json",
        "node_modules/package.json",
        "node_modules/@babel/package.json",
        "node_modules/.bin/package.json",
        "node_modules/x/lib/package.json",
        "node_modules/@/x/package.json",
        "node_modules/x/package.json.bak",
        "node_modules/x/package-lock.json",
    ] {
        assert!(!is_installed_package_json(no), "{no}");
    }
    for yes in [
        "app/package-lock.json",
        "npm-shrinkwrap.json",
        "/src/yarn.lock",
        "pnpm-lock.yaml",
    ] {
        assert!(is_node_lockfile(yes), "{yes}");
    }
    for no in [
        "bun.lock",
        "package.json",
        "yarn.lock.bak",
        "node_modules/.package-lock.json",
    ] {
        assert!(!is_node_lockfile(no), "{no}");
    }
}
