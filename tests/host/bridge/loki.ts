// A Loki stand-in for the host: the KiCI JSON lines the sims wrote, kept in memory and labelled the way the compose
// stack's Alloy labels them (dev/alloy/config.alloy), answered for the LogQL subset the pages build: a stream
// selector, line filters (|= != |~ !~, with `or`), `| json` (bare or with label="field" extractions) and label
// filters (= != =~ !~, and/or/parentheses/commas). Anything else is refused with a message naming it, never
// silently answered wrong. Frames have the shape Grafana's Loki datasource returns for a log query.
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@grafana/lezer-logql';
import { Writable } from 'node:stream';

import type { DataFrameJSON } from './frames';

export const LOKI_TYPE = 'loki';

/** Alloy's structured metadata: the trace fields, never stream labels (unbounded cardinality). */
const METADATA_FIELDS = ['requestId', 'runId', 'jobId', 'eventId', 'routingKey', 'deliveryId'];

export interface LokiEntry {
  /** Loki's timestamp: when the line was captured, nanoseconds as decimal digits (unique, increasing). */
  tsNs: string;
  timeMs: number;
  stream: Record<string, string>;
  metadata: Record<string, string>;
  line: string;
}

export class LokiError extends Error {}

/**
 * Alloy's rules for kici-sim's single file: a line with `logsSource` is an agent line forwarded by the scaler's log
 * forwarder and belongs to the orchestrator's stream; any other line's tier is its JSON `service`.
 */
export function streamOf(line: string, source: Record<string, string>): Record<string, string> {
  let service = 'unknown';
  try {
    const json = JSON.parse(line) as Record<string, unknown>;
    if (json && typeof json === 'object') {
      service =
        json.logsSource !== undefined ? 'orchestrator' : typeof json.service === 'string' ? json.service : service;
    }
  } catch {}
  return { ...source, service };
}

function metadataOf(line: string): Record<string, string> {
  try {
    const json = JSON.parse(line) as Record<string, unknown>;
    return Object.fromEntries(
      METADATA_FIELDS.filter((k) => typeof json[k] === 'string' && json[k] !== '').map((k) => [k, String(json[k])])
    );
  } catch {
    return {};
  }
}

export class LokiStore {
  readonly entries: LokiEntry[] = [];
  private lastNs = 0n;

  constructor(
    private readonly maxEntries = 200_000,
    private readonly now: () => number = Date.now
  ) {}

  add(line: string, source: Record<string, string>): void {
    const trimmed = line.trim();
    if (!trimmed) {
      return;
    }
    const ms = this.now();
    let ns = BigInt(ms) * 1_000_000n;
    if (ns <= this.lastNs) {
      ns = this.lastNs + 1n;
    }
    this.lastNs = ns;
    this.entries.push({
      tsNs: ns.toString(),
      timeMs: Number(ns / 1_000_000n),
      stream: streamOf(trimmed, source),
      metadata: metadataOf(trimmed),
      line: trimmed,
    });
    if (this.entries.length > this.maxEntries) {
      this.entries.splice(0, this.entries.length - this.maxEntries);
    }
  }

  /** A stream the sims can log to: each line is stored with `source`'s labels (and also written to `tee`). */
  writable(source: Record<string, string>, tee?: NodeJS.WritableStream): Writable {
    let pending = '';
    return new Writable({
      write: (chunk: Buffer | string, _enc, done) => {
        const text = pending + chunk.toString();
        const lines = text.split('\n');
        pending = lines.pop() ?? '';
        lines.forEach((l) => this.add(l, source));
        tee?.write(chunk);
        done();
      },
      final: (done) => {
        this.add(pending, source);
        pending = '';
        done();
      },
    });
  }
}

type Labels = Record<string, string>;
type Stage = (labels: Labels, line: string, stream: Labels) => boolean;

interface Compiled {
  selector: (stream: Labels) => boolean;
  /** Each stage may add labels; false drops the line. */
  stages: Stage[];
}

function text(q: string, n: SyntaxNode): string {
  return q.slice(n.from, n.to);
}

function children(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) {
    out.push(c);
  }
  return out;
}

function unsupported(q: string, n: SyntaxNode, what = n.name): never {
  throw new LokiError(`the host's Loki stand-in does not support ${what} at ${JSON.stringify(text(q, n))}`);
}

/** A LogQL string: Go-quoted "…" or raw `…`. */
function stringValue(q: string, n: SyntaxNode): string {
  const raw = text(q, n);
  if (raw.startsWith('`')) {
    return raw.slice(1, -1);
  }
  try {
    return JSON.parse(raw) as string;
  } catch {
    throw new LokiError(`not a LogQL string: ${raw}`);
  }
}

function regex(source: string, anchored: boolean): RegExp {
  try {
    return new RegExp(anchored ? `^(?:${source})$` : source, 's');
  } catch (err) {
    throw new LokiError(`invalid regular expression ${JSON.stringify(source)}: ${(err as Error).message}`);
  }
}

/** A label matcher (selector or label filter): `=`, `!=`, anchored `=~`, `!~`. A missing label is "". */
function matcher(q: string, n: SyntaxNode): (labels: Labels) => boolean {
  const [name, op, value] = children(n);
  if (!name || !op || !value || name.name !== 'Identifier' || value.name !== 'String') {
    unsupported(q, n, 'this matcher');
  }
  const label = text(q, name);
  const v = stringValue(q, value);
  switch (op.name) {
    case 'Eq':
      return (l) => (l[label] ?? '') === v;
    case 'Neq':
      return (l) => (l[label] ?? '') !== v;
    case 'Re': {
      const re = regex(v, true);
      return (l) => re.test(l[label] ?? '');
    }
    case 'Nre': {
      const re = regex(v, true);
      return (l) => !re.test(l[label] ?? '');
    }
  }
  return unsupported(q, op, `the matcher operator ${op.name}`);
}

function selector(q: string, n: SyntaxNode): (stream: Labels) => boolean {
  const matchers: Array<(l: Labels) => boolean> = [];
  const walk = (m: SyntaxNode) => {
    for (const c of children(m)) {
      if (c.name === 'Matchers') {
        walk(c);
      } else if (c.name === 'Matcher') {
        matchers.push(matcher(q, c));
      } else {
        unsupported(q, c);
      }
    }
  };
  walk(n);
  if (!matchers.length) {
    throw new LokiError('a stream selector needs at least one matcher');
  }
  return (l) => matchers.every((m) => m(l));
}

function lineFilter(q: string, n: SyntaxNode): (line: string) => boolean {
  const parts = children(n);
  const filter = parts[0];
  const op = filter?.firstChild;
  if (!filter || filter.name !== 'Filter' || !op) {
    return unsupported(q, n, 'this line filter');
  }
  const values: string[] = [];
  for (const c of parts.slice(1)) {
    if (c.name === 'String') {
      values.push(stringValue(q, c));
    } else if (c.name === 'OrFilter') {
      children(c).forEach((s) => (s.name === 'String' ? values.push(stringValue(q, s)) : unsupported(q, s)));
    } else if (c.name !== 'Or') {
      unsupported(q, c, `${c.name} in a line filter`);
    }
  }
  switch (op.name) {
    case 'PipeExact':
      return (line) => values.some((v) => line.includes(v));
    case 'Neq':
      return (line) => values.every((v) => !line.includes(v));
    case 'PipeMatch': {
      const res = values.map((v) => regex(v, false));
      return (line) => res.some((re) => re.test(line));
    }
    case 'Nre': {
      const res = values.map((v) => regex(v, false));
      return (line) => res.every((re) => !re.test(line));
    }
  }
  return unsupported(q, op, `the line filter operator ${op.name}`);
}

function lineFilters(q: string, n: SyntaxNode, out: Stage[]): void {
  for (const c of children(n)) {
    if (c.name === 'LineFilters') {
      lineFilters(q, c, out);
    } else if (c.name === 'LineFilter') {
      const f = lineFilter(q, c);
      out.push((_l, line) => f(line));
    } else {
      unsupported(q, c);
    }
  }
}

/** Loki's label name sanitising for `| json`: non-[A-Za-z0-9_] become `_`, nested keys joined with `_`. */
function sanitize(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

function flatten(value: unknown, prefix: string, out: Labels): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      flatten(v, prefix ? `${prefix}_${sanitize(k)}` : sanitize(k), out);
    }
  } else if (Array.isArray(value)) {
    // Loki skips arrays in a bare `| json`.
  } else if (prefix) {
    out[prefix] = value === null ? '' : String(value);
  }
}

function jsonPath(value: unknown, path: string[]): string {
  let v = value;
  for (const p of path) {
    v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  }
  if (v === undefined || v === null) {
    return '';
  }
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** `a.b`, `a["b"]`, `a[0]` -> ['a', 'b']. */
function parsePath(path: string): string[] {
  return [...path.matchAll(/([^.[\]"]+)|\["([^"]*)"\]|\[(\d+)\]/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

function jsonStage(q: string, n: SyntaxNode): Stage {
  const extractions: Array<[string, string[]]> = [];
  const walk = (m: SyntaxNode) => {
    for (const c of children(m)) {
      if (c.name === 'LabelExtractionExpressionList') {
        walk(c);
      } else if (c.name === 'LabelExtractionExpression') {
        const [name, , value] = children(c);
        if (!name || !value || value.name !== 'String') {
          unsupported(q, c, 'this json extraction');
        }
        extractions.push([text(q, name), parsePath(stringValue(q, value))]);
      } else if (c.name !== 'Json') {
        unsupported(q, c, `${c.name} in | json`);
      }
    }
  };
  walk(n);
  return (labels, line, stream) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      labels.__error__ = 'JSONParserErr';
      labels.__error_details__ = 'the line is not a JSON object';
      return true;
    }
    const found: Labels = {};
    if (extractions.length) {
      for (const [name, path] of extractions) {
        found[name] = jsonPath(parsed, path);
      }
    } else {
      flatten(parsed, '', found);
    }
    for (const [k, v] of Object.entries(found)) {
      // An extracted name that collides with a stream label gets `_extracted` (Loki's rule).
      labels[k in stream ? `${k}_extracted` : k] = v;
    }
    return true;
  };
}

function labelFilter(q: string, n: SyntaxNode): (labels: Labels) => boolean {
  const parts = children(n);
  if (parts.length === 1 && parts[0].name === 'Matcher') {
    return matcher(q, parts[0]);
  }
  if (parts.length === 1 && parts[0].name === 'LabelFilter') {
    return labelFilter(q, parts[0]);
  }
  if (parts.length === 3 && (parts[1].name === 'And' || parts[1].name === 'Or')) {
    const a = labelFilter(q, parts[0]);
    const b = labelFilter(q, parts[2]);
    return parts[1].name === 'And' ? (l) => a(l) && b(l) : (l) => a(l) || b(l);
  }
  if (parts.length === 2 && parts.every((p) => p.name === 'LabelFilter')) {
    const a = labelFilter(q, parts[0]);
    const b = labelFilter(q, parts[1]);
    return (l) => a(l) && b(l);
  }
  const other = parts.find((p) => !['LabelFilter', 'Matcher', 'And', 'Or'].includes(p.name)) ?? n;
  return unsupported(q, other, other === n ? 'this label filter' : `${other.name} in a label filter`);
}

function pipeline(q: string, n: SyntaxNode, out: Stage[]): void {
  for (const c of children(n)) {
    if (c.name === 'PipelineExpr') {
      pipeline(q, c, out);
      continue;
    }
    if (c.name !== 'PipelineStage') {
      unsupported(q, c);
    }
    for (const s of children(c)) {
      if (s.name === 'Pipe') {
        continue;
      }
      if (s.name === 'LineFilters') {
        lineFilters(q, s, out);
      } else if (s.name === 'JsonExpressionParser' || (s.name === 'LabelParser' && s.firstChild?.name === 'Json')) {
        out.push(jsonStage(q, s));
      } else if (s.name === 'LabelFilter') {
        const f = labelFilter(q, s);
        out.push((labels) => f(labels));
      } else {
        unsupported(q, s, `the stage | ${text(q, s)} (${s.name})`);
      }
    }
  }
}

export function compileLogQL(q: string): Compiled {
  const tree = parser.parse(q);
  let bad: SyntaxNode | null = null;
  tree.iterate({
    enter: (ref) => {
      if (ref.type.isError && !bad) {
        bad = ref.node;
      }
    },
  });
  if (bad) {
    const at = (bad as SyntaxNode).from;
    throw new LokiError(`parse error at character ${at + 1} of ${JSON.stringify(q)}`);
  }
  const expr = tree.topNode.firstChild;
  const log = expr?.firstChild;
  if (!expr || !log || log.name !== 'LogExpr') {
    throw new LokiError(
      `the host's Loki stand-in answers log queries only, not ${log?.name ?? 'an empty query'} (${JSON.stringify(q)})`
    );
  }
  let sel: ((l: Labels) => boolean) | undefined;
  const stages: Stage[] = [];
  for (const c of children(log)) {
    if (c.name === 'Selector') {
      sel = selector(q, c);
    } else if (c.name === 'PipelineExpr') {
      pipeline(q, c, stages);
    } else {
      unsupported(q, c);
    }
  }
  if (!sel) {
    throw new LokiError('a log query starts with a stream selector: {label="value"}');
  }
  return { selector: sel, stages };
}

export interface LokiQuery {
  refId: string;
  expr: string;
  fromMs: number;
  toMs: number;
  /** Default 1000 (Grafana's Loki default maxLines). */
  maxLines?: number;
  direction?: 'forward' | 'backward';
}

/** The lines a log query selects, each with its labels (stream, structured metadata, extracted). */
export function selectLines(store: LokiStore, query: LokiQuery): Array<{ entry: LokiEntry; labels: Labels }> {
  const compiled = compileLogQL(query.expr);
  const limit = query.maxLines ?? 1000;
  const forward = query.direction === 'forward';
  const candidates = store.entries.filter(
    (e) => e.timeMs >= query.fromMs && e.timeMs <= query.toMs && compiled.selector(e.stream)
  );
  // Loki returns the `limit` lines nearest the start (forward) or the end (backward) of the range.
  const ordered = forward ? candidates : [...candidates].reverse();
  const out: Array<{ entry: LokiEntry; labels: Labels }> = [];
  for (const entry of ordered) {
    const labels: Labels = { ...entry.stream, ...entry.metadata };
    if (compiled.stages.every((stage) => stage(labels, entry.line, entry.stream))) {
      out.push({ entry, labels });
      if (out.length >= limit) {
        break;
      }
    }
  }
  return out;
}

/** Grafana's Loki log frame: labels, Time, Line, tsNs, id (the non-dataplane shape, `LabeledTimeValues`). */
export function lokiFrame(query: LokiQuery, rows: Array<{ entry: LokiEntry; labels: Labels }>): DataFrameJSON {
  return {
    schema: {
      refId: query.refId,
      meta: {
        typeVersion: [0, 0],
        custom: { frameType: 'LabeledTimeValues' },
        stats: [{ displayName: 'Summary: total lines processed', value: rows.length }],
        executedQueryString: `Expr: ${query.expr}`,
      },
      fields: [
        { name: 'labels', type: 'other', typeInfo: { frame: 'json.RawMessage' } },
        { name: 'Time', type: 'time', typeInfo: { frame: 'time.Time' } },
        { name: 'Line', type: 'string', typeInfo: { frame: 'string' } },
        { name: 'tsNs', type: 'string', typeInfo: { frame: 'string' } },
        { name: 'id', type: 'string', typeInfo: { frame: 'string' } },
      ],
    },
    data: {
      values: [
        rows.map((r) => r.labels),
        rows.map((r) => r.entry.timeMs),
        rows.map((r) => r.entry.line),
        rows.map((r) => r.entry.tsNs),
        rows.map((r) => `${r.entry.tsNs}_${hash(r.entry.line)}`),
      ],
    },
  };
}

function hash(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
