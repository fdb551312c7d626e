#!/bin/sh
# Builds the harness with Debian's Go and Debian's Go library sources (/usr/share/gocode/src) in GOPATH
# mode: no module proxy, no network.
#   apt-get install golang-go golang-github-hashicorp-go-plugin-dev golang-google-grpc-dev \
#     golang-github-golang-protobuf-1-5-dev golang-google-protobuf-dev
# Output: $OUT (default ./harness). The GOPATH scratch dir goes to $WORK (default a temp dir), so the
# checkout stays clean. REGEN=1 also regenerates pluginv2/ and stdiopb/ from proto/
# (needs protobuf-compiler protoc-gen-go protoc-gen-go-grpc).
set -eu
cd "$(dirname "$0")"
HERE=$(pwd)
OUT=${OUT:-"$HERE/harness"}
case "$OUT" in /*) ;; *) OUT="$(pwd)/$OUT" ;; esac
if [ "${REGEN:-0}" = 1 ]; then
  protoc -I proto --go_out=pluginv2 --go_opt=paths=source_relative \
    --go-grpc_out=pluginv2 --go-grpc_opt=paths=source_relative proto/pluginv2_min.proto
  protoc -I proto --go_out=stdiopb --go_opt=paths=source_relative proto/stdio_harness.proto
fi
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/conformance-gopath.XXXXXX")}
# GOPATH layout: $GP/src/tsbackend/harness -> this directory (the import path main.go uses)
GP="$WORK/gopath"
mkdir -p "$GP/src/tsbackend"
ln -sfn "$HERE" "$GP/src/tsbackend/harness"
cd "$GP/src/tsbackend/harness"
GO111MODULE=off GOPATH="$GP:/usr/share/gocode" GOPROXY=off GOFLAGS= \
  go build -o "$OUT" .
echo "built $OUT"
