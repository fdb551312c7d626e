// A datasource whose queries fail (the host's kici-failing: wrong database password, an orchestrator URL that answers
// nothing): the Overview says once, at the top, what the health check says and where to fix it; the DLQ runbook shows
// nothing as passed that it cannot know.
import { testIds } from '../../src/components/testIds';
import { expect, test } from './fixtures';
import { AppPage } from './pages/AppPage';

const DS = 'kici-failing';

/** The failing queries and the failed health check answer 4xx/5xx by design (and Chromium logs each). */
function expectFailures(expectProblem: (p: RegExp) => void) {
  expectProblem(/http: (400|500|502|503) (GET|POST) \/api\/(ds\/query|datasources\/uid\/kici-failing)/);
  expectProblem(
    /console: Failed to load resource: the server responded with a status of (400|500|502|503) .*\/api\/(ds\/query|datasources\/uid\/kici-failing)/
  );
}

/**
 * Every page that reads the KiCI datasource (Traces reads Loki only: its own message names the Loki choice), and the
 * DLQ event page (its event cannot be read: any id).
 */
const PAGES = ['overview', 'infrastructure', 'secret-backends', 'dlq', 'dlq/5b9c7e0e-2f3a-4e51-9a61-0c1f7f0d2a11'];

for (const route of PAGES) {
  test(`${route}: one page-level message with the health check and the settings link; nothing shown as passing`, async ({
    page,
    expectProblem,
  }) => {
    expectFailures(expectProblem);
    // Infrastructure reads the database and the orchestrator URL itself and answers 200 with what failed.
    expectProblem(/http: (400|500|502|503) GET \/api\/datasources\/uid\/kici-failing\/resources\//);
    expectProblem(/console: Failed to load resource: .*\/api\/datasources\/uid\/kici-failing\/resources\//);
    await new AppPage(page, route).goto({ ds: DS });
    const banner = page.getByTestId(testIds.datasourceProblem);
    await expect(banner).toBeVisible();
    await expect(banner).toHaveCount(1);
    await expect(banner).toContainText('The KiCI datasource is failing its health check');
    await expect(banner).toContainText(/password authentication failed/i);
    await expect(banner.getByRole('link', { name: 'Fix it in the KiCI datasource settings' })).toHaveAttribute(
      'href',
      `/connections/datasources/edit/${DS}`
    );
    // Nothing the page could not read is shown as a pass: no green badge or card, no runbook step but the one that
    // reads the user's role ("decide": the role is known without the database).
    await expect(page.locator('[data-color="green"], [data-tone="ok"]:not([data-step="decide"] *)')).toHaveCount(0);
  });
}

test('DLQ: no runbook step shows a pass it cannot know', async ({ page, expectProblem }) => {
  expectFailures(expectProblem);
  await new AppPage(page, 'dlq').goto({ ds: DS });
  await expect(page.getByTestId(testIds.dlq.error)).toBeVisible();
  const steps = page.getByTestId(testIds.dlq.runbookStep);
  await expect(steps).toHaveCount(6);
  const inspect = steps.and(page.locator('[data-step="inspect"]'));
  await expect(inspect.locator('[data-tone]')).toHaveAttribute('data-tone', 'unknown');
  const tones = await steps.evaluateAll((els) =>
    els.map((e) => [e.getAttribute('data-step'), e.querySelector('[data-tone]')?.getAttribute('data-tone')])
  );
  for (const [step, tone] of tones) {
    if (step !== 'decide') {
      expect([step, tone]).toEqual([step, 'unknown']);
    }
  }
  const text = (await steps.allTextContents()).join(' ');
  expect(text).not.toContain('The list is loading');
  expect(text).not.toContain('No event shown');
  expect(text).not.toContain('nothing admitted in the last 15 minutes');
  await expect(page.getByTestId(testIds.dlq.pageInfo)).toHaveText('Unknown');
});
