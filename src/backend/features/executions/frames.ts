// Frames of the execution metrics (one wide row, one numeric field each, alertable) and of the
// runs-per-status time series (zero-filled, one field per status labelled {status}).
import type { Field, Frame } from '../../protocol/types';
import { RUN_STATUSES } from './sql';

export interface MetricsRow {
  total_runs: number;
  success_runs: number;
  finished_runs: number;
  success_rate_pct: number | null;
  avg_duration_s: number | null;
  queued_jobs: number;
  running_jobs: number;
}

export const SUCCESS_RATE_DEFINITION =
  'Successful runs ÷ finished runs (success, failed or cancelled), in %. Runs still pending, running, cancelling or held are not counted; empty when no run finished in the window.';

export function metricsFrame(row: MetricsRow, opts: { refId: string; windowText: string; executed: string }): Frame {
  const num = (name: string, value: number | null, config: Field['config']): Field => ({
    name,
    type: 'number',
    nullable: value === null,
    values: [value],
    config,
  });
  const queued = Number(row.queued_jobs);
  const running = Number(row.running_jobs);
  return {
    name: opts.refId,
    fields: [
      num('total_runs', Number(row.total_runs), {
        displayName: 'Total runs',
        unit: 'none',
        decimals: 0,
        description: `Workflow runs created ${opts.windowText} (execution_runs.created_at).`,
      }),
      num('success_rate', row.success_rate_pct === null ? null : Number(row.success_rate_pct), {
        displayName: 'Success rate',
        unit: 'percent',
        decimals: 1,
        min: 0,
        max: 100,
        description: SUCCESS_RATE_DEFINITION,
      }),
      num('avg_duration', row.avg_duration_s === null ? null : Number(row.avg_duration_s), {
        displayName: 'Average duration',
        unit: 's',
        decimals: 1,
        description: `Mean duration of the runs created ${opts.windowText} that completed (duration_ms set).`,
      }),
      num('active_jobs', queued + running, {
        displayName: 'Active jobs',
        unit: 'none',
        decimals: 0,
        description: 'Queued + running jobs, now.',
      }),
      num('queued_jobs', queued, {
        displayName: 'Queued jobs',
        unit: 'none',
        decimals: 0,
        description:
          "Jobs waiting for an agent now (dispatch_queue status 'pending', as kici_orch_dispatch_queue_depth).",
      }),
      num('running_jobs', running, {
        displayName: 'Running jobs',
        unit: 'none',
        decimals: 0,
        description: "Jobs running now (execution_jobs status 'running').",
      }),
      num('finished_runs', Number(row.finished_runs), {
        displayName: 'Finished runs',
        unit: 'none',
        decimals: 0,
        description: `Runs created ${opts.windowText} that ended success, failed or cancelled.`,
      }),
      num('success_runs', Number(row.success_runs), {
        displayName: 'Successful runs',
        unit: 'none',
        decimals: 0,
        description: `Runs created ${opts.windowText} that ended success.`,
      }),
    ],
    meta: { executedQueryString: opts.executed },
  };
}

/** Bucket width: the panel's interval, widened so the range fits in maxDataPoints buckets; at least 1 s. */
export function bucketStepMs(range: { from: number; to: number }, intervalMs: number, maxDataPoints: number): number {
  const span = Math.max(0, range.to - range.from);
  const points = maxDataPoints > 0 ? maxDataPoints : 1000;
  const step = Math.max(intervalMs > 0 ? intervalMs : 0, Math.ceil(span / points), 1000);
  return Math.ceil(step / 1000) * 1000;
}

export interface SeriesRow {
  bucket: number;
  status: string;
  runs: number;
}

/** Wide time series: `time` at each bucket start, one `runs` field per status; absent buckets are 0. */
export function seriesFrame(
  rows: SeriesRow[],
  range: { from: number; to: number },
  stepMs: number,
  refId: string
): Frame {
  const n = Math.max(1, Math.ceil((range.to - range.from) / stepMs));
  const statuses: string[] = [...RUN_STATUSES];
  for (const r of rows) {
    if (!statuses.includes(r.status)) {
      statuses.push(r.status);
    }
  }
  const counts = new Map(statuses.map((s) => [s, new Array<number>(n).fill(0)]));
  for (const r of rows) {
    const b = Number(r.bucket);
    if (b >= 0 && b < n) {
      counts.get(r.status)![b] += Number(r.runs);
    }
  }
  const times = Array.from({ length: n }, (_, i) => range.from + i * stepMs);
  return {
    name: refId,
    fields: [
      { name: 'time', type: 'time', values: times, config: { interval: stepMs } },
      ...statuses.map((status): Field => ({
        // One name per series: the Arrow encoder keeps only the last field's metadata among equal names.
        name: status,
        type: 'number',
        labels: { status },
        values: counts.get(status)!,
        config: { displayNameFromDS: status, unit: 'none', decimals: 0 },
      })),
    ],
    meta: { type: 'timeseries-wide', typeVersion: [0, 1] },
  };
}
