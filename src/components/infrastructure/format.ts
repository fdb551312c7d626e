// Display helpers for the Infrastructure tree: uptimes, timestamps, and null fields shown with their reason.
import { getTimeZone } from '@grafana/data';

import type { MissingFields } from '../../datasource/infrastructure/model';
import { formatExact } from '../time';

/** `3d 4h`, `5h 12m`, `12m`, `45s`. */
export function formatUptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) {
    return `${d}d ${h}h`;
  }
  if (h > 0) {
    return `${h}h ${m}m`;
  }
  if (m > 0) {
    return `${m}m`;
  }
  return `${s}s`;
}

/** Epoch ms as `YYYY-MM-DD HH:mm:ss <zone>` in the zone Grafana gives every page (the user's preference). */
export function formatTimestamp(ms: number): string {
  return formatExact(ms, getTimeZone());
}

export const UNKNOWN_REASON = 'not reported';

/** Why `field` is null: the model's reason, else a plain "not reported". */
export function missingReason(missing: MissingFields, field: string): string {
  return missing[field] ?? UNKNOWN_REASON;
}

export interface ShownField {
  label: string;
  text: string;
}

export interface MissingGroup {
  labels: string[];
  reason: string;
}

/**
 * Splits labelled fields into the ones to show and the null ones grouped by reason, so a row with six Platform-only
 * fields says it once: "CPU, memory, OS uptime: reported only through KiCI Platform".
 */
export function describeFields(
  fields: Array<{ label: string; field: string; text: string | null }>,
  missing: MissingFields
): { shown: ShownField[]; missing: MissingGroup[] } {
  const shown: ShownField[] = [];
  const byReason = new Map<string, string[]>();
  for (const f of fields) {
    if (f.text !== null) {
      shown.push({ label: f.label, text: f.text });
      continue;
    }
    const reason = missingReason(missing, f.field);
    byReason.set(reason, [...(byReason.get(reason) ?? []), f.label]);
  }
  return { shown, missing: [...byReason].map(([reason, labels]) => ({ labels, reason })) };
}
