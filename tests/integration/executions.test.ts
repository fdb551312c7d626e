// executionMetrics and executions against seeded kici-sim data with known answers (contract §2.2,
// healthy-single: success 95 s, failed 40 s, cancelled 10 s, running ⇒ 33.3 %, 48.3 s; queued 1, running 1),
// in both schema layouts, with test runs excluded, scoped by routing key, and over the dashboard range.
import pg from 'pg';

import { HOUR, MINUTE, insertRuns } from '../../dev/kici-sim/scenarios/common';
import { HEALTHY_SINGLE_KNOWN } from '../../dev/kici-sim/scenarios/healthy-single';
import { startSim, type Sim } from '../../dev/kici-sim/sim';
import { createTestDatabase, type TestDatabase } from '../../dev/testing/postgres';
import { KiciDatasource } from '../../src/backend/datasource';
import { datasourceSettings, silentLogger as log } from '../../src/backend/protocol/testing';
import type { Frame, RequestContext } from '../../src/backend/protocol/types';

jest.setTimeout(60_000);

const ctx = (): RequestContext => ({
  plugin: { orgId: 1, pluginId: 'kici-ops-datasource', pluginVersion: 'test', grafanaConfig: {}, userAgent: '' },
  log,
  signal: new AbortController().signal,
});

function datasource(dbUrl: string | null): KiciDatasource {
  const jsonData: Record<string, unknown> = {};
  const secure: Record<string, string> = {};
  if (dbUrl) {
    const u = new URL(dbUrl);
    Object.assign(jsonData, {
      pgHost: u.hostname,
      pgPort: Number(u.port),
      pgDatabase: u.pathname.slice(1),
      pgUser: u.username,
    });
    secure.pgPassword = decodeURIComponent(u.password);
  }
  return new KiciDatasource(datasourceSettings(jsonData, secure), log);
}

type Model = Record<string, unknown>;

async function query(
  ds: KiciDatasource,
  queryType: string,
  model: Model = {},
  range = { from: Date.now() - 6 * HOUR, to: Date.now() },
  intervalMs = 60_000
): Promise<Frame> {
  const res = await ds.query(
    {
      refId: 'A',
      queryType,
      maxDataPoints: 1000,
      intervalMs,
      timeRange: range,
      json: { refId: 'A', queryType, ...model },
    },
    ctx()
  );
  return res.frames[0];
}

const value = (f: Frame, name: string) => {
  const field = f.fields.find((x) => x.name === name);
  if (!field) {
    throw new Error(`no field ${name} in ${f.fields.map((x) => x.name).join(', ')}`);
  }
  return field.values[0];
};

function metrics(f: Frame) {
  return {
    total: value(f, 'total_runs'),
    success: value(f, 'success_runs'),
    finished: value(f, 'finished_runs'),
    rate: value(f, 'success_rate'),
    avg: value(f, 'avg_duration'),
    queued: value(f, 'queued_jobs'),
    running: value(f, 'running_jobs'),
    active: value(f, 'active_jobs'),
  };
}

describe.each(['0.9', '0.1'] as const)('healthy-single, %s layout', (layout) => {
  let db: TestDatabase;
  let sim: Sim;
  let ds: KiciDatasource;
  beforeAll(async () => {
    db = await createTestDatabase(`executions_${layout.replace('.', '')}`);
    sim = await startSim({ scenario: 'healthy-single', layout, pgUrl: db.url });
    ds = datasource(db.url);
  });
  afterAll(async () => {
    await ds?.dispose();
    await sim?.stop();
    await db?.drop();
  });

  it('answers the known 24 h numbers', async () => {
    const f = await query(ds, 'executionMetrics');
    expect(metrics(f)).toEqual({
      total: HEALTHY_SINGLE_KNOWN.totalRuns,
      success: HEALTHY_SINGLE_KNOWN.successRuns,
      finished: HEALTHY_SINGLE_KNOWN.finishedRuns,
      rate: 33.3,
      avg: 48.3,
      queued: 1,
      running: 1,
      active: 2,
    });
    expect(f.fields.find((x) => x.name === 'success_rate')!.config?.description).toContain(
      'Successful runs ÷ finished runs (success, failed or cancelled)'
    );
  });

  it('scopes to one routing key', async () => {
    // github:42: success 95 s, failed 40 s, running (its build job running, its e2e job queued).
    expect(metrics(await query(ds, 'executionMetrics', { routingKey: 'github:42' }))).toEqual({
      total: 3,
      success: 1,
      finished: 2,
      rate: 50,
      avg: 67.5,
      queued: 1,
      running: 1,
      active: 2,
    });
    expect(metrics(await query(ds, 'executionMetrics', { routingKey: 'generic:acme:deploy-hooks' }))).toEqual({
      total: 1,
      success: 0,
      finished: 1,
      rate: 0,
      avg: 10,
      queued: 0,
      running: 0,
      active: 0,
    });
    const none = metrics(await query(ds, 'executionMetrics', { routingKey: 'github:999' }));
    expect(none).toMatchObject({ total: 0, finished: 0, rate: null, avg: null, active: 0 });
  });

  it('uses the dashboard range when asked (the 30 h old run counts over 48 h)', async () => {
    const now = Date.now();
    const last6h = metrics(
      await query(ds, 'executionMetrics', { useTimeRange: true }, { from: now - 6 * HOUR, to: now })
    );
    expect(last6h).toMatchObject({ total: 3, finished: 2, rate: 50, avg: 67.5 });
    const last48h = metrics(
      await query(ds, 'executionMetrics', { useTimeRange: true }, { from: now - 48 * HOUR, to: now })
    );
    // success 95 + failed 40 + cancelled 10 + old success 500 ⇒ 161.25 s
    expect(last48h).toMatchObject({ total: 5, success: 2, finished: 4, rate: 50, avg: 161.3 });
  });

  it('the executions series sums to the totals, per status, zero-filled', async () => {
    const now = Date.now();
    const range = { from: now - 48 * HOUR, to: now };
    const f = await query(ds, 'executions', {}, range, HOUR);
    const time = f.fields[0];
    expect(time.type).toBe('time');
    expect(time.values).toHaveLength(48);
    expect(time.values[0]).toBe(range.from);
    const sums = Object.fromEntries(
      f.fields.slice(1).map((x) => [x.labels!.status, (x.values as number[]).reduce((a, b) => a + b, 0)])
    );
    expect(sums).toEqual({ success: 2, failed: 1, cancelled: 1, running: 1, pending: 0, cancelling: 0, held: 0 });
    const total = Object.values(sums).reduce((a, b) => a + b, 0);
    const m = metrics(await query(ds, 'executionMetrics', { useTimeRange: true }, range));
    expect(total).toBe(m.total);
    const success = f.fields.find((x) => x.labels?.status === 'success')!.values as number[];
    expect(success.filter((v) => v > 0)).toEqual([1, 1]);
    expect(success.filter((v) => v === 0)).toHaveLength(46);

    const scoped = await query(ds, 'executions', { routingKey: 'github:42' }, range, HOUR);
    const scopedTotal = scoped.fields
      .slice(1)
      .reduce((a, x) => a + (x.values as number[]).reduce((s, v) => s + v, 0), 0);
    expect(scopedTotal).toBe(3);
  });

  it('bounds the series by maxDataPoints', async () => {
    const now = Date.now();
    const res = await ds.query(
      {
        refId: 'A',
        queryType: 'executions',
        maxDataPoints: 10,
        intervalMs: 1000,
        timeRange: { from: now - 48 * HOUR, to: now },
        json: { refId: 'A' },
      },
      ctx()
    );
    const f = res.frames[0];
    expect(f.fields[0].values.length).toBeLessThanOrEqual(10);
    const total = f.fields.slice(1).reduce((a, x) => a + (x.values as number[]).reduce((s, v) => s + v, 0), 0);
    expect(total).toBe(5);
  });

  it('leaves CLI test runs out when asked', async () => {
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      await insertRuns(
        admin,
        layout,
        [
          {
            runId: '0b0b0b0b-0000-4000-8000-000000000001',
            workflowName: 'ci',
            status: 'success',
            routingKey: 'github:42',
            repo: 'acme/api',
            createdAgoMs: 30 * MINUTE,
            durationMs: 20_000,
            isTestRun: true,
            jobs: [
              {
                jobId: 'build',
                jobName: 'build',
                status: 'success',
                agentId: null,
                durationMs: 19_000,
                queue: 'completed',
              },
            ],
          },
          {
            runId: '0b0b0b0b-0000-4000-8000-000000000002',
            workflowName: 'ci',
            status: 'running',
            routingKey: 'github:42',
            repo: 'acme/api',
            createdAgoMs: 1 * MINUTE,
            durationMs: null,
            isTestRun: true,
            jobs: [
              {
                jobId: 'build',
                jobName: 'build',
                status: 'running',
                agentId: null,
                durationMs: null,
                queue: 'dispatched',
              },
              { jobId: 'test', jobName: 'test', status: 'pending', agentId: null, durationMs: null, queue: 'pending' },
            ],
          },
        ],
        new Date()
      );
    } finally {
      await admin.end();
    }
    // success 95 + failed 40 + cancelled 10 + test 20 ⇒ 41.25 s
    expect(metrics(await query(ds, 'executionMetrics'))).toEqual({
      total: 6,
      success: 2,
      finished: 4,
      rate: 50,
      avg: 41.3,
      queued: 2,
      running: 2,
      active: 4,
    });
    expect(metrics(await query(ds, 'executionMetrics', { excludeTestRuns: true }))).toEqual({
      total: 4,
      success: 1,
      finished: 3,
      rate: 33.3,
      avg: 48.3,
      queued: 1,
      running: 1,
      active: 2,
    });
  });
});

it('without PostgreSQL: a 400 that names the settings', async () => {
  const ds = datasource(null);
  try {
    await expect(query(ds, 'executionMetrics')).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('set pgHost, pgDatabase and pgUser'),
    });
  } finally {
    await ds.dispose();
  }
});

it('rejects an invalid routing key before any SQL runs', async () => {
  const ds = datasource(null);
  try {
    await expect(query(ds, 'executionMetrics', { routingKey: 'x'.repeat(300) })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('routingKey'),
    });
  } finally {
    await ds.dispose();
  }
});
