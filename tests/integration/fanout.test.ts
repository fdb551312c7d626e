// The fan-outs (issue 14 item 13): health checks orchestrator URLs concurrently and caps the list, the token check
// does not wait for one dead node before asking the next, and a Platform URL that never answers does not add its
// timeout to the self-hosted fallback of GET infrastructure. Black holes are loopback listeners that accept and
// never answer. Timings are asserted only with a wide margin (the exact numbers are in bench/fanout.ts).
import http from 'node:http';
import net from 'node:net';

import { startSim, type Sim } from '../../dev/kici-sim/sim';
import { createTestDatabase, type TestDatabase } from '../../dev/testing/postgres';
import { KiciDatasource } from '../../src/backend/datasource';
import { MAX_HEALTH_ORCHESTRATORS } from '../../src/backend/features/health/checks';
import type { DataQuery, RequestContext } from '../../src/backend/protocol/types';
import { datasourceSettings, silentLogger as log } from '../../src/backend/protocol/testing';

jest.setTimeout(60_000);

let db: TestDatabase;
let sim: Sim;
const holes: net.Server[] = [];

async function blackHole(): Promise<string> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => sockets.push(s));
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  holes.push(server);
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

beforeAll(async () => {
  db = await createTestDatabase('fanout');
  sim = await startSim({ scenario: 'healthy-single', layout: '0.9', pgUrl: db.url });
});
afterAll(async () => {
  for (const h of holes) {
    h.close();
  }
  await sim?.stop();
  await db?.drop();
});

const ctx = (): RequestContext => ({
  plugin: {
    orgId: 1,
    pluginId: 'kici-ops-datasource',
    pluginVersion: '0.1.0',
    user: { login: 'admin', name: 'admin', email: '', role: 'Admin' },
    grafanaConfig: {},
    userAgent: '',
  },
  log,
  signal: new AbortController().signal,
});

async function timed<T>(p: Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await p;
  return { value, ms: performance.now() - t0 };
}

it('the token check asks the live node without first waiting out a dead one', async () => {
  const dead = await Promise.all([blackHole(), blackHole(), blackHole()]);
  const ds = new KiciDatasource(
    datasourceSettings(
      { orchestratorUrls: [...dead, sim.nodes[0].url], httpTimeoutMs: 4_000 },
      { adminToken: sim.tokens.auditor }
    ),
    log
  );
  try {
    const { value, ms } = await timed(ds.checkHealth(ctx()));
    const rows = (value.details as { checks: Array<{ component: string; target: string; status: string }> }).checks;
    expect(rows.find((r) => r.component === 'admin token')).toMatchObject({ target: sim.nodes[0].url, status: 'ok' });
    // Serially: 3 × 4 s before the live node is asked. Concurrently: one timeout at most.
    expect(ms).toBeLessThan(4_000 + 2_000);
  } finally {
    await ds.dispose();
  }
});

it(`health checks at most ${MAX_HEALTH_ORCHESTRATORS} orchestrator URLs and says so`, async () => {
  const urls = Array.from({ length: MAX_HEALTH_ORCHESTRATORS + 6 }, (_, i) => `http://127.0.0.1:${1 + i}`);
  const ds = new KiciDatasource(datasourceSettings({ orchestratorUrls: urls, httpTimeoutMs: 500 }, {}), log);
  try {
    const res = await ds.checkHealth(ctx());
    const rows = (res.details as { checks: Array<{ component: string; target: string; message: string }> }).checks;
    expect(rows.filter((r) => r.component === 'orchestrator /health').map((r) => r.target)).toEqual(
      urls.slice(0, MAX_HEALTH_ORCHESTRATORS)
    );
    expect(rows).toContainEqual(
      expect.objectContaining({
        component: 'settings',
        target: 'orchestratorUrls',
        message: `orchestratorUrls lists ${urls.length} URLs: health checks the first ${MAX_HEALTH_ORCHESTRATORS}`,
      })
    );
  } finally {
    await ds.dispose();
  }
});

it('the health answer with half of 40 URLs black holes stays within one httpTimeoutMs and a margin', async () => {
  const dead = await Promise.all(Array.from({ length: 20 }, blackHole));
  const refused = Array.from({ length: 20 }, (_, i) => `http://127.0.0.1:${1 + i}`);
  const ds = new KiciDatasource(
    datasourceSettings({ orchestratorUrls: [...dead, ...refused], httpTimeoutMs: 2_000 }, { adminToken: 'x' }),
    log
  );
  try {
    const { value, ms } = await timed(ds.checkHealth(ctx()));
    expect(value.status).toBe('ERROR');
    expect(ms).toBeLessThan(2_000 + 2_000);
  } finally {
    await ds.dispose();
  }
});

it('GET infrastructure with a Platform that never answers takes one timeout, not two', async () => {
  const platformUrl = await blackHole();
  // One node down as well: its probe takes the whole timeout, after the Platform's if the two run in turn.
  const deadNode = await blackHole();
  const ds = new KiciDatasource(
    datasourceSettings(
      {
        orchestratorUrls: [sim.nodes[0].url, deadNode],
        httpTimeoutMs: 3_000,
        platformUrl,
        platformOrg: 'acme',
        latestVersionSource: 'none',
      },
      { adminToken: sim.tokens.auditor, platformToken: 'p' }
    ),
    log
  );
  try {
    const base = { url: '', query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0) };
    const { value, ms } = await timed(ds.callResource({ ...base, method: 'GET', path: 'infrastructure' }, ctx()));
    expect(value.status).toBe(200);
    const body = value.body as { alerts: Array<{ type: string }>; orchestrators: unknown[] };
    expect(body.alerts.map((a) => a.type)).toContain('platform_unavailable');
    expect(body.orchestrators.length).toBeGreaterThan(0);
    expect(ms).toBeLessThan(3_000 * 1.5);
  } finally {
    await ds.dispose();
  }
});

it('without PostgreSQL, GET secret-backends asks every node at once: a dead first node costs no timeout', async () => {
  const dead = await blackHole();
  const ds = new KiciDatasource(
    datasourceSettings(
      { orchestratorUrls: [dead, sim.nodes[0].url], httpTimeoutMs: 4_000 },
      { adminToken: sim.tokens.admin }
    ),
    log
  );
  try {
    const base = { url: '', query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0) };
    const { value, ms } = await timed(ds.callResource({ ...base, method: 'GET', path: 'secret-backends' }, ctx()));
    expect(value.status).toBe(200);
    expect(value.body).toMatchObject({ source: 'admin API' });
    expect(ms).toBeLessThan(4_000);
  } finally {
    await ds.dispose();
  }
});

/** A node that answers every request with 200 `{}` after `delayMs`, counting the requests. */
async function countingNode(delayMs: number): Promise<{ url: string; requests: () => number }> {
  let n = 0;
  const server = http.createServer((_req, res) => {
    n++;
    setTimeout(() => res.end('{}'), delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  holes.push(server as unknown as net.Server);
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, requests: () => n };
}

const healthQuery: DataQuery = {
  refId: 'H',
  queryType: 'health',
  maxDataPoints: 100,
  intervalMs: 1000,
  timeRange: { from: 0, to: 1 },
  json: { refId: 'H', queryType: 'health' },
};

it('callers of one instance asking for health at the same moment share one probe of each node', async () => {
  const node = await countingNode(50);
  const ds = new KiciDatasource(datasourceSettings({ orchestratorUrls: [node.url], httpTimeoutMs: 4_000 }), log);
  try {
    const one = await ds.query(healthQuery, ctx());
    const perMatrix = node.requests();
    expect(perMatrix).toBeGreaterThan(2);

    const ten = await Promise.all(Array.from({ length: 10 }, () => ds.query(healthQuery, ctx())));
    expect(node.requests()).toBe(2 * perMatrix);
    // One run: the same rows, latencies included, for every caller.
    for (const r of ten) {
      expect(r.frames).toEqual(ten[0].frames);
    }
    expect(ten[0].frames).toHaveLength(one.frames.length);

    const before = node.requests();
    const checks = await Promise.all(Array.from({ length: 5 }, () => ds.checkHealth(ctx())));
    const perCheck = node.requests() - before;
    await ds.checkHealth(ctx());
    expect(node.requests() - before).toBe(2 * perCheck);
    expect(new Set(checks.map((c) => c.message)).size).toBe(1);
  } finally {
    await ds.dispose();
  }
});

it('a health caller that goes away does not cancel the probe the others wait for', async () => {
  const node = await countingNode(300);
  const ds = new KiciDatasource(datasourceSettings({ orchestratorUrls: [node.url], httpTimeoutMs: 4_000 }), log);
  try {
    const leaving = new AbortController();
    const gone = ds.query(healthQuery, { ...ctx(), signal: leaving.signal });
    const staying = ds.query(healthQuery, ctx());
    setTimeout(() => leaving.abort(), 50);
    await expect(gone).rejects.toMatchObject({ message: expect.stringContaining('cancelled') });
    const rows = (await staying).frames;
    expect(JSON.stringify(rows)).not.toContain('cancelled');
  } finally {
    await ds.dispose();
  }
});
