#!/usr/bin/env bash
# Builds the libFuzzer harnesses (cmake preset `fuzz`: clang 14, ASan + UBSan) and runs each for SECONDS
# (default 20) over a copy of its seed corpus in fuzz/corpus/<harness>/ (the committed files stay untouched).
# Prints one line per harness with its executions and result; exits non-zero when one crashes, times out or
# runs out of memory (the input is kept in build/fuzz/smoke/<harness>/findings/, the log beside it).
# Installs nothing: `make deps` (scripts/install-deps.sh) installs clang-14 and libFuzzer.
# Usage: scripts/fuzz-smoke.sh [seconds]    Longer runs: FUZZ_JOBS=2 scripts/fuzz-smoke.sh 600
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
JOBS=${JOBS:-$(nproc)}
HARNESSES=(flow_document:json ops_batch:json mermaid_import:mermaid drawio_import:drawio http_request:http
           config_toml:toml)

command -v clang++-14 >/dev/null || { echo "clang++-14 is not installed (make deps)"; exit 1; }
mkdir -p build
cmake --preset fuzz >build/fuzz-configure.log 2>&1 || { cat build/fuzz-configure.log; exit 1; }
targets=()
for entry in "${HARNESSES[@]}"; do targets+=(--target "fuzz_${entry%%:*}"); done
if ! cmake --build build/fuzz -j "$JOBS" "${targets[@]}" >build/fuzz/build.log 2>&1; then
  grep -E "error|FAILED" -A5 build/fuzz/build.log | head -40
  echo "fuzz build failed (build/fuzz/build.log)"
  exit 1
fi

export LSAN_OPTIONS="suppressions=$PWD/fuzz/lsan.supp:print_suppressions=0"
failed=0
for entry in "${HARNESSES[@]}"; do
  name=${entry%%:*} dict=${entry##*:}
  work=build/fuzz/smoke/$name
  rm -rf "$work" && mkdir -p "$work/corpus" "$work/findings"
  cp fuzz/corpus/"$name"/* "$work/corpus/"
  build/fuzz/fuzz/fuzz_"$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -dict=fuzz/dict/"$dict".dict -artifact_prefix="$work/findings/" "$work/corpus" >"$work/log" 2>&1
  rc=$?
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$work/log" | grep -oE '[0-9]+$' | tail -1)
  found=$(ls "$work/findings" | head -1)
  if [ $rc -eq 0 ] && [ -z "$found" ]; then
    result="ok"
  else
    result="FAILED (exit $rc): $(grep -m1 -E 'ERROR:|INVARIANT BROKEN|runtime error|Timeout|out-of-memory' "$work/log")"
    [ -n "$found" ] && result="$result; input: $work/findings/$found"
    failed=1
  fi
  printf '%-16s %10s executions in %ss, corpus %s -> %s files: %s\n' "$name" "${execs:-?}" "$seconds" \
    "$(ls fuzz/corpus/"$name" | wc -l)" "$(ls "$work/corpus" | wc -l)" "$result"
done
exit $failed
