// dlqSignatures over 100,000 DLQ events: the `big` scenario (1,000,000 kici_events, 10,000 in the DLQ) plus 90,000
// DLQ-heavy rows (60% carry an event id in the text, 20% a host:port, 20% kici-sim's fixed texts). Times, through the
// executable, the signatures query against the plain DLQ count (dlqDepth) on the same data, and, through pg, where
// the grouping could run: the plugin's SQL (identical texts collapsed in PostgreSQL, normalised in the backend) vs
// normalising every row in PostgreSQL with a regexp_replace chain. Median of 5 after 1 warm-up; writes
// bench/results/dlq-signatures.json.
//
//   npm run build:backend -- --host-only && npx tsx bench/dlq-signatures.ts
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';

import { applySchema } from '../dev/kici-sim/db/schema';
import { getScenario } from '../dev/kici-sim/scenarios/index';
import { startPlugin } from '../dev/testing/plugin-process';
import { createTestDatabase, startPostgres } from '../dev/testing/postgres';
import { buildTextBinsSql, buildTextGroupsSql } from '../src/backend/features/dlq-signatures/sql';

const RUNS = 5;
const WARMUP = 1;
const EXTRA_DLQ = 90_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function time(fn: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) {
    await fn();
  }
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    out.push(Math.round((performance.now() - t0) * 10) / 10);
  }
  return out;
}

// The same variable parts as normalize.ts, in PostgreSQL's regex dialect (an approximation: enough to time it).
const SQL_NORMALISE = `regexp_replace(regexp_replace(regexp_replace(regexp_replace(
  left(last_error, 2000),
  '''[^'']*''|"[^"]*"', '<v>', 'g'),
  '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}', '<uuid>', 'g'),
  '(\\d{1,3}\\.){3}\\d{1,3}(:\\d{1,5})?', '<host>', 'g'),
  '\\m\\d+\\M', '<n>', 'g')`;

async function main() {
  const own = process.env.KICI_BENCH_PG_URL ? null : await startPostgres();
  const db = await createTestDatabase('kici_bench_sigs', process.env.KICI_BENCH_PG_URL ?? own!.url);
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  // Dropping the database at the end terminates the pool's idle clients: not an error of the bench.
  pool.on('error', () => undefined);
  const plugin = await startPlugin();
  try {
    const t0 = performance.now();
    await applySchema(pool, '0.9');
    await getScenario('big', { layout: '0.9' }).seed(pool, new Date());
    await pool.query(
      `INSERT INTO kici_events (event_name, payload, source_routing_key, processed, expires_at, attempts, last_error,
                                dlq_at, dlq_reason)
       SELECT (ARRAY['run.completed','job.completed','deploy-complete'])[1 + g % 3], '{}',
              (ARRAY['github:42','github:77','generic:acme:deploy-hooks'])[1 + g % 3], true, now() + interval '7 days', 5,
              CASE WHEN g % 10 < 6 THEN 'test fault injection: refusing to mark event ' || gen_random_uuid() || ' processed'
                   WHEN g % 10 < 8 THEN 'Error: connect ECONNREFUSED 10.0.' || (g % 250) || '.' || (g % 199) || ':443'
                   ELSE (ARRAY['Error: lock file fetch failed','Error: dispatch timed out after 30000ms',
                               'lease expired (dispatch node died or hung)'])[1 + g % 3] END,
              now() - (g || ' seconds')::interval, 'exhausted_retries'
         FROM generate_series(1, $1) g`,
      [EXTRA_DLQ]
    );
    await pool.query('ANALYZE');
    const seedMs = performance.now() - t0;
    const { rows } = await pool.query<{ dlq: number; texts: number }>(
      'SELECT count(*)::int AS dlq, count(DISTINCT left(last_error, 2000))::int AS texts FROM kici_events WHERE dlq_at IS NOT NULL'
    );
    const { dlq, texts } = rows[0];
    console.log(`seeded in ${(seedMs / 1000).toFixed(1)} s: ${dlq} DLQ events, ${texts} distinct error texts`);

    const u = new URL(db.url);
    const settings = {
      uid: 'bench-sigs',
      jsonData: { pgHost: u.hostname, pgPort: Number(u.port), pgDatabase: u.pathname.slice(1), pgUser: u.username },
      secureJsonData: { pgPassword: decodeURIComponent(u.password) },
    };
    const range = { from: Date.now() - 24 * 3600_000, to: Date.now() };
    let signatures = 0;
    const viaPluginSignatures = await time(async () => {
      const out = await plugin.queryData(settings, [
        { refId: 'A', queryType: 'dlqSignatures', json: { refId: 'A', queryType: 'dlqSignatures' }, timeRange: range },
      ]);
      if (out.A.error) {
        throw new Error(out.A.error);
      }
      signatures = out.A.frames[0].fields[0].values.length;
    });
    const viaPluginDepth = await time(async () => {
      const out = await plugin.queryData(settings, [
        { refId: 'A', queryType: 'dlqDepth', json: { refId: 'A', queryType: 'dlqDepth' }, timeRange: range },
      ]);
      if (out.A.error) {
        throw new Error(out.A.error);
      }
    });
    const groups = buildTextGroupsSql({});
    const bins = buildTextBinsSql(
      {},
      { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() },
      1_800_000
    );
    const pgPluginSql = await time(async () => {
      await Promise.all([pool.query(groups.sql, groups.params), pool.query(bins.sql, bins.params)]);
    });
    let sqlGroups = 0;
    const pgRegexGrouping = await time(async () => {
      const r = await pool.query(
        `SELECT ${SQL_NORMALISE} AS signature, count(*) AS n, min(dlq_at), max(dlq_at),
                array_agg(DISTINCT event_name), array_agg(DISTINCT source_routing_key)
           FROM kici_events WHERE dlq_at IS NOT NULL GROUP BY 1`
      );
      sqlGroups = r.rows.length;
    });

    const result = {
      dlq,
      distinctTexts: texts,
      signatures,
      sqlRegexGroups: sqlGroups,
      seedMs: Math.round(seedMs),
      runs: RUNS,
      medianMs: {
        dlqSignaturesViaExecutable: median(viaPluginSignatures),
        dlqDepthViaExecutable: median(viaPluginDepth),
        pluginSqlViaPg: median(pgPluginSql),
        regexGroupingInPostgresViaPg: median(pgRegexGrouping),
      },
      samplesMs: { viaPluginSignatures, viaPluginDepth, pgPluginSql, pgRegexGrouping },
      node: process.version,
      measuredAt: new Date().toISOString(),
    };
    console.log(`signatures: ${signatures} (regex grouping in PostgreSQL: ${sqlGroups} groups)`);
    console.log('| what (median of 5)                                   | ms |');
    console.log('|------------------------------------------------------|---:|');
    for (const [k, v] of Object.entries(result.medianMs)) {
      console.log(`| ${k.padEnd(52)} | ${v} |`);
    }
    const out = path.join(__dirname, 'results', 'dlq-signatures.json');
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
