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

test('Retry all matching, confirmed from the keyboard: focus is back on the control that opened it', async ({
  page,
}) => {
  const dlq = new DlqPage(page);
  // kici-sim dlq-backlog: __job_complete on github:77 is every 12th event (10 of 120); filtered and under 50, so one
  // press confirms (no count to type).
  await dlq.goto({
    role: 'Admin',
    ds: 'kici-dlq-backlog',
    params: { eventName: '__job_complete', routingKey: 'github:77' },
  });
  const ids = await dlq.eventIds();
  const bulk = page.getByTestId(testIds.dlq.bulkRetry);
  await open(page, bulk);
  const confirm = dlq.dialog().getByRole('button', { name: `Retry ${ids.length}`, exact: true });
  await expect(confirm).toBeFocused();
  await page.keyboard.press('Enter');
  // Confirming starts a redrive (default 10 events/s): its panel reports the end and the list refreshes empty.
  await expect(dlq.dialog()).toHaveCount(0);
  await expect(page.getByTestId(testIds.redrive.panel)).toHaveAttribute('data-state', 'completed', { timeout: 15_000 });
  await expect(page.getByTestId(testIds.redrive.counts)).toHaveText(
    `${ids.length} retried · 0 failed · 0 not tried (still in the DLQ) of ${ids.length}`
  );
  await expect(dlq.listed(ids[0])).toHaveCount(0);
  // Nothing matches any more, so the button is disabled: its keyboard stop (the wrapper that tells why) has focus.
  const stop = page.locator('[data-disabled-reason]').filter({ has: bulk });
  await expect(bulk).toBeDisabled();
  await expect(stop).toBeFocused();
  await expect(stop).toHaveAttribute('data-disabled-reason', 'No event is listed.');
});

test('DLQ Discard, Cancel from the keyboard: nothing is discarded and focus is back on Discard', async ({ page }) => {
  const dlq = new DlqPage(page);
  await dlq.goto({ role: 'Admin', ds: 'kici-dlq-backlog' });
  const ids = await dlq.eventIds();
  const id = ids[2] ?? ids[0];
  const discard = dlq.discardButton(id);

  await open(page, discard);
  // Typed, so the confirm button is live: Cancel must still discard nothing.
  await page.keyboard.type(id.slice(0, 8));
  await expect(dlq.dialogButton('Discard')).toBeEnabled();
  await page.keyboard.press('Tab');
  await expect(dlq.dialogButton('Cancel')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dlq.dialog()).toHaveCount(0);
  await expect(discard).toBeFocused();
  await expect(dlq.listed(id)).toHaveCount(1);
  // Still in the DLQ on the server: a fresh load lists it.
  await dlq.goto({ role: 'Admin', ds: 'kici-dlq-backlog' });
  await dlq.eventIds();
  await expect(dlq.listed(id)).toHaveCount(1);
});

test('a Viewer reads why Retry and Discard are disabled from the keyboard, not only on hover', async ({ page }) => {
  const dlq = new DlqPage(page);
  await dlq.goto({ role: 'Viewer', ds: 'kici-dlq-backlog' });
  const [id] = await dlq.eventIds();
  const retry = dlq.retryButton(id);
  const discard = dlq.discardButton(id);
  await expect(retry).toBeDisabled();
  await expect(discard).toBeDisabled();
  const reasons = {
    retry: 'Retry needs the Editor role in Grafana; you have the Viewer role.',
    discard: 'Discard needs the Admin role in Grafana; you have the Viewer role.',
  };
  // Tab from the row's disclosure: the disabled buttons' reasons are the next two keyboard stops.
  await dlq.row(id).getByTestId(testIds.dlq.expander).focus();
  for (const action of ['retry', 'discard'] as const) {
    await page.keyboard.press('Tab');
    const stop = dlq
      .row(id)
      .locator('[data-disabled-reason]')
      .filter({ has: page.getByTestId(testIds.dlq[action]) });
    await expect(stop).toBeFocused();
    await expect(page.getByRole('tooltip')).toHaveText(reasons[action]);
    // Screen readers get the reason as the focused stop's description.
    await expect(stop).toHaveAccessibleDescription(reasons[action]);
  }
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
