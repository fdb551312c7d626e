// Probes, peers, roster rows and cluster databases for the infrastructure normaliser's tests: a healthy node answering
// every route as KiCI 0.9.1 does, and what each test changes from there.
import type { LatestVersion } from './latest-version';
import type { ClusterDb, RosterRow } from './cluster-db';
import type { SelfHostedInput } from './normalize';
import type { NodeProbe, Settled } from './probes';

export const NOW = Date.parse('2026-11-24T06:40:00.000Z');
export const NONE: LatestVersion = { version: null, source: 'none', error: null };
export const ok = <T>(value: T): Settled<T> => ({ ok: true, value });
export const fail = (error: string): Settled<never> => ({ ok: false, error });

export function probe(url: string, id: string, o: Partial<NodeProbe> & { peers?: NodeProbe['peers'] } = {}): NodeProbe {
  return {
    url,
    health: ok({ status: 'ok', timestamp: '2026-11-24T06:40:00.000Z', uptime: 120.5, version: '0.9.1' }),
    cluster: ok({
      status: 'degraded',
      instanceId: id,
      role: id === 'orch-a' ? 'leader' : 'follower',
      term: 14,
      leaderId: 'orch-a',
      peerCount: 2,
      connectedPeers: 1,
      agentCount: 2,
      activeRuns: 0,
    }),
    peers: ok({ peers: [] }),
    diagnose: ok({
      status: 'healthy',
      checks: [
        {
          name: 'Config validity',
          status: 'pass',
          message: 'Config valid (mode: hybrid)',
          details: { mode: 'hybrid' },
        },
        {
          name: 'scaler:fc-linux',
          status: 'pass',
          message: '0 spawn failures in last 5m',
          details: { backendType: 'firecracker' },
        },
      ],
    }),
    topology: ok({
      nodes: [{ kind: 'orchestrator', id, role: 'coordinator', hostname: `host-${id}`, labels: {}, parentId: null }],
    }),
    noToken: false,
    cachedHostname: null,
    ...o,
  };
}

export const down = (url: string): NodeProbe => ({
  url,
  health: fail(`${url} GET /health: cannot connect (ECONNREFUSED)`),
  cluster: fail(`${url} GET /cluster/health: cannot connect (ECONNREFUSED)`),
  peers: fail('x'),
  diagnose: fail('x'),
  topology: fail('x'),
  noToken: false,
  cachedHostname: null,
});

export function peer(instanceId: string, connected: boolean, extra: Record<string, unknown> = {}) {
  return {
    instanceId,
    connectionId: '5d26502d-77fc-4bdb-a06f-4dfa96dcd29e',
    address: null,
    connected,
    lastHeartbeat: NOW - 10 * 60_000,
    agentCount: 1,
    draining: false,
    capabilities: { s3LogAccess: true },
    role: 'coordinator' as const,
    scalerCapacity: null,
    ...extra,
  };
}

export function row(agentId: string, o: Partial<RosterRow> = {}): RosterRow {
  return {
    agentId,
    labels: ['linux', `kici:host:${agentId}`],
    hostname: agentId,
    platform: 'linux',
    arch: 'x64',
    lifecycleClass: 'static',
    connectedInstanceId: 'orch-a',
    lastSeenMs: NOW - 20_000,
    scalerManaged: null,
    fresh: true,
    ...o,
  };
}

export function clusterDb(o: Partial<ClusterDb> = {}): ClusterDb {
  return {
    layout: '0.9',
    roster: [],
    instances: null,
    raft: { term: 14, leaderId: 'orch-a' },
    clusterName: 'acme-prod',
    routingKeys: ['generic:acme:deploy-hooks', 'github:42'],
    runningJobsByAgent: new Map(),
    queuedJobs: 1,
    ...o,
  };
}

export function input(o: Partial<SelfHostedInput>): SelfHostedInput {
  return {
    nowMs: NOW,
    probes: [],
    db: null,
    dbError: null,
    agentHealth: null,
    knownUrls: new Map(),
    latest: NONE,
    ...o,
  };
}
