#!/usr/bin/env bash
# Builds everything and runs the whole test suite twice: on SQLite, then on a throwaway PostgreSQL.
# Ends with the summary line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=build/release
JOBS=${JOBS:-$(nproc)}
cmake --preset release >/dev/null || exit 1
cmake --build "$BUILD" -j "$JOBS" || exit 1

passed=0; failed=0
run_suite() {
  local label=$1 log
  log=$(mktemp)
  echo "== tests on $label"
  (cd "$BUILD" && ctest --output-on-failure -j "$JOBS" --timeout 600) 2>&1 | tee "$log"
  local p f
  p=$(grep -oE '^[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -1)
  if [ -z "$p" ]; then failed=$((failed + 1)); rm -f "$log"; return; fi
  f=$(echo "$p" | sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+)/\1/')
  local total; total=$(echo "$p" | sed -E 's/.* out of ([0-9]+)/\1/')
  passed=$((passed + total - f)); failed=$((failed + f))
  rm -f "$log"
}

unset UXFLOW_TEST_DATABASE_URL
run_suite "SQLite"

pg_env=$(scripts/start-test-postgres.sh) || { echo "could not start PostgreSQL"; echo "$passed passed, $((failed + 1)) failed"; exit 1; }
eval "$pg_env"
trap 'scripts/stop-test-postgres.sh' EXIT
run_suite "PostgreSQL ($UXFLOW_TEST_DATABASE_URL)"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
