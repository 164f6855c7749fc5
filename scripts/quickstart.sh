#!/usr/bin/env bash
# The quick start: builds kgmem, builds a knowledge graph from the demo
# corpus (corpora/demo) into a fresh data directory on the embedded store,
# shows what it learned, and translates the demo help page.
#
# Apertium is installed through apt when possible (it is the offline
# translation engine); without it the `memory` model is used.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== building kgmem" >&2
go build -o bin/kgmem ./cmd/kgmem
KGMEM=bin/kgmem
DATA=$(mktemp -d "${TMPDIR:-/tmp}/kgmem-quickstart.XXXXXX")
export KGMEM_DATA_DIR=$DATA

model=memory
if ! command -v apertium >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
	echo "== installing Apertium (apt-get install apertium apertium-eng-spa)" >&2
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq apertium apertium-eng-spa; } >/dev/null 2>&1 || true
fi
if command -v apertium >/dev/null 2>&1; then
	# Read the list first: grep -q would close the pipe early, and pipefail
	# would count apertium's SIGPIPE as a failure.
	pairs=$(apertium -l 2>/dev/null || true)
	if grep -qE '^[[:space:]]*(en-es|eng-spa)$' <<<"$pairs"; then
		model=apertium
	fi
fi
if [ "$model" = memory ]; then
	echo "Apertium is not installed (apt-get install apertium apertium-eng-spa); using the memory model" >&2
fi

echo "== the demo corpus" >&2
$KGMEM corpus stats corpora/demo/lumen.tmx corpora/demo/glossary.tbx

echo >&2
echo "== building the graph in $DATA" >&2
$KGMEM build-graph --terms corpora/demo/glossary.tbx corpora/demo/lumen.tmx

echo >&2
echo "== what the graph knows about some terms" >&2
$KGMEM graph show --to es --limit 3 notebook "sync conflict" trash

echo >&2
echo "== translating corpora/demo/sample.txt with the $model model and the graph's memory" >&2
echo "   (per sentence: status exact / fuzzy NN % / machine, and the memory kept or dropped)" >&2
$KGMEM translate --model "$model" --from en --to es --explain \
	--in corpora/demo/sample.txt --out "$DATA/sample.es.txt"
echo >&2
echo "== the translated document ($DATA/sample.es.txt)" >&2
cat "$DATA/sample.es.txt"

echo >&2
echo "data directory: $DATA (remove it when done)" >&2
