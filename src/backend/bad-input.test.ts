// Bad settings and bad queries are the user's 4xx naming what is wrong (issue 14 items 5 to 7).
import { KiciDatasource } from './datasource';
import { parseQueryModel } from './features/query-model';
import type { DataQuery, RequestContext } from './protocol/types';
import { datasourceSettings, silentLogger as log } from './protocol/testing';
import { PluginError } from './protocol/types';

const ctx = (): RequestContext => ({
  plugin: { orgId: 1, pluginId: 'kici-ops-datasource', pluginVersion: '0.1.0', grafanaConfig: {}, userAgent: '' },
  log,
  signal: new AbortController().signal,
});
const q = (queryType: string): DataQuery => ({
  refId: 'A',
  queryType,
  maxDataPoints: 100,
  intervalMs: 1000,
  timeRange: { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 0, 2) },
  json: { refId: 'A', queryType },
});
const DB_QUERIES = ['schemaInfo', 'dlqEvents', 'dlqDepth', 'eventDelivery', 'executionMetrics', 'executions'];

async function rejection(p: Promise<unknown>): Promise<PluginError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(PluginError);
    return e as PluginError;
  }
  throw new Error('expected a rejection');
}

describe('a query against invalid PostgreSQL settings names the invalid setting', () => {
  it.each([
    [{ pgPort: 'abc' }, 'pgPort: must be a whole decimal number'],
    [{ pgStatementTimeoutMs: -5 }, 'pgStatementTimeoutMs: '],
    [{ pgSslMode: 'bogus' }, 'pgSslMode: '],
  ])('%j', async (bad, named) => {
    const ds = new KiciDatasource(
      datasourceSettings({ pgHost: 'db', pgDatabase: 'kici', pgUser: 'reader', ...bad }, {}),
      log
    );
    for (const type of DB_QUERIES) {
      const err = await rejection(ds.query(q(type), ctx()));
      expect(err.status).toBe(400);
      expect(err.message).toContain(`PostgreSQL settings are invalid (${named}`);
      expect(err.message).not.toContain('set pgHost, pgDatabase and pgUser');
    }
    await ds.dispose();
  });

  it('still says what to set when PostgreSQL is not configured at all', async () => {
    const ds = new KiciDatasource(datasourceSettings({}, {}), log);
    const err = await rejection(ds.query(q('dlqDepth'), ctx()));
    expect(err.message).toContain('PostgreSQL is not configured');
    expect(err.message).toContain('set pgHost, pgDatabase and pgUser');
  });
});

describe('health reports every invalid setting', () => {
  it.each([
    [{ infrastructureCacheMs: -1 }, 'infrastructureCacheMs must be a whole number of milliseconds from 0 to 300000'],
    [{ infrastructureCacheMs: 1e12 }, 'infrastructureCacheMs must be a whole number of milliseconds from 0 to 300000'],
    [{ latestVersionSource: 'github' }, 'latestVersionSource must be fixed, npm or none (got "github")'],
  ])('%j', async (bad, shown) => {
    const ds = new KiciDatasource(datasourceSettings({ orchestratorUrls: [], ...bad }, {}), log);
    const res = await ds.checkHealth(ctx());
    expect(res.status).toBe('ERROR');
    expect(res.message).toContain(shown);
    await ds.dispose();
  });
});

describe('filters match the stored value exactly', () => {
  it('keeps leading and trailing spaces of a routing key', () => {
    expect(parseQueryModel({ routingKey: '  github:42 ' }).routingKey).toBe('  github:42 ');
  });
});
