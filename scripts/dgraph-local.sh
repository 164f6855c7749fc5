#!/usr/bin/env bash
# Runs a local Dgraph for kgmem's Dgraph store: builds the server from the Go
# module proxy at a pinned version (once; the binary is cached), then starts
# `dgraph zero` and `dgraph alpha` on loopback in a temporary directory.
#
#   scripts/dgraph-local.sh build    build (or find) the binary, print its path
#   scripts/dgraph-local.sh start    start zero + alpha, wait for /health, print the gRPC address
#   scripts/dgraph-local.sh status   print the gRPC address if running, else exit 1
#   scripts/dgraph-local.sh stop     stop them and remove the temporary directory
#
# Environment: DGRAPH_PORT_OFFSET (default 0; alpha gRPC is 9080+offset),
# KGMEM_CACHE (default ~/.cache/kgmem), DGRAPH_STATE (default /tmp/kgmem-dgraph),
# DGRAPH_ALPHA_FLAGS (more flags for dgraph alpha, such as "--cache size-mb=4096").
set -euo pipefail

DGRAPH_VERSION=v24.0.5
CACHE=${KGMEM_CACHE:-$HOME/.cache/kgmem}
BIN=$CACHE/dgraph-$DGRAPH_VERSION/dgraph
STATE=${DGRAPH_STATE:-/tmp/kgmem-dgraph}
ALPHA_FLAGS=${DGRAPH_ALPHA_FLAGS:-}
OFFSET=${DGRAPH_PORT_OFFSET:-0}
GRPC_PORT=$((9080 + OFFSET))
HTTP_PORT=$((8080 + OFFSET))
ZERO_PORT=$((5080 + OFFSET))

build() {
	if [ -x "$BIN" ]; then
		echo "$BIN"
		return
	fi
	echo "building dgraph $DGRAPH_VERSION from the Go module proxy (a few minutes, once)…" >&2
	local work
	work=$(mktemp -d)
	(
		cd "$work"
		cat >go.mod <<MOD
module kgmem.local/dgraphbuild

go 1.22
MOD
		cat >tools.go <<'GO'
//go:build tools

package tools

import _ "github.com/dgraph-io/dgraph/v24/dgraph"
GO
		GOFLAGS=-mod=mod go get "github.com/dgraph-io/dgraph/v24@$DGRAPH_VERSION" >&2
		mkdir -p "$(dirname "$BIN")"
		GOFLAGS=-mod=mod go build -o "$BIN.tmp" github.com/dgraph-io/dgraph/v24/dgraph >&2
		mv "$BIN.tmp" "$BIN"
	)
	rm -rf "$work"
	echo "$BIN"
}

healthy() {
	curl -fsS "http://127.0.0.1:$HTTP_PORT/health" 2>/dev/null | grep -q '"status":"healthy"'
}

start() {
	build >/dev/null
	if [ -f "$STATE/alpha.pid" ] && kill -0 "$(cat "$STATE/alpha.pid")" 2>/dev/null; then
		echo "127.0.0.1:$GRPC_PORT"
		return
	fi
	rm -rf "$STATE"
	mkdir -p "$STATE/zero" "$STATE/alpha"
	# Each server runs in a session of its own, so that stop can end it
	# together with the child process Dgraph starts.
	# --log_dir: Dgraph's glog files would otherwise pile up in /tmp.
	(cd "$STATE/zero" && exec setsid "$BIN" zero --my="127.0.0.1:$ZERO_PORT" --port_offset "$OFFSET" \
		--log_dir "$STATE/zero" </dev/null >"$STATE/zero.log" 2>&1) &
	echo $! >"$STATE/zero.pid"
	(cd "$STATE/alpha" && exec setsid "$BIN" alpha --my="127.0.0.1:$((7080 + OFFSET))" --zero="127.0.0.1:$ZERO_PORT" \
		--port_offset "$OFFSET" --security "whitelist=127.0.0.1/8" --log_dir "$STATE/alpha" \
		$ALPHA_FLAGS </dev/null >"$STATE/alpha.log" 2>&1) &
	echo $! >"$STATE/alpha.pid"
	for _ in $(seq 1 120); do
		if healthy; then
			echo "127.0.0.1:$GRPC_PORT"
			return
		fi
		sleep 0.5
	done
	echo "dgraph did not become healthy in 60 s; logs in $STATE" >&2
	tail -n 20 "$STATE/alpha.log" >&2 || true
	exit 1
}

stop() {
	for p in alpha zero; do
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
	if healthy; then
		echo "127.0.0.1:$GRPC_PORT"
	else
		echo "dgraph is not running" >&2
		exit 1
	fi
}

case "${1:-}" in
build) build ;;
start) start ;;
stop) stop ;;
status) status ;;
*)
	echo "usage: $0 build|start|stop|status" >&2
	exit 2
	;;
esac
