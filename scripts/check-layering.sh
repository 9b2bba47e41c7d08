#!/usr/bin/env bash
# Fails when a file includes what its layer must not (docs/architecture.md, "Dependencies go one way").
set -uo pipefail
cd "$(dirname "$0")/.."
bad=0
check() {  # pattern, allowed path regex, message
  local hits
  hits=$(grep -rlE "$1" src | grep -vE "$2" || true)
  if [ -n "$hits" ]; then echo "$3:"; echo "$hits"; bad=1; fi
}
check '#include *[<"]boost/(beast|asio)' '^src/(gateway|platform|app)/' "Asio/Beast outside gateway/platform/app"
check '#include *[<"](sqlite3\.h|libpq-fe\.h|soci/|hiredis/|curl/curl\.h)' '^src/(platform|app)/' "driver header outside platform"
# The flows module owns the flow document format (JSON) and knowledge its data files (patterns, word vectors): their
# codec files may use Boost.JSON, their headers may not.
check '#include *[<"]boost/json' '^src/(gateway|app|platform/json)/|^src/modules/(flows|knowledge|billing|ai)/src/' "JSON outside the gateway and the modules' file codecs"
# Only app reads configuration: components get their settings struct and declare their variables in a settings table.
check '#include *[<"]toml\+\+/' '^src/app/' "toml++ outside app"
check '#include *[<"]uxf/gateway/' '^src/(gateway|app)/' "gateway used below it"
check '#include *[<"]uxf/identity/' '^src/(modules|gateway|app)/' "a module used by core/platform"
check '#include *[<"]uxf/flows/' '^src/(modules/(flows|ai)|gateway|app)/' "flows used by a module it may not use"
check '#include *[<"]uxf/billing/' '^src/(modules/(billing|ai)|gateway|app)/' "billing used by a module it may not use"
check '#include *[<"]uxf/knowledge/' '^src/(modules/(knowledge|ai)|gateway|app)/' "knowledge used by a module it may not use"
check '#include *[<"]boost/(beast|asio)' '^src/(gateway/[a-z_]+\.cpp|platform|app)' "Asio/Beast in a gateway header"
check '#include *[<"]uxf/(identity|gateway)/' '^src/(modules|gateway|app|core/.*_test|platform/.*_test)' "core/platform depend upward"
[ $bad -eq 0 ] && echo "layering ok"
exit $bad
