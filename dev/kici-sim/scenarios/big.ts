// big: volume for paging, indexes and dashboards — 1,000,000 kici_events (10,000 in the DLQ), 50 orchestrators,
// 5,000 agents, 20,000 runs. Rows come from generate_series/unnest, never row by row.
//
// Known numbers (default seed; i = 1..N):
// - kici_events 1,000,000: created_at = now − i·500 ms (5.8 days, inside the 7-day TTL); DLQ iff i mod 100 = 0 ⇒ 10,000,
//   dlq_at = created_at + 40 s; routing key by i mod 3 (0 github:42, 1 github:77, 2 generic:acme:deploy-hooks); DLQ rows
//   are i = 100k (k = 1..10000) and 100k mod 3 = k mod 3 ⇒ github:42 3,333, github:77 3,334, generic 3,333. Event name (i mod 4) — every DLQ i is a multiple of 4 ⇒ all 10,000 are deploy-complete.
// - 50 orchestrators orch-001 (leader, term 3) … orch-050; 100 agents each (agent-00001 … agent-05000), all connected
//   and ready except every 50th agent (100 agents) last seen 2 h ago (unreachable static).
// - execution_runs 20,000: created_at = now − i·30 s; status by i mod 10: 0–6 success, 7 failed, 8 cancelled, 9 running;
//   duration 30 s + (i mod 60) s for finished runs.
import { TABLES } from '../db/schema';
import type { AgentSpec, OrchestratorNodeSpec, ScenarioSpec } from '../model';
import {
  HOUR,
  SECOND,
  agent,
  orchestratorNode,
  scaler,
  seedBase,
  standardTokens,
  type Scenario,
  type ScenarioOptions,
} from './common';

export const BIG_KNOWN = {
  events: 1_000_000,
  dlqDepth: 10_000,
  dlqByRoutingKey: { 'github:42': 3_333, 'github:77': 3_334, 'generic:acme:deploy-hooks': 3_333 },
  orchestrators: 50,
  agents: 5_000,
  unreachableAgents: 100,
  runs: 20_000,
} as const;

export function big(opts: ScenarioOptions = {}): Scenario {
  const layout = opts.layout ?? '0.9';
  const seed = opts.seed ?? 1;
  const name = 'big';
  const nodes: OrchestratorNodeSpec[] = [];
  const agents: AgentSpec[] = [];
  for (let n = 1; n <= 50; n++) {
    const instanceId = `orch-${String(n).padStart(3, '0')}`;
    const pool = scaler(`fc-${String(n).padStart(3, '0')}`, 'firecracker', 120, [['linux', 'vm']]);
    nodes.push(
      orchestratorNode(layout, {
        instanceId,
        hostname: `ci-host-${n}`,
        raftRole: n === 1 ? 'leader' : 'follower',
        mode: 'independent',
        scalers: [pool],
      })
    );
    for (let a = 1; a <= 100; a++) {
      const k = (n - 1) * 100 + a;
      const agentId = `agent-${String(k).padStart(5, '0')}`;
      const unreachable = k % 50 === 0;
      agents.push(
        unreachable
          ? agent({ agentId, hostname: `h-${k}`, lastSeenAgoMs: 2 * HOUR }, ['linux'])
          : agent(
              {
                agentId,
                hostname: `h-${k}`,
                scalerName: pool.name,
                lifecycleClass: 'ephemeral',
                connectedInstanceId: instanceId,
                lastSeenAgoMs: 30 * SECOND,
              },
              [...pool.labelSets[0]]
            )
      );
    }
  }
  const spec: ScenarioSpec = {
    name,
    layout,
    clusterName: 'acme-scale',
    nodes,
    agents,
    tokens: standardTokens(name, seed),
    platform: null,
  };

  return {
    spec,
    async seed(db, now = new Date()) {
      await seedBase(
        db,
        {
          spec,
          seed,
          raftTerm: 3,
          backends: [
            {
              name: 'pg',
              backendType: 'pg',
              healthStatus: 'healthy',
              scopeCount: 40,
              lastSyncAgoMs: null,
              lastSyncError: null,
              lastHealthCheckAgoMs: 30 * SECOND,
            },
          ],
        },
        now
      );
      // Bulk load without the secondary indexes, then build them once (same definitions as the schema).
      const eventIndexes = TABLES.find((t) => t.name === 'kici_events')!.indexes;
      for (const ix of eventIndexes) {
        await db.query(`DROP INDEX IF EXISTS ${/INDEX (\w+)/.exec(ix.sql)![1]}`);
      }
      await db.query(
        `INSERT INTO kici_events (id, event_name, payload, source_repo, source_routing_key, chain_depth, processed, created_at, expires_at,
                                  attempts, last_error, dlq_at, dlq_reason)
         SELECT md5($2 || ':' || i)::uuid,
                (ARRAY['deploy-complete','__workflow_complete','__job_complete','__schedule_fire'])[1 + i % 4],
                jsonb_build_object('n', i),
                'acme/repo-' || (i % 200),
                (ARRAY['github:42','github:77','generic:acme:deploy-hooks'])[1 + i % 3],
                CASE WHEN i % 4 = 0 THEN 0 ELSE 1 END,
                true,
                c,
                c + interval '604800 seconds',
                CASE WHEN i % 100 = 0 THEN 5 ELSE 1 END,
                CASE WHEN i % 100 = 0 THEN 'Error: dispatch timed out after 30000ms' END,
                CASE WHEN i % 100 = 0 THEN c + interval '40 seconds' END,
                CASE WHEN i % 100 = 0 THEN 'exhausted_retries' END
           FROM generate_series(1, 1000000) AS i, LATERAL (SELECT $1::timestamptz - i * interval '500 milliseconds' AS c) t`,
        [now, `big:${seed}`]
      );
      await db.query(
        `INSERT INTO execution_runs (run_id, workflow_name, status, provider, repo_identifier, ref, sha, routing_key, created_at,
                                     started_at, completed_at, duration_ms)
         SELECT md5($2 || ':run:' || i)::uuid, 'ci', s, 'github', 'acme/repo-' || (i % 200), 'refs/heads/main', md5('sha' || i) || '00000000',
                'github:42', c, c,
                CASE WHEN s = 'running' THEN NULL ELSE c + (30 + i % 60) * interval '1 second' END,
                CASE WHEN s = 'running' THEN NULL ELSE (30 + i % 60) * 1000 END
           FROM generate_series(1, 20000) AS i,
                LATERAL (SELECT $1::timestamptz - i * interval '30 seconds' AS c,
                                CASE WHEN i % 10 <= 6 THEN 'success' WHEN i % 10 = 7 THEN 'failed' WHEN i % 10 = 8 THEN 'cancelled' ELSE 'running' END AS s) t`,
        [now, `big:${seed}`]
      );
      for (const ix of eventIndexes) {
        await db.query(ix.sql);
      }
      await db.query('ANALYZE kici_events');
    },
  };
}
