#!/usr/bin/env bash
# Parses generated Mermaid exports with Mermaid's own parser (npm mermaid + jsdom, locked versions).
# Usage: check-mermaid.sh <mermaid_samples binary> <work folder>.
set -uo pipefail
samples=$1 work=$2
here=$(cd "$(dirname "$0")" && pwd)
source "$here/npm-workdir.sh"
npm_workdir "$here/mermaid" "$work" check.mjs || exit 1
rm -rf "$work/out"
"$samples" "$work/out" 200 || exit 1
cd "$work" && node check.mjs out/*.mmd
