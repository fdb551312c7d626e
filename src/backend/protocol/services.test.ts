import * as grpc from '@grpc/grpc-js';
import { tableFromIPC } from 'apache-arrow';

import { loadProtocol } from './descriptor';
import { createLogger } from './logger';
import { type RunningServer, startServer } from './server';
import {
  type DatasourceInstance,
  type DatasourcePlugin,
  type DataQuery,
  PluginError,
  type RequestContext,
} from './types';
import { toResourceMessages } from './wire';

// The services over a real gRPC connection on loopback, with a small fake plugin.

type Unary = (req: unknown, cb: (err: grpc.ServiceError | null, res: any) => void) => void;

interface Recorded {
  created: string[];
  disposed: string[];
  contexts: RequestContext[];
  queries: DataQuery[];
  aborted: string[];
}

function fakePlugin(rec: Recorded): DatasourcePlugin {
  return {
    createInstance(settings): DatasourceInstance {
      const label = `${settings.uid}@${settings.lastUpdatedMS}`;
      rec.created.push(label);
      return {
        async checkHealth(ctx) {
          rec.contexts.push(ctx);
          const js = settings.jsonData as { healthy?: boolean; throw?: boolean; weird?: boolean };
          if (js.weird) {
            return { status: 'FINE' as 'OK', message: '' };
          }
          if (js.throw) {
            throw new Error('database unreachable');
          }
          return js.healthy
            ? { status: 'OK', message: 'all good', details: { checks: [{ name: 'db', ok: true }] } }
            : { status: 'ERROR', message: 'nothing configured' };
        },
        async query(q, ctx) {
          rec.queries.push(q);
          rec.contexts.push(ctx);
          const model = q.json as { kind?: string; rows?: number };
          switch (model?.kind) {
            case 'boom':
              throw new Error('kaput');
            case 'leaky':
              throw new Error('connect http://kici:Pa55w0rd@db:5432/x?token=T0ken failed');
            case 'downstream':
              throw new PluginError('orchestrator answered 503', 502, 'downstream');
            case 'badframe':
              return { frames: [{ name: 'x', fields: [{ name: 'v', type: 'number', values: ['nope'] }] }] };
            case 'hang':
              return new Promise(() => {});
            case 'wait':
              await new Promise<void>((resolve) => {
                ctx.signal.addEventListener('abort', () => {
                  rec.aborted.push(q.refId);
                  resolve();
                });
              });
              throw new Error('cancelled');
            default:
              return {
                frames: [
                  {
                    name: `frame-${q.refId}`,
                    fields: [
                      { name: 'time', type: 'time', values: [q.timeRange.from, q.timeRange.to] },
                      { name: 'value', type: 'number', values: [1, model?.rows ?? 2] },
                    ],
                  },
                ],
              };
          }
        },
        async callResource(req) {
          if (req.path === 'echo') {
            return {
              status: 201,
              headers: { 'X-Kind': ['echo'] },
              body: {
                method: req.method,
                q: req.query.get('q'),
                body: req.body.toString(),
                header: req.headers['X-Test']?.[0],
              },
            };
          }
          if (req.path === 'big') {
            return { status: 200, body: Buffer.alloc(1_200_000, 7) };
          }
          if (req.path === 'forbidden') {
            throw new PluginError('Viewer may not retry DLQ events', 403);
          }
          if (req.path === 'crash') {
            throw new Error('resource crashed');
          }
          return { status: 404, body: { error: `no resource ${req.path}` } };
        },
        async dispose() {
          rec.disposed.push(label);
        },
      };
    },
    async collectMetrics() {
      return '# TYPE kici_fake gauge\nkici_fake 7';
    },
  };
}

function ctx(uid = 'ds1', jsonData: unknown = {}, lastUpdatedMS = 1, role = 'Editor') {
  return {
    orgId: 1,
    pluginId: 'kici-ops-datasource',
    user: { login: 'ana', name: 'Ana', email: 'ana@example.com', role },
    dataSourceInstanceSettings: {
      id: 3,
      uid,
      name: 'KiCI',
      jsonData: Buffer.from(JSON.stringify(jsonData)),
      decryptedSecureJsonData: { adminToken: 's3cret' },
      lastUpdatedMS,
    },
    grafanaConfig: { app_url: 'http://grafana' },
    pluginVersion: '0.1.0',
    userAgent: 'Grafana/12.4.2',
  };
}

describe('protocol services over gRPC', () => {
  let server: RunningServer;
  let rec: Recorded;
  let logLines: string[];
  let clients: { data: any; diag: any; res: any; health: any; stdio: any; ctl: any };

  beforeEach(async () => {
    rec = { created: [], disposed: [], contexts: [], queries: [], aborted: [] };
    logLines = [];
    server = await startServer(fakePlugin(rec), {
      log: createLogger({ level: 'debug', write: (l) => logLines.push(l) }),
      processMetrics: false,
    });
    const p = loadProtocol();
    const address = `127.0.0.1:${(server.listener as { port: number }).port}`;
    const creds = grpc.credentials.createInsecure();
    const opts = { 'grpc.max_receive_message_length': -1 };
    clients = {
      data: new p.pluginv2.Data(address, creds, opts),
      diag: new p.pluginv2.Diagnostics(address, creds, opts),
      res: new p.pluginv2.Resource(address, creds, opts),
      health: new p.health.Health(address, creds),
      stdio: new p.goplugin.GRPCStdio(address, creds),
      ctl: new p.goplugin.GRPCController(address, creds),
    };
  });

  afterEach(async () => {
    for (const c of Object.values(clients)) {
      c.close();
    }
    await server.stop();
  });

  const unary = (client: any, method: string, req: unknown): Promise<any> =>
    new Promise((resolve, reject) =>
      (client[method].bind(client) as Unary)(req, (err, res) => (err ? reject(err) : resolve(res)))
    );

  const resourceCall = (req: unknown): Promise<any[]> =>
    new Promise((resolve, reject) => {
      const out: any[] = [];
      const stream = clients.res.CallResource(req);
      stream.on('data', (m: any) => out.push(m));
      stream.on('error', reject);
      stream.on('end', () => resolve(out));
    });

  const query = (refId: string, json: unknown, extra: Record<string, unknown> = {}) => ({
    refId,
    queryType: 'dlqDepth',
    maxDataPoints: 100,
    intervalMS: 1000,
    timeRange: { fromEpochMS: 1767225600000, toEpochMS: 1767229200000 },
    json: Buffer.from(typeof json === 'string' ? json : JSON.stringify(json)),
    ...extra,
  });

  it('answers every refId and fails only the broken ones', async () => {
    const res = await unary(clients.data, 'QueryData', {
      pluginContext: ctx(),
      queries: [
        query('A', { rows: 5 }),
        query('B', { kind: 'boom' }),
        query('C', { kind: 'downstream' }),
        query('D', { kind: 'badframe' }),
        query('E', '{not json'),
      ],
    });
    expect(Object.keys(res.responses).sort()).toEqual(['A', 'B', 'C', 'D', 'E']);

    const a = res.responses.A;
    expect([a.error, a.status, a.frames.length]).toEqual(['', 200, 1]);
    const table = tableFromIPC(a.frames[0]);
    expect(table.schema.metadata.get('refId')).toBe('A');
    expect(table.schema.metadata.get('name')).toBe('frame-A');
    expect(table.getChild('time')!.toArray()).toEqual(new BigInt64Array([1767225600000000000n, 1767229200000000000n]));
    expect(Array.from(table.getChild('value')!.toArray())).toEqual([1, 5]);

    expect(res.responses.B).toMatchObject({ error: 'kaput', status: 500, errorSource: 'plugin', frames: [] });
    expect(res.responses.C).toMatchObject({
      error: 'orchestrator answered 503',
      status: 502,
      errorSource: 'downstream',
    });
    expect(res.responses.D.status).toBe(500);
    expect(res.responses.D.error).toContain('field "v" (number) row 0');

    const e = rec.queries.find((q) => q.refId === 'E')!;
    expect(e.json).toBeUndefined();
    expect(e.jsonError).toMatch(/^query JSON is not valid/);
    expect(res.responses.E.status).toBe(200);

    const qa = rec.queries.find((q) => q.refId === 'A')!;
    expect(qa).toMatchObject({
      queryType: 'dlqDepth',
      maxDataPoints: 100,
      intervalMs: 1000,
      timeRange: { from: 1767225600000, to: 1767229200000 },
      json: { rows: 5 },
    });
  });

  it('maps the PluginContext, including secrets, and never logs them', async () => {
    await unary(clients.data, 'QueryData', { pluginContext: ctx('ds9', { a: 1 }), queries: [query('A', {})] });
    const pc = rec.contexts[0].plugin;
    expect(pc).toMatchObject({
      orgId: 1,
      pluginId: 'kici-ops-datasource',
      pluginVersion: '0.1.0',
      userAgent: 'Grafana/12.4.2',
      grafanaConfig: { app_url: 'http://grafana' },
      user: { login: 'ana', name: 'Ana', email: 'ana@example.com', role: 'Editor' },
      datasource: {
        id: 3,
        uid: 'ds9',
        name: 'KiCI',
        jsonData: { a: 1 },
        decryptedSecureJsonData: { adminToken: 's3cret' },
        lastUpdatedMS: 1,
      },
    });
    expect(logLines.join('\n')).not.toContain('s3cret');
  });

  it('runs the queries of one request concurrently and aborts them on cancellation', async () => {
    const call = clients.data.QueryData(
      { pluginContext: ctx(), queries: [query('A', { kind: 'wait' }), query('B', { kind: 'wait' })] },
      () => {}
    );
    while (rec.queries.length < 2) {
      await new Promise((r) => setTimeout(r, 5));
    }
    call.cancel();
    while (rec.aborted.length < 2) {
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(rec.aborted.sort()).toEqual(['A', 'B']);
  });

  it('fails every refId clearly when the settings are unusable', async () => {
    const bad = {
      ...ctx(),
      dataSourceInstanceSettings: { ...ctx().dataSourceInstanceSettings, jsonData: Buffer.from('{') },
    };
    const res = await unary(clients.data, 'QueryData', {
      pluginContext: bad,
      queries: [query('A', {}), query('B', {})],
    });
    expect(res.responses.A).toMatchObject({ status: 400, errorSource: 'plugin' });
    expect(res.responses.A.error).toMatch(/^datasource jsonData is not valid JSON/);
    expect(res.responses.B.status).toBe(400);

    const none = await unary(clients.data, 'QueryData', { pluginContext: { orgId: 1 }, queries: [query('A', {})] });
    expect(none.responses.A).toMatchObject({ status: 400, error: 'the request carries no datasource settings' });
  });

  it('reuses the instance per datasource and replaces it when lastUpdatedMS changes', async () => {
    await unary(clients.data, 'QueryData', { pluginContext: ctx('x', {}, 1), queries: [query('A', {})] });
    await unary(clients.data, 'QueryData', { pluginContext: ctx('x', {}, 1), queries: [query('A', {})] });
    await unary(clients.data, 'QueryData', { pluginContext: ctx('x', {}, 2), queries: [query('A', {})] });
    await new Promise((r) => setImmediate(r));
    expect(rec.created).toEqual(['x@1', 'x@2']);
    expect(rec.disposed).toEqual(['x@1']);
  });

  it('CheckHealth maps OK, ERROR and a throwing check', async () => {
    const ok = await unary(clients.diag, 'CheckHealth', { pluginContext: ctx('h', { healthy: true }) });
    expect(ok.status).toBe('OK');
    expect(ok.message).toBe('all good');
    expect(JSON.parse(ok.jsonDetails.toString())).toEqual({ checks: [{ name: 'db', ok: true }] });

    const err = await unary(clients.diag, 'CheckHealth', { pluginContext: ctx('h2', {}) });
    expect([err.status, err.message, err.jsonDetails.length]).toEqual(['ERROR', 'nothing configured', 0]);

    const threw = await unary(clients.diag, 'CheckHealth', { pluginContext: ctx('h3', { throw: true }) });
    expect([threw.status, threw.message]).toEqual(['ERROR', 'Health check failed: database unreachable']);

    const weird = await unary(clients.diag, 'CheckHealth', { pluginContext: ctx('h4', { weird: true }) });
    expect([weird.status, weird.message]).toEqual(['ERROR', 'the plugin answered an unknown health status FINE']);
  });

  it('CallResource streams code, headers and a JSON body', async () => {
    const msgs = await resourceCall({
      pluginContext: ctx(),
      path: '/echo',
      method: 'post',
      url: 'echo?q=hello%20world',
      headers: { 'X-Test': { values: ['yes'] } },
      body: Buffer.from('payload'),
    });
    expect(msgs).toHaveLength(1);
    expect(msgs[0].code).toBe(201);
    expect(msgs[0].headers['Content-Type'].values).toEqual(['application/json']);
    expect(msgs[0].headers['X-Kind'].values).toEqual(['echo']);
    expect(JSON.parse(msgs[0].body.toString())).toEqual({
      method: 'POST',
      q: 'hello world',
      body: 'payload',
      header: 'yes',
    });
  });

  it('CallResource chunks large bodies and turns errors into JSON statuses', async () => {
    const big = await resourceCall({ pluginContext: ctx(), path: 'big', method: 'GET', url: 'big' });
    expect(big.map((m) => m.body.length)).toEqual([524288, 524288, 151424]);
    expect(big[0].code).toBe(200);
    expect(Buffer.concat(big.map((m) => m.body)).equals(Buffer.alloc(1_200_000, 7))).toBe(true);

    const cases: Array<[string, number, string]> = [
      ['nowhere/at/all', 404, 'no resource nowhere/at/all'],
      ['forbidden', 403, 'Viewer may not retry DLQ events'],
      ['crash', 500, 'resource crashed'],
    ];
    for (const [path, code, error] of cases) {
      const [m] = await resourceCall({ pluginContext: ctx(), path, method: 'GET', url: path });
      expect([m.code, JSON.parse(m.body.toString()).error]).toEqual([code, error]);
    }
  });

  it('CollectMetrics returns its own counters plus the plugin text', async () => {
    await unary(clients.data, 'QueryData', {
      pluginContext: ctx(),
      queries: [query('A', {}), query('B', { kind: 'boom' })],
    });
    await resourceCall({ pluginContext: ctx(), path: 'random-junk', method: 'GET', url: '' });
    const res = await unary(clients.diag, 'CollectMetrics', {});
    const text = res.metrics.prometheus.toString();
    expect(text).toContain('plugin_calls_total{service="QueryData",endpoint="dlqDepth"} 2');
    expect(text).toContain('plugin_call_errors_total{service="QueryData",endpoint="dlqDepth"} 1');
    expect(text).toContain('plugin_calls_total{service="CallResource",endpoint="not_found"} 1');
    expect(text).toContain('plugin_active_instances 1');
    expect(text).toContain('kici_fake 7');
  });

  it('answers calls in flight when Shutdown arrives (their signal aborts) and refuses nothing half-done', async () => {
    const pending = unary(clients.data, 'QueryData', {
      pluginContext: ctx('inflight'),
      queries: [query('A', { kind: 'wait' }), query('B', {})],
    });
    while (!rec.queries.some((q) => q.refId === 'A')) {
      await new Promise((r) => setTimeout(r, 5));
    }
    await unary(clients.ctl, 'Shutdown', {});
    const res = await pending;
    expect(rec.aborted).toEqual(['A']);
    expect(res.responses.A).toMatchObject({ error: 'cancelled', status: 500 });
    expect(res.responses.B).toMatchObject({ error: '', status: 200 });
    await server.stop();
    expect(rec.disposed).toEqual(['inflight@1']);
  });

  it('stops within its budget even when a query ignores cancellation', async () => {
    const pending = unary(clients.data, 'QueryData', {
      pluginContext: ctx('stuck'),
      queries: [query('A', { kind: 'hang' })],
    });
    const outcome = pending.then(
      () => 'answered',
      (err: grpc.ServiceError) => grpc.status[err.code]
    );
    while (!rec.queries.length) {
      await new Promise((r) => setTimeout(r, 5));
    }
    await server.stop();
    expect(await outcome).toMatch(/^(CANCELLED|UNAVAILABLE)$/);
    expect(rec.disposed).toEqual(['stuck@1']);
  });

  it('redacts URL credentials, query and fragment in every error message it answers (issue 14 item 2)', async () => {
    const res = await unary(clients.data, 'QueryData', {
      pluginContext: ctx(),
      queries: [query('L', { kind: 'leaky' })],
    });
    expect(res.responses.L.error).toBe('connect http://[redacted]@db:5432/x?[redacted] failed');
  });

  it('serves grpc health for "plugin", an idle stdio stream, and Shutdown', async () => {
    expect((await unary(clients.health, 'Check', { service: 'plugin' })).status).toBe('SERVING');
    await expect(unary(clients.health, 'Check', { service: 'other' })).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
    });
    const stdio = clients.stdio.StreamStdio({});
    const got: unknown[] = [];
    stdio.on('data', (d: unknown) => got.push(d));
    const ended = new Promise((resolve) => stdio.on('end', resolve).on('error', resolve));

    await unary(clients.data, 'QueryData', { pluginContext: ctx('s'), queries: [query('A', {})] });
    await unary(clients.ctl, 'Shutdown', {});
    await ended;
    await server.stop();
    expect(got).toEqual([]);
    expect(rec.disposed).toEqual(['s@1']);
  });
});

describe('toResourceMessages', () => {
  it('keeps a content type the plugin set and types strings and buffers', () => {
    expect(
      toResourceMessages({ status: 200, headers: { 'content-type': ['text/csv'] }, body: 'a,b' })[0].headers
    ).toEqual({
      'content-type': { values: ['text/csv'] },
    });
    expect(toResourceMessages({ status: 200, body: 'hi' })[0].headers!['Content-Type'].values).toEqual([
      'text/plain; charset=utf-8',
    ]);
    const empty = toResourceMessages({ status: 204 });
    expect([empty.length, empty[0].code, empty[0].body.length, empty[0].headers]).toEqual([1, 204, 0, {}]);
  });
});

describe('a plugin loaded after the handshake', () => {
  const p = loadProtocol();
  const creds = grpc.credentials.createInsecure();

  async function withServer(source: Parameters<typeof startServer>[0], body: (address: string) => Promise<void>) {
    const server = await startServer(source, { log: createLogger({ write: () => {} }), processMetrics: false });
    try {
      await body(`127.0.0.1:${(server.listener as { port: number }).port}`);
    } finally {
      await server.stop();
    }
  }
  const call = (client: any, method: string, req: unknown): Promise<any> =>
    new Promise((resolve, reject) => client[method](req, (e: Error | null, r: any) => (e ? reject(e) : resolve(r))));

  it('makes early calls wait for the plugin', async () => {
    let resolvePlugin!: (p: DatasourcePlugin) => void;
    const rec: Recorded = { created: [], disposed: [], contexts: [], queries: [], aborted: [] };
    await withServer(
      () => new Promise<DatasourcePlugin>((resolve) => (resolvePlugin = resolve)),
      async (address) => {
        const diag = new p.pluginv2.Diagnostics(address, creds);
        const pending = call(diag, 'CheckHealth', { pluginContext: ctx('late', { healthy: true }) });
        await new Promise((r) => setTimeout(r, 50));
        expect(rec.created).toEqual([]);
        resolvePlugin(fakePlugin(rec));
        expect((await pending).status).toBe('OK');
        expect(rec.created).toEqual(['late@1']);
        diag.close();
      }
    );
  });

  it('answers every call with the load error when the plugin cannot load', async () => {
    await withServer(
      async () => {
        throw new Error('Cannot find module pg');
      },
      async (address) => {
        const data = new p.pluginv2.Data(address, creds);
        const diag = new p.pluginv2.Diagnostics(address, creds);
        const res = await call(data, 'QueryData', {
          pluginContext: ctx(),
          queries: [{ refId: 'A', json: Buffer.from('{}') }],
        });
        expect(res.responses.A).toMatchObject({ error: 'Cannot find module pg', status: 500 });
        const health = await call(diag, 'CheckHealth', { pluginContext: ctx() });
        expect([health.status, health.message]).toEqual(['ERROR', 'Health check failed: Cannot find module pg']);
        const metrics = await call(diag, 'CollectMetrics', {});
        expect(metrics.metrics.prometheus.toString()).toContain('plugin_calls_total');
        data.close();
        diag.close();
      }
    );
  });
});
