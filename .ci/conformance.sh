#!/usr/bin/env bash
# Runs the Grafana conformance harness (tests/conformance: hashicorp go-plugin client + pluginv2 checks) on a
# built backend executable.
#   bash .ci/conformance.sh
# Needs Go and Debian's go-plugin/grpc/protobuf sources (installed by .ci/run) and the repo's node_modules (the Arrow
# validator uses its apache-arrow).
#   KICI_CONFORMANCE_EXE       the executable, relative to the repo (default dist/datasource/gpx_kici_ops_linux_amd64)
#   KICI_CONFORMANCE_EMULATOR  run it through this command, e.g. "qemu-aarch64 -L /usr/aarch64-linux-gnu" for the
#                              linux arm64 build: the harness then launches a sh wrapper that execs the emulator
#                              (same PID, so go-plugin's signals and Kill reach the emulated process)
#   KICI_CONFORMANCE_STARTS    extra cold starts to time (default 10)
#
# Run 1 (configured): the datasource pointed at a reachable KiCI. Set
#   KICI_CONFORMANCE_JSONDATA  datasource jsonData, e.g. {"orchestratorUrls":["http://127.0.0.1:4000"],"pgHost":...}
#   KICI_CONFORMANCE_SECURE    decrypted secureJsonData, e.g. {"adminToken":"...","pgPassword":"..."}
#   KICI_CONFORMANCE_QUERY     query JSON for refIds A and B (default {"queryType":"dlqDepth"})
#   KICI_CONFORMANCE_QUERY_TYPE    (default: the queryType in KICI_CONFORMANCE_QUERY, else dlqDepth)
#   KICI_CONFORMANCE_RESOURCE_PATH (default health)
# Without KICI_CONFORMANCE_JSONDATA the script starts kici-sim (scenario healthy-single, embedded PostgreSQL) and
# points run 1 at it.
# Run 2 (unconfigured): empty settings, CheckHealth must answer ERROR with a message.
# Any FAIL or WARN line fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
src="$root/tests/conformance"
exe="$root/${KICI_CONFORMANCE_EXE:-dist/datasource/gpx_kici_ops_linux_amd64}"

[ -x "$exe" ] || { echo "conformance: $exe is missing: run npm run build:backend" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/kici-conformance.XXXXXX")
sim_pid=
cleanup() {
  if [ -n "$sim_pid" ]; then
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
OUT="$work/harness" WORK="$work" sh "$src/build.sh"
validator="node $src/validate-frame.mjs"

target=$exe
if [ -n "${KICI_CONFORMANCE_EMULATOR:-}" ]; then
  # go-plugin execs one path with no arguments: a wrapper that execs the emulator on the executable.
  read -r -a emu <<<"$KICI_CONFORMANCE_EMULATOR"
  emu_path=$(command -v "${emu[0]}") || { echo "conformance: ${emu[0]} not found" >&2; exit 1; }
  target="$work/emulated-plugin"
  {
    echo '#!/bin/bash'
    printf 'exec %q' "$emu_path"
    printf ' %q' "${emu[@]:1}" "$exe"
    echo ' "$@"'
  } >"$target"
  chmod 0755 "$target"
  echo "--- conformance: $exe through $KICI_CONFORMANCE_EMULATOR ($target)"
fi

status=0
run() {
  local name=$1
  shift
  echo "--- conformance: $name"
  local out rc=0
  out=$("$work/harness" "$@" "$target" 2>&1) || rc=$?
  printf '%s\n' "$out"
  if [ "$rc" -ne 0 ] || printf '%s\n' "$out" | grep -Eq '^(FAIL|WARN) '; then
    echo "--- conformance: $name FAILED (exit $rc; see FAIL/WARN lines above)" >&2
    status=1
  fi
}

query=${KICI_CONFORMANCE_QUERY:-'{"queryType":"dlqDepth"}'}
query_type=${KICI_CONFORMANCE_QUERY_TYPE:-$(node -e 'try{process.stdout.write(JSON.parse(process.argv[1]).queryType||"dlqDepth")}catch{process.stdout.write("dlqDepth")}' "$query")}
resource=${KICI_CONFORMANCE_RESOURCE_PATH:-health}

if [ -z "${KICI_CONFORMANCE_JSONDATA:-}" ]; then
  echo "--- conformance: starting kici-sim (healthy-single) for the configured run"
  node --import tsx dev/kici-sim/main.ts --scenario healthy-single --embedded-pg >"$work/sim.out" 2>"$work/sim.err" &
  sim_pid=$!
  for _ in $(seq 1 120); do
    if head -1 "$work/sim.out" 2>/dev/null | grep -q '"kiciSim":"started"'; then break; fi
    kill -0 "$sim_pid" 2>/dev/null || { cat "$work/sim.err" >&2; echo "conformance: kici-sim exited" >&2; exit 1; }
    sleep 0.5
  done
  # kici-sim's start line (URLs, tokens, database URL) -> the datasource's jsonData and secureJsonData.
  settings=$(head -1 "$work/sim.out" | node -e '
    const s = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const db = new URL(s.database);
    const jsonData = { pgHost: db.hostname, pgPort: Number(db.port), pgDatabase: db.pathname.slice(1),
      pgUser: decodeURIComponent(db.username), pgSslMode: "disable", orchestratorUrls: s.nodes.map((n) => n.url),
      platformUrl: s.platform.url, platformOrg: s.platform.org };
    const secure = { pgPassword: decodeURIComponent(db.password), adminToken: s.tokens.admin, platformToken: s.platform.token };
    console.log(JSON.stringify(jsonData));
    console.log(JSON.stringify(secure));')
  KICI_CONFORMANCE_JSONDATA=$(printf '%s\n' "$settings" | sed -n 1p)
  KICI_CONFORMANCE_SECURE=$(printf '%s\n' "$settings" | sed -n 2p)
fi

run configured -plugin-id kici-ops-datasource \
  -jsondata "$KICI_CONFORMANCE_JSONDATA" -secure "${KICI_CONFORMANCE_SECURE:-{\}}" \
  -query "$query" -query-type "$query_type" -resource-path "$resource" \
  -arrow-validator "$validator" -starts "${KICI_CONFORMANCE_STARTS:-10}"

run unconfigured -plugin-id kici-ops-datasource -jsondata '{}' -secure '{}' -ds-url '' \
  -query '{"queryType":"health"}' -query-type health -resource-path health \
  -arrow-validator "$validator" -expect-health error

exit $status
