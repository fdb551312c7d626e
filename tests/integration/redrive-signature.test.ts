// A DLQ error signature's redrive against a real PostgreSQL and kici-sim's admin API: the event set fixed at start is
// exactly the signature's events (the signature recomputed here from the DLQ rows), those leave the DLQ, and every
// other DLQ event stays. Same set-up as redrive.test.ts.
import pg from 'pg';

import { startSim, type Sim } from '../../dev/kici-sim/sim';
import { createReaderRole, createTestDatabase, type ReaderRole, type TestDatabase } from '../../dev/testing/postgres';
import {
  errorSignature,
  SIGNATURE_INPUT_CHARS,
  signatureId,
} from '../../src/backend/features/dlq-signatures/normalize';
import type { RedriveView } from '../../src/datasource/redrive';
import { RedriveService } from '../../src/backend/features/redrive/service';
import { OrchestratorClient } from '../../src/backend/kici/orchestrator';
import type { Logger } from '../../src/backend/protocol/types';

jest.setTimeout(120_000);

let db: TestDatabase;
let sim: Sim;
let admin: pg.Client;
let reader: ReaderRole;
let pool: pg.Pool;
let service: RedriveService;
const lines: Array<{ message: string; fields: Record<string, unknown> }> = [];
const log: Logger = {
  debug: () => undefined,
  info: (message, fields = {}) => lines.push({ message, fields }),
  warn: () => undefined,
  error: () => undefined,
  with: () => log,
};

beforeAll(async () => {
  db = await createTestDatabase('redrive_sig');
  sim = await startSim({ scenario: 'dlq-backlog', layout: '0.9', pgUrl: db.url });
  admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  reader = await createReaderRole(admin, db.url);
  await admin.query(`CREATE SCHEMA kici_grafana AUTHORIZATION ${reader.user}`);
  const u = new URL(db.url);
  const s = {
    host: u.hostname,
    port: Number(u.port),
    database: u.pathname.slice(1),
    user: reader.user,
    password: reader.password,
    sslMode: 'disable' as const,
    statementTimeoutMs: 10_000,
  };
  pool = new pg.Pool({ ...s, max: 2 });
  service = new RedriveService({
    pool,
    pg: s,
    orchestrators: sim.nodes.map(
      (n) => new OrchestratorClient({ baseUrl: n.url, timeoutMs: 3000, adminToken: sim.tokens.admin })
    ),
    datasourceUid: 'sig',
    log,
  });
});

afterAll(async () => {
  await service?.abandon();
  await pool?.end();
  await admin?.end();
  await sim?.stop();
  await db?.drop();
  await reader?.drop();
});

/** The DLQ now, grouped by signature id (computed here, independently of the redrive's resolution). */
async function dlqBySignature(): Promise<Map<string, { signature: string; ids: string[] }>> {
  const r = await admin.query<{ id: string; last_error: string | null }>(
    'SELECT id::text AS id, last_error FROM kici_events WHERE dlq_at IS NOT NULL ORDER BY dlq_at, id'
  );
  const out = new Map<string, { signature: string; ids: string[] }>();
  for (const row of r.rows) {
    const sig = errorSignature(row.last_error === null ? null : row.last_error.slice(0, SIGNATURE_INPUT_CHARS));
    const id = signatureId(sig);
    const g = out.get(id) ?? { signature: sig, ids: [] };
    g.ids.push(row.id);
    out.set(id, g);
  }
  return out;
}

it('retries exactly the events of the signature, oldest first, and says so in its description', async () => {
  const before = await dlqBySignature();
  const groups = [...before.entries()].filter(([, g]) => g.ids.length >= 2);
  expect(groups.length).toBeGreaterThanOrEqual(2);
  const [sigId, target] = groups[0];
  const others = [...before.entries()].filter(([k]) => k !== sigId).flatMap(([, g]) => g.ids);
  expect(others.length).toBeGreaterThan(0);

  const res = await service.start({ filter: {}, signatureId: sigId, rate: 500, description: 'ignored' }, 'eddie', log);
  expect(res.status).toBe(201);
  const view = res.body.redrive as RedriveView;
  expect(view.signatureId).toBe(sigId);
  expect(view.description).toBe(
    `signature “${target.signature.length > 160 ? `${target.signature.slice(0, 160)}…` : target.signature}”`
  );
  expect(view.total).toBe(target.ids.length);
  expect(view.matching).toBe(target.ids.length);
  const fixed = await admin.query<{ event_id: string }>(
    'SELECT event_id::text AS event_id FROM kici_grafana.redrive_event WHERE redrive_id = $1 ORDER BY seq',
    [view.id]
  );
  expect(fixed.rows.map((r) => r.event_id)).toEqual(target.ids);

  await service.settled();
  const done = (await service.current())!;
  expect(done).toMatchObject({ state: 'completed', retried: target.ids.length, failed: 0, remaining: 0 });
  const after = await dlqBySignature();
  expect(after.has(sigId)).toBe(false);
  expect([...after.values()].flatMap((g) => g.ids).sort()).toEqual([...others].sort());
  expect(lines.find((l) => l.message === 'DLQ redrive started')?.fields).toMatchObject({
    user: 'eddie',
    signatureId: sigId,
  });
});

it('a signature no DLQ event has is a 400 naming the signatureId, and starts nothing', async () => {
  const latest = (await service.current())!.id;
  await expect(
    service.start({ filter: {}, signatureId: '00000000', rate: 10, description: 'x' }, 'eddie', log)
  ).rejects.toMatchObject({
    status: 400,
    message:
      'invalid redrive: signatureId 00000000: no DLQ event has this signature now (retried, discarded or never present)',
  });
  expect((await service.current())!.id).toBe(latest);
});
