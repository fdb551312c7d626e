// RSS under sustained load through Grafana's own client (issue 18): 200 callers in a closed loop through
// bench/grpc-load (go-plugin + grpc-go, one connection) for N minutes on the `big` scenario, with kici-sim's
// orchestrator over loopback for the HTTP-backed query. The mix: dlqEvents (100 rows), dlqDepth current and
// series, health. grpc-load samples the executable's VmRSS every 10 s. Reports the curve (start, each minute,
// end, max), the slope over the last half, calls/s and errors; exits 1 if RSS ends above 150 MB, the last quarter
// grows beyond noise (growth()), or any call failed. Writes bench/results/soak.json.
//
//   npm run build:backend -- --host-only && KICI_SOAK_MINUTES=10 npx tsx bench/soak.ts      (the run)
//   npx tsx bench/run.ts soak                                            (1 minute by default)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

import { startSim } from '../dev/kici-sim/sim';
import { GO_CLIENT, goClientBench, pgSettings } from './go-client';

const MINUTES = Number(process.env.KICI_SOAK_MINUTES ?? 1);
const CALLERS = Number(process.env.KICI_SOAK_CALLERS ?? 200);
const SCENARIO = process.env.KICI_SOAK_SCENARIO ?? 'big';
const POOL = 5;
const GOAL_MB = 150;
/** Growth over the last half that counts as growth, not noise: MB per minute. */

/** Orchestrator URLs given to the plugin: the scenario's first N nodes (`big` has 50; every health call asks each). */
const NODES = Number(process.env.KICI_SOAK_NODES ?? Infinity);

const KINDS: Record<string, object> = {
  dlqEvents: { queryType: 'dlqEvents', limit: 100, useTimeRange: false },
  dlqDepth: { queryType: 'dlqDepth' },
  dlqDepthSeries: { queryType: 'dlqDepth', series: true },
  health: { queryType: 'health' },
};
// In proportion, as a DLQ dashboard refreshes: depth current and series, the 100-row page, health.
// KICI_SOAK_MIX=dlqEvents,dlqDepth (kinds above, repeated for weight) to isolate one.
const MIX = (process.env.KICI_SOAK_MIX ?? 'dlqEvents,dlqDepth,dlqDepthSeries,dlqEvents,dlqDepth,health')
  .split(',')
  .map((k) => {
    if (!KINDS[k]) {
      throw new Error(`KICI_SOAK_MIX: unknown kind ${k} (${Object.keys(KINDS).join(', ')})`);
    }
    return KINDS[k];
  });

interface Sample {
  at_s: number;
  rss_kb: number;
  plugin_cpu_ms: number;
  calls: number;
  errors: number;
  max_latency_ms: number;
}

const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;

/**
 * Growth beyond the garbage collector's sawtooth (RSS swings by ±70 MB within a minute at 200 callers, so a slope
 * over a few minutes says little): the last quarter's mean RSS against the second quarter's, growing when it is
 * higher by more than one standard deviation of the last half (at least 10 MB).
 */
export function growth(samples: Sample[]): { mb: number; noiseMb: number; growing: boolean } {
  const q = Math.floor(samples.length / 4);
  const mean = (xs: Sample[]) => xs.reduce((a, s) => a + s.rss_kb / 1024, 0) / Math.max(1, xs.length);
  const lastHalf = samples.slice(2 * q);
  const m = mean(lastHalf);
  const sd = Math.sqrt(lastHalf.reduce((a, s) => a + (s.rss_kb / 1024 - m) ** 2, 0) / Math.max(1, lastHalf.length));
  const mb = mean(samples.slice(3 * q)) - mean(samples.slice(q, 2 * q));
  const noiseMb = Math.max(10, sd);
  const round = (x: number) => Math.round(x * 10) / 10;
  return { mb: round(mb), noiseMb: round(noiseMb), growing: mb > noiseMb };
}

/** Least-squares slope of RSS (MB) against time (minutes). */
export function slopeMbPerMin(samples: Sample[]): number {
  const xs = samples.map((s) => s.at_s / 60);
  const ys = samples.map((s) => s.rss_kb / 1024);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den ? Math.round((num / den) * 100) / 100 : 0;
}

async function main() {
  const { exe, db, stop } = await goClientBench('kici_bench_soak');
  const sim = await startSim({ scenario: SCENARIO, layout: '0.9', pgUrl: db.url });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kici-soak-'));
  try {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    await pool.query('VACUUM ANALYZE');
    await pool.end();
    const pgs = pgSettings(db.url, POOL);
    const jsonData = {
      ...pgs.jsonData,
      orchestratorUrls: sim.nodes.slice(0, NODES).map((n) => n.url),
      latestVersionSource: 'none',
    };
    const secure = { pgPassword: pgs.pgPassword, adminToken: sim.tokens.auditor };
    const json = path.join(dir, 'soak.json');
    const loadBefore = os.loadavg();
    const run = spawnSync(
      GO_CLIENT,
      [
        ...['-plugin', exe, '-plugin-id', 'kici-ops-datasource'],
        ...['-jsondata', JSON.stringify(jsonData), '-secure', JSON.stringify(secure)],
        ...['-concurrency', String(CALLERS), '-duration', `${Math.round(MINUTES * 60)}s`, '-rss-every', '10s'],
        ...['-mix', JSON.stringify(MIX), '-json', json],
      ],
      { encoding: 'utf8', stdio: ['ignore', 'inherit', 'inherit'] }
    );
    const loadAfter = os.loadavg();
    const soak = JSON.parse(readFileSync(json, 'utf8')).soak;
    const samples: Sample[] = soak.samples;
    const end = samples.at(-1)!;
    const lastHalf = samples.filter((s) => s.at_s >= end.at_s / 2);
    const perMinute = samples.filter(
      (s, i) => i === 0 || Math.floor(s.at_s / 60) > Math.floor(samples[i - 1].at_s / 60)
    );
    const result = {
      measuredAt: new Date().toISOString(),
      scenario: SCENARIO,
      callers: CALLERS,
      minutes: MINUTES,
      pool: POOL,
      mix: MIX,
      orchestratorUrls: jsonData.orchestratorUrls.length,
      calls: soak.calls,
      errors: soak.errors,
      errorKinds: soak.error_kinds ?? {},
      callsPerS: Math.round(soak.calls_per_s),
      pluginCpuMsPerCall: Math.round((end.plugin_cpu_ms / Math.max(1, soak.calls)) * 100) / 100,
      rssMb: {
        start: mb(samples[0].rss_kb),
        perMinute: perMinute.map((s) => ({ atS: Math.round(s.at_s), mb: mb(s.rss_kb) })),
        end: mb(end.rss_kb),
        max: mb(Math.max(...samples.map((s) => s.rss_kb))),
        lastHalfSlopeMbPerMin: slopeMbPerMin(lastHalf),
        lastQuarterOverSecond: growth(samples),
      },
      goal: { endMb: GOAL_MB },
      machine: { cpus: os.cpus().length, loadAverageBefore: loadBefore, loadAverageAfter: loadAfter },
      samples,
      perType: soak.per_type,
    };
    const flat = !result.rssMb.lastQuarterOverSecond.growing;
    const under = result.rssMb.end <= GOAL_MB;
    console.log(
      `\nsoak: ${CALLERS} callers × ${MINUTES} min on ${SCENARIO} (${jsonData.orchestratorUrls.length} orchestrator URLs): ${result.calls} calls (${result.callsPerS}/s), ${result.errors} errors, plugin CPU ${result.pluginCpuMsPerCall} ms/call`
    );
    console.log(
      `RSS MB: start ${result.rssMb.start}, per minute ${result.rssMb.perMinute.map((p) => p.mb).join(' → ')}, end ${result.rssMb.end}, max ${result.rssMb.max}`
    );
    console.log(
      `last quarter's mean − second quarter's ${result.rssMb.lastQuarterOverSecond.mb} MB (noise ${result.rssMb.lastQuarterOverSecond.noiseMb} MB) ${flat ? 'FLAT' : 'GROWING'}, last-half slope ${result.rssMb.lastHalfSlopeMbPerMin} MB/min; end ≤ ${GOAL_MB} MB ${under ? 'MET' : 'NOT MET'}`
    );
    console.log(
      `load average before ${loadBefore.map((x) => x.toFixed(1)).join(' ')}, after ${loadAfter.map((x) => x.toFixed(1)).join(' ')}`
    );
    await mkdir(path.join(__dirname, 'results'), { recursive: true });
    await writeFile(path.join(__dirname, 'results', 'soak.json'), `${JSON.stringify(result, null, 2)}\n`);
    process.exitCode = flat && under && run.status === 0 && result.errors === 0 ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sim.stop();
    await stop();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    console.error(err);
    process.exit(1);
  }
);
