#!/usr/bin/env bash
# The Playwright journeys again, on the host page built against the lowest Grafana packages the plugin declares
# (tests/host/lowest: @grafana/data|ui|runtime|schema 11.6.0, React 18.3.1). Run after `npm run build` and the
# first Playwright run; installs the pinned packages from their own lock file.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
npm ci --prefix tests/host/lowest --no-audit --no-fund
echo "lowest packages installed in $((SECONDS - started))s"
KICI_HOST_BUILD=lowest npx playwright test
echo "journeys on the lowest host page: $((SECONDS - started))s"
