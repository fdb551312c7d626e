// Grafana's own client vs libpq on the same SQL (issue 18): drives the compiled executable with bench/grpc-load
// (hashicorp/go-plugin + grpc-go, one connection, as Grafana does) and, in the same run, pgbench on exactly the SQL
// and parameters the plugin sends, with as many connections as the plugin's pool (5) and the same read-only
// session. Each figure is therefore a ratio measured on the same machine minutes apart. Closed loop: C callers,
// each starts its next call when one returns. Beside each pair: PostgreSQL's CPU per query on both paths and pgbench's
// own reordering; a floor case (cached schemaInfo) runs no SQL. Writes bench/results/go-load.json.
//
//   npm run build:backend -- --host-only && npx tsx bench/go-load.ts
//   KICI_GO_LOAD_SCENARIO=dlq-backlog KICI_GO_LOAD_CALLERS=1,20,200 KICI_GO_LOAD_N=1000 npx tsx bench/go-load.ts
//   KICI_GO_LOAD_CASES=dlqDepth,floor npx tsx bench/go-load.ts                      (some cases only)
//   KICI_GO_LOAD_BASELINE=path/to/older/gpx_kici_ops_linux_amd64 npx tsx bench/go-load.ts   (also runs an older build, interleaved with
//                                                                   this one, so before/after share the load)
// Needs go (Debian's golang-go and the Go library packages, see bench/grpc-load/README.md) and pgbench.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';

import { applySchema } from '../dev/kici-sim/db/schema';
import { getScenario } from '../dev/kici-sim/scenarios/index';
import { dlqEventsOptions, modelFilters } from '../src/backend/features/dlq/options';
import { buildDlqCountSql, buildDlqEventsSql } from '../src/backend/features/dlq/sql';
import type { Statement } from '../src/backend/features/dlq/sql';
import { DEFAULT_PG_STATEMENT_TIMEOUT_MS } from '../src/datasource/query';
import { GO_CLIENT, goClientBench, pgSettings } from './go-client';

const SCENARIO = process.env.KICI_GO_LOAD_SCENARIO ?? 'big';
const CALLERS = (process.env.KICI_GO_LOAD_CALLERS ?? '1,20').split(',').map(Number);
const N = Number(process.env.KICI_GO_LOAD_N ?? 600);
const WARMUP = Number(process.env.KICI_GO_LOAD_WARMUP ?? 40);
/** The plugin's pool size in this bench, and pgbench's connection count (never more than the callers). */
const POOL = 5;

interface Case {
  name: string;
  model: Record<string, unknown>;
  /** The SQL pgbench runs; null for the floor, which runs none. */
  stmt: Statement | null;
}

const CASES: Case[] = [
  {
    name: 'dlqEvents (100 rows)',
    model: { queryType: 'dlqEvents', limit: 100, useTimeRange: false },
    stmt: buildDlqEventsSql(
      dlqEventsOptions({ queryType: 'dlqEvents', limit: 100, useTimeRange: false } as never, {
        from: 0,
        to: Date.now(),
      })
    ),
  },
  {
    name: 'dlqDepth',
    model: { queryType: 'dlqDepth' },
    stmt: buildDlqCountSql(modelFilters({ queryType: 'dlqDepth' } as never)),
  },
  {
    // The floor of a call: gRPC, the instance lookup, the dispatch and a one-row Arrow frame, but no SQL (the
    // schema detection is cached after the first call).
    name: 'floor (schemaInfo, cached)',
    model: { queryType: 'schemaInfo' },
    stmt: null,
  },
].filter(
  (c) => !process.env.KICI_GO_LOAD_CASES || process.env.KICI_GO_LOAD_CASES.split(',').includes(c.name.split(' ')[0])
);

type Plugin = ReturnType<typeof goLoad>;
interface Row {
  query: string;
  callers: number;
  n: number;
  plugin: Plugin;
  baseline?: Plugin;
  baselineThroughputRatio: number | null;
  pgbench: ReturnType<typeof pgbench> | null;
  throughputRatio: number | null;
  addedP50Ms: number | null;
}

interface Figures {
  callsPerS: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const r2 = (x: number) => Math.round(x * 100) / 100;

/** pgbench on the statement: `$n` become `:pn` variables (given with -D), sent as parameters (-M extended). */
/**
 * The most later-started calls that finished before one call did: how far a call was overtaken. For pgbench the same
 * figure as grpc-load's `max_overtaken`, so the plugin's reordering can be set beside PostgreSQL's own.
 */
export function maxOvertaken(calls: Array<{ start: number; end: number }>): number {
  let most = 0;
  for (const a of calls) {
    let o = 0;
    for (const b of calls) {
      if (b.start > a.start && b.end < a.end) {
        o++;
      }
    }
    most = Math.max(most, o);
  }
  return most;
}

const msPerTick = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/**
 * CPU time (user + system, ms) of the bench's PostgreSQL: its postmaster, which also carries the CPU of backends
 * that have exited (pgbench's connections), and its live children. Divided by the queries run in between, it is
 * PostgreSQL's CPU per query, which the plugin shares the machine's cores with. 0 when the server is not local.
 */
function postgresCpuMs(): number {
  if (postmaster === null) {
    return 0;
  }
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields of proc(5) from the 3rd: ppid [1], utime [11], stime [12], cutime [13], cstime [14].
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pid) === postmaster) {
        ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
      } else if (Number(f[1]) === postmaster) {
        ticks += Number(f[11]) + Number(f[12]);
      }
    } catch {
      // the process ended between the listing and the read
    }
  }
  return ticks * msPerTick;
}

/** The bench's PostgreSQL server process (set once seeded). */
let postmaster: number | null = null;

/** The postmaster's pid from its data directory's postmaster.pid, or null when that is not readable here. */
async function postmasterPid(pool: pg.Pool): Promise<number | null> {
  const { rows } = await pool.query<{ dir: string }>("SELECT current_setting('data_directory') AS dir");
  try {
    return Number(readFileSync(path.join(rows[0].dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
}

function pgbench(
  stmt: Statement,
  url: URL,
  callers: number,
  n: number
): Figures & { clients: number; pgCpuMsPerQuery: number; maxOvertaken: number } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kici-pgbench-'));
  try {
    const script = path.join(dir, 'q.sql');
    // pgbench ends a command at the newline unless it is a SQL command (then at `;`): one line is safest.
    writeFileSync(script, `${stmt.sql.replace(/\$(\d+)/g, ':p$1').replace(/\s*\n\s*/g, ' ')};\n`);
    const clients = Math.min(callers, POOL);
    const vars = stmt.params.flatMap((v, i) => ['-D', `p${i + 1}=${String(v)}`]);
    const common = ['-n', '-M', 'extended', '-c', String(clients), '-j', String(Math.min(clients, 2)), ...vars];
    const env = {
      ...process.env,
      PGHOST: url.hostname,
      PGPORT: url.port,
      PGUSER: decodeURIComponent(url.username),
      PGPASSWORD: decodeURIComponent(url.password),
      PGDATABASE: url.pathname.slice(1),
      // The plugin's session: read-only, with its statement timeout.
      PGOPTIONS: `-c default_transaction_read_only=on -c statement_timeout=${DEFAULT_PG_STATEMENT_TIMEOUT_MS}`,
    };
    const perClient = Math.ceil(WARMUP / clients);
    execFileSync('pgbench', [...common, '-t', String(perClient), '-f', script], { env, stdio: 'pipe' });
    const t = Math.ceil(n / clients);
    const pgCpu0 = postgresCpuMs();
    const out = execFileSync(
      'pgbench',
      [...common, '-t', String(t), '-f', script, '-l', `--log-prefix=${path.join(dir, 'log')}`],
      { env, cwd: dir, encoding: 'utf8' }
    );
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1]);
    const failed = Number(/number of failed transactions: (\d+)/.exec(out)?.[1] ?? 0);
    if (!Number.isFinite(tps) || failed) {
      throw new Error(`pgbench did not run cleanly:\n${out}`);
    }
    const pgCpuMs = postgresCpuMs() - pgCpu0;
    // Per-transaction log: client_id transaction_no latency_us script_no epoch us (the end of the transaction).
    const txs = readdirSync(dir)
      .filter((f) => f.startsWith('log.'))
      .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').trim().split('\n'))
      .map((line) => {
        const [, , latUs, , epoch, us] = line.split(' ').map(Number);
        const end = epoch * 1e6 + us;
        return { start: end - latUs, end };
      });
    const lat = txs.map((x) => (x.end - x.start) / 1000).sort((a, b) => a - b);
    return {
      clients,
      pgCpuMsPerQuery: r2(pgCpuMs / (t * clients)),
      maxOvertaken: maxOvertaken(txs),
      callsPerS: Math.round(tps),
      p50Ms: r2(percentile(lat, 50)),
      p90Ms: r2(percentile(lat, 90)),
      p99Ms: r2(percentile(lat, 99)),
      maxMs: r2(lat[lat.length - 1]),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function goLoad(
  exe: string,
  settings: { jsonData: object; secure: object },
  c: Case,
  callers: number,
  n: number
): Figures & {
  pluginCpuMsPerCall: number;
  pgCpuMsPerCall: number;
  pluginRssMb: number;
  maxOvertaken: number;
  starvedCalls: number;
} {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kici-goload-'));
  try {
    const json = path.join(dir, 'out.json');
    const pgCpu0 = postgresCpuMs();
    const run = spawnSync(
      GO_CLIENT,
      [
        '-plugin',
        exe,
        '-plugin-id',
        'kici-ops-datasource',
        '-jsondata',
        JSON.stringify(settings.jsonData),
        '-secure',
        JSON.stringify(settings.secure),
        '-query',
        JSON.stringify(c.model),
        '-concurrency',
        String(callers),
        '-n',
        String(n),
        '-warmup',
        String(WARMUP),
        '-slowest',
        '0',
        '-json',
        json,
      ],
      { encoding: 'utf8' }
    );
    if (run.status !== 0) {
      throw new Error(`grpc-load exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
    }
    const pgCpuMs = postgresCpuMs() - pgCpu0;
    const s = JSON.parse(readFileSync(json, 'utf8')).summary;
    return {
      callsPerS: Math.round(s.calls_per_s),
      p50Ms: r2(s.p50_ms),
      p90Ms: r2(s.p90_ms),
      p99Ms: r2(s.p99_ms),
      maxMs: r2(s.max_ms),
      pluginCpuMsPerCall: r2(s.plugin_cpu_ms / s.ok),
      // Includes the warm-up calls and the plugin's start (schema detection): a slight overestimate.
      pgCpuMsPerCall: r2(pgCpuMs / (s.ok + WARMUP)),
      pluginRssMb: Math.round(s.plugin_rss_kb_after / 1024),
      maxOvertaken: s.max_overtaken,
      starvedCalls: s.starved_calls,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const { exe, db, stop } = await goClientBench('kici_bench_go_load');
  const loadBefore = os.loadavg();
  try {
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    const t0 = performance.now();
    await applySchema(pool, '0.9');
    await getScenario(SCENARIO, { layout: '0.9' }).seed(pool, new Date());
    // VACUUM too: until the visibility map is set, dlqDepth's index-only count varies 5× between runs.
    await pool.query('VACUUM ANALYZE');
    postmaster = await postmasterPid(pool);
    await pool.end();
    const seedMs = Math.round(performance.now() - t0);

    const u = new URL(db.url);
    const pgs = pgSettings(db.url, POOL);
    const settings = {
      jsonData: { ...pgs.jsonData, orchestratorUrls: ['http://127.0.0.1:1'], latestVersionSource: 'none' },
      secure: { pgPassword: pgs.pgPassword },
    };
    const results: Row[] = [];
    for (const c of CASES) {
      for (const callers of CALLERS) {
        const n = Math.max(N, callers * 5);
        const libpq = c.stmt ? pgbench(c.stmt, u, callers, n) : null;
        const baseline = process.env.KICI_GO_LOAD_BASELINE
          ? goLoad(process.env.KICI_GO_LOAD_BASELINE, settings, c, callers, n)
          : undefined;
        const plugin = goLoad(exe, settings, c, callers, n);
        const ratio = (x: { callsPerS: number }) => (libpq ? r2(x.callsPerS / libpq.callsPerS) : null);
        const row: Row = {
          query: c.name,
          callers,
          n,
          plugin,
          baseline,
          baselineThroughputRatio: baseline ? ratio(baseline) : null,
          pgbench: libpq,
          throughputRatio: ratio(plugin),
          addedP50Ms: libpq ? r2(plugin.p50Ms - libpq.p50Ms) : null,
        };
        console.log(JSON.stringify(row));
        results.push(row);
      }
    }
    const loadAfter = os.loadavg();
    const pgCols = (r: Row) =>
      r.pgbench
        ? `${r.pgbench.p50Ms} / ${r.pgbench.p99Ms} | ${r.pgbench.callsPerS} | ${r.pgbench.maxOvertaken} | ${r.pgbench.pgCpuMsPerQuery} ms`
        : '— | — | — | —';
    const line = (r: Row, label: string, p: Plugin, ratio: number | null) =>
      `| ${label} | ${r.callers} | ${p.p50Ms} / ${p.p99Ms} / ${p.maxMs} | ${p.callsPerS} | ${p.maxOvertaken} | ${p.pluginCpuMsPerCall} ms | ${p.pgCpuMsPerCall} ms | ${pgCols(r)} | ${ratio ?? '—'} |`;
    console.log(
      `\n| query | callers | plugin p50 / p99 / max ms | calls/s | overtaken (max) | plugin CPU/call | PostgreSQL CPU/call | pgbench (min(callers, ${POOL}) conns) p50 / p99 ms | q/s | overtaken (max) | PostgreSQL CPU/query | throughput ratio |`
    );
    console.log('|---|---:|---|---:|---:|---:|---:|---|---:|---:|---:|---:|');
    for (const r of results) {
      if (r.baseline) {
        console.log(line(r, `${r.query} (baseline)`, r.baseline, r.baselineThroughputRatio));
      }
      console.log(line(r, r.query, r.plugin, r.throughputRatio));
    }
    console.log(
      `load average before ${loadBefore.map((x) => x.toFixed(1)).join(' ')}, after ${loadAfter.map((x) => x.toFixed(1)).join(' ')}`
    );
    await mkdir(path.join(__dirname, 'results'), { recursive: true });
    await writeFile(
      path.join(__dirname, 'results', 'go-load.json'),
      `${JSON.stringify(
        {
          measuredAt: new Date().toISOString(),
          scenario: SCENARIO,
          seedMs,
          pool: POOL,
          warmup: WARMUP,
          machine: { cpus: os.cpus().length, loadAverageBefore: loadBefore, loadAverageAfter: loadAfter },
          sql: Object.fromEntries(CASES.map((c) => [c.name, c.stmt])),
          results,
        },
        null,
        2
      )}\n`
    );
  } finally {
    await stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
