// The bridge over real HTTP in front of the real executable and kici-sim (cluster-3), with the settings read
// from provisioning/: queries, resources, health, the session's role, and secrets staying in the bridge.
// Needs `npm run build:backend -- --host-only` and `npm run build:frontend` (dist/plugin.json files).
import { startStack, type Stack } from './stack';

jest.setTimeout(120_000);

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    scenarios: ['cluster-3'],
    pgUrl: process.env.KICI_TEST_PG_URL,
    port: 0,
    databasePrefix: `bridge_${process.pid}`,
  });
});
afterAll(async () => {
  await stack?.stop();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(stack.url + path, { headers });
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(stack.url + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

interface FrameJSON {
  schema: { refId?: string; fields: Array<{ name: string; type: string }> };
  data: { values: unknown[][] };
}

it('answers /api/ds/query with the health frame of the executable, in Grafana JSON', async () => {
  const now = Date.now();
  const res = await post('/api/ds/query', {
    queries: [{ refId: 'H', queryType: 'health', datasource: { uid: 'kici', type: 'kici-ops-datasource' } }],
    from: String(now - 3_600_000),
    to: String(now),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { results: Record<string, { status: number; frames: FrameJSON[] }> };
  const frame = body.results.H.frames[0];
  expect(body.results.H.status).toBe(200);
  const names = frame.schema.fields.map((f) => f.name);
  expect(names).toEqual(expect.arrayContaining(['component', 'target', 'status']));
  const col = (n: string) => frame.data.values[names.indexOf(n)] as string[];
  const { nodes } = stack.state().scenarios[0];
  const down = nodes.find((n) => n.fault === 'down')!;
  const healthRow = (url: string) =>
    col('status')[col('target').findIndex((t, i) => t === url && col('component')[i] === 'orchestrator /health')];
  expect(healthRow(nodes[0].url)).toBe('ok');
  expect(healthRow(down.url)).toBe('error');
});

it('refuses a query body without queries, an unknown datasource and expressions with 400 and a message', async () => {
  const empty = await post('/api/ds/query', { queries: [] });
  expect(empty.status).toBe(400);
  expect(await empty.json()).toEqual({ message: 'no queries found' });
  const unknown = await post('/api/ds/query', { queries: [{ refId: 'A', datasource: { uid: 'nope' } }] });
  expect(unknown.status).toBe(400);
  expect(((await unknown.json()) as { message: string }).message).toBe('datasource "nope" was not found');
  const expr = await post('/api/ds/query', { queries: [{ refId: 'A', datasource: { uid: '__expr__' } }] });
  expect(expr.status).toBe(400);
  const broken = await fetch(stack.url + '/api/ds/query', { method: 'POST', body: '{not json' });
  expect(broken.status).toBe(400);
});

it('answers 400 when a query fails in the backend, as Grafana does', async () => {
  const res = await post('/api/ds/query', {
    queries: [{ refId: 'X', queryType: 'noSuchType', datasource: { uid: 'kici' } }],
  });
  expect(res.status).toBe(400);
  const body = (await res.json()) as { results: Record<string, { error?: string }> };
  expect(body.results.X.error).toBeTruthy();
});

it('keeps secure settings in the bridge: lists only which keys are set', async () => {
  const res = await get('/api/datasources');
  const list = (await res.json()) as Array<{ uid: string; secureJsonFields: Record<string, boolean>; jsonData: any }>;
  expect(list.map((d) => d.uid)).toEqual(['kici', 'kici-self-hosted', 'kici-failing', 'loki']);
  expect(list[0].secureJsonFields).toEqual({ pgPassword: true, adminToken: true, platformToken: true });
  // The self-hosted view of the same sim has no Platform at all.
  expect(list[1].secureJsonFields).toEqual({ pgPassword: true, adminToken: true });
  expect(list[1].jsonData.platformUrl).toBeUndefined();
  expect(list[0].jsonData.orchestratorUrls).toEqual(stack.sims[0].sim.nodes.map((n) => n.url));
  const page = await (await get('/a/kici-ops-app/overview')).text();
  for (const secret of [stack.sims[0].sim.tokens.admin, 'kici_reader', stack.sims[0].sim.spec.platform!.token]) {
    expect(JSON.stringify(list)).not.toContain(secret === 'kici_reader' ? '"pgPassword":"' : secret);
    expect(page).not.toContain(secret === 'kici_reader' ? '"pgPassword":"' : secret);
  }
});

it('puts the role chosen with ?role= into the page and, through the cookie, into the plugin context', async () => {
  const page = await get('/a/kici-ops-app/overview?role=viewer');
  expect(page.headers.get('set-cookie')).toContain('kici_host_role=Viewer');
  expect(await page.text()).toContain('"orgRole":"Viewer"');

  const asViewer = await get('/api/datasources/uid/kici/resources/dlq/permissions', {
    Cookie: 'kici_host_role=Viewer',
  });
  expect(asViewer.status).toBe(200);
  const viewer = (await asViewer.json()) as { canRetry: boolean; user: { role: string } };
  expect(viewer.user.role).toBe('Viewer');
  expect(viewer.canRetry).toBe(false);
  const admin = (await (await get('/api/datasources/uid/kici/resources/dlq/permissions')).json()) as {
    canRetry: boolean;
    user: { role: string };
  };
  expect(admin.user.role).toBe('Admin');
  expect(admin.canRetry).toBe(true);

  const bad = await get('/a/kici-ops-app/overview?role=Root');
  expect(bad.status).toBe(400);
  expect(await bad.text()).toBe('unknown role "Root": use one of Viewer, Editor, Admin');
});

it('forwards a forced DLQ retry as a Viewer and returns the backend refusal', async () => {
  const { rows } = await stack.sims[0].sim.pool.query(`SELECT id FROM kici_events WHERE dlq_at IS NOT NULL LIMIT 1`);
  const res = await fetch(`${stack.url}/api/datasources/uid/kici/resources/dlq/${rows[0].id}/retry`, {
    method: 'POST',
    headers: { Cookie: 'kici_host_role=Viewer' },
  });
  expect(res.status).toBe(403);
  const still = await stack.sims[0].sim.pool.query(`SELECT dlq_at FROM kici_events WHERE id = $1`, [rows[0].id]);
  expect(still.rows[0].dlq_at).not.toBeNull();
});

it('answers the datasource health check through CheckHealth: 400 ERROR naming the unreachable node', async () => {
  const res = await get('/api/datasources/uid/kici/health');
  const body = (await res.json()) as { status: string; message: string };
  expect([res.status, body.status]).toEqual([400, 'ERROR']);
  const down = stack.state().scenarios[0].nodes.find((n) => n.fault === 'down')!;
  expect(body.message).toContain(down.url);
});

it('serves the built plugin and refuses paths outside dist', async () => {
  const mod = await get('/public/plugins/kici-ops-app/module.js');
  expect(mod.status).toBe(200);
  expect(await mod.text()).toMatch(/^\/\* \[create-plugin\]/);
  const escape = await get('/public/plugins/kici-ops-app/..%2F..%2Fpackage.json');
  expect(escape.status).toBe(404);
  const missing = await get('/api/dashboards/home');
  expect(missing.status).toBe(404);
});

it("answers Loki queries from the sims' log lines and refuses what the stand-in does not evaluate", async () => {
  // Every request the bridge made above was logged by the sim's orchestrators (`Request completed`).
  const now = Date.now();
  const query = (expr: string) =>
    post('/api/ds/query', {
      queries: [{ refId: 'L', expr, queryType: 'range', datasource: { uid: 'loki', type: 'loki' } }],
      from: String(now - 3_600_000),
      to: String(now + 60_000),
    });
  const res = await query('{service="orchestrator"} |= "Request completed" | json | status="200"');
  expect(res.status).toBe(200);
  const body = (await res.json()) as { results: { L: { frames: FrameJSON[] } } };
  const frame = body.results.L.frames[0];
  expect(frame.schema.fields.map((f) => f.name)).toEqual(['labels', 'Time', 'Line', 'tsNs', 'id']);
  const lines = frame.data.values[2] as string[];
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.every((l) => JSON.parse(l).message === 'Request completed' && JSON.parse(l).status === 200)).toBe(true);
  expect(stack.logs.entries.length).toBeGreaterThanOrEqual(lines.length);

  const bad = await query('sum(count_over_time({service="orchestrator"}[5m]))');
  expect(bad.status).toBe(400);
  expect(JSON.stringify(await bad.json())).toContain('log queries only');
});
