// Retry and discard through the orchestrator admin API (so KiCI writes its own access_log row and the
// NOTIFY), trying the configured coordinators in order: they share one database, so any live one will do.
import { errorMessage, isKiciSourceError, type KiciSourceError } from '../../kici/errors';
import type { DlqAction } from './permissions';

/** The part of OrchestratorClient the actions use. */
export interface DlqMutator {
  readonly baseUrl: string;
  dlqRetry(id: string, signal?: AbortSignal): Promise<unknown>;
  dlqDiscard(id: string, signal?: AbortSignal): Promise<unknown>;
}

export type MutationOutcome =
  | 'retried'
  | 'discarded'
  | 'not_found'
  | 'refused'
  | 'invalid'
  | 'unavailable'
  | 'not_configured'
  | 'skipped'
  | 'error';

export interface MutationResult {
  id: string;
  action: DlqAction;
  ok: boolean;
  /** HTTP status for the resource answer. */
  status: number;
  outcome: MutationOutcome;
  message: string;
  /** The orchestrator that answered (absent when none did). */
  orchestrator?: string;
  /** A batch must stop: the same answer would come for every other id (token, configuration, no node). */
  stopBatch: boolean;
}

export interface ErrorVerdict {
  status: number;
  outcome: MutationOutcome;
  message: string;
  /** The node answered for the cluster: do not ask the next one. */
  definitive: boolean;
  stopBatch: boolean;
}

/** KiCI's `{"error": …}` text, which HttpSource puts after `HTTP <status>: `. */
export function kiciErrorText(err: KiciSourceError): string {
  const m = /HTTP \d{3}: (.*)$/s.exec(err.message);
  return m ? m[1] : '';
}

const ROLE_DENIED = /^Role "([^"]+)" does not have permission "([^"]+)"$/;

/** Pure: what an orchestrator's failure means for the user and for the failover loop. */
export function describeMutationError(err: unknown, action: DlqAction, id: string): ErrorVerdict {
  const verb = action === 'retry' ? 'retry' : 'discard';
  if (!isKiciSourceError(err)) {
    return {
      status: 500,
      outcome: 'error',
      message: `${verb} failed: ${errorMessage(err)}`,
      definitive: true,
      stopBatch: true,
    };
  }
  const kici = kiciErrorText(err);
  switch (err.failure) {
    case 'not-configured':
      return {
        status: 400,
        outcome: 'not_configured',
        message: `cannot ${verb}: no admin token is configured (adminToken); DLQ actions go through the orchestrator admin API`,
        definitive: true,
        stopBatch: true,
      };
    case 'auth':
      // Never 401 to Grafana: its frontend would take it for an expired session.
      return {
        status: 502,
        outcome: 'refused',
        message: `the orchestrator rejected the configured admin token (${kici || 'HTTP 401'}): it is invalid, revoked or expired; create one with kici-admin token create --role admin`,
        definitive: true,
        stopBatch: true,
      };
    case 'forbidden': {
      const role = ROLE_DENIED.exec(kici);
      if (role) {
        return {
          status: 403,
          outcome: 'refused',
          message: `the configured admin token has role ${role[1]}, which cannot manage the DLQ (KiCI: ${kici}); use an admin or owner token`,
          definitive: true,
          stopBatch: true,
        };
      }
      if (/routing key/i.test(kici)) {
        return {
          status: 403,
          outcome: 'refused',
          message: `the configured admin token is restricted to one routing key, and event ${id} belongs to another (or to none); use an unscoped admin token`,
          definitive: true,
          stopBatch: false,
        };
      }
      return {
        status: 403,
        outcome: 'refused',
        message: `the orchestrator refused to ${verb} event ${id}: ${kici || 'HTTP 403'}`,
        definitive: true,
        stopBatch: true,
      };
    }
    case 'not-found':
      if (/DLQ event not found/.test(kici)) {
        return {
          status: 404,
          outcome: 'not_found',
          message: `event ${id} is not in the DLQ: it was already retried or discarded, or never failed`,
          definitive: true,
          stopBatch: false,
        };
      }
      // Hono's plain 404: this node has no admin API (mounted only with secrets management). Try another.
      return {
        status: 502,
        outcome: 'unavailable',
        message: `${err.target} has no DLQ admin API (it is mounted only when the orchestrator has secrets management configured)`,
        definitive: false,
        stopBatch: false,
      };
    case 'http':
      if (err.status === 400) {
        return {
          status: 400,
          outcome: 'invalid',
          message: `the orchestrator refused event id ${id} as malformed (${kici || 'HTTP 400'})`,
          definitive: true,
          stopBatch: false,
        };
      }
      return { status: 502, outcome: 'unavailable', message: err.message, definitive: false, stopBatch: false };
    case 'cancelled':
      return {
        status: 499,
        outcome: 'error',
        message: `${verb} of ${id} was cancelled`,
        definitive: true,
        stopBatch: true,
      };
    default:
      // unreachable, timeout, invalid-response, too-large: the next node may answer.
      return { status: 502, outcome: 'unavailable', message: err.message, definitive: false, stopBatch: false };
  }
}

/** Asks each orchestrator in turn until one gives a definitive answer. */
export async function mutateDlqEvent(
  orchestrators: readonly DlqMutator[],
  action: DlqAction,
  id: string,
  signal: AbortSignal
): Promise<MutationResult> {
  if (orchestrators.length === 0) {
    return {
      id,
      action,
      ok: false,
      status: 400,
      outcome: 'not_configured',
      message: `cannot ${action}: no orchestrator URL is configured (orchestratorUrls)`,
      stopBatch: true,
    };
  }
  const failures: string[] = [];
  let timedOutAt: string | undefined;
  for (const node of orchestrators) {
    try {
      await (action === 'retry' ? node.dlqRetry(id, signal) : node.dlqDiscard(id, signal));
      const message =
        action === 'retry'
          ? `event ${id} is back in the queue (attempts reset to 0; the orchestrator re-dispatches it now)`
          : `event ${id} was discarded (deleted from kici_events)`;
      return {
        id,
        action,
        ok: true,
        status: 200,
        outcome: action === 'retry' ? 'retried' : 'discarded',
        message,
        orchestrator: node.baseUrl,
        stopBatch: false,
      };
    } catch (err) {
      const v = describeMutationError(err, action, id);
      if (v.definitive) {
        const message =
          v.outcome === 'not_found' && timedOutAt
            ? `${v.message} — ${timedOutAt} timed out on the same request and may have applied it`
            : v.message;
        return {
          id,
          action,
          ok: false,
          status: v.status,
          outcome: v.outcome,
          message,
          orchestrator: node.baseUrl,
          stopBatch: v.stopBatch,
        };
      }
      if (isKiciSourceError(err) && err.failure === 'timeout') {
        timedOutAt = node.baseUrl;
      }
      failures.push(v.message);
    }
  }
  return {
    id,
    action,
    ok: false,
    status: 502,
    outcome: 'unavailable',
    message: `no orchestrator could ${action} event ${id}: ${failures.join('; ')}`,
    stopBatch: true,
  };
}

export interface BatchResult {
  requested: number;
  succeeded: number;
  failed: number;
  skipped: number;
  /** Why the batch stopped early, when it did. */
  stoppedReason: string | null;
  /** `status` is null for ids not attempted (`skipped`). */
  results: Array<{ id: string; ok: boolean; status: number | null; outcome: MutationOutcome; message: string }>;
}

export const MAX_BATCH = 100;
export const BATCH_PACE_MS = 50;

/** Retries ids one after another with a pause between them; stops when the rest would fail the same way. */
export async function retryBatch(
  orchestrators: readonly DlqMutator[],
  ids: readonly string[],
  opts: { signal: AbortSignal; paceMs?: number; onResult?: (r: MutationResult) => void }
): Promise<BatchResult> {
  const pace = opts.paceMs ?? BATCH_PACE_MS;
  const out: BatchResult = {
    requested: ids.length,
    succeeded: 0,
    failed: 0,
    skipped: 0,
    stoppedReason: null,
    results: [],
  };
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (out.stoppedReason !== null || opts.signal.aborted) {
      out.stoppedReason ??= 'the request was cancelled';
      out.skipped++;
      out.results.push({
        id,
        ok: false,
        status: null,
        outcome: 'skipped',
        message: `not attempted: ${out.stoppedReason}`,
      });
      continue;
    }
    if (i > 0 && pace > 0) {
      await new Promise((r) => setTimeout(r, pace));
    }
    const r = await mutateDlqEvent(orchestrators, 'retry', id, opts.signal);
    opts.onResult?.(r);
    out.results.push({ id, ok: r.ok, status: r.status, outcome: r.outcome, message: r.message });
    if (r.ok) {
      out.succeeded++;
    } else {
      out.failed++;
      if (r.stopBatch) {
        out.stoppedReason = r.message;
      }
    }
  }
  return out;
}
