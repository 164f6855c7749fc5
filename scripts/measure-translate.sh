#!/usr/bin/env bash
# Measures what memory does to Apertium on the shared dev sets (issue 6):
#   gettext: memory = gettext/en-es.memory.tsv + iso-codes term base; test = gettext dev set
#   tico:    memory = Tatoeba (+ TICO term lists as term base); test = TICO-19 dev
#            (TICO dev itself is not put in memory: every test pair would be an exact match)
# Usage: scripts/measure-translate.sh [gettext|tico] [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:-gettext}
W=${2:-$(mktemp -d "${TMPDIR:-/tmp}/kgmem-measure.XXXXXX")}
D=${KGMEM_SHARED_DATA:-../shared/data}
mkdir -p "$W"
go build -o "$W/kgmem" ./cmd/kgmem
K="$W/kgmem --quiet --data-dir $W/data-$scenario"
case $scenario in
gettext)
	test=$D/gettext/en-es.dev.tsv
	[ -f "$W/data-$scenario/graph.db" ] || $K build-graph --from en --to es --terms "$D/gettext/en-es.iso-codes.tsv" "$D/gettext/en-es.memory.tsv"
	terms=$D/gettext/en-es.iso-codes.tsv ;;
tico)
	test=$W/tico-dev.tsv
	printf 'source\ttarget\n' > "$test"; cat "$D/tico19/en-es.dev.tsv" >> "$test"
	[ -f "$W/data-$scenario/graph.db" ] || $K build-graph --from en --to es --terms "$D/tico19/f_en-es_XX.csv" --terms "$D/tico19/g_en_es-419.csv" "$D/tatoeba/en-es.tsv"
	terms=$W/tico-terms.tsv
	python3 - "$D/tico19/f_en-es_XX.csv" "$D/tico19/g_en_es-419.csv" > "$terms" <<'PY'
import csv, sys
for p in sys.argv[1:]:
    for r in csv.DictReader(open(p, encoding="utf-8")):
        print(r["sourceString"].strip() + "\t" + r["targetString"].strip())
PY
	;;
esac
# Source and reference columns (escaped as in the TSV).
python3 - "$test" "$W/src.txt" "$W/ref.txt" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))
h = rows[0]; s, t = h.index("source"), h.index("target")
open(sys.argv[2], "w").write("".join(r[s] + "\n" for r in rows[1:]))
open(sys.argv[3], "w").write("".join(r[t] + "\n" for r in rows[1:]))
PY
for conf in base mem; do
	flags=""; [ $conf = base ] && flags="--no-tm --no-kg"
	/usr/bin/time -f "$conf: %e s" $K translate --model apertium --from en --to es --retranslate $flags --in "$test" --out "$W/hyp-$conf.tsv"
	python3 - "$W/hyp-$conf.tsv" "$W/hyp-$conf.txt" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))
open(sys.argv[2], "w").write("".join(r[1] + "\n" for r in rows[1:]))
PY
	echo "== $scenario $conf"
	$K eval score --json --hyp "$W/hyp-$conf.txt" --ref "$W/ref.txt" --src "$W/src.txt" --terms "$terms" > "$W/score-$conf.json"
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print({k: (v.get("score") if isinstance(v, dict) else v) for k, v in d.items()})' "$W/score-$conf.json"
done
echo "work directory: $W"
