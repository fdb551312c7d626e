// SQL of the execution metrics (contract §2.2) and the runs-per-status series. Pure builders: every
// value is a parameter. execution_runs/execution_jobs/dispatch_queue carry the same columns in the
// 0.1 and 0.9 layouts for what is read here, so one statement serves both.

/** `created_at` window: the last 24 h by the database clock, or an explicit [from, to) range (epoch ms). */
export type RunWindow = { kind: 'last24h' } | { kind: 'range'; from: number; to: number };

export interface RunFilter {
  window: RunWindow;
  excludeTestRuns: boolean;
  routingKey?: string;
}

export interface Statement {
  sql: string;
  params: unknown[];
}

/** KiCI's terminal run statuses: the denominator of the success rate (contract §2.1). */
export const FINISHED_STATUSES = ['success', 'failed', 'cancelled'] as const;

/** Every ExecutionRunStatus, in the order the series lists them. */
export const RUN_STATUSES = ['success', 'failed', 'cancelled', 'running', 'pending', 'cancelling', 'held'] as const;

/** The WHERE clause on execution_runs (alias `r`) for a filter; appends its parameters to `params`. */
export function runConditions(f: RunFilter, params: unknown[]): string {
  const conds: string[] = [];
  if (f.window.kind === 'last24h') {
    conds.push(`r.created_at >= now() - interval '24 hours'`);
  } else {
    params.push(new Date(f.window.from), new Date(f.window.to));
    conds.push(`r.created_at >= $${params.length - 1}::timestamptz AND r.created_at < $${params.length}::timestamptz`);
  }
  if (f.routingKey !== undefined) {
    // Equality on routing_key + range on created_at: idx_execution_runs_routing_key_created.
    params.push(f.routingKey);
    conds.push(`r.routing_key = $${params.length}`);
  }
  if (f.excludeTestRuns) {
    conds.push('NOT r.is_test_run');
  }
  return conds.join(' AND ');
}

/**
 * One row: total/success/finished runs, success rate (% of finished, 1 decimal, NULL without finished runs),
 * average duration of completed runs (s, 1 decimal), queued jobs (dispatch_queue pending) and running jobs.
 * Queued and running are "now" (not windowed), scoped like the runs.
 */
export function metricsStatement(f: RunFilter): Statement {
  const params: unknown[] = [];
  const where = runConditions(f, params);
  const jobScope: string[] = [];
  const queueScope: string[] = [];
  if (f.routingKey !== undefined) {
    params.push(f.routingKey);
    jobScope.push(`j.routing_key = $${params.length}`);
    queueScope.push(`d.routing_key = $${params.length}`);
  }
  if (f.excludeTestRuns) {
    jobScope.push('NOT EXISTS (SELECT 1 FROM execution_runs t WHERE t.run_id = j.run_id AND t.is_test_run)');
    // dispatch_queue.run_id is text, execution_runs.run_id uuid.
    queueScope.push('NOT EXISTS (SELECT 1 FROM execution_runs t WHERE t.run_id::text = d.run_id AND t.is_test_run)');
  }
  const and = (c: string[]) => c.map((x) => ` AND ${x}`).join('');
  const sql = `
WITH w AS (
  SELECT r.status, r.duration_ms, r.completed_at FROM execution_runs r WHERE ${where}
)
SELECT
  count(*)::int AS total_runs,
  count(*) FILTER (WHERE status = 'success')::int AS success_runs,
  count(*) FILTER (WHERE status IN ('success', 'failed', 'cancelled'))::int AS finished_runs,
  round(100.0 * count(*) FILTER (WHERE status = 'success')
        / NULLIF(count(*) FILTER (WHERE status IN ('success', 'failed', 'cancelled')), 0), 1)::float8 AS success_rate_pct,
  round(avg(duration_ms) FILTER (WHERE completed_at IS NOT NULL AND duration_ms IS NOT NULL) / 1000.0, 1)::float8
    AS avg_duration_s,
  (SELECT count(*)::int FROM dispatch_queue d WHERE d.status = 'pending'${and(queueScope)}) AS queued_jobs,
  (SELECT count(*)::int FROM execution_jobs j WHERE j.status = 'running'${and(jobScope)}) AS running_jobs
FROM w`;
  return { sql, params };
}

/** Runs per (bucket, status): bucket = floor((created_at - from) / step), over [from, to). */
export function seriesStatement(f: RunFilter & { window: { kind: 'range' } }, stepMs: number): Statement {
  const params: unknown[] = [];
  const where = runConditions(f, params);
  params.push(f.window.from, stepMs);
  const fromP = `$${params.length - 1}::float8`;
  const stepP = `$${params.length}::float8`;
  const sql = `
SELECT floor((extract(epoch FROM r.created_at) * 1000 - ${fromP}) / ${stepP})::int AS bucket,
       r.status,
       count(*)::int AS runs
  FROM execution_runs r
 WHERE ${where}
 GROUP BY 1, 2
 ORDER BY 1, 2`;
  return { sql, params };
}
