import type { Infrastructure } from '../../../datasource/infrastructure/model';
import { agentNode, orchestratorNode, scalerPool } from '../../../datasource/infrastructure/testing';
import { infrastructureFrame } from './frame';

it('one row per orchestrator and agent, stateful agents without a node last, alerts as notices', () => {
  const m: Infrastructure = {
    source: 'self-hosted',
    generatedAt: '2026-11-24T06:40:00.000Z',
    orchestrators: [
      orchestratorNode({
        instanceId: 'orch-a',
        hostname: 'ci-host-1',
        version: '0.9.0',
        raftRole: 'leader',
        role: 'coordinator',
        agentCount: 2,
        scalers: [scalerPool({ name: 'fc', type: 'firecracker' })],
        agents: [
          agentNode({
            agentId: 'build-01',
            version: '0.9.0',
            labels: ['linux', 'x64'],
            platform: 'linux',
            arch: 'x64',
            connectedInstanceId: 'orch-a',
          }),
          agentNode({
            agentId: 'fc-1',
            version: '0.9.0',
            ephemeral: true,
            scalerName: 'fc',
            connectedInstanceId: 'orch-a',
          }),
        ],
      }),
      orchestratorNode({ url: 'http://c:4000', reachable: false, error: 'cannot connect (ECONNREFUSED)' }),
    ],
    statefulAgents: [
      agentNode({ agentId: 'build-01', connectedInstanceId: 'orch-a' }),
      agentNode({ agentId: 'old', status: 'unreachable' }),
    ],
    alerts: [{ type: 'orchestrator_unreachable', message: 'c is down', severity: 'critical' }],
    latestVersion: '0.9.1',
    latestVersionSource: 'fixed',
    latestVersionError: null,
    agentMissing: {},
  };
  const f = infrastructureFrame(m, 'A');
  const col = (n: string) => f.fields.find((x) => x.name === n)!.values;
  expect(f.name).toBe('A');
  expect(col('kind')).toEqual(['orchestrator', 'agent', 'agent', 'orchestrator', 'agent']);
  expect(col('id')).toEqual(['orch-a', 'build-01', 'fc-1', 'http://c:4000', 'old']);
  expect(col('orchestrator')).toEqual([null, 'orch-a', 'orch-a', null, null]);
  expect(col('update_available')).toEqual([true, true, false, false, false]);
  expect(col('status')).toEqual(['up', 'ready', 'ready', 'down', 'unreachable']);
  expect(col('role')).toEqual(['leader', 'stateful', 'ephemeral', null, 'stateful']);
  expect(col('scaler')).toEqual(['fc (firecracker)', null, 'fc', null, null]);
  expect(col('labels')[1]).toBe('linux, x64');
  expect(col('platform')[1]).toBe('linux/x64');
  expect(col('error')[3]).toBe('cannot connect (ECONNREFUSED)');
  expect(f.meta?.notices).toEqual([{ severity: 'error', text: 'c is down' }]);
  for (const field of f.fields) {
    expect(field.values).toHaveLength(5);
  }
});
