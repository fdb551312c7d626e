// What the orchestrator database knows about the tree (contract §3.4): the agent roster, 0.9's
// cluster_instances, raft_state, the cluster name, routing keys, and running/queued job counts.
import type { KiciDb } from '../../kici/db';
import type { SchemaInfo } from '../../kici/schema';

/** `KICI_ROSTER_GRACE_MS` default: a connected row not stamped for this long is a crashed connection. */
export const ROSTER_GRACE_MS = 300_000;
/** 0.9 coordinators heartbeat every 10 s; a row older than this is a dead coordinator (contract §3.4). */
export const INSTANCE_LIVE_MS = 120_000;

export interface RosterRow {
  agentId: string;
  labels: string[];
  hostname: string | null;
  platform: string | null;
  arch: string | null;
  lifecycleClass: 'static' | 'ephemeral' | string;
  connectedInstanceId: string | null;
  lastSeenMs: number;
  /** 0.9 only (authoritative); null on 0.1. */
  scalerManaged: boolean | null;
  /** connected and stamped within the grace period. */
  fresh: boolean;
}

export interface InstanceRow {
  instanceId: string;
  role: string | null;
  version: string | null;
  startedAtMs: number | null;
  lastHeartbeatMs: number | null;
  live: boolean;
}

export interface ClusterDb {
  layout: SchemaInfo['layout'];
  roster: RosterRow[];
  /** null on 0.1 (no cluster_instances table). */
  instances: InstanceRow[] | null;
  raft: { term: number; leaderId: string | null } | null;
  clusterName: string | null;
  routingKeys: string[];
  runningJobsByAgent: Map<string, number>;
  queuedJobs: number;
}

/** host_roster.labels is a JSON text array; a malformed value must not hide the agent. */
export function parseLabels(raw: unknown): string[] {
  if (Array.isArray(raw)) {
    return raw.map(String);
  }
  if (typeof raw === 'string') {
    try {
      const v: unknown = JSON.parse(raw);
      return Array.isArray(v) ? v.map(String) : [];
    } catch {
      return [];
    }
  }
  return [];
}

const ms = (v: unknown): number | null => (v instanceof Date ? v.getTime() : v == null ? null : Date.parse(String(v)));

function rosterSql(schema: SchemaInfo): string {
  const managed = schema.objects['host_roster.scaler_managed'] ? 'scaler_managed' : 'NULL::boolean AS scaler_managed';
  return `
SELECT agent_id, labels, hostname, platform, arch, lifecycle_class, connected_instance_id, last_seen, ${managed},
       (connected_instance_id IS NOT NULL AND last_seen >= now() - ($1::int * interval '1 millisecond')) AS fresh
  FROM host_roster
 ORDER BY agent_id`;
}

const INSTANCES_SQL = `
SELECT instance_id, role, version, started_at, last_heartbeat_at,
       last_heartbeat_at > now() - ($1::int * interval '1 millisecond') AS live
  FROM cluster_instances
 ORDER BY instance_id`;

const SCALARS_SQL = `
SELECT (SELECT current_term FROM raft_state WHERE cluster_id = 'default') AS term,
       (SELECT leader_id FROM raft_state WHERE cluster_id = 'default') AS leader_id,
       EXISTS (SELECT 1 FROM raft_state WHERE cluster_id = 'default') AS has_raft,
       (SELECT value FROM cluster_meta WHERE key = 'cluster_name') AS cluster_name,
       (SELECT count(*) FROM dispatch_queue WHERE status = 'pending')::int AS queued`;

const RUNNING_SQL = `
SELECT agent_id, count(*)::int AS n FROM execution_jobs
 WHERE status = 'running' AND agent_id IS NOT NULL
 GROUP BY agent_id`;

function routingKeysSql(schema: SchemaInfo): string {
  const parts = ['SELECT routing_key FROM sources WHERE routing_key IS NOT NULL'];
  if (schema.objects.generic_webhook_sources) {
    parts.push('SELECT routing_key FROM generic_webhook_sources WHERE deleted_at IS NULL AND routing_key IS NOT NULL');
  }
  if (schema.objects.remote_sources) {
    parts.push('SELECT routing_key FROM remote_sources WHERE routing_key IS NOT NULL');
  }
  return `${parts.join('\nUNION\n')}\nORDER BY 1`;
}

export async function readClusterDb(db: KiciDb, schema: SchemaInfo, signal?: AbortSignal): Promise<ClusterDb> {
  const hasInstances = schema.objects.cluster_instances;
  const [roster, instances, scalars, keys, running] = await Promise.all([
    db.read(rosterSql(schema), [ROSTER_GRACE_MS], signal),
    hasInstances ? db.read(INSTANCES_SQL, [INSTANCE_LIVE_MS], signal) : Promise.resolve(null),
    db.read(SCALARS_SQL, [], signal),
    db.read(routingKeysSql(schema), [], signal),
    db.read(RUNNING_SQL, [], signal),
  ]);
  const s = scalars[0] ?? {};
  return {
    layout: schema.layout,
    roster: roster.map((r) => ({
      agentId: String(r.agent_id),
      labels: parseLabels(r.labels),
      hostname: (r.hostname as string | null) ?? null,
      platform: (r.platform as string | null) ?? null,
      arch: (r.arch as string | null) ?? null,
      lifecycleClass: String(r.lifecycle_class),
      connectedInstanceId: (r.connected_instance_id as string | null) ?? null,
      lastSeenMs: ms(r.last_seen) ?? 0,
      scalerManaged: (r.scaler_managed as boolean | null) ?? null,
      fresh: r.fresh === true,
    })),
    instances:
      instances?.map((r) => ({
        instanceId: String(r.instance_id),
        role: (r.role as string | null) ?? null,
        version: (r.version as string | null) ?? null,
        startedAtMs: ms(r.started_at),
        lastHeartbeatMs: ms(r.last_heartbeat_at),
        live: r.live === true,
      })) ?? null,
    raft: s.has_raft ? { term: Number(s.term ?? 0), leaderId: (s.leader_id as string | null) ?? null } : null,
    clusterName: (s.cluster_name as string | null) ?? null,
    routingKeys: keys.map((r) => String(r.routing_key)),
    runningJobsByAgent: new Map(running.map((r) => [String(r.agent_id), Number(r.n)])),
    queuedJobs: Number(s.queued ?? 0),
  };
}
