#!/usr/bin/env bash
# Runs the Grafana conformance harness (hashicorp go-plugin client + pluginv2 checks) on the linux/amd64 backend.
#   bash .ci/conformance.sh [HARNESS_SOURCE_DIR]      (default ../shared/grafana-conformance)
# Needs Go and Debian's go-plugin/grpc/protobuf sources (installed by .ci/run) and npm (for the Arrow validator).
#
# Run 1 (configured): the datasource pointed at a reachable KiCI. Set
#   KICI_CONFORMANCE_JSONDATA  datasource jsonData, e.g. {"orchestratorUrls":["http://127.0.0.1:4000"],"pgHost":...}
#   KICI_CONFORMANCE_SECURE    decrypted secureJsonData, e.g. {"adminToken":"...","pgPassword":"..."}
#   KICI_CONFORMANCE_QUERY     query JSON for refIds A and B (default {"queryType":"dlqDepth"})
#   KICI_CONFORMANCE_QUERY_TYPE    (default: the queryType in KICI_CONFORMANCE_QUERY, else dlqDepth)
#   KICI_CONFORMANCE_RESOURCE_PATH (default health)
# Without KICI_CONFORMANCE_JSONDATA run 1 cannot pass and the script fails after run 2, saying so.
# Run 2 (unconfigured): empty settings, CheckHealth must answer ERROR with a message.
# Any FAIL or WARN line fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
src=$(cd "${1:-../shared/grafana-conformance}" && pwd)
exe="$root/${KICI_CONFORMANCE_EXE:-dist/datasource/gpx_kici_ops_linux_amd64}"

[ -x "$exe" ] || { echo "conformance: $exe is missing: run npm run build:backend" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/kici-conformance.XXXXXX")
trap 'rm -rf "$work"' EXIT
# ../shared is read-only: build in a copy.
cp -R "$src/." "$work/"
rm -rf "$work/.gopath" "$work/harness" "$work/node_modules"
(cd "$work" && ./build.sh)
(cd "$work" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
validator="node $work/validate-frame.mjs"

status=0
run() {
  local name=$1
  shift
  echo "--- conformance: $name"
  local out rc=0
  out=$("$work/harness" "$@" "$exe" 2>&1) || rc=$?
  printf '%s\n' "$out"
  if [ "$rc" -ne 0 ] || printf '%s\n' "$out" | grep -Eq '^(FAIL|WARN) '; then
    echo "--- conformance: $name FAILED (exit $rc; see FAIL/WARN lines above)" >&2
    status=1
  fi
}

query=${KICI_CONFORMANCE_QUERY:-'{"queryType":"dlqDepth"}'}
query_type=${KICI_CONFORMANCE_QUERY_TYPE:-$(node -e 'try{process.stdout.write(JSON.parse(process.argv[1]).queryType||"dlqDepth")}catch{process.stdout.write("dlqDepth")}' "$query")}
resource=${KICI_CONFORMANCE_RESOURCE_PATH:-health}

configured=0
if [ -n "${KICI_CONFORMANCE_JSONDATA:-}" ]; then
  configured=1
  run configured -plugin-id kici-ops-datasource \
    -jsondata "$KICI_CONFORMANCE_JSONDATA" -secure "${KICI_CONFORMANCE_SECURE:-{\}}" \
    -query "$query" -query-type "$query_type" -resource-path "$resource" \
    -arrow-validator "$validator" -starts 10
fi

run unconfigured -plugin-id kici-ops-datasource -jsondata '{}' -secure '{}' -ds-url '' \
  -query '{"queryType":"health"}' -query-type health -resource-path health \
  -arrow-validator "$validator" -expect-health error

if [ "$configured" -eq 0 ]; then
  echo "conformance: the configured run was not done: set KICI_CONFORMANCE_JSONDATA (and _SECURE, _QUERY) to a reachable KiCI" >&2
  status=1
fi
exit $status
