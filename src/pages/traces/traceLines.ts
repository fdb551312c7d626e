// Turns Loki's answer into the lines the Traces page shows: one record per KiCI log line, in the order KiCI wrote
// them, with its tier read from the JSON `service` (forwarded agent lines sit in the orchestrator's stream with an inner
// `"service":"agent"`), plus what the lines say about the ids searched for.
import { type DataFrame, FieldType } from '@grafana/data';

import { TIERS, type Tier } from '../../dashboards/logql';
import { carriesId, ID_KINDS, type IdKind, type TraceId } from './traceQuery';

export type LineTier = Tier | 'other';

export interface TraceLine {
  /** Stable React key (Loki's line id, else frame/row). */
  key: string;
  /** When KiCI wrote the line: its JSON `timestamp`, else Loki's timestamp (ms since epoch). */
  timeMs: number;
  tier: LineTier;
  /** winston level (`error`, `warn`, `info`, `debug`); empty when the line is not KiCI JSON. */
  level: string;
  message: string;
  /** Every JSON field of the line (empty when it is not JSON). */
  fields: Record<string, unknown>;
  /** The stream's `service` label (which log stream carried the line). */
  stream?: string;
  /** An agent line re-emitted on an orchestrator's stdout by the scaler log forwarder. */
  forwarded: boolean;
  raw: string;
}

type Labels = Record<string, string>;

function parseJson(raw: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

/** Nanoseconds since epoch as a fixed-width string (compares like the number; ns exceed float precision). */
function nanoKey(tsNs: string, ms: number): string {
  const digits = /^\d+$/.test(tsNs) ? tsNs : `${Math.trunc(ms)}000000`;
  return digits.padStart(24, '0');
}

function tierOf(service: string): LineTier {
  return (TIERS as readonly string[]).includes(service) ? (service as Tier) : 'other';
}

/**
 * The rows of Loki log frames (Grafana's `labels`/`Time`/`Line`/`tsNs`/`id` frames, and the dataplane
 * `labels`/`timestamp`/`body`/`id` ones), oldest first. Lines are ordered by KiCI's own `timestamp`, then by Loki's
 * nanosecond timestamp, then as Loki returned them.
 */
export function traceLinesFromFrames(frames: DataFrame[]): TraceLine[] {
  const rows: Array<TraceLine & { ns: string; order: number }> = [];
  frames.forEach((frame, f) => {
    const time = frame.fields.find((field) => field.type === FieldType.time);
    const body =
      frame.fields.find((field) => field.name === 'Line' || field.name === 'body') ??
      frame.fields.find((field) => field.type === FieldType.string && !['id', 'tsNs'].includes(field.name));
    if (!time || !body) {
      return;
    }
    const labels = frame.fields.find((field) => field.name === 'labels');
    const ids = frame.fields.find((field) => field.name === 'id');
    const tsNs = frame.fields.find((field) => field.name === 'tsNs');
    for (let row = 0; row < frame.length; row++) {
      const raw = text(body.values[row]);
      const fields = parseJson(raw);
      const rowLabels: Labels = { ...(body.labels ?? {}), ...((labels?.values[row] as Labels | undefined) ?? {}) };
      const lokiMs = Number(time.values[row]);
      const kiciMs = Date.parse(text(fields.timestamp));
      const service = text(fields.service) || rowLabels.kici_service || '';
      const stream = rowLabels.service;
      const tier = tierOf(service);
      rows.push({
        key: text(ids?.values[row]) || `${f}-${row}`,
        timeMs: Number.isFinite(kiciMs) ? kiciMs : lokiMs,
        tier,
        level: text(fields.level) || rowLabels.kici_level || '',
        message: text(fields.message) || rowLabels.kici_message || (Object.keys(fields).length ? '' : raw),
        fields,
        stream,
        forwarded: tier === 'agent' && (fields.logsSource !== undefined || (!!stream && stream !== 'agent')),
        raw,
        ns: nanoKey(text(tsNs?.values[row]), lokiMs),
        order: rows.length,
      });
    }
  });
  rows.sort((a, b) => a.timeMs - b.timeMs || (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0) || a.order - b.order);
  return rows.map(({ ns: _ns, order: _order, ...line }) => line);
}

export function isErrorLine(line: TraceLine): boolean {
  return line.level === 'error';
}

export interface TierGroup {
  tier: LineTier;
  lines: TraceLine[];
  errors: number;
}

/** Lines per tier (platform → orchestrator → agent → other), each in time order; tiers without lines are left out. */
export function groupByTier(lines: TraceLine[]): TierGroup[] {
  return [...TIERS, 'other' as const]
    .map((tier) => {
      const mine = lines.filter((line) => line.tier === tier);
      return { tier, lines: mine, errors: mine.filter(isErrorLine).length };
    })
    .filter((group) => group.lines.length > 0);
}

/** For each id searched, the fields that carried it (how the page tells which kind of id was pasted). */
export function matchedKinds(lines: TraceLine[], ids: TraceId[]): Map<string, IdKind[]> {
  const found = new Map<string, IdKind[]>();
  for (const id of ids) {
    const kinds = ID_KINDS.filter((kind) => lines.some((line) => carriesId(kind, text(line.fields[kind]), id.value)));
    found.set(id.value, kinds);
  }
  return found;
}

export interface RelatedId {
  kind: IdKind;
  value: string;
  /** Lines carrying it among the results. */
  lines: number;
}

/**
 * Other ids the found lines carry (a delivery's requestId, a request's runIds, an event's source run), to follow the
 * trace further. `jobId` is left out: it names a job within a run (e.g. `build`), not one execution.
 */
export function relatedIds(lines: TraceLine[], searched: TraceId[], limit = 12): RelatedId[] {
  const skip = new Set(searched.map((id) => id.value));
  const counts = new Map<string, RelatedId>();
  for (const line of lines) {
    for (const kind of ID_KINDS) {
      const value = text(line.fields[kind]);
      if (kind === 'jobId' || !value || skip.has(value)) {
        continue;
      }
      const key = `${kind}\u0000${value}`;
      const entry = counts.get(key) ?? { kind, value, lines: 0 };
      entry.lines++;
      counts.set(key, entry);
    }
  }
  return [...counts.values()]
    .sort((a, b) => ID_KINDS.indexOf(a.kind) - ID_KINDS.indexOf(b.kind) || b.lines - a.lines)
    .slice(0, limit);
}
