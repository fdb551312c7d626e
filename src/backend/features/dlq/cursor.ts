// The dlqEvents page cursor: the last row's (sort value, id), opaque to the panel. Unlike KiCI's own
// `before=<dlq_at>` cursor it cannot skip rows that share a sort value at a page edge.
import { PluginError } from '../../protocol/types';

export type DlqSortField = 'dlqAt' | 'createdAt' | 'attempts' | 'eventName';
export type SortDirection = 'asc' | 'desc';

export interface DlqCursor {
  sort: DlqSortField;
  dir: SortDirection;
  /** Time columns: epoch microseconds as a decimal string (exact); attempts: integer; eventName: text. */
  value: string | number;
  id: string;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const SORTS: readonly DlqSortField[] = ['dlqAt', 'createdAt', 'attempts', 'eventName'];

export function encodeCursor(c: DlqCursor): string {
  return Buffer.from(JSON.stringify({ s: c.sort, d: c.dir, k: c.value, i: c.id }), 'utf8').toString('base64url');
}

function invalid(why: string): PluginError {
  return new PluginError(`invalid query: cursor: ${why}; drop the cursor to start from the first page`, 400);
}

// Epoch µs of 0001-01-01 and 9999-12-31T23:59:59.999999Z (what a timestamptz key of a real row can be), and the
// bounds of the integer `attempts` column: a forged value outside them is the user's 400, not a database error.
const MIN_TIME_US = -62_135_596_800_000_000n;
const MAX_TIME_US = 253_402_300_799_999_999n;
const MAX_INT4 = 2_147_483_647;

function valueFits(sort: DlqSortField, v: unknown): v is string | number {
  switch (sort) {
    case 'dlqAt':
    case 'createdAt':
      return typeof v === 'string' && /^-?\d{1,19}$/.test(v) && BigInt(v) >= MIN_TIME_US && BigInt(v) <= MAX_TIME_US;
    case 'attempts':
      return typeof v === 'number' && Number.isInteger(v) && v >= -MAX_INT4 - 1 && v <= MAX_INT4;
    case 'eventName':
      return typeof v === 'string' && v.length <= 255;
  }
}

/** Throws a 400 when the text is not a cursor of this plugin or belongs to another sort order. */
export function decodeCursor(text: string, expect: { sort: DlqSortField; dir: SortDirection }): DlqCursor {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid('not a cursor returned by a dlqEvents query');
  }
  const o = raw as { s?: unknown; d?: unknown; k?: unknown; i?: unknown } | null;
  if (
    typeof o !== 'object' ||
    o === null ||
    !SORTS.includes(o.s as DlqSortField) ||
    (o.d !== 'asc' && o.d !== 'desc') ||
    typeof o.i !== 'string' ||
    !UUID_RE.test(o.i) ||
    !valueFits(o.s as DlqSortField, o.k)
  ) {
    throw invalid('not a cursor returned by a dlqEvents query');
  }
  if (o.s !== expect.sort || o.d !== expect.dir) {
    throw invalid(`it belongs to a query sorted by ${String(o.s)} ${String(o.d)}, not ${expect.sort} ${expect.dir}`);
  }
  return { sort: o.s as DlqSortField, dir: o.d, value: o.k as string | number, id: o.i };
}
