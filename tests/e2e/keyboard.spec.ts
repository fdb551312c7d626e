// Keyboard only: Retry, Discard, Test and Sync each open a confirmation; after confirm, Cancel or Escape, focus is back
// on the control that opened it (or, when that row left the list, on the list itself). Confirm buttons are red only for
// what destroys: @grafana/ui 12.4.2 ConfirmModal reads `confirmButtonVariant` (default "destructive").
import type { Locator, Page } from '@playwright/test';

import { testIds } from '../../src/components/testIds';
import { expect, test } from './fixtures';
import { DlqPage } from './pages/DlqPage';
import { SecretBackendsPage } from './pages/SecretBackendsPage';

// Grafana's dark theme (@grafana/data 12.4.2 themes/palette.ts): primary is blue (#3d71d9, lighter when focused),
// destructive is red (#d10e5c). The hue tells them apart whatever the focus or hover shade.
const PRIMARY = 'blue';
const DESTRUCTIVE = 'red';

const background = (l: Locator) =>
  l.evaluate((el) => {
    const [r, g, b] = (getComputedStyle(el).backgroundColor.match(/\d+/g) ?? []).map(Number);
    return r > g && r > b + 60 ? 'red' : b > r + 60 && b > g ? 'blue' : `other rgb(${r}, ${g}, ${b})`;
  });

async function open(page: Page, control: Locator) {
  await control.focus();
  await expect(control).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toBeVisible();
}

test('DLQ Retry: Escape, Cancel and confirm each leave focus where it belongs', async ({ page }) => {
  const dlq = new DlqPage(page);
  await dlq.goto({ role: 'Admin', ds: 'kici-dlq-backlog' });
  const [id] = await dlq.eventIds();
  const retry = dlq.retryButton(id);

  await open(page, retry);
  await expect.poll(() => background(dlq.dialogButton('Retry'))).toBe(PRIMARY);
  await page.keyboard.press('Escape');
  await expect(dlq.dialog()).toHaveCount(0);
  await expect(retry).toBeFocused();

  await open(page, retry);
  await dlq.dialogButton('Cancel').focus();
  await page.keyboard.press('Enter');
  await expect(dlq.dialog()).toHaveCount(0);
  await expect(retry).toBeFocused();

  await open(page, retry);
  // The confirm button has focus when the dialog opens: Enter confirms.
  await expect(dlq.dialogButton('Retry')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dlq.toast('Event retried')).toBeVisible();
  await expect(dlq.listed(id)).toHaveCount(0);
  // The row left the DLQ: the list takes focus.
  await expect(page.getByTestId(testIds.dlq.table)).toBeFocused();
});

test('DLQ Discard: red, typed confirmation, focus back after Escape and after confirm', async ({ page }) => {
  const dlq = new DlqPage(page);
  await dlq.goto({ role: 'Admin', ds: 'kici-dlq-backlog' });
  const ids = await dlq.eventIds();
  const id = ids[1] ?? ids[0];
  const discard = dlq.discardButton(id);

  await open(page, discard);
  await page.keyboard.press('Escape');
  await expect(discard).toBeFocused();

  await open(page, discard);
  const confirm = dlq.dialogButton('Discard');
  await expect(confirm).toBeDisabled();
  // The field to type in has focus as the dialog opens: the keyboard types at once.
  await expect(dlq.dialog().getByRole('textbox', { name: `Type "${id.slice(0, 8)}" to confirm` })).toBeFocused();
  await page.keyboard.type(id.slice(0, 8));
  await expect(confirm).toBeEnabled();
  // Polled: @grafana/ui 11.6.0's Button fades its background in (a transition) once it is enabled.
  await expect.poll(() => background(confirm)).toBe(DESTRUCTIVE);
  await page.keyboard.press('Enter');
  await expect(dlq.toast('Event discarded')).toBeVisible();
  await expect(dlq.listed(id)).toHaveCount(0);
  await expect(page.getByTestId(testIds.dlq.table)).toBeFocused();
});

test('Retry all matching without a filter asks for the count, in blue; focus returns to the button', async ({
  page,
}) => {
  const dlq = new DlqPage(page);
  await dlq.goto({ role: 'Admin', ds: 'kici-dlq-backlog' });
  await dlq.eventIds();
  const bulk = page.getByTestId(testIds.dlq.bulkRetry);
  await open(page, bulk);
  const confirm = dlq.dialog().getByRole('button', { name: /^Retry \d+$/ });
  await expect(confirm).toBeDisabled();
  const count = ((await confirm.textContent()) ?? '').replace('Retry ', '');
  await expect(dlq.dialog().getByRole('textbox', { name: `Type "${count}" to confirm` })).toBeFocused();
  await page.keyboard.type(count);
  await expect(confirm).toBeEnabled();
  await expect.poll(() => background(confirm)).toBe(PRIMARY);
  await page.keyboard.press('Escape');
  await expect(dlq.dialog()).toHaveCount(0);
  await expect(bulk).toBeFocused();
});

for (const action of ['sync', 'test'] as const) {
  test(`Secret backends ${action}: not red; focus back after Escape and after confirm`, async ({ page }) => {
    const sb = new SecretBackendsPage(page);
    await sb.goto({ role: 'Admin', ds: 'kici-secrets-degraded' });
    const names = Object.keys(await sb.health());
    const button = sb.button(names[0], action);
    const label = action === 'sync' ? 'Sync' : 'Test';
    const dialog = page.getByRole('dialog');

    await open(page, button);
    await expect.poll(() => background(dialog.getByRole('button', { name: label, exact: true }))).toBe(PRIMARY);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(button).toBeFocused();

    await open(page, button);
    await dialog.getByRole('button', { name: 'Cancel' }).focus();
    await page.keyboard.press('Enter');
    await expect(button).toBeFocused();

    await open(page, button);
    await page.keyboard.press('Enter');
    await expect(dialog).toHaveCount(0);
    await expect(sb.result(names[0])).toBeVisible();
    await expect(button).toBeFocused();
  });
}
