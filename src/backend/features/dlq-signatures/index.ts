// DLQ error signatures: the `dlqSignatures` query type (per signature: count, first/last admission, event names,
// routing keys, a sample error, in-range admissions for a sparkline) and `GET dlq/signatures/:id/events` (the events of
// one signature, for the filtered list and the bulk retry/discard, which go through the existing dlq routes).
import { PluginError, type Frame, type ResourceResponse } from '../../protocol/types';
import { toPluginError } from '../errors';
import { checkedRange, modelFilters, seriesStepMs } from '../dlq/options';
import { requireDb } from '../require-db';
import type { DlqFilters } from '../dlq/sql';
import type { FeatureEnv, QueryHandler, ResourceRoute } from '../types';
import { binsFor, groupSignatures, type Bins, type Signature, type TextBinRow, type TextGroupRow } from './group';
import { resolveSignatureEvents, SIGNATURE_ID_RE } from './resolve';
import { buildTextBinsSql, buildTextGroupsSql } from './sql';

/** Sparkline bins: a handful is enough to see a burst. */
export const SPARKLINE_POINTS = 48;

export function signaturesFrame(sigs: Signature[], bins: Bins, opts: { refId: string; sql: string }): Frame {
  const col = <T>(f: (s: Signature) => T) => sigs.map(f);
  const text = (name: string, displayName: string, f: (s: Signature) => string | null, nullable = false) => ({
    name,
    type: 'string' as const,
    nullable,
    values: col(f),
    config: { displayName },
  });
  return {
    name: opts.refId,
    fields: [
      text('signature', 'Signature', (s) => s.signature),
      { name: 'count', type: 'number', values: col((s) => s.count), config: { displayName: 'Events' } },
      { name: 'firstAt', type: 'time', values: col((s) => s.firstAt), config: { displayName: 'First admission' } },
      { name: 'lastAt', type: 'time', values: col((s) => s.lastAt), config: { displayName: 'Last admission' } },
      text('eventNames', 'Event names', (s) => s.eventNames.join(', ')),
      text('routingKeys', 'Routing keys', (s) => s.routingKeys.join(', ')),
      // NULL when the newest event of "(no error recorded)" has no last_error at all.
      text('sampleError', 'Sample error', (s) => s.sampleError, true),
      text('sampleEventId', 'Sample event', (s) => s.sampleEventId),
      text('signatureId', 'Signature id', (s) => s.id),
      // JSON array per row: admissions per bin over the time range (bins in meta.custom), for a sparkline.
      text('admissions', 'Admissions over the range', (s) => JSON.stringify(s.admissions)),
    ],
    meta: {
      preferredVisualisationType: 'table',
      executedQueryString: opts.sql,
      custom: { binStart: bins.start, stepMs: bins.stepMs, bins: bins.count, signatures: sigs.length },
    },
  };
}

/**
 * One number per signature (its events), labelled by the signature and its id, and nothing else: no time field and
 * one numeric field, the table Grafana's server-side expressions read as a set of numbers with labels
 * (tests/grafana-rules/sse-numbers.test.ts). The table frame above, with its times, is read as a long series: refused.
 */
export function signatureNumbersFrame(sigs: Signature[], opts: { refId: string; sql: string }): Frame {
  return {
    name: opts.refId,
    fields: [
      { name: 'signature', type: 'string', values: sigs.map((s) => s.signature) },
      { name: 'signatureId', type: 'string', values: sigs.map((s) => s.id) },
      { name: 'count', type: 'number', values: sigs.map((s) => s.count), config: { displayName: 'Events' } },
    ],
    meta: { executedQueryString: opts.sql, custom: { signatures: sigs.length } },
  };
}

export const dlqSignaturesQuery: QueryHandler = async (query, env) => {
  const db = requireDb(env.sources, 'the DLQ signatures');
  const filters = modelFilters(query.model);
  const range = checkedRange(query.raw.timeRange);
  const stepMs = seriesStepMs({ range: query.raw.timeRange, intervalMs: 0, maxDataPoints: SPARKLINE_POINTS });
  const groupsStmt = buildTextGroupsSql(filters);
  const binsStmt = buildTextBinsSql(filters, range, stepMs);
  const [groups, bins] = await Promise.all([
    db.read<TextGroupRow & Record<string, unknown>>(groupsStmt.sql, groupsStmt.params, env.ctx.signal),
    db.read<TextBinRow & Record<string, unknown>>(binsStmt.sql, binsStmt.params, env.ctx.signal),
  ]);
  const layout = binsFor(query.raw.timeRange, stepMs);
  const all = groupSignatures(groups, bins, layout);
  const from = query.raw.timeRange.from;
  const sigs = query.model.firstSeenInRange ? all.filter((s) => s.firstAt.getTime() >= from) : all;
  const opts = { refId: query.refId, sql: groupsStmt.sql };
  return {
    frames: [
      query.model.format === 'numbers' ? signatureNumbersFrame(sigs, opts) : signaturesFrame(sigs, layout, opts),
    ],
  };
};

/** At most this many ids per answer; the page retries or discards them in batches through the dlq routes. */
export const MAX_SIGNATURE_IDS = 10_000;
/** Events listed with their details (the filtered list). */
export const LISTED_EVENTS = 100;

const FILTER_KEYS = ['eventName', 'routingKey', 'repo', 'errorText'] as const;

/** The signature id from the path and the DLQ filters from the query string; anything else is a 400 naming it. */
export function parseIdsRequest(
  signatureId: string,
  query: URLSearchParams
): { signatureId: string; filter: DlqFilters } {
  if (!SIGNATURE_ID_RE.test(signatureId)) {
    throw new PluginError(
      `invalid signature request: signatureId: a signature id is 8 hex digits (the signatureId field), not "${signatureId.slice(0, 40)}"`,
      400
    );
  }
  const filter: DlqFilters = {};
  for (const [key, value] of query) {
    if (!(FILTER_KEYS as readonly string[]).includes(key)) {
      throw new PluginError(`invalid signature request: unknown parameter ${key} (use ${FILTER_KEYS.join(', ')})`, 400);
    }
    if (value !== '') {
      filter[key as (typeof FILTER_KEYS)[number]] = value;
    }
  }
  return { signatureId, filter };
}

async function signatureIds(sigId: string, query: URLSearchParams, env: FeatureEnv): Promise<ResourceResponse> {
  try {
    const req = parseIdsRequest(sigId, query);
    const db = requireDb(env.sources, 'the DLQ signatures');
    const { signature, events: matching } = await resolveSignatureEvents(
      (sql, params) => db.read(sql, params, env.ctx.signal),
      req.signatureId,
      req.filter
    );
    if (matching.length === 0) {
      return {
        status: 404,
        body: { error: `no DLQ event has signature ${req.signatureId} now (retried, discarded or never present)` },
      };
    }
    return {
      status: 200,
      body: {
        signatureId: req.signatureId,
        signature,
        count: matching.length,
        ids: matching.slice(0, MAX_SIGNATURE_IDS).map((r) => r.id),
        truncated: matching.length > MAX_SIGNATURE_IDS,
        events: matching.slice(0, LISTED_EVENTS).map((r) => ({
          id: r.id,
          eventName: r.event_name,
          routingKey: r.source_routing_key,
          dlqAt: r.dlq_at.toISOString(),
        })),
      },
    };
  } catch (err) {
    const e = toPluginError(err);
    return { status: e.status, body: { error: e.message } };
  }
}

export const dlqSignatureRoutes: ResourceRoute[] = [
  // A read (Viewers list a signature's events too); the retry and discard go through the dlq routes.
  {
    method: 'GET',
    path: 'dlq/signatures/:signatureId/events',
    handler: async (req, p, env) => signatureIds(p.signatureId, req.query, env),
  },
];
