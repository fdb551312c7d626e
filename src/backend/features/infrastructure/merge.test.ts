import { type Infrastructure, PLATFORM_ONLY } from '../../../datasource/infrastructure/model';
import { agentNode, orchestratorNode, scalerPool } from '../../../datasource/infrastructure/testing';
import { NOT_LISTED_BY_PLATFORM, withConfiguredOrchestrators } from './merge';

function model(source: Infrastructure['source'], orchestrators: Infrastructure['orchestrators']): Infrastructure {
  return {
    source,
    generatedAt: '2026-11-24T06:40:00.000Z',
    orchestrators,
    statefulAgents: orchestrators.flatMap((o) => o.agents.filter((a) => !a.ephemeral)),
    alerts: [],
    latestVersion: null,
    latestVersionSource: 'none',
    latestVersionError: null,
    agentMissing: {},
  };
}

const platformNode = (id: string) =>
  orchestratorNode({ instanceId: id, connectionId: `conn-${id}`, connected: true, raftRole: 'follower' });
const down = 'http://127.0.0.1:7403 GET /cluster/health: cannot connect (ECONNREFUSED)';

describe('withConfiguredOrchestrators', () => {
  const platform = model('platform', [platformNode('orch-a'), platformNode('orch-b')]);
  const probed = model('self-hosted', [
    orchestratorNode({ instanceId: 'orch-a', url: 'http://127.0.0.1:7401' }),
    orchestratorNode({ instanceId: 'orch-b', url: 'http://127.0.0.1:7402' }),
    orchestratorNode({
      instanceId: 'orch-c',
      url: 'http://127.0.0.1:7403',
      reachable: false,
      error: down,
      missing: { cpuCount: PLATFORM_ONLY, version: `the node did not answer (${down})` },
      scalers: [scalerPool({ name: 'bare-metal-arm', type: 'bare-metal', missing: { config: PLATFORM_ONLY } })],
      agents: [agentNode({ agentId: 'stateful-c', connectedInstanceId: 'orch-c' })],
    }),
    // Seen only through its peers: not a configured URL, the Platform's tree speaks for it.
    orchestratorNode({ instanceId: 'orch-d', url: null }),
  ]);

  test('a configured orchestrator the Platform does not list is a node, unreachable with its reason', () => {
    const merged = withConfiguredOrchestrators(platform, probed);
    expect(merged.source).toBe('platform');
    expect(merged.orchestrators.map((o) => [o.instanceId, o.url])).toEqual([
      ['orch-a', 'http://127.0.0.1:7401'],
      ['orch-b', 'http://127.0.0.1:7402'],
      ['orch-c', 'http://127.0.0.1:7403'],
    ]);
    const c = merged.orchestrators[2];
    expect(c).toMatchObject({ reachable: false, connected: null, error: down });
    expect(c.warnings).toEqual([NOT_LISTED_BY_PLATFORM]);
    expect(c.missing).toEqual({ cpuCount: NOT_LISTED_BY_PLATFORM, version: `the node did not answer (${down})` });
    expect(c.scalers.map((p) => p.missing)).toEqual([{ config: NOT_LISTED_BY_PLATFORM }]);
    expect(merged.alerts).toEqual([
      {
        type: 'orchestrator_unreachable',
        message: `Orchestrator orch-c (http://127.0.0.1:7403) is not reachable: ${down}`,
        severity: 'critical',
      },
    ]);
    expect(merged.statefulAgents.map((a) => a.agentId)).toEqual(['stateful-c']);
    // The Platform's own nodes keep what it said.
    expect(merged.orchestrators[0]).toMatchObject({ connected: true, connectionId: 'conn-orch-a', warnings: [] });
  });

  test('a Platform node the plugin cannot reach keeps its Platform state and says why the URL failed', () => {
    const merged = withConfiguredOrchestrators(
      platform,
      model('self-hosted', [orchestratorNode({ instanceId: 'orch-b', url: 'http://b', reachable: false, error: 'x' })])
    );
    expect(merged.orchestrators).toHaveLength(2);
    expect(merged.orchestrators[1]).toMatchObject({
      url: 'http://b',
      connected: true,
      warnings: ['the plugin could not reach it at http://b: x'],
    });
    expect(platform.orchestrators[1].warnings).toEqual([]);
    expect(merged.alerts).toEqual([]);
  });

  test('a configured URL that answers as a node the Platform does not list is shown not connected', () => {
    const merged = withConfiguredOrchestrators(
      platform,
      model('self-hosted', [orchestratorNode({ instanceId: 'orch-x', url: 'http://x', reachable: true })])
    );
    expect(merged.orchestrators[2]).toMatchObject({ instanceId: 'orch-x', connected: false, reachable: true });
    expect(merged.alerts).toEqual([]);
  });
});
