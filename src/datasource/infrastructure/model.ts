// The normalized Infrastructure model: what `GET infrastructure` returns and the page renders.
// Shaped like the KiCI Platform's `diagnosticsInfrastructureResponseSchema` (contract §3.2), whichever
// source filled it. A field no source provides is `null`, and its reason is in the owner's `missing` map.
// No imports and no framework: the backend and the frontend both import it.

export type InfrastructureSource = 'platform' | 'self-hosted';

export type ScalerType = 'container' | 'bare-metal' | 'firecracker' | 'kubernetes';

export type RaftRole = 'leader' | 'follower' | 'candidate';

export type ClusterRole = 'coordinator' | 'worker';

export type DeploymentMode = 'systemd' | 'launchd' | 'windows' | 'compose' | 'unknown';

export interface Deployment {
  mode: DeploymentMode;
  containerName: string | null;
  containerRuntime: 'podman' | 'docker' | null;
}

/** field name -> why it is null (e.g. "reported only through KiCI Platform"). */
export type MissingFields = Record<string, string>;

export interface DependencyCheck {
  name: string;
  status: 'pass' | 'warn' | 'fail';
  message: string;
  details?: unknown;
  durationMs?: number;
}

export interface ScalerPool {
  name: string;
  /** KiCI's backend type; other strings pass through as the orchestrator reported them. */
  type: ScalerType | string;
  maxAgents: number | null;
  activeAgents: number | null;
  labelSets: string[][] | null;
  /** The safe scaler configuration (Platform only): labelSets, runtime, host, warmPool, networkIsolation, … */
  config: Record<string, unknown> | null;
  /** Whether agents spawn on the orchestrator's own host (bare-metal, firecracker, container on a local socket). */
  spawnsOnLocalHost: boolean | null;
  /** The spawning host names (`kici:host:<hostname>`), set only when spawnsOnLocalHost. */
  hosts: string[];
  missing: MissingFields;
}

export type AgentStatus = 'ready' | 'stale' | 'unreachable';

export interface AgentNode {
  agentId: string;
  labels: string[];
  platform: string | null;
  arch: string | null;
  hostname: string | null;
  /** The orchestrator instance holding the agent's WebSocket; null = disconnected. */
  connectedInstanceId: string | null;
  /** ready: connected and stamped within the roster grace; stale: ephemeral gone quiet; unreachable: static gone quiet. */
  status: AgentStatus;
  /** The scaler pool that spawned it; null for stateful agents (and when unknown, see `ephemeral`). */
  scalerName: string | null;
  /** Managed by a scaler (spawned on demand): no update badge. */
  ephemeral: boolean;
  activeJobs: number | null;
  maxConcurrency: number | null;
  /** Epoch ms. */
  lastHeartbeatAt: number | null;
  registeredAt: number | null;
  /** The agent's own running version (agent /health or Platform); never guessed. */
  version: string | null;
  osRelease: string | null;
  osVersion: string | null;
  totalMemoryMb: number | null;
  cpuCount: number | null;
  nodeVersion: string | null;
  memoryUsedMb: number | null;
  memoryAvailableMb: number | null;
  uptimeSeconds: number | null;
  runningAsUser: string | null;
  runningAsUid: number | null;
  /** Why the agent's own /health could not be read (only when agent probing is enabled). */
  error: string | null;
}

export interface OrchestratorNode {
  /** `KICI_CLUSTER_INSTANCE_ID`; null when the node never told us (e.g. down since the first look). */
  instanceId: string | null;
  /** The Platform WebSocket connection id (Platform only). */
  connectionId: string | null;
  /** The configured base URL that reached this node, when it is one of `orchestratorUrls`. */
  url: string | null;
  clusterName: string | null;
  routingKeys: string[];
  /** Platform connection status (Platform only). */
  connected: boolean | null;
  /** Did the node answer the plugin (self-hosted) or the Platform (platform) this time. */
  reachable: boolean;
  /** Epoch ms. */
  connectedAt: number | null;
  lastHeartbeat: number | null;
  version: string | null;
  mode: 'platform' | 'hybrid' | 'independent' | string | null;
  role: ClusterRole | string | null;
  raftRole: RaftRole | string | null;
  raftTerm: number | null;
  raftLeaderId: string | null;
  scalerBackends: string[];
  deployment: Deployment | null;
  s3LogAccess: boolean | null;
  hostname: string | null;
  osRelease: string | null;
  osVersion: string | null;
  cpuCount: number | null;
  totalMemoryMb: number | null;
  memoryUsedMb: number | null;
  memoryAvailableMb: number | null;
  /** OS uptime (Platform only). */
  uptimeSeconds: number | null;
  /** Orchestrator process uptime from its /health. */
  processUptimeSeconds: number | null;
  nodeVersion: string | null;
  runningAsUser: string | null;
  runningAsUid: number | null;
  agentCount: number | null;
  statefulAgentCount: number | null;
  runningJobs: number | null;
  queuedJobs: number | null;
  scalers: ScalerPool[];
  agents: AgentNode[];
  dependencyHealth: DependencyCheck[] | null;
  /** Set when the node could not be read at all; the other fields are what other sources know. */
  error: string | null;
  /** Partial failures (one route of a node that otherwise answered). */
  warnings: string[];
  missing: MissingFields;
}

export interface InfrastructureAlert {
  type: string;
  message: string;
  severity: 'critical' | 'warning' | 'info' | string;
}

export type LatestVersionSource = 'platform' | 'fixed' | 'npm' | 'none';

export interface Infrastructure {
  source: InfrastructureSource;
  /** ISO time the snapshot was taken (the backend caches it briefly). */
  generatedAt: string;
  orchestrators: OrchestratorNode[];
  /** Agents managed by no scaler, across all orchestrators and disconnected roster rows. */
  statefulAgents: AgentNode[];
  alerts: InfrastructureAlert[];
  /** Latest published orchestrator version; null when not configured or not known. */
  latestVersion: string | null;
  latestVersionSource: LatestVersionSource;
  latestVersionError: string | null;
  /** Reasons that hold for every agent of this snapshot (e.g. memory is Platform-only). */
  agentMissing: MissingFields;
}

export const PLATFORM_ONLY = 'reported only through KiCI Platform';

/** An agent about which only its id is known: every other field null or empty, `ready` until shown otherwise. */
export function emptyAgent(agentId: string): AgentNode {
  return {
    agentId,
    labels: [],
    platform: null,
    arch: null,
    hostname: null,
    connectedInstanceId: null,
    status: 'ready',
    scalerName: null,
    ephemeral: false,
    activeJobs: null,
    maxConcurrency: null,
    lastHeartbeatAt: null,
    registeredAt: null,
    version: null,
    osRelease: null,
    osVersion: null,
    totalMemoryMb: null,
    cpuCount: null,
    nodeVersion: null,
    memoryUsedMb: null,
    memoryAvailableMb: null,
    uptimeSeconds: null,
    runningAsUser: null,
    runningAsUid: null,
    error: null,
  };
}

/** An orchestrator node about which nothing is known yet: every field null or empty, reachable until shown otherwise. */
export function emptyOrchestrator(): OrchestratorNode {
  return {
    instanceId: null,
    connectionId: null,
    url: null,
    clusterName: null,
    routingKeys: [],
    connected: null,
    reachable: true,
    connectedAt: null,
    lastHeartbeat: null,
    version: null,
    mode: null,
    role: null,
    raftRole: null,
    raftTerm: null,
    raftLeaderId: null,
    scalerBackends: [],
    deployment: null,
    s3LogAccess: null,
    hostname: null,
    osRelease: null,
    osVersion: null,
    cpuCount: null,
    totalMemoryMb: null,
    memoryUsedMb: null,
    memoryAvailableMb: null,
    uptimeSeconds: null,
    processUptimeSeconds: null,
    nodeVersion: null,
    runningAsUser: null,
    runningAsUid: null,
    agentCount: null,
    statefulAgentCount: null,
    runningJobs: null,
    queuedJobs: null,
    scalers: [],
    agents: [],
    dependencyHealth: null,
    error: null,
    warnings: [],
    missing: {},
  };
}
