#!/usr/bin/env bash
# Fill corpus/<target>/ (git-ignored) with seeds: real fixtures from ../../shared/fixtures and
# ../stellaops-analyzers/tests/fixtures, test vectors and hand-written documents from the crates'
# tests, hand-made archives and minimal executables (second Python block), and signed documents
# made by seedgen/ with the fixed keys the targets trust. Idempotent; run from anywhere.
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

python3 - "$FIXTURES" <<'PY'
# --- language packages and binaries (java_archive, go_buildinfo, cargo_auditable,
# lang_metadata; lang/binary entries for layer_tar) ------------------------------------------
import hashlib, io, json, pathlib, struct, sys, tarfile, warnings, zipfile, zlib

warnings.filterwarnings("ignore", "Duplicate name")  # dup-names.jar on purpose

fx = pathlib.Path(sys.argv[1])
lp = fx / "lang-packages"
afx = pathlib.Path("../stellaops-analyzers/tests/fixtures")
corpus = pathlib.Path("corpus")

def put(target, data, name=None):
    d = corpus / target
    d.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    (d / (name or hashlib.sha1(data).hexdigest())).write_bytes(data)

def rd(p):
    p = pathlib.Path(p)
    return p.read_bytes() if p.is_file() else b""

def lang_files(pattern):
    return sorted(p for p in lp.rglob(pattern) if p.is_file()) if lp.exists() else []

# Minimal executables: just the tables the readers look at (ELF section and program headers,
# Mach-O LC_SEGMENT_64 with sections, a fat wrapper), around given section bytes.
BASE = 0x400000
def elf(sections, is64=True, be=False, machine=62):
    e = ">" if be else "<"
    W = "Q" if is64 else "I"
    eh, ph, sh = (64, 56, 64) if is64 else (52, 32, 40)
    shstr = b"\0" + b"".join(n.encode() + b"\0" for n, _ in sections) + b".shstrtab\0"
    off, body, placed = eh + ph, b"", []
    for name, data in sections:
        pad = -(off + len(body)) % 16
        body += b"\0" * pad
        placed.append((name, off + len(body), data))
        body += data
    strtab_off = off + len(body)
    body += shstr
    shoff = off + len(body) + (-(off + len(body)) % 8)
    body += b"\0" * (shoff - off - len(body))
    total = shoff + sh * (len(sections) + 2)
    ident = b"\x7fELF" + bytes([2 if is64 else 1, 2 if be else 1, 1]) + b"\0" * 9
    hdr = ident + struct.pack(e + "HHI" + W * 3 + "IHHHHHH", 2, machine, 1, BASE, eh, shoff, 0,
                              eh, ph, 1, sh, len(sections) + 2, len(sections) + 1)
    if is64:  # one RW PT_LOAD mapping the whole file at BASE
        phdr = struct.pack(e + "IIQQQQQQ", 1, 6, 0, BASE, BASE, total, total, 0x1000)
    else:
        phdr = struct.pack(e + "IIIIIIII", 1, 0, BASE, BASE, total, total, 6, 0x1000)
    shdrs = b"\0" * sh
    names = 1
    for name, o, data in placed:
        shdrs += struct.pack(e + "II" + W * 4 + "II" + W * 2, names, 1, 3, BASE + o, o, len(data), 0, 0, 1, 0)
        names += len(name) + 1
    shdrs += struct.pack(e + "II" + W * 4 + "II" + W * 2, names, 3, 0, 0, strtab_off, len(shstr), 0, 0, 1, 0)
    return hdr + phdr + body + shdrs

def macho(segname, sections):
    """64-bit little-endian Mach-O executable with one segment holding `sections`."""
    n = len(sections)
    start = 32 + 72 + 80 * n
    data, secs, off = b"", b"", start
    for name, d in sections:
        secs += struct.pack("<16s16sQQIIIIIIII", name.encode(), segname.encode(), BASE + off, len(d), off, 0, 0, 0, 0, 0, 0, 0)
        data += d
        off += len(d)
    seg = struct.pack("<II16sQQQQiiII", 0x19, 72 + 80 * n, segname.encode(), BASE + start, len(data),
                      start, len(data), 3, 3, n, 0)
    hdr = struct.pack("<IiiIIIII", 0xfeedfacf, 0x01000007, 3, 2, 1, 72 + 80 * n, 0, 0)
    return hdr + seg + secs + data

def fat(slices):
    out = struct.pack(">II", 0xcafebabe, len(slices))
    off = 8 + 20 * len(slices)
    table, body = b"", b""
    for s in slices:
        pad = -(off + len(body)) % 8
        body += b"\0" * pad
        table += struct.pack(">iiIII", 0x01000007, 3, off + len(body), len(s), 3)
        body += s
    return out + table + body

def elf_section(data, name):
    """Bytes of section `name` of a 64-bit little-endian ELF, or None."""
    if data[:5] != b"\x7fELF\x02":
        return None
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
    sec = lambda i: struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
    stroff = sec(shstrndx)[4]
    for i in range(shnum):
        s = sec(i)
        end = data.index(b"\0", stroff + s[0])
        if data[stroff + s[0]:end].decode(errors="replace") == name:
            return data[s[4]:s[4] + s[5]]
    return None

# --- go_buildinfo --------------------------------------------------------------------------
MAGIC = b"\xff Go buildinf:"
SENT_A = bytes.fromhex("3077af0c9274080241e1c107e6d618e6")
SENT_B = bytes.fromhex("f932433186182072008242104116d8f2")
def uvarint(n):
    out = b""
    while True:
        b, n = n & 0x7f, n >> 7
        out += bytes([b | (0x80 if n else 0)])
        if not n:
            return out
def go_inline(version, text):
    mod = SENT_A + text.encode() + SENT_B
    return MAGIC + bytes([8, 2]) + b"\0" * 16 + uvarint(len(version)) + version.encode() + uvarint(len(mod)) + mod
def go_pointer(addr, version, text, ps=8, be=False):
    """Pre-1.18 header: pointers to Go string headers, for a section loaded at `addr`."""
    e = ">" if be else "<"
    P = "Q" if ps == 8 else "I"
    mod = SENT_A + text.encode() + SENT_B
    hdrs = addr + 32
    data = hdrs + 4 * ps
    head = MAGIC + bytes([ps, 1 if be else 0]) + struct.pack(e + P + P, hdrs, hdrs + 2 * ps)
    head += b"\0" * (32 - len(head))
    strs = struct.pack(e + P * 4, data, len(version), data + len(version), len(mod))
    return head + strs + version.encode() + mod
MODINFO = ("path\texample.com/hello\nmod\texample.com/hello\t(devel)\t\n"
           "dep\tgithub.com/google/uuid\tv1.6.0\th1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=\n"
           "dep\texample.com/old\tv1.0.0\n=>\texample.com/new\tv1.1.0\th1:abc=\n"
           "dep\texample.com/local\tv0.0.0\n=>\t../local\t\t\n"
           "build\t-buildmode=exe\nbuild\t-ldflags=\"-s -w\"\nbuild\tCGO_ENABLED=0\nbuild\tGOARCH=amd64\n"
           "build\tvcs.revision=0123456789abcdef\n")
go_bin = rd(afx / "go/hello-linux-amd64")
if go_bin:
    put("go_buildinfo", go_bin, "hello-linux-amd64")
    put("go_buildinfo", go_bin[:64 << 10], "hello-linux-amd64.head64k")
    real = elf_section(go_bin, ".go.buildinfo")
    if real:
        put("go_buildinfo", real, "go.buildinfo-section")
        put("go_buildinfo", elf([(".go.buildinfo", real)]), "elf64-real-buildinfo")
for v in ["go1.22.5", "devel go1.23-abcdef Tue Jan 1 00:00:00 2024 +0000"]:
    blob = go_inline(v, MODINFO)
    put("go_buildinfo", blob)
    put("go_buildinfo", elf([(".text", b"\xc3" * 16), (".go.buildinfo", blob)]))
    put("go_buildinfo", macho("__DATA", [("__go_buildinfo", blob)]))
    put("go_buildinfo", fat([macho("__TEXT", [("__text", b"\xc3" * 8)]), macho("__DATA", [("__go_buildinfo", blob)])]))
# Pointer format: the section is the whole body after the headers, at BASE + its file offset.
for is64, be, machine in [(True, False, 62), (False, False, 3), (True, True, 22)]:
    ps = 8 if is64 else 4
    eh, ph = (64, 56) if is64 else (52, 32)
    addr = BASE + eh + ph  # first section is placed right after the program header (16-aligned)
    addr += -addr % 16
    blob = go_pointer(addr, "go1.16.15", MODINFO, ps, be)
    put("go_buildinfo", elf([(".go.buildinfo", blob)], is64, be, machine))
sec_off = 32 + 72 + 80
put("go_buildinfo", macho("__DATA", [("__go_buildinfo", go_pointer(BASE + sec_off, "go1.17.13", MODINFO))]))
for name in ["native/hello.exe", "native/libgreet.dylib", "native/hello-universal", "native/tiny-static"]:
    b = rd(afx / name)
    if b:  # a real executable with an inline header somewhere in its bytes
        put("go_buildinfo", b + go_inline("go1.21.0", MODINFO))

# --- cargo_auditable -----------------------------------------------------------------------
rs_bin = rd(afx / "rust/hello-auditable-linux-x86_64")
deps = []
if rs_bin:
    put("cargo_auditable", rs_bin, "hello-auditable-linux-x86_64")
    put("cargo_auditable", rs_bin[:64 << 10], "hello-auditable.head64k")
    real = elf_section(rs_bin, ".dep-v0")
    if real:
        deps.append(real)
audit = {"packages": [
    {"name": "hello", "version": "0.1.0", "source": "local", "dependencies": [1, 2], "root": True},
    {"name": "itoa", "version": "1.0.15", "source": "crates.io"},
    {"name": "cfg-if", "version": "1.0.4", "source": "crates.io", "kind": "build"},
    {"name": "serde", "version": "1.0.200", "source": "git", "kind": "runtime"},
    {"name": "x", "version": "", "source": "registry"}, {"version": "1.0"}]}
deps += [zlib.compress(json.dumps(audit).encode(), 9), zlib.compress(b'{"packages":[]}'),
         zlib.compress(b"[1,2]"), zlib.compress(b"\0" * 100000, 9)]
for d in deps:
    put("cargo_auditable", elf([(".text", b"\xc3" * 16), (".dep-v0", d)]))
    put("cargo_auditable", elf([(".dep-v0", d)], False, True, 22))
    put("cargo_auditable", macho("__DATA", [(".dep-v0", d)]))
put("cargo_auditable", fat([macho("__DATA", [(".dep-v0", deps[0])])]))
for p in lang_files("*.lock*"):
    if "rust" in p.parts:
        put("cargo_auditable", p.read_bytes())

# --- java_archive --------------------------------------------------------------------------
def jar(members, method=zipfile.ZIP_DEFLATED, comment=b""):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members:
            zi = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            zi.compress_type = method
            z.writestr(zi, data)
        z.comment = comment
    return buf.getvalue()
jars = {p.name: p.read_bytes() for p in lang_files("*.jar")}
for name, b in jars.items():
    put("java_archive", b, name)
jm = lp / "syft/java/jar-metadata"
if jm.exists():
    for d in sorted(x for x in jm.rglob("META-INF") if x.is_dir()):
        members = [(str(f.relative_to(d.parent)), f.read_bytes()) for f in sorted(d.rglob("*")) if f.is_file()]
        put("java_archive", jar(members), d.parent.name + ".jar")
for p in lang_files("*"):
    if p.parent.name == "manifest" and "java" in p.parts:
        put("java_archive", jar([("META-INF/MANIFEST.MF", p.read_bytes())], zipfile.ZIP_STORED))
    if p.name.endswith("pom.properties") and p.parent.name == "pom":
        put("java_archive", jar([("META-INF/maven/g/a/pom.properties", p.read_bytes())]))
manifest = (b"Manifest-Version: 1.0\r\nMain-Class: org.springframework.boot.loader.JarLauncher\r\n"
            b"Start-Class: com.example.App\r\nClass-Path: lib/a.jar lib/b.jar\r\n  lib/c.jar\r\n"
            b"Implementation-Title: demo\r\nImplementation-Version: 1.2.3\r\n\r\nName: x\r\nFoo: bar\r\n")
pom = b"#Generated by Maven\ngroupId=com.example\nartifactId=demo\nversion=1.2.3\n"
inner = list(jars.values())[:2] or [jar([("META-INF/maven/x/y/pom.properties", pom)])]
boot = jar([("META-INF/MANIFEST.MF", manifest), ("META-INF/maven/com.example/demo/pom.properties", pom)]
           + [(f"BOOT-INF/lib/inner-{i}.jar", b) for i, b in enumerate(inner)], zipfile.ZIP_STORED)
put("java_archive", boot, "spring-boot.jar")
war = jar([("WEB-INF/lib/app.jar", boot), ("WEB-INF/web.xml", b"<web-app/>")])
put("java_archive", war, "nested.war")
put("java_archive", jar([("app.war", war), ("META-INF/application.xml", b"<application/>")]), "nested.ear")
put("java_archive", jar([("../../etc/evil.jar", inner[0]), ("/abs/META-INF/maven/a/b/pom.properties", pom),
                         ("META-INF/maven/../../../x/pom.properties", pom), ("C:\\win\\pom.properties", pom),
                         ("META-INF/MANIFEST.MF", manifest), ("meta-inf/manifest.mf", b"Main-Class: Other\n")]),
    "zip-slip.jar")
zeros = b"\0" * (3 << 20)  # deflates ~1000:1: over the ratio limit, and two are over 4 MiB
put("java_archive", jar([("lib/bomb.jar", zeros), ("META-INF/maven/a/b/pom.properties", zeros)]), "bomb.jar")
put("java_archive", jar([("META-INF/maven/a/b/pom.properties", pom)] * 2 + [("lib/x.jar", b"PK\x03\x04junk")]), "dup-names.jar")
put("java_archive", jar([], comment=b"empty"), "empty.jar")
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    with z.open("META-INF/maven/z/z64/pom.properties", "w", force_zip64=True) as f:
        f.write(pom)
put("java_archive", buf.getvalue(), "zip64.jar")

# --- lang_metadata: one selector byte (see fuzz_targets/lang_metadata.rs), then the file ----
def meta(kind, data):
    put("lang_metadata", bytes([kind]) + data)
for p in lang_files("*"):
    rel, name, b = str(p.relative_to(lp)), p.name, p.read_bytes()
    if len(b) > 256 * 1024:
        continue
    if "javascript" in p.parts or "nodejs" in p.parts:
        if name.endswith(".json") and "lock" not in name:
            meta(0, b)
        elif name.endswith(".json"):
            meta(1, b)
        elif "yarn" in name:
            meta(2, b)
        elif "pnpm" in name:
            meta(3, b)
    elif "python" in p.parts:
        if name.endswith(".txt") and "requirement" in name:
            meta(4, b)
        elif name.startswith("Pipfile"):
            meta(5, b)
        elif name.startswith("poetry"):
            meta(6, b)
        elif name.startswith("uv"):
            meta(7, b)
        elif name.startswith("pylock"):
            meta(9, b)
        elif name == "METADATA" or name.endswith(".METADATA"):
            rec, du = rd(p.parent / "RECORD"), rd(p.parent / "direct_url.json")
            meta(10, b)
            meta(10, b + b"\xff" + rec + (b"\xff" + du if du else b""))
        elif name.startswith("PKG-INFO") or name.endswith((".egg-info", ".PKG-INFO")):
            meta(11, b + (b"\xff" + rd(p.parent / "RECORD") if (p.parent / "RECORD").exists() else b""))
    elif "dotnet" in p.parts and name.endswith(".deps.json"):
        meta(12, b)
meta(8, b'[metadata]\ngroups = ["default"]\nlock_version = "4.4"\n\n[[package]]\nname = "requests"\nversion = "2.31.0"\nrequires_python = ">=3.7"\nfiles = [{file = "requests-2.31.0.tar.gz", hash = "sha256:942c5a758f98d790eaed1a29cb6eefc7ffb0d1cf7af05c3d2791656dbd6ad1e1"}]\n')
for s in [b"#!/bin/sh\nset -e\nexec \"$@\"\n", b"#!/usr/bin/env -S python3 -u\r\nprint(1)\n",
          b"#! /bin/bash -e\n\xff\xfe\n", b"#!\n", b"#!   \nx"]:
    meta(13, s)

# --- layer_tar: layers with language metadata, binaries and a script -------------------------
def layer(members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data, mode in members:
            ti = tarfile.TarInfo(name)
            ti.size, ti.mtime, ti.mode = len(data), 0, mode
            t.addfile(ti, io.BytesIO(data))
    return buf.getvalue()
pkg_json = rd(lp / "trivy/nodejs/packagejson/package.json") or b'{"name":"x","version":"1.0.0","license":"MIT"}'
dist = lp / "syft/python/site-packages/uppercase/dist-name/DIST-INFO"
members = [
    ("app/node_modules/x/package.json", pkg_json, 0o644),
    ("usr/lib/python3/site-packages/x-1.0.dist-info/METADATA", rd(dist / "METADATA") or b"Name: x\nVersion: 1.0\n", 0o644),
    ("usr/lib/python3/site-packages/x-1.0.dist-info/RECORD", rd(dist / "RECORD"), 0o644),
    ("usr/lib/python3/site-packages/x-1.0.dist-info/direct_url.json", rd(dist / "direct_url.json"), 0o644),
    ("usr/bin/tiny", rd(afx / "native/tiny-static"), 0o755),
    ("usr/local/bin/entry.sh", b"#!/bin/sh\nexec /usr/bin/tiny \"$@\"\n", 0o755),
]
put("layer_tar", layer(members), "layer-lang.tar")
members2 = [
    ("app/lib/app.jar", list(jars.values())[0] if jars else jar([("META-INF/maven/a/b/pom.properties", pom)]), 0o644),
    ("app/MyApp.deps.json", rd(lp / "trivy/dotnet/core_deps/happy.deps.json"), 0o644),
    ("usr/bin/gobin", elf([(".go.buildinfo", go_inline("go1.22.5", MODINFO))]), 0o755),
    ("usr/bin/rustbin", elf([(".dep-v0", deps[-4] if len(deps) >= 4 else deps[0])]), 0o755),
    ("usr/lib/libgreet.so.1", rd(afx / "native/libgreet.so.1"), 0o644),
]
put("layer_tar", layer(members2), "layer-lang-bin.tar")
PY

# Signed seeds (fixed keys) and snapshot exports.
CARGO_TARGET_DIR=target/seedgen cargo run --quiet --release --manifest-path seedgen/Cargo.toml -- corpus "$FIXTURES"
for d in corpus/*/; do printf '%-16s %5d seeds\n' "$(basename "$d")" "$(ls "$d" | wc -l)"; done
