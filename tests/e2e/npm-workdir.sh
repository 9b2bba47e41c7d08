# Sourced by the checks that run an npm package's own code against ours (Mermaid's parser, Stripe's library):
# `npm_workdir <folder of package.json, package-lock.json and scripts> <work folder> <files...>` copies the files
# into the work folder and installs the locked packages there, again only when the lock file changed.
# npm and node come with scripts/install-deps.sh and the registry is reachable wherever the tests run, so a missing
# npm or a failed `npm ci` is a failure, not a skip.
npm_workdir() {
  local from=$1 work=$2
  shift 2
  command -v npm >/dev/null && command -v node >/dev/null || { echo "npm/node not installed (run make deps)"; return 1; }
  mkdir -p "$work"
  for f in package.json package-lock.json "$@"; do cp "$from/$f" "$work/" || return 1; done
  if ! cmp -s "$work/package-lock.json" "$work/node_modules/.uxf-lock" 2>/dev/null; then
    (cd "$work" && npm ci --no-audit --no-fund --loglevel=error) || { echo "npm ci failed"; return 1; }
    cp "$work/package-lock.json" "$work/node_modules/.uxf-lock"
  fi
}
