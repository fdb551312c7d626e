// Frames for the DLQ query types: the triage table, the depth number and the admissions series.
import type { Frame, FrameNotice } from '../../protocol/types';
import { encodeCursor, type DlqCursor } from './cursor';
import { TABLE_ERROR_CHARS, type DlqEventsQuery } from './sql';

export interface DlqEventRow extends Record<string, unknown> {
  id: string;
  event_name: string;
  source_routing_key: string | null;
  source_repo: string | null;
  source_run_id: string | null;
  source_job_id: string | null;
  attempts: number;
  dlq_reason: string | null;
  dlq_at: Date;
  created_at: Date;
  last_error: string | null;
  sort_key: string | number;
}

export function truncateForTable(text: string | null): string | null {
  if (text === null || text.length <= TABLE_ERROR_CHARS) {
    return text;
  }
  return `${text.slice(0, TABLE_ERROR_CHARS)}…`;
}

/** Splits the `limit + 1` rows into the page and the cursor of the next one (null on the last page). */
export function pageOf(rows: DlqEventRow[], q: DlqEventsQuery): { page: DlqEventRow[]; nextCursor: string | null } {
  if (rows.length <= q.limit) {
    return { page: rows, nextCursor: null };
  }
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const cursor: DlqCursor = {
    sort: q.sort,
    dir: q.dir,
    value: q.sort === 'attempts' ? Number(last.sort_key) : String(last.sort_key),
    id: last.id,
  };
  return { page, nextCursor: encodeCursor(cursor) };
}

export function dlqEventsFrame(
  rows: DlqEventRow[],
  q: DlqEventsQuery,
  opts: {
    refId: string;
    sql: string;
    notices?: FrameNotice[];
    olderOutsideRange?: number;
    /** A signature filter: its id and text (null when no event has it now), for the page's filter chip. */
    signature?: { id: string; text: string | null };
  }
): Frame {
  const { page, nextCursor } = pageOf(rows, q);
  const col = <T>(f: (r: DlqEventRow) => T) => page.map(f);
  const text = (name: string, displayName: string, f: (r: DlqEventRow) => string | null, nullable = true) => ({
    name,
    type: 'string' as const,
    nullable,
    values: col(f),
    config: { displayName },
  });
  return {
    name: opts.refId,
    fields: [
      text('id', 'Event id', (r) => r.id, false),
      text('eventName', 'Event name', (r) => r.event_name, false),
      text('routingKey', 'Routing key', (r) => r.source_routing_key),
      text('repo', 'Repository', (r) => r.source_repo),
      text('sourceRunId', 'Source run', (r) => r.source_run_id),
      text('sourceJobId', 'Source job', (r) => r.source_job_id),
      { name: 'attempts', type: 'number', values: col((r) => Number(r.attempts)), config: { displayName: 'Attempts' } },
      text('reason', 'Reason', (r) => r.dlq_reason),
      { name: 'dlqAt', type: 'time', values: col((r) => r.dlq_at), config: { displayName: 'In DLQ since' } },
      { name: 'createdAt', type: 'time', values: col((r) => r.created_at), config: { displayName: 'Created' } },
      text('lastError', 'Last error', (r) => truncateForTable(r.last_error)),
    ],
    meta: {
      preferredVisualisationType: 'table',
      executedQueryString: opts.sql,
      ...(opts.notices && opts.notices.length > 0 ? { notices: opts.notices } : {}),
      custom: {
        nextCursor,
        limit: q.limit,
        sort: q.sort,
        sortDirection: q.dir,
        rows: page.length,
        ...(opts.olderOutsideRange === undefined ? {} : { olderOutsideRange: opts.olderOutsideRange }),
        ...(opts.signature ? { signatureId: opts.signature.id, signature: opts.signature.text } : {}),
      },
    },
  };
}

export function dlqDepthFrame(depth: number, opts: { refId: string; sql: string }): Frame {
  return {
    name: opts.refId,
    fields: [
      {
        name: 'depth',
        type: 'number',
        values: [depth],
        config: { displayName: 'DLQ depth', description: 'Events in the DLQ now (kici_events.dlq_at IS NOT NULL)' },
      },
    ],
    meta: { preferredVisualisationType: 'graph', executedQueryString: opts.sql },
  };
}

export function dlqSeriesFrame(
  points: Array<{ time: Date; admissions: number }>,
  opts: { refId: string; sql: string; stepMs: number }
): Frame {
  return {
    name: opts.refId,
    fields: [
      { name: 'time', type: 'time', values: points.map((p) => p.time), config: { interval: opts.stepMs } },
      {
        name: 'admissions',
        type: 'number',
        values: points.map((p) => p.admissions),
        config: { displayName: 'DLQ admissions', description: 'Events moved to the DLQ per interval' },
      },
    ],
    meta: {
      type: 'timeseries-multi',
      typeVersion: [0, 1],
      preferredVisualisationType: 'graph',
      executedQueryString: opts.sql,
      custom: { stepMs: opts.stepMs },
    },
  };
}
