import pg from 'pg';
import { createTestDatabase } from './postgres';

test('createTestDatabase gives a fresh, droppable database on the jest-wide PostgreSQL', async () => {
  const db = await createTestDatabase('probe');
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const { rows } = await client.query<{ db: string; v: string }>(
    'SELECT current_database() AS db, current_setting($1) AS v',
    ['server_version_num']
  );
  await client.end();
  expect(rows[0].db).toMatch(/^probe_[0-9a-f]{8}$/);
  expect(Number(rows[0].v)).toBeGreaterThanOrEqual(150000);
  await db.drop();
  const admin = new pg.Client({ connectionString: process.env.KICI_TEST_PG_URL });
  await admin.connect();
  const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [rows[0].db]);
  await admin.end();
  expect(left.rowCount).toBe(0);
});
