#!/usr/bin/env bash
# Advisory benchmarks (issue 4 targets): load a snapshot of >= 300k affected entries
# (<= 2 s, <= 500 MB RSS), match a 5,000-component SBOM (<= 100 ms), version comparisons
# (>= 5 M/s per core). Rerunnable: `bash bench/bench-advisories.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=bench/work/advisories
ADVISORIES=${ADVISORIES:-62000}   # x 5 affected entries each = 310k entries

command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }

cargo build --release -q -p stellaops-cli
cargo run --release -q -p stellaops-policy --example synth_snapshot -- "$WORK" "$ADVISORIES" 5000
STELLA=target/release/stella

echo "== snapshot: $(wc -c < $WORK/db/snapshot.jsonl) bytes"
$STELLA db stats --db $WORK/db | head -8

echo "== load snapshot + build index (stella db stats)"
hyperfine --warmup 1 --runs 5 "$STELLA db stats --db $WORK/db" --export-markdown $WORK/load.md
/usr/bin/time -v $STELLA db stats --db $WORK/db 2> $WORK/load.time > /dev/null
grep -E 'Maximum resident' $WORK/load.time

echo "== load + match 5,000 components (stella match)"
hyperfine --warmup 1 --runs 5 "$STELLA match --db $WORK/db --sbom $WORK/sbom.cdx.json --format json --output /dev/null" --export-markdown $WORK/match.md
/usr/bin/time -v $STELLA match --db $WORK/db --sbom $WORK/sbom.cdx.json --format json --output $WORK/report.json 2> $WORK/match.time
grep -E 'Maximum resident' $WORK/match.time
echo "findings: $(grep -c '"id": "CVE-2099' $WORK/report.json || true)"

echo "== in-process: snapshot load+index, match 5,000 components, version comparisons (divan)"
cargo bench -q -p stellaops-policy --bench policy 2>&1 | tee $WORK/divan.txt
