// healthy-single: one orchestrator (Raft dormant mode ⇒ leader of itself), one container scaler pool, a few agents,
// a small DLQ and the known-answer execution set of contract §2.2.
//
// Known numbers (with the default seed; timestamps relative to `now`):
// - Execution metrics, last 24 h (contract §2.2 SQL): total_runs 4, success_runs 1, finished_runs 3,
//   success_rate_pct 33.3, avg_duration_s 48.3 (success 95 s, failed 40 s, cancelled 10 s, one running).
//   A fifth run (success, 500 s) was created 30 h ago and falls outside the window.
// - Active jobs: queued_jobs 1 (dispatch_queue status 'pending'), running_jobs 1 (execution_jobs status 'running').
// - DLQ: depth 4 (2 × github:42, 1 × generic:acme:deploy-hooks, 1 with a NULL routing key); the scoped token (github:42) sees 2.
//   Newest first: healthyDlqIds()[0] (dlq 10 min ago) … [3] (dlq 40 min ago); all attempts 5, dlq_reason exhausted_retries.
// - Retry backlog 1 (processed=false, next_retry_at set, attempts 2); live leases 1 (orch-a, claimed 5 s ago); processed 5.
// - host_roster 4 agents ⇒ status (contract §3.4): ready 2, stale 1 (ephemeral, last seen 10 min ago), unreachable 1.
// - Secret backends: pg (healthy, 3 scopes), vault-prod (healthy, 14 scopes).
import type { ScenarioSpec } from '../model';
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

export const HEALTHY_SINGLE_KNOWN = {
  totalRuns: 4,
  successRuns: 1,
  finishedRuns: 3,
  successRatePct: 33.3,
  avgDurationS: 48.3,
  queuedJobs: 1,
  runningJobs: 1,
  dlqDepth: 4,
  dlqDepthScoped: 2,
  retryBacklog: 1,
  liveLeases: 1,
  roster: { ready: 2, stale: 1, unreachable: 1 },
} as const;

export function healthySingle(opts: ScenarioOptions = {}): Scenario {
  const layout = opts.layout ?? '0.9';
  const seed = opts.seed ?? 1;
  const name = 'healthy-single';
  const id = (...p: Array<string | number>) => detUuid(name, seed, ...p);

  const spec: ScenarioSpec = {
    name,
    layout,
    clusterName: 'acme-ci',
    nodes: [
      orchestratorNode(layout, {
        instanceId: 'orch-a',
        hostname: 'ci-host-1',
        raftRole: 'leader',
        mode: 'platform',
        platformConnectionId: id('platform-connection'),
        scalers: [scaler('container-linux-x64', 'container', 4, [['linux', 'docker']])],
      }),
    ],
    agents: [
      agent(
        {
          agentId: 'build-01-1a2b3c4d',
          hostname: 'build-01',
          connectedInstanceId: 'orch-a',
          serveHttp: true,
          memoryUsedMb: 2100,
          memoryAvailableMb: 13900,
          uptimeSeconds: 864_000,
          maxConcurrency: 2,
        },
        ['linux', 'x64', 'gpu']
      ),
      agent(
        {
          agentId: 'container-linux-x64-7f3e2a10',
          hostname: 'c-7f3e2a10',
          connectedInstanceId: 'orch-a',
          scalerName: 'container-linux-x64',
          lifecycleClass: 'ephemeral',
          activeJobs: 1,
          lastSeenAgoMs: 30 * SECOND,
        },
        ['linux', 'docker', 'kici:agent:container', 'kici:scaler:container-linux-x64']
      ),
      agent(
        {
          agentId: 'container-linux-x64-0c9d8e7f',
          hostname: 'c-0c9d8e7f',
          connectedInstanceId: 'orch-a',
          scalerName: 'container-linux-x64',
          lifecycleClass: 'ephemeral',
          lastSeenAgoMs: 10 * MINUTE,
        },
        ['linux', 'docker', 'kici:agent:container', 'kici:scaler:container-linux-x64']
      ),
      agent(
        {
          agentId: 'mac-mini-02-5e6f7a8b',
          hostname: 'mac-mini-02',
          platform: 'darwin',
          arch: 'arm64',
          lastSeenAgoMs: 2 * HOUR,
        },
        ['macos', 'xcode']
      ),
    ],
    tokens: standardTokens(name, seed),
    platform: {
      org: 'acme',
      token: `kpt_${id('platform-token').replace(/-/g, '')}`,
      orphanedConnections: 0,
      latestVersion: '0.9.1',
    },
  };

  const runIds = ['success', 'failed', 'cancelled', 'running', 'old'].map((k) => id('run', k));
  const runs: RunRow[] = [
    {
      runId: runIds[0],
      workflowName: 'ci',
      status: 'success',
      routingKey: 'github:42',
      repo: 'acme/api',
      createdAgoMs: 2 * HOUR,
      durationMs: 95_000,
      jobs: [
        {
          jobId: 'build',
          jobName: 'build',
          status: 'success',
          agentId: 'build-01-1a2b3c4d',
          durationMs: 90_000,
          queue: 'completed',
        },
      ],
    },
    {
      runId: runIds[1],
      workflowName: 'ci',
      status: 'failed',
      routingKey: 'github:42',
      repo: 'acme/api',
      createdAgoMs: 5 * HOUR,
      durationMs: 40_000,
      failureReason: 'Job test failed',
      jobs: [
        {
          jobId: 'test',
          jobName: 'test',
          status: 'failed',
          agentId: 'build-01-1a2b3c4d',
          durationMs: 38_000,
          queue: 'completed',
        },
      ],
    },
    {
      runId: runIds[2],
      workflowName: 'deploy',
      status: 'cancelled',
      routingKey: 'generic:acme:deploy-hooks',
      repo: 'acme/infra',
      createdAgoMs: 9 * HOUR,
      durationMs: 10_000,
      jobs: [
        {
          jobId: 'deploy',
          jobName: 'deploy',
          status: 'cancelled',
          agentId: 'container-linux-x64-7f3e2a10',
          durationMs: 9_000,
          queue: 'completed',
        },
      ],
    },
    {
      runId: runIds[3],
      workflowName: 'ci',
      status: 'running',
      routingKey: 'github:42',
      repo: 'acme/web',
      createdAgoMs: 3 * MINUTE,
      durationMs: null,
      jobs: [
        {
          jobId: 'build',
          jobName: 'build',
          status: 'running',
          agentId: 'container-linux-x64-7f3e2a10',
          durationMs: null,
          queue: 'dispatched',
        },
        { jobId: 'e2e', jobName: 'e2e', status: 'pending', agentId: null, durationMs: null, queue: 'pending' },
      ],
    },
    {
      runId: runIds[4],
      workflowName: 'nightly',
      status: 'success',
      routingKey: 'github:77',
      repo: 'acme/labs',
      createdAgoMs: 30 * HOUR,
      durationMs: 500_000,
      jobs: [
        {
          jobId: 'all',
          jobName: 'all',
          status: 'success',
          agentId: 'build-01-1a2b3c4d',
          durationMs: 495_000,
          queue: 'completed',
        },
      ],
    },
  ];

  const dlq = healthyDlqIds(name, seed);
  const events: EventRow[] = [
    {
      id: dlq[0],
      eventName: 'deploy-complete',
      payload: { env: 'prod', version: '2.14.0' },
      sourceRepo: 'acme/api',
      sourceRoutingKey: 'github:42',
      sourceRunId: runIds[0],
      createdAgoMs: 11 * MINUTE,
      processed: true,
      attempts: 5,
      lastError: 'Error: lock file fetch failed',
      dlqAgoMs: 10 * MINUTE,
    },
    {
      id: dlq[1],
      eventName: '__workflow_complete',
      payload: { workflow: 'ci', status: 'failed' },
      sourceRepo: 'acme/api',
      sourceRoutingKey: 'github:42',
      sourceRunId: runIds[1],
      createdAgoMs: 21 * MINUTE,
      processed: true,
      attempts: 5,
      lastError: 'Error: connect ECONNREFUSED 10.0.4.12:443',
      dlqAgoMs: 20 * MINUTE,
      chainDepth: 1,
    },
    {
      id: dlq[2],
      eventName: 'deploy-complete',
      payload: { env: 'staging' },
      sourceRepo: 'acme/infra',
      sourceRoutingKey: 'generic:acme:deploy-hooks',
      createdAgoMs: 31 * MINUTE,
      processed: true,
      attempts: 5,
      lastError: 'Error: no registered workflow accepted the event (403 from github.com)',
      dlqAgoMs: 30 * MINUTE,
    },
    {
      id: dlq[3],
      eventName: '__schedule_fire',
      payload: { schedule: '0 3 * * *' },
      sourceRepo: null,
      sourceRoutingKey: null,
      createdAgoMs: 41 * MINUTE,
      processed: true,
      attempts: 5,
      lastError: "TypeError: Cannot read properties of undefined (reading 'ref')",
      dlqAgoMs: 40 * MINUTE,
    },
    {
      id: id('event', 'retrying'),
      eventName: '__job_complete',
      payload: { job: 'build' },
      sourceRepo: 'acme/web',
      sourceRoutingKey: 'github:42',
      sourceRunId: runIds[3],
      sourceJobId: 'build',
      createdAgoMs: 50 * SECOND,
      processed: false,
      attempts: 2,
      lastError: 'Error: socket hang up',
      nextRetryInMs: 4 * SECOND,
    },
    {
      id: id('event', 'leased'),
      eventName: '__job_complete',
      payload: { job: 'e2e' },
      sourceRepo: 'acme/web',
      sourceRoutingKey: 'github:42',
      sourceRunId: runIds[3],
      createdAgoMs: 6 * SECOND,
      processed: false,
      attempts: 1,
      claimedAgoMs: 5 * SECOND,
      claimedBy: 'orch-a',
    },
    ...[0, 1, 2, 3, 4].map((i): EventRow => ({
      id: id('event', 'done', i),
      eventName: i % 2 ? '__workflow_complete' : 'deploy-complete',
      payload: { n: i },
      sourceRepo: 'acme/api',
      sourceRoutingKey: 'github:42',
      createdAgoMs: (i + 1) * HOUR,
      processed: true,
      attempts: 1,
    })),
  ];

  return {
    spec,
    async seed(db, now = new Date()) {
      await seedBase(
        db,
        {
          spec,
          seed,
          raftTerm: 1,
          backends: [
            {
              name: 'pg',
              backendType: 'pg',
              healthStatus: 'healthy',
              scopeCount: 3,
              lastSyncAgoMs: null,
              lastSyncError: null,
              lastHealthCheckAgoMs: 30 * SECOND,
            },
            {
              name: 'vault-prod',
              backendType: 'vault',
              healthStatus: 'healthy',
              scopeCount: 14,
              lastSyncAgoMs: 4 * MINUTE,
              lastSyncError: null,
              lastHealthCheckAgoMs: 30 * SECOND,
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

/** The DLQ ids of healthy-single, newest first. */
export function healthyDlqIds(name = 'healthy-single', seed = 1): string[] {
  return [0, 1, 2, 3].map((i) => detUuid(name, seed, 'event', 'dlq', i));
}
