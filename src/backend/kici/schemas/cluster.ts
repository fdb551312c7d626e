// Cluster views every orchestrator serves without auth (contract §3.3; samples cluster-*.json, admin-*.json).
import { z } from 'zod';

import { isoTime } from './common';

export const clusterHealthSchema = z.looseObject({
  /** Coordinators: healthy|degraded|unhealthy; workers: healthy|degraded|down. */
  status: z.enum(['healthy', 'degraded', 'unhealthy', 'down']),
  instanceId: z.string(),
  /** Raft role, or `worker` on worker nodes. */
  role: z.enum(['leader', 'follower', 'candidate', 'worker']),
  term: z.number().int().nonnegative(),
  leaderId: z.string().nullable(),
  peerCount: z.number().int().nonnegative(),
  connectedPeers: z.number().int().nonnegative(),
  agentCount: z.number().int().nonnegative(),
  activeRuns: z.number().int().nonnegative(),
});
export type ClusterHealth = z.infer<typeof clusterHealthSchema>;

export const scalerCapacitySchema = z.looseObject({
  name: z.string(),
  type: z.string(),
  labelSets: z.array(z.array(z.string())),
  maxAgents: z.number().int().nonnegative(),
  activeCount: z.number().int().nonnegative(),
  spawnsOnLocalHost: z.boolean(),
  mandatoryLabels: z.array(z.string()).optional(),
});

export const peerSchema = z.looseObject({
  instanceId: z.string(),
  connectionId: z.string(),
  address: z.string().nullable(),
  connected: z.boolean(),
  /** Epoch ms. */
  lastHeartbeat: z.number().nullable(),
  agentCount: z.number().int().nonnegative(),
  draining: z.boolean(),
  capabilities: z.looseObject({
    s3LogAccess: z.boolean(),
    logRoutingOverride: z.enum(['direct', 'coordinator']).optional(),
  }),
  /** Cluster role. */
  role: z.enum(['coordinator', 'worker']),
  scalerCapacity: z.array(scalerCapacitySchema).nullable(),
});
export type Peer = z.infer<typeof peerSchema>;

export const clusterPeersSchema = z.looseObject({ peers: z.array(peerSchema) });
export type ClusterPeers = z.infer<typeof clusterPeersSchema>;

export const clusterRunsSchema = z.looseObject({
  activeRuns: z.array(
    z.looseObject({
      runId: z.string(),
      workflowName: z.string(),
      status: z.string(),
      jobs: z.looseObject({
        total: z.number().int(),
        completed: z.number().int(),
        failed: z.number().int(),
        running: z.number().int(),
      }),
    })
  ),
});
export type ClusterRuns = z.infer<typeof clusterRunsSchema>;

export const diagnoseCheckSchema = z.looseObject({
  name: z.string(),
  status: z.enum(['pass', 'warn', 'fail']),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
  durationMs: z.number().optional(),
});

export const diagnoseSchema = z.looseObject({
  status: z.enum(['healthy', 'degraded', 'unhealthy']),
  timestamp: isoTime.optional(),
  checks: z.array(diagnoseCheckSchema),
});
export type Diagnose = z.infer<typeof diagnoseSchema>;

export const fleetNodeSchema = z.looseObject({
  kind: z.enum(['orchestrator', 'agent']),
  id: z.string(),
  role: z.string().optional(),
  hostname: z.string().optional(),
  labels: z.record(z.string(), z.string()),
  parentId: z.string().nullable(),
});
export const fleetTopologySchema = z.looseObject({ nodes: z.array(fleetNodeSchema) });
export type FleetTopology = z.infer<typeof fleetTopologySchema>;
