// StrykerJS on the core modules (`npm run mutate`; README "Other scripts", issue 20). One module:
// `npm run mutate -- --mutate src/backend/features/health/hints.ts`. CI runs it incrementally (.ci/mutate.sh).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  // findRelatedTests: a mutant's run loads only the test files that import its module (all ~60 files were loaded for
  // every mutant, then filtered by test name: most of a mutant's time).
  jest: { configFile: 'jest.mutate.config.js', enableFindRelatedTests: true },
  coverageAnalysis: 'perTest',
  // 2 shared cores.
  concurrency: 2,
  mutate: [
    'src/backend/features/dlq/actions.ts',
    'src/backend/features/dlq/cursor.ts',
    'src/backend/features/dlq/permissions.ts',
    'src/backend/features/dlq/sql.ts',
    'src/backend/kici/settings.ts',
    'src/backend/features/health/hints.ts',
    'src/backend/features/health/summary.ts',
    'src/backend/protocol/frame.ts',
    'src/backend/protocol/arrow-ipc.ts',
    'src/datasource/infrastructure/badges.ts',
    'src/datasource/infrastructure/filter.ts',
    'src/backend/features/infrastructure/normalize.ts',
    'src/datasource/query.ts',
    'src/backend/features/dlq-signatures/normalize.ts',
    'src/backend/features/redrive/state.ts',
  ],
  checkers: [],
  thresholds: { high: 85, low: 80, break: 80 },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  incrementalFile: 'reports/stryker-incremental.json',
  // A mutant that loops is cut after this (plus 1.5 × the test's own time); each cut restarts a runner.
  timeoutMS: 5000,
};
