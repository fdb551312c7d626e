import type { SchemaInfo } from '../../kici/schema';
import { OPTIONAL_OBJECTS } from '../../kici/schema';
import type { Frame } from '../../protocol/types';

/** One row: layout, latest migration, migration count, then one boolean per optional table/column. */
export function schemaInfoFrame(info: SchemaInfo, refId?: string): Frame {
  return {
    name: refId ?? 'schemaInfo',
    fields: [
      { name: 'layout', type: 'string', values: [info.layout] },
      { name: 'latest_migration', type: 'string', values: [info.latestMigration] },
      { name: 'migration_count', type: 'number', values: [info.migrationCount] },
      ...OPTIONAL_OBJECTS.map((o) => ({ name: o, type: 'boolean' as const, values: [info.objects[o]] })),
    ],
  };
}
