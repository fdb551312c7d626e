import {
  type DataFrame,
  type DataQueryRequest,
  type DataSourceApi,
  FieldType,
  LoadingState,
  type PanelData,
  toDataFrame,
} from '@grafana/data';
import { config, setBackendSrv, setDataSourceSrv, setRunRequest } from '@grafana/runtime';
import { SceneApp, SceneRefreshPicker } from '@grafana/scenes';
import { render, screen, waitFor, within } from '@testing-library/react';
import React from 'react';
import { of, throwError } from 'rxjs';

// The frames the backend builds, so the page is tested against the real field names and configs.
import { metricsFrame, seriesFrame } from '../../backend/features/executions/frames';
import { healthMatrixFrame } from '../../backend/features/health/frame';
import { orphansFrame } from '../../backend/features/orphans';
import { analogueFindings, platformFinding } from '../../backend/features/orphans/findings';
import { testIds } from '../../components/testIds';
import { DataSource } from '../../datasource/datasource';
import type { KiciQuery } from '../../datasource/query';
import { AtPath, dataSourceSrvStub, dsSettings } from '../../utils/testing';
import { STAT_COLORS, SUCCESS_RATE_DEFINITION } from './executionMetrics';
import { overviewPage, overviewScene } from './overviewPage';
import { installOverviewPanelStubs } from './testing';

const KICI = dsSettings('kici', 'kici-ops-datasource', 'KiCI');

const healthFrame = toDataFrame(
  healthMatrixFrame(
    [
      {
        component: 'PostgreSQL',
        target: 'postgres:5432/kici',
        instance: null,
        status: 'ok',
        latencyMs: 4,
        message: 'schema 0.9 (42 migrations)',
        hint: '',
        lastSuccess: 1_700_000_000_000,
      },
      {
        component: 'orchestrator /ready',
        target: 'http://kici-sim:4001',
        instance: null,
        status: 'error',
        latencyMs: 5004,
        message: 'no answer',
        hint: 'check the orchestrator URL',
        lastSuccess: null,
      },
      {
        component: 'orchestrator /cluster/health',
        target: 'http://orch-a:4000',
        instance: 'orch-a',
        status: 'ok',
        latencyMs: 3,
        message: 'healthy: orch-a leader, leader orch-a, term 7, 2/2 peers connected, 3 agents, 1 active runs',
        hint: '',
        lastSuccess: 1_700_000_000_000,
      },
      {
        component: 'orchestrator /cluster/health',
        target: 'http://orch-b:4000',
        instance: 'orch-b',
        status: 'warning',
        latencyMs: 6,
        message: 'degraded: orch-b follower, leader orch-a, term 7, 1/2 peers connected, 0 agents, 0 active runs',
        hint: '',
        lastSuccess: 1_700_000_000_000,
      },
      {
        component: 'Platform',
        target: '',
        instance: null,
        status: 'not configured',
        latencyMs: null,
        message: 'not configured (optional)',
        hint: '',
        lastSuccess: null,
      },
    ],
    'health'
  ) as never
);

/** The known answer: success 95 s, failed 40 s, cancelled 10 s, running -> 33.3 %, 48.3 s; 1 queued, 1 running. */
const metrics = (refId: string) =>
  toDataFrame(
    metricsFrame(
      {
        total_runs: 4,
        success_runs: 1,
        finished_runs: 3,
        success_rate_pct: 33.3,
        avg_duration_s: 48.3,
        queued_jobs: 1,
        running_jobs: 1,
      },
      { refId, windowText: 'in the last 24 h', executed: 'execution metrics: last 24 h' }
    ) as never
  );

const dlqDepth = toDataFrame({
  refId: 'dlqDepth',
  fields: [{ name: 'depth', type: FieldType.number, values: [3], config: { displayName: 'DLQ depth' } }],
});

const orphans = toDataFrame(
  orphansFrame(
    [
      platformFinding({ configured: false }),
      ...analogueFindings({ stale_claims: 2, ephemeral_awaiting: 0, ephemeral_past_ttl: 0 }, 0),
    ],
    'orphanedConnections'
  ) as never
);

const executions = (range: { from: number; to: number }) =>
  toDataFrame(
    seriesFrame(
      [
        { bucket: 0, status: 'success', runs: 2 },
        { bucket: 1, status: 'failed', runs: 1 },
        { bucket: 1, status: 'pending', runs: 4 },
        { bucket: 2, status: 'running', runs: 1 },
      ],
      range,
      Math.ceil((range.to - range.from) / 3),
      'executions'
    ) as never
  );

describe('overview page', () => {
  let requests: Array<DataQueryRequest<KiciQuery>>;

  beforeEach(() => {
    requests = [];
    installOverviewPanelStubs();
    setDataSourceSrv(dataSourceSrvStub([KICI], { kici: new DataSource(KICI as never) }));
    setRunRequest((_ds: DataSourceApi, request: DataQueryRequest) => {
      requests.push(request as DataQueryRequest<KiciQuery>);
      const target = request.targets[0] as KiciQuery;
      const range = { from: request.range.from.valueOf(), to: request.range.to.valueOf() };
      const byType: Record<string, () => DataFrame> = {
        health: () => healthFrame,
        executionMetrics: () => metrics(target.refId),
        dlqDepth: () => dlqDepth,
        orphanedConnections: () => orphans,
        executions: () => executions(range),
      };
      const data: PanelData = {
        state: LoadingState.Done,
        series: [byType[target.queryType!]()],
        timeRange: request.range,
      };
      return of(data);
    });
  });

  function renderAt(path: string) {
    const app = new SceneApp({ pages: [overviewPage(KICI)] });
    render(
      <AtPath path={path}>
        <app.Component model={app} />
      </AtPath>
    );
  }

  const panel = (title: string) => screen.findByTestId(`data-testid Panel header ${title}`);
  /** The stat of a panel once its data arrived (a stat shows "No data" until then). */
  const stat = async (title: string) => {
    const p = await panel(title);
    return waitFor(() => {
      const el = within(p).getByTestId('stat');
      expect(el.textContent).not.toBe('No data');
      return el;
    });
  };
  const cells = (row: HTMLElement) =>
    within(row)
      .getAllByRole('cell')
      .map((c) => c.textContent);
  const named = (color: string) => config.theme2.visualization.getColorByName(color);
  const queryTypes = () => requests.map((r) => (r.targets[0] as KiciQuery).queryType);

  it('a failing datasource gets one message at the top: the health check’s, and where to fix it (issue 17 item 6)', async () => {
    const healthCalls: string[] = [];
    setBackendSrv({
      fetch: (o: { url: string }) => {
        healthCalls.push(o.url);
        // Grafana answers a failed health check with 400 and the health result as the body.
        return throwError(() => ({
          status: 400,
          data: { status: 'ERROR', message: 'PostgreSQL: password authentication failed for user "kici_reader"' },
        }));
      },
    } as never);
    setRunRequest((_ds: DataSourceApi, request: DataQueryRequest) =>
      of({
        state: LoadingState.Error,
        series: [],
        errors: [{ message: 'connect ECONNREFUSED 127.0.0.1:5432', refId: request.targets[0].refId }],
        timeRange: request.range,
      } as PanelData)
    );
    renderAt('/a/kici-ops-app/overview');
    const banner = await screen.findByTestId(testIds.datasourceProblem);
    expect(banner).toHaveTextContent('The KiCI datasource is failing its health check');
    expect(banner).toHaveTextContent('PostgreSQL: password authentication failed for user "kici_reader"');
    expect(within(banner).getByRole('link', { name: 'Fix it in the KiCI datasource settings' })).toHaveAttribute(
      'href',
      '/connections/datasources/edit/kici'
    );
    expect(screen.getAllByTestId(testIds.datasourceProblem)).toHaveLength(1);
    expect(healthCalls).toEqual(['/api/datasources/uid/kici/health']);
  });

  it('shows the health matrix rows the datasource returns, status coloured', async () => {
    renderAt('/a/kici-ops-app/overview');
    const rows = await within(await panel('Health')).findAllByTestId('table-row');
    expect(rows).toHaveLength(5);

    expect(cells(rows[0])).toEqual([
      'PostgreSQL',
      'postgres:5432/kici',
      '—',
      'ok',
      '4 ms',
      'schema 0.9 (42 migrations)',
      '—',
      expect.stringMatching(/^2023-11-1[45] /),
    ]);
    expect(cells(rows[1])[0]).toBe('orchestrator /ready');
    expect(cells(rows[1])[4]).toBe('5.00 s');
    // An orchestrator row names the node answering at its URL.
    expect(cells(rows[2]).slice(0, 3)).toEqual(['orchestrator /cluster/health', 'http://orch-a:4000', 'orch-a']);
    // A check without a latency (not run) shows the no-value mark, not 0.
    expect(cells(rows[4])[4]).toBe('—');

    const status = (row: HTMLElement) => row.querySelector('[data-field="status"]')!.getAttribute('data-color');
    expect(status(rows[0])).toBe(named('green'));
    expect(status(rows[1])).toBe(named('red'));
    expect(status(rows[3])).toBe(named('orange'));
    expect(status(rows[4])).toBe('#00000000'); // transparent: no background for a check that did not run
    expect(rows[0].querySelector('[data-field="status"]')!.getAttribute('data-cell-type')).toBe('color-background');
  });

  it('shows the 24 h execution metrics, each stat linking to its detail with the time range', async () => {
    renderAt('/a/kici-ops-app/overview');
    expect((await stat('Total runs')).textContent).toBe('4');
    expect((await stat('Success rate')).textContent).toBe('33.3%');
    expect((await stat('Average duration')).textContent).toBe('48.3 s');
    expect((await stat('Active jobs')).textContent).toBe('2');
    expect((await stat('Queued jobs')).textContent).toBe('1');
    expect((await stat('Running jobs')).textContent).toBe('1');

    // 33.3 % is below 80 %: red. One queued job is far from KiCI's saturation threshold: green.
    expect((await stat('Success rate')).getAttribute('data-color')).toBe(named(STAT_COLORS.bad));
    expect((await stat('Queued jobs')).getAttribute('data-color')).toBe(named(STAT_COLORS.ok));

    const href = async (title: string) =>
      within(await stat(title))
        .getByRole('link')
        .getAttribute('href');
    expect(await href('Total runs')).toBe('/a/kici-ops-app/overview/runs?from=now-24h&to=now&timezone=browser');
    expect(await href('Success rate')).toBe('/a/kici-ops-app/overview/runs?from=now-24h&to=now&timezone=browser');
    expect(await href('Average duration')).toBe('/a/kici-ops-app/overview/runs?from=now-24h&to=now&timezone=browser');
    expect(await href('Active jobs')).toBe('/a/kici-ops-app/overview/queue?from=now-24h&to=now&timezone=browser');
    expect(await href('Queued jobs')).toBe('/a/kici-ops-app/overview/queue?from=now-24h&to=now&timezone=browser');
    expect(await href('Running jobs')).toBe('/a/kici-ops-app/overview/queue?from=now-24h&to=now&timezone=browser');
  });

  it('shows the success-rate definition on the page, the same words as the backend', async () => {
    renderAt('/a/kici-ops-app/overview');
    const definition = await screen.findByTestId(testIds.overview.successRateDefinition);
    expect(definition).toHaveTextContent(`Success rate = ${SUCCESS_RATE_DEFINITION}`);
    const { SUCCESS_RATE_DEFINITION: backend } = jest.requireActual('../../backend/features/executions/frames');
    expect(SUCCESS_RATE_DEFINITION).toBe(backend);
  });

  it('shows the DLQ depth now, orange when events wait, linking to the DLQ page', async () => {
    renderAt('/a/kici-ops-app/overview');
    const depth = await stat('DLQ depth');
    expect(depth.textContent).toBe('3');
    expect(depth.getAttribute('data-color')).toBe(named(STAT_COLORS.warn));
    expect(within(depth).getByRole('link')).toHaveAttribute('href', '/a/kici-ops-app/dlq');
  });

  it('shows the cluster status: one row per orchestrator from /cluster/health, coloured', async () => {
    renderAt('/a/kici-ops-app/overview');
    const rows = await within(await panel('Cluster status')).findAllByTestId('table-row');
    expect(rows.map(cells)).toEqual([
      [
        'orch-a',
        'http://orch-a:4000',
        'ok',
        'healthy: orch-a leader, leader orch-a, term 7, 2/2 peers connected, 3 agents, 1 active runs',
        '—',
        expect.any(String),
      ],
      [
        'orch-b',
        'http://orch-b:4000',
        'warning',
        'degraded: orch-b follower, leader orch-a, term 7, 1/2 peers connected, 0 agents, 0 active runs',
        '—',
        expect.any(String),
      ],
    ]);
    const status = rows.map((r) => r.querySelector('[data-field="status"]')!.getAttribute('data-color'));
    expect(status).toEqual([named('green'), named('orange')]);
  });

  it('shows orphaned connections: the Platform row says why it is empty, the analogues are labelled as such', async () => {
    renderAt('/a/kici-ops-app/overview');
    const rows = await within(await panel('Orphaned connections')).findAllByTestId('table-row');
    expect(rows).toHaveLength(5);
    const [platform, stale] = rows.map(cells);
    expect(platform.slice(0, 4)).toEqual(['Orphaned Platform connections', 'Platform', '—', 'not configured']);
    expect(platform[5]).toMatch(/older than 6 minutes/);
    expect(stale.slice(0, 4)).toEqual([
      'Agent connections not seen within the grace period',
      'orchestrator analogue',
      '2',
      'warning',
    ]);
    expect(rows[1].querySelector('[data-field="status"]')!.getAttribute('data-color')).toBe(named('orange'));
    expect(rows.slice(1).every((r) => cells(r)[1] === 'orchestrator analogue')).toBe(true);
  });

  it('sends each query once to the KiCI datasource: the matrix and the cluster status share the health query', async () => {
    renderAt('/a/kici-ops-app/overview');
    await within(await panel('Cluster status')).findAllByTestId('table-row');
    await stat('Total runs');
    expect(queryTypes().sort()).toEqual(['dlqDepth', 'executionMetrics', 'health', 'orphanedConnections']);
    expect(
      requests.every((r) => r.targets.every((t) => (t as { datasource?: { uid?: string } }).datasource?.uid === 'kici'))
    ).toBe(true);
    const metricsQuery = requests.find((r) => r.targets[0].queryType === 'executionMetrics')!.targets[0];
    expect(metricsQuery.useTimeRange).toBeUndefined(); // KiCI's 24 h snapshot, whatever the picker says
    const depthQuery = requests.find((r) => r.targets[0].queryType === 'dlqDepth')!.targets[0];
    expect(depthQuery.series).toBeUndefined(); // the number now, not the admissions series
  });

  it('refreshes every 30 seconds, like the execution metrics on KiCI monitoring page', async () => {
    const picker = overviewScene(KICI).state.controls?.find(
      (c) => c instanceof SceneRefreshPicker
    ) as SceneRefreshPicker;
    expect(picker.state.refresh).toBe('30s');
    renderAt('/a/kici-ops-app/overview');
    expect(
      screen.getByRole('button', { name: 'Choose refresh time interval with current interval 30 seconds selected' })
    ).toBeInTheDocument();
    // The panels load their plugin and data after the first render; let them finish inside the test.
    await stat('Running jobs');
  });

  it('drills down to runs by status over the time range, one coloured series per status', async () => {
    renderAt('/a/kici-ops-app/overview/runs?from=now-6h&to=now');
    const series = await within(await panel('Runs by status')).findAllByTestId('series');
    expect(series.map((s) => s.textContent)).toEqual([
      'success: 2',
      'failed: 1',
      'cancelled: 0',
      'running: 1',
      'pending: 4',
      'cancelling: 0',
      'held: 0',
    ]);
    expect(series[0].getAttribute('data-color')).toBe('green');
    expect(series[1].getAttribute('data-color')).toBe('red');

    const executions = requests.find((r) => r.targets[0].queryType === 'executions')!;
    expect(executions.range.to.valueOf() - executions.range.from.valueOf()).toBe(6 * 3600 * 1000);
    // The range stats use the picker's range, not the 24 h snapshot.
    const metricsQuery = requests.find((r) => r.targets[0].queryType === 'executionMetrics')!.targets[0];
    expect(metricsQuery.useTimeRange).toBe(true);
    expect((await stat('Success rate')).textContent).toBe('33.3%');
  });

  it('drills down to the queue: stats now and only the runs that have not finished', async () => {
    renderAt('/a/kici-ops-app/overview/queue');
    const series = await within(await panel('Runs not finished')).findAllByTestId('series');
    expect(series.map((s) => s.textContent)).toEqual(['running: 1', 'pending: 4', 'cancelling: 0', 'held: 0']);
    expect((await stat('Queued jobs')).textContent).toBe('1');
    expect(screen.queryByTestId('data-testid Panel header Total runs')).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Infrastructure' })).toHaveAttribute(
      'href',
      '/a/kici-ops-app/infrastructure'
    );
  });
});
