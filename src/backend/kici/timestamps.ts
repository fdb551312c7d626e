// A faster text parser for `timestamptz`, the type of every KiCI time column. pg's default (postgres-date) runs
// three regular expressions per value; on a 100-row DLQ page that was ~7 % of the plugin's CPU per call (issue 18
// profile). This reads PostgreSQL's ISO output (`2026-12-05 01:17:20.123456+00`, offset `±HH[:MM[:SS]]`) by
// character codes and hands anything else (BC, infinity, a 5-digit year, another DateStyle) to postgres-date,
// so the result is always the Date postgres-date would have made.
import pg from 'pg';

const TIMESTAMPTZ_OID = 1184;
const defaultTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (v: string) => Date | number | null;

const ZERO = 48;

/** Digits at s[i..i+n) as a number, or -1 when one is not a digit. */
function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const d = s.charCodeAt(k) - ZERO;
    if (d < 0 || d > 9) {
      return -1;
    }
    v = v * 10 + d;
  }
  return v;
}

/** The Date for PostgreSQL's ISO `timestamptz` text, or undefined when it is not the plain common form. */
export function fastTimestamptz(s: string): Date | undefined {
  const len = s.length;
  if (len < 22 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 32) {
    return undefined;
  }
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) {
    return undefined;
  }
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  if (year < 100 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
    return undefined;
  }
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    // Fraction: up to 6 digits, turned into milliseconds exactly as postgres-date does (1000 × parseFloat, which
    // Date.UTC then truncates), so both agree on every value.
    let k = i + 1;
    while (k < len && digits(s, k, 1) >= 0) {
      k++;
    }
    if (k === i + 1 || k - i - 1 > 6) {
      return undefined;
    }
    ms = 1000 * parseFloat(s.slice(i, k));
    i = k;
  }
  const sign = s.charCodeAt(i);
  if (sign !== 43 && sign !== 45) {
    return undefined;
  }
  // Offset: ±HH, ±HH:MM or ±HH:MM:SS, and nothing after it.
  const rest = len - i - 1;
  if (rest !== 2 && rest !== 5 && rest !== 8) {
    return undefined;
  }
  const oh = digits(s, i + 1, 2);
  const om = rest >= 5 && s.charCodeAt(i + 3) === 58 ? digits(s, i + 4, 2) : rest >= 5 ? -1 : 0;
  const os = rest === 8 && s.charCodeAt(i + 6) === 58 ? digits(s, i + 7, 2) : rest === 8 ? -1 : 0;
  if (oh < 0 || om < 0 || os < 0) {
    return undefined;
  }
  const offsetMs = (sign === 45 ? -1 : 1) * ((oh * 60 + om) * 60 + os) * 1000;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMs);
}

export function parseTimestamptz(s: string): Date | number | null {
  return fastTimestamptz(s) ?? defaultTimestamptz(s);
}

/** pg's `types` option for the pool: the fast timestamptz parser, every other type as pg parses it. */
export const kiciPgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMPTZ_OID && (format ?? 'text') === 'text') {
      return parseTimestamptz;
    }
    return format ? pg.types.getTypeParser(oid, format) : pg.types.getTypeParser(oid);
  },
} as pg.CustomTypesConfig;
