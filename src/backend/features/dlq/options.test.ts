import { encodeCursor } from './cursor';
import { checkedRange, dlqEventsOptions, seriesStepMs } from './options';

const HOUR = 3_600_000;
const range = { from: Date.UTC(2026, 10, 24, 5), to: Date.UTC(2026, 10, 24, 6) };
const ID = '16c3fcf6-a5b6-42a6-8917-700fc6bcdd84';

describe('dlqEventsOptions', () => {
  it('defaults to the newest 100 admissions within the time range', () => {
    expect(dlqEventsOptions({}, range)).toEqual({
      filters: { from: '2026-11-24T05:00:00.000Z', to: '2026-11-24T06:00:00.000Z' },
      sort: 'dlqAt',
      dir: 'desc',
      limit: 100,
      cursor: undefined,
    });
  });

  it('takes the filters, sort and a matching cursor; useTimeRange false drops the range', () => {
    const cursor = encodeCursor({ sort: 'dlqAt', dir: 'asc', value: '3', id: ID });
    const q = dlqEventsOptions(
      {
        eventName: 'deploy-complete',
        routingKey: 'github:42',
        repo: 'acme/api',
        errorText: 'ECONN',
        sort: 'dlqAt',
        sortDirection: 'asc',
        limit: 500,
        cursor,
        useTimeRange: false,
      },
      range
    );
    expect(q.filters).toEqual({
      eventName: 'deploy-complete',
      routingKey: 'github:42',
      repo: 'acme/api',
      errorText: 'ECONN',
    });
    expect(q).toMatchObject({ sort: 'dlqAt', dir: 'asc', limit: 500, cursor: { value: '3', id: ID } });
  });

  it.each(['createdAt', 'attempts', 'eventName'] as const)(
    'refuses sort %s with a 400 naming the order it offers and why',
    (sort) => {
      for (const sortDirection of ['asc', 'desc'] as const) {
        expect(() => dlqEventsOptions({ sort, sortDirection }, range)).toThrow(
          `invalid query: sort: dlqEvents sorts by dlqAt (asc or desc), not ${sort}: KiCI indexes DLQ events by admission time only, and any other order would sort the whole DLQ for every page`
        );
      }
    }
  );

  it('bounds the limit to 1..500 with a 400', () => {
    expect(() => dlqEventsOptions({ limit: 501 }, range)).toThrow(
      'invalid query: limit: dlqEvents returns 1..500 rows per page, not 501'
    );
    expect(() => dlqEventsOptions({ limit: 0 }, range)).toThrow(/1\.\.500/);
  });

  it('refuses an inverted time range', () => {
    expect(() => checkedRange({ from: 10, to: 5 })).toThrow('invalid query: time range 10..5 is empty or not a range');
  });
});

describe('seriesStepMs', () => {
  it('uses the panel interval when the range fits in maxDataPoints', () => {
    expect(seriesStepMs({ range: { from: 0, to: 6 * HOUR }, intervalMs: 60_000, maxDataPoints: 1000 })).toBe(60_000);
  });

  it('widens the interval so the bins fit in maxDataPoints, in whole seconds', () => {
    const step = seriesStepMs({ range: { from: 0, to: 7 * 24 * HOUR }, intervalMs: 1_000, maxDataPoints: 500 });
    expect(step % 1000).toBe(0);
    // at most maxDataPoints bins even when the first bin starts before `from`
    expect(Math.ceil((7 * 24 * HOUR) / step) + 1).toBeLessThanOrEqual(500);
  });

  it('never goes under a second, and survives missing interval and points', () => {
    expect(seriesStepMs({ range: { from: 0, to: 10_000 }, intervalMs: 10, maxDataPoints: 1000 })).toBe(1000);
    expect(seriesStepMs({ range: { from: 0, to: 24 * HOUR }, intervalMs: 0, maxDataPoints: 0 })).toBe(87_000);
  });

  it('caps points at 11000', () => {
    expect(seriesStepMs({ range: { from: 0, to: 11_000_000 }, intervalMs: 0, maxDataPoints: 1e9 })).toBe(2000);
  });
});

describe('time ranges outside what a timestamp holds (issue 14 item 4)', () => {
  it.each([
    [{ from: 1e12, to: 1e17 }, 'to'],
    [{ from: -1e15, to: Date.UTC(2026, 0, 1) }, 'from'],
    [{ from: 8e15, to: 8.64e15 }, 'from'],
  ])('%j is a 400 naming %s', (r, bad) => {
    let err: unknown;
    try {
      dlqEventsOptions({}, r);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ status: 400 });
    expect((err as Error).message).toBe(
      `invalid query: time range: ${bad} ${bad === 'to' ? r.to : r.from} (epoch ms) is not a time between ` +
        '0001-01-01 and 9999-12-31'
    );
  });

  it('keeps the earliest and latest times a timestamp holds', () => {
    expect(checkedRange({ from: -62135596800000, to: 253402300799999 })).toEqual({
      from: '0001-01-01T00:00:00.000Z',
      to: '9999-12-31T23:59:59.999Z',
    });
  });
});
