// The redrive's real pace (requests overlap up to inFlightFor(rate)) against two orchestrators: a double answering every
// retry after a fixed 20 ms (what the pacing reaches when the orchestrator is not the limit: sequential requests would
// cap it at 50/s), then kici-sim's admin API over HTTP on loopback, in this process (its own throughput on the machine
// is then the limit). For each rate: the events per second achieved, the most events sent in any one-second window
// (t − 1 s, t] (which must not exceed the rate) and the most requests in flight at once. Wall-clock numbers for the
// README and reports; the tests measure pacing on a virtual clock.
// Writes bench/results/redrive-rate.json.
//
//   npx tsx bench/redrive-rate.ts
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

import { startSim } from '../dev/kici-sim/sim';
import { createTestDatabase, startPostgres } from '../dev/testing/postgres';
import type { DlqMutator } from '../src/backend/features/dlq/actions';
import { inFlightFor } from '../src/backend/features/redrive/pace';
import { RedriveService } from '../src/backend/features/redrive/service';
import { OrchestratorClient } from '../src/backend/kici/orchestrator';
import { silentLogger } from '../src/backend/protocol/testing';

const DOUBLE_LATENCY_MS = 20;
const CASES = [
  { rate: 10, events: 50 },
  { rate: 100, events: 500 },
  { rate: 500, events: 2_500 },
];

async function main() {
  const own = process.env.KICI_BENCH_PG_URL ? null : await startPostgres();
  const db = await createTestDatabase('kici_bench_redrive', process.env.KICI_BENCH_PG_URL ?? own!.url);
  const sim = await startSim({ scenario: 'dlq-backlog', layout: '0.9', pgUrl: db.url });
  const admin = new pg.Pool({ connectionString: db.url, max: 2 });
  admin.on('error', () => undefined);
  const results: Array<Record<string, number | string>> = [];
  try {
    const total = CASES.reduce((n, c) => n + c.events, 0);
    await admin.query(
      `INSERT INTO kici_events (event_name, payload, source_routing_key, processed, expires_at, attempts, last_error,
                                dlq_at, dlq_reason)
       SELECT 'bench-' || (g % 3), '{}', 'bench:redrive', true, now() + interval '7 days', 5, 'Error: bench',
              now() - (g || ' seconds')::interval, 'exhausted_retries'
         FROM generate_series(1, $1) g`,
      [total]
    );
    const u = new URL(db.url);
    const s = {
      host: u.hostname,
      port: Number(u.port),
      database: u.pathname.slice(1),
      user: u.username,
      password: decodeURIComponent(u.password),
      sslMode: 'disable' as const,
      statementTimeoutMs: 10_000,
    };
    const sim0 = new OrchestratorClient({ baseUrl: sim.nodes[0].url, timeoutMs: 5000, adminToken: sim.tokens.admin });
    const double: DlqMutator = {
      baseUrl: 'http://double-20ms',
      // Retries nothing: the events stay in the DLQ for the kici-sim runs after.
      dlqRetry: () => new Promise((resolve) => setTimeout(() => resolve({}), DOUBLE_LATENCY_MS)),
      dlqDiscard: async () => ({}),
    };
    for (const [orchestrator, node, c] of [
      ...CASES.map((c) => ['double-20ms', double, c] as const),
      ...CASES.map((c) => ['kici-sim', sim0, c] as const),
    ]) {
      const sent: number[] = [];
      let inFlight = 0;
      let peakInFlight = 0;
      const timed: DlqMutator = {
        baseUrl: node.baseUrl,
        dlqRetry: async (id, signal) => {
          sent.push(performance.now());
          peakInFlight = Math.max(peakInFlight, ++inFlight);
          try {
            return await node.dlqRetry(id, signal);
          } finally {
            inFlight--;
          }
        },
        dlqDiscard: (id, signal) => node.dlqDiscard(id, signal),
      };
      const pool = new pg.Pool({ ...s, max: 2 });
      const service = new RedriveService({
        pool,
        pg: s,
        orchestrators: [timed],
        datasourceUid: `bench-${orchestrator}-${c.rate}`,
        log: silentLogger,
        maxEvents: c.events,
      });
      const res = await service.start(
        { filter: { routingKey: 'bench:redrive' }, rate: c.rate, description: 'bench' },
        'bench',
        silentLogger
      );
      if (res.status !== 201) {
        throw new Error(`start: ${res.status} ${JSON.stringify(res.body)}`);
      }
      await service.settled();
      const view = (await service.current())!;
      await pool.end();
      const spanS = (sent.at(-1)! - sent[0]) / 1000;
      let maxWindow = 0;
      for (let i = 0, j = 0; i < sent.length; i++) {
        while (sent[j] <= sent[i] - 1000) {
          j++;
        }
        maxWindow = Math.max(maxWindow, i - j + 1);
      }
      const row = {
        orchestrator,
        rate: c.rate,
        events: sent.length,
        retried: view.retried,
        failed: view.failed,
        achievedPerS: Math.round(((sent.length - 1) / spanS) * 10) / 10,
        maxInAnySecond: maxWindow,
        peakInFlight,
        inFlightBound: inFlightFor(c.rate),
      };
      results.push(row);
      console.log(JSON.stringify(row));
    }
    const out = path.join(__dirname, 'results');
    await mkdir(out, { recursive: true });
    await writeFile(path.join(out, 'redrive-rate.json'), JSON.stringify({ results }, null, 2));
  } finally {
    await admin.end();
    await sim.stop();
    await db.drop();
    await own?.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
