import { decodeCursor } from './cursor';
import { dlqDepthFrame, dlqEventsFrame, dlqSeriesFrame, pageOf, truncateForTable, type DlqEventRow } from './frames';
import type { DlqEventsQuery } from './sql';

const row = (i: number, over: Partial<DlqEventRow> = {}): DlqEventRow => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  event_name: 'deploy-complete',
  source_routing_key: 'github:42',
  source_repo: 'acme/api',
  source_run_id: null,
  source_job_id: null,
  attempts: 5,
  dlq_reason: 'exhausted_retries',
  dlq_at: new Date(Date.UTC(2026, 10, 24, 6, 0, 0) - i * 1000),
  created_at: new Date(Date.UTC(2026, 10, 24, 5, 59, 0) - i * 1000),
  last_error: 'Error: lock file fetch failed',
  sort_key: String((Date.UTC(2026, 10, 24, 6) - i * 1000) * 1000 + 123),
  ...over,
});

const q = (limit: number, over: Partial<DlqEventsQuery> = {}): DlqEventsQuery => ({
  filters: {},
  sort: 'dlqAt',
  dir: 'desc',
  limit,
  ...over,
});

describe('truncateForTable', () => {
  it('keeps 200 characters and marks the cut', () => {
    expect(truncateForTable('x'.repeat(200))).toBe('x'.repeat(200));
    expect(truncateForTable('x'.repeat(201))).toBe(`${'x'.repeat(200)}…`);
    expect(truncateForTable(null)).toBeNull();
  });
});

describe('pageOf', () => {
  it('returns no cursor when the extra row is absent', () => {
    const rows = [row(1), row(2)];
    expect(pageOf(rows, q(2))).toEqual({ page: rows, nextCursor: null });
  });

  it('points the cursor at the last row of the page (µs sort value, id)', () => {
    const rows = [row(1), row(2), row(3)];
    const { page, nextCursor } = pageOf(rows, q(2));
    expect(page).toEqual(rows.slice(0, 2));
    expect(decodeCursor(nextCursor!, { sort: 'dlqAt', dir: 'desc' })).toEqual({
      sort: 'dlqAt',
      dir: 'desc',
      value: rows[1].sort_key,
      id: rows[1].id,
    });
  });

  it('keeps attempts numeric in the cursor', () => {
    const rows = [row(1, { sort_key: 5 }), row(2, { sort_key: 5 })];
    const { nextCursor } = pageOf(rows, q(1, { sort: 'attempts', dir: 'asc' }));
    expect(decodeCursor(nextCursor!, { sort: 'attempts', dir: 'asc' }).value).toBe(5);
  });
});

describe('dlqEventsFrame', () => {
  it('lays out the columns of the triage table with the paging state in meta.custom', () => {
    const long = 'E'.repeat(4096);
    const f = dlqEventsFrame([row(1, { last_error: long, source_repo: null }), row(2)], q(1), {
      refId: 'A',
      sql: 'SELECT …',
      notices: [{ severity: 'info', text: 'scoped' }],
    });
    expect(f.fields.map((x) => [x.name, x.type])).toEqual([
      ['id', 'string'],
      ['eventName', 'string'],
      ['routingKey', 'string'],
      ['repo', 'string'],
      ['sourceRunId', 'string'],
      ['sourceJobId', 'string'],
      ['attempts', 'number'],
      ['reason', 'string'],
      ['dlqAt', 'time'],
      ['createdAt', 'time'],
      ['lastError', 'string'],
    ]);
    expect(f.fields.every((x) => x.values.length === 1)).toBe(true);
    expect(f.fields.find((x) => x.name === 'repo')!.values).toEqual([null]);
    expect((f.fields.find((x) => x.name === 'lastError')!.values[0] as string).length).toBe(201);
    expect(f.meta?.custom).toMatchObject({ limit: 1, sort: 'dlqAt', sortDirection: 'desc', rows: 1 });
    expect(typeof f.meta?.custom?.nextCursor).toBe('string');
    expect(f.meta?.notices).toEqual([{ severity: 'info', text: 'scoped' }]);
    expect(f.meta?.executedQueryString).toBe('SELECT …');
  });
});

describe('depth frames', () => {
  it('is one numeric field for alerting', () => {
    const f = dlqDepthFrame(120, { refId: 'A', sql: 's' });
    expect(f.fields).toHaveLength(1);
    expect(f.fields[0]).toMatchObject({ name: 'depth', type: 'number', values: [120] });
  });

  it('pairs time and admissions in the series', () => {
    const t = new Date(0);
    const f = dlqSeriesFrame([{ time: t, admissions: 3 }], { refId: 'A', sql: 's', stepMs: 60_000 });
    expect(f.fields.map((x) => [x.name, x.type, x.values])).toEqual([
      ['time', 'time', [t]],
      ['admissions', 'number', [3]],
    ]);
    expect(f.meta?.custom).toEqual({ stepMs: 60_000 });
  });
});
