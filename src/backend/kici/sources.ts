// Everything one datasource instance uses to reach KiCI, built from its settings. Owned by the
// instance and disposed with it when the settings change.
import type { DataSourceSettings, Logger } from '../protocol/types';
import { createDb, type KiciDb } from './db';
import { OrchestratorClient } from './orchestrator';
import { PlatformClient } from './platform';
import { createSchemaCache, type SchemaInfo } from './schema';
import { parseSettings, type KiciSettings, type SettingsFinding } from './settings';

export interface KiciSources {
  settings: KiciSettings;
  findings: SettingsFinding[];
  /** null when PostgreSQL is not configured. */
  db: KiciDb | null;
  /** Cached schema detection; null when PostgreSQL is not configured. */
  schema: ((signal?: AbortSignal) => Promise<SchemaInfo>) | null;
  orchestrators: OrchestratorClient[];
  platform: PlatformClient | null;
  dispose(): Promise<void>;
}

export function createKiciSources(
  ds: Pick<DataSourceSettings, 'jsonData' | 'decryptedSecureJsonData'>,
  log: Logger
): KiciSources {
  const { settings, findings } = parseSettings(ds.jsonData, ds.decryptedSecureJsonData);
  const db = settings.pg ? createDb(settings.pg, log) : null;
  const orchestrators = settings.orchestratorUrls.map(
    (baseUrl) => new OrchestratorClient({ baseUrl, timeoutMs: settings.httpTimeoutMs, adminToken: settings.adminToken })
  );
  const platform = settings.platform
    ? new PlatformClient(settings.platform, { timeoutMs: settings.httpTimeoutMs })
    : null;
  return {
    settings,
    findings,
    db,
    schema: db ? createSchemaCache(db) : null,
    orchestrators,
    platform,
    async dispose() {
      await db?.end();
    },
  };
}
