#!/usr/bin/env bash
# Measures what kgmem's memory does to translation on the shared dev sets
# (issue 7) and writes docs/results.md from the reports of `kgmem eval run`.
#
# Scenarios (data in ../shared/data, or $KGMEM_SHARED_DATA):
#   gettext  memory = gettext/en-es.memory.tsv + the iso-codes term base;
#            test = gettext/en-es.dev.tsv; term accuracy against iso-codes.
#   tico     memory = Tatoeba + the TICO-19 term lists as term base;
#            test = tico19/en-es.dev.tsv; term accuracy against the TICO lists.
#   gettext2 the gettext memory and term base; test = gettext/en-es.dev2.tsv
#            (software the memory has never seen).
#   tatoeba  memory = Tatoeba only (general domain, no term base); the same
#            TICO-19 test and term lists (measured, not in the memory).
# Each scenario runs the model `apertium` with every ablation (tm+kg is
# Apertium alone) and the model `memory` with every ablation (none is the
# memory alone); the online experiment (translate, then learn the
# references) runs on $ONLINE (default gettext) with apertium and the full
# memory, learning after every $ONLINE_EVERY (default 1) segments, as a
# translator approving segment by segment would (a learning step costs
# tens of milliseconds).
#
# Usage: scripts/results.sh [WORKDIR]
#   WORKDIR keeps the binary, the memories (about 1.5 GB) and the reports;
#   default ~/.cache/kgmem/results (outside the repository). A memory is
#   reused when the same kgmem binary (same SHA-256) finished building it;
#   any change to the code rebuilds it. The whole run takes about 18
#   minutes on 2 cores when the memories are rebuilt (each with its
#   engine tallies: 1.5 to 3 minutes), the two online runs 3 to 4 each.
#   SCENARIOS="gettext gettext2 tico tatoeba" ONLINE=gettext|tico|tatoeba|none
#   ONLINE_EVERY=1 RESULTS=docs/results.md
#
# The quality numbers are deterministic: the same data and code give the
# same tables. Times (latency, segments/s) depend on the machine and its load.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
W=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/kgmem/results}
W=$(mkdir -p "$W" && cd "$W" && pwd)
D=$(cd "${KGMEM_SHARED_DATA:-../shared/data}" && pwd)
SCENARIOS=${SCENARIOS:-gettext gettext2 tico tatoeba}
ONLINE=${ONLINE:-gettext gettext2}
ONLINE_EVERY=${ONLINE_EVERY:-1}
RESULTS=${RESULTS:-docs/results.md}
start=$(date +%s)

command -v apertium >/dev/null || { echo "results.sh: apertium is not installed (scripts/install-deps.sh installs it)" >&2; exit 1; }
echo "== building kgmem" >&2
go build -o "$W/kgmem" ./cmd/kgmem
# What the binary was built from, for the report.
built_from="commit \`$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)\`"
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
	built_from="$built_from with uncommitted changes"
fi
kg() { "$W/kgmem" --quiet --data-dir "$W/data-$1" "${@:2}"; }

binary=$(sha256sum "$W/kgmem" | cut -d' ' -f1)

# build NAME ARGS…: build-graph into data-NAME, unless this binary did.
build() {
	local name=$1; shift
	if [ "$(cat "$W/data-$name/.built-by" 2>/dev/null)" = "$binary $*" ]; then
		echo "== memory $name: already built by this kgmem" >&2
		return
	fi
	echo "== memory $name: kgmem build-graph $*" >&2
	rm -rf "$W/data-$name"
	local t0=$(date +%s)
	kg "$name" build-graph --from en --to es "$@" >&2
	echo "$(($(date +%s) - t0))" > "$W/data-$name/.built"
	# What the memory's translators correct of Apertium (engine corrections).
	t0=$(date +%s)
	kg "$name" learn --engine apertium --from en --to es >&2
	echo "$(($(date +%s) - t0))" > "$W/data-$name/.engine"
	echo "$binary $*" > "$W/data-$name/.built-by"
}

gettext_terms=$D/gettext/en-es.iso-codes.tsv
tico_terms=("$D/tico19/f_en-es_XX.csv" "$D/tico19/g_en_es-419.csv")
declare -A mem test terms
for s in $SCENARIOS; do
	case $s in
	gettext)
		build gettext --terms "$gettext_terms" "$D/gettext/en-es.memory.tsv"
		mem[gettext]=gettext; test[gettext]=$D/gettext/en-es.dev.tsv
		terms[gettext]="--terms $gettext_terms" ;;
	gettext2)
		build gettext --terms "$gettext_terms" "$D/gettext/en-es.memory.tsv"
		mem[gettext2]=gettext; test[gettext2]=$D/gettext/en-es.dev2.tsv
		terms[gettext2]="--terms $gettext_terms" ;;
	tico)
		build tico --terms "${tico_terms[0]}" --terms "${tico_terms[1]}" "$D/tatoeba/en-es.tsv"
		mem[tico]=tico; test[tico]=$D/tico19/en-es.dev.tsv
		terms[tico]="--terms ${tico_terms[0]} --terms ${tico_terms[1]}" ;;
	tatoeba)
		build tatoeba "$D/tatoeba/en-es.tsv"
		mem[tatoeba]=tatoeba; test[tatoeba]=$D/tico19/en-es.dev.tsv
		terms[tatoeba]="--terms ${tico_terms[0]} --terms ${tico_terms[1]}" ;;
	*) echo "results.sh: unknown scenario $s (gettext, gettext2, tico, tatoeba)" >&2; exit 2 ;;
	esac
done

# run SCENARIO MODEL [FLAGS…]: eval run into out-SCENARIO-MODEL.
run() {
	local s=$1 model=$2; shift 2
	local out=$W/out-$s-$model
	echo "== eval $s with $model $*" >&2
	rm -rf "$out"
	local t0=$(date +%s)
	# shellcheck disable=SC2086
	kg "${mem[$s]}" eval run --test "${test[$s]}" --from en --to es --model "$model" ${terms[$s]} --out "$out" "$@" > "$out.txt"
	echo "$(($(date +%s) - t0))" > "$out.seconds"
	rm -rf "$out/online-data" # the online run's copy of the memory
	cat "$out.txt" >&2
}
# apertium_lines MODE < IN > OUT: Apertium on each line of IN as a text of
# its own. `apertium MODE < IN` (with -f txt or -f line) lets transfer
# move words across line ends: of 3,000 short UI strings, 81 come out with
# words of their neighbours ("Keep aspect ratio" / "_Path:" → "Mantiene
# Ruta de" / "_proporción del aspecto:"). The mode's stages run in
# null-flush mode instead, each line escaped as a text and ended by a
# NUL; the first NUL-ended output of each is its translation (the stages
# add empty ones at the end).
apertium_lines() {
	local in n sh
	in=$(mktemp); cat > "$in"; n=$(grep -c '' "$in")
	sh=$(apertium-wblank-mode -z "/usr/share/apertium/modes/$1.mode")
	python3 -c '
import re, sys
for line in open(sys.argv[1], encoding="utf-8", newline="\n").read().removesuffix("\n").split("\n"):
    sys.stdout.write(re.sub(r"([\\\[\]^$@/<>{}])", r"\\\1", line) + "[]\0")
' "$in" | bash -c "$sh" apertium -n "" | python3 -c '
import re, sys
n = int(sys.argv[1])
out = sys.stdin.read().split("\0")[:n]
if len(out) != n:
    sys.exit(f"apertium_lines: {len(out)} translations of {n} lines")
unescape = lambda s: re.sub(r"\\(.)|\[\]", lambda m: m.group(1) or "", s)
sys.stdout.write("".join(unescape(s).replace("\n", " ") + "\n" for s in out))
' "$n"
	rm -f "$in"
}
# raw SCENARIO: Apertium on its own, without kgmem (no placeholder
# protection), on the pairs the apertium run scored, each line on its own;
# scored by eval score.
raw() {
	local s=$1 out=$W/out-$1-apertium
	echo "== raw apertium on $s" >&2
	apertium_lines eng-spa < "$out/src.txt" > "$out/hyp-raw-apertium.txt"
	# eval score takes one term list: join the scenario's lists.
	local t=()
	[ -n "${terms[$s]}" ] && { termlist $s > "$out/terms.tsv"; t=(--terms "$out/terms.tsv"); }
	kg "${mem[$s]}" eval score --json --hyp "$out/hyp-raw-apertium.txt" --ref "$out/ref.txt" --src "$out/src.txt" "${t[@]}" > "$out/raw-apertium.json"
}
# termlist SCENARIO: the scenario's term lists as one TSV.
termlist() {
	# shellcheck disable=SC2086
	python3 - ${terms[$1]//--terms /} <<'PY'
import sys
for path in sys.argv[1:]:
    import csv
    with open(path, encoding="utf-8") as f:
        if path.endswith(".csv"):
            for r in csv.DictReader(f):
                print(r["sourceString"].strip() + "\t" + r["targetString"].strip())
        else:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    print(line.rstrip("\n"))
PY
}
for s in $SCENARIOS; do
	on=()
	[[ " $ONLINE " == *" $s "* ]] && on=(--online --block 100 --learn-every "$ONLINE_EVERY")
	run "$s" apertium --ablate none,tm,kg,tm+kg,engine,postedit,fragments "${on[@]}"
	raw "$s"
	run "$s" memory --ablate none,tm,kg,tm+kg
done

# summary: the headline numbers of every scenario, from the reports.
summary() {
	python3 - "$W" $SCENARIOS <<'PY'
import json, sys
w, scenarios = sys.argv[1], sys.argv[2:]
names = {"gettext": "gettext (gettext memory + iso-codes)", "gettext2": "gettext dev2 (software the memory has not seen)", "tico": "TICO-19 (Tatoeba + TICO term base)",
         "tatoeba": "TICO-19 (Tatoeba only)"}
def cfg(rep, name):
    return next(c for c in rep["configs"] if c["name"] == name)
def pct(v):
    return "n/a" if v is None else "%.1f" % v
print("| scenario | scored pairs | raw Apertium | Apertium alone (`tm+kg`) | memory alone (`memory`, `none`) | Apertium + memory (`none`) | Δ chrF vs Apertium alone | Δ chrF vs raw | of it, term corrections (`none` − `engine`) | of it, post-edits (`none` − `postedit`) | of it, fragments (`none` − `fragments`) | term acc. %: alone → + memory | placeholders %: raw → alone → + memory |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
for s in scenarios:
    ap = json.load(open(f"{w}/out-{s}-apertium/report.json"))
    me = json.load(open(f"{w}/out-{s}-memory/report.json"))
    raw = json.load(open(f"{w}/out-{s}-apertium/raw-apertium.json"))
    alone, full, mem, noeng, nope, nofr = cfg(ap, "tm+kg"), cfg(ap, "none"), cfg(me, "none"), cfg(ap, "engine"), cfg(ap, "postedit"), cfg(ap, "fragments")
    print(f"| {names[s]} | {ap['scored_pairs']} | {raw['chrf']:.2f} | {alone['chrf']:.2f} | {mem['chrf']:.2f} | {full['chrf']:.2f} | "
          f"{full['chrf'] - alone['chrf']:+.2f} | {full['chrf'] - raw['chrf']:+.2f} | {full['chrf'] - noeng['chrf']:+.2f} | {full['chrf'] - nope['chrf']:+.2f} | {full['chrf'] - nofr['chrf']:+.2f} | {pct(alone['term_accuracy'])} → {pct(full['term_accuracy'])} | "
          f"{pct(raw.get('placeholder_accuracy'))} → {pct(alone['placeholder_accuracy'])} → {pct(full['placeholder_accuracy'])} |")
PY
}

# online: the online runs' totals.
online() {
	python3 - "$W" $ONLINE <<'PY'
import json, sys
w, scenarios = sys.argv[1], sys.argv[2:]
print("| test set | segments | chrF with learning | chrF without | Δ chrF | BLEU with | BLEU without |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for s in scenarios:
    on = json.load(open(f"{w}/out-{s}-apertium/report.json")).get("online")
    if not on:
        continue
    a, b = on["learning"], on["without_learning"]
    name = {"gettext": "gettext dev", "gettext2": "gettext dev2"}.get(s, s)
    print(f"| {name} | {on['segments']} | {a['chrf']:.2f} | {b['chrf']:.2f} | {a['chrf'] - b['chrf']:+.2f} | {a['bleu']:.2f} | {b['bleu']:.2f} |")
PY
}

# Term precision: the learned term translations of a memory built
# without a term base (TICO-19 dev + Tatoeba), against the TICO-19 lists.
precision_cmd="build-graph --from en --to es $D/tico19/en-es.dev.tsv $D/tatoeba/en-es.tsv"
if [ "$(cat "$W/data-ticodev/.built-by" 2>/dev/null)" != "$binary $precision_cmd" ]; then
	echo "== memory ticodev: kgmem $precision_cmd" >&2
	rm -rf "$W/data-ticodev"
	# shellcheck disable=SC2086
	kg ticodev $precision_cmd >&2
	echo "$binary $precision_cmd" > "$W/data-ticodev/.built-by"
fi
precision_eval="eval terms --from en --to es --terms ${tico_terms[0]} --terms ${tico_terms[1]}"
# shellcheck disable=SC2086
kg ticodev $precision_eval > "$W/precision.txt"

# docs/results.md, from the reports.
rel() { sed "s#$D#../shared/data#g; s#$W#WORK#g"; }
{
	cat <<HEAD
# Results: what memory does to translation

Measured with \`kgmem eval run\` on the shared development sets by \`scripts/results.sh\`
(run it to get these tables again: \`scripts/results.sh [WORKDIR]\`). Each table is one
\`eval run\`; its command is above it (\`WORK\` is the script's work directory, with the
memory in \`WORK/data-NAME\`). The quality numbers are deterministic: the same data and
code give the same tables. Latency and segments/s depend on the machine and its load.

How to read them:

- **Configurations** (\`--ablate\`): \`none\` = the full memory (translation memory and
  knowledge graph), \`tm\` = no translation memory, \`kg\` = no knowledge graph, \`tm+kg\` = the
  model alone, \`engine\` = the full memory without its corrections of the model's terms (the
  learned term translations Apertium keeps missing, recorded by \`kgmem learn --engine
  apertium\`, see the README), \`postedit\` = the full memory without its post-edits of the
  model's output (the phrase edits and quotation marks the memory's translators keep making
  to what Apertium writes, recorded by the same command), \`fragments\` = the full memory
  without its sub-segment memory (the phrases a sentence with no usable match shares with the
  memory's nearest pairs, offered like terms when the pairs agree on their translation). So *Apertium alone* is \`apertium\` with \`tm+kg\`, *the memory alone* is
  \`memory\` with \`none\`, and *Apertium + memory* is \`apertium\` with \`none\`.
- **Scores**: BLEU, chrF, chrF++ and TER as sacreBLEU 2.x computes them by default (corpus
  level); term accuracy is the WMT21 exact-match accuracy in %, term consistency the share
  of repeated source terms always rendered the same way, placeholders the share of segments
  whose placeholders and tags all survived. Leverage bands are by each segment's best memory
  match (matches under \`--min-match\`, 70, are not used, so 50–74 holds only 70–74).
  Exact / fuzzy / machine are the pipeline's statuses. Latency per segment is each batch's
  time over its size (batches of 64; in the online run, batches of $ONLINE_EVERY).
- **Leakage guard**: test pairs whose source and target are both in the memory already are
  left out of every score (the count is in each table's first line), so that exact matches
  of the test itself do not count.
- **Online**: the test set in order, translated $ONLINE_EVERY segment(s) at a time, after
  which their references are learned as approved translations (\`kgmem learn\`'s path: the
  segments, the term translations they confirm or teach, what they show of the engine's mistakes, the search index), against the same
  stream without learning; on a copy of the memory.

Run on $(date -u +%Y-%m-%d) with kgmem built from $built_from,
$(nproc) cores, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg).
The script took $(( ($(date +%s) - start) / 60 )) minutes
(memories built: $(for s in $SCENARIOS; do printf '%s %ss + %ss engine, ' "$s" "$(cat "$W/data-${mem[$s]}/.built")" "$(cat "$W/data-${mem[$s]}/.engine")"; done | sed 's/, $//')).

## Summary (chrF)

HEAD
	summary
	cat <<HEAD

Online learning (\`--online\`, config \`none\`): each segment translated, then its reference
learned; the whole stream with learning against the same stream without (blocks in each
scenario's table below).

HEAD
	online
	cat <<HEAD

Learned term translations (precision at 1, inflections accepted), on a memory of TICO-19 dev
and Tatoeba built without a term base, against the two TICO-19 term lists:

\`\`\`sh
$(printf 'kgmem --data-dir WORK/data-ticodev %s\nkgmem --data-dir WORK/data-ticodev %s\n' "$precision_cmd" "$precision_eval" | rel)
\`\`\`

\`\`\`
$(rel < "$W/precision.txt")
\`\`\`

*Raw Apertium* is Apertium's eng-spa pipeline on the same source lines, each line a text of its
own, without kgmem (scored with \`kgmem eval score\`; \`apertium -u eng-spa < file\` would let
its transfer move words across line ends); *Apertium alone* is Apertium through kgmem's
pipeline with the memory off, so with kgmem's placeholder and accelerator protection, and its
rewrites of Apertium's Spanish (one register, labels in the infinitive, instructions in the
imperative, descriptions in the third person).

## Memory builds

\`\`\`sh
HEAD
	for s in $SCENARIOS; do
		case $s in
		gettext) echo "kgmem --data-dir WORK/data-gettext build-graph --from en --to es --terms $gettext_terms $D/gettext/en-es.memory.tsv" ;;
		gettext2) [[ " $SCENARIOS " == *" gettext "* ]] || echo "kgmem --data-dir WORK/data-gettext build-graph --from en --to es --terms $gettext_terms $D/gettext/en-es.memory.tsv" ;;
		tico) echo "kgmem --data-dir WORK/data-tico build-graph --from en --to es --terms ${tico_terms[0]} --terms ${tico_terms[1]} $D/tatoeba/en-es.tsv" ;;
		tatoeba) echo "kgmem --data-dir WORK/data-tatoeba build-graph --from en --to es $D/tatoeba/en-es.tsv" ;;
		esac
		[[ $s == gettext2 && " $SCENARIOS " == *" gettext "* ]] || echo "kgmem --data-dir WORK/data-${mem[$s]} learn --engine apertium --from en --to es"
	done | rel
	echo '```'
	for s in $SCENARIOS; do
		case $s in
		gettext) title="gettext: software strings, gettext memory + iso-codes term base" ;;
		gettext2) title="gettext dev2: software the memory has never seen (LibreOffice, GIMP plug-ins, KDE settings), the same memory" ;;
		tico) title="TICO-19: COVID-19 domain, Tatoeba memory + TICO-19 term lists as term base" ;;
		tatoeba) title="TICO-19 with the Tatoeba memory only (general domain, no term base)" ;;
		esac
		printf '\n## %s\n' "$title"
		for model in apertium memory; do
			out=$W/out-$s-$model
			on=""
			[[ " $ONLINE " == *" $s "* ]] && [ "$model" = apertium ] && on=" --online --block 100 --learn-every $ONLINE_EVERY"
			printf '\n### model `%s`\n\n```sh\n' "$model"
			ablate=none,tm,kg,tm+kg
			[ "$model" = apertium ] && ablate=$ablate,engine,postedit,fragments
			echo "kgmem --data-dir WORK/data-${mem[$s]} eval run --test ${test[$s]} --from en --to es --model $model ${terms[$s]} --out WORK/out-$s-$model --ablate $ablate$on" | rel
			printf '```\n\n'
			cat "$out/report.md"
			if [ "$model" = apertium ]; then
				printf '\nRaw Apertium (each line of `WORK/out-%s-apertium/src.txt` on its own, then `kgmem eval score`): ' "$s"
				python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); f=lambda v: "n/a" if v is None else "%.2f" % v; print("BLEU %.2f, chrF %.2f, chrF++ %.2f, TER %.2f, term accuracy %s %%, placeholders %s %%." % (d["bleu"], d["chrf"], d["chrfpp"], d["ter"], f(d.get("term_accuracy")), f(d.get("placeholder_accuracy"))))' "$out/raw-apertium.json"
			fi
			printf '\n(%s s; chart: `WORK/out-%s-%s/chart.svg`)\n' "$(cat "$out.seconds")" "$s" "$model"
		done
	done
} > "$RESULTS.tmp"
mv "$RESULTS.tmp" "$RESULTS"
echo "== wrote $RESULTS in $(( ($(date +%s) - start) / 60 )) minutes; work directory $W" >&2
