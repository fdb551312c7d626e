// QueryData overhead per SQL-backed query type on the `big` scenario (1,000,000 kici_events, 10,000 in the DLQ,
// 50 orchestrators, 5,000 agents): the compiled executable through gRPC (pool, Arrow encode, the client's Arrow
// decode) vs the same statements and parameters through `pg` directly (the feature's own SQL builders, so the SQL is
// identical). A query type that runs two statements (eventDelivery) runs them concurrently on both paths, as the
// plugin does. Also times a query the plugin refuses before any SQL (pure gRPC + plugin dispatch) to attribute the
// overhead. Median of 20 after 3 warm-up runs; writes bench/results/query-overhead.json.
//
//   npm run build:backend -- --host-only && npx tsx bench/query-overhead.ts
//   KICI_BENCH_PG_URL=postgres://… npx tsx bench/query-overhead.ts       (a superuser URL instead of embedded PostgreSQL)
//   KICI_BENCH_EXECUTABLE=path npx tsx bench/query-overhead.ts            (another build, e.g. a profiling wrapper)
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';

import { applySchema } from '../dev/kici-sim/db/schema';
import { BIG_KNOWN } from '../dev/kici-sim/scenarios/big';
import { getScenario } from '../dev/kici-sim/scenarios/index';
import { startPlugin } from '../dev/testing/plugin-process';
import { createTestDatabase, startPostgres } from '../dev/testing/postgres';
import { checkedRange, dlqEventsOptions, seriesStepMs } from '../src/backend/features/dlq/options';
import { buildDlqCountSql, buildDlqEventsSql, buildDlqSeriesSql } from '../src/backend/features/dlq/sql';
import { DELIVERY_SUMMARY_SQL, LEASES_BY_NODE_SQL, leaseInterval } from '../src/backend/features/event-delivery/sql';
import { bucketStepMs } from '../src/backend/features/executions/frames';
import { metricsStatement, seriesStatement } from '../src/backend/features/executions/sql';
import { BACKENDS_SQL } from '../src/backend/features/secret-backends/sql';

const RUNS = Number(process.env.KICI_BENCH_RUNS ?? 20);
const WARMUP = 3;
const GOAL_RATIO = 1.2;

interface Statement {
  sql: string;
  params: unknown[];
}

interface Case {
  name: string;
  model: Record<string, unknown>;
  /** The statements the plugin runs for this model, run concurrently. */
  statements: Statement[];
  intervalMs?: number;
  maxDataPoints?: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const round = (x: number) => Math.round(x * 100) / 100;

async function time(fn: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) {
    await fn();
  }
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

function cases(range: { from: number; to: number }): Case[] {
  const interval = 60_000;
  const points = 1000;
  const dlqEvents = { queryType: 'dlqEvents', routingKey: 'github:42', limit: 100, useTimeRange: false };
  const seriesStep = seriesStepMs({ range, intervalMs: interval, maxDataPoints: points });
  const runFilter = { window: { kind: 'range' as const, ...range }, excludeTestRuns: false };
  const lease = [leaseInterval()];
  return [
    {
      name: 'dlqEvents (100 rows, routing key)',
      model: dlqEvents,
      statements: [buildDlqEventsSql(dlqEventsOptions(dlqEvents, range))],
    },
    { name: 'dlqDepth (current)', model: { queryType: 'dlqDepth' }, statements: [buildDlqCountSql({})] },
    {
      name: 'dlqDepth (series, 24 h / 1 min)',
      model: { queryType: 'dlqDepth', series: true },
      statements: [buildDlqSeriesSql(checkedRange(range), seriesStep)],
      intervalMs: interval,
      maxDataPoints: points,
    },
    {
      name: 'eventDelivery (summary + leases)',
      model: { queryType: 'eventDelivery' },
      statements: [
        { sql: DELIVERY_SUMMARY_SQL, params: lease },
        { sql: LEASES_BY_NODE_SQL, params: lease },
      ],
    },
    {
      name: 'executionMetrics (last 24 h)',
      model: { queryType: 'executionMetrics' },
      statements: [metricsStatement({ window: { kind: 'last24h' }, excludeTestRuns: false })],
    },
    {
      name: 'executions (24 h / 1 min)',
      model: { queryType: 'executions' },
      statements: [seriesStatement(runFilter, bucketStepMs(range, interval, points))],
      intervalMs: interval,
      maxDataPoints: points,
    },
    { name: 'secretBackends', model: { queryType: 'secretBackends' }, statements: [{ sql: BACKENDS_SQL, params: [] }] },
  ];
}

async function main() {
  const own = process.env.KICI_BENCH_PG_URL ? null : await startPostgres();
  const baseUrl = process.env.KICI_BENCH_PG_URL ?? own!.url;
  const db = await createTestDatabase('kici_bench_overhead', baseUrl);
  // The plugin's default pool size, so concurrency is the same on both paths.
  const pool = new pg.Pool({ connectionString: db.url, max: 5 });
  const plugin = await startPlugin(
    process.env.KICI_BENCH_EXECUTABLE ? { executable: process.env.KICI_BENCH_EXECUTABLE } : {}
  );
  try {
    const t0 = performance.now();
    await applySchema(pool, '0.9');
    await getScenario('big', { layout: '0.9' }).seed(pool, new Date());
    await pool.query('ANALYZE');
    const seedMs = performance.now() - t0;
    const { rows: counts } = await pool.query<{ events: number; dlq: number }>(
      'SELECT count(*)::int AS events, count(dlq_at)::int AS dlq FROM kici_events'
    );
    if (counts[0].events !== BIG_KNOWN.events || counts[0].dlq !== BIG_KNOWN.dlqDepth) {
      throw new Error(
        `big scenario seeded ${JSON.stringify(counts[0])}, expected ${BIG_KNOWN.events}/${BIG_KNOWN.dlqDepth}`
      );
    }
    console.log(
      `big scenario: ${counts[0].events} events, ${counts[0].dlq} in the DLQ, seeded in ${(seedMs / 1000).toFixed(1)} s`
    );

    const u = new URL(db.url);
    const settings = {
      uid: 'bench-overhead',
      jsonData: { pgHost: u.hostname, pgPort: Number(u.port), pgDatabase: u.pathname.slice(1), pgUser: u.username },
      secureJsonData: { pgPassword: decodeURIComponent(u.password) },
    };
    // One fixed range for both paths, so both run the same parameters.
    const now = Date.now();
    const range = { from: now - 86_400_000, to: now };

    const results = [];
    for (const c of cases(range)) {
      let frames = 0;
      const viaPlugin = await time(async () => {
        const out = await plugin.queryData(settings, [
          {
            refId: 'A',
            queryType: String(c.model.queryType),
            json: { refId: 'A', ...c.model },
            timeRange: range,
            intervalMs: c.intervalMs,
            maxDataPoints: c.maxDataPoints,
          },
        ]);
        if (out.A.error) {
          throw new Error(`${c.name}: ${out.A.error}`);
        }
        frames = out.A.frames.length;
      });
      let rows = 0;
      const viaPg = await time(async () => {
        const rs = await Promise.all(c.statements.map((s) => pool.query(s.sql, s.params)));
        rows = rs.reduce((n, r) => n + r.rows.length, 0);
      });
      const m = { plugin: median(viaPlugin), pg: median(viaPg) };
      results.push({
        queryType: c.name,
        frames,
        sqlRows: rows,
        medianMs: { plugin: round(m.plugin), pg: round(m.pg) },
        overheadMs: round(m.plugin - m.pg),
        ratio: round(m.plugin / m.pg),
        samplesMs: { plugin: viaPlugin.map(round), pg: viaPg.map(round) },
      });
    }

    // The floor: a query refused before any SQL (unknown type) and a round trip of `SELECT 1` through pg.
    const refused = await time(async () => {
      const out = await plugin.queryData(settings, [
        { refId: 'A', queryType: 'none', json: { refId: 'A', queryType: 'none' } },
      ]);
      if (!out.A.error) {
        throw new Error('expected a refusal');
      }
    });
    const select1 = await time(async () => {
      await pool.query('SELECT 1');
    });

    const result = {
      scenario: 'big',
      events: counts[0].events,
      dlq: counts[0].dlq,
      seedMs: Math.round(seedMs),
      runs: RUNS,
      warmup: WARMUP,
      goalRatio: GOAL_RATIO,
      queries: results,
      floorMs: { pluginRefusedQuery: round(median(refused)), pgSelect1: round(median(select1)) },
      node: process.version,
      measuredAt: new Date().toISOString(),
    };

    console.log(
      `\nmedian of ${RUNS} after ${WARMUP} warm-up runs (plugin: QueryData via the executable; pg: same SQL via pg)\n`
    );
    console.log('| query type                          | plugin ms | pg ms | overhead ms | ratio |');
    console.log('|-------------------------------------|----------:|------:|------------:|------:|');
    for (const r of results) {
      console.log(
        `| ${r.queryType.padEnd(35)} | ${r.medianMs.plugin.toFixed(2).padStart(9)} | ${r.medianMs.pg.toFixed(2).padStart(5)} | ${r.overheadMs
          .toFixed(2)
          .padStart(11)} | ${r.ratio.toFixed(2).padStart(5)} |`
      );
    }
    console.log(
      `\nfloor: a refused query through the executable ${result.floorMs.pluginRefusedQuery} ms; SELECT 1 via pg ${result.floorMs.pgSelect1} ms`
    );
    const out = path.join(__dirname, 'results', 'query-overhead.json');
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), out)}`);
  } finally {
    await plugin.stop();
    await pool.end();
    await db.drop();
    await own?.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
