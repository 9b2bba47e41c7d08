#!/usr/bin/env bash
# Fails when README's configuration table differs from what `uxflow admin settings` prints (the `readme_settings`
# test). With --write it puts the printed table in README in place of the old one.
# Usage: check-readme-settings.sh [--write] path/to/uxflow
set -euo pipefail
write=0
if [ "${1:-}" = --write ]; then write=1; shift; fi
bin=${1:?usage: check-readme-settings.sh [--write] path/to/uxflow}
cd "$(dirname "$0")/.."
printed=$(mktemp)
trap 'rm -f "$printed" "$printed.md"' EXIT
"$bin" admin settings >"$printed"
# README with the table (from its header row to the first line that is not a row) replaced by the printed one.
if ! awk -v table="$printed" '
  !found && $0 == "| variable | default | meaning |" {
    while ((getline line < table) > 0) print line
    found = 1; skipping = 1; next
  }
  skipping && /^\|/ { next }
  { skipping = 0; print }
  END { exit found ? 0 : 1 }
' README.md >"$printed.md"; then
  echo "README.md has no settings table (a line \"| variable | default | meaning |\")"
  exit 1
fi
if cmp -s README.md "$printed.md"; then
  echo "README settings table ok"
elif [ $write = 1 ]; then
  cp "$printed.md" README.md
  echo "README settings table rewritten"
else
  echo "README's configuration table is not what \`uxflow admin settings\` prints; to fix it:"
  echo "  scripts/check-readme-settings.sh --write $bin"
  diff -u README.md "$printed.md" || true
  exit 1
fi
