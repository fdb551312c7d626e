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
