// CheckHealth and `GET health`: the datasource checks. The `health` query and `GET health/matrix`: the health matrix (those checks plus every endpoint of the monitoring page).
import type { HealthResult } from '../../protocol/types';
import type { KiciSources } from '../../kici/sources';
import type { QueryHandler, ResourceRoute } from '../types';
import { runHealthChecks } from './checks';
import { healthMatrixFrame } from './frame';
import { runHealthMatrix } from './matrix';
import { summarizeHealth } from './summary';

export async function checkHealth(sources: KiciSources, signal: AbortSignal): Promise<HealthResult> {
  return summarizeHealth(await runHealthChecks(sources, signal));
}

/** The health matrix: every endpoint of the monitoring page, not only the datasource's own checks. */
export const healthQuery: QueryHandler = async (query, env) => {
  const rows = await runHealthMatrix(env.sources, env.ctx.signal);
  return { frames: [healthMatrixFrame(rows, query.refId)] };
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
  {
    method: 'GET',
    path: 'health/matrix',
    handler: async (_req, _params, env) => {
      const rows = await runHealthMatrix(env.sources, env.ctx.signal);
      return { status: 200, body: { checks: rows } };
    },
  },
];
