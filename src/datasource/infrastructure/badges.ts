// The Infrastructure page's badge rules (KiCI's monitoring page, contract §3): which badge, which
// colour, which text, and when there is none. Pure functions over the normalized model.
import { PLATFORM_ONLY, type AgentNode, type ClusterRole, type OrchestratorNode, type ScalerPool } from './model';

export type BadgeColor = 'red' | 'orange' | 'green' | 'blue' | 'purple' | 'neutral';

export interface Badge {
  text: string;
  color: BadgeColor;
  /** Hover / popover explanation. */
  tooltip?: string;
}

// ---- orchestrator identity ----

export interface OrchestratorName {
  /** `orchestrator:` value. */
  name: string;
  /** Bold when it is the explicit instance id (`KICI_CLUSTER_INSTANCE_ID`). */
  bold: boolean;
  /** `conn:` value (dimmed): first 8 chars of the Platform connection id, only next to an explicit instance id. */
  conn: string | null;
}

export function shortId(id: string): string {
  return id.slice(0, 8);
}

export function orchestratorName(
  o: Pick<OrchestratorNode, 'instanceId' | 'connectionId' | 'hostname' | 'url'>
): OrchestratorName {
  if (o.instanceId) {
    return { name: o.instanceId, bold: true, conn: o.connectionId ? shortId(o.connectionId) : null };
  }
  if (o.connectionId) {
    return { name: shortId(o.connectionId), bold: false, conn: null };
  }
  return { name: o.hostname ?? o.url ?? 'unknown orchestrator', bold: false, conn: null };
}

// ---- Raft role ----

export function raftRoleBadge(
  o: Pick<OrchestratorNode, 'raftRole' | 'role' | 'raftTerm' | 'raftLeaderId'> & { peerCount?: number }
): Badge | null {
  const term = o.raftTerm === null ? '' : ` (term ${o.raftTerm})`;
  if (o.role === ('worker' satisfies ClusterRole) || o.raftRole === 'worker') {
    return {
      text: 'worker',
      color: 'purple',
      tooltip:
        'Worker node: runs jobs for its coordinator and takes no part in Raft elections; it holds no database connection.',
    };
  }
  switch (o.raftRole) {
    case 'leader':
      return {
        text: 'leader',
        color: 'blue',
        tooltip:
          `Raft leader${term}: runs the cluster-wide duties (event retry and lease scanner, roster reaper, orphan-run recovery). ` +
          'A single orchestrator elects itself leader (dormant mode).',
      };
    case 'follower':
      return {
        text: 'follower',
        color: 'neutral',
        tooltip: `Raft follower${term}: follows ${o.raftLeaderId ?? 'the leader'} and stands for election if the leader is lost.`,
      };
    case 'candidate':
      return {
        text: 'candidate',
        color: 'orange',
        tooltip: `Raft candidate${term}: no leader is known right now and this node is standing for election.`,
      };
    default:
      return null;
  }
}

// ---- running user ----

export function isRoot(user: string | null, uid: number | null): boolean {
  return uid === 0 || (uid === null && user === 'root');
}

function scalerTypes(o: Pick<OrchestratorNode, 'scalers' | 'scalerBackends'>): Set<string> {
  return new Set([...o.scalerBackends, ...o.scalers.map((s) => s.type)]);
}

/**
 * Red: root with a bare-metal scaler (jobs run on the host as root). Green: root with Firecracker (needs root for VMs).
 * Neutral: non-root, or root with neither. Unknown (neutral, Platform-only explanation) when the user is not reported.
 */
export function runningUserBadge(
  o: Pick<OrchestratorNode, 'runningAsUser' | 'runningAsUid' | 'scalers' | 'scalerBackends' | 'missing'>
): Badge & { kind: 'root-bare-metal' | 'root-firecracker' | 'root' | 'user' | 'unknown' } {
  if (o.runningAsUser === null && o.runningAsUid === null) {
    const why = o.missing.runningAsUser ?? PLATFORM_ONLY;
    return { kind: 'unknown', text: 'user unknown', color: 'neutral', tooltip: `OS user: ${why}` };
  }
  const who = `${o.runningAsUser ?? 'uid'}${o.runningAsUid === null ? '' : ` (${o.runningAsUid})`}`;
  if (!isRoot(o.runningAsUser, o.runningAsUid)) {
    return { kind: 'user', text: who, color: 'neutral', tooltip: 'Runs as a non-root user.' };
  }
  const types = scalerTypes(o);
  if (types.has('bare-metal')) {
    return {
      kind: 'root-bare-metal',
      text: who,
      color: 'red',
      tooltip:
        'Runs as root with a bare-metal scaler: jobs run directly on this host with root privileges. ' +
        'A non-privileged user is safer; root here usually indicates a misconfiguration.',
    };
  }
  if (types.has('firecracker')) {
    return {
      kind: 'root-firecracker',
      text: who,
      color: 'green',
      tooltip: 'Runs as root, as Firecracker scalers require for VM management.',
    };
  }
  return { kind: 'root', text: who, color: 'neutral', tooltip: 'Runs as root; none of its scalers needs it.' };
}

// ---- versions ----

interface ParsedVersion {
  core: [number, number, number];
  pre: string[];
}

export function parseVersion(v: string): ParsedVersion | null {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v.trim());
  if (!m) {
    return null;
  }
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ? m[4].split('.') : [] };
}

/** semver precedence: <0 when a is older than b. null when either is not a version (e.g. `unknown`). */
export function compareVersions(a: string, b: string): number | null {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x || !y) {
    return null;
  }
  for (let i = 0; i < 3; i++) {
    if (x.core[i] !== y.core[i]) {
      return x.core[i] - y.core[i];
    }
  }
  if (x.pre.length === 0 || y.pre.length === 0) {
    return (x.pre.length === 0 ? 1 : 0) - (y.pre.length === 0 ? 1 : 0);
  }
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined || q === undefined) {
      return p === undefined ? -1 : 1;
    }
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn && Number(p) !== Number(q)) {
      return Number(p) - Number(q);
    }
    if (pn !== qn) {
      return pn ? -1 : 1;
    }
    if (p !== q) {
      return p < q ? -1 : 1;
    }
  }
  return 0;
}

export type KiciComponent = 'orchestrator' | 'agent';

/** The two copy-ready lines: install the package, then let kici-admin switch the service over. Never run by the page. */
export function upgradeCommands(component: KiciComponent, latest: string): [string, string] {
  return [
    `npm install -g @kici-dev/${component}@${latest}`,
    `kici-admin ${component} upgrade --version ${latest} --yes`,
  ];
}

export interface UpdateBadge extends Badge {
  latest: string;
  commands: [string, string];
}

/** "update available" when `current` is older than `latest`; null when up to date, newer, or either is unknown. */
export function updateBadge(
  component: KiciComponent,
  current: string | null,
  latest: string | null
): UpdateBadge | null {
  if (!current || !latest) {
    return null;
  }
  const cmp = compareVersions(current, latest);
  if (cmp === null || cmp >= 0) {
    return null;
  }
  const clean = latest.replace(/^v/, '');
  return {
    text: 'update available',
    color: 'orange',
    tooltip: `Running ${current}; ${clean} is published. Run these on the ${component}'s host:`,
    latest: clean,
    commands: upgradeCommands(component, clean),
  };
}

export function orchestratorUpdateBadge(
  o: Pick<OrchestratorNode, 'version'>,
  latest: string | null
): UpdateBadge | null {
  return updateBadge('orchestrator', o.version, latest);
}

/** Scaler-spawned agents are excluded: the scaler recreates them with the current version. */
export function agentUpdateBadge(
  a: Pick<AgentNode, 'version' | 'ephemeral'>,
  latest: string | null
): UpdateBadge | null {
  if (a.ephemeral) {
    return null;
  }
  return updateBadge('agent', a.version, latest);
}

// ---- scaler pools ----

/**
 * Whether a scaler backend spawns agents on the orchestrator's own host: bare-metal and Firecracker always;
 * a container pool only on a local runtime socket (no remote `host`); Kubernetes never.
 * null when a container pool's runtime host is unknown.
 */
export function spawnsOnLocalHost(type: string, remoteHost?: string | null): boolean | null {
  switch (type) {
    case 'bare-metal':
    case 'firecracker':
      return true;
    case 'container':
      return remoteHost === undefined ? null : !remoteHost;
    default:
      return false;
  }
}

/** `kici:host:<hostname>` badges on a scaler row, even while idle; none for remote runtimes. */
export function scalerHostBadges(
  s: Pick<ScalerPool, 'type' | 'spawnsOnLocalHost' | 'hosts'>,
  orchestratorHostname: string | null
): string[] {
  const local = s.spawnsOnLocalHost ?? spawnsOnLocalHost(s.type);
  if (!local) {
    return [];
  }
  const hosts = s.hosts.length ? s.hosts : orchestratorHostname ? [orchestratorHostname] : [];
  return [...new Set(hosts)].map((h) => `kici:host:${h}`);
}

export function scalerCapacityText(s: Pick<ScalerPool, 'activeAgents' | 'maxAgents'>): string {
  const part = (n: number | null) => (n === null ? '?' : String(n));
  return `${part(s.activeAgents)}/${part(s.maxAgents)}`;
}

// ---- agents ----

export const MEMORY_WARN_PCT = 75;
export const MEMORY_CRITICAL_PCT = 90;

/** Memory usage badge: green below 75 %, orange from 75 %, red from 90 %; null when not reported. */
export function agentMemoryBadge(
  a: Pick<AgentNode, 'memoryUsedMb' | 'memoryAvailableMb' | 'totalMemoryMb'>
): (Badge & { percent: number }) | null {
  if (a.memoryUsedMb === null) {
    return null;
  }
  const total = a.totalMemoryMb ?? (a.memoryAvailableMb === null ? null : a.memoryUsedMb + a.memoryAvailableMb);
  if (total === null || total <= 0) {
    return null;
  }
  const exact = (a.memoryUsedMb / total) * 100;
  const percent = Math.round(exact);
  // Thresholds on the exact ratio: 89.9 % shows as 90 % but is still orange.
  const color: BadgeColor = exact >= MEMORY_CRITICAL_PCT ? 'red' : exact >= MEMORY_WARN_PCT ? 'orange' : 'green';
  return {
    text: `${formatMb(a.memoryUsedMb)} / ${formatMb(total)} (${percent}%)`,
    color,
    percent,
    tooltip: `Memory used ${percent}% (as of the agent's last status report)`,
  };
}

export function formatMb(mb: number): string {
  return mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${Math.round(mb)} MB`;
}

/** The host of an agent: its hostname, else its `kici:host:` label. */
export function agentHost(a: Pick<AgentNode, 'hostname' | 'labels'>): string | null {
  if (a.hostname) {
    return a.hostname;
  }
  const l = a.labels.find((x) => x.startsWith('kici:host:'));
  return l ? l.slice('kici:host:'.length) : null;
}

/** Auto-generated labels (users cannot set `kici:`) are shown apart from user labels. */
export function isAutoLabel(label: string): boolean {
  return label.startsWith('kici:');
}

// ---- header node count ----

export const NODE_COUNT_EXPLANATION =
  'This counts every orchestrator node in your topology — coordinator + each peer in a Raft cluster + each standalone — ' +
  'for operational visibility. Billing counts orchestrator connections instead: only coordinators and standalones open a ' +
  'direct Platform WebSocket; peers gossip through their coordinator. A 4-connection org running two 3-node clusters and ' +
  'two standalones shows 8 nodes here and 4 connections on billing — both correct, answering different questions.';

export function nodeCountBadge(
  orchestrators: Array<Pick<OrchestratorNode, 'instanceId' | 'url' | 'connectionId'>>
): Badge & { count: number } {
  const keys = new Set(orchestrators.map((o, i) => o.instanceId ?? o.connectionId ?? o.url ?? `#${i}`));
  const count = keys.size;
  return {
    count,
    text: `${count} ${count === 1 ? 'node' : 'nodes'}`,
    color: 'neutral',
    tooltip: NODE_COUNT_EXPLANATION,
  };
}
