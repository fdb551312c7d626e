// Property: every bad input is the user's 4xx naming the input, never a 5xx, and only its refId fails. Over
// 10,000 generated bad inputs (fixed fast-check seeds, printed) through the compiled executable, against kici-sim's
// dlq-backlog scenario in a real PostgreSQL: time ranges outside what a timestamp holds, forged cursors, invalid
// query fields (9,000 queries, each sent beside a good query that must still answer), and invalid PostgreSQL
// settings (1,000 datasources, each queried with every query type that reads the database).
//
// Grafana answers /api/ds/query with HTTP 400 as soon as one refId carries an error and passes each refId's own
// `status` through in the body (grafana/grafana pkg/api/ds_query.go toJsonStreamingResponse, read at commit
// 12d05c25): the per-refId status is what the user sees, so it is what must be a 4xx here.
// Needs `npm run build:backend -- --host-only`.
import fc from 'fast-check';

import { startSim, type Sim } from '../../dev/kici-sim/sim';
import {
  startPlugin,
  type DatasourceSettingsInput,
  type PluginProcess,
  type QueryInput,
} from '../../dev/testing/plugin-process';
import { createTestDatabase, type TestDatabase } from '../../dev/testing/postgres';

jest.setTimeout(900_000);

const SEEDS = { queries: 14_004, settings: 14_005 } as const;
const COUNTS = { queries: 9_000, settings: 1_000 };
const BATCH = 200;

let db: TestDatabase;
let sim: Sim;
let plugin: PluginProcess;
let dbUrl: URL;

beforeAll(async () => {
  db = await createTestDatabase('bad_input');
  sim = await startSim({ scenario: 'dlq-backlog', layout: '0.9', pgUrl: db.url });
  plugin = await startPlugin();
  dbUrl = new URL(db.url);
  console.log(`bad-input property seeds (fast-check): ${JSON.stringify(SEEDS)}; inputs: ${JSON.stringify(COUNTS)}`);
});
afterAll(async () => {
  await plugin?.stop();
  await sim?.stop();
  await db?.drop();
});

function pgSettings(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    pgHost: dbUrl.hostname,
    pgPort: Number(dbUrl.port),
    pgDatabase: dbUrl.pathname.slice(1),
    pgUser: dbUrl.username,
    latestVersionSource: 'none',
    ...extra,
  };
}

const good = (): DatasourceSettingsInput => ({
  uid: 'bad-input',
  jsonData: pgSettings(),
  secureJsonData: { pgPassword: decodeURIComponent(dbUrl.password) },
});

/** One bad query and the words its error must contain (what is wrong, named as the user wrote it). */
interface BadQuery {
  queryType: string;
  json: Record<string, unknown>;
  timeRange?: { from: number; to: number };
  names: string;
}

const MAX_MS = 253_402_300_799_999;
const MIN_MS = -62_135_596_800_000;
const ID = '16c3fcf6-a5b6-42a6-8917-700fc6bcdd84';

const outOfRange = fc.oneof(
  fc.double({ min: MAX_MS + 1, max: 9e18, noNaN: true }).map(Math.floor),
  fc.double({ min: -9e18, max: MIN_MS - 1, noNaN: true }).map(Math.floor)
);
const inRange = fc.integer({ min: 0, max: 4_000_000_000_000 });

const badRange: fc.Arbitrary<BadQuery> = fc
  .tuple(
    fc.constantFrom(
      { queryType: 'dlqEvents', json: {} },
      { queryType: 'dlqDepth', json: { series: true } },
      { queryType: 'executions', json: {} },
      { queryType: 'executionMetrics', json: { useTimeRange: true } }
    ),
    fc.oneof(
      fc.tuple(outOfRange, inRange).map(([from, to]) => ({ from, to, end: 'from' })),
      fc
        .tuple(inRange, outOfRange)
        .map(([from, to]) => ({ from, to, end: from > MAX_MS || from < MIN_MS ? 'from' : 'to' })),
      fc.tuple(inRange, fc.integer({ min: 1, max: 1e9 })).map(([to, gap]) => ({ from: to + gap, to, end: 'range' }))
    )
  )
  .map(([q, r]) => ({
    queryType: q.queryType,
    json: q.json,
    timeRange: { from: r.from, to: r.to },
    names: r.end === 'range' ? `time range ${r.from}..${r.to}` : `time range: ${r.end} `,
  }));

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const badCursor: fc.Arbitrary<BadQuery> = fc
  .oneof(
    fc
      .bigInt({ min: 253_402_300_800_000_000n, max: 10n ** 19n - 1n })
      .map((k) => b64({ s: 'dlqAt', d: 'desc', k: String(k), i: ID })),
    fc
      .bigInt({ min: -(10n ** 19n) + 1n, max: -62_135_596_800_000_001n })
      .map((k) => b64({ s: 'dlqAt', d: 'desc', k: String(k), i: ID })),
    fc.string({ maxLength: 40 }).map((i) => b64({ s: 'dlqAt', d: 'desc', k: '1', i })),
    fc.jsonValue({ maxDepth: 2 }).map((v) => b64(v)),
    fc.string({ minLength: 1, maxLength: 80 }),
    fc.constantFrom(b64({ s: 'dlqAt', d: 'asc', k: '1', i: ID }), b64({ s: 'attempts', d: 'desc', k: 5, i: ID }))
  )
  .filter((c) => c.length <= 500)
  .map((cursor) => ({ queryType: 'dlqEvents', json: { cursor, useTimeRange: false }, names: 'cursor: ' }));

const badField: fc.Arbitrary<BadQuery> = fc.oneof(
  fc.integer({ min: 1001, max: 1e9 }).map((limit) => ({ queryType: 'dlqEvents', json: { limit }, names: 'limit: ' })),
  fc.integer({ min: -1e9, max: 0 }).map((limit) => ({ queryType: 'dlqEvents', json: { limit }, names: 'limit: ' })),
  fc
    .string({ minLength: 1 })
    .filter((s) => !['dlqAt', 'createdAt', 'attempts', 'eventName'].includes(s))
    .map((sort) => ({ queryType: 'dlqEvents', json: { sort }, names: 'sort: ' })),
  fc
    .string({ minLength: 256, maxLength: 400 })
    .map((routingKey) => ({ queryType: 'dlqDepth', json: { routingKey }, names: 'routingKey: ' })),
  fc
    .string({ minLength: 1001, maxLength: 1200 })
    .map((errorText) => ({ queryType: 'dlqEvents', json: { errorText }, names: 'errorText: ' })),
  fc
    .constantFrom('executions', 'dlqDepth', 'dlqEvents', 'executionMetrics')
    .chain((queryType) =>
      fc
        .oneof(fc.integer(), fc.string(), fc.constant([]))
        .map((v) => ({ queryType, json: { excludeTestRuns: v }, names: 'excludeTestRuns: ' }))
    )
    // '' is how Grafana's editors send a cleared input: absent, not wrong.
    .filter((q) => typeof q.json.excludeTestRuns !== 'boolean' && q.json.excludeTestRuns !== ''),
  fc
    .string({ minLength: 1, maxLength: 30 })
    .filter(
      (s) =>
        !/^\s*$/.test(s) &&
        ![
          'health',
          'schemaInfo',
          'dlqEvents',
          'dlqDepth',
          'eventDelivery',
          'executionMetrics',
          'executions',
          'secretBackends',
          'infrastructure',
          'orphanedConnections',
        ].includes(s)
    )
    .map((queryType) => ({ queryType, json: {}, names: `unknown query type "${queryType}"` }))
);

const badQuery = fc.oneof(
  { weight: 3, arbitrary: badRange },
  { weight: 3, arbitrary: badCursor },
  { weight: 3, arbitrary: badField }
);

interface Miss {
  input: unknown;
  got: unknown;
}

it(`${COUNTS.queries} generated bad queries: each a 4xx naming the input, the good query beside it answered`, async () => {
  const inputs = fc.sample(badQuery, { seed: SEEDS.queries, numRuns: COUNTS.queries });
  const misses: Miss[] = [];
  const statuses: Record<string, number> = {};
  for (let i = 0; i < inputs.length; i += BATCH) {
    const batch: QueryInput[] = inputs.slice(i, i + BATCH).map((q, j) => ({
      refId: `b${i + j}`,
      queryType: q.queryType,
      json: { refId: `b${i + j}`, queryType: q.queryType, ...q.json },
      ...(q.timeRange ? { timeRange: q.timeRange } : {}),
    }));
    batch.push({ refId: 'good', queryType: 'dlqDepth', json: { refId: 'good', queryType: 'dlqDepth' } });
    const out = await plugin.queryData(good(), batch);
    if (out.good?.status !== 200 || out.good.error) {
      misses.push({ input: 'the good query beside batch ' + i, got: out.good });
    }
    inputs.slice(i, i + BATCH).forEach((q, j) => {
      const r = out[`b${i + j}`];
      statuses[String(r?.status)] = (statuses[String(r?.status)] ?? 0) + 1;
      if (!r || r.status < 400 || r.status > 499 || !r.error?.includes(q.names)) {
        misses.push({ input: q, got: r && { status: r.status, error: r.error, errorSource: r.errorSource } });
      }
    });
  }
  console.log(`bad queries: statuses ${JSON.stringify(statuses)}`);
  expect(misses.slice(0, 5)).toEqual([]);
});

/** Invalid PostgreSQL settings and the setting each must name. */
const badPg: fc.Arbitrary<{ jsonData: Record<string, unknown>; names: string }> = fc.oneof(
  fc
    .oneof(
      fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/^\s*\d+\s*$/.test(s) && s.trim() !== ''),
      fc.constantFrom('0x97B1', '1e3', '0o17', '5432.5'),
      fc.integer({ min: 65536, max: 1e9 }),
      fc.integer({ min: -1e9, max: 0 })
    )
    .map((pgPort) => ({ jsonData: pgSettings({ pgPort }), names: 'pgPort: ' })),
  fc
    .integer({ min: -1e9, max: 99 })
    .map((v) => ({ jsonData: pgSettings({ pgStatementTimeoutMs: v }), names: 'pgStatementTimeoutMs: ' })),
  fc
    .string({ minLength: 1, maxLength: 12 })
    .filter((s) => !['disable', 'require', 'verify-ca', 'verify-full'].includes(s) && s.trim() !== '')
    .map((v) => ({ jsonData: pgSettings({ pgSslMode: v }), names: 'pgSslMode: ' })),
  fc
    .integer({ min: 51, max: 1e6 })
    .map((v) => ({ jsonData: pgSettings({ pgMaxConnections: v }), names: 'pgMaxConnections: ' })),
  fc.tuple(fc.stringMatching(/^[a-z]{1,8}$/), fc.stringMatching(/^[a-z]{1,8}$/)).map(([u, h]) => ({
    jsonData: pgSettings({ pgHost: `${u}@${h}` }),
    names: 'pgHost: must not carry credentials',
  }))
);

const DB_QUERY_TYPES = ['schemaInfo', 'dlqEvents', 'dlqDepth', 'eventDelivery', 'executionMetrics', 'executions'];

it(`${COUNTS.settings} generated invalid PostgreSQL settings: every database query a 4xx naming the setting`, async () => {
  const inputs = fc.sample(badPg, { seed: SEEDS.settings, numRuns: COUNTS.settings });
  const misses: Miss[] = [];
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const i = next++;
      const s = inputs[i];
      const out = await plugin.queryData(
        { uid: `bad-pg-${i}`, jsonData: s.jsonData, secureJsonData: { pgPassword: 'x' } },
        DB_QUERY_TYPES.map((queryType) => ({ refId: queryType, queryType }))
      );
      for (const t of DB_QUERY_TYPES) {
        const r = out[t];
        if (
          !r ||
          r.status < 400 ||
          r.status > 499 ||
          !r.error?.includes(`PostgreSQL settings are invalid (${s.names}`)
        ) {
          misses.push({ input: { ...s, queryType: t }, got: r && { status: r.status, error: r.error } });
        }
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  expect(misses.slice(0, 5)).toEqual([]);
});
