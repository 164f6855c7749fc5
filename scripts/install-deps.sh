#!/usr/bin/env bash
# Installs the system packages kgmem's tests and models use, from Debian:
# translate-toolkit, gettext and libxml2-utils (independent readers of
# kgmem's output: msgfmt --check, xmllint), OmegaT (its console mode opens
# the OmegaT projects kgmem pretranslates),
# Apertium with the English–Spanish pair (a real offline translation engine),
# protoc, its Go generators and Python gRPC (the plugin protocol and the
# Python SDK), cheroot and python-Levenshtein for translate-toolkit's tmserver
# (the retrieval benchmark and the side-by-side tests of kgmem serve's
# compatible APIs), Apertium APy (the server kgmem's APy API is compared
# with), and Chromium with the web workbench's npm packages (axe-core for
# its browser tests, the pinned graph library). Does nothing when
# everything is already installed.
set -euo pipefail

pkgs=(translate-toolkit gettext libxml2-utils omegat apertium apertium-eng-spa protobuf-compiler python3-grpcio python3-protobuf python3-cryptography python3-cheroot python3-levenshtein apertium-apy chromium)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "installing: ${missing[*]}" >&2
	SUDO=""
	if [ "$(id -u)" -ne 0 ]; then
		SUDO="sudo"
	fi
	$SUDO apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# The protoc generators the plugin protocol's code is generated with, at the
# versions plugins/proto/generate.sh names (into $(go env GOPATH)/bin).
gobin="$(go env GOPATH)/bin"
[ -x "$gobin/protoc-gen-go" ] || go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12 >&2
[ -x "$gobin/protoc-gen-go-grpc" ] || go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.3.0 >&2

# The web workbench's pinned npm packages (web/package-lock.json): axe-core,
# which the browser tests run in each page, and the graph library the
# workbench vendors (its tests check the vendored copy against it).
webdir="$(cd "$(dirname "$0")/../web" && pwd)"
if [ ! -f "$webdir/node_modules/axe-core/axe.min.js" ] || [ ! -f "$webdir/node_modules/cytoscape/package.json" ] ||
	[ "$webdir/package-lock.json" -nt "$webdir/node_modules/.package-lock.json" ]; then
	if command -v npm >/dev/null; then
		(cd "$webdir" && npm ci --no-audit --no-fund --loglevel=error) >&2
	else
		echo "npm is not installed: the web workbench's browser tests will skip (install node and npm)" >&2
	fi
fi
