#!/usr/bin/env bash
# Run fuzz targets one at a time for SECS seconds each (default 60) and print a summary
# table: executions, execs/s, coverage (edges), features, corpus size, result.
#
#   fuzz/run_all.sh                    # every target
#   SECS=300 fuzz/run_all.sh cert_pem  # some targets, longer
#
# Logs go to target/fuzz-logs/<target>.log, crashes to artifacts/<target>/ (both git-ignored).
set -uo pipefail
cd "$(dirname "$0")"
SECS=${SECS:-60}
export RUSTC_BOOTSTRAP=1
if [ $# -gt 0 ]; then targets=("$@"); else mapfile -t targets < <(cargo fuzz list); fi
[ $# -gt 0 ] || cargo fuzz build || exit 1
mkdir -p target/fuzz-logs
rows=()
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    log=target/fuzz-logs/$t.log
    echo "== $t (${SECS}s)" >&2
    extra=()
    # The NDB seed (a real 1.4 MB rpmdb) is over libFuzzer's default 1 MB input limit.
    [ "$t" = rpmdb_ndb ] && extra=(-max_len=2097152)
    cargo fuzz run "$t" -- -max_total_time="$SECS" -rss_limit_mb=2048 -print_final_stats=1 "${extra[@]}" >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    corp=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' <<<"$last")
    if [ $rc -eq 0 ]; then res=ok; else
        res=$(grep -m1 -oE 'panicked at [^ ]+|ERROR: libFuzzer: [a-z-]+|ERROR: AddressSanitizer: [a-z-]+' "$log" || echo "exit $rc")
    fi
    rows+=("$(printf '| %s | %s | %s | %s | %s | %s | %s |' "$t" "${execs:--}" "${eps:--}" "${cov:--}" "${ft:--}" "${corp:--}" "$res")")
done
echo "| target | execs | execs/s | cov | ft | corpus | result |"
echo "|---|---:|---:|---:|---:|---:|---|"
printf '%s\n' "${rows[@]}"
