#!/usr/bin/env bash
# @grafana/levitate is-compatible: the app and datasource modules (and everything they import) against the lowest
# @grafana/data, ui and runtime that plugin.json's grafanaDependency admits. Levitate fetches those packages' types from
# the npm registry and compares them with the installed ones; a removed or changed export we use fails the step.
set -euo pipefail
cd "$(dirname "$0")/.."
lowest=$(node -e "const s=require('semver');console.log(s.minVersion(require('./plugin.json').dependencies.grafanaDependency).version)")
targets="@grafana/data@$lowest,@grafana/ui@$lowest,@grafana/runtime@$lowest"
for path in src/module.tsx src/datasource/module.ts; do
  started=$SECONDS
  status=0
  out=$(npx levitate is-compatible --path "$path" --target "$targets" 2>&1) || status=$?
  printf '%s\n' "$out" | grep -v -E '^- Detecting|Installed @grafana|Resolving @grafana' || true
  echo "levitate $path: exit $status, $((SECONDS - started))s"
  if [ "$status" -ne 0 ] || ! grep -q 'appears to be compatible' <<<"$out"; then
    echo "levitate: $path is not compatible with $targets" >&2
    exit 1
  fi
done
