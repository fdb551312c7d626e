// The host journeys (tests/e2e) against a real Grafana 12 with the docker-compose stack: cluster-3 in live mode
// behind the provisioned `kici` datasource (orchestrator URLs kici-sim:4000/4001, admin token from KICI_ADMIN_TOKEN).
import { expect, test, APP_ID } from './fixtures';

test('Overview: the health matrix lists PostgreSQL and both provisioned orchestrators', async ({
  gotoAppPage,
  page,
}) => {
  await gotoAppPage({ pluginId: APP_ID, path: '/overview' });
  const health = page.getByTestId('data-testid Panel header Health');
  await expect(health).toBeVisible();
  await expect(health.getByText('PostgreSQL').first()).toBeVisible();
  await expect(health.getByText('http://kici-sim:4000').first()).toBeVisible();
  await expect(health.getByText('http://kici-sim:4001').first()).toBeVisible();
});

test('Infrastructure: cluster-3 shows one Raft leader and the unreachable orch-c in red', async ({
  gotoAppPage,
  page,
}) => {
  await gotoAppPage({ pluginId: APP_ID, path: '/infrastructure' });
  const nodes = page.getByTestId('data-testid kici-infra-orchestrator');
  await expect(nodes.first()).toBeVisible();
  await expect(page.locator('[data-testid="data-testid kici-infra-raft-role"]', { hasText: 'leader' })).toHaveCount(1);
  await expect(
    page.locator(
      '[data-testid="data-testid kici-infra-orchestrator"][data-name*="orch-c"] [data-testid="data-testid kici-infra-connection"]'
    )
  ).toHaveAttribute('data-color', 'red');
});

test('DLQ: an Admin retries an event and it leaves the list; another is discarded after confirmation', async ({
  gotoAppPage,
  page,
}) => {
  await gotoAppPage({ pluginId: APP_ID, path: '/dlq' });
  const rows = page.getByTestId('data-testid kici-dlq-row');
  await expect(rows.first()).toBeVisible();
  const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-event-id')!));
  const row = (id: string) => page.locator('tr', { has: page.locator(`[data-event-id="${id}"]`) });

  await row(ids[0]).getByTestId('data-testid kici-dlq-retry').click();
  await page.getByRole('dialog').getByRole('button', { name: 'Retry', exact: true }).click();
  await expect(page.locator(`[data-event-id="${ids[0]}"]`)).toHaveCount(0);

  if (ids[1]) {
    await row(ids[1]).getByTestId('data-testid kici-dlq-discard').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Discard', exact: true }).click();
    await expect(page.locator(`[data-event-id="${ids[1]}"]`)).toHaveCount(0);
  }
});

test.describe('as a Viewer', () => {
  test.use({ user: { user: 'kici-viewer', password: 'kici-viewer-e2e', role: 'Viewer' } });

  test('DLQ actions are disabled and the backend refuses a forced retry', async ({
    gotoAppPage,
    page,
    expectProblem,
  }) => {
    await gotoAppPage({ pluginId: APP_ID, path: '/dlq' });
    const rows = page.getByTestId('data-testid kici-dlq-row');
    await expect(rows.first()).toBeVisible();
    await expect(page.getByTestId('data-testid kici-dlq-actions-disabled')).toBeVisible();
    await expect(page.getByTestId('data-testid kici-dlq-retry').first()).toBeDisabled();

    expectProblem(/^http: 403 POST .*\/resources\/dlq\/.*\/retry$/);
    expectProblem(/^console: Failed to load resource: the server responded with a status of 403/);
    const id = await rows.first().getAttribute('data-event-id');
    const status = await page.evaluate(
      async (url) => (await fetch(url, { method: 'POST', headers: { 'X-Grafana-Org-Id': '1' } })).status,
      `/api/datasources/uid/kici/resources/dlq/${id}/retry`
    );
    expect(status).toBe(403);
  });
});
