// DLQ journeys on the dlq-backlog scenario (120 events in the DLQ): an Admin retries one (it leaves the list), discards
// another only after confirming (cancel keeps it; the confirmation says it cannot be undone), and a Viewer sees the
// actions disabled while the backend refuses the same call forced from the browser.
import { expect, test } from './fixtures';
import { DlqPage } from './pages/DlqPage';

const DS = 'kici-dlq-backlog';

test('an Admin retries a DLQ event and it disappears from the list', async ({ page }) => {
  const dlq = new DlqPage(page);
  await dlq.goto({ role: 'Admin', ds: DS });
  const [id] = await dlq.eventIds();

  await dlq.retryButton(id).click();
  await expect(dlq.dialog()).toContainText(`Retry event ${id}?`);
  await expect(dlq.dialog()).toContainText('re-dispatches it');
  await dlq.dialogButton('Retry').click();

  await expect(dlq.toast('Event retried')).toBeVisible();
  await expect(dlq.dialog()).toHaveCount(0);
  await expect(dlq.listed(id)).toHaveCount(0);
  // Still gone after a reload: the backend retried it, the page did not just hide the row.
  await dlq.goto({ role: 'Admin', ds: DS });
  await dlq.eventIds();
  await expect(dlq.listed(id)).toHaveCount(0);
});

test('discard asks for confirmation: cancel keeps the event, confirm removes it', async ({ page }) => {
  const dlq = new DlqPage(page);
  await dlq.goto({ role: 'Admin', ds: DS });
  const ids = await dlq.eventIds();
  const id = ids[1] ?? ids[0];

  await dlq.discardButton(id).click();
  await expect(dlq.dialog()).toContainText(`Discard event ${id}?`);
  await expect(dlq.dialog()).toContainText('This cannot be undone');
  await dlq.dialogButton('Cancel').click();
  await expect(dlq.dialog()).toHaveCount(0);
  await expect(dlq.row(id)).toBeVisible();

  await dlq.discardButton(id).click();
  // Irreversible: Discard waits for the event's short id to be typed.
  await expect(dlq.dialogButton('Discard')).toBeDisabled();
  await dlq.dialog().getByRole('textbox').fill(id.slice(0, 8));
  await dlq.dialogButton('Discard').click();
  await expect(dlq.toast('Event discarded')).toBeVisible();
  await expect(dlq.listed(id)).toHaveCount(0);
  await dlq.goto({ role: 'Admin', ds: DS });
  await dlq.eventIds();
  await expect(dlq.listed(id)).toHaveCount(0);
});

test('a Viewer sees Retry and Discard disabled, and the backend refuses a forced retry', async ({
  page,
  expectProblem,
}) => {
  const dlq = new DlqPage(page);
  await dlq.goto({ role: 'Viewer', ds: DS });
  const [id] = await dlq.eventIds();
  await expect(dlq.actionsDisabledNote()).toBeVisible();
  await expect(dlq.retryButton(id)).toBeDisabled();
  await expect(dlq.discardButton(id)).toBeDisabled();

  // The call the Retry button would make, forced from the browser with the Viewer's session: refused, nothing changes.
  expectProblem(new RegExp(`^http: 403 POST /api/datasources/uid/${DS}/resources/dlq/${id}/retry$`));
  expectProblem(/^console: Failed to load resource: the server responded with a status of 403/);
  const res = await dlq.forceResourceCall('POST', `dlq/${id}/retry`, DS);
  expect(res.status).toBe(403);
  expect(JSON.stringify(res.body)).toMatch(/Viewer|role/i);

  await dlq.goto({ role: 'Viewer', ds: DS });
  await expect(dlq.listed(id)).toHaveCount(1);
});
