// Sync and Test through the orchestrator admin API (contract §4.2). KiCI checks only that the token is
// valid and unscoped, so the Grafana role check happens in the route; here: failover across the
// configured orchestrators, error wording, and the verdict on a sync KiCI reports as `synced:true`.
import { isKiciSourceError, KiciSourceError } from '../../kici/errors';
import type { OrchestratorClient } from '../../kici/orchestrator';
import { PluginError } from '../../protocol/types';
import { toPluginError } from '../errors';
import type { SyncState } from './sql';

/** Failures after which the next orchestrator is tried: the node did not answer as a KiCI orchestrator. */
export function shouldTryNext(err: unknown): boolean {
  if (!isKiciSourceError(err)) {
    return false;
  }
  if (err.failure === 'unreachable' || err.failure === 'timeout' || err.failure === 'invalid-response') {
    return true;
  }
  return err.failure === 'http' && err.status !== undefined && err.status >= 500 && err.status !== 503;
}

/** Calls `fn` on each orchestrator in order until one answers (an HTTP 4xx is an answer). */
export async function onFirstAnswering<T>(
  clients: OrchestratorClient[],
  fn: (c: OrchestratorClient) => Promise<T>,
  signal: AbortSignal
): Promise<{ client: OrchestratorClient; result: T }> {
  if (clients.length === 0) {
    throw new KiciSourceError('no orchestrator URL is configured: Sync and Test go through the admin API', {
      source: 'orchestrator',
      failure: 'not-configured',
      target: '',
      hint: 'set orchestratorUrls',
    });
  }
  const failures: KiciSourceError[] = [];
  for (const client of clients) {
    try {
      return { client, result: await fn(client) };
    } catch (err) {
      if (!shouldTryNext(err) || signal.aborted) {
        throw err;
      }
      failures.push(err as KiciSourceError);
    }
  }
  throw new KiciSourceError(`no orchestrator answered: ${failures.map((f) => f.message).join('; ')}`, {
    source: 'orchestrator',
    failure: failures[failures.length - 1].failure,
    target: failures.map((f) => f.target).join(', '),
    hint: 'check that at least one configured orchestrator is running',
  });
}

/** Admin-API errors in words an operator can act on. Never 401 (Grafana would log the user out). */
export function describeAdminError(err: unknown, backend: string): PluginError {
  if (isKiciSourceError(err)) {
    const where = err.target ? ` (${err.target})` : '';
    switch (err.failure) {
      case 'not-configured':
        return new PluginError(
          `${err.message}${err.hint ? ` — ${err.hint}` : ''}; Sync and Test need the admin token and an orchestrator URL`,
          400,
          'plugin'
        );
      case 'auth':
        return new PluginError(
          `the orchestrator${where} refused the admin token (invalid, revoked or expired): create one with kici-admin token create`,
          502,
          'downstream'
        );
      case 'forbidden':
        if (/unscoped/i.test(err.message)) {
          return new PluginError(
            `the admin token is restricted to one routing key; secret-backend routes need an unscoped admin token`,
            502,
            'downstream'
          );
        }
        return new PluginError(`the orchestrator${where} refused the action: ${err.message}`, 502, 'downstream');
      case 'not-found':
        if (/Backend not found/i.test(err.message)) {
          return new PluginError(`secret backend "${backend}" not found`, 404, 'downstream');
        }
        return new PluginError(
          `${err.message} — the admin API is mounted only when the orchestrator has secrets management configured`,
          502,
          'downstream'
        );
      case 'http':
        if (err.status === 503 && /Sync manager not available/i.test(err.message)) {
          return new PluginError(
            `the orchestrator${where} has no sync manager running: ${err.message}`,
            503,
            'downstream'
          );
        }
        break;
    }
  }
  return toPluginError(err);
}

export interface SyncVerdict {
  ok: boolean;
  /** false when PostgreSQL is not configured: KiCI's `synced:true` is all there is. */
  verified: boolean;
  error?: string;
  scopeCount: number;
  lastSyncAt: string | null;
  note?: string;
}

/**
 * KiCI answers `{synced:true}` also when the sync failed (it stores the error in last_sync_error and leaves
 * last_sync_at alone). So: succeeded ⇔ last_sync_at moved; failed ⇔ it did not and last_sync_error is set.
 */
export function judgeSync(
  reported: { scopeCount: number },
  before: SyncState | null,
  after: SyncState | null | undefined
): SyncVerdict {
  if (after === undefined) {
    return {
      ok: true,
      verified: false,
      scopeCount: reported.scopeCount,
      lastSyncAt: null,
      note: 'KiCI reports synced:true even when the sync fails; configure PostgreSQL so the result can be verified from last_sync_error',
    };
  }
  if (after === null) {
    return { ok: false, verified: true, error: 'the backend no longer exists', scopeCount: 0, lastSyncAt: null };
  }
  const advanced =
    after.lastSyncAt !== null &&
    (before?.lastSyncAt == null || after.lastSyncAt.getTime() > before.lastSyncAt.getTime());
  const lastSyncAt = after.lastSyncAt?.toISOString() ?? null;
  if (!advanced && after.lastSyncError !== null) {
    return { ok: false, verified: true, error: after.lastSyncError, scopeCount: after.scopeCount, lastSyncAt };
  }
  if (!advanced) {
    return {
      ok: true,
      verified: false,
      scopeCount: after.scopeCount,
      lastSyncAt,
      note: 'last_sync_at did not change and no error was recorded',
    };
  }
  return { ok: true, verified: true, scopeCount: after.scopeCount, lastSyncAt };
}
