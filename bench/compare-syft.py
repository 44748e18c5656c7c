#!/usr/bin/env python3
"""Compare two SBOMs package by package, per purl type (e.g. stella's and syft's CycloneDX JSON).

    compare-syft.py A.cdx.json B.cdx.json [--labels stella,syft] [--type npm ...]
                    [--no-namespace] [--limit N]
    compare-syft.py --counts X.cdx.json            (one SBOM: counts per purl type only)

Either side may also be an expected.tsv written by bench/app_inventory.py (ground truth of
bench/make-app-images.sh); its ecosystems map to purl types deb, npm, pypi, maven (name
group:artifact -> namespace group), golang and cargo.

Every component with a purl, at any nesting depth (metadata.component excluded), is keyed by
type and namespace/name@version: qualifiers are ignored (and subpaths, except that a golang
subpath is appended to the name, pkg:golang/a/cmd@v1#age -> a/cmd/age), percent-encoding is decoded,
pypi names are normalised as PEP 503 says (lower case, runs of -_. become -), and the Go
toolchain's version loses its "go" prefix (stdlib@go1.19.8 == stdlib@1.19.8).  --no-namespace
drops namespaces (e.g. pkg:deb/debian/x vs pkg:deb/x).  Components without a purl are counted
under "(no purl)" with their CycloneDX type.

Printed: a table of per-type counts (components and unique name@version on each side, and how
many name@version both have), then for each type the name@version keys only one side has;
a name that both sides have with different versions is shown once as "versions differ".
Python 3 standard library only.
"""

import argparse
import json
import re
import sys
from urllib.parse import unquote


def norm_pypi(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_purl(purl):
    """-> (type, namespace, name, version) or None."""
    if not purl or not purl.startswith("pkg:"):
        return None
    s = purl[4:].lstrip("/")
    s, _, subpath = s.partition("#")
    s = s.split("?", 1)[0]
    version = ""
    # the version follows the last '@' that comes after the last '/' (npm scopes use %40)
    slash = s.rfind("/")
    at = s.rfind("@")
    if at > slash:
        s, version = s[:at], unquote(s[at + 1:])
    parts = s.split("/")
    ptype = parts[0].lower()
    segs = [unquote(p) for p in parts[1:] if p]
    if not segs:
        return None
    name, namespace = segs[-1], "/".join(segs[:-1])
    if ptype == "golang" and subpath.strip("/"):
        # syft writes a main package below its module as a subpath: .../cmd@v1#age
        namespace, name = f"{namespace}/{name}" if namespace else name, unquote(subpath.strip("/"))
    return ptype, namespace, name, version


def normalise(ptype, namespace, name, version, no_ns):
    if ptype == "pypi":
        name = norm_pypi(name)
        namespace = ""
    if ptype == "golang" and namespace == "" and name == "stdlib" and version.startswith("go"):
        version = version[2:]
    if no_ns:
        namespace = ""
    key_name = f"{namespace}/{name}" if namespace else name
    return ptype, key_name, version


def load_cdx(path, no_ns):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    items = []  # (type, name, version)

    def walk(comps):
        for c in comps or []:
            p = parse_purl(c.get("purl", ""))
            if p:
                items.append(normalise(*p, no_ns))
            else:
                items.append(("(no purl)", f"{c.get('type', '?')}:{c.get('name', '?')}",
                              c.get("version", "")))
            walk(c.get("components"))

    walk(doc.get("components"))
    return items


ECO_TO_TYPE = {"deb": "deb", "npm": "npm", "pypi": "pypi", "maven": "maven", "golang": "golang",
               "cargo": "cargo"}


def load_tsv(path, no_ns):
    items = []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            r = dict(zip(header, line.rstrip("\n").split("\t")))
            eco = r.get("ecosystem", "")
            ptype = ECO_TO_TYPE.get(eco, eco)
            name, ns, ver = r.get("name", ""), "", r.get("version", "")
            if ptype == "deb":
                ns = "debian"
            elif ptype == "maven" and ":" in name:
                ns, name = name.split(":", 1)
            elif ptype == "golang" and "/" in name:
                ns, name = name.rsplit("/", 1)
            elif ptype == "npm" and name.startswith("@") and "/" in name:
                ns, name = name.split("/", 1)
            if ver == "?":
                ver = ""
            items.append(normalise(ptype, ns, name, ver, no_ns))
    return items


def load(path, no_ns):
    if path.endswith(".tsv"):
        return load_tsv(path, no_ns)
    return load_cdx(path, no_ns)


def by_type(items):
    out = {}
    for t, n, v in items:
        d = out.setdefault(t, {"count": 0, "keys": set()})
        d["count"] += 1
        d["keys"].add((n, v))
    return out


def fmt(n, v):
    return f"{n}@{v}" if v else n


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 2)[2])
    ap.add_argument("sboms", nargs="+", metavar="SBOM", help="A and B (or one file with --counts)")
    ap.add_argument("--counts", action="store_true", help="only print counts per purl type")
    ap.add_argument("--labels", help="comma-separated names of the two sides (default: file names)")
    ap.add_argument("--type", action="append", help="only these purl types (repeatable)")
    ap.add_argument("--no-namespace", action="store_true", help="ignore purl namespaces")
    ap.add_argument("--limit", type=int, default=0, help="list at most N differences per type and side")
    args = ap.parse_args(argv)

    if args.counts:
        for path in args.sboms:
            bt = by_type(load(path, args.no_namespace))
            print(f"{path}")
            print(f"  {'purl type':<12} {'components':>10} {'unique':>7}")
            for t in sorted(bt):
                if args.type and t not in args.type:
                    continue
                print(f"  {t:<12} {bt[t]['count']:>10} {len(bt[t]['keys']):>7}")
            print(f"  {'total':<12} {sum(v['count'] for v in bt.values()):>10} "
                  f"{sum(len(v['keys']) for v in bt.values()):>7}")
        return 0
    if len(args.sboms) != 2:
        ap.error("give two SBOMs (or --counts)")
    a_path, b_path = args.sboms
    la, lb = (args.labels.split(",", 1) if args.labels else [a_path, b_path])
    A, B = by_type(load(a_path, args.no_namespace)), by_type(load(b_path, args.no_namespace))
    types = sorted(set(A) | set(B))
    if args.type:
        types = [t for t in types if t in args.type]
    empty = {"count": 0, "keys": set()}

    w = max(12, max((len(t) for t in types), default=0))
    print(f"A = {la}\nB = {lb}\n")
    print(f"{'purl type':<{w}} {'A comps':>8} {'A uniq':>7} {'B comps':>8} {'B uniq':>7} {'both':>6}"
          f" {'only A':>7} {'only B':>7}")
    tot = [0] * 7
    for t in types:
        a, b = A.get(t, empty), B.get(t, empty)
        row = [a["count"], len(a["keys"]), b["count"], len(b["keys"]), len(a["keys"] & b["keys"]),
               len(a["keys"] - b["keys"]), len(b["keys"] - a["keys"])]
        tot = [x + y for x, y in zip(tot, row)]
        print(f"{t:<{w}} " + " ".join(f"{x:>{n}}" for x, n in zip(row, (8, 7, 8, 7, 6, 7, 7))))
    print(f"{'total':<{w}} " + " ".join(f"{x:>{n}}" for x, n in zip(tot, (8, 7, 8, 7, 6, 7, 7))))

    for t in types:
        a, b = A.get(t, empty)["keys"], B.get(t, empty)["keys"]
        only_a, only_b = a - b, b - a
        if not only_a and not only_b:
            continue
        va, vb = {}, {}
        for n, v in only_a:
            va.setdefault(n, set()).add(v)
        for n, v in only_b:
            vb.setdefault(n, set()).add(v)
        both_names = sorted(set(va) & set(vb), key=str.lower)
        print(f"\n== {t}: {len(only_a)} only in A, {len(only_b)} only in B")
        if both_names:
            print(f"  versions differ ({len(both_names)}):")
            for n in both_names[:args.limit or None]:
                print(f"    {n}: A {', '.join(sorted(va[n]))}  B {', '.join(sorted(vb[n]))}")
        for side, d, other in (("A", va, vb), ("B", vb, va)):
            names = sorted((n for n in d if n not in other), key=str.lower)
            if not names:
                continue
            print(f"  only in {side} ({sum(len(d[n]) for n in names)}):")
            for n in names[:args.limit or None]:
                for v in sorted(d[n]):
                    print(f"    {fmt(n, v)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
