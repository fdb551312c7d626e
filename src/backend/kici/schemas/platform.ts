// KiCI Platform diagnostics DTOs (contract §3.2: `diagnosticsSummaryResponseSchema`,
// `diagnosticsInfrastructureResponseSchema` from @kici-dev/engine `protocol/messages/dashboard.ts`).
import { z } from 'zod';

const opt = <T extends z.ZodType>(t: T) => t.nullish();

export const platformSummarySchema = z.looseObject({
  connections: z.array(z.unknown()),
  executionMetrics: z.looseObject({
    totalRuns: z.number().nonnegative(),
    successRate: z.number().nonnegative(),
    avgDurationSeconds: z.number().nonnegative(),
    queuedJobs: z.number().int().nonnegative(),
    runningJobs: z.number().int().nonnegative(),
  }),
  orphanedConnections: z.number().int().nonnegative(),
});
export type PlatformSummary = z.infer<typeof platformSummarySchema>;

export const platformAgentSchema = z.looseObject({
  agentId: z.string(),
  labels: z.array(z.string()),
  platform: z.string(),
  arch: z.string(),
  activeJobs: z.number().int().nonnegative(),
  maxConcurrency: z.number().int().nonnegative(),
  lastHeartbeatAt: z.number(),
  registeredAt: z.number(),
  version: opt(z.string()),
  hostname: opt(z.string()),
  osRelease: opt(z.string()),
  osVersion: opt(z.string()),
  totalMemoryMb: opt(z.number()),
  cpuCount: opt(z.number()),
  nodeVersion: opt(z.string()),
  memoryUsedMb: opt(z.number()),
  memoryAvailableMb: opt(z.number()),
  uptimeSeconds: opt(z.number()),
  runningAsUser: opt(z.string()),
  runningAsUid: opt(z.number()),
  scalerName: opt(z.string()),
});

export const platformScalerSchema = z.looseObject({
  name: z.string(),
  type: z.string(),
  maxAgents: z.number().int().nonnegative(),
  activeAgents: z.number().int().nonnegative(),
  labelSets: z.array(z.array(z.string())),
  config: opt(z.unknown()),
  hosts: opt(z.array(z.string())),
});

export const platformOrchestratorSchema = z.looseObject({
  connectionId: z.string(),
  clusterName: opt(z.string()),
  instanceId: opt(z.string()),
  routingKeys: z.array(z.string()),
  connected: z.boolean(),
  connectedAt: opt(z.union([z.string(), z.number()])),
  lastHeartbeat: opt(z.union([z.string(), z.number()])),
  version: opt(z.string()),
  mode: opt(z.string()),
  role: opt(z.string()),
  raftRole: opt(z.string()),
  raftTerm: opt(z.number()),
  raftLeaderId: opt(z.string()),
  scalerBackends: z.array(z.string()),
  deployment: z.looseObject({
    mode: z.enum(['systemd', 'launchd', 'windows', 'compose', 'unknown']),
    containerName: z.string().nullable(),
    containerRuntime: z.enum(['podman', 'docker']).nullable(),
  }),
  s3LogAccess: opt(z.boolean()),
  agentCount: z.number().int().nonnegative(),
  runningJobs: z.number().int().nonnegative(),
  queuedJobs: z.number().int().nonnegative(),
  pendingLabelGaps: z.array(z.unknown()),
  agents: z.array(platformAgentSchema),
  hostname: opt(z.string()),
  osRelease: opt(z.string()),
  osVersion: opt(z.string()),
  totalMemoryMb: opt(z.number()),
  cpuCount: opt(z.number()),
  nodeVersion: opt(z.string()),
  memoryUsedMb: opt(z.number()),
  memoryAvailableMb: opt(z.number()),
  uptimeSeconds: opt(z.number()),
  runningAsUser: opt(z.string()),
  runningAsUid: opt(z.number()),
  statefulAgentCount: z.number().int().nonnegative(),
  scalers: z.array(platformScalerSchema),
  dependencyHealth: opt(
    z.array(
      z.looseObject({
        name: z.string(),
        status: z.enum(['pass', 'warn', 'fail']),
        message: z.string(),
        details: opt(z.unknown()),
        durationMs: opt(z.number()),
      })
    )
  ),
  error: opt(z.string()),
});

export const platformInfrastructureSchema = z.looseObject({
  orchestrators: z.array(platformOrchestratorSchema),
  alerts: z.array(z.looseObject({ type: z.string(), message: z.string(), severity: z.string() })),
  latestVersion: opt(z.string()),
});
export type PlatformInfrastructure = z.infer<typeof platformInfrastructureSchema>;
