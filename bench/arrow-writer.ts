// The Arrow IPC writer alone: CPU per frame (process.cpuUsage over a warm loop) of the plugin's writer
// (src/backend/protocol/arrow-ipc.ts) and of apache-arrow's RecordBatchFileWriter it replaced
// (dev/testing/plugin/arrow-oracle.ts), on the same built columns, and of the whole encodeFrame either way. Frames:
// a schemaInfo answer (1 row, 11 fields) and a dlqEvents page (100 rows, 11 fields, built by the feature's own
// dlqEventsFrame). The two writers alternate round by round so both share the machine's load; median of 7 rounds.
//
//   node_modules/.bin/bun bench/arrow-writer.ts     (the runtime the executable is compiled with)
//   npx tsx bench/arrow-writer.ts                   (Node)
import { apacheArrowFile } from '../dev/testing/plugin/arrow-oracle';
import { dlqEventsFrame, type DlqEventRow } from '../src/backend/features/dlq/frames';
import { buildDlqEventsSql, type DlqEventsQuery } from '../src/backend/features/dlq/sql';
import { schemaInfoFrame } from '../src/backend/features/schema-info/frame';
import { OPTIONAL_OBJECTS, type OptionalObject } from '../src/backend/kici/schema';
import { writeArrowFile } from '../src/backend/protocol/arrow-ipc';
import { encodeFrame, frameColumns } from '../src/backend/protocol/frame';
import type { Frame } from '../src/backend/protocol/types';

const ROUNDS = 7;

function schemaInfo(): Frame {
  const objects = Object.fromEntries(OPTIONAL_OBJECTS.map((o, i) => [o, i % 2 === 0])) as Record<
    OptionalObject,
    boolean
  >;
  return schemaInfoFrame(
    { layout: '0.9', latestMigration: '144_execution_runs_registration_window', migrationCount: 144, objects },
    'A'
  );
}

function dlqPage(): Frame {
  const q: DlqEventsQuery = { filters: {}, sort: 'dlqAt', dir: 'desc', limit: 100 };
  const base = Date.UTC(2026, 10, 24);
  const rows: DlqEventRow[] = Array.from({ length: 101 }, (_, i) => ({
    id: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
    event_name: ['deploy-complete', '__workflow_complete', '__job_complete'][i % 3],
    source_routing_key: i % 5 ? 'github:42' : null,
    source_repo: i % 3 ? `acme/repo-${i % 7}` : null,
    source_run_id: i % 4 ? `run-${i}` : null,
    source_job_id: i % 6 ? `job-${i}` : null,
    attempts: 5,
    dlq_reason: i % 2 ? 'max attempts exceeded' : null,
    dlq_at: new Date(base - i * 60_000),
    created_at: new Date(base - i * 60_000 - 45_000),
    last_error: i % 3 ? `Error: dispatch timed out after 30000ms (attempt ${i % 5})` : null,
    sort_key: String((base - i * 60_000) * 1000),
  }));
  return dlqEventsFrame(rows, q, { refId: 'A', sql: buildDlqEventsSql(q).sql });
}

/** CPU µs (user + system) per call over n calls. */
function cpu(fn: () => unknown, n: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    fn();
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median CPU per call of each function, alternating them round by round after 2 warm-up rounds. */
function compare(fns: Array<() => unknown>, n: number): number[] {
  const samples = fns.map(() => [] as number[]);
  for (let round = -2; round < ROUNDS; round++) {
    fns.forEach((fn, i) => {
      const us = cpu(fn, n);
      if (round >= 0) {
        samples[i].push(us);
      }
    });
  }
  return samples.map(median);
}

const runtime = process.versions.bun ? `bun ${process.versions.bun}` : `node ${process.version}`;
console.log(`Arrow IPC writer, ${runtime}: CPU µs per frame, median of ${ROUNDS} rounds\n`);
console.log('| frame | bytes | apache-arrow writer | arrow-ipc.ts | encodeFrame before | encodeFrame now |');
console.log('|---|--:|--:|--:|--:|--:|');
for (const [name, frame, n] of [
  ['schemaInfo (1 row, 11 fields)', schemaInfo(), 2000],
  ['dlqEvents page (100 rows, 11 fields)', dlqPage(), 500],
] as const) {
  const built = frameColumns(frame, 'A');
  const ours = writeArrowFile(built);
  if (Buffer.compare(ours, apacheArrowFile(frame, 'A', built)) !== 0) {
    throw new Error(`${name}: the two writers disagree`);
  }
  const [theirWriter, ourWriter, before, now] = compare(
    [
      () => apacheArrowFile(frame, 'A', built),
      () => writeArrowFile(built),
      () => apacheArrowFile(frame, 'A', frameColumns(frame, 'A')),
      () => encodeFrame(frame, 'A'),
    ],
    n
  );
  const f = (x: number) => x.toFixed(1);
  console.log(`| ${name} | ${ours.length} | ${f(theirWriter)} | ${f(ourWriter)} | ${f(before)} | ${f(now)} |`);
}
