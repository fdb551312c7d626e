// kici-sim over real HTTP against a real PostgreSQL (the jest-wide embedded one): every route's status and
// shape, auth and RBAC errors, DLQ mutations reaching the database, faults, the Platform DTOs.
import { createTestDatabase, type TestDatabase } from '../testing/postgres';
import { parseExposition, sampleValue } from './http/prom-text';
import { call, logSink } from './http/testing';
import { DLQ_BACKLOG_KNOWN } from './scenarios/dlq-backlog';
import { HEALTHY_SINGLE_KNOWN, healthyDlqIds } from './scenarios/healthy-single';
import { SECRETS_DEGRADED_KNOWN } from './scenarios/secrets-degraded';
import { startSim, type Sim } from './sim';

const NOT_FOUND_ID = '00000000-0000-4000-8000-000000000000';

describe('kici-sim healthy-single (0.9)', () => {
  let db: TestDatabase;
  let sim: Sim;
  let url: string;
  const logs = logSink();

  beforeAll(async () => {
    db = await createTestDatabase('sim_healthy');
    sim = await startSim({ scenario: 'healthy-single', pgUrl: db.url, logOut: logs.out });
    url = sim.nodes[0].url;
  });

  afterAll(async () => {
    await sim?.stop();
    await db?.drop();
  });

  // samples/logs/orchestrator-0.9.1.sample.jsonl: requests sent without an X-Request-ID log `Request completed` with
  // method, path, status and duration only; a caller-supplied X-Request-ID is what appears there as requestId (and
  // the only line it appears on). The response still carries a generated X-Request-ID header (contract §8).
  it('logs Request completed without a requestId when the caller sent no X-Request-ID', async () => {
    const r = await call(`${url}/cluster/health`);
    expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((done) => setTimeout(done, 50));
    const line = logs
      .lines()
      .filter((l) => l.message === 'Request completed' && l.path === '/cluster/health')
      .pop();
    expect(Object.keys(line!).sort()).toEqual([
      'duration',
      'level',
      'message',
      'method',
      'path',
      'service',
      'status',
      'timestamp',
    ]);
  });

  it('serves /health with the 0.9.1 build info and an X-Request-ID', async () => {
    const r = await call(`${url}/health`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const body = r.json();
    expect(Object.keys(body)).toEqual([
      'status',
      'timestamp',
      'uptime',
      'version',
      'buildDate',
      'buildCommit',
      'sdkVersion',
      'sdkBundleHash',
      'sharedVersion',
      'sharedBundleHash',
      'engineVersion',
      'engineBundleHash',
    ]);
    expect(body).toMatchObject({ status: 'ok', version: '0.9.1', buildCommit: '38c8c0e0b' });
    expect(typeof body.uptime).toBe('number');
    const echoed = await call(`${url}/health`, { headers: { 'x-request-id': 'trace-me-1' } });
    expect(echoed.headers['x-request-id']).toBe('trace-me-1');
  });

  it('serves /ready with the database and warm checks', async () => {
    const r = await call(`${url}/ready`);
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ status: 'ready', checks: { database: true, warm: true } });
  });

  it('serves /api/v1/capabilities, /cluster/health, /cluster/peers and /cluster/runs without auth', async () => {
    expect((await call(`${url}/api/v1/capabilities`)).json()).toEqual({
      orchestratorVersion: '0.9.1',
      protocolVersion: 1,
      minProtocolVersion: 1,
    });
    const health = (await call(`${url}/cluster/health`)).json();
    expect(health).toMatchObject({
      status: 'healthy',
      instanceId: 'orch-a',
      role: 'leader',
      leaderId: 'orch-a',
      peerCount: 0,
      connectedPeers: 0,
    });
    expect(health.agentCount).toBe(HEALTHY_SINGLE_KNOWN.roster.ready);
    expect((await call(`${url}/cluster/peers`)).json()).toEqual({ peers: [] });
    const runs = (await call(`${url}/cluster/runs`)).json();
    expect(runs.activeRuns).toHaveLength(1);
    expect(runs.activeRuns[0]).toMatchObject({ status: 'running', jobs: { total: expect.any(Number) } });
    expect(health.activeRuns).toBe(1);
  });

  it('serves /admin/diagnose without auth, always 200', async () => {
    const r = await call(`${url}/admin/diagnose`);
    expect(r.status).toBe(200);
    const d = r.json();
    expect(['healthy', 'degraded', 'unhealthy']).toContain(d.status);
    expect(d.checks[0]).toMatchObject({ name: 'Database connectivity', status: 'pass' });
    expect(d.checks.find((c: { name: string }) => c.name === 'Agent connectivity').details).toEqual({
      agentCount: HEALTHY_SINGLE_KNOWN.roster.ready,
    });
  });

  it('serves /admin/fleet-topology to any valid token and refuses anonymous callers', async () => {
    const anon = await call(`${url}/admin/fleet-topology`);
    expect(anon.status).toBe(401);
    expect(anon.json()).toEqual({ error: 'Missing authorization' });
    const r = await call(`${url}/admin/fleet-topology`, { token: sim.tokens.auditor });
    expect(r.status).toBe(200);
    const nodes = r.json().nodes;
    expect(nodes[0]).toMatchObject({
      kind: 'orchestrator',
      id: 'orch-a',
      role: 'coordinator',
      labels: {},
      parentId: null,
    });
    expect(nodes.filter((n: { kind: string }) => n.kind === 'agent')).toHaveLength(HEALTHY_SINGLE_KNOWN.roster.ready);
  });

  it('answers unknown routes with the plain-text 404 and unknown admin routes with 401 first', async () => {
    const r = await call(`${url}/`);
    expect(r.status).toBe(404);
    expect(r.headers['content-type']).toBe('text/plain; charset=UTF-8');
    expect(r.body).toBe('404 Not Found');
    const admin = await call(`${url}/api/v1/admin/nothing-here`);
    expect(admin.status).toBe(401);
    expect((await call(`${url}/api/v1/admin/nothing-here`, { token: sim.tokens.owner })).status).toBe(404);
  });

  it('serves /metrics as Prometheus text that agrees with the database', async () => {
    const r = await call(`${url}/metrics`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain');
    const f = parseExposition(r.body);
    // The single node is the Raft leader, so its DLQ depth gauge is fresh.
    expect(sampleValue(f, 'kici_orch_event_dlq_depth', { otel_scope_name: 'kici-orchestrator' })).toBe(
      await sim.store.dlqDepth()
    );
    expect(sampleValue(f, 'kici_orch_dispatch_queue_depth', { status: 'pending' })).toBe(
      HEALTHY_SINGLE_KNOWN.queuedJobs
    );
    expect(sampleValue(f, 'kici_orch_agents_active')).toBe(HEALTHY_SINGLE_KNOWN.roster.ready);
    // No lease has expired yet: like KiCI's OTel counter, the series does not exist before its first add().
    expect(f.has('kici_orch_event_lease_expirations_total')).toBe(false);
    expect(sampleValue(f, 'kici_agent_connection_status')).toBe(HEALTHY_SINGLE_KNOWN.roster.ready);
    const scalers = f.get('kici_agent_connection_status')!.samples.map((s) => s.labels.scaler);
    expect(scalers.sort()).toEqual(['container', 'stateful']);
    expect(f.get('target_info')!.samples[0].labels.service_name).toBe('kici-orchestrator');
  });

  describe('event DLQ API', () => {
    it('lists newest first with the Item shape, a limit and a cursor only on a full page', async () => {
      const r = await call(`${url}/api/v1/admin/event-dlq?limit=2`, { token: sim.tokens.auditor });
      expect(r.status).toBe(200);
      const page = r.json();
      expect(page.limit).toBe(2);
      expect(page.events.map((e: { id: string }) => e.id)).toEqual(healthyDlqIds().slice(0, 2));
      expect(page.nextCursor).toBe(page.events[1].dlqAt);
      expect(Object.keys(page.events[0])).toEqual([
        'id',
        'eventName',
        'payload',
        'sourceRepo',
        'sourceRoutingKey',
        'sourceRunId',
        'sourceJobId',
        'chainDepth',
        'createdAt',
        'dlqAt',
        'dlqReason',
        'attempts',
        'lastError',
      ]);
      const next = (
        await call(`${url}/api/v1/admin/event-dlq?limit=2&before=${encodeURIComponent(page.nextCursor)}`, {
          token: sim.tokens.auditor,
        })
      ).json();
      expect(next.events.map((e: { id: string }) => e.id)).toEqual(healthyDlqIds().slice(2, 4));
      const all = (await call(`${url}/api/v1/admin/event-dlq?before=not-a-date`, { token: sim.tokens.auditor })).json();
      expect(all).toMatchObject({ limit: 50, nextCursor: null });
      expect(all.events).toHaveLength(HEALTHY_SINGLE_KNOWN.dlqDepth);
    });

    it('counts, and filters by the routing key of a scoped token', async () => {
      expect((await call(`${url}/api/v1/admin/event-dlq/count`, { token: sim.tokens.auditor })).json()).toEqual({
        total: HEALTHY_SINGLE_KNOWN.dlqDepth,
      });
      expect((await call(`${url}/api/v1/admin/event-dlq/count`, { token: sim.tokens.scoped })).json()).toEqual({
        total: HEALTHY_SINGLE_KNOWN.dlqDepthScoped,
      });
      const scoped = (await call(`${url}/api/v1/admin/event-dlq`, { token: sim.tokens.scoped })).json();
      expect(scoped.events.every((e: { sourceRoutingKey: string }) => e.sourceRoutingKey === 'github:42')).toBe(true);
    });

    it('refuses missing, invalid, revoked and expired tokens with the exact 401 bodies', async () => {
      const missing = await call(`${url}/api/v1/admin/event-dlq`);
      expect([missing.status, missing.json()]).toEqual([401, { error: 'Missing authorization' }]);
      for (const token of ['f'.repeat(64), sim.tokens.revoked, sim.tokens.expired]) {
        const r = await call(`${url}/api/v1/admin/event-dlq`, { token });
        expect([r.status, r.json()]).toEqual([401, { error: 'Invalid or expired token' }]);
      }
    });

    it('refuses an auditor retry/discard with the exact 403 body and leaves the row alone', async () => {
      const id = healthyDlqIds()[0];
      for (const [method, path] of [
        ['POST', `/api/v1/admin/event-dlq/${id}/retry`],
        ['DELETE', `/api/v1/admin/event-dlq/${id}`],
      ]) {
        const r = await call(url + path, { method, token: sim.tokens.auditor });
        expect(r.status).toBe(403);
        expect(r.json()).toEqual({ error: 'Role "auditor" does not have permission "event_dlq.manage"' });
      }
      const { rows } = await sim.pool.query('SELECT dlq_at FROM kici_events WHERE id = $1', [id]);
      expect(rows[0].dlq_at).not.toBeNull();
    });

    it('refuses a scoped token on another routing key, 404s unknown ids and 400s malformed ones', async () => {
      const others = (await call(`${url}/api/v1/admin/event-dlq`, { token: sim.tokens.owner }))
        .json()
        .events.filter((e: { sourceRoutingKey: string | null }) => e.sourceRoutingKey !== 'github:42');
      expect(others.length).toBeGreaterThan(0);
      for (const e of others) {
        const r = await call(`${url}/api/v1/admin/event-dlq/${e.id}/retry`, {
          method: 'POST',
          token: sim.tokens.scoped,
        });
        expect(r.status).toBe(403);
        expect(r.json()).toEqual({
          error: 'Access denied: token is restricted to a single routing key and this request targets a different one',
        });
      }
      const missing = await call(`${url}/api/v1/admin/event-dlq/${NOT_FOUND_ID}/retry`, {
        method: 'POST',
        token: sim.tokens.admin,
      });
      expect([missing.status, missing.json()]).toEqual([404, { error: 'DLQ event not found' }]);
      const bad = await call(`${url}/api/v1/admin/event-dlq/not-a-uuid`, { method: 'DELETE', token: sim.tokens.admin });
      expect([bad.status, bad.json()]).toEqual([400, { error: 'Invalid request: malformed value for a typed field' }]);
    });

    it('retries through HTTP: the row leaves the DLQ exactly as KiCI resets it, audited and logged', async () => {
      const id = healthyDlqIds()[1];
      const r = await call(`${url}/api/v1/admin/event-dlq/${id}/retry`, {
        method: 'POST',
        token: sim.tokens.admin,
        headers: { 'x-request-id': 'e9b7c7a2-1111-4a4a-8b8b-000000000001' },
      });
      expect(r.status).toBe(200);
      expect(r.json()).toEqual({ retried: true, id });
      const { rows } = await sim.pool.query(
        'SELECT processed, dlq_at, dlq_reason, attempts, next_retry_at, last_error FROM kici_events WHERE id = $1',
        [id]
      );
      expect(rows[0]).toMatchObject({ processed: false, dlq_at: null, dlq_reason: null, attempts: 0 });
      expect(rows[0].next_retry_at).not.toBeNull();
      expect(rows[0].last_error).not.toBeNull();
      const audit = await sim.pool.query(
        `SELECT action, target_type, source, outcome FROM access_log WHERE target_id = $1`,
        [id]
      );
      expect(audit.rows).toEqual([
        { action: 'event_dlq.retry', target_type: 'event_dlq', source: 'admin_http', outcome: 'allowed' },
      ]);
      const again = await call(`${url}/api/v1/admin/event-dlq/${id}/retry`, {
        method: 'POST',
        token: sim.tokens.admin,
      });
      expect(again.status).toBe(404);
      const line = logs.lines().find((l) => l.requestId === 'e9b7c7a2-1111-4a4a-8b8b-000000000001');
      expect(line).toMatchObject({
        level: 'info',
        message: 'Request completed',
        method: 'POST',
        path: `/api/v1/admin/event-dlq/${id}/retry`,
        status: 200,
        service: 'orchestrator',
      });
      expect(line!.duration).toMatch(/^\d+ms$/);
    });

    it('discards through HTTP with a scoped token on its own routing key', async () => {
      const id = healthyDlqIds()[0];
      const before = (await call(`${url}/api/v1/admin/event-dlq/count`, { token: sim.tokens.owner })).json().total;
      const r = await call(`${url}/api/v1/admin/event-dlq/${id}`, { method: 'DELETE', token: sim.tokens.scoped });
      expect([r.status, r.json()]).toEqual([200, { discarded: true, id }]);
      expect((await sim.pool.query('SELECT 1 FROM kici_events WHERE id = $1', [id])).rowCount).toBe(0);
      expect((await call(`${url}/api/v1/admin/event-dlq/count`, { token: sim.tokens.owner })).json().total).toBe(
        before - 1
      );
      const metrics = parseExposition((await call(`${url}/metrics`)).body);
      expect(sampleValue(metrics, 'kici_orch_event_dlq_depth')).toBe(before - 1);
    });
  });

  describe('secret backends API (token + unscoped, no RBAC)', () => {
    it('lists and gets descriptors, 404s unknown names', async () => {
      const list = (await call(`${url}/api/v1/admin/backends`, { token: sim.tokens.auditor })).json();
      expect(list.backends.map((b: { name: string }) => b.name)).toEqual(['pg', 'vault-prod']);
      const one = await call(`${url}/api/v1/admin/backends/vault-prod`, { token: sim.tokens.auditor });
      expect(one.json()).toMatchObject({ name: 'vault-prod', backendType: 'vault', healthStatus: 'healthy' });
      const none = await call(`${url}/api/v1/admin/backends/nope`, { token: sim.tokens.auditor });
      expect([none.status, none.json()]).toEqual([404, { error: 'Backend not found' }]);
    });

    it('lets even an auditor sync and test, and refuses scoped tokens', async () => {
      const sync = await call(`${url}/api/v1/admin/backends/vault-prod/sync`, {
        method: 'POST',
        token: sim.tokens.auditor,
      });
      expect([sync.status, sync.json()]).toEqual([200, { synced: true, scopeCount: 14 }]);
      const { rows } = await sim.pool.query(`SELECT last_sync_at FROM secret_backends WHERE name = 'vault-prod'`);
      expect(Date.now() - rows[0].last_sync_at.getTime()).toBeLessThan(60_000);
      const test = (
        await call(`${url}/api/v1/admin/backends/pg/test`, { method: 'POST', token: sim.tokens.auditor })
      ).json();
      expect(test).toMatchObject({ ok: true, latencyMs: expect.any(Number) });
      const scoped = await call(`${url}/api/v1/admin/backends`, { token: sim.tokens.scoped });
      expect(scoped.status).toBe(403);
      expect(scoped.json()).toEqual({
        error:
          'Access denied: this route requires an unscoped admin token (the calling token is restricted to a single routing key)',
      });
    });
  });

  describe('Platform DTOs', () => {
    it('refuses a wrong token or org', async () => {
      const p = sim.spec.platform!;
      expect((await call(`${sim.platformUrl}/api/v1/orgs/${p.org}/diagnostics`)).status).toBe(401);
      expect((await call(`${sim.platformUrl}/api/v1/orgs/${p.org}/diagnostics`, { token: 'kpt_wrong' })).status).toBe(
        401
      );
      expect((await call(`${sim.platformUrl}/api/v1/orgs/other/diagnostics`, { token: p.token })).status).toBe(404);
    });

    it('reports the known execution metrics', async () => {
      const p = sim.spec.platform!;
      const summary = (await call(`${sim.platformUrl}/api/v1/orgs/${p.org}/diagnostics`, { token: p.token })).json();
      expect(summary).toEqual({
        connections: [],
        executionMetrics: {
          totalRuns: HEALTHY_SINGLE_KNOWN.totalRuns,
          successRate: 0.3333,
          avgDurationSeconds: HEALTHY_SINGLE_KNOWN.avgDurationS,
          queuedJobs: HEALTHY_SINGLE_KNOWN.queuedJobs,
          runningJobs: HEALTHY_SINGLE_KNOWN.runningJobs,
        },
        orphanedConnections: p.orphanedConnections,
      });
    });

    it('describes the same orchestrator and agents the node serves', async () => {
      const p = sim.spec.platform!;
      const infra = (
        await call(`${sim.platformUrl}/api/v1/orgs/${p.org}/diagnostics/infrastructure`, { token: p.token })
      ).json();
      const health = (await call(`${url}/cluster/health`)).json();
      const topo = (await call(`${url}/admin/fleet-topology`, { token: sim.tokens.owner })).json();
      expect(infra.orchestrators).toHaveLength(1);
      const o = infra.orchestrators[0];
      expect(o).toMatchObject({
        instanceId: health.instanceId,
        raftRole: health.role,
        raftTerm: health.term,
        agentCount: health.agentCount,
        connected: true,
      });
      expect(o.agents.map((a: { agentId: string }) => a.agentId).sort()).toEqual(
        topo.nodes
          .filter((n: { kind: string }) => n.kind === 'agent')
          .map((n: { id: string }) => n.id)
          .sort()
      );
      expect(
        o.statefulAgentCount + o.scalers.reduce((n: number, s: { activeAgents: number }) => n + s.activeAgents, 0)
      ).toBe(o.agentCount);
    });
  });

  describe('agent port', () => {
    it('serves /health, /ready and /metrics for an agent with serveHttp', async () => {
      const agentUrl = sim.agents[0].url;
      const health = await call(`${agentUrl}/health`);
      expect(health.headers['x-request-id']).toBeUndefined();
      expect(health.json()).toMatchObject({ status: 'ok', agentId: sim.agents[0].agentId, connected: true });
      expect((await call(`${agentUrl}/ready`)).json()).toEqual({ status: 'ready', checks: { connected: true } });
      const f = parseExposition((await call(`${agentUrl}/metrics`)).body);
      expect(sampleValue(f, 'kici_agent_connection_status', { otel_scope_name: 'kici-agent' })).toBe(1);
    });
  });
});

describe('kici-sim cluster-3', () => {
  let db: TestDatabase;
  let sim: Sim;
  const node = (id: string) => sim.nodes.find((n) => n.instanceId === id)!.url;

  beforeAll(async () => {
    db = await createTestDatabase('sim_cluster');
    sim = await startSim({ scenario: 'cluster-3', pgUrl: db.url });
  });

  afterAll(async () => {
    await sim?.stop();
    await db?.drop();
  });

  it('keeps the unreachable node closed and reports a degraded cluster from the others', async () => {
    await expect(call(`${node('orch-c')}/health`)).rejects.toThrow(/ECONNREFUSED/);
    const a = (await call(`${node('orch-a')}/cluster/health`)).json();
    const b = (await call(`${node('orch-b')}/cluster/health`)).json();
    expect(a).toMatchObject({
      status: 'degraded',
      role: 'leader',
      leaderId: 'orch-a',
      peerCount: 2,
      connectedPeers: 1,
    });
    expect(b).toMatchObject({ status: 'degraded', role: 'follower', leaderId: 'orch-a', term: a.term });
    const peers = (await call(`${node('orch-a')}/cluster/peers`)).json().peers;
    expect(peers.map((p: { instanceId: string; connected: boolean }) => [p.instanceId, p.connected])).toEqual([
      ['orch-b', true],
      ['orch-c', false],
    ]);
  });

  it('reports the DLQ depth gauge only from the leader (followers keep their initial 0)', async () => {
    const depth = await sim.store.dlqDepth();
    expect(depth).toBeGreaterThan(0);
    const a = parseExposition((await call(`${node('orch-a')}/metrics`)).body);
    const b = parseExposition((await call(`${node('orch-b')}/metrics`)).body);
    expect(sampleValue(a, 'kici_orch_event_dlq_depth')).toBe(depth);
    expect(sampleValue(b, 'kici_orch_event_dlq_depth')).toBe(0);
    // The shared-DB gauges agree everywhere.
    expect(sampleValue(a, 'kici_orch_dispatch_queue_depth', { status: 'pending' })).toBe(
      sampleValue(b, 'kici_orch_dispatch_queue_depth', { status: 'pending' })
    );
  });

  it('gives the Platform view the same nodes, leader and agent counts as the nodes themselves', async () => {
    const p = sim.spec.platform!;
    const infra = (
      await call(`${sim.platformUrl}/api/v1/orgs/${p.org}/diagnostics/infrastructure`, { token: p.token })
    ).json();
    const withConnection = sim.spec.nodes.filter((n) => n.platformConnectionId !== null).map((n) => n.instanceId);
    expect(infra.orchestrators.map((o: { instanceId: string }) => o.instanceId)).toEqual(withConnection);
    for (const o of infra.orchestrators) {
      const h = (await call(`${node(o.instanceId)}/cluster/health`)).json();
      expect(o).toMatchObject({
        agentCount: h.agentCount,
        raftLeaderId: h.leaderId,
        raftTerm: h.term,
        raftRole: h.role,
      });
    }
  });

  it('lets each node attribute each active run to exactly one coordinator', async () => {
    const counts = await Promise.all(
      ['orch-a', 'orch-b'].map(async (id) => (await call(`${node(id)}/cluster/runs`)).json().activeRuns.length)
    );
    const all = (await sim.store.activeRuns()).length;
    // orch-c is down, so its share is not served; the live nodes never double-count.
    expect(counts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(all);
    const ids = new Set<string>();
    for (const id of ['orch-a', 'orch-b']) {
      for (const r of (await call(`${node(id)}/cluster/runs`)).json().activeRuns) {
        expect(ids.has(r.runId)).toBe(false);
        ids.add(r.runId);
      }
    }
  });
});

describe('kici-sim faults', () => {
  let db: TestDatabase;
  let sim: Sim;
  let url: string;

  beforeAll(async () => {
    db = await createTestDatabase('sim_faults');
    sim = await startSim({ scenario: 'healthy-single', pgUrl: db.url });
    url = sim.nodes[0].url;
  });

  afterEach(async () => {
    for (const target of ['orch-a', sim.agents[0].agentId, 'platform']) {
      await sim.setFault(target, { mode: 'none' });
    }
  });

  afterAll(async () => {
    await sim?.stop();
    await db?.drop();
  });

  it('down closes the port and reopens the same URL', async () => {
    await sim.setFault('orch-a', { mode: 'down' });
    await expect(call(`${url}/health`)).rejects.toThrow(/ECONNREFUSED/);
    await sim.setFault('orch-a', { mode: 'none' });
    expect((await call(`${url}/health`)).status).toBe(200);
  });

  it('slow holds the answer back', async () => {
    await sim.setFault('orch-a', { mode: 'slow', delayMs: 5_000 });
    await expect(call(`${url}/health`, { timeoutMs: 200 })).rejects.toThrow('timeout');
  });

  it('slow still answers once the delay has passed', async () => {
    await sim.setFault('orch-a', { mode: 'slow', delayMs: 50 });
    const r = await call(`${url}/health`);
    expect(r.status).toBe(200);
    expect(r.json().status).toBe('ok');
  });

  it('garbage answers 200 with a body that is not JSON', async () => {
    await sim.setFault('orch-a', { mode: 'garbage' });
    const r = await call(`${url}/cluster/health`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(() => r.json()).toThrow();
    const metrics = await call(`${url}/metrics`);
    expect(() => parseExposition(metrics.body)).toThrow();
  });

  it('oversized answers 200 with a 20 MiB body', async () => {
    await sim.setFault('orch-a', { mode: 'oversized' });
    const r = await call(`${url}/health`, { keepChars: 64 });
    expect(r.status).toBe(200);
    expect(Number(r.headers['content-length'])).toBe(20 * 1024 * 1024);
    expect(r.bytes).toBe(20 * 1024 * 1024);
    expect(r.body.startsWith('{"padding":"xxx')).toBe(true);
  });

  it('error500 answers every route with KiCI 500 body', async () => {
    await sim.setFault('orch-a', { mode: 'error500' });
    for (const path of ['/health', '/metrics', '/api/v1/admin/event-dlq']) {
      const r = await call(url + path, { token: sim.tokens.owner });
      expect([r.status, r.json()]).toEqual([500, { error: 'Internal server error' }]);
    }
  });

  it('tls speaks TLS with a self-signed certificate where plain HTTP is expected', async () => {
    await sim.setFault('orch-a', { mode: 'tls' });
    await expect(call(`${url}/health`)).rejects.toThrow();
    const r = await call(`${url}/health`, { tls: true });
    expect(r.status).toBe(200);
    await sim.setFault('orch-a', { mode: 'none' });
    expect((await call(`${url}/health`)).status).toBe(200);
  });

  it('switches faults on agents and on the Platform too', async () => {
    const agent = sim.agents[0];
    await sim.setFault(agent.agentId, { mode: 'error500' });
    expect((await call(`${agent.url}/health`)).status).toBe(500);
    await sim.setFault('platform', { mode: 'down' });
    await expect(call(`${sim.platformUrl}/health`)).rejects.toThrow(/ECONNREFUSED/);
    const d = (await call(`${url}/admin/diagnose`)).json();
    expect(d.checks.find((c: { name: string }) => c.name === 'Platform connectivity').status).toBe('fail');
    await expect(sim.setFault('nobody', { mode: 'down' })).rejects.toThrow(/unknown fault target "nobody"/);
  });

  it('switches faults through the control port', async () => {
    const set = await call(`${sim.controlUrl}/__sim/fault`, {
      method: 'POST',
      body: JSON.stringify({ target: 'orch-a', mode: 'error500' }),
    });
    expect([set.status, set.json()]).toEqual([200, { target: 'orch-a', fault: { mode: 'error500' } }]);
    expect((await call(`${url}/health`)).status).toBe(500);
    const state = (await call(`${sim.controlUrl}/__sim/state`)).json();
    expect(state.targets.find((t: { target: string }) => t.target === 'orch-a')).toMatchObject({
      url,
      fault: { mode: 'error500' },
    });
    const bad = await call(`${sim.controlUrl}/__sim/fault`, {
      method: 'POST',
      body: JSON.stringify({ target: 'orch-a', mode: 'melt' }),
    });
    expect(bad.status).toBe(400);
    expect(bad.json().error).toMatch(/fault.mode must be one of/);
    const unknown = await call(`${sim.controlUrl}/__sim/fault`, {
      method: 'POST',
      body: JSON.stringify({ target: 'orch-z', mode: 'down' }),
    });
    expect(unknown.status).toBe(404);
    const notJson = await call(`${sim.controlUrl}/__sim/fault`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
  });
});

describe('kici-sim secrets-degraded and dlq-backlog', () => {
  it('answers Test and Sync for an unreachable Vault as KiCI does', async () => {
    const db = await createTestDatabase('sim_secrets');
    const sim = await startSim({ scenario: 'secrets-degraded', pgUrl: db.url });
    try {
      const url = sim.nodes[0].url;
      const name = SECRETS_DEGRADED_KNOWN.unreachable;
      const one = (await call(`${url}/api/v1/admin/backends/${name}`, { token: sim.tokens.auditor })).json();
      expect(one).toMatchObject({ healthStatus: 'unreachable', lastSyncError: SECRETS_DEGRADED_KNOWN.lastSyncError });
      const test = await call(`${url}/api/v1/admin/backends/${name}/test`, {
        method: 'POST',
        token: sim.tokens.auditor,
      });
      expect([test.status, test.json()]).toEqual([
        200,
        { ok: false, error: 'Backend status: unreachable', latencyMs: 5004 },
      ]);
      const sync = await call(`${url}/api/v1/admin/backends/${name}/sync`, { method: 'POST', token: sim.tokens.admin });
      expect([sync.status, sync.json()]).toEqual([200, { synced: true, scopeCount: 0 }]);
      const after = (await call(`${url}/api/v1/admin/backends/${name}`, { token: sim.tokens.auditor })).json();
      // The sync error is swallowed in the answer and lands in last_sync_error; Test never touches health_status.
      expect(after.healthStatus).toBe('unreachable');
      expect(after.lastSyncError).not.toBe(SECRETS_DEGRADED_KNOWN.lastSyncError);
      expect(after.lastSyncError).toEqual(expect.any(String));
    } finally {
      await sim.stop();
      await db.drop();
    }
  });

  it('counts on the leader the expired leases its retry scanner releases', async () => {
    const db = await createTestDatabase('sim_leases');
    const sim = await startSim({ scenario: 'dlq-backlog', pgUrl: db.url, live: { ratePerSec: 0.1 } });
    try {
      const url = sim.nodes[0].url;
      const before = parseExposition((await call(`${url}/metrics`)).body);
      expect(before.has('kici_orch_event_lease_expirations_total')).toBe(false);
      await sim.live!.scan();
      const after = parseExposition((await call(`${url}/metrics`)).body);
      expect(sampleValue(after, 'kici_orch_event_lease_expirations_total')).toBe(DLQ_BACKLOG_KNOWN.expiredLeases);
    } finally {
      await sim.stop();
      await db.drop();
    }
  });

  it('pages through a 120-event DLQ with cursors and no duplicates', async () => {
    const db = await createTestDatabase('sim_backlog');
    const sim = await startSim({ scenario: 'dlq-backlog', pgUrl: db.url });
    try {
      const url = sim.nodes[0].url;
      const seen = new Set<string>();
      let cursor: string | null = null;
      let pages = 0;
      do {
        const q: string = cursor ? `&before=${encodeURIComponent(cursor)}` : '';
        const page: { events: Array<{ id: string }>; nextCursor: string | null } = (
          await call(`${url}/api/v1/admin/event-dlq?limit=50${q}`, { token: sim.tokens.auditor })
        ).json();
        page.events.forEach((e) => seen.add(e.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(seen.size).toBe(DLQ_BACKLOG_KNOWN.dlqDepth);
      expect(pages).toBe(3);
      const scoped = (await call(`${url}/api/v1/admin/event-dlq/count`, { token: sim.tokens.scoped })).json();
      expect(scoped.total).toBe(DLQ_BACKLOG_KNOWN.byRoutingKey['github:42']);
    } finally {
      await sim.stop();
      await db.drop();
    }
  });
});

describe('kici-sim on an already seeded database', () => {
  it('refuses to seed twice, serves it with seed:false or seed:"if-empty"', async () => {
    const db = await createTestDatabase('sim_reseed');
    const first = await startSim({ scenario: 'healthy-single', pgUrl: db.url });
    await first.stop();
    try {
      await expect(startSim({ scenario: 'healthy-single', pgUrl: db.url })).rejects.toThrow(
        /already has a KiCI schema/
      );
      const again = await startSim({ scenario: 'healthy-single', pgUrl: db.url, seed: 'if-empty' });
      try {
        const r = await call(`${again.nodes[0].url}/api/v1/admin/event-dlq/count`, { token: again.tokens.auditor });
        expect(r.json()).toEqual({ total: HEALTHY_SINGLE_KNOWN.dlqDepth });
      } finally {
        await again.stop();
      }
    } finally {
      await db.drop();
    }
  });
});

describe('kici-sim without its database', () => {
  it('stays up: /health 200, /ready 503, /admin/diagnose unhealthy', async () => {
    const sim = await startSim({
      scenario: 'healthy-single',
      pgUrl: 'postgres://nobody:x@127.0.0.1:1/none',
      seed: false,
    });
    try {
      const url = sim.nodes[0].url;
      expect((await call(`${url}/health`)).status).toBe(200);
      const ready = await call(`${url}/ready`);
      expect([ready.status, ready.json()]).toEqual([
        503,
        { status: 'not ready', checks: { database: false, warm: true } },
      ]);
      const d = (await call(`${url}/admin/diagnose`)).json();
      expect(d.status).toBe('unhealthy');
      expect(d.checks[0]).toMatchObject({ name: 'Database connectivity', status: 'fail' });
      const dlq = await call(`${url}/api/v1/admin/event-dlq`, { token: sim.tokens.owner });
      expect([dlq.status, dlq.json()]).toEqual([500, { error: 'Internal server error' }]);
      expect(dlq.headers['x-request-id']).toBeDefined();
      // What KiCI keeps in memory is still served: metrics, the cluster view, the agents' own ports.
      const metrics = await call(`${url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(sampleValue(parseExposition(metrics.body), 'kici_orch_agents_active')).toBe(
        HEALTHY_SINGLE_KNOWN.roster.ready
      );
      expect((await call(`${url}/cluster/health`)).json()).toMatchObject({
        status: 'healthy',
        role: 'leader',
        leaderId: 'orch-a',
      });
      expect((await call(`${url}/cluster/runs`)).json()).toEqual({ activeRuns: [] });
      expect((await call(`${sim.agents[0].url}/ready`)).json()).toEqual({
        status: 'ready',
        checks: { connected: true },
      });
    } finally {
      await sim.stop();
    }
  });
});

describe('kici-sim healthy-single (0.1 layout)', () => {
  it('answers like a 0.1.24 orchestrator', async () => {
    const db = await createTestDatabase('sim_v01');
    const sim = await startSim({ scenario: 'healthy-single', layout: '0.1', pgUrl: db.url });
    try {
      const url = sim.nodes[0].url;
      expect((await call(`${url}/ready`)).json()).toEqual({ status: 'ready', checks: { database: true } });
      expect((await call(`${url}/health`)).json().version).toBe('0.1.24');
      const f = parseExposition((await call(`${url}/metrics`)).body);
      expect(f.has('kici_orch_ingest_inflight')).toBe(false);
      // 0.1.x labels re-exported agent series by scaler name, 0.9.1 by backend type.
      const labels = f.get('kici_agent_connection_status')!.samples.map((s) => s.labels.scaler);
      expect(labels).toContain(sim.spec.nodes[0].scalers[0].name);
      expect((await call(`${url}/api/v1/admin/event-dlq/count`, { token: sim.tokens.auditor })).json().total).toBe(
        HEALTHY_SINGLE_KNOWN.dlqDepth
      );
    } finally {
      await sim.stop();
      await db.drop();
    }
  });
});

describe('kici-sim live mode', () => {
  it('counts the runs and events live activity creates, per node and in agreement with the database', async () => {
    const db = await createTestDatabase('sim_live');
    const t0 = new Date();
    // A slow timer; the test advances the simulation itself.
    const sim = await startSim({ scenario: 'cluster-3', pgUrl: db.url, live: { ratePerSec: 0.1 } });
    try {
      for (let i = 0; i < 40; i++) {
        await sim.live!.step();
      }
      const { rows } = await sim.pool.query(`SELECT count(*)::int AS n FROM execution_runs WHERE created_at >= $1`, [
        t0,
      ]);
      expect(rows[0].n).toBeGreaterThan(0);
      let pending = 0;
      for (const n of sim.nodes.filter((x) => x.instanceId !== 'orch-c')) {
        const f = parseExposition((await call(`${n.url}/metrics`)).body);
        pending += sampleValue(f, 'kici_orch_executions_total', { status: 'pending' }) ?? 0;
      }
      // orch-c is down, so only the live coordinators' shares are scraped: never more than the DB holds.
      expect(pending).toBeGreaterThan(0);
      expect(pending).toBeLessThanOrEqual(rows[0].n);
    } finally {
      await sim.stop();
      await db.drop();
    }
  });
});
