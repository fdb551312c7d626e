// DLQ retry / discard / bulk retry through the compiled executable, against kici-sim's admin API and a
// real PostgreSQL: the row changes as KiCI changes it, the NOTIFY arrives on a real LISTEN connection,
// KiCI's own access_log row is written, Grafana roles and the token's KiCI role are enforced, and a
// down coordinator does not fail the action. Needs `npm run build:backend -- --host-only`.
import pg from 'pg';

import { startSim, type Sim } from '../../dev/kici-sim/sim';
import {
  startPlugin,
  type DatasourceSettingsInput,
  type PluginProcess,
  type UserInput,
} from '../../dev/testing/plugin-process';
import { quietPort } from '../../dev/testing/ports';
import { createTestDatabase, type TestDatabase } from '../../dev/testing/postgres';

jest.setTimeout(120_000);

type TokenKey = 'owner' | 'admin' | 'auditor' | 'scoped';

interface Env {
  db: TestDatabase;
  sim: Sim;
  client: pg.Client;
}

const EDITOR: UserInput = { login: 'eddie', role: 'Editor' };
const ADMIN: UserInput = { login: 'ada', role: 'Admin' };
const VIEWER: UserInput = { login: 'vic', role: 'Viewer' };

let plugin: PluginProcess;
let backlog: Env;
let cluster: Env;

async function env(scenario: string): Promise<Env> {
  const db = await createTestDatabase(`dlq_actions_${scenario.replace(/-/g, '_')}`);
  const sim = await startSim({ scenario, layout: '0.9', pgUrl: db.url });
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  return { db, sim, client };
}

beforeAll(async () => {
  [backlog, cluster] = await Promise.all([env('dlq-backlog'), env('cluster-3')]);
  plugin = await startPlugin();
});

afterAll(async () => {
  await plugin?.stop();
  for (const e of [backlog, cluster]) {
    await e?.client.end();
    await e?.sim.stop();
    await e?.db.drop();
  }
});

function settings(
  e: Env,
  token: TokenKey,
  opts: { urls?: string[]; discardMinRole?: 'Editor' | 'Admin' } = {}
): DatasourceSettingsInput {
  const u = new URL(e.db.url);
  return {
    uid: `dlq-a-${e.sim.spec.name}-${token}-${opts.discardMinRole ?? 'default'}-${opts.urls?.length ?? 0}`,
    jsonData: {
      pgHost: u.hostname,
      pgPort: Number(u.port),
      pgDatabase: u.pathname.slice(1),
      pgUser: u.username,
      orchestratorUrls: opts.urls ?? e.sim.nodes.map((n) => n.url),
      httpTimeoutMs: 3000,
      ...(opts.discardMinRole ? { discardMinRole: opts.discardMinRole } : {}),
    },
    secureJsonData: { pgPassword: decodeURIComponent(u.password), adminToken: e.sim.tokens[token] },
  };
}

/** DLQ event ids of the backlog, newest first, optionally of one routing key; each test takes its own. */
async function dlqIds(e: Env, routingKey?: string): Promise<string[]> {
  const r = await e.client.query<{ id: string }>(
    `SELECT id::text AS id FROM kici_events WHERE dlq_at IS NOT NULL AND ($1::text IS NULL OR source_routing_key = $1)
      ORDER BY dlq_at DESC, id DESC`,
    [routingKey ?? null]
  );
  return r.rows.map((x) => x.id);
}
// Each test acts on rows no other test touched.
const taken = new Set<string>();
async function takeId(e: Env, routingKey?: string): Promise<string> {
  const id = (await dlqIds(e, routingKey)).find((x) => !taken.has(x))!;
  taken.add(id);
  return id;
}

async function row(e: Env, id: string) {
  const r = await e.client.query(
    'SELECT processed, dlq_at, dlq_reason, attempts, claimed_at, next_retry_at, last_error FROM kici_events WHERE id = $1',
    [id]
  );
  return r.rows[0] as Record<string, unknown> | undefined;
}

async function auditRows(e: Env, id: string) {
  const r = await e.client.query(
    'SELECT action, target_type, source, outcome, actor_type FROM access_log WHERE target_id = $1 ORDER BY created_at',
    [id]
  );
  return r.rows;
}

function dlqLogLines(eventId: string) {
  return plugin.stderrLines().filter((l) => l['@message'] === 'DLQ action' && l.eventId === eventId);
}

describe('retry', () => {
  it('takes the row out of the DLQ with attempts 0, sends the NOTIFY and leaves KiCI’s audit row', async () => {
    const id = await takeId(backlog);
    const before = await row(backlog, id);
    const listener = new pg.Client({ connectionString: backlog.db.url });
    await listener.connect();
    const notified = new Promise<string>((resolve) => listener.on('notification', (n) => resolve(n.payload ?? '')));
    await listener.query('LISTEN kici_event_channel');
    try {
      const res = await plugin.callResource(
        settings(backlog, 'admin'),
        { method: 'POST', path: `dlq/${id}/retry` },
        EDITOR
      );
      expect(res.status).toBe(200);
      expect(res.json).toEqual({
        id,
        action: 'retry',
        outcome: 'retried',
        message: `event ${id} is back in the queue (attempts reset to 0; the orchestrator re-dispatches it now)`,
        orchestrator: backlog.sim.nodes[0].url,
      });
      expect(await notified).toBe(id);
    } finally {
      await listener.end();
    }
    const after = await row(backlog, id);
    expect(after).toMatchObject({ processed: false, dlq_at: null, dlq_reason: null, attempts: 0, claimed_at: null });
    expect(after!.next_retry_at).toBeInstanceOf(Date);
    expect(after!.last_error).toBe(before!.last_error);
    expect(await auditRows(backlog, id)).toEqual([
      {
        action: 'event_dlq.retry',
        target_type: 'event_dlq',
        source: 'admin_http',
        outcome: 'allowed',
        actor_type: 'api_key',
      },
    ]);
    expect(dlqLogLines(id)).toEqual([
      expect.objectContaining({ user: 'eddie', eventId: id, action: 'retry', outcome: 'retried', status: 200 }),
    ]);
  });

  it('a second retry of the same event is a clear 404', async () => {
    const id = await takeId(backlog);
    const first = await plugin.callResource(
      settings(backlog, 'owner'),
      { method: 'POST', path: `dlq/${id}/retry` },
      EDITOR
    );
    expect(first.status).toBe(200);
    const second = await plugin.callResource(
      settings(backlog, 'owner'),
      { method: 'POST', path: `dlq/${id}/retry` },
      EDITOR
    );
    expect(second.status).toBe(404);
    expect((second.json as { error: string }).error).toBe(
      `event ${id} is not in the DLQ: it was already retried or discarded, or never failed`
    );
    expect((second.json as { outcome: string }).outcome).toBe('not_found');
  });

  it('an unknown id is a 404 message; a non-UUID a 400 before the orchestrator is asked', async () => {
    const unknown = '00000000-0000-4000-8000-00000000dead';
    const res = await plugin.callResource(
      settings(backlog, 'admin'),
      { method: 'POST', path: `dlq/${unknown}/retry` },
      EDITOR
    );
    expect(res.status).toBe(404);
    expect((res.json as { error: string }).error).toBe(
      `event ${unknown} is not in the DLQ: it was already retried or discarded, or never failed`
    );
    const bad = await plugin.callResource(
      settings(backlog, 'admin'),
      { method: 'POST', path: 'dlq/not-a-uuid/retry' },
      EDITOR
    );
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ error: '"not-a-uuid" is not an event id (a UUID)' });
    expect(await auditRows(backlog, 'not-a-uuid')).toEqual([]);
  });

  it('a Viewer is refused with 403 by the backend and nothing changes', async () => {
    const id = await takeId(backlog);
    const res = await plugin.callResource(
      settings(backlog, 'owner'),
      { method: 'POST', path: `dlq/${id}/retry` },
      VIEWER
    );
    expect(res.status).toBe(403);
    expect((res.json as { error: string }).error).toBe('retry needs the Grafana Editor role; vic has Viewer');
    expect((await row(backlog, id))!.dlq_at).toBeInstanceOf(Date);
    expect(await auditRows(backlog, id)).toEqual([]);
    expect(dlqLogLines(id)).toEqual([
      expect.objectContaining({ user: 'vic', action: 'retry', outcome: 'refused', status: 403 }),
    ]);
  });

  it('an auditor token is refused by KiCI and the reason names the role', async () => {
    const id = await takeId(backlog);
    const res = await plugin.callResource(
      settings(backlog, 'auditor'),
      { method: 'POST', path: `dlq/${id}/retry` },
      ADMIN
    );
    expect(res.status).toBe(403);
    expect((res.json as { error: string }).error).toBe(
      'the configured admin token has role auditor, which cannot manage the DLQ (KiCI: Role "auditor" does not have permission "event_dlq.manage"); use an admin or owner token'
    );
    expect((await row(backlog, id))!.dlq_at).toBeInstanceOf(Date);
  });

  it('a routing-key-scoped token may retry its own events and is refused for others', async () => {
    const own = await takeId(backlog, 'github:42');
    const other = await takeId(backlog, 'github:77');
    const ok = await plugin.callResource(
      settings(backlog, 'scoped'),
      { method: 'POST', path: `dlq/${own}/retry` },
      EDITOR
    );
    expect(ok.status).toBe(200);
    const refused = await plugin.callResource(
      settings(backlog, 'scoped'),
      { method: 'POST', path: `dlq/${other}/retry` },
      EDITOR
    );
    expect(refused.status).toBe(403);
    expect((refused.json as { error: string }).error).toContain('restricted to one routing key');
    expect((await row(backlog, other))!.dlq_at).toBeInstanceOf(Date);
  });
});

describe('discard', () => {
  it('deletes the row for an Admin', async () => {
    const id = await takeId(backlog);
    const res = await plugin.callResource(settings(backlog, 'admin'), { method: 'DELETE', path: `dlq/${id}` }, ADMIN);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id, action: 'discard', outcome: 'discarded' });
    expect(await row(backlog, id)).toBeUndefined();
    expect((await auditRows(backlog, id)).map((r) => [r.action, r.outcome])).toEqual([
      ['event_dlq.discard', 'allowed'],
    ]);
  });

  it('an Editor is refused by default, and allowed when discardMinRole is Editor', async () => {
    const id = await takeId(backlog);
    const refused = await plugin.callResource(
      settings(backlog, 'admin'),
      { method: 'DELETE', path: `dlq/${id}` },
      EDITOR
    );
    expect(refused.status).toBe(403);
    expect((refused.json as { error: string }).error).toBe(
      'discard needs the Grafana Admin role (datasource setting discardMinRole); eddie has Editor'
    );
    expect(await row(backlog, id)).toBeDefined();
    const allowed = await plugin.callResource(
      settings(backlog, 'admin', { discardMinRole: 'Editor' }),
      { method: 'DELETE', path: `dlq/${id}` },
      EDITOR
    );
    expect(allowed.status).toBe(200);
    expect(await row(backlog, id)).toBeUndefined();
  });
});

describe('bulk retry', () => {
  it('retries a list of ids one by one and reports each', async () => {
    const ids = [await takeId(backlog), await takeId(backlog), await takeId(backlog)];
    const gone = '00000000-0000-4000-8000-00000000beef';
    const res = await plugin.callResource(
      settings(backlog, 'admin'),
      { method: 'POST', path: 'dlq/retry', body: { ids: [...ids, gone] } },
      EDITOR
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ requested: 4, succeeded: 3, failed: 1, skipped: 0, stoppedReason: null });
    const results = (res.json as { results: Array<{ id: string; outcome: string }> }).results;
    expect(results.map((r) => [r.id, r.outcome])).toEqual([...ids.map((id) => [id, 'retried']), [gone, 'not_found']]);
    for (const id of ids) {
      expect((await row(backlog, id))!.attempts).toBe(0);
    }
  });

  it('a filter with dryRun counts without acting; without dryRun it retries the matching set', async () => {
    const key = 'generic:acme:deploy-hooks';
    const matching = (await dlqIds(backlog, key)).filter((id) => !taken.has(id));
    const dry = await plugin.callResource(
      settings(backlog, 'admin'),
      {
        method: 'POST',
        path: 'dlq/retry',
        body: { filter: { routingKey: key, eventName: '__job_complete' }, dryRun: true },
      },
      EDITOR
    );
    expect(dry.status).toBe(200);
    const want = (
      await backlog.client.query<{ id: string }>(
        `SELECT id::text AS id FROM kici_events WHERE dlq_at IS NOT NULL AND source_routing_key = $1
            AND event_name = '__job_complete' ORDER BY dlq_at DESC, id DESC`,
        [key]
      )
    ).rows.map((r) => r.id);
    expect(want.length).toBeGreaterThan(0);
    expect(dry.json).toEqual({ dryRun: true, ids: want, count: want.length, matching: want.length });
    expect((await dlqIds(backlog, key)).filter((id) => !taken.has(id))).toEqual(matching);

    want.forEach((id) => taken.add(id));
    const run = await plugin.callResource(
      settings(backlog, 'admin'),
      {
        method: 'POST',
        path: 'dlq/retry',
        body: { filter: { routingKey: key, eventName: '__job_complete' }, limit: 2 },
      },
      EDITOR
    );
    expect(run.json).toMatchObject({ requested: 2, succeeded: 2, matching: want.length });
    expect((await row(backlog, want[0]))!.dlq_at).toBeNull();
    expect((await row(backlog, want[1]))!.dlq_at).toBeNull();
    expect((await row(backlog, want[2]))!.dlq_at).toBeInstanceOf(Date);
  });

  it('stops at the first auth refusal and leaves the rest untouched', async () => {
    const ids = [await takeId(backlog), await takeId(backlog), await takeId(backlog)];
    const res = await plugin.callResource(
      settings(backlog, 'auditor'),
      { method: 'POST', path: 'dlq/retry', body: { ids } },
      EDITOR
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ requested: 3, succeeded: 0, failed: 1, skipped: 2 });
    expect((res.json as { stoppedReason: string }).stoppedReason).toContain('has role auditor');
    for (const id of ids) {
      expect((await row(backlog, id))!.dlq_at).toBeInstanceOf(Date);
    }
  });

  it('refuses a Viewer, a bad body and an oversized batch', async () => {
    const viewer = await plugin.callResource(
      settings(backlog, 'admin'),
      { method: 'POST', path: 'dlq/retry', body: { ids: [] } },
      VIEWER
    );
    expect(viewer.status).toBe(403);
    const big = Array.from({ length: 101 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const over = await plugin.callResource(
      settings(backlog, 'admin'),
      { method: 'POST', path: 'dlq/retry', body: { ids: big } },
      EDITOR
    );
    expect(over.status).toBe(400);
    expect(over.json).toEqual({ error: 'invalid bulk retry: at most 100 ids per request, got 101' });
    const junk = await plugin.callResource(
      settings(backlog, 'admin'),
      { method: 'POST', path: 'dlq/retry', body: 'nope' },
      EDITOR
    );
    expect(junk.status).toBe(400);
  });
});

describe('a cluster with a coordinator down', () => {
  it('retries and discards through the next coordinator that answers', async () => {
    const down = cluster.sim.nodes.find((n) => n.instanceId === 'orch-c')!;
    const leader = cluster.sim.nodes.find((n) => n.instanceId === 'orch-a')!;
    const urls = [`http://127.0.0.1:${await quietPort()}`, down.url, leader.url];
    const [first, second] = await dlqIds(cluster);
    const retry = await plugin.callResource(
      settings(cluster, 'admin', { urls }),
      { method: 'POST', path: `dlq/${first}/retry` },
      EDITOR
    );
    expect(retry.status).toBe(200);
    expect(retry.json).toMatchObject({ outcome: 'retried', orchestrator: leader.url });
    expect((await row(cluster, first))!.dlq_at).toBeNull();
    const discard = await plugin.callResource(
      settings(cluster, 'admin', { urls }),
      { method: 'DELETE', path: `dlq/${second}` },
      ADMIN
    );
    expect(discard.status).toBe(200);
    expect(await row(cluster, second)).toBeUndefined();
  });

  it('says which nodes failed when none answers', async () => {
    const down = cluster.sim.nodes.find((n) => n.instanceId === 'orch-c')!;
    const res = await plugin.callResource(
      settings(cluster, 'admin', { urls: [down.url] }),
      { method: 'POST', path: 'dlq/00000000-0000-4000-8000-000000000001/retry' },
      EDITOR
    );
    expect(res.status).toBe(502);
    expect((res.json as { error: string }).error).toMatch(
      new RegExp(`^no orchestrator could retry event 00000000-0000-4000-8000-000000000001: ${down.url}.*cannot connect`)
    );
  });
});

it('never writes an admin token into the plugin log', () => {
  // Runs last: the actions above have logged.
  expect(plugin.stderrLines().filter((l) => l['@message'] === 'DLQ action').length).toBeGreaterThan(10);
  const text = plugin.stderrText();
  for (const e of [backlog, cluster]) {
    for (const token of Object.values(e.sim.tokens)) {
      expect(text).not.toContain(token);
    }
  }
});
