// dlqEvents on the `big` scenario (1,000,000 kici_events, 10,000 in the DLQ): QueryData through the
// compiled executable (gRPC, pool, READ ONLY transaction, Arrow encode + the client's decode) vs the
// same SQL and parameters through `pg` directly. Median of 20 each after warm-up; prints a table and
// writes bench/results/dlq-events.json. Also checks the plan uses idx_kici_events_dlq.
//
//   npm run build:backend -- --host-only && npx tsx bench/dlq-events.ts
//   KICI_BENCH_PG_URL=postgres://… npx tsx bench/dlq-events.ts   (a superuser URL instead of embedded PostgreSQL)
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';

import { applySchema } from '../dev/kici-sim/db/schema';
import { BIG_KNOWN } from '../dev/kici-sim/scenarios/big';
import { getScenario } from '../dev/kici-sim/scenarios/index';
import { startPlugin } from '../dev/testing/plugin-process';
import { createTestDatabase, startPostgres } from '../dev/testing/postgres';
import { dlqEventsOptions } from '../src/backend/features/dlq/options';
import { buildDlqEventsSql } from '../src/backend/features/dlq/sql';

const RUNS = 20;
const WARMUP = 3;
const MODEL = { queryType: 'dlqEvents', routingKey: 'github:42', limit: 100, useTimeRange: false } as const;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

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

async function main() {
  const own = process.env.KICI_BENCH_PG_URL ? null : await startPostgres();
  const baseUrl = process.env.KICI_BENCH_PG_URL ?? own!.url;
  const db = await createTestDatabase('kici_bench_dlq', baseUrl);
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  const plugin = await startPlugin();
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

    // Exactly what the plugin builds for this model (the time range is unused: useTimeRange false).
    const stmt = buildDlqEventsSql(dlqEventsOptions(MODEL, { from: 0, to: Date.now() }));
    const u = new URL(db.url);
    const settings = {
      uid: 'bench-dlq',
      jsonData: { pgHost: u.hostname, pgPort: Number(u.port), pgDatabase: u.pathname.slice(1), pgUser: u.username },
      secureJsonData: { pgPassword: decodeURIComponent(u.password) },
    };

    let pluginRows = 0;
    const viaPlugin = await time(async () => {
      const out = await plugin.queryData(settings, [
        { refId: 'A', queryType: 'dlqEvents', json: { refId: 'A', ...MODEL } },
      ]);
      if (out.A.error) {
        throw new Error(out.A.error);
      }
      pluginRows = out.A.frames[0].fields[0].values.length;
    });
    let directRows = 0;
    const viaPg = await time(async () => {
      const r = await pool.query(stmt.sql, stmt.params);
      directRows = Math.min(r.rows.length, MODEL.limit);
    });
    // What the plugin's KiciDb.read does around the statement: a READ ONLY transaction (two more round trips).
    const viaPgTx = await time(async () => {
      const c = await pool.connect();
      try {
        await c.query('BEGIN READ ONLY');
        await c.query(stmt.sql, stmt.params);
        await c.query('COMMIT');
      } finally {
        c.release();
      }
    });
    if (pluginRows !== MODEL.limit || directRows !== MODEL.limit) {
      throw new Error(`expected ${MODEL.limit} rows, got plugin ${pluginRows}, pg ${directRows}`);
    }

    const { rows: plan } = await pool.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${stmt.sql}`,
      stmt.params
    );
    const planText = plan.map((r) => r['QUERY PLAN']).join('\n');
    const usesDlqIndex = planText.includes('idx_kici_events_dlq');

    const result = {
      scenario: 'big',
      events: counts[0].events,
      dlq: counts[0].dlq,
      seedMs: Math.round(seedMs),
      query: MODEL,
      runs: RUNS,
      warmup: WARMUP,
      medianMs: { plugin: round(median(viaPlugin)), pg: round(median(viaPg)), pgReadOnlyTx: round(median(viaPgTx)) },
      ratio: round(median(viaPlugin) / median(viaPg)),
      samplesMs: { plugin: viaPlugin.map(round), pg: viaPg.map(round), pgReadOnlyTx: viaPgTx.map(round) },
      usesDlqIndex,
      sql: stmt.sql,
      plan: planText,
      node: process.version,
      measuredAt: new Date().toISOString(),
    };

    console.log(
      `big scenario: ${result.events} events, ${result.dlq} in the DLQ, seeded in ${(seedMs / 1000).toFixed(1)} s`
    );
    console.log(`dlqEvents ${JSON.stringify(MODEL)}: median of ${RUNS} after ${WARMUP} warm-up runs\n`);
    console.log('| path                                   | median ms | min ms | max ms |');
    console.log('|----------------------------------------|----------:|-------:|-------:|');
    for (const [name, xs] of [
      ['QueryData via the executable (gRPC)', viaPlugin],
      ['same SQL via pg directly', viaPg],
      ['same SQL in a READ ONLY tx via pg', viaPgTx],
    ] as const) {
      console.log(
        `| ${name.padEnd(38)} | ${median(xs).toFixed(2).padStart(9)} | ${Math.min(...xs)
          .toFixed(2)
          .padStart(6)} | ${Math.max(...xs)
          .toFixed(2)
          .padStart(6)} |`
      );
    }
    console.log(`\nratio plugin / pg: ${result.ratio.toFixed(2)}×`);
    console.log(`plan uses idx_kici_events_dlq: ${usesDlqIndex ? 'yes' : 'NO'}\n${planText}`);

    const out = path.join(__dirname, 'results', 'dlq-events.json');
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
    if (!usesDlqIndex) {
      process.exitCode = 1;
    }
  } finally {
    await plugin.stop();
    await pool.end();
    await db.drop();
    await own?.stop();
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
