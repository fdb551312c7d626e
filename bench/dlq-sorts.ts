// Every order dlqEvents offers, at 100,000 DLQ rows (issue 18 item 3): the `big` scenario (1,000,000 kici_events,
// 10,000 in the DLQ) plus 90,000 DLQ rows admitted 5 s apart, each created 5–119 s before its admission (KiCI writes
// dlq_at after the event's attempts, so created_at ≤ dlq_at). For each offered order (OFFERED_DLQ_SORTS), both
// directions, the first page and a page 50,000 rows deep (a real cursor): QueryData through the executable and the
// same statement through pg, median of 10 after 2 warm-ups, and EXPLAIN (ANALYZE). Exits 1 when an offered order's
// plan is not served by idx_kici_events_dlq in index order (an index scan with at most an incremental sort on the id
// tie-breaker: no Sort node over every DLQ row, no bitmap scan). The orders the plugin refuses are timed through pg
// for the record. Writes bench/results/dlq-sorts.json.
//
//   npm run build:backend -- --host-only && npx tsx bench/dlq-sorts.ts
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';

import { applySchema } from '../dev/kici-sim/db/schema';
import { getScenario } from '../dev/kici-sim/scenarios/index';
import { startPlugin } from '../dev/testing/plugin-process';
import { createTestDatabase, startPostgres } from '../dev/testing/postgres';
import { decodeCursor, type DlqSortField, encodeCursor, type SortDirection } from '../src/backend/features/dlq/cursor';
import { OFFERED_DLQ_SORTS } from '../src/backend/features/dlq/options';
import { buildDlqEventsSql, SORT_COLUMNS } from '../src/backend/features/dlq/sql';

const RUNS = 10;
const WARMUP = 2;
const LIMIT = 100;
const EXTRA_DLQ = 90_000;
const DEEP = 50_000;
/** Issue 18's goal for a page of any offered order at 100,000 DLQ rows. */
const GOAL_MS = 50;
const ALL_SORTS: DlqSortField[] = ['dlqAt', 'createdAt', 'attempts', 'eventName'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const r2 = (x: number) => Math.round(x * 100) / 100;

async function time(fn: () => Promise<void>, runs = RUNS): Promise<number> {
  for (let i = 0; i < WARMUP; i++) {
    await fn();
  }
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return r2(median(out));
}

/** An index-served page: idx_kici_events_dlq read in order, nothing sorting the whole DLQ, no bitmap scan. */
export function indexServed(plan: string): boolean {
  const lines = plan.split('\n');
  const scansInOrder = lines.some((l) => /Index (Only )?Scan( Backward)? using idx_kici_events_dlq/.test(l));
  // A plan node line ("Sort (actual …" or "->  Sort (actual …"), not "Sort Key:" or "Incremental Sort".
  const fullSort = lines.some((l) => /^(->\s+)?Sort \(/.test(l.trim()));
  const bitmap = lines.some((l) => /Bitmap/.test(l));
  return scansInOrder && !fullSort && !bitmap;
}

async function main(): Promise<number> {
  const own = process.env.KICI_BENCH_PG_URL ? null : await startPostgres();
  const db = await createTestDatabase('kici_bench_dlq_sorts', process.env.KICI_BENCH_PG_URL ?? own!.url);
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  pool.on('error', () => undefined);
  const plugin = await startPlugin();
  const loadBefore = os.loadavg();
  try {
    const t0 = performance.now();
    await applySchema(pool, '0.9');
    await getScenario('big', { layout: '0.9' }).seed(pool, new Date());
    await pool.query(
      `INSERT INTO kici_events (event_name, payload, source_routing_key, source_repo, processed, created_at, expires_at,
                                attempts, last_error, dlq_at, dlq_reason)
       SELECT (ARRAY['run.completed','job.completed','deploy-complete'])[1 + g % 3], '{}',
              (ARRAY['github:42','github:77','generic:acme:deploy-hooks'])[1 + g % 3], 'acme/repo-' || (g % 200), true,
              d - (5 + g % 115) * interval '1 second', d - (5 + g % 115) * interval '1 second' + interval '7 days',
              CASE WHEN g % 50 = 0 THEN 6 ELSE 5 END, 'Error: dispatch timed out after 30000ms', d, 'exhausted_retries'
         FROM generate_series(1, $1) g, LATERAL (SELECT now() - g * interval '5 seconds' AS d) t`,
      [EXTRA_DLQ]
    );
    await pool.query('VACUUM ANALYZE kici_events');
    const seedMs = Math.round(performance.now() - t0);
    const { rows: counts } = await pool.query<{ dlq: number }>(
      'SELECT count(*)::int AS dlq FROM kici_events WHERE dlq_at IS NOT NULL'
    );
    console.log(`seeded ${counts[0].dlq} DLQ events in ${(seedMs / 1000).toFixed(1)} s`);

    const u = new URL(db.url);
    const settings = {
      uid: 'bench-dlq-sorts',
      jsonData: { pgHost: u.hostname, pgPort: Number(u.port), pgDatabase: u.pathname.slice(1), pgUser: u.username },
      secureJsonData: { pgPassword: decodeURIComponent(u.password) },
    };

    /** The cursor the plugin would hand out after DEEP rows of this order. */
    async function deepCursor(sort: DlqSortField, dir: SortDirection): Promise<string> {
      const first = buildDlqEventsSql({ filters: {}, sort, dir, limit: DEEP - 1 });
      const { rows } = await pool.query<{ id: string; sort_key: string | number }>(first.sql, first.params);
      const last = rows[DEEP - 1];
      const value = SORT_COLUMNS[sort].kind === 'int' ? Number(last.sort_key) : String(last.sort_key);
      return encodeCursor({ sort, dir, value, id: last.id });
    }

    async function plan(sql: string, params: unknown[]): Promise<{ text: string; execMs: number }> {
      const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, params);
      const text = rows.map((r) => r['QUERY PLAN']).join('\n');
      return { text, execMs: Number(/Execution Time: ([\d.]+) ms/.exec(text)?.[1]) };
    }

    const results = [];
    for (const sort of ALL_SORTS) {
      const offered = OFFERED_DLQ_SORTS.includes(sort);
      for (const dir of ['desc', 'asc'] as const) {
        for (const page of ['first', 'deep'] as const) {
          const cursorText = page === 'deep' ? await deepCursor(sort, dir) : undefined;
          const model = {
            queryType: 'dlqEvents',
            sort,
            sortDirection: dir,
            limit: LIMIT,
            useTimeRange: false,
            ...(cursorText ? { cursor: cursorText } : {}),
          };
          const stmt = buildDlqEventsSql({
            filters: {},
            sort,
            dir,
            limit: LIMIT,
            cursor: cursorText ? decodeCursor(cursorText, { sort, dir }) : undefined,
          });
          const viaPg = await time(
            async () => {
              await pool.query(stmt.sql, stmt.params);
            },
            offered ? RUNS : 3
          );
          let viaPlugin: number | null = null;
          if (offered) {
            viaPlugin = await time(async () => {
              const out = await plugin.queryData(settings, [{ refId: 'A', queryType: 'dlqEvents', json: model }]);
              if (out.A.error || out.A.frames[0].fields[0].values.length !== LIMIT) {
                throw new Error(`dlqEvents ${sort} ${dir} ${page}: ${out.A.error ?? 'short page'}`);
              }
            });
          } else {
            // The plugin refuses it before any SQL: check that it still does.
            const out = await plugin.queryData(settings, [{ refId: 'A', queryType: 'dlqEvents', json: model }]);
            if (out.A.status !== 400) {
              throw new Error(`dlqEvents ${sort}: expected a 400, got ${out.A.status} ${out.A.error ?? ''}`);
            }
          }
          const p = await plan(stmt.sql, stmt.params);
          const row = {
            sort,
            dir,
            page,
            offered,
            pluginMs: viaPlugin,
            pgMs: viaPg,
            planExecMs: p.execMs,
            indexServed: indexServed(p.text),
            plan: p.text,
          };
          console.log(
            `${sort.padEnd(9)} ${dir.padEnd(4)} ${page.padEnd(5)} ${offered ? 'offered' : 'refused'}  plugin ${String(viaPlugin ?? '—').padStart(7)} ms  pg ${String(viaPg).padStart(7)} ms  plan ${String(p.execMs).padStart(7)} ms  index-served ${row.indexServed ? 'yes' : 'no'}`
          );
          results.push(row);
        }
      }
    }
    const loadAfter = os.loadavg();
    const failures = results.filter((r) => r.offered && !r.indexServed);
    const slow = results.filter((r) => r.offered && (r.pluginMs ?? 0) > GOAL_MS);
    console.log(
      `\nload average before ${loadBefore.map((x) => x.toFixed(1)).join(' ')}, after ${loadAfter.map((x) => x.toFixed(1)).join(' ')}`
    );
    console.log(
      `offered orders over the ${GOAL_MS} ms goal through the executable: ${slow.length ? slow.map((r) => `${r.sort} ${r.dir} ${r.page} (${r.pluginMs} ms)`).join(', ') : 'none'}`
    );
    for (const f of failures) {
      console.log(`NOT index-served: ${f.sort} ${f.dir} ${f.page}\n${f.plan}`);
    }
    const out = path.join(__dirname, 'results', 'dlq-sorts.json');
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(
      out,
      `${JSON.stringify(
        {
          measuredAt: new Date().toISOString(),
          dlq: counts[0].dlq,
          seedMs,
          limit: LIMIT,
          deepRows: DEEP,
          goalMs: GOAL_MS,
          machine: { cpus: os.cpus().length, loadAverageBefore: loadBefore, loadAverageAfter: loadAfter },
          results,
        },
        null,
        2
      )}\n`
    );
    return failures.length;
  } finally {
    await plugin.stop();
    await pool.end();
    await db.drop();
    await own?.stop();
  }
}

if (require.main === module) {
  // Exit explicitly: something stopped on the way out (embedded PostgreSQL, the plugin) reset process.exitCode.
  main().then(
    (failures) => process.exit(failures ? 1 : 0),
    (err) => {
      console.error(err);
      process.exit(1);
    }
  );
}
