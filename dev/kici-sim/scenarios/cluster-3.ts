// cluster-3: three HA coordinators sharing one database; orch-a leads, orch-b follows, orch-c is unreachable
// (HTTP fault `down`, its cluster_instances heartbeat 10 min old, its agents' roster rows stale).
//
// Known numbers (default seed):
// - raft_state: term 14, leader orch-a. 0.9: cluster_instances 3 rows, live (heartbeat < 120 s) 2 — orch-c is dead.
// - host_roster 9 agents: orch-a 4 (ready), orch-b 3 (ready), orch-c 2 (connected_instance_id orch-c, last seen
//   10 min ago ⇒ 1 stale ephemeral + 1 unreachable static). Ready 7.
// - scaler pools: orch-a fc-linux (firecracker, max 8), orch-b container-linux-x64 (container, max 6, remote host),
//   orch-c bare-metal-arm (bare-metal, max 2).
// - Executions, last 24 h: 6 runs (4 success 60 s each, 1 failed 120 s, 1 running) ⇒ success 80.0 %, avg 72.0 s.
// - DLQ depth 2 (github:77 and generic:acme:deploy-hooks); 1 expired lease held by orch-c (claimed 10 min ago).
import type { AgentSpec, ScenarioSpec } from '../model';
import {
  HOUR,
  MINUTE,
  SECOND,
  agent,
  detUuid,
  insertEvents,
  insertRuns,
  orchestratorNode,
  scaler,
  seedBase,
  standardTokens,
  type EventRow,
  type RunRow,
  type Scenario,
  type ScenarioOptions,
} from './common';

export const CLUSTER_3_KNOWN = {
  raftTerm: 14,
  leader: 'orch-a',
  liveInstances: 2,
  agents: 9,
  readyAgents: 7,
  successRatePct: 80.0,
  avgDurationS: 72.0,
  dlqDepth: 2,
  expiredLeases: 1,
} as const;

export function cluster3(opts: ScenarioOptions = {}): Scenario {
  const layout = opts.layout ?? '0.9';
  const seed = opts.seed ?? 1;
  const name = 'cluster-3';
  const id = (...p: Array<string | number>) => detUuid(name, seed, ...p);
  const fc = scaler('fc-linux', 'firecracker', 8, [['linux', 'vm']]);
  const ct = scaler('container-linux-x64', 'container', 6, [['linux', 'docker']], 'tcp://docker-host.internal:2376');
  const bm = scaler('bare-metal-arm', 'bare-metal', 2, [['linux', 'arm64']]);

  const scalerAgent = (n: string, host: string, s: typeof fc, on: string, lastSeenAgoMs = 20 * SECOND): AgentSpec =>
    agent(
      {
        agentId: n,
        hostname: host,
        scalerName: s.name,
        lifecycleClass: 'ephemeral',
        connectedInstanceId: on,
        lastSeenAgoMs,
      },
      [...s.labelSets[0]]
    );

  const spec: ScenarioSpec = {
    name,
    layout,
    clusterName: 'acme-prod',
    nodes: [
      orchestratorNode(layout, {
        instanceId: 'orch-a',
        hostname: 'ci-host-1',
        raftRole: 'leader',
        mode: 'hybrid',
        s3LogAccess: true,
        scalers: [fc],
        platformConnectionId: id('conn', 'a'),
      }),
      orchestratorNode(layout, {
        instanceId: 'orch-b',
        hostname: 'ci-host-2',
        raftRole: 'follower',
        mode: 'hybrid',
        s3LogAccess: true,
        scalers: [ct],
        deployment: { mode: 'compose', containerName: 'kici-orchestrator', containerRuntime: 'podman' },
        platformConnectionId: id('conn', 'b'),
      }),
      orchestratorNode(layout, {
        instanceId: 'orch-c',
        hostname: 'ci-host-3',
        raftRole: 'follower',
        mode: 'hybrid',
        scalers: [bm],
        platformConnectionId: null,
        fault: { mode: 'down' },
      }),
    ],
    agents: [
      agent(
        {
          agentId: 'build-01-1a2b3c4d',
          hostname: 'build-01',
          connectedInstanceId: 'orch-a',
          serveHttp: true,
          maxConcurrency: 2,
        },
        ['linux', 'x64']
      ),
      scalerAgent('fc-linux-0a1b2c3d', 'fc-0a1b2c3d', fc, 'orch-a'),
      scalerAgent('fc-linux-4e5f6a7b', 'fc-4e5f6a7b', fc, 'orch-a'),
      scalerAgent('fc-linux-8c9d0e1f', 'fc-8c9d0e1f', fc, 'orch-a'),
      agent({ agentId: 'build-02-2b3c4d5e', hostname: 'build-02', connectedInstanceId: 'orch-b', serveHttp: true }, [
        'linux',
        'x64',
      ]),
      scalerAgent('container-linux-x64-1a2b3c4d', 'c-1a2b3c4d', ct, 'orch-b'),
      scalerAgent('container-linux-x64-5e6f7a8b', 'c-5e6f7a8b', ct, 'orch-b'),
      scalerAgent('bare-metal-arm-9a8b7c6d', 'arm-01', bm, 'orch-c', 10 * MINUTE),
      agent(
        {
          agentId: 'build-03-3c4d5e6f',
          hostname: 'build-03',
          connectedInstanceId: 'orch-c',
          lastSeenAgoMs: 10 * MINUTE,
        },
        ['linux', 'x64']
      ),
    ],
    tokens: standardTokens(name, seed),
    platform: {
      org: 'acme',
      token: `kpt_${id('platform-token').replace(/-/g, '')}`,
      orphanedConnections: 2,
      latestVersion: '0.9.1',
    },
  };

  const run = (
    k: string,
    status: RunRow['status'],
    durationMs: number | null,
    agoMs: number,
    agentId: string
  ): RunRow => ({
    runId: id('run', k),
    workflowName: 'ci',
    status,
    routingKey: 'github:42',
    repo: 'acme/api',
    createdAgoMs: agoMs,
    durationMs,
    jobs: [
      {
        jobId: 'build',
        jobName: 'build',
        status: status === 'running' ? 'running' : status,
        agentId,
        durationMs: durationMs === null ? null : durationMs - 2_000,
        queue: status === 'running' ? 'dispatched' : 'completed',
      },
    ],
  });
  const runs: RunRow[] = [
    run('s1', 'success', 60_000, 1 * HOUR, 'fc-linux-0a1b2c3d'),
    run('s2', 'success', 60_000, 2 * HOUR, 'fc-linux-4e5f6a7b'),
    run('s3', 'success', 60_000, 3 * HOUR, 'container-linux-x64-1a2b3c4d'),
    run('s4', 'success', 60_000, 4 * HOUR, 'build-02-2b3c4d5e'),
    run('f1', 'failed', 120_000, 6 * HOUR, 'bare-metal-arm-9a8b7c6d'),
    run('r1', 'running', null, 2 * MINUTE, 'fc-linux-8c9d0e1f'),
  ];
  const events: EventRow[] = [
    {
      id: id('event', 'dlq', 0),
      eventName: 'deploy-complete',
      payload: { env: 'prod' },
      sourceRepo: 'acme/labs',
      sourceRoutingKey: 'github:77',
      createdAgoMs: 16 * MINUTE,
      processed: true,
      attempts: 5,
      lastError: 'Error: lock file fetch failed',
      dlqAgoMs: 15 * MINUTE,
    },
    {
      id: id('event', 'dlq', 1),
      eventName: '__workflow_complete',
      payload: { workflow: 'deploy' },
      sourceRepo: 'acme/infra',
      sourceRoutingKey: 'generic:acme:deploy-hooks',
      createdAgoMs: 3 * HOUR,
      processed: true,
      attempts: 5,
      lastError: 'Error: dispatch timed out after 30000ms',
      dlqAgoMs: 3 * HOUR - MINUTE,
    },
    {
      id: id('event', 'lease'),
      eventName: '__job_complete',
      payload: { job: 'build' },
      sourceRepo: 'acme/api',
      sourceRoutingKey: 'github:42',
      createdAgoMs: 11 * MINUTE,
      processed: false,
      attempts: 1,
      claimedAgoMs: 10 * MINUTE,
      claimedBy: 'orch-c',
    },
  ];

  return {
    spec,
    async seed(db, now = new Date()) {
      await seedBase(
        db,
        {
          spec,
          seed,
          raftTerm: 14,
          heartbeatAgoMs: { 'orch-a': 3 * SECOND, 'orch-b': 6 * SECOND, 'orch-c': 10 * MINUTE },
          backends: [
            {
              name: 'pg',
              backendType: 'pg',
              healthStatus: 'healthy',
              scopeCount: 5,
              lastSyncAgoMs: null,
              lastSyncError: null,
              lastHealthCheckAgoMs: 20 * SECOND,
            },
            {
              name: 'vault-prod',
              backendType: 'vault',
              healthStatus: 'healthy',
              scopeCount: 22,
              lastSyncAgoMs: 2 * MINUTE,
              lastSyncError: null,
              lastHealthCheckAgoMs: 20 * SECOND,
            },
          ],
        },
        now
      );
      await insertRuns(db, layout, runs, now);
      await insertEvents(db, events, now);
    },
  };
}
