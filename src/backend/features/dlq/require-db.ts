// The DLQ and event-delivery views read kici_events directly: they need PostgreSQL configured.
import type { KiciDb } from '../../kici/db';
import { KiciSourceError } from '../../kici/errors';
import type { KiciSources } from '../../kici/sources';

export function requireDb(sources: KiciSources, what: string): KiciDb {
  if (!sources.db) {
    throw new KiciSourceError(
      `PostgreSQL is not configured: ${what} is read from the orchestrator database (kici_events)`,
      {
        source: 'postgres',
        failure: 'not-configured',
        target: '',
        hint: 'set pgHost, pgDatabase and pgUser',
      }
    );
  }
  return sources.db;
}
