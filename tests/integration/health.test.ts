// CheckHealth and the `health` query against kici-sim over real loopback HTTP and a real PostgreSQL:
// healthy nodes, both layouts, a down node (the others still checked), a slow node past the
// timeout, garbage and oversized bodies, owner vs auditor vs bad tokens, the Platform.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

import { startSim, type Sim } from '../../dev/kici-sim/sim';
import { createTestDatabase, type TestDatabase } from '../../dev/testing/postgres';
import { KiciDatasource } from '../../src/backend/datasource';
import type { CheckRow } from '../../src/backend/features/health/checks';
import { datasourceSettings, silentLogger as log } from '../../src/backend/protocol/testing';
import type { Frame, RequestContext } from '../../src/backend/protocol/types';

jest.setTimeout(60_000);

const ctx = (): RequestContext => ({
  plugin: { orgId: 1, pluginId: 'kici-ops-datasource', pluginVersion: 'test', grafanaConfig: {}, userAgent: '' },
  log,
  signal: new AbortController().signal,
});

interface Env {
  db: TestDatabase;
  sim: Sim;
  reader: { user: string; password: string };
  stop(): Promise<void>;
}

async function startEnv(scenario: string, layout: '0.9' | '0.1' = '0.9'): Promise<Env> {
  const db = await createTestDatabase(`health_${scenario.replace(/-/g, '_')}`);
  const sim = await startSim({ scenario, layout, pgUrl: db.url });
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  const reader = { user: `kici_reader_${randomBytes(3).toString('hex')}`, password: randomBytes(12).toString('hex') };
  const database = new URL(db.url).pathname.slice(1);
  // Identifiers cannot be parameters: both are built from [a-z0-9_].
  await admin.query(`CREATE ROLE ${reader.user} LOGIN PASSWORD '${reader.password}'`);
  await admin.query(`GRANT CONNECT ON DATABASE "${database}" TO ${reader.user}`);
  await admin.query(`GRANT USAGE ON SCHEMA public TO ${reader.user}`);
  await admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${reader.user}`);
  await admin.end();
  return {
    db,
    sim,
    reader,
    async stop() {
      await sim.stop();
      await db.drop();
      // The role's grants went with the database; the role itself is cluster-wide.
      const su = new pg.Client({ connectionString: process.env.KICI_TEST_PG_URL });
      await su.connect();
      try {
        await su.query(`DROP ROLE IF EXISTS ${reader.user}`);
      } finally {
        await su.end();
      }
    },
  };
}

function datasource(
  env: Env,
  opts: { urls?: string[]; token?: string | null; platform?: boolean; httpTimeoutMs?: number } = {}
): KiciDatasource {
  const u = new URL(env.db.url);
  const jsonData: Record<string, unknown> = {
    pgHost: u.hostname,
    pgPort: Number(u.port),
    pgDatabase: u.pathname.slice(1),
    pgUser: env.reader.user,
    orchestratorUrls: opts.urls ?? env.sim.nodes.map((n) => n.url),
    httpTimeoutMs: opts.httpTimeoutMs ?? 2000,
  };
  const secure: Record<string, string> = { pgPassword: env.reader.password };
  if (opts.token !== null) {
    secure.adminToken = opts.token ?? env.sim.tokens.owner;
  }
  if (opts.platform && env.sim.platformUrl && env.sim.spec.platform) {
    jsonData.platformUrl = env.sim.platformUrl;
    jsonData.platformOrg = env.sim.spec.platform.org;
    secure.platformToken = env.sim.spec.platform.token;
  }
  return new KiciDatasource(datasourceSettings(jsonData, secure), log);
}

async function healthRows(ds: KiciDatasource): Promise<CheckRow[]> {
  const res = await ds.checkHealth(ctx());
  return (res.details as { checks: CheckRow[] }).checks;
}

const rowOf = (rows: CheckRow[], component: CheckRow['component'], target = '') =>
  rows.find((r) => r.component === component && r.target.startsWith(target))!;

describe('healthy-single (0.9) with the Platform', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv('healthy-single');
  });
  afterAll(() => env.stop());

  it('CheckHealth is OK and lists what works', async () => {
    const ds = datasource(env, { platform: true });
    try {
      const res = await ds.checkHealth(ctx());
      expect(res.status).toBe('OK');
      const url = env.sim.nodes[0].url;
      expect(res.message).toContain(`orchestrator /health (${url}): KiCI 0.9.1`);
      expect(res.message).toContain(`orchestrator /ready (${url}): ready (database, warm)`);
      expect(res.message).toContain('PostgreSQL');
      expect(res.message).toContain('KiCI 0.9 schema');
      expect(res.message).toContain('role owner: can retry and discard DLQ events');
      expect(res.message).toContain('Platform');
    } finally {
      await ds.dispose();
    }
  });

  it('the health query returns one row per endpoint, all ok', async () => {
    const ds = datasource(env, { platform: true });
    try {
      const res = await ds.query(
        {
          refId: 'H',
          queryType: 'health',
          maxDataPoints: 1,
          intervalMs: 1,
          timeRange: { from: 0, to: 1 },
          json: { refId: 'H', queryType: 'health' },
        },
        ctx()
      );
      const frame: Frame = res.frames[0];
      const col = (n: string) => frame.fields.find((f) => f.name === n)!.values;
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
        'Platform /health',
      ]);
      const status = (component: unknown) => col('status')[col('component').indexOf(component)];
      expect(
        col('component')
          .filter((c) => c !== 'agent /health')
          .map(status)
      ).toEqual(Array(9).fill('ok'));
      // Agents are probed only when agentHealthPort is set.
      expect(status('agent /health')).toBe('not configured');
      expect(col('latency_ms').every((v) => v === null || (typeof v === 'number' && v >= 0))).toBe(true);
      expect(col('message')[col('component').indexOf('Platform')]).toBe(
        `reachable; ${env.sim.spec.platform!.orphanedConnections} orphaned connections`
      );
    } finally {
      await ds.dispose();
    }
  });

  it('tells an auditor token from an owner token, and names a scoped one', async () => {
    const auditor = datasource(env, { token: env.sim.tokens.auditor });
    const scoped = datasource(env, { token: env.sim.tokens.scoped });
    try {
      const a = rowOf(await healthRows(auditor), 'admin token');
      expect(a.status).toBe('ok');
      expect(a.message).toMatch(
        /^reads the DLQ \(\d+ events?\); role auditor: read-only: DLQ Retry\/Discard will be refused$/
      );
      const s = rowOf(await healthRows(scoped), 'admin token');
      expect(s.status).toBe('warning');
      expect(s.message).toContain('restricted to routing key github:42');
    } finally {
      await auditor.dispose();
      await scoped.dispose();
    }
  });

  it('reports an invalid and a revoked token as errors', async () => {
    const bogus = datasource(env, { token: 'a'.repeat(64) });
    const revoked = datasource(env, { token: env.sim.tokens.revoked });
    try {
      const res = await bogus.checkHealth(ctx());
      expect(res.status).toBe('ERROR');
      expect(res.message).toContain('admin token');
      expect(res.message).toContain('HTTP 401: Invalid or expired token');
      const r = rowOf(await healthRows(revoked), 'admin token');
      expect(r.status).toBe('error');
      expect(r.message).toContain('(admin_tokens says it is revoked)');
    } finally {
      await bogus.dispose();
      await revoked.dispose();
    }
  });

  it('says what is not configured without failing when the token and Platform are absent', async () => {
    const ds = datasource(env, { token: null });
    try {
      const res = await ds.checkHealth(ctx());
      expect(res.status).toBe('OK');
      expect(res.message).toContain('admin token: not configured');
      expect(res.message).toContain('Platform: not configured');
    } finally {
      await ds.dispose();
    }
  });

  describe('node faults', () => {
    const node = () => env.sim.nodes[0];
    afterEach(() => env.sim.setFault(node().instanceId, { mode: 'none' }));

    it('a slow node past the timeout fails its own rows only', async () => {
      await env.sim.setFault(node().instanceId, { mode: 'slow', delayMs: 5000 });
      const ds = datasource(env, { httpTimeoutMs: 300 });
      try {
        const rows = await healthRows(ds);
        const h = rowOf(rows, 'orchestrator /health');
        expect(h.status).toBe('error');
        expect(h.message).toBe(`${node().url} GET /health: no answer within 300 ms`);
        expect(rowOf(rows, 'PostgreSQL').status).toBe('ok');
      } finally {
        await ds.dispose();
      }
    });

    it('a garbage body names the node and route', async () => {
      await env.sim.setFault(node().instanceId, { mode: 'garbage' });
      const ds = datasource(env);
      try {
        const rows = await healthRows(ds);
        const h = rowOf(rows, 'orchestrator /health');
        expect(h.status).toBe('error');
        expect(h.message).toMatch(
          new RegExp(`^${node().url.replace(/[.]/g, '\\.')} GET /health: response is not JSON`)
        );
        expect(rowOf(rows, 'admin token').message).toContain('GET /api/v1/admin/event-dlq/count');
      } finally {
        await ds.dispose();
      }
    });

    it('an oversized body is refused at the size limit', async () => {
      await env.sim.setFault(node().instanceId, { mode: 'oversized' });
      const ds = datasource(env);
      try {
        const h = rowOf(await healthRows(ds), 'orchestrator /ready');
        expect(h.status).toBe('error');
        expect(h.message).toBe(`${node().url} GET /ready: response larger than 5242880 bytes; refused`);
      } finally {
        await ds.dispose();
      }
    });
  });
});

describe('healthy-single (0.1 layout)', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv('healthy-single', '0.1');
  });
  afterAll(() => env.stop());

  it('detects the 0.1 schema and the 0.1 readiness checks', async () => {
    const ds = datasource(env);
    try {
      const rows = await healthRows(ds);
      expect(rowOf(rows, 'PostgreSQL').message).toMatch(/^connected; KiCI 0\.1 schema, \d+ migrations \(latest 0\d\d_/);
      expect(rowOf(rows, 'orchestrator /health').message).toMatch(/^KiCI 0\.1\.24, up /);
      expect(rowOf(rows, 'admin token').status).toBe('ok');
    } finally {
      await ds.dispose();
    }
  });
});

describe('cluster-3 with one node down', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv('cluster-3');
  });
  afterAll(() => env.stop());

  it('checks every node, names the down one, and verifies the token on another', async () => {
    const down = env.sim.spec.nodes.find((n) => n.fault.mode === 'down')!;
    const downUrl = env.sim.nodes.find((n) => n.instanceId === down.instanceId)!.url;
    const others = env.sim.nodes.filter((n) => n.instanceId !== down.instanceId).map((n) => n.url);
    // The down node first: the token is verified by a node that answers (all are asked at once, the first answer decides).
    const ds = datasource(env, { urls: [downUrl, ...others] });
    try {
      const res = await ds.checkHealth(ctx());
      expect(res.status).toBe('ERROR');
      expect(res.message).toContain(`orchestrator /health (${downUrl}): ${downUrl} GET /health: cannot connect`);
      const rows = (res.details as { checks: CheckRow[] }).checks;
      for (const url of others) {
        expect(rowOf(rows, 'orchestrator /health', url).status).toBe('ok');
        expect(rowOf(rows, 'orchestrator /ready', url).status).toBe('ok');
      }
      const token = rowOf(rows, 'admin token');
      expect(token.status).toBe('ok');
      expect(others).toContain(token.target);
    } finally {
      await ds.dispose();
    }
  });
});
