// Same rule as the host specs: a test fails on any console error, page error or HTTP >= 400 it did not declare.
import { expect, test as base } from '@grafana/plugin-e2e';
import type { Page } from '@playwright/test';

export const APP_ID = 'kici-ops-app';

export const test = base.extend<{ expectProblem: (p: RegExp) => void; problemGuard: void }>({
  expectProblem: async ({}, use, info) => {
    const allowed: RegExp[] = [];
    (info as unknown as { allowed: RegExp[] }).allowed = allowed;
    await use((p) => allowed.push(p));
  },
  problemGuard: [
    async ({ page, expectProblem }, use, info) => {
      void expectProblem;
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('response', (r) => {
        // Only the plugin's own traffic: Grafana's UI makes calls of its own (e.g. news feed) that may fail offline.
        if (r.status() >= 400 && /\/api\/(ds\/query|datasources\/uid\/|plugins\/kici-)/.test(r.url())) {
          problems.push(`http: ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
        }
      });
      await use();
      const allowed = (info as unknown as { allowed?: RegExp[] }).allowed ?? [];
      expect(problems.filter((p) => !allowed.some((a) => a.test(p)))).toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** What the backend says about the signed-in user (GET dlq/permissions on the provisioned `kici` datasource). */
export async function backendSees(page: Page): Promise<{ user: { login: string; role: string }; canRetry: boolean }> {
  return page.evaluate(async () => {
    const r = await fetch('/api/datasources/uid/kici/resources/dlq/permissions', {
      headers: { 'X-Grafana-Org-Id': '1' },
    });
    return r.json();
  });
}
