#!/usr/bin/env python3
"""List the packages of every ecosystem found in an unpacked root file system (ground truth for scans).

    app_inventory.py ROOTFS [--base BASE_ROOTFS] [--tsv OUT.tsv] [--json OUT.json]

Reads the files directly (no package managers run):
  deb     var/lib/dpkg/status, packages whose Status is "install ok installed"
  npm     every package.json at node_modules/<name>/ or node_modules/@scope/<name>/ (any depth),
          plus /usr/share/nodejs/<name>/ and /usr/lib/nodejs/<name>/ (Debian's node modules), plus
          a project root: a package.json outside node_modules beside node_modules/ or
          package-lock.json
  pypi    every *.dist-info/METADATA and *.egg-info (PKG-INFO) -- Name and Version
  maven   every regular *.jar/*.war/*.ear file: each META-INF/maven/<g>/<a>/pom.properties
          (group:artifact, version); a jar without one is listed once by its file name (less
          a "-VERSION" suffix) with the manifest's Bundle-Version or Implementation-Version,
          else that file-name version.  Nested archives (e.g. BOOT-INF/lib/*.jar) are opened too and their path is
          written OUTER.jar!/INNER.jar.  Symbolic links to jars are skipped.
  golang  every ELF file with Go build info ("\\xff Go buildinf:", Go 1.18+ inline format):
          the toolchain (name "stdlib", version goX.Y.Z), the main module ("path" line, version
          from its "mod" line or "(none)" when the binary was built without modules) and each
          "dep" line (a "=>" replacement wins)
  cargo   every ELF file with a .dep-v0 section (cargo-auditable): each package of the
          zlib-compressed JSON, with its kind (runtime or build)

Each row: ecosystem, name, version, path, dpkg owner of the path (from var/lib/dpkg/info/*.list,
"-" if none), origin ("base" when --base has the same row, else "added"; "-" without --base)
and a note.  A summary of counts per ecosystem and origin is printed.  Python 3 stdlib only.
"""

import argparse
import email.parser
import io
import json
import os
import re
import stat
import struct
import sys
import zipfile
import zlib

SKIP_TOP = {"proc", "sys", "dev", "run"}
GO_MAGIC = b"\xff Go buildinf:"
ARCHIVE_EXT = (".jar", ".war", ".ear")


def walk(root):
    """Yield (relative path, lstat) of everything below root, sorted, without /proc etc."""
    stack = [""]
    while stack:
        rel = stack.pop()
        full = os.path.join(root, rel) if rel else root
        try:
            names = sorted(os.listdir(full), reverse=True)
        except (FileNotFoundError, NotADirectoryError, PermissionError):
            continue
        for n in names:
            r = f"{rel}/{n}" if rel else n
            if not rel and n in SKIP_TOP:
                continue
            st = os.lstat(os.path.join(root, r))
            yield r, st
            if stat.S_ISDIR(st.st_mode):
                stack.append(r)


# ------------------------------------------------------------------ deb
def dpkg_status(root):
    path = os.path.join(root, "var/lib/dpkg/status")
    out = []
    if not os.path.isfile(path):
        return out
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    for stanza in text.split("\n\n"):
        fields = {}
        for line in stanza.splitlines():
            if line[:1] in (" ", "\t") or ":" not in line:
                continue
            k, _, v = line.partition(":")
            fields[k] = v.strip()
        if fields.get("Status") == "install ok installed":
            out.append((fields["Package"], fields.get("Version", ""),
                        fields.get("Architecture", "")))
    return out


def dpkg_owners(root):
    owners = {}
    info = os.path.join(root, "var/lib/dpkg/info")
    if not os.path.isdir(info):
        return owners
    for n in sorted(os.listdir(info)):
        if not n.endswith(".list"):
            continue
        pkg = n[:-5].split(":")[0]
        with open(os.path.join(info, n), encoding="utf-8", errors="replace") as f:
            for line in f:
                p = line.rstrip("\n").lstrip("/")
                if p:
                    owners.setdefault(p, pkg)
    return owners


# ------------------------------------------------------------------ npm
def npm_rows(root, rel):
    parts = rel.split("/")
    if parts[-1] != "package.json" or len(parts) < 3:
        return None
    d = parts[:-1]
    if os.path.isdir(os.path.join(root, *d, "node_modules")) or os.path.isfile(
            os.path.join(root, *d, "package-lock.json")):
        if "node_modules" not in d:
            where = "project root"
        elif d[-2] == "node_modules" or (len(d) >= 3 and d[-3] == "node_modules"
                                          and d[-2].startswith("@")):
            where = "node_modules"
        else:
            return None
    elif d[-2] == "node_modules" or (len(d) >= 3 and d[-3] == "node_modules" and d[-2].startswith("@")):
        where = "node_modules"
    elif "/".join(d[:-1]) in ("usr/share/nodejs", "usr/lib/nodejs") or (
            len(d) >= 4 and "/".join(d[:-2]) in ("usr/share/nodejs", "usr/lib/nodejs")
            and d[-2].startswith("@")):
        where = "debian-nodejs"
    else:
        return None
    try:
        with open(os.path.join(root, rel), encoding="utf-8") as f:
            pj = json.load(f)
    except (ValueError, OSError):
        return [("npm", "/".join(d[-2:]) if d[-2].startswith("@") else d[-1], "?", rel,
                 "unreadable package.json")]
    if not isinstance(pj, dict) or not pj.get("name"):
        return None  # e.g. a nested package.json with only "type": "module"
    return [("npm", pj.get("name"), str(pj.get("version", "")), rel, where)]


# ------------------------------------------------------------------ pypi
def pypi_rows(root, rel, st):
    base = os.path.basename(rel)
    meta = None
    if base.endswith(".dist-info") and stat.S_ISDIR(st.st_mode):
        meta, kind = os.path.join(root, rel, "METADATA"), "dist-info"
    elif base.endswith(".egg-info"):
        if stat.S_ISDIR(st.st_mode):
            meta, kind = os.path.join(root, rel, "PKG-INFO"), "egg-info"
        elif stat.S_ISREG(st.st_mode):
            meta, kind = os.path.join(root, rel), "egg-info file"
    if not meta or not os.path.isfile(meta):
        return None
    with open(meta, encoding="utf-8", errors="replace") as f:
        msg = email.parser.Parser().parse(f, headersonly=True)
    note = kind
    if kind == "dist-info":
        record = os.path.join(root, rel, "RECORD")
        if os.path.isfile(record):
            with open(record, encoding="utf-8", errors="replace") as f:
                sos = [l.split(",")[0] for l in f if re.search(r"\.so[.,]", l.split(",")[0] + ",")]
            if sos:
                note += f"; RECORD lists {len(sos)} .so"
        inst = os.path.join(root, rel, "INSTALLER")
        if os.path.isfile(inst):
            note += "; INSTALLER=" + open(inst).read().strip()
    return [("pypi", msg.get("Name", "?"), msg.get("Version", "?"), rel, note)]


# ------------------------------------------------------------------ maven
def manifest_fields(zf):
    try:
        raw = zf.read("META-INF/MANIFEST.MF").decode("utf-8", "replace")
    except KeyError:
        return {}
    raw = raw.replace("\r\n", "\n").replace("\n ", "")
    out = {}
    for line in raw.split("\n"):
        if ":" in line:
            k, _, v = line.partition(":")
            out.setdefault(k.strip(), v.strip())
    return out


def jar_rows(data_or_path, label, depth=0):
    rows = []
    try:
        zf = zipfile.ZipFile(data_or_path)
    except (zipfile.BadZipFile, OSError) as e:
        return [("maven", os.path.basename(label), "?", label, f"not a zip: {e}")]
    with zf:
        names = zf.namelist()
        poms = sorted(n for n in names if re.fullmatch(r"META-INF/maven/[^/]+/[^/]+/pom\.properties", n))
        for n in poms:
            props = {}
            for line in zf.read(n).decode("utf-8", "replace").splitlines():
                if "=" in line and not line.lstrip().startswith("#"):
                    k, _, v = line.partition("=")
                    props[k.strip()] = v.strip()
            g = props.get("groupId", n.split("/")[2])
            a = props.get("artifactId", n.split("/")[3])
            rows.append(("maven", f"{g}:{a}", props.get("version", "?"), label,
                         "pom.properties" + (f" ({len(poms)} in this jar)" if len(poms) > 1 else "")))
        if not poms:
            mf = manifest_fields(zf)
            name = (mf.get("Bundle-SymbolicName", "").split(";")[0] or mf.get("Implementation-Title")
                    or mf.get("Automatic-Module-Name"))
            ver = mf.get("Bundle-Version") or mf.get("Implementation-Version")
            stem = re.sub(r"\.(jar|war|ear)$", "", os.path.basename(label))
            m = re.fullmatch(r"(.+?)-(\d[^/]*)", stem)
            note = f"no pom.properties; manifest name {name!r}" if name else "no pom.properties, no manifest name"
            if m:
                stem = m.group(1)
                if not ver:
                    ver = m.group(2)
                    note += "; version from file name"
            rows.append(("maven", stem, ver or "?", label, note))
        if depth < 3:
            for n in sorted(names):
                if n.endswith(ARCHIVE_EXT):
                    rows += jar_rows(io.BytesIO(zf.read(n)), f"{label}!/{n}", depth + 1)
    return rows


# ------------------------------------------------------------------ ELF: go, cargo
def read_uvarint(b, i):
    x = s = 0
    while True:
        c = b[i]
        i += 1
        x |= (c & 0x7F) << s
        if c < 0x80:
            return x, i
        s += 7


def go_rows(data, rel):
    i = data.find(GO_MAGIC)
    if i < 0:
        return None
    hdr = data[i:i + 32]
    flags = hdr[15]
    if not flags & 2:
        return [("golang", rel, "?", rel, "Go build info in pre-1.18 format (not decoded)")]
    j = i + 32
    n, j = read_uvarint(data, j)
    gover = data[j:j + n].decode("utf-8", "replace")
    j += n
    n, j = read_uvarint(data, j)
    mod = data[j:j + n]
    if len(mod) >= 33 and mod[-17:-16] == b"\n":
        mod = mod[16:-16]
    mod = mod.decode("utf-8", "replace")
    rows = [("golang", "stdlib", gover, rel, "toolchain")]
    main_path, main_ver, deps = None, "(none)", []
    settings = []
    for line in mod.splitlines():
        f = line.split("\t")
        if f[0] == "path" and len(f) > 1:
            main_path = f[1]
        elif f[0] == "mod" and len(f) > 2:
            main_path, main_ver = f[1], f[2]
        elif f[0] == "dep" and len(f) > 2:
            deps.append([f[1], f[2], ""])
        elif f[0] == "=>" and len(f) > 2 and deps:
            deps[-1][2] = f"replaced by {f[1]} {f[2]}"
        elif f[0] == "build" and len(f) > 1:
            settings.append(f[1])
    note = "main module" + ("" if main_ver != "(none)" else ", no 'mod' line (built without modules)")
    wanted = [s for s in settings if s.split("=")[0] in ("-trimpath", "CGO_ENABLED", "vcs.revision")]
    if wanted:
        note += "; " + " ".join(wanted)
    rows.append(("golang", main_path or "?", main_ver, rel, note))
    for p, v, r in deps:
        rows.append(("golang", p, v, rel, "dep" + (f"; {r}" if r else "")))
    return rows


def elf_sections(data):
    """Map section name -> bytes for a 64-bit little-endian ELF (others: {})."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return {}
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    if not shoff or shstrndx >= shnum:
        return {}
    secs = []
    for k in range(shnum):
        o = shoff + k * shentsize
        name, _t, _f, _a, off, size = struct.unpack_from("<IIQQQQ", data, o)
        secs.append((name, off, size))
    _, stroff, strsize = secs[shstrndx]
    strtab = data[stroff:stroff + strsize]
    out = {}
    for name, off, size in secs:
        end = strtab.find(b"\0", name)
        out[strtab[name:end].decode("latin-1")] = (off, size)
    return out


def cargo_rows(data, rel):
    secs = elf_sections(data)
    if ".dep-v0" not in secs:
        return None
    off, size = secs[".dep-v0"]
    try:
        doc = json.loads(zlib.decompress(data[off:off + size]))
    except (zlib.error, ValueError) as e:
        return [("cargo", rel, "?", rel, f"undecodable .dep-v0: {e}")]
    rows = []
    for p in doc.get("packages", []):
        note = p.get("kind", "runtime") + (", root" if p.get("root") else "") + \
            f", source {p.get('source', '?')}"
        rows.append(("cargo", p["name"], p["version"], rel, note))
    return rows


# ------------------------------------------------------------------ main scan
def scan(root):
    rows = [("deb", n, f"{v}", "var/lib/dpkg/status", f"arch {a}") for n, v, a in dpkg_status(root)]
    for rel, st in walk(root):
        m = st.st_mode
        if stat.S_ISDIR(m):
            r = pypi_rows(root, rel, st)
            if r:
                rows += r
            continue
        if not stat.S_ISREG(m):
            continue
        if rel.endswith("/package.json"):
            r = npm_rows(root, rel)
            if r:
                rows += r
        elif rel.endswith(".egg-info"):
            r = pypi_rows(root, rel, st)
            if r:
                rows += r
        if rel.endswith(ARCHIVE_EXT):
            rows += jar_rows(os.path.join(root, rel), rel)
            continue
        if st.st_size < 64:
            continue
        full = os.path.join(root, rel)
        with open(full, "rb") as f:
            if f.read(4) != b"\x7fELF":
                continue
            f.seek(0)
            data = f.read()
        for fn in (go_rows, cargo_rows):
            r = fn(data, rel)
            if r:
                rows += r
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 2)[2])
    ap.add_argument("rootfs")
    ap.add_argument("--base", help="rootfs of the base image: rows also found there are 'base'")
    ap.add_argument("--tsv", help="write the rows here (default: stdout)")
    ap.add_argument("--json", help="also write the rows and counts as JSON here")
    args = ap.parse_args(argv)

    rows = scan(args.rootfs)
    base = None
    if args.base:
        base = {r[:4] for r in scan(args.base)}
    owners = dpkg_owners(args.rootfs)
    out = []
    for eco, name, ver, path, note in rows:
        outer = path.split("!/")[0]
        owner = owners.get(outer, "-") if path != "var/lib/dpkg/status" else "-"
        origin = "-" if base is None else ("base" if (eco, name, ver, path) in base else "added")
        out.append((eco, name, ver, path, owner, origin, note))
    out.sort(key=lambda r: (r[0], r[5], r[3], r[1].lower(), r[2]))

    header = ("ecosystem", "name", "version", "path", "dpkg_owner", "origin", "note")
    text = "\t".join(header) + "\n" + "".join("\t".join(r) + "\n" for r in out)
    if args.tsv:
        with open(args.tsv, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)

    counts = {}
    for r in out:
        c = counts.setdefault(r[0], {"total": 0, "base": 0, "added": 0, "unique": set()})
        c["total"] += 1
        c["unique"].add((r[1], r[2]))
        if r[5] in ("base", "added"):
            c[r[5]] += 1
    summary = {k: {"rows": v["total"], "unique_name_version": len(v["unique"]),
                   "base": v["base"], "added": v["added"]} for k, v in sorted(counts.items())}
    print(f"{'ecosystem':<10} {'rows':>6} {'unique':>7} {'base':>6} {'added':>6}", file=sys.stderr)
    for k, v in summary.items():
        print(f"{k:<10} {v['rows']:>6} {v['unique_name_version']:>7} {v['base']:>6} {v['added']:>6}",
              file=sys.stderr)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"summary": summary, "rows": [dict(zip(header, r)) for r in out]}, f,
                      indent=1, sort_keys=True)
            f.write("\n")


if __name__ == "__main__":
    main()
