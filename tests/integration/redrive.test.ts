// The controlled redrive against a real PostgreSQL and kici-sim's admin API: two RedriveService instances with their
// own pools stand for two Grafana replicas' plugin processes on one orchestrator database. Pacing is measured on an
// injected virtual clock, never on wall time. The services connect as a read-only role that owns only kici_grafana
// (the grant the README documents).
import pg from 'pg';

import { startSim, type Sim } from '../../dev/kici-sim/sim';
import { createReaderRole, createTestDatabase, type ReaderRole, type TestDatabase } from '../../dev/testing/postgres';
import { KiciDatasource } from '../../src/backend/datasource';
import type { DlqMutator } from '../../src/backend/features/dlq/actions';
import { VirtualClock, WINDOW_MARGIN_MS } from '../../src/backend/features/redrive/pace';
import type { RedriveView } from '../../src/datasource/redrive';
import { RedriveService } from '../../src/backend/features/redrive/service';
import { OrchestratorClient } from '../../src/backend/kici/orchestrator';
import { datasourceSettings } from '../../src/backend/protocol/testing';
import type { GrafanaUser, Logger, RequestContext } from '../../src/backend/protocol/types';

jest.setTimeout(120_000);

let db: TestDatabase;
let sim: Sim;
let admin: pg.Client;
let reader: ReaderRole;
let outsider: ReaderRole;
const pools: pg.Pool[] = [];
const services: RedriveService[] = [];

interface LogLine {
  message: string;
  fields: Record<string, unknown>;
}
function memoryLogger(lines: LogLine[]): Logger {
  const put = (message: string, fields: Record<string, unknown> = {}) => lines.push({ message, fields });
  const l: Logger = { debug: put, info: put, warn: put, error: put, with: () => l };
  return l;
}

beforeAll(async () => {
  db = await createTestDatabase('redrive');
  sim = await startSim({ scenario: 'dlq-backlog', layout: '0.9', pgUrl: db.url });
  admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  reader = await createReaderRole(admin, db.url);
  outsider = await createReaderRole(admin, db.url);
  // The one grant the redrive needs (README, "Redrive"); KiCI's tables stay SELECT-only.
  await admin.query(`CREATE SCHEMA kici_grafana AUTHORIZATION ${reader.user}`);
});

afterAll(async () => {
  for (const s of services) {
    await s.abandon();
  }
  await Promise.all(pools.map((p) => p.end()));
  await admin?.end();
  await sim?.stop();
  await db?.drop();
  await reader?.drop();
  await outsider?.drop();
});

function pgSettings(role: ReaderRole) {
  const u = new URL(db.url);
  return {
    host: u.hostname,
    port: Number(u.port),
    database: u.pathname.slice(1),
    user: role.user,
    password: role.password,
    sslMode: 'disable' as const,
    statementTimeoutMs: 10_000,
  };
}

function simOrchestrators(): OrchestratorClient[] {
  return sim.nodes.map(
    (n) => new OrchestratorClient({ baseUrl: n.url, timeoutMs: 3000, adminToken: sim.tokens.admin })
  );
}

/** A "replica": its own pool, its own owner id. */
function replica(
  uid: string,
  opts: { orchestrators?: DlqMutator[]; clock?: VirtualClock; leaseMs?: number; role?: ReaderRole; log?: Logger } = {}
) {
  const s = pgSettings(opts.role ?? reader);
  const pool = new pg.Pool({ ...s, max: 2 });
  pools.push(pool);
  const service = new RedriveService({
    pool,
    pg: s,
    orchestrators: opts.orchestrators ?? simOrchestrators(),
    datasourceUid: uid,
    log: opts.log ?? memoryLogger([]),
    clock: opts.clock,
    leaseMs: opts.leaseMs,
  });
  services.push(service);
  return service;
}

/** Wraps real orchestrators: records each call's virtual time and can hold a call until released. */
function instrumented(clock: VirtualClock | null, inner: DlqMutator[] = simOrchestrators()) {
  const calls: Array<{ id: string; at: number }> = [];
  let hook: ((n: number, signal?: AbortSignal) => Promise<void>) | null = null;
  const wrap = (node: DlqMutator): DlqMutator => ({
    baseUrl: node.baseUrl,
    async dlqRetry(id, signal) {
      calls.push({ id, at: clock?.now() ?? Date.now() });
      await hook?.(calls.length, signal);
      return node.dlqRetry(id, signal);
    },
    dlqDiscard: (id, signal) => node.dlqDiscard(id, signal),
  });
  return {
    calls,
    nodes: inner.map(wrap),
    onCall(fn: (n: number, signal?: AbortSignal) => Promise<void>) {
      hook = fn;
    },
  };
}

/** A double that answers without touching the DLQ (for pacing, where the outcome does not matter). */
function recordingDouble(clock: VirtualClock) {
  const calls: number[] = [];
  const node: DlqMutator = {
    baseUrl: 'http://double',
    async dlqRetry() {
      calls.push(clock.now());
      clock.advance(3); // each request takes 3 ms of virtual time
      return {};
    },
    async dlqDiscard() {
      return {};
    },
  };
  return { calls, node };
}

async function inDlq(ids: string[]): Promise<Set<string>> {
  const r = await admin.query<{ id: string }>(
    'SELECT id::text AS id FROM kici_events WHERE id = ANY($1::uuid[]) AND dlq_at IS NOT NULL',
    [ids]
  );
  return new Set(r.rows.map((x) => x.id));
}

async function snapshot(redriveId: string) {
  const r = await admin.query<{ event_id: string; outcome: string | null }>(
    'SELECT event_id::text AS event_id, outcome FROM kici_grafana.redrive_event WHERE redrive_id = $1 ORDER BY seq',
    [redriveId]
  );
  return r.rows;
}

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) {
      return v;
    }
    if (Date.now() > end) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

const log = memoryLogger([]);

describe('pacing', () => {
  it('sends at most `rate` events in any second of the injected clock, evenly spaced', async () => {
    const clock = new VirtualClock(1_000_000);
    const double = recordingDouble(clock);
    const a = replica('pace', { orchestrators: [double.node], clock });
    const res = await a.start({ filter: { routingKey: 'github:42' }, rate: 8, description: 'github:42' }, 'eddie', log);
    expect(res.status).toBe(201);
    await a.settled();
    expect(double.calls).toHaveLength(40);
    for (let i = 1; i < double.calls.length; i++) {
      expect(double.calls[i] - double.calls[i - 1]).toBeGreaterThanOrEqual(125);
    }
    for (const t of double.calls) {
      expect(double.calls.filter((x) => x >= t && x < t + 1000).length).toBeLessThanOrEqual(8);
    }
    // 39 intervals, and the one-second bound's margin once per 8 events.
    expect(double.calls.at(-1)! - double.calls[0]).toBe(39 * 125 + 4 * WINDOW_MARGIN_MS);
    const view = (await a.current())!;
    expect(view).toMatchObject({ state: 'completed', total: 40, retried: 40, failed: 0, remaining: 0, rate: 8 });
  });
});

describe('two plugin processes on one database', () => {
  it('runs once: the second start is a 409 naming the running redrive, and each reads the other’s progress', async () => {
    const aLines: LogLine[] = [];
    const clock = new VirtualClock(0);
    const gate = instrumented(clock);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    // Hold the 7th request until B has seen the partial progress.
    gate.onCall(async (n) => {
      if (n === 7) {
        await held;
      }
    });
    const a = replica('two', { orchestrators: gate.nodes, clock, log: memoryLogger(aLines) });
    const b = replica('two');
    const started = await a.start(
      {
        filter: { routingKey: 'generic:acme:deploy-hooks' },
        rate: 10,
        description: 'routing key = generic:acme:deploy-hooks',
      },
      'eddie',
      memoryLogger(aLines)
    );
    expect(started.status).toBe(201);
    const id = (started.body.redrive as RedriveView).id;

    const second = await b.start({ filter: {}, rate: 50, description: 'the whole DLQ' }, 'ada', log);
    expect(second.status).toBe(409);
    expect(second.body.error).toMatch(
      new RegExp(
        `^a redrive is already running for this datasource: redrive ${id} \\(started by eddie at \\S+, \\d+ of 40 events tried\\); cancel it or wait for it to finish$`
      )
    );
    expect((second.body.running as RedriveView).id).toBe(id);

    // B (another process, another pool) sees A's flushed progress: 5 retried at 10/s with a 500 ms flush.
    const partial = await until('partial progress on B', async () => {
      const v = await b.current();
      return v && v.retried >= 5 ? v : null;
    });
    expect(partial).toMatchObject({ id, state: 'running', total: 40, startedBy: 'eddie', owner: a.owner, rate: 10 });
    expect(partial.remaining).toBe(40 - partial.retried - partial.failed);
    release();
    await a.settled();

    const done = (await b.current())!;
    expect(done).toMatchObject({ id, state: 'completed', total: 40, retried: 40, failed: 0, remaining: 0 });
    const ids = (await snapshot(id)).map((r) => r.event_id);
    expect(await inDlq(ids)).toEqual(new Set());
    // Each event is logged with who started the redrive.
    const perEvent = aLines.filter((l) => l.message === 'DLQ action');
    expect(perEvent).toHaveLength(40);
    expect(
      perEvent.every((l) => l.fields.user === 'eddie' && l.fields.redrive === id && l.fields.outcome === 'retried')
    ).toBe(true);
    // Finished, so B may start the next one; nothing of that routing key is left in the DLQ.
    await expect(
      b.start({ filter: { routingKey: 'generic:acme:deploy-hooks' }, rate: 10, description: 'x' }, 'ada', log)
    ).rejects.toMatchObject({ status: 400, message: 'nothing to redrive: no DLQ event matches x' });
  });
});

describe('cancel', () => {
  it('from the other replica stops the run and keeps what already moved', async () => {
    const clock = new VirtualClock(0);
    const gate = instrumented(clock);
    const a = replica('cancel', { orchestrators: gate.nodes, clock });
    const b = replica('cancel');
    // Set before the start: the run begins at once and its retries overlap, so the 8th and every later one wait for
    // B's cancel to be written (A cannot outrun it).
    let started!: (id: string) => void;
    const idOfRun = new Promise<string>((resolve) => (started = resolve));
    let cancelStatus: Promise<number> | undefined;
    gate.onCall(async (n) => {
      if (n === 8) {
        cancelStatus = idOfRun.then((runId) => b.cancel(runId, 'ada', log)).then((c) => c.status);
      }
      if (n >= 8) {
        await cancelStatus;
      }
    });
    const answer = await a.start(
      { filter: { routingKey: 'github:77' }, rate: 10, description: 'github:77' },
      'eddie',
      log
    );
    const id = (answer.body.redrive as RedriveView).id;
    started(id);
    await a.settled();
    expect(await cancelStatus).toBe(202);
    const view = (await b.current())!;
    expect(view.state).toBe('cancelled');
    expect(view.cancelRequestedBy).toBe('ada');
    expect(view.retried).toBeGreaterThanOrEqual(8);
    expect(view.retried).toBeLessThan(40);
    expect(view.remaining).toBe(40 - view.retried);
    const rows = await snapshot(id);
    const moved = rows.filter((r) => r.outcome === 'retried').map((r) => r.event_id);
    const left = rows.filter((r) => r.outcome === null).map((r) => r.event_id);
    expect(moved).toHaveLength(view.retried);
    expect(gate.calls.map((c) => c.id)).toEqual(moved);
    // What moved stays moved; what was not tried is still in the DLQ.
    expect(await inDlq(moved)).toEqual(new Set());
    expect(await inDlq(left)).toEqual(new Set(left));
    const again = await b.cancel(id, 'ada', log);
    expect(again.status).toBe(409);
    expect(again.body.error).toBe(`redrive ${id} is not running (it is cancelled): nothing to cancel`);
  });
});

describe('a stopped owner', () => {
  it('is marked interrupted once its lease runs out, and another replica may start again on what is left', async () => {
    const clock = new VirtualClock(0);
    const gate = instrumented(clock);
    gate.onCall(async (n, signal) => {
      if (n >= 4) {
        // The process "dies" here: from the 4th on (up to its in-flight bound, 3 at 10/s) no request completes.
        await new Promise<void>((_, reject) => signal?.addEventListener('abort', () => reject(new Error('killed'))));
      }
    });
    const a = replica('stale', { orchestrators: gate.nodes, clock, leaseMs: 1_000 });
    const b = replica('stale');
    const started = await a.start(
      { filter: { eventName: '__schedule_fire', routingKey: 'github:42' }, rate: 10, description: 'x' },
      'eddie',
      log
    );
    const id = (started.body.redrive as RedriveView).id;
    const total = (started.body.redrive as RedriveView).total;
    await until('the 4th request', async () => gate.calls.length >= 4);
    await a.abandon();
    // Within the lease the redrive still counts as running: B is refused.
    expect((await b.start({ filter: {}, rate: 10, description: 'x' }, 'ada', log)).status).toBe(409);
    const interrupted = await until('the lease to run out', async () => {
      const v = await b.current();
      return v?.state === 'interrupted' ? v : null;
    });
    expect(interrupted.id).toBe(id);
    expect(interrupted.reason).toMatch(
      new RegExp(
        `^the plugin process running it \\(${a.owner.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\) stopped renewing its lease at \\S+Z; events not tried stay in the DLQ$`
      )
    );
    const all = (await snapshot(id)).map((r) => r.event_id);
    // The three requests that completed moved their events (their outcomes were not flushed yet: the report of an
    // interrupted redrive may lag by one flush); the ones after never reached the orchestrator.
    const left = [...(await inDlq(all))];
    expect(left).toHaveLength(total - 3);
    expect(gate.calls.slice(0, 3).every((c) => !left.includes(c.id))).toBe(true);
    const again = await b.start(
      { filter: { eventName: '__schedule_fire', routingKey: 'github:42' }, rate: 10, description: 'x' },
      'ada',
      log
    );
    expect(again.status).toBe(201);
    // The new redrive takes exactly what is still in the DLQ: nothing is retried twice.
    expect((await snapshot((again.body.redrive as RedriveView).id)).map((r) => r.event_id).sort()).toEqual(left.sort());
    await b.settled();
  });
});

describe('grants', () => {
  it('a role that may not create kici_grafana gets a 503 naming the grant', async () => {
    const c = replica('grant', { role: outsider });
    await expect(c.current()).rejects.toMatchObject({
      status: 503,
      message: expect.stringContaining(
        `user "${outsider.user}" may not create or write it (permission denied for schema kici_grafana): as a database owner run CREATE SCHEMA kici_grafana AUTHORIZATION "${outsider.user}";`
      ),
    });
  });

  it('the redrive role still cannot write KiCI’s own tables', async () => {
    const p = new pg.Pool({ ...pgSettings(reader), max: 1 });
    pools.push(p);
    await expect(p.query('UPDATE kici_events SET attempts = 0 WHERE false')).rejects.toMatchObject({ code: '42501' });
  });
});

describe('resources through the datasource instance', () => {
  function ctx(user: GrafanaUser | undefined): RequestContext {
    return {
      plugin: {
        orgId: 1,
        pluginId: 'kici-ops-datasource',
        pluginVersion: 'test',
        user,
        datasource: datasourceSettings({}, {}, { uid: 'res' }),
        grafanaConfig: {},
        userAgent: '',
      },
      log,
      signal: new AbortController().signal,
    };
  }
  const viewer: GrafanaUser = { login: 'vic', name: '', email: '', role: 'Viewer' };
  const editor: GrafanaUser = { login: 'eddie', name: '', email: '', role: 'Editor' };

  it('Viewer gets 403 for start and cancel; a bad rate is a 400 naming the field; an Editor starts one', async () => {
    const s = pgSettings(reader);
    const ds = new KiciDatasource(
      datasourceSettings(
        {
          pgHost: s.host,
          pgPort: s.port,
          pgDatabase: s.database,
          pgUser: s.user,
          orchestratorUrls: sim.nodes.map((n) => n.url),
        },
        { pgPassword: s.password, adminToken: sim.tokens.admin },
        { uid: 'res' }
      ),
      log
    );
    const call = (method: string, path: string, user: GrafanaUser | undefined, body?: unknown) =>
      ds.callResource(
        {
          method,
          path,
          url: path,
          query: new URLSearchParams(),
          headers: {},
          body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
        },
        ctx(user)
      );
    try {
      expect(await call('POST', 'dlq/redrive', viewer, { rate: 5 })).toEqual({
        status: 403,
        body: { error: 'starting a redrive: retry needs the Grafana Editor role; vic has Viewer' },
      });
      expect(await call('POST', 'dlq/redrive/00000000-0000-4000-8000-000000000001/cancel', viewer)).toEqual({
        status: 403,
        body: { error: 'cancelling a redrive: retry needs the Grafana Editor role; vic has Viewer' },
      });
      expect(await call('POST', 'dlq/redrive', editor, { rate: 501 })).toEqual({
        status: 400,
        body: { error: 'invalid redrive: rate must be at most 500 events per second (the SQS redrive limit)' },
      });
      const started = await call('POST', 'dlq/redrive', editor, {
        filter: { routingKey: 'github:42', eventName: 'deploy-complete' },
        rate: 500,
      });
      expect(started.status).toBe(201);
      const id = (started.body as { redrive: RedriveView }).redrive.id;
      // A Viewer reads the progress (GET dlq/redrive must not be taken for the event `dlq/:id`).
      const read = await call('GET', 'dlq/redrive', viewer);
      expect(read.status).toBe(200);
      expect((read.body as { redrive: RedriveView }).redrive).toMatchObject({ id, startedBy: 'eddie', total: 10 });
      expect((await call('GET', `dlq/redrive/${id}`, viewer)).status).toBe(200);
    } finally {
      // Disposing the instance while it runs marks the redrive interrupted, or it finished already.
      await ds.dispose();
    }
    const [row] = (await admin.query('SELECT state FROM kici_grafana.redrive WHERE datasource_uid = $1', ['res'])).rows;
    expect(['completed', 'interrupted']).toContain(row.state);
  });
});
