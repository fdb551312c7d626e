#!/usr/bin/env bash
# Mutation testing in CI (issue 20): StrykerJS in incremental mode against the committed
# reports/stryker-incremental.json, so only mutants in changed code (or covered by changed tests) run again.
# Fails when the score drops below thresholds.break (80) in stryker.config.mjs.
# The modules: only those with a committed baseline (MUTATE below); a first run of the whole core set does not fit CI.
set -euo pipefail
cd "$(dirname "$0")/.."
MUTATE=${MUTATE:-src/backend/features/health/hints.ts,src/backend/features/dlq/actions.ts,src/backend/features/health/summary.ts}
start=$SECONDS
npx stryker run --incremental --mutate "$MUTATE" --reporters clear-text,progress-append-only,json
echo "mutation testing (incremental): $((SECONDS - start)) s"
