// `schemaInfo` query type and `GET schema`: which KiCI schema the configured database carries.
import { KiciSourceError } from '../../kici/errors';
import type { SchemaInfo } from '../../kici/schema';
import type { KiciSources } from '../../kici/sources';
import { toPluginError } from '../errors';
import type { QueryHandler, ResourceRoute } from '../types';
import { schemaInfoFrame } from './frame';

function requireSchema(sources: KiciSources, signal: AbortSignal): Promise<SchemaInfo> {
  if (!sources.schema) {
    throw new KiciSourceError('PostgreSQL is not configured: the schema is read from the orchestrator database', {
      source: 'postgres',
      failure: 'not-configured',
      target: '',
      hint: 'set pgHost, pgDatabase and pgUser',
    });
  }
  return sources.schema(signal);
}

export const schemaInfoQuery: QueryHandler = async (query, env) => {
  const info = await requireSchema(env.sources, env.ctx.signal);
  return { frames: [schemaInfoFrame(info, query.refId)] };
};

export const schemaInfoRoutes: ResourceRoute[] = [
  {
    method: 'GET',
    path: 'schema',
    handler: async (_req, _params, env) => {
      try {
        return { status: 200, body: await requireSchema(env.sources, env.ctx.signal) };
      } catch (err) {
        const e = toPluginError(err);
        return { status: e.status, body: { error: e.message } };
      }
    },
  },
];
