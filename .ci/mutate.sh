#!/usr/bin/env bash
# Mutation testing in CI (issue 20): StrykerJS in incremental mode against the committed
# reports/stryker-incremental.json, so only mutants in changed code (or reached by changed tests) run again.
# Fails when the score drops below thresholds.break (80) in stryker.config.mjs, for the set and for each module
# (Stryker's own break is for the set only: one module's tests could be weakened and hide behind the others).
# MUTATE: only the modules with a committed baseline; a first run of the whole core set does not fit CI.
# Stryker's differ does not see a change to test code outside the tests themselves (a helper above the first test, a
# test-support module such as src/datasource/infrastructure/testing.ts): scripts/mutation-stale-tests.mjs names the
# modules whose tests use such changed code, and they are re-run in full (--force) after the incremental run.
set -euo pipefail
cd "$(dirname "$0")/.."
MUTATE=${MUTATE:-src/backend/features/health/hints.ts,src/backend/features/dlq/actions.ts,src/backend/features/health/summary.ts,src/backend/features/dlq/permissions.ts,src/backend/kici/settings.ts,src/backend/features/dlq/sql.ts,src/backend/features/dlq/cursor.ts,src/datasource/infrastructure/filter.ts,src/datasource/infrastructure/badges.ts,src/backend/features/infrastructure/normalize.ts,src/backend/features/dlq-signatures/normalize.ts,src/datasource/query.ts,src/backend/features/redrive/state.ts,src/backend/protocol/frame.ts,src/backend/protocol/arrow-ipc.ts}
start=$SECONDS
STALE=$(node scripts/mutation-stale-tests.mjs "$MUTATE")
npx stryker run --incremental --mutate "$MUTATE" --reporters clear-text,progress-append-only,json
if [ -n "$STALE" ]; then
  echo "re-run in full, their tests' shared code changed: $STALE"
  # Keeps every other module's results from the run above (they are outside this run's --mutate).
  npx stryker run --incremental --force --mutate "$STALE" --reporters clear-text,progress-append-only,json
fi
node scripts/strip-mutation-report.mjs
echo "mutation testing (incremental): $((SECONDS - start)) s"
node -e '
const report = require("./reports/mutation/mutation.json");
const low = [];
for (const [file, { mutants }] of Object.entries(report.files)) {
  const n = (s) => mutants.filter((m) => s.includes(m.status)).length;
  const detected = n(["Killed", "Timeout"]);
  const valid = detected + n(["Survived", "NoCoverage"]);
  const score = valid ? (100 * detected) / valid : 100;
  console.log(`${score.toFixed(2).padStart(6)} %  ${file}`);
  if (score < 80) low.push(file);
}
if (low.length) {
  console.error(`mutation score below 80 % (thresholds.break) in: ${low.join(", ")}`);
  process.exit(1);
}
'
