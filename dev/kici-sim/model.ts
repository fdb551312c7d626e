// The topology a kici-sim scenario describes. The database seed (db/, scenarios/) and the HTTP
// surfaces (http/) both read it, so what the nodes say over HTTP matches what the tables hold.

/** 0.9.x: `cluster_instances`, `host_roster.scaler_managed`, `execution_runs.context`. 0.1.x: `environment`, neither table/column. */
export type SchemaLayout = '0.9' | '0.1';

export type ScalerType = 'bare-metal' | 'firecracker' | 'container' | 'kubernetes';

export interface ScalerSpec {
  name: string;
  type: ScalerType;
  maxAgents: number;
  /** container only: a remote runtime host (`tcp://…`); absent = local socket, which spawns on the node's host. */
  remoteHost?: string;
  labelSets: string[][];
}

/** Per-node fault switch (issue 3): applies to every HTTP route of that node. */
export type FaultMode = 'none' | 'down' | 'slow' | 'garbage' | 'oversized' | 'error500' | 'tls';

export interface FaultSpec {
  mode: FaultMode;
  /** slow: delay before answering. */
  delayMs?: number;
}

export interface OrchestratorNodeSpec {
  instanceId: string;
  hostname: string;
  /** Cluster role. */
  clusterRole: 'coordinator' | 'worker';
  /** Raft role (`/cluster/health.role`, `cluster_instances.role`). */
  raftRole: 'leader' | 'follower' | 'candidate';
  version: string;
  mode: 'platform' | 'hybrid' | 'independent';
  deployment: {
    mode: 'systemd' | 'launchd' | 'windows' | 'compose' | 'unknown';
    containerName: string | null;
    containerRuntime: 'podman' | 'docker' | null;
  };
  s3LogAccess: boolean;
  scalers: ScalerSpec[];
  /** Platform-only facts, served only through the simulated Platform DTOs. */
  runningAsUser: string;
  runningAsUid: number;
  osRelease: string;
  osVersion: string;
  cpuCount: number;
  totalMemoryMb: number;
  memoryUsedMb: number;
  uptimeSeconds: number;
  nodeVersion: string;
  /** Platform WebSocket connection id (coordinators and standalones only). */
  platformConnectionId: string | null;
  fault: FaultSpec;
}

export interface AgentSpec {
  agentId: string;
  hostname: string;
  platform: 'linux' | 'darwin' | 'win32';
  arch: 'x64' | 'arm64';
  /** User labels plus the auto `kici:` ones, as stored in `host_roster.labels`. */
  labels: string[];
  /** null = stateful (not managed by a scaler). */
  scalerName: string | null;
  /** Orchestrator holding the agent's WebSocket; null = disconnected. */
  connectedInstanceId: string | null;
  lifecycleClass: 'static' | 'ephemeral';
  version: string;
  /** How long ago `host_roster.last_seen` was stamped. */
  lastSeenAgoMs: number;
  memoryUsedMb: number | null;
  memoryAvailableMb: number | null;
  uptimeSeconds: number | null;
  activeJobs: number;
  maxConcurrency: number;
  /** Serve this agent's own /health, /ready, /metrics on a port (small scenarios only). */
  serveHttp: boolean;
  fault: FaultSpec;
}

export type AdminRole = 'owner' | 'admin' | 'auditor';

export interface AdminTokenSpec {
  label: string;
  /** 64 hex chars; stored as its SHA-256 hex in `admin_tokens.token_hash`. */
  plaintext: string;
  role: AdminRole;
  routingKey: string | null;
  revoked?: boolean;
  expiresAt?: string | null;
}

export interface PlatformSpec {
  org: string;
  token: string;
  orphanedConnections: number;
  latestVersion: string | null;
}

export interface ScenarioSpec {
  name: string;
  layout: SchemaLayout;
  clusterName: string;
  nodes: OrchestratorNodeSpec[];
  agents: AgentSpec[];
  tokens: AdminTokenSpec[];
  /** Served only when present. */
  platform: PlatformSpec | null;
}
