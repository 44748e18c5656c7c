#!/usr/bin/env python3
"""Build a container image (OCI layout, OCI archive, docker-archive) from layer tars or rootfs snapshots.

    oci_from_rootfs.py LAYER.tar|ROOTFS_DIR ... [--output LAYOUT_DIR] [--oci-archive OUT.tar]
                       [--docker-archive OUT.tar] [--compression gzip|zstd|none] [--ref NAME]

Inputs are taken bottom layer first.  A tar file is used as the layer as it is (it must be
uncompressed); a directory is a rootfs snapshot, and its layer is the difference from the
previous directory given (the first directory's layer is the whole tree), computed with
layer_diff.py next to this script.  Mixing tars and directories is allowed: a directory is
always diffed against the previous *directory*.

Outputs (at least one):
  --output DIR          OCI image layout: oci-layout, index.json, blobs/sha256/...
  --oci-archive FILE    tar of that layout
  --docker-archive FILE `docker save` style: manifest.json, <config-hex>.json,
                        <diff-id-hex>/layer.tar (uncompressed), repositories

Layers are gzip (default, mtime 0 and no name in the header, like `gzip -n`), zstd (the
`zstd` CLI) or none.  Archive members are sorted with fixed mtime/owner, JSON is written with
sorted keys, and `created` comes from SOURCE_DATE_EPOCH (else 2024-01-01T00:00:00Z), so the
same inputs always give the same digests.  Python 3 standard library only.
"""

import argparse
import datetime
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

CHUNK = 1 << 20
MT_INDEX = "application/vnd.oci.image.index.v1+json"
MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_LAYER = {
    "gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
    "zstd": "application/vnd.oci.image.layer.v1.tar+zstd",
    "none": "application/vnd.oci.image.layer.v1.tar",
}
FIXED_EPOCH = 1704067200  # 2024-01-01T00:00:00Z


def jdump(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(CHUNK)
            if not b:
                break
            h.update(b)
    return h.hexdigest()


class Blobs:
    """A blobs/sha256 directory."""

    def __init__(self, layout):
        self.dir = os.path.join(layout, "blobs", "sha256")
        os.makedirs(self.dir, exist_ok=True)

    def put_bytes(self, data):
        hexd = hashlib.sha256(data).hexdigest()
        path = os.path.join(self.dir, hexd)
        if not os.path.exists(path):
            with open(path + ".tmp", "wb") as f:
                f.write(data)
            os.replace(path + ".tmp", path)
        return "sha256:" + hexd, len(data)

    def put_file(self, tmp_path):
        hexd = sha256_file(tmp_path)
        path = os.path.join(self.dir, hexd)
        size = os.path.getsize(tmp_path)
        os.replace(tmp_path, path)
        return "sha256:" + hexd, size

    def path(self, digest):
        return os.path.join(self.dir, digest.split(":", 1)[1])


def compress_layer(tar_path, out_path, compression, level):
    """Write tar_path compressed to out_path."""
    if compression == "none":
        shutil.copyfile(tar_path, out_path)
    elif compression == "gzip":
        with open(tar_path, "rb") as src, open(out_path, "wb") as raw:
            # filename='' and mtime=0: no name, no time in the header (gzip -n)
            with gzip.GzipFile(filename="", mode="wb", compresslevel=level, fileobj=raw,
                               mtime=0) as gz:
                shutil.copyfileobj(src, gz, CHUNK)
    elif compression == "zstd":
        if not shutil.which("zstd"):
            sys.exit("zstd CLI not found (apt-get install zstd)")
        # -T0: zstd's output does not depend on the thread count
        subprocess.run(["zstd", "-q", "-f", f"-{level}", "-T0", "--no-progress", tar_path,
                        "-o", out_path], check=True)
    else:
        raise ValueError(compression)


def created_time():
    sde = os.environ.get("SOURCE_DATE_EPOCH")
    epoch = int(sde) if sde and sde.strip().isdigit() else FIXED_EPOCH
    t = datetime.datetime.fromtimestamp(epoch, tz=datetime.timezone.utc)
    return epoch, t.strftime("%Y-%m-%dT%H:%M:%SZ")


def add_tar_member(tf, name, epoch, data=None, path=None, is_dir=False):
    ti = tarfile.TarInfo(name)
    ti.mtime = epoch
    ti.uid = ti.gid = 0
    ti.uname = ti.gname = ""
    if is_dir:
        ti.type = tarfile.DIRTYPE
        ti.mode = 0o755
        tf.addfile(ti)
    elif path is not None:
        ti.mode = 0o644
        ti.size = os.path.getsize(path)
        with open(path, "rb") as f:
            tf.addfile(ti, f)
    else:
        ti.mode = 0o644
        ti.size = len(data)
        tf.addfile(ti, io.BytesIO(data))


def write_layout_archive(layout, out, epoch):
    """Tar of the layout directory, members sorted, fixed mtime/owner."""
    members = []
    for root, dirs, files in os.walk(layout):
        rel = os.path.relpath(root, layout)
        for d in dirs:
            members.append((os.path.normpath(os.path.join(rel, d)), True))
        for f in files:
            members.append((os.path.normpath(os.path.join(rel, f)), False))
    members.sort(key=lambda m: m[0].split("/"))
    tmp = out + ".tmp"
    with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tf:
        for name, is_dir in members:
            if is_dir:
                add_tar_member(tf, name, epoch, is_dir=True)
            else:
                add_tar_member(tf, name, epoch, path=os.path.join(layout, name))
    os.replace(tmp, out)


def write_docker_archive(out, config_bytes, layer_tars, diff_ids, repo_tag, epoch):
    cfg_hex = hashlib.sha256(config_bytes).hexdigest()
    layer_names = [d.split(":", 1)[1] + "/layer.tar" for d in diff_ids]
    manifest = [{"Config": cfg_hex + ".json",
                 "RepoTags": [repo_tag] if repo_tag else None,
                 "Layers": layer_names}]
    files = {cfg_hex + ".json": ("data", config_bytes),
             "manifest.json": ("data", jdump(manifest))}
    if repo_tag:
        repo, _, tag = repo_tag.rpartition(":")
        if "/" in tag or not repo:
            repo, tag = repo_tag, "latest"
        files["repositories"] = ("data", jdump({repo: {tag: diff_ids[-1].split(":", 1)[1]}}))
    for name, tar_path in zip(layer_names, layer_tars):
        files.setdefault(name, ("path", tar_path))  # identical layers appear once
    dirs = {n.split("/")[0] for n in files if "/" in n}
    entries = [(d, None) for d in dirs] + list(files.items())
    entries.sort(key=lambda e: e[0].split("/"))
    tmp = out + ".tmp"
    with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tf:
        for name, val in entries:
            if val is None:
                add_tar_member(tf, name, epoch, is_dir=True)
            elif val[0] == "data":
                add_tar_member(tf, name, epoch, data=val[1])
            else:
                add_tar_member(tf, name, epoch, path=val[1])
    os.replace(tmp, out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 2)[2])
    ap.add_argument("inputs", nargs="+", help="layer tars or rootfs directories, bottom first")
    ap.add_argument("--output", "-o", help="OCI layout directory to write")
    ap.add_argument("--oci-archive", help="write a tar of the OCI layout here")
    ap.add_argument("--docker-archive", help="write a docker-save style tar here")
    ap.add_argument("--compression", choices=["gzip", "zstd", "none"], default="gzip")
    ap.add_argument("--level", type=int, help="compression level (gzip 6, zstd 3 by default)")
    ap.add_argument("--ref", default="stella-bench:latest",
                    help="org.opencontainers.image.ref.name and docker RepoTag")
    ap.add_argument("--arch", default="amd64")
    ap.add_argument("--os", default="linux")
    ap.add_argument("--entrypoint", default=None, help="JSON list, e.g. '[\"/bin/sh\",\"-c\"]'")
    ap.add_argument("--cmd", default='["/bin/bash"]', help="JSON list")
    ap.add_argument("--env", action="append",
                    default=None, help="KEY=VALUE, repeatable (default: a Debian-like PATH)")
    ap.add_argument("--workdir", default="/")
    ap.add_argument("--history", action="append", default=[],
                    help="created_by for each layer in order; repeatable")
    ap.add_argument("--exclude-contents", action="append", default=["proc", "sys", "dev"],
                    metavar="REL", help="for directory inputs: ignore this dir's children")
    args = ap.parse_args(argv)
    if not (args.output or args.oci_archive or args.docker_archive):
        ap.error("give at least one of --output, --oci-archive, --docker-archive")
    level = args.level or {"gzip": 6, "zstd": 3, "none": 0}[args.compression]
    epoch, created = created_time()
    env = args.env or ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]

    work = tempfile.mkdtemp(prefix="oci-from-rootfs-",
                            dir=os.path.dirname(os.path.abspath(args.output or args.oci_archive
                                                                or args.docker_archive)))
    try:
        # 1. uncompressed layer tars
        layer_tars = []
        prev_dir = ""
        for i, inp in enumerate(args.inputs):
            if os.path.isdir(inp):
                import layer_diff
                t = os.path.join(work, f"layer-{i}.tar")
                st = layer_diff.write_layer(prev_dir, inp, t,
                                            [e.strip("/") for e in args.exclude_contents])
                print(f"layer {i}: diff {prev_dir or '(empty)'} -> {inp}: "
                      + " ".join(f"{k}={v}" for k, v in st.items()), file=sys.stderr)
                prev_dir = inp
                layer_tars.append(t)
            elif os.path.isfile(inp):
                with open(inp, "rb") as f:
                    magic = f.read(4)
                if magic[:2] == b"\x1f\x8b" or magic == b"\x28\xb5\x2f\xfd":
                    sys.exit(f"{inp}: give layer tars uncompressed")
                layer_tars.append(inp)
            else:
                sys.exit(f"{inp}: no such file or directory")

        # 2. OCI layout
        layout = args.output or os.path.join(work, "layout")
        if os.path.exists(layout):
            shutil.rmtree(layout)
        os.makedirs(layout)
        blobs = Blobs(layout)
        diff_ids, layer_descs = [], []
        for i, t in enumerate(layer_tars):
            diff_ids.append("sha256:" + sha256_file(t))
            tmp = os.path.join(blobs.dir, f".layer-{i}.tmp")
            compress_layer(t, tmp, args.compression, level)
            digest, size = blobs.put_file(tmp)
            layer_descs.append({"mediaType": MT_LAYER[args.compression], "digest": digest,
                                "size": size})

        history = []
        for i in range(len(layer_tars)):
            cb = args.history[i] if i < len(args.history) else f"layer {i}"
            history.append({"created": created, "created_by": cb,
                            "comment": "built by bench/oci_from_rootfs.py"})
        cfg = {"Env": env, "Cmd": json.loads(args.cmd) if args.cmd else None,
               "WorkingDir": args.workdir,
               "Labels": {"org.opencontainers.image.title": args.ref}}
        if args.entrypoint:
            cfg["Entrypoint"] = json.loads(args.entrypoint)
        config = {"created": created, "architecture": args.arch, "os": args.os,
                  "config": {k: v for k, v in cfg.items() if v is not None},
                  "rootfs": {"type": "layers", "diff_ids": diff_ids},
                  "history": history}
        config_bytes = jdump(config)
        cdigest, csize = blobs.put_bytes(config_bytes)
        manifest = {"schemaVersion": 2, "mediaType": MT_MANIFEST,
                    "config": {"mediaType": MT_CONFIG, "digest": cdigest, "size": csize},
                    "layers": layer_descs,
                    "annotations": {"org.opencontainers.image.created": created}}
        mdigest, msize = blobs.put_bytes(jdump(manifest))
        index = {"schemaVersion": 2, "mediaType": MT_INDEX,
                 "manifests": [{"mediaType": MT_MANIFEST, "digest": mdigest, "size": msize,
                                "platform": {"architecture": args.arch, "os": args.os},
                                "annotations": {"org.opencontainers.image.ref.name": args.ref}}]}
        with open(os.path.join(layout, "index.json"), "wb") as f:
            f.write(jdump(index))
        with open(os.path.join(layout, "oci-layout"), "wb") as f:
            f.write(jdump({"imageLayoutVersion": "1.0.0"}))
        if args.output:
            print(f"OCI layout {args.output}: manifest {mdigest}", file=sys.stderr)

        # 3. archives
        if args.oci_archive:
            write_layout_archive(layout, args.oci_archive, epoch)
            print(f"OCI archive {args.oci_archive}", file=sys.stderr)
        if args.docker_archive:
            write_docker_archive(args.docker_archive, config_bytes, layer_tars, diff_ids,
                                 args.ref, epoch)
            print(f"docker archive {args.docker_archive}", file=sys.stderr)
        for i, (d, desc) in enumerate(zip(diff_ids, layer_descs)):
            print(f"layer {i}: tar {os.path.getsize(layer_tars[i])} bytes, "
                  f"{args.compression} {desc['size']} bytes, diff_id {d}", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
