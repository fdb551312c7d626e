// force timezone to UTC to allow tests to work regardless of local timezone
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

// d3-color >= 3.1.1 ships only .mjs files: transform them too.
const transform = { ...base.transform, '^.+\\.mjs$': base.transform['^.+\\.(t|j)sx?$'] };

module.exports = {
  // Integration tests start PostgreSQL, kici-sim and the executable: give them room.
  testTimeout: 60000,
  // Frontend in jsdom with the real @grafana packages; backend, kici-sim and the executable in node.
  projects: [
    {
      ...base,
      displayName: 'frontend',
      transform,
      testMatch: ['<rootDir>/src/**/*.test.{ts,tsx}'],
      testPathIgnorePatterns: ['<rootDir>/src/backend/', '<rootDir>/node_modules/'],
    },
    {
      displayName: 'backend',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns: ['/node_modules/'],
      testMatch: [
        '<rootDir>/src/backend/**/*.test.ts',
        '<rootDir>/dev/**/*.test.ts',
        '<rootDir>/tests/integration/**/*.test.ts',
        '<rootDir>/tests/host/**/*.test.ts',
        '<rootDir>/tests/architecture/**/*.test.ts',
        '<rootDir>/tests/grafana-rules/**/*.test.ts',
        '<rootDir>/tests/packaging/**/*.test.ts',
      ],
      globalSetup: '<rootDir>/dev/testing/global-setup.ts',
      globalTeardown: '<rootDir>/dev/testing/global-teardown.ts',
    },
  ],
};
