#!/usr/bin/env bash
# Installs the system packages kgmem's tests and models use, from Debian:
# translate-toolkit and gettext (independent readers of kgmem's output),
# Apertium with the English–Spanish pair (a real offline translation engine),
# protoc and Python gRPC (plugin protocol and the Python SDK).
# Does nothing when everything is already installed.
set -euo pipefail

pkgs=(translate-toolkit gettext apertium apertium-eng-spa protobuf-compiler python3-grpcio python3-protobuf)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
echo "installing: ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi
$SUDO apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
