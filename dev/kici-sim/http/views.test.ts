import type { OrchestratorNodeSpec } from '../model';
import {
  clusterHealth,
  clusterPeers,
  computeClusterStatus,
  diagnose,
  fleetTopology,
  labelsToObject,
  stableUuid,
  type NodeView,
} from './views';

const node = (instanceId: string, over: Partial<OrchestratorNodeSpec> = {}): OrchestratorNodeSpec => ({
  instanceId,
  hostname: `${instanceId}-host`,
  clusterRole: 'coordinator',
  raftRole: 'follower',
  version: '0.9.1',
  mode: 'hybrid',
  deployment: { mode: 'systemd', containerName: null, containerRuntime: null },
  s3LogAccess: false,
  scalers: [],
  runningAsUser: 'kici',
  runningAsUid: 990,
  osRelease: '6.8',
  osVersion: '#1',
  cpuCount: 8,
  totalMemoryMb: 1000,
  memoryUsedMb: 100,
  uptimeSeconds: 10,
  nodeVersion: '22.11.0',
  platformConnectionId: null,
  fault: { mode: 'none' },
  ...over,
});

const NOW = Date.parse('2026-11-24T06:40:00.000Z');

const nodes = [
  node('orch-a', {
    raftRole: 'leader',
    scalers: [{ name: 'fc', type: 'firecracker', maxAgents: 4, labelSets: [['linux', 'kici:scaler:fc']] }],
  }),
  node('orch-b'),
  node('orch-c'),
];

function view(self: string, down: string[] = [], leaderId: string | null = 'orch-a'): NodeView {
  return {
    self: nodes.find((n) => n.instanceId === self)!,
    nodes,
    reachable: (id) => !down.includes(id),
    raft: { term: 7, leaderId },
    roster: [
      {
        agentId: 'fc-1',
        labels: ['linux', 'kici:scaler:fc'],
        connectedInstanceId: 'orch-a',
        lastSeen: new Date(NOW - 20_000),
      },
      {
        agentId: 'b-1',
        labels: ['linux', 'tier=gold'],
        connectedInstanceId: 'orch-b',
        lastSeen: new Date(NOW - 60_000),
      },
      // Crashed without clearing its connection: past the 5 min grace it is no longer in orch-a's registry.
      { agentId: 'stale', labels: ['linux'], connectedInstanceId: 'orch-a', lastSeen: new Date(NOW - 600_000) },
      { agentId: 'gone', labels: [], connectedInstanceId: null, lastSeen: new Date(NOW - 20_000) },
    ],
    nowMs: NOW,
    peerAddress: (id) => `ws://127.0.0.1/${id}/ws/peer`,
    lastHeartbeatMs: () => 1000,
  };
}

describe('cluster views', () => {
  it('computes the cluster status like health-api.ts', () => {
    expect(computeClusterStatus(true, 0, 0)).toBe('healthy');
    expect(computeClusterStatus(true, 2, 2)).toBe('healthy');
    expect(computeClusterStatus(true, 2, 1)).toBe('degraded');
    expect(computeClusterStatus(true, 2, 0)).toBe('unhealthy');
    expect(computeClusterStatus(false, 2, 2)).toBe('unhealthy');
  });

  it('reports a degraded cluster when one follower is down', () => {
    expect(clusterHealth(view('orch-a', ['orch-c']), 2)).toEqual({
      status: 'degraded',
      instanceId: 'orch-a',
      role: 'leader',
      term: 7,
      leaderId: 'orch-a',
      peerCount: 2,
      connectedPeers: 1,
      agentCount: 1,
      activeRuns: 2,
    });
  });

  it('makes followers candidates without a reachable leader', () => {
    const h = clusterHealth(view('orch-b', ['orch-a']), 0);
    expect(h).toMatchObject({ status: 'unhealthy', role: 'candidate', leaderId: null });
  });

  it('lists peers with stable connection ids, dial direction and scaler capacity', () => {
    const fromB = clusterPeers(view('orch-b', ['orch-c'])).peers;
    const fromA = clusterPeers(view('orch-a', ['orch-c'])).peers;
    const aSeenFromB = fromB.find((p) => p.instanceId === 'orch-a')!;
    const bSeenFromA = fromA.find((p) => p.instanceId === 'orch-b')!;
    expect(aSeenFromB.address).toBe('ws://127.0.0.1/orch-a/ws/peer');
    expect(bSeenFromA.address).toBeNull();
    expect(aSeenFromB.connectionId).toBe(bSeenFromA.connectionId);
    expect(aSeenFromB.scalerCapacity).toEqual([
      {
        name: 'fc',
        type: 'firecracker',
        labelSets: [['linux', 'kici:scaler:fc']],
        maxAgents: 4,
        activeCount: 1,
        spawnsOnLocalHost: true,
        mandatoryLabels: [],
      },
    ]);
    expect(bSeenFromA.scalerCapacity).toBeNull();
    expect(fromA.find((p) => p.instanceId === 'orch-c')!.connected).toBe(false);
    expect(Object.keys(aSeenFromB)).toEqual([
      'instanceId',
      'connectionId',
      'address',
      'connected',
      'lastHeartbeat',
      'agentCount',
      'draining',
      'capabilities',
      'role',
      'scalerCapacity',
    ]);
  });

  it('builds the fleet topology: self, own agents, then each live peer and its agents', () => {
    const topo = fleetTopology(view('orch-a', ['orch-c'])).nodes;
    expect(topo.map((n) => `${n.kind}:${n.id}<${n.parentId}`)).toEqual([
      'orchestrator:orch-a<null',
      'agent:fc-1<orch-a',
      'orchestrator:orch-b<orch-a',
      'agent:b-1<orch-b',
    ]);
    expect(topo[0]).toHaveProperty('hostname', 'orch-a-host');
    expect(topo[2]).not.toHaveProperty('hostname');
    expect(topo[3].labels).toEqual({ linux: '', tier: 'gold' });
  });

  it('converts labels like fleet-topology.ts', () => {
    expect(labelsToObject(['linux', 'k=v=w'])).toEqual({ linux: '', k: 'v=w' });
  });

  it('derives UUID-shaped stable ids', () => {
    expect(stableUuid('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(stableUuid('x')).toBe(stableUuid('x'));
  });
});

describe('diagnose', () => {
  const base = {
    layout: '0.9' as const,
    self: nodes[0],
    agentCount: 0,
    db: { ok: true as const, latencyMs: 2 },
    platform: null,
    disk: { availableBytes: 5 * 1024 ** 3 },
    lastBackupAgoHours: 6,
    now: new Date('2026-11-24T06:40:00.000Z'),
  };

  it('is degraded with warnings (no agents, standalone) and names checks as KiCI does', () => {
    const d = diagnose(base);
    expect(d.status).toBe('degraded');
    expect(d.checks.map((c) => c.name)).toEqual([
      'Database connectivity',
      'DB backup freshness',
      'Run history retention',
      'Platform connectivity',
      'Agent connectivity',
      'Disk space',
      'Config validity',
      'TLS certificate',
      'scaler:fc',
      'firecracker',
    ]);
    expect(d.checks.find((c) => c.name === 'Agent connectivity')).toMatchObject({
      status: 'warn',
      message: 'No agents connected',
    });
    expect(Object.keys(d)).toEqual(['status', 'checks', 'timestamp']);
  });

  it('is unhealthy when the database fails, and omits the 0.9-only checks on 0.1', () => {
    const d = diagnose({
      ...base,
      layout: '0.1',
      agentCount: 2,
      db: { ok: false, error: 'connect ECONNREFUSED', latencyMs: 1 },
    });
    expect(d.status).toBe('unhealthy');
    expect(d.checks.map((c) => c.name)).not.toContain('DB backup freshness');
    expect(d.checks[0]).toMatchObject({ status: 'fail', message: 'Database connection failed: connect ECONNREFUSED' });
  });

  it('warns below 1 GiB of disk', () => {
    const d = diagnose({ ...base, disk: { availableBytes: 858993459 } });
    expect(d.checks.find((c) => c.name === 'Disk space')).toMatchObject({
      status: 'warn',
      message: 'Low disk space: 0.8GB available',
    });
  });
});
