// The backend's KiCI data access against a real PostgreSQL seeded by kici-sim, in both schema layouts:
// layout detection, schemaInfo, CheckHealth's PostgreSQL row (read-only role, wrong password),
// admin-token roles, statement timeout and cancellation.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

import { applySchema, migrationNames } from '../../dev/kici-sim/db/schema';
import { getScenario, tokensByRole } from '../../dev/kici-sim/scenarios';
import { createTestDatabase, type TestDatabase } from '../../dev/testing/postgres';
import { KiciDatasource } from '../../src/backend/datasource';
import { checkPostgres, describeRole, lookupTokenRole } from '../../src/backend/features/health/checks';
import { createDb } from '../../src/backend/kici/db';
import { KiciSourceError } from '../../src/backend/kici/errors';
import { detectSchema } from '../../src/backend/kici/schema';
import type { PgSettings } from '../../src/backend/kici/settings';
import { datasourceSettings, silentLogger as log } from '../../src/backend/protocol/testing';
import type { RequestContext } from '../../src/backend/protocol/types';

jest.setTimeout(60_000);

const ctx = (signal = new AbortController().signal): RequestContext => ({
  plugin: { orgId: 1, pluginId: 'kici-ops-datasource', pluginVersion: 'test', grafanaConfig: {}, userAgent: '' },
  log,
  signal,
});

interface Role {
  user: string;
  password: string;
}

/** A read-only role like `kici-admin db create-readonly-user` makes, optionally without admin_tokens. */
async function createReadonlyRole(
  admin: pg.Client,
  database: string,
  opts: { hideTokens?: boolean } = {}
): Promise<Role> {
  const user = `kici_reader_${randomBytes(3).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  // Identifiers cannot be parameters: both are built from [a-z0-9_].
  await admin.query(`CREATE ROLE ${user} LOGIN PASSWORD '${password}'`);
  await admin.query(`GRANT CONNECT ON DATABASE "${database}" TO ${user}`);
  await admin.query(`GRANT USAGE ON SCHEMA public TO ${user}`);
  await admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${user}`);
  if (opts.hideTokens) {
    await admin.query(`REVOKE SELECT ON admin_tokens FROM ${user}`);
  }
  return { user, password };
}

async function dropRole(admin: pg.Client, role: Role) {
  await admin.query(`DROP OWNED BY ${role.user}`);
  await admin.query(`DROP ROLE ${role.user}`);
}

function pgSettings(url: string, role: Role, extra: Partial<PgSettings> = {}): PgSettings {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port),
    database: u.pathname.slice(1),
    user: role.user,
    password: role.password,
    sslMode: 'disable',
    maxConnections: 2,
    statementTimeoutMs: 10_000,
    ...extra,
  };
}

describe.each(['0.9', '0.1'] as const)('KiCI database, %s layout', (layout) => {
  let db: TestDatabase;
  let admin: pg.Client;
  let reader: Role;
  let blind: Role;
  let database: string;
  const scenario = getScenario('healthy-single', { layout });
  const tokens = tokensByRole(scenario.spec);

  beforeAll(async () => {
    db = await createTestDatabase(`kici_db_${layout.replace('.', '')}`);
    database = new URL(db.url).pathname.slice(1);
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await applySchema(admin, layout);
    await scenario.seed(admin);
    reader = await createReadonlyRole(admin, database);
    blind = await createReadonlyRole(admin, database, { hideTokens: true });
  });
  afterAll(async () => {
    await dropRole(admin, reader);
    await dropRole(admin, blind);
    await admin.end();
    await db.drop();
  });

  it('detects the layout, the latest migration and the optional objects', async () => {
    const kdb = createDb(pgSettings(db.url, reader), log);
    try {
      const info = await detectSchema(kdb);
      const names = migrationNames(layout);
      expect(info.layout).toBe(layout);
      expect(info.migrationCount).toBe(names.length);
      expect(info.latestMigration).toBe([...names].sort().at(-1));
      expect(info.objects.cluster_instances).toBe(layout === '0.9');
      expect(info.objects['execution_runs.context']).toBe(layout === '0.9');
      expect(info.objects['execution_runs.environment']).toBe(layout === '0.1');
      expect(info.objects['host_roster.scaler_managed']).toBe(layout === '0.9');
    } finally {
      await kdb.end();
    }
  });

  it('answers the schemaInfo query and GET schema through the datasource', async () => {
    const u = new URL(db.url);
    const ds = new KiciDatasource(
      datasourceSettings(
        { pgHost: u.hostname, pgPort: Number(u.port), pgDatabase: database, pgUser: reader.user },
        { pgPassword: reader.password }
      ),
      log
    );
    try {
      const res = await ds.query(
        {
          refId: 'S',
          queryType: 'schemaInfo',
          maxDataPoints: 1,
          intervalMs: 1,
          timeRange: { from: 0, to: 1 },
          json: { refId: 'S' },
        },
        ctx()
      );
      const frame = res.frames[0];
      const value = (name: string) => frame.fields.find((f) => f.name === name)?.values[0];
      expect(value('layout')).toBe(layout);
      expect(value('migration_count')).toBe(migrationNames(layout).length);
      expect(value('cluster_instances')).toBe(layout === '0.9');
      const r = await ds.callResource(
        {
          method: 'GET',
          path: 'schema',
          url: '/schema',
          query: new URLSearchParams(),
          headers: {},
          body: Buffer.alloc(0),
        },
        ctx()
      );
      expect(r.status).toBe(200);
      expect((r.body as { layout: string }).layout).toBe(layout);
    } finally {
      await ds.dispose();
    }
  });

  it('reports a read-only role as ok and a writing superuser as a warning', async () => {
    const ro = createDb(pgSettings(db.url, reader), log);
    const u = new URL(db.url);
    const su = createDb(pgSettings(db.url, { user: u.username, password: decodeURIComponent(u.password) }), log);
    try {
      const okRow = await checkPostgres(ro, new AbortController().signal);
      expect(okRow.status).toBe('ok');
      expect(okRow.message).toBe(
        `connected; KiCI ${layout} schema, ${migrationNames(layout).length} migrations (latest ${[...migrationNames(layout)].sort().at(-1)})`
      );
      expect(okRow.target).toBe(`${reader.user}@${u.hostname}:${u.port}/${database}`);
      const warnRow = await checkPostgres(su, new AbortController().signal);
      expect(warnRow.status).toBe('warning');
      expect(warnRow.hint).toContain('read-only role');
    } finally {
      await ro.end();
      await su.end();
    }
  });

  it("finds each admin token's role by its SHA-256, or says unknown without the privilege", async () => {
    const kdb = createDb(pgSettings(db.url, reader), log);
    const hidden = createDb(pgSettings(db.url, blind), log);
    const s = new AbortController().signal;
    try {
      expect(await lookupTokenRole(kdb, tokens.owner, s)).toEqual({
        role: 'owner',
        routingKey: null,
        revoked: false,
        expired: false,
      });
      expect(await lookupTokenRole(kdb, tokens.auditor, s)).toMatchObject({ role: 'auditor', routingKey: null });
      expect(await lookupTokenRole(kdb, tokens.scoped, s)).toMatchObject({ role: 'admin', routingKey: 'github:42' });
      expect(await lookupTokenRole(kdb, tokens.revoked, s)).toMatchObject({ revoked: true });
      expect(await lookupTokenRole(kdb, tokens.expired, s)).toMatchObject({ expired: true });
      expect(await lookupTokenRole(kdb, 'f'.repeat(64), s)).toBeNull();
      const err = await lookupTokenRole(hidden, tokens.owner, s).catch((e) => e);
      expect(err).toBeInstanceOf(KiciSourceError);
      expect((err as KiciSourceError).failure).toBe('forbidden');
      expect(describeRole(await lookupTokenRole(kdb, tokens.auditor, s)).text).toBe(
        'role auditor: read-only: DLQ Retry/Discard will be refused'
      );
    } finally {
      await kdb.end();
      await hidden.end();
    }
  });

  it('names the user when the password is wrong, in CheckHealth', async () => {
    const u = new URL(db.url);
    const ds = new KiciDatasource(
      datasourceSettings(
        { pgHost: u.hostname, pgPort: Number(u.port), pgDatabase: database, pgUser: reader.user, orchestratorUrls: [] },
        { pgPassword: 'wrong' }
      ),
      log
    );
    try {
      const res = await ds.checkHealth(ctx());
      expect(res.status).toBe('ERROR');
      expect(res.message.split('\n')[0]).toBe(
        `PostgreSQL (${reader.user}@${u.hostname}:${u.port}/${database}): password authentication failed for user "${reader.user}" — check the user and password in the datasource settings`
      );
      expect(res.message).not.toContain('wrong');
    } finally {
      await ds.dispose();
    }
  });

  it('runs reads in a READ ONLY transaction', async () => {
    const u = new URL(db.url);
    const kdb = createDb(pgSettings(db.url, { user: u.username, password: decodeURIComponent(u.password) }), log);
    try {
      const err = await kdb.read(`DELETE FROM kici_events`).catch((e) => e);
      expect(err).toBeInstanceOf(KiciSourceError);
      expect(err.message).toContain('read-only transaction');
      const [{ n }] = await kdb.read<{ n: number }>('SELECT count(*)::int AS n FROM kici_events');
      expect(n).toBeGreaterThan(0);
    } finally {
      await kdb.end();
    }
  });
});

describe('KiCI database limits', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('kici_db_limits');
  });
  afterAll(() => db.drop());

  const superuser = () => {
    const u = new URL(db.url);
    return { user: u.username, password: decodeURIComponent(u.password) };
  };

  it('states the statement timeout', async () => {
    const kdb = createDb(pgSettings(db.url, superuser(), { statementTimeoutMs: 200 }), log);
    try {
      const err = await kdb.read('SELECT pg_sleep(5)').catch((e) => e);
      expect(err).toBeInstanceOf(KiciSourceError);
      expect(err.message).toBe('query exceeded the statement timeout of 200 ms');
      // The pool is still usable afterwards.
      expect(await kdb.read('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await kdb.end();
    }
  });

  it('cancels a running query on abort, server side', async () => {
    const kdb = createDb(pgSettings(db.url, superuser()), log);
    const watcher = new pg.Client({ connectionString: db.url });
    await watcher.connect();
    const marker = `kici_cancel_${randomBytes(4).toString('hex')}`;
    try {
      const ac = new AbortController();
      const running = kdb.read(`SELECT pg_sleep(30), '${marker}'`, [], ac.signal).catch((e) => e);
      // Wait until the server runs it, then abort.
      for (let i = 0; i < 100; i++) {
        const { rows } = await watcher.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE $1 AND state = 'active'`,
          [`%${marker}'%`]
        );
        if (rows[0].n > 0) {
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      ac.abort();
      const err = await running;
      expect(err).toBeInstanceOf(KiciSourceError);
      expect(err.failure).toBe('cancelled');
      let still = 1;
      for (let i = 0; i < 100 && still > 0; i++) {
        const { rows } = await watcher.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE $1 AND state = 'active'`,
          [`%${marker}'%`]
        );
        still = rows[0].n;
        if (still > 0) {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      expect(still).toBe(0);
    } finally {
      await watcher.end();
      await kdb.end();
    }
  });

  it('says the database is not a KiCI database when kysely_migration is missing', async () => {
    const kdb = createDb(pgSettings(db.url, superuser()), log);
    try {
      const err = await detectSchema(kdb).catch((e) => e);
      expect(err).toBeInstanceOf(KiciSourceError);
      expect(err.message).toContain('has no kysely_migration table');
    } finally {
      await kdb.end();
    }
  });

  it('reports an unreachable server by host:port', async () => {
    const { quietPort } = await import('../../dev/testing/ports');
    const port = await quietPort();
    const kdb = createDb({ ...pgSettings(db.url, superuser()), port }, log);
    try {
      const err = await kdb.read('SELECT 1').catch((e) => e);
      expect(err.message).toBe(`cannot reach PostgreSQL at 127.0.0.1:${port} (ECONNREFUSED)`);
    } finally {
      await kdb.end();
    }
  });
});
