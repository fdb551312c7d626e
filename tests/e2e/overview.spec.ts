// Overview on cluster-3 (the provisioned `kici` datasource): the 24 h execution stats and the DLQ depth equal the
// scenario's seeded numbers, and the health matrix shows exactly what the sim serves (orch-a and orch-b answer,
// orch-c is down), in Grafana's dark theme, with no console error, page error or failed request.
import { CLUSTER_3_KNOWN } from '../../dev/kici-sim/scenarios/cluster-3';
import { expect, test } from './fixtures';
import { APP } from './pages/AppPage';
import { OverviewPage } from './pages/OverviewPage';

test("the app's root opens the Overview", async ({ page }) => {
  await page.goto(APP);
  await expect(page).toHaveURL(new RegExp(`${APP}/overview`));
  await expect(new OverviewPage(page).heading()).toHaveText('Overview');
});

test('the execution stats and DLQ depth equal the seeded cluster-3 numbers', async ({ page }) => {
  const overview = new OverviewPage(page);
  await overview.goto();
  await expect(overview.heading()).toHaveText('Overview');

  // cluster-3 seeds 6 runs in the last 24 h: 4 succeeded (60 s), 1 failed (120 s), 1 still running with one job.
  const success = await overview.stat('Success rate');
  expect(success.numeric).toBe(CLUSTER_3_KNOWN.successRatePct);
  expect(success.text).toBe(`${CLUSTER_3_KNOWN.successRatePct.toFixed(1)}%`);
  const avg = await overview.stat('Average duration');
  expect(avg.numeric).toBe(CLUSTER_3_KNOWN.avgDurationS);
  expect(avg.text).toBe('1.2 mins');
  expect((await overview.stat('Total runs')).numeric).toBe(6);
  expect((await overview.stat('Running jobs')).numeric).toBe(1);
  expect((await overview.stat('Queued jobs')).numeric).toBe(0);
  expect((await overview.stat('Active jobs')).numeric).toBe(1);
  expect((await overview.stat('DLQ depth')).numeric).toBe(CLUSTER_3_KNOWN.dlqDepth);
  await expect(overview.page.getByTestId('data-testid kici-overview-success-rate-definition')).toContainText(
    'Successful runs ÷ finished runs'
  );
});

test('the health matrix rows equal what the sim serves', async ({ page, scenario }) => {
  const sim = await scenario('cluster-3');
  const overview = new OverviewPage(page);
  await overview.goto();
  await expect(overview.heading()).toHaveText('Overview');

  const rows = await overview.healthRows();
  const status = (component: string, target: string) =>
    rows.find((r) => r.component === component && r.target === target)?.status;

  expect(rows.find((r) => r.component === 'PostgreSQL')?.status).toBe('ok');
  const orchestratorTargets = new Set(rows.filter((r) => r.component.startsWith('orchestrator')).map((r) => r.target));
  expect([...orchestratorTargets].sort()).toEqual(sim.nodes.map((n) => n.url).sort());
  for (const node of sim.nodes) {
    const expected = node.fault === 'down' ? 'error' : 'ok';
    expect(status('orchestrator /health', node.url), `${node.instanceId} /health`).toBe(expected);
    expect(status('orchestrator /ready', node.url), `${node.instanceId} /ready`).toBe(expected);
  }
  // Each orchestrator row names the node at its URL (the down one too: its peers know it), as Infrastructure does.
  for (const node of sim.nodes) {
    const names = rows.filter((r) => r.component.startsWith('orchestrator') && r.target === node.url);
    expect(names.map((r) => r.instance)).toEqual(names.map(() => node.instanceId));
  }
  expect(sim.nodes.filter((n) => n.fault === 'down').map((n) => n.instanceId)).toEqual(['orch-c']);
  expect(sim.nodes.find((n) => n.fault !== 'down')?.instanceId).toBe(CLUSTER_3_KNOWN.leader);

  // Severity colours come from the panel's value mappings through Grafana's display processor.
  const cell = (target: string) =>
    page
      .locator('[data-testid="host-table-row"]', { has: page.locator(`td[data-field="target"]:text-is("${target}")`) })
      .filter({ has: page.locator('td[data-field="component"]:text-is("orchestrator /health")') })
      .locator('td[data-field="status"]');
  const down = sim.nodes.find((n) => n.fault === 'down')!;
  await expect(cell(down.url)).toHaveAttribute('data-color', /red|#F2495C|rgb\(242, 73, 92\)/i);
  await expect(cell(sim.nodes[0].url)).toHaveAttribute('data-color', /green|#73BF69|rgb\(115, 191, 105\)/i);

  // Grafana's dark theme and Inter font.
  const body = await page.evaluate(() => ({
    bg: getComputedStyle(document.body).backgroundColor,
    font: getComputedStyle(document.body).fontFamily,
  }));
  expect(body.bg).toBe('rgb(17, 18, 23)');
  expect(body.font).toContain('Inter');
});

test('the role switcher changes the user the backend sees', async ({ page }) => {
  const overview = new OverviewPage(page);
  await overview.goto({ role: 'Viewer' });
  await expect(overview.signedInAs()).toContainText('(Viewer)');
  const asViewer = await overview.forceResourceCall('GET', 'dlq/permissions');
  expect(asViewer.body).toMatchObject({ user: { role: 'Viewer' }, canRetry: false });

  await overview.switchRole('Editor');
  const asEditor = await overview.forceResourceCall('GET', 'dlq/permissions');
  expect(asEditor.body).toMatchObject({ user: { role: 'Editor' }, canRetry: true });
  await expect(overview.heading()).toHaveText('Overview');
});
