// The redrive's real pace against kici-sim's admin API over HTTP on loopback (one orchestrator, sequential requests):
// for each rate, the events per second achieved and the most events sent in any one-second window (t − 1 s, t] (which
// must not exceed the rate). Wall-clock numbers for the README and reports; the tests measure pacing on a virtual clock.
// Writes bench/results/redrive-rate.json.
//
//   npx tsx bench/redrive-rate.ts
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

import { startSim } from '../dev/kici-sim/sim';
import { createTestDatabase, startPostgres } from '../dev/testing/postgres';
import type { DlqMutator } from '../src/backend/features/dlq/actions';
import { RedriveService } from '../src/backend/features/redrive/service';
import { OrchestratorClient } from '../src/backend/kici/orchestrator';
import { silentLogger } from '../src/backend/protocol/testing';

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
  const results: Array<Record<string, number>> = [];
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
    const node = new OrchestratorClient({ baseUrl: sim.nodes[0].url, timeoutMs: 5000, adminToken: sim.tokens.admin });
    for (const c of CASES) {
      const sent: number[] = [];
      const timed: DlqMutator = {
        baseUrl: node.baseUrl,
        dlqRetry: (id, signal) => {
          sent.push(performance.now());
          return node.dlqRetry(id, signal);
        },
        dlqDiscard: (id, signal) => node.dlqDiscard(id, signal),
      };
      const pool = new pg.Pool({ ...s, max: 2 });
      const service = new RedriveService({
        pool,
        pg: s,
        orchestrators: [timed],
        datasourceUid: `bench-${c.rate}`,
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
        rate: c.rate,
        events: sent.length,
        retried: view.retried,
        failed: view.failed,
        achievedPerS: Math.round(((sent.length - 1) / spanS) * 10) / 10,
        maxInAnySecond: maxWindow,
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
