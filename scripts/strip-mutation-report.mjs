#!/usr/bin/env node
// Keeps the committed incremental baseline free of this machine's paths: Stryker writes `projectRoot` and, per mutant,
// a `statusReason` holding the failing test's stack (absolute sandbox paths). The incremental differ uses neither.
// It also records the hash of each test-support module the baseline's tests import (`testHelpers`), which
// scripts/mutation-stale-tests.mjs compares: Stryker's differ does not see a changed helper (bench/mutation.md).
//   node scripts/strip-mutation-report.mjs [reports/stryker-incremental.json]
import { readFileSync, writeFileSync } from 'node:fs';

import { helperHashes } from './mutation-stale-tests.mjs';

const file = process.argv[2] ?? 'reports/stryker-incremental.json';
const report = JSON.parse(readFileSync(file, 'utf8'));
delete report.projectRoot;
for (const { mutants } of Object.values(report.files)) {
  for (const m of mutants) {
    delete m.statusReason;
  }
}
report.testHelpers = helperHashes(Object.keys(report.testFiles ?? {}));
writeFileSync(file, JSON.stringify(report, null, 2));
