// The controlled redrive on the dlq-backlog scenario: "Retry all matching…" with a filter starts a redrive at a low
// rate; its progress shows on the page, survives a reload (the state is the backend's, in kici_grafana), and a
// cancel (confirmed) stops it with a final report while what already moved stays out of the DLQ.
import { testIds } from '../../src/components/testIds';
import { axeFindings } from './axe';
import { expect, test } from './fixtures';
import { DlqPage } from './pages/DlqPage';

const DS = 'kici-dlq-backlog';
const R = testIds.redrive;

test('a redrive at 1 event/s shows progress, is still there after a reload, and cancels with a report', async ({
  page,
}) => {
  const dlq = new DlqPage(page);
  await dlq.goto({ role: 'Admin', ds: DS });
  // github:77 has 40 DLQ events in dlq-backlog: 40 s at 1/s, time enough to reload and cancel.
  await page.goto(page.url().replace('?', '?routingKey=github%3A77&'));
  await expect(page.getByTestId('host-plugin-page')).toBeVisible({ timeout: 120_000 });
  const ids = await dlq.eventIds();
  expect(ids.length).toBeGreaterThan(0);

  await page.getByTestId(testIds.dlq.bulkRetry).click();
  await expect(dlq.dialog()).toContainText('at a controlled rate?');
  const count = Number(/Retry (\d+) DLQ event/.exec((await dlq.dialog().textContent()) ?? '')![1]);
  expect(count).toBe(40);
  const rate = dlq.dialog().getByTestId(R.rate);
  await expect(rate).toHaveValue('10');
  await rate.fill('1');
  await expect(dlq.dialog()).toContainText('At 1 events/s this takes about 40 s');
  await dlq.dialogButton(`Retry ${count}`).click();

  const panel = page.getByTestId(R.panel);
  await expect(panel).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId(R.summary)).toContainText('routing key = github:77 at 1 events/s, started by');
  await expect(page.getByTestId(R.counts)).toContainText(/^[1-9]\d* retried · 0 failed · \d+ remaining of 40$/);

  await page.reload();
  await expect(page.getByTestId('host-plugin-page')).toBeVisible({ timeout: 120_000 });
  await expect(panel).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId(R.counts)).toContainText(/ remaining of 40$/);

  await page.getByTestId(R.cancel).click();
  await expect(dlq.dialog()).toContainText('Cancel the redrive?');
  await dlq.dialogButton('Cancel redrive').click();
  await expect(panel).toHaveAttribute('data-state', 'cancelled', { timeout: 15_000 });
  await expect(page.getByTestId(R.report)).toContainText(
    /^Cancelled by admin at .+: the (\d+) retried event\(s\) stay retried; (\d+) were not tried and are still in the DLQ\.$/
  );
  const [, retried, left] = /(\d+) retried · 0 failed · (\d+) not tried/.exec(
    (await page.getByTestId(R.counts).textContent()) ?? ''
  )!;
  expect(Number(retried) + Number(left)).toBe(40);
  expect(Number(left)).toBeGreaterThan(0);
  // The list (refreshed on the next load) holds exactly what was not tried.
  await page.reload();
  await expect(page.getByTestId('host-plugin-page')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId(testIds.dlq.pageInfo)).toContainText(`of ${left} matching`);
  await expect(panel).toHaveAttribute('data-state', 'cancelled');
  // The panel and its report pass axe (WCAG 2 A/AA) like the rest of the page.
  expect((await axeFindings(page)).owned).toEqual([]);
});
