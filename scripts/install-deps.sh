#!/usr/bin/env bash
# Installs the Debian 12 (bookworm) packages the project builds, tests and runs with.
# Idempotent: packages already present are skipped. Uses sudo when not root.
set -euo pipefail
PACKAGES=(
  build-essential cmake ninja-build ccache mold pkg-config git python3 curl
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsoci-dev libsqlite3-dev libpq-dev postgresql
  libsodium-dev libssl-dev libjwt-dev libcurl4-openssl-dev
  libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libgraphviz-dev fonts-dejavu-core libpugixml-dev libzstd-dev
  libcld2-dev libstemmer-dev libhnswlib-dev libgumbo-dev libpoppler-cpp-dev   # knowledge: text, languages, search
  dict-freedict-deu-eng dict-freedict-spa-eng dict-freedict-fra-eng            # knowledge: de/es/fr words to English
  wrk clang-format
  plantuml graphviz                              # tests: exports checked with the real tools
  clang-14 libclang-rt-14-dev libfuzzer-14-dev   # fuzz/: libFuzzer harnesses (scripts/fuzz-smoke.sh)
)
# Node and npm for the Mermaid check (tests/e2e). Debian's packages only when the commands are missing: a
# NodeSource nodejs bundles npm and conflicts with Debian's npm package.
command -v node >/dev/null || PACKAGES+=(nodejs)
command -v npm >/dev/null || PACKAGES+=(npm)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
echo "installing: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
