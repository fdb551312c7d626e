// Builders for model objects in tests (the page's tests can use them too): every field present, nulls by default.
import type { AgentNode, OrchestratorNode, ScalerPool } from './model';
import { emptyAgent, emptyOrchestrator } from './model';

export function agentNode(a: Partial<AgentNode> & Pick<AgentNode, 'agentId'>): AgentNode {
  return { ...emptyAgent(a.agentId), platform: 'linux', arch: 'x64', ...a };
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
