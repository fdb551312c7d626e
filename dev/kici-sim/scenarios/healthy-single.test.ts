import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../testing/postgres';
import { applySchema } from '../db/schema';
import { healthyDlqIds, HEALTHY_SINGLE_KNOWN } from './healthy-single';
import { getScenario, tokensByRole } from './index';

// Contract §2.2, verbatim.
const EXECUTION_METRICS_SQL = `
WITH w AS (
  SELECT status, duration_ms, completed_at
  FROM execution_runs
  WHERE created_at >= now() - interval '24 hours'
)
SELECT
  count(*)                                                              AS total_runs,
  count(*) FILTER (WHERE status = 'success')                            AS success_runs,
  count(*) FILTER (WHERE status IN ('success','failed','cancelled'))    AS finished_runs,
  round(100.0 * count(*) FILTER (WHERE status = 'success')
        / NULLIF(count(*) FILTER (WHERE status IN ('success','failed','cancelled')), 0), 1)
                                                                        AS success_rate_pct,
  round(avg(duration_ms) FILTER (WHERE completed_at IS NOT NULL AND duration_ms IS NOT NULL)
        / 1000.0, 1)                                                    AS avg_duration_s
FROM w`;

const ACTIVE_JOBS_SQL = `SELECT
  (SELECT count(*) FROM dispatch_queue WHERE status = 'pending')  AS queued_jobs,
  (SELECT count(*) FROM execution_jobs WHERE status = 'running')  AS running_jobs`;

const ROSTER_SQL = `SELECT CASE WHEN connected_instance_id IS NOT NULL AND last_seen >= now() - interval '300000 milliseconds' THEN 'ready'
            WHEN lifecycle_class = 'ephemeral' THEN 'stale' ELSE 'unreachable' END AS status, count(*)::int AS n
  FROM host_roster GROUP BY 1`;

describe.each(['0.9', '0.1'] as const)('healthy-single (%s)', (layout) => {
  let db: TestDatabase;
  let client: pg.Client;
  const scenario = getScenario('healthy-single', { layout });

  beforeAll(async () => {
    db = await createTestDatabase('healthy');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await applySchema(client, layout);
    await scenario.seed(client);
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  test('execution metrics SQL of contract §2.2 gives 33.3 % and 48.3 s', async () => {
    const { rows } = await client.query(EXECUTION_METRICS_SQL);
    expect(rows[0]).toEqual({
      total_runs: '4',
      success_runs: '1',
      finished_runs: '3',
      success_rate_pct: '33.3',
      avg_duration_s: '48.3',
    });
    expect(Number(rows[0].success_rate_pct)).toBe(HEALTHY_SINGLE_KNOWN.successRatePct);
    const active = await client.query(ACTIVE_JOBS_SQL);
    expect(active.rows[0]).toEqual({ queued_jobs: '1', running_jobs: '1' });
  });

  test('DLQ depth, order, scoping and the retry/lease backlog', async () => {
    const dlq = await client.query<{ id: string; attempts: number; dlq_reason: string }>(
      'SELECT id, attempts, dlq_reason FROM kici_events WHERE dlq_at IS NOT NULL ORDER BY dlq_at DESC'
    );
    expect(dlq.rows.map((r) => r.id)).toEqual(healthyDlqIds());
    expect(dlq.rows.every((r) => r.attempts === 5 && r.dlq_reason === 'exhausted_retries')).toBe(true);
    const scoped = await client.query(
      `SELECT count(*)::int AS n FROM kici_events WHERE dlq_at IS NOT NULL AND source_routing_key = 'github:42'`
    );
    expect(scoped.rows[0].n).toBe(HEALTHY_SINGLE_KNOWN.dlqDepthScoped);
    const backlog = await client.query(
      `SELECT count(*) FILTER (WHERE next_retry_at IS NOT NULL)::int AS retry, count(*) FILTER (WHERE claimed_at IS NOT NULL)::int AS leased
         FROM kici_events WHERE processed = false AND dlq_at IS NULL`
    );
    expect(backlog.rows[0]).toEqual({ retry: 1, leased: 1 });
  });

  test('roster statuses and layout-dependent columns', async () => {
    const { rows } = await client.query(ROSTER_SQL);
    expect(Object.fromEntries(rows.map((r) => [r.status, r.n]))).toEqual(HEALTHY_SINGLE_KNOWN.roster);
    if (layout === '0.9') {
      const inst = await client.query('SELECT instance_id, role, version FROM cluster_instances');
      expect(inst.rows).toEqual([{ instance_id: 'orch-a', role: 'leader', version: '0.9.1' }]);
      const managed = await client.query('SELECT count(*)::int AS n FROM host_roster WHERE scaler_managed');
      expect(managed.rows[0].n).toBe(2);
    }
  });

  test('tokens for every role are stored as SHA-256 hex of their plaintext', async () => {
    const tokens = tokensByRole(scenario.spec);
    const { rows } = await client.query(
      `SELECT role, routing_key FROM admin_tokens WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`,
      [tokens.scoped]
    );
    expect(rows).toEqual([{ role: 'admin', routing_key: 'github:42' }]);
    expect(new Set(Object.values(tokens)).size).toBe(6);
    expect(Object.values(tokens).every((t) => /^[0-9a-f]{64}$/.test(t))).toBe(true);
  });

  test('seeding is deterministic', () => {
    const again = getScenario('healthy-single', { layout });
    expect(again.spec).toEqual(scenario.spec);
    expect(getScenario('healthy-single', { layout, seed: 2 }).spec.tokens[0].plaintext).not.toBe(
      scenario.spec.tokens[0].plaintext
    );
  });
});
