#!/usr/bin/env bash
# Attestation benchmarks (issue 5 targets): DSSE Ed25519 verify >= 20k/s per core, inclusion
# proof generation + verification on a 1M-entry log <= 1 ms (divan, in-process), and log
# append >= 5k entries/s with durable writes (the CLI, fsync of every tile and checkpoint).
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=bench/work/attest
N=${N:-20000}
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }

cargo bench -q -p stellaops-attest --bench attest 2>&1 | tee bench/work/attest-divan.txt

cargo build --release -q -p stellaops-cli
STELLA=$PWD/target/release/stella
rm -rf "$WORK" && mkdir -p "$WORK/files"
for i in $(seq 1 "$N"); do printf '{"n":%d}\n' "$i"; done | split -l 1 -a 5 - "$WORK/files/f"
$STELLA key generate --output "$WORK/log.pem" 2>/dev/null
echo "== durable append of $N entries in one batch"
hyperfine --runs 3 \
  --prepare "rm -rf $WORK/log && $STELLA log init $WORK/log --origin bench.example/log --key $WORK/log.pem 2>/dev/null" \
  "find $WORK/files -type f | sort | xargs $STELLA log append $WORK/log > /dev/null" \
  --export-markdown "$WORK/append.md"
$STELLA log verify "$WORK/log"
