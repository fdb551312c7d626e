// The browser journeys against a real Grafana (docker compose: Grafana + PostgreSQL + kici-sim cluster-3 in live
// mode), with @grafana/plugin-e2e. Run by .github/workflows/e2e.yml on a runner with Docker; they cannot run in
// the development sandbox (no Docker, no Grafana). The browser is an installed Chrome (`channel: 'chrome'`).
//   docker compose up -d --build && npx playwright test -c tests/grafana
import { dirname } from 'node:path';

import type { PluginOptions } from '@grafana/plugin-e2e';
import { defineConfig, devices } from '@playwright/test';

const pluginE2eAuth = `${dirname(require.resolve('@grafana/plugin-e2e'))}/auth`;

export default defineConfig<PluginOptions>({
  testDir: '.',
  workers: 1,
  fullyParallel: false,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: '../../playwright-report/grafana' }]],
  use: {
    channel: 'chrome',
    baseURL: process.env.GRAFANA_URL ?? 'http://localhost:3000',
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'auth', testDir: pluginE2eAuth, testMatch: [/.*\.js/] },
    {
      name: 'run-tests',
      use: { ...devices['Desktop Chrome'], storageState: 'playwright/.auth/admin.json' },
      dependencies: ['auth'],
    },
  ],
});
