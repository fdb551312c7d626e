// An agent's own port (KICI_PORT, default 8080): /health, /ready, /metrics (contract §8, samples/agent1.*).
// "Connected" follows the roster: the agent holds a WebSocket to a reachable orchestrator.
import type { AgentSpec } from '../model';
import { buildInfo } from './build-info';
import type { ClusterData } from './cluster-data';
import { renderAgentMetrics } from './metrics';
import { json, Router, text } from './router';
import { readRuntime } from './runtime';

export interface AgentDeps {
  agent: AgentSpec;
  data: ClusterData;
  reachable: (instanceId: string) => boolean;
  processStartedAt: number;
}

export function createAgentRouter(deps: AgentDeps): Router {
  const { agent, data } = deps;
  const info = buildInfo(agent.version);

  const state = async () => {
    // An agent has no database: its state is what the orchestrator side last recorded.
    const snap = await data.snapshotOrLast();
    const row = snap.roster.find((r) => r.agentId === agent.agentId);
    const holder = row ? row.connectedInstanceId : agent.connectedInstanceId;
    return {
      connected: holder !== null && deps.reachable(holder),
      activeJobs: snap.runningJobsByAgent.get(agent.agentId) ?? 0,
    };
  };

  return new Router()
    .get('/health', async () => {
      const s = await state();
      return json(200, {
        status: 'ok',
        timestamp: new Date().toISOString(),
        uptime: (Date.now() - deps.processStartedAt) / 1000,
        agentId: agent.agentId,
        activeJobs: s.activeJobs,
        connected: s.connected,
        version: agent.version,
        buildCommit: info.buildCommit,
        sdkVersion: agent.version,
        sdkBundleHash: info.sdkBundleHash,
        sharedVersion: agent.version,
        sharedBundleHash: info.sharedBundleHash,
        engineVersion: agent.version,
        engineBundleHash: info.engineBundleHash,
      });
    })
    .get('/ready', async () => {
      const { connected } = await state();
      return json(connected ? 200 : 503, { status: connected ? 'ready' : 'not ready', checks: { connected } });
    })
    .get('/metrics', async () => {
      const s = await state();
      return text(
        200,
        renderAgentMetrics({
          target: { hostname: agent.hostname, pid: process.pid, processOwner: 'kici', runtimeVersion: '24.21.0' },
          runtime: readRuntime(),
          connected: s.connected,
          activeJobs: s.activeJobs,
          jobsSucceeded: 0,
          jobsFailed: 0,
        })
      );
    });
}
