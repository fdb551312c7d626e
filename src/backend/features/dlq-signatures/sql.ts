// SQL of the signatures: PostgreSQL collapses identical error texts (with their counts, first/last admission, event
// names, routing keys, newest event) and bins the in-range admissions per text; the backend then merges texts with
// the same signature (normalize.ts). One normalisation in one language, and no regex run per row in the database
// (bench/dlq-signatures.ts measures the alternatives). Every value is a bind parameter.
import { dlqWhere, type DlqFilters, type Statement } from '../dlq/sql';
import { SIGNATURE_TEXT_SQL as ERROR_EXPR } from './normalize';

export function buildTextGroupsSql(f: DlqFilters): Statement {
  const params: unknown[] = [];
  const where = dlqWhere(f, params);
  const sql = `SELECT ${ERROR_EXPR} AS error, count(*)::bigint AS n, min(dlq_at) AS first_at, max(dlq_at) AS last_at,
       array_agg(DISTINCT event_name) AS event_names,
       array_remove(array_agg(DISTINCT source_routing_key), NULL) AS routing_keys,
       (array_agg(id::text ORDER BY dlq_at DESC, id DESC))[1] AS sample_id
  FROM kici_events
 WHERE ${where.join('\n   AND ')}
 GROUP BY 1`;
  return { sql, params };
}

/** In-range admissions per (text, epoch-aligned bin). */
export function buildTextBinsSql(f: DlqFilters, range: { from: string; to: string }, stepMs: number): Statement {
  const params: unknown[] = [`${stepMs} milliseconds`];
  const where = dlqWhere(f, params);
  params.push(range.from, range.to);
  where.push(`dlq_at >= $${params.length - 1}::timestamptz`, `dlq_at < $${params.length}::timestamptz`);
  const sql = `SELECT ${ERROR_EXPR} AS error, date_bin($1::interval, dlq_at, timestamptz 'epoch') AS t, count(*)::bigint AS n
  FROM kici_events
 WHERE ${where.join('\n   AND ')}
 GROUP BY 1, 2`;
  return { sql, params };
}

/** Every matching event's id and error text, for the ids of one signature (bulk actions, the filtered list). */
export function buildSignatureCandidatesSql(f: DlqFilters): Statement {
  const params: unknown[] = [];
  const where = dlqWhere(f, params);
  return {
    sql: `SELECT id::text AS id, event_name, source_routing_key, dlq_at, ${ERROR_EXPR} AS error
  FROM kici_events
 WHERE ${where.join('\n   AND ')}
 ORDER BY dlq_at DESC, kici_events.id DESC`,
    params,
  };
}

/** The distinct (cut) error texts of the matching events: what a signature filter resolves to its texts from. */
export function buildSignatureTextsSql(f: DlqFilters): Statement {
  const params: unknown[] = [];
  const where = dlqWhere(f, params);
  return { sql: `SELECT DISTINCT ${ERROR_EXPR} AS error FROM kici_events WHERE ${where.join(' AND ')}`, params };
}
