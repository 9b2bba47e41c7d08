#!/usr/bin/env bash
# Builds the libFuzzer harnesses (cmake preset `sanitize`: clang 14, ASan + UBSan, the tree `make test-sanitize`
# uses; only the harnesses' targets here) and runs each for SECONDS (default 20) over a copy of its seed corpus in
# fuzz/corpus/<harness>/ (the committed files stay untouched).
# Prints one line per harness with its executions and result; exits non-zero when one crashes, times out or
# runs out of memory (the input is kept in build/sanitize/fuzz-smoke/<harness>/findings/, the log beside it).
# Installs nothing: `make deps` (scripts/install-deps.sh) installs clang-14 and libFuzzer.
# Usage: scripts/fuzz-smoke.sh [seconds]    Longer runs: scripts/fuzz-smoke.sh 600 (FUZZ_JOBS harnesses at once,
# default one per core)
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
JOBS=${JOBS:-$(nproc)}
HARNESSES=(flow_document:json ops_batch:json mermaid_import:mermaid drawio_import:drawio http_request:http
           config_toml:toml document_text:html planner:prompt)

command -v clang++-14 >/dev/null || { echo "clang++-14 is not installed (make deps)"; exit 1; }
mkdir -p build
cmake --preset sanitize >build/sanitize-configure.log 2>&1 || { cat build/sanitize-configure.log; exit 1; }
targets=()
for entry in "${HARNESSES[@]}"; do targets+=(--target "fuzz_${entry%%:*}"); done
if ! cmake --build build/sanitize -j "$JOBS" "${targets[@]}" >build/sanitize/fuzz-build.log 2>&1; then
  grep -E "error|FAILED" -A5 build/sanitize/fuzz-build.log | head -40
  echo "fuzz build failed (build/sanitize/fuzz-build.log)"
  exit 1
fi

export LSAN_OPTIONS="suppressions=$PWD/fuzz/lsan.supp:print_suppressions=0"
# Each harness is one process on one core: FUZZ_JOBS of them at once (default: the cores), results in order.
FUZZ_JOBS=${FUZZ_JOBS:-$(nproc)}

fuzz_one() {  # harness dictionary: runs it, writes its line to $work/result, returns non-zero on a finding
  local name=$1 dict=$2 work=build/sanitize/fuzz-smoke/$1 rc execs found result
  rm -rf "$work" && mkdir -p "$work/corpus" "$work/findings"
  cp fuzz/corpus/"$name"/* "$work/corpus/"
  build/sanitize/fuzz/fuzz_"$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -dict=fuzz/dict/"$dict".dict -artifact_prefix="$work/findings/" "$work/corpus" >"$work/log" 2>&1
  rc=$?
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$work/log" | grep -oE '[0-9]+$' | tail -1)
  found=$(ls "$work/findings" | head -1)
  if [ $rc -eq 0 ] && [ -z "$found" ]; then
    result="ok"
  else
    result="FAILED (exit $rc): $(grep -m1 -E 'ERROR:|INVARIANT BROKEN|runtime error|Timeout|out-of-memory' "$work/log")"
    [ -n "$found" ] && result="$result; input: $work/findings/$found"
  fi
  printf '%-16s %10s executions in %ss, corpus %s -> %s files: %s\n' "$name" "${execs:-?}" "$seconds" \
    "$(ls fuzz/corpus/"$name" | wc -l)" "$(ls "$work/corpus" | wc -l)" "$result" >"$work/result"
}

running=0
for entry in "${HARNESSES[@]}"; do
  fuzz_one "${entry%%:*}" "${entry##*:}" &
  running=$((running + 1))
  if [ "$running" -ge "$FUZZ_JOBS" ]; then wait -n; running=$((running - 1)); fi
done
wait
failed=0
for entry in "${HARNESSES[@]}"; do
  result=build/sanitize/fuzz-smoke/${entry%%:*}/result
  if [ -s "$result" ]; then cat "$result"; else printf '%-16s FAILED: no result\n' "${entry%%:*}"; fi
  grep -qE ': ok$' "$result" 2>/dev/null || failed=1
done
exit $failed
