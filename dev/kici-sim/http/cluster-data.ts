// Database reads the HTTP surfaces need besides SimStore's operations: the shared numbers every node
// exports (dispatch queue, roster, stale jobs) and the rows behind the per-process counters (events
// and runs since the sim started, which each node counts as if it had handled them). One snapshot is
// shared by all nodes and refreshed at most every `ttlMs`, so 50 nodes scraped together cost one read.
import type pg from 'pg';
import type { ScenarioSpec, SchemaLayout } from '../model';

export interface RosterRow {
  agentId: string;
  labels: string[];
  hostname: string | null;
  platform: string | null;
  arch: string | null;
  connectedInstanceId: string | null;
  lifecycleClass: 'static' | 'ephemeral';
  lastSeen: Date;
  createdAt: Date;
}

export interface EventRow {
  id: string;
  eventName: string;
  attempts: number;
  processed: boolean;
  dlqAt: Date | null;
  leaseExpired: boolean;
  nextRetryAt: Date | null;
}

export interface RunRow {
  runId: string;
  status: string;
  durationMs: number | null;
  createdSinceStart: boolean;
  completedSinceStart: boolean;
}

export interface ClusterSnapshot {
  takenAt: number;
  roster: RosterRow[];
  raft: { term: number; leaderId: string | null };
  dispatchQueue: { pending: number; dispatched: number };
  dlqDepth: number;
  staleRunning: number;
  runningJobsByAgent: Map<string, number>;
  runningJobs: number;
  scalerReservations: Map<string, { cpus: number; memBytes: number }>;
  /** Events created, moved to the DLQ or rescheduled since the sim started (counters start at zero with the process). */
  events: EventRow[];
  runs: RunRow[];
  routingKeys: string[];
  execution24h: { totalRuns: number; successRuns: number; finishedRuns: number; avgDurationSeconds: number | null };
}

// KiCI's lease-expiry scanner writes exactly this last_error (events/event-retry-scanner.ts).
export const LEASE_EXPIRED_ERROR = 'lease expired (dispatch node died or hung)';
const EVENT_TTL_SECONDS = 604800;
const STALE_JOB_MS = 120_000;

function parseLabels(raw: unknown): string[] {
  if (Array.isArray(raw)) {
    return raw.map(String);
  }
  if (typeof raw === 'string') {
    try {
      const v = JSON.parse(raw);
      return Array.isArray(v) ? v.map(String) : [];
    } catch {
      return [];
    }
  }
  return [];
}

async function readSnapshot(pool: pg.Pool, startedAt: Date): Promise<ClusterSnapshot> {
  const [roster, raft, queue, dlq, stale, running, reservations, events, runs, keys, exec] = await Promise.all([
    pool.query(
      `SELECT agent_id, labels, hostname, platform, arch, connected_instance_id, lifecycle_class, last_seen, created_at
         FROM host_roster ORDER BY agent_id`
    ),
    pool.query(`SELECT current_term, leader_id FROM raft_state WHERE cluster_id = 'default'`),
    pool.query(
      `SELECT status, count(*)::int AS n FROM dispatch_queue WHERE status IN ('pending', 'dispatched') GROUP BY status`
    ),
    pool.query(`SELECT count(*)::int AS n FROM kici_events WHERE dlq_at IS NOT NULL`),
    pool.query(
      `SELECT count(*)::int AS n FROM execution_jobs
        WHERE status = 'running' AND last_heartbeat_at < now() - ($1::int * interval '1 millisecond')`,
      [STALE_JOB_MS]
    ),
    pool.query(`SELECT agent_id, count(*)::int AS n FROM execution_jobs WHERE status = 'running' GROUP BY agent_id`),
    pool.query(
      `SELECT scaler_name, sum(cpu_units)::float8 AS cpus, sum(mem_bytes)::float8 AS mem FROM scaler_reservations GROUP BY scaler_name`
    ),
    // Events this process could have handled: created since the start (expires_at = created_at + TTL is
    // indexed and bounds the scan), moved to the DLQ since, or rescheduled since (retries, released leases).
    pool.query(
      `SELECT id, event_name, attempts, processed, dlq_at, next_retry_at, last_error = $3 AS lease_expired
         FROM kici_events
        WHERE expires_at >= $1::timestamptz + ($2::int * interval '1 second') - interval '1 minute' AND created_at >= $1
       UNION
       SELECT id, event_name, attempts, processed, dlq_at, next_retry_at, last_error = $3
         FROM kici_events WHERE dlq_at >= $1
       UNION
       SELECT id, event_name, attempts, processed, dlq_at, next_retry_at, last_error = $3
         FROM kici_events WHERE processed = false AND dlq_at IS NULL AND next_retry_at >= $1`,
      [startedAt, EVENT_TTL_SECONDS, LEASE_EXPIRED_ERROR]
    ),
    pool.query(
      `SELECT run_id, status, duration_ms, created_at >= $1 AS created_since, coalesce(completed_at >= $1, false) AS completed_since
         FROM execution_runs WHERE created_at >= $1 OR completed_at >= $1`,
      [startedAt]
    ),
    pool.query(
      `SELECT routing_key FROM sources
        UNION SELECT routing_key FROM generic_webhook_sources WHERE deleted_at IS NULL
        ORDER BY 1`
    ),
    // contract §2.2, the Platform's executionMetrics inputs.
    pool.query(
      `SELECT count(*)::int AS total_runs,
              count(*) FILTER (WHERE status = 'success')::int AS success_runs,
              count(*) FILTER (WHERE status IN ('success','failed','cancelled'))::int AS finished_runs,
              round(avg(duration_ms) FILTER (WHERE completed_at IS NOT NULL AND duration_ms IS NOT NULL) / 1000.0, 1)::float8 AS avg_s
         FROM execution_runs WHERE created_at >= now() - interval '24 hours'`
    ),
  ]);
  const depth = { pending: 0, dispatched: 0 };
  for (const r of queue.rows) {
    depth[r.status as 'pending' | 'dispatched'] = r.n;
  }
  return {
    takenAt: Date.now(),
    roster: roster.rows.map((r) => ({
      agentId: r.agent_id,
      labels: parseLabels(r.labels),
      hostname: r.hostname,
      platform: r.platform,
      arch: r.arch,
      connectedInstanceId: r.connected_instance_id,
      lifecycleClass: r.lifecycle_class,
      lastSeen: r.last_seen,
      createdAt: r.created_at,
    })),
    raft: raft.rows[0]
      ? { term: raft.rows[0].current_term, leaderId: raft.rows[0].leader_id }
      : { term: 0, leaderId: null },
    dispatchQueue: depth,
    dlqDepth: dlq.rows[0].n,
    staleRunning: stale.rows[0].n,
    runningJobsByAgent: new Map(running.rows.filter((r) => r.agent_id !== null).map((r) => [r.agent_id, r.n])),
    runningJobs: running.rows.reduce((a, r) => a + r.n, 0),
    scalerReservations: new Map(reservations.rows.map((r) => [r.scaler_name, { cpus: r.cpus, memBytes: r.mem }])),
    events: events.rows.map((r) => ({
      id: r.id,
      eventName: r.event_name,
      attempts: r.attempts,
      processed: r.processed,
      dlqAt: r.dlq_at,
      leaseExpired: r.lease_expired === true,
      nextRetryAt: r.next_retry_at,
    })),
    runs: runs.rows.map((r) => ({
      runId: r.run_id,
      status: r.status,
      durationMs: r.duration_ms,
      createdSinceStart: r.created_since,
      completedSinceStart: r.completed_since,
    })),
    routingKeys: keys.rows.map((r) => r.routing_key),
    execution24h: {
      totalRuns: exec.rows[0].total_runs,
      successRuns: exec.rows[0].success_runs,
      finishedRuns: exec.rows[0].finished_runs,
      avgDurationSeconds: exec.rows[0].avg_s,
    },
  };
}

/** A snapshot with no database behind it: the topology as the scenario describes it, zero counts. */
export function topologySnapshot(spec: ScenarioSpec, now = Date.now()): ClusterSnapshot {
  const leader = spec.nodes.find((n) => n.raftRole === 'leader');
  return {
    takenAt: now,
    roster: spec.agents.map((a) => ({
      agentId: a.agentId,
      labels: a.labels,
      hostname: a.hostname,
      platform: a.platform,
      arch: a.arch,
      connectedInstanceId: a.connectedInstanceId,
      lifecycleClass: a.lifecycleClass,
      lastSeen: new Date(now - a.lastSeenAgoMs),
      createdAt: new Date(now - 86_400_000),
    })),
    raft: { term: 1, leaderId: leader?.instanceId ?? null },
    dispatchQueue: { pending: 0, dispatched: 0 },
    dlqDepth: 0,
    staleRunning: 0,
    runningJobsByAgent: new Map(),
    runningJobs: 0,
    scalerReservations: new Map(),
    events: [],
    runs: [],
    routingKeys: [],
    execution24h: { totalRuns: 0, successRuns: 0, finishedRuns: 0, avgDurationSeconds: null },
  };
}

export class ClusterData {
  private cached: ClusterSnapshot | null = null;
  private lastGood: ClusterSnapshot | null = null;
  private inflight: Promise<ClusterSnapshot> | null = null;
  private generation = 0;

  constructor(
    private readonly pool: pg.Pool,
    readonly layout: SchemaLayout,
    readonly startedAt: Date,
    private readonly ttlMs = 1000,
    private readonly fallback: () => ClusterSnapshot = () => {
      throw new Error('no snapshot yet and no fallback');
    }
  ) {}

  /** A snapshot no older than ttlMs (concurrent callers share one read). */
  async snapshot(): Promise<ClusterSnapshot> {
    if (this.cached && Date.now() - this.cached.takenAt < this.ttlMs) {
      return this.cached;
    }
    if (!this.inflight) {
      const generation = this.generation;
      this.inflight = readSnapshot(this.pool, this.startedAt)
        .then((s) => {
          if (generation === this.generation) {
            this.cached = s;
          }
          this.lastGood = s;
          return s;
        })
        .finally(() => {
          this.inflight = null;
        });
    }
    return this.inflight;
  }

  /**
   * For what KiCI serves from process memory (metrics, cluster views, agents): with the database gone the
   * last state read stays in place (or the scenario's topology before any read), as a process would keep it.
   */
  async snapshotOrLast(): Promise<ClusterSnapshot> {
    try {
      return await this.snapshot();
    } catch {
      return this.lastGood ?? this.fallback();
    }
  }

  /** Forget the cached snapshot (after a mutation through the admin API). */
  invalidate(): void {
    this.cached = null;
    this.inflight = null;
    this.generation++;
  }
}
