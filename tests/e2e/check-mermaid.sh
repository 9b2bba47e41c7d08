#!/usr/bin/env bash
# Parses generated Mermaid exports with Mermaid's own parser (npm mermaid + jsdom, locked versions).
# Usage: check-mermaid.sh <mermaid_samples binary> <work folder>. Exits 77 (skipped) when npm is unavailable.
set -uo pipefail
samples=$1 work=$2
here=$(cd "$(dirname "$0")" && pwd)
command -v npm >/dev/null && command -v node >/dev/null || { echo "npm/node not installed: skipped"; exit 77; }
mkdir -p "$work"
cp "$here/mermaid/package.json" "$here/mermaid/package-lock.json" "$here/mermaid/check.mjs" "$work/"
if [ ! -d "$work/node_modules/mermaid" ]; then
  (cd "$work" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1) || { echo "npm ci failed: skipped"; exit 77; }
fi
rm -rf "$work/out"
"$samples" "$work/out" 200 || exit 1
cd "$work" && node check.mjs out/*.mmd
