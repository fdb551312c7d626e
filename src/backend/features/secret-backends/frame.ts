import type { Frame } from '../../protocol/types';
import type { SecretBackend } from './sql';

export function secretBackendsFrame(backends: SecretBackend[], refId: string): Frame {
  const col = <T>(f: (b: SecretBackend) => T) => backends.map(f);
  const time = (v: string | null) => (v === null ? null : Date.parse(v));
  return {
    name: refId,
    fields: [
      { name: 'name', type: 'string', values: col((b) => b.name), config: { displayName: 'Backend' } },
      { name: 'type', type: 'string', values: col((b) => b.typeLabel), config: { displayName: 'Type' } },
      { name: 'enabled', type: 'boolean', values: col((b) => b.enabled), config: { displayName: 'Enabled' } },
      {
        name: 'health_status',
        type: 'string',
        values: col((b) => b.healthStatus),
        config: {
          displayName: 'Health',
          description: 'healthy | degraded | unreachable | unknown (KiCI probes every 60 s)',
        },
      },
      {
        name: 'last_error',
        type: 'string',
        nullable: true,
        values: col((b) => b.lastError),
        config: {
          displayName: 'Last error',
          description: 'last_sync_error: set by a failed sync or health check; cleared only by a successful sync',
        },
      },
      {
        name: 'sync_interval',
        type: 'number',
        values: col((b) => b.syncIntervalMs),
        config: { displayName: 'Sync interval', unit: 'ms' },
      },
      { name: 'scope_count', type: 'number', values: col((b) => b.scopeCount), config: { displayName: 'Scopes' } },
      {
        name: 'scope_filter',
        type: 'string',
        values: col((b) => b.scopeFilter),
        config: { displayName: 'Scope filter' },
      },
      {
        name: 'last_sync',
        type: 'time',
        nullable: true,
        values: col((b) => time(b.lastSyncAt)),
        config: { displayName: 'Last sync' },
      },
      {
        name: 'last_health_check',
        type: 'time',
        nullable: true,
        values: col((b) => time(b.lastHealthCheckAt)),
        config: { displayName: 'Last health check' },
      },
    ],
    meta: { preferredVisualisationType: 'table' },
  };
}
