#!/usr/bin/env bash
# Renders generated flows with hostile labels (quotes, brackets, @enduml, !include, <script>, </text>, &,
# javascript:, backslashes, long and unicode text, line breaks) in every export format and checks each with the
# real tool: PlantUML (-checkonly, then rendered to SVG), Graphviz dot, pugixml for draw.io and SVG (no script,
# no event handler, no link; labels survive), Mermaid's own parser.
# Usage: check-exports.sh <export_samples binary> <work folder> [count]. Fails when a tool is missing.
set -uo pipefail
samples=$1 work=$2 count=${3:-60}
here=$(cd "$(dirname "$0")" && pwd)
for tool in plantuml dot java; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/install-deps.sh installs it)"; exit 1; }
done
rm -rf "$work/out" && mkdir -p "$work/out" || exit 1
out="$work/out"
"$samples" write "$out" "$count" || { echo "FAIL: writing the samples"; exit 1; }
bad=0

# PlantUML: the syntax check, then a real rendering (errors only show there, as an error image).
if ! plantuml -checkonly "$out"/*.puml >"$work/plantuml-check.log" 2>&1; then
  echo "FAIL: plantuml -checkonly"; cat "$work/plantuml-check.log"; bad=1
fi
mkdir -p "$out/puml-svg"
plantuml -tsvg -o "$out/puml-svg" "$out"/*.puml >"$work/plantuml-render.log" 2>&1
if grep -qiE "error|exception" "$work/plantuml-render.log"; then
  echo "FAIL: plantuml rendering:"; head -20 "$work/plantuml-render.log"; bad=1
fi
n=$(ls "$out/puml-svg"/*.svg 2>/dev/null | wc -l)
[ "$n" -eq "$count" ] || { echo "FAIL: plantuml rendered $n of $count diagrams"; bad=1; }

# Graphviz: the DOT export through the dot command.
mkdir -p "$out/dot-svg"
for f in "$out"/*.dot; do
  b=$(basename "$f" .dot)
  if ! dot -Tsvg "$f" -o "$out/dot-svg/$b.svg" 2>"$work/dot.err" || grep -qiE "error|syntax" "$work/dot.err"; then
    echo "FAIL: dot $f"; cat "$work/dot.err"; bad=1
  fi
done

# XML: the library's SVG, dot's SVG, PlantUML's SVG and draw.io files.
"$samples" check "$out" || bad=1

# Mermaid's own parser (npm mermaid in jsdom, the versions tests/e2e/mermaid locks).
if command -v npm >/dev/null && command -v node >/dev/null; then
  m="$work/mermaid"
  mkdir -p "$m" && cp "$here/mermaid/package.json" "$here/mermaid/package-lock.json" "$here/mermaid/check.mjs" "$m/"
  if [ ! -d "$m/node_modules/mermaid" ]; then
    (cd "$m" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1) || { echo "FAIL: npm ci"; bad=1; }
  fi
  (cd "$m" && node check.mjs "$out"/*.mmd) || bad=1
else
  echo "NOTE: node/npm missing: the Mermaid exports were not parsed (mermaid_parses_exports is skipped too)"
fi

[ $bad -eq 0 ] && echo "exports of $count hostile flows: plantuml, dot, XML and Mermaid checks passed"
exit $bad
