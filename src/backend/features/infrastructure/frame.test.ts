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
  // Unknown (no version known) is null, not false; an ephemeral agent is recreated by its scaler: false.
  expect(col('update_available')).toEqual([true, true, false, null, null]);
  expect(col('status')).toEqual(['up', 'ready', 'ready', 'down', 'unreachable']);
  expect(col('role')).toEqual(['leader', 'stateful', 'ephemeral', null, 'stateful']);
  expect(col('scaler')).toEqual(['fc (firecracker)', null, 'fc', null, null]);
  expect(col('labels')[1]).toBe('linux, x64');
  expect(col('platform')[1]).toBe('linux/x64');
  expect(col('error')[3]).toBe('cannot connect (ECONNREFUSED)');
  expect(f.meta?.notices?.[0]).toEqual({ severity: 'error', text: 'c is down' });
  for (const field of f.fields) {
    expect(field.values).toHaveLength(5);
  }
});

describe('what the frame knows and does not (issue 14 items 8-10)', () => {
  const base: Infrastructure = {
    source: 'self-hosted',
    generatedAt: '2026-11-24T06:40:00.000Z',
    orchestrators: [],
    statefulAgents: [],
    alerts: [],
    latestVersion: null,
    latestVersionSource: 'none',
    latestVersionError: null,
    agentMissing: {},
  };
  const col = (f: ReturnType<typeof infrastructureFrame>, n: string) => f.fields.find((x) => x.name === n)!.values;

  it('a live orchestrator that is not in orchestratorUrls is up as its peers see it, not down', () => {
    const f = infrastructureFrame({
      ...base,
      orchestrators: [
        orchestratorNode({ instanceId: 'orch-a', url: 'http://a:4000', reachable: true }),
        orchestratorNode({
          instanceId: 'orch-b',
          url: null,
          reachable: false,
          error: null,
          warnings: ['not in orchestratorUrls: shown as its peers and the database see it'],
        }),
        orchestratorNode({ instanceId: 'orch-c', url: 'http://c:4000', reachable: false, error: 'ECONNREFUSED' }),
      ],
    });
    expect(col(f, 'status')).toEqual(['up', 'up (not in orchestratorUrls)', 'down']);
  });

  it('update_available is null (unknown) without a version source, and for agents against the npm dist-tag', () => {
    const agents = [agentNode({ agentId: 'build-01', version: '0.8.0', connectedInstanceId: 'orch-a' })];
    const orch = orchestratorNode({ instanceId: 'orch-a', version: '0.8.0', agents });
    const none = infrastructureFrame({ ...base, orchestrators: [orch] });
    expect(col(none, 'update_available')).toEqual([null, null]);
    expect(none.fields.find((x) => x.name === 'update_available')!.nullable).toBe(true);
    const npm = infrastructureFrame({
      ...base,
      orchestrators: [orch],
      latestVersion: '0.9.1',
      latestVersionSource: 'npm',
    });
    expect(col(npm, 'update_available')).toEqual([true, null]);
    const fixed = infrastructureFrame({
      ...base,
      orchestrators: [orch],
      latestVersion: '0.9.1',
      latestVersionSource: 'fixed',
    });
    expect(col(fixed, 'update_available')).toEqual([true, true]);
  });

  it('says why fields are blank, Platform-only ones included', () => {
    const f = infrastructureFrame({
      ...base,
      orchestrators: [
        orchestratorNode({
          instanceId: 'orch-a',
          hostname: null,
          missing: { hostname: 'reported only through KiCI Platform' },
          agents: [
            agentNode({ agentId: 'a1', version: null, connectedInstanceId: 'orch-a' }),
            agentNode({ agentId: 'a2', version: null, connectedInstanceId: 'orch-a' }),
          ],
        }),
      ],
      agentMissing: { version: "set agentHealthPort to read each agent's own /health, or use KiCI Platform" },
    });
    expect(f.meta?.notices).toEqual([
      { severity: 'info', text: 'hostname is blank for 1 orchestrator: reported only through KiCI Platform' },
      {
        severity: 'info',
        text: "version is blank for 2 agents: set agentHealthPort to read each agent's own /health, or use KiCI Platform",
      },
    ]);
    expect(f.fields.find((x) => x.name === 'hostname')!.config?.description).toBe(
      'blank for 1 orchestrator: reported only through KiCI Platform'
    );
  });
});
