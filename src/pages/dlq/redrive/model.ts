// What the redrive panel and the rate field say. Pure.
import type { RedriveState, RedriveView } from './api';

export const DEFAULT_RATE = 10;
export const MAX_RATE = 500;

/** The rate typed in the dialog, or why it cannot be used (the backend checks the same bounds). */
export function parseRate(text: string): { rate: number } | { error: string } {
  const t = text.trim();
  if (!/^\d+$/.test(t)) {
    return { error: 'Rate must be a whole number of events per second.' };
  }
  const rate = Number(t);
  if (rate < 1 || rate > MAX_RATE) {
    return { error: `Rate must be between 1 and ${MAX_RATE} events per second.` };
  }
  return { rate };
}

/** How long the redrive takes at that rate, roughly ("about 12 s", "about 4 min"). */
export function duration(count: number, rate: number): string {
  const s = Math.ceil(count / rate);
  if (s < 90) {
    return `about ${s} s`;
  }
  if (s < 5400) {
    return `about ${Math.round(s / 60)} min`;
  }
  return `about ${(s / 3600).toFixed(1)} h`;
}

const TITLES: Record<RedriveState, string> = {
  running: 'Redrive running',
  completed: 'Redrive completed',
  cancelled: 'Redrive cancelled',
  stopped: 'Redrive stopped',
  interrupted: 'Redrive interrupted',
};

export function title(v: RedriveView): string {
  if (v.state === 'running' && v.cancelRequestedBy) {
    return 'Redrive cancelling';
  }
  return TITLES[v.state];
}

export function severity(v: RedriveView): 'info' | 'success' | 'warning' | 'error' {
  switch (v.state) {
    case 'running':
      return 'info';
    case 'completed':
      return v.failed === 0 ? 'success' : 'warning';
    case 'cancelled':
    case 'interrupted':
      return 'warning';
    case 'stopped':
      return 'error';
  }
}

/** "12 retried · 1 failed · 27 remaining of 40". */
export function counts(v: RedriveView): string {
  const rest = v.state === 'running' ? 'remaining' : 'not tried (still in the DLQ)';
  return `${v.retried} retried · ${v.failed} failed · ${v.remaining} ${rest} of ${v.total}`;
}

/** The one-line summary of who, what and how fast. */
export function summary(v: RedriveView, formatTime: (iso: string) => string): string {
  const capped = v.matching > v.total ? ` (${v.matching} matched; the oldest ${v.total} were taken)` : '';
  return `${v.description}${capped} at ${v.rate} events/s, started by ${v.startedBy} at ${formatTime(v.startedAt)}`;
}

/** The final sentence of a finished redrive, or null while it runs. */
export function report(v: RedriveView, formatTime: (iso: string) => string): string | null {
  const at = v.finishedAt ? ` at ${formatTime(v.finishedAt)}` : '';
  switch (v.state) {
    case 'running':
      return v.cancelRequestedBy ? `${v.cancelRequestedBy} asked to cancel; it stops within a second.` : null;
    case 'completed':
      return `Every event was tried${at}.`;
    case 'cancelled':
      return `Cancelled by ${v.cancelRequestedBy ?? 'an operator'}${at}: the ${v.retried} retried event(s) stay retried; ${v.remaining} were not tried and are still in the DLQ.`;
    case 'stopped':
      return `Stopped${at}: ${v.reason ?? 'the same failure would have come for every other event'}.`;
    case 'interrupted':
      return `Interrupted${at}: ${v.reason ?? 'the plugin process running it stopped'}. Start a new redrive for what is left.`;
  }
}
