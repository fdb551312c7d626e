// Which KiCI schema the database carries. 0.1.x and 0.9.x differ in a few tables and columns
// (contract §12); features branch on `layout` and on the optional objects listed here.
import type { KiciDb } from './db';
import { KiciSourceError } from './errors';

export type SchemaLayout = '0.9' | '0.1';

/** Optional tables/columns the plugin's SQL may depend on, as `table` or `table.column`. */
export const OPTIONAL_OBJECTS = [
  'cluster_instances',
  'execution_runs.context',
  'execution_runs.environment',
  'host_roster.scaler_managed',
  'admin_tokens.subject',
  'scaler_reservations',
  'generic_webhook_sources',
  'remote_sources',
] as const;

export type OptionalObject = (typeof OPTIONAL_OBJECTS)[number];

export interface SchemaInfo {
  layout: SchemaLayout;
  latestMigration: string;
  migrationCount: number;
  /** Which optional tables/columns exist. */
  objects: Record<OptionalObject, boolean>;
}

interface MigrationRow extends Record<string, unknown> {
  latest: string | null;
  count: string;
  has_migrations: boolean;
}

interface ColumnRow extends Record<string, unknown> {
  relname: string;
  attname: string | null;
}

// pg_catalog rather than information_schema: the latter hides columns the user has no privilege on.
const OBJECTS_SQL = `
SELECT c.relname, a.attname
  FROM pg_catalog.pg_class c
  LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relkind IN ('r', 'p', 'v') AND pg_catalog.pg_table_is_visible(c.oid) AND c.relname = ANY($1::text[])`;

const MIGRATIONS_SQL = `SELECT to_regclass('kysely_migration') IS NOT NULL AS has_migrations`;
const MIGRATION_STATS_SQL = `SELECT max(name) AS latest, count(*)::text AS count FROM kysely_migration`;

/** Pure: decides the layout from what exists. 0.9 renamed execution_runs.environment and added cluster_instances. */
export function decideLayout(objects: Record<OptionalObject, boolean>, latestMigration: string): SchemaLayout {
  if (objects['execution_runs.context'] || objects.cluster_instances) {
    return '0.9';
  }
  if (objects['execution_runs.environment']) {
    return '0.1';
  }
  // Neither column visible: fall back to the migration number (0.1.x ships 001–060).
  const n = Number.parseInt(latestMigration.slice(0, 3), 10);
  return Number.isFinite(n) && n > 60 ? '0.9' : '0.1';
}

export function objectsFromRows(rows: ColumnRow[]): Record<OptionalObject, boolean> {
  const have = new Set<string>();
  for (const r of rows) {
    have.add(r.relname);
    if (r.attname) {
      have.add(`${r.relname}.${r.attname}`);
    }
  }
  return Object.fromEntries(OPTIONAL_OBJECTS.map((o) => [o, have.has(o)])) as Record<OptionalObject, boolean>;
}

export async function detectSchema(db: KiciDb, signal?: AbortSignal): Promise<SchemaInfo> {
  const [probe] = await db.read<MigrationRow>(MIGRATIONS_SQL, [], signal);
  if (!probe?.has_migrations) {
    throw new KiciSourceError(
      `database ${db.target} has no kysely_migration table: it is not a KiCI orchestrator database (or the orchestrator never started)`,
      {
        source: 'postgres',
        failure: 'query',
        target: db.target,
        hint: "point pgDatabase at the database in the orchestrator's KICI_DATABASE_URL",
      }
    );
  }
  const [stats] = await db.read<MigrationRow>(MIGRATION_STATS_SQL, [], signal);
  const tables = [...new Set(OPTIONAL_OBJECTS.map((o) => o.split('.')[0]))];
  const rows = await db.read<ColumnRow>(OBJECTS_SQL, [tables], signal);
  const objects = objectsFromRows(rows);
  const latestMigration = stats?.latest ?? '';
  return {
    layout: decideLayout(objects, latestMigration),
    latestMigration,
    migrationCount: Number(stats?.count ?? 0),
    objects,
  };
}

/** Caches one successful detection; a failure is not cached so the next call retries. */
export function createSchemaCache(db: KiciDb): (signal?: AbortSignal) => Promise<SchemaInfo> {
  let cached: Promise<SchemaInfo> | undefined;
  return (signal) => {
    if (!cached) {
      const p = detectSchema(db, signal);
      cached = p;
      p.catch(() => {
        if (cached === p) {
          cached = undefined;
        }
      });
    }
    return cached;
  };
}
