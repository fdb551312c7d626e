// CheckHealth and `GET health`: the datasource checks. The `health` query and `GET health/matrix`: the health matrix (those checks plus every endpoint of the monitoring page).
import type { HealthResult } from '../../protocol/types';
import type { KiciSources } from '../../kici/sources';
import { shareRun } from '../single-flight';
import type { QueryHandler, ResourceRoute } from '../types';
import { runHealthChecks, type CheckRow } from './checks';
import { healthMatrixFrame } from './frame';
import { runHealthMatrix, type MatrixRow } from './matrix';
import { summarizeHealth } from './summary';

// Health is asked by every viewer's panels at each refresh: callers of one instance at the same moment share a run.
const checks = (sources: KiciSources, signal: AbortSignal): Promise<CheckRow[]> =>
  shareRun(sources, 'checks', signal, (s) => runHealthChecks(sources, s));
const matrix = (sources: KiciSources, signal: AbortSignal): Promise<MatrixRow[]> =>
  shareRun(sources, 'matrix', signal, (s) => runHealthMatrix(sources, s));

export async function checkHealth(sources: KiciSources, signal: AbortSignal): Promise<HealthResult> {
  return summarizeHealth(await checks(sources, signal));
}

/** The health matrix: every endpoint of the monitoring page, not only the datasource's own checks. */
export const healthQuery: QueryHandler = async (query, env) => {
  const rows = await matrix(env.sources, env.ctx.signal);
  return { frames: [healthMatrixFrame(rows, query.refId)] };
};

export const healthRoutes: ResourceRoute[] = [
  {
    method: 'GET',
    path: 'health',
    handler: async (_req, _params, env) => {
      const rows = await checks(env.sources, env.ctx.signal);
      const summary = summarizeHealth(rows);
      return { status: 200, body: { status: summary.status, message: summary.message, checks: rows } };
    },
  },
  {
    method: 'GET',
    path: 'health/matrix',
    handler: async (_req, _params, env) => {
      const rows = await matrix(env.sources, env.ctx.signal);
      return { status: 200, body: { checks: rows } };
    },
  },
];
