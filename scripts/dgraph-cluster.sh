#!/usr/bin/env bash
# Runs a small Dgraph cluster on loopback for testing kgmem's Dgraph store
# across shards: one zero and two alphas, each alpha its own group (zero
# runs with --replicas 1), so Dgraph splits the predicates between two
# groups. Uses the binary scripts/dgraph-local.sh builds and caches.
#
#   scripts/dgraph-cluster.sh start    start zero + 2 alphas, wait until both are healthy and
#                                      in two groups, print the alphas' gRPC addresses
#                                      (comma-separated: graph/dgraph.Open takes the list)
#   scripts/dgraph-cluster.sh status   print the addresses if running, else exit 1
#   scripts/dgraph-cluster.sh groups   print each group's predicates (zero's /state)
#   scripts/dgraph-cluster.sh stop     stop them and remove the temporary directory
#
# Environment: DGRAPH_CLUSTER_OFFSET (default 100; zero and the first alpha
# use it as port offset, the second alpha offset+1: alpha gRPC 9180 and
# 9181, HTTP 8180 and 8181, zero HTTP 6180), DGRAPH_CLUSTER_STATE (default
# /tmp/kgmem-dgraph-cluster), KGMEM_CACHE (as for dgraph-local.sh).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
STATE=${DGRAPH_CLUSTER_STATE:-/tmp/kgmem-dgraph-cluster}
OFFSET=${DGRAPH_CLUSTER_OFFSET:-100}
OFFSETS=("$OFFSET" "$((OFFSET + 1))")
ZERO_GRPC=$((5080 + OFFSET))
ZERO_HTTP=$((6080 + OFFSET))

addresses() {
	echo "127.0.0.1:$((9080 + OFFSETS[0])),127.0.0.1:$((9080 + OFFSETS[1]))"
}

healthy() { # offset
	curl -fsS "http://127.0.0.1:$((8080 + $1))/health" 2>/dev/null | grep -q '"status":"healthy"'
}

# groups prints "group: predicate…" lines from zero's view of the cluster.
groups() {
	curl -fsS "http://127.0.0.1:$ZERO_HTTP/state" | python3 -c '
import json, sys
state = json.load(sys.stdin)
for gid, g in sorted(state.get("groups", {}).items()):
    members = len(g.get("members", {}))
    preds = sorted(t.split("-", 2)[-1] for t in g.get("tablets", {}))
    print("group %s (%d alpha): %s" % (gid, members, " ".join(preds) or "-"))
'
}

# ngroups prints how many groups have an alpha.
ngroups() {
	curl -fsS "http://127.0.0.1:$ZERO_HTTP/state" 2>/dev/null | python3 -c '
import json, sys
state = json.load(sys.stdin)
print(sum(1 for g in state.get("groups", {}).values() if g.get("members")))
' 2>/dev/null || echo 0
}

running() {
	[ -f "$STATE/zero.pid" ] && kill -0 "$(cat "$STATE/zero.pid")" 2>/dev/null
}

start() {
	local bin
	bin=$("$HERE/dgraph-local.sh" build)
	if running && healthy "${OFFSETS[0]}" && healthy "${OFFSETS[1]}"; then
		addresses
		return
	fi
	stop
	mkdir -p "$STATE/zero" "$STATE/alpha1" "$STATE/alpha2"
	# Each server runs in a session of its own, so that stop can end it
	# together with the child process Dgraph starts. Logs stay in $STATE.
	(cd "$STATE/zero" && exec setsid "$bin" zero --my="127.0.0.1:$ZERO_GRPC" --port_offset "$OFFSET" \
		--replicas 1 --log_dir "$STATE/zero" </dev/null >"$STATE/zero.log" 2>&1) &
	echo $! >"$STATE/zero.pid"
	local i off
	for i in 1 2; do
		off=${OFFSETS[$((i - 1))]}
		# Start the second alpha after the first has joined, so that the
		# first is group 1 (the one that holds Dgraph's own predicates).
		(cd "$STATE/alpha$i" && exec setsid "$bin" alpha --my="127.0.0.1:$((7080 + off))" --zero="127.0.0.1:$ZERO_GRPC" \
			--port_offset "$off" --security "whitelist=127.0.0.1/8" --cache "size-mb=256" --log_dir "$STATE/alpha$i" \
			</dev/null >"$STATE/alpha$i.log" 2>&1) &
		echo $! >"$STATE/alpha$i.pid"
		for _ in $(seq 1 120); do
			healthy "$off" && break
			sleep 0.5
		done
		if ! healthy "$off"; then
			echo "dgraph alpha $i did not become healthy in 60 s; logs in $STATE" >&2
			tail -n 20 "$STATE/alpha$i.log" >&2 || true
			exit 1
		fi
	done
	for _ in $(seq 1 60); do
		if [ "$(ngroups)" = 2 ]; then
			addresses
			return
		fi
		sleep 0.5
	done
	echo "the alphas did not form two groups in 30 s; zero's view:" >&2
	groups >&2 || true
	exit 1
}

stop() {
	for p in alpha2 alpha1 zero; do
		if [ -f "$STATE/$p.pid" ]; then
			pid=$(cat "$STATE/$p.pid")
			kill -- "-$pid" 2>/dev/null || true
			for _ in $(seq 1 40); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.25; done
			kill -9 -- "-$pid" 2>/dev/null || true
		fi
	done
	rm -rf "$STATE"
}

status() {
	if running && healthy "${OFFSETS[0]}" && healthy "${OFFSETS[1]}"; then
		addresses
	else
		echo "the dgraph cluster is not running" >&2
		exit 1
	fi
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
groups) groups ;;
*)
	echo "usage: $0 start|stop|status|groups" >&2
	exit 2
	;;
esac
