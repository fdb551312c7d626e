// Playwright against the browser host (tests/host): the built plugin in Debian Chromium, the real backend
// executable behind the bridge, kici-sim scenarios on an embedded PostgreSQL. Never `npx playwright install`.
//   npm run e2e                   build the host bundle, start the stack, run tests/e2e
//   CHROMIUM_PATH=/path/to/chrome npm run e2e
import { defineConfig } from '@playwright/test';

import { CHROMIUM_ARGS, E2E_PORT, E2E_SCENARIOS } from './tests/e2e/env';

export default defineConfig({
  testDir: './tests/e2e',
  // The specs share one stack and change its DLQ: one worker, files in order.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Generous: a page load parses an 8 MB host bundle, slow on a shared 2-core machine (no timing assertions).
  timeout: 150_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    colorScheme: 'dark',
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    },
  },
  webServer: {
    command: `node tests/host/build.mjs && node_modules/.bin/tsx tests/host/bridge/main.ts --port ${E2E_PORT} --scenarios ${E2E_SCENARIOS.join(',')}`,
    url: `http://127.0.0.1:${E2E_PORT}/__host/state`,
    reuseExistingServer: false,
    timeout: 240_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
