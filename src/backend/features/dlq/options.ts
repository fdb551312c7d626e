// Panel query model -> validated DLQ query options. Pure; every refusal is a 400 naming the field.
import type { KiciQueryModel } from '../query-model';
import { PluginError, type TimeRange } from '../../protocol/types';
import { checkedTimeRange } from '../time-range';
import { decodeCursor, type DlqSortField } from './cursor';
import { DEFAULT_DLQ_LIMIT, MAX_DLQ_LIMIT, type DlqEventsQuery, type DlqFilters } from './sql';

/** Grafana's own ceiling on points per series. */
export const MAX_SERIES_POINTS = 11_000;
export const DEFAULT_SERIES_POINTS = 1_000;
export const MIN_STEP_MS = 1_000;

export function checkedRange(range: TimeRange): { from: string; to: string } {
  const r = checkedTimeRange(range);
  return { from: r.fromIso, to: r.toIso };
}

/** The non-time filters of the model; `undefined` fields are left out. */
export function modelFilters(model: KiciQueryModel): DlqFilters {
  const f: DlqFilters = {};
  if (model.eventName !== undefined) {
    f.eventName = model.eventName;
  }
  if (model.routingKey !== undefined) {
    f.routingKey = model.routingKey;
  }
  if (model.repo !== undefined) {
    f.repo = model.repo;
  }
  if (model.errorText !== undefined) {
    f.errorText = model.errorText;
  }
  return f;
}

/**
 * The orders dlqEvents serves. KiCI indexes its DLQ rows by admission time alone (`idx_kici_events_dlq (dlq_at DESC)
 * WHERE dlq_at IS NOT NULL`) and the plugin's role is read-only, so any other order sorts every DLQ row for each
 * page: 100–650 ms at 100,000 DLQ rows (bench/dlq-sorts.ts), against under 1 ms in admission order. The statement
 * builder still builds the other orders; the bench times them.
 */
export const OFFERED_DLQ_SORTS: readonly DlqSortField[] = ['dlqAt'];

export function dlqEventsOptions(model: KiciQueryModel, range: TimeRange): DlqEventsQuery {
  const limit = model.limit ?? DEFAULT_DLQ_LIMIT;
  if (limit < 1 || limit > MAX_DLQ_LIMIT) {
    throw new PluginError(
      `invalid query: limit: dlqEvents returns 1..${MAX_DLQ_LIMIT} rows per page, not ${limit}`,
      400
    );
  }
  const sort = model.sort ?? 'dlqAt';
  if (!OFFERED_DLQ_SORTS.includes(sort)) {
    throw new PluginError(
      `invalid query: sort: dlqEvents sorts by ${OFFERED_DLQ_SORTS.join(', ')} (asc or desc), not ${sort}: KiCI indexes DLQ events by admission time only, and any other order would sort the whole DLQ for every page`,
      400
    );
  }
  const dir = model.sortDirection ?? 'desc';
  const filters = modelFilters(model);
  if (model.useTimeRange !== false) {
    Object.assign(filters, checkedRange(range));
  }
  return {
    filters,
    sort,
    dir,
    limit,
    cursor: model.cursor ? decodeCursor(model.cursor, { sort, dir }) : undefined,
  };
}

/**
 * Bin width for the admissions series: the panel's interval, widened so the range fits in
 * maxDataPoints bins, never under a second, in whole seconds.
 */
export function seriesStepMs(q: { range: TimeRange; intervalMs: number; maxDataPoints: number }): number {
  const span = Math.max(1, q.range.to - q.range.from);
  const points = Math.min(Math.max(1, Math.floor(q.maxDataPoints) || DEFAULT_SERIES_POINTS), MAX_SERIES_POINTS);
  const interval = Number.isFinite(q.intervalMs) && q.intervalMs > 0 ? q.intervalMs : 0;
  // points − 1: the first bin starts at or before `from` (epoch-aligned), which can add one bin.
  const step = Math.max(interval, Math.ceil(span / Math.max(1, points - 1)), MIN_STEP_MS);
  return Math.ceil(step / 1000) * 1000;
}
