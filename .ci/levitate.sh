#!/usr/bin/env bash
# @grafana/levitate is-compatible: the app and datasource modules (and everything they import) against the lowest
# @grafana/data, ui and runtime that plugin.json's grafanaDependency admits. Levitate fetches those packages' types from
# the npm registry and compares them with the installed ones; a removed or changed export we use fails the step, unless
# it is in ALLOWED below: a type-only change that cannot matter for our use, with the reason and a pattern whose
# presence in src/ would make it matter (then it fails again).
set -euo pipefail
cd "$(dirname "$0")/.."
lowest=$(node -e "const s=require('semver');console.log(s.minVersion(require('./plugin.json').dependencies.grafanaDependency).version)")
targets="@grafana/data@$lowest,@grafana/ui@$lowest,@grafana/runtime@$lowest"

# API -> pattern in src/ that would rely on what changed.
declare -A ALLOWED=(
  # @grafana/data 12.x adds the optional `openInNewTab` to PluginExtensionAddedLinkConfig (types/pluginExtensions.d.ts);
  # 11.6.0's config has the same targets/title/description/path/onClick/configure/icon/category we use.
  ['AppPlugin.addLink']='openInNewTab'
)

for path in src/module.tsx src/datasource/module.ts; do
  started=$SECONDS
  status=0
  out=$(npx levitate is-compatible --path "$path" --target "$targets" 2>&1) || status=$?
  printf '%s\n' "$out" | grep -v -E '^- Detecting|Installed @grafana|Resolving @grafana' || true
  echo "levitate $path: exit $status, $((SECONDS - started))s"
  if grep -q 'appears to be compatible' <<<"$out"; then
    continue
  fi
  changes=$(grep -oE '^[0-9]+\) (Changed|Removed|Added) `[^`]+`' <<<"$out" | sed -E 's/^[0-9]+\) [A-Za-z]+ `([^`]+)`/\1/' | sort -u || true)
  if [ "$status" -eq 0 ] || [ -z "$changes" ]; then
    echo "levitate: $path: no verdict to read (exit $status)" >&2
    exit 1
  fi
  for api in $changes; do
    pattern=${ALLOWED[$api]:-}
    if [ -z "$pattern" ]; then
      echo "levitate: $path uses $api, which differs in $targets" >&2
      exit 1
    fi
    if grep -rqE "$pattern" src; then
      echo "levitate: $api is allowed only while src/ does not use $pattern, and it does" >&2
      exit 1
    fi
    echo "levitate: $api differs in $lowest only by what src/ does not use ($pattern): allowed"
  done
done
