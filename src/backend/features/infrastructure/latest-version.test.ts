// The npm source against a loopback stub registry (never the real registry.npmjs.org).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createLatestVersionResolver, NPM_CACHE_MS, NPM_FAILURE_CACHE_MS } from './latest-version';
import type { InfrastructureSettings } from './settings';

let server: Server;
let url: string;
let hits: string[] = [];
let answer: { status: number; body: string } = { status: 200, body: '' };

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(answer.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  hits = [];
  answer = {
    status: 200,
    body: JSON.stringify({
      name: '@kici-dev/orchestrator',
      'dist-tags': { latest: '0.9.1' },
      versions: { '0.9.1': {} },
    }),
  };
});

const settings = (s: Partial<InfrastructureSettings>): InfrastructureSettings => ({
  latestVersionSource: null,
  latestVersion: null,
  npmRegistryUrl: url,
  agentHealthPort: null,
  cacheMs: 5000,
  ...s,
});

describe('latest version', () => {
  it('npm: reads dist-tags.latest of @kici-dev/orchestrator once per hour, shared by concurrent callers', async () => {
    let now = 1_000_000;
    const r = createLatestVersionResolver(settings({ latestVersionSource: 'npm' }), {
      timeoutMs: 2000,
      now: () => now,
    });
    const [a, b] = await Promise.all([r.resolve(undefined), r.resolve('9.9.9')]);
    expect(a).toEqual({ version: '0.9.1', source: 'npm', error: null });
    expect(b).toEqual(a);
    expect(hits).toEqual(['/@kici-dev/orchestrator']);
    now += NPM_CACHE_MS - 1;
    await r.resolve(undefined);
    expect(hits).toHaveLength(1);
    now += 2;
    answer.body = JSON.stringify({ 'dist-tags': { latest: '0.9.2' } });
    expect((await r.resolve(undefined)).version).toBe('0.9.2');
    expect(hits).toHaveLength(2);
  });

  it('npm: a failure is reported, cached briefly, then retried', async () => {
    let now = 0;
    answer = { status: 404, body: '{"error":"Not found"}' };
    const r = createLatestVersionResolver(settings({ latestVersionSource: 'npm' }), {
      timeoutMs: 2000,
      now: () => now,
    });
    const first = await r.resolve(undefined);
    expect(first.version).toBeNull();
    expect(first.error).toBe(`latest version from npm: ${url} GET /@kici-dev/orchestrator: HTTP 404: Not found`);
    await r.resolve(undefined);
    expect(hits).toHaveLength(1);
    now += NPM_FAILURE_CACHE_MS;
    answer = { status: 200, body: JSON.stringify({ 'dist-tags': { latest: '0.9.1' } }) };
    expect((await r.resolve(undefined)).version).toBe('0.9.1');
  });

  it('npm: a body without dist-tags is an error naming the field', async () => {
    answer.body = '{"name":"x"}';
    const r = createLatestVersionResolver(settings({ latestVersionSource: 'npm' }), { timeoutMs: 2000 });
    expect((await r.resolve(undefined)).error).toContain('dist-tags');
  });

  it('fixed and none never touch the network; unset follows the Platform', async () => {
    const fixed = createLatestVersionResolver(settings({ latestVersionSource: 'fixed', latestVersion: '0.9.1' }), {
      timeoutMs: 1,
    });
    expect(await fixed.resolve('0.9.0')).toEqual({ version: '0.9.1', source: 'fixed', error: null });
    const none = createLatestVersionResolver(settings({ latestVersionSource: 'none' }), { timeoutMs: 1 });
    expect(await none.resolve('0.9.0')).toEqual({ version: null, source: 'none', error: null });
    const unset = createLatestVersionResolver(settings({}), { timeoutMs: 1 });
    expect(await unset.resolve('0.9.0')).toEqual({ version: '0.9.0', source: 'platform', error: null });
    expect(await unset.resolve(null)).toEqual({ version: null, source: 'platform', error: null });
    expect(await unset.resolve(undefined)).toEqual({ version: null, source: 'none', error: null });
    expect(hits).toEqual([]);
  });
});
