//! Python tests: data-driven over `shared/fixtures/lang-packages` (syft and trivy test data,
//! see its PROVENANCE.md) plus edge cases. Expected values were computed independently of
//! these parsers (Python: `email.parser`, `csv`, `posixpath`, `tomllib`, `json` and pip's
//! vendored `packaging` requirement parser), not by running them. Lockfile expectations are
//! `pep503-name@version`.

use std::collections::BTreeSet;

use stellaops_core::{License, Severity};

use super::*;

/// Test-only: reads a shared fixture (the library itself never touches the file system).
fn fixture(rel: &str) -> Vec<u8> {
    stellaops_testkit::fixture(&format!("lang-packages/{rel}"))
}

/// Test-only: every file under a fixture directory, relative to `lang-packages/`.
fn fixture_files(dir: &str) -> Vec<String> {
    stellaops_testkit::fixture_tree("lang-packages", dir)
}

fn norm_ids(scan: &LangScan) -> BTreeSet<String> {
    scan.packages
        .iter()
        .map(|p| format!("{}@{}", pep503(&p.name), p.version))
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn named(v: &str) -> License {
    License::Named(v.into())
}

fn expr(v: &str) -> License {
    License::Expression(v.into())
}

struct Expected {
    path: &'static str,
    ids: &'static [&'static str],
    dev: &'static [&'static str],
}

const LOCKFILES: &[Expected] = &[
    Expected {
        path: "syft/python/pipfile-lock/Pipfile.lock",
        ids: &[
            "aio-pika@6.8.0",
            "aiodns@2.0.0",
            "aiohttp-jinja2@1.4.2",
            "aiohttp@3.7.4.post0",
            "astroid@2.5.2",
            "autopep8@1.5.6",
        ],
        dev: &["astroid@2.5.2", "autopep8@1.5.6"],
    },
    Expected {
        path: "syft/python/poetry/case-sensitivity/poetry.lock",
        ids: &[
            "dj-rest-auth@7.0.1",
            "django@5.2.6",
            "djangorestframework@3.16.1",
        ],
        dev: &[],
    },
    Expected {
        path: "syft/python/poetry/conflicting-with-extras/poetry.lock",
        ids: &[
            "anyio@4.3.0",
            "brotli@1.1.0",
            "brotlicffi@1.1.0.0",
            "certifi@2024.2.2",
            "cffi@1.16.0",
            "click@7.1.2",
            "colorama@0.4.6",
            "h11@0.14.0",
            "h2@4.1.0",
            "hpack@4.0.0",
            "httpcore@1.0.5",
            "httpx@0.27.0",
            "hyperframe@6.0.1",
            "idna@3.7",
            "pprintpp@0.4.0",
            "pycparser@2.22",
            "pygments@1.6",
            "rich@0.3.3",
            "sniffio@1.3.1",
            "socksio@1.0.0",
            "typing-extensions@3.10.0.2",
        ],
        dev: &[],
    },
    Expected {
        path: "syft/python/poetry/multiple-extras/poetry.lock",
        ids: &[
            "anyio@4.3.0",
            "brotli@1.1.0",
            "brotlicffi@1.1.0.0",
            "certifi@2024.2.2",
            "cffi@1.16.0",
            "h11@0.14.0",
            "h2@4.1.0",
            "hpack@4.0.0",
            "httpcore@1.0.5",
            "httpx@0.27.0",
            "hyperframe@6.0.1",
            "idna@3.7",
            "pycparser@2.22",
            "sniffio@1.3.1",
            "socksio@1.0.0",
        ],
        dev: &[],
    },
    Expected {
        path: "syft/python/poetry/simple-deps/poetry.lock",
        ids: &[
            "certifi@2024.2.2",
            "charset-normalizer@3.3.2",
            "idna@3.7",
            "requests@2.32.2",
            "urllib3@2.2.1",
        ],
        dev: &[],
    },
    Expected {
        path: "syft/python/requires/requirements.txt",
        ids: &[
            "argh@0.26.2",
            "argh@0.26.3",
            "celery@4.4.7",
            "dots-allowed@1.0.0",
            "flask@4.0.0",
            "foo@1.0.0",
            "friendly-bard@1.0.0",
            "githubsampleproject@3.7.1",
            "local-version@1.2.3+gcr.2",
            "someproject@5.4",
            "urllib3@1.26.20",
        ],
        dev: &[],
    },
    Expected {
        path: "syft/python/uv/conflicting-with-extras/uv.lock",
        ids: &[
            "anyio@4.6.2.post1",
            "brotli@1.1.0",
            "brotlicffi@1.1.0.0",
            "certifi@2025.1.31",
            "cffi@1.17.1",
            "click@7.1.2",
            "colorama@0.4.6",
            "h11@0.14.0",
            "h2@4.2.0",
            "hpack@4.1.0",
            "httpcore@1.0.7",
            "httpx@0.28.1",
            "hyperframe@6.1.0",
            "idna@3.10",
            "pprintpp@0.4.0",
            "pycparser@2.22",
            "pygments@1.6",
            "rich@0.3.3",
            "sniffio@1.3.1",
            "socksio@1.0.0",
            "typing-extensions@3.10.0.2",
        ],
        dev: &[],
    },
    Expected {
        path: "syft/python/uv/multiple-extras/uv.lock",
        ids: &[
            "anyio@4.9.0",
            "brotli@1.1.0",
            "brotlicffi@1.1.0.0",
            "certifi@2025.1.31",
            "cffi@1.17.1",
            "h11@0.14.0",
            "h2@4.2.0",
            "hpack@4.1.0",
            "httpcore@1.0.7",
            "httpx@0.28.1",
            "hyperframe@6.1.0",
            "idna@3.10",
            "pycparser@2.22",
            "sniffio@1.3.1",
            "socksio@1.0.0",
            "typing-extensions@4.13.0",
        ],
        dev: &[],
    },
    Expected {
        path: "syft/python/uv/nested-extras/uv.lock",
        ids: &[
            "annotated-types@0.7.0",
            "anyio@4.9.0",
            "certifi@2025.1.31",
            "click@8.1.8",
            "colorama@0.4.6",
            "dnspython@2.7.0",
            "email-validator@2.2.0",
            "fastapi-cli@0.0.7",
            "fastapi@0.111.1",
            "h11@0.14.0",
            "httpcore@1.0.7",
            "httptools@0.6.4",
            "httpx@0.28.1",
            "idna@3.10",
            "itsdangerous@2.2.0",
            "jinja2@3.1.6",
            "markdown-it-py@3.0.0",
            "markupsafe@3.0.2",
            "mdurl@0.1.2",
            "orjson@3.10.16",
            "pydantic-core@2.33.0",
            "pydantic-extra-types@2.10.3",
            "pydantic-settings@2.8.1",
            "pydantic@2.11.0",
            "pygments@2.19.1",
            "python-dotenv@1.1.0",
            "python-multipart@0.0.20",
            "pyyaml@6.0.2",
            "rich-toolkit@0.14.0",
            "rich@13.9.4",
            "shellingham@1.5.4",
            "sniffio@1.3.1",
            "starlette@0.37.2",
            "typer@0.15.2",
            "typing-extensions@4.13.0",
            "typing-inspection@0.4.0",
            "ujson@5.10.0",
            "uvicorn@0.34.0",
            "uvloop@0.21.0",
            "watchfiles@1.0.4",
            "websockets@15.0.1",
        ],
        dev: &[],
    },
    Expected {
        path: "trivy/python/pip/requirement_exstras.txt",
        ids: &["celery@4.4.7", "pyjwt@2.1.0"],
        dev: &[],
    },
    Expected {
        path: "trivy/python/pip/requirements_comments.txt",
        ids: &[
            "click@8.0.0",
            "flask@2.0.0",
            "jinja2@3.0.0",
            "markupsafe@2.0.0",
        ],
        dev: &[],
    },
    Expected {
        path: "trivy/python/pip/requirements_compatible.txt",
        ids: &[],
        dev: &[],
    },
    Expected {
        path: "trivy/python/pip/requirements_flask.txt",
        ids: &[
            "click@8.0.0",
            "flask@2.0.0",
            "itsdangerous@2.0.0",
            "jinja2@3.0.0",
            "markupsafe@2.0.0",
            "werkzeug@2.0.0",
        ],
        dev: &[],
    },
    Expected {
        path: "trivy/python/pip/requirements_operator.txt",
        ids: &["django@2.3.4", "someproject@5.4"],
        dev: &[],
    },
    Expected {
        path: "trivy/python/pip/requirements_utf16le.txt",
        ids: &["attrs@20.3.0"],
        dev: &[],
    },
    Expected {
        path: "trivy/python/pip/requirements_with_templating_engine.txt",
        ids: &[],
        dev: &[],
    },
    Expected {
        path: "trivy/python/pipenv/Pipfile_django.lock",
        ids: &[
            "certifi@2019.3.9",
            "chardet@3.0.4",
            "django@2.2",
            "djangorestframework@3.9.3",
            "idna@2.8",
            "pytz@2019.1",
            "pyyaml@5.1",
            "requests@2.21.0",
            "sqlparse@0.3.0",
            "urllib3@1.24.2",
        ],
        dev: &[],
    },
    Expected {
        path: "trivy/python/pipenv/Pipfile_many.lock",
        ids: &[
            "awscli@1.16.147",
            "botocore@1.12.137",
            "certifi@2019.3.9",
            "chardet@3.0.4",
            "colorama@0.3.9",
            "django@2.2",
            "djangorestframework@3.9.3",
            "docutils@0.14",
            "framework@0.1.0",
            "idna@2.8",
            "jinja2@2.10.1",
            "jmespath@0.9.4",
            "markupsafe@1.1.1",
            "pyasn1@0.4.5",
            "python-dateutil@2.8.0",
            "pytz@2019.1",
            "pyyaml@3.13",
            "requests@2.21.0",
            "rsa@3.4.2",
            "s3transfer@0.2.0",
            "simplejson@3.16.0",
            "six@1.12.0",
            "sqlparse@0.3.0",
            "urllib3@1.24.2",
        ],
        dev: &[],
    },
    Expected {
        path: "trivy/python/pipenv/Pipfile_normal.lock",
        ids: &[
            "certifi@2019.3.9",
            "chardet@3.0.4",
            "idna@2.8",
            "pyyaml@5.1",
            "requests@2.21.0",
            "urllib3@1.24.2",
        ],
        dev: &[],
    },
    Expected {
        path: "trivy/python/poetry/poetry_flask.lock",
        ids: &[
            "atomicwrites@1.4.1",
            "attrs@25.1.0",
            "click@8.1.8",
            "colorama@0.4.6",
            "flask@1.0.3",
            "itsdangerous@2.2.0",
            "jinja2@3.1.5",
            "markupsafe@3.0.2",
            "more-itertools@10.6.0",
            "packaging@24.2",
            "pluggy@0.13.1",
            "py@1.11.0",
            "pytest@5.4.3",
            "wcwidth@0.2.13",
            "werkzeug@3.1.3",
        ],
        dev: &[
            "atomicwrites@1.4.1",
            "attrs@25.1.0",
            "more-itertools@10.6.0",
            "packaging@24.2",
            "py@1.11.0",
            "pytest@5.4.3",
            "wcwidth@0.2.13",
        ],
    },
    Expected {
        path: "trivy/python/poetry/poetry_v2_flask.lock",
        ids: &[
            "atomicwrites@1.4.1",
            "attrs@25.1.0",
            "click@8.1.8",
            "colorama@0.4.6",
            "flask@1.0.3",
            "itsdangerous@2.2.0",
            "jinja2@3.1.5",
            "markupsafe@3.0.2",
            "more-itertools@10.6.0",
            "packaging@24.2",
            "pluggy@0.13.1",
            "py@1.11.0",
            "pytest@5.4.3",
            "wcwidth@0.2.13",
            "werkzeug@3.1.3",
        ],
        dev: &[],
    },
    Expected {
        path: "trivy/python/pylock/pylock.toml",
        ids: &[
            "attrs@25.4.0",
            "certifi@2025.10.5",
            "charset-normalizer@3.4.3",
            "ham@3.0.0",
            "idna@3.10",
            "requests@2.32.5",
            "spam@1.0.0",
            "spam@1.1.0",
            "urllib3@2.5.0",
        ],
        dev: &[],
    },
    Expected {
        path: "trivy/python/uv/uv_multiple_roots.lock",
        ids: &["asyncio@3.4.3"],
        dev: &[],
    },
    Expected {
        path: "trivy/python/uv/uv_normal.lock",
        ids: &[
            "anyio@4.7.0",
            "certifi@2024.12.14",
            "charset-normalizer@3.4.0",
            "colorama@0.4.6",
            "exceptiongroup@1.2.2",
            "h11@0.14.0",
            "httpcore@1.0.7",
            "httpx@0.28.1",
            "idna@3.10",
            "iniconfig@2.0.0",
            "orjson@3.10.12",
            "packaging@24.2",
            "pluggy@1.5.0",
            "pytest@8.3.4",
            "requests@2.32.0",
            "sniffio@1.3.1",
            "socksio@1.0.0",
            "tomli@2.2.1",
            "typing-extensions@4.12.2",
            "urllib3@2.2.3",
        ],
        dev: &[],
    },
    Expected {
        path: "trivy/python/uv/uv_without_root.lock",
        ids: &["asyncio@3.4.3"],
        dev: &[],
    },
];

#[test]
fn lockfile_fixtures() {
    for e in LOCKFILES {
        let scan = parse_lockfile(e.path, &fixture(e.path));
        assert_eq!(scan.diagnostics, Vec::new(), "{}", e.path);
        assert_eq!(norm_ids(&scan), set(e.ids), "{}", e.path);
        assert_eq!(scan.packages.len(), e.ids.len(), "{}", e.path);
        let dev: BTreeSet<String> = scan
            .packages
            .iter()
            .filter(|p| p.properties.get("python:dev").map(String::as_str) == Some("true"))
            .map(|p| format!("{}@{}", pep503(&p.name), p.version))
            .collect();
        assert_eq!(dev, set(e.dev), "{}: dev", e.path);
        let keys: Vec<(String, String)> = scan
            .packages
            .iter()
            .map(|p| (pep503(&p.name), p.version.clone()))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(keys, sorted, "{}: sorted and unique", e.path);
        for p in &scan.packages {
            assert_eq!(p.ecosystem, LangEcosystem::Pypi);
            assert_eq!(p.evidence, Evidence::Declared);
            assert_eq!(p.location, e.path);
            let prefix = format!("pkg:pypi/{}@", pep503(&p.name));
            assert!(p.purl.starts_with(&prefix), "{}", p.purl);
        }
    }
}

#[test]
fn lockfile_counts() {
    for (path, count) in [
        ("syft/python/requires/requirements.txt", 11),
        ("syft/python/pipfile-lock/Pipfile.lock", 6),
        ("syft/python/poetry/conflicting-with-extras/poetry.lock", 21),
        ("syft/python/uv/nested-extras/uv.lock", 41),
        ("trivy/python/uv/uv_normal.lock", 20),
        ("trivy/python/uv/uv_multiple_roots.lock", 1),
        ("trivy/python/pipenv/Pipfile_many.lock", 24),
        ("trivy/python/poetry/poetry_v2_flask.lock", 15),
        ("trivy/python/pylock/pylock.toml", 9),
        ("trivy/python/pip/requirements_compatible.txt", 0),
        ("trivy/python/pip/requirements_utf16le.txt", 1),
    ] {
        assert_eq!(
            parse_lockfile(path, &fixture(path)).packages.len(),
            count,
            "{path}"
        );
    }
}

#[test]
fn lockfile_spot_checks() {
    let path = "syft/python/requires/requirements.txt";
    let scan = parse_lockfile(path, &fixture(path));
    let bard = scan.packages.iter().find(|p| p.name == "FrIeNdLy-_-bArD");
    assert_eq!(
        bard.map(|p| p.purl.as_str()),
        Some("pkg:pypi/friendly-bard@1.0.0")
    );
    let local = scan.packages.iter().find(|p| p.name == "local-version");
    assert_eq!(
        local.map(|p| p.purl.as_str()),
        Some("pkg:pypi/local-version@1.2.3%2Bgcr.2")
    );
    // The templating fixture has no valid pin (`foo=='invalid-version'` is not a version).
    let path = "trivy/python/pip/requirements_with_templating_engine.txt";
    assert_eq!(parse_lockfile(path, &fixture(path)), LangScan::default());
    // UTF-16 with a BOM.
    let path = "trivy/python/pip/requirements_utf16le.txt";
    let scan = parse_lockfile(path, &fixture(path));
    assert_eq!(
        scan.packages.first().map(|p| p.purl.as_str()),
        Some("pkg:pypi/attrs@20.3.0")
    );
    // Names as written, purl normalised.
    let path = "syft/python/poetry/case-sensitivity/poetry.lock";
    let scan = parse_lockfile(path, &fixture(path));
    let names: Vec<&str> = scan.packages.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["dj-rest-auth", "django", "djangorestframework"]);
}

#[test]
fn every_python_fixture_is_covered() {
    let mut files = fixture_files("syft/python");
    files.extend(fixture_files("trivy/python"));
    assert!(files.len() > 40);
    for f in &files {
        let name = f.rsplit('/').next().unwrap_or(f);
        let covered = LOCKFILES.iter().any(|e| e.path == *f)
            || METADATA.iter().any(|m| m.0 == *f)
            || matches!(
                name,
                "RECORD"
                    | "direct_url.json"
                    | "top_level.txt"
                    | "installed-files.txt"
                    | "pyproject.toml"
                    | "invalid.json"
            );
        assert!(covered, "{f} is not covered by a test");
        let bytes = fixture(f);
        let _ = parse_lockfile(f, &bytes);
        let _ = parse_installed_metadata(f, &bytes, Some(&bytes), Some(&bytes));
    }
}

/// (path, name, version, licenses); `None` name: no package (and a warning).
type Meta = (
    &'static str,
    Option<(&'static str, &'static str)>,
    fn() -> Vec<License>,
);

const METADATA: &[Meta] = &[
    (
        "syft/python/site-packages/malformed-record/dist-info/METADATA",
        Some(("Pygments", "2.6.1")),
        || vec![named("BSD License")],
    ),
    (
        "syft/python/site-packages/no-version/no-version-py3.8.egg-info",
        None,
        Vec::new,
    ),
    (
        "syft/python/site-packages/partial.dist-info/METADATA",
        Some(("Pygments", "2.6.1")),
        || vec![named("BSD License")],
    ),
    (
        "syft/python/site-packages/test/test.egg-info",
        Some(("requests", "2.22.0")),
        || vec![named("Apache 2.0")],
    ),
    (
        "syft/python/site-packages/uppercase/dist-name/DIST-INFO/METADATA",
        Some(("Pygments", "2.6.1")),
        || vec![named("BSD License")],
    ),
    (
        "syft/python/site-packages/uppercase/egg-name/EGG-INFO/PKG-INFO",
        Some(("requests", "2.22.0")),
        || vec![named("Apache 2.0")],
    ),
    (
        "syft/python/site-packages/uppercase/egg-name/EGG-INFO/PKG-INFO-INVALID",
        Some(("mxnet", "1.8.0")),
        Vec::new,
    ),
    (
        "trivy/python/packaging/asyncssh-2.14.2.METADATA",
        Some(("asyncssh", "2.14.2")),
        || vec![named("Eclipse Public License v2.0")],
    ),
    (
        "trivy/python/packaging/distlib-0.3.1.METADATA",
        Some(("distlib", "0.3.1")),
        || vec![named("Python license")],
    ),
    (
        "trivy/python/packaging/iniconfig-2.0.0.METADATA",
        Some(("iniconfig", "2.0.0")),
        || vec![expr("MIT")],
    ),
    (
        "trivy/python/packaging/networkx-3.0.METADATA",
        Some(("networkx", "3.0")),
        Vec::new,
    ),
    (
        "trivy/python/packaging/pyphen-0.14.0.METADATA",
        Some(("pyphen", "0.14.0")),
        || {
            vec![
            named("License :: OSI Approved :: GNU General Public License v2 or later (GPLv2+)"),
            named("License :: OSI Approved :: GNU Lesser General Public License v2 or later (LGPLv2+)"),
            named("License :: OSI Approved :: Mozilla Public License 1.1 (MPL 1.1)"),
        ]
        },
    ),
    (
        "trivy/python/packaging/setuptools-51.3.3-py3.8.egg-info.PKG-INFO",
        Some(("setuptools", "51.3.3")),
        Vec::new,
    ),
    (
        "trivy/python/packaging/zipp-3.12.1.METADATA",
        Some(("zipp", "3.12.1")),
        || vec![named("License :: OSI Approved :: MIT License")],
    ),
];

#[test]
fn metadata_fixtures() {
    for (path, want, licenses) in METADATA {
        let scan = parse_installed_metadata(path, &fixture(path), None, None);
        match want {
            None => {
                assert!(scan.packages.is_empty(), "{path}");
                assert_eq!(scan.diagnostics.len(), 1, "{path}");
                assert_eq!(
                    scan.diagnostics.first().and_then(|d| d.path.as_deref()),
                    Some(*path)
                );
            }
            Some((name, version)) => {
                assert!(
                    scan.diagnostics.is_empty(),
                    "{path}: {:?}",
                    scan.diagnostics
                );
                assert_eq!(scan.packages.len(), 1, "{path}");
                let p = scan
                    .packages
                    .first()
                    .cloned()
                    .unwrap_or_else(|| panic!("{path}"));
                assert_eq!(
                    (p.name.as_str(), p.version.as_str()),
                    (*name, *version),
                    "{path}"
                );
                assert_eq!(p.licenses, licenses(), "{path}");
                assert_eq!(p.purl, format!("pkg:pypi/{}@{version}", pep503(name)));
                assert_eq!(p.evidence, Evidence::Installed);
                assert_eq!(p.confidence, Confidence::High);
                assert_eq!(p.location, *path);
                assert!(p.files.is_empty() && p.properties.is_empty());
            }
        }
    }
}

#[test]
fn record_and_direct_url() {
    let dir = "syft/python/site-packages/uppercase/dist-name/DIST-INFO/";
    let path = "usr/lib/python3.8/site-packages/Pygments-2.6.1.dist-info/METADATA";
    let scan = parse_installed_metadata(
        path,
        &fixture(&format!("{dir}METADATA")),
        Some(&fixture(&format!("{dir}RECORD"))),
        Some(&fixture(&format!("{dir}direct_url.json"))),
    );
    assert!(scan.diagnostics.is_empty(), "{:?}", scan.diagnostics);
    let p = scan
        .packages
        .first()
        .cloned()
        .unwrap_or_else(|| panic!("no package"));
    assert_eq!(
        p.files,
        [
            "/usr/bin/pygmentize",
            "/usr/lib/python3.8/site-packages/Pygments-2.6.1.dist-info/AUTHORS",
            "/usr/lib/python3.8/site-packages/Pygments-2.6.1.dist-info/RECORD",
            "/usr/lib/python3.8/site-packages/pygments/__pycache__/__init__.cpython-38.pyc",
            "/usr/lib/python3.8/site-packages/pygments/util.py",
            "/usr/lib/python3.8/site-packages/pygments/x_util.py",
        ]
    );
    let prop = |k: &str| p.properties.get(k).map(String::as_str);
    assert_eq!(
        prop("python:direct_url"),
        Some("https://github.com/python-test/test.git")
    );
    assert_eq!(prop("python:vcs"), Some("git"));
    assert_eq!(
        prop("python:vcs_commit_id"),
        Some("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    assert_eq!(p.properties.len(), 3);

    // Merge-conflict markers and a tar header in RECORD: three files, one warning.
    let dir = "syft/python/site-packages/malformed-record/dist-info/";
    let path = "app/venv/Lib/site-packages/Flask-1.0.2.dist-info/METADATA";
    let scan = parse_installed_metadata(
        path,
        &fixture(&format!("{dir}METADATA")),
        Some(&fixture(&format!("{dir}RECORD"))),
        None,
    );
    assert_eq!(
        scan.packages
            .first()
            .map(|p| p.files.clone())
            .unwrap_or_default(),
        [
            "/app/venv/Lib/site-packages/Flask-1.0.2.dist-info/INSTALLER",
            "/app/venv/Lib/site-packages/flask/json/tag.py",
            "/app/venv/Scripts/flask.exe",
        ]
    );
    assert_eq!(scan.diagnostics.len(), 1);
    let d = scan
        .diagnostics
        .first()
        .cloned()
        .unwrap_or_else(|| panic!("no diagnostic"));
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(
        d.path.as_deref(),
        Some("app/venv/Lib/site-packages/Flask-1.0.2.dist-info/RECORD")
    );
    assert!(d.message.starts_with("4 malformed"), "{}", d.message);

    // An egg: RECORD paths are relative to the .egg directory.
    let dir = "syft/python/site-packages/uppercase/egg-name/EGG-INFO/";
    let egg = "usr/lib/python3.8/site-packages/requests-2.22.0-py3.8.egg";
    let scan = parse_installed_metadata(
        &format!("{egg}/EGG-INFO/PKG-INFO"),
        &fixture(&format!("{dir}PKG-INFO")),
        Some(&fixture(&format!("{dir}RECORD"))),
        None,
    );
    let files = scan
        .packages
        .first()
        .map(|p| p.files.clone())
        .unwrap_or_default();
    assert_eq!(files.len(), 6);
    assert!(files.contains(&format!("/{egg}/requests/utils.py")));

    // installed-files.txt of an .egg-info directory: relative to that directory.
    let scan = parse_installed_metadata(
        "usr/lib/python3.6/site-packages/dicttoxml-1.7.4-py3.6.egg-info/PKG-INFO",
        b"Name: dicttoxml\nVersion: 1.7.4\n",
        Some(&fixture("syft/python/installed-files/installed-files.txt")),
        None,
    );
    assert_eq!(
        scan.packages
            .first()
            .map(|p| p.files.clone())
            .unwrap_or_default(),
        [
            "/usr/lib/python3.6/site-packages/__pycache__/dicttoxml.cpython-36.pyc",
            "/usr/lib/python3.6/site-packages/dicttoxml-1.7.4-py3.6.egg-info/PKG-INFO",
            "/usr/lib/python3.6/site-packages/dicttoxml-1.7.4-py3.6.egg-info/SOURCES.txt",
            "/usr/lib/python3.6/site-packages/dicttoxml-1.7.4-py3.6.egg-info/dependency_links.txt",
            "/usr/lib/python3.6/site-packages/dicttoxml-1.7.4-py3.6.egg-info/top_level.txt",
            "/usr/lib/python3.6/site-packages/dicttoxml.py",
        ]
    );
}

#[test]
fn metadata_edge_cases() {
    let path = "site-packages/x-1.0.dist-info/METADATA";
    // Invalid UTF-8: decoded lossily, one warning naming the path, package kept.
    let scan = parse_installed_metadata(path, b"Name: caf\xe9\nVersion: 1.0\n", None, None);
    assert_eq!(
        scan.packages.first().map(|p| p.name.as_str()),
        Some("caf\u{fffd}")
    );
    assert_eq!(scan.diagnostics.len(), 1);
    assert_eq!(
        scan.diagnostics.first().and_then(|d| d.path.as_deref()),
        Some(path)
    );
    // Empty, garbage: a warning, no package.
    for bad in [
        &b""[..],
        b"\n\nName: x\nVersion: 1\n",
        b"garbage",
        b"\xff\xfe\x00",
    ] {
        let scan = parse_installed_metadata(path, bad, None, None);
        assert!(scan.packages.is_empty(), "{bad:?}");
        assert!(!scan.diagnostics.is_empty(), "{bad:?}");
    }
    // License-Expression wins; a multi-line License is text, not a name; classifiers only
    // when nothing else, and never the bare `OSI Approved`.
    let lic = |text: &str| {
        parse_installed_metadata(path, text.as_bytes(), None, None)
            .packages
            .first()
            .map(|p| p.licenses.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        lic("Name: a\nVersion: 1\nLicense: BSD\nLicense-Expression: MIT OR Apache-2.0\n"),
        vec![expr("MIT OR Apache-2.0")]
    );
    assert_eq!(
        lic("Name: a\nVersion: 1\nLicense: Copyright (c) x\n        Permission is hereby granted\nClassifier: License :: OSI Approved :: MIT License\n"),
        vec![named("License :: OSI Approved :: MIT License")]
    );
    assert_eq!(
        lic("Name: a\nVersion: 1\nClassifier: License :: OSI Approved\n"),
        vec![]
    );
    assert_eq!(
        lic("Name: a\nVersion: 1\nLicense: Apache-2.0\n"),
        vec![expr("Apache-2.0")]
    );
    // Headers stop at the first empty line (the body may look like headers).
    assert_eq!(lic("Name: a\nVersion: 1\n\nLicense: MIT\n"), vec![]);
    // Whitespace-only lines continue a header; they do not end the block.
    assert_eq!(
        lic("Name: a\nVersion: 1\nDescription: x\n        \n   y\nLicense: MIT\n"),
        vec![expr("MIT")]
    );
    // A UTF-8 byte order mark.
    let scan =
        parse_installed_metadata(path, "\u{feff}Name: a\nVersion: 3\n".as_bytes(), None, None);
    assert_eq!(scan.packages.first().map(|p| p.version.as_str()), Some("3"));
    // CRLF line endings.
    let scan = parse_installed_metadata(path, b"Name: a\r\nVersion: 2.0\r\n\r\n", None, None);
    assert_eq!(
        scan.packages.first().map(|p| p.version.as_str()),
        Some("2.0")
    );

    // RECORD paths never climb above the root; absolute paths stay absolute; quoted CSV.
    let scan = parse_installed_metadata(
        "a/b.dist-info/METADATA",
        b"Name: b\nVersion: 1\n",
        Some(b"../../../../../etc/passwd,,\n/usr/bin/tool,sha256=x,1\n\"dir/with,comma.py\",,\n\"open,,\n"),
        Some(b"{not json"),
    );
    assert_eq!(
        scan.packages
            .first()
            .map(|p| p.files.clone())
            .unwrap_or_default(),
        ["/a/dir/with,comma.py", "/etc/passwd", "/usr/bin/tool"]
    );
    assert_eq!(scan.diagnostics.len(), 2, "{:?}", scan.diagnostics);
    assert!(scan
        .diagnostics
        .iter()
        .any(|d| d.path.as_deref() == Some("a/b.dist-info/direct_url.json")));
    // Editable installs.
    let scan = parse_installed_metadata(
        "a/b.dist-info/METADATA",
        b"Name: b\nVersion: 1\n",
        None,
        Some(br#"{"url": "file:///src/b", "dir_info": {"editable": true}}"#),
    );
    let props = scan
        .packages
        .first()
        .map(|p| p.properties.clone())
        .unwrap_or_default();
    assert_eq!(
        props.get("python:editable").map(String::as_str),
        Some("true")
    );
    assert_eq!(
        props.get("python:direct_url").map(String::as_str),
        Some("file:///src/b")
    );

    // Huge metadata: 5 MB of description.
    let mut big = String::from("Metadata-Version: 2.1\nName: big\nVersion: 9.9\nDescription: x\n");
    while big.len() < 5 * 1024 * 1024 {
        big.push_str("        | some long description line that keeps going\n");
    }
    big.push_str("License: MIT\n\nbody\n");
    let scan = parse_installed_metadata(path, big.as_bytes(), None, None);
    assert_eq!(
        scan.packages.first().map(|p| p.licenses.clone()),
        Some(vec![expr("MIT")])
    );
}

#[test]
fn lockfile_edge_cases() {
    // Unreadable files: one error naming the path, no packages.
    for (path, bytes) in [
        ("poetry.lock", &b"[[package]\nname = \"a\"\n"[..]),
        ("uv.lock", b"[[package]]\nname = \"a\"\nname = \"b\"\n"),
        ("pdm.lock", b"\xff\xfe[[package]]"),
        ("Pipfile.lock", b"{"),
        ("Pipfile.lock", b"[]"),
        ("pylock.toml", b"packages = 1\n"),
        ("bun.lock", b"{}"),
    ] {
        let scan = parse_lockfile(path, bytes);
        assert!(scan.packages.is_empty(), "{path}");
        assert_eq!(scan.diagnostics.len(), 1, "{path}: {:?}", scan.diagnostics);
        assert!(scan
            .diagnostics
            .iter()
            .all(|d| d.severity == Severity::Error && d.path.as_deref() == Some(path)));
    }
    // Empty files are empty lockfiles.
    for path in [
        "requirements.txt",
        "poetry.lock",
        "uv.lock",
        "pdm.lock",
        "pylock.toml",
    ] {
        assert_eq!(parse_lockfile(path, b""), LangScan::default(), "{path}");
    }
    // pdm: `[[package]]` entries, editable ones skipped.
    let pdm = b"[metadata]\ngroups = [\"default\"]\n\n[[package]]\nname = \"Requests\"\n\
                version = \"2.31.0\"\ngroups = [\"default\"]\n\n[[package]]\nname = \"mine\"\n\
                version = \"0.1\"\neditable = true\npath = \".\"\n";
    let scan = parse_lockfile("pdm.lock", pdm);
    assert_eq!(norm_ids(&scan), set(&["requests@2.31.0"]));
    // poetry directory sources are local code.
    let poetry = b"[[package]]\nname = \"lib\"\nversion = \"0.1.0\"\n\n[package.source]\n\
                   type = \"directory\"\nurl = \"../lib\"\n\n[[package]]\nname = \"six\"\n\
                   version = \"1.16.0\"\ncategory = \"dev\"\n\n[[package]]\nname = \"Six\"\n\
                   version = \"1.16.0\"\ncategory = \"main\"\n";
    let scan = parse_lockfile("poetry.lock", poetry);
    assert_eq!(norm_ids(&scan), set(&["six@1.16.0"]));
    assert!(scan.packages.iter().all(|p| p.properties.is_empty()));
    // requirements: continuation, invalid UTF-8 (one warning), options.
    let scan = parse_lockfile(
        "requirements-dev.txt",
        b"-r base.txt\n--index-url https://x\nab==1.0 \\\n  --hash=sha256:x\ncaf\xe9==2.0\nok==3\n",
    );
    assert_eq!(norm_ids(&scan), set(&["ab@1.0", "ok@3"]));
    assert_eq!(scan.diagnostics.len(), 1);
}

#[test]
fn garbage_never_panics() {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut inputs: Vec<(String, Vec<u8>)> = LOCKFILES
        .iter()
        .map(|e| (e.path.to_owned(), fixture(e.path)))
        .collect();
    inputs.extend(METADATA.iter().map(|m| (m.0.to_owned(), fixture(m.0))));
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
            let _ = parse_installed_metadata(path, &b, Some(&b), Some(&b));
        }
    }
    for name in [
        "poetry.lock",
        "requirements.txt",
        "Pipfile.lock",
        "pylock.toml",
    ] {
        for _ in 0..300 {
            let len = usize::try_from(next() % 300).unwrap_or(0);
            let b: Vec<u8> = (0..len)
                .map(|_| b" =\n\"'{}[],#.abc\\u0\t"[usize::try_from(next() % 19).unwrap_or(0)])
                .collect();
            let _ = parse_lockfile(name, &b);
        }
    }
}

#[test]
fn path_predicates() {
    for yes in [
        "usr/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA",
        "site-packages/Foo.DIST-INFO/METADATA",
        "usr/lib/python3/dist-packages/foo-1.0.egg-info/PKG-INFO",
        "usr/lib/python3/dist-packages/foo-1.0.egg-info",
        "site-packages/foo-1.0-py3.8.egg/EGG-INFO/PKG-INFO",
    ] {
        assert!(is_python_metadata(yes), "{yes}");
    }
    for no in [
        "site-packages/foo/METADATA",
        "site-packages/foo.dist-info/RECORD",
        "PKG-INFO",
        ".egg-info",
        "site-packages/foo-1.0.dist-info/METADATA.bak",
    ] {
        assert!(!is_python_metadata(no), "{no}");
    }
    for yes in [
        "app/requirements.txt",
        "requirements-dev.txt",
        "dev-requirements.txt",
        "poetry.lock",
        "src/uv.lock",
        "pdm.lock",
        "Pipfile.lock",
        "pylock.toml",
        "pylock.dev.toml",
    ] {
        assert!(is_python_lockfile(yes), "{yes}");
    }
    for no in [
        "Pipfile",
        "pyproject.toml",
        "notes.txt",
        "uv.lock.bak",
        "setup.py",
    ] {
        assert!(!is_python_lockfile(no), "{no}");
    }
}
