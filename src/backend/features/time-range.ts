// The dashboard time range as a query may use it: epoch ms that a JS Date and a PostgreSQL timestamptz both hold.
// Anything else is the user's input, so a 400 naming the end that is wrong (never "Invalid Date" or a database
// error about time zone displacement).
import { PluginError, type TimeRange } from '../protocol/types';

/** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z in epoch ms. */
export const MIN_TIME_MS = -62_135_596_800_000;
export const MAX_TIME_MS = 253_402_300_799_999;

export function checkedTimeRange(range: TimeRange): TimeRange & { fromIso: string; toIso: string } {
  const { from, to } = range;
  for (const [end, v] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (!Number.isFinite(v) || v < MIN_TIME_MS || v > MAX_TIME_MS) {
      throw new PluginError(
        `invalid query: time range: ${end} ${v} (epoch ms) is not a time between 0001-01-01 and 9999-12-31`,
        400
      );
    }
  }
  if (from > to) {
    throw new PluginError(`invalid query: time range ${from}..${to} is empty or not a range`, 400);
  }
  return { from, to, fromIso: new Date(from).toISOString(), toIso: new Date(to).toISOString() };
}
