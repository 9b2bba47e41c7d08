#!/usr/bin/env bash
# Load benchmarks with wrk against a real server on loopback: GET /v1/me and POST /v1/auth/login, each with the
# server on 1 worker and on 2. Then the micro-benchmarks. Results go to bench/results/ and stdout.
# Usage: bench/run.sh [duration, default 15s]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15s}
BIN=build/release/src/app/uxflow
[ -x "$BIN" ] || { echo "build first: make build"; exit 1; }
mkdir -p bench/results
out=bench/results/$(date -u +%Y%m%dT%H%M%SZ).txt
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port

run_server() {  # workers
  data=$(mktemp -d)
  UXFLOW_DATA_DIR=$data UXFLOW_LISTEN=127.0.0.1:$port UXFLOW_WORKERS=$1 UXFLOW_HASH_WORKERS=$1 \
  UXFLOW_LOG_LEVEL=warn UXFLOW_RATE_LIMIT_IP_RPS=0 UXFLOW_RATE_LIMIT_USER_RPS=0 UXFLOW_RATE_LIMIT_AUTH_PER_HOUR=0 \
  UXFLOW_LOCKOUT_IP_THRESHOLD=100000 "$BIN" serve 2>/dev/null &
  server=$!
  for _ in $(seq 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
}
stop_server() { kill -TERM "$server"; wait "$server" || true; rm -rf "$data"; }

for workers in 1 2; do
  run_server "$workers"
  export EMAIL=bench@example.com PASSWORD="correct horse battery"
  TOKEN=$(curl -sf -H 'Content-Type: application/json' \
    -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\",\"name\":\"Bench\"}" "$base/v1/auth/register" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  export TOKEN
  for case in me login; do
    conns=64; [ "$case" = login ] && conns=8
    script=$(mktemp --suffix=.lua)
    cat "bench/wrk/$case.lua" bench/wrk/report.lua >"$script"  # wrk takes one script
    line=$(wrk -t2 -c"$conns" -d"$DURATION" -s "$script" "$base" | sed -n 's/^RESULT //p')
    rm -f "$script"
    echo "workers=$workers case=$case connections=$conns $line" | tee -a "$out"
  done
  # A login flood on the password pool while /v1/me is measured: the workers must stay free.
  flood=$(mktemp --suffix=.lua); cat bench/wrk/login.lua >"$flood"
  wrk -t1 -c16 -d"$DURATION" -s "$flood" "$base" >/dev/null &
  flood_pid=$!
  script=$(mktemp --suffix=.lua); cat bench/wrk/me.lua bench/wrk/report.lua >"$script"
  line=$(wrk -t1 -c16 -d"$DURATION" -s "$script" "$base" | sed -n 's/^RESULT //p')
  wait "$flood_pid" || true
  rm -f "$flood" "$script"
  echo "workers=$workers case=me_during_login_flood connections=16+16 $line" | tee -a "$out"
  stop_server
done
build/release/bench/micro_bench --benchmark_min_time=0.2 2>/dev/null | tee -a "$out"
echo "saved $out"
