// The HTTP discipline against a real server on loopback: status handling, zod errors naming the
// node + route + field, oversized bodies, timeouts, retries and the Bearer token placement.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { KiciSourceError } from './errors';
import { OrchestratorClient } from './orchestrator';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let base: string;
let handler: Handler;
const seen: Array<{ method?: string; url?: string; auth?: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, auth: req.headers.authorization });
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  seen.length = 0;
});

const json =
  (status: number, body: unknown): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req-1' });
    res.end(JSON.stringify(body));
  };

const client = (opts: Partial<ConstructorParameters<typeof OrchestratorClient>[0]> = {}) =>
  new OrchestratorClient({ baseUrl: base + '/', timeoutMs: 2000, adminToken: 'tok', ...opts });

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function failure(p: Promise<unknown>): Promise<KiciSourceError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(KiciSourceError);
    return err as KiciSourceError;
  }
  throw new Error('expected a failure');
}

describe('OrchestratorClient over real HTTP', () => {
  it('parses /health and keeps the request id; no token on unauthenticated routes', async () => {
    handler = json(200, { status: 'ok', timestamp: '2026-11-24T06:30:15.256Z', uptime: 53.3, version: '0.9.1' });
    const r = await client().health();
    expect(r.data.version).toBe('0.9.1');
    expect(r.requestId).toBe('req-1');
    expect(seen).toEqual([{ method: 'GET', url: '/health', auth: undefined }]);
  });

  it('sends the Bearer token on admin routes with the query string', async () => {
    handler = json(200, { events: [], limit: 10, nextCursor: null });
    const r = await client().dlqList({ limit: 10, before: '2026-11-24T06:35:18.398Z' });
    expect(r.data.limit).toBe(10);
    expect(seen[0].auth).toBe('Bearer tok');
    expect(seen[0].url).toBe('/api/v1/admin/event-dlq?limit=10&before=2026-11-24T06%3A35%3A18.398Z');
  });

  it('refuses an admin call without a token before touching the network', async () => {
    const err = await failure(client({ adminToken: null }).dlqCount());
    expect(err.failure).toBe('not-configured');
    expect(seen).toEqual([]);
  });

  it('treats 503 from /ready as an answer', async () => {
    handler = json(503, { status: 'not ready', checks: { database: false } });
    const r = await client().ready();
    expect(r.status).toBe(503);
    expect(r.data.checks.database).toBe(false);
  });

  it('names node, route and field when the body does not match', async () => {
    handler = json(200, {
      status: 'healthy',
      instanceId: 'orch-a',
      role: 'leader',
      term: 'x',
      leaderId: null,
      peerCount: 0,
      connectedPeers: 0,
      agentCount: 0,
      activeRuns: 0,
    });
    const err = await failure(client().clusterHealth());
    expect(err.failure).toBe('invalid-response');
    expect(err.message).toContain(base);
    expect(err.message).toContain('GET /cluster/health');
    expect(err.message).toMatch(/term: .*expected number/);
  });

  it('reports a non-JSON body', async () => {
    handler = (_req, res) => res.end('<html>proxy error</html>');
    const err = await failure(client().health());
    expect(err.failure).toBe('invalid-response');
    expect(err.message).toContain('not JSON (<html>proxy error</html>)');
  });

  it("maps 401 and 403 with KiCI's error text", async () => {
    handler = json(401, { error: 'Invalid or expired token' });
    let err = await failure(client().dlqCount());
    expect([err.failure, err.status]).toEqual(['auth', 401]);
    expect(err.message).toContain('Invalid or expired token');
    handler = json(403, { error: 'Role "auditor" does not have permission "event_dlq.manage"' });
    err = await failure(client().dlqRetry('16c3fcf6-a5b6-42a6-8917-700fc6bcdd84'));
    expect(err.failure).toBe('forbidden');
    expect(err.route).toBe('POST /api/v1/admin/event-dlq/16c3fcf6-a5b6-42a6-8917-700fc6bcdd84/retry');
  });

  it('stops reading an oversized body (streamed, no content-length)', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = 'x'.repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 200 && res.write(chunk)) {
          sent++;
        }
        if (sent < 200) {
          res.once('drain', pump);
        } else {
          res.end();
        }
      };
      pump();
    };
    const err = await failure(client({ maxResponseBytes: 256 * 1024 }).health());
    expect(err.failure).toBe('too-large');
    expect(err.message).toContain('larger than 262144 bytes');
  });

  it('times out a slow node without retrying', async () => {
    handler = (_req, res) => setTimeout(() => json(200, {})(_req, res), 1500).unref();
    const err = await failure(client({ timeoutMs: 200 }).health());
    expect(err.failure).toBe('timeout');
    expect(err.message).toContain('no answer within 200 ms');
    expect(seen).toHaveLength(1);
  });

  it('retries an idempotent GET once after a 502, never a POST', async () => {
    let n = 0;
    handler = (req, res) => (n++ === 0 ? json(502, { error: 'bad gateway' }) : json(200, { total: 3 }))(req, res);
    expect((await client().dlqCount()).data.total).toBe(3);
    expect(seen).toHaveLength(2);

    seen.length = 0;
    handler = json(502, { error: 'bad gateway' });
    const err = await failure(client().backendSync('vault-prod'));
    expect(err.status).toBe(502);
    expect(seen).toHaveLength(1);
  });

  it('reports an unreachable node by URL', async () => {
    const port = await closedPort();
    const dead = new OrchestratorClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 2000, adminToken: null });
    const err = await failure(dead.health());
    expect(err.failure).toBe('unreachable');
    expect(err.message).toBe(`http://127.0.0.1:${port} GET /health: cannot connect (ECONNREFUSED)`);
  });

  it("honours the caller's cancellation", async () => {
    handler = (_req, res) => setTimeout(() => json(200, {})(_req, res), 1500).unref();
    const ac = new AbortController();
    const p = client().health(ac.signal);
    setTimeout(() => ac.abort(), 50);
    const err = await failure(p);
    expect(err.failure).toBe('cancelled');
  });
});
