// secretBackends query and the Sync/Test resources against kici-sim over loopback HTTP and a real
// PostgreSQL: each Grafana role (Viewer refused, Editor and Admin allowed), failover past a dead
// orchestrator, the admin-API errors in words, a sync KiCI reports as synced:true that failed, and an
// unreachable Vault (secrets-degraded).
import pg from 'pg';

import { startSim, type Sim } from '../../dev/kici-sim/sim';
import { createTestDatabase, type TestDatabase } from '../../dev/testing/postgres';
import { KiciDatasource } from '../../src/backend/datasource';
import { datasourceSettings } from '../../src/backend/protocol/testing';
import type { GrafanaRole, Logger, RequestContext, ResourceResponse } from '../../src/backend/protocol/types';

jest.setTimeout(60_000);

interface LogLine {
  level: string;
  message: string;
  fields: Record<string, unknown>;
}

function recordingLogger(lines: LogLine[], base: Record<string, unknown> = {}): Logger {
  const at =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      lines.push({ level, message, fields: { ...base, ...fields } });
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    with: (f) => recordingLogger(lines, { ...base, ...f }),
  };
}

const lines: LogLine[] = [];
const log = recordingLogger(lines);

const ctx = (role?: GrafanaRole): RequestContext => ({
  plugin: {
    orgId: 1,
    pluginId: 'kici-ops-datasource',
    pluginVersion: 'test',
    grafanaConfig: {},
    userAgent: '',
    user: role ? { login: `${role.toLowerCase()}-user`, name: '', email: '', role } : undefined,
  },
  log,
  signal: new AbortController().signal,
});

interface Env {
  db: TestDatabase;
  sim: Sim;
}

function datasource(env: Env, opts: { token?: string | null; urls?: string[]; withDb?: boolean } = {}): KiciDatasource {
  const u = new URL(env.db.url);
  const jsonData: Record<string, unknown> = {
    orchestratorUrls: opts.urls ?? env.sim.nodes.map((n) => n.url),
    httpTimeoutMs: 2000,
  };
  const secure: Record<string, string> = {};
  if (opts.withDb ?? true) {
    Object.assign(jsonData, {
      pgHost: u.hostname,
      pgPort: Number(u.port),
      pgDatabase: u.pathname.slice(1),
      pgUser: u.username,
    });
    secure.pgPassword = decodeURIComponent(u.password);
  }
  if (opts.token !== null) {
    secure.adminToken = opts.token ?? env.sim.tokens.auditor;
  }
  return new KiciDatasource(datasourceSettings(jsonData, secure), log);
}

function call(ds: KiciDatasource, method: string, path: string, role?: GrafanaRole): Promise<ResourceResponse> {
  return ds.callResource(
    { path, method, url: `/${path}`, query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0) },
    ctx(role)
  );
}

async function dbRow(env: Env, name: string) {
  const c = new pg.Client({ connectionString: env.db.url });
  await c.connect();
  try {
    const { rows } = await c.query(
      'SELECT last_sync_at, last_sync_error, scope_count, health_status FROM secret_backends WHERE name = $1',
      [name]
    );
    return rows[0] as {
      last_sync_at: Date | null;
      last_sync_error: string | null;
      scope_count: number;
      health_status: string;
    };
  } finally {
    await c.end();
  }
}

async function startEnv(scenario: string): Promise<Env> {
  const db = await createTestDatabase(`backends_${scenario.replace(/-/g, '_')}`);
  const sim = await startSim({ scenario, layout: '0.9', pgUrl: db.url });
  return { db, sim };
}

async function stopEnv(env: Env | undefined) {
  await env?.sim.stop();
  await env?.db.drop();
}

describe('healthy-single', () => {
  let env: Env;
  let ds: KiciDatasource;
  beforeAll(async () => {
    env = await startEnv('healthy-single');
    ds = datasource(env);
  });
  afterAll(async () => {
    await ds?.dispose();
    await stopEnv(env);
  });

  it('secretBackends: one row per backend from the database, without the encrypted config', async () => {
    const res = await ds.query(
      {
        refId: 'B',
        queryType: 'secretBackends',
        maxDataPoints: 1,
        intervalMs: 1,
        timeRange: { from: 0, to: 1 },
        json: { refId: 'B' },
      },
      ctx('Viewer')
    );
    const f = res.frames[0];
    const col = (n: string) => f.fields.find((x) => x.name === n)!.values;
    expect(f.fields.map((x) => x.name)).toEqual([
      'name',
      'type',
      'enabled',
      'health_status',
      'last_error',
      'sync_interval',
      'scope_count',
      'scope_filter',
      'last_sync',
      'last_health_check',
    ]);
    expect(col('name')).toEqual(['pg', 'vault-prod']);
    expect(col('type')).toEqual(['PostgreSQL', 'Vault']);
    expect(col('health_status')).toEqual(['healthy', 'healthy']);
    expect(col('scope_count')).toEqual([3, 14]);
    expect(col('sync_interval')).toEqual([300_000, 300_000]);
    expect(col('last_sync')[0]).toBeNull();
    expect(typeof col('last_sync')[1]).toBe('number');
    expect(JSON.stringify(f)).not.toContain('v1:');
  });

  it('GET secret-backends says whether the caller may sync and test', async () => {
    const viewer = await call(ds, 'GET', 'secret-backends', 'Viewer');
    expect(viewer.status).toBe(200);
    const vb = viewer.body as {
      backends: Array<{ name: string; typeLabel: string }>;
      canSync: boolean;
      disabledReason: string;
    };
    expect(vb.backends.map((b) => [b.name, b.typeLabel])).toEqual([
      ['pg', 'PostgreSQL'],
      ['vault-prod', 'Vault'],
    ]);
    expect(vb.canSync).toBe(false);
    expect(vb.disabledReason).toBe('Sync and Test need the Editor role');
    const editor = (await call(ds, 'GET', 'secret-backends', 'Editor')).body as { canSync: boolean; canTest: boolean };
    expect([editor.canSync, editor.canTest]).toEqual([true, true]);

    const noToken = datasource(env, { token: null });
    try {
      const b = (await call(noToken, 'GET', 'secret-backends', 'Admin')).body as {
        canSync: boolean;
        disabledReason: string;
      };
      expect(b.canSync).toBe(false);
      expect(b.disabledReason).toContain('no admin token is configured');
    } finally {
      await noToken.dispose();
    }
  });

  it('refuses Sync and Test to a Viewer and to a request without a user, and logs the refusal', async () => {
    const before = await dbRow(env, 'vault-prod');
    for (const path of ['secret-backends/vault-prod/sync', 'secret-backends/vault-prod/test']) {
      const res = await call(ds, 'POST', path, 'Viewer');
      expect(res.status).toBe(403);
      expect((res.body as { error: string }).error).toBe('this action needs the Editor role; viewer-user has Viewer');
      expect((await call(ds, 'POST', path)).status).toBe(403);
    }
    expect((await dbRow(env, 'vault-prod')).last_sync_at).toEqual(before.last_sync_at);
    const refused = lines.filter((l) => l.message === 'secret backend action' && l.fields.outcome === 'refused');
    expect(refused.map((l) => [l.fields.user, l.fields.action, l.fields.backend])).toContainEqual([
      'viewer-user',
      'sync',
      'vault-prod',
    ]);
  });

  it.each(['Editor', 'Admin'] as const)(
    'lets an %s sync: last_sync_at moves and the result is verified',
    async (role) => {
      const before = await dbRow(env, 'vault-prod');
      const res = await call(ds, 'POST', 'secret-backends/vault-prod/sync', role);
      expect(res.status).toBe(200);
      const body = res.body as Record<string, unknown>;
      expect(body).toMatchObject({ action: 'sync', backend: 'vault-prod', ok: true, verified: true, scopeCount: 14 });
      expect(body.orchestrator).toBe(env.sim.nodes[0].url);
      const after = await dbRow(env, 'vault-prod');
      expect(after.last_sync_at!.getTime()).toBeGreaterThan(before.last_sync_at!.getTime());
      expect(body.lastSyncAt).toBe(after.last_sync_at!.toISOString());
      const logged = lines.filter(
        (l) =>
          l.message === 'secret backend action' &&
          l.fields.user === `${role.toLowerCase()}-user` &&
          l.fields.action === 'sync'
      );
      expect(logged.at(-1)!.fields).toMatchObject({ backend: 'vault-prod', outcome: 'ok', role });
      expect(JSON.stringify(lines)).not.toContain(env.sim.tokens.auditor);
    }
  );

  it('lets an Editor test a backend', async () => {
    const res = await call(ds, 'POST', 'secret-backends/pg/test', 'Editor');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ action: 'test', backend: 'pg', ok: true });
    expect(typeof (res.body as { latencyMs: number }).latencyMs).toBe('number');
  });

  it('moves past an orchestrator that does not answer', async () => {
    const dead = 'http://127.0.0.1:1';
    const failover = datasource(env, { urls: [dead, env.sim.nodes[0].url] });
    try {
      const res = await call(failover, 'POST', 'secret-backends/pg/test', 'Editor');
      expect(res.status).toBe(200);
      expect((res.body as { orchestrator: string }).orchestrator).toBe(env.sim.nodes[0].url);
      const none = datasource(env, { urls: [dead] });
      try {
        const r = await call(none, 'POST', 'secret-backends/pg/test', 'Editor');
        expect(r.status).toBe(502);
        expect((r.body as { error: string }).error).toContain('cannot connect');
      } finally {
        await none.dispose();
      }
    } finally {
      await failover.dispose();
    }
  });

  it('maps the admin API errors to clear messages', async () => {
    const nf = await call(ds, 'POST', 'secret-backends/nope/test', 'Editor');
    expect(nf).toMatchObject({ status: 404, body: { error: 'secret backend "nope" not found' } });

    const scoped = datasource(env, { token: env.sim.tokens.scoped });
    const bogus = datasource(env, { token: 'b'.repeat(64) });
    const noToken = datasource(env, { token: null });
    try {
      const s = await call(scoped, 'POST', 'secret-backends/pg/sync', 'Editor');
      expect(s).toMatchObject({
        status: 502,
        body: {
          error: 'the admin token is restricted to one routing key; secret-backend routes need an unscoped admin token',
        },
      });
      const b = await call(bogus, 'POST', 'secret-backends/pg/test', 'Editor');
      expect(b.status).toBe(502);
      expect((b.body as { error: string }).error).toContain('refused the admin token (invalid, revoked or expired)');
      const n = await call(noToken, 'POST', 'secret-backends/pg/test', 'Editor');
      expect(n.status).toBe(400);
      expect((n.body as { error: string }).error).toContain('no admin token is configured');
    } finally {
      await Promise.all([scoped.dispose(), bogus.dispose(), noToken.dispose()]);
    }
    const errors = lines.filter((l) => l.message === 'secret backend action' && l.fields.outcome === 'error');
    expect(errors.length).toBeGreaterThanOrEqual(4);
  });

  it('without PostgreSQL: lists through the admin API and says a sync cannot be verified', async () => {
    const apiOnly = datasource(env, { withDb: false });
    try {
      const list = await call(apiOnly, 'GET', 'secret-backends', 'Editor');
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ source: 'admin API' });
      expect((list.body as { backends: Array<{ name: string }> }).backends.map((b) => b.name)).toEqual([
        'pg',
        'vault-prod',
      ]);
      const sync = await call(apiOnly, 'POST', 'secret-backends/vault-prod/sync', 'Editor');
      expect(sync.body).toMatchObject({ ok: true, verified: false, scopeCount: 14 });
    } finally {
      await apiOnly.dispose();
    }
  });

  it('without PostgreSQL the secretBackends query lists what the resource lists, through the admin API (issue 14 item 11)', async () => {
    const apiOnly = datasource(env, { withDb: false });
    try {
      const res = await apiOnly.query(
        {
          refId: 'B',
          queryType: 'secretBackends',
          maxDataPoints: 1,
          intervalMs: 1,
          timeRange: { from: 0, to: 1 },
          json: { refId: 'B' },
        },
        ctx('Viewer')
      );
      const f = res.frames[0];
      expect(f.fields.find((x) => x.name === 'name')!.values).toEqual(['pg', 'vault-prod']);
      expect(f.meta?.notices).toEqual([
        { severity: 'info', text: 'read through the orchestrator admin API: PostgreSQL is not configured' },
      ]);
    } finally {
      await apiOnly.dispose();
    }
  });
});

describe('secrets-degraded', () => {
  let env: Env;
  let ds: KiciDatasource;
  beforeAll(async () => {
    env = await startEnv('secrets-degraded');
    ds = datasource(env, { token: env.sim.tokens.owner });
  });
  afterAll(async () => {
    await ds?.dispose();
    await stopEnv(env);
  });

  it('shows the unreachable Vault with its last error', async () => {
    const body = (await call(ds, 'GET', 'secret-backends', 'Viewer')).body as {
      backends: Array<{ name: string; healthStatus: string; lastError: string | null }>;
    };
    expect(body.backends.map((b) => [b.name, b.healthStatus, b.lastError])).toEqual([
      ['pg', 'healthy', null],
      ['vault-dr', 'degraded', 'Vault is sealed'],
      ['vault-prod', 'unreachable', 'Health check failed'],
    ]);
  });

  it('Test of the unreachable Vault answers ok:false with KiCI’s error', async () => {
    const res = await call(ds, 'POST', 'secret-backends/vault-prod/test', 'Editor');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: false, error: 'Backend status: unreachable' });
    const logged = lines.filter((l) => l.message === 'secret backend action' && l.fields.action === 'test').at(-1)!;
    expect(logged.fields).toMatchObject({
      backend: 'vault-prod',
      outcome: 'failed',
      error: 'Backend status: unreachable',
    });
  });

  it('a sync KiCI answers synced:true is reported as failed from last_sync_error', async () => {
    const before = await dbRow(env, 'vault-prod');
    const res = await call(ds, 'POST', 'secret-backends/vault-prod/sync', 'Editor');
    expect(res.status).toBe(200);
    const after = await dbRow(env, 'vault-prod');
    expect(after.last_sync_at).toEqual(before.last_sync_at);
    expect(after.last_sync_error).not.toBeNull();
    expect(res.body).toMatchObject({
      action: 'sync',
      backend: 'vault-prod',
      ok: false,
      verified: true,
      error: after.last_sync_error,
      reportedScopeCount: 0,
    });
    const logged = lines.filter((l) => l.message === 'secret backend action' && l.fields.action === 'sync').at(-1)!;
    expect(logged.fields).toMatchObject({ backend: 'vault-prod', outcome: 'failed', error: after.last_sync_error });
  });

  it('the healthy pg backend still syncs', async () => {
    const res = await call(ds, 'POST', 'secret-backends/pg/sync', 'Admin');
    expect(res.body).toMatchObject({ ok: true, verified: true, scopeCount: 3 });
  });
});
