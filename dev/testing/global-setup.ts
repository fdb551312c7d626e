// One PostgreSQL for the whole jest run; tests CREATE DATABASE on it through createTestDatabase().
import { startPostgres } from './postgres';

export default async function globalSetup(): Promise<void> {
  if (process.env.KICI_TEST_PG_URL) {
    return; // an externally provided superuser URL wins
  }
  const pg = await startPostgres();
  process.env.KICI_TEST_PG_URL = pg.url;
  (globalThis as { __KICI_TEST_PG__?: { stop(): Promise<void> } }).__KICI_TEST_PG__ = pg;
}
