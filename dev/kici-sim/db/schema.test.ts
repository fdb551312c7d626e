import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../testing/postgres';
import { applySchema, columnName } from './schema';

// The columns the plugin reads, with the types of KiCI 0.9.1's pg_dump (information_schema spelling).
const EXPECTED_09: Record<string, Record<string, string>> = {
  kici_events: {
    id: 'uuid',
    event_name: 'character varying(255)',
    payload: 'jsonb',
    source_repo: 'character varying(500)',
    source_routing_key: 'character varying(255)',
    source_run_id: 'character varying(255)',
    source_job_id: 'character varying(255)',
    chain_depth: 'integer',
    processed: 'boolean',
    created_at: 'timestamp with time zone',
    expires_at: 'timestamp with time zone',
    claimed_at: 'timestamp with time zone',
    claimed_by: 'text',
    attempts: 'integer',
    last_error: 'text',
    next_retry_at: 'timestamp with time zone',
    dlq_at: 'timestamp with time zone',
    dlq_reason: 'text',
  },
  execution_runs: {
    run_id: 'uuid',
    routing_key: 'text',
    workflow_name: 'text',
    status: 'text',
    repo_identifier: 'text',
    started_at: 'timestamp with time zone',
    completed_at: 'timestamp with time zone',
    duration_ms: 'integer',
    log_bytes: 'bigint',
    is_test_run: 'boolean',
    created_at: 'timestamp with time zone',
    context: 'text',
  },
  execution_jobs: { run_id: 'uuid', job_id: 'text', status: 'text', agent_id: 'text', duration_ms: 'integer' },
  dispatch_queue: { id: 'uuid', run_id: 'text', status: 'text', runs_on_labels: 'jsonb', routing_key: 'text' },
  host_roster: {
    agent_id: 'text',
    lifecycle_class: 'text',
    labels: 'text',
    hostname: 'text',
    platform: 'text',
    arch: 'text',
    connected_instance_id: 'text',
    last_seen: 'timestamp with time zone',
    scaler_managed: 'boolean',
  },
  cluster_instances: {
    instance_id: 'text',
    role: 'text',
    version: 'text',
    started_at: 'timestamp with time zone',
    last_heartbeat_at: 'timestamp with time zone',
  },
  raft_state: { cluster_id: 'text', current_term: 'integer', voted_for: 'text', leader_id: 'text' },
  cluster_meta: { key: 'character varying(64)', value: 'text' },
  secret_backends: {
    id: 'uuid',
    name: 'text',
    backend_type: 'text',
    enabled: 'boolean',
    health_status: 'text',
    last_sync_error: 'text',
    sync_interval_ms: 'integer',
    scope_count: 'integer',
    scope_filter: 'text',
    last_sync_at: 'timestamp with time zone',
    last_health_check_at: 'timestamp with time zone',
  },
  sources: { routing_key: 'text', provider: 'text', name: 'text', slug: 'text' },
  generic_webhook_sources: {
    routing_key: 'character varying(500)',
    provider_type: 'text',
    deleted_at: 'timestamp with time zone',
  },
  admin_tokens: {
    id: 'uuid',
    token_hash: 'text',
    role: 'text',
    routing_key: 'text',
    expires_at: 'timestamp with time zone',
    last_used_at: 'timestamp with time zone',
    revoked: 'boolean',
    subject: 'text',
  },
  access_log: {
    actor_type: 'text',
    actor_id: 'text',
    actor_meta: 'jsonb',
    action: 'text',
    target_type: 'text',
    source: 'text',
    outcome: 'text',
  },
  kysely_migration: { name: 'character varying(255)', timestamp: 'character varying(255)' },
  scaler_reservations: { agent_id: 'text', scaler_name: 'text', cpu_units: 'double precision', mem_bytes: 'bigint' },
};

async function columns(client: pg.Client): Promise<Map<string, Map<string, string>>> {
  const { rows } = await client.query<{ t: string; c: string; type: string }>(
    `SELECT table_name AS t, column_name AS c,
            CASE WHEN data_type = 'character varying' THEN 'character varying(' || character_maximum_length || ')'
                 ELSE data_type END AS type
       FROM information_schema.columns WHERE table_schema = 'public'`
  );
  const out = new Map<string, Map<string, string>>();
  for (const r of rows) {
    out.set(r.t, (out.get(r.t) ?? new Map()).set(r.c, r.type));
  }
  return out;
}

describe.each(['0.9', '0.1'] as const)('applySchema layout %s', (layout) => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase(`schema_${layout.replace('.', '')}`);
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await applySchema(client, layout);
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  test('the columns the plugin reads exist with KiCI types', async () => {
    const actual = await columns(client);
    for (const [table, cols] of Object.entries(EXPECTED_09)) {
      if (layout === '0.1' && table === 'cluster_instances') {
        expect(actual.has(table)).toBe(false);
        continue;
      }
      for (const [col, type] of Object.entries(cols)) {
        const name = columnName(table, col, layout);
        if (name === null) {
          expect(actual.get(table)?.has(col)).toBeFalsy();
          continue;
        }
        expect([table, name, actual.get(table)?.get(name)]).toEqual([table, name, type]);
      }
    }
  });

  test('layout-specific columns', async () => {
    const actual = await columns(client);
    const runs = actual.get('execution_runs')!;
    const roster = actual.get('host_roster')!;
    if (layout === '0.9') {
      expect(runs.has('context')).toBe(true);
      expect(runs.has('environment')).toBe(false);
      expect(roster.get('scaler_managed')).toBe('boolean');
    } else {
      expect(runs.get('environment')).toBe('text');
      expect(runs.has('context')).toBe(false);
      expect(roster.has('scaler_managed')).toBe(false);
      expect(actual.get('admin_tokens')!.has('subject')).toBe(false);
    }
  });

  test('kysely_migration names the layout', async () => {
    const { rows } = await client.query<{ n: string; last: string; first: string }>(
      'SELECT count(*)::text AS n, max(name) AS last, min(name) AS first FROM kysely_migration'
    );
    expect(rows[0].first).toBe('001_initial');
    if (layout === '0.9') {
      expect(rows[0]).toMatchObject({ n: '144', last: '144_execution_runs_registration_window' });
    } else {
      expect(rows[0]).toMatchObject({ n: '60', last: '060_run_trigger_actor' });
    }
    const lease = await client.query('SELECT 1 FROM kysely_migration WHERE name = $1', ['014_kici_events_lease_retry']);
    expect(lease.rowCount).toBe(1);
  });

  test('DLQ, retry-due and lease partial indexes as in KiCI', async () => {
    const { rows } = await client.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'kici_events' ORDER BY indexname`
    );
    const defs = Object.fromEntries(rows.map((r) => [r.indexname, r.indexdef]));
    expect(defs.idx_kici_events_dlq).toContain('(dlq_at DESC) WHERE (dlq_at IS NOT NULL)');
    expect(defs.idx_kici_events_retry_due).toContain(
      'WHERE ((processed = false) AND (dlq_at IS NULL) AND (next_retry_at IS NOT NULL))'
    );
    expect(defs.idx_kici_events_lease_expired).toContain(
      'WHERE ((processed = false) AND (dlq_at IS NULL) AND (claimed_at IS NOT NULL))'
    );
  });

  test('CHECKs and defaults hold', async () => {
    await expect(
      client.query(`INSERT INTO host_roster (agent_id, lifecycle_class) VALUES ('a', 'forever')`)
    ).rejects.toMatchObject({ code: '23514' });
    await expect(
      client.query(`INSERT INTO secret_backends (name, backend_type, config_encrypted) VALUES ('x', 'aws', '')`)
    ).rejects.toMatchObject({ code: '23514' });
    const { rows } = await client.query(
      `INSERT INTO kici_events (event_name, payload, expires_at) VALUES ('e', '{}', now()) RETURNING attempts, processed, chain_depth, dlq_at`
    );
    expect(rows[0]).toEqual({ attempts: 0, processed: false, chain_depth: 0, dlq_at: null });
    const pgBackend = await client.query(
      `SELECT backend_type, health_status, sync_interval_ms FROM secret_backends WHERE name = 'pg'`
    );
    expect(pgBackend.rows).toEqual([{ backend_type: 'pg', health_status: 'unknown', sync_interval_ms: 300000 }]);
  });
});
