import { agentNode, orchestratorNode } from '../../datasource/infrastructure/testing';
import { agentStatusBadge, connectionBadge } from './status';

describe('orchestrator connection badge', () => {
  const at = Date.UTC(2026, 10, 24, 6, 0, 0);

  it('Platform: connected (green) with its timestamp, disconnected (red) with the last heartbeat', () => {
    const up = connectionBadge(orchestratorNode({ connected: true, connectedAt: at }), 'platform');
    expect([up.text, up.color, up.tooltip]).toEqual([
      'connected',
      'green',
      'Connected to KiCI Platform since 2026-11-24 06:00:00 UTC.',
    ]);
    const down = connectionBadge(orchestratorNode({ connected: false, lastHeartbeat: at }), 'platform');
    expect([down.text, down.color]).toEqual(['disconnected', 'red']);
    expect(down.tooltip).toContain('Last heartbeat 2026-11-24 06:00:00 UTC');
  });

  it('self-hosted: whether the node answered', () => {
    expect(connectionBadge(orchestratorNode({ reachable: true }), 'self-hosted').text).toBe('reachable');
    const dead = connectionBadge(
      orchestratorNode({ reachable: false, error: 'connect ECONNREFUSED 127.0.0.1:4003' }),
      'self-hosted'
    );
    expect([dead.text, dead.color, dead.tooltip]).toEqual([
      'unreachable',
      'red',
      'connect ECONNREFUSED 127.0.0.1:4003',
    ]);
    expect(connectionBadge(orchestratorNode({ reachable: false }), 'self-hosted').color).toBe('red');
  });
});

describe('agent status badge', () => {
  it('ready green, stale orange, unreachable red', () => {
    expect(agentStatusBadge(agentNode({ agentId: 'a', status: 'ready' })).color).toBe('green');
    expect(agentStatusBadge(agentNode({ agentId: 'a', status: 'stale' })).color).toBe('orange');
    const u = agentStatusBadge(agentNode({ agentId: 'a', status: 'unreachable', lastHeartbeatAt: 0 }));
    expect([u.text, u.color]).toEqual(['unreachable', 'red']);
    expect(u.tooltip).toContain('1970-01-01 00:00:00 UTC');
  });
});
