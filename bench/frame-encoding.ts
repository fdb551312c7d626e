// Frame encoding: 100,000-row frames — one shaped like the DLQ table (uuid, names, routing key, repo, attempts, two
// timestamps, a nullable error text), one like a time series (time + value) — through the plugin's Arrow encoder (`encodeFrame`, what QueryData sends) and
// back through an Arrow reader (`decodeFrame`, what Grafana's side does). Median of 20 after 3 warm-up runs, under
// Node (this process) and under Bun (the runtime the executable is compiled with), each in its own process.
// Writes bench/results/frame-encoding.json.
//
//   npx tsx bench/frame-encoding.ts
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { decodeFrame } from '../dev/testing/plugin/decode';
import { encodeFrame } from '../src/backend/protocol/frame';
import type { Frame } from '../src/backend/protocol/types';

const ROWS = 100_000;
const RUNS = 20;
const WARMUP = 3;
const GOAL_MS = 8;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const round = (x: number) => Math.round(x * 100) / 100;

/** A time series panel's frame: time + one number per row. */
function seriesFrame(): Frame {
  const base = Date.UTC(2026, 10, 24);
  return {
    name: 'S',
    fields: [
      { name: 'time', type: 'time', values: Array.from({ length: ROWS }, (_, i) => base + i * 1000) },
      { name: 'value', type: 'number', values: Array.from({ length: ROWS }, (_, i) => i % 97) },
    ],
  };
}

function tableFrame(): Frame {
  const base = Date.UTC(2026, 10, 24);
  const col = <T>(f: (i: number) => T) => Array.from({ length: ROWS }, (_, i) => f(i));
  const names = ['deploy-complete', '__workflow_complete', '__job_complete', '__schedule_fire'];
  const keys = ['github:42', 'generic:acme:deploy-hooks', 'github:77'];
  return {
    name: 'A',
    fields: [
      { name: 'id', type: 'string', values: col((i) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`) },
      { name: 'eventName', type: 'string', values: col((i) => names[i % 4]) },
      { name: 'routingKey', type: 'string', values: col((i) => keys[i % 3]), nullable: true },
      { name: 'repo', type: 'string', values: col((i) => `acme/repo-${i % 50}`), nullable: true },
      { name: 'attempts', type: 'number', values: col(() => 5), config: { displayName: 'Attempts' } },
      { name: 'dlqAt', type: 'time', values: col((i) => base - i * 60_000) },
      { name: 'createdAt', type: 'time', values: col((i) => base - i * 60_000 - 45_000) },
      {
        name: 'lastError',
        type: 'string',
        nullable: true,
        values: col((i) => (i % 10 === 0 ? null : `Error: dispatch timed out after 30000ms (attempt ${i % 5})`)),
      },
    ],
    meta: { type: 'table', preferredVisualisationType: 'table' },
  };
}

interface Measured {
  runtime: string;
  shape: string;
  bytes: number;
  medianMs: { encode: number; decode: number; roundTrip: number };
  /** CPU time of this process per round trip: less sensitive than wall time to a machine shared with other work. */
  medianCpuMs: { roundTrip: number };
  samplesMs: { roundTrip: number[] };
}

function measure(shape: 'table' | 'series'): Measured {
  const f = shape === 'table' ? tableFrame() : seriesFrame();
  const encode: number[] = [];
  const decode: number[] = [];
  const trip: number[] = [];
  const cpu: number[] = [];
  let bytes = 0;
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const buf = encodeFrame(f, 'A');
    const t1 = performance.now();
    const back = decodeFrame(buf);
    const t2 = performance.now();
    const c = process.cpuUsage(c0);
    if (back.fields.length !== f.fields.length || back.fields[0].values.length !== ROWS) {
      throw new Error(`round trip lost data: ${back.fields.length} fields, ${back.fields[0]?.values.length} rows`);
    }
    bytes = buf.byteLength;
    if (i >= WARMUP) {
      encode.push(t1 - t0);
      decode.push(t2 - t1);
      trip.push(t2 - t0);
      cpu.push((c.user + c.system) / 1000);
    }
  }
  const runtime =
    typeof (globalThis as { Bun?: { version: string } }).Bun !== 'undefined'
      ? `bun ${(globalThis as unknown as { Bun: { version: string } }).Bun.version}`
      : `node ${process.version}`;
  return {
    runtime,
    shape: shape === 'table' ? 'DLQ table, 8 fields' : 'time series, 2 fields',
    bytes,
    medianMs: { encode: round(median(encode)), decode: round(median(decode)), roundTrip: round(median(trip)) },
    medianCpuMs: { roundTrip: round(median(cpu)) },
    samplesMs: { roundTrip: trip.map(round) },
  };
}

async function main() {
  if (process.argv.includes('--child')) {
    process.stdout.write(JSON.stringify([measure('table'), measure('series')]));
    return;
  }
  const runs: Measured[] = [measure('table'), measure('series')];
  const bun = path.resolve(__dirname, '../node_modules/.bin/bun');
  if (existsSync(bun)) {
    const r = spawnSync(bun, [__filename, '--child'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    if (r.status === 0) {
      runs.push(...(JSON.parse(r.stdout) as Measured[]));
    } else {
      console.error(`bun run failed: ${r.stderr}`);
    }
  }
  console.log(
    `frame encoding: ${ROWS} rows, median of ${RUNS} after ${WARMUP} warm-up runs (goal ≤ ${GOAL_MS} ms round trip)\n`
  );
  console.log(
    '| runtime          | frame                  | Arrow bytes | encode ms | decode ms | round trip ms | round trip CPU ms |'
  );
  console.log(
    '|------------------|------------------------|------------:|----------:|----------:|--------------:|------------------:|'
  );
  for (const m of runs) {
    console.log(
      `| ${m.runtime.padEnd(16)} | ${m.shape.padEnd(22)} | ${String(m.bytes).padStart(11)} | ${m.medianMs.encode.toFixed(2).padStart(9)} | ${m.medianMs.decode
        .toFixed(2)
        .padStart(
          9
        )} | ${m.medianMs.roundTrip.toFixed(2).padStart(13)} | ${m.medianCpuMs.roundTrip.toFixed(2).padStart(17)} |`
    );
  }
  const out = path.join(__dirname, 'results', 'frame-encoding.json');
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(
    out,
    `${JSON.stringify({ rows: ROWS, runs: RUNS, warmup: WARMUP, goalMs: GOAL_MS, results: runs, measuredAt: new Date().toISOString() }, null, 2)}\n`
  );
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
