#!/usr/bin/env bash
# Fill corpus/<target>/ (git-ignored) with seeds: real fixtures from ../../shared/fixtures,
# test vectors and hand-written documents from the crates' tests, and signed documents made by
# seedgen/ with the fixed keys the targets trust. Idempotent; run from anywhere.
#
#   fuzz/seed_corpus.sh            # all targets
#   FIXTURES=/path/to/fixtures fuzz/seed_corpus.sh
set -euo pipefail
cd "$(dirname "$0")"
FIXTURES=${FIXTURES:-../../shared/fixtures}
[ -d "$FIXTURES" ] || { echo "no fixtures at $FIXTURES" >&2; exit 1; }

python3 - "$FIXTURES" <<'PY'
import gzip, hashlib, io, json, os, pathlib, re, shutil, subprocess, sys, tarfile

fx = pathlib.Path(sys.argv[1])
corpus = pathlib.Path("corpus")
MAX = 256 * 1024  # skip fixtures bigger than this for the JSON targets

def put(target, data, name=None):
    d = corpus / target
    d.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    name = name or hashlib.sha1(data).hexdigest()
    (d / name).write_bytes(data)

def files(root, pattern="*", max_size=None):
    root = fx / root
    if not root.exists():
        return []
    out = [p for p in sorted(root.rglob(pattern)) if p.is_file()]
    return [p for p in out if max_size is None or p.stat().st_size <= max_size]

def rust_consts(path):
    """r#"..."# literals and the EPSS string from the ingest tests."""
    src = pathlib.Path(path).read_text()
    out = re.findall(r'r#"(.*?)"#', src, re.S)
    return [s for s in out if s.strip()]

# --- existing OS-package targets --------------------------------------------------------
for p in files("os-package-db/syft/rpm-bdb", "Packages"):
    put("rpmdb_bdb", p.read_bytes())
for p in files("os-package-db/go-rpmdb", "Packages.db"):
    put("rpmdb_ndb", p.read_bytes())
# The real SQLite rpmdb is 3 MB, over libFuzzer's default 1 MB input limit (it would be
# truncated): seed with copies holding only its smallest package headers.
import sqlite3, tempfile
for p in files("os-package-db/go-rpmdb", "rpmdb.sqlite"):
    src = sqlite3.connect(f"file:{p}?mode=ro&immutable=1", uri=True)
    ddl = src.execute("select sql from sqlite_master where name='Packages'").fetchone()[0]
    rows = src.execute("select hnum, blob from Packages order by length(blob)").fetchall()
    src.close()
    for n in (1, 3):
        with tempfile.TemporaryDirectory() as tmp:
            db = pathlib.Path(tmp) / "rpmdb.sqlite"
            dst = sqlite3.connect(db)
            dst.execute("pragma journal_mode=delete")
            dst.execute(ddl)
            dst.executemany("insert into Packages values (?, ?)", rows[:n])
            dst.commit()
            dst.execute("vacuum")
            dst.close()
            put("rpmdb_sqlite", db.read_bytes(), f"rpmdb-{n}-packages.sqlite")
for p in files("os-package-db"):
    rel = str(p.relative_to(fx))
    if "/dpkg/status" in rel or "/status.d/" in rel or rel.endswith((".md5sums", ".conffiles")) or rel.endswith("opkg/status"):
        put("dpkg_status", p.read_bytes())
    if "copyright" in rel:
        put("dep5_copyright", p.read_bytes())
    if "alpine" in rel or rel.endswith("trivy/apk/apk"):
        put("apk_installed", p.read_bytes())
    if rel.endswith("os-release"):
        put("os_release", p.read_bytes())
for text in ['NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n',
             "Red Hat Enterprise Linux release 8.9 (Ootpa)\n", "CentOS Linux release 7.9.2009 (Core)\n",
             "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\n"]:
    put("os_release", text)

# layer_tar: small layers built from the fixtures (plain, gzip, zstd), with a whiteout.
def layer(members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data in members:
            ti = tarfile.TarInfo(name)
            ti.size, ti.mtime, ti.mode = len(data), 0, 0o644
            t.addfile(ti, io.BytesIO(data))
        ti = tarfile.TarInfo("usr/share/doc/removed/.wh.gone")
        t.addfile(ti, io.BytesIO(b""))
    return buf.getvalue()
def rd(rel):
    p = fx / rel
    return p.read_bytes() if p.exists() else b""
layers = [
    layer([("etc/os-release", rd("os-package-db/syft/debian/image-dpkg/etc/os-release")),
           ("var/lib/dpkg/status", rd("os-package-db/syft/debian/image-dpkg/var/lib/dpkg/status")),
           ("var/lib/dpkg/info/libpam-runtime.md5sums", rd("os-package-db/syft/debian/image-dpkg/var/lib/dpkg/info/libpam-runtime.md5sums")),
           ("usr/share/doc/libpam-runtime/copyright", rd("os-package-db/syft/debian/image-dpkg/usr/share/doc/libpam-runtime/copyright"))]),
    layer([("etc/os-release", b'ID=alpine\nVERSION_ID=3.19.1\n'),
           ("lib/apk/db/installed", rd("os-package-db/syft/alpine/multiple-1/lib/apk/db/installed"))]),
    layer([("var/lib/rpm/Packages", rd("os-package-db/syft/rpm-bdb/Packages")),
           ("etc/redhat-release", b"CentOS Linux release 7.9.2009 (Core)\n")]),
]
for i, l in enumerate(layers):
    put("layer_tar", l, f"layer-{i}.tar")
    put("layer_tar", gzip.compress(l, mtime=0), f"layer-{i}.tar.gz")
    if shutil.which("zstd"):
        put("layer_tar", subprocess.run(["zstd", "-q", "-c"], input=l, check=True, capture_output=True).stdout, f"layer-{i}.tar.zst")

# image_manifest: OCI index / manifest / config and a docker-archive manifest.json.
d = "sha256:" + "a" * 64
put("image_manifest", json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": d, "size": 1234},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": d, "size": 5678},
               {"mediaType": "application/vnd.oci.image.layer.v1.tar+zstd", "digest": d, "size": 9}]}))
put("image_manifest", json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
    "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": d, "size": 500,
                   "platform": {"architecture": "amd64", "os": "linux"}}]}))
put("image_manifest", json.dumps({"architecture": "amd64", "os": "linux",
    "config": {"Env": ["PATH=/usr/bin"], "Cmd": ["/bin/sh"]},
    "rootfs": {"type": "layers", "diff_ids": [d]},
    "history": [{"created": "2024-01-01T00:00:00Z", "created_by": "ADD file:x in /"}]}))
put("image_manifest", json.dumps([{"Config": "blobs/sha256/" + "a" * 64, "RepoTags": ["debian:12"],
    "Layers": ["blobs/sha256/" + "b" * 64]}]))

# --- advisories -------------------------------------------------------------------------
for root in ["advisories", "vex/csaf"]:
    for p in files(root, "*.json", MAX):
        put("advisory_ingest", p.read_bytes())
ingest = pathlib.Path("../stellaops-policy/src/advisory/ingest")
for src in sorted(ingest.glob("*.rs")):
    for s in rust_consts(src):
        put("advisory_ingest", s)
for s in ["#model_version:v2023.03.01,score_date:2024-01-01T00:00:00+0000\ncve,epss,percentile\nCVE-1999-0001,0.01297,0.85194\nCVE-2021-44228,0.97565,0.99996\nCVE-2021-40438,5e-05,0.02318\n",
          "cve,epss\nCVE-2020-0001,0.1\nCVE-2020-0002,0.3\n"]:
    put("advisory_ingest", s)

# cvss_vector: every test vector line (first whitespace-separated field).
for p in sorted(pathlib.Path("../stellaops-policy/src/advisory/cvss/testdata").glob("*.txt")):
    for line in p.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            put("cvss_vector", line.split()[0])
for v in ["(AV:N/AC:L/Au:N/C:P/I:P/A:P)", "CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P"]:
    put("cvss_vector", v)

# version_compare: pairs from the upstream vectors (a NUL b), at most 150 per file; for
# range vectors "version NUL range" (satisfies(version, range) is called both ways round).
def unjson(x):
    try:
        v = json.loads(x)
        return v if isinstance(v, str) else x
    except ValueError:
        return x
for p in files("version-comparison", "*.tsv"):
    rows = [l.split("\t") for l in p.read_text(errors="replace").splitlines() if l and not l.startswith("#")][1:]
    for cols in rows[:150]:
        if p.name == "npm_ranges.tsv":
            put("version_compare", unjson(cols[1]) + "\0" + unjson(cols[0]))
        elif p.name == "apk_fuzzy.tsv" and len(cols) >= 3:
            put("version_compare", cols[0] + "\0" + cols[2])
            put("version_compare", cols[0] + "\0" + cols[1] + " " + cols[2])
        elif len(cols) >= 2:
            put("version_compare", unjson(cols[0]) + "\0" + unjson(cols[1]))
for v, r in [("1.2.3", ">=1.0.0 <2.0.0"), ("1.2-3", ">= 1.2-3, << 2.0"), ("v1.2.3", ">=v1.0.0"),
             ("1.0.0", "[1.0,2.0)"), ("2.0", "~=1.4.5"), ("1:1.2-3.el8", ">= 1:1.2-1")]:
    put("version_compare", v + "\0" + r)

# --- SBOMs and JSON ---------------------------------------------------------------------
for root in ["sbom-examples", "vex/cyclonedx", "vex/openvex"]:
    for p in files(root, "*.json", MAX):
        put("sbom_read", p.read_bytes())
for root in ["attestation/in-toto", "attestation/dsse", "vex/openvex", "sbom-examples/cyclonedx", "advisories/go"]:
    for p in files(root, "*.json", 64 * 1024):
        put("canonical_json", p.read_bytes())
for s in ['{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
          '{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ud83d\\ude00":"Emoji","1":"One","\\u0080":"Control","\\u00f6":"Latin"}',
          '[-0.0, 1e21, 1e-7, 9007199254740992, -9007199254740992, 5e-324, 1.7976931348623157e308]']:
    put("canonical_json", s)

# --- attestation ------------------------------------------------------------------------
for p in files("attestation/dsse", "*.json"):
    put("dsse_envelope", p.read_bytes())
for p in files("attestation/c2sp/notes"):
    put("signed_note", p.read_bytes())
for p in files("attestation/sigstore", "bundle.sigstore.json"):
    try:
        b = json.loads(p.read_bytes())
    except ValueError:
        continue
    env = b.get("dsseEnvelope")
    if env:
        put("dsse_envelope", json.dumps(env))
    vm = b.get("verificationMaterial", {})
    certs = [vm.get("certificate", {}).get("rawBytes")] + [c.get("rawBytes") for c in vm.get("x509CertificateChain", {}).get("certificates", [])]
    for c in certs:
        if c:
            body = "\n".join(c[i:i + 64] for i in range(0, len(c), 64))
            put("cert_pem", f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n")
    for e in vm.get("tlogEntries", []):
        cp = e.get("inclusionProof", {}).get("checkpoint", {}).get("envelope")
        if cp:
            put("signed_note", cp)
PY

# Signed seeds (fixed keys) and snapshot exports.
CARGO_TARGET_DIR=target/seedgen cargo run --quiet --release --manifest-path seedgen/Cargo.toml -- corpus "$FIXTURES"
for d in corpus/*/; do printf '%-16s %5d seeds\n' "$(basename "$d")" "$(ls "$d" | wc -l)"; done
