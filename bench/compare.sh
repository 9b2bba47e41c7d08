#!/usr/bin/env bash
# Side by side, in one run: an authenticated GET of a 50-node flow from (a) uxflow on PostgreSQL, (b) the original
# stack (Express 4 + jsonwebtoken + pg) on the same PostgreSQL server, (c) uxflow on its embedded SQLite, (d) a bare
# Beast server sending the bytes (c) returned from memory. wrk -t1 -c32, rounds alternate between the four, the
# median of the rounds is kept. Prints the two ratios a/b and c/d, then p50/p99 of one connection for 50-, 500- and
# 2,000-node flows and of PUT and /ops on a 200-node flow (SQLite).
# The reference programs (the Express peer and the Beast baseline) are not part of this repository: point
# UXF_REFERENCE_DIR at the folder that holds peer/ and baseline/ (default ../shared/bench).
# Usage: bench/compare.sh [duration per round, default 5s] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-5s}
ROUNDS=${2:-3}
REF=${UXF_REFERENCE_DIR:-../shared/bench}
BIN=build/release/src/app/uxflow
[ -x "$BIN" ] || { echo "build first: make build"; exit 1; }
[ -f "$REF/peer/server.js" ] && [ -f "$REF/baseline/hello.cpp" ] || { echo "no reference programs in $REF"; exit 1; }
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${UXF_PG_DIR:-}" ] && scripts/stop-test-postgres.sh >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_http() {
  for _ in $(seq 100); do curl -sf "$1" >/dev/null && return 0; sleep 0.1; done
  echo "no answer from $1"; cat "$work"/*.log; exit 1
}
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# The reference programs, built and installed in the scratch folder (npm ci from the lock file).
g++ -std=c++20 -O2 "$REF/baseline/hello.cpp" -o "$work/hello" -lpthread
cp "$REF/peer/package.json" "$REF/peer/package-lock.json" "$work/"
(cd "$work" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
eval "$(scripts/start-test-postgres.sh)"
PGPORT=$(echo "$UXFLOW_TEST_DATABASE_URL" | sed -E 's|.*:([0-9]+)/.*|\1|')
PSQL=(psql -h 127.0.0.1 -p "$PGPORT" -U uxf -q)
[ "$(id -u)" = 0 ] && PSQL=(runuser -u postgres -- "${PSQL[@]}")
"${PSQL[@]}" -d uxf_test -c "CREATE DATABASE peer" >/dev/null

start_uxflow() {  # database-url; sets $port
  port=$(free_port)
  UXFLOW_DATA_DIR=$work/data-$port UXFLOW_DATABASE_URL=$1 UXFLOW_LISTEN=127.0.0.1:$port UXFLOW_LOG_LEVEL=warn \
  UXFLOW_RATE_LIMIT_IP_RPS=0 UXFLOW_RATE_LIMIT_USER_RPS=0 UXFLOW_RATE_LIMIT_AUTH_PER_HOUR=0 \
  UXFLOW_JWT_SECRET=bench-secret-bench-secret-bench-secret-0123 UXFLOW_SECRET_KEY=$("$BIN" admin new-key) \
  UXFLOW_LOCKOUT_IP_THRESHOLD=100000 "$BIN" serve >/dev/null 2>>"$work/uxflow.log" &
  pids+=($!)
  wait_http "http://127.0.0.1:$port/healthz"
}
flow_doc() {  # nodes -> a flow document: a chain with a decision every 4th node
  python3 - "$1" <<'PY'
import json, sys
n = int(sys.argv[1])
nodes = [{"id": "start", "type": "start", "label": "Open app"}]
for i in range(1, n - 1):
    nodes.append({"id": f"n{i}", "type": "decision" if i % 4 == 0 else "screen", "label": f"Step {i}",
                  "data": {"i": i, "price": 1.25}, "position": {"x": 120 * i, "y": 40 * (i % 5)}})
nodes.append({"id": "end", "type": "end", "label": "Done"})
edges = [{"id": f"e{i}", "source": nodes[i]["id"], "target": nodes[i + 1]["id"], "label": "next", "trigger": "click"}
         for i in range(n - 1)]
print(json.dumps({"name": f"Flow of {n} nodes", "description": "benchmark", "nodes": nodes, "edges": edges}))
PY
}
setup() {  # base-url email -> "TOKEN WS"
  local reg
  reg=$(curl -sf -H 'Content-Type: application/json' \
    -d "{\"email\":\"$2\",\"password\":\"correct horse battery\",\"name\":\"Bench\"}" "$1/v1/auth/register")
  echo "$(echo "$reg" | json '["access_token"]') $(echo "$reg" | json '["workspace"]["id"]')"
}
create_flow() {  # base token ws nodes -> flow id
  flow_doc "$4" >"$work/doc.json"
  curl -sf -H "Authorization: Bearer $2" -H 'Content-Type: application/json' --data-binary @"$work/doc.json" \
    "$1/v1/workspaces/$3/flows" | json '["id"]'
}
run_wrk() {  # base token path connections -> "rps p50 p99"
  local script; script=$(mktemp --suffix=.lua)
  cat bench/wrk/get.lua bench/wrk/report.lua >"$script"
  TOKEN=$2 URL_PATH=$3 wrk -t1 -c"$4" -d"$DURATION" -s "$script" "$1" |
    sed -n 's/^RESULT .*rps=\([0-9]*\) p50_ms=\([0-9.]*\) p99_ms=\([0-9.]*\) non2xx=\([0-9]*\).*/\1 \2 \3 \4/p'
  rm -f "$script"
}

# (a) uxflow on PostgreSQL, (c) uxflow on SQLite, (b) the peer on the same PostgreSQL server, (d) the baseline.
start_uxflow "$UXFLOW_TEST_DATABASE_URL"
pg_port=$port
start_uxflow "sqlite://$work/bench.db"
sq_port=$port
peer_port=$(free_port)
cp "$REF/peer/server.js" "$work/server.js"
PGURL=postgres://uxf@127.0.0.1:$PGPORT/peer node "$work/server.js" "$peer_port" >/dev/null 2>>"$work/peer.log" &
pids+=($!)
wait_http "http://127.0.0.1:$peer_port/healthz"
declare -A base token path
for s in pg sq peer; do
  case $s in pg) base[$s]=http://127.0.0.1:$pg_port ;; sq) base[$s]=http://127.0.0.1:$sq_port ;;
    peer) base[$s]=http://127.0.0.1:$peer_port ;; esac
  read -r token[$s] ws <<<"$(setup "${base[$s]}" "bench-$s@example.com")"
  path[$s]=/v1/flows/$(create_flow "${base[$s]}" "${token[$s]}" "$ws" 50)
done
curl -sf -H "Authorization: Bearer ${token[sq]}" "${base[sq]}${path[sq]}" >"$work/body.json"
hello_port=$(free_port)
"$work/hello" "$hello_port" "$work/body.json" 2 >/dev/null 2>&1 &
pids+=($!)
base[hello]=http://127.0.0.1:$hello_port token[hello]=none path[hello]=${path[sq]}
wait_http "${base[hello]}/"

declare -A results
for round in $(seq "$ROUNDS"); do
  for s in pg peer sq hello; do
    r=$(run_wrk "${base[$s]}" "${token[$s]}" "${path[$s]}" 32)
    results[$s]+="$(echo "$r" | cut -d' ' -f1) "
    echo "round $round $s: rps p50 p99 non2xx = $r"
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A med
for s in pg peer sq hello; do med[$s]=$(echo "${results[$s]}" | median); done
echo
echo "| GET of a 50-node flow, wrk -t1 -c32, median of $ROUNDS x $DURATION | req/s |"
echo "|---|---|"
echo "| uxflow on PostgreSQL | ${med[pg]} |"
echo "| original stack (Express + pg) on the same PostgreSQL | ${med[peer]} |"
echo "| uxflow on SQLite | ${med[sq]} |"
echo "| bare Beast, same bytes from memory | ${med[hello]} |"
python3 -c "print(f'ratio PostgreSQL/peer = {${med[pg]}/${med[peer]}:.2f}x (goal >= 8x); SQLite/baseline = {100*${med[sq]}/${med[hello]}:.0f}% (goal >= 50%)')"

echo
echo "| one connection, SQLite | p50 ms | p99 ms | non-2xx |"
echo "|---|---|---|---|"
read -r tok ws <<<"$(setup "${base[sq]}" "sizes@example.com")"
for n in 50 500 2000; do
  id=$(create_flow "${base[sq]}" "$tok" "$ws" "$n")
  curl -sf -H "Authorization: Bearer $tok" "${base[sq]}/v1/flows/$id" >/dev/null  # first read after start: encode
  read -r _ p50 p99 bad <<<"$(run_wrk "${base[sq]}" "$tok" "/v1/flows/$id" 1)"
  echo "| GET, $n nodes | $p50 | $p99 | $bad |"
done
id=$(create_flow "${base[sq]}" "$tok" "$ws" 200)
flow_doc 200 >"$work/put.json"
export DOC=$work/put.json
for case in put ops; do
  script=$(mktemp --suffix=.lua)
  cat "bench/wrk/$case.lua" bench/wrk/report.lua >"$script"
  line=$(FLOW=$id TOKEN=$tok wrk -t1 -c1 -d"$DURATION" -s "$script" "${base[sq]}" | sed -n 's/^RESULT //p')
  rm -f "$script"
  echo "| $(echo "$case" | tr a-z A-Z) (200 nodes, a new version each) | $(echo "$line" | sed -E 's/.*p50_ms=([0-9.]+) p99_ms=([0-9.]+) non2xx=([0-9]+).*/\1 | \2 | \3/') |"
done
