// The instance without any KiCI behind it: query routing, query validation, resources, nothing configured.
import { QUERY_TYPES } from '../datasource/query';
import { KiciDatasource } from './datasource';
import { createKiciPlugin } from './plugin';
import type { DataQuery, RequestContext } from './protocol/types';
import { datasourceSettings, silentLogger as log } from './protocol/testing';
import { PluginError } from './protocol/types';

const settings = (jsonData: unknown = {}, secure: Record<string, string> = {}) =>
  datasourceSettings(jsonData, secure, { lastUpdatedMS: 1 });
const ctx = (): RequestContext => ({
  plugin: { orgId: 1, pluginId: 'kici-ops-datasource', pluginVersion: '0.1.0', grafanaConfig: {}, userAgent: '' },
  log,
  signal: new AbortController().signal,
});
const q = (json: unknown, queryType = ''): DataQuery => ({
  refId: 'A',
  queryType,
  maxDataPoints: 100,
  intervalMs: 1000,
  timeRange: { from: 0, to: 1 },
  json,
});

async function rejection(p: Promise<unknown>): Promise<PluginError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(PluginError);
    return e as PluginError;
  }
  throw new Error('expected a rejection');
}

describe('KiciDatasource with nothing configured', () => {
  const ds = createKiciPlugin().createInstance(settings(), log) as KiciDatasource;
  afterAll(() => ds.dispose());

  it('CheckHealth is ERROR naming pgHost and orchestratorUrls', async () => {
    const res = await ds.checkHealth(ctx());
    expect(res.status).toBe('ERROR');
    expect(res.message).toMatch(/pgHost.*orchestratorUrls/s);
  });

  it('the health query returns not-configured rows, not an error', async () => {
    const res = await ds.query(q({ refId: 'A', queryType: 'health' }, 'health'), ctx());
    const f = res.frames[0];
    const col = (n: string) => f.fields.find((x) => x.name === n)!.values;
    expect(col('component')).toEqual([
      'PostgreSQL',
      'orchestrator /health',
      'admin token',
      'agent /health',
      'Platform',
    ]);
    expect(new Set(col('status'))).toEqual(new Set(['not configured']));
    expect(f.fields.map((x) => x.name)).toEqual([
      'component',
      'target',
      'instance',
      'status',
      'latency_ms',
      'message',
      'hint',
      'last_success',
      'up',
    ]);
  });

  it('defaults an empty query type to health', async () => {
    const res = await ds.query(q({ refId: 'A' }), ctx());
    expect(res.frames[0].fields[0].values[0]).toBe('PostgreSQL');
  });

  it('rejects an unknown query type with 400 naming the known types', async () => {
    const err = await rejection(ds.query(q({}, 'nope'), ctx()));
    expect(err.status).toBe(400);
    // Every query type the frontend can send is handled, and the message lists them.
    const [, known] = /^unknown query type "nope"; known types: (.*)$/.exec(err.message)!;
    expect(known.split(', ').sort()).toEqual([...QUERY_TYPES].sort());
    expect((await rejection(ds.query(q({}, 'constructor'), ctx()))).status).toBe(400);
  });

  it('rejects an invalid query model with 400 naming the field', async () => {
    const err = await rejection(ds.query(q({ queryType: 'health', limit: 'ten' }), ctx()));
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/^invalid query: limit: /);
    const bad = await rejection(ds.query({ ...q(undefined), jsonError: 'Unexpected token' }, ctx()));
    expect(bad.message).toBe('query JSON is not valid: Unexpected token');
    const wire = await rejection(
      ds.query({ ...q(undefined), jsonError: 'query JSON is not valid: Unexpected "U"' }, ctx())
    );
    expect(wire.message).toBe('query JSON is not valid: Unexpected "U"');
  });

  it('schemaInfo without PostgreSQL is a 400 saying what to set', async () => {
    const err = await rejection(ds.query(q({}, 'schemaInfo'), ctx()));
    expect(err.status).toBe(400);
    expect(err.message).toContain('PostgreSQL is not configured');
    expect(err.message).toContain('pgHost');
  });

  it('serves GET health and GET schema, 404 and 405 otherwise', async () => {
    const base = { url: '', query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0) };
    const health = await ds.callResource({ ...base, method: 'GET', path: 'health' }, ctx());
    expect(health.status).toBe(200);
    expect((health.body as { status: string }).status).toBe('ERROR');
    const schema = await ds.callResource({ ...base, method: 'GET', path: 'schema' }, ctx());
    expect(schema.status).toBe(400);
    expect((schema.body as { error: string }).error).toContain('PostgreSQL is not configured');
    expect((await ds.callResource({ ...base, method: 'GET', path: 'dlq' }, ctx())).status).toBe(404);
    expect((await ds.callResource({ ...base, method: 'POST', path: 'health' }, ctx())).status).toBe(405);
  });
});

it('an invalid setting becomes an error row and an ERROR health naming it', async () => {
  const ds = new KiciDatasource(
    settings({ orchestratorUrls: ['ftp://x'], pgHost: 'db', pgDatabase: 'k', pgUser: 'u', pgSslMode: 'prefer' }),
    log
  );
  try {
    const res = await ds.checkHealth(ctx());
    expect(res.status).toBe('ERROR');
    expect(res.message).toContain('settings (pgSslMode)');
    expect(res.message).toContain('settings (orchestratorUrls)');
  } finally {
    await ds.dispose();
  }
});
