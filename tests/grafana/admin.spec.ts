// The host journeys (tests/e2e) against a real Grafana with the docker-compose stack, signed in as Grafana's admin:
// cluster-3 in live mode behind the provisioned `kici` datasource (orchestrator URLs kici-sim:4000/4001, admin token
// from KICI_ADMIN_TOKEN).
import { APP_ID, backendSees, expect, test } from './fixtures';
import { ADMIN } from './users';

test('the backend sees the signed-in admin', async ({ gotoAppPage, page }) => {
  await gotoAppPage({ pluginId: APP_ID, path: '/overview' });
  expect(await backendSees(page)).toMatchObject({ user: { login: ADMIN.user, role: 'Admin' }, canRetry: true });
});

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
