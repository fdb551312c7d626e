import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../testing/postgres';
import { healthyDlqIds } from '../scenarios/healthy-single';
import { getScenario, tokensByRole } from '../scenarios/index';
import { applySchema } from './schema';
import { parseDlqCursor, parseDlqLimit, SimStore } from './store';

jest.setTimeout(30_000);

const scenario = getScenario('healthy-single');
const tokens = tokensByRole(scenario.spec);
const dlqIds = healthyDlqIds();

let db: TestDatabase;
let pool: pg.Pool;
let store: SimStore;

beforeEach(async () => {
  db = await createTestDatabase('store');
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  await applySchema(pool, '0.9');
  await scenario.seed(pool);
  store = new SimStore(pool, '0.9');
});
afterEach(async () => {
  await pool.end();
  await db.drop();
});

async function ownerId(): Promise<string> {
  const me = await store.validateToken(tokens.owner);
  return me!.id;
}

describe('validateToken', () => {
  test('good tokens resolve to role and routing key and stamp last_used_at', async () => {
    const before = await pool.query(`SELECT last_used_at FROM admin_tokens WHERE label = 'auditor'`);
    expect(before.rows[0].last_used_at).toBeNull();
    expect(await store.validateToken(tokens.auditor)).toMatchObject({ role: 'auditor', routingKey: null });
    expect(await store.validateToken(tokens.owner)).toMatchObject({ role: 'owner', routingKey: null });
    expect(await store.validateToken(tokens.scoped)).toMatchObject({ role: 'admin', routingKey: 'github:42' });
    const after = await pool.query(`SELECT last_used_at FROM admin_tokens WHERE label = 'auditor'`);
    expect(after.rows[0].last_used_at).toBeInstanceOf(Date);
  });

  test('bad, revoked and expired tokens are refused', async () => {
    expect(await store.validateToken('f'.repeat(64))).toBeNull();
    expect(await store.validateToken('')).toBeNull();
    expect(await store.validateToken(undefined)).toBeNull();
    expect(await store.validateToken(tokens.revoked)).toBeNull();
    expect(await store.validateToken(tokens.expired)).toBeNull();
    // The hash, not the plaintext, is what is stored.
    const { rows } = await pool.query('SELECT token_hash FROM admin_tokens');
    expect(rows.map((r) => r.token_hash)).not.toContain(tokens.owner);
  });
});

describe('dlqList / dlqCount', () => {
  test('newest first, KiCI item shape, cursor only on a full page', async () => {
    const all = await store.dlqList();
    expect(all.limit).toBe(50);
    expect(all.nextCursor).toBeNull();
    expect(all.events.map((e) => e.id)).toEqual(dlqIds);
    expect(Object.keys(all.events[0])).toEqual([
      'id',
      'eventName',
      'payload',
      'sourceRepo',
      'sourceRoutingKey',
      'sourceRunId',
      'sourceJobId',
      'chainDepth',
      'createdAt',
      'dlqAt',
      'dlqReason',
      'attempts',
      'lastError',
    ]);
    expect(all.events[0]).toMatchObject({
      eventName: 'deploy-complete',
      payload: { env: 'prod', version: '2.14.0' },
      sourceRoutingKey: 'github:42',
      attempts: 5,
      dlqReason: 'exhausted_retries',
      lastError: 'Error: lock file fetch failed',
    });

    const p1 = await store.dlqList({ limit: '2' });
    expect(p1.events.map((e) => e.id)).toEqual(dlqIds.slice(0, 2));
    expect(p1.nextCursor).toBe(p1.events[1].dlqAt);
    const p2 = await store.dlqList({ limit: 2, before: p1.nextCursor });
    expect(p2.events.map((e) => e.id)).toEqual(dlqIds.slice(2, 4));
    expect(p2.nextCursor).toBe(p2.events[1].dlqAt);
    const p3 = await store.dlqList({ limit: 2, before: p2.nextCursor });
    expect(p3).toEqual({ events: [], limit: 2, nextCursor: null });
  });

  test('limit is clamped to 1..200, an invalid before is ignored, a routing key filters', async () => {
    expect(parseDlqLimit('0')).toBe(1);
    expect(parseDlqLimit(1000)).toBe(200);
    expect(parseDlqLimit('abc')).toBe(50);
    expect(parseDlqCursor('not-a-date')).toBeNull();
    expect((await store.dlqList({ before: 'not-a-date' })).events).toHaveLength(4);
    const scoped = await store.dlqList({ routingKey: 'github:42' });
    expect(scoped.events.map((e) => e.id)).toEqual([dlqIds[0], dlqIds[1]]);
    expect(await store.dlqCount('github:42')).toBe(2);
    expect(await store.dlqCount(null)).toBe(4);
  });
});

describe('dlqRetry', () => {
  test('row leaves the DLQ exactly like KiCI resets it, NOTIFY is seen by a real LISTEN, access_log row written', async () => {
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    const notified = new Promise<pg.Notification>((resolve) => listener.on('notification', resolve));
    await listener.query('LISTEN kici_event_channel');
    try {
      const keyId = await ownerId();
      expect(await store.dlqRetry(dlqIds[0], { keyId }, null)).toBe('retried');
      const n = await notified;
      expect(n).toMatchObject({ channel: 'kici_event_channel', payload: dlqIds[0] });

      const { rows } = await pool.query(
        `SELECT processed, dlq_at, dlq_reason, claimed_at, claimed_by, attempts, last_error, next_retry_at <= now() AS due
           FROM kici_events WHERE id = $1`,
        [dlqIds[0]]
      );
      expect(rows[0]).toEqual({
        processed: false,
        dlq_at: null,
        dlq_reason: null,
        claimed_at: null,
        claimed_by: null,
        attempts: 0,
        last_error: 'Error: lock file fetch failed',
        due: true,
      });
      expect(await store.dlqCount()).toBe(3);

      const log = await pool.query(
        `SELECT actor_type, actor_id, actor_meta, action, target_type, target_id, source, outcome FROM access_log`
      );
      expect(log.rows).toEqual([
        {
          actor_type: 'api_key',
          actor_id: keyId,
          actor_meta: { ownerSub: keyId },
          action: 'event_dlq.retry',
          target_type: 'event_dlq',
          target_id: dlqIds[0],
          source: 'admin_http',
          outcome: 'allowed',
        },
      ]);
      // A second retry finds nothing in the DLQ.
      expect(await store.dlqRetry(dlqIds[0], { keyId }, null)).toBe('not_found');
      expect(await pool.query('SELECT 1 FROM access_log').then((r) => r.rowCount)).toBe(1);
    } finally {
      await listener.end();
    }
  });

  test('routing-key-scoped tokens: own key allowed, other key and NULL key refused', async () => {
    const scoped = (await store.validateToken(tokens.scoped))!;
    expect(await store.dlqRetry(dlqIds[2], { keyId: scoped.id }, scoped.routingKey)).toBe('routing_key_mismatch');
    expect(await store.dlqRetry(dlqIds[3], { keyId: scoped.id }, scoped.routingKey)).toBe('routing_key_mismatch');
    expect(await store.dlqCount()).toBe(4);
    expect(await store.dlqRetry(dlqIds[1], { keyId: scoped.id }, scoped.routingKey)).toBe('retried');
    const log = await pool.query('SELECT routing_key, action FROM access_log');
    expect(log.rows).toEqual([{ routing_key: 'github:42', action: 'event_dlq.retry' }]);
  });

  test("a non-UUID id surfaces pg's 22P02", async () => {
    const keyId = await ownerId();
    await expect(store.dlqRetry('not-a-uuid', { keyId }, null)).rejects.toMatchObject({ code: '22P02' });
    await expect(store.dlqDiscard('not-a-uuid', { keyId }, null)).rejects.toMatchObject({ code: '22P02' });
    const log = await pool.query(`SELECT outcome FROM access_log`);
    expect(log.rows.map((r) => r.outcome)).toEqual(['error', 'error']);
  });
});

describe('dlqDiscard', () => {
  test('deletes only DLQ rows, then not_found; audited', async () => {
    const keyId = await ownerId();
    expect(await store.dlqDiscard(dlqIds[2], { keyId }, null)).toBe('discarded');
    expect(await pool.query('SELECT 1 FROM kici_events WHERE id = $1', [dlqIds[2]]).then((r) => r.rowCount)).toBe(0);
    expect(await store.dlqDiscard(dlqIds[2], { keyId }, null)).toBe('not_found');
    // A live (non-DLQ) event cannot be discarded through the DLQ.
    const live = await pool.query('SELECT id FROM kici_events WHERE dlq_at IS NULL LIMIT 1');
    expect(await store.dlqDiscard(live.rows[0].id, { keyId }, null)).toBe('not_found');
    const log = await pool.query(`SELECT action, target_id, outcome FROM access_log`);
    expect(log.rows).toEqual([{ action: 'event_dlq.discard', target_id: dlqIds[2], outcome: 'allowed' }]);
    const scoped = (await store.validateToken(tokens.scoped))!;
    expect(await store.dlqDiscard(dlqIds[3], { keyId: scoped.id }, 'github:42')).toBe('routing_key_mismatch');
  });
});

describe('secret backends', () => {
  test('list/get return the Descriptor shape; unknown names give null', async () => {
    const list = await store.backendsList();
    expect(list.map((b) => b.name)).toEqual(['pg', 'vault-prod']);
    expect(Object.keys(list[0])).toEqual([
      'id',
      'name',
      'backendType',
      'scopeFilter',
      'syncIntervalMs',
      'enabled',
      'healthStatus',
      'scopeCount',
      'lastSyncAt',
      'lastSyncError',
      'lastHealthCheckAt',
      'createdAt',
      'updatedAt',
    ]);
    expect(await store.backendGet('vault-prod')).toMatchObject({
      backendType: 'vault',
      healthStatus: 'healthy',
      scopeCount: 14,
      syncIntervalMs: 300000,
    });
    expect(await store.backendGet('nope')).toBeNull();
    expect(await store.backendTest('nope')).toBeNull();
    expect(await store.backendSync('nope')).toBeNull();
  });

  test('test probes without touching health; sync stamps on success and records the error on failure', async () => {
    expect(await store.backendTest('vault-prod')).toEqual({ ok: true, latencyMs: 12 });
    store.setBackendProbe('vault-prod', { status: 'unreachable', syncError: 'connect ECONNREFUSED 127.0.0.1:8200' });
    expect(await store.backendTest('vault-prod')).toEqual({
      ok: false,
      error: 'Backend status: unreachable',
      latencyMs: 5004,
    });
    expect((await store.backendGet('vault-prod'))?.healthStatus).toBe('healthy');

    const before = await store.backendGet('vault-prod');
    expect(await store.backendSync('vault-prod')).toEqual({ synced: true, scopeCount: 0 });
    const failed = await store.backendGet('vault-prod');
    expect(failed).toMatchObject({
      lastSyncError: 'connect ECONNREFUSED 127.0.0.1:8200',
      lastSyncAt: before?.lastSyncAt,
      scopeCount: 14,
    });

    store.setBackendProbe('vault-prod', { status: 'healthy', scopeCount: 15 });
    expect(await store.backendSync('vault-prod')).toEqual({ synced: true, scopeCount: 15 });
    const ok = await store.backendGet('vault-prod');
    expect(ok?.lastSyncError).toBeNull();
    expect(new Date(ok!.lastSyncAt!).getTime()).toBeGreaterThan(new Date(before!.lastSyncAt!).getTime());
  });
});

describe('cluster and roster', () => {
  test('raft, instances, heartbeat, roster, active runs, queue depth', async () => {
    expect(await store.raftState()).toMatchObject({
      clusterId: 'default',
      currentTerm: 1,
      leaderId: 'orch-a',
      votedFor: 'orch-a',
    });
    expect(await store.clusterMeta()).toMatchObject({ clusterName: 'acme-ci' });
    const [inst] = await store.clusterInstances();
    await store.heartbeat('orch-a', 'leader', '0.9.1');
    const [after] = await store.clusterInstances();
    expect(new Date(after.lastHeartbeatAt).getTime()).toBeGreaterThan(new Date(inst.lastHeartbeatAt).getTime());
    expect(after.startedAt).toBe(inst.startedAt);

    const roster = await store.hostRoster();
    expect(roster.map((r) => [r.agentId, r.status, r.scalerManaged])).toEqual([
      ['build-01-1a2b3c4d', 'ready', false],
      ['container-linux-x64-0c9d8e7f', 'stale', true],
      ['container-linux-x64-7f3e2a10', 'ready', true],
      ['mac-mini-02-5e6f7a8b', 'unreachable', false],
    ]);
    expect(roster[0].labels).toContain('kici:host:build-01');

    const runs = await store.activeRuns();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      workflowName: 'ci',
      status: 'running',
      jobs: { total: 2, completed: 0, failed: 0, running: 2 },
    });
    expect(await store.dispatchQueueDepth()).toEqual({ pending: 1, dispatched: 1 });
    expect(await store.ready()).toBe(true);
    expect(await store.runsCount({ since: new Date(Date.now() - 24 * 3600_000) })).toBe(4);
    expect(await store.runsCount({ since: new Date(Date.now() - 24 * 3600_000), status: ['success'] })).toBe(1);
  });

  test('0.1 layout has no cluster_instances: empty list, heartbeat is a no-op', async () => {
    const db01 = await createTestDatabase('store01');
    const pool01 = new pg.Pool({ connectionString: db01.url, max: 2 });
    try {
      await applySchema(pool01, '0.1');
      await getScenario('healthy-single', { layout: '0.1' }).seed(pool01);
      const s = new SimStore(pool01, '0.1');
      await s.heartbeat('orch-a', 'leader', '0.1.24');
      expect(await s.clusterInstances()).toEqual([]);
      expect((await s.hostRoster()).every((r) => r.scalerManaged === null)).toBe(true);
    } finally {
      await pool01.end();
      await db01.drop();
    }
  });
});
