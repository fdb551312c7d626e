// Signed in as a Viewer the auth-viewer setup project created (users.ts): the DLQ is read-only for them, in the UI
// and in the backend.
import { APP_ID, backendSees, expect, test } from './fixtures';
import { VIEWER } from './users';

test('the backend sees the signed-in Viewer', async ({ gotoAppPage, page }) => {
  await gotoAppPage({ pluginId: APP_ID, path: '/overview' });
  expect(await backendSees(page)).toMatchObject({ user: { login: VIEWER.user, role: 'Viewer' }, canRetry: false });
});

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
  await expect(page.locator(`[data-event-id="${id}"]`)).toHaveCount(1);
});
