// Execution metrics, secret backends (Sync/Test per Grafana role), the health matrix and orphaned
// connections through the compiled executable (the real gRPC path Grafana uses), against kici-sim
// and a real PostgreSQL. Needs `npm run build:backend -- --host-only`.
import { startSim, type Sim } from '../../dev/kici-sim/sim';
import { startPlugin, type DatasourceSettingsInput, type PluginProcess } from '../../dev/testing/plugin-process';
import { createTestDatabase, type TestDatabase } from '../../dev/testing/postgres';

jest.setTimeout(60_000);

let plugin: PluginProcess;
let db: TestDatabase;
let sim: Sim;

beforeAll(async () => {
  db = await createTestDatabase('executions_exe');
  sim = await startSim({ scenario: 'secrets-degraded', layout: '0.9', pgUrl: db.url });
  plugin = await startPlugin();
});
afterAll(async () => {
  await plugin?.stop();
  await sim?.stop();
  await db?.drop();
});

function settings(): DatasourceSettingsInput {
  const u = new URL(db.url);
  return {
    uid: 'kici-h8',
    jsonData: {
      pgHost: u.hostname,
      pgPort: Number(u.port),
      pgDatabase: u.pathname.slice(1),
      pgUser: u.username,
      orchestratorUrls: sim.nodes.map((n) => n.url),
    },
    secureJsonData: { pgPassword: decodeURIComponent(u.password), adminToken: sim.tokens.auditor },
  };
}

it('answers executionMetrics with the known numbers and executions as a time series', async () => {
  const now = Date.now();
  const out = await plugin.queryData(settings(), [
    { refId: 'M', queryType: 'executionMetrics' },
    {
      refId: 'S',
      queryType: 'executions',
      json: { refId: 'S', queryType: 'executions', useTimeRange: true },
      timeRange: { from: now - 24 * 3_600_000, to: now },
      intervalMs: 3_600_000,
      maxDataPoints: 100,
    },
  ]);
  expect(out.M.status).toBe(200);
  const m = out.M.frames[0];
  const v = (name: string) => m.fields.find((f) => f.name === name)!.values[0];
  expect([
    v('total_runs'),
    v('success_rate'),
    v('avg_duration'),
    v('queued_jobs'),
    v('running_jobs'),
    v('active_jobs'),
  ]).toEqual([4, 33.3, 48.3, 1, 1, 2]);
  const s = out.S.frames[0];
  expect(s.fields[0].values).toHaveLength(24);
  const total = s.fields.slice(1).reduce((a, f) => a + (f.values as number[]).reduce((x, y) => x + Number(y), 0), 0);
  expect(total).toBe(4);
  expect(s.fields.slice(1).map((f) => f.labels?.status)).toEqual([
    'success',
    'failed',
    'cancelled',
    'running',
    'pending',
    'cancelling',
    'held',
  ]);
});

it('Sync and Test: Viewer refused, Editor gets the failed sync and the unreachable Vault', async () => {
  const viewer = await plugin.callResource(
    settings(),
    { method: 'POST', path: 'secret-backends/vault-prod/sync' },
    { role: 'Viewer' }
  );
  expect(viewer.status).toBe(403);
  expect(viewer.json).toEqual({ error: 'this action needs the Editor role; viewer has Viewer' });

  const test = await plugin.callResource(
    settings(),
    { method: 'POST', path: 'secret-backends/vault-prod/test' },
    { role: 'Editor' }
  );
  expect(test.status).toBe(200);
  expect(test.json).toMatchObject({ ok: false, error: 'Backend status: unreachable' });

  const sync = await plugin.callResource(
    settings(),
    { method: 'POST', path: 'secret-backends/vault-prod/sync' },
    { role: 'Editor' }
  );
  expect(sync.status).toBe(200);
  expect(sync.json).toMatchObject({ action: 'sync', ok: false, verified: true, reportedScopeCount: 0 });
  expect(typeof (sync.json as { error: string }).error).toBe('string');

  const list = await plugin.callResource(settings(), { method: 'GET', path: 'secret-backends' }, { role: 'Viewer' });
  expect(list.json).toMatchObject({ canSync: false, canTest: false, source: 'database' });
});

it('answers secretBackends, orphanedConnections and the health matrix as frames', async () => {
  const out = await plugin.queryData(settings(), [
    { refId: 'B', queryType: 'secretBackends' },
    { refId: 'O', queryType: 'orphanedConnections' },
    { refId: 'H', queryType: 'health' },
  ]);
  const col = (refId: string, name: string) => out[refId].frames[0].fields.find((f) => f.name === name)!.values;
  expect(col('B', 'name')).toEqual(['pg', 'vault-dr', 'vault-prod']);
  expect(col('B', 'health_status')).toEqual(['healthy', 'degraded', 'unreachable']);
  expect(col('O', 'kind')).toEqual([
    'platform_orphaned_connections',
    'stale_agent_connections',
    'ephemeral_awaiting_reaper',
    'ephemeral_past_reaper_ttl',
    'dead_coordinators',
  ]);
  expect(col('O', 'count').slice(1).map(Number)).toEqual([1, 1, 0, 0]);
  const components = col('H', 'component');
  for (const c of ['orchestrator /cluster/health', 'orchestrator /cluster/peers', 'orchestrator /cluster/runs']) {
    expect(components).toContain(c);
  }
  expect(out.H.frames[0].fields.map((f) => f.name)).toEqual([
    'component',
    'target',
    'instance',
    'status',
    'latency_ms',
    'message',
    'hint',
    'last_success',
    'up',
  ]);
});
