// `executionMetrics` (24 h snapshot or the dashboard range) and `executions` (runs per status per
// interval) query types, read from the orchestrator database.
import type { KiciDb } from '../../kici/db';
import { KiciSourceError } from '../../kici/errors';
import type { KiciSources } from '../../kici/sources';
import type { QueryHandler } from '../types';
import { bucketStepMs, metricsFrame, seriesFrame, type MetricsRow, type SeriesRow } from './frames';
import { metricsStatement, seriesStatement, type RunFilter } from './sql';

export function requireDb(sources: KiciSources, what: string): KiciDb {
  if (!sources.db) {
    throw new KiciSourceError(`PostgreSQL is not configured: ${what} are read from the orchestrator database`, {
      source: 'postgres',
      failure: 'not-configured',
      target: '',
      hint: 'set pgHost, pgDatabase and pgUser',
    });
  }
  return sources.db;
}

function describeFilter(f: RunFilter): string {
  const parts = [
    f.window.kind === 'last24h'
      ? 'last 24 h'
      : `${new Date(f.window.from).toISOString()} – ${new Date(f.window.to).toISOString()}`,
  ];
  if (f.routingKey) {
    parts.push(`routing key ${f.routingKey}`);
  }
  if (f.excludeTestRuns) {
    parts.push('test runs excluded');
  }
  return parts.join(', ');
}

export const executionMetricsQuery: QueryHandler = async (query, env) => {
  const db = requireDb(env.sources, 'execution metrics');
  const { from, to } = query.raw.timeRange;
  const filter: RunFilter = {
    window: query.model.useTimeRange ? { kind: 'range', from, to } : { kind: 'last24h' },
    excludeTestRuns: query.model.excludeTestRuns ?? false,
    routingKey: query.model.routingKey,
  };
  const st = metricsStatement(filter);
  const [row] = await db.read<MetricsRow & Record<string, unknown>>(st.sql, st.params, env.ctx.signal);
  const windowText = filter.window.kind === 'last24h' ? 'in the last 24 h' : 'in the dashboard time range';
  return {
    frames: [
      metricsFrame(row, { refId: query.refId, windowText, executed: `execution metrics: ${describeFilter(filter)}` }),
    ],
  };
};

export const executionsQuery: QueryHandler = async (query, env) => {
  const db = requireDb(env.sources, 'executions');
  const range = { from: query.raw.timeRange.from, to: query.raw.timeRange.to };
  const step = bucketStepMs(range, query.raw.intervalMs, query.raw.maxDataPoints);
  const filter = {
    window: { kind: 'range' as const, ...range },
    excludeTestRuns: query.model.excludeTestRuns ?? false,
    routingKey: query.model.routingKey,
  };
  const st = seriesStatement(filter, step);
  const rows = await db.read<SeriesRow & Record<string, unknown>>(st.sql, st.params, env.ctx.signal);
  const frame = seriesFrame(rows, range, step, query.refId);
  frame.meta = {
    ...frame.meta,
    executedQueryString: `runs per status every ${step / 1000} s: ${describeFilter(filter)}`,
  };
  return { frames: [frame] };
};
