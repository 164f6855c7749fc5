#!/bin/sh
# bench-retrieval.sh produces the tables of docs/bench-retrieval.md:
#
#   1. fuzzy lookup and entity spotting at several memory sizes (the Go
#      benchmarks of retrieval/bench_test.go: 10k and 100k segments, and
#      1M with KGMEM_BENCH_1M=1);
#   2. kgmem side by side with translate-toolkit's pretranslate on the
#      same memory (the gettext memory, 48k pairs) and the same queries
#      (the gettext dev set).
#
# Usage: scripts/bench-retrieval.sh [WORKDIR]   (default /tmp/kgmem-bench)
#
# Environment: KGMEM_BENCH_1M=1 adds the 1M level (building it takes a
# few minutes and ~2 GB of memory); KGMEM_BENCH_QUERIES=N limits the
# side-by-side to the first N queries (pretranslate needs ~30 ms each);
# KGMEM_SHARED_DATA points at the shared data (default ../shared/data).
# Needs Go, python3 and translate-toolkit (apt-get install translate-toolkit).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/kgmem-bench}
data=${KGMEM_SHARED_DATA:-$root/../shared/data}
mkdir -p "$work"
cd "$root"

echo "== building kgmem" >&2
go build -o "$work/kgmem" ./cmd/kgmem

echo "== levels (go test -bench)" >&2
KGMEM_BENCH_DIR="$work/levels" KGMEM_SHARED_DATA="$data" \
	go test -run '^$' -bench 'Lookup|Spot' -benchtime 2000x -timeout 2h ./retrieval | tee "$work/levels.txt"

echo "== side by side with translate-toolkit" >&2
command -v pretranslate >/dev/null || { echo "pretranslate is not installed (apt-get install translate-toolkit)" >&2; exit 1; }
memory="$data/gettext/en-es.memory.tsv"
dev="$data/gettext/en-es.dev.tsv"
# The queries: the distinct sources of the dev set, as lines and as a PO
# file with empty translations; those with a backslash (an escaped
# newline or tab, which one line of stdin cannot hold) are left out.
python3 - "$dev" "$work/queries.txt" "$work/queries.po" "${KGMEM_BENCH_QUERIES:-0}" <<'EOF'
import sys
dev, txt, po, limit = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
seen, qs = set(), []
with open(dev, encoding="utf-8") as f:
    next(f)
    for line in f:
        cells = line.rstrip("\n").split("\t")
        if len(cells) >= 3 and cells[1] and "\\" not in cells[1] and cells[1] not in seen:
            seen.add(cells[1])
            qs.append(cells[1])
if limit:
    qs = qs[:limit]
with open(txt, "w", encoding="utf-8") as f:
    f.write("".join(q + "\n" for q in qs))
with open(po, "w", encoding="utf-8") as f:
    f.write('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n')
    for q in qs:
        f.write('msgid "%s"\nmsgstr ""\n\n' % q.replace('"', '\\"'))
EOF
printf 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n' >"$work/empty.po"
"$work/kgmem" -q corpus convert --from en --to es "$memory" "$work/memory.po" 2>/dev/null

# pretranslate: fuzzy matches from the memory at 75 % (its default).
start=$(date +%s.%N)
pretranslate --progress=none --tm "$work/memory.po" -s 75 -i "$work/queries.po" -t "$work/empty.po" -o "$work/pretranslate.po"
end=$(date +%s.%N)
pre_secs=$(echo "$end - $start" | bc)

# kgmem: the memory in a graph and its index (not timed), then one lookup
# per query line, streamed.
rm -rf "$work/kgmem-data"
"$work/kgmem" -q --data-dir "$work/kgmem-data" build-graph --from en --to es "$memory" >/dev/null
"$work/kgmem" -q --data-dir "$work/kgmem-data" search tm --to es "warm up" >/dev/null
start=$(date +%s.%N)
"$work/kgmem" -q --data-dir "$work/kgmem-data" search tm --from en --to es --min 75 --limit 1 --json <"$work/queries.txt" >"$work/kgmem.jsonl"
end=$(date +%s.%N)
kg_secs=$(echo "$end - $start" | bc)

go run ./retrieval/internal/tmcompare -memory "$memory" -queries "$work/queries.txt" \
	-pretranslate "$work/pretranslate.po" -pretranslate-seconds "$pre_secs" \
	-kgmem "$work/kgmem.jsonl" -kgmem-seconds "$kg_secs" -min 75 | tee "$work/side-by-side.md"
