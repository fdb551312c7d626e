// Builders for model objects in tests (the page's tests can use them too): every field present, nulls by default.
import type { AgentNode, OrchestratorNode, ScalerPool } from './model';
import { emptyOrchestrator } from './model';

export function agentNode(a: Partial<AgentNode> & Pick<AgentNode, 'agentId'>): AgentNode {
  return {
    labels: [],
    platform: 'linux',
    arch: 'x64',
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
    ...a,
  };
}

export function scalerPool(s: Partial<ScalerPool> & Pick<ScalerPool, 'name' | 'type'>): ScalerPool {
  return {
    maxAgents: null,
    activeAgents: null,
    labelSets: null,
    config: null,
    spawnsOnLocalHost: null,
    hosts: [],
    missing: {},
    ...s,
  };
}

export function orchestratorNode(o: Partial<OrchestratorNode> = {}): OrchestratorNode {
  return { ...emptyOrchestrator(), ...o };
}
