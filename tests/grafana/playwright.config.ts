// The browser journeys against a real Grafana (docker compose: Grafana + PostgreSQL + kici-sim cluster-3 in live
// mode), with @grafana/plugin-e2e. Run by .github/workflows/e2e.yml on a runner with Docker, once per Grafana version
// of the declared range; they cannot run in the development sandbox (no Docker, no Grafana). The browser is an
// installed Chrome (`channel: 'chrome'`). Run from the repository root (plugin-e2e keeps auth state under
// ./playwright/.auth):
//   docker compose up -d --build && npx playwright test -c tests/grafana
//
// Auth as plugin-e2e does it (3.14.0: dist/auth/auth.setup.js creates the `user` option's user through the admin API
// unless it is the admin, then logs in and stores the cookies; `test.use({ user })` in a run-tests project logs
// nobody in): one setup project per user, and each run-tests project loads its user's storage state.
import { dirname } from 'node:path';

import type { PluginOptions } from '@grafana/plugin-e2e';
import { defineConfig, devices } from '@playwright/test';

import { ADMIN, EDITOR, storageStateOf, VIEWER } from './users';

const pluginE2eAuth = `${dirname(require.resolve('@grafana/plugin-e2e'))}/auth`;
const setup = (name: string, user: typeof ADMIN) => ({
  name,
  testDir: pluginE2eAuth,
  testMatch: [/auth\.setup\.js$/],
  use: { user },
});
const runAs = (name: string, user: typeof ADMIN, setupProject: string) => ({
  name,
  testMatch: [new RegExp(`${name}\\.spec\\.ts$`)],
  use: { ...devices['Desktop Chrome'], channel: 'chrome', user, storageState: storageStateOf(user) },
  dependencies: [setupProject],
});

export default defineConfig<PluginOptions>({
  testDir: '.',
  workers: 1,
  fullyParallel: false,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: '../../playwright-report/grafana' }]],
  use: {
    channel: 'chrome',
    baseURL: process.env.GRAFANA_URL ?? 'http://localhost:3000',
    grafanaAPICredentials: ADMIN,
    trace: 'retain-on-failure',
  },
  projects: [
    setup('auth', ADMIN),
    setup('auth-viewer', VIEWER),
    setup('auth-editor', EDITOR),
    // The Viewer and the Editor run first: the admin journey retries and discards DLQ events they read.
    runAs('viewer', VIEWER, 'auth-viewer'),
    runAs('editor', EDITOR, 'auth-editor'),
    { ...runAs('admin', ADMIN, 'auth'), dependencies: ['auth', 'viewer', 'editor'] },
  ],
});
