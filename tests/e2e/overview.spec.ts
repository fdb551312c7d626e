// Overview: the health matrix shows exactly what the cluster-3 sim serves (orch-a and orch-b answer, orch-c is
// down), in Grafana's dark theme, with no console error, page error or failed request.
import { expect, test } from './fixtures';
import { OverviewPage } from './pages/OverviewPage';

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
  expect(sim.nodes.filter((n) => n.fault === 'down').map((n) => n.instanceId)).toEqual(['orch-c']);

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

test('a Viewer forcing a DLQ retry is refused by the backend', async ({ page, expectProblem, request }) => {
  const overview = new OverviewPage(page);
  await overview.goto({ role: 'Viewer', ds: 'kici-dlq-backlog' });
  // The host's own fetch below fails on purpose.
  expectProblem(/^http: 403 POST \/api\/datasources\/uid\/kici-dlq-backlog\/resources\/dlq\/[0-9a-f-]+\/retry$/);
  expectProblem(/^console: Failed to load resource: the server responded with a status of 403/);

  const frames = await request.post('/api/ds/query', {
    data: {
      queries: [
        { refId: 'D', queryType: 'dlqEvents', useTimeRange: false, limit: 1, datasource: { uid: 'kici-dlq-backlog' } },
      ],
      from: String(Date.now() - 86_400_000),
      to: String(Date.now()),
    },
  });
  const body = (await frames.json()) as {
    results: { D: { frames: Array<{ schema: { fields: Array<{ name: string }> }; data: { values: unknown[][] } }> } };
  };
  const frame = body.results.D.frames[0];
  const id = frame.data.values[frame.schema.fields.findIndex((f) => f.name === 'id')][0] as string;
  expect(id).toMatch(/^[0-9a-f-]{36}$/);

  const res = await overview.forceResourceCall('POST', `dlq/${id}/retry`, 'kici-dlq-backlog');
  expect(res.status).toBe(403);
  expect(JSON.stringify(res.body)).toMatch(/Viewer|role/i);
});
