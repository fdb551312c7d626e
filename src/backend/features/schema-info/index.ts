// `schemaInfo` query type and `GET schema`: which KiCI schema the configured database carries.
import type { SchemaInfo } from '../../kici/schema';
import type { KiciSources } from '../../kici/sources';
import { toPluginError } from '../errors';
import { dbUnavailable } from '../require-db';
import type { QueryHandler, ResourceRoute } from '../types';
import { schemaInfoFrame } from './frame';

function requireSchema(sources: KiciSources, signal: AbortSignal): Promise<SchemaInfo> {
  if (!sources.schema) {
    throw dbUnavailable(sources, 'the schema');
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
