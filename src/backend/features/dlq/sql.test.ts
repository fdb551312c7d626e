import {
  buildDlqCountSql,
  buildDlqEventsSql,
  buildDlqIdsSql,
  buildDlqOlderCountSql,
  buildDlqSeriesSql,
  DLQ_DETAIL_SQL,
  dlqWhere,
  escapeLike,
} from './sql';

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

// Mutation testing (issue 20): the whole statement PostgreSQL receives. The rows these return are asserted against
// a real PostgreSQL in tests/ (which Stryker cannot run per mutant); here every clause is pinned, so a lost `+ 1`
// on the error cut, a flipped keyset comparison or a dropped filter fails a unit test.
describe('the statements, whole (issue 20)', () => {
  const COLUMNS = `SELECT id::text AS id, event_name, source_routing_key, source_repo, source_run_id, source_job_id,
       attempts, dlq_reason, dlq_at, created_at, left(last_error, 201) AS last_error,`;

  it('a first page with every filter: the error cut one past what the table shows, so it can say "…"', () => {
    expect(
      buildDlqEventsSql({
        filters: { eventName: 'e', routingKey: 'r', repo: 'o/r', errorText: 'boom', from: 'F', to: 'T' },
        sort: 'dlqAt',
        dir: 'desc',
        limit: 50,
      })
    ).toEqual({
      sql: `${COLUMNS}
       (extract(epoch FROM dlq_at) * 1000000)::bigint::text AS sort_key
  FROM kici_events
 WHERE dlq_at IS NOT NULL
   AND event_name = $1
   AND source_routing_key = $2
   AND source_repo = $3
   AND last_error ILIKE '%' || $4 || '%' ESCAPE '\\'
   AND dlq_at >= $5::timestamptz
   AND dlq_at <= $6::timestamptz
 ORDER BY dlq_at DESC, kici_events.id DESC
 LIMIT $7`,
      params: ['e', 'r', 'o/r', 'boom', 'F', 'T', 51],
    });
  });

  it('the next page sorted by event name, ascending, continues after the last row seen', () => {
    expect(
      buildDlqEventsSql({
        filters: {},
        sort: 'eventName',
        dir: 'asc',
        limit: 10,
        cursor: { sort: 'eventName', dir: 'asc', value: 'deploy', id: ID },
      })
    ).toEqual({
      sql: `${COLUMNS}
       event_name AS sort_key
  FROM kici_events
 WHERE dlq_at IS NOT NULL
   AND (event_name, kici_events.id) > ($1::text, $2::uuid)
 ORDER BY event_name ASC, kici_events.id ASC
 LIMIT $3`,
      params: ['deploy', ID, 11],
    });
  });

  it('the next page sorted by attempts, descending, and by admission time', () => {
    const attempts = buildDlqEventsSql({
      filters: {},
      sort: 'attempts',
      dir: 'desc',
      limit: 1,
      cursor: { sort: 'attempts', dir: 'desc', value: 3, id: ID },
    });
    expect(attempts.sql).toContain('\n   AND (attempts, kici_events.id) < ($1::integer, $2::uuid)\n');
    expect(attempts.sql).toContain('\n       attempts AS sort_key\n');
    expect(attempts.sql).toContain('\n ORDER BY attempts DESC, kici_events.id DESC\n LIMIT $3');
    expect(attempts.params).toEqual([3, ID, 2]);
    const dlqAt = buildDlqEventsSql({
      filters: {},
      sort: 'dlqAt',
      dir: 'asc',
      limit: 100,
      cursor: { sort: 'dlqAt', dir: 'asc', value: '1795500677907123', id: ID },
    });
    expect(dlqAt.sql).toContain(
      "\n   AND (dlq_at, kici_events.id) > (timestamptz 'epoch' + $1::bigint * interval '1 microsecond', $2::uuid)\n"
    );
    expect(dlqAt.sql).toContain('\n ORDER BY dlq_at ASC, kici_events.id ASC\n');
  });

  it('the depth, with filters joined by AND', () => {
    expect(buildDlqCountSql({ repo: 'o/r', errorText: 'x' })).toEqual({
      sql: "SELECT count(*)::bigint AS depth FROM kici_events WHERE dlq_at IS NOT NULL AND source_repo = $1 AND last_error ILIKE '%' || $2 || '%' ESCAPE '\\'",
      params: ['o/r', 'x'],
    });
  });

  it("admissions per bin over [from, to), zero-filled, ignoring the filters' own time bounds", () => {
    expect(buildDlqSeriesSql({ from: 'F', to: 'T', routingKey: 'r' }, 300_000)).toEqual({
      sql: `WITH admitted AS (
  SELECT date_bin($1::interval, dlq_at, timestamptz 'epoch') AS t, count(*) AS n
    FROM kici_events
   WHERE dlq_at IS NOT NULL
     AND source_routing_key = $2
     AND dlq_at >= $3::timestamptz
     AND dlq_at < $4::timestamptz
   GROUP BY 1
)
SELECT g.t AS time, coalesce(a.n, 0)::bigint AS admissions
  FROM generate_series(date_bin($1::interval, $3::timestamptz, timestamptz 'epoch'), $4::timestamptz - interval '1 microsecond', $1::interval) AS g(t)
  LEFT JOIN admitted a ON a.t = g.t
 ORDER BY g.t`,
      params: ['300000 milliseconds', 'r', 'F', 'T'],
    });
  });

  it('the ids of a filtered bulk retry', () => {
    expect(buildDlqIdsSql({ eventName: 'e', to: 'T' }, 500)).toEqual({
      sql: 'SELECT id::text AS id FROM kici_events WHERE dlq_at IS NOT NULL AND event_name = $1 AND dlq_at <= $2::timestamptz ORDER BY dlq_at DESC, kici_events.id DESC LIMIT $3',
      params: ['e', 'T', 500],
    });
  });

  it('what a time-ranged table leaves out: same filters, admitted before its start', () => {
    expect(buildDlqOlderCountSql({ eventName: 'e', from: 'F', to: 'T' }, 'F')).toEqual({
      sql: 'SELECT count(*)::bigint AS older FROM kici_events WHERE dlq_at IS NOT NULL AND event_name = $1 AND dlq_at < $2::timestamptz',
      params: ['e', 'F'],
    });
  });

  it('one event by id, with every column the detail shows', () => {
    expect(DLQ_DETAIL_SQL)
      .toBe(`SELECT id::text AS id, event_name, payload, source_repo, source_routing_key, source_run_id,
       source_job_id, chain_depth, processed, created_at, expires_at, target_repos, claimed_at, claimed_by, attempts,
       last_error, next_retry_at, dlq_at, dlq_reason
  FROM kici_events
 WHERE id = $1::uuid`);
  });
});
