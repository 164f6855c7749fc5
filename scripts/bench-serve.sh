#!/bin/sh
# bench-serve.sh measures kgmem serve under load with kgmem-load (a
# closed-loop generator: each client sends its next request when the last
# is answered) and writes the tables of docs/bench-serve.md:
#
#   load      TM search, translate (Apertium + memory), learn, and the
#             90/9/1 mix of the three, at 1, 8, 32 and 128 clients, on the
#             gettext memory + Tatoeba (167k pairs), with the gettext dev
#             set as queries: answers/s, p50/p95/p99, errors by status,
#             the server's RSS and CPU;
#   batching  translate with and without packing concurrent requests into
#             shared model calls (kgmem serve --no-batching);
#   side      the same generator and queries against translate-toolkit's
#             tmserver and Apertium APy (on the gettext memory alone, as
#             tmserver holds it), beside kgmem's TM search and translate;
#   cluster   (KGMEM_BENCH_CLUSTER=1) two servers on one two-group Dgraph
#             cluster (scripts/dgraph-cluster.sh, gettext memory): how
#             soon a pair learned through one is found through the other,
#             and TM search through both at once;
#   soak      (KGMEM_BENCH_SOAK=1) the mix at 32 clients for 10 minutes,
#             the server's RSS sampled every 10 s.
#
# Usage: scripts/bench-serve.sh [WORKDIR]   (default /tmp/kgmem-bench-serve)
#
# Environment: KGMEM_BENCH_ONLY=load|batching|side|cluster|soak runs one part;
# KGMEM_BENCH_SECONDS is each level's length (default 30);
# KGMEM_BENCH_CLIENTS the levels (default 1,8,32,128);
# KGMEM_BENCH_SOAK=1 adds the soak, KGMEM_BENCH_SOAK_SECONDS its length
# (default 600); KGMEM_BENCH_PORT the first of the three ports it uses
# (default 18480); KGMEM_SHARED_DATA the shared data (default
# ../shared/data). The memories are built once and kept in WORKDIR (the
# gettext memory + Tatoeba takes a few minutes); each run serves a fresh
# copy, since learning changes it. Needs Go, curl, apertium and
# apertium-eng-spa; the side part also translate-toolkit (tmserver,
# build_tmdb, with python3-cheroot) and apertium-apy, and is left out
# when they are missing. The machine's load is recorded with each table.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/kgmem-bench-serve}
data=${KGMEM_SHARED_DATA:-$root/../shared/data}
secs=${KGMEM_BENCH_SECONDS:-30}
clients=${KGMEM_BENCH_CLIENTS:-1,8,32,128}
port=${KGMEM_BENCH_PORT:-18480}
only=${KGMEM_BENCH_ONLY:-}
queries=$data/gettext/en-es.dev.tsv
out=$work/tables.md
mkdir -p "$work"
cd "$root"

echo "== building kgmem and kgmem-load" >&2
go build -o "$work/kgmem" ./cmd/kgmem
go build -o "$work/kgmem-load" ./cmd/kgmem-load
kgmem="$work/kgmem"
load="$work/kgmem-load"

# memory DIR FILE… builds a memory once.
memory() {
	dir=$1
	shift
	if [ ! -f "$dir/memory.json" ]; then
		echo "== building $dir" >&2
		rm -rf "$dir"
		"$kgmem" --quiet --data-dir "$dir" build-graph --from en --to es "$@" >/dev/null
	fi
}
memory "$work/memory-full" "$data/gettext/en-es.memory.tsv" "$data/tatoeba/en-es.tsv"

server_pid=""
# serve MEMORY [FLAG…] serves a fresh copy of MEMORY on $port.
serve() {
	src=$1
	shift
	rm -rf "$work/data"
	cp -a "$src" "$work/data"
	"$kgmem" --data-dir "$work/data" --log-level warn serve --listen "127.0.0.1:$port" "$@" >"$work/serve.out" 2>>"$work/serve.log" &
	server_pid=$!
	for _ in $(seq 1 240); do
		curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && return 0
		kill -0 "$server_pid" 2>/dev/null || { echo "kgmem serve exited; see $work/serve.log" >&2; exit 1; }
		sleep 0.5
	done
	echo "kgmem serve did not become ready in 2 minutes; see $work/serve.log" >&2
	exit 1
}
unserve() {
	[ -n "$server_pid" ] || return 0
	kill -TERM "$server_pid" 2>/dev/null || true
	wait "$server_pid" 2>/dev/null || true
	server_pid=""
}
side_pids=""
cleanup() {
	unserve
	for p in $side_pids; do kill -TERM "$p" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

# measure NAME TITLE LOAD-FLAG… runs kgmem-load against the server and
# appends its table, with the load of the machine, to $out.
measure() {
	name=$1
	title=$2
	shift 2
	echo "== $title" >&2
	before=$(uptime)
	"$load" --queries "$queries" --duration "${secs}s" --warmup 5s --report "$work/$name.json" "$@" >"$work/$name.md"
	{
		printf '\n### %s\n\n' "$title"
		cat "$work/$name.md"
		printf '\nLoad: %s (start); %s (end).\n' "$before" "$(uptime)"
	} >>"$out"
}

printf '# kgmem serve benchmarks, %s, commit %s\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$(git rev-parse --short HEAD 2>/dev/null || echo '?')" >"$out"
url="http://127.0.0.1:$port"

if [ -z "$only" ] || [ "$only" = load ]; then
	for w in "search|TM search" "translate|translate (Apertium + memory, one segment a request)" \
		"search=90,translate=9,learn=1|mix 90/9/1" "learn|learn (one new pair a request)"; do
		mix=${w%%|*}
		title=${w#*|}
		serve "$work/memory-full"
		measure "load-$(echo "$mix" | tr -c 'a-z0-9\n' '-')" "$title" --url "$url" --clients "$clients" --mix "$mix" \
			--model apertium --pid "$server_pid"
		unserve
	done
fi

if [ -z "$only" ] || [ "$only" = batching ]; then
	for flags in "--no-batching" ""; do
		# shellcheck disable=SC2086 # no flag at all for the default
		serve "$work/memory-full" $flags
		label="packed (default)"
		[ -n "$flags" ] && label="each request alone (--no-batching)"
		measure "batching-${flags:-default}" "translate, $label" --url "$url" --clients "$clients" --mix translate \
			--model apertium --pid "$server_pid"
		unserve
	done
fi

if [ -z "$only" ] || [ "$only" = side ]; then
	if command -v tmserver >/dev/null && command -v build_tmdb >/dev/null && command -v apertium-apy >/dev/null; then
		memory "$work/memory-gettext" "$data/gettext/en-es.memory.tsv"
		if [ ! -f "$work/tm.db" ]; then
			echo "== building tmserver's tmdb" >&2
			"$kgmem" -q corpus convert --from en --to es "$data/gettext/en-es.memory.tsv" "$work/memory.po" 2>/dev/null
			build_tmdb -d "$work/tm.db.tmp" -s en -t es "$work/memory.po" >/dev/null
			mv "$work/tm.db.tmp" "$work/tm.db"
		fi
		tport=$((port + 1))
		aport=$((port + 2))
		tmserver -d "$work/tm.db" -b 127.0.0.1 -p "$tport" --max-candidates 1 --min-similarity 75 >"$work/tmserver.log" 2>&1 &
		side_pids="$side_pids $!"
		tms_pid=$!
		apertium-apy -p "$aport" /usr/share/apertium/modes >"$work/apy.log" 2>&1 &
		side_pids="$side_pids $!"
		apy_pid=$!
		for _ in $(seq 1 120); do
			curl -fsS "http://127.0.0.1:$tport/tmserver/en/es/unit/file" >/dev/null 2>&1 &&
				curl -fsS "http://127.0.0.1:$aport/listPairs" >/dev/null 2>&1 && break
			sleep 0.5
		done
		side_clients=${KGMEM_BENCH_SIDE_CLIENTS:-1,8,32}
		serve "$work/memory-gettext"
		measure side-kgmem-search "kgmem TM search, gettext memory" --url "$url" --clients "$side_clients" --mix search \
			--pid "$server_pid"
		measure side-kgmem-translate "kgmem translate (Apertium + memory), gettext memory" --url "$url" --clients "$side_clients" \
			--mix translate --model apertium --pid "$server_pid"
		unserve
		measure side-tmserver "translate-toolkit tmserver, gettext memory" --clients "$side_clients" --mix tmserver \
			--tmserver "http://127.0.0.1:$tport/tmserver/en/es/unit/{path}" --pid "$tms_pid"
		measure side-apy "Apertium APy (no memory)" --clients "$side_clients" --mix apy \
			--apy "http://127.0.0.1:$aport/translate?langpair=eng|spa&q={query}" --pid "$apy_pid"
	else
		echo "== side by side left out: tmserver, build_tmdb or apertium-apy is not installed" >&2
	fi
fi

if [ "${KGMEM_BENCH_CLUSTER:-}" = 1 ] || [ "$only" = cluster ]; then
	# Two servers on one two-group Dgraph cluster, each with a data
	# directory built on it from the gettext memory: how long a pair
	# learned through A takes to be found through B, what B's look at
	# the graph costs when nothing changed, and TM search through both
	# at once.
	export DGRAPH_CLUSTER_OFFSET=${DGRAPH_CLUSTER_OFFSET:-400} DGRAPH_CLUSTER_STATE=${DGRAPH_CLUSTER_STATE:-$work/dgraph-cluster}
	cluster=$(scripts/dgraph-cluster.sh start)
	stop_cluster() { scripts/dgraph-cluster.sh stop >/dev/null 2>&1 || true; }
	for d in a b; do
		rm -rf "$work/cluster-$d"
		echo "== building data directory $d on the cluster" >&2
		"$kgmem" --quiet --data-dir "$work/cluster-$d" build-graph --graph "dgraph://$cluster" --from en --to es \
			"$data/gettext/en-es.memory.tsv" >/dev/null || { stop_cluster; exit 1; }
	done
	bport=$((port + 3))
	"$kgmem" --data-dir "$work/cluster-a" --log-level warn serve --listen "127.0.0.1:$port" >"$work/serve-a.out" 2>>"$work/serve.log" &
	server_pid=$!
	"$kgmem" --data-dir "$work/cluster-b" --log-level warn serve --listen "127.0.0.1:$bport" >"$work/serve-b.out" 2>>"$work/serve.log" &
	side_pids="$side_pids $!"
	b_pid=$!
	for _ in $(seq 1 240); do
		curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && curl -fsS "http://127.0.0.1:$bport/readyz" >/dev/null 2>&1 && break
		sleep 0.5
	done
	echo "== propagation from A to B" >&2
	{
		printf '\n### two servers on a two-group Dgraph cluster (gettext memory)\n\n'
		python3 - "http://127.0.0.1:$port" "http://127.0.0.1:$bport" <<'PY'
import json, sys, time, urllib.request
a, b = sys.argv[1], sys.argv[2]
def post(url, body):
    req = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)
delays, learns = [], []
for i in range(50):
    src, tgt = "Benchmark note %d of %d" % (i, time.time_ns()), "Nota de prueba %d" % i
    t0 = time.monotonic()
    post(a + "/api/v1/learn", {"source_lang": "en", "target_lang": "es", "pairs": [{"source": src, "target": tgt}]})
    t1 = time.monotonic()
    learns.append(t1 - t0)
    while True:
        ms = post(b + "/api/v1/tm/search", {"text": src, "source_lang": "en", "target_lang": "es", "min": 100})["matches"]
        if any(m["source"] == src for m in ms):
            break
        if time.monotonic() - t1 > 60:
            sys.exit("not found through B in 60 s")
        time.sleep(0.01)
    delays.append(time.monotonic() - t1)
def q(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))]
print("50 pairs learned one after another through A; after each was acknowledged, B's TM search was asked every 10 ms until it found it.\n")
print("| | p50 | p90 | max |")
print("| --- | ---: | ---: | ---: |")
print("| learn through A (ms) | %.0f | %.0f | %.0f |" % (q(learns, .5) * 1000, q(learns, .9) * 1000, max(learns) * 1000))
print("| found through B after (ms) | %.0f | %.0f | %.0f |" % (q(delays, .5) * 1000, q(delays, .9) * 1000, max(delays) * 1000))
PY
		# What B's look at the graph costs: over 10 s with nothing
		# written, then over the 50 learns above.
		curl -fsS "http://127.0.0.1:$bport/metrics" >"$work/b-metrics-0.txt"
		sleep 10
		curl -fsS "http://127.0.0.1:$bport/metrics" >"$work/b-metrics-1.txt"
		python3 - "$work/b-metrics-0.txt" "$work/b-metrics-1.txt" <<'PY'
import sys
def read(path):
    v = {}
    for line in open(path):
        if line.startswith("kgmem_follow_refresh_seconds_"):
            name, val = line.rsplit(" ", 1)
            v[name] = float(val)
    return v
before, after = read(sys.argv[1]), read(sys.argv[2])
def stat(v, o):
    return (v.get('kgmem_follow_refresh_seconds_count{outcome="%s"}' % o, 0),
            v.get('kgmem_follow_refresh_seconds_sum{outcome="%s"}' % o, 0))
n0, s0 = stat(before, "same")
n1, s1 = stat(after, "same")
ni, si = stat(before, "indexed")
print()
if n1 > n0:
    print("- Nothing written, 10 s: B looked at the graph %d times, %.1f ms each on average." % (n1 - n0, 1000 * (s1 - s0) / (n1 - n0)))
if ni:
    print("- During the 50 learns: %d looks found something and indexed it, %.1f ms each on average." % (ni, 1000 * si / ni))
PY
		printf '\nLoad: %s.\n' "$(uptime)"
	} >>"$out"
	measure cluster-a "TM search through A, while B is searched too" --url "http://127.0.0.1:$port" --clients 32 --mix search --pid "$server_pid" &
	a_load=$!
	sleep 1
	"$load" --queries "$queries" --duration "${secs}s" --warmup 4s --url "http://127.0.0.1:$bport" --clients 32 --mix search \
		--pid "$b_pid" --report "$work/cluster-b.json" >"$work/cluster-b.md"
	wait "$a_load"
	{
		printf '\n### TM search through B at the same time\n\n'
		cat "$work/cluster-b.md"
	} >>"$out"
	unserve
	kill -TERM "$b_pid" 2>/dev/null || true
	wait "$b_pid" 2>/dev/null || true
	stop_cluster
fi

if [ "${KGMEM_BENCH_SOAK:-}" = 1 ] || [ "$only" = soak ]; then
	soak=${KGMEM_BENCH_SOAK_SECONDS:-600}
	serve "$work/memory-full"
	secs=$soak
	measure soak "soak: mix 90/9/1, 32 clients, ${soak} s" --url "$url" --clients 32 --warmup 0s \
		--mix search=90,translate=9,learn=1 --model apertium --pid "$server_pid" --rss-every 10s
	unserve
	python3 - "$work/soak.json" >>"$out" <<'EOF'
import json, sys
rep = json.load(open(sys.argv[1]))
s = rep["levels"][0]["server"]
print("\nServer RSS during the soak (MB), every minute:\n")
print("| s | " + " | ".join("%d" % t for t, _ in s["rss_samples"] if int(t) % 60 < 10) + " |")
print("| ---: | " + " | ".join("---:" for t, _ in s["rss_samples"] if int(t) % 60 < 10) + " |")
print("| RSS | " + " | ".join("%.0f" % m for t, m in s["rss_samples"] if int(t) % 60 < 10) + " |")
EOF
fi

cat "$out"
