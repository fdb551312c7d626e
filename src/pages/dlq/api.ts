// The datasource's `dlq/*` resources (src/backend/features/dlq/index.ts): detail, permissions, retry, discard, bulk retry.
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

export interface DlqVerdict {
  allowed: boolean;
  reason: string;
}

export interface DlqPermissions {
  canRetry: boolean;
  retryReason: string;
  canDiscard: boolean;
  discardReason: string;
  discardMinRole: 'Editor' | 'Admin';
  user: { login: string; role: string } | null;
  token: {
    configured: boolean;
    canManage: boolean | null;
    role: string | null;
    routingKey: string | null;
    reason: string;
  };
  orchestrators: number;
}

export interface DlqEventDetail {
  id: string;
  eventName: string;
  payload: unknown;
  sourceRepo: string | null;
  sourceRoutingKey: string | null;
  sourceRunId: string | null;
  sourceJobId: string | null;
  targetRepos: unknown;
  chainDepth: number;
  processed: boolean;
  attempts: number;
  lastError: string | null;
  lastErrorTruncatedByKici: boolean;
  createdAt: string | null;
  expiresAt: string | null;
  claimedAt: string | null;
  claimedBy: string | null;
  nextRetryAt: string | null;
  dlqAt: string | null;
  dlqReason: string | null;
}

export interface MutationAnswer {
  id: string;
  action: 'retry' | 'discard';
  outcome: string;
  message: string;
  orchestrator: string | null;
}

export interface BulkDryRun {
  dryRun: true;
  ids: string[];
  count: number;
  /** All events matching the filter (the batch takes at most 100 of them). */
  matching?: number;
}

export interface BulkResult {
  requested: number;
  succeeded: number;
  failed: number;
  skipped: number;
  stoppedReason: string | null;
  results: Array<{ id: string; ok: boolean; status: number | null; outcome: string; message: string }>;
  matching?: number;
}

/** A resource answered with an error status; `message` is the backend's own sentence. */
export class DlqResourceError extends Error {
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message);
    this.name = 'DlqResourceError';
  }
}

/** The backend's `{error}` text when there is one, else what the HTTP layer says. */
export function resourceError(err: unknown): DlqResourceError {
  if (err instanceof DlqResourceError) {
    return err;
  }
  if (isFetchError(err)) {
    const data = err.data as { error?: unknown; message?: unknown } | undefined;
    const text =
      (typeof data?.error === 'string' && data.error) ||
      (typeof data?.message === 'string' && data.message) ||
      err.statusText ||
      'no answer';
    return new DlqResourceError(String(text), err.status);
  }
  return new DlqResourceError(err instanceof Error ? err.message : String(err), 0);
}

/** One KiCI datasource's DLQ resources. */
export class DlqResources {
  constructor(readonly datasourceUid: string) {}

  private url(path: string): string {
    return `/api/datasources/uid/${encodeURIComponent(this.datasourceUid)}/resources/${path}`;
  }

  private async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, data?: unknown): Promise<T> {
    try {
      const response = await lastValueFrom(
        getBackendSrv().fetch<T>({ url: this.url(path), method, data, showErrorAlert: false, showSuccessAlert: false })
      );
      return response.data;
    } catch (err) {
      throw resourceError(err);
    }
  }

  permissions(): Promise<DlqPermissions> {
    return this.call('GET', 'dlq/permissions');
  }

  event(id: string): Promise<DlqEventDetail> {
    return this.call('GET', `dlq/${encodeURIComponent(id)}`);
  }

  retry(id: string): Promise<MutationAnswer> {
    return this.call('POST', `dlq/${encodeURIComponent(id)}/retry`);
  }

  discard(id: string): Promise<MutationAnswer> {
    return this.call('DELETE', `dlq/${encodeURIComponent(id)}`);
  }

  bulkRetryDryRun(body: { filter: Record<string, string | number> }): Promise<BulkDryRun> {
    return this.call('POST', 'dlq/retry', { ...body, dryRun: true });
  }

  bulkRetry(body: { ids: string[] }): Promise<BulkResult> {
    return this.call('POST', 'dlq/retry', { ...body, dryRun: false });
  }
}

/** What the page may do, before the permissions answer arrives or when it failed. */
export function unknownPermissions(
  reason: string
): Pick<DlqPermissions, 'canRetry' | 'retryReason' | 'canDiscard' | 'discardReason'> {
  return { canRetry: false, retryReason: reason, canDiscard: false, discardReason: reason };
}
