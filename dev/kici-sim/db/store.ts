// The database operations the simulated orchestrator serves over HTTP, each doing what KiCI's own code does
// (contract §3 cluster/roster, §4 secret backends, §6 event DLQ, §6.4 admin tokens).
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { SchemaLayout } from '../model';
import { KICI_LOG, type KiciLogger } from '../logs';

export interface TokenIdentity {
  id: string;
  role: string;
  routingKey: string | null;
}

/** One DLQ row as `GET /api/v1/admin/event-dlq` returns it (contract §6.3). */
export interface DlqItem {
  id: string;
  eventName: string;
  payload: unknown;
  sourceRepo: string | null;
  sourceRoutingKey: string | null;
  sourceRunId: string | null;
  sourceJobId: string | null;
  chainDepth: number;
  createdAt: string;
  dlqAt: string;
  dlqReason: string | null;
  attempts: number;
  lastError: string | null;
}

export interface DlqPage {
  events: DlqItem[];
  limit: number;
  nextCursor: string | null;
}

export interface DlqActor {
  /** `admin_tokens.id` of the calling token. */
  keyId: string;
  /** X-Request-ID when it is a UUID (access_log.request_id is uuid). */
  requestId?: string;
}

export type DlqMutationResult<T extends string> = T | 'not_found' | 'routing_key_mismatch';

/** `GET /api/v1/admin/backends[/:name]` Descriptor (contract §4.2). */
export interface BackendDescriptor {
  id: string;
  name: string;
  backendType: 'pg' | 'vault';
  scopeFilter: string;
  syncIntervalMs: number;
  enabled: boolean;
  healthStatus: string;
  scopeCount: number;
  lastSyncAt: string | null;
  lastSyncError: string | null;
  lastHealthCheckAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export type BackendHealth = 'healthy' | 'degraded' | 'unreachable';

export interface BackendTestResult {
  ok: boolean;
  error?: string;
  latencyMs: number;
}

export interface RaftStateRow {
  clusterId: string;
  currentTerm: number;
  votedFor: string | null;
  leaderId: string | null;
  updatedAt: string;
}

export interface ClusterInstanceRow {
  instanceId: string;
  role: string | null;
  version: string | null;
  startedAt: string;
  lastHeartbeatAt: string;
}

export type RosterStatus = 'ready' | 'stale' | 'unreachable';

export interface HostRosterRow {
  agentId: string;
  hostname: string | null;
  platform: string | null;
  arch: string | null;
  lifecycleClass: 'static' | 'ephemeral';
  connectedInstanceId: string | null;
  lastSeen: string;
  status: RosterStatus;
  labels: string[];
  /** 0.9 only; null on 0.1. */
  scalerManaged: boolean | null;
}

/** `/cluster/runs` item (contract §3.3). */
export interface ActiveRun {
  runId: string;
  workflowName: string;
  status: string;
  jobs: { total: number; completed: number; failed: number; running: number };
}

export const DLQ_DEFAULT_LIMIT = 50;
export const DLQ_MAX_LIMIT = 200;
/** `KICI_ROSTER_GRACE_MS` default. */
export const ROSTER_GRACE_MS = 300_000;
export const EVENT_CHANNEL = 'kici_event_channel';

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/** limit=1..200, default 50; anything unparsable falls back to the default, out-of-range values are clamped. */
export function parseDlqLimit(raw: unknown): number {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(n)) {
    return DLQ_DEFAULT_LIMIT;
  }
  return Math.min(DLQ_MAX_LIMIT, Math.max(1, Math.floor(n)));
}

/** `before` is an ISO dlq_at cursor; an invalid one is ignored (contract §6.3). */
export function parseDlqCursor(raw: unknown): Date | null {
  if (typeof raw !== 'string' || raw === '') {
    return null;
  }
  const d = new Date(raw);
  return Number.isNaN(d.getTime()) ? null : d;
}

function toDlqItem(r: Record<string, any>): DlqItem {
  return {
    id: r.id,
    eventName: r.event_name,
    payload: r.payload,
    sourceRepo: r.source_repo,
    sourceRoutingKey: r.source_routing_key,
    sourceRunId: r.source_run_id,
    sourceJobId: r.source_job_id,
    chainDepth: r.chain_depth,
    createdAt: r.created_at.toISOString(),
    dlqAt: r.dlq_at.toISOString(),
    dlqReason: r.dlq_reason,
    attempts: r.attempts,
    lastError: r.last_error,
  };
}

function toDescriptor(r: Record<string, any>): BackendDescriptor {
  return {
    id: r.id,
    name: r.name,
    backendType: r.backend_type,
    scopeFilter: r.scope_filter,
    syncIntervalMs: r.sync_interval_ms,
    enabled: r.enabled,
    healthStatus: r.health_status,
    scopeCount: r.scope_count,
    lastSyncAt: iso(r.last_sync_at),
    lastSyncError: r.last_sync_error,
    lastHealthCheckAt: iso(r.last_health_check_at),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SimStoreOptions {
  /** Receives `pg_notify failed after DLQ retry; scanner will catch up` and similar lines. */
  log?: KiciLogger;
}

export class SimStore {
  /** Simulated probe results per backend name; default: the row's own health_status. */
  private readonly probes = new Map<
    string,
    { status: BackendHealth; latencyMs?: number; syncError?: string; scopeCount?: number }
  >();

  constructor(
    readonly pool: pg.Pool,
    readonly layout: SchemaLayout,
    private readonly opts: SimStoreOptions = {}
  ) {}

  // ---- admin tokens (secrets/token-manager.ts:validate) ----

  /** SHA-256 hex lookup, not revoked, not expired; stamps last_used_at like every Bearer validation does. */
  async validateToken(plaintext: string | null | undefined): Promise<TokenIdentity | null> {
    if (typeof plaintext !== 'string' || plaintext === '') {
      return null;
    }
    const hash = createHash('sha256').update(plaintext).digest('hex');
    const { rows } = await this.pool.query(
      `UPDATE admin_tokens SET last_used_at = now()
        WHERE token_hash = $1 AND revoked = false AND (expires_at IS NULL OR expires_at > now())
        RETURNING id, role, routing_key`,
      [hash]
    );
    return rows[0] ? { id: rows[0].id, role: rows[0].role, routingKey: rows[0].routing_key } : null;
  }

  // ---- event DLQ (routes/admin-event-dlq.ts, events/event-store.ts) ----

  async dlqList(q: { limit?: unknown; before?: unknown; routingKey?: string | null } = {}): Promise<DlqPage> {
    const limit = parseDlqLimit(q.limit);
    const before = parseDlqCursor(q.before);
    const params: unknown[] = [];
    let where = 'dlq_at IS NOT NULL';
    if (before) {
      params.push(before);
      where += ` AND dlq_at < $${params.length}`;
    }
    if (q.routingKey) {
      params.push(q.routingKey);
      where += ` AND source_routing_key = $${params.length}`;
    }
    params.push(limit);
    const { rows } = await this.pool.query(
      `SELECT id, event_name, payload, source_repo, source_routing_key, source_run_id, source_job_id, chain_depth,
              created_at, dlq_at, dlq_reason, attempts, last_error
         FROM kici_events WHERE ${where} ORDER BY dlq_at DESC LIMIT $${params.length}`,
      params
    );
    const events = rows.map(toDlqItem);
    return { events, limit, nextCursor: events.length === limit ? events[events.length - 1].dlqAt : null };
  }

  async dlqCount(routingKey?: string | null): Promise<number> {
    const { rows } = routingKey
      ? await this.pool.query(
          'SELECT count(*)::int AS total FROM kici_events WHERE dlq_at IS NOT NULL AND source_routing_key = $1',
          [routingKey]
        )
      : await this.pool.query('SELECT count(*)::int AS total FROM kici_events WHERE dlq_at IS NOT NULL');
    return rows[0].total;
  }

  /** Authoritative DLQ depth (what the leader's scanner feeds into kici_orch_event_dlq_depth). */
  dlqDepth(): Promise<number> {
    return this.dlqCount(null);
  }

  /**
   * Retry: the exact reset of contract §6.3, then `pg_notify('kici_event_channel', id)` and an access_log row.
   * A non-UUID id throws pg's 22P02 (invalid_text_representation), which the HTTP layer maps to 400.
   */
  async dlqRetry(id: string, actor: DlqActor, tokenRoutingKey: string | null): Promise<DlqMutationResult<'retried'>> {
    return this.dlqMutate('event_dlq.retry', id, actor, tokenRoutingKey, async () => {
      const res = await this.pool.query(
        `UPDATE kici_events SET processed = false, dlq_at = NULL, dlq_reason = NULL, claimed_at = NULL, claimed_by = NULL,
                attempts = 0, next_retry_at = NOW()
          WHERE id = $1 AND dlq_at IS NOT NULL`,
        [id]
      );
      if (res.rowCount === 0) {
        return 'not_found';
      }
      try {
        await this.pool.query(`SELECT pg_notify('${EVENT_CHANNEL}', $1)`, [id]);
      } catch (err) {
        this.opts.log?.warn(KICI_LOG.pgNotifyFailedAfterDlqRetry, { eventId: id, error: (err as Error).message });
      }
      return 'retried';
    });
  }

  /** Discard: `DELETE … WHERE id=$1 AND dlq_at IS NOT NULL` plus its access_log row. */
  async dlqDiscard(
    id: string,
    actor: DlqActor,
    tokenRoutingKey: string | null
  ): Promise<DlqMutationResult<'discarded'>> {
    return this.dlqMutate('event_dlq.discard', id, actor, tokenRoutingKey, async () => {
      const res = await this.pool.query('DELETE FROM kici_events WHERE id = $1 AND dlq_at IS NOT NULL', [id]);
      return res.rowCount === 0 ? 'not_found' : 'discarded';
    });
  }

  private async dlqMutate<T extends string>(
    action: 'event_dlq.retry' | 'event_dlq.discard',
    id: string,
    actor: DlqActor,
    tokenRoutingKey: string | null,
    run: () => Promise<T | 'not_found'>
  ): Promise<DlqMutationResult<T>> {
    try {
      if (tokenRoutingKey) {
        // Scoped tokens may only touch events of their own routing key; NULL-key events are refused too.
        const { rows } = await this.pool.query(
          'SELECT source_routing_key FROM kici_events WHERE id = $1 AND dlq_at IS NOT NULL',
          [id]
        );
        if (rows.length === 0) {
          return 'not_found';
        }
        if (rows[0].source_routing_key !== tokenRoutingKey) {
          return 'routing_key_mismatch';
        }
      }
      const result = await run();
      if (result !== 'not_found') {
        await this.accessLog(action, id, actor, tokenRoutingKey, 'allowed', null);
      }
      return result;
    } catch (err) {
      await this.accessLog(action, id, actor, tokenRoutingKey, 'error', (err as Error).message).catch(() => undefined);
      throw err;
    }
  }

  private async accessLog(
    action: string,
    targetId: string,
    actor: DlqActor,
    routingKey: string | null,
    outcome: 'allowed' | 'error',
    errorMessage: string | null
  ): Promise<void> {
    await this.pool.query(
      `INSERT INTO access_log (routing_key, actor_type, actor_id, actor_meta, action, target_type, target_id, request_id, source, outcome, error_message)
       VALUES ($1, 'api_key', $2, $3, $4, 'event_dlq', $5, $6, 'admin_http', $7, $8)`,
      [
        routingKey,
        actor.keyId,
        JSON.stringify({ ownerSub: actor.keyId }),
        action,
        targetId,
        actor.requestId && UUID_RE.test(actor.requestId) ? actor.requestId : null,
        outcome,
        errorMessage,
      ]
    );
  }

  // ---- secret backends (routes/admin-backends.ts, secrets/backend-registry.ts) ----

  async backendsList(): Promise<BackendDescriptor[]> {
    const { rows } = await this.pool.query('SELECT * FROM secret_backends ORDER BY name');
    return rows.map(toDescriptor);
  }

  async backendGet(name: string): Promise<BackendDescriptor | null> {
    const { rows } = await this.pool.query('SELECT * FROM secret_backends WHERE name = $1', [name]);
    return rows[0] ? toDescriptor(rows[0]) : null;
  }

  /**
   * What the simulated probe (pg `SELECT 1`, Vault `/v1/sys/health`) finds for a backend from now on.
   * `null` restores the default: the row's own health_status (`unknown` counts as healthy).
   */
  setBackendProbe(
    name: string,
    probe: { status: BackendHealth; latencyMs?: number; syncError?: string; scopeCount?: number } | null
  ): void {
    if (probe) {
      this.probes.set(name, probe);
    } else {
      this.probes.delete(name);
    }
  }

  private probe(row: Record<string, any>): {
    status: BackendHealth;
    latencyMs: number;
    syncError?: string;
    scopeCount?: number;
  } {
    const override = this.probes.get(row.name);
    const status: BackendHealth = override?.status ?? (row.health_status === 'unknown' ? 'healthy' : row.health_status);
    // An unreachable probe runs into the 5 s timeout (the sim does not wait it out).
    const latencyMs = override?.latencyMs ?? (status === 'unreachable' ? 5004 : row.backend_type === 'pg' ? 2 : 12);
    return { status, latencyMs, syncError: override?.syncError, scopeCount: override?.scopeCount };
  }

  /** Test: probe only; never writes health_status (contract §4.2). null = no such backend (404). */
  async backendTest(name: string): Promise<BackendTestResult | null> {
    const { rows } = await this.pool.query(
      'SELECT name, backend_type, health_status FROM secret_backends WHERE name = $1',
      [name]
    );
    if (!rows[0]) {
      return null;
    }
    const p = this.probe(rows[0]);
    return p.status === 'healthy'
      ? { ok: true, latencyMs: p.latencyMs }
      : { ok: false, error: `Backend status: ${p.status}`, latencyMs: p.latencyMs };
  }

  /**
   * Sync: a reachable backend gets last_sync_at/scope_count stamped and last_sync_error cleared. A failing one gets
   * last_sync_error set and KiCI still answers `{synced:true}` (the error is swallowed; scopeCount 0, as in the
   * sync-all response). null = no such backend (404).
   */
  async backendSync(name: string): Promise<{ synced: true; scopeCount: number } | null> {
    const { rows } = await this.pool.query(
      'SELECT name, backend_type, health_status, scope_count FROM secret_backends WHERE name = $1',
      [name]
    );
    if (!rows[0]) {
      return null;
    }
    const p = this.probe(rows[0]);
    if (p.status === 'unreachable' || (p.status === 'degraded' && rows[0].backend_type === 'vault')) {
      const error =
        p.syncError ?? (p.status === 'unreachable' ? 'Vault request failed: connect ECONNREFUSED' : 'Vault is sealed');
      await this.pool.query('UPDATE secret_backends SET last_sync_error = $2, updated_at = now() WHERE name = $1', [
        name,
        error,
      ]);
      return { synced: true, scopeCount: 0 };
    }
    const { rows: updated } = await this.pool.query(
      `UPDATE secret_backends SET last_sync_at = now(), last_sync_error = NULL, scope_count = $2, updated_at = now()
        WHERE name = $1 RETURNING scope_count`,
      [name, p.scopeCount ?? rows[0].scope_count]
    );
    return { synced: true, scopeCount: updated[0].scope_count };
  }

  // ---- cluster (raft_state, cluster_instances, cluster_meta) ----

  async raftState(): Promise<RaftStateRow | null> {
    const { rows } = await this.pool.query(`SELECT * FROM raft_state WHERE cluster_id = 'default'`);
    const r = rows[0];
    return r
      ? {
          clusterId: r.cluster_id,
          currentTerm: r.current_term,
          votedFor: r.voted_for,
          leaderId: r.leader_id,
          updatedAt: r.updated_at.toISOString(),
        }
      : null;
  }

  async clusterMeta(): Promise<{ clusterId: string | null; clusterName: string | null }> {
    const { rows } = await this.pool.query(
      `SELECT key, value FROM cluster_meta WHERE key IN ('cluster_id', 'cluster_name')`
    );
    const get = (k: string) => rows.find((r) => r.key === k)?.value ?? null;
    return { clusterId: get('cluster_id'), clusterName: get('cluster_name') };
  }

  /** 0.9 only; [] on the 0.1 layout, which has no cluster_instances table. */
  async clusterInstances(): Promise<ClusterInstanceRow[]> {
    if (this.layout !== '0.9') {
      return [];
    }
    const { rows } = await this.pool.query('SELECT * FROM cluster_instances ORDER BY instance_id');
    return rows.map((r) => ({
      instanceId: r.instance_id,
      role: r.role,
      version: r.version,
      startedAt: r.started_at.toISOString(),
      lastHeartbeatAt: r.last_heartbeat_at.toISOString(),
    }));
  }

  /** The coordinator's 10 s upsert (0.9 only; a no-op on 0.1). */
  async heartbeat(instanceId: string, raftRole: string, version: string): Promise<void> {
    if (this.layout !== '0.9') {
      return;
    }
    await this.pool.query(
      `INSERT INTO cluster_instances (instance_id, role, version, started_at, last_heartbeat_at) VALUES ($1, $2, $3, now(), now())
       ON CONFLICT (instance_id) DO UPDATE SET role = EXCLUDED.role, version = EXCLUDED.version, last_heartbeat_at = now()`,
      [instanceId, raftRole, version]
    );
  }

  /** host_roster with KiCI's deriveHostStatus (contract §3.4). */
  async hostRoster(): Promise<HostRosterRow[]> {
    const managed = this.layout === '0.9' ? 'scaler_managed' : 'NULL::boolean AS scaler_managed';
    const { rows } = await this.pool.query(
      `SELECT agent_id, hostname, platform, arch, lifecycle_class, connected_instance_id, last_seen, ${managed},
              CASE WHEN connected_instance_id IS NOT NULL AND last_seen >= now() - ($1 || ' milliseconds')::interval THEN 'ready'
                   WHEN lifecycle_class = 'ephemeral' THEN 'stale'
                   ELSE 'unreachable' END AS status,
              labels::jsonb AS labels
         FROM host_roster ORDER BY connected_instance_id NULLS LAST, agent_id`,
      [String(ROSTER_GRACE_MS)]
    );
    return rows.map((r) => ({
      agentId: r.agent_id,
      hostname: r.hostname,
      platform: r.platform,
      arch: r.arch,
      lifecycleClass: r.lifecycle_class,
      connectedInstanceId: r.connected_instance_id,
      lastSeen: r.last_seen.toISOString(),
      status: r.status,
      labels: r.labels,
      scalerManaged: r.scaler_managed,
    }));
  }

  /**
   * Non-terminal runs with job tallies as `/cluster/runs` counts them: completed = success|skipped,
   * failed = failed|cancelled|timed_out_stale, running = everything else. KiCI serves these from one node's memory;
   * the HTTP side decides which node reports which run.
   */
  async activeRuns(): Promise<ActiveRun[]> {
    const { rows } = await this.pool.query(
      `SELECT r.run_id, r.workflow_name, r.status,
              count(j.id)::int AS total,
              count(j.id) FILTER (WHERE j.status IN ('success','skipped'))::int AS completed,
              count(j.id) FILTER (WHERE j.status IN ('failed','cancelled','timed_out_stale'))::int AS failed,
              count(j.id) FILTER (WHERE j.status NOT IN ('success','skipped','failed','cancelled','timed_out_stale'))::int AS running
         FROM execution_runs r LEFT JOIN execution_jobs j ON j.run_id = r.run_id
        WHERE r.status NOT IN ('success','failed','cancelled')
        GROUP BY r.run_id, r.workflow_name, r.status, r.started_at
        ORDER BY r.started_at`
    );
    return rows.map((r) => ({
      runId: r.run_id,
      workflowName: r.workflow_name,
      status: r.status,
      jobs: { total: r.total, completed: r.completed, failed: r.failed, running: r.running },
    }));
  }

  /** dispatch_queue depth per status, as kici_orch_dispatch_queue_depth reports it (explicit zeros). */
  async dispatchQueueDepth(): Promise<{ pending: number; dispatched: number }> {
    const { rows } = await this.pool.query(
      `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'dispatched')::int AS dispatched FROM dispatch_queue`
    );
    return rows[0];
  }

  /** `/ready`'s database probe: `SELECT delivery_id FROM dedup_cache LIMIT 1`. */
  async ready(): Promise<boolean> {
    try {
      await this.pool.query('SELECT delivery_id FROM dedup_cache LIMIT 1');
      return true;
    } catch {
      return false;
    }
  }

  /** `GET /api/v1/admin/runs?count=true`: created_at >= since, optional status list and routing key. */
  async runsCount(q: { since: Date; status?: string[] | null; routingKey?: string | null }): Promise<number> {
    const params: unknown[] = [q.since];
    let where = 'created_at >= $1';
    if (q.status && q.status.length > 0) {
      params.push(q.status);
      where += ` AND status = ANY($${params.length}::text[])`;
    }
    if (q.routingKey) {
      params.push(q.routingKey);
      where += ` AND routing_key = $${params.length}`;
    }
    const { rows } = await this.pool.query(`SELECT count(*)::int AS n FROM execution_runs WHERE ${where}`, params);
    return rows[0].n;
  }
}
