// The datasource's secret-backend resources (src/backend/features/secret-backends): the list with what the
// caller may do, and Sync / Test through the orchestrator admin API (role-checked and logged by the backend).
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

export interface SecretBackend {
  name: string;
  /** `pg` | `vault` as stored. */
  backendType: string;
  /** PostgreSQL / Vault. */
  typeLabel: string;
  enabled: boolean;
  /** healthy | degraded | unreachable | unknown. */
  healthStatus: string;
  /** last_sync_error: a failed sync or health check; cleared only by a successful sync. */
  lastError: string | null;
  syncIntervalMs: number;
  scopeCount: number;
  scopeFilter: string;
  /** ISO 8601; null = never. */
  lastSyncAt: string | null;
  lastHealthCheckAt: string | null;
}

export interface SecretBackendList {
  backends: SecretBackend[];
  source: 'database' | 'admin API';
  canSync: boolean;
  canTest: boolean;
  minRole: string;
  /** Why Sync and Test are unavailable (role, or no admin token / orchestrator URL). */
  disabledReason?: string;
}

export interface SyncAnswer {
  action: 'sync';
  backend: string;
  ok: boolean;
  /** false when the plugin could not read last_sync_error after the call (no PostgreSQL configured). */
  verified: boolean;
  error?: string;
  scopeCount: number;
  lastSyncAt: string | null;
  note?: string;
  reportedScopeCount: number;
  orchestrator: string;
}

export interface TestAnswer {
  action: 'test';
  backend: string;
  ok: boolean;
  error?: string;
  latencyMs: number;
  orchestrator: string;
}

export type BackendAction = 'sync' | 'test';
export type ActionAnswer = SyncAnswer | TestAnswer;

/** An error of a resource call, worded by the backend (`{error}`) or by Grafana (`{message}`). */
export class ResourceError extends Error {
  constructor(
    message: string,
    readonly status?: number
  ) {
    super(message);
    this.name = 'ResourceError';
  }
}

export function resourceErrorMessage(err: unknown): ResourceError {
  if (isFetchError(err)) {
    const data = (err.data ?? {}) as { error?: unknown; message?: unknown };
    const text =
      (typeof data.error === 'string' && data.error) ||
      (typeof data.message === 'string' && data.message) ||
      err.statusText ||
      `HTTP ${err.status}`;
    return new ResourceError(text, err.status);
  }
  return new ResourceError(err instanceof Error ? err.message : String(err));
}

export class SecretBackendResources {
  constructor(private readonly datasourceUid: string) {}

  private async call<T>(method: 'GET' | 'POST', path: string): Promise<T> {
    try {
      const response = await lastValueFrom(
        getBackendSrv().fetch<T>({
          url: `/api/datasources/uid/${encodeURIComponent(this.datasourceUid)}/resources/${path}`,
          method,
          showErrorAlert: false,
          showSuccessAlert: false,
        })
      );
      return response.data;
    } catch (err) {
      throw resourceErrorMessage(err);
    }
  }

  list(): Promise<SecretBackendList> {
    return this.call('GET', 'secret-backends');
  }

  run(action: BackendAction, backend: string): Promise<ActionAnswer> {
    return this.call('POST', `secret-backends/${encodeURIComponent(backend)}/${action}`);
  }
}
