// KiCI's logs as winston writes them with `KICI_LOG_FORMAT=json` (contract §9): one JSON object per line,
// keys in winston's order (level, message, call-site meta, context fields, service, timestamp).
import { appendFileSync } from 'node:fs';
import type { Writable } from 'node:stream';

export type KiciLogLevel = 'error' | 'warn' | 'info' | 'debug';

/** The exact message strings the real code emits (contract §9). Grep-able; never paraphrase them. */
export const KICI_LOG = {
  eventMovedToDlq: 'Event moved to DLQ after exhausting retries',
  eventDispatchFailedRetry: 'Event dispatch failed; scheduled for retry',
  releasingExpiredLeases: 'Releasing expired dispatch leases (likely node crash mid-dispatch)',
  republishingRetryNotify: 'Re-publishing pg_notify for events due for retry',
  eventEmitted: 'Event emitted',
  eventMatchedWorkflow: 'Event matched registered workflow',
  pgNotifyFailedAfterDlqRetry: 'pg_notify failed after DLQ retry; scanner will catch up',
  webhookRelayStreamStarted: 'Webhook relay stream started',
  genericWebhookAccepted: 'Generic webhook accepted',
  webhookProcessed: 'Webhook processed',
  crossSourceWebhookProcessed: 'Cross-source webhook processed',
  jobDispatched: 'Job dispatched',
  jobStatusUpdate: 'Job status update',
  executionStarted: 'Execution started',
  executionCompleted: 'Execution completed',
  executionCompletedStale: 'Execution completed (stale detector)',
  agentRegistered: 'Agent registered',
  agentDisconnected: 'Agent disconnected',
  authenticatedWithPlatform: 'Authenticated with Platform',
  requestCompleted: 'Request completed',
  orchestratorWarm: 'Orchestrator warm — ready to serve',
  // agent side (packages/agent)
  agentJobDispatchReceived: 'Job dispatch received',
  agentAcceptingJobDispatch: 'Accepting job dispatch',
  agentJobExecutionError: 'Job execution error',
  agentAlreadyRunning: 'Already running a job, rejecting dispatch',
} as const;

/**
 * A generic webhook's deliveryId as KiCI 0.9.1 logs it and returns it to the sender: `<routing_key>:<uuid>`, the uuid
 * being the caller's X-Request-ID when it sent one (samples/logs/README.md). A relayed GitHub delivery keeps the
 * provider's bare X-GitHub-Delivery UUID.
 */
export function genericDeliveryId(routingKey: string, id: string): string {
  return `${routingKey}:${id}`;
}

/** The agent's per-job trace line: `Run: <runId> | Trace: <requestId>`. */
export function agentRunTraceMessage(runId: string, requestId: string): string {
  return `Run: ${runId} | Trace: ${requestId}`;
}

/** AsyncLocalStorage `requestContext` fields KiCI copies onto every line (traceId/spanId are never set). */
export interface KiciLogContext {
  requestId?: string;
  runId?: string;
  jobId?: string;
  routingKey?: string;
}

export type KiciLogMeta = Record<string, unknown>;

export interface KiciLogger {
  readonly service: string;
  readonly instance?: string;
  log(level: KiciLogLevel, message: string, meta?: KiciLogMeta): void;
  error(message: string, meta?: KiciLogMeta): void;
  warn(message: string, meta?: KiciLogMeta): void;
  info(message: string, meta?: KiciLogMeta): void;
  debug(message: string, meta?: KiciLogMeta): void;
  /** A logger whose lines also carry these request-context fields (like running inside requestContext.run). */
  withContext(context: KiciLogContext): KiciLogger;
  /**
   * An agent's line re-emitted on the orchestrator stream by the scaler log forwarder:
   * `service:'agent'`, `agentId`, optional `runId/requestId/jobId`, `logsSource`.
   */
  forwardAgentLine(
    line: { level: KiciLogLevel; message: string; meta?: KiciLogMeta },
    from: {
      agentId: string;
      runId?: string;
      requestId?: string;
      jobId?: string;
      logsSource: 'docker' | 'podman' | 'bare-metal' | 'firecracker-serial';
    }
  ): void;
}

export interface KiciLoggerOptions {
  /** `orchestrator` or `agent`. */
  service: string;
  /** Orchestrator instance id; KiCI puts it only in the rotated file name, never in the JSON. */
  instance?: string;
  /** Stream for the lines; defaults to process.stdout unless `file` is given. */
  out?: Writable;
  /** Also append the lines to this file. */
  file?: string;
  /** Debug lines are dropped (KiCI never applies KICI_LOG_LEVEL; the threshold stays `info`). */
  level?: KiciLogLevel;
  now?: () => Date;
}

const LEVEL_RANK: Record<KiciLogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };
const CONTEXT_KEYS: Array<keyof KiciLogContext> = ['requestId', 'runId', 'jobId', 'routingKey'];
const AGENT_TOKEN = /kat_[0-9a-f]{64}/g;

function mask(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.replace(AGENT_TOKEN, 'kat_***');
  }
  if (Array.isArray(value)) {
    return value.map(mask);
  }
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v)]));
  }
  return value;
}

/** One JSON line in winston's shape (exported for tests and for the HTTP side's request logger). */
export function formatKiciLine(
  level: KiciLogLevel,
  message: string,
  meta: KiciLogMeta | undefined,
  context: KiciLogContext,
  service: string,
  timestamp: Date
): string {
  const line: Record<string, unknown> = { level, message: mask(message) };
  for (const [k, v] of Object.entries(meta ?? {})) {
    if (v !== undefined) {
      line[k] = v instanceof Error ? v.message : mask(v);
    }
  }
  for (const key of CONTEXT_KEYS) {
    if (context[key] !== undefined && line[key] === undefined) {
      line[key] = context[key];
    }
  }
  line.service = line.service ?? service;
  line.timestamp = timestamp.toISOString();
  return JSON.stringify(line);
}

export function createKiciLogger(opts: KiciLoggerOptions): KiciLogger {
  const out = opts.out ?? (opts.file ? undefined : process.stdout);
  const threshold = LEVEL_RANK[opts.level ?? 'info'];
  const now = opts.now ?? (() => new Date());

  const write = (text: string) => {
    out?.write(text + '\n');
    if (opts.file) {
      appendFileSync(opts.file, text + '\n');
    }
  };

  const make = (context: KiciLogContext): KiciLogger => {
    const log = (level: KiciLogLevel, message: string, meta?: KiciLogMeta) => {
      if (LEVEL_RANK[level] > threshold) {
        return;
      }
      write(formatKiciLine(level, message, meta, context, opts.service, now()));
    };
    return {
      service: opts.service,
      instance: opts.instance,
      log,
      error: (m, meta) => log('error', m, meta),
      warn: (m, meta) => log('warn', m, meta),
      info: (m, meta) => log('info', m, meta),
      debug: (m, meta) => log('debug', m, meta),
      withContext: (extra) => make({ ...context, ...extra }),
      forwardAgentLine(line, from) {
        const meta: KiciLogMeta = {
          ...line.meta,
          service: 'agent',
          agentId: from.agentId,
          runId: from.runId,
          requestId: from.requestId,
          jobId: from.jobId,
          logsSource: from.logsSource,
        };
        log(line.level, line.message, meta);
      },
    };
  };
  return make({});
}
