// What the benches that drive the executable through Grafana's own client (go-load, soak) share: the Go client
// (bench/grpc-load, built on each run from Debian's Go packages), the executable under test, a database on an
// embedded PostgreSQL (or KICI_BENCH_PG_URL), and the datasource's PostgreSQL settings for it. No bench runs here.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { defaultExecutable } from '../dev/testing/plugin-process';
import { createTestDatabase, startPostgres, type TestDatabase } from '../dev/testing/postgres';

export const GO_CLIENT = path.join(__dirname, 'grpc-load', 'grpc-load');

export async function goClientBench(
  database: string
): Promise<{ exe: string; db: TestDatabase; stop(): Promise<void> }> {
  execFileSync(path.join(__dirname, 'grpc-load', 'build.sh'), { env: { ...process.env, OUT: GO_CLIENT } });
  const exe = process.env.KICI_BENCH_EXECUTABLE ?? defaultExecutable();
  const own = process.env.KICI_BENCH_PG_URL ? null : await startPostgres();
  const db = await createTestDatabase(database, process.env.KICI_BENCH_PG_URL ?? own!.url);
  return {
    exe,
    db,
    async stop() {
      await db.drop();
      await own?.stop();
    },
  };
}

/** The datasource's PostgreSQL settings for the database at `url`: `jsonData` fields and the secure password. */
export function pgSettings(url: string, maxConnections: number) {
  const u = new URL(url);
  return {
    jsonData: {
      pgHost: u.hostname,
      pgPort: Number(u.port),
      pgDatabase: u.pathname.slice(1),
      pgUser: decodeURIComponent(u.username),
      pgMaxConnections: maxConnections,
    },
    pgPassword: decodeURIComponent(u.password),
  };
}
