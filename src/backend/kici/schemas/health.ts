// Orchestrator and agent liveness/readiness (contract §8; samples health.json, ready.json, capabilities.json).
import { z } from 'zod';

import { isoTime } from './common';

export const orchestratorHealthSchema = z.looseObject({
  status: z.literal('ok'),
  timestamp: isoTime,
  /** process.uptime() in seconds. */
  uptime: z.number().nonnegative(),
  version: z.string().optional(),
  buildDate: z.string().optional(),
  buildCommit: z.string().optional(),
});
export type OrchestratorHealth = z.infer<typeof orchestratorHealthSchema>;

/** 200 `{status:'ready'}` or 503 `{status:'not ready'}`; 0.9.1 adds `checks.warm`; workers send `checks:{}`. */
export const readySchema = z.looseObject({
  status: z.enum(['ready', 'not ready']),
  checks: z.record(z.string(), z.boolean()),
});
export type Ready = z.infer<typeof readySchema>;

export const capabilitiesSchema = z.looseObject({
  orchestratorVersion: z.string(),
  protocolVersion: z.number().int(),
  minProtocolVersion: z.number().int(),
});
export type Capabilities = z.infer<typeof capabilitiesSchema>;

export const agentHealthSchema = z.looseObject({
  status: z.literal('ok'),
  timestamp: isoTime,
  uptime: z.number().nonnegative(),
  agentId: z.string(),
  activeJobs: z.number().int().nonnegative(),
  connected: z.boolean(),
  version: z.string().optional(),
});
export type AgentHealth = z.infer<typeof agentHealthSchema>;
