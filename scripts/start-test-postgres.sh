#!/usr/bin/env bash
# Starts a throwaway PostgreSQL on a free loopback port in a temporary folder and prints its URL.
# Usage: eval "$(scripts/start-test-postgres.sh)"   -> sets UXFLOW_TEST_DATABASE_URL and UXF_PG_DIR
# Stop it with scripts/stop-test-postgres.sh (or pg_ctl -D "$UXF_PG_DIR/data" stop).
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL server binaries not found; run make deps" >&2; exit 1; }
dir=$(mktemp -d /tmp/uxf-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root: run the server as the postgres system user.
  chown postgres "$dir"
  run=(runuser -u postgres --)
fi
"${run[@]}" "$PGBIN/initdb" -D "$dir/data" -U uxf --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1
"${run[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=300" start >/dev/null
"${run[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U uxf uxf_test
echo "export UXF_PG_DIR=$dir"
echo "export UXFLOW_TEST_DATABASE_URL=postgres://uxf@127.0.0.1:$port/uxf_test"
