// Load: 200 concurrent QueryData callers for 60 s against the compiled executable, mixing query types, on
// kici-sim's `dlq-backlog` scenario (one orchestrator over loopback, a real PostgreSQL). Each caller sends its next
// query as soon as the previous one answers (closed loop, so the load is bounded by the callers). Reports
// throughput, p50/p99 latency, errors and the plugin's RSS sampled every 5 s; writes bench/results/load.json.
//
//   npm run build:backend -- --host-only && npx tsx bench/load.ts
//   KICI_LOAD_SECONDS=10 KICI_LOAD_CALLERS=50 npx tsx bench/load.ts      (a shorter run)
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { startSim } from '../dev/kici-sim/sim';
import { startPlugin } from '../dev/testing/plugin-process';
import { createTestDatabase, startPostgres } from '../dev/testing/postgres';

const CALLERS = Number(process.env.KICI_LOAD_CALLERS ?? 200);
const SECONDS = Number(process.env.KICI_LOAD_SECONDS ?? 60);
const PG_MAX_CONNECTIONS = 10;
const GOAL = { p99Ms: 100, errors: 0 };

// The mix, in proportion (a dashboard is mostly DLQ and execution stats; health and infrastructure are rarer).
const MIX: Array<[string, Record<string, unknown>, number]> = [
  ['dlqDepth', { queryType: 'dlqDepth' }, 6],
  ['dlqDepth series', { queryType: 'dlqDepth', series: true }, 2],
  ['dlqEvents', { queryType: 'dlqEvents', limit: 100, useTimeRange: false }, 4],
  ['executionMetrics', { queryType: 'executionMetrics' }, 3],
  ['executions', { queryType: 'executions' }, 1],
  ['eventDelivery', { queryType: 'eventDelivery' }, 2],
  ['secretBackends', { queryType: 'secretBackends' }, 2],
  ['infrastructure', { queryType: 'infrastructure' }, 1],
  ['health', { queryType: 'health' }, 1],
];
const SCHEDULE = MIX.flatMap(([name, model, weight]) => Array.from({ length: weight }, () => [name, model] as const));

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) {
    return NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const round = (x: number) => Math.round(x * 10) / 10;

function rssMb(pid: number): number {
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return round(kb / 1024);
}

async function main() {
  const own = process.env.KICI_BENCH_PG_URL ? null : await startPostgres();
  const baseUrl = process.env.KICI_BENCH_PG_URL ?? own!.url;
  const db = await createTestDatabase('kici_bench_load', baseUrl);
  const sim = await startSim({ scenario: 'dlq-backlog', layout: '0.9', pgUrl: db.url });
  const plugin = await startPlugin(
    process.env.KICI_BENCH_EXECUTABLE ? { executable: process.env.KICI_BENCH_EXECUTABLE } : {}
  );
  try {
    const u = new URL(db.url);
    const settings = {
      uid: 'bench-load',
      jsonData: {
        pgHost: u.hostname,
        pgPort: Number(u.port),
        pgDatabase: u.pathname.slice(1),
        pgUser: u.username,
        pgMaxConnections: PG_MAX_CONNECTIONS,
        orchestratorUrls: sim.nodes.map((n) => n.url),
        latestVersionSource: 'none',
      },
      secureJsonData: { pgPassword: decodeURIComponent(u.password), adminToken: sim.tokens.auditor },
    };
    // Warm-up: every query type once, so the first samples do not include loading the plugin.
    for (const [name, model] of MIX) {
      const out = await plugin.queryData(settings, [
        { refId: 'A', queryType: String(model.queryType), json: { refId: 'A', ...model } },
      ]);
      if (out.A.error) {
        throw new Error(`warm-up ${name}: ${out.A.error}`);
      }
    }

    const rss: Array<{ atS: number; mb: number }> = [{ atS: 0, mb: rssMb(plugin.pid) }];
    const latencies: number[] = [];
    const perType = new Map<string, { n: number; errors: number; latencies: number[] }>();
    const errors = new Map<string, number>();
    const start = performance.now();
    const deadline = start + SECONDS * 1000;
    const sampler = setInterval(
      () => rss.push({ atS: round((performance.now() - start) / 1000), mb: rssMb(plugin.pid) }),
      5000
    );
    let next = 0;
    const caller = async () => {
      while (performance.now() < deadline) {
        const [name, model] = SCHEDULE[next++ % SCHEDULE.length];
        const t0 = performance.now();
        let error: string | undefined;
        try {
          const out = await plugin.queryData(settings, [
            { refId: 'A', queryType: String(model.queryType), json: { refId: 'A', ...model } },
          ]);
          error = out.A.error;
        } catch (err) {
          error = `gRPC: ${(err as Error).message}`;
        }
        const ms = performance.now() - t0;
        latencies.push(ms);
        const t = perType.get(name) ?? { n: 0, errors: 0, latencies: [] };
        t.n++;
        t.latencies.push(ms);
        if (error) {
          t.errors++;
          errors.set(error, (errors.get(error) ?? 0) + 1);
        }
        perType.set(name, t);
      }
    };
    await Promise.all(Array.from({ length: CALLERS }, caller));
    clearInterval(sampler);
    const elapsedS = (performance.now() - start) / 1000;
    rss.push({ atS: round(elapsedS), mb: rssMb(plugin.pid) });

    latencies.sort((a, b) => a - b);
    const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
    const result = {
      scenario: 'dlq-backlog',
      callers: CALLERS,
      seconds: SECONDS,
      pgMaxConnections: PG_MAX_CONNECTIONS,
      goal: GOAL,
      queries: latencies.length,
      throughputPerS: round(latencies.length / elapsedS),
      latencyMs: {
        p50: round(percentile(latencies, 50)),
        p99: round(percentile(latencies, 99)),
        max: round(latencies.at(-1)!),
      },
      errors: errorCount,
      errorMessages: Object.fromEntries(errors),
      rssMb: { start: rss[0].mb, end: rss.at(-1)!.mb, max: Math.max(...rss.map((r) => r.mb)), samples: rss },
      perType: Object.fromEntries(
        [...perType].map(([name, t]) => {
          const s = t.latencies.sort((a, b) => a - b);
          return [
            name,
            { queries: t.n, errors: t.errors, p50Ms: round(percentile(s, 50)), p99Ms: round(percentile(s, 99)) },
          ];
        })
      ),
      measuredAt: new Date().toISOString(),
    };
    console.log(`load: ${CALLERS} callers for ${SECONDS} s, closed loop, pgMaxConnections ${PG_MAX_CONNECTIONS}\n`);
    console.log('| query type        | queries | errors | p50 ms | p99 ms |');
    console.log('|-------------------|--------:|-------:|-------:|-------:|');
    for (const [name, t] of Object.entries(result.perType)) {
      console.log(
        `| ${name.padEnd(17)} | ${String(t.queries).padStart(7)} | ${String(t.errors).padStart(6)} | ${t.p50Ms.toFixed(1).padStart(6)} | ${t.p99Ms
          .toFixed(1)
          .padStart(6)} |`
      );
    }
    console.log(
      `| **all**           | ${String(result.queries).padStart(7)} | ${String(errorCount).padStart(6)} | ${result.latencyMs.p50
        .toFixed(1)
        .padStart(6)} | ${result.latencyMs.p99.toFixed(1).padStart(6)} |`
    );
    console.log(
      `\nthroughput ${result.throughputPerS} queries/s; RSS ${result.rssMb.start} MB at start, ${result.rssMb.end} MB at the end (max ${result.rssMb.max})`
    );
    if (errorCount) {
      console.log(`errors: ${JSON.stringify(result.errorMessages, null, 1)}`);
    }
    const out = path.join(__dirname, 'results', 'load.json');
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), out)}`);
  } finally {
    await plugin.stop();
    await sim.stop();
    await db.drop();
    await own?.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
