#!/usr/bin/env bash
# A real Prometheus (Debian package `prometheus`) on loopback scrapes kici-sim (cluster-3, live, embedded PostgreSQL);
# every PromQL expression of the dashboards, the Grafana alert rules and the Prometheus rules is evaluated through its
# HTTP API (dev/prometheus/live-check.ts). Exits 1 on an evaluation error or on an empty result over series kici-sim
# produces. Extra arguments go to live-check.ts (e.g. --max-wait 240).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v prometheus >/dev/null || { echo "prometheus not found (apt-get install prometheus)" >&2; exit 2; }
# live-check stops Prometheus, kici-sim and PostgreSQL itself; the timeout only bounds a hang (TERM lets it clean up).
exec timeout --kill-after=60 420 node_modules/.bin/tsx dev/prometheus/live-check.ts "$@"
