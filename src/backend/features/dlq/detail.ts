// `GET dlq/:id`: one event with everything the table leaves out, and bulk-retry request bodies.
import { z } from 'zod';

import { PluginError } from '../../protocol/types';
import { firstIssue, jsonBody } from '../json-body';
import { MAX_TIME_MS, MIN_TIME_MS } from '../time-range';
import { SIGNATURE_ID_MESSAGE, SIGNATURE_ID_RE } from '../dlq-signatures/resolve';
import { UUID_RE } from './cursor';
import { MAX_BATCH } from './actions';
import type { DlqFilters } from './sql';

export interface DlqDetailRow extends Record<string, unknown> {
  id: string;
  event_name: string;
  payload: unknown;
  source_repo: string | null;
  source_routing_key: string | null;
  source_run_id: string | null;
  source_job_id: string | null;
  chain_depth: number;
  processed: boolean;
  created_at: Date;
  expires_at: Date;
  target_repos: unknown;
  claimed_at: Date | null;
  claimed_by: string | null;
  attempts: number;
  last_error: string | null;
  next_retry_at: Date | null;
  dlq_at: Date | null;
  dlq_reason: string | null;
}

/** KiCI's truncateError suffix (events/event-store.ts): the stored error was cut at 4096 characters. */
export const KICI_TRUNCATION_SUFFIX = '...[truncated]';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function detailBody(r: DlqDetailRow) {
  return {
    id: r.id,
    eventName: r.event_name,
    payload: r.payload,
    sourceRepo: r.source_repo,
    sourceRoutingKey: r.source_routing_key,
    sourceRunId: r.source_run_id,
    sourceJobId: r.source_job_id,
    targetRepos: r.target_repos,
    chainDepth: r.chain_depth,
    processed: r.processed,
    attempts: r.attempts,
    lastError: r.last_error,
    lastErrorTruncatedByKici: r.last_error?.endsWith(KICI_TRUNCATION_SUFFIX) ?? false,
    createdAt: iso(r.created_at),
    expiresAt: iso(r.expires_at),
    claimedAt: iso(r.claimed_at),
    claimedBy: r.claimed_by,
    nextRetryAt: iso(r.next_retry_at),
    dlqAt: iso(r.dlq_at),
    dlqReason: r.dlq_reason,
  };
}

/** 400 before any database or orchestrator sees a malformed id (KiCI would answer pg's 22P02). */
export function requireEventId(id: string): string {
  if (!UUID_RE.test(id)) {
    throw new PluginError(`"${id.length > 80 ? `${id.slice(0, 80)}…` : id}" is not an event id (a UUID)`, 400);
  }
  return id.toLowerCase();
}

/** Why an event that exists is not in the DLQ. */
export function notInDlqMessage(r: DlqDetailRow): string {
  const state = r.processed
    ? 'it was processed'
    : r.claimed_at
      ? `it is being dispatched by ${r.claimed_by ?? 'an orchestrator'} (attempt ${r.attempts})`
      : `it is waiting for dispatch (attempt ${r.attempts}${r.next_retry_at ? `, next retry ${r.next_retry_at.toISOString()}` : ''})`;
  return `event ${r.id} is not in the DLQ: ${state}`;
}

const timeValue = z.union([z.iso.datetime({ offset: true }), z.number().int().nonnegative()]).refine((v) => {
  const ms = new Date(v).getTime();
  return ms >= MIN_TIME_MS && ms <= MAX_TIME_MS;
}, 'a time between 0001-01-01 and 9999-12-31');
const filterSchema = z.strictObject({
  eventName: z.string().max(255).optional(),
  routingKey: z.string().min(1).max(255).optional(),
  repo: z.string().max(500).optional(),
  errorText: z.string().max(1000).optional(),
  signature: z.string().regex(SIGNATURE_ID_RE, SIGNATURE_ID_MESSAGE).optional(),
  from: timeValue.optional(),
  to: timeValue.optional(),
});

const bulkSchema = z
  .strictObject({
    ids: z.array(z.string()).min(1).optional(),
    filter: filterSchema.optional(),
    limit: z.number().int().min(1).max(MAX_BATCH).optional(),
    dryRun: z.boolean().optional(),
  })
  .refine(
    (b) => (b.ids === undefined) !== (b.filter === undefined),
    'give either "ids" or "filter", not both or neither'
  );

export type BulkRequest =
  | { kind: 'ids'; ids: string[]; dryRun: boolean }
  | { kind: 'filter'; filter: DlqFilters; signature?: string; limit: number; dryRun: boolean };

const toIso = (v: string | number) => new Date(v).toISOString();

export function parseBulkBody(body: Buffer): BulkRequest {
  const json = jsonBody(body, null, 'the body is not JSON: send {"ids": [...]} or {"filter": {...}}');
  const r = bulkSchema.safeParse(json);
  if (!r.success) {
    const { at, message } = firstIssue(r.error);
    throw new PluginError(`invalid bulk retry: ${at ? `${at}: ` : ''}${message}`, 400);
  }
  const b = r.data;
  if (b.ids) {
    const bad = b.ids.filter((id) => !UUID_RE.test(id));
    if (bad.length > 0) {
      throw new PluginError(`invalid bulk retry: not event ids (UUIDs): ${bad.slice(0, 5).join(', ')}`, 400);
    }
    const ids = [...new Set(b.ids.map((id) => id.toLowerCase()))];
    if (ids.length > MAX_BATCH) {
      throw new PluginError(`invalid bulk retry: at most ${MAX_BATCH} ids per request, got ${ids.length}`, 400);
    }
    return { kind: 'ids', ids, dryRun: b.dryRun ?? false };
  }
  const f = b.filter!;
  const filter: DlqFilters = {
    eventName: f.eventName,
    routingKey: f.routingKey,
    repo: f.repo,
    errorText: f.errorText,
    from: f.from === undefined ? undefined : toIso(f.from),
    to: f.to === undefined ? undefined : toIso(f.to),
  };
  for (const k of Object.keys(filter) as Array<keyof DlqFilters>) {
    if (filter[k] === undefined) {
      delete filter[k];
    }
  }
  return {
    kind: 'filter',
    filter,
    ...(f.signature !== undefined ? { signature: f.signature } : {}),
    limit: b.limit ?? MAX_BATCH,
    dryRun: b.dryRun ?? false,
  };
}
