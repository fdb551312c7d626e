// Jest for StrykerJS (`npm run mutate`). One project, because Stryker's jest runner replaces the test environment
// of every project with its own (the one it wraps to see which test covers which mutant), so a jsdom frontend
// project and a node backend project cannot both run under "perTest": the backend unit tests and the frontend's
// pure-logic tests (the core modules' own tests: infrastructure badges/filter, the query model) run in node.
// Integration tests and the backend project's globalSetup (an embedded PostgreSQL) stay out: the runner would
// start them again for every mutant run.
const base = require('./jest.config');

const [frontend] = base.projects;

module.exports = {
  testTimeout: 60000,
  testEnvironment: 'node',
  transform: frontend.transform,
  transformIgnorePatterns: frontend.transformIgnorePatterns,
  moduleNameMapper: frontend.moduleNameMapper,
  modulePaths: frontend.modulePaths,
  testMatch: ['<rootDir>/src/backend/**/*.test.ts', '<rootDir>/src/datasource/**/*.test.ts'],
  testPathIgnorePatterns: [
    // needs jsdom (@grafana/data's store touches window)
    '<rootDir>/src/datasource/datasource.test.ts',
    // compares with a real PostgreSQL session (createTestDatabase needs the backend project's globalSetup)
    '<rootDir>/src/backend/kici/timestamps.test.ts',
    // 100k rows (~9 s): every static mutant runs every test, so this one test was most of the run's time
    '<rootDir>/src/backend/protocol/frame.scale.test.ts',
    '/node_modules/',
  ],
};
