#!/usr/bin/env bash
# Stops the server scripts/start-test-postgres.sh started and removes its folder.
set -uo pipefail
[ -n "${UXF_PG_DIR:-}" ] && [ -d "$UXF_PG_DIR" ] || exit 0
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
run=()
[ "$(id -u)" = 0 ] && run=(runuser -u postgres --)
"${run[@]}" "$PGBIN/pg_ctl" -D "$UXF_PG_DIR/data" -m fast -w stop >/dev/null 2>&1
rm -rf "$UXF_PG_DIR"
