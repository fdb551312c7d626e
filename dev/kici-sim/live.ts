// Live mode: the seeded cluster keeps moving. Webhooks start runs, jobs are dispatched to agents and finish,
// internal events are emitted, leased, fail and retry with KiCI's math (contract §6.2), some land in the DLQ,
// agents come and go, and the leader's retry scanner releases expired leases. Every step writes the rows KiCI
// writes and logs KiCI's exact lines (contract §9) with requestId/runId/jobId/routingKey/eventId.
import type pg from 'pg';
import type { AgentSpec, ScenarioSpec } from './model';
import { agentRunTraceMessage, genericDeliveryId, KICI_LOG, type KiciLogger } from './logs';
import { EVENT_CHANNEL, type SimStore } from './db/store';

export interface LiveOptions {
  pool: pg.Pool;
  store: SimStore;
  spec: ScenarioSpec;
  /** A logger per service (`orchestrator` / `agent`) and, for orchestrators, per instance. */
  log: (service: 'orchestrator' | 'agent', instanceId?: string) => KiciLogger;
  /** Steps per second for startLive's timer. */
  ratePerSec: number;
  /** Random source in [0,1); pass a seeded one for reproducible runs. */
  rng: () => number;
  /** maxDispatchAttempts (KICI_EVENT_ROUTER_MAX_DISPATCH_ATTEMPTS), default 5. */
  maxDispatchAttempts?: number;
  /** KICI_EVENT_ROUTER_RETRY_BASE_BACKOFF_MS, default 5 000 (0 makes retries due at once). */
  retryBaseBackoffMs?: number;
  /** KICI_EVENT_ROUTER_RETRY_MAX_BACKOFF_MS, default 300 000. */
  retryMaxBackoffMs?: number;
  /** KICI_EVENT_ROUTER_LEASE_DURATION_MS, default 60 000. */
  leaseDurationMs?: number;
  /** Share of emitted events whose every dispatch fails (they end in the DLQ). Default 0.15. */
  eventPoisonRate?: number;
  /** Chance that a healthy event's dispatch fails once anyway. Default 0.2. */
  transientFailureRate?: number;
}

export interface Live {
  /** One simulated action (serialised; startLive calls it on a timer, tests call it directly). */
  step(): Promise<string>;
  /** The leader's retry scanner pass (expired leases, due retries). */
  scan(): Promise<void>;
  stop(): Promise<void>;
}

const DISPATCH_ERRORS = [
  'Error: lock file fetch failed',
  'Error: connect ECONNREFUSED 10.0.4.12:443',
  'Error: dispatch timed out after 30000ms',
  'HttpError: 422 Unprocessable Entity: workflow_dispatch ref not found',
];
const LEASE_EXPIRED_ERROR = 'lease expired (dispatch node died or hung)';

/** Full-jitter backoff of events/event-store.ts computeNextRetryAt. */
export function retryDelayMs(attempts: number, rng: () => number, baseMs = 5_000, maxMs = 300_000): number {
  return Math.floor(rng() * Math.min(maxMs, baseMs * 2 ** (attempts - 1)));
}

function rngHex(rng: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    s += Math.floor(rng() * 16).toString(16);
  }
  return s;
}

export function rngUuid(rng: () => number): string {
  const h = rngHex(rng, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const pick = <T>(rng: () => number, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];

interface Target {
  routingKey: string;
  repo: string;
  generic: boolean;
}
const TARGETS: Target[] = [
  { routingKey: 'github:42', repo: 'acme/api', generic: false },
  { routingKey: 'github:42', repo: 'acme/web', generic: false },
  { routingKey: 'github:77', repo: 'acme/labs', generic: false },
  { routingKey: 'generic:acme:deploy-hooks', repo: 'acme/infra', generic: true },
];

export function createLive(opts: LiveOptions): Live {
  const { pool, store, spec, rng } = opts;
  const maxAttempts = opts.maxDispatchAttempts ?? 5;
  const leaseMs = opts.leaseDurationMs ?? 60_000;
  const poisonRate = opts.eventPoisonRate ?? 0.15;
  const transientRate = opts.transientFailureRate ?? 0.2;
  const liveNodes = spec.nodes.filter((n) => n.clusterRole === 'coordinator' && n.fault.mode !== 'down');
  const leader = liveNodes.find((n) => n.raftRole === 'leader') ?? liveNodes[0];
  const orch = (instanceId = leader?.instanceId) => opts.log('orchestrator', instanceId);
  const agentLog = opts.log('agent');
  const poisoned = new Set<string>();
  let lastHeartbeat = 0;
  let chain: Promise<unknown> = Promise.resolve();

  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  };

  async function heartbeats(): Promise<void> {
    if (Date.now() - lastHeartbeat < 10_000) {
      return;
    }
    lastHeartbeat = Date.now();
    for (const n of liveNodes) {
      await store.heartbeat(n.instanceId, n.raftRole, n.version);
    }
    // Connected agents stamp last_seen at most every 60 s; those on a dead node stop stamping.
    await pool.query(
      `UPDATE host_roster SET last_seen = now(), updated_at = now()
        WHERE connected_instance_id = ANY($1::text[]) AND last_seen >= now() - interval '300 seconds' AND last_seen < now() - interval '60 seconds'`,
      [liveNodes.map((n) => n.instanceId)]
    );
  }

  async function connectedAgents(): Promise<Array<{ agent_id: string; connected_instance_id: string }>> {
    const { rows } = await pool.query(
      `SELECT agent_id, connected_instance_id FROM host_roster
        WHERE connected_instance_id = ANY($1::text[]) AND last_seen >= now() - interval '300 seconds' ORDER BY agent_id`,
      [liveNodes.map((n) => n.instanceId)]
    );
    return rows;
  }

  /** events/event-router.ts emitInTx: INSERT and NOTIFY in one transaction. */
  async function emitEvent(
    eventName: string,
    payload: unknown,
    t: Target,
    runId: string | null,
    log: KiciLogger
  ): Promise<string> {
    const eventId = rngUuid(rng);
    if (rng() < poisonRate) {
      poisoned.add(eventId);
    }
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      await tx.query(
        `INSERT INTO kici_events (id, event_name, payload, source_repo, source_routing_key, source_run_id, chain_depth, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, now() + interval '604800 seconds')`,
        [eventId, eventName, JSON.stringify(payload), t.repo, t.routingKey, runId, eventName.startsWith('__') ? 1 : 0]
      );
      await tx.query(`SELECT pg_notify('${EVENT_CHANNEL}', $1)`, [eventId]);
      await tx.query('COMMIT');
    } catch (err) {
      await tx.query('ROLLBACK');
      throw err;
    } finally {
      tx.release();
    }
    log.info(KICI_LOG.eventEmitted, { eventId, eventName });
    return eventId;
  }

  /** A webhook arrives: run created, first job queued and dispatched to a connected agent. */
  async function webhook(): Promise<string> {
    const t = pick(rng, TARGETS);
    const node = pick(rng, liveNodes);
    const requestId = rngUuid(rng);
    const deliveryId = t.generic ? genericDeliveryId(t.routingKey, rngUuid(rng)) : rngUuid(rng);
    const runId = rngUuid(rng);
    const workflow = pick(rng, ['ci', 'ci', 'deploy', 'nightly']);
    const event = t.generic ? 'deploy' : pick(rng, ['push', 'pull_request']);
    const log = orch(node.instanceId).withContext({ requestId, routingKey: t.routingKey });
    if (t.generic) {
      log.info(KICI_LOG.genericWebhookAccepted, {
        orgId: 'acme',
        sourceId: 'deploy-hooks',
        deliveryId,
        event,
        routingKey: t.routingKey,
        providerType: 'generic',
      });
    } else {
      log.info(KICI_LOG.webhookRelayStreamStarted, {
        messageId: rngUuid(rng),
        deliveryId,
        event,
        chunkCount: 1,
        totalSize: 2048 + Math.floor(rng() * 8192),
      });
    }
    const ctxCol = spec.layout === '0.9' ? 'context' : 'environment';
    await pool.query(
      `INSERT INTO execution_runs (run_id, workflow_name, status, provider, repo_identifier, ref, sha, delivery_id, routing_key, ${ctxCol})
       VALUES ($1, $2, 'running', $3, $4, 'refs/heads/main', $5, $6, $7, $8)`,
      [
        runId,
        workflow,
        t.generic ? 'generic' : 'github',
        t.repo,
        rngHex(rng, 40),
        deliveryId,
        t.routingKey,
        workflow === 'deploy' ? 'production' : null,
      ]
    );
    const runLog = log.withContext({ runId });
    runLog.info(KICI_LOG.executionStarted, { runId, workflowName: workflow });
    log.info(KICI_LOG.webhookProcessed, { deliveryId, event, matchedWorkflows: 1, totalWorkflows: 3 });

    const jobId = 'build';
    await pool.query(
      `INSERT INTO execution_jobs (run_id, job_id, job_name, status, routing_key, runs_on_labels) VALUES ($1, $2, $2, 'pending', $3, '["linux"]')`,
      [runId, jobId, t.routingKey]
    );
    const queueId = rngUuid(rng);
    await pool.query(
      `INSERT INTO dispatch_queue (id, run_id, workflow_name, job_name, runs_on_labels, job_config, repo_url, ref, sha, status, delivery_id, provider, routing_key, request_id, expires_at)
       VALUES ($1, $2, $3, $4, '["linux"]', '{}', $5, 'refs/heads/main', $6, 'pending', $7, $8, $9, $10, now() + interval '1 hour')`,
      [
        queueId,
        runId,
        workflow,
        jobId,
        `https://github.com/${t.repo}.git`,
        rngHex(rng, 40),
        deliveryId,
        t.generic ? 'generic' : 'github',
        t.routingKey,
        requestId,
      ]
    );
    const agents = await connectedAgents();
    if (agents.length === 0) {
      return 'webhook (queued: no agent)';
    }
    const a = pick(rng, agents);
    await pool.query(`UPDATE dispatch_queue SET status = 'dispatched' WHERE id = $1`, [queueId]);
    if (spec.layout === '0.9') {
      await pool.query(
        `UPDATE dispatch_queue SET agent_id = $2, owner_instance_id = $3, dispatched_at = now() WHERE id = $1`,
        [queueId, a.agent_id, a.connected_instance_id]
      );
    }
    await pool.query(
      `UPDATE execution_jobs SET status = 'running', agent_id = $3, started_at = now(), last_heartbeat_at = now() WHERE run_id = $1 AND job_id = $2`,
      [runId, jobId, a.agent_id]
    );
    runLog.info(KICI_LOG.jobDispatched, {
      runId,
      workflow,
      job: jobId,
      status: 'dispatched',
      sourceTarUrl: `/api/v1/sources/${runId}.tar.gz`,
      depsUrl: null,
      environment: workflow === 'deploy' ? 'production' : null,
    });
    const agentSpec = spec.agents.find((x) => x.agentId === a.agent_id);
    const fromAgent = { agentId: a.agent_id, runId, requestId, jobId, logsSource: logsSourceOf(agentSpec) };
    const agentCtx = agentLog.withContext({ requestId, runId, jobId });
    agentCtx.info(KICI_LOG.agentJobDispatchReceived, { agentId: a.agent_id });
    agentCtx.info(KICI_LOG.agentAcceptingJobDispatch, { agentId: a.agent_id });
    agentCtx.info(agentRunTraceMessage(runId, requestId));
    if (agentSpec?.scalerName) {
      // Scaler-spawned agents' stdout reaches Loki through the orchestrator's log forwarder.
      orch(a.connected_instance_id).forwardAgentLine(
        { level: 'info', message: agentRunTraceMessage(runId, requestId) },
        fromAgent
      );
    }
    return 'webhook';
  }

  /** The oldest running job finishes; its run completes and emits `__workflow_complete`. */
  async function finishRun(): Promise<string> {
    const { rows } = await pool.query(
      `SELECT j.run_id, j.job_id, j.agent_id, r.routing_key, r.repo_identifier, r.workflow_name, r.started_at, d.request_id
         FROM execution_jobs j JOIN execution_runs r ON r.run_id = j.run_id
         LEFT JOIN dispatch_queue d ON d.run_id = j.run_id::text AND d.job_name = j.job_name
        WHERE j.status = 'running' AND r.status = 'running' ORDER BY j.started_at LIMIT 1`
    );
    const j = rows[0];
    if (!j) {
      return webhook();
    }
    const roll = rng();
    const status = roll < 0.8 ? 'success' : roll < 0.95 ? 'failed' : 'cancelled';
    const log = orch().withContext({
      runId: j.run_id,
      routingKey: j.routing_key,
      requestId: j.request_id ?? undefined,
    });
    await pool.query(
      `UPDATE execution_jobs SET status = $3, completed_at = now(), duration_ms = GREATEST(0, (extract(epoch FROM now() - started_at) * 1000)::int)
        WHERE run_id = $1 AND job_id = $2`,
      [j.run_id, j.job_id, status]
    );
    await pool.query(`UPDATE dispatch_queue SET status = 'completed' WHERE run_id = $1::text AND job_name = $2`, [
      j.run_id,
      j.job_id,
    ]);
    log.info(KICI_LOG.jobStatusUpdate, {
      agentId: j.agent_id,
      runId: j.run_id,
      jobId: j.job_id,
      state: status,
      error: status === 'failed' ? 'Step "test" exited with code 1' : undefined,
    });
    if (status === 'failed') {
      agentLog
        .withContext({ runId: j.run_id, jobId: j.job_id, requestId: j.request_id ?? undefined })
        .error(KICI_LOG.agentJobExecutionError, { agentId: j.agent_id, error: 'Step "test" exited with code 1' });
    }
    const logBytes = 20_000 + Math.floor(rng() * 200_000);
    const { rows: done } = await pool.query(
      `UPDATE execution_runs SET status = $2, completed_at = now(), log_bytes = $3,
              duration_ms = GREATEST(0, (extract(epoch FROM now() - started_at) * 1000)::int),
              failure_reason = CASE WHEN $2 = 'failed' THEN 'Job ' || $4 || ' failed' END
        WHERE run_id = $1 RETURNING duration_ms`,
      [j.run_id, status, String(logBytes), j.job_id]
    );
    log.info(KICI_LOG.executionCompleted, { runId: j.run_id, status, durationMs: done[0].duration_ms, logBytes });
    await emitEvent(
      '__workflow_complete',
      { workflow: j.workflow_name, status },
      { routingKey: j.routing_key, repo: j.repo_identifier, generic: false },
      j.run_id,
      log
    );
    return 'finish';
  }

  /** One leasable event goes through tryLeaseForProcessing and then succeeds, retries or enters the DLQ. */
  async function dispatchEvent(): Promise<string> {
    const node = pick(rng, liveNodes);
    const { rows: due } = await pool.query(
      `SELECT id FROM kici_events
        WHERE processed = false AND dlq_at IS NULL AND (next_retry_at IS NULL OR next_retry_at <= now())
          AND (claimed_at IS NULL OR claimed_at < NOW() - ($1 || ' milliseconds')::interval)
        ORDER BY created_at LIMIT 1`,
      [String(leaseMs)]
    );
    if (!due[0]) {
      return emitWebhookEvent();
    }
    // events/event-store.ts tryLeaseForProcessing, verbatim.
    const { rows } = await pool.query(
      `UPDATE kici_events SET claimed_at = NOW(), claimed_by = $2, attempts = attempts + 1
        WHERE id = $1 AND processed = false AND dlq_at IS NULL
          AND (claimed_at IS NULL OR claimed_at < NOW() - ($3 || ' milliseconds')::interval)
        RETURNING *`,
      [due[0].id, node.instanceId, String(leaseMs)]
    );
    const ev = rows[0];
    if (!ev) {
      return 'lease lost';
    }
    const log = orch(node.instanceId);
    const fails = poisoned.has(ev.id) || rng() < transientRate;
    if (!fails) {
      await pool.query('UPDATE kici_events SET processed = true, claimed_at = NULL, claimed_by = NULL WHERE id = $1', [
        ev.id,
      ]);
      log.info(KICI_LOG.eventMatchedWorkflow, { eventId: ev.id, eventName: ev.event_name, workflow: 'on-event' });
      return 'event ok';
    }
    const error = pick(rng, DISPATCH_ERRORS);
    if (ev.attempts >= maxAttempts) {
      await pool.query(
        `UPDATE kici_events SET processed = true, claimed_at = NULL, claimed_by = NULL, dlq_at = NOW(), dlq_reason = 'exhausted_retries', last_error = $2 WHERE id = $1`,
        [ev.id, error]
      );
      log.error(KICI_LOG.eventMovedToDlq, {
        eventId: ev.id,
        eventName: ev.event_name,
        attempts: ev.attempts,
        maxDispatchAttempts: maxAttempts,
        error,
      });
      return 'event dlq';
    }
    const delay = retryDelayMs(ev.attempts, rng, opts.retryBaseBackoffMs ?? 5_000, opts.retryMaxBackoffMs ?? 300_000);
    const { rows: upd } = await pool.query(
      `UPDATE kici_events SET claimed_at = NULL, claimed_by = NULL, last_error = $2, next_retry_at = NOW() + ($3 || ' milliseconds')::interval
        WHERE id = $1 RETURNING next_retry_at`,
      [ev.id, error, String(delay)]
    );
    log.warn(KICI_LOG.eventDispatchFailedRetry, {
      eventId: ev.id,
      eventName: ev.event_name,
      attempts: ev.attempts,
      nextRetryAt: upd[0].next_retry_at.toISOString(),
      error,
    });
    return 'event retry';
  }

  async function emitWebhookEvent(): Promise<string> {
    const t = pick(rng, TARGETS);
    await emitEvent(
      pick(rng, ['deploy-complete', '__job_complete', '__schedule_fire']),
      { env: pick(rng, ['prod', 'staging']) },
      t,
      null,
      orch()
    );
    return 'event emitted';
  }

  async function scan(): Promise<void> {
    if (!leader) {
      return;
    }
    const log = orch(leader.instanceId);
    const { rows: released } = await pool.query(
      `UPDATE kici_events SET claimed_at = NULL, claimed_by = NULL, next_retry_at = NOW(), last_error = $2
        WHERE processed = false AND dlq_at IS NULL AND claimed_at IS NOT NULL AND claimed_at < NOW() - ($1 || ' milliseconds')::interval
        RETURNING id`,
      [String(leaseMs), LEASE_EXPIRED_ERROR]
    );
    if (released.length > 0) {
      log.warn(KICI_LOG.releasingExpiredLeases, { count: released.length });
    }
    const { rows: dueRows } = await pool.query(
      `SELECT id FROM kici_events WHERE processed = false AND dlq_at IS NULL AND next_retry_at IS NOT NULL AND next_retry_at <= NOW()
        ORDER BY next_retry_at LIMIT 200`
    );
    if (dueRows.length > 0) {
      log.info(KICI_LOG.republishingRetryNotify, { count: dueRows.length });
      for (const r of dueRows) {
        await pool.query(`SELECT pg_notify('${EVENT_CHANNEL}', $1)`, [r.id]);
      }
    }
  }

  /** An ephemeral agent disconnects, or a disconnected one comes back. */
  async function churn(): Promise<string> {
    const candidates = spec.agents.filter((a) => a.lifecycleClass === 'ephemeral' && a.scalerName !== null);
    if (candidates.length === 0 || liveNodes.length === 0) {
      return scan().then(() => 'scan');
    }
    const a = pick(rng, candidates);
    const { rows } = await pool.query('SELECT connected_instance_id, labels FROM host_roster WHERE agent_id = $1', [
      a.agentId,
    ]);
    if (!rows[0]) {
      return 'churn (unknown agent)';
    }
    if (rows[0].connected_instance_id) {
      const from = rows[0].connected_instance_id;
      await pool.query('UPDATE host_roster SET connected_instance_id = NULL, updated_at = now() WHERE agent_id = $1', [
        a.agentId,
      ]);
      orch(from).info(KICI_LOG.agentDisconnected, { agentId: a.agentId });
      return 'agent disconnected';
    }
    const to = pick(rng, liveNodes).instanceId;
    await pool.query(
      'UPDATE host_roster SET connected_instance_id = $2, last_seen = now(), updated_at = now() WHERE agent_id = $1',
      [a.agentId, to]
    );
    orch(to).info(KICI_LOG.agentRegistered, { agentId: a.agentId, labels: JSON.parse(rows[0].labels) });
    return 'agent registered';
  }

  async function step(): Promise<string> {
    if (liveNodes.length === 0) {
      return 'idle (no live coordinator)';
    }
    await heartbeats();
    const r = rng();
    if (r < 0.25) {
      return webhook();
    }
    if (r < 0.45) {
      return finishRun();
    }
    if (r < 0.85) {
      return dispatchEvent();
    }
    if (r < 0.93) {
      await scan();
      return 'scan';
    }
    return churn();
  }

  return {
    step: () => serial(step),
    scan: () => serial(scan),
    async stop() {
      await chain;
    },
  };
}

function logsSourceOf(a: AgentSpec | undefined): 'docker' | 'podman' | 'bare-metal' | 'firecracker-serial' {
  const label = a?.labels.find((l) => l.startsWith('kici:agent:'));
  return label === 'kici:agent:firecracker'
    ? 'firecracker-serial'
    : label === 'kici:agent:bare-metal'
      ? 'bare-metal'
      : 'docker';
}

/** Runs createLive's step `ratePerSec` times a second until stop(). Steps never overlap; a slow one delays the next. */
export function startLive(opts: LiveOptions): { stop(): Promise<void>; live: Live } {
  const live = createLive(opts);
  const intervalMs = Math.max(10, Math.floor(1000 / Math.max(0.1, opts.ratePerSec)));
  let busy = false;
  let onError: KiciLogger | null = null;
  const timer = setInterval(() => {
    if (busy) {
      return;
    }
    busy = true;
    live
      .step()
      .catch((err: Error) => {
        // A stopped pool or a dropped database ends the simulation quietly; anything else is worth a line.
        onError ??= opts.log('orchestrator');
        onError.debug('kici-sim live step failed', { error: err.message });
      })
      .finally(() => {
        busy = false;
      });
  }, intervalMs);
  timer.unref?.();
  return {
    live,
    async stop() {
      clearInterval(timer);
      await live.stop();
    },
  };
}
