// GET infrastructure on the `big` scenario (50 orchestrators, 5,000 agents): CallResource through the
// compiled executable against kici-sim over loopback and a real PostgreSQL, self-hosted mode (the
// database plus the 50-node fan-out: /health, /cluster/health, /cluster/peers, /admin/diagnose,
// /admin/fleet-topology on every node). Median of 20 after warm-up for: a steady refresh (same datasource,
// cache off: DB + fan-out, hostnames already known), a cold build (a new datasource version each run:
// new pool, schema detection, every node's 1 MB fleet topology), and the cached answer (default 5 s
// cache); writes bench/results/infrastructure.json.
//
//   npm run build:backend -- --host-only && npx tsx bench/infrastructure.ts
//   KICI_BENCH_PG_URL=postgres://… npx tsx bench/infrastructure.ts   (a superuser URL instead of embedded PostgreSQL)
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { BIG_KNOWN } from '../dev/kici-sim/scenarios/big';
import { startSim } from '../dev/kici-sim/sim';
import { startPlugin } from '../dev/testing/plugin-process';
import { createTestDatabase, startPostgres } from '../dev/testing/postgres';
import type { Infrastructure } from '../src/datasource/infrastructure/model';

const RUNS = 20;
const WARMUP = 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** CPU time (user + system) a process has used, from /proc (clock ticks of 10 ms). */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const ownCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

async function main() {
  const own = process.env.KICI_BENCH_PG_URL ? null : await startPostgres();
  const baseUrl = process.env.KICI_BENCH_PG_URL ?? own!.url;
  const db = await createTestDatabase('kici_bench_infra', baseUrl);
  const t0 = performance.now();
  const sim = await startSim({ scenario: 'big', layout: '0.9', pgUrl: db.url });
  const seedMs = performance.now() - t0;
  const plugin = await startPlugin();
  try {
    const u = new URL(db.url);
    let version = 1;
    let cacheMs = 0;
    const settings = () => ({
      uid: 'bench-infra',
      lastUpdatedMS: version,
      jsonData: {
        pgHost: u.hostname,
        pgPort: Number(u.port),
        pgDatabase: u.pathname.slice(1),
        pgUser: u.username,
        orchestratorUrls: sim.nodes.map((n) => n.url),
        httpTimeoutMs: 10_000,
        infrastructureCacheMs: cacheMs,
      },
      secureJsonData: { pgPassword: decodeURIComponent(u.password), adminToken: sim.tokens.auditor },
    });

    let last: Infrastructure | null = null;
    let bytes = 0;
    const call = async () => {
      const res = await plugin.callResource(settings(), { method: 'GET', path: 'infrastructure' });
      if (res.status !== 200) {
        throw new Error(`GET infrastructure: ${res.status} ${JSON.stringify(res.json)}`);
      }
      last = res.json as Infrastructure;
      bytes = JSON.stringify(res.json).length;
    };
    const time = async (fresh: boolean) => {
      for (let i = 0; i < WARMUP; i++) {
        version += fresh ? 1 : 0;
        await call();
      }
      const out: number[] = [];
      const cpu0 = { plugin: processCpuMs(plugin.pid), sim: ownCpuMs() };
      for (let i = 0; i < RUNS; i++) {
        version += fresh ? 1 : 0;
        const s = performance.now();
        await call();
        out.push(performance.now() - s);
      }
      // Where the wall time goes: the plugin's CPU, and this process's (kici-sim's 50 nodes and the gRPC client).
      cpuPerCallMs.push({
        plugin: round((processCpuMs(plugin.pid) - cpu0.plugin) / RUNS),
        simAndClient: round((ownCpuMs() - cpu0.sim) / RUNS),
      });
      return out;
    };

    const cpuPerCallMs: Array<{ plugin: number; simAndClient: number }> = [];
    const steady = await time(false);
    const cold = await time(true);
    cacheMs = 5_000;
    version += 1;
    const cached = await time(false);
    const [steadyCpu, coldCpu, cachedCpu] = cpuPerCallMs;

    const m = last as unknown as Infrastructure;
    // Disconnected roster rows belong to no node: they appear among the stateful agents only.
    const agents = new Set([...m.orchestrators.flatMap((o) => o.agents), ...m.statefulAgents].map((a) => a.agentId))
      .size;
    const reachable = m.orchestrators.filter((o) => o.reachable).length;
    if (m.orchestrators.length !== BIG_KNOWN.orchestrators || reachable !== BIG_KNOWN.orchestrators) {
      throw new Error(
        `expected ${BIG_KNOWN.orchestrators} reachable orchestrators, got ${reachable}/${m.orchestrators.length}`
      );
    }
    if (agents !== BIG_KNOWN.agents) {
      throw new Error(`expected ${BIG_KNOWN.agents} agents, got ${agents}`);
    }

    const result = {
      scenario: 'big',
      orchestrators: m.orchestrators.length,
      agents,
      statefulAgents: m.statefulAgents.length,
      responseBytes: bytes,
      simStartAndSeedMs: Math.round(seedMs),
      runs: RUNS,
      warmup: WARMUP,
      medianMs: { steady: round(median(steady)), cold: round(median(cold)), cached: round(median(cached)) },
      samplesMs: { steady: steady.map(round), cold: cold.map(round), cached: cached.map(round) },
      cpuPerCallMs: { steady: steadyCpu, cold: coldCpu, cached: cachedCpu },
      node: process.version,
      measuredAt: new Date().toISOString(),
    };

    console.log(
      `big scenario: ${result.orchestrators} orchestrators, ${agents} agents; sim started and seeded in ${(seedMs / 1000).toFixed(1)} s`
    );
    console.log(
      `GET infrastructure: median of ${RUNS} after ${WARMUP} warm-up runs, ${(bytes / 1024).toFixed(0)} KiB of JSON\n`
    );
    console.log(
      '| path                                        | median ms | min ms | max ms | plugin CPU ms | sim + client CPU ms |'
    );
    console.log(
      '|---------------------------------------------|----------:|-------:|-------:|--------------:|--------------------:|'
    );
    for (const [name, xs, cpu] of [
      ['steady refresh (DB + 50-node fan-out)', steady, steadyCpu],
      ['cold (new datasource version, topologies)', cold, coldCpu],
      ['cached (default 5 s cache)', cached, cachedCpu],
    ] as const) {
      console.log(
        `| ${name.padEnd(43)} | ${median(xs).toFixed(2).padStart(9)} | ${Math.min(...xs)
          .toFixed(2)
          .padStart(6)} | ${Math.max(...xs)
          .toFixed(2)
          .padStart(6)} | ${cpu.plugin.toFixed(1).padStart(13)} | ${cpu.simAndClient.toFixed(1).padStart(19)} |`
      );
    }

    const out = path.join(__dirname, 'results', 'infrastructure.json');
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
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
