#!/usr/bin/env bash
# Load benchmarks with wrk against a real server on loopback: GET /v1/me and POST /v1/auth/login, each with the
# server on 1 worker and on 2. Then the micro-benchmarks. Results go to bench/results/ and stdout.
# Usage: bench/run.sh [duration, default 15s]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15s}
source bench/lib.sh
mkdir -p bench/results
out=bench/results/$(date -u +%Y%m%dT%H%M%SZ).txt

for workers in 1 2; do
  start_server "$workers"
  export EMAIL=bench@example.com PASSWORD="correct horse battery"
  TOKEN=$(register | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  export TOKEN
  for case in me login; do
    conns=64; [ "$case" = login ] && conns=8
    line=$(wrk_case "bench/wrk/$case.lua" "$conns" 2 "$DURATION")
    echo "workers=$workers case=$case connections=$conns $line" | tee -a "$out"
  done
  # A login flood on the password pool while /v1/me is measured: the workers must stay free.
  flood=$(mktemp --suffix=.lua); cat bench/wrk/login.lua >"$flood"
  wrk -t1 -c16 -d"$DURATION" -s "$flood" "$base" >/dev/null &
  flood_pid=$!
  line=$(wrk_case bench/wrk/me.lua 16 1 "$DURATION")
  wait "$flood_pid" || true
  rm -f "$flood"
  echo "workers=$workers case=me_during_login_flood connections=16+16 $line" | tee -a "$out"
  stop_server
done
build/release/bench/micro_bench --benchmark_min_time=0.2 2>/dev/null | tee -a "$out"
echo "saved $out"
