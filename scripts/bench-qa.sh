#!/usr/bin/env bash
# Measures kgmem qa against translate-toolkit's pofilter on a set of real
# English→Spanish UI strings (the shared development sets) in which one
# error of a known kind is planted per pair, beside pairs left as they
# are. Prints the recall and precision table of docs/qa.md.
#
#   scripts/bench-qa.sh                  # set in $BENCH_DIR (default /tmp/kgmem-bench-qa)
#   PER=30 UNTOUCHED=400 SEED=1 scripts/bench-qa.sh
#
# Needs: Go, pofilter (apt-get install translate-toolkit), ../shared/data.
# The set is derived from GPL/LGPL catalogs and stays outside the
# repository; scripts/bench-qa-labels.tsv holds the verdicts on the
# findings the pairs already had (hashes of pairs, no text).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
data=${KGMEM_SHARED_DATA:-$root/../shared/data}/gettext
dir=${BENCH_DIR:-/tmp/kgmem-bench-qa}
per=${PER:-30}
untouched=${UNTOUCHED:-400}
seed=${SEED:-1}
labels=$root/scripts/bench-qa-labels.tsv

command -v pofilter >/dev/null || { echo "bench-qa: pofilter is not installed (apt-get install translate-toolkit)" >&2; exit 1; }
[ -f "$data/en-es.dev.tsv" ] || { echo "bench-qa: no shared data in $data" >&2; exit 1; }

rm -rf "$dir"
mkdir -p "$dir/bin"
go build -o "$dir/bin/kgmem" ./cmd/kgmem
go build -o "$dir/bin/qabench" ./qa/internal/qabench
kgmem=$dir/bin/kgmem
qabench=$dir/bin/qabench

# pofilter's tests that look for what is planted, and the accelerator
# style of each project family.
tests=(printf pythonbraceformat xmltags accelerators numbers urls emails newlines startwhitespace endwhitespace
       doublespacing endpunc startcaps untranslated unchanged long short musttranslatewords)
targs=()
for t in "${tests[@]}"; do targs+=(-t "$t"); done
style() {
  case $1 in
    gnome-*) echo --gnome ;;
    kde-*) echo --kde ;;
    libreoffice-*) echo --libreoffice ;;
    *) echo "" ;;
  esac
}

# run_tools DIR: kgmem qa over all the catalogs at once (consistency spans
# catalogs), pofilter over each.
run_tools() {
  local d=$1
  "$kgmem" --quiet qa --json --from en --to es --terms "$dir/glossary.csv" --fail-on none "$d"/*.po > "$d/kgmem.jsonl"
  mkdir -p "$d/pofilter/underscore"
  for f in "$d"/*.po; do
    local name
    name=$(basename "$f")
    # shellcheck disable=SC2046
    pofilter --progress=none --language=es $(style "$name") --musttranslatefile="$dir/glossary-words.txt" \
      "${targs[@]}" -i "$f" -o "$d/pofilter/$name"
    # LibreOffice marks accelerators with ~ in old dialogs and _ in new
    # ones; pofilter's --libreoffice knows ~ only, so its _ run is added.
    case $name in
      libreoffice-*) pofilter --progress=none --language=es --gnome -t accelerators -i "$f" -o "$d/pofilter/underscore/$name" ;;
    esac
  done
}

"$qabench" select -data "$data" -out "$dir" -per "$per" -untouched "$untouched" -seed "$seed"
run_tools "$dir/baseline"
"$qabench" plant -out "$dir"
run_tools "$dir/planted"
"$qabench" score -out "$dir" -labels "$labels" | tee "$dir/table.md"
