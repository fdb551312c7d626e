// Merges the per-text groups of sql.ts into signatures. Pure.
import { errorSignature, signatureId } from './normalize';

export interface TextGroupRow {
  error: string | null;
  n: string | number;
  first_at: Date;
  last_at: Date;
  event_names: string[];
  routing_keys: string[];
  sample_id: string;
}

export interface TextBinRow {
  error: string | null;
  t: Date;
  n: string | number;
}

export interface Signature {
  id: string;
  signature: string;
  count: number;
  firstAt: Date;
  lastAt: Date;
  eventNames: string[];
  routingKeys: string[];
  /** The newest event's full error (up to the normalised length's input) and id. */
  sampleError: string | null;
  sampleEventId: string;
  /** Admissions per bin over the range, zero-filled, oldest first. */
  admissions: number[];
}

export interface Bins {
  /** Epoch ms of the first bin (epoch-aligned, at or before `from`). */
  start: number;
  stepMs: number;
  count: number;
}

export function binsFor(range: { from: number; to: number }, stepMs: number): Bins {
  const start = Math.floor(range.from / stepMs) * stepMs;
  return { start, stepMs, count: Math.max(1, Math.ceil((range.to - start) / stepMs)) };
}

const sortedUnion = (a: string[], b: string[]) => [...new Set([...a, ...b])].sort();

/** Signatures, most events first (then newest). */
export function groupSignatures(groups: TextGroupRow[], bins: TextBinRow[], layout: Bins): Signature[] {
  const bySig = new Map<string, Signature>();
  const sigOfText = new Map<string | null, string>();
  const sigOf = (text: string | null) => {
    let s = sigOfText.get(text);
    if (s === undefined) {
      s = errorSignature(text);
      sigOfText.set(text, s);
    }
    return s;
  };
  for (const g of groups) {
    const signature = sigOf(g.error);
    const n = Number(g.n);
    const cur = bySig.get(signature);
    if (!cur) {
      bySig.set(signature, {
        id: signatureId(signature),
        signature,
        count: n,
        firstAt: g.first_at,
        lastAt: g.last_at,
        eventNames: [...new Set(g.event_names)].sort(),
        routingKeys: [...new Set(g.routing_keys)].sort(),
        sampleError: g.error,
        sampleEventId: g.sample_id,
        admissions: new Array<number>(layout.count).fill(0),
      });
      continue;
    }
    cur.count += n;
    if (g.first_at < cur.firstAt) {
      cur.firstAt = g.first_at;
    }
    if (g.last_at > cur.lastAt) {
      cur.lastAt = g.last_at;
      cur.sampleError = g.error;
      cur.sampleEventId = g.sample_id;
    }
    cur.eventNames = sortedUnion(cur.eventNames, g.event_names);
    cur.routingKeys = sortedUnion(cur.routingKeys, g.routing_keys);
  }
  for (const b of bins) {
    const sig = bySig.get(sigOf(b.error));
    const i = Math.round((b.t.getTime() - layout.start) / layout.stepMs);
    if (sig && i >= 0 && i < layout.count) {
      sig.admissions[i] += Number(b.n);
    }
  }
  return [...bySig.values()].sort((a, b) => b.count - a.count || b.lastAt.getTime() - a.lastAt.getTime());
}
