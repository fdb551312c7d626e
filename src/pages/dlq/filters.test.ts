import {
  bulkRetryBody,
  DEFAULT_FILTERS,
  redriveTarget,
  describeFilters,
  dlqEventsQuery,
  filtersFromUrl,
  filtersToUrl,
  PAGE_SIZE,
  nextSort,
} from './filters';

describe('DLQ filters in the URL', () => {
  it('round-trips every filter, leaving defaults out of the URL', () => {
    const f = {
      ...DEFAULT_FILTERS,
      eventName: 'deploy-complete',
      repo: 'acme/api',
      dir: 'asc' as const,
      inRange: true,
    };
    const url = filtersToUrl(f);
    expect(url).toEqual({
      eventName: 'deploy-complete',
      routingKey: null,
      repo: 'acme/api',
      errorText: null,
      signature: null,
      sort: null,
      dir: 'asc',
      inRange: '1',
      eventId: null,
    });
    expect(filtersFromUrl(url)).toEqual(f);
    expect(filtersToUrl(DEFAULT_FILTERS)).toEqual({
      eventName: null,
      routingKey: null,
      repo: null,
      errorText: null,
      signature: null,
      sort: null,
      dir: null,
      inRange: null,
      eventId: null,
    });
  });

  it('reads the dashboards link ?eventName=… and ignores unknown sort values', () => {
    expect(filtersFromUrl({ eventName: ' deploy-complete ', sort: 'id; DROP TABLE', dir: 'sideways' })).toEqual({
      ...DEFAULT_FILTERS,
      eventName: 'deploy-complete',
    });
    expect(filtersFromUrl({ errorText: ['lock file', 'other'] }).errorText).toBe('lock file');
  });

  it('opens a link sorted by a column the plugin no longer sorts by in the default order', () => {
    for (const sort of ['attempts', 'eventName', 'createdAt']) {
      expect(filtersFromUrl({ sort, dir: 'asc', repo: 'acme/api' })).toEqual({ ...DEFAULT_FILTERS, repo: 'acme/api' });
    }
    expect(filtersFromUrl({ sort: 'dlqAt', dir: 'asc' })).toEqual({ ...DEFAULT_FILTERS, dir: 'asc' });
    expect(filtersFromUrl({ dir: 'asc' })).toEqual({ ...DEFAULT_FILTERS, dir: 'asc' });
  });
});

describe('dlqEventsQuery', () => {
  it('sends only the filters that are set, the sort, the page size and the cursor', () => {
    const q = dlqEventsQuery({ ...DEFAULT_FILTERS, routingKey: 'github:42', errorText: '  50%_off ' }, 'c2');
    expect(q).toEqual({
      refId: 'events',
      queryType: 'dlqEvents',
      routingKey: 'github:42',
      errorText: '50%_off',
      useTimeRange: false,
      sort: 'dlqAt',
      sortDirection: 'desc',
      limit: PAGE_SIZE,
      cursor: 'c2',
    });
    expect(dlqEventsQuery(DEFAULT_FILTERS)).not.toHaveProperty('cursor');
    expect(dlqEventsQuery({ ...DEFAULT_FILTERS, inRange: true }).useTimeRange).toBe(true);
  });
});

describe('the signature filter', () => {
  it('rides in the URL as ?signature=, into the query and the bulk retry, and the redrive gets it as signatureId', () => {
    const f = filtersFromUrl({ signature: ' 0a1b2c3d ', routingKey: 'github:42' });
    expect(f).toEqual({ ...DEFAULT_FILTERS, signature: '0a1b2c3d', routingKey: 'github:42' });
    expect(filtersToUrl(f)).toMatchObject({ signature: '0a1b2c3d', routingKey: 'github:42' });
    expect(dlqEventsQuery(f)).toMatchObject({ signature: '0a1b2c3d', routingKey: 'github:42' });
    const body = bulkRetryBody(f, { from: 1, to: 2 }, true);
    expect(body.filter).toEqual({ signature: '0a1b2c3d', routingKey: 'github:42' });
    expect(redriveTarget(body.filter)).toEqual({ filter: { routingKey: 'github:42' }, signatureId: '0a1b2c3d' });
    expect(redriveTarget({ routingKey: 'github:42' })).toEqual({ filter: { routingKey: 'github:42' } });
    expect(dlqEventsQuery(DEFAULT_FILTERS)).not.toHaveProperty('signature');
  });

  it('is described by its text once known, else by its id', () => {
    const f = { ...DEFAULT_FILTERS, signature: '0a1b2c3d' };
    expect(describeFilters(f)).toBe('error signature 0a1b2c3d');
    expect(describeFilters(f, 'connect ECONNREFUSED <host>')).toBe('error signature “connect ECONNREFUSED <host>”');
  });
});

describe('bulkRetryBody', () => {
  it('carries the time range only when the list is limited to it', () => {
    const range = { from: 1_000, to: 2_000 };
    expect(bulkRetryBody({ ...DEFAULT_FILTERS, eventName: 'x' }, range, true)).toEqual({
      filter: { eventName: 'x' },
      dryRun: true,
    });
    expect(bulkRetryBody({ ...DEFAULT_FILTERS, inRange: true }, range, false)).toEqual({
      filter: { from: 1_000, to: 2_000 },
      dryRun: false,
    });
  });
});

describe('nextSort', () => {
  it("flips the current column's direction, and starts another column at its first direction", () => {
    expect(nextSort(DEFAULT_FILTERS, 'dlqAt', 'desc')).toEqual({ ...DEFAULT_FILTERS, dir: 'asc' });
    expect(nextSort({ ...DEFAULT_FILTERS, dir: 'asc' }, 'dlqAt', 'desc')).toEqual({ ...DEFAULT_FILTERS, dir: 'desc' });
    expect(nextSort(DEFAULT_FILTERS, 'attempts', 'asc')).toEqual({ ...DEFAULT_FILTERS, sort: 'attempts', dir: 'asc' });
    expect(nextSort({ ...DEFAULT_FILTERS, sort: 'attempts', dir: 'desc' }, 'dlqAt', 'desc')).toEqual({
      ...DEFAULT_FILTERS,
      sort: 'dlqAt',
      dir: 'desc',
    });
  });
});

it('describes the filters in words', () => {
  expect(describeFilters(DEFAULT_FILTERS)).toBe('the whole DLQ');
  expect(describeFilters({ ...DEFAULT_FILTERS, eventName: 'a', errorText: 'b', inRange: true })).toBe(
    'event name = a, last error contains "b", moved to the DLQ within the time range'
  );
});
