import { FieldType, toDataFrame } from '@grafana/data';

import { admissions, dlqRows, firstNumber, nextCursorOf, nextRetryText, promValue, topEventName } from './data';

const MIN = 60_000;

describe('dlqRows', () => {
  it('reads the dlqEvents frame fields by name, nulls kept', () => {
    const frame = toDataFrame({
      fields: [
        { name: 'id', type: FieldType.string, values: ['a', 'b'] },
        { name: 'eventName', type: FieldType.string, values: ['deploy-complete', '__job_complete'] },
        { name: 'routingKey', type: FieldType.string, values: ['github:42', null] },
        { name: 'repo', type: FieldType.string, values: ['acme/api', null] },
        { name: 'sourceRunId', type: FieldType.string, values: [null, 'run-1'] },
        { name: 'sourceJobId', type: FieldType.string, values: [null, null] },
        { name: 'attempts', type: FieldType.number, values: [5, 3] },
        { name: 'reason', type: FieldType.string, values: ['exhausted_retries', null] },
        { name: 'dlqAt', type: FieldType.time, values: [2_000, 4_000] },
        { name: 'createdAt', type: FieldType.time, values: [1_000, 3_000] },
        { name: 'lastError', type: FieldType.string, values: ['Error: lock file fetch failed', null] },
      ],
      meta: { custom: { nextCursor: 'next-1' } },
    });
    expect(dlqRows(frame)).toEqual([
      {
        id: 'a',
        eventName: 'deploy-complete',
        routingKey: 'github:42',
        repo: 'acme/api',
        sourceRunId: null,
        sourceJobId: null,
        attempts: 5,
        reason: 'exhausted_retries',
        dlqAt: 2_000,
        createdAt: 1_000,
        lastError: 'Error: lock file fetch failed',
      },
      {
        id: 'b',
        eventName: '__job_complete',
        routingKey: null,
        repo: null,
        sourceRunId: 'run-1',
        sourceJobId: null,
        attempts: 3,
        reason: null,
        dlqAt: 4_000,
        createdAt: 3_000,
        lastError: null,
      },
    ]);
    expect(nextCursorOf(frame)).toBe('next-1');
    expect(nextCursorOf(toDataFrame({ fields: [], meta: { custom: { nextCursor: null } } }))).toBeNull();
    expect(dlqRows(undefined)).toEqual([]);
  });
});

describe('admissions', () => {
  const now = Date.UTC(2026, 10, 24, 12, 0, 0);
  const series = (points: Array<[number, number]>) =>
    toDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: points.map((p) => p[0]), config: { interval: MIN } },
        { name: 'admissions', type: FieldType.number, values: points.map((p) => p[1]) },
      ],
    });

  it('sums one-minute bins into the last hour, the last 24 h and since a moment', () => {
    const frame = series([
      [now - 24 * 60 * MIN, 4], // ends 23 h 59 m ago: inside 24 h
      [now - 61 * MIN, 2], // ends 60 min ago: not inside the hour
      [now - 60 * MIN, 3], // ends 59 min ago
      [now - 10 * MIN, 0],
      [now - 2 * MIN, 1],
    ]);
    expect(admissions(frame, now, now - 5 * MIN)).toEqual({
      lastHour: 4,
      last24h: 10,
      since: 1,
      lastAdmissionAt: now - 2 * MIN,
    });
    expect(admissions(frame, now)?.since).toBeNull();
  });

  it('is null without a series (the query failed)', () => {
    expect(admissions(undefined, now)).toBeNull();
  });
});

it('reads single numbers and instant Prometheus values', () => {
  const summary = toDataFrame({
    fields: [
      { name: 'retryBacklog', type: FieldType.number, values: [7] },
      { name: 'oldestUnprocessedAge', type: FieldType.number, values: [null] },
    ],
  });
  expect(firstNumber(summary, 'retryBacklog')).toBe(7);
  expect(firstNumber(summary, 'oldestUnprocessedAge')).toBeNull();
  expect(firstNumber(summary, 'missing')).toBeNull();
  const instant = toDataFrame({
    refId: 'leaseExpirations',
    fields: [
      { name: 'Time', type: FieldType.time, values: [1] },
      { name: 'Value', type: FieldType.number, values: [3] },
    ],
  });
  expect(promValue([instant], 'leaseExpirations')).toBe(3);
  expect(promValue([instant], 'admissions1h')).toBeNull();
  expect(promValue([], 'leaseExpirations')).toBeNull();
});

it('finds the most frequent event name', () => {
  const row = (eventName: string) => ({ eventName }) as Parameters<typeof topEventName>[0][number];
  expect(topEventName([row('a'), row('b'), row('b')])).toEqual({ name: 'b', count: 2 });
  expect(topEventName([])).toBeNull();
});

describe('nextRetryText (issue 17 item 8)', () => {
  const fmt = (ms: number) => new Date(ms).toISOString();
  const now = Date.UTC(2026, 10, 24, 12);
  it('a DLQ event has no next retry, whatever next_retry_at still says', () => {
    expect(nextRetryText({ dlqAt: '2026-11-24T06:00:00Z', nextRetryAt: '2026-11-24T05:59:00Z' }, now, fmt)).toBe(
      'none: a DLQ event is not retried until someone retries it'
    );
  });
  it('a past time outside the DLQ is due, a future one is shown as is', () => {
    expect(nextRetryText({ dlqAt: null, nextRetryAt: '2026-11-24T11:00:00Z' }, now, fmt)).toBe(
      'due since 2026-11-24T11:00:00.000Z'
    );
    expect(nextRetryText({ dlqAt: null, nextRetryAt: '2026-11-24T13:00:00Z' }, now, fmt)).toBe(
      '2026-11-24T13:00:00.000Z'
    );
    expect(nextRetryText({ dlqAt: null, nextRetryAt: null }, now, fmt)).toBe('—');
  });
});
