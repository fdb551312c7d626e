// What one orchestrator node answers on /cluster/health, /cluster/peers, /admin/fleet-topology and
// /admin/diagnose, computed from the scenario topology, the live roster and the peers' reachability
// (contract §3.3; shapes and key order as in samples/cluster/*). Pure functions.
import { createHash } from 'node:crypto';
import type { OrchestratorNodeSpec, ScalerSpec, SchemaLayout } from '../model';

export interface RosterAgent {
  agentId: string;
  labels: string[];
  connectedInstanceId: string | null;
  lastSeen: Date;
}

/** `KICI_ROSTER_GRACE_MS`: a roster row not stamped for this long is a crashed connection, not a live one. */
export const ROSTER_GRACE_MS = 300_000;

export interface NodeView {
  self: OrchestratorNodeSpec;
  /** Every node of the scenario, self included, in scenario order. */
  nodes: OrchestratorNodeSpec[];
  reachable: (instanceId: string) => boolean;
  /** `raft_state` (cluster_id 'default'). */
  raft: { term: number; leaderId: string | null };
  roster: RosterAgent[];
  /** The peer WebSocket URL a node dials (`ws://host:port/ws/peer`). */
  peerAddress: (instanceId: string) => string;
  lastHeartbeatMs: (instanceId: string) => number;
  nowMs: number;
}

/** A stable UUID-shaped id derived from `seed` (connection ids must not change between requests). */
export function stableUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Agents in a node's in-memory registry: its roster rows that are still being stamped (contract §3.4 `ready`). */
export function connectedAgents<T extends RosterAgent>(view: { roster: T[]; nowMs: number }, instanceId: string): T[] {
  return view.roster.filter(
    (a) => a.connectedInstanceId === instanceId && view.nowMs - a.lastSeen.getTime() <= ROSTER_GRACE_MS
  );
}

function peersOf(view: NodeView): OrchestratorNodeSpec[] {
  return view.nodes.filter((n) => n.instanceId !== view.self.instanceId);
}

/** `computeClusterStatus` (cluster/health-api.ts:36-56). */
export function computeClusterStatus(
  leaderKnown: boolean,
  peerCount: number,
  connectedPeers: number
): 'healthy' | 'degraded' | 'unhealthy' {
  if (!leaderKnown) {
    return 'unhealthy';
  }
  if (peerCount === 0 || connectedPeers === peerCount) {
    return 'healthy';
  }
  const clusterSize = peerCount + 1;
  return connectedPeers + 1 > clusterSize / 2 ? 'degraded' : 'unhealthy';
}

export function clusterHealth(view: NodeView, activeRuns: number): Record<string, unknown> {
  const peers = peersOf(view);
  const connectedPeers = peers.filter((p) => view.reachable(p.instanceId)).length;
  const agentCount = connectedAgents(view, view.self.instanceId).length;
  if (view.self.clusterRole === 'worker') {
    const coordinators = peers.filter((p) => p.clusterRole === 'coordinator');
    const up = coordinators.filter((p) => view.reachable(p.instanceId)).length;
    const status = up === 0 ? 'down' : up === coordinators.length ? 'healthy' : 'degraded';
    return {
      status,
      instanceId: view.self.instanceId,
      role: 'worker',
      term: 0,
      leaderId: null,
      peerCount: peers.length,
      connectedPeers,
      agentCount,
      activeRuns: 0,
    };
  }
  const leaderId = view.raft.leaderId !== null && view.reachable(view.raft.leaderId) ? view.raft.leaderId : null;
  // With the leader gone a follower stands as candidate until a new election completes.
  const role = leaderId === null && view.self.raftRole === 'follower' ? 'candidate' : view.self.raftRole;
  return {
    status: computeClusterStatus(leaderId !== null, peers.length, connectedPeers),
    instanceId: view.self.instanceId,
    role,
    term: view.raft.term,
    leaderId,
    peerCount: peers.length,
    connectedPeers,
    agentCount,
    activeRuns,
  };
}

export function spawnsOnLocalHost(scaler: ScalerSpec): boolean {
  return scaler.type === 'container'
    ? !scaler.remoteHost
    : scaler.type === 'bare-metal' || scaler.type === 'firecracker';
}

/** Agents a scaler currently runs: connected roster agents carrying `kici:scaler:<name>`. */
export function scalerActiveCount(view: NodeView, node: OrchestratorNodeSpec, scaler: ScalerSpec): number {
  return connectedAgents(view, node.instanceId).filter((a) => a.labels.includes(`kici:scaler:${scaler.name}`)).length;
}

export function clusterPeers(view: NodeView): { peers: Array<Record<string, unknown>> } {
  const selfIndex = view.nodes.findIndex((n) => n.instanceId === view.self.instanceId);
  return {
    peers: peersOf(view).map((peer) => {
      const peerIndex = view.nodes.findIndex((n) => n.instanceId === peer.instanceId);
      const pair = [view.self.instanceId, peer.instanceId].sort().join('|');
      return {
        instanceId: peer.instanceId,
        connectionId: stableUuid(`peer-connection|${pair}`),
        // Later nodes dial earlier ones: the dialled side sees no address for the inbound peer.
        address: peerIndex < selfIndex ? view.peerAddress(peer.instanceId) : null,
        connected: view.reachable(peer.instanceId),
        lastHeartbeat: view.lastHeartbeatMs(peer.instanceId),
        agentCount: connectedAgents(view, peer.instanceId).length,
        draining: false,
        capabilities: { s3LogAccess: peer.s3LogAccess },
        role: peer.clusterRole,
        scalerCapacity:
          peer.scalers.length === 0
            ? null
            : peer.scalers.map((s) => ({
                name: s.name,
                type: s.type,
                labelSets: s.labelSets,
                maxAgents: s.maxAgents,
                activeCount: scalerActiveCount(view, peer, s),
                spawnsOnLocalHost: spawnsOnLocalHost(s),
                mandatoryLabels: [],
              })),
      };
    }),
  };
}

/** `k=v` labels become `{k: v}`, bare labels `{label: ""}` (diagnostics/fleet-topology.ts). */
export function labelsToObject(labels: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const label of labels) {
    const eq = label.indexOf('=');
    if (eq > 0) {
      out[label.slice(0, eq)] = label.slice(eq + 1);
    } else {
      out[label] = '';
    }
  }
  return out;
}

export function fleetTopology(view: NodeView): { nodes: Array<Record<string, unknown>> } {
  const self = view.self;
  const agentNodes = (parentId: string) =>
    connectedAgents(view, parentId).map((a) => ({
      kind: 'agent',
      id: a.agentId,
      labels: labelsToObject(a.labels),
      parentId,
    }));
  const nodes: Array<Record<string, unknown>> = [
    {
      kind: 'orchestrator',
      id: self.instanceId,
      role: self.clusterRole,
      hostname: self.hostname,
      labels: {},
      parentId: null,
    },
    ...agentNodes(self.instanceId),
  ];
  // Peers come from heartbeats, which carry no hostname into the topology (samples/cluster/*).
  for (const peer of peersOf(view)) {
    if (!view.reachable(peer.instanceId)) {
      continue;
    }
    nodes.push({
      kind: 'orchestrator',
      id: peer.instanceId,
      role: peer.clusterRole,
      labels: {},
      parentId: self.instanceId,
    });
    nodes.push(...agentNodes(peer.instanceId));
  }
  return { nodes };
}

export interface DiagnoseInput {
  layout: SchemaLayout;
  self: OrchestratorNodeSpec;
  agentCount: number;
  db: { ok: true; latencyMs: number } | { ok: false; error: string; latencyMs: number };
  /** null = no Platform URL configured. */
  platform: { url: string; ok: boolean; statusCode: number | null; latencyMs: number; error?: string } | null;
  disk: { availableBytes: number } | null;
  lastBackupAgoHours: number | null;
  now: Date;
}

interface Check {
  name: string;
  status: 'pass' | 'warn' | 'fail';
  message: string;
  details?: Record<string, unknown>;
  durationMs: number;
}

const GiB = 1024 ** 3;

export function diagnose(d: DiagnoseInput): { status: string; checks: Check[]; timestamp: string } {
  const checks: Check[] = [];
  checks.push(
    d.db.ok
      ? {
          name: 'Database connectivity',
          status: 'pass',
          message: `Connected (${d.db.latencyMs}ms latency)`,
          details: { latencyMs: d.db.latencyMs },
          durationMs: d.db.latencyMs,
        }
      : {
          name: 'Database connectivity',
          status: 'fail',
          message: `Database connection failed: ${d.db.error}`,
          durationMs: d.db.latencyMs,
        }
  );
  if (d.layout === '0.9') {
    checks.push(
      d.lastBackupAgoHours === null
        ? {
            name: 'DB backup freshness',
            status: 'fail',
            message:
              'No orchestrator DB backup has ever been recorded \u2014 run `kici-admin db backup`, then schedule it with `kici-admin db backup --install-timer`',
            durationMs: 1,
          }
        : {
            name: 'DB backup freshness',
            status: 'pass',
            message: `Last orchestrator DB backup ${d.lastBackupAgoHours}h ago`,
            durationMs: 1,
          }
    );
    checks.push({
      name: 'Run history retention',
      status: 'pass',
      message:
        'Effective windows: runs 90d, audit 365d, provenance 365d, held-runs 90d. Deletion starts 7 days after the first sweep announces it.',
      details: {
        windows: {
          runRetentionDays: 90,
          auditRetentionDays: 365,
          provenanceRetentionDays: 365,
          heldRunRetentionDays: 90,
        },
        coldStoreEnabled: false,
        announcedAt: null,
      },
      durationMs: 1,
    });
  }
  if (d.platform === null || d.self.mode === 'independent') {
    checks.push({
      name: 'Platform connectivity',
      status: 'warn',
      message: 'Platform URL not configured (standalone mode)',
      durationMs: 0,
    });
  } else if (d.platform.ok) {
    checks.push({
      name: 'Platform connectivity',
      status: 'pass',
      message: `Platform reachable (${d.platform.latencyMs}ms)`,
      details: { url: d.platform.url, statusCode: d.platform.statusCode },
      durationMs: d.platform.latencyMs,
    });
  } else {
    checks.push({
      name: 'Platform connectivity',
      status: 'fail',
      message: `Platform unreachable: ${d.platform.error ?? `HTTP ${d.platform.statusCode}`}`,
      details: { url: d.platform.url, statusCode: d.platform.statusCode },
      durationMs: d.platform.latencyMs,
    });
  }
  checks.push(
    d.agentCount === 0
      ? {
          name: 'Agent connectivity',
          status: 'warn',
          message: 'No agents connected',
          details: { agentCount: 0 },
          durationMs: 0,
        }
      : {
          name: 'Agent connectivity',
          status: 'pass',
          message: `${d.agentCount} agent(s) connected`,
          details: { agentCount: d.agentCount },
          durationMs: 0,
        }
  );
  if (d.disk) {
    const gb = (d.disk.availableBytes / GiB).toFixed(1);
    const details = { availableBytes: d.disk.availableBytes, availableGb: gb };
    if (d.disk.availableBytes < 100 * 1024 * 1024) {
      checks.push({
        name: 'Disk space',
        status: 'fail',
        message: `Critically low disk space: ${gb}GB available`,
        details,
        durationMs: 1,
      });
    } else if (d.disk.availableBytes < GiB) {
      checks.push({
        name: 'Disk space',
        status: 'warn',
        message: `Low disk space: ${gb}GB available`,
        details,
        durationMs: 1,
      });
    } else {
      checks.push({ name: 'Disk space', status: 'pass', message: `${gb}GB available`, details, durationMs: 1 });
    }
  }
  checks.push({
    name: 'Config validity',
    status: 'pass',
    message: `Config valid (mode: ${d.self.mode})`,
    details: { mode: d.self.mode },
    durationMs: 0,
  });
  checks.push({
    name: 'TLS certificate',
    status: 'pass',
    message: 'No TLS cert path configured (using HTTP)',
    durationMs: 0,
  });
  if (d.self.scalers.length === 0) {
    checks.push({ name: 'scaler', status: 'pass', message: 'No scaler backends configured', durationMs: 0 });
  } else {
    for (const s of d.self.scalers) {
      checks.push({
        name: `scaler:${s.name}`,
        status: 'pass',
        message: '0 spawn failures in last 5m',
        details: { windowMs: 300000, backendType: s.type, boundCount: 0, unboundCount: 0 },
        durationMs: 0,
      });
    }
  }
  const firecrackers = d.self.scalers.filter((s) => s.type === 'firecracker');
  checks.push(
    firecrackers.length === 0
      ? { name: 'firecracker', status: 'pass', message: 'No firecracker backends configured', durationMs: 0 }
      : {
          name: 'firecracker',
          status: 'pass',
          message: `${firecrackers.length} firecracker backend(s) ready`,
          durationMs: 0,
        }
  );
  const status = checks.some((c) => c.status === 'fail')
    ? 'unhealthy'
    : checks.some((c) => c.status === 'warn')
      ? 'degraded'
      : 'healthy';
  return { status, checks, timestamp: d.now.toISOString() };
}
