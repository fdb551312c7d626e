#!/usr/bin/env bash
# Validates docker-compose.yaml (no Docker engine here, so nothing is started). Needs Debian's `docker-compose`
# (1.29: apt-get install docker-compose). 1.29's bundled compose-spec schema predates the top-level `name` key, so the
# file is validated without it (name is checked against the spec's project-name pattern instead), with every
# ${VAR:-default} interpolated as on a user's machine. The wiring between compose, kici-sim, Prometheus, Alloy, Loki
# and the provisioning files is tested by dev/alloy/stack.test.ts (jest, backend project).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v docker-compose >/dev/null || { echo "docker-compose not found (apt-get install docker-compose)" >&2; exit 2; }

name=$(sed -n 's/^name: *//p' docker-compose.yaml)
if ! [[ "$name" =~ ^[a-z0-9][a-z0-9_-]*$ ]]; then
  echo "docker-compose.yaml: project name '$name' is not a valid compose project name" >&2
  exit 1
fi

tmp=$(mktemp "${TMPDIR:-/tmp}/compose-check.XXXXXX.yaml")
trap 'rm -f "$tmp"' EXIT
grep -v '^name:' docker-compose.yaml >"$tmp"
# Unset the variables the file defaults, so the check sees what `docker compose up` sees on a clean machine.
env -u KICI_ADMIN_TOKEN -u GRAFANA_IMAGE -u GRAFANA_VERSION -u GRAFANA_ADMIN_PASSWORD docker-compose -f "$tmp" --project-directory . config -q
echo "docker-compose.yaml: valid (docker-compose $(docker-compose version --short)), project '$name'"

if command -v promtool >/dev/null; then
  promtool check config dev/prometheus/prometheus.yml >/dev/null
  echo "dev/prometheus/prometheus.yml: valid (promtool)"
fi
