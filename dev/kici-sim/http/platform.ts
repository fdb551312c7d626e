// The hosted KiCI Platform's diagnostics DTOs (contract §3.2: diagnosticsSummaryResponseSchema and
// diagnosticsInfrastructureResponseSchema of @kici-dev/engine), built from the same scenario topology
// and database rows the orchestrator nodes serve, so both views agree. Pure functions.
import type { AgentSpec, OrchestratorNodeSpec, ScenarioSpec } from '../model';
import { connectedAgents, spawnsOnLocalHost } from './views';

export interface PlatformRosterAgent {
  agentId: string;
  labels: string[];
  platform: string | null;
  arch: string | null;
  hostname: string | null;
  connectedInstanceId: string | null;
  lastSeen: Date;
  createdAt: Date;
}

export interface ExecutionMetrics {
  totalRuns: number;
  /** A fraction (0..1) of finished runs that succeeded; the Platform schema does not state the scale. */
  successRate: number;
  avgDurationSeconds: number;
  queuedJobs: number;
  runningJobs: number;
}

export function diagnosticsSummary(metrics: ExecutionMetrics, orphanedConnections: number): Record<string, unknown> {
  return { connections: [], executionMetrics: metrics, orphanedConnections };
}

export interface InfrastructureInput {
  spec: ScenarioSpec;
  roster: PlatformRosterAgent[];
  raft: { term: number; leaderId: string | null };
  reachable: (instanceId: string) => boolean;
  routingKeys: string[];
  runningJobsByAgent: Map<string, number>;
  queuedJobs: number;
  connectedAtMs: number;
  nowMs: number;
}

function agentDto(row: PlatformRosterAgent, spec: AgentSpec | undefined, running: number): Record<string, unknown> {
  return {
    agentId: row.agentId,
    labels: row.labels,
    platform: row.platform ?? spec?.platform ?? 'linux',
    arch: row.arch ?? spec?.arch ?? 'x64',
    activeJobs: running,
    maxConcurrency: spec?.maxConcurrency ?? 1,
    lastHeartbeatAt: row.lastSeen.getTime(),
    registeredAt: row.createdAt.getTime(),
    version: spec?.version,
    hostname: row.hostname ?? spec?.hostname,
    memoryUsedMb: spec?.memoryUsedMb ?? undefined,
    memoryAvailableMb: spec?.memoryAvailableMb ?? undefined,
    uptimeSeconds: spec?.uptimeSeconds ?? undefined,
    scalerName: spec ? spec.scalerName : null,
  };
}

function orchestratorDto(
  node: OrchestratorNodeSpec,
  input: InfrastructureInput,
  agentSpecs: Map<string, AgentSpec>
): Record<string, unknown> {
  const connected = input.reachable(node.instanceId);
  const base = {
    connectionId: node.platformConnectionId,
    clusterName: input.spec.clusterName,
    instanceId: node.instanceId,
    routingKeys: input.routingKeys,
    connected,
  };
  if (!connected) {
    // The Platform keeps the connection row but has no live diagnostics from a node that is gone.
    return {
      ...base,
      lastHeartbeat: input.connectedAtMs,
      scalerBackends: [],
      deployment: node.deployment,
      agentCount: 0,
      runningJobs: 0,
      queuedJobs: 0,
      pendingLabelGaps: [],
      agents: [],
      statefulAgentCount: 0,
      scalers: [],
      error: 'Orchestrator did not answer the diagnostics request',
    };
  }
  const rows = connectedAgents({ roster: input.roster, nowMs: input.nowMs }, node.instanceId);
  const agents = rows.map((r) => agentDto(r, agentSpecs.get(r.agentId), input.runningJobsByAgent.get(r.agentId) ?? 0));
  const leaderId = input.raft.leaderId !== null && input.reachable(input.raft.leaderId) ? input.raft.leaderId : null;
  return {
    ...base,
    connectedAt: input.connectedAtMs,
    lastHeartbeat: input.nowMs,
    version: node.version,
    mode: node.mode,
    role: node.clusterRole,
    raftRole: node.raftRole,
    raftTerm: input.raft.term,
    raftLeaderId: leaderId,
    scalerBackends: node.scalers.map((s) => s.type),
    deployment: node.deployment,
    s3LogAccess: node.s3LogAccess,
    agentCount: rows.length,
    runningJobs: agents.reduce((a, x) => a + (x.activeJobs as number), 0),
    queuedJobs: input.queuedJobs,
    pendingLabelGaps: [],
    agents,
    hostname: node.hostname,
    osRelease: node.osRelease,
    osVersion: node.osVersion,
    totalMemoryMb: node.totalMemoryMb,
    cpuCount: node.cpuCount,
    nodeVersion: node.nodeVersion,
    memoryUsedMb: node.memoryUsedMb,
    memoryAvailableMb: node.totalMemoryMb - node.memoryUsedMb,
    uptimeSeconds: node.uptimeSeconds,
    runningAsUser: node.runningAsUser,
    runningAsUid: node.runningAsUid,
    statefulAgentCount: agents.filter((a) => a.scalerName === null).length,
    scalers: node.scalers.map((s) => ({
      name: s.name,
      type: s.type,
      maxAgents: s.maxAgents,
      activeAgents: rows.filter((r) => r.labels.includes(`kici:scaler:${s.name}`)).length,
      labelSets: s.labelSets,
      config: {
        labelSets: s.labelSets,
        runtime: s.type === 'container' ? 'auto' : undefined,
        host: s.remoteHost,
        warmPool: { minIdle: 0, maxIdle: 0, enabled: false },
        networkIsolation: false,
      },
      ...(spawnsOnLocalHost(s) ? { hosts: [node.hostname] } : {}),
    })),
  };
}

export function diagnosticsInfrastructure(input: InfrastructureInput): Record<string, unknown> {
  const agentSpecs = new Map(input.spec.agents.map((a) => [a.agentId, a]));
  const orchestrators = input.spec.nodes
    .filter((n) => n.platformConnectionId !== null)
    .map((n) => orchestratorDto(n, input, agentSpecs));
  const alerts: Array<{ type: string; message: string; severity: string }> = [];
  for (const o of orchestrators) {
    if (!o.connected) {
      alerts.push({
        type: 'orchestrator_disconnected',
        message: `Orchestrator ${o.instanceId} is not connected`,
        severity: 'critical',
      });
    }
  }
  return { orchestrators, alerts, latestVersion: input.spec.platform?.latestVersion ?? null };
}
