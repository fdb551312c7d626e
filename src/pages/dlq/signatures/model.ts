// The signatures view's logic: the dlqSignatures frame as rows, the sparkline, and a signature's bulk retry/discard
// through the DLQ resources every other action uses (same role checks in the backend). Pure except `runBulk`, which
// only calls the resources it is given.
import type { DataFrame } from '@grafana/data';

import type { KiciQuery } from '../../../datasource/query';
import type { BulkResult, DlqResources, MutationAnswer } from '../api';

export interface SignatureRow {
  id: string;
  signature: string;
  count: number;
  firstAt: number;
  lastAt: number;
  eventNames: string;
  routingKeys: string;
  sampleError: string;
  sampleEventId: string;
  admissions: number[];
}

export const SIGNATURES_REF = 'signatures';

export function signaturesQuery(): KiciQuery {
  return { refId: SIGNATURES_REF, queryType: 'dlqSignatures' };
}

export function signatureRows(frame: DataFrame | undefined): SignatureRow[] {
  if (!frame) {
    return [];
  }
  const col = (name: string) => frame.fields.find((f) => f.name === name)?.values ?? [];
  const sig = col('signature');
  return Array.from({ length: sig.length }, (_, i) => ({
    id: String(col('signatureId')[i]),
    signature: String(sig[i]),
    count: Number(col('count')[i]),
    firstAt: Number(col('firstAt')[i]),
    lastAt: Number(col('lastAt')[i]),
    eventNames: String(col('eventNames')[i] ?? ''),
    routingKeys: String(col('routingKeys')[i] ?? ''),
    sampleError: String(col('sampleError')[i] ?? ''),
    sampleEventId: String(col('sampleEventId')[i] ?? ''),
    admissions: parseAdmissions(col('admissions')[i]),
  }));
}

function parseAdmissions(v: unknown): number[] {
  try {
    const a = JSON.parse(String(v)) as unknown;
    return Array.isArray(a) ? a.map(Number) : [];
  } catch {
    return [];
  }
}

/** An SVG polyline `points` string for the counts in a w×h box (a flat line when all are zero). */
export function sparklinePoints(counts: number[], w: number, h: number): string {
  if (counts.length === 0) {
    return '';
  }
  const max = Math.max(1, ...counts);
  const dx = counts.length > 1 ? w / (counts.length - 1) : 0;
  return counts.map((c, i) => `${round(i * dx)},${round(h - (c / max) * h)}`).join(' ');
}

const round = (x: number) => Math.round(x * 10) / 10;

export type SignatureAction = 'retry' | 'discard';

export interface EventOutcome {
  id: string;
  ok: boolean;
  outcome: string;
  message: string;
}

/** The existing bulk retry takes at most this many ids per request (backend MAX_BATCH). */
export const RETRY_BATCH = 100;

export function confirmText(action: SignatureAction, count: number, signature: string): string {
  const events = `${count} event${count === 1 ? '' : 's'}`;
  return action === 'retry'
    ? `Retry ${events} with the error signature “${signature}”? Each goes back to the queue and is re-dispatched now.`
    : `Discard ${events} with the error signature “${signature}”? They are deleted from kici_events. This cannot be undone.`;
}

/**
 * Retries (POST dlq/retry, batches of 100) or discards (DELETE dlq/:id, one by one) the ids; every event gets its own
 * outcome. A refused or failed batch marks its events with the backend's message; later batches still run unless the
 * backend refused by role (403), which no later batch would pass.
 */
export async function runBulk(
  resources: Pick<DlqResources, 'bulkRetry' | 'discard'>,
  action: SignatureAction,
  ids: string[],
  onProgress?: (done: number) => void
): Promise<EventOutcome[]> {
  const out: EventOutcome[] = [];
  const fail = (id: string, err: unknown) => {
    const e = err as { message?: string; status?: number };
    out.push({ id, ok: false, outcome: e.status === 403 ? 'refused' : 'failed', message: e.message ?? String(err) });
    return e.status === 403;
  };
  if (action === 'retry') {
    for (let i = 0; i < ids.length; i += RETRY_BATCH) {
      const batch = ids.slice(i, i + RETRY_BATCH);
      try {
        const r: BulkResult = await resources.bulkRetry({ ids: batch });
        out.push(...r.results.map((x) => ({ id: x.id, ok: x.ok, outcome: x.outcome, message: x.message })));
      } catch (err) {
        const refused = batch.map((id) => fail(id, err))[0];
        if (refused) {
          ids.slice(i + RETRY_BATCH).forEach((id) => fail(id, err));
          break;
        }
      }
      onProgress?.(out.length);
    }
    return out;
  }
  for (let i = 0; i < ids.length; i++) {
    try {
      const r: MutationAnswer = await resources.discard(ids[i]);
      out.push({ id: ids[i], ok: true, outcome: r.outcome, message: r.message });
    } catch (err) {
      if (fail(ids[i], err)) {
        ids.slice(i + 1).forEach((id) => fail(id, err));
        break;
      }
    }
    onProgress?.(out.length);
  }
  return out;
}
