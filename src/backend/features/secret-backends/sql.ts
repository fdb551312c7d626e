// secret_backends (contract §4.1), read from the database. config_encrypted is never selected.
import type { KiciDb } from '../../kici/db';

export const BACKENDS_SQL = `
SELECT name, backend_type, enabled, health_status, last_sync_error, sync_interval_ms, scope_count,
       scope_filter, last_sync_at, last_health_check_at
  FROM secret_backends ORDER BY name`;

export const BACKEND_SYNC_STATE_SQL = `
SELECT last_sync_at, last_sync_error, scope_count, health_status FROM secret_backends WHERE name = $1`;

export interface BackendRow {
  name: string;
  backend_type: string;
  enabled: boolean;
  health_status: string;
  last_sync_error: string | null;
  sync_interval_ms: number;
  scope_count: number;
  scope_filter: string;
  last_sync_at: Date | null;
  last_health_check_at: Date | null;
}

export interface SecretBackend {
  name: string;
  /** `pg` | `vault` as stored. */
  backendType: string;
  /** PostgreSQL / Vault. */
  typeLabel: string;
  enabled: boolean;
  /** healthy | degraded | unreachable | unknown. */
  healthStatus: string;
  /** Shared "last error": a failed sync or a failed health check; a healthy probe does not clear it. */
  lastError: string | null;
  syncIntervalMs: number;
  scopeCount: number;
  scopeFilter: string;
  /** ISO 8601, null when never synced. */
  lastSyncAt: string | null;
  lastHealthCheckAt: string | null;
}

export function typeLabel(backendType: string): string {
  return backendType === 'pg' ? 'PostgreSQL' : backendType === 'vault' ? 'Vault' : backendType;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function toSecretBackend(r: BackendRow): SecretBackend {
  return {
    name: r.name,
    backendType: r.backend_type,
    typeLabel: typeLabel(r.backend_type),
    enabled: r.enabled,
    healthStatus: r.health_status,
    lastError: r.last_sync_error,
    syncIntervalMs: Number(r.sync_interval_ms),
    scopeCount: Number(r.scope_count),
    scopeFilter: r.scope_filter,
    lastSyncAt: iso(r.last_sync_at),
    lastHealthCheckAt: iso(r.last_health_check_at),
  };
}

export async function listBackends(db: KiciDb, signal?: AbortSignal): Promise<SecretBackend[]> {
  const rows = await db.read<BackendRow & Record<string, unknown>>(BACKENDS_SQL, [], signal);
  return rows.map(toSecretBackend);
}

export interface SyncState {
  lastSyncAt: Date | null;
  lastSyncError: string | null;
  scopeCount: number;
  healthStatus: string;
}

export async function readSyncState(db: KiciDb, name: string, signal?: AbortSignal): Promise<SyncState | null> {
  const rows = await db.read<{
    last_sync_at: Date | null;
    last_sync_error: string | null;
    scope_count: number;
    health_status: string;
  }>(BACKEND_SYNC_STATE_SQL, [name], signal);
  const r = rows[0];
  return r
    ? {
        lastSyncAt: r.last_sync_at === null ? null : new Date(r.last_sync_at),
        lastSyncError: r.last_sync_error,
        scopeCount: Number(r.scope_count),
        healthStatus: r.health_status,
      }
    : null;
}
