// The DLQ events of one signature now: the candidates matching the DLQ filters, kept when their error normalises to
// the signature id. Shared by `GET dlq/signatures/:id/events` and a signature's redrive (which runs it on its own
// connection, inside the transaction that fixes the redrive's event set).
import type { DlqFilters } from '../dlq/sql';
import { errorSignature, signatureId } from './normalize';
import { buildSignatureCandidatesSql } from './sql';

/** What `signatureId` in normalize.ts gives: 8 hex digits. */
export const SIGNATURE_ID_RE = /^[0-9a-f]{8}$/;

export interface SignatureEvent extends Record<string, unknown> {
  id: string;
  event_name: string;
  source_routing_key: string | null;
  dlq_at: Date;
  error: string | null;
}

export type ReadRows = <R extends Record<string, unknown>>(sql: string, params: unknown[]) => Promise<R[]>;

/** The signature's events, newest admission first, and its normalised text (null when no event has it). */
export async function resolveSignatureEvents(
  read: ReadRows,
  sigId: string,
  filter: DlqFilters
): Promise<{ signature: string | null; events: SignatureEvent[] }> {
  const stmt = buildSignatureCandidatesSql(filter);
  const rows = await read<SignatureEvent>(stmt.sql, stmt.params);
  const texts = new Map<string | null, boolean>();
  let signature: string | null = null;
  const events = rows.filter((r) => {
    let hit = texts.get(r.error);
    if (hit === undefined) {
      const s = errorSignature(r.error);
      hit = signatureId(s) === sigId;
      if (hit) {
        signature = s;
      }
      texts.set(r.error, hit);
    }
    return hit;
  });
  return { signature, events };
}
