#!/usr/bin/env bash
# Build a real 3-layer Debian bookworm image from the machine's configured Debian mirror.
#
#   bench/make-debian-image.sh [--force] [OUT_DIR]        (OUT_DIR defaults to bench/work)
#
# Layer 0: debootstrap --variant=minbase bookworm                   -> OUT_DIR/rootfs-0
# Layer 1: + apt-get upgrade (updates/security, when configured) and EXTRA_PACKAGES
#                                                                     -> OUT_DIR/rootfs-1
# Layer 2: dpkg --purge of PURGE_PACKAGES and one file removed by hand -> OUT_DIR/rootfs-2
#          (so it holds whiteouts and a rewritten dpkg status)
#
# Outputs in OUT_DIR:
#   layers/layer-{0,1,2}.tar   uncompressed layer tars (bench/layer_diff.py)
#   debian-oci/                OCI layout, gzip layers
#   debian-oci-zstd/           OCI layout, zstd layers
#   debian-docker.tar          `docker save` style archive
#   debian-oci.tar             tar of an OCI layout (gzip layers)
#   expected-packages.tsv      installed packages of rootfs-2:
#                              Package Version Architecture source:Package source:Version
#   expected-layer.tsv         Package Version Architecture LowestLayer: the lowest layer from
#                              which the same name+version+arch is present in every snapshot
#   layer-sizes.tsv            per layer: uncompressed, gzip and zstd sizes in bytes
#
# Idempotent: a step whose outputs exist is skipped (stamps OUT_DIR/.stamp-*); --force redoes all.
# Env: EXTRA_PACKAGES, PURGE_PACKAGES, DELETE_FILE, SUITE (default bookworm), IMAGE_REF.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FORCE=0
OUT_DIR=""
for a in "$@"; do
  case "$a" in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option: $a" >&2; exit 2 ;;
    *) OUT_DIR="$a" ;;
  esac
done
OUT_DIR="${OUT_DIR:-$HERE/work}"
mkdir -p "$OUT_DIR"
OUT_DIR="$(cd "$OUT_DIR" && pwd)"

SUITE="${SUITE:-bookworm}"
IMAGE_REF="${IMAGE_REF:-stella-bench/debian:bookworm}"
EXTRA_PACKAGES="${EXTRA_PACKAGES:-python3 perl openjdk-17-jre-headless curl git libssl3 ca-certificates nodejs}"
PURGE_PACKAGES="${PURGE_PACKAGES:-curl git git-man liberror-perl}"
DELETE_FILE="${DELETE_FILE:-usr/share/doc/bash/README.gz}"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1704067200}"   # 2024-01-01T00:00:00Z
export LC_ALL=C

[ "$(id -u)" = 0 ] || { echo "must run as root (debootstrap, chroot)" >&2; exit 1; }
log() { printf '\n==> %s\n' "$*" >&2; }

# ---------------------------------------------------------------- mounts, always undone
MOUNTS=()
cleanup() {
  local i
  for (( i=${#MOUNTS[@]}-1; i>=0; i-- )); do
    umount "${MOUNTS[$i]}" 2>/dev/null || umount -l "${MOUNTS[$i]}" 2>/dev/null || true
  done
  MOUNTS=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mount_into() { # fstype-or-bind src target
  if [ "$1" = bind ]; then mount --bind "$2" "$3"; else mount -t "$1" "$2" "$3"; fi
  MOUNTS+=("$3")
}

# ---------------------------------------------------------------- stamps
stamp()   { touch "$OUT_DIR/.stamp-$1"; }
have()    { [ "$FORCE" = 0 ] && [ -e "$OUT_DIR/.stamp-$1" ]; }
unstamp() { local s; for s in "$@"; do rm -f "$OUT_DIR/.stamp-$s"; done; }
if [ "$FORCE" = 1 ]; then rm -f "$OUT_DIR"/.stamp-*; FORCE=0; fi

# ---------------------------------------------------------------- mirror discovery
# Prints "MAIN_URI" on line 1 and "SECURITY_URI" (may be empty) on line 2, from the
# machine's apt configuration: deb822 *.sources and one-line *.list files.
discover_mirror() {
  python3 - "$SUITE" <<'PY'
import glob, os, sys
suite = sys.argv[1]
files = ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list")) \
        + sorted(glob.glob("/etc/apt/sources.list.d/*.sources"))
entries = []  # (uri, suites, components)
for f in files:
    if not os.path.isfile(f):
        continue
    text = open(f, encoding="utf-8", errors="replace").read()
    if f.endswith(".sources"):
        for stanza in text.split("\n\n"):
            fields, key = {}, None
            for line in stanza.splitlines():
                if line.startswith("#") or not line.strip():
                    continue
                if line[0] in " \t" and key:
                    fields[key] += " " + line.strip()
                    continue
                key, _, val = line.partition(":")
                key = key.strip().lower()
                fields[key] = val.strip()
            if "deb" not in fields.get("types", "").split():
                continue
            if fields.get("enabled", "yes").lower() == "no":
                continue
            for uri in fields.get("uris", "").split():
                entries.append((uri, fields.get("suites", "").split(), fields.get("components", "").split()))
    else:
        for line in text.splitlines():
            parts = line.split("#", 1)[0].split()
            if not parts or parts[0] != "deb":
                continue
            parts = parts[1:]
            if parts and parts[0].startswith("["):
                while parts and not parts[0].endswith("]"):
                    parts.pop(0)
                parts.pop(0)
            if len(parts) >= 2:
                entries.append((parts[0], [parts[1]], parts[2:]))
main = next((u for u, s, c in entries if suite in s and "main" in c), "")
sec = next((u for u, s, c in entries if f"{suite}-security" in s and "main" in c), "")
upd = next((u for u, s, c in entries if f"{suite}-updates" in s and "main" in c), "")
print(main.rstrip("/")); print(sec.rstrip("/")); print(upd.rstrip("/"))
PY
}
mapfile -t MIRRORS < <(discover_mirror)
MIRROR="${MIRRORS[0]:-}"; SECURITY_MIRROR="${MIRRORS[1]:-}"; UPDATES_MIRROR="${MIRRORS[2]:-}"
[ -n "$MIRROR" ] || { echo "no 'deb ... $SUITE main' entry found in /etc/apt/sources.list{,.d/*}" >&2; exit 1; }
echo "mirror: $MIRROR  security: ${SECURITY_MIRROR:-none}  updates: ${UPDATES_MIRROR:-none}" >&2

need_tool() { # command package
  command -v "$1" >/dev/null 2>&1 && return 0
  log "installing $2"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >&2 || {
    apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >&2; }
}
need_tool debootstrap debootstrap
need_tool zstd zstd

R0="$OUT_DIR/rootfs-0"; R1="$OUT_DIR/rootfs-1"; R2="$OUT_DIR/rootfs-2"

in_chroot() { # root cmd...
  local root="$1"; shift
  chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LC_ALL=C DEBIAN_FRONTEND=noninteractive "$@"
}

# Remove apt caches and lists so layers hold none.
clean_apt() {
  local root="$1"
  in_chroot "$root" apt-get clean
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
  rm -rf "$root"/var/cache/apt/archives/partial/*
}

# Everything a chroot needs to run apt/maintainer scripts; undone by chroot_down.
chroot_up() {
  local root="$1"
  mount_into proc proc "$root/proc"
  [ -c "$root/dev/null" ] || mount_into bind /dev "$root/dev"
  if [ -e "$root/etc/resolv.conf" ] || [ -L "$root/etc/resolv.conf" ]; then
    mv "$root/etc/resolv.conf" "$root/etc/resolv.conf.bench-saved"
  fi
  cp -L /etc/resolv.conf "$root/etc/resolv.conf"
  printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"; chmod 755 "$root/usr/sbin/policy-rc.d"
  # Snapshot mirrors serve Release files past their Valid-Until.
  printf 'Acquire::Check-Valid-Until "false";\nAcquire::Check-Date "false";\n' \
    > "$root/etc/apt/apt.conf.d/99bench-build"
}
chroot_down() {
  local root="$1"
  rm -f "$root/usr/sbin/policy-rc.d" "$root/etc/apt/apt.conf.d/99bench-build" "$root/etc/resolv.conf"
  if [ -e "$root/etc/resolv.conf.bench-saved" ] || [ -L "$root/etc/resolv.conf.bench-saved" ]; then
    mv "$root/etc/resolv.conf.bench-saved" "$root/etc/resolv.conf"
  fi
  cleanup
}

remove_tree() { # refuse to rm a tree with something still mounted under it
  local d="$1"
  [ -e "$d" ] || return 0
  if grep -q " $d/" /proc/mounts; then echo "refusing to remove $d: mounts below it" >&2; exit 1; fi
  rm -rf --one-file-system "$d"
}

# ---------------------------------------------------------------- layer 0
if ! have rootfs-0; then
  unstamp rootfs-1 rootfs-2 layers oci tsv
  remove_tree "$R0"
  log "debootstrap --variant=minbase $SUITE into $R0"
  debootstrap --variant=minbase "$SUITE" "$R0" "$MIRROR" >&2
  clean_apt "$R0"
  rm -rf "$R0"/var/log/bootstrap.log "$R0"/debootstrap
  stamp rootfs-0
fi

# ---------------------------------------------------------------- layer 1
if ! have rootfs-1; then
  unstamp rootfs-2 layers oci tsv
  remove_tree "$R1"
  cp -a "$R0" "$R1"
  log "layer 1: upgrade + install $EXTRA_PACKAGES"
  {
    echo "deb $MIRROR $SUITE main"
    [ -n "$UPDATES_MIRROR" ] && echo "deb $UPDATES_MIRROR $SUITE-updates main"
    [ -n "$SECURITY_MIRROR" ] && echo "deb $SECURITY_MIRROR $SUITE-security main"
    true
  } > "$R1/etc/apt/sources.list"
  chroot_up "$R1"
  in_chroot "$R1" apt-get update -q >&2
  in_chroot "$R1" apt-get -y -q upgrade >&2
  # shellcheck disable=SC2086
  in_chroot "$R1" apt-get install -y -q --no-install-recommends $EXTRA_PACKAGES >&2
  clean_apt "$R1"
  chroot_down "$R1"
  stamp rootfs-1
fi

# ---------------------------------------------------------------- layer 2
if ! have rootfs-2; then
  unstamp layers oci tsv
  remove_tree "$R2"
  cp -a "$R1" "$R2"
  log "layer 2: dpkg --purge $PURGE_PACKAGES; rm /$DELETE_FILE"
  chroot_up "$R2"
  # shellcheck disable=SC2086
  in_chroot "$R2" dpkg --purge $PURGE_PACKAGES >&2
  clean_apt "$R2"
  chroot_down "$R2"
  if [ -e "$R2/$DELETE_FILE" ]; then rm -f "$R2/$DELETE_FILE"
  else echo "warning: $DELETE_FILE not present in rootfs-2, nothing deleted by hand" >&2; fi
  stamp rootfs-2
fi

# ---------------------------------------------------------------- layer tars
L="$OUT_DIR/layers"
if ! have layers; then
  unstamp oci
  mkdir -p "$L"
  log "layer tars"
  EXCL=(--exclude-contents proc --exclude-contents sys --exclude-contents dev --exclude-contents run)
  python3 "$HERE/layer_diff.py" --after "$R0" --output "$L/layer-0.tar" "${EXCL[@]}"
  python3 "$HERE/layer_diff.py" --before "$R0" --after "$R1" --output "$L/layer-1.tar" "${EXCL[@]}"
  python3 "$HERE/layer_diff.py" --before "$R1" --after "$R2" --output "$L/layer-2.tar" "${EXCL[@]}"
  stamp layers
fi

# ---------------------------------------------------------------- images
if ! have oci; then
  log "OCI layout (gzip), OCI archive, docker archive"
  rm -rf "$OUT_DIR/debian-oci" "$OUT_DIR/debian-oci-zstd"
  HIST=(--history "debootstrap --variant=minbase $SUITE"
        --history "apt-get upgrade && apt-get install --no-install-recommends $EXTRA_PACKAGES"
        --history "dpkg --purge $PURGE_PACKAGES && rm /$DELETE_FILE")
  python3 "$HERE/oci_from_rootfs.py" "$L/layer-0.tar" "$L/layer-1.tar" "$L/layer-2.tar" \
    --ref "$IMAGE_REF" "${HIST[@]}" --compression gzip \
    --output "$OUT_DIR/debian-oci" \
    --oci-archive "$OUT_DIR/debian-oci.tar" \
    --docker-archive "$OUT_DIR/debian-docker.tar"
  log "OCI layout (zstd)"
  python3 "$HERE/oci_from_rootfs.py" "$L/layer-0.tar" "$L/layer-1.tar" "$L/layer-2.tar" \
    --ref "$IMAGE_REF" "${HIST[@]}" --compression zstd --output "$OUT_DIR/debian-oci-zstd"
  stamp oci
fi

# ---------------------------------------------------------------- expected packages
if ! have tsv; then
  log "expected-packages.tsv, expected-layer.tsv"
  installed() { # admindir -> Package\tVersion\tArch\tsrc\tsrcver for 'ii ' packages
    dpkg-query --admindir="$1" -W \
      -f '${db:Status-Abbrev}\t${Package}\t${Version}\t${Architecture}\t${source:Package}\t${source:Version}\n' \
      | awk -F'\t' '$1 == "ii " { print $2 "\t" $3 "\t" $4 "\t" $5 "\t" $6 }' | sort
  }
  installed "$R2/var/lib/dpkg" > "$OUT_DIR/expected-packages.tsv"
  installed "$R0/var/lib/dpkg" > "$OUT_DIR/.pkgs-0.tsv"
  installed "$R1/var/lib/dpkg" > "$OUT_DIR/.pkgs-1.tsv"
  python3 - "$OUT_DIR" <<'PY'
import sys
d = sys.argv[1]
def load(p):
    return {tuple(l.split("\t")[:3]) for l in open(p) if l.strip()}
snaps = [load(f"{d}/.pkgs-0.tsv"), load(f"{d}/.pkgs-1.tsv"), load(f"{d}/expected-packages.tsv")]
with open(f"{d}/expected-layer.tsv", "w") as out:
    for key in sorted(snaps[2]):
        layer = 2
        while layer > 0 and key in snaps[layer - 1]:
            layer -= 1
        out.write("\t".join(key) + f"\t{layer}\n")
PY
  rm -f "$OUT_DIR/.pkgs-0.tsv" "$OUT_DIR/.pkgs-1.tsv"
  stamp tsv
fi

# ---------------------------------------------------------------- report
python3 - "$OUT_DIR" <<'PY'
import json, os, sys
d = sys.argv[1]
def layers(layout):
    idx = json.load(open(f"{layout}/index.json"))
    m = idx["manifests"][0]["digest"].split(":")[1]
    man = json.load(open(f"{layout}/blobs/sha256/{m}"))
    return [l["size"] for l in man["layers"]]
gz, zs = layers(f"{d}/debian-oci"), layers(f"{d}/debian-oci-zstd")
raw = [os.path.getsize(f"{d}/layers/layer-{i}.tar") for i in range(len(gz))]
mb = lambda n: f"{n / 1e6:9.1f}"
rows = ["layer\tuncompressed\tgzip\tzstd"]
print(f"{'layer':>5} {'tar MB':>9} {'gzip MB':>9} {'zstd MB':>9}")
for i, (r, g, z) in enumerate(zip(raw, gz, zs)):
    print(f"{i:>5} {mb(r)} {mb(g)} {mb(z)}")
    rows.append(f"{i}\t{r}\t{g}\t{z}")
print(f"{'total':>5} {mb(sum(raw))} {mb(sum(gz))} {mb(sum(zs))}")
open(f"{d}/layer-sizes.tsv", "w").write("\n".join(rows) + "\n")
n = sum(1 for _ in open(f"{d}/expected-packages.tsv"))
per = {}
for l in open(f"{d}/expected-layer.tsv"):
    k = l.rstrip("\n").split("\t")[-1]; per[k] = per.get(k, 0) + 1
print(f"packages installed in the final image: {n}  (lowest layer: "
      + ", ".join(f"{k}: {v}" for k, v in sorted(per.items())) + ")")
for f in ("debian-docker.tar", "debian-oci.tar"):
    print(f"{f}: {os.path.getsize(os.path.join(d, f)) / 1e6:.1f} MB")
PY
