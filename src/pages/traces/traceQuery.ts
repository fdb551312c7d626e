// What the Traces page searches for and the LogQL it sends. KiCI writes one winston JSON object per line (contract
// §9); the ids are JSON fields, never stream labels, so a search is a cheap line filter on the id text followed by an
// exact match on the parsed fields. The stream selector and tier vocabulary are the Logs trace dashboard's
// (`src/dashboards/logql.ts`), so the page and the dashboard always see the same lines.
import type { DataQuery } from '@grafana/schema';

import { KICI_STREAMS } from '../../dashboards/logql';

/**
 * The ids operators are handed: `requestId` (webhook response body, GitHub check-run summary "Trace"), `runId`
 * (check-run summary "Run", `Job dispatched`), `jobId` (a job within a run), `eventId` (internal events, the DLQ) and
 * `deliveryId` (the provider's delivery id: `X-GitHub-Delivery`, on the webhook ingress lines).
 */
export const ID_KINDS = ['requestId', 'runId', 'jobId', 'eventId', 'deliveryId'] as const;
export type IdKind = (typeof ID_KINDS)[number];

/** `any`: the kind is unknown (all KiCI ids are UUIDs, so the text cannot tell them apart): match every id field. */
export type SearchKind = IdKind | 'any';

export interface TraceId {
  kind: SearchKind;
  value: string;
}

export const ID_KIND_LABELS: Record<SearchKind, string> = {
  any: 'Any id',
  requestId: 'requestId',
  runId: 'runId',
  jobId: 'jobId',
  eventId: 'eventId',
  deliveryId: 'deliveryId',
};

const MAX_ID_LENGTH = 200;
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/**
 * Names an id goes by where operators copy it from, mapped to the field KiCI logs it under: the agent's trace header
 * `Run: <runId> | Trace: <requestId>`, the check-run summary's Trace/Run, the `X-Request-ID` and `X-GitHub-Delivery`
 * headers, and the JSON field names themselves (a pasted log line or webhook response body).
 */
const KIND_BY_NAME: Record<string, IdKind> = {
  trace: 'requestId',
  requestid: 'requestId',
  'x-request-id': 'requestId',
  run: 'runId',
  runid: 'runId',
  run_id: 'runId',
  job: 'jobId',
  jobid: 'jobId',
  job_id: 'jobId',
  eventid: 'eventId',
  event_id: 'eventId',
  deliveryid: 'deliveryId',
  delivery_id: 'deliveryId',
  'x-github-delivery': 'deliveryId',
};

const NAMED_ID = new RegExp(
  `(?:^|[^A-Za-z0-9_-])(${Object.keys(KIND_BY_NAME)
    .map((n) => n.replace(/-/g, '\\-'))
    .join('|')})["'\`*\\s]*[:=]["'\`*\\s]*(${UUID})`,
  'gi'
);

export interface ParsedInput {
  ids: TraceId[];
  /** Why nothing can be searched (empty or unusable input); the ids are then empty. */
  problem?: string;
}

/**
 * Reads what an operator pasted: a bare id, or text naming ids (`Run: <runId> | Trace: <requestId>`, a JSON log line,
 * `{"requestId":"…"}`, `X-GitHub-Delivery: …`). Named ids keep the kind their name says; bare ids get `kind` (the
 * picker's choice, `any` by default). Ids are lower-cased UUIDs as KiCI writes them; a bare non-UUID (a `jobId` such as
 * `build`) is taken verbatim.
 */
export function parseTraceInput(text: string, kind: SearchKind = 'any'): ParsedInput {
  const trimmed = text.trim().replace(/^["'`]+|["'`]+$/g, '');
  if (trimmed === '') {
    return { ids: [], problem: 'Enter a requestId, runId, jobId, eventId or delivery id.' };
  }
  const named: TraceId[] = [];
  for (const m of trimmed.matchAll(NAMED_ID)) {
    named.push({ kind: KIND_BY_NAME[m[1].toLowerCase()], value: m[2].toLowerCase() });
  }
  if (named.length > 0) {
    return { ids: dedupe(named) };
  }
  const uuids = [...trimmed.matchAll(new RegExp(UUID, 'g'))].map((m) => m[0].toLowerCase());
  if (uuids.length > 0) {
    return { ids: dedupe(uuids.map((value) => ({ kind, value }))) };
  }
  if (trimmed.length > MAX_ID_LENGTH) {
    return { ids: [], problem: `That is ${trimmed.length} characters and holds no UUID; paste one id.` };
  }
  if (/["\\`\u0000-\u001f]/.test(trimmed)) {
    return { ids: [], problem: 'An id has no quotes, backslashes, backticks or line breaks; paste the id alone.' };
  }
  return { ids: [{ kind, value: trimmed }] };
}

/**
 * The ids as text that `parseTraceInput(text, kind)` reads back to the same ids: bare values for the picked kind,
 * `kind=value` for the others. The page shows it in the box and keeps it in the URL (`?id=…&kind=…`).
 */
export function canonicalSearch(ids: TraceId[], kind: SearchKind): string {
  return ids.map((id) => (id.kind === kind ? id.value : `${id.kind}=${id.value}`)).join(' ');
}

function dedupe(ids: TraceId[]): TraceId[] {
  const seen = new Set<string>();
  return ids.filter((id) => {
    const key = `${id.kind}\u0000${id.value}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** A double-quoted LogQL string (Go string syntax). */
export function logqlString(value: string): string {
  return JSON.stringify(value);
}

/** RE2 escaping of regular-expression metacharacters (Go's regexp.QuoteMeta). */
export function quoteMeta(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** The JSON fields the page filters and groups on, extracted under names that cannot collide with stream labels. */
export const TRACE_JSON_STAGE =
  '| json kici_service="service", kici_level="level", kici_message="message", requestId="requestId", ' +
  'runId="runId", jobId="jobId", eventId="eventId", deliveryId="deliveryId" | __error__=""';

/**
 * LogQL for every KiCI line carrying any of `ids`: a line filter on the id text (Loki applies it before any JSON
 * parsing, and every id field appears verbatim in the raw line), then the exact field match. `any` ids match each id
 * field. Forwarded agent lines are in the orchestrator's stream with an inner `"service":"agent"`, and the stream
 * selector takes every tier, so they are found either way.
 */
export function traceLogQL(ids: TraceId[]): string {
  if (ids.length === 0) {
    throw new Error('traceLogQL needs at least one id');
  }
  for (const id of ids) {
    if (id.value === '' || /[`\u0000-\u001f]/.test(id.value)) {
      throw new Error(`not a searchable id: ${JSON.stringify(id.value)}`);
    }
  }
  const values = [...new Set(ids.map((id) => id.value))];
  const lineFilter =
    values.length === 1 ? `|= ${logqlString(values[0])}` : '|~ `' + values.map(quoteMeta).join('|') + '`';
  const matches = ids.flatMap((id) =>
    (id.kind === 'any' ? ID_KINDS : [id.kind]).map((field) => `${field}=${logqlString(id.value)}`)
  );
  return [KICI_STREAMS, lineFilter, TRACE_JSON_STAGE, `| ${[...new Set(matches)].join(' or ')}`].join(' ');
}

/** Lines per search: enough for a run's whole life; past it the page says so and points to Explore. */
export const TRACE_MAX_LINES = 1000;

/** Grafana's Loki query model (the fields the page sets). */
export interface LokiTraceQuery extends DataQuery {
  expr: string;
  queryType: 'range';
  direction: 'forward';
  maxLines: number;
  editorMode: 'code';
}

/** The Loki query of a search: a log (range) query read oldest first, so the lines arrive in time order. */
export function lokiTraceQuery(ids: TraceId[], refId = 'trace'): LokiTraceQuery {
  return {
    refId,
    expr: traceLogQL(ids),
    queryType: 'range',
    direction: 'forward',
    maxLines: TRACE_MAX_LINES,
    editorMode: 'code',
  };
}
