// The signatures view's logic: the dlqSignatures frame as rows, the sparkline, and discarding a signature's events
// through the DLQ resource every other discard uses (same role check in the backend). Pure except `discardAll`, which
// only calls the resource it is given. Retrying a signature is a redrive (../redrive).
import type { DataFrame } from '@grafana/data';

import type { KiciQuery } from '../../../datasource/query';
import type { DlqResources, MutationAnswer } from '../api';

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

export interface EventOutcome {
  id: string;
  ok: boolean;
  outcome: string;
  message: string;
}

export function discardConfirmText(count: number, signature: string): string {
  return `Discard ${count} event${count === 1 ? '' : 's'} with the error signature “${signature}”? They are deleted from kici_events. This cannot be undone.`;
}

/**
 * Discards the ids one by one (DELETE dlq/:id); every event gets its own outcome. A role refusal (403) stops there and
 * marks the rest refused, since no later request would pass. (Retrying a signature is a redrive, not this.)
 */
export async function discardAll(
  resources: Pick<DlqResources, 'discard'>,
  ids: string[],
  onProgress?: (done: number) => void
): Promise<EventOutcome[]> {
  const out: EventOutcome[] = [];
  for (let i = 0; i < ids.length; i++) {
    try {
      const r: MutationAnswer = await resources.discard(ids[i]);
      out.push({ id: ids[i], ok: true, outcome: r.outcome, message: r.message });
    } catch (err) {
      const e = err as { message?: string; status?: number };
      const refused = e.status === 403;
      const mark = (id: string) =>
        out.push({ id, ok: false, outcome: refused ? 'refused' : 'failed', message: e.message ?? String(err) });
      mark(ids[i]);
      if (refused) {
        ids.slice(i + 1).forEach(mark);
        break;
      }
    }
    onProgress?.(out.length);
  }
  return out;
}
