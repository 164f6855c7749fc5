#!/usr/bin/env bash
# bench-graph.sh measures how fast build-graph writes the knowledge graph,
# and prints Markdown tables (those of docs/bench-graph.md).
#
#   scripts/bench-graph.sh [COUNT]        the gettext memory plus Tatoeba
#                                         (about 167k pairs) into each store,
#                                         COUNT runs (default 3): the Go
#                                         benchmarks BenchmarkBuildEmbedded
#                                         and BenchmarkBuildDgraph, each
#                                         against a fresh local Dgraph, with
#                                         the alpha's and zero's CPU seconds
#                                         and peak memory.
#   scripts/bench-graph.sh scale [SIZES]  the scaling table: `kgmem
#                                         build-graph` (graph and search
#                                         index) on corpora of SIZES pairs
#                                         (default "100000 300000 1000000"),
#                                         one run each, into the embedded
#                                         store; then 10,000 more pairs added
#                                         to the largest; then Dgraph, one
#                                         alpha and the two-group cluster, on
#                                         the sizes in KGMEM_BENCH_DGRAPH_SIZES
#                                         (default 100000; "" for none).
#
# The corpora are made from the shared data by
# graph/ingest/internal/benchcorpus (real pairs, then variants of them) in
# KGMEM_BENCH_DIR (default /tmp/kgmem-bench-graph), and kept there.
#
# Environment: KGMEM_SHARED_DATA points at the shared data (default
# ../shared/data); KGMEM_BENCH_ONLY=embedded or dgraph runs one store;
# KGMEM_MEMORY_LIMIT is build-graph's --memory-limit in the scale runs
# (default 3GB). Dgraph runs on DGRAPH_PORT_OFFSET=30 and, for the cluster,
# DGRAPH_CLUSTER_OFFSET=130, so as not to disturb servers already running.
# Every row says the load average when it started and ended: wall-clock
# numbers are only comparable on an idle machine; CPU seconds and peak
# memory much less depend on it.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
only=${KGMEM_BENCH_ONLY:-}
export KGMEM_SHARED_DATA=${KGMEM_SHARED_DATA:-$root/../shared/data}
work=$(mktemp -d)
export DGRAPH_PORT_OFFSET=${DGRAPH_PORT_OFFSET:-30} DGRAPH_STATE=${DGRAPH_STATE:-$work/dgraph}
export DGRAPH_CLUSTER_OFFSET=${DGRAPH_CLUSTER_OFFSET:-130} DGRAPH_CLUSTER_STATE=${DGRAPH_CLUSTER_STATE:-$work/cluster}
cleanup() {
	"$root/scripts/dgraph-local.sh" stop >/dev/null 2>&1 || true
	"$root/scripts/dgraph-cluster.sh" stop >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
cd "$root"

load() { cut -d' ' -f1 /proc/loadavg; }

# server PIDFILE: CPU seconds and peak RSS (MB) of a server's child
# process (Dgraph runs as a parent that re-executes itself).
server() {
	local pid child
	pid=$(cat "$1")
	child=$(pgrep -P "$pid" | head -1)
	[ -n "$child" ] || child=$pid
	awk -v hz="$(getconf CLK_TCK)" '{ printf "%.0f", ($14 + $15) / hz }' "/proc/$child/stat"
	printf ' '
	awk '/^VmHWM:/ { printf "%.0f\n", $2 / 1024 }' "/proc/$child/status"
}

# benchmarks COUNT: the Go benchmarks at 167k pairs.
benchmarks() {
	local count=$1 i r rate rss addr acpu arss zcpu _
	echo "== compiling the benchmark" >&2
	go test -c -o "$work/ingest.test" ./graph/ingest
	bench() { # NAME: one run of BenchmarkNAME; prints "pairs/s peak-RSS-MB"
		local out
		out=$("$work/ingest.test" -test.run '^$' -test.bench "^Benchmark$1\$" -test.benchtime 1x 2>&1)
		if ! grep -q '^Benchmark' <<<"$out"; then
			echo "bench-graph.sh: Benchmark$1 did not run:" >&2
			echo "$out" >&2
			exit 1
		fi
		awk '/^Benchmark/ { for (i = 1; i <= NF; i++) { if ($i == "pairs/s") p = $(i-1); if ($i == "peak-RSS-MB") m = $(i-1) } } END { print p, m }' <<<"$out"
	}
	printf '| store | run | pairs/s | client peak RSS (MB) | alpha CPU (s) | alpha peak RSS (MB) | zero CPU (s) |\n'
	printf '| --- | --- | --- | --- | --- | --- | --- |\n'
	if [ "$only" != dgraph ]; then
		for i in $(seq 1 "$count"); do
			echo "== embedded, run $i (load: $(load))" >&2
			r=$(bench BuildEmbedded)
			read -r rate rss <<<"$r"
			printf '| embedded | %d | %s | %s | – | – | – |\n' "$i" "$rate" "$rss"
		done
	fi
	if [ "$only" != embedded ]; then
		for i in $(seq 1 "$count"); do
			echo "== dgraph, run $i (load: $(load))" >&2
			addr=$(scripts/dgraph-local.sh start)
			r=$(KGMEM_DGRAPH_ADDR=$addr bench BuildDgraph)
			read -r rate rss <<<"$r"
			read -r acpu arss < <(server "$DGRAPH_STATE/alpha.pid")
			read -r zcpu _ < <(server "$DGRAPH_STATE/zero.pid")
			scripts/dgraph-local.sh stop
			printf '| dgraph | %d | %s | %s | %s | %s | %s |\n' "$i" "$rate" "$rss" "$acpu" "$arss" "$zcpu"
		done
	fi
}

# corpus N: the path of a corpus of N pairs, made if need be; corpus N
# extra: the 10,000 pairs to add to it.
corpus() {
	local n=$1 dir=${KGMEM_BENCH_DIR:-/tmp/kgmem-bench-graph}
	if [ ! -s "$dir/$n.tsv" ] || [ ! -s "$dir/$n+10000.tsv" ]; then
		echo "== making a corpus of $n pairs in $dir" >&2
		go run ./graph/ingest/internal/benchcorpus -data "$KGMEM_SHARED_DATA" -n "$n" -out "$dir/$n.tsv" \
			-extra 10000 -extra-out "$dir/$n+10000.tsv" >&2
	fi
	if [ "${2:-}" = extra ]; then
		echo "$dir/$n+10000.tsv"
	else
		echo "$dir/$n.tsv"
	fi
}

# build STORE-URI DATADIR LABEL PAIRS ALPHAS FILES…: one build-graph under
# /usr/bin/time; prints a table row. ALPHAS are the pid files of the
# Dgraph alphas whose CPU seconds the build costs ("-" for none).
build() {
	local uri=$1 data=$2 label=$3 pairs=$4 alphas=$5 l0 l1 out before after p
	shift 5
	alphaCPU() {
		local sum=0 c _
		for p in ${alphas//,/ }; do
			read -r c _ < <(server "$p")
			sum=$((sum + c))
		done
		echo "$sum"
	}
	before=0
	[ "$alphas" = - ] || before=$(alphaCPU)
	l0=$(load)
	out=$work/build.json
	/usr/bin/time -f '%e %U %S %M' -o "$work/time" "$work/kgmem" --data-dir "$data" --quiet --json build-graph \
		--graph "$uri" --memory-limit "${KGMEM_MEMORY_LIMIT:-3GB}" "$@" >"$out"
	l1=$(load)
	after=–
	[ "$alphas" = - ] || after=$(($(alphaCPU) - before))
	read -r wall user sys rss <"$work/time"
	python3 - "$out" "$label" "$pairs" "$wall" "$user" "$sys" "$rss" "$l0" "$l1" "$after" <<'PY'
import json, sys
out, label, pairs, wall, user, sys_, rss, l0, l1, alpha = sys.argv[1:]
d = json.load(open(out))
pairs, wall = int(pairs), float(wall)
print("| %s | %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f | %s | %s → %s |" % (
    label, pairs, wall, pairs / wall, float(user) + float(sys_), d["seconds"], d["index"]["seconds"] - d["seconds"],
    int(rss) / 1024, d.get("spilled", 0) / 2**30, alpha, l0, l1))
PY
}

# scale SIZES: the scaling table.
scale() {
	local sizes=$1 n last="" addr
	go build -o "$work/kgmem" ./cmd/kgmem
	printf '| store | pairs | wall (s) | pairs/s | CPU (s) | graph (s) | index after the graph (s) | peak RSS (MB) | spilled (GB) | alpha CPU (s) | load |\n'
	printf '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n'
	if [ "$only" != dgraph ]; then
		for n in $sizes; do
			echo "== embedded, $n pairs (load: $(load))" >&2
			rm -rf "$work/data"
			build embedded "$work/data" embedded "$n" - "$(corpus "$n")"
			last=$n
		done
		echo "== embedded, 10,000 pairs onto $last (load: $(load))" >&2
		build embedded "$work/data" "embedded, +10k onto $last" 10000 - "$(corpus "$last" extra)"
		echo "== embedded, the same again: nothing to do (load: $(load))" >&2
		build embedded "$work/data" "embedded, re-run on the unchanged files" 0 - "$(corpus "$last")" "$(corpus "$last" extra)"
		rm -rf "$work/data"
	fi
	if [ "$only" != embedded ]; then
		for n in ${KGMEM_BENCH_DGRAPH_SIZES-100000}; do
			echo "== dgraph, one alpha, $n pairs (load: $(load))" >&2
			addr=$(scripts/dgraph-local.sh start)
			rm -rf "$work/data"
			build "dgraph://$addr" "$work/data" "dgraph, one alpha" "$n" "$DGRAPH_STATE/alpha.pid" "$(corpus "$n")"
			scripts/dgraph-local.sh stop
			echo "== dgraph, two groups, $n pairs (load: $(load))" >&2
			addr=$(scripts/dgraph-cluster.sh start)
			rm -rf "$work/data"
			build "dgraph://$addr" "$work/data" "dgraph, two groups" "$n" "$DGRAPH_CLUSTER_STATE/alpha1.pid,$DGRAPH_CLUSTER_STATE/alpha2.pid" "$(corpus "$n")"
			scripts/dgraph-cluster.sh stop
		done
	fi
}

case "${1:-3}" in
scale) scale "${2:-100000 300000 1000000}" ;;
*) benchmarks "${1:-3}" ;;
esac
