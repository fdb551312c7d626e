import { Writable } from 'node:stream';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../testing/postgres';
import { applySchema } from './db/schema';
import { SimStore } from './db/store';
import { createLive, retryDelayMs } from './live';
import { createKiciLogger, KICI_LOG } from './logs';
import { createRng } from './scenarios/common';
import { getScenario } from './scenarios/index';

jest.setTimeout(60_000);

test('retry backoff is KiCI full jitter: 0–5 s, 0–10 s, 0–20 s, 0–40 s, capped at 300 s', () => {
  expect(retryDelayMs(1, () => 0.999)).toBe(4995);
  expect(retryDelayMs(4, () => 0.999)).toBe(39960);
  expect(retryDelayMs(10, () => 0.999)).toBe(299700);
  expect(retryDelayMs(3, () => 0)).toBe(0);
});

describe.each(['0.9', '0.1'] as const)('live mode on healthy-single (%s)', (layout) => {
  let db: TestDatabase;
  let pool: pg.Pool;
  const lines: Array<Record<string, any>> = [];

  beforeAll(async () => {
    db = await createTestDatabase('live');
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    await applySchema(pool, layout);
    const scenario = getScenario('healthy-single', { layout });
    await scenario.seed(pool);
    const out = new Writable({
      write(chunk, _enc, cb) {
        for (const l of String(chunk).split('\n').filter(Boolean)) {
          lines.push(JSON.parse(l));
        }
        cb();
      },
    });
    const live = createLive({
      pool,
      store: new SimStore(pool, layout),
      spec: scenario.spec,
      log: (service) => createKiciLogger({ service, out }),
      ratePerSec: 10,
      rng: createRng(42),
      retryBaseBackoffMs: 0,
      eventPoisonRate: 0.5,
    });
    for (let i = 0; i < 400; i++) {
      await live.step();
    }
    await live.stop();
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const byMessage = (m: string) => lines.filter((l) => l.message === m);

  test('events exhaust their retries into the DLQ, one KiCI error line per admission', async () => {
    const dlqLines = byMessage(KICI_LOG.eventMovedToDlq);
    expect(dlqLines.length).toBeGreaterThan(0);
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM kici_events WHERE dlq_at IS NOT NULL');
    expect(rows[0].n).toBe(4 + dlqLines.length);
    for (const l of dlqLines) {
      expect(l).toMatchObject({ level: 'error', service: 'orchestrator', attempts: 5, maxDispatchAttempts: 5 });
      const ev = await pool.query('SELECT attempts, dlq_reason, last_error, processed FROM kici_events WHERE id = $1', [
        l.eventId,
      ]);
      expect(ev.rows[0]).toEqual({
        attempts: 5,
        dlq_reason: 'exhausted_retries',
        last_error: l.error,
        processed: true,
      });
    }
    const retries = byMessage(KICI_LOG.eventDispatchFailedRetry);
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.every((l) => l.level === 'warn' && l.attempts < 5 && typeof l.nextRetryAt === 'string')).toBe(true);
  });

  test('a webhook lifecycle is traceable by requestId and runId across orchestrator and agent lines', async () => {
    const dispatched = byMessage(KICI_LOG.jobDispatched);
    expect(dispatched.length).toBeGreaterThan(0);
    const d = dispatched[0];
    expect(d.requestId).toEqual(expect.any(String));
    const sameRequest = lines.filter((l) => l.requestId === d.requestId);
    const messages = sameRequest.map((l) => l.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        KICI_LOG.executionStarted,
        KICI_LOG.webhookProcessed,
        KICI_LOG.jobDispatched,
        `Run: ${d.runId} | Trace: ${d.requestId}`,
      ])
    );
    expect(
      sameRequest.some(
        (l) => l.message.startsWith('Run: ') && l.service === 'agent' && l.runId === d.runId && l.jobId === 'build'
      )
    ).toBe(true);
    const accepted = byMessage(KICI_LOG.genericWebhookAccepted);
    expect(accepted.every((l) => l.routingKey === 'generic:acme:deploy-hooks' && typeof l.requestId === 'string')).toBe(
      true
    );
  });

  // samples/logs/README.md: in 0.9.1 a generic webhook's deliveryId is `<routing_key>:<uuid>` (the value returned to
  // the sender); a relayed GitHub delivery keeps the provider's bare X-GitHub-Delivery UUID.
  test('delivery ids have the shapes KiCI logs: <routing_key>:<uuid> for generic webhooks, bare for relayed ones', async () => {
    const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
    const generic = byMessage(KICI_LOG.genericWebhookAccepted);
    const relayed = byMessage(KICI_LOG.webhookRelayStreamStarted);
    expect(generic.length).toBeGreaterThan(0);
    expect(relayed.length).toBeGreaterThan(0);
    expect(generic.filter((l) => !new RegExp(`^generic:acme:deploy-hooks:${uuid}$`).test(l.deliveryId))).toEqual([]);
    expect(relayed.filter((l) => !new RegExp(`^${uuid}$`).test(l.deliveryId))).toEqual([]);
    // `Webhook processed` repeats the same deliveryId within the same request.
    for (const g of generic) {
      expect(lines.filter((l) => l.message === KICI_LOG.webhookProcessed && l.requestId === g.requestId)).toEqual([
        expect.objectContaining({ deliveryId: g.deliveryId }),
      ]);
    }
  });

  // Contract §9 message catalogue (and samples/logs/orchestrator-0.9.1.sample.jsonl where the message is sampled):
  // the call-site fields of each message; `?` = not always present. Context fields (requestId, runId, jobId,
  // routingKey) come from the request context and are checked by the trace tests above.
  const CATALOGUE: Record<string, string[]> = {
    [KICI_LOG.eventMovedToDlq]: ['eventId', 'eventName', 'attempts', 'maxDispatchAttempts', 'error'],
    [KICI_LOG.eventDispatchFailedRetry]: ['eventId', 'eventName', 'attempts', 'nextRetryAt', 'error'],
    [KICI_LOG.releasingExpiredLeases]: ['count'],
    [KICI_LOG.republishingRetryNotify]: ['count'],
    [KICI_LOG.webhookRelayStreamStarted]: ['messageId', 'deliveryId', 'event', 'chunkCount', 'totalSize'],
    [KICI_LOG.genericWebhookAccepted]: ['orgId', 'sourceId', 'deliveryId', 'event', 'routingKey', 'providerType'],
    [KICI_LOG.webhookProcessed]: ['deliveryId', 'event', 'matchedWorkflows', 'totalWorkflows'],
    [KICI_LOG.jobDispatched]: ['runId', 'workflow', 'job', 'status', 'sourceTarUrl', 'depsUrl', 'environment'],
    [KICI_LOG.jobStatusUpdate]: ['agentId', 'runId', 'jobId', 'state', 'error?', 'failureData?'],
    [KICI_LOG.executionCompleted]: ['runId', 'status', 'durationMs?', 'logBytes?'],
    [KICI_LOG.agentRegistered]: ['agentId', 'labels'],
    [KICI_LOG.agentDisconnected]: ['agentId'],
  };
  const CONTEXT = new Set(['requestId', 'runId', 'jobId', 'routingKey']);

  test('each message carries the fields KiCI writes for it: Job dispatched has `job`, never `jobId`', () => {
    const wrong: string[] = [];
    for (const [message, fields] of Object.entries(CATALOGUE)) {
      const required = fields.filter((f) => !f.endsWith('?'));
      const allowed = new Set([...fields.map((f) => f.replace('?', '')), ...CONTEXT]);
      for (const l of byMessage(message)) {
        const meta = Object.keys(l).filter((k) => !['level', 'message', 'service', 'timestamp'].includes(k));
        const missing = required.filter((f) => !(f in l));
        const extra = meta.filter((k) => !allowed.has(k));
        if (missing.length > 0 || extra.length > 0) {
          wrong.push(`${message}: missing ${missing.join(',') || '-'}, extra ${extra.join(',') || '-'}`);
        }
      }
    }
    expect([...new Set(wrong)]).toEqual([]);
    const dispatched = byMessage(KICI_LOG.jobDispatched);
    expect(dispatched.length).toBeGreaterThan(0);
    expect(dispatched.filter((l) => 'jobId' in l)).toEqual([]);
  });

  test('completed executions match their rows', async () => {
    const completed = byMessage(KICI_LOG.executionCompleted);
    expect(completed.length).toBeGreaterThan(0);
    for (const l of completed) {
      const { rows } = await pool.query(
        'SELECT status, duration_ms, completed_at IS NOT NULL AS done FROM execution_runs WHERE run_id = $1',
        [l.runId]
      );
      expect(rows[0]).toEqual({ status: l.status, duration_ms: l.durationMs, done: true });
    }
    const emitted = byMessage(KICI_LOG.eventEmitted).filter((l) => l.eventName === '__workflow_complete');
    expect(emitted.length).toBe(completed.length);
  });
});
