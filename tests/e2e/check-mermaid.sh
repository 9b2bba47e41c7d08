#!/usr/bin/env bash
# Parses generated Mermaid exports with Mermaid's own parser (npm mermaid + jsdom, locked versions).
# Usage: check-mermaid.sh <mermaid_samples binary> <work folder>.
# npm and node come with scripts/install-deps.sh and the registry is reachable wherever the tests run, so a
# missing npm or a failed `npm ci` is a failure, not a skip.
set -uo pipefail
samples=$1 work=$2
here=$(cd "$(dirname "$0")" && pwd)
command -v npm >/dev/null && command -v node >/dev/null || { echo "npm/node not installed (run make deps)"; exit 1; }
mkdir -p "$work"
cp "$here/mermaid/package.json" "$here/mermaid/package-lock.json" "$here/mermaid/check.mjs" "$work/"
# Install again when the lock file changed since the last install.
if ! cmp -s "$work/package-lock.json" "$work/node_modules/.uxf-lock" 2>/dev/null; then
  (cd "$work" && npm ci --no-audit --no-fund --loglevel=error) || { echo "npm ci failed"; exit 1; }
  cp "$work/package-lock.json" "$work/node_modules/.uxf-lock"
fi
rm -rf "$work/out"
"$samples" "$work/out" 200 || exit 1
cd "$work" && node check.mjs out/*.mmd
