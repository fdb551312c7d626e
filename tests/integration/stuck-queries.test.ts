// With every pooled connection blocked in PostgreSQL and 200 QueryData calls waiting on the plugin's one HTTP/2
// connection, go-plugin's Ping, CheckHealth and Shutdown still get a stream and an answer (issue 18 item 2: the
// stream cap sits above the callers, server.ts MAX_CONCURRENT_STREAMS; only QueryData answers take turns sending).
import pg from 'pg';

import { applySchema } from '../../dev/kici-sim/db/schema';
import { type PluginProcess, startPlugin } from '../../dev/testing/plugin-process';
import { createTestDatabase, type TestDatabase } from '../../dev/testing/postgres';
import { MAX_CONCURRENT_STREAMS } from '../../src/backend/protocol/server';

jest.setTimeout(60_000);

const STUCK = 200;

let db: TestDatabase;
let locker: pg.Client;
let plugin: PluginProcess;

beforeAll(async () => {
  db = await createTestDatabase('stuck_queries');
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  await applySchema(admin, '0.9');
  await admin.end();
  plugin = await startPlugin();
});

afterAll(async () => {
  await plugin?.stop();
  await locker?.end().catch(() => undefined);
  await db?.drop();
});

const within = <T>(ms: number, p: Promise<T>, what: string): Promise<T> =>
  Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)),
  ]);

it(`answers Ping, CheckHealth and Shutdown while ${STUCK} queries wait on PostgreSQL`, async () => {
  expect(MAX_CONCURRENT_STREAMS).toBeGreaterThan(STUCK);
  const u = new URL(db.url);
  const settings = {
    uid: 'stuck',
    jsonData: {
      pgHost: u.hostname,
      pgPort: Number(u.port),
      pgDatabase: u.pathname.slice(1),
      pgUser: decodeURIComponent(u.username),
      pgMaxConnections: 5,
      orchestratorUrls: ['http://127.0.0.1:1'],
      latestVersionSource: 'none',
    },
    secureJsonData: { pgPassword: decodeURIComponent(u.password) },
  };
  // A writer holding the table: every read of kici_events waits for the lock until the statement timeout.
  locker = new pg.Client({ connectionString: db.url });
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE kici_events IN ACCESS EXCLUSIVE MODE');

  const stuck = Array.from({ length: STUCK }, (_, i) =>
    plugin
      .queryData(settings, [
        { refId: 'A', queryType: 'dlqEvents', json: { refId: 'A', queryType: 'dlqEvents', useTimeRange: false } },
      ])
      .then(
        (out) => out.A.status ?? 200,
        () => `call ${i} failed`
      )
  );
  const locked = new pg.Client({ connectionString: db.url });
  await locked.connect();
  try {
    // Wait until the pool's connections are blocked behind the lock.
    for (let i = 0; i < 100; i++) {
      const { rows } = await locked.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'kici-ops-datasource' AND wait_event_type = 'Lock'"
      );
      if (rows[0].n === 5) {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await locked.end();
  }

  expect(await within(3_000, plugin.ping(), 'Ping')).toBe('SERVING');
  const health = await within(10_000, plugin.checkHealth(settings), 'CheckHealth');
  expect(['OK', 'ERROR']).toContain(health.status);
  await within(3_000, plugin.shutdown(), 'Shutdown');
  expect(await within(3_000, plugin.exited, 'the exit after Shutdown')).toEqual({ code: 0, signal: null });
  await locker.query('ROLLBACK');
  // Every stuck call ended one way or the other once the process was gone.
  expect(await Promise.all(stuck)).toHaveLength(STUCK);
});
