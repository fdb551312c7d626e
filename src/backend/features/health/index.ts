// `health` query type, CheckHealth and `GET health`: one set of checks behind all three.
import type { HealthResult } from '../../protocol/types';
import type { KiciSources } from '../../kici/sources';
import type { QueryHandler, ResourceRoute } from '../types';
import { runHealthChecks } from './checks';
import { healthFrame } from './frame';
import { summarizeHealth } from './summary';

export async function checkHealth(sources: KiciSources, signal: AbortSignal): Promise<HealthResult> {
  return summarizeHealth(await runHealthChecks(sources, signal));
}

export const healthQuery: QueryHandler = async (query, env) => {
  const rows = await runHealthChecks(env.sources, env.ctx.signal);
  return { frames: [healthFrame(rows, query.refId)] };
};

export const healthRoutes: ResourceRoute[] = [
  {
    method: 'GET',
    path: 'health',
    handler: async (_req, _params, env) => {
      const rows = await runHealthChecks(env.sources, env.ctx.signal);
      const summary = summarizeHealth(rows);
      return { status: 200, body: { status: summary.status, message: summary.message, checks: rows } };
    },
  },
];
