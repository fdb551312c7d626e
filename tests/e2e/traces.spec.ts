// Traces: a requestId taken from the sims' own log lines (the host stack gives secrets-degraded a burst of seeded
// live traffic, so a webhook's requestId reaches the orchestrator, the agent and the scaler's log forwarder) is
// found through the Loki stand-in: every line carrying it, across tiers and in time order, and the links to the
// Logs trace dashboard and Explore carry it.
import { expect, test } from './fixtures';
import { TracesPage } from './pages/TracesPage';

test('the Traces page finds a requestId from the sim logs and shows its lines across tiers', async ({ page }) => {
  const traces = new TracesPage(page);
  await traces.goto();
  await expect(traces.heading()).toHaveText('Traces');

  const captured = await traces.capturedLines();
  const dispatched = captured.find((l) => l.json.service === 'agent' && l.json.message === 'Job dispatch received');
  expect(dispatched, 'the stack captured an agent line of a dispatched job').toBeDefined();
  const requestId = String(dispatched!.json.requestId);
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  // What KiCI wrote for that request, straight from the capture: the page must show exactly these lines.
  const expected = captured.filter((l) =>
    ['requestId', 'runId', 'jobId', 'eventId', 'deliveryId'].some((k) => l.json[k] === requestId)
  );
  const tiers = [...new Set(expected.map((l) => String(l.json.service)))].sort();
  expect(tiers).toEqual(['agent', 'orchestrator']);

  await traces.search(requestId);
  await expect(traces.lines()).toHaveCount(expected.length);
  await expect(traces.matched()).toContainText(`${requestId} found as requestId`);
  await expect(traces.matched()).toContainText(`${expected.length} lines across`);

  const shown = await traces.shownLines();
  expect(shown.map((l) => l.tier)).toEqual(expected.map((l) => String(l.json.service)));
  expected.forEach((l, i) => expect(shown[i].text).toContain(String(l.json.message)));
  // The scaler's log forwarder re-emits the agent's trace line in the orchestrator's stream: shown as an agent line.
  expect(expected.some((l) => l.stream.service === 'orchestrator' && l.json.service === 'agent')).toBe(true);

  await page.getByRole('radio', { name: 'Grouped by tier' }).check();
  await expect(traces.tierGroups()).toHaveCount(2);
  expect(await traces.tierGroups().evaluateAll((els) => els.map((e) => e.getAttribute('data-tier')))).toEqual([
    'orchestrator',
    'agent',
  ]);

  // The search is in the URL (shareable), and both links carry the id and the Loki datasource.
  await expect(page).toHaveURL(new RegExp(`[?&]id=${requestId}`));
  const dashboard = new URL((await traces.dashboardLink().getAttribute('href'))!, 'http://host.invalid');
  expect(dashboard.pathname).toBe('/d/kici-logs-trace');
  expect(dashboard.searchParams.get('var-requestId')).toBe(requestId);
  expect(dashboard.searchParams.get('var-loki')).toBe('loki');
  const explore = new URL((await traces.exploreLink().getAttribute('href'))!, 'http://host.invalid');
  expect(explore.pathname).toBe('/explore');
  const panes = JSON.parse(explore.searchParams.get('panes')!) as Record<
    string,
    { datasource: string; queries: Array<{ expr: string; datasource: { uid: string; type: string } }> }
  >;
  const pane = Object.values(panes)[0];
  expect(pane.datasource).toBe('loki');
  expect(pane.queries[0].datasource).toEqual({ type: 'loki', uid: 'loki' });
  expect(pane.queries[0].expr).toContain(`requestId="${requestId}"`);
});

test('an id no line carries shows the empty state, not an error', async ({ page }) => {
  const traces = new TracesPage(page);
  await traces.goto();
  await traces.search('00000000-0000-4000-8000-000000000000');
  await expect(page.getByTestId('data-testid kici-traces-empty')).toBeVisible();
  await expect(traces.lines()).toHaveCount(0);
});
