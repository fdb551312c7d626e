// Playwright against the browser host (tests/host): the built plugin in Debian Chromium, the real backend
// executable behind the bridge, kici-sim scenarios on an embedded PostgreSQL. Never `npx playwright install`.
//   npm run e2e                   build the host bundle, start the stack, run tests/e2e
//   CHROMIUM_PATH=/path/to/chrome npm run e2e
//   KICI_E2E_URL=http://127.0.0.1:3114 npx playwright test <spec>   against a host already running with the e2e
//     scenarios and traffic (tsx tests/host/bridge/main.ts --port 3114 --scenarios … --traffic …), no web server
//   KICI_HOST_BUILD=lowest npx playwright test   the same journeys on the host page built against the lowest
//     Grafana packages the plugin declares (tests/host/lowest; npm ci --prefix tests/host/lowest first, .ci/e2e-lowest.sh)
import { defineConfig } from '@playwright/test';

import { CHROMIUM_ARGS, E2E_PORT, E2E_SCENARIOS, E2E_TRAFFIC, HOST_BUILD } from './tests/e2e/env';

const running = process.env.KICI_E2E_URL;
const hostBuild = HOST_BUILD === 'lowest' ? ' --root tests/host/lowest --outdir tests/host/dist-lowest' : '';
const bridgeBuild = HOST_BUILD === 'lowest' ? ' --host-build tests/host/dist-lowest' : '';

export default defineConfig({
  testDir: './tests/e2e',
  // The specs share one stack and change its DLQ: one worker, files in order.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Generous: a page load parses an 8 MB host bundle and each panel waits for the executable and the sims; a shared
  // 2-core machine under load needs minutes, not seconds (waits are on real conditions, never sleeps).
  timeout: 240_000,
  expect: { timeout: 30_000 },
  reporter: process.env.CI
    ? [
        ['list'],
        ['html', { open: 'never', outputFolder: `playwright-report${HOST_BUILD === 'lowest' ? '-lowest' : ''}` }],
      ]
    : 'list',
  outputDir: `test-results${HOST_BUILD === 'lowest' ? '-lowest' : ''}`,
  use: {
    baseURL: running ?? `http://127.0.0.1:${E2E_PORT}`,
    colorScheme: 'dark',
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    },
  },
  webServer: running
    ? undefined
    : {
        command: `node tests/host/build.mjs${hostBuild} && node_modules/.bin/tsx tests/host/bridge/main.ts --port ${E2E_PORT} --scenarios ${E2E_SCENARIOS.join(',')} --traffic ${E2E_TRAFFIC.join(',')}${bridgeBuild}`,
        url: `http://127.0.0.1:${E2E_PORT}/__host/state`,
        reuseExistingServer: false,
        timeout: 240_000,
        stdout: 'pipe',
        stderr: 'pipe',
      },
});
