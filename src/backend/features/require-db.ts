// Views that read the orchestrator database need PostgreSQL configured, and validly: when it is not, the error
// names what to set or which setting is wrong and why (the same findings health shows).
import type { KiciDb } from '../kici/db';
import { KiciSourceError } from '../kici/errors';
import type { KiciSources } from '../kici/sources';

export function requireDb(sources: KiciSources, what: string): KiciDb {
  if (sources.db) {
    return sources.db;
  }
  throw dbUnavailable(sources, what);
}

/** Why there is no database to read `what` from, as a 400 (`not-configured`) naming the settings to fix. */
export function dbUnavailable(sources: KiciSources, what: string): KiciSourceError {
  const wrong = sources.findings.filter((f) => f.kind === 'invalid' && f.setting.startsWith('pg'));
  const missing = sources.findings.filter((f) => f.kind === 'not configured' && f.setting.startsWith('pg'));
  const [message, hint] =
    wrong.length > 0
      ? [
          `PostgreSQL settings are invalid (${wrong.map((f) => f.message).join('; ')}): ${what} cannot be read`,
          `fix ${wrong.map((f) => f.setting).join(', ')} in the datasource settings`,
        ]
      : sources.settings.pgState === 'incomplete'
        ? [
            `PostgreSQL is not fully configured: ${what} is read from the orchestrator database`,
            `set ${missing.map((f) => f.setting).join(', ')}`,
          ]
        : [
            `PostgreSQL is not configured: ${what} is read from the orchestrator database`,
            'set pgHost, pgDatabase and pgUser',
          ];
  return new KiciSourceError(message, { source: 'postgres', failure: 'not-configured', target: '', hint });
}
