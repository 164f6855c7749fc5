#!/usr/bin/env bash
# The test command: installs what the tests need, starts a local Dgraph
# (unless KGMEM_DGRAPH_ADDR names one), checks formatting, vets, and runs
# every test with the race detector; then runs the graph store suite and
# the tests of servers sharing a graph once more against a two-group Dgraph
# cluster. Set KGMEM_REQUIRE_ALL=1 to turn skips for missing shared data,
# tools or servers into failures (CI does).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
export PATH="$(go env GOPATH)/bin:$PATH"

echo "== gofmt" >&2
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt needed on:" >&2
	echo "$unformatted" >&2
	exit 1
fi
echo "== go vet" >&2
go vet ./...

started_dgraph=""
cleanup() {
	if [ -n "$started_dgraph" ]; then
		scripts/dgraph-local.sh stop || true
	fi
	scripts/dgraph-cluster.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
if [ -z "${KGMEM_DGRAPH_ADDR:-}" ]; then
	echo "== starting a local Dgraph" >&2
	KGMEM_DGRAPH_ADDR=$(scripts/dgraph-local.sh start)
	started_dgraph=1
	export KGMEM_DGRAPH_ADDR
fi

echo "== go test -race" >&2
go test -race -count=1 -timeout 40m ./...

echo "== graph store suite on a two-group Dgraph cluster" >&2
cluster=$(scripts/dgraph-cluster.sh start)
KGMEM_DGRAPH_ADDR=$cluster go test -count=1 -run 'TestStore' ./graph/dgraph/
echo "== two kgmem servers on the cluster" >&2
# One package at a time: both write to the cluster, and a follower's test
# counts what changed in it.
KGMEM_DGRAPH_ADDR=$cluster go test -p 1 -count=1 -run 'TestFollower|TestTwoServersOnDgraph' ./memory/ ./server/
scripts/dgraph-cluster.sh stop
