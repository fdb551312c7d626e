// The test fixture every spec uses: fails the test on any console error, page error or HTTP status >= 400 the
// test did not declare with `expectProblem(...)`, and gives the host's scenario facts (`/__host/state`).
import { test as base, expect, type Page } from '@playwright/test';

export interface HostScenario {
  uid: string;
  name: string;
  scenario: string;
  nodes: Array<{ instanceId: string; url: string; fault: string }>;
  agents: Array<{ agentId: string; url: string }>;
  platformUrl: string | null;
  controlUrl: string;
}

interface Problem {
  kind: 'console' | 'pageerror' | 'http';
  text: string;
}

interface Fixtures {
  /** Declares an expected problem (matched against `<kind>: <text>`, e.g. /http: 403 POST .*\/retry/). */
  expectProblem: (pattern: RegExp) => void;
  scenario: (name: string) => Promise<HostScenario>;
  /** Patterns declared by the test; the guard reads them at the end. */
  allowedProblems: RegExp[];
  /** Automatic: watches the page and fails the test on any problem not declared. */
  problemGuard: void;
}

// The i18next banner is console.info, not an error; kept here in case a build logs it as a warning-level error.
const ALWAYS_ALLOWED = [/i18next is made possible by/];

export const test = base.extend<Fixtures>({
  allowedProblems: async ({}, use) => {
    await use([...ALWAYS_ALLOWED]);
  },
  expectProblem: async ({ allowedProblems }, use) => {
    await use((pattern) => allowedProblems.push(pattern));
  },
  problemGuard: [
    async ({ page, allowedProblems }, use) => {
      const problems: Problem[] = [];
      watch(page, problems);
      await use();
      const unexpected = problems.filter((p) => !allowedProblems.some((a) => a.test(`${p.kind}: ${p.text}`)));
      expect(unexpected, 'console errors, page errors or HTTP >= 400 the test did not expect').toEqual([]);
    },
    { auto: true },
  ],
  scenario: async ({ request }, use) => {
    await use(async (name) => {
      const state = (await (await request.get('/__host/state')).json()) as { scenarios: HostScenario[] };
      const found = state.scenarios.find((s) => s.scenario === name);
      if (!found) {
        throw new Error(
          `the host does not serve scenario ${name}: ${state.scenarios.map((s) => s.scenario).join(', ')}`
        );
      }
      return found;
    });
  },
});

function watch(page: Page, problems: Problem[]) {
  page.on('console', (m) => {
    if (m.type() === 'error') {
      problems.push({ kind: 'console', text: `${m.text()} (${m.location().url ?? ''})` });
    }
  });
  page.on('pageerror', (e) => problems.push({ kind: 'pageerror', text: e.message }));
  page.on('response', (r) => {
    if (r.status() >= 400) {
      problems.push({ kind: 'http', text: `${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}` });
    }
  });
}

export { expect };
