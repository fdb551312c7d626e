// dlqSignatures and GET dlq/signatures/:id/events through the compiled executable against kici-sim's dlq-backlog scenario
// (120 DLQ events, six fixed error texts) plus events whose errors differ only in ids and hosts, in a real
// PostgreSQL read by a SELECT-only role. Expected groups are written out or counted from the rows, not from the
// plugin's SQL. Needs `npm run build:backend -- --host-only`.
import { randomUUID } from 'node:crypto';
import pg from 'pg';

import { startSim, type Sim } from '../../dev/kici-sim/sim';
import { DLQ_BACKLOG_KNOWN } from '../../dev/kici-sim/scenarios/dlq-backlog';
import { startPlugin, type DatasourceSettingsInput, type PluginProcess } from '../../dev/testing/plugin-process';
import { createReaderRole, createTestDatabase, type ReaderRole, type TestDatabase } from '../../dev/testing/postgres';

jest.setTimeout(120_000);

let db: TestDatabase;
let sim: Sim;
let plugin: PluginProcess;
let admin: pg.Client;
let reader: ReaderRole;
const injected: Array<{ id: string; error: string; eventName: string; routingKey: string; dlqAt: Date }> = [];
const NOW = Date.now();
const FAULT = 'test fault injection: refusing to mark event <uuid> processed';

beforeAll(async () => {
  db = await createTestDatabase('dlq_signatures');
  sim = await startSim({ scenario: 'dlq-backlog', layout: '0.9', pgUrl: db.url });
  admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  // 30 events of one reason whose texts all differ (the event id in the message), over the last 3 hours.
  for (let i = 0; i < 30; i++) {
    const error = `test fault injection: refusing to mark event ${randomUUID()} processed`;
    const eventName = i % 3 === 0 ? 'run.completed' : 'job.completed';
    const routingKey = i % 2 === 0 ? 'github:42' : 'github:77';
    const dlqAt = new Date(NOW - (i + 1) * 6 * 60_000);
    const r = await admin.query<{ id: string }>(
      `INSERT INTO kici_events (event_name, payload, source_routing_key, processed, expires_at, attempts, last_error,
                                dlq_at, dlq_reason)
       VALUES ($1, '{}', $2, true, now() + interval '7 days', 5, $3, $4, 'exhausted_retries') RETURNING id::text AS id`,
      [eventName, routingKey, error, dlqAt]
    );
    injected.push({ id: r.rows[0].id, error, eventName, routingKey, dlqAt });
  }
  reader = await createReaderRole(admin, db.url);
  plugin = await startPlugin();
});

afterAll(async () => {
  await plugin?.stop();
  await admin?.end();
  await sim?.stop();
  await db?.drop();
  await reader?.drop();
});

function settings(): DatasourceSettingsInput {
  const u = new URL(db.url);
  return {
    uid: 'dlq-signatures',
    jsonData: { pgHost: u.hostname, pgPort: Number(u.port), pgDatabase: u.pathname.slice(1), pgUser: reader.user },
    secureJsonData: { pgPassword: reader.password },
  };
}

async function signatures(json: Record<string, unknown> = {}, range = { from: NOW - 4 * 3600_000, to: NOW }) {
  const out = await plugin.queryData(settings(), [
    {
      refId: 'A',
      queryType: 'dlqSignatures',
      json: { refId: 'A', queryType: 'dlqSignatures', ...json },
      timeRange: range,
    },
  ]);
  expect(out.A.error).toBeUndefined();
  const f = out.A.frames[0];
  const col = (name: string) => f.fields.find((x) => x.name === name)!.values;
  return col('signature').map((signature, i) => ({
    signature: signature as string,
    count: col('count')[i] as number,
    firstAt: Number(col('firstAt')[i]),
    lastAt: Number(col('lastAt')[i]),
    eventNames: col('eventNames')[i] as string,
    routingKeys: col('routingKeys')[i] as string,
    sampleError: col('sampleError')[i] as string,
    sampleEventId: col('sampleEventId')[i] as string,
    signatureId: col('signatureId')[i] as string,
    admissions: JSON.parse(col('admissions')[i] as string) as number[],
    meta: f.meta?.custom as { bins: number; stepMs: number },
  }));
}

describe('dlqSignatures', () => {
  it('groups the 30 differing texts into one signature, with its count, times, names, keys and newest sample', async () => {
    const sigs = await signatures();
    const fault = sigs.find((s) => s.signature === FAULT)!;
    expect(fault).toBeDefined();
    expect(fault.count).toBe(30);
    expect(fault.firstAt).toBe(Math.min(...injected.map((e) => e.dlqAt.getTime())));
    expect(fault.lastAt).toBe(Math.max(...injected.map((e) => e.dlqAt.getTime())));
    expect(fault.eventNames).toBe('job.completed, run.completed');
    expect(fault.routingKeys).toBe('github:42, github:77');
    expect(fault.sampleEventId).toBe(injected[0].id);
    expect(fault.sampleError).toBe(injected[0].error);
    // Every injected event lies in the 4 h range: the sparkline holds all 30.
    expect(fault.admissions.reduce((a, b) => a + b, 0)).toBe(30);
    expect(fault.admissions).toHaveLength(fault.meta.bins);
  });

  it('accounts for every DLQ event exactly once, most frequent signature first', async () => {
    const sigs = await signatures();
    expect(sigs.reduce((n, s) => n + s.count, 0)).toBe(DLQ_BACKLOG_KNOWN.dlqDepth + 30);
    const counts = sigs.map((s) => s.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const { rows } = await admin.query<{ n: string }>(
      `SELECT count(DISTINCT last_error)::text AS n FROM kici_events WHERE dlq_at IS NOT NULL AND last_error NOT LIKE 'test fault injection%'`
    );
    // The scenario's fixed texts have no variable parts: one signature each, plus the injected one.
    expect(sigs).toHaveLength(Number(rows[0].n) + 1);
  });

  it('applies the DLQ filters', async () => {
    const sigs = await signatures({ eventName: 'run.completed' });
    expect(sigs.map((s) => [s.signature, s.count])).toEqual([[FAULT, 10]]);
  });

  it('lists the ids of one signature for the bulk actions, newest first; a bad id is a 400, an unknown one a 404', async () => {
    const [fault] = (await signatures({ routingKey: 'github:77' })).filter((s) => s.signature === FAULT);
    const r = await plugin.callResource(settings(), {
      method: 'GET',
      path: `dlq/signatures/${fault.signatureId}/events`,
      query: { routingKey: 'github:77' },
    });
    expect(r.status).toBe(200);
    const body = r.json as { count: number; ids: string[]; signature: string; events: Array<{ id: string }> };
    const expected = injected.filter((e) => e.routingKey === 'github:77').map((e) => e.id);
    expect(body.signature).toBe(FAULT);
    expect(body.count).toBe(15);
    expect(body.ids).toEqual(expected);
    expect(body.events.map((e) => e.id)).toEqual(expected);

    const bad = await plugin.callResource(settings(), { method: 'GET', path: 'dlq/signatures/nope/events' });
    expect(bad.status).toBe(400);
    expect((bad.json as { error: string }).error).toBe(
      'invalid signature request: signatureId: a signature id is 8 hex digits (the signatureId field), not "nope"'
    );
    const unknown = await plugin.callResource(settings(), {
      method: 'GET',
      path: `dlq/signatures/${fault.signatureId}/events`,
      query: { limit: '5' },
    });
    expect(unknown.status).toBe(400);
    expect((unknown.json as { error: string }).error).toBe(
      'invalid signature request: unknown parameter limit (use eventName, routingKey, repo, errorText)'
    );
    const gone = await plugin.callResource(settings(), { method: 'GET', path: 'dlq/signatures/00000000/events' });
    expect(gone.status).toBe(404);
  });
});

/** Every page of a dlqEvents query (following meta.custom.nextCursor): the ids and the last frame's meta. */
async function eventPages(json: Record<string, unknown>, range = { from: NOW - 4 * 3600_000, to: NOW }) {
  const ids: string[] = [];
  let cursor: string | undefined;
  let meta: { custom?: Record<string, unknown>; notices?: Array<{ text: string }> } = {};
  do {
    const model = { refId: 'A', queryType: 'dlqEvents', limit: 7, ...json, ...(cursor ? { cursor } : {}) };
    const out = await plugin.queryData(settings(), [
      { refId: 'A', queryType: 'dlqEvents', json: model, timeRange: range },
    ]);
    expect(out.A.error).toBeUndefined();
    const f = out.A.frames[0];
    ids.push(...(f.fields.find((x) => x.name === 'id')!.values as string[]));
    meta = f.meta as typeof meta;
    cursor = (meta.custom?.nextCursor as string | null) ?? undefined;
  } while (cursor);
  return { ids, meta };
}

async function depth(json: Record<string, unknown>) {
  const out = await plugin.queryData(settings(), [
    {
      refId: 'D',
      queryType: 'dlqDepth',
      json: { refId: 'D', queryType: 'dlqDepth', ...json },
      timeRange: { from: NOW - 3600_000, to: NOW },
    },
  ]);
  expect(out.D.error).toBeUndefined();
  return out.D.frames[0].fields.find((x) => x.name === 'depth')!.values[0];
}

describe('the signature filter of dlqEvents, dlqDepth and the bulk retry', () => {
  const newestFirst = (events: typeof injected) =>
    [...events].sort((a, b) => b.dlqAt.getTime() - a.dlqAt.getTime()).map((e) => e.id);

  it('lists exactly the events of one signature, paged, newest first, with its text for the chip', async () => {
    const [fault] = (await signatures()).filter((s) => s.signature === FAULT);
    const all = await eventPages({ signature: fault.signatureId, useTimeRange: false });
    expect(all.ids).toEqual(newestFirst(injected));
    expect(all.meta.custom).toMatchObject({ signatureId: fault.signatureId, signature: FAULT });
    expect(all.meta.notices).toBeUndefined();
    const keyed = await eventPages({ signature: fault.signatureId, routingKey: 'github:77', useTimeRange: false });
    expect(keyed.ids).toEqual(newestFirst(injected.filter((e) => e.routingKey === 'github:77')));
  });

  it('keeps the time range, and counts the signature’s events left outside it', async () => {
    const [fault] = (await signatures()).filter((s) => s.signature === FAULT);
    // The injected events lie 6..180 minutes back: the last hour holds the first 9 (6, 12, … 54 minutes).
    const lastHour = { from: NOW - 3600_000 + 1, to: NOW };
    const r = await eventPages({ signature: fault.signatureId }, lastHour);
    const inHour = injected.filter((e) => e.dlqAt.getTime() >= lastHour.from);
    expect(inHour).toHaveLength(9);
    expect(r.ids).toEqual(newestFirst(inHour));
    expect(r.meta.custom?.olderOutsideRange).toBe(21);
  });

  it('counts a signature in dlqDepth as the signatures query does, and the bulk retry dry run takes the same events', async () => {
    const sigs = await signatures();
    for (const s of sigs) {
      expect([s.signature, await depth({ signature: s.signatureId })]).toEqual([s.signature, s.count]);
    }
    const [fault] = sigs.filter((s) => s.signature === FAULT);
    const dry = await plugin.callResource(settings(), {
      method: 'POST',
      path: 'dlq/retry',
      body: { filter: { signature: fault.signatureId, eventName: 'run.completed' }, dryRun: true },
    });
    expect(dry.status).toBe(200);
    const want = newestFirst(injected.filter((e) => e.eventName === 'run.completed'));
    expect(dry.json).toEqual({ dryRun: true, ids: want, count: 10, matching: 10 });
  });

  it('groups a NULL and a blank last_error under one signature and filters both', async () => {
    const { rows } = await admin.query<{ id: string }>(
      `INSERT INTO kici_events (event_name, payload, processed, expires_at, attempts, last_error, dlq_at, dlq_reason)
       VALUES ('run.completed', '{}', true, now() + interval '7 days', 5, NULL, now() - interval '1 minute', 'exhausted_retries'),
              ('run.completed', '{}', true, now() + interval '7 days', 5, '  ', now() - interval '2 minutes', 'exhausted_retries')
       RETURNING id::text AS id`
    );
    try {
      const sig = (await signatures()).find((s) => s.signature === '(no error recorded)')!;
      const { rows: want } = await admin.query<{ id: string }>(
        `SELECT id::text AS id FROM kici_events WHERE dlq_at IS NOT NULL AND coalesce(btrim(last_error), '') = ''
          ORDER BY dlq_at DESC, id DESC`
      );
      expect(want.length).toBeGreaterThanOrEqual(2);
      expect(sig.count).toBe(want.length);
      const r = await eventPages({ signature: sig.signatureId, useTimeRange: false });
      expect(r.ids).toEqual(want.map((w) => w.id));
      expect(await depth({ signature: sig.signatureId })).toBe(want.length);
    } finally {
      await admin.query('DELETE FROM kici_events WHERE id = ANY($1::uuid[])', [rows.map((r) => r.id)]);
    }
  });

  it('an unknown signature lists nothing and says so; a malformed one fails its refId with a 400 naming the field', async () => {
    const none = await eventPages({ signature: '00000000', useTimeRange: false });
    expect(none.ids).toEqual([]);
    expect(none.meta.notices?.map((n) => n.text)).toEqual([
      'No DLQ event has error signature 00000000 now: its events were retried or discarded, or it never occurred',
    ]);
    expect(await depth({ signature: '00000000' })).toBe(0);
    const out = await plugin.queryData(settings(), [
      {
        refId: 'A',
        queryType: 'dlqEvents',
        json: { refId: 'A', queryType: 'dlqEvents', signature: "x' OR 1=1" },
        timeRange: { from: NOW - 3600_000, to: NOW },
      },
      {
        refId: 'B',
        queryType: 'dlqDepth',
        json: { refId: 'B', queryType: 'dlqDepth' },
        timeRange: { from: NOW - 3600_000, to: NOW },
      },
    ]);
    expect(out.A.error).toBe(
      'invalid query: signature: a signature id is 8 lowercase hex digits (the signatureId field of dlqSignatures)'
    );
    expect(out.A.status).toBe(400);
    expect(out.B.error).toBeUndefined();
  });
});

describe('dlqSignatures as numbers (the "new signature" alert)', () => {
  async function numbers(json: Record<string, unknown>, range: { from: number; to: number }) {
    const out = await plugin.queryData(settings(), [
      {
        refId: 'N',
        queryType: 'dlqSignatures',
        json: { refId: 'N', queryType: 'dlqSignatures', ...json },
        timeRange: range,
      },
    ]);
    return out.N;
  }

  it('is one number per signature labelled by it, no time field; firstSeenInRange keeps those first admitted in range', async () => {
    const range = { from: NOW - 4 * 3600_000, to: NOW };
    const all = await numbers({ format: 'numbers' }, range);
    expect(all.error).toBeUndefined();
    const f = all.frames[0];
    expect(f.fields.map((x) => [x.name, x.type])).toEqual([
      ['signature', 'string'],
      ['signatureId', 'string'],
      ['count', 'number'],
    ]);
    const table = await signatures({}, range);
    expect(f.fields[0].values).toEqual(table.map((s) => s.signature));
    expect(f.fields[1].values).toEqual(table.map((s) => s.signatureId));
    expect(f.fields[2].values).toEqual(table.map((s) => s.count));

    // The injected fault was first admitted 180 minutes back: new within 4 hours, not within 2.
    for (const hours of [4, 2]) {
      const r = { from: NOW - hours * 3600_000, to: NOW };
      const fresh = await numbers({ format: 'numbers', firstSeenInRange: true }, r);
      const want = table.filter((s) => s.firstAt >= r.from).map((s) => s.signature);
      expect(fresh.frames[0].fields[0].values).toEqual(want);
      expect(want.includes(FAULT)).toBe(hours === 4);
    }
  });

  it('refuses an unknown format with a 400 naming it', async () => {
    const r = await numbers({ format: 'chart' }, { from: NOW - 3600_000, to: NOW });
    expect(r.status).toBe(400);
    expect(r.error).toBe('invalid query: format: Invalid option: expected one of "table"|"numbers"');
  });
});
