#!/bin/sh
# bench-retrieval.sh produces the tables of docs/bench-retrieval.md:
#
#   1. fuzzy lookup and entity spotting at several memory sizes (the Go
#      benchmarks of retrieval/bench_test.go: 10k and 100k segments, and
#      1M with KGMEM_BENCH_1M=1);
#   2. kgmem side by side with translate-toolkit on the same memory (the
#      gettext memory, 48k pairs) and the same queries (the gettext dev
#      set): `pretranslate --tm` on every query, and `build_tmdb` +
#      `tmserver` (queried over HTTP on loopback) on a sample of them.
#
# Usage: scripts/bench-retrieval.sh [WORKDIR]   (default /tmp/kgmem-bench)
#
# Environment: KGMEM_BENCH_1M=1 adds the 1M level (building it takes a
# few minutes and ~2 GB of memory); KGMEM_BENCH_ONLY=levels or
# KGMEM_BENCH_ONLY=side runs one part; KGMEM_BENCH_QUERIES=N limits the
# side-by-side to the first N queries (pretranslate needs ~30 ms each);
# KGMEM_BENCH_TMSERVER_QUERIES=N is the size of tmserver's sample
# (default 60: it needs from 0.1 s to tens of seconds per query);
# KGMEM_BENCH_TMSERVER_PORT is its port (default 18931);
# KGMEM_SHARED_DATA points at the shared data (default ../shared/data).
# Needs Go, python3 and translate-toolkit (apt-get install
# translate-toolkit python3-cheroot: tmserver needs cheroot, which the
# Debian package does not pull in).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/kgmem-bench}
data=${KGMEM_SHARED_DATA:-$root/../shared/data}
mkdir -p "$work"
cd "$root"

echo "== building kgmem" >&2
go build -o "$work/kgmem" ./cmd/kgmem

only=${KGMEM_BENCH_ONLY:-}
if [ "$only" != side ]; then
	echo "== levels (go test -bench)" >&2
	uptime >"$work/levels.txt"
	KGMEM_BENCH_DIR="$work/levels" KGMEM_SHARED_DATA="$data" \
		go test -run '^$' -bench 'Lookup|Spot' -benchtime 2000x -timeout 2h ./retrieval | tee -a "$work/levels.txt"
	uptime >>"$work/levels.txt"
fi
[ "$only" = levels ] && exit 0

echo "== side by side with translate-toolkit" >&2
load_before=$(uptime)
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
echo "pretranslate: $pre_secs s" >&2

# kgmem: the memory in a graph and its index (not timed), then one lookup
# per query line, streamed.
rm -rf "$work/kgmem-data"
"$work/kgmem" -q --data-dir "$work/kgmem-data" build-graph --from en --to es "$memory" >/dev/null
"$work/kgmem" -q --data-dir "$work/kgmem-data" search tm --to es "warm up" >/dev/null
start=$(date +%s.%N)
"$work/kgmem" -q --data-dir "$work/kgmem-data" search tm --from en --to es --min 75 --limit 1 --json <"$work/queries.txt" >"$work/kgmem.jsonl"
end=$(date +%s.%N)
kg_secs=$(echo "$end - $start" | bc)
echo "kgmem search tm: $kg_secs s" >&2

# tmserver: the memory loaded into a tmdb by build_tmdb (timed apart),
# served on loopback, asked one query at a time over one keep-alive HTTP
# connection (GET /tmserver/en/es/unit/<query>), at 75 % and one
# suggestion, as above. Long queries take it seconds each, so it gets an
# evenly spread sample of the queries.
command -v build_tmdb >/dev/null && command -v tmserver >/dev/null ||
	{ echo "build_tmdb and tmserver are not installed (apt-get install translate-toolkit)" >&2; exit 1; }
rm -f "$work/tm.db"
start=$(date +%s.%N)
build_tmdb -d "$work/tm.db" -s en -t es "$work/memory.po" >/dev/null
end=$(date +%s.%N)
tmdb_secs=$(echo "$end - $start" | bc)
echo "build_tmdb: $tmdb_secs s; tmserver on 127.0.0.1:${KGMEM_BENCH_TMSERVER_PORT:-18931}, answers in $work/tmserver.jsonl" >&2
port=${KGMEM_BENCH_TMSERVER_PORT:-18931}
tmserver -d "$work/tm.db" -b 127.0.0.1 -p "$port" --max-candidates 1 --min-similarity 75 >"$work/tmserver.log" 2>&1 &
tms_pid=$!
# Stop it however the script ends. It has no shutdown request, and a
# background job of a script ignores SIGINT, so SIGTERM: it only reads
# the tmdb, there is nothing to flush.
stop_tmserver() {
	kill -TERM "$tms_pid" 2>/dev/null || return 0
	wait "$tms_pid" 2>/dev/null || true
}
trap stop_tmserver EXIT INT TERM
tms_secs=$(python3 - "$port" "$work/queries.txt" "$work/tmserver.jsonl" "${KGMEM_BENCH_TMSERVER_QUERIES:-60}" <<'EOF'
import http.client, json, sys, time, urllib.parse
port, qpath, out, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
qs = open(qpath, encoding="utf-8").read().splitlines()
qs = qs[::max(1, len(qs) // n)][:n] if n > 0 else qs
for _ in range(120):  # wait up to 60 s for the server to listen
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        c.request("GET", "/tmserver/en/es/unit/warm%20up")
        c.getresponse().read()
        break
    except OSError:
        time.sleep(0.5)
else:
    sys.exit("tmserver did not start; see tmserver.log")
start = time.monotonic()
with open(out, "w", encoding="utf-8") as f:
    for q in qs:
        c.request("GET", "/tmserver/en/es/unit/" + urllib.parse.quote(q, safe=""))
        r = c.getresponse()
        body = r.read()
        if r.status != 200:
            sys.exit("tmserver answered %d to %r" % (r.status, q))
        ms = [{"score": m["quality"], "source": m["source"], "target": m["target"]} for m in json.loads(body)]
        f.write(json.dumps({"query": q, "matches": ms}, ensure_ascii=False) + "\n")
        f.flush()  # progress can be followed with wc -l
print("%.3f" % (time.monotonic() - start))
EOF
)
stop_tmserver
trap - EXIT INT TERM
echo "tmserver: $tms_secs s" >&2

go run ./retrieval/internal/tmcompare -memory "$memory" -queries "$work/queries.txt" \
	-pretranslate "$work/pretranslate.po" -pretranslate-seconds "$pre_secs" \
	-kgmem "$work/kgmem.jsonl" -kgmem-seconds "$kg_secs" \
	-tmserver "$work/tmserver.jsonl" -tmserver-seconds "$tms_secs" -tmdb-seconds "$tmdb_secs" \
	-min 75 >"$work/side-by-side.md"
printf '\nLoad: %s (start); %s (end).\n' "$load_before" "$(uptime)" >>"$work/side-by-side.md"
cat "$work/side-by-side.md"
