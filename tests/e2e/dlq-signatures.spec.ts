// DLQ error signatures on the dlq-backlog scenario (120 DLQ events, kici-sim's six fixed error texts): the view
// accounts for the whole DLQ, a signature lists its events and filters the triage list to them, and "Retry all"
// (after the rate dialog stating the count) starts a redrive of exactly those, its panel in the signatures view; a
// Viewer sees the actions disabled.
import { testIds } from '../../src/components/testIds';
import { SIGNATURE_TEST_IDS as S } from '../../src/pages/dlq/signatures/testIds';
import { expect, test } from './fixtures';
import { DlqPage } from './pages/DlqPage';

const DS = 'kici-dlq-backlog';
const REFUSED = 'Error: connect ECONNREFUSED <host>';

test('signatures group the DLQ; retrying one signature redrives exactly its events', async ({ page }) => {
  const dlq = new DlqPage(page);
  await dlq.goto({ role: 'Admin', ds: DS });
  const rows = page.getByTestId(S.row);
  await expect(rows.first()).toBeVisible();

  const counts = await rows.evaluateAll((els) =>
    els.map((e) => [e.getAttribute('data-signature'), Number(e.querySelector('[data-field="count"]')!.textContent)])
  );
  const depth = Number(/\d+/.exec((await dlq.depth().textContent()) ?? '')![0]);
  expect(counts.reduce((n, [, c]) => n + (c as number), 0)).toBe(depth);
  expect(counts.map(([s]) => s)).toContain(REFUSED);
  expect(counts.map(([s]) => s)).toContain('Error: dispatch timed out after <n>ms');
  const refusedCount = counts.find(([s]) => s === REFUSED)![1] as number;
  expect(refusedCount).toBeGreaterThan(0);

  const row = rows.and(page.locator(`[data-signature="${REFUSED}"]`));
  // First and last admission in the page's one zone, named (src/components/time.tsx, issue 17 item 9): the host
  // gives no user preference, so the browser's zone, as the DLQ list shows it.
  const exact = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ([A-Z]{2,5}|UTC[+-]\d\d:\d\d)$/;
  const admissions = await row.locator('time').allTextContents();
  expect(admissions).toHaveLength(2);
  admissions.forEach((t) => expect(t).toMatch(exact));
  await row.getByRole('button', { name: 'Show events' }).click();
  const events = page.getByTestId(S.event);
  await expect(events).toHaveCount(refusedCount);
  expect(await events.first().locator('time').textContent()).toMatch(exact);
  await expect(page.getByTestId(S.events)).toContainText(`${refusedCount} events of “${REFUSED}”`);
  const ids = await events.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')!));

  expect(ids).toHaveLength(refusedCount);

  // "Show in the event list" (issue 19): the triage list shows exactly those events, the filter a removable chip
  // carried in the URL, so a reload (or the address shared) shows the same list.
  await page.getByTestId(S.showInList).click();
  const chip = page.getByTestId(testIds.dlq.signatureFilter);
  await expect(chip).toContainText(REFUSED);
  const signatureId = await chip.getAttribute('data-signature-id');
  expect(signatureId).toMatch(/^[0-9a-f]{8}$/);
  expect(new URL(page.url()).searchParams.get('signature')).toBe(signatureId);
  await expect.poll(() => dlq.eventIds()).toEqual(ids);
  await page.reload();
  await expect(chip).toContainText(REFUSED);
  await expect.poll(() => dlq.eventIds()).toEqual(ids);
  await page.getByTestId(testIds.dlq.removeSignature).click();
  await expect(chip).toHaveCount(0);
  expect(new URL(page.url()).searchParams.has('signature')).toBe(false);
  await expect.poll(async () => (await dlq.eventIds()).length).toBeGreaterThan(refusedCount);
  await row.getByRole('button', { name: 'Show events' }).click();
  await expect(events).toHaveCount(refusedCount);

  // "Retry all" is a redrive of the signature (issue 19): the rate dialog, then the redrive panel in this view.
  await page.getByRole('button', { name: `Retry all ${refusedCount}` }).click();
  await expect(dlq.dialog()).toContainText(
    `Retry the ${refusedCount} event(s) of this signature at a controlled rate?`
  );
  await expect(dlq.dialog()).toContainText(`${refusedCount} event(s) matching the error signature “${REFUSED}”`);
  await dlq.dialog().getByTestId(testIds.redrive.rate).fill('500');
  await dlq.dialogButton(`Retry ${refusedCount}`).click();

  const panel = page.getByTestId(S.view).getByTestId(testIds.redrive.panel);
  await expect(panel).toHaveAttribute('data-state', 'completed', { timeout: 30_000 });
  await expect(page.getByTestId(testIds.redrive.panel)).toHaveCount(1);
  await expect(panel.getByTestId(testIds.redrive.summary)).toContainText(
    `signature “${REFUSED}” at 500 events/s, started by`
  );
  await expect(panel.getByTestId(testIds.redrive.counts)).toHaveText(
    `${refusedCount} retried · 0 failed · 0 not tried (still in the DLQ) of ${refusedCount}`
  );
  // The backend retried exactly those: the signature is gone once the view reloads, the others keep their counts.
  await expect(rows.and(page.locator(`[data-signature="${REFUSED}"]`))).toHaveCount(0);
  const after = await rows.evaluateAll((els) =>
    els.map((e) => [e.getAttribute('data-signature'), Number(e.querySelector('[data-field="count"]')!.textContent)])
  );
  expect(after).toEqual(expect.arrayContaining(counts.filter(([s]) => s !== REFUSED)));
  expect(after).toHaveLength(counts.length - 1);
});

test('a Viewer sees a signature’s events but its bulk actions disabled, with the reason', async ({ page }) => {
  const dlq = new DlqPage(page);
  await dlq.goto({ role: 'Viewer', ds: DS });
  const row = page.getByTestId(S.row).first();
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: 'Show events' }).click();
  await expect(page.getByTestId(S.event).first()).toBeVisible();
  const retry = page.getByTestId(S.events).locator('[data-disabled-reason]').first();
  await expect(retry).toHaveAttribute('data-disabled-reason', /Viewer/);
});
