#!/usr/bin/env bash
# Rerunnable benchmark of the language + native analyzers (issue 3).
#
#   bench/bench-lang.sh [--no-syft]
#
# 1. Overhead: cold scans (--no-cache) of the spine's benchmark image bench/work/debian-oci
#    (bench/make-debian-image.sh) with only the OS analyzers (`--analyzers none`) and with all
#    of them (default), with the default worker count and with --jobs 1; hyperfine
#    --warmup 1 --runs $RUNS. The ratio all/none is the cost of language + native analysis.
# 2. File cache: the java-app image (bench/make-app-images.sh) scanned with an empty cache,
#    then again after deleting only the layer fragments (so every layer is re-read but jars and
#    binaries of >= 1 MiB come from the file-fact cache).
# 3. Counts per purl type, stella vs syft vs the ground truth (expected.tsv), for the three
#    app images (bench/compare-syft.py); syft outputs are those make-app-images.sh wrote.
# Results: bench/work/lang-results.md. Env: STELLA (default target/release/stella), RUNS (5).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
WORK="$HERE/work"
STELLA="${STELLA:-$ROOT/target/release/stella}"
RUNS="${RUNS:-5}"
SYFT=1
for a in "$@"; do
  case "$a" in
    --no-syft) SYFT=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $a" >&2; exit 2 ;;
  esac
done
export LC_ALL=C
command -v hyperfine >/dev/null || apt-get install -y -q hyperfine >&2
command -v jq >/dev/null || apt-get install -y -q jq >&2
[ -x "$STELLA" ] || (cd "$ROOT" && cargo build --release -p stellaops-cli)
IMAGE="$WORK/debian-oci"
[ -d "$IMAGE" ] || bash "$HERE/make-debian-image.sh"
OUT="$WORK/lang-results.md"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

mean() { jq -r ".results[$2].mean" "$1"; }
sd() { jq -r ".results[$2].stddev" "$1"; }

{
  echo "# Language + native analyzers benchmark"
  echo
  echo "- date: $(date -u +%FT%TZ); machine: $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- image: $IMAGE (cold scans, --no-cache); hyperfine --warmup 1 --runs $RUNS"
  echo
} >"$OUT"

scan="$STELLA scan oci-dir:$IMAGE --no-cache -q -o /dev/null"
hyperfine -N -w 1 -r "$RUNS" --export-json "$TMP/overhead.json" \
  -n "os only" "$scan --analyzers none" \
  -n "all" "$scan" \
  -n "os only, --jobs 1" "$scan --analyzers none --jobs 1" \
  -n "all, --jobs 1" "$scan --jobs 1" >&2
{
  echo "| scan | seconds (mean ± sd) |"
  echo "| --- | --- |"
  for i in 0 1 2 3; do
    echo "| $(jq -r ".results[$i].command" "$TMP/overhead.json") | $(printf '%.3f ± %.3f' "$(mean "$TMP/overhead.json" $i)" "$(sd "$TMP/overhead.json" $i)") |"
  done
  echo
  echo "Overhead of language + native analysis: $(python3 -c "print(f'{$(mean "$TMP/overhead.json" 1)/$(mean "$TMP/overhead.json" 0):.2f}x')") (default jobs), $(python3 -c "print(f'{$(mean "$TMP/overhead.json" 3)/$(mean "$TMP/overhead.json" 2):.2f}x')") (--jobs 1)."
  echo
} >>"$OUT"

APPS="$WORK/apps"
if [ -d "$APPS/java-app/oci" ]; then
  cache="$TMP/cache"
  java="$STELLA scan oci-dir:$APPS/java-app/oci -q -o /dev/null --cache-dir $cache"
  hyperfine -N -w 0 -r "$RUNS" --export-json "$TMP/cas.json" \
    -p "rm -rf $cache" -n "java-app, empty cache" "$java" \
    -p "rm -rf $cache/fragments" -n "java-app, file-fact cache only" "$java" >&2
  {
    echo "| file cache (java-app) | seconds (mean ± sd) |"
    echo "| --- | --- |"
    for i in 0 1; do
      echo "| $(jq -r ".results[$i].command" "$TMP/cas.json") | $(printf '%.3f ± %.3f' "$(mean "$TMP/cas.json" $i)" "$(sd "$TMP/cas.json" $i)") |"
    done
    echo
  } >>"$OUT"
  for app in node-app python-app java-app; do
    dir="$APPS/$app"
    [ -d "$dir/oci" ] || continue
    "$STELLA" scan "oci-dir:$dir/oci" --no-cache -q -o "$dir/stella.cdx.json"
    "$STELLA" scan "oci-dir:$dir/oci" --no-cache -q --view usage -o "$dir/stella-usage.cdx.json"
    {
      echo "## $app"
      echo
      echo '```'
      python3 "$HERE/compare-syft.py" "$dir/stella.cdx.json" "$dir/expected.tsv" --labels stella,truth
      if [ "$SYFT" = 1 ] && [ -f "$dir/syft.cdx.json" ]; then
        echo
        python3 "$HERE/compare-syft.py" "$dir/stella.cdx.json" "$dir/syft.cdx.json" --labels stella,syft
      fi
      echo
      echo "usage view:"
      python3 "$HERE/compare-syft.py" --counts "$dir/stella-usage.cdx.json"
      jq -r '.metadata.properties[] | select(.name|startswith("stellaops:entryTrace")) | "\(.name) = \(.value)"' "$dir/stella.cdx.json"
      echo '```'
      echo
    } >>"$OUT"
  done
fi
cat "$OUT"
