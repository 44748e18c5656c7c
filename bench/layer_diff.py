#!/usr/bin/env python3
"""Write an OCI/Docker layer tar holding the changes from one rootfs snapshot to the next.

    layer_diff.py [--before DIR] --after DIR --output LAYER.tar

With no --before (or an empty path) the layer holds the whole of --after.

What goes into the layer:
  * every path of AFTER that is new, or whose type, size, mtime (ns), mode, owner or symlink
    target differs from the same path in BEFORE (directories: mode, owner, mtime);
  * every parent directory of such a path (so an extractor recreates it with its real mode);
  * all names of a hard-link group as soon as one of them goes in: the first name in sorted
    order is the regular file, the others are hard links to it, so links resolve within
    the layer;
  * a whiteout `.wh.<name>` for each path of BEFORE that is gone from AFTER; a deleted
    directory gets one whiteout, not one per child.  A path whose type changed between a
    directory and a non-directory gets a whiteout and its new entry.

Symlinks are never followed.  Owners are numeric (uid/gid, no names), the format is PAX,
entries are sorted by path (parents first), mtimes are the files' own (whole seconds),
so the same pair of trees always gives the same bytes.  Sockets are skipped.
Python 3 standard library only; usable as a module (`write_layer`).
"""

import argparse
import os
import stat
import sys
import tarfile

WHITEOUT_PREFIX = ".wh."


def _walk(root, exclude_contents=()):
    """Map relative path -> lstat for everything under root (root itself excluded).

    Relative paths use '/' and never start with './'.  Directories named in
    exclude_contents (relative paths) are listed but not descended into.
    """
    out = {}
    if not root:
        return out
    stack = [""]
    while stack:
        rel = stack.pop()
        full = os.path.join(root, rel) if rel else root
        try:
            entries = list(os.scandir(full))
        except FileNotFoundError:
            continue
        for e in entries:
            r = f"{rel}/{e.name}" if rel else e.name
            st = os.lstat(os.path.join(root, r))
            out[r] = st
            if stat.S_ISDIR(st.st_mode) and r not in exclude_contents:
                stack.append(r)
    return out


def _kind(st):
    return stat.S_IFMT(st.st_mode)


def _same(root_a, rel, a, root_b, b):
    """True when the entry did not change between the two snapshots."""
    if _kind(a) != _kind(b):
        return False
    if a.st_mode != b.st_mode or a.st_uid != b.st_uid or a.st_gid != b.st_gid:
        return False
    k = _kind(a)
    if k == stat.S_IFLNK:
        return os.readlink(os.path.join(root_a, rel)) == os.readlink(os.path.join(root_b, rel))
    if k == stat.S_IFDIR:
        return a.st_mtime_ns == b.st_mtime_ns
    if k in (stat.S_IFCHR, stat.S_IFBLK):
        return a.st_rdev == b.st_rdev
    return a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns


def _sort_key(rel):
    # parents before children, siblings in byte order
    return [os.fsencode(p) for p in rel.split("/")]


def _parents(rel):
    parts = rel.split("/")
    for i in range(1, len(parts)):
        yield "/".join(parts[:i])


def compute_changes(before, after, exclude_contents=()):
    """Return (entries, whiteouts, after_stats).

    entries: sorted relative paths of AFTER to write; whiteouts: sorted relative paths of
    BEFORE that must be hidden (written as `<dir>/.wh.<name>`).
    """
    exclude_contents = set(exclude_contents)
    b = _walk(before, exclude_contents)
    a = _walk(after, exclude_contents)

    changed = set()
    for rel, st in a.items():
        old = b.get(rel)
        if old is None or not _same(before, rel, old, after, st):
            changed.add(rel)

    whiteouts = set()
    for rel, st in b.items():
        # skip children of a path already whited out (or of a replaced directory)
        if any(p in whiteouts for p in _parents(rel)):
            continue
        new = a.get(rel)
        if new is None:
            whiteouts.add(rel)
        elif stat.S_ISDIR(st.st_mode) != stat.S_ISDIR(new.st_mode):
            whiteouts.add(rel)
    # the loop above visits paths in arbitrary order: drop whiteouts below other whiteouts
    whiteouts = {w for w in whiteouts if not any(p in whiteouts for p in _parents(w))}

    # hard-link groups: if one name goes in, all go in
    groups = {}
    for rel, st in a.items():
        if stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
            groups.setdefault((st.st_dev, st.st_ino), []).append(rel)
    for names in groups.values():
        if any(n in changed for n in names):
            changed.update(names)

    # parents of everything written, and of every whiteout
    for rel in list(changed) + list(whiteouts):
        for p in _parents(rel):
            if p in a:
                changed.add(p)

    return sorted(changed, key=_sort_key), sorted(whiteouts, key=_sort_key), a


def _tarinfo(name, st, kind, **kw):
    ti = tarfile.TarInfo(name)
    ti.mode = stat.S_IMODE(st.st_mode)
    ti.uid = st.st_uid
    ti.gid = st.st_gid
    ti.uname = ""
    ti.gname = ""
    ti.mtime = int(st.st_mtime)
    ti.type = kind
    for k, v in kw.items():
        setattr(ti, k, v)
    return ti


def write_layer(before, after, output, exclude_contents=(), fileobj=None):
    """Write the layer tar to `output` (a path) or to `fileobj`. Returns a stats dict."""
    entries, whiteouts, a = compute_changes(before, after, exclude_contents)

    # merge whiteouts and entries in one sorted stream
    items = [(_sort_key(r), 1, r) for r in entries]
    for w in whiteouts:
        parent, _, base = w.rpartition("/")
        wname = f"{parent}/{WHITEOUT_PREFIX}{base}" if parent else f"{WHITEOUT_PREFIX}{base}"
        # a whiteout sorts just before the entry it may replace in the same directory
        items.append((_sort_key(wname), 0, wname))
    items.sort(key=lambda x: (x[0], x[1]))

    stats = {"files": 0, "dirs": 0, "symlinks": 0, "hardlinks": 0, "whiteouts": 0,
             "other": 0, "bytes": 0}
    first_name = {}  # (dev, ino) -> first name written in this layer
    own = fileobj is None
    tf = tarfile.open(name=None if fileobj else output, mode="w", fileobj=fileobj,
                      format=tarfile.PAX_FORMAT)
    try:
        for _, is_entry, rel in items:
            if not is_entry:
                ti = tarfile.TarInfo(rel)
                ti.mode = 0o644
                ti.mtime = 0
                ti.uname = ti.gname = ""
                tf.addfile(ti)
                stats["whiteouts"] += 1
                continue
            st = a[rel]
            full = os.path.join(after, rel)
            m = st.st_mode
            if stat.S_ISDIR(m):
                tf.addfile(_tarinfo(rel, st, tarfile.DIRTYPE))
                stats["dirs"] += 1
            elif stat.S_ISLNK(m):
                tf.addfile(_tarinfo(rel, st, tarfile.SYMTYPE, linkname=os.readlink(full)))
                stats["symlinks"] += 1
            elif stat.S_ISREG(m):
                key = (st.st_dev, st.st_ino)
                if st.st_nlink > 1 and key in first_name:
                    tf.addfile(_tarinfo(rel, st, tarfile.LNKTYPE, linkname=first_name[key]))
                    stats["hardlinks"] += 1
                    continue
                if st.st_nlink > 1:
                    first_name[key] = rel
                ti = _tarinfo(rel, st, tarfile.REGTYPE, size=st.st_size)
                with open(full, "rb") as f:
                    tf.addfile(ti, f)
                stats["files"] += 1
                stats["bytes"] += st.st_size
            elif stat.S_ISCHR(m) or stat.S_ISBLK(m):
                kind = tarfile.CHRTYPE if stat.S_ISCHR(m) else tarfile.BLKTYPE
                tf.addfile(_tarinfo(rel, st, kind, devmajor=os.major(st.st_rdev),
                                    devminor=os.minor(st.st_rdev)))
                stats["other"] += 1
            elif stat.S_ISFIFO(m):
                tf.addfile(_tarinfo(rel, st, tarfile.FIFOTYPE))
                stats["other"] += 1
            # sockets and anything else: skipped
    finally:
        tf.close()
    return stats


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", default="", help="older rootfs (omit for a base layer)")
    ap.add_argument("--after", required=True, help="newer rootfs")
    ap.add_argument("--output", "-o", required=True, help="layer tar to write ('-' = stdout)")
    ap.add_argument("--exclude-contents", action="append", default=[], metavar="REL",
                    help="directory (relative, e.g. proc) whose children are ignored; repeatable")
    args = ap.parse_args(argv)
    excl = [e.strip("/") for e in args.exclude_contents]
    if args.output == "-":
        stats = write_layer(args.before, args.after, None, excl, fileobj=sys.stdout.buffer)
    else:
        tmp = args.output + ".tmp"
        stats = write_layer(args.before, args.after, tmp, excl)
        os.replace(tmp, args.output)
    print(" ".join(f"{k}={v}" for k, v in stats.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
