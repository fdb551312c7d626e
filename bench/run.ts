// Runs every benchmark, one after the other (each in its own process, so one's memory and PostgreSQL do not
// disturb the next), then prints one table against the goals of issue 9 and writes bench/results/all.json.
// Builds nothing: `npm run bench` builds the plugin, the executable and the browser host first.
//
//   npm run bench
//   npx tsx bench/run.ts coldstart frame-encoding      (only these)
//   npx tsx bench/run.ts --summary-only                (the table from the last results, nothing runs)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const BENCHES = [
  'coldstart',
  'frame-encoding',
  'query-overhead',
  'dlq-events',
  'dlq-sorts',
  'infrastructure',
  'infrastructure-render',
  'load',
  'fanout',
  'go-load',
  'soak',
] as const;
type Bench = (typeof BENCHES)[number];

const RESULTS = path.join(__dirname, 'results');
const TSX = path.resolve(__dirname, '../node_modules/.bin/tsx');

interface Row {
  bench: Bench;
  measure: string;
  value: string;
  goal: string;
  met: boolean | null;
}

type Json = Record<string, any>;

const fmt = (x: number, unit: string, digits = 1) => `${x.toFixed(digits)} ${unit}`;

/** The summary rows of one bench's JSON result. */
function rows(bench: Bench, r: Json): Row[] {
  const row = (measure: string, value: string, goal = '', met: boolean | null = null): Row => ({
    bench,
    measure,
    value,
    goal,
    met,
  });
  switch (bench) {
    case 'coldstart':
      return [
        row('spawn → handshake (median of 10)', fmt(r.medianMs.handshake, 'ms'), '≤ 40 ms', r.medianMs.handshake <= 40),
        row('RSS at the handshake', fmt(r.medianRssMb.atHandshake, 'MB'), '≤ 60 MB', r.medianRssMb.atHandshake <= 60),
        row(
          'RSS after the first query',
          fmt(r.medianRssMb.afterFirstQuery, 'MB'),
          '≤ 60 MB',
          r.medianRssMb.afterFirstQuery <= 60
        ),
      ];
    case 'frame-encoding':
      // Goals of issue 18: 8 ms for a time series, 30 ms for the DLQ table (a baseline encoder's rows are left out).
      return (r.results as Json[])
        .filter((m) => m.encoder !== 'baseline')
        .map((m) => {
          const goal = String(m.shape).startsWith('time series') ? 8 : 30;
          return row(
            `100,000 rows, ${m.shape} (${m.runtime}): round trip wall (CPU); encode alone`,
            `${fmt(m.medianMs.roundTrip, 'ms')} (${fmt(m.medianCpuMs.roundTrip, 'ms')}); ${fmt(m.medianMs.encode, 'ms')}`,
            `≤ ${goal} ms`,
            m.medianMs.roundTrip <= goal
          );
        });
    case 'query-overhead':
      return [
        ...(r.queries as Json[]).map((q) =>
          row(
            `${q.queryType}: executable / pg`,
            `${q.medianMs.plugin.toFixed(1)} / ${q.medianMs.pg.toFixed(1)} ms = ${q.ratio.toFixed(2)}×`,
            '≤ 1.2×',
            q.ratio <= 1.2
          )
        ),
        row('floor: refused query / SELECT 1', `${r.floorMs.pluginRefusedQuery} / ${r.floorMs.pgSelect1} ms`),
      ];
    case 'dlq-events':
      return [
        row(
          'dlqEvents: executable / pg',
          `${r.medianMs.plugin.toFixed(1)} / ${r.medianMs.pg.toFixed(1)} ms = ${r.ratio.toFixed(2)}×`,
          '≤ 1.2×',
          r.ratio <= 1.2
        ),
        row('plan uses idx_kici_events_dlq', r.usesDlqIndex ? 'yes' : 'no', 'yes', r.usesDlqIndex === true),
      ];
    case 'dlq-sorts':
      return (r.results as Json[])
        .filter((x) => x.offered)
        .map((x) =>
          row(
            `dlqEvents by ${x.sort} ${x.dir}, ${x.page} page, ${r.dlq} DLQ rows: executable (plan index-served)`,
            `${fmt(x.pluginMs, 'ms')} (${x.indexServed ? 'yes' : 'NO'})`,
            `≤ ${r.goalMs} ms, index-served`,
            x.pluginMs <= r.goalMs && x.indexServed
          )
        );
    case 'infrastructure':
      // One row per timing the bench reports (its owner may add more); the goal is on a full (uncached) build.
      return Object.entries(r.medianMs as Record<string, number>).map(([kind, ms]) => {
        const full = kind === 'full' || kind === 'steady';
        return row(
          `GET infrastructure, ${r.orchestrators} × ${r.agents} (${kind})`,
          fmt(ms, 'ms'),
          full ? '≤ 150 ms' : '',
          full ? ms <= 150 : null
        );
      });
    case 'fanout':
      return (r.results as Json[]).map((x) =>
        row(
          `CheckHealth, ${x.urls} orchestrator URLs (${x.blackHoles} black holes)`,
          fmt(x.medianMs, 'ms', 0),
          `≤ ${r.goalMs} ms`,
          x.medianMs <= r.goalMs
        )
      );
    case 'infrastructure-render': {
      const m = r.medianMs as Record<string, number>;
      const what: Record<string, string> = {
        firstRender: 'first render (response → 50 orchestrators laid out)',
        expandOrchestrator: 'expand an orchestrator',
        expandAgents: "expand a pool's agents (50 rows)",
        showMore: 'show 50 more agents',
        narrowSearch: 'search one agent id',
        broadSearch: 'search matching every agent (50 orchestrators open)',
        clearSearch: 'clear the search',
      };
      return [
        ...Object.entries(m).map(([k, ms]) =>
          row(`Chromium, ${r.orchestrators} × ${r.agents}: ${what[k] ?? k}`, fmt(ms, 'ms'), '≤ 200 ms', ms <= 200)
        ),
        row('navigation → tree laid out (host bundle load included)', fmt(r.pageToTreeMs, 'ms')),
        row('DOM nodes / JS heap at the end', `${r.atEnd.domNodes} / ${fmt(r.atEnd.jsHeapUsedMb, 'MB')}`),
      ];
    }
    case 'go-load':
      return (r.results as Json[]).flatMap((x) => [
        // The floor runs no SQL: no pgbench figure to set it beside.
        ...(x.pgbench
          ? [
              row(
                `Go client, ${x.query}, ${x.callers} callers: calls/s executable / pgbench`,
                `${x.plugin.callsPerS} / ${x.pgbench.callsPerS} = ${x.throughputRatio.toFixed(2)}×`,
                x.callers >= 20 ? '≥ 0.8×' : '',
                x.callers >= 20 ? x.throughputRatio >= 0.8 : null
              ),
              row(
                `Go client, ${x.query}, ${x.callers} callers: p50 / p99 (pgbench p50)`,
                `${x.plugin.p50Ms} / ${x.plugin.p99Ms} ms (${x.pgbench.p50Ms} ms)`,
                x.callers >= 20 ? 'p99 ≤ 3 × p50' : '',
                x.callers >= 20 ? x.plugin.p99Ms <= 3 * x.plugin.p50Ms : null
              ),
            ]
          : []),
        row(
          `Go client, ${x.query}, ${x.callers} callers: plugin CPU per call`,
          fmt(x.plugin.pluginCpuMsPerCall, 'ms', 2)
        ),
      ]);
    case 'soak':
      return [
        row(
          `Go client, ${r.callers} callers × ${r.minutes} min (DLQ + health mix): calls/s, errors`,
          `${r.callsPerS}/s, ${r.errors} of ${r.calls}`,
          '0 errors',
          r.errors === 0
        ),
        row(
          'RSS start → each minute → end (max)',
          `${r.rssMb.start} → ${r.rssMb.perMinute
            .slice(1)
            .map((p: Json) => p.mb)
            .join(' → ')} → ${r.rssMb.end} MB (${r.rssMb.max})`,
          '≤ 150 MB at the end',
          r.rssMb.end <= 150
        ),
        row(
          'RSS: last quarter’s mean over the second quarter’s',
          `${r.rssMb.lastQuarterOverSecond.mb} MB (slope ${r.rssMb.lastHalfSlopeMbPerMin} MB/min)`,
          `flat (≤ ${r.rssMb.lastQuarterOverSecond.noiseMb} MB, the last half’s swing)`,
          !r.rssMb.lastQuarterOverSecond.growing
        ),
      ];
    case 'load':
      return [
        row(`${r.callers} callers × ${r.seconds} s: throughput`, `${r.throughputPerS} queries/s`),
        row('p50 / p99', `${r.latencyMs.p50} / ${r.latencyMs.p99} ms`, 'p99 ≤ 100 ms', r.latencyMs.p99 <= 100),
        row('errors', `${r.errors} of ${r.queries}`, '0', r.errors === 0),
        row('RSS start → end (max)', `${r.rssMb.start} → ${r.rssMb.end} MB (${r.rssMb.max})`, 'flat'),
      ];
  }
}

async function main() {
  // --summary-only: no bench runs, the table and all.json from the results already on disk.
  const summaryOnly = process.argv.includes('--summary-only');
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const selected = only.length ? BENCHES.filter((b) => only.includes(b)) : [...BENCHES];
  const loadBefore = os.loadavg();
  const results: Record<string, Json> = {};
  const failed: string[] = [];
  for (const bench of selected) {
    if (!summaryOnly) {
      console.log(`\n=== ${bench} ===`);
    }
    const file = path.join(RESULTS, `${bench}.json`);
    if (summaryOnly) {
      results[bench] = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { error: 'no result on disk' };
      continue;
    }
    const started = Date.now();
    const run = spawnSync(TSX, [path.join(__dirname, `${bench}.ts`)], { stdio: 'inherit', env: process.env });
    const wroteNew =
      existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).measuredAt >= new Date(started).toISOString();
    if (run.status !== 0 || !wroteNew) {
      failed.push(bench);
      results[bench] = { error: `exit ${run.status ?? run.signal}${wroteNew ? '' : ', no new result'}` };
      continue;
    }
    results[bench] = JSON.parse(readFileSync(file, 'utf8'));
  }
  const summary = selected.flatMap((b): Row[] => {
    if (results[b].error) {
      return [];
    }
    try {
      return rows(b, results[b]);
    } catch (err) {
      return [
        { bench: b, measure: `result not understood: ${(err as Error).message}`, value: '', goal: '', met: null },
      ];
    }
  });
  const loadAfter = os.loadavg();

  console.log(
    `\n=== summary (load average before ${loadBefore.map((x) => x.toFixed(1)).join(' ')}, after ${loadAfter.map((x) => x.toFixed(1)).join(' ')}; ${os.cpus().length} CPUs) ===\n`
  );
  console.log('| bench | measure | value | goal | met |');
  console.log('|---|---|---:|---|:---:|');
  for (const r of summary) {
    console.log(
      `| ${r.bench} | ${r.measure} | ${r.value} | ${r.goal} | ${r.met === null ? '' : r.met ? 'yes' : 'no'} |`
    );
  }
  for (const b of failed) {
    console.log(`| ${b} | did not run: ${results[b].error} | | | no |`);
  }

  await mkdir(RESULTS, { recursive: true });
  const out = path.join(RESULTS, 'all.json');
  await writeFile(
    out,
    `${JSON.stringify(
      {
        measuredAt: new Date().toISOString(),
        machine: {
          cpus: os.cpus().length,
          cpuModel: os.cpus()[0]?.model,
          loadAverageBefore: loadBefore,
          loadAverageAfter: loadAfter,
          node: process.version,
        },
        summary,
        failed,
        results,
      },
      null,
      2
    )}\n`
  );
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
  if (failed.length) {
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
