import type { RedriveView } from './api';
import { counts, duration, parseRate, report, severity, summary, title } from './model';

const view = (over: Partial<RedriveView> = {}): RedriveView => ({
  id: 'r1',
  state: 'running',
  rate: 10,
  filter: { eventName: 'push' },
  description: 'event name = push',
  signatureId: null,
  matching: 40,
  total: 40,
  retried: 12,
  failed: 1,
  remaining: 27,
  startedBy: 'eddie',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: null,
  owner: 'grafana-1:42:abcd',
  heartbeatAt: '2026-01-01T00:00:01.000Z',
  cancelRequestedBy: null,
  reason: null,
  failuresByOutcome: [],
  failures: [],
  ...over,
});
const t = (iso: string) => iso.slice(11, 19);

it('parses the rate the backend accepts and says what is wrong otherwise', () => {
  expect(parseRate(' 25 ')).toEqual({ rate: 25 });
  expect(parseRate('500')).toEqual({ rate: 500 });
  expect(parseRate('501')).toEqual({ error: 'Rate must be between 1 and 500 events per second.' });
  expect(parseRate('0')).toEqual({ error: 'Rate must be between 1 and 500 events per second.' });
  expect(parseRate('2.5')).toEqual({ error: 'Rate must be a whole number of events per second.' });
  expect(parseRate('')).toEqual({ error: 'Rate must be a whole number of events per second.' });
});

it('estimates the duration', () => {
  expect(duration(40, 10)).toBe('about 4 s');
  expect(duration(1200, 10)).toBe('about 2 min');
  expect(duration(100_000, 5)).toBe('about 5.6 h');
});

it('words progress while running and the report when finished', () => {
  expect(title(view())).toBe('Redrive running');
  expect(counts(view())).toBe('12 retried · 1 failed · 27 remaining of 40');
  expect(report(view(), t)).toBeNull();
  expect(summary(view({ matching: 120 }), t)).toBe(
    'event name = push (120 matched; the oldest 40 were taken) at 10 events/s, started by eddie at 00:00:00'
  );
  expect(title(view({ cancelRequestedBy: 'ada' }))).toBe('Redrive cancelling');
  const cancelled = view({ state: 'cancelled', cancelRequestedBy: 'ada', finishedAt: '2026-01-01T00:00:09.000Z' });
  expect(counts(cancelled)).toBe('12 retried · 1 failed · 27 not tried (still in the DLQ) of 40');
  expect(report(cancelled, t)).toBe(
    'Cancelled by ada at 00:00:09: the 12 retried event(s) stay retried; 27 were not tried and are still in the DLQ.'
  );
  expect(severity(view({ state: 'completed', failed: 0 }))).toBe('success');
  expect(severity(view({ state: 'completed', failed: 2 }))).toBe('warning');
  expect(report(view({ state: 'stopped', reason: 'token refused' }), t)).toBe('Stopped: token refused.');
});
