// Security checks through the compiled executable, against kici-sim and a real PostgreSQL:
// - the RBAC matrix: Viewer / Editor / Admin / no basic role / no user × every mutating resource;
// - the secret scan: known secret values configured, every query type and resource run, none of them in any
//   frame, response body, header, health answer, metrics text or log line (at debug level);
// - SQL injection strings in the filters and sort fields not covered by dlq-queries.test.ts are inert:
//   the answer equals a literal match computed with our own parameterised SQL.
import { createHash } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import pg from 'pg';

import { startSim, type Sim } from '../../dev/kici-sim/sim';
import {
  startPlugin,
  type DatasourceSettingsInput,
  type PluginProcess,
  type UserInput,
} from '../../dev/testing/plugin-process';
import { createTestDatabase, type TestDatabase } from '../../dev/testing/postgres';
import { QUERY_TYPES } from '../../src/datasource/query';
import { loadProtocol } from '../../src/backend/protocol/descriptor';
import { RESOURCE_ROUTES } from '../../src/backend/features/registry';

jest.setTimeout(180_000);

const INJECTIONS = [
  "x'; DROP TABLE kici_events; --",
  "' OR '1'='1",
  "') OR true --",
  '%',
  '_',
  '\\',
  '$1',
  "'; SELECT pg_sleep(5); --",
];

// A distinctive password for a role made for this test: nothing else in the system can print it by accident.
const PG_SECRET = 'pgSecret-7c1e9b42-e2d0-4c8a-b5a1-f00dfeedc0de';
const READER = `kici_sec_reader_${process.pid}`;

let plugin: PluginProcess;
let backlog: { db: TestDatabase; sim: Sim; admin: pg.Client };
let cluster: { db: TestDatabase; sim: Sim };

beforeAll(async () => {
  const [bdb, cdb] = await Promise.all([
    createTestDatabase('security_backlog'),
    createTestDatabase('security_cluster'),
  ]);
  const [bsim, csim] = await Promise.all([
    startSim({ scenario: 'dlq-backlog', layout: '0.9', pgUrl: bdb.url }),
    startSim({ scenario: 'cluster-3', layout: '0.9', pgUrl: cdb.url }),
  ]);
  const admin = new pg.Client({ connectionString: bdb.url });
  await admin.connect();
  backlog = { db: bdb, sim: bsim, admin };
  cluster = { db: cdb, sim: csim };
  const su = new pg.Client({ connectionString: process.env.KICI_TEST_PG_URL });
  await su.connect();
  try {
    await su.query(`DROP ROLE IF EXISTS ${READER}`);
    await su.query(`CREATE ROLE ${READER} LOGIN PASSWORD '${PG_SECRET}' IN ROLE pg_read_all_data`);
  } finally {
    await su.end();
  }
  // Debug level: the most the plugin ever logs.
  plugin = await startPlugin({ env: { GF_PLUGIN_LOG_LEVEL: 'debug' } });
});

afterAll(async () => {
  await plugin?.stop();
  await backlog?.admin.end();
  for (const e of [backlog, cluster]) {
    await e?.sim.stop();
    await e?.db.drop();
  }
  const su = new pg.Client({ connectionString: process.env.KICI_TEST_PG_URL });
  await su.connect();
  await su.query(`DROP ROLE IF EXISTS ${READER}`).finally(() => su.end());
});

function pgJson(db: TestDatabase, user?: string) {
  const u = new URL(db.url);
  return { pgHost: u.hostname, pgPort: Number(u.port), pgDatabase: u.pathname.slice(1), pgUser: user ?? u.username };
}

function backlogSettings(opts: { discardMinRole?: 'Editor' | 'Admin' } = {}): DatasourceSettingsInput {
  const u = new URL(backlog.db.url);
  return {
    uid: `sec-backlog-${opts.discardMinRole ?? 'default'}`,
    jsonData: {
      ...pgJson(backlog.db),
      orchestratorUrls: backlog.sim.nodes.map((n) => n.url),
      httpTimeoutMs: 5000,
      ...(opts.discardMinRole ? { discardMinRole: opts.discardMinRole } : {}),
    },
    secureJsonData: { pgPassword: decodeURIComponent(u.password), adminToken: backlog.sim.tokens.admin },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// A CallResource without any user in the plugin context (plugin-process always sends one).

async function callWithoutUser(settings: DatasourceSettingsInput, method: string, path: string, body?: unknown) {
  const protocol = loadProtocol();
  const client = new protocol.pluginv2.Resource(
    plugin.handshake.address,
    grpc.credentials.createInsecure()
  ) as grpc.Client & Record<string, any>;
  try {
    return await new Promise<{ status: number; json: any }>((resolve, reject) => {
      const chunks: any[] = [];
      const stream = client.CallResource({
        pluginContext: {
          orgId: 1,
          pluginId: 'kici-ops-datasource',
          dataSourceInstanceSettings: {
            id: 1,
            uid: settings.uid,
            name: settings.uid,
            jsonData: Buffer.from(JSON.stringify(settings.jsonData)),
            decryptedSecureJsonData: settings.secureJsonData,
            lastUpdatedMS: 1,
          },
        },
        path,
        method,
        url: path,
        headers: {},
        body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
      });
      stream.on('data', (m: any) => chunks.push(m));
      stream.on('error', reject);
      stream.on('end', () => {
        const buf = Buffer.concat(chunks.map((m) => Buffer.from(m.body ?? [])));
        resolve({ status: chunks[0]?.code, json: buf.length ? JSON.parse(buf.toString('utf8')) : undefined });
      });
    });
  } finally {
    client.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------

describe('RBAC matrix: every mutating resource × every Grafana role', () => {
  type Who = 'Viewer' | 'Editor' | 'Admin' | 'None' | 'no user';
  const WHO: Who[] = ['Viewer', 'Editor', 'Admin', 'None', 'no user'];
  type Action =
    | 'retry'
    | 'bulk retry'
    | 'redrive'
    | 'redrive cancel'
    | 'discard'
    | 'discard (discardMinRole Editor)'
    | 'sync'
    | 'test';

  // The designed outcome: Viewer never; Editor retry and sync/test; discard Admin unless discardMinRole says Editor.
  const DESIGN: Record<Action, Who[]> = {
    retry: ['Editor', 'Admin'],
    'bulk retry': ['Editor', 'Admin'],
    redrive: ['Editor', 'Admin'],
    'redrive cancel': ['Editor', 'Admin'],
    discard: ['Admin'],
    'discard (discardMinRole Editor)': ['Editor', 'Admin'],
    sync: ['Editor', 'Admin'],
    test: ['Editor', 'Admin'],
  };

  it('covers every mutating route the plugin registers', () => {
    const mutating = RESOURCE_ROUTES.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
    expect(mutating.sort()).toEqual(
      [
        'DELETE dlq/:id',
        'POST dlq/:id/retry',
        'POST dlq/retry',
        'POST dlq/redrive',
        'POST dlq/redrive/:id/cancel',
        'POST secret-backends/:name/sync',
        'POST secret-backends/:name/test',
      ].sort()
    );
  });

  const taken = new Set<string>();
  async function freshDlqId(): Promise<string> {
    const r = await backlog.admin.query<{ id: string }>(
      'SELECT id::text AS id FROM kici_events WHERE dlq_at IS NOT NULL ORDER BY dlq_at DESC, id'
    );
    const id = r.rows.map((x) => x.id).find((x) => !taken.has(x))!;
    taken.add(id);
    return id;
  }
  async function inDlq(id: string): Promise<boolean> {
    const r = await backlog.admin.query('SELECT dlq_at FROM kici_events WHERE id = $1', [id]);
    return r.rows[0]?.dlq_at != null;
  }
  async function lastSync(name: string): Promise<string | null> {
    const r = await backlog.admin.query('SELECT last_sync_at FROM secret_backends WHERE name = $1', [name]);
    return r.rows[0]?.last_sync_at?.toISOString() ?? null;
  }

  /** The datasource's redrive as an Admin reads it, once it is no longer running (or the running one). */
  async function redriveOf(
    settings: DatasourceSettingsInput,
    untilDone: boolean
  ): Promise<{ id: string; state: string }> {
    for (;;) {
      const r = await plugin.callResource(
        settings,
        { method: 'GET', path: 'dlq/redrive' },
        { login: 'a', role: 'Admin' }
      );
      const v = (r.json as { redrive: { id: string; state: string } }).redrive;
      if (!untilDone || v.state !== 'running') {
        return v;
      }
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  async function act(action: Action, who: Who): Promise<{ status: number; changed: boolean }> {
    const settings = backlogSettings(action === 'discard (discardMinRole Editor)' ? { discardMinRole: 'Editor' } : {});
    const send = async (method: string, path: string, body?: unknown) => {
      if (who === 'no user') {
        return (await callWithoutUser(settings, method, path, body)).status;
      }
      const user: UserInput = { login: `rbac-${who.toLowerCase()}`, role: who };
      return (await plugin.callResource(settings, { method, path, body }, user)).status;
    };
    switch (action) {
      case 'retry': {
        const id = await freshDlqId();
        const status = await send('POST', `dlq/${id}/retry`);
        return { status, changed: !(await inDlq(id)) };
      }
      case 'bulk retry': {
        const id = await freshDlqId();
        const status = await send('POST', 'dlq/retry', { ids: [id] });
        return { status, changed: !(await inDlq(id)) };
      }
      case 'redrive': {
        // A filter that matches one event: its exact admission time.
        const id = await freshDlqId();
        const at = (await backlog.admin.query('SELECT dlq_at FROM kici_events WHERE id = $1', [id])).rows[0].dlq_at;
        const ms = (at as Date).getTime();
        const status = await send('POST', 'dlq/redrive', { filter: { from: ms, to: ms }, rate: 500 });
        if (status === 201) {
          await redriveOf(settings, true);
        }
        return { status, changed: !(await inDlq(id)) };
      }
      case 'redrive cancel': {
        const admin: UserInput = { login: 'redrive-starter', role: 'Admin' };
        const started = await plugin.callResource(
          settings,
          { method: 'POST', path: 'dlq/redrive', body: { filter: { routingKey: 'github:77' }, rate: 1 } },
          admin
        );
        expect(started.status).toBe(201);
        const id = (started.json as { redrive: { id: string } }).redrive.id;
        const status = await send('POST', `dlq/redrive/${id}/cancel`);
        if (status !== 202) {
          // Clean up so the next case may start one.
          await plugin.callResource(settings, { method: 'POST', path: `dlq/redrive/${id}/cancel` }, admin);
        }
        const done = await redriveOf(settings, true);
        const by = await backlog.admin.query('SELECT cancel_requested_by FROM kici_grafana.redrive WHERE id = $1', [
          id,
        ]);
        return {
          status,
          changed: done.state === 'cancelled' && by.rows[0].cancel_requested_by === `rbac-${who.toLowerCase()}`,
        };
      }
      case 'discard':
      case 'discard (discardMinRole Editor)': {
        const id = await freshDlqId();
        const status = await send('DELETE', `dlq/${id}`);
        const r = await backlog.admin.query('SELECT 1 FROM kici_events WHERE id = $1', [id]);
        return { status, changed: r.rowCount === 0 };
      }
      case 'sync': {
        const before = await lastSync('pg');
        const status = await send('POST', 'secret-backends/pg/sync');
        return { status, changed: (await lastSync('pg')) !== before };
      }
      case 'test': {
        // Test changes nothing in KiCI; the outcome is the status alone.
        return { status: await send('POST', 'secret-backends/pg/test'), changed: false };
      }
    }
  }

  const cases = (Object.keys(DESIGN) as Action[]).flatMap((a) => WHO.map((w) => [a, w] as const));
  it.each(cases)('%s as %s', async (action, who) => {
    const allowed = DESIGN[action].includes(who);
    const r = await act(action, who);
    const ok = action === 'redrive' ? 201 : action === 'redrive cancel' ? 202 : 200;
    expect({ status: r.status, changed: r.changed }).toEqual({
      status: allowed ? ok : 403,
      changed: allowed && action !== 'test',
    });
  });

  it('dlq/permissions tells each role exactly what the matrix allows', async () => {
    for (const who of ['Viewer', 'Editor', 'Admin', 'None'] as const) {
      for (const discardMinRole of ['Admin', 'Editor'] as const) {
        const res = await plugin.callResource(
          backlogSettings(discardMinRole === 'Editor' ? { discardMinRole } : {}),
          { method: 'GET', path: 'dlq/permissions' },
          { login: 'p', role: who }
        );
        const body = res.json as { canRetry: boolean; canDiscard: boolean };
        const discardAction: Action = discardMinRole === 'Editor' ? 'discard (discardMinRole Editor)' : 'discard';
        expect({ who, discardMinRole, canRetry: body.canRetry, canDiscard: body.canDiscard }).toEqual({
          who,
          discardMinRole,
          canRetry: DESIGN.retry.includes(who),
          canDiscard: DESIGN[discardAction].includes(who),
        });
      }
    }
    const none = await callWithoutUser(backlogSettings(), 'GET', 'dlq/permissions');
    expect(none.json).toMatchObject({ canRetry: false, canDiscard: false, user: null });
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('secret scan', () => {
  function secrets() {
    const platform = cluster.sim.spec.platform!;
    return {
      pgPassword: PG_SECRET,
      adminToken: cluster.sim.tokens.admin,
      platformToken: platform.token,
    };
  }

  /** Every form of a secret that would give it away. */
  function needles(): Array<[string, string]> {
    return Object.entries(secrets()).flatMap(([name, v]) => [
      [name, v],
      [`${name} (base64)`, Buffer.from(v).toString('base64')],
      [`${name} (URL-encoded)`, encodeURIComponent(v)],
      // Tokens are stored as SHA-256 hex in KiCI; the hash is not the secret, but echoing a 20-char prefix would be.
      [`${name} (first 20 chars)`, v.slice(0, 20)],
    ]);
  }

  function settingsVariants(): DatasourceSettingsInput[] {
    const s = secrets();
    const platform = cluster.sim.spec.platform!;
    const base = {
      ...pgJson(cluster.db, READER),
      orchestratorUrls: cluster.sim.nodes.map((n) => n.url),
      httpTimeoutMs: 3000,
      platformUrl: cluster.sim.platformUrl,
      platformOrg: platform.org,
      latestVersionSource: 'none',
    };
    return [
      // Everything right.
      { uid: 'scan-ok', jsonData: base, secureJsonData: { ...s } },
      // Everything configured, every secret refused or unused (errors must not echo them either).
      {
        uid: 'scan-wrong',
        jsonData: { ...base, pgUser: 'nobody_here' },
        secureJsonData: { ...s },
      },
      {
        uid: 'scan-wrong-2',
        jsonData: { ...base, pgSslMode: 'verify-full', platformOrg: 'other-org' },
        secureJsonData: { ...s, pgCaCert: 'not a certificate' },
      },
      // Secrets with nowhere to go: pg on a closed port, a Platform URL without the org.
      {
        uid: 'scan-partial',
        jsonData: { ...base, pgPort: 1, platformOrg: undefined },
        secureJsonData: { ...s },
      },
    ];
  }

  it('no secret value appears in any frame, response, header, health answer, metrics or log line', async () => {
    const seen: Array<{ where: string; text: string }> = [];
    const ids = await backlog.admin.query<{ id: string }>('SELECT id::text AS id FROM kici_events LIMIT 1');
    for (const settings of settingsVariants()) {
      const tag = settings.uid;
      for (const role of ['Admin', 'Viewer'] as const) {
        const user: UserInput = { login: `scan-${role}`, role };
        const queries = QUERY_TYPES.flatMap((queryType) => [
          { refId: `${queryType}-a`, queryType, json: { queryType, useTimeRange: false } },
          {
            refId: `${queryType}-b`,
            queryType,
            json: { queryType, series: true, section: 'leases', routingKey: 'github:42' },
          },
        ]);
        const out = await plugin.queryData(settings, queries, user);
        for (const [refId, r] of Object.entries(out)) {
          seen.push({ where: `${tag} ${role} query ${refId} error`, text: r.error ?? '' });
          r.rawFrames.forEach((b, i) =>
            seen.push({ where: `${tag} ${role} query ${refId} frame ${i} (Arrow bytes)`, text: b.toString('latin1') })
          );
          seen.push({ where: `${tag} ${role} query ${refId} frames`, text: JSON.stringify(r.frames) });
        }
        const resources: Array<[string, string, unknown?]> = [
          ['GET', 'health'],
          ['GET', 'health/matrix'],
          ['GET', 'schema'],
          ['GET', 'orphans'],
          ['GET', 'infrastructure'],
          ['GET', 'secret-backends'],
          ['GET', 'dlq/permissions'],
          ['GET', `dlq/${ids.rows[0].id}`],
          ['POST', 'secret-backends/vault-prod/test'],
          ['POST', 'secret-backends/pg/sync'],
          ['POST', 'dlq/retry', { filter: { routingKey: 'github:42' }, dryRun: true }],
          ['POST', 'dlq/00000000-0000-4000-8000-000000000000/retry'],
          ['DELETE', 'dlq/00000000-0000-4000-8000-000000000000'],
          ['GET', 'nope'],
        ];
        for (const [method, path, body] of resources) {
          const res = await plugin.callResource(settings, { method, path, body }, user);
          seen.push({ where: `${tag} ${role} ${method} ${path} body`, text: res.body.toString('utf8') });
          seen.push({ where: `${tag} ${role} ${method} ${path} headers`, text: JSON.stringify(res.headers) });
        }
        const health = await plugin.checkHealth(settings, user);
        seen.push({ where: `${tag} ${role} CheckHealth`, text: JSON.stringify(health) });
      }
    }
    seen.push({ where: 'CollectMetrics', text: await plugin.collectMetrics() });
    // Let the last log lines arrive.
    await new Promise((r) => setTimeout(r, 200));
    seen.push({ where: 'stderr', text: plugin.stderrText() });
    seen.push({ where: 'stdout', text: plugin.stdoutText() });

    const leaks = needles().flatMap(([name, needle]) =>
      seen.filter((s) => s.text.includes(needle)).map((s) => `${name} in ${s.where}`)
    );
    expect(leaks).toEqual([]);

    // The scan looked at real answers: the right settings reached PostgreSQL, the orchestrators and the Platform,
    // and the wrong ones failed for their own reasons.
    const logText = plugin.stderrText();
    expect(logText.length).toBeGreaterThan(1000);
    expect(seen.find((s) => s.where === 'scan-ok Admin GET infrastructure body')!.text).toContain('"orchestrators"');
    // cluster-3 has one node down by design; the database, the token and the Platform answered.
    const okHealth = seen.find((s) => s.where === 'scan-ok Admin CheckHealth')!.text;
    expect(okHealth).toContain('[ok] PostgreSQL');
    expect(okHealth).toContain('[ok] admin token');
    expect(okHealth).toContain('[ok] Platform');
    expect(seen.find((s) => s.where === 'scan-wrong Admin CheckHealth')!.text).toContain(
      'password authentication failed'
    );
    // Sanity: the needles would be found if present.
    expect(needles().every(([, n]) => `x${n}x`.includes(n))).toBe(true);
    expect(createHash('sha256').update(secrets().adminToken).digest('hex')).not.toBe(secrets().adminToken);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('SQL injection strings are inert in every other filter and sort field', () => {
  async function literalDlqCount(where: string, params: unknown[]): Promise<number> {
    const r = await backlog.admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM kici_events WHERE dlq_at IS NOT NULL AND ${where}`,
      params
    );
    return r.rows[0].n;
  }

  beforeAll(async () => {
    // Rows that literally hold each string, in the DLQ and among the runs.
    for (const [i, s] of INJECTIONS.entries()) {
      await backlog.admin.query(
        `INSERT INTO kici_events (event_name, payload, source_repo, source_routing_key, processed, expires_at, attempts,
                                  last_error, dlq_at, dlq_reason)
         VALUES ($1, '{}'::jsonb, $1, $1, false, now() + interval '7 days', 5, $2, now() - ($3 || ' minutes')::interval,
                 'exhausted_retries')`,
        [s, `Error: ${s} happened`, String(i + 1)]
      );
      await backlog.admin.query(
        `INSERT INTO execution_runs
           SELECT (jsonb_populate_record(NULL::execution_runs,
                     to_jsonb(r) || jsonb_build_object('id', gen_random_uuid(), 'run_id', gen_random_uuid(), 'routing_key', $1::text,
                                                       'created_at', now() - interval '1 hour'))).*
             FROM execution_runs r WHERE r.status = 'success' ORDER BY r.created_at DESC LIMIT 1`,
        [s]
      );
    }
  });

  const settings = () => backlogSettings();
  const query = async (json: Record<string, unknown>) => {
    const out = await plugin.queryData(settings(), [
      { refId: 'A', queryType: String(json.queryType), json: { refId: 'A', ...json } },
    ]);
    if (out.A.error) {
      throw new Error(out.A.error);
    }
    return out.A.frames;
  };

  it.each(INJECTIONS)('dlqEvents errorText %j matches only the rows whose last error holds it literally', async (s) => {
    const frames = await query({ queryType: 'dlqEvents', errorText: s, useTimeRange: false, limit: 500 });
    const rows = frames[0].fields[0].values.length;
    // errorText is a case-insensitive substring in which % _ \ match themselves: strpos on lower(), not LIKE.
    expect(rows).toBe(await literalDlqCount('strpos(lower(last_error), lower($1)) > 0', [s]));
    expect(rows).toBeGreaterThanOrEqual(1);
  });

  it.each(INJECTIONS)('dlqDepth filters %j count the literal rows (current depth and series)', async (s) => {
    for (const [field, column] of [
      ['eventName', 'event_name'],
      ['routingKey', 'source_routing_key'],
      ['repo', 'source_repo'],
    ] as const) {
      const frames = await query({ queryType: 'dlqDepth', [field]: s });
      const depth = Number(frames[0].fields[0].values[0]);
      expect({ field, depth }).toEqual({ field, depth: await literalDlqCount(`${column} = $1`, [s]) });
      const now = Date.now();
      const out = await plugin.queryData(settings(), [
        {
          refId: 'S',
          queryType: 'dlqDepth',
          json: { refId: 'S', queryType: 'dlqDepth', series: true, [field]: s },
          timeRange: { from: now - 3_600_000, to: now },
          intervalMs: 60_000,
        },
      ]);
      expect(out.S.error).toBeUndefined();
      const admissions = out.S.frames[0].fields
        .find((f) => f.type === 'number')!
        .values.reduce((a: number, b) => a + Number(b), 0);
      expect({ field, admissions }).toEqual({
        field,
        admissions: await literalDlqCount(`${column} = $1 AND dlq_at >= now() - interval '1 hour'`, [s]),
      });
    }
  });

  it.each(INJECTIONS)(
    'executionMetrics and executions routingKey %j see only the run with that literal key',
    async (s) => {
      const frames = await query({ queryType: 'executionMetrics', routingKey: s });
      const total = frames[0].fields.find((f) => f.name === 'total_runs')!;
      const literal = await backlog.admin.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM execution_runs WHERE routing_key = $1 AND created_at >= now() - interval '24 hours'`,
        [s]
      );
      expect(Number(total.values[0])).toBe(literal.rows[0].n);
      expect(literal.rows[0].n).toBe(1);
      const now = Date.now();
      const out = await plugin.queryData(settings(), [
        {
          refId: 'E',
          queryType: 'executions',
          json: { refId: 'E', queryType: 'executions', routingKey: s },
          timeRange: { from: now - 2 * 3_600_000, to: now },
          intervalMs: 60_000,
        },
      ]);
      expect(out.E.error).toBeUndefined();
      const runs = out.E.frames[0].fields
        .filter((f) => f.type === 'number')
        .reduce((a: number, f) => a + f.values.reduce((x: number, y) => x + Number(y), 0), 0);
      expect(runs).toBe(1);
    }
  );

  // dlqAt is the one order dlqEvents offers (the others are refused before any SQL: dlq-queries.test.ts).
  it.each(['dlqAt'] as const)(
    'sort %s, asc and desc, with an injection string as the filter answers exactly the literal rows',
    async (sort) => {
      for (const sortDirection of ['asc', 'desc'] as const) {
        for (const s of INJECTIONS) {
          const frames = await query({
            queryType: 'dlqEvents',
            eventName: s,
            sort,
            sortDirection,
            useTimeRange: false,
            limit: 1,
          });
          expect(frames[0].fields[0].values.length).toBe(await literalDlqCount('event_name = $1', [s]));
        }
      }
    }
  );

  it.each(INJECTIONS)(
    'a filtered bulk retry (dry run) with %j in every filter field lists only literal matches',
    async (s) => {
      for (const [field, column] of [
        ['eventName', 'event_name'],
        ['routingKey', 'source_routing_key'],
        ['repo', 'source_repo'],
        ['errorText', 'last_error'],
      ] as const) {
        const res = await plugin.callResource(
          settings(),
          { method: 'POST', path: 'dlq/retry', body: { filter: { [field]: s }, dryRun: true } },
          { login: 'eddie', role: 'Editor' }
        );
        expect(res.status).toBe(200);
        const body = res.json as { ids: string[]; matching: number };
        const expected =
          field === 'errorText'
            ? await literalDlqCount(`strpos(lower(${column}), lower($1)) > 0`, [s])
            : await literalDlqCount(`${column} = $1`, [s]);
        expect({ field, matching: body.matching }).toEqual({ field, matching: expected });
        expect(body.ids.length).toBe(Math.min(expected, body.ids.length));
      }
    }
  );

  it('an injection string as a resource id or backend name is a 400 or a 404, and the tables are intact', async () => {
    const before = await backlog.admin.query<{ n: number }>('SELECT count(*)::int AS n FROM kici_events');
    for (const s of INJECTIONS) {
      const e = encodeURIComponent(s);
      for (const [method, path] of [
        ['GET', `dlq/${e}`],
        ['POST', `dlq/${e}/retry`],
        ['DELETE', `dlq/${e}`],
        ['POST', `secret-backends/${e}/test`],
        ['POST', `secret-backends/${e}/sync`],
      ] as const) {
        const res = await plugin.callResource(settings(), { method, path }, { login: 'ada', role: 'Admin' });
        expect({ path, status: [400, 404].includes(res.status) }).toEqual({ path, status: true });
      }
    }
    const after = await backlog.admin.query<{ n: number }>('SELECT count(*)::int AS n FROM kici_events');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});
