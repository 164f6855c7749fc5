#!/bin/sh
# Regenerates the committed code of the kgmem model protocol from
# proto/kgmem/model/v1/model.proto. Run from plugins/ (go generate does).
#
# Needs protoc (Debian: apt-get install protobuf-compiler) and the Go
# generators at the versions in plugins.go:
#   go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
#   go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.3.0
set -eu
mod=github.com/kgmem/kgmem/plugins/internal/modelpb
protoc -I proto \
	--go_out=internal/modelpb --go_opt=module=$mod \
	--go-grpc_out=internal/modelpb --go-grpc_opt=module=$mod \
	kgmem/model/v1/model.proto
# The Python SDK's messages; its gRPC service code is written by hand
# (python/kgmem_model/server.py), as Debian's grpc_tools is older than its
# protobuf.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
protoc -I proto --python_out="$tmp" kgmem/model/v1/model.proto
cp "$tmp/kgmem/model/v1/model_pb2.py" python/kgmem_model/model_pb2.py
