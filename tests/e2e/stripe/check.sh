#!/usr/bin/env bash
# Our Stripe webhook signatures against Stripe's own library (npm stripe, locked version), both ways: vectors made by
# stripe-node must get stripe-node's verdict from VerifySignature, and headers made by SignPayload must pass
# stripe-node's constructEvent.
# Usage: check.sh <stripe_signatures binary> <work folder>.
set -uo pipefail
tool=$1 work=$2
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../npm-workdir.sh"
npm_workdir "$here" "$work" vectors.mjs || exit 1
rm -rf "$work/out" && mkdir -p "$work/out"
cd "$work" || exit 1
node vectors.mjs make out/vectors.json || exit 1
"$tool" check out/vectors.json || exit 1
"$tool" sign out/ours.json || exit 1
node vectors.mjs verify out/ours.json
