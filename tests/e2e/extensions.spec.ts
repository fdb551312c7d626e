// KiCI from anywhere in Grafana: the plugin's added links as the host's stand-ins for Grafana's extension points show
// them (registered from the built module.js, checked against plugin.json like Grafana's registry), clicked through to
// the app page they open against kici-sim: the command palette, a bundled dashboard's panel menu, an alert instance of
// a KiCI rule and Explore on a Loki query or log line carrying a requestId.
import { signatureId } from '../../src/backend/features/dlq-signatures/normalize';
import { testIds } from '../../src/components/testIds';
import { expect, test } from './fixtures';
import { ExtensionsPage } from './pages/ExtensionsPage';
import { InfrastructurePage } from './pages/InfrastructurePage';
import { TracesPage } from './pages/TracesPage';

test('the command palette lists the two KiCI actions; "KiCI: DLQ" opens the DLQ', async ({ page }) => {
  const ext = new ExtensionsPage(page);
  await ext.goto();
  await expect(ext.refused()).toHaveCount(0);
  expect(await ext.titlesAndPaths(ext.palette())).toEqual([
    ['KiCI: find an id in the logs', '/a/kici-ops-app/traces'],
    ['KiCI: DLQ', '/a/kici-ops-app/dlq'],
  ]);
  await ext.palette().filter({ hasText: 'KiCI: DLQ' }).click();
  await expect(page).toHaveURL(/\/a\/kici-ops-app\/dlq/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Event DLQ');
});

test('a bundled panel menu opens the matching page with the panel time range', async ({ page }) => {
  const ext = new ExtensionsPage(page);
  await ext.goto();
  expect(await ext.titlesAndPaths(await ext.panelMenu('kici-ops-orchestrator', 'Scrape up'))).toEqual([
    ['Open in KiCI Infrastructure', '/a/kici-ops-app/infrastructure?from=now-6h&to=now'],
  ]);
  expect(await ext.titlesAndPaths(await ext.panelMenu('kici-logs-trace', 'Platform lines'))).toEqual([
    ['Open in KiCI Traces', '/a/kici-ops-app/traces?from=now-6h&to=now'],
  ]);
  const links = await ext.panelMenu('kici-ops-event-delivery', 'Latest DLQ events');
  expect(await ext.titlesAndPaths(links)).toEqual([
    ['Open in KiCI Event DLQ', '/a/kici-ops-app/dlq?inRange=1&from=now-24h&to=now'],
  ]);
  await links.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Event DLQ');
  await expect(page).toHaveURL(/inRange=1/);
  await expect(page).toHaveURL(/from=now-24h/);
});

test('an alert instance of a KiCI rule opens the DLQ as it counts, or Infrastructure at its orchestrator', async ({
  page,
}) => {
  const infra = new InfrastructurePage(page);
  await infra.goto();
  const host = await infra.hostOf('orch-b');
  expect(host).not.toBe('');

  const ext = new ExtensionsPage(page);
  // The 11.x/12.x shape: CombinedRule + Alert; labels as Grafana sets them (alertname) plus the query's (instance).
  await ext.goto({
    alert: {
      rule: {
        name: 'KiCI orchestrator not answering',
        rulerRule: { grafana_alert: { uid: 'kici-orchestrator-down' } },
      },
      instance: {
        labels: { alertname: 'KiCI orchestrator not answering', instance: `${host}:4000`, severity: 'critical' },
        state: 'Alerting',
        activeAt: new Date().toISOString(),
      },
    },
  });
  expect(await ext.titlesAndPaths(ext.alertActions())).toEqual([
    [`Open orchestrator ${host} in KiCI`, `/a/kici-ops-app/infrastructure?host=${encodeURIComponent(host)}`],
  ]);
  await ext.alertActions().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Infrastructure');
  await expect(infra.orchestrator('orch-b')).toBeVisible();
  await expect(infra.orchestrator('orch-a')).toHaveCount(0);

  // The admissions rule counts the 15 minutes before it fired: the DLQ list over that range.
  const activeAt = '2026-12-05T10:00:00.000Z';
  await ext.goto({ alert: { rule: { uid: 'kici-dlq-admissions' }, instance: { labels: {}, activeAt } } });
  expect(await ext.titlesAndPaths(ext.alertActions())).toEqual([
    ['Open the KiCI event DLQ', `/a/kici-ops-app/dlq?inRange=1&from=${Date.parse(activeAt) - 15 * 60_000}&to=now`],
  ]);
  // A new error signature: one instance per signature, labelled by the numbers frame (signature, signatureId).
  const signature = 'Error: connect ECONNREFUSED <host>';
  const id = signatureId(signature);
  await ext.goto({
    alert: {
      rule: { uid: 'kici-dlq-new-signature' },
      instance: { labels: { alertname: 'A new KiCI DLQ error signature appeared', signature, signatureId: id } },
    },
  });
  expect(await ext.titlesAndPaths(ext.alertActions())).toEqual([
    ['Open the KiCI event DLQ', `/a/kici-ops-app/dlq?signature=${id}`],
  ]);
  await ext.alertActions().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Event DLQ');
  await expect(page.getByTestId(testIds.dlq.signatureFilter)).toHaveAttribute('data-signature-id', id);

  // Not a KiCI rule: nothing.
  await ext.goto({ alert: { rule: { uid: 'disk-full' }, instance: { labels: { alertname: 'Disk full' } } } });
  await expect(ext.alertActions()).toHaveCount(0);
});

test('Explore on a Loki query or log line with a requestId opens Traces on it', async ({ page }) => {
  const traces = new TracesPage(page);
  const captured = await traces.capturedLines();
  const line = captured.find((l) => l.json.service === 'agent' && l.json.message === 'Job dispatch received');
  expect(line, 'the stack captured an agent line of a dispatched job').toBeDefined();
  const requestId = String(line!.json.requestId);

  const ext = new ExtensionsPage(page);
  await ext.goto({ explore: { targets: [{ refId: 'A', datasource: { type: 'prometheus' }, expr: 'up' }] } });
  await expect(ext.exploreActions()).toHaveCount(0);

  // A log line (Explore's result) naming the ids, under a query that names none.
  await ext.goto({
    explore: {
      targets: [{ refId: 'A', datasource: { type: 'loki', uid: 'loki' }, expr: '{service="agent"}' }],
      lines: [JSON.stringify(line!.json)],
    },
  });
  await expect(ext.exploreActions()).toHaveText(['Trace in KiCI']);
  expect(await ext.exploreActions().getAttribute('href')).toContain(`requestId%3D${requestId}`);

  await ext.goto({
    explore: {
      targets: [
        {
          refId: 'A',
          datasource: { type: 'loki', uid: 'loki' },
          expr: `{service=~".+"} | json | requestId="${requestId}"`,
        },
      ],
      timeRange: { from: 'now-24h', to: 'now' },
    },
  });
  expect(await ext.titlesAndPaths(ext.exploreActions())).toEqual([
    ['Trace in KiCI', `/a/kici-ops-app/traces?id=requestId%3D${requestId}&from=now-24h&to=now`],
  ]);
  await ext.exploreActions().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Traces');
  await expect(traces.matched()).toContainText(`${requestId} found as requestId`);
  await expect(traces.lines().first()).toBeVisible();
});
