#!/usr/bin/env bash
# Our Stripe webhook signatures against Stripe's own library (npm stripe, locked version), both ways: vectors made by
# stripe-node must get stripe-node's verdict from VerifySignature, and headers made by SignPayload must pass
# stripe-node's constructEvent.
# Usage: check.sh <stripe_signatures binary> <work folder>.
# npm and node come with scripts/install-deps.sh and the registry is reachable wherever the tests run, so a
# missing npm or a failed `npm ci` is a failure, not a skip.
set -uo pipefail
tool=$1 work=$2
here=$(cd "$(dirname "$0")" && pwd)
command -v npm >/dev/null && command -v node >/dev/null || { echo "npm/node not installed (run make deps)"; exit 1; }
mkdir -p "$work"
cp "$here/package.json" "$here/package-lock.json" "$here/vectors.mjs" "$work/"
# Install again when the lock file changed since the last install.
if ! cmp -s "$work/package-lock.json" "$work/node_modules/.uxf-lock" 2>/dev/null; then
  (cd "$work" && npm ci --no-audit --no-fund --loglevel=error) || { echo "npm ci failed"; exit 1; }
  cp "$work/package-lock.json" "$work/node_modules/.uxf-lock"
fi
rm -rf "$work/out" && mkdir -p "$work/out"
cd "$work" || exit 1
node vectors.mjs make out/vectors.json || exit 1
"$tool" check out/vectors.json || exit 1
"$tool" sign out/ours.json || exit 1
node vectors.mjs verify out/ours.json
