// The DLQ events of one signature now. Two forms, one test of membership (`signatureMatcher`, over normalize.ts):
// - the events themselves (ids, names, keys): `GET dlq/signatures/:id/events` and a signature's redrive (which runs
//   it on its own connection, inside the transaction that fixes the redrive's event set);
// - a filter (`resolveSignatureFilter`): the error texts whose signature it is, so the DLQ list, its count and the
//   bulk retry's dry run page and count a signature's events in SQL like any other filter.
import type { DlqFilters } from '../dlq/sql';
import { errorSignature, signatureId } from './normalize';
import { buildSignatureCandidatesSql, buildSignatureTextsSql } from './sql';

export { SIGNATURE_ID_MESSAGE, SIGNATURE_ID_RE } from './normalize';

export interface SignatureEvent extends Record<string, unknown> {
  id: string;
  event_name: string;
  source_routing_key: string | null;
  dlq_at: Date;
  error: string | null;
}

export type ReadRows = <R extends Record<string, unknown>>(sql: string, params: unknown[]) => Promise<R[]>;

/** Whether a (cut) error text has the signature `sigId`, normalising each distinct text once; `signature()` is its text once one matched. */
export function signatureMatcher(sigId: string): { has(text: string | null): boolean; signature(): string | null } {
  const seen = new Map<string | null, boolean>();
  let signature: string | null = null;
  return {
    has(text) {
      let hit = seen.get(text);
      if (hit === undefined) {
        const s = errorSignature(text);
        hit = signatureId(s) === sigId;
        if (hit) {
          signature = s;
        }
        seen.set(text, hit);
      }
      return hit;
    },
    signature: () => signature,
  };
}

/** The signature's events, newest admission first, and its normalised text (null when no event has it). */
export async function resolveSignatureEvents(
  read: ReadRows,
  sigId: string,
  filter: DlqFilters
): Promise<{ signature: string | null; events: SignatureEvent[] }> {
  const stmt = buildSignatureCandidatesSql(filter);
  const rows = await read<SignatureEvent>(stmt.sql, stmt.params);
  const m = signatureMatcher(sigId);
  const events = rows.filter((r) => m.has(r.error));
  return { signature: m.signature(), events };
}

/**
 * `filter` narrowed to the events of signature `sigId`, and its text (null when no matching event has it now: the
 * narrowed filter then matches nothing). The texts are read with `filter`'s other conditions, so pass the widest
 * filter the narrowed one is used under (e.g. without the time range when older events are counted too).
 */
export async function resolveSignatureFilter(
  read: ReadRows,
  sigId: string,
  filter: DlqFilters
): Promise<{ signature: string | null; filter: DlqFilters }> {
  const stmt = buildSignatureTextsSql(filter);
  const rows = await read<{ error: string | null }>(stmt.sql, stmt.params);
  const m = signatureMatcher(sigId);
  const texts: string[] = [];
  let withNull = false;
  for (const { error } of rows) {
    if (m.has(error)) {
      if (error === null) {
        withNull = true;
      } else {
        texts.push(error);
      }
    }
  }
  return { signature: m.signature(), filter: { ...filter, errorTexts: { texts, withNull } } };
}
