// `executionMetrics` (24 h snapshot or the dashboard range) and `executions` (runs per status per
// interval) query types, read from the orchestrator database.
import { requireDb } from '../require-db';
import { checkedTimeRange } from '../time-range';
import type { QueryHandler } from '../types';
import { bucketStepMs, metricsFrame, seriesFrame, type MetricsRow, type SeriesRow } from './frames';
import { metricsStatement, seriesStatement, type RunFilter } from './sql';

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
  const { from, to } = query.model.useTimeRange ? checkedTimeRange(query.raw.timeRange) : query.raw.timeRange;
  const db = requireDb(env.sources, 'execution metrics');
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
  const { from, to } = checkedTimeRange(query.raw.timeRange);
  const range = { from, to };
  const db = requireDb(env.sources, 'executions');
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
