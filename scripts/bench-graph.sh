#!/usr/bin/env bash
# bench-graph.sh measures how fast build-graph writes the gettext memory
# plus Tatoeba (about 167k pairs) into each store, and prints a Markdown
# table (the one in docs/bench-graph.md):
#
#   - the embedded store: BenchmarkBuildEmbedded, COUNT runs;
#   - Dgraph: BenchmarkBuildDgraph, COUNT runs, each against a fresh local
#     Dgraph (scripts/dgraph-local.sh, on DGRAPH_PORT_OFFSET=30 so that it
#     does not disturb one already running), with the CPU seconds and peak
#     memory of the alpha and zero servers.
#
# Usage: scripts/bench-graph.sh [COUNT]   (default 3)
#
# Environment: KGMEM_SHARED_DATA points at the shared data (default
# ../shared/data); KGMEM_BENCH_ONLY=embedded or dgraph runs one store.
# Run it on an idle machine: the numbers are wall-clock throughput.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
count=${1:-3}
only=${KGMEM_BENCH_ONLY:-}
export KGMEM_SHARED_DATA=${KGMEM_SHARED_DATA:-$root/../shared/data}
work=$(mktemp -d)
trap 'DGRAPH_PORT_OFFSET=30 DGRAPH_STATE=$work/dgraph "$root/scripts/dgraph-local.sh" stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
cd "$root"

echo "== compiling the benchmark" >&2
go test -c -o "$work/ingest.test" ./graph/ingest

# bench NAME: one run of BenchmarkNAME; prints "pairs/s peak-RSS-MB".
bench() {
	local out
	out=$("$work/ingest.test" -test.run '^$' -test.bench "^Benchmark$1\$" -test.benchtime 1x 2>&1)
	if ! grep -q '^Benchmark' <<<"$out"; then
		echo "bench-graph.sh: Benchmark$1 did not run:" >&2
		echo "$out" >&2
		exit 1
	fi
	awk '/^Benchmark/ { for (i = 1; i <= NF; i++) { if ($i == "pairs/s") p = $(i-1); if ($i == "peak-RSS-MB") m = $(i-1) } } END { print p, m }' <<<"$out"
}

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

printf '| store | run | pairs/s | client peak RSS (MB) | alpha CPU (s) | alpha peak RSS (MB) | zero CPU (s) |\n'
printf '| --- | --- | --- | --- | --- | --- | --- |\n'
if [ "$only" != dgraph ]; then
	for i in $(seq 1 "$count"); do
		echo "== embedded, run $i (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
		r=$(bench BuildEmbedded)
		read -r rate rss <<<"$r"
		printf '| embedded | %d | %s | %s | – | – | – |\n' "$i" "$rate" "$rss"
	done
fi
if [ "$only" != embedded ]; then
	export DGRAPH_PORT_OFFSET=30 DGRAPH_STATE=$work/dgraph
	for i in $(seq 1 "$count"); do
		echo "== dgraph, run $i (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
		addr=$(scripts/dgraph-local.sh start)
		r=$(KGMEM_DGRAPH_ADDR=$addr bench BuildDgraph)
		read -r rate rss <<<"$r"
		read -r acpu arss < <(server "$DGRAPH_STATE/alpha.pid")
		read -r zcpu _ < <(server "$DGRAPH_STATE/zero.pid")
		scripts/dgraph-local.sh stop
		printf '| dgraph | %d | %s | %s | %s | %s | %s |\n' "$i" "$rate" "$rss" "$acpu" "$arss" "$zcpu"
	done
fi
