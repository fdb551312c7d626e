// Generated Infrastructure models for the page's tests: a small realistic one and a large fleet.
import type { Infrastructure } from '../../datasource/infrastructure/model';
import { agentNode, orchestratorNode, scalerPool } from '../../datasource/infrastructure/testing';

export function infrastructure(p: Partial<Infrastructure> = {}): Infrastructure {
  return {
    source: 'platform',
    generatedAt: '2026-11-24T06:40:00.000Z',
    orchestrators: [],
    statefulAgents: [],
    alerts: [],
    latestVersion: null,
    latestVersionSource: 'none',
    latestVersionError: null,
    agentMissing: {},
    ...p,
  };
}

/**
 * `orchestrators` coordinators with two pools each (a Firecracker pool on the host, a Kubernetes pool elsewhere) and
 * `agents` agents dealt round-robin over them: on each, every fifth stateful, the rest spawned by one of the pools.
 */
export function fleet(orchestrators: number, agents: number): Infrastructure {
  const nodes = Array.from({ length: orchestrators }, (_, i) =>
    orchestratorNode({
      instanceId: `orch-${i}`,
      connectionId: `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`,
      hostname: `ci-host-${i}`,
      connected: true,
      version: '0.9.1',
      role: 'coordinator',
      raftRole: 'leader',
      scalers: [
        scalerPool({ name: `fc-${i}`, type: 'firecracker', maxAgents: 200, activeAgents: 0, spawnsOnLocalHost: true }),
        scalerPool({ name: `k8s-${i}`, type: 'kubernetes', maxAgents: 200, activeAgents: 0, spawnsOnLocalHost: false }),
      ],
    })
  );
  for (let j = 0; j < agents; j++) {
    const i = j % orchestrators;
    const k = Math.floor(j / orchestrators);
    const stateful = k % 5 === 0;
    const scaler = stateful ? null : k % 2 ? `fc-${i}` : `k8s-${i}`;
    const host = `agent-host-${j}`;
    nodes[i].agents.push(
      agentNode({
        agentId: `${host}-${String(j).padStart(8, '0')}`,
        hostname: host,
        connectedInstanceId: `orch-${i}`,
        scalerName: scaler,
        ephemeral: !stateful,
        version: '0.9.1',
        labels: ['linux', 'kici:os:linux', `kici:host:${host}`, ...(scaler ? [`kici:scaler:${scaler}`] : [])],
      })
    );
  }
  return infrastructure({
    orchestrators: nodes,
    statefulAgents: nodes.flatMap((o) => o.agents.filter((a) => !a.ephemeral)),
    latestVersion: '0.9.1',
    latestVersionSource: 'platform',
  });
}
