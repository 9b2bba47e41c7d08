# Shared by the bench scripts: start and stop a server on a free loopback port, run one wrk case.
BIN=build/release/src/app/uxflow
[ -x "$BIN" ] || { echo "build first: make build"; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port

start_server() {  # workers
  data=$(mktemp -d)
  UXFLOW_DATA_DIR=$data UXFLOW_LISTEN=127.0.0.1:$port UXFLOW_WORKERS=$1 UXFLOW_HASH_WORKERS=$1 \
  UXFLOW_LOG_LEVEL=warn UXFLOW_RATE_LIMIT_IP_RPS=0 UXFLOW_RATE_LIMIT_USER_RPS=0 UXFLOW_RATE_LIMIT_AUTH_PER_HOUR=0 \
  UXFLOW_LOCKOUT_IP_THRESHOLD=100000 "$BIN" serve 2>/dev/null &
  server=$!
  for _ in $(seq 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
}
stop_server() { kill -TERM "$server"; wait "$server" || true; rm -rf "$data"; }

register() {  # prints the registration JSON
  curl -sf -H 'Content-Type: application/json' \
    -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\",\"name\":\"Bench\"}" "$base/v1/auth/register"
}

wrk_case() {  # lua-script connections threads duration -> the RESULT line
  local script; script=$(mktemp --suffix=.lua)
  cat "$1" bench/wrk/report.lua >"$script"  # wrk takes one script
  wrk -t"$3" -c"$2" -d"$4" -s "$script" "$base" | sed -n 's/^RESULT //p'
  rm -f "$script"
}
