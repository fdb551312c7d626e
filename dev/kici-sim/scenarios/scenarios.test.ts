import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../testing/postgres';
import { SimStore } from '../db/store';
import { applySchema } from '../db/schema';
import type { SchemaLayout } from '../model';
import { CLUSTER_3_KNOWN } from './cluster-3';
import { DLQ_BACKLOG_KNOWN } from './dlq-backlog';
import { getScenario, SCENARIO_NAMES, tokensByRole } from './index';
import { SECRETS_DEGRADED_KNOWN } from './secrets-degraded';

jest.setTimeout(120_000);

async function seeded(
  name: string,
  layout: SchemaLayout
): Promise<{ db: TestDatabase; pool: pg.Pool; store: SimStore }> {
  const db = await createTestDatabase(name.replace(/-/g, '_'));
  const pool = new pg.Pool({ connectionString: db.url, max: 3 });
  await applySchema(pool, layout);
  await getScenario(name, { layout }).seed(pool);
  return { db, pool, store: new SimStore(pool, layout) };
}

const count = async (pool: pg.Pool, sql: string, params: unknown[] = []) =>
  Number((await pool.query(sql, params)).rows[0].n);

test('every scenario has tokens for each role and a unique name', () => {
  expect([...SCENARIO_NAMES].sort()).toEqual(['big', 'cluster-3', 'dlq-backlog', 'healthy-single', 'secrets-degraded']);
  for (const name of SCENARIO_NAMES) {
    const spec = getScenario(name).spec;
    expect(spec.name).toBe(name);
    const tokens = tokensByRole(spec);
    expect(spec.tokens.find((t) => t.plaintext === tokens.scoped)).toMatchObject({
      role: 'admin',
      routingKey: 'github:42',
    });
    expect(spec.tokens.find((t) => t.plaintext === tokens.auditor)?.role).toBe('auditor');
  }
  expect(() => getScenario('nope')).toThrow(/Unknown kici-sim scenario "nope"/);
});

describe.each(['0.9', '0.1'] as const)('cluster-3 (%s)', (layout) => {
  let ctx: Awaited<ReturnType<typeof seeded>>;
  beforeAll(async () => {
    ctx = await seeded('cluster-3', layout);
  });
  afterAll(async () => {
    await ctx.pool.end();
    await ctx.db.drop();
  });

  test('raft, coordinators, roster and executions', async () => {
    expect(await ctx.store.raftState()).toMatchObject({
      currentTerm: CLUSTER_3_KNOWN.raftTerm,
      leaderId: CLUSTER_3_KNOWN.leader,
    });
    const spec = getScenario('cluster-3', { layout }).spec;
    expect(spec.nodes.find((n) => n.instanceId === 'orch-c')?.fault.mode).toBe('down');
    if (layout === '0.9') {
      const live = await count(
        ctx.pool,
        `SELECT count(*) AS n FROM cluster_instances WHERE last_heartbeat_at > now() - interval '120 seconds'`
      );
      expect(live).toBe(CLUSTER_3_KNOWN.liveInstances);
    } else {
      expect(await ctx.store.clusterInstances()).toEqual([]);
    }
    const roster = await ctx.store.hostRoster();
    expect(roster).toHaveLength(CLUSTER_3_KNOWN.agents);
    expect(roster.filter((r) => r.status === 'ready')).toHaveLength(CLUSTER_3_KNOWN.readyAgents);
    const m = await ctx.pool.query(
      `SELECT round(100.0 * count(*) FILTER (WHERE status='success') / NULLIF(count(*) FILTER (WHERE status IN ('success','failed','cancelled')),0), 1)::float AS rate,
              round(avg(duration_ms) FILTER (WHERE completed_at IS NOT NULL AND duration_ms IS NOT NULL) / 1000.0, 1)::float AS avg
         FROM execution_runs WHERE created_at >= now() - interval '24 hours'`
    );
    expect(m.rows[0]).toEqual({ rate: CLUSTER_3_KNOWN.successRatePct, avg: CLUSTER_3_KNOWN.avgDurationS });
    expect(await ctx.store.dlqDepth()).toBe(CLUSTER_3_KNOWN.dlqDepth);
    const expired = await count(
      ctx.pool,
      `SELECT count(*) AS n FROM kici_events WHERE processed = false AND dlq_at IS NULL AND claimed_at < now() - interval '60000 milliseconds' AND claimed_by = 'orch-c'`
    );
    expect(expired).toBe(CLUSTER_3_KNOWN.expiredLeases);
  });
});

describe.each(['0.9', '0.1'] as const)('dlq-backlog (%s)', (layout) => {
  let ctx: Awaited<ReturnType<typeof seeded>>;
  beforeAll(async () => {
    ctx = await seeded('dlq-backlog', layout);
  });
  afterAll(async () => {
    await ctx.pool.end();
    await ctx.db.drop();
  });

  test('depth, distribution and backlog', async () => {
    expect(await ctx.store.dlqDepth()).toBe(DLQ_BACKLOG_KNOWN.dlqDepth);
    expect(
      await count(ctx.pool, `SELECT count(*) AS n FROM kici_events WHERE dlq_at >= now() - interval '24 hours'`)
    ).toBe(DLQ_BACKLOG_KNOWN.dlqLast24h);
    const byName = await ctx.pool.query(
      `SELECT event_name, count(*)::int AS n FROM kici_events WHERE dlq_at IS NOT NULL GROUP BY 1`
    );
    expect(Object.fromEntries(byName.rows.map((r) => [r.event_name, r.n]))).toEqual(DLQ_BACKLOG_KNOWN.byEventName);
    for (const [key, n] of Object.entries(DLQ_BACKLOG_KNOWN.byRoutingKey)) {
      expect(await ctx.store.dlqCount(key)).toBe(n);
    }
    const odd = await count(
      ctx.pool,
      `SELECT count(*) AS n FROM kici_events WHERE dlq_at IS NOT NULL AND (attempts <> 5 OR dlq_reason <> 'exhausted_retries')`
    );
    expect(odd).toBe(0);
    expect(
      await count(
        ctx.pool,
        `SELECT count(*) AS n FROM kici_events WHERE processed = false AND dlq_at IS NULL AND next_retry_at IS NOT NULL`
      )
    ).toBe(DLQ_BACKLOG_KNOWN.retryBacklog);
    expect(
      await count(
        ctx.pool,
        `SELECT count(*) AS n FROM kici_events WHERE processed = false AND dlq_at IS NULL AND claimed_at < now() - interval '60 seconds'`
      )
    ).toBe(DLQ_BACKLOG_KNOWN.expiredLeases);
  });

  test('paging the whole DLQ with the cursor visits each event once', async () => {
    const seen: string[] = [];
    let before: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page = await ctx.store.dlqList({ limit: 50, before: before ?? undefined });
      seen.push(...page.events.map((e) => e.id));
      before = page.nextCursor;
      if (!before) {
        break;
      }
    }
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
  });
});

describe('secrets-degraded', () => {
  let ctx: Awaited<ReturnType<typeof seeded>>;
  beforeAll(async () => {
    ctx = await seeded('secrets-degraded', '0.9');
  });
  afterAll(async () => {
    await ctx.pool.end();
    await ctx.db.drop();
  });

  test('the unreachable Vault fails Test with KiCI error and keeps its last error; Sync still answers synced', async () => {
    const before = await ctx.store.backendGet(SECRETS_DEGRADED_KNOWN.unreachable);
    expect(before).toMatchObject({
      backendType: 'vault',
      healthStatus: 'unreachable',
      lastSyncError: SECRETS_DEGRADED_KNOWN.lastSyncError,
    });
    expect(await ctx.store.backendTest(SECRETS_DEGRADED_KNOWN.unreachable)).toEqual({
      ok: false,
      error: 'Backend status: unreachable',
      latencyMs: 5004,
    });
    expect(await ctx.store.backendTest(SECRETS_DEGRADED_KNOWN.degraded)).toMatchObject({
      ok: false,
      error: 'Backend status: degraded',
    });
    const afterTest = await ctx.store.backendGet(SECRETS_DEGRADED_KNOWN.unreachable);
    expect(afterTest?.healthStatus).toBe('unreachable');
    expect(afterTest?.lastHealthCheckAt).toBe(before?.lastHealthCheckAt);

    expect(await ctx.store.backendSync(SECRETS_DEGRADED_KNOWN.unreachable)).toEqual({ synced: true, scopeCount: 0 });
    const afterSync = await ctx.store.backendGet(SECRETS_DEGRADED_KNOWN.unreachable);
    expect(afterSync?.lastSyncError).toMatch(/ECONNREFUSED/);
    expect(afterSync?.lastSyncAt).toBe(before?.lastSyncAt);
    expect(afterSync?.scopeCount).toBe(14);
    expect((await ctx.store.backendsList()).map((b) => [b.name, b.healthStatus])).toEqual([
      ['pg', 'healthy'],
      ['vault-dr', 'degraded'],
      ['vault-prod', 'unreachable'],
    ]);
  });
});
