import { buildDlqCountSql, buildDlqEventsSql, buildDlqIdsSql, buildDlqSeriesSql, dlqWhere, escapeLike } from './sql';

const INJECTION = "x'; DROP TABLE kici_events; --";
const ID = '16c3fcf6-a5b6-42a6-8917-700fc6bcdd84';

/** Highest $n in the statement: every placeholder must have a parameter and vice versa. */
function maxPlaceholder(sql: string): number {
  return Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
}

describe('escapeLike', () => {
  it('escapes the LIKE wildcards and the escape character itself', () => {
    expect(escapeLike('100%_done\\now')).toBe('100\\%\\_done\\\\now');
    expect(escapeLike('plain text')).toBe('plain text');
  });
});

describe('dlqWhere', () => {
  it('starts with the DLQ predicate and binds every filter value', () => {
    const params: unknown[] = [];
    const where = dlqWhere(
      { eventName: INJECTION, routingKey: 'github:42', repo: 'acme/api', errorText: '50%', from: 'a', to: 'b' },
      params
    );
    expect(where).toEqual([
      'dlq_at IS NOT NULL',
      'event_name = $1',
      'source_routing_key = $2',
      'source_repo = $3',
      "last_error ILIKE '%' || $4 || '%' ESCAPE '\\'",
      'dlq_at >= $5::timestamptz',
      'dlq_at <= $6::timestamptz',
    ]);
    expect(params).toEqual([INJECTION, 'github:42', 'acme/api', '50\\%', 'a', 'b']);
  });

  it('ignores an empty error text and keeps an empty event name (it matches nothing, literally)', () => {
    const params: unknown[] = [];
    expect(dlqWhere({ errorText: '', eventName: '' }, params)).toEqual(['dlq_at IS NOT NULL', 'event_name = $1']);
    expect(params).toEqual(['']);
  });
});

describe('buildDlqEventsSql', () => {
  it('orders by the whitelisted column and id, fetching one extra row', () => {
    const s = buildDlqEventsSql({ filters: { routingKey: 'github:42' }, sort: 'dlqAt', dir: 'desc', limit: 100 });
    expect(s.sql).toContain('ORDER BY dlq_at DESC, kici_events.id DESC');
    expect(s.sql).toMatch(/LIMIT \$2$/);
    expect(s.params).toEqual(['github:42', 101]);
    expect(maxPlaceholder(s.sql)).toBe(s.params.length);
  });

  it('continues after the cursor with a row comparison on (column, id)', () => {
    const asc = buildDlqEventsSql({
      filters: {},
      sort: 'attempts',
      dir: 'asc',
      limit: 10,
      cursor: { sort: 'attempts', dir: 'asc', value: 4, id: ID },
    });
    expect(asc.sql).toContain('(attempts, kici_events.id) > ($1::integer, $2::uuid)');
    expect(asc.sql).toContain('ORDER BY attempts ASC, kici_events.id ASC');
    expect(asc.params).toEqual([4, ID, 11]);

    const time = buildDlqEventsSql({
      filters: { eventName: 'deploy-complete' },
      sort: 'createdAt',
      dir: 'desc',
      limit: 10,
      cursor: { sort: 'createdAt', dir: 'desc', value: '1795500677907123', id: ID },
    });
    expect(time.sql).toContain(
      "(created_at, kici_events.id) < (timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3::uuid)"
    );
    expect(time.sql).toContain('(extract(epoch FROM created_at) * 1000000)::bigint::text AS sort_key');
    expect(time.params).toEqual(['deploy-complete', '1795500677907123', ID, 11]);
  });

  it('never splices filter text into the statement', () => {
    const s = buildDlqEventsSql({
      filters: { eventName: INJECTION, routingKey: INJECTION, repo: INJECTION, errorText: INJECTION },
      sort: 'eventName',
      dir: 'asc',
      limit: 5,
      cursor: { sort: 'eventName', dir: 'asc', value: INJECTION, id: ID },
    });
    expect(s.sql).not.toContain('DROP');
    expect(maxPlaceholder(s.sql)).toBe(s.params.length);
  });
});

describe('other statements', () => {
  it('counts with the filters only', () => {
    expect(buildDlqCountSql({})).toEqual({
      sql: 'SELECT count(*)::bigint AS depth FROM kici_events WHERE dlq_at IS NOT NULL',
      params: [],
    });
    expect(buildDlqCountSql({ routingKey: 'github:42' }).params).toEqual(['github:42']);
  });

  it('bins admissions with the step as $1 and the range last', () => {
    const s = buildDlqSeriesSql({ from: 'F', to: 'T', eventName: 'e' }, 60_000);
    expect(s.params).toEqual(['60000 milliseconds', 'e', 'F', 'T']);
    expect(s.sql).toContain("date_bin($1::interval, dlq_at, timestamptz 'epoch')");
    expect(s.sql).toContain('dlq_at >= $3::timestamptz');
    expect(s.sql).toContain('dlq_at < $4::timestamptz');
    expect(maxPlaceholder(s.sql)).toBe(s.params.length);
  });

  it('lists ids for a filtered bulk retry, newest first, bounded', () => {
    const s = buildDlqIdsSql({ repo: 'acme/api' }, 100);
    expect(s.sql).toContain('ORDER BY dlq_at DESC, kici_events.id DESC LIMIT $2');
    expect(s.params).toEqual(['acme/api', 100]);
  });
});
