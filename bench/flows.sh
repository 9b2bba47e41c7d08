#!/usr/bin/env bash
# Latency of flow operations on a 200-node flow, one connection at a time (wrk -c1), SQLite, 1 worker.
# Usage: bench/flows.sh [duration, default 5s]. Prints one line per operation: p50 and p99 in ms.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-5s}
source bench/lib.sh
start_server 1
trap stop_server EXIT
export EMAIL=flows@example.com PASSWORD="correct horse battery"
reg=$(register)
export TOKEN=$(echo "$reg" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
ws=$(echo "$reg" | python3 -c 'import json,sys; print(json.load(sys.stdin)["workspace"]["id"])')
# A 200-node flow: start, 190 screens/actions/decisions in chains with branches, 9 ends; about 260 edges.
flow=$(python3 - <<'PY'
import json, random
random.seed(7)
nodes = [{"id": "start", "type": "start", "label": "Open app"}]
kinds = ["screen", "screen", "action", "decision"]
for i in range(1, 191):
    nodes.append({"id": f"n{i}", "type": kinds[i % 4], "label": f"Step {i}", "data": {"i": i}})
for i in range(9):
    nodes.append({"id": f"end{i}", "type": "end", "label": f"Done {i}"})
edges = [{"id": "e0", "source": "start", "target": "n1"}]
for i in range(1, 190):
    edges.append({"id": f"c{i}", "source": f"n{i}", "target": f"n{i+1}", "label": "next", "trigger": "click"})
for i in range(4, 191, 4):  # decisions branch forward or to an end
    edges.append({"id": f"b{i}", "source": f"n{i}", "target": f"end{i % 9}", "label": "done", "condition": "ok"})
for i in range(3, 190, 7):
    edges.append({"id": f"x{i}", "source": f"n{i}", "target": f"n{min(i + random.randint(2, 9), 190)}"})
edges.append({"id": "last", "source": "n190", "target": "end0"})
print(json.dumps({"name": "Benchmark flow", "nodes": nodes, "edges": edges}))
PY
)
export FLOW=$(curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$flow" \
  "$base/v1/workspaces/$ws/flows" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
printf '%-22s %s\n' operation result
for case in get validate analytics json mermaid dot plantuml drawio svg png pdf; do
  case $case in
    get) export URL_PATH=/v1/flows/$FLOW ;;
    validate|analytics) export URL_PATH=/v1/flows/$FLOW/$case ;;
    *) export URL_PATH="/v1/flows/$FLOW/export?format=$case" ;;
  esac
  printf '%-22s %s\n' "$case" "$(wrk_case bench/wrk/get.lua 1 1 "$DURATION")"
done
printf '%-22s %s\n' "ops (rename a node)" "$(wrk_case bench/wrk/ops.lua 1 1 "$DURATION")"
