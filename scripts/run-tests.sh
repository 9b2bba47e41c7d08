#!/usr/bin/env bash
# Builds everything and runs the whole test suite twice: on SQLite, then on a throwaway PostgreSQL.
# Usage: run-tests.sh [--sanitize [--sqlite-only]]
#   --sanitize     the `asan` preset (ASan + UBSan + LeakSanitizer): the C++ unit and integration tests only
#   --sqlite-only  skip the PostgreSQL round
# Skipped and disabled tests are counted apart ("N skipped"), never as passed. Ends with the summary line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
preset=release sqlite_only=0 exclude=""
for arg in "$@"; do
  case $arg in
    --sanitize) preset=asan ;;
    --sqlite-only) sqlite_only=1 ;;
    *) echo "unknown option $arg"; echo "0 passed, 1 failed"; exit 2 ;;
  esac
done
BUILD=build/$preset
JOBS=${JOBS:-$(nproc)}
if [ "$preset" = asan ]; then
  # The scripts (layering, Mermaid's parser in node) gain nothing from sanitizers.
  exclude='^(layering|mermaid_parses_exports)$'
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
  export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan.supp:print_suppressions=0}
fi
cmake --preset "$preset" >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
cmake --build "$BUILD" -j "$JOBS" || { echo "0 passed, 1 failed"; exit 1; }

passed=0 failed=0 skipped=0
run_suite() {
  local label=$1 log summary total f s d
  log=$(mktemp)
  echo "== tests on $label"
  (cd "$BUILD" && ctest --output-on-failure -j "$JOBS" --timeout 600 ${exclude:+-E "$exclude"}) 2>&1 | tee "$log"
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

unset UXFLOW_TEST_DATABASE_URL
run_suite "SQLite ($preset build)"

if [ "$sqlite_only" = 0 ]; then
  pg_env=$(scripts/start-test-postgres.sh) || {
    echo "could not start PostgreSQL"; echo "$skipped skipped"; echo "$passed passed, $((failed + 1)) failed"; exit 1
  }
  eval "$pg_env"
  trap 'scripts/stop-test-postgres.sh' EXIT
  run_suite "PostgreSQL ($UXFLOW_TEST_DATABASE_URL, $preset build)"
fi

echo "$skipped skipped"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
