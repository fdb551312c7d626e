// Pure: the sources' answers -> the one normalized Infrastructure model. The Platform DTO maps almost
// one to one; the self-hosted view merges each node's own answers, its peers' view of it and the database.
import { spawnsOnLocalHost } from '../../../datasource/infrastructure/badges';
import {
  emptyAgent,
  emptyOrchestrator,
  PLATFORM_ONLY,
  type AgentNode,
  type AgentStatus,
  type DependencyCheck,
  type Infrastructure,
  type InfrastructureAlert,
  type MissingFields,
  type OrchestratorNode,
  type ScalerPool,
} from '../../../datasource/infrastructure/model';
import type { Peer } from '../../kici/schemas/cluster';
import type { PlatformInfrastructure } from '../../kici/schemas/platform';
import type { ClusterDb, RosterRow } from './cluster-db';
import type { LatestVersion } from './latest-version';
import type { NodeProbe, Settled } from './probes';

type PlatformOrchestrator = PlatformInfrastructure['orchestrators'][number];
type PlatformAgent = PlatformOrchestrator['agents'][number];

/** Fields only the Platform's diagnostics carry (contract §3.1 "P"/"PL"). */
export const PLATFORM_ONLY_ORCHESTRATOR_FIELDS = [
  'connectionId',
  'connected',
  'connectedAt',
  'deployment',
  'osRelease',
  'osVersion',
  'cpuCount',
  'totalMemoryMb',
  'memoryUsedMb',
  'memoryAvailableMb',
  'uptimeSeconds',
  'nodeVersion',
  'runningAsUser',
  'runningAsUid',
] as const;

export const PLATFORM_ONLY_AGENT_FIELDS = [
  'maxConcurrency',
  'registeredAt',
  'osRelease',
  'osVersion',
  'totalMemoryMb',
  'cpuCount',
  'nodeVersion',
  'memoryUsedMb',
  'memoryAvailableMb',
  'uptimeSeconds',
  'runningAsUser',
  'runningAsUid',
] as const;

const nn = <T>(v: T | null | undefined): T | null => (v === undefined ? null : v);

function toMs(v: string | number | null | undefined): number | null {
  if (v === null || v === undefined) {
    return null;
  }
  if (typeof v === 'number') {
    return v;
  }
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : t;
}

/** Records a reason for every listed field of `obj` that is null. */
function noteMissing(obj: object, fields: readonly string[], reason: string, into: MissingFields): void {
  const rec = obj as Record<string, unknown>;
  for (const f of fields) {
    if (rec[f] === null && into[f] === undefined) {
      into[f] = reason;
    }
  }
}

const SCALER_PREFIX = 'kici:scaler:';

export function scalerNameFromLabels(labels: string[]): string | null {
  const l = labels.find((x) => x.startsWith(SCALER_PREFIX));
  return l ? l.slice(SCALER_PREFIX.length) : null;
}

// ---------------------------------------------------------------------------------------------------
// Platform

function platformAgent(a: PlatformAgent, instanceId: string | null): AgentNode {
  const scalerName = nn(a.scalerName);
  return {
    agentId: a.agentId,
    labels: a.labels,
    platform: a.platform,
    arch: a.arch,
    hostname: nn(a.hostname),
    connectedInstanceId: instanceId,
    status: 'ready',
    scalerName,
    ephemeral: scalerName !== null,
    activeJobs: a.activeJobs,
    maxConcurrency: a.maxConcurrency,
    lastHeartbeatAt: a.lastHeartbeatAt,
    registeredAt: a.registeredAt,
    version: nn(a.version),
    osRelease: nn(a.osRelease),
    osVersion: nn(a.osVersion),
    totalMemoryMb: nn(a.totalMemoryMb),
    cpuCount: nn(a.cpuCount),
    nodeVersion: nn(a.nodeVersion),
    memoryUsedMb: nn(a.memoryUsedMb),
    memoryAvailableMb: nn(a.memoryAvailableMb),
    uptimeSeconds: nn(a.uptimeSeconds),
    runningAsUser: nn(a.runningAsUser),
    runningAsUid: nn(a.runningAsUid),
    error: null,
  };
}

function platformScaler(s: PlatformOrchestrator['scalers'][number], hostname: string | null): ScalerPool {
  const config =
    s.config && typeof s.config === 'object' && !Array.isArray(s.config) ? (s.config as Record<string, unknown>) : null;
  // The safe config carries `host` only for a container pool on a remote runtime.
  const remoteHost = config ? (typeof config.host === 'string' ? config.host : null) : undefined;
  const local = s.hosts && s.hosts.length > 0 ? true : spawnsOnLocalHost(s.type, remoteHost);
  const missing: MissingFields = {};
  if (config === null) {
    missing.config = 'not reported by KiCI Platform for this scaler';
  }
  return {
    name: s.name,
    type: s.type,
    maxAgents: s.maxAgents,
    activeAgents: s.activeAgents,
    labelSets: s.labelSets,
    config,
    spawnsOnLocalHost: local,
    hosts: local ? (s.hosts?.length ? s.hosts : hostname ? [hostname] : []) : [],
    missing,
  };
}

export function orchestratorFromPlatform(o: PlatformOrchestrator): OrchestratorNode {
  const hostname = nn(o.hostname);
  const instanceId = nn(o.instanceId);
  const node: OrchestratorNode = {
    instanceId,
    connectionId: o.connectionId,
    url: null,
    clusterName: nn(o.clusterName),
    routingKeys: o.routingKeys,
    connected: o.connected,
    reachable: o.connected && !o.error,
    connectedAt: toMs(o.connectedAt),
    lastHeartbeat: toMs(o.lastHeartbeat),
    version: nn(o.version),
    mode: nn(o.mode),
    role: nn(o.role),
    raftRole: nn(o.raftRole),
    raftTerm: nn(o.raftTerm),
    raftLeaderId: nn(o.raftLeaderId),
    scalerBackends: o.scalerBackends,
    deployment: o.deployment,
    s3LogAccess: nn(o.s3LogAccess),
    hostname,
    osRelease: nn(o.osRelease),
    osVersion: nn(o.osVersion),
    cpuCount: nn(o.cpuCount),
    totalMemoryMb: nn(o.totalMemoryMb),
    memoryUsedMb: nn(o.memoryUsedMb),
    memoryAvailableMb: nn(o.memoryAvailableMb),
    uptimeSeconds: nn(o.uptimeSeconds),
    processUptimeSeconds: null,
    nodeVersion: nn(o.nodeVersion),
    runningAsUser: nn(o.runningAsUser),
    runningAsUid: nn(o.runningAsUid),
    agentCount: o.agentCount,
    statefulAgentCount: o.statefulAgentCount,
    runningJobs: o.runningJobs,
    queuedJobs: o.queuedJobs,
    scalers: o.scalers.map((s) => platformScaler(s, hostname)),
    agents: o.agents.map((a) => platformAgent(a, instanceId)),
    dependencyHealth: o.dependencyHealth
      ? o.dependencyHealth.map((c) => ({
          ...c,
          details: nn(c.details) ?? undefined,
          durationMs: nn(c.durationMs) ?? undefined,
        }))
      : null,
    error: nn(o.error),
    warnings: [],
    missing: {},
  };
  const reason = o.error ? `not reported: ${o.error}` : 'not reported by KiCI Platform for this orchestrator';
  noteMissing(node, Object.keys(node), reason, node.missing);
  node.missing.processUptimeSeconds = "read from the orchestrator's own /health in self-hosted mode only";
  return node;
}

export function sortAgents(a: AgentNode[]): AgentNode[] {
  return [...a].sort((x, y) => (x.agentId < y.agentId ? -1 : x.agentId > y.agentId ? 1 : 0));
}

export function fromPlatform(dto: PlatformInfrastructure, latest: LatestVersion, nowMs: number): Infrastructure {
  const orchestrators = dto.orchestrators.map(orchestratorFromPlatform);
  return {
    source: 'platform',
    generatedAt: new Date(nowMs).toISOString(),
    orchestrators,
    statefulAgents: sortAgents(orchestrators.flatMap((o) => o.agents.filter((a) => !a.ephemeral))),
    alerts: dto.alerts,
    latestVersion: latest.version,
    latestVersionSource: latest.source,
    latestVersionError: latest.error,
    agentMissing: {},
  };
}

// ---------------------------------------------------------------------------------------------------
// Self-hosted

export interface SelfHostedInput {
  nowMs: number;
  probes: NodeProbe[];
  /** null when PostgreSQL is not configured. */
  db: ClusterDb | null;
  dbError: string | null;
  /** Agent /health answers by agent id; null when agent probing is off. */
  agentHealth: Map<string, Settled<{ version: string | null }>> | null;
  /** URL -> instance id learned from earlier answers (a node down since then is still recognised). */
  knownUrls: Map<string, string>;
  latest: LatestVersion;
  /** Extra alerts from the caller (e.g. the Platform failing before this fallback). */
  alerts?: InfrastructureAlert[];
}

const answered = (p: NodeProbe) => p.health.ok || p.cluster.ok;

function probeError(p: NodeProbe): string {
  const errors = [p.cluster, p.health].filter((s): s is { ok: false; error: string } => !s.ok).map((s) => s.error);
  return errors[0] ?? 'no answer';
}

function probeInstanceId(p: NodeProbe): string | null {
  if (p.cluster.ok) {
    return p.cluster.value.instanceId;
  }
  if (p.topology?.ok) {
    const root = p.topology.value.nodes.find((n) => n.kind === 'orchestrator' && n.parentId === null);
    return root?.id ?? null;
  }
  return null;
}

function hostPort(url: string): string | null {
  try {
    const u = new URL(url);
    const port = u.port || (u.protocol === 'https:' || u.protocol === 'wss:' ? '443' : '80');
    return `${u.hostname}:${port}`;
  } catch {
    return null;
  }
}

function diagnoseMode(p: NodeProbe | undefined): string | null {
  if (!p?.diagnose.ok) {
    return null;
  }
  const c = p.diagnose.value.checks.find((x) => x.name === 'Config validity');
  const mode = c?.details?.mode;
  return typeof mode === 'string' ? mode : null;
}

function diagnoseScalers(p: NodeProbe | undefined): Array<{ name: string; type: string }> | null {
  if (!p?.diagnose.ok) {
    return null;
  }
  return p.diagnose.value.checks
    .filter((c) => c.name.startsWith('scaler:'))
    .map((c) => ({
      name: c.name.slice('scaler:'.length),
      type: typeof c.details?.backendType === 'string' ? c.details.backendType : 'unknown',
    }));
}

function agentStatus(r: RosterRow): AgentStatus {
  // deriveHostStatus (agent/host-roster.ts): lifecycle_class decides stale vs unreachable.
  return r.fresh ? 'ready' : r.lifecycleClass === 'ephemeral' ? 'stale' : 'unreachable';
}

function rosterAgent(r: RosterRow, input: SelfHostedInput): AgentNode {
  const scalerName = scalerNameFromLabels(r.labels);
  const probe = input.agentHealth?.get(r.agentId);
  return {
    ...emptyAgent(r.agentId),
    labels: r.labels,
    platform: r.platform,
    arch: r.arch,
    hostname: r.hostname,
    connectedInstanceId: r.connectedInstanceId,
    status: agentStatus(r),
    scalerName,
    // scaler_managed (0.9.1) is authoritative; before it, lifecycle_class is what KiCI's own reaper and the
    // orphanedConnections query go by (0.1.24 writes `ephemeral` for an agent without a token type).
    ephemeral: r.scalerManaged ?? (r.lifecycleClass === 'ephemeral' || scalerName !== null),
    activeJobs: input.db?.runningJobsByAgent.get(r.agentId) ?? 0,
    lastHeartbeatAt: r.lastSeenMs,
    version: probe?.ok ? probe.value.version : null,
    error: probe && !probe.ok ? probe.error : null,
  };
}

function topologyAgent(id: string, labels: Record<string, string>, parentId: string): AgentNode {
  const list = Object.entries(labels).map(([k, v]) => (v === '' ? k : `${k}=${v}`));
  const host = list.find((l) => l.startsWith('kici:host:'));
  const scalerName = scalerNameFromLabels(list);
  return {
    ...emptyAgent(id),
    labels: list,
    hostname: host ? host.slice('kici:host:'.length) : null,
    connectedInstanceId: parentId,
    scalerName,
    ephemeral: scalerName !== null,
  };
}

interface PeerView {
  from: string;
  peer: Peer;
}

/** The best view other nodes have of `id`: a connected one first. */
function bestPeerView(views: PeerView[] | undefined): PeerView | undefined {
  if (!views?.length) {
    return undefined;
  }
  return views.find((v) => v.peer.connected) ?? views[0];
}

function ago(nowMs: number, thenMs: number): string {
  const s = Math.max(0, Math.round((nowMs - thenMs) / 1000));
  return s < 120 ? `${s} s ago` : s < 7200 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
}

export function fromSelfHosted(input: SelfHostedInput): Infrastructure {
  const { db, nowMs } = input;

  // 1. Who answered, and as whom.
  const byInstance = new Map<string, NodeProbe>();
  const unidentified: NodeProbe[] = [];
  for (const p of input.probes) {
    const id = probeInstanceId(p) ?? input.knownUrls.get(p.url) ?? null;
    if (id !== null && !byInstance.has(id)) {
      byInstance.set(id, p);
    } else if (id === null) {
      unidentified.push(p);
    }
  }

  // 2. What the answering nodes say about their peers, and the hostnames their topology names.
  const peerViews = new Map<string, PeerView[]>();
  const hostnames = new Map<string, string>();
  const topologyAgents = new Map<string, AgentNode[]>();
  const topologySeen = new Set<string>();
  const topologyRoles = new Map<string, string>();
  for (const [id, p] of byInstance) {
    if (p.peers.ok) {
      for (const peer of p.peers.value.peers) {
        const list = peerViews.get(peer.instanceId) ?? [];
        list.push({ from: id, peer });
        peerViews.set(peer.instanceId, list);
      }
    }
    if (p.topology?.ok) {
      for (const n of p.topology.value.nodes) {
        if (n.kind === 'orchestrator') {
          if (n.hostname) {
            hostnames.set(n.id, n.hostname);
          }
          if (n.role) {
            topologyRoles.set(n.id, n.role);
          }
        } else if (!db && n.parentId !== null && !topologySeen.has(n.id)) {
          // Every node's topology lists the whole fleet; the roster supersedes it when the DB is read.
          topologySeen.add(n.id);
          const list = topologyAgents.get(n.parentId) ?? [];
          list.push(topologyAgent(n.id, n.labels, n.parentId));
          topologyAgents.set(n.parentId, list);
        }
      }
    }
  }

  // 3. Every instance any source knows: answering nodes, their peers, 0.9 cluster_instances, and
  //    instances live roster rows point at.
  const order: string[] = [];
  const add = (id: string) => {
    if (!order.includes(id)) {
      order.push(id);
    }
  };
  for (const p of input.probes) {
    const id = [...byInstance.entries()].find(([, q]) => q === p)?.[0];
    if (id) {
      add(id);
    }
  }
  const others = new Set<string>([...peerViews.keys()]);
  for (const i of db?.instances ?? []) {
    others.add(i.instanceId);
  }
  for (const r of db?.roster ?? []) {
    if (r.fresh && r.connectedInstanceId) {
      others.add(r.connectedInstanceId);
    }
  }
  for (const id of [...others].sort()) {
    add(id);
  }
  const instances = new Map((db?.instances ?? []).map((i) => [i.instanceId, i]));

  // 4. A configured URL that never answered: link it to a silent instance by peer address, else by
  //    elimination when exactly one URL and one silent instance are left.
  const silent = order.filter((id) => !byInstance.has(id) || !answered(byInstance.get(id)!));
  const linked = new Map<string, NodeProbe>();
  const stillUnidentified: NodeProbe[] = [];
  for (const p of unidentified) {
    const hp = hostPort(p.url);
    const match = silent.find((id) =>
      (peerViews.get(id) ?? []).some((v) => v.peer.address && hostPort(v.peer.address) === hp)
    );
    if (match && !linked.has(match)) {
      linked.set(match, p);
    } else {
      stillUnidentified.push(p);
    }
  }
  const unlinkedSilent = silent.filter((id) => !linked.has(id) && !byInstance.has(id));
  const isDead = (id: string) => {
    const v = bestPeerView(peerViews.get(id));
    const inst = instances.get(id);
    return (v !== undefined && !v.peer.connected) || (inst !== undefined && !inst.live);
  };
  if (stillUnidentified.length === 1 && unlinkedSilent.filter(isDead).length === 1) {
    linked.set(unlinkedSilent.filter(isDead)[0], stillUnidentified.pop()!);
  }

  // 5. Roster rows by the instance holding them.
  const rosterByInstance = new Map<string, RosterRow[]>();
  for (const r of db?.roster ?? []) {
    if (r.connectedInstanceId && order.includes(r.connectedInstanceId)) {
      const list = rosterByInstance.get(r.connectedInstanceId) ?? [];
      list.push(r);
      rosterByInstance.set(r.connectedInstanceId, list);
    }
  }

  const dbReason = db
    ? null
    : input.dbError
      ? `the database could not be read: ${input.dbError}`
      : 'needs the database (PostgreSQL is not configured)';

  const nodes: OrchestratorNode[] = order.map((id) => {
    const own = byInstance.get(id);
    const p = own ?? linked.get(id);
    const up = own !== undefined && answered(own);
    const view = bestPeerView(peerViews.get(id));
    const inst = instances.get(id);
    const warnings: string[] = [];
    const missing: MissingFields = {};

    const health = up && own.health.ok ? own.health.value : null;
    const cluster = up && own.cluster.ok ? own.cluster.value : null;
    if (up) {
      for (const [route, s] of [
        ['/health', own.health],
        ['/cluster/health', own.cluster],
        ['/cluster/peers', own.peers],
        ['/admin/diagnose', own.diagnose],
        ['/admin/fleet-topology', own.topology],
      ] as const) {
        if (s && !s.ok) {
          warnings.push(s.error);
        } else if (s === null && own.noToken) {
          missing.fleetTopology = `${route} needs the admin token (adminToken is not set)`;
        }
      }
    }

    const role =
      cluster?.role === 'worker'
        ? 'worker'
        : cluster
          ? 'coordinator'
          : (view?.peer.role ?? topologyRoles.get(id) ?? (inst ? 'coordinator' : null));
    const raftRole = cluster
      ? cluster.role === 'worker'
        ? null
        : cluster.role
      : role === 'worker'
        ? null
        : (inst?.role ?? null);
    const hostname = hostnames.get(id) ?? own?.cachedHostname ?? null;

    // Agents: the roster (all rows the node holds, with their status), else the node's topology.
    const rows = rosterByInstance.get(id);
    const agents = db
      ? (rows ?? []).map((r) => rosterAgent(r, input))
      : (topologyAgents.get(id) ?? []).map((a) => {
          const probe = input.agentHealth?.get(a.agentId);
          return {
            ...a,
            version: probe?.ok ? probe.value.version : null,
            error: probe && !probe.ok ? probe.error : null,
          };
        });
    const freshAgents = agents.filter((a) => a.status === 'ready');

    // Scaler pools: names/types from the node's own /admin/diagnose, capacity from a peer's view of it.
    const fromDiagnose = diagnoseScalers(up ? own : undefined);
    const capacity = view?.peer.scalerCapacity ?? null;
    const names = fromDiagnose ?? capacity?.map((c) => ({ name: c.name, type: c.type })) ?? [];
    const scalers: ScalerPool[] = names.map(({ name, type }) => {
      const c = capacity?.find((x) => x.name === name);
      const sMissing: MissingFields = { config: PLATFORM_ONLY };
      const local = c ? c.spawnsOnLocalHost : spawnsOnLocalHost(type);
      if (local === null) {
        sMissing.spawnsOnLocalHost =
          "whether this container pool uses a local runtime socket is reported only through KiCI Platform or a peer's /cluster/peers";
      }
      let active: number | null = c ? c.activeCount : null;
      if (active === null && db) {
        active = freshAgents.filter((a) => a.scalerName === name).length;
      }
      if (!c) {
        sMissing.maxAgents = "reported only through KiCI Platform or a peer's /cluster/peers";
        sMissing.labelSets = sMissing.maxAgents;
        if (active === null) {
          sMissing.activeAgents = sMissing.maxAgents;
        }
      }
      return {
        name,
        type: c?.type ?? type,
        maxAgents: c ? c.maxAgents : null,
        activeAgents: active,
        labelSets: c ? c.labelSets : null,
        config: null,
        spawnsOnLocalHost: local,
        hosts: local && hostname ? [hostname] : [],
        missing: sMissing,
      };
    });
    if (!fromDiagnose && !capacity) {
      missing.scalers = up
        ? `/admin/diagnose did not answer`
        : 'the node did not answer and no peer reports its scalers';
    }

    let runningJobs: number | null = null;
    if (db) {
      runningJobs = agents.reduce((n, a) => n + (a.activeJobs ?? 0), 0);
    }

    let error: string | null = null;
    if (!up) {
      if (p) {
        error = probeError(p);
      } else if (view && !view.peer.connected) {
        error = `not connected to ${view.from}${view.peer.lastHeartbeat ? ` (last heartbeat ${ago(nowMs, view.peer.lastHeartbeat)})` : ''}`;
      } else if (inst && !inst.live) {
        error = `its cluster_instances heartbeat stopped${inst.lastHeartbeatMs ? ` ${ago(nowMs, inst.lastHeartbeatMs)}` : ''}`;
      } else {
        warnings.push('not in orchestratorUrls: shown as its peers and the database see it');
      }
    }

    const dependencyHealth: DependencyCheck[] | null =
      up && own.diagnose.ok
        ? own.diagnose.value.checks.map((c) => ({
            name: c.name,
            status: c.status,
            message: c.message,
            ...(c.details !== undefined ? { details: c.details } : {}),
            ...(c.durationMs !== undefined ? { durationMs: c.durationMs } : {}),
          }))
        : null;

    const node: OrchestratorNode = {
      ...emptyOrchestrator(),
      instanceId: id,
      url: p?.url ?? null,
      clusterName: db?.clusterName ?? null,
      routingKeys: db?.routingKeys ?? [],
      reachable: up,
      lastHeartbeat: inst?.lastHeartbeatMs ?? view?.peer.lastHeartbeat ?? null,
      version: health?.version ?? inst?.version ?? null,
      mode: diagnoseMode(up ? own : undefined),
      role,
      raftRole,
      raftTerm: cluster
        ? cluster.role === 'worker'
          ? null
          : cluster.term
        : role === 'worker'
          ? null
          : (db?.raft?.term ?? null),
      raftLeaderId: cluster ? cluster.leaderId : (db?.raft?.leaderId ?? null),
      scalerBackends: scalers.map((s) => s.type),
      s3LogAccess: view ? view.peer.capabilities.s3LogAccess : null,
      hostname,
      processUptimeSeconds: health ? health.uptime : null,
      agentCount: cluster?.agentCount ?? view?.peer.agentCount ?? (db ? freshAgents.length : null),
      statefulAgentCount: agents.filter((a) => !a.ephemeral).length,
      runningJobs,
      queuedJobs: db ? db.queuedJobs : null,
      scalers,
      agents,
      dependencyHealth,
      error,
      warnings,
      missing,
    };

    for (const f of PLATFORM_ONLY_ORCHESTRATOR_FIELDS) {
      missing[f] = PLATFORM_ONLY;
    }
    const silentReason = error ? `the node did not answer (${error})` : 'the node is not in orchestratorUrls';
    if (node.version === null) {
      missing.version = up ? '/health did not report a version' : silentReason;
    }
    if (node.hostname === null) {
      missing.hostname = up
        ? node.missing.fleetTopology
          ? '/admin/fleet-topology needs the admin token (adminToken is not set)'
          : '/admin/fleet-topology did not answer'
        : `peers do not report hostnames; ${silentReason}`;
    }
    if (node.s3LogAccess === null) {
      missing.s3LogAccess = "reported only to the node's peers (/cluster/peers) or through KiCI Platform";
    }
    if (node.mode === null) {
      missing.mode = up ? '/admin/diagnose did not answer' : silentReason;
    }
    // An answering node whose /health or /cluster/health failed is in orchestratorUrls: name the route.
    if (node.processUptimeSeconds === null) {
      missing.processUptimeSeconds = up ? '/health did not answer' : silentReason;
    }
    if (node.dependencyHealth === null) {
      missing.dependencyHealth = up ? '/admin/diagnose did not answer' : silentReason;
    }
    if (node.raftRole === null && role !== 'worker') {
      missing.raftRole = up ? '/cluster/health did not answer' : silentReason;
    }
    if (dbReason) {
      for (const f of ['clusterName', 'queuedJobs', 'runningJobs'] as const) {
        missing[f] = dbReason;
      }
      missing.routingKeys = dbReason;
    } else if (node.clusterName === null) {
      missing.clusterName = 'cluster_meta has no cluster_name';
    }
    return node;
  });

  // 6. URLs that answered nothing and match no instance stay visible with their error.
  for (const p of stillUnidentified) {
    nodes.push(unidentifiedNode(p.url, probeError(p)));
  }

  const attached = new Set(nodes.flatMap((n) => n.agents.map((a) => a.agentId)));
  const unattachedStateful = (db?.roster ?? [])
    .filter((r) => !attached.has(r.agentId))
    .map((r) => rosterAgent(r, input))
    .filter((a) => !a.ephemeral);

  const agentMissing: MissingFields = {};
  for (const f of PLATFORM_ONLY_AGENT_FIELDS) {
    agentMissing[f] = PLATFORM_ONLY;
  }
  if (!input.agentHealth) {
    agentMissing.version =
      "set agentHealthPort to read each agent's own /health, or use KiCI Platform (host_roster has no version)";
  }
  if (!db) {
    agentMissing.platform = dbReason!;
    agentMissing.arch = dbReason!;
    agentMissing.lastHeartbeatAt = dbReason!;
    agentMissing.activeJobs = dbReason!;
  }

  return {
    source: 'self-hosted',
    generatedAt: new Date(nowMs).toISOString(),
    orchestrators: nodes,
    statefulAgents: sortAgents([...nodes.flatMap((n) => n.agents.filter((a) => !a.ephemeral)), ...unattachedStateful]),
    alerts: [...(input.alerts ?? []), ...selfHostedAlerts(nodes, db, input.dbError)],
    latestVersion: input.latest.version,
    latestVersionSource: input.latest.source,
    latestVersionError: input.latest.error,
    agentMissing,
  };
}

function unidentifiedNode(url: string, error: string): OrchestratorNode {
  const missing: MissingFields = { instanceId: `the node did not answer (${error})` };
  for (const f of PLATFORM_ONLY_ORCHESTRATOR_FIELDS) {
    missing[f] = PLATFORM_ONLY;
  }
  return { ...emptyOrchestrator(), url, reachable: false, error, missing };
}

function selfHostedAlerts(
  nodes: OrchestratorNode[],
  db: ClusterDb | null,
  dbError: string | null
): InfrastructureAlert[] {
  const alerts: InfrastructureAlert[] = [];
  if (dbError) {
    alerts.push({
      type: 'database_unavailable',
      message: `The orchestrator database could not be read: ${dbError}`,
      severity: 'warning',
    });
  }
  for (const n of nodes) {
    if (n.error) {
      alerts.push({
        type: 'orchestrator_unreachable',
        message: `Orchestrator ${n.instanceId ?? n.url} is not reachable: ${n.error}`,
        severity: 'critical',
      });
    }
  }
  const coordinators = nodes.filter((n) => n.reachable && n.role === 'coordinator');
  if (coordinators.length > 0 && coordinators.every((n) => n.raftLeaderId === null)) {
    alerts.push({
      type: 'no_raft_leader',
      message: 'No Raft leader is known: the cluster is electing or has lost its majority',
      severity: 'critical',
    });
  }
  const unreachable = (db?.roster ?? []).filter(
    (r) => !r.fresh && r.lifecycleClass !== 'ephemeral' && r.connectedInstanceId !== null
  );
  if (unreachable.length > 0) {
    alerts.push({
      type: 'agents_unreachable',
      message: `${unreachable.length} stateful agent(s) hold a connection but were not seen for ${Math.round(300_000 / 60_000)} min`,
      severity: 'warning',
    });
  }
  return alerts;
}
