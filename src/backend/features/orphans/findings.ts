// Orphaned connections (contract §5). The count itself is Platform-only (its sweeper reaps WebSocket
// connection records older than 6 minutes); a self-hosted orchestrator has analogues in its own
// database, reported here labelled as such: agent connection claims past the roster grace, ephemeral
// roster rows awaiting the leader's reaper, and (0.9) coordinators that stopped heartbeating.
import type { KiciDb } from '../../kici/db';

/** KICI_ROSTER_GRACE_MS default: a connected agent stamps last_seen at most every 60 s. */
export const ROSTER_GRACE_MS = 300_000;
/** KICI_ROSTER_TTL_MS default: the leader's reaper deletes ephemeral rows past it. */
export const ROSTER_TTL_MS = 1_800_000;
/** cluster_instances liveness: max(agentMaxReconnectDelayMs × 2, 6 × heartbeat) = 120 s by default. */
export const COORDINATOR_DEAD_AFTER_MS = 120_000;
export const MAX_ITEMS = 100;

export const PLATFORM_RULE =
  'The Platform orphan sweeper removes WebSocket connection records older than 6 minutes (2× the maximum expected heartbeat interval).';
export const PLATFORM_WARNING =
  'A high orphan count may indicate Platform instance instability — investigate before the sweeper masks the problem.';

export type FindingKind =
  | 'platform_orphaned_connections'
  | 'stale_agent_connections'
  | 'ephemeral_awaiting_reaper'
  | 'ephemeral_past_reaper_ttl'
  | 'dead_coordinators';

export type FindingStatus = 'ok' | 'warning' | 'error' | 'not configured' | 'not available';

export interface OrphanFinding {
  kind: FindingKind;
  label: string;
  /** Platform = the Platform's own count; orchestrator analogue = derived from the orchestrator database. */
  source: 'Platform' | 'orchestrator analogue';
  count: number | null;
  status: FindingStatus;
  rule: string;
  message: string;
}

export interface OrphanItem {
  kind: FindingKind;
  id: string;
  hostname: string | null;
  /** Orchestrator instance the row claims (agents) or the coordinator's Raft role. */
  detail: string | null;
  lastSeen: string;
}

export const ROSTER_SQL = `
SELECT
  count(*) FILTER (WHERE connected_instance_id IS NOT NULL AND last_seen < now() - $1::float8 * interval '1 millisecond')::int
    AS stale_claims,
  count(*) FILTER (WHERE lifecycle_class = 'ephemeral'
                     AND NOT (connected_instance_id IS NOT NULL AND last_seen >= now() - $1::float8 * interval '1 millisecond'))::int
    AS ephemeral_awaiting,
  count(*) FILTER (WHERE lifecycle_class = 'ephemeral'
                     AND NOT (connected_instance_id IS NOT NULL AND last_seen >= now() - $1::float8 * interval '1 millisecond')
                     AND last_seen < now() - $2::float8 * interval '1 millisecond')::int
    AS ephemeral_past_ttl
FROM host_roster`;

export const ROSTER_ITEMS_SQL = `
SELECT agent_id, hostname, connected_instance_id, last_seen
  FROM host_roster
 WHERE connected_instance_id IS NOT NULL AND last_seen < now() - $1::float8 * interval '1 millisecond'
 ORDER BY last_seen
 LIMIT $2`;

export const DEAD_COORDINATORS_SQL = `
SELECT instance_id, role, last_heartbeat_at
  FROM cluster_instances
 WHERE last_heartbeat_at < now() - $1::float8 * interval '1 millisecond'
 ORDER BY last_heartbeat_at`;

interface RosterCounts {
  stale_claims: number;
  ephemeral_awaiting: number;
  ephemeral_past_ttl: number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Pure: the Platform row from its count (or why there is none). */
export function platformFinding(
  p: { configured: false } | { configured: true; count: number } | { configured: true; error: string }
): OrphanFinding {
  const base = {
    kind: 'platform_orphaned_connections' as const,
    label: 'Orphaned Platform connections',
    source: 'Platform' as const,
    rule: PLATFORM_RULE,
  };
  if (!p.configured) {
    return {
      ...base,
      count: null,
      status: 'not configured',
      message:
        'Platform-only: set platformUrl, platformOrg and platformToken to see it. The rows below are the self-hosted orchestrator analogues.',
    };
  }
  if ('error' in p) {
    return { ...base, count: null, status: 'error', message: p.error };
  }
  return {
    ...base,
    count: p.count,
    status: p.count > 0 ? 'warning' : 'ok',
    message: p.count > 0 ? `${plural(p.count, 'orphaned connection')}. ${PLATFORM_WARNING}` : 'none',
  };
}

/** Pure: the orchestrator-analogue rows from the roster counts and the dead coordinators (null = 0.1 layout). */
export function analogueFindings(roster: RosterCounts, deadCoordinators: number | null): OrphanFinding[] {
  const src = 'orchestrator analogue' as const;
  const stale = Number(roster.stale_claims);
  const awaiting = Number(roster.ephemeral_awaiting);
  const pastTtl = Number(roster.ephemeral_past_ttl);
  const rows: OrphanFinding[] = [
    {
      kind: 'stale_agent_connections',
      label: 'Agent connections not seen within the grace period',
      source: src,
      count: stale,
      status: stale > 0 ? 'warning' : 'ok',
      rule: 'host_roster rows that name a connected orchestrator (connected_instance_id) but were not seen for longer than the 5-minute grace (KICI_ROSTER_GRACE_MS): the orchestrator holding the socket went away without clearing them.',
      message:
        stale > 0
          ? stale === 1
            ? '1 agent claims a connection that is not live; check the orchestrator it names'
            : `${plural(stale, 'agent')} claim a connection that is not live; check the orchestrators they name`
          : 'none',
    },
    {
      kind: 'ephemeral_awaiting_reaper',
      label: 'Ephemeral agents awaiting the roster reaper',
      source: src,
      count: awaiting,
      status: 'ok',
      rule: "Ephemeral (scaler-spawned) host_roster rows that are not live; the Raft leader's reaper deletes them 30 minutes after they were last seen (KICI_ROSTER_TTL_MS), checking every 60 s.",
      message: awaiting > 0 ? `${plural(awaiting, 'row')} will be reaped` : 'none',
    },
    {
      kind: 'ephemeral_past_reaper_ttl',
      label: 'Ephemeral agents past the reaper TTL',
      source: src,
      count: pastTtl,
      status: pastTtl > 0 ? 'warning' : 'ok',
      rule: 'Ephemeral host_roster rows last seen more than 30 minutes ago: the reaper should already have removed them.',
      message:
        pastTtl > 0 ? `${plural(pastTtl, 'row')} outlived the TTL: is a Raft leader running its reaper?` : 'none',
    },
  ];
  rows.push(
    deadCoordinators === null
      ? {
          kind: 'dead_coordinators',
          label: 'Coordinators that stopped heartbeating',
          source: src,
          count: null,
          status: 'not available',
          rule: 'cluster_instances exists from KiCI 0.9 on.',
          message: 'not available on this schema (KiCI 0.1: no cluster_instances table)',
        }
      : {
          kind: 'dead_coordinators',
          label: 'Coordinators that stopped heartbeating',
          source: src,
          count: deadCoordinators,
          status: deadCoordinators > 0 ? 'warning' : 'ok',
          rule: 'cluster_instances rows whose last heartbeat is older than 120 s (coordinators heartbeat every 10 s; a clean shutdown deletes the row).',
          message:
            deadCoordinators > 0
              ? `${plural(deadCoordinators, 'coordinator')} crashed or lost the database without deregistering`
              : 'none',
        }
  );
  return rows;
}

export async function readAnalogues(
  db: KiciDb,
  hasClusterInstances: boolean,
  signal: AbortSignal
): Promise<{ findings: OrphanFinding[]; items: OrphanItem[] }> {
  const [counts] = await db.read<RosterCounts & Record<string, unknown>>(
    ROSTER_SQL,
    [ROSTER_GRACE_MS, ROSTER_TTL_MS],
    signal
  );
  const stale = await db.read<{
    agent_id: string;
    hostname: string | null;
    connected_instance_id: string;
    last_seen: Date;
  }>(ROSTER_ITEMS_SQL, [ROSTER_GRACE_MS, MAX_ITEMS], signal);
  const dead = hasClusterInstances
    ? await db.read<{ instance_id: string; role: string | null; last_heartbeat_at: Date }>(
        DEAD_COORDINATORS_SQL,
        [COORDINATOR_DEAD_AFTER_MS],
        signal
      )
    : null;
  const items: OrphanItem[] = [
    ...stale.map((r) => ({
      kind: 'stale_agent_connections' as const,
      id: r.agent_id,
      hostname: r.hostname,
      detail: r.connected_instance_id,
      lastSeen: new Date(r.last_seen).toISOString(),
    })),
    ...(dead ?? []).map((r) => ({
      kind: 'dead_coordinators' as const,
      id: r.instance_id,
      hostname: null,
      detail: r.role,
      lastSeen: new Date(r.last_heartbeat_at).toISOString(),
    })),
  ];
  return { findings: analogueFindings(counts, dead === null ? null : dead.length), items };
}
