// The signature of a DLQ event's last error: the text with its variable parts (quoted values, URLs, hosts and ports,
// timestamps, UUIDs, hex, long ids, numbers) replaced by placeholders, so events that failed for the same reason
// group together. Pure; the one definition both the query and the bulk actions use.

/** Longer errors are cut before normalising: a stack trace's first frames say why; the rest only splits groups. */
export const SIGNATURE_INPUT_CHARS = 2000;
/** The same cut in SQL: what every signature query groups, filters and compares by. */
export const SIGNATURE_TEXT_SQL = `left(last_error, ${SIGNATURE_INPUT_CHARS})`;
export const SIGNATURE_MAX_CHARS = 300;

/** The signature of a missing or blank last_error. */
export const NO_ERROR_SIGNATURE = '(no error recorded)';

type Replacement = string | ((token: string) => string);

// Tokens are matched plainly and tested in a function: lookaheads at every position would make long texts quadratic.
const HAS_DIGIT = /\d/;
/** Long tokens mixing digits with letters beyond hex or separators (generated ids, pod names). */
const longId = (t: string) => (HAS_DIGIT.test(t) && /[g-z_-]/i.test(t) ? '<id>' : t);
/** Hex runs (commit shas, hashes): a digit and a letter a-f. */
const hexRun = (t: string) => (HAS_DIGIT.test(t) && /[a-f]/i.test(t) ? '<hex>' : t);

const RULES: Array<[RegExp, Replacement]> = [
  // Quoted values first: whatever they hold (ids, paths, property names) is data, not the reason.
  [/'(?:[^'\\\n]|\\.)*'/g, "'<v>'"],
  [/"(?:[^"\\\n]|\\.)*"/g, '"<v>"'],
  [/`(?:[^`\\\n]|\\.)*`/g, '`<v>`'],
  // URLs keep their scheme: `connect to https://…` and `postgres://…` are different reasons.
  [/\b([a-z][a-z0-9+.-]*):\/\/[^\s'"`<>),]+/gi, '$1://<url>'],
  // ISO 8601 / RFC 3339 timestamps (date, optional time and zone), then bare clock times.
  [/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, '<time>'],
  [/\b\d{2}:\d{2}:\d{2}(?:\.\d+)?\b/g, '<time>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  // Hosts: IPv4 and [IPv6] (with or without a port), names only with a port (`run.completed` is an event name).
  [/\[[0-9a-f:.]+\](?::\d{1,5})?/gi, '<host>'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b/g, '<host>'],
  [/\b[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*:\d{2,5}\b/gi, '<host>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  [/\b[\w-]{16,}/g, longId],
  [/\b[0-9a-f]{8,}\b/gi, hexRun],
  // Numbers not glued to a word before them (`v2`, `utf8` stay; `30000ms` → `<n>ms`, `#2` → `#<n>`).
  [/(?<![\w.])-?\d+(?:\.\d+)?/g, '<n>'],
];

export function errorSignature(lastError: string | null | undefined): string {
  let s = (lastError ?? '').slice(0, SIGNATURE_INPUT_CHARS).replace(/\s+/g, ' ').trim();
  if (s === '') {
    return NO_ERROR_SIGNATURE;
  }
  for (const [re, replacement] of RULES) {
    s = typeof replacement === 'string' ? s.replace(re, replacement) : s.replace(re, replacement);
  }
  return s.length > SIGNATURE_MAX_CHARS ? `${s.slice(0, SIGNATURE_MAX_CHARS - 1)}…` : s;
}

/** What `signatureId` gives: 8 hex digits. */
export const SIGNATURE_ID_RE = /^[0-9a-f]{8}$/;
/** What a malformed signature filter is told. */
export const SIGNATURE_ID_MESSAGE = 'a signature id is 8 lowercase hex digits (the signatureId field of dlqSignatures)';

/** A short stable id for a signature (FNV-1a 32-bit, hex): URLs and bulk requests carry it instead of the text. */
export function signatureId(signature: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < signature.length; i++) {
    h ^= signature.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
