#!/bin/sh
# compat-side-by-side.sh runs kgmem serve beside the servers its compatible
# APIs imitate, on loopback, with the same memory and the same sentences,
# and writes what each answered and how fast:
#
#   1. translate-toolkit's tmserver (build_tmdb + tmserver) and kgmem's
#      /tmserver API on the same memory (a PO file of the shared gettext
#      memory), asked the same lookups (sources of the gettext dev set):
#      throughput, and best-match recall as retrieval/internal/tmcompare
#      judges it (an exhaustive scan of the memory; pretranslate --tm runs
#      too, as that tool needs it);
#   2. Apertium APy (apertium-apy, the eng-spa pair) and kgmem's APy API
#      (the apertium model with the memory), asked to translate the same
#      sentences: throughput, and how many answers are the same.
#
# Usage: scripts/compat-side-by-side.sh [WORKDIR]   (default /tmp/kgmem-compat)
#
# Environment: KGMEM_COMPAT_PAIRS (the first N pairs of the memory; 0, the
# default, is all 48,076), KGMEM_COMPAT_TMSERVER_QUERIES (default 60:
# tmserver needs from a tenth of a second to tens of seconds a lookup), KGMEM_COMPAT_APY_SENTENCES (default 300), KGMEM_COMPAT_CLIENTS
# (concurrent clients of each server, default 1), KGMEM_COMPAT_ONLY=tmserver
# or apy (one part), KGMEM_COMPAT_PORT (first of three ports, default
# 18940), KGMEM_SHARED_DATA (default ../shared/data). Needs Go, python3,
# translate-toolkit, python3-cheroot, python3-levenshtein, apertium,
# apertium-eng-spa and apertium-apy (scripts/install-deps.sh installs them).
# The numbers depend on the machine's load: run it on a quiet machine, and
# say so when it was not.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/kgmem-compat}
data=${KGMEM_SHARED_DATA:-$root/../shared/data}
pairs=${KGMEM_COMPAT_PAIRS:-0}
tms_n=${KGMEM_COMPAT_TMSERVER_QUERIES:-60}
apy_n=${KGMEM_COMPAT_APY_SENTENCES:-300}
clients=${KGMEM_COMPAT_CLIENTS:-1}
only=${KGMEM_COMPAT_ONLY:-}
port=${KGMEM_COMPAT_PORT:-18940}
kg_port=$port
tms_port=$((port + 1))
apy_port=$((port + 2))
mkdir -p "$work"
cd "$root"

for tool in python3 build_tmdb tmserver pretranslate apertium apertium-apy; do
	command -v "$tool" >/dev/null || { echo "$tool is not installed (scripts/install-deps.sh)" >&2; exit 1; }
done

pids=""
stop_all() {
	for p in $pids; do
		kill -TERM "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
}
trap stop_all EXIT INT TERM

echo "== building kgmem" >&2
go build -o "$work/kgmem" ./cmd/kgmem

# The memory and the queries: the pairs of the gettext memory (the first
# $pairs when not 0)
# and the distinct sources of the dev set, without escaped characters
# (a URL path and a line cannot hold them as they are).
python3 - "$data/gettext/en-es.memory.tsv" "$data/gettext/en-es.dev.tsv" "$pairs" "$work" <<'EOF'
import sys
mem, dev, n, work = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def rows(path):
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            cells = line.rstrip("\n").split("\t")
            if len(cells) >= 3 and cells[1] and cells[2] and "\\" not in line:
                yield cells[1], cells[2]
esc = lambda s: s.replace("\\", "\\\\").replace('"', '\\"')
seen = set()
with open(work + "/memory.po", "w", encoding="utf-8") as f:
    f.write('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n')
    for s, t in rows(mem):
        if n and len(seen) == n:
            break
        if s not in seen:
            seen.add(s)
            f.write('msgid "%s"\nmsgstr "%s"\n\n' % (esc(s), esc(t)))
qs, qseen = [], set()
for s, _ in rows(dev):
    if s not in qseen:
        qseen.add(s)
        qs.append(s)
with open(work + "/queries.txt", "w", encoding="utf-8") as f:
    f.write("".join(q + "\n" for q in qs))
EOF

# The driver: asks a server every query of a file over keep-alive
# connections (one per client), writes one JSON line per query, and prints
# the seconds the queries took.
cat >"$work/drive.py" <<'EOF'
import http.client, json, sys, threading, time, urllib.parse
kind, port, qpath, out, n, clients = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
qs = open(qpath, encoding="utf-8").read().splitlines()
qs = qs[::max(1, len(qs) // n)][:n] if n > 0 else qs
def path(q):
    if kind == "tmserver":
        return "/tmserver/en/es/unit/" + urllib.parse.quote(q, safe="")
    return "/translate?langpair=eng|spa&markUnknown=no&q=" + urllib.parse.quote(q, safe="")
def ask(c, q):
    c.request("GET", path(q))
    r = c.getresponse()
    body = r.read()
    if r.status != 200:
        sys.exit("%s on port %d answered %d to %r: %s" % (kind, port, r.status, q, body[:200]))
    return json.loads(body)
for _ in range(240):  # wait up to two minutes for the server
    try:
        ask(http.client.HTTPConnection("127.0.0.1", port, timeout=600), "Open the file")
        break
    except (OSError, http.client.HTTPException):
        time.sleep(0.5)
else:
    sys.exit("nothing answers on port %d" % port)
answers = [None] * len(qs)
def work(k):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    for i in range(k, len(qs), clients):
        answers[i] = ask(c, qs[i])
start = time.monotonic()
ts = [threading.Thread(target=work, args=(k,)) for k in range(clients)]
for t in ts: t.start()
for t in ts: t.join()
secs = time.monotonic() - start
with open(out, "w", encoding="utf-8") as f:
    for q, a in zip(qs, answers):
        if a is None:
            sys.exit("a query was not answered")
        if kind == "tmserver":
            rec = {"query": q, "matches": [{"score": m["quality"], "source": m["source"], "target": m["target"], "keys": sorted(m)} for m in a]}
        else:
            rec = {"query": q, "keys": sorted(a), "data_keys": sorted(a["responseData"]), "translation": a["responseData"]["translatedText"]}
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")
print("%.3f" % secs)
EOF

echo "== kgmem: the memory, then kgmem serve on 127.0.0.1:$kg_port (model apertium)" >&2
rm -rf "$work/kgmem-data"
"$work/kgmem" -q --data-dir "$work/kgmem-data" build-graph --from en --to es "$work/memory.po" >/dev/null
"$work/kgmem" --data-dir "$work/kgmem-data" serve --listen "127.0.0.1:$kg_port" --model apertium >"$work/kgmem-serve.log" 2>&1 &
pids="$pids $!"
load_before=$(uptime)
report="$work/side-by-side.md"
printf '# kgmem serve side by side\n\nMemory: %s distinct sources of the gettext memory; clients per server: %s.\n\n' "$(($(grep -c '^msgid ' "$work/memory.po") - 1))" "$clients" >"$report"

if [ "$only" != apy ]; then
	echo "== tmserver: build_tmdb, tmserver on 127.0.0.1:$tms_port" >&2
	rm -f "$work/tm.db"
	start=$(date +%s.%N)
	build_tmdb -d "$work/tm.db" -s en -t es "$work/memory.po" >/dev/null
	tmdb_secs=$(echo "$(date +%s.%N) - $start" | bc)
	tmserver -d "$work/tm.db" -b 127.0.0.1 -p "$tms_port" >"$work/tmserver.log" 2>&1 &
	pids="$pids $!"
	python3 - "$work/queries.txt" "$tms_n" "$work/tms-queries.txt" "$work/tms-queries.po" <<'EOF'
import sys
qs = open(sys.argv[1], encoding="utf-8").read().splitlines()
n = int(sys.argv[2])
qs = qs[::max(1, len(qs) // n)][:n]
open(sys.argv[3], "w", encoding="utf-8").write("".join(q + "\n" for q in qs))
with open(sys.argv[4], "w", encoding="utf-8") as f:
    f.write('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n')
    for q in qs:
        f.write('msgid "%s"\nmsgstr ""\n\n' % q.replace("\\", "\\\\").replace('"', '\\"'))
EOF
	tms_secs=$(python3 "$work/drive.py" tmserver "$tms_port" "$work/tms-queries.txt" "$work/tmserver.jsonl" 0 "$clients")
	echo "tmserver: $tms_secs s" >&2
	kg_secs=$(python3 "$work/drive.py" tmserver "$kg_port" "$work/tms-queries.txt" "$work/kgmem-tmserver.jsonl" 0 "$clients")
	echo "kgmem /tmserver: $kg_secs s" >&2
	printf 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n' >"$work/empty.po"
	start=$(date +%s.%N)
	pretranslate --progress=none --tm "$work/memory.po" -s 75 -i "$work/tms-queries.po" -t "$work/empty.po" -o "$work/pretranslate.po"
	pre_secs=$(echo "$(date +%s.%N) - $start" | bc)
	# Answers of the same shape: the same keys in every match.
	python3 - "$work/tmserver.jsonl" "$work/kgmem-tmserver.jsonl" >>"$report" <<'EOF'
import json, sys
def keys(path):
    ks = set()
    for line in open(path, encoding="utf-8"):
        for m in json.loads(line)["matches"]:
            ks.add(tuple(m["keys"]))
    return ks
a, b = keys(sys.argv[1]), keys(sys.argv[2])
print("## tmserver\n")
print("Keys of the matches: translate-toolkit %s; kgmem %s: %s.\n" % (sorted(a), sorted(b), "the same" if a == b else "DIFFERENT"))
EOF
	go run ./retrieval/internal/tmcompare -memory "$work/memory.po" -queries "$work/tms-queries.txt" \
		-pretranslate "$work/pretranslate.po" -pretranslate-seconds "$pre_secs" \
		-kgmem "$work/kgmem-tmserver.jsonl" -kgmem-seconds "$kg_secs" \
		-tmserver "$work/tmserver.jsonl" -tmserver-seconds "$tms_secs" -tmdb-seconds "$tmdb_secs" -min 75 |
		sed 's/kgmem search tm/kgmem serve, \/tmserver API over HTTP/' >>"$report"
	printf '\ntmserver: %s lookups in %s s; kgmem serve: the same in %s s; throughput ratio %s.\n\n' \
		"$(wc -l <"$work/tms-queries.txt")" "$tms_secs" "$kg_secs" "$(echo "scale=1; $tms_secs / $kg_secs" | bc)" >>"$report"
fi

if [ "$only" != tmserver ]; then
	echo "== APy: apertium-apy on 127.0.0.1:$apy_port" >&2
	apertium-apy -p "$apy_port" /usr/share/apertium/modes >"$work/apy.log" 2>&1 &
	pids="$pids $!"
	# Warm both up on the same sentences first (pipelines start, caches
	# fill), then measure.
	python3 "$work/drive.py" apy "$apy_port" "$work/queries.txt" "$work/apy-warm.jsonl" 20 1 >/dev/null
	python3 "$work/drive.py" apy "$kg_port" "$work/queries.txt" "$work/kgmem-warm.jsonl" 20 1 >/dev/null
	apy_secs=$(python3 "$work/drive.py" apy "$apy_port" "$work/queries.txt" "$work/apy.jsonl" "$apy_n" "$clients")
	echo "apertium-apy: $apy_secs s" >&2
	kga_secs=$(python3 "$work/drive.py" apy "$kg_port" "$work/queries.txt" "$work/kgmem-apy.jsonl" "$apy_n" "$clients")
	echo "kgmem /translate (APy): $kga_secs s" >&2
	python3 - "$work/apy.jsonl" "$work/kgmem-apy.jsonl" "$apy_secs" "$kga_secs" >>"$report" <<'EOF'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
b = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
sa, sb = float(sys.argv[3]), float(sys.argv[4])
shape = all(x["keys"] == y["keys"] and x["data_keys"] == y["data_keys"] for x, y in zip(a, b))
same = sum(x["translation"] == y["translation"] for x, y in zip(a, b))
print("## Apertium APy\n")
print("| server | sentences | seconds | sentences/s |")
print("| --- | ---: | ---: | ---: |")
print("| apertium-apy (eng-spa) | %d | %.2f | %.1f |" % (len(a), sa, len(a) / sa))
print("| kgmem serve, APy API (apertium model + memory) | %d | %.2f | %.1f |" % (len(b), sb, len(b) / sb))
print("\nkgmem's throughput is %.2f× APy's. Answers of the same shape: %s. The same translation: %d of %d (kgmem's differ where its memory knows better).\n" % (sa / sb, "yes" if shape else "NO", same, len(a)))
EOF
fi
printf 'Load: %s (start); %s (end).\n' "$load_before" "$(uptime)" >>"$report"
cat "$report"
