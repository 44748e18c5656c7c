#!/usr/bin/env python3
"""Build a new OCI layout on top of an existing one: the base image's layers as they are, plus new layers.

    oci_append.py --base BASE_LAYOUT LAYER.tar ... --output LAYOUT [--ref NAME]
                  [--entrypoint JSON] [--cmd JSON] [--env K=V ...] [--workdir DIR]
                  [--history CREATED_BY ...] [--label K=V ...] [--compression gzip|zstd|none]
                  [--oci-archive OUT.tar]

The base layout's manifest (the first one in its index.json) gives the bottom layers: their
blobs are hard-linked (or copied, across file systems) into the new layout unchanged, so every
image built on the same base shares those layer digests.  Each LAYER.tar (uncompressed, e.g.
from layer_diff.py) is compressed and appended.  The new config is the base config with the
new diff_ids and history entries appended; Entrypoint, Cmd, Env, WorkingDir and Labels are
replaced by the options given (--cmd '[]' writes an empty Cmd; an option left out keeps the
base value; --env replaces the whole Env list).  `created` comes from SOURCE_DATE_EPOCH (else
2024-01-01), JSON keys are sorted and layers are compressed as oci_from_rootfs.py does, so the
same inputs always give the same digests.  Python 3 standard library only.
"""

import argparse
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from oci_from_rootfs import (MT_CONFIG, MT_INDEX, MT_LAYER, MT_MANIFEST, Blobs,  # noqa: E402
                             compress_layer, created_time, jdump, sha256_file,
                             write_layout_archive)


def load_base(layout):
    with open(os.path.join(layout, "index.json"), "rb") as f:
        index = json.load(f)
    mdesc = index["manifests"][0]
    blobs = os.path.join(layout, "blobs", "sha256")
    with open(os.path.join(blobs, mdesc["digest"].split(":", 1)[1]), "rb") as f:
        manifest = json.load(f)
    with open(os.path.join(blobs, manifest["config"]["digest"].split(":", 1)[1]), "rb") as f:
        config = json.load(f)
    return mdesc, manifest, config


def link_or_copy(src, dst):
    if os.path.exists(dst):
        return
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst + ".tmp")
        os.replace(dst + ".tmp", dst)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 2)[2])
    ap.add_argument("layers", nargs="*", help="uncompressed layer tars to add, bottom first")
    ap.add_argument("--base", required=True, help="OCI layout whose layers go below")
    ap.add_argument("--output", "-o", required=True, help="OCI layout directory to write")
    ap.add_argument("--oci-archive", help="also write a tar of the new layout here")
    ap.add_argument("--compression", choices=["gzip", "zstd", "none"], default="gzip")
    ap.add_argument("--level", type=int, help="compression level (gzip 6, zstd 3 by default)")
    ap.add_argument("--ref", default="stella-bench/app:latest")
    ap.add_argument("--entrypoint", help="JSON list")
    ap.add_argument("--cmd", help="JSON list ('[]' for an empty Cmd)")
    ap.add_argument("--env", action="append", help="KEY=VALUE, repeatable; replaces Env")
    ap.add_argument("--workdir")
    ap.add_argument("--label", action="append", default=[], help="KEY=VALUE, repeatable")
    ap.add_argument("--history", action="append", default=[],
                    help="created_by of each new layer, in order; repeatable")
    args = ap.parse_args(argv)
    level = args.level or {"gzip": 6, "zstd": 3, "none": 0}[args.compression]
    epoch, created = created_time()

    bmdesc, bman, bcfg = load_base(args.base)
    out = args.output
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    blobs = Blobs(out)
    base_blobs = os.path.join(args.base, "blobs", "sha256")

    layer_descs = []
    for desc in bman["layers"]:
        hexd = desc["digest"].split(":", 1)[1]
        link_or_copy(os.path.join(base_blobs, hexd), os.path.join(blobs.dir, hexd))
        layer_descs.append(desc)
    diff_ids = list(bcfg["rootfs"]["diff_ids"])
    history = list(bcfg.get("history", []))

    for i, t in enumerate(args.layers):
        with open(t, "rb") as f:
            magic = f.read(4)
        if magic[:2] == b"\x1f\x8b" or magic == b"\x28\xb5\x2f\xfd":
            sys.exit(f"{t}: give layer tars uncompressed")
        diff_ids.append("sha256:" + sha256_file(t))
        tmp = os.path.join(blobs.dir, f".layer-new-{i}.tmp")
        compress_layer(t, tmp, args.compression, level)
        digest, size = blobs.put_file(tmp)
        layer_descs.append({"mediaType": MT_LAYER[args.compression], "digest": digest,
                            "size": size})
        cb = args.history[i] if i < len(args.history) else f"app layer {i}"
        history.append({"created": created, "created_by": cb,
                        "comment": "built by bench/oci_append.py"})
        print(f"new layer {len(diff_ids) - 1}: tar {os.path.getsize(t)} bytes, "
              f"{args.compression} {size} bytes, diff_id {diff_ids[-1]}", file=sys.stderr)

    cfg = dict(bcfg.get("config", {}))
    if args.entrypoint is not None:
        cfg["Entrypoint"] = json.loads(args.entrypoint)
    if args.cmd is not None:
        cfg["Cmd"] = json.loads(args.cmd)
    if args.env:
        cfg["Env"] = args.env
    if args.workdir is not None:
        cfg["WorkingDir"] = args.workdir
    labels = {"org.opencontainers.image.title": args.ref}
    for kv in args.label:
        k, _, v = kv.partition("=")
        labels[k] = v
    cfg["Labels"] = labels
    config = dict(bcfg)
    config.update({"created": created, "config": cfg,
                   "rootfs": {"type": "layers", "diff_ids": diff_ids}, "history": history})
    cdigest, csize = blobs.put_bytes(jdump(config))
    manifest = {"schemaVersion": 2, "mediaType": MT_MANIFEST,
                "config": {"mediaType": MT_CONFIG, "digest": cdigest, "size": csize},
                "layers": layer_descs,
                "annotations": {"org.opencontainers.image.created": created,
                                "org.opencontainers.image.base.digest": bmdesc["digest"]}}
    mdigest, msize = blobs.put_bytes(jdump(manifest))
    platform = bmdesc.get("platform") or {"architecture": config.get("architecture", "amd64"),
                                          "os": config.get("os", "linux")}
    index = {"schemaVersion": 2, "mediaType": MT_INDEX,
             "manifests": [{"mediaType": MT_MANIFEST, "digest": mdigest, "size": msize,
                            "platform": platform,
                            "annotations": {"org.opencontainers.image.ref.name": args.ref}}]}
    with open(os.path.join(out, "index.json"), "wb") as f:
        f.write(jdump(index))
    with open(os.path.join(out, "oci-layout"), "wb") as f:
        f.write(jdump({"imageLayoutVersion": "1.0.0"}))
    print(f"OCI layout {out}: manifest {mdigest}, config {cdigest}", file=sys.stderr)
    if args.oci_archive:
        write_layout_archive(out, args.oci_archive, epoch)
        print(f"OCI archive {args.oci_archive}", file=sys.stderr)


if __name__ == "__main__":
    main()
