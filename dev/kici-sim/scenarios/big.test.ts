import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../testing/postgres';
import { applySchema } from '../db/schema';
import { SimStore } from '../db/store';
import { BIG_KNOWN } from './big';
import { getScenario } from './index';

// Its own file so jest runs it beside the other suites: the 1M-event seed takes 20–55 s on a busy 2-core machine.
jest.setTimeout(180_000);

async function seeded(name: string): Promise<{ db: TestDatabase; pool: pg.Pool; store: SimStore }> {
  const db = await createTestDatabase(name);
  const pool = new pg.Pool({ connectionString: db.url, max: 3 });
  await applySchema(pool, '0.9');
  await getScenario(name, { layout: '0.9' }).seed(pool);
  return { db, pool, store: new SimStore(pool, '0.9') };
}

const count = async (pool: pg.Pool, sql: string) => Number((await pool.query(sql)).rows[0].n);

describe('big', () => {
  let ctx: Awaited<ReturnType<typeof seeded>>;
  let seedMs = 0;
  beforeAll(async () => {
    const t0 = Date.now();
    ctx = await seeded('big');
    seedMs = Date.now() - t0;
  });
  afterAll(async () => {
    await ctx.pool.end();
    await ctx.db.drop();
  });

  test('volume as documented', async () => {
    process.stdout.write(`kici-sim big: schema + seed took ${seedMs} ms\n`);
    expect(await count(ctx.pool, 'SELECT count(*) AS n FROM kici_events')).toBe(BIG_KNOWN.events);
    expect(await ctx.store.dlqDepth()).toBe(BIG_KNOWN.dlqDepth);
    for (const [key, n] of Object.entries(BIG_KNOWN.dlqByRoutingKey)) {
      expect(await ctx.store.dlqCount(key)).toBe(n);
    }
    expect(await count(ctx.pool, 'SELECT count(*) AS n FROM cluster_instances')).toBe(BIG_KNOWN.orchestrators);
    const roster = await ctx.store.hostRoster();
    expect(roster).toHaveLength(BIG_KNOWN.agents);
    expect(roster.filter((r) => r.status === 'unreachable')).toHaveLength(BIG_KNOWN.unreachableAgents);
    expect(await count(ctx.pool, 'SELECT count(*) AS n FROM execution_runs')).toBe(BIG_KNOWN.runs);
    const page = await ctx.store.dlqList({ limit: 200 });
    expect(page.events).toHaveLength(200);
    expect(page.nextCursor).toBe(page.events[199].dlqAt);
  });
});
