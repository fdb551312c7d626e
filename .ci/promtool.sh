#!/usr/bin/env bash
# Checks and unit-tests the Prometheus rules for KiCI (dev/prometheus). Needs `promtool` (Debian package `prometheus`).
set -euo pipefail
cd "$(dirname "$0")/../dev/prometheus"
command -v promtool >/dev/null || { echo "promtool not found (apt-get install prometheus)" >&2; exit 2; }
promtool check rules kici-rules.yaml
promtool check config prometheus.yml
promtool test rules kici-rules.test.yaml
# The Grafana-managed rules' PromQL (provisioning/alerting/kici.yaml) on born-at-1 and restarted counters.
promtool test rules grafana-rules.test.yaml
