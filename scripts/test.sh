#!/usr/bin/env bash
# The test command: installs what the tests need, then vets and runs every
# test with the race detector. Set KGMEM_REQUIRE_ALL=1 to turn skips for
# missing shared data or tools into failures (CI does).
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
echo "== go test -race" >&2
go test -race -count=1 -timeout 30m ./...
