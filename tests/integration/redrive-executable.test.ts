// Two real plugin executables (two Grafana replicas' plugin processes) on one orchestrator database and one kici-sim:
// the redrive runs once, the other process shows its progress and refuses a second start with a 409 naming it, a
// killed owner's redrive becomes interrupted when its lease runs out, and a graceful shutdown marks it at once.
// Needs `npm run build:backend -- --host-only`.
import pg from 'pg';

import { startSim, type Sim } from '../../dev/kici-sim/sim';
import {
  startPlugin,
  type DatasourceSettingsInput,
  type PluginProcess,
  type UserInput,
} from '../../dev/testing/plugin-process';
import { createReaderRole, createTestDatabase, type ReaderRole, type TestDatabase } from '../../dev/testing/postgres';
import type { RedriveView } from '../../src/datasource/redrive';
import { DEFAULT_LEASE_MS } from '../../src/backend/features/redrive/service';

jest.setTimeout(180_000);

const EDITOR: UserInput = { login: 'eddie', role: 'Editor' };
const ADMIN: UserInput = { login: 'ada', role: 'Admin' };

let db: TestDatabase;
let sim: Sim;
let admin: pg.Client;
let reader: ReaderRole;
let a: PluginProcess;
let b: PluginProcess;

beforeAll(async () => {
  db = await createTestDatabase('redrive_exec');
  sim = await startSim({ scenario: 'dlq-backlog', layout: '0.9', pgUrl: db.url });
  admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  reader = await createReaderRole(admin, db.url);
  await admin.query(`CREATE SCHEMA kici_grafana AUTHORIZATION ${reader.user}`);
  [a, b] = await Promise.all([startPlugin(), startPlugin()]);
});

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await admin?.end();
  await sim?.stop();
  await db?.drop();
  await reader?.drop();
});

function settings(): DatasourceSettingsInput {
  const u = new URL(db.url);
  return {
    uid: 'redrive-exec',
    jsonData: {
      pgHost: u.hostname,
      pgPort: Number(u.port),
      pgDatabase: u.pathname.slice(1),
      pgUser: reader.user,
      orchestratorUrls: sim.nodes.map((n) => n.url),
      httpTimeoutMs: 3000,
    },
    secureJsonData: { pgPassword: reader.password, adminToken: sim.tokens.admin },
  };
}

const post = (p: PluginProcess, path: string, body: unknown, user: UserInput) =>
  p.callResource(settings(), { method: 'POST', path, body: JSON.stringify(body) }, user);
const current = async (p: PluginProcess) =>
  ((await p.callResource(settings(), { method: 'GET', path: 'dlq/redrive' }, ADMIN)).json as { redrive: RedriveView })
    .redrive;

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) {
      return v;
    }
    if (Date.now() > end) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

it('runs once across two processes, survives the owner being killed as "interrupted", and a shutdown marks it', async () => {
  const started = await post(a, 'dlq/redrive', { filter: { routingKey: 'github:42' }, rate: 5 }, EDITOR);
  expect(started.status).toBe(201);
  const id = (started.json as { redrive: RedriveView }).redrive.id;
  expect((started.json as { redrive: RedriveView }).redrive.owner).toMatch(new RegExp(`:${a.pid}:[0-9a-f]{8}$`));

  const second = await post(b, 'dlq/redrive', { rate: 100 }, ADMIN);
  expect(second.status).toBe(409);
  expect((second.json as { error: string }).error).toMatch(
    new RegExp(`^a redrive is already running for this datasource: redrive ${id} \\(started by eddie at `)
  );

  // B reads A's progress from the database.
  const seen = await until(
    'progress on B',
    async () => {
      const v = await current(b);
      return v && v.retried >= 3 ? v : null;
    },
    30_000
  );
  expect(seen).toMatchObject({ id, state: 'running', total: 40, startedBy: 'eddie', rate: 5 });

  a.kill('SIGKILL');
  await a.exited;
  const killedAt = Date.now();
  // Within its lease the redrive still counts as running on B.
  expect((await current(b)).state).toBe('running');
  const interrupted = await until(
    'the lease to run out',
    async () => {
      const v = await current(b);
      return v.state === 'interrupted' ? v : null;
    },
    DEFAULT_LEASE_MS + 30_000
  );
  expect(Date.now() - killedAt).toBeGreaterThanOrEqual(DEFAULT_LEASE_MS - 2_000);
  expect(interrupted.reason).toContain(`the plugin process running it (`);
  expect(interrupted.reason).toContain(`:${a.pid}:`);

  // Each event A tried was logged with who started the redrive.
  const lines = a.stderrLines().filter((l) => l['@message'] === 'DLQ action' && l.redrive === id);
  expect(lines.length).toBeGreaterThanOrEqual(3);
  expect(lines.every((l) => l.user === 'eddie' && l.outcome === 'retried')).toBe(true);

  // B starts on what is left, then shuts down gracefully: its redrive is marked interrupted at once.
  const left = await admin.query(
    `SELECT count(*)::int AS n FROM kici_events WHERE dlq_at IS NOT NULL AND source_routing_key = 'github:42'`
  );
  const next = await post(b, 'dlq/redrive', { filter: { routingKey: 'github:42' }, rate: 1 }, ADMIN);
  expect(next.status).toBe(201);
  const nextView = (next.json as { redrive: RedriveView }).redrive;
  expect(nextView.total).toBe(left.rows[0].n);
  await b.stop();
  const row = await admin.query('SELECT state, reason FROM kici_grafana.redrive WHERE id = $1', [nextView.id]);
  expect(row.rows[0]).toEqual({
    state: 'interrupted',
    reason:
      'the plugin process running it stopped it (datasource settings changed or the plugin shut down); events not tried stay in the DLQ',
  });
});
