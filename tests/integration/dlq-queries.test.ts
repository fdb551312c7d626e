// dlqEvents, dlqDepth, eventDelivery and GET dlq/* through the compiled executable (Grafana's gRPC
// path) against kici-sim's dlq-backlog scenario in a real PostgreSQL, read by a SELECT-only role.
// Every expectation is computed from the rows themselves (or the scenario's documented numbers),
// never from the plugin's own SQL. Needs `npm run build:backend -- --host-only`.
import pg from 'pg';

import { startSim, type Sim } from '../../dev/kici-sim/sim';
import { DLQ_BACKLOG_KNOWN } from '../../dev/kici-sim/scenarios/dlq-backlog';
import {
  startPlugin,
  type DatasourceSettingsInput,
  type DecodedFrame,
  type PluginProcess,
  type QueryInput,
} from '../../dev/testing/plugin-process';
import { createReaderRole, createTestDatabase, type ReaderRole, type TestDatabase } from '../../dev/testing/postgres';

jest.setTimeout(120_000);

const INJECTIONS = [
  "x'; DROP TABLE kici_events; --",
  "' OR '1'='1",
  'acme/%',
  '_',
  '%',
  '\\',
  '"; SELECT pg_sleep(5); --',
  '$1',
  // Leading and trailing spaces are part of a stored routing key: matched exactly, never trimmed (issue 14 item 7).
  ' github:42  ',
];

interface EventRow {
  id: string;
  event_name: string;
  source_routing_key: string | null;
  source_repo: string | null;
  attempts: number;
  last_error: string | null;
  dlq_at: Date;
  created_at: Date;
  dlq_us: string;
  created_us: string;
}

let db: TestDatabase;
let sim: Sim;
let plugin: PluginProcess;
let admin: pg.Client;
let reader: ReaderRole;
let all: EventRow[];

async function dlqRows(): Promise<EventRow[]> {
  const r = await admin.query<EventRow>(
    `SELECT id::text AS id, event_name, source_routing_key, source_repo, attempts, last_error, dlq_at, created_at,
            (extract(epoch FROM dlq_at) * 1000000)::bigint::text AS dlq_us,
            (extract(epoch FROM created_at) * 1000000)::bigint::text AS created_us
       FROM kici_events WHERE dlq_at IS NOT NULL`
  );
  return r.rows;
}

beforeAll(async () => {
  db = await createTestDatabase('dlq_queries');
  sim = await startSim({ scenario: 'dlq-backlog', layout: '0.9', pgUrl: db.url });
  admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  // Rows whose fields literally hold injection strings, and a group sharing one microsecond dlq_at.
  for (const [i, s] of INJECTIONS.entries()) {
    await admin.query(
      `INSERT INTO kici_events (event_name, payload, source_repo, source_routing_key, processed, expires_at, attempts,
                                last_error, dlq_at, dlq_reason)
       VALUES ($1, '{}', $1, $1, true, now() + interval '7 days', 5, $2, now() - $3::interval, 'exhausted_retries')`,
      [s, `Error: ${s} in step ${i}`, `${i + 1} minutes`]
    );
  }
  await admin.query(
    `INSERT INTO kici_events (event_name, payload, source_repo, source_routing_key, processed, expires_at, attempts,
                              last_error, dlq_at, dlq_reason)
     SELECT 'tie-event', '{}', 'acme/ties', 'github:42', true, now() + interval '7 days', 5, 'tie ' || g,
            timestamptz '2026-11-24 05:00:00.123456+00', 'exhausted_retries'
       FROM generate_series(1, 9) g`
  );
  reader = await createReaderRole(admin, db.url);
  all = await dlqRows();
  plugin = await startPlugin();
});

afterAll(async () => {
  await plugin?.stop();
  await admin?.end();
  await sim?.stop();
  await db?.drop();
  await reader?.drop();
});

function settings(token: 'auditor' | 'admin' | 'scoped' | 'owner' = 'auditor'): DatasourceSettingsInput {
  const u = new URL(db.url);
  return {
    uid: `dlq-q-${token}`,
    jsonData: {
      pgHost: u.hostname,
      pgPort: Number(u.port),
      pgDatabase: u.pathname.slice(1),
      pgUser: reader.user,
      orchestratorUrls: sim.nodes.map((n) => n.url),
    },
    secureJsonData: { pgPassword: reader.password, adminToken: sim.tokens[token] },
  };
}

async function query(json: Record<string, unknown>, extra: Partial<QueryInput> = {}, token?: 'scoped') {
  const out = await plugin.queryData(settings(token), [
    { refId: 'A', queryType: String(json.queryType), json: { refId: 'A', ...json }, ...extra },
  ]);
  return out.A;
}

const col = (f: DecodedFrame, name: string) => f.fields.find((x) => x.name === name)!.values;

/** Every page of a dlqEvents query, following meta.custom.nextCursor. */
async function allPages(json: Record<string, unknown>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const res = await query({ queryType: 'dlqEvents', useTimeRange: false, ...json, ...(cursor ? { cursor } : {}) });
    expect(res.error).toBeUndefined();
    const f = res.frames[0];
    ids.push(...(col(f, 'id') as string[]));
    cursor = (f.meta?.custom as { nextCursor: string | null }).nextCursor ?? undefined;
    if (!cursor) {
      return ids;
    }
  }
  throw new Error('paging did not end');
}

const byKey = (key: (r: EventRow) => string | number, dir: 'asc' | 'desc') => (a: EventRow, b: EventRow) => {
  const ka = key(a);
  const kb = key(b);
  const c =
    typeof ka === 'number' && typeof kb === 'number'
      ? ka - kb
      : typeof ka === 'number'
        ? 0
        : BigInt(ka as string) === BigInt(kb as string)
          ? 0
          : BigInt(ka as string) < BigInt(kb as string)
            ? -1
            : 1;
  const tie = c !== 0 ? c : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  return dir === 'asc' ? tie : -tie;
};

describe('dlqEvents', () => {
  it('defaults to the newest admissions in the time range, as a table frame with the paging state', async () => {
    const to = Date.now();
    const from = to - 24 * 3_600_000;
    const res = await query({ queryType: 'dlqEvents' }, { timeRange: { from, to } });
    expect(res.error).toBeUndefined();
    const f = res.frames[0];
    const expected = all
      .filter((r) => r.dlq_at.getTime() >= from && r.dlq_at.getTime() <= to)
      .sort(byKey((r) => r.dlq_us, 'desc'))
      .slice(0, 100)
      .map((r) => r.id);
    expect(col(f, 'id')).toEqual(expected);
    expect(f.fields.map((x) => x.name)).toEqual([
      'id',
      'eventName',
      'routingKey',
      'repo',
      'sourceRunId',
      'sourceJobId',
      'attempts',
      'reason',
      'dlqAt',
      'createdAt',
      'lastError',
    ]);
    expect(f.fields.find((x) => x.name === 'dlqAt')!.type).toBe('time');
    expect(f.meta?.custom).toMatchObject({ limit: 100, sort: 'dlqAt', sortDirection: 'desc' });
  });

  it.each([
    ['eventName', 'deploy-complete', (r: EventRow) => r.event_name === 'deploy-complete'],
    ['routingKey', 'github:77', (r: EventRow) => r.source_routing_key === 'github:77'],
    ['repo', 'acme/web', (r: EventRow) => r.source_repo === 'acme/web'],
    ['errorText', 'econnrefused', (r: EventRow) => !!r.last_error?.toLowerCase().includes('econnrefused')],
  ])('filter %s = %j returns exactly the matching rows', async (field, value, match) => {
    const ids = await allPages({ [field]: value, limit: 500 });
    const expected = all
      .filter(match)
      .sort(byKey((r) => r.dlq_us, 'desc'))
      .map((r) => r.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids).toEqual(expected);
  });

  it('matches the scenario’s documented numbers', async () => {
    for (const [name, n] of Object.entries(DLQ_BACKLOG_KNOWN.byEventName)) {
      expect(await allPages({ eventName: name, limit: 500 })).toHaveLength(n);
    }
    expect(await allPages({ routingKey: 'github:77', limit: 500 })).toHaveLength(
      DLQ_BACKLOG_KNOWN.byRoutingKey['github:77']
    );
  });

  it('combines filters with the time range', async () => {
    const to = Date.now() - 3 * 3_600_000;
    const from = to - 36 * 3_600_000;
    const res = await query(
      { queryType: 'dlqEvents', routingKey: 'github:42', repo: 'acme/api', limit: 500 },
      { timeRange: { from, to } }
    );
    const expected = all
      .filter((r) => r.source_routing_key === 'github:42' && r.source_repo === 'acme/api')
      .filter((r) => r.dlq_at.getTime() >= from && r.dlq_at.getTime() <= to)
      .sort(byKey((r) => r.dlq_us, 'desc'))
      .map((r) => r.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(col(res.frames[0], 'id')).toEqual(expected);
  });

  it.each(INJECTIONS)('injection string %j in every filter matches only its literal row', async (s) => {
    for (const field of ['eventName', 'routingKey', 'repo'] as const) {
      const column = { eventName: 'event_name', routingKey: 'source_routing_key', repo: 'source_repo' }[field] as
        'event_name' | 'source_routing_key' | 'source_repo';
      const expected = all.filter((r) => r[column] === s).map((r) => r.id);
      expect(expected).toHaveLength(1);
      expect(await allPages({ [field]: s, limit: 500 })).toEqual(expected);
    }
    const literal = all
      .filter((r) => !!r.last_error?.toLowerCase().includes(s.toLowerCase()))
      .sort(byKey((r) => r.dlq_us, 'desc'))
      .map((r) => r.id);
    expect(await allPages({ errorText: s, limit: 500 })).toEqual(literal);
  });

  it.each([
    [{ sort: 'dlqAt; DROP TABLE kici_events; --' }, 'invalid query: sort: '],
    [{ sortDirection: 'desc; DELETE FROM kici_events' }, 'invalid query: sortDirection: '],
    [{ sort: 'payload' }, 'invalid query: sort: '],
    [{ cursor: "' OR 1=1 --" }, 'invalid query: cursor: '],
    [{ limit: 501 }, 'invalid query: limit: dlqEvents returns 1..500 rows per page, not 501'],
  ])('refuses %j with a 400 and touches nothing', async (json, message) => {
    const before = (await admin.query('SELECT count(*)::int AS n FROM kici_events')).rows[0].n;
    const res = await query({ queryType: 'dlqEvents', ...json });
    expect(res.status).toBe(400);
    expect(res.error).toContain(message);
    expect((await admin.query('SELECT count(*)::int AS n FROM kici_events')).rows[0].n).toBe(before);
  });

  it.each([
    ['dlqAt', 'desc'],
    ['dlqAt', 'asc'],
  ] as const)('pages by %s %s through ties without skipping or repeating a row', async (sort, dir) => {
    const ids = await allPages({ sort, sortDirection: dir, limit: 7 });
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...all].sort(byKey((r) => r.dlq_us, dir)).map((r) => r.id));
  });

  it('refuses a sort it does not offer with a 400 naming the one it does, failing only that refId', async () => {
    for (const sort of ['createdAt', 'attempts', 'eventName']) {
      const out = await plugin.queryData(settings(), [
        { refId: 'A', queryType: 'dlqEvents', json: { refId: 'A', queryType: 'dlqEvents', sort, useTimeRange: false } },
        { refId: 'B', queryType: 'dlqEvents', json: { refId: 'B', queryType: 'dlqEvents', useTimeRange: false } },
      ]);
      expect(out.A.status).toBe(400);
      expect(out.A.error).toBe(
        `invalid query: sort: dlqEvents sorts by dlqAt (asc or desc), not ${sort}: KiCI indexes DLQ events by admission time only, and any other order would sort the whole DLQ for every page`
      );
      expect(out.B.error).toBeUndefined();
      expect(col(out.B.frames[0], 'id')).toEqual(
        [...all]
          .sort(byKey((r) => r.dlq_us, 'desc'))
          .slice(0, 100)
          .map((r) => r.id)
      );
    }
  });

  it('keeps rows sharing one microsecond dlq_at apart across page edges', async () => {
    const ids = await allPages({ repo: 'acme/ties', limit: 2 });
    expect(ids).toEqual(
      all
        .filter((r) => r.source_repo === 'acme/ties')
        .map((r) => r.id)
        .sort()
        .reverse()
    );
    expect(ids).toHaveLength(9);
  });

  it('a scoped admin token adds a notice that the table shows every routing key', async () => {
    const res = await query({ queryType: 'dlqEvents', limit: 1, useTimeRange: false }, {}, 'scoped');
    const notices = res.frames[0].meta?.notices as Array<{ severity: string; text: string }>;
    expect(notices).toEqual([
      {
        severity: 'info',
        text: 'This table is read from the database and shows every routing key. The configured admin token is scoped to routing key github:42: Retry and Discard work only for its events.',
      },
    ]);
    expect(
      (await query({ queryType: 'dlqEvents', limit: 1, useTimeRange: false })).frames[0].meta?.notices
    ).toBeUndefined();
  });

  it('says how many DLQ events are older than the time range (dlqDepth counts them; issue 14 item 12)', async () => {
    const from = Date.now() - 12 * 3_600_000;
    const to = Date.now();
    const res = await query({ queryType: 'dlqEvents', routingKey: 'github:42', limit: 1 }, { timeRange: { from, to } });
    const older = all.filter((r) => r.source_routing_key === 'github:42' && r.dlq_at.getTime() < from).length;
    expect(older).toBeGreaterThan(1);
    expect(res.frames[0].meta?.notices).toEqual([
      {
        severity: 'info',
        text: `${older} older events outside the range: dlqEvents lists DLQ rows admitted within the dashboard time range; turn the time range off (useTimeRange: false) to list the whole DLQ`,
      },
    ]);
    expect(res.frames[0].meta?.custom).toMatchObject({ olderOutsideRange: older });
  });
});

describe('dlqDepth', () => {
  it('{"queryType":"dlqDepth"} alone is one frame with one numeric field: the DB count', async () => {
    const out = await plugin.queryData(settings(), [
      { refId: 'A', queryType: 'dlqDepth', json: { queryType: 'dlqDepth' } },
    ]);
    expect(out.A.error).toBeUndefined();
    expect(out.A.frames).toHaveLength(1);
    const f = out.A.frames[0];
    expect(f.fields).toHaveLength(1);
    expect(f.fields[0]).toMatchObject({ name: 'depth', type: 'number', values: [all.length] });
    expect(all.length).toBe(DLQ_BACKLOG_KNOWN.dlqDepth + INJECTIONS.length + 9);
  });

  it('counts one routing key', async () => {
    const res = await query({ queryType: 'dlqDepth', routingKey: 'github:77' });
    expect(col(res.frames[0], 'depth')).toEqual([DLQ_BACKLOG_KNOWN.byRoutingKey['github:77']]);
  });

  it('series: admissions per interval over the range, zero-filled, summing to the rows in range', async () => {
    const step = 600_000;
    const to = Date.now();
    const from = to - 24 * 3_600_000;
    const res = await query(
      { queryType: 'dlqDepth', series: true },
      { timeRange: { from, to }, intervalMs: step, maxDataPoints: 1000 }
    );
    expect(res.error).toBeUndefined();
    const f = res.frames[0];
    const times = col(f, 'time') as number[];
    const counts = col(f, 'admissions') as number[];
    expect(f.fields.map((x) => x.type)).toEqual(['time', 'number']);
    expect(times.length).toBeGreaterThanOrEqual(144);
    expect(times.length).toBeLessThanOrEqual(145);
    for (let i = 1; i < times.length; i++) {
      expect(times[i] - times[i - 1]).toBe(step);
    }
    expect(times[0] % step).toBe(0);
    const expected = times.map(
      (t) =>
        all.filter((r) => r.dlq_at.getTime() >= Math.max(t, from) && r.dlq_at.getTime() < Math.min(t + step, to)).length
    );
    expect(counts).toEqual(expected);
    // dlq-backlog admits one event every 24 minutes: some 10-minute bins are empty and must be there as 0.
    expect(counts.filter((c) => c === 0).length).toBeGreaterThan(10);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(all.filter((r) => r.dlq_at.getTime() >= from).length);
  });

  it('series: the bins widen so the range fits in maxDataPoints', async () => {
    const to = Date.now();
    const from = to - 24 * 3_600_000;
    const res = await query(
      { queryType: 'dlqDepth', series: true },
      { timeRange: { from, to }, intervalMs: 1000, maxDataPoints: 50 }
    );
    const times = col(res.frames[0], 'time') as number[];
    expect(times.length).toBeLessThanOrEqual(50);
    expect((res.frames[0].meta?.custom as { stepMs: number }).stepMs).toBe(times[1] - times[0]);
  });
});

describe('eventDelivery', () => {
  it('reports the retry backlog, leases per node with the expired flag, and the oldest unprocessed age', async () => {
    const due = async () =>
      (
        await admin.query(
          'SELECT count(*)::int AS n FROM kici_events WHERE processed = false AND dlq_at IS NULL AND next_retry_at <= now()'
        )
      ).rows[0].n as number;
    const dueBefore = await due();
    const res = await query({ queryType: 'eventDelivery' });
    const dueAfter = await due();
    expect(res.error).toBeUndefined();
    expect(res.frames.map((f) => f.name)).toEqual(['summary', 'leases']);
    const [summary, leases] = res.frames;
    expect(col(summary, 'retryBacklog')).toEqual([DLQ_BACKLOG_KNOWN.retryBacklog]);
    expect(col(summary, 'liveLeases')).toEqual([DLQ_BACKLOG_KNOWN.expiredLeases]);
    expect(col(summary, 'expiredLeases')).toEqual([DLQ_BACKLOG_KNOWN.expiredLeases]);
    const dueNow = col(summary, 'dueForRetry')[0] as number;
    expect(dueNow).toBeGreaterThanOrEqual(dueBefore);
    expect(dueNow).toBeLessThanOrEqual(dueAfter);
    const oldest = (
      await admin.query(
        `SELECT extract(epoch FROM now() - min(created_at))::float8 AS s FROM kici_events WHERE processed = false AND dlq_at IS NULL`
      )
    ).rows[0].s as number;
    const age = col(summary, 'oldestUnprocessedAge')[0] as number;
    // Read a moment before our own query: the plugin's value lies between the seeded age and now.
    expect(age).toBeGreaterThan(4 * 60);
    expect(age).toBeLessThanOrEqual(oldest);
    expect(col(leases, 'orchestrator')).toEqual(['orch-a']);
    expect(col(leases, 'leases')).toEqual([3]);
    expect(col(leases, 'expired')).toEqual([true]);
    expect(col(leases, 'oldestAge')[0] as number).toBeGreaterThan(4 * 60 - 1);
  });

  it('section picks one frame', async () => {
    expect((await query({ queryType: 'eventDelivery', section: 'leases' })).frames.map((f) => f.name)).toEqual([
      'leases',
    ]);
    expect((await query({ queryType: 'eventDelivery', section: 'summary' })).frames.map((f) => f.name)).toEqual([
      'summary',
    ]);
  });
});

describe('GET dlq/:id and dlq/permissions', () => {
  it('returns the full event from the database', async () => {
    const target = all.find((r) => r.event_name === 'deploy-complete')!;
    const res = await plugin.callResource(settings(), { method: 'GET', path: `dlq/${target.id}` });
    expect(res.status).toBe(200);
    const db = (
      await admin.query(
        'SELECT payload, last_error, attempts, chain_depth, source_run_id, expires_at FROM kici_events WHERE id = $1',
        [target.id]
      )
    ).rows[0];
    expect(res.json).toMatchObject({
      id: target.id,
      eventName: 'deploy-complete',
      payload: db.payload,
      lastError: db.last_error,
      attempts: 5,
      chainDepth: db.chain_depth,
      sourceRunId: db.source_run_id,
      dlqReason: 'exhausted_retries',
      dlqAt: target.dlq_at.toISOString(),
      expiresAt: db.expires_at.toISOString(),
      claimedAt: null,
      claimedBy: null,
    });
  });

  it('404 for an unknown id and for an event not in the DLQ; 400 for a non-UUID before any query', async () => {
    const unknown = await plugin.callResource(settings(), {
      method: 'GET',
      path: 'dlq/00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({
      error:
        'event 00000000-0000-4000-8000-000000000000 not found: it is not in kici_events (discarded, or expired after its TTL)',
    });
    const leased = (await admin.query(`SELECT id::text AS id FROM kici_events WHERE claimed_by = 'orch-a' LIMIT 1`))
      .rows[0].id;
    const notDlq = await plugin.callResource(settings(), { method: 'GET', path: `dlq/${leased}` });
    expect(notDlq.status).toBe(404);
    expect((notDlq.json as { error: string }).error).toMatch(
      /is not in the DLQ: it is being dispatched by orch-a \(attempt 1\)$/
    );
    const bad = await plugin.callResource(settings(), {
      method: 'GET',
      path: `dlq/${encodeURIComponent("1' OR '1'='1")}`,
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ error: `"1' OR '1'='1" is not an event id (a UUID)` });
  });

  it('permissions: an auditor token disables both actions with the reason', async () => {
    const res = await plugin.callResource(
      settings('auditor'),
      { method: 'GET', path: 'dlq/permissions' },
      { role: 'Admin', login: 'ops' }
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      canRetry: false,
      canDiscard: false,
      retryReason:
        'the configured admin token has role auditor, which cannot manage the DLQ; use an admin or owner token',
      discardMinRole: 'Admin',
      user: { login: 'ops', role: 'Admin' },
      token: { configured: true, role: 'auditor', canManage: false },
      orchestrators: 1,
    });
  });

  it('permissions: an admin token lets an Editor retry but not discard; a Viewer neither', async () => {
    const editor = await plugin.callResource(
      settings('admin'),
      { method: 'GET', path: 'dlq/permissions' },
      { role: 'Editor', login: 'ed' }
    );
    expect(editor.json).toMatchObject({
      canRetry: true,
      retryReason: '',
      canDiscard: false,
      discardReason: 'discard needs the Grafana Admin role (datasource setting discardMinRole); ed has Editor',
      token: { role: 'admin', canManage: true },
    });
    const viewer = await plugin.callResource(
      settings('admin'),
      { method: 'GET', path: 'dlq/permissions' },
      { role: 'Viewer', login: 'vi' }
    );
    expect(viewer.json).toMatchObject({
      canRetry: false,
      retryReason: 'retry needs the Grafana Editor role; vi has Viewer',
      canDiscard: false,
    });
  });
});
