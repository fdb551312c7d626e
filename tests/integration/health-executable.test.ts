// CheckHealth, the health query and schemaInfo through the compiled executable (the real gRPC
// path Grafana uses), against kici-sim and a real PostgreSQL. Needs `npm run build:backend -- --host-only`.
import { startSim, type Sim } from '../../dev/kici-sim/sim';
import { startPlugin, type DatasourceSettingsInput, type PluginProcess } from '../../dev/testing/plugin-process';
import { createTestDatabase, type TestDatabase } from '../../dev/testing/postgres';

jest.setTimeout(60_000);

let plugin: PluginProcess;
let db: TestDatabase;
let sim: Sim;

beforeAll(async () => {
  db = await createTestDatabase('health_exe');
  sim = await startSim({ scenario: 'healthy-single', layout: '0.9', pgUrl: db.url });
  plugin = await startPlugin();
});
afterAll(async () => {
  await plugin?.stop();
  await sim?.stop();
  await db?.drop();
});

function configured(extra: Record<string, unknown> = {}, secure: Record<string, string> = {}): DatasourceSettingsInput {
  const u = new URL(db.url);
  return {
    uid: `kici-${Math.random().toString(16).slice(2)}`,
    jsonData: {
      pgHost: u.hostname,
      pgPort: Number(u.port),
      pgDatabase: u.pathname.slice(1),
      pgUser: u.username,
      orchestratorUrls: sim.nodes.map((n) => n.url),
      ...extra,
    },
    secureJsonData: { pgPassword: decodeURIComponent(u.password), adminToken: sim.tokens.auditor, ...secure },
  };
}

it('CheckHealth with nothing configured is ERROR naming pgHost and orchestratorUrls', async () => {
  const res = await plugin.checkHealth({ uid: 'empty', jsonData: {} });
  expect(res.status).toBe('ERROR');
  expect(res.message).toMatch(/pgHost.*orchestratorUrls/s);
});

it('CheckHealth against kici-sim is OK and lists every component', async () => {
  const res = await plugin.checkHealth(configured());
  expect(res.status).toBe('OK');
  expect(res.message).toContain(`orchestrator /health (${sim.nodes[0].url}): KiCI 0.9.1`);
  expect(res.message).toContain('role auditor');
  // The superuser can write: the health check recommends a read-only role, without failing.
  expect(res.message).toContain('can write to kici_events');
});

it('CheckHealth with a wrong password names the user', async () => {
  const res = await plugin.checkHealth(configured({}, { pgPassword: 'not-the-password' }));
  expect(res.status).toBe('ERROR');
  expect(res.message).toContain(`password authentication failed for user "${new URL(db.url).username}"`);
  expect(res.message).not.toContain('not-the-password');
});

it('answers health and schemaInfo queries as Arrow frames, and a bad query type per refId', async () => {
  const out = await plugin.queryData(configured(), [
    { refId: 'H', queryType: 'health' },
    { refId: 'S', queryType: 'schemaInfo' },
    { refId: 'X', queryType: 'nope' },
  ]);
  const health = out.H.frames[0];
  const col = (name: string) => health.fields.find((f) => f.name === name)!.values;
  expect(col('component')).toEqual([
    'PostgreSQL',
    'orchestrator /health',
    'orchestrator /ready',
    'orchestrator /cluster/health',
    'orchestrator /cluster/peers',
    'orchestrator /cluster/runs',
    'admin token',
    'agent /health',
    'Platform',
  ]);
  expect(col('status').slice(1, 7)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
  const schema = out.S.frames[0];
  expect(schema.fields.find((f) => f.name === 'layout')!.values).toEqual(['0.9']);
  expect(out.X.status).toBe(400);
  expect(out.X.error).toMatch(/^unknown query type "nope"; known types: health, schemaInfo, dlqEvents, /);
});

it('serves GET schema and 404s an unknown resource', async () => {
  const ok = await plugin.callResource(configured(), { method: 'GET', path: 'schema' });
  expect(ok.status).toBe(200);
  expect((ok.json as { layout: string }).layout).toBe('0.9');
  const nf = await plugin.callResource(configured(), { method: 'GET', path: 'nope' });
  expect(nf.status).toBe(404);
  expect(nf.json).toEqual({ error: 'no resource nope' });
});
