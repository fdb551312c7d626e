// Reading the dlqEvents / dlqDepth / eventDelivery frames (src/backend/features/dlq/frames.ts,
// event-delivery/frames.ts) into what the page shows. Pure.
import { type DataFrame, getTimeZone, LoadingState, type PanelData } from '@grafana/data';

import type { TimeZone } from '@grafana/schema';

import { formatExact } from '../../components/time';
import type { KiciQuery } from '../../datasource/query';

export interface DlqRow {
  id: string;
  eventName: string;
  routingKey: string | null;
  repo: string | null;
  sourceRunId: string | null;
  sourceJobId: string | null;
  attempts: number;
  reason: string | null;
  dlqAt: number | null;
  createdAt: number | null;
  lastError: string | null;
}

function fieldValues(frame: DataFrame | undefined, name: string): unknown[] | undefined {
  const field = frame?.fields.find((f) => f.name === name);
  return field ? Array.from(field.values as ArrayLike<unknown>) : undefined;
}

const str = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));
const time = (v: unknown): number | null => {
  if (v === null || v === undefined) {
    return null;
  }
  const n = typeof v === 'number' ? v : Date.parse(String(v));
  return Number.isFinite(n) ? n : null;
};

export function dlqRows(frame: DataFrame | undefined): DlqRow[] {
  const ids = fieldValues(frame, 'id') ?? [];
  const col = (name: string) => fieldValues(frame, name) ?? [];
  const [eventName, routingKey, repo, run, job, attempts, reason, dlqAt, createdAt, lastError] = [
    'eventName',
    'routingKey',
    'repo',
    'sourceRunId',
    'sourceJobId',
    'attempts',
    'reason',
    'dlqAt',
    'createdAt',
    'lastError',
  ].map(col);
  return ids.map((id, i) => ({
    id: String(id),
    eventName: String(eventName[i] ?? ''),
    routingKey: str(routingKey[i]),
    repo: str(repo[i]),
    sourceRunId: str(run[i]),
    sourceJobId: str(job[i]),
    attempts: Number(attempts[i] ?? 0),
    reason: str(reason[i]),
    dlqAt: time(dlqAt[i]),
    createdAt: time(createdAt[i]),
    lastError: str(lastError[i]),
  }));
}

/** The keyset cursor of the next page, or null on the last one. */
export function nextCursorOf(frame: DataFrame | undefined): string | null {
  const cursor = (frame?.meta?.custom as { nextCursor?: unknown } | undefined)?.nextCursor;
  return typeof cursor === 'string' && cursor !== '' ? cursor : null;
}

/** The signature text the backend read for the list's signature filter (null: no event has it now, or none asked). */
export function signatureTextOf(frame: DataFrame | undefined): string | null {
  const text = (frame?.meta?.custom as { signature?: unknown } | undefined)?.signature;
  return typeof text === 'string' ? text : null;
}

export function frameByRefId(frames: DataFrame[] | undefined, refId: string, name?: string): DataFrame | undefined {
  return frames?.find((f) => f.refId === refId && (name === undefined || f.name === name));
}

/** The first value of a numeric field; null when the frame or field is missing or the value is not a number. */
export function firstNumber(frame: DataFrame | undefined, field: string): number | null {
  const v = fieldValues(frame, field)?.[0];
  if (v === null || v === undefined) {
    return null;
  }
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** The numeric value of an instant Prometheus result for `refId` (first numeric field of its first frame). */
export function promValue(frames: DataFrame[] | undefined, refId: string): number | null {
  for (const frame of (frames ?? []).filter((f) => f.refId === refId)) {
    const field = frame.fields.find((f) => f.type === 'number');
    const v = field ? Array.from(field.values as ArrayLike<unknown>).at(-1) : undefined;
    if (typeof v === 'number' && Number.isFinite(v)) {
      return v;
    }
  }
  return null;
}

export interface Admissions {
  lastHour: number;
  last24h: number;
  /** Admissions in bins that end after `since` (null when no `since`). */
  since: number | null;
  /** Start of the most recent bin with an admission. */
  lastAdmissionAt: number | null;
}

/**
 * Sums the admissions series (one bin per step) into the stats: a bin counts for a window when it ends inside it, so
 * the one-hour figure can include up to one step before the hour.
 */
export function admissions(frame: DataFrame | undefined, now: number, since?: number): Admissions | null {
  const times = fieldValues(frame, 'time');
  const counts = fieldValues(frame, 'admissions');
  if (!times || !counts) {
    return null;
  }
  const fieldConfig = frame?.fields.find((f) => f.name === 'time')?.config;
  const step = Number(
    fieldConfig?.interval ?? (frame?.meta?.custom as { stepMs?: number } | undefined)?.stepMs ?? 60_000
  );
  const out: Admissions = { lastHour: 0, last24h: 0, since: since === undefined ? null : 0, lastAdmissionAt: null };
  times.forEach((t, i) => {
    const start = time(t);
    const n = Number(counts[i] ?? 0);
    if (start === null || !Number.isFinite(n)) {
      return;
    }
    const end = start + step;
    if (end > now - 24 * 3600_000) {
      out.last24h += n;
    }
    if (end > now - 3600_000) {
      out.lastHour += n;
    }
    if (since !== undefined && end > since) {
      out.since! += n;
    }
    if (n > 0 && (out.lastAdmissionAt === null || start > out.lastAdmissionAt)) {
      out.lastAdmissionAt = start;
    }
  });
  return out;
}

/** The stats' KiCI queries: depth now, the admissions series (1-minute bins over 24 h), the delivery summary. */
export function statsQueries(): KiciQuery[] {
  return [
    { refId: 'depth', queryType: 'dlqDepth' },
    { refId: 'admissions', queryType: 'dlqDepth', series: true },
    { refId: 'delivery', queryType: 'eventDelivery', section: 'summary' },
  ];
}

/** 24 h of one-minute bins, plus the bin the range starts in. */
export const ADMISSION_POINTS = 24 * 60 + 1;

/** The most frequent event name among rows: the workflow handler to look at first. */
export function topEventName(rows: DlqRow[]): { name: string; count: number } | null {
  const counts = new Map<string, number>();
  for (const r of rows) {
    counts.set(r.eventName, (counts.get(r.eventName) ?? 0) + 1);
  }
  let best: { name: string; count: number } | null = null;
  for (const [name, count] of counts) {
    if (!best || count > best.count) {
      best = { name, count };
    }
  }
  return best;
}

/** In the zone Grafana gives the page (the user's preference unless the caller passes the scene's). */
export const formatTime = (ms: number, tz: TimeZone = getTimeZone()) => formatExact(ms, tz);

/**
 * KiCI keeps the last `next_retry_at` on a DLQ row, but nothing retries a DLQ event by itself: only Retry (here or
 * kici-admin) puts it back. A past time is shown as what it was, never as a coming retry.
 */
export function nextRetryText(
  event: { dlqAt: string | null; nextRetryAt: string | null },
  now: number,
  format: (ms: number) => string
): string {
  if (event.dlqAt !== null) {
    return 'none: a DLQ event is not retried until someone retries it';
  }
  if (event.nextRetryAt === null) {
    return '—';
  }
  const at = Date.parse(event.nextRetryAt);
  return at <= now ? `due since ${format(at)}` : format(at);
}

/** The message of a failed query, or null while it loads or after it answered. */
export function queryError(data: PanelData | undefined): string | null {
  if (!data) {
    return null;
  }
  return data.errors?.[0]?.message ?? (data.state === LoadingState.Error ? 'the query failed without a message' : null);
}
