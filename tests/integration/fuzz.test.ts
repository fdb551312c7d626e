// Fuzzing the compiled executable through gRPC, as Grafana calls it: QueryData JSON, resource paths and bodies,
// and datasource settings JSON, against kici-sim and a real PostgreSQL. Over 100,000 generated inputs with fixed
// fast-check seeds (printed, so a failure can be replayed); the process must survive all of them, log no uncaught
// exception, and answer every input with a valid response, an error for its refId, or a 4xx.
//
// Every generated host is loopback or a value the settings parser refuses: the fuzzer never reaches the network.
import fc from 'fast-check';

import { startSim, type Sim } from '../../dev/kici-sim/sim';
import {
  startPlugin,
  type DatasourceSettingsInput,
  type PluginProcess,
  type QueryInput,
  type ResourceInput,
  type UserInput,
} from '../../dev/testing/plugin-process';
import { quietPort } from '../../dev/testing/ports';
import { createTestDatabase, type TestDatabase } from '../../dev/testing/postgres';
import { QUERY_TYPES } from '../../src/datasource/query';

// 100,000 inputs through gRPC take about 2 minutes on an idle 2-core machine; leave room for a loaded one.
jest.setTimeout(900_000);

const SEEDS = { queries: 9101, resources: 9102, settings: 9103 } as const;
const SCALE = Number(process.env.KICI_FUZZ_SCALE ?? 1);
const COUNTS = { queries: 97_000 * SCALE, resources: 2_400 * SCALE, settings: 600 * SCALE };
const QUERY_BATCH = 500;
const RESOURCE_CONCURRENCY = 32;

let db: TestDatabase;
let sim: Sim;
let plugin: PluginProcess;
let closedPort: number;
let dbUrl: URL;
let sent = 0;

beforeAll(async () => {
  db = await createTestDatabase('fuzz');
  sim = await startSim({ scenario: 'dlq-backlog', layout: '0.9', pgUrl: db.url });
  plugin = await startPlugin();
  closedPort = await quietPort();
  dbUrl = new URL(db.url);
  console.log(`fuzz seeds (fast-check): ${JSON.stringify(SEEDS)}; inputs: ${JSON.stringify(COUNTS)}`);
});

afterAll(async () => {
  await plugin?.stop();
  await sim?.stop();
  await db?.drop();
});

function goodSettings(uid: string): DatasourceSettingsInput {
  return {
    uid,
    jsonData: {
      pgHost: dbUrl.hostname,
      pgPort: Number(dbUrl.port),
      pgDatabase: dbUrl.pathname.slice(1),
      pgUser: dbUrl.username,
      orchestratorUrls: sim.nodes.map((n) => n.url),
      httpTimeoutMs: 2000,
      latestVersionSource: 'none',
    },
    secureJsonData: { pgPassword: decodeURIComponent(dbUrl.password), adminToken: sim.tokens.admin },
  };
}

/** The process is the one we started, still running, and has logged no uncaught exception. */
async function expectAlive(pid: number) {
  expect(plugin.pid).toBe(pid);
  expect(await plugin.ping()).toBe('SERVING');
  const fatal = plugin
    .stderrLines()
    .filter((l) =>
      /Uncaught exception|Unhandled promise rejection|QueryData failed|CallResource failed/.test(l['@message'])
    );
  expect(fatal).toEqual([]);
  expect(plugin.stderrText()).not.toMatch(/panic|FATAL|Segmentation fault/);
}

// ---------------------------------------------------------------------------------------------------------------
// Generators

const ROLES: Array<UserInput['role']> = ['Viewer', 'Editor', 'Admin', 'None'];
const user = fc.oneof(
  fc.constantFrom(...ROLES).map((role): UserInput | undefined => ({ login: `fuzz-${role}`, role })),
  fc.constant(undefined)
);

const weird = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    "x'; DROP TABLE kici_events; --",
    "' OR '1'='1",
    '%',
    '_',
    '\\',
    '\u0000',
    '\ud800',
    '../../etc/passwd',
    'a'.repeat(2000),
    '$1',
    '${jndi:ldap://127.0.0.1/x}',
    '__proto__',
    'constructor'
  )
);

/** encodeURIComponent, except that a lone surrogate goes through raw (a path Grafana could still forward). */
function enc(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return s;
  }
}

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { depthSize: 'small' },
  weird,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 })
);

const timeRange = fc.oneof(
  { weight: 12, arbitrary: fc.constant(undefined) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 4_000_000_000_000 }), fc.integer({ min: -1_000_000_000, max: 40 * 86_400_000 }))
      .map(([from, span]) => ({ from, to: from + span })),
  },
  { weight: 1, arbitrary: fc.constantFrom({ from: 0, to: 8_000_000_000_000 }, { from: 5, to: 5 }, { from: 10, to: 0 }) }
);

/** A query model that is valid for its type often enough to reach the SQL, with hostile values mixed in. */
const plausibleModel = fc.record(
  {
    queryType: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...QUERY_TYPES) }, { weight: 1, arbitrary: weird }),
    routingKey: fc.oneof(fc.constantFrom('github:42', 'generic:acme:deploy-hooks', ' '), weird, anyValue),
    eventName: fc.oneof(fc.constantFrom('deploy-complete', '__job_complete'), weird, anyValue),
    repo: fc.oneof(fc.constantFrom('acme/api', 'acme/%'), weird),
    errorText: fc.oneof(fc.constantFrom('ECONNREFUSED', '%', '_'), weird),
    useTimeRange: fc.oneof(fc.boolean(), anyValue),
    excludeTestRuns: fc.oneof(fc.boolean(), anyValue),
    sort: fc.oneof(fc.constantFrom('dlqAt', 'createdAt', 'attempts', 'eventName'), weird),
    sortDirection: fc.oneof(fc.constantFrom('asc', 'desc'), weird),
    limit: fc.oneof(fc.integer({ min: -5, max: 1200 }), anyValue),
    cursor: fc.oneof(weird, fc.base64String({ maxLength: 200 })),
    series: fc.oneof(fc.boolean(), anyValue),
    section: fc.oneof(fc.constantFrom('summary', 'leases'), weird),
    hide: fc.oneof(fc.boolean(), anyValue),
  },
  { requiredKeys: ['queryType'] }
);

/** Bytes that may not even be JSON: truncated, mutated or not an object. */
const rawJson = fc.oneof(
  plausibleModel.map((m) => JSON.stringify(m)).chain((s) => fc.nat(s.length).map((n) => s.slice(0, n))),
  fc.string(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.constantFrom('', '{', 'null', '[]', '"dlqEvents"', '{"queryType":{}}', '{"__proto__":{"queryType":"x"}}')
);

// Valid models reach the SQL, the HTTP fan-out or both; the costly types (health probes every node) are rarer.
const validModel = fc.record(
  {
    queryType: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('dlqDepth', 'executionMetrics', 'secretBackends', 'infrastructure') },
      {
        weight: 3,
        arbitrary: fc.constantFrom('schemaInfo', 'dlqEvents', 'eventDelivery', 'orphanedConnections', 'executions'),
      },
      { weight: 1, arbitrary: fc.constant('health') }
    ),
    routingKey: fc.constantFrom('github:42', 'generic:acme:deploy-hooks', "x'; DROP TABLE kici_events; --"),
    eventName: fc.constantFrom('deploy-complete', '__job_complete', "' OR '1'='1"),
    repo: fc.constantFrom('acme/api', 'acme/%'),
    errorText: fc.constantFrom('ECONNREFUSED', '%', '_'),
    useTimeRange: fc.boolean(),
    excludeTestRuns: fc.boolean(),
    sort: fc.constantFrom('dlqAt', 'createdAt', 'attempts', 'eventName'),
    sortDirection: fc.constantFrom('asc', 'desc'),
    limit: fc.integer({ min: 1, max: 500 }),
    series: fc.boolean(),
    section: fc.constantFrom('summary', 'leases'),
  },
  { requiredKeys: ['queryType'] }
);

const queryArb = fc.record({
  // Grafana sends the model's queryType on the wire too; without either the query is a `health` query.
  wireType: fc.oneof(
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 15, arbitrary: fc.constantFrom('dlqDepth', 'dlqEvents', 'executionMetrics', 'schemaInfo') },
    { weight: 4, arbitrary: weird }
  ),
  json: fc.oneof(
    { weight: 2, arbitrary: validModel as fc.Arbitrary<unknown> },
    { weight: 25, arbitrary: plausibleModel as fc.Arbitrary<unknown> },
    { weight: 10, arbitrary: rawJson },
    { weight: 3, arbitrary: anyValue }
  ),
  timeRange,
  maxDataPoints: fc.oneof(fc.constant(200), fc.integer({ min: -10, max: 100_000 })),
  intervalMs: fc.oneof(fc.constant(1000), fc.integer({ min: -10, max: 10_000_000 })),
});

function segment(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.uuid(),
    weird.map((s) => enc(s)),
    fc.constantFrom('', '..', '%', '%zz', '%2F', 'permissions', 'retry', 'pg', 'vault-prod', 'sync', 'test', 'matrix')
  );
}

const resourceArb = fc.record({
  method: fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom('GET', 'POST', 'DELETE') },
    { weight: 1, arbitrary: fc.constantFrom('PUT', 'PATCH', 'OPTIONS', 'HEAD', 'get', 'BREW') }
  ),
  path: fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom('health', 'health/matrix', 'schema', 'orphans', 'infrastructure') },
    { weight: 3, arbitrary: fc.constantFrom('dlq/permissions', 'dlq/retry', 'secret-backends') },
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.constantFrom('dlq', 'secret-backends', 'health', 'dlq/retry'), segment())
        .map(([a, b]) => `${a}/${b}`),
    },
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.constantFrom('dlq', 'secret-backends'), segment(), fc.constantFrom('retry', 'sync', 'test', 'x'))
        .map(([a, b, c]) => `${a}/${b}/${c}`),
    },
    { weight: 3, arbitrary: fc.array(segment(), { maxLength: 5 }).map((s) => s.join('/')) },
    { weight: 3, arbitrary: weird }
  ),
  body: fc.oneof(
    fc.constant(undefined),
    fc.record(
      {
        ids: fc.oneof(fc.array(fc.oneof(fc.uuid(), weird), { maxLength: 4 }), anyValue),
        filter: fc.oneof(
          fc.record(
            { routingKey: fc.oneof(fc.constant('github:77'), weird), eventName: weird, repo: weird, errorText: weird },
            { requiredKeys: [] }
          ),
          anyValue
        ),
        limit: fc.oneof(fc.integer({ min: -2, max: 600 }), anyValue),
        dryRun: fc.oneof(fc.constant(true), anyValue),
      },
      { requiredKeys: [] }
    ),
    fc.jsonValue({ maxDepth: 2 }),
    fc.string().map((s) => Buffer.from(s)),
    fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b))
  ),
  query: fc.option(fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }), {
    nil: undefined,
  }),
  user,
});

function hostArb(): fc.Arbitrary<unknown> {
  // Loopback, or values parseSettings refuses before any lookup.
  return fc.constantFrom('127.0.0.1', 'localhost', 'bad host', 'h/x', '127.0.0.1:5432', '', ' ', 42, null, [
    '127.0.0.1',
  ]);
}

function urlArb(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom(...sim.nodes.map((n) => n.url)),
    fc.constant(`http://127.0.0.1:${closedPort}`),
    fc.constant(`https://127.0.0.1:${closedPort}`),
    fc
      .tuple(fc.constantFrom(sim.nodes[0].url, `http://127.0.0.1:${closedPort}`), weird)
      .map(([u, p]) => `${u}/${enc(p)}`),
    fc.constantFrom(
      'ftp://127.0.0.1/',
      'http://user:pw@127.0.0.1:1',
      'http://127.0.0.1:1/?q=1',
      'not a url',
      '',
      'http://[::1',
      'javascript:alert(1)'
    ),
    fc.integer(),
    fc.constant(null)
  );
}

function settingsArb(): fc.Arbitrary<{ jsonData: unknown; secure: Record<string, string>; queries: string[] }> {
  const json = fc.record(
    {
      pgHost: fc.oneof({ weight: 3, arbitrary: fc.constant(dbUrl.hostname) }, { weight: 1, arbitrary: hostArb() }),
      pgPort: fc.oneof(
        { weight: 3, arbitrary: fc.constant(Number(dbUrl.port)) },
        {
          weight: 1,
          arbitrary: fc.oneof(
            fc.constant(closedPort),
            fc.integer({ min: -1, max: 70_000 }),
            fc.constant(`${dbUrl.port}`),
            anyValue
          ),
        }
      ),
      pgDatabase: fc.oneof(
        { weight: 3, arbitrary: fc.constant(dbUrl.pathname.slice(1)) },
        { weight: 1, arbitrary: fc.oneof(weird, anyValue) }
      ),
      pgUser: fc.oneof(
        { weight: 3, arbitrary: fc.constant(dbUrl.username) },
        { weight: 1, arbitrary: fc.oneof(weird, anyValue) }
      ),
      pgSslMode: fc.oneof(fc.constantFrom('disable', 'require', 'verify-ca', 'verify-full'), anyValue),
      pgMaxConnections: fc.oneof(fc.integer({ min: -1, max: 60 }), anyValue),
      pgStatementTimeoutMs: fc.oneof(fc.integer({ min: 0, max: 700_000 }), anyValue),
      orchestratorUrls: fc.oneof(fc.array(urlArb(), { maxLength: 4 }), urlArb(), anyValue),
      httpTimeoutMs: fc.oneof(fc.integer({ min: 50, max: 3000 }), fc.constantFrom(-1, 0, 99, 1e9, '500', 'x')),
      platformUrl: urlArb(),
      platformOrg: fc.oneof(fc.constant('acme'), weird, anyValue),
      discardMinRole: fc.oneof(fc.constantFrom('Editor', 'Admin', 'Viewer'), anyValue),
      // 'npm' would ask a public registry: only the values that stay local.
      latestVersionSource: fc.constantFrom('none', 'fixed', 'bogus'),
      latestVersion: fc.oneof(fc.constant('0.9.1'), weird),
    },
    { requiredKeys: ['latestVersionSource'] }
  );
  const jsonData = fc.oneof(
    { weight: 9, arbitrary: json as fc.Arbitrary<unknown> },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }
  );
  const secure = fc.record(
    {
      pgPassword: fc.oneof(fc.constant(decodeURIComponent(dbUrl.password)), weird),
      adminToken: fc.oneof(fc.constantFrom(...Object.values(sim.tokens)), weird),
      platformToken: weird,
      pgCaCert: fc.oneof(weird, fc.constant('-----BEGIN CERTIFICATE-----\nnot really\n-----END CERTIFICATE-----')),
    },
    { requiredKeys: [] }
  );
  const queries = fc.subarray(
    ['schemaInfo', 'dlqDepth', 'dlqEvents', 'secretBackends', 'executionMetrics', 'eventDelivery', 'health'],
    {
      minLength: 1,
      maxLength: 3,
    }
  );
  return fc.record({ jsonData, secure, queries });
}

// ---------------------------------------------------------------------------------------------------------------

interface Bad {
  input: unknown;
  got: unknown;
}

function checkQueryAnswer(r: { status: number; error?: string; frames: unknown[] } | undefined): string | null {
  if (!r) {
    return 'no response for the refId';
  }
  if (r.error) {
    if (r.status < 400 || r.status > 599) {
      return `error with status ${r.status}`;
    }
    return null;
  }
  if (r.status !== 200) {
    return `status ${r.status} without an error`;
  }
  return null;
}

it(`QueryData: ${COUNTS.queries} generated queries, each answered for its refId`, async () => {
  const pid = plugin.pid;
  const t0 = performance.now();
  // A query without a type is a `health` query, which probes every node: most batches go to a datasource
  // without orchestrator URLs (database only), every tenth to the full one.
  const full = goodSettings('fuzz-queries');
  const dbOnly = { ...full, uid: 'fuzz-queries-db', jsonData: { ...(full.jsonData as object), orchestratorUrls: [] } };
  const inputs = fc.sample(queryArb, { seed: SEEDS.queries, numRuns: COUNTS.queries });
  const bad: Bad[] = [];
  const statusCounts: Record<string, number> = {};
  for (let i = 0; i < inputs.length; i += QUERY_BATCH) {
    const batch: QueryInput[] = inputs.slice(i, i + QUERY_BATCH).map((q, j) => ({
      refId: `q${i + j}`,
      queryType: q.wireType,
      json: typeof q.json === 'string' ? q.json : q.json === undefined ? 'null' : (JSON.stringify(q.json) ?? 'null'),
      ...(q.timeRange ? { timeRange: q.timeRange } : {}),
      maxDataPoints: q.maxDataPoints,
      intervalMs: q.intervalMs,
    }));
    const out = await plugin.queryData((i / QUERY_BATCH) % 10 === 0 ? full : dbOnly, batch);
    sent += batch.length;
    for (const q of batch) {
      const r = out[q.refId];
      statusCounts[String(r?.status)] = (statusCounts[String(r?.status)] ?? 0) + 1;
      const problem = checkQueryAnswer(r);
      // A 5xx must come from KiCI or PostgreSQL (downstream), never from the plugin tripping over its input.
      const pluginFault =
        r && r.status >= 500 && r.errorSource !== 'downstream' ? `plugin ${r.status}: ${r.error}` : null;
      if (problem || pluginFault) {
        bad.push({ input: q, got: problem ?? pluginFault });
      }
    }
  }
  console.log(`QueryData fuzz statuses: ${JSON.stringify(statusCounts)} (${Math.round(performance.now() - t0)} ms)`);
  expect(bad.slice(0, 5)).toEqual([]);
  // Both outcomes occur: the mix reaches the SQL and also trips the validation.
  expect(statusCounts['200']).toBeGreaterThan(COUNTS.queries * 0.03);
  expect(statusCounts['400']).toBeGreaterThan(COUNTS.queries * 0.5);
  await expectAlive(pid);
});

it(`CallResource: ${COUNTS.resources} generated paths, methods and bodies, each a 2xx or a 4xx`, async () => {
  const pid = plugin.pid;
  const t0 = performance.now();
  const settings = goodSettings('fuzz-resources');
  const inputs = fc.sample(resourceArb, { seed: SEEDS.resources, numRuns: COUNTS.resources });
  const bad: Bad[] = [];
  const statusCounts: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const r = inputs[next++];
      const req: ResourceInput = {
        method: r.method,
        path: r.path,
        body: r.body,
        ...(r.query ? { query: r.query } : {}),
      };
      try {
        const res = await plugin.callResource(settings, req, r.user);
        sent++;
        statusCounts[res.status] = (statusCounts[res.status] ?? 0) + 1;
        // 502/504: KiCI did not answer in time (the sim shares two loaded cores); the body must still say so.
        const ok =
          (res.status >= 200 && res.status < 300) ||
          (res.status >= 400 && res.status < 500) ||
          res.status === 502 ||
          res.status === 504;
        const bodyOk =
          res.status < 400 ||
          (typeof (res.json as { error?: unknown })?.error === 'string' &&
            (res.json as { error: string }).error !== '');
        if (!ok || !bodyOk) {
          bad.push({
            input: { ...req, user: r.user },
            got: { status: res.status, body: res.body.toString('utf8').slice(0, 300) },
          });
        }
      } catch (err) {
        bad.push({ input: { ...req, user: r.user }, got: String(err) });
      }
    }
  };
  await Promise.all(Array.from({ length: RESOURCE_CONCURRENCY }, worker));
  console.log(`CallResource fuzz statuses: ${JSON.stringify(statusCounts)} (${Math.round(performance.now() - t0)} ms)`);
  expect(bad.slice(0, 5)).toEqual([]);
  expect(statusCounts['200']).toBeGreaterThan(COUNTS.resources * 0.03);
  expect(statusCounts['404']).toBeGreaterThan(COUNTS.resources * 0.2);
  await expectAlive(pid);
});

it(`settings: ${COUNTS.settings} generated datasource settings, each query and health check answered`, async () => {
  const pid = plugin.pid;
  const t0 = performance.now();
  const inputs = fc.sample(settingsArb(), { seed: SEEDS.settings, numRuns: COUNTS.settings });
  const bad: Bad[] = [];
  const statusCounts: Record<string, number> = {};
  let healthChecks = 0;
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const i = next++;
      const s = inputs[i];
      // One datasource per worker slot, its settings replaced on every input (Grafana bumps lastUpdatedMS on save).
      const settings: DatasourceSettingsInput = {
        uid: `fuzz-settings-${i % 8}`,
        lastUpdatedMS: i + 1,
        jsonData: s.jsonData,
        secureJsonData: s.secure,
      };
      try {
        const out = await plugin.queryData(
          settings,
          s.queries.map((queryType, j) => ({
            refId: `s${j}`,
            queryType,
            json: { refId: `s${j}`, queryType, useTimeRange: false },
          }))
        );
        sent++;
        s.queries.forEach((_, j) => {
          const r = out[`s${j}`];
          statusCounts[String(r?.status)] = (statusCounts[String(r?.status)] ?? 0) + 1;
          const problem = checkQueryAnswer(r);
          if (problem) {
            bad.push({ input: settings, got: problem });
          }
        });
        if (i % 10 === 0) {
          healthChecks++;
          const h = await plugin.checkHealth(settings);
          if (!['OK', 'ERROR', 'UNKNOWN'].includes(h.status) || (h.status !== 'OK' && !h.message)) {
            bad.push({ input: settings, got: h });
          }
        }
      } catch (err) {
        bad.push({ input: settings, got: String(err) });
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  console.log(
    `settings fuzz statuses: ${JSON.stringify(statusCounts)}; health checks: ${healthChecks} (${Math.round(performance.now() - t0)} ms)`
  );
  expect(bad.slice(0, 5)).toEqual([]);
  expect(statusCounts['200']).toBeGreaterThan(COUNTS.settings * 0.2);
  await expectAlive(pid);
});

it('sent at least 100,000 generated inputs in total', () => {
  expect(sent).toBe(COUNTS.queries + COUNTS.resources + COUNTS.settings);
  expect(sent).toBeGreaterThanOrEqual(100_000 * SCALE);
});
