// Signed in as an Editor the auth-editor setup project created (users.ts): Editors may retry DLQ events (the default
// discardMinRole is Admin, so discarding stays an Admin's). Nothing is changed here; the admin journey mutates.
import { APP_ID, backendSees, expect, test } from './fixtures';
import { EDITOR } from './users';

test('the backend sees the signed-in Editor, who may retry', async ({ gotoAppPage, page }) => {
  await gotoAppPage({ pluginId: APP_ID, path: '/dlq' });
  expect(await backendSees(page)).toMatchObject({ user: { login: EDITOR.user, role: 'Editor' }, canRetry: true });
  const rows = page.getByTestId('data-testid kici-dlq-row');
  await expect(rows.first()).toBeVisible();
  await expect(page.getByTestId('data-testid kici-dlq-retry').first()).toBeEnabled();
  await expect(page.getByTestId('data-testid kici-dlq-discard').first()).toBeDisabled();
});
