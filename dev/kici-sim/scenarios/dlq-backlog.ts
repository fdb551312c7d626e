// dlq-backlog: healthy-single's topology with a large, varied DLQ to triage, a retry backlog and expired leases.
//
// Known numbers (default seed; i = 0..119, dlq_at = now − (24·i + 1) min, created_at = dlq_at − 45 s):
// - DLQ depth 120, all attempts 5 and dlq_reason exhausted_retries; 60 of them entered the DLQ in the last 24 h.
// - By event_name (i mod 4): deploy-complete 30, __workflow_complete 30, __job_complete 30, __schedule_fire 30.
// - By source_routing_key (i mod 3): github:42 40 (the scoped token sees these), generic:acme:deploy-hooks 40, github:77 40.
// - Repos: github:42 → acme/api (even i) / acme/web (odd i); generic → acme/infra; github:77 → acme/labs.
// - Retry backlog 15 (processed=false, next_retry_at set, attempts 1..4); expired leases 3 (claimed by orch-a 2–4 min ago).
// - Executions as healthy-single (33.3 % / 48.3 s).
import {
  MINUTE,
  SECOND,
  createRng,
  detUuid,
  insertEvents,
  type EventRow,
  type Scenario,
  type ScenarioOptions,
} from './common';
import { healthySingle } from './healthy-single';

export const DLQ_BACKLOG_KNOWN = {
  dlqDepth: 120,
  dlqLast24h: 60,
  byEventName: { 'deploy-complete': 30, __workflow_complete: 30, __job_complete: 30, __schedule_fire: 30 },
  byRoutingKey: { 'github:42': 40, 'generic:acme:deploy-hooks': 40, 'github:77': 40 },
  retryBacklog: 15,
  expiredLeases: 3,
} as const;

const EVENT_NAMES = ['deploy-complete', '__workflow_complete', '__job_complete', '__schedule_fire'];
const ROUTING_KEYS = ['github:42', 'generic:acme:deploy-hooks', 'github:77'];
const ERRORS = [
  'Error: lock file fetch failed',
  'Error: connect ECONNREFUSED 10.0.4.12:443',
  'Error: dispatch timed out after 30000ms',
  "TypeError: Cannot read properties of undefined (reading 'ref')",
  'HttpError: 422 Unprocessable Entity: workflow_dispatch ref not found',
  'lease expired (dispatch node died or hung)',
];

function repoFor(key: string, i: number): string {
  if (key === 'github:42') {
    return i % 2 === 0 ? 'acme/api' : 'acme/web';
  }
  return key === 'github:77' ? 'acme/labs' : 'acme/infra';
}

export function dlqBacklog(opts: ScenarioOptions = {}): Scenario {
  const seed = opts.seed ?? 1;
  const base = healthySingle(opts);
  const spec = { ...base.spec, name: 'dlq-backlog' };
  const rng = createRng(seed * 7919);
  const id = (...p: Array<string | number>) => detUuid('dlq-backlog', seed, ...p);

  const events: EventRow[] = [];
  for (let i = 0; i < 120; i++) {
    const key = ROUTING_KEYS[i % 3];
    const name = EVENT_NAMES[i % 4];
    const dlqAgo = (24 * i + 1) * MINUTE;
    const payload =
      name === '__schedule_fire'
        ? { schedule: ['0 3 * * *', '*/15 * * * *', '0 0 * * 1'][i % 3], workflow: 'nightly' }
        : name === 'deploy-complete'
          ? {
              env: ['prod', 'staging', 'canary'][Math.floor(rng() * 3)],
              version: `2.${i % 17}.${Math.floor(rng() * 10)}`,
            }
          : { runId: id('run', i), status: rng() < 0.5 ? 'failed' : 'success' };
    events.push({
      id: id('dlq', i),
      eventName: name,
      payload,
      sourceRepo: repoFor(key, i),
      sourceRoutingKey: key,
      sourceRunId: name === '__schedule_fire' ? null : id('source-run', i),
      sourceJobId: name === '__job_complete' ? ['build', 'test', 'deploy'][i % 3] : null,
      chainDepth: name.startsWith('__') ? 1 : 0,
      createdAgoMs: dlqAgo + 45 * SECOND,
      processed: true,
      attempts: 5,
      lastError: ERRORS[Math.floor(rng() * ERRORS.length)],
      dlqAgoMs: dlqAgo,
    });
  }
  for (let i = 0; i < 15; i++) {
    events.push({
      id: id('retry', i),
      eventName: EVENT_NAMES[i % 4],
      payload: { n: i },
      sourceRepo: 'acme/api',
      sourceRoutingKey: 'github:42',
      createdAgoMs: (i + 1) * 20 * SECOND,
      processed: false,
      attempts: 1 + (i % 4),
      lastError: ERRORS[i % 3],
      nextRetryInMs: (i % 5) * SECOND,
    });
  }
  for (let i = 0; i < 3; i++) {
    events.push({
      id: id('lease', i),
      eventName: '__job_complete',
      payload: { n: i },
      sourceRepo: 'acme/web',
      sourceRoutingKey: 'github:42',
      createdAgoMs: (i + 2) * MINUTE + 5 * SECOND,
      processed: false,
      attempts: 1,
      claimedAgoMs: (i + 2) * MINUTE,
      claimedBy: 'orch-a',
    });
  }

  return {
    spec,
    async seed(db, now = new Date()) {
      await base.seed(db, now);
      await db.query('DELETE FROM kici_events');
      await insertEvents(db, events, now);
    },
  };
}
