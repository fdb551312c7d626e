// SQL for the DLQ read side (contract §6.1). Every value is a bind parameter; the only text spliced
// into a statement comes from the SORT_COLUMNS whitelist and fixed ASC/DESC keywords.
import { SIGNATURE_TEXT_SQL } from '../dlq-signatures/normalize';
import type { DlqCursor, DlqSortField, SortDirection } from './cursor';

export const MAX_DLQ_LIMIT = 500;
export const DEFAULT_DLQ_LIMIT = 100;
/** The table shows this much of last_error; the detail resource returns all of it. */
export const TABLE_ERROR_CHARS = 200;

interface SortColumn {
  column: string;
  kind: 'time' | 'int' | 'text';
}

export const SORT_COLUMNS: Record<DlqSortField, SortColumn> = {
  dlqAt: { column: 'dlq_at', kind: 'time' },
  createdAt: { column: 'created_at', kind: 'time' },
  attempts: { column: 'attempts', kind: 'int' },
  eventName: { column: 'event_name', kind: 'text' },
};

export interface DlqFilters {
  eventName?: string;
  routingKey?: string;
  repo?: string;
  /** Case-insensitive substring of last_error; `%`, `_` and `\` match themselves. */
  errorText?: string;
  /** ISO timestamps bounding dlq_at (inclusive). */
  from?: string;
  to?: string;
  /**
   * A signature filter resolved to its error texts (dlq-signatures/resolve.ts): the cut last_error is one of `texts`,
   * or NULL when `withNull`. No texts and no NULL matches nothing.
   */
  errorTexts?: { texts: string[]; withNull: boolean };
}

export interface Statement {
  sql: string;
  params: unknown[];
}

/** Escapes LIKE wildcards so user text matches literally (ESCAPE '\'). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** WHERE clauses for the filters, appending their values to `params`. Always starts with the DLQ predicate. */
export function dlqWhere(f: DlqFilters, params: unknown[]): string[] {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = ['dlq_at IS NOT NULL'];
  if (f.eventName !== undefined) {
    where.push(`event_name = ${p(f.eventName)}`);
  }
  if (f.routingKey !== undefined) {
    where.push(`source_routing_key = ${p(f.routingKey)}`);
  }
  if (f.repo !== undefined) {
    where.push(`source_repo = ${p(f.repo)}`);
  }
  if (f.errorText !== undefined && f.errorText !== '') {
    where.push(`last_error ILIKE '%' || ${p(escapeLike(f.errorText))} || '%' ESCAPE '\\'`);
  }
  if (f.errorTexts !== undefined) {
    const alternatives = [`${SIGNATURE_TEXT_SQL} = ANY(${p(f.errorTexts.texts)}::text[])`];
    if (f.errorTexts.withNull) {
      alternatives.push('last_error IS NULL');
    }
    where.push(`(${alternatives.join(' OR ')})`);
  }
  if (f.from !== undefined) {
    where.push(`dlq_at >= ${p(f.from)}::timestamptz`);
  }
  if (f.to !== undefined) {
    where.push(`dlq_at <= ${p(f.to)}::timestamptz`);
  }
  return where;
}

export interface DlqEventsQuery {
  filters: DlqFilters;
  sort: DlqSortField;
  dir: SortDirection;
  limit: number;
  cursor?: DlqCursor;
}

/** The exact sort value of a row, as the cursor stores it (µs for timestamps: JS dates would lose precision). */
function sortKeyExpr(c: SortColumn): string {
  return c.kind === 'time' ? `(extract(epoch FROM ${c.column}) * 1000000)::bigint::text` : c.column;
}

function cursorValueExpr(c: SortColumn, placeholder: string): string {
  switch (c.kind) {
    case 'time':
      return `timestamptz 'epoch' + ${placeholder}::bigint * interval '1 microsecond'`;
    case 'int':
      return `${placeholder}::integer`;
    case 'text':
      return `${placeholder}::text`;
  }
}

/**
 * One page of DLQ rows, fetching `limit + 1` to know whether another page exists. The tie-breaker is
 * `kici_events.id` (uuid): a bare `id` in ORDER BY would bind to the `id::text` output column, whose
 * order under a non-C collation need not match the uuid comparison of the keyset predicate.
 */
export function buildDlqEventsSql(q: DlqEventsQuery): Statement {
  const col = SORT_COLUMNS[q.sort];
  const dir = q.dir === 'asc' ? 'ASC' : 'DESC';
  const params: unknown[] = [];
  const where = dlqWhere(q.filters, params);
  if (q.cursor) {
    params.push(q.cursor.value);
    const v = cursorValueExpr(col, `$${params.length}`);
    params.push(q.cursor.id);
    where.push(`(${col.column}, kici_events.id) ${q.dir === 'asc' ? '>' : '<'} (${v}, $${params.length}::uuid)`);
  }
  params.push(q.limit + 1);
  const sql = `SELECT id::text AS id, event_name, source_routing_key, source_repo, source_run_id, source_job_id,
       attempts, dlq_reason, dlq_at, created_at, left(last_error, ${TABLE_ERROR_CHARS + 1}) AS last_error,
       ${sortKeyExpr(col)} AS sort_key
  FROM kici_events
 WHERE ${where.join('\n   AND ')}
 ORDER BY ${col.column} ${dir}, kici_events.id ${dir}
 LIMIT $${params.length}`;
  return { sql, params };
}

/**
 * Count of DLQ rows matching the filters. Without filters this is the authoritative DLQ depth (the
 * leader-only gauge can be stale after a failover, contract §7.5).
 */
export function buildDlqCountSql(f: DlqFilters): Statement {
  const params: unknown[] = [];
  const where = dlqWhere(f, params);
  return { sql: `SELECT count(*)::bigint AS depth FROM kici_events WHERE ${where.join(' AND ')}`, params };
}

/**
 * DLQ admissions per bin over [from, to), zero-filled. Bins are aligned to the epoch so the same
 * instant always falls in the same bin whatever the panel's range.
 */
export function buildDlqSeriesSql(f: DlqFilters & { from: string; to: string }, stepMs: number): Statement {
  const params: unknown[] = [`${stepMs} milliseconds`];
  const where = dlqWhere({ ...f, from: undefined, to: undefined }, params);
  params.push(f.from, f.to);
  const from = `$${params.length - 1}::timestamptz`;
  const to = `$${params.length}::timestamptz`;
  where.push(`dlq_at >= ${from}`, `dlq_at < ${to}`);
  const sql = `WITH admitted AS (
  SELECT date_bin($1::interval, dlq_at, timestamptz 'epoch') AS t, count(*) AS n
    FROM kici_events
   WHERE ${where.join('\n     AND ')}
   GROUP BY 1
)
SELECT g.t AS time, coalesce(a.n, 0)::bigint AS admissions
  FROM generate_series(date_bin($1::interval, ${from}, timestamptz 'epoch'), ${to} - interval '1 microsecond', $1::interval) AS g(t)
  LEFT JOIN admitted a ON a.t = g.t
 ORDER BY g.t`;
  return { sql, params };
}

/** Ids for a filtered bulk retry, newest admission first. */
export function buildDlqIdsSql(f: DlqFilters, limit: number): Statement {
  const params: unknown[] = [];
  const where = dlqWhere(f, params);
  params.push(limit);
  return {
    sql: `SELECT id::text AS id FROM kici_events WHERE ${where.join(' AND ')} ORDER BY dlq_at DESC, kici_events.id DESC LIMIT $${params.length}`,
    params,
  };
}

/** Every column of one event, DLQ or not, so a 404 can say why. */
export const DLQ_DETAIL_SQL = `SELECT id::text AS id, event_name, payload, source_repo, source_routing_key, source_run_id,
       source_job_id, chain_depth, processed, created_at, expires_at, target_repos, claimed_at, claimed_by, attempts,
       last_error, next_retry_at, dlq_at, dlq_reason
  FROM kici_events
 WHERE id = $1::uuid`;

/** DLQ rows matching the non-time filters but admitted before `beforeIso`: what a time-ranged table leaves out. */
export function buildDlqOlderCountSql(f: DlqFilters, beforeIso: string): Statement {
  const params: unknown[] = [];
  const where = dlqWhere({ ...f, from: undefined, to: undefined }, params);
  params.push(beforeIso);
  where.push(`dlq_at < $${params.length}::timestamptz`);
  return { sql: `SELECT count(*)::bigint AS older FROM kici_events WHERE ${where.join(' AND ')}`, params };
}
