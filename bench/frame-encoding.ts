// Frame encoding: 100,000-row frames — one shaped like the DLQ table (uuid, names, routing key, repo, attempts, two
// timestamps, a nullable error text), one like a time series (time + value) — through the plugin's Arrow encoder (`encodeFrame`, what QueryData sends) and
// back through an Arrow reader (`decodeFrame`, what Grafana's side does). Median of 20 after 3 warm-up runs, under
// Node (this process) and under Bun (the runtime the executable is compiled with), each in its own process.
// Writes bench/results/frame-encoding.json.
//
//   npx tsx bench/frame-encoding.ts
//   git show REV:src/backend/protocol/frame.ts > node_modules/.cache/frame-baseline.ts
//   KICI_FRAME_ENCODING_BASELINE=node_modules/.cache/frame-baseline.ts npx tsx bench/frame-encoding.ts
//     (also encodes with that older encoder, alternating with this one run by run, so both share the machine's load)
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

type Encode = (frame: Frame, refId: string) => Uint8Array;

interface Measured {
  runtime: string;
  encoder: 'this' | 'baseline';
  shape: string;
  bytes: number;
  medianMs: { encode: number; decode: number; roundTrip: number };
  /** CPU time of this process per round trip: less sensitive than wall time to a machine shared with other work. */
  medianCpuMs: { encode: number; roundTrip: number };
  samplesMs: { roundTrip: number[] };
}

function runtimeName(): string {
  return typeof (globalThis as { Bun?: { version: string } }).Bun !== 'undefined'
    ? `bun ${(globalThis as unknown as { Bun: { version: string } }).Bun.version}`
    : `node ${process.version}`;
}

/** Each encoder in turn per run (this one, then the baseline if any), so a before/after pair shares the load. */
function measure(shape: 'table' | 'series', encoders: Array<['this' | 'baseline', Encode]>): Measured[] {
  const f = shape === 'table' ? tableFrame() : seriesFrame();
  const samples = encoders.map(() => ({
    encode: [] as number[],
    decode: [] as number[],
    trip: [] as number[],
    encodeCpu: [] as number[],
    cpu: [] as number[],
    bytes: 0,
  }));
  for (let i = 0; i < WARMUP + RUNS; i++) {
    encoders.forEach(([, encode], k) => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const buf = encode(f, 'A');
      const t1 = performance.now();
      const ce = process.cpuUsage(c0);
      const back = decodeFrame(buf);
      const t2 = performance.now();
      const c = process.cpuUsage(c0);
      if (back.fields.length !== f.fields.length || back.fields[0].values.length !== ROWS) {
        throw new Error(`round trip lost data: ${back.fields.length} fields, ${back.fields[0]?.values.length} rows`);
      }
      const s = samples[k];
      s.bytes = buf.byteLength;
      if (i >= WARMUP) {
        s.encode.push(t1 - t0);
        s.decode.push(t2 - t1);
        s.trip.push(t2 - t0);
        s.encodeCpu.push((ce.user + ce.system) / 1000);
        s.cpu.push((c.user + c.system) / 1000);
      }
    });
  }
  return encoders.map(([encoder], k) => {
    const s = samples[k];
    return {
      runtime: runtimeName(),
      encoder,
      shape: shape === 'table' ? 'DLQ table, 8 fields' : 'time series, 2 fields',
      bytes: s.bytes,
      medianMs: { encode: round(median(s.encode)), decode: round(median(s.decode)), roundTrip: round(median(s.trip)) },
      medianCpuMs: { encode: round(median(s.encodeCpu)), roundTrip: round(median(s.cpu)) },
      samplesMs: { roundTrip: s.trip.map(round) },
    };
  });
}

async function encoders(): Promise<Array<['this' | 'baseline', Encode]>> {
  const baseline = process.env.KICI_FRAME_ENCODING_BASELINE;
  if (!baseline) {
    return [['this', encodeFrame]];
  }
  const mod = (await import(path.resolve(baseline))) as { encodeFrame: Encode };
  return [
    ['this', encodeFrame],
    ['baseline', mod.encodeFrame],
  ];
}

async function main() {
  if (process.argv.includes('--child')) {
    const e = await encoders();
    process.stdout.write(JSON.stringify([...measure('table', e), ...measure('series', e)]));
    return;
  }
  const e = await encoders();
  const runs: Measured[] = [...measure('table', e), ...measure('series', e)];
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
    '| runtime          | encoder  | frame                  | Arrow bytes | encode ms (CPU) | decode ms | round trip ms | round trip CPU ms |'
  );
  console.log(
    '|------------------|----------|------------------------|------------:|----------------:|----------:|--------------:|------------------:|'
  );
  for (const m of runs) {
    const enc = `${m.medianMs.encode.toFixed(2)} (${m.medianCpuMs.encode.toFixed(2)})`;
    console.log(
      `| ${m.runtime.padEnd(16)} | ${m.encoder.padEnd(8)} | ${m.shape.padEnd(22)} | ${String(m.bytes).padStart(11)} | ${enc.padStart(15)} | ${m.medianMs.decode.toFixed(2).padStart(9)} | ${m.medianMs.roundTrip.toFixed(2).padStart(13)} | ${m.medianCpuMs.roundTrip.toFixed(2).padStart(17)} |`
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
