// secrets-degraded: healthy-single's topology with a Vault backend that cannot be reached and one that is sealed.
//
// Known numbers (default seed):
// - secret_backends: pg healthy (3 scopes); vault-prod unreachable, last_sync_error 'Health check failed' (set by the
//   60 s health check), last sync 2 h ago, 14 scopes; vault-dr degraded (sealed), last_sync_error 'Vault is sealed', 0 scopes.
// - backendTest: pg {ok:true}; vault-prod {ok:false, error:'Backend status: unreachable', latencyMs:5004};
//   vault-dr {ok:false, error:'Backend status: degraded'}.
// - backendSync vault-prod: {synced:true, scopeCount:0} and last_sync_error becomes the sync error; pg: synced, 3 scopes.
// - Everything else as healthy-single (DLQ 4, executions 33.3 % / 48.3 s).
import { HOUR, MINUTE, SECOND, ago, detHex, detUuid, type Scenario, type ScenarioOptions } from './common';
import { healthySingle } from './healthy-single';

export const SECRETS_DEGRADED_KNOWN = {
  unreachable: 'vault-prod',
  degraded: 'vault-dr',
  lastSyncError: 'Health check failed',
} as const;

export function secretsDegraded(opts: ScenarioOptions = {}): Scenario {
  const base = healthySingle(opts);
  const spec = { ...base.spec, name: 'secrets-degraded' };
  return {
    spec,
    async seed(db, now = new Date()) {
      await base.seed(db, now);
      await db.query(`DELETE FROM secret_backends WHERE backend_type = 'vault'`);
      // pg stays as healthy-single seeded it.
      await seedVaultBackends(db, spec, opts.seed ?? 1, now);
    },
  };
}

async function seedVaultBackends(
  db: Parameters<Scenario['seed']>[0],
  spec: Scenario['spec'],
  seed: number,
  now: Date
): Promise<void> {
  const rows = [
    {
      name: 'vault-prod',
      health: 'unreachable',
      scopes: 14,
      lastSync: 2 * HOUR,
      error: 'Health check failed',
      check: 40 * SECOND,
    },
    { name: 'vault-dr', health: 'degraded', scopes: 0, lastSync: null, error: 'Vault is sealed', check: 40 * SECOND },
  ];
  for (const r of rows) {
    await db.query(
      `INSERT INTO secret_backends (id, name, backend_type, config_encrypted, last_sync_at, last_sync_error, last_health_check_at,
                                    health_status, scope_count, created_at, updated_at)
       VALUES ($1, $2, 'vault', $3, $4, $5, $6, $7, $8, $9, $9)`,
      [
        detUuid('secret_backend', spec.name, seed, r.name),
        r.name,
        `v1:${detHex(24, 'iv', r.name)}:${detHex(96, 'ct', r.name)}`,
        r.lastSync === null ? null : ago(now, r.lastSync),
        r.error,
        ago(now, r.check),
        r.health,
        r.scopes,
        ago(now, 30 * 24 * HOUR + MINUTE),
      ]
    );
  }
}
