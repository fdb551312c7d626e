// The health matrix (the `health` query) and orphaned connections against kici-sim: cluster-3 with
// one node down (the others answer, the down one carries the Common-issues hint and keeps its last
// success), agents probed on agentHealthPort, the Platform's /health, and the orphan findings.
import pg from 'pg';

import { startSim, type Sim } from '../../dev/kici-sim/sim';
import { createTestDatabase, type TestDatabase } from '../../dev/testing/postgres';
import { KiciDatasource } from '../../src/backend/datasource';
import { COMMON_ISSUES } from '../../src/backend/features/health/hints';
import type { OrphansReport } from '../../src/backend/features/orphans';
import { PLATFORM_WARNING } from '../../src/backend/features/orphans/findings';
import { datasourceSettings, silentLogger as log } from '../../src/backend/protocol/testing';
import type { Frame, RequestContext } from '../../src/backend/protocol/types';

jest.setTimeout(60_000);

const ctx = (): RequestContext => ({
  plugin: { orgId: 1, pluginId: 'kici-ops-datasource', pluginVersion: 'test', grafanaConfig: {}, userAgent: '' },
  log,
  signal: new AbortController().signal,
});

interface Env {
  db: TestDatabase;
  sim: Sim;
}

async function startEnv(scenario: string, layout: '0.9' | '0.1' = '0.9'): Promise<Env> {
  const db = await createTestDatabase(`matrix_${scenario.replace(/-/g, '_')}_${layout.replace('.', '')}`);
  const sim = await startSim({ scenario, layout, pgUrl: db.url });
  return { db, sim };
}

function datasource(
  env: Env,
  opts: { urls?: string[]; platform?: boolean; agentHealthPort?: number; platformUrl?: string } = {}
): KiciDatasource {
  const u = new URL(env.db.url);
  const jsonData: Record<string, unknown> = {
    pgHost: u.hostname,
    pgPort: Number(u.port),
    pgDatabase: u.pathname.slice(1),
    pgUser: u.username,
    orchestratorUrls: opts.urls ?? env.sim.nodes.map((n) => n.url),
    httpTimeoutMs: 10_000, // generous: a loaded CI machine must not turn a healthy node into a timeout
  };
  const secure: Record<string, string> = {
    pgPassword: decodeURIComponent(u.password),
    adminToken: env.sim.tokens.auditor,
  };
  if (opts.agentHealthPort !== undefined) {
    jsonData.agentHealthPort = opts.agentHealthPort;
  }
  if (opts.platform && env.sim.spec.platform) {
    jsonData.platformUrl = opts.platformUrl ?? env.sim.platformUrl;
    jsonData.platformOrg = env.sim.spec.platform.org;
    secure.platformToken = env.sim.spec.platform.token;
  }
  return new KiciDatasource(datasourceSettings(jsonData, secure), log);
}

interface Row {
  component: string;
  target: string;
  instance: string | null;
  status: string;
  latency_ms: number | null;
  message: string;
  hint: string;
  last_success: number | null;
  up: number | null;
}

async function matrix(ds: KiciDatasource): Promise<Row[]> {
  const res = await ds.query(
    {
      refId: 'H',
      queryType: 'health',
      maxDataPoints: 1,
      intervalMs: 1,
      timeRange: { from: 0, to: 1 },
      json: { refId: 'H', queryType: 'health' },
    },
    ctx()
  );
  const f: Frame = res.frames[0];
  const n = f.fields[0].values.length;
  return Array.from(
    { length: n },
    (_, i) => Object.fromEntries(f.fields.map((x) => [x.name, x.values[i]])) as unknown as Row
  );
}

async function orphans(ds: KiciDatasource): Promise<OrphansReport> {
  const res = await ds.callResource(
    {
      path: 'orphans',
      method: 'GET',
      url: '/orphans',
      query: new URLSearchParams(),
      headers: {},
      body: Buffer.alloc(0),
    },
    ctx()
  );
  expect(res.status).toBe(200);
  return res.body as OrphansReport;
}

const ORCH_ENDPOINTS = [
  'orchestrator /health',
  'orchestrator /ready',
  'orchestrator /cluster/health',
  'orchestrator /cluster/peers',
  'orchestrator /cluster/runs',
];

describe('cluster-3 with one node down', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv('cluster-3');
  });
  afterAll(async () => {
    await env?.sim.stop();
    await env?.db.drop();
  });

  it('checks every endpoint of every node; only the down one fails, with the hint and its last success', async () => {
    const down = env.sim.spec.nodes.find((n) => n.fault.mode === 'down')!;
    const downUrl = env.sim.nodes.find((n) => n.instanceId === down.instanceId)!.url;
    const others = env.sim.nodes.filter((n) => n.instanceId !== down.instanceId).map((n) => n.url);
    const ds = datasource(env);
    try {
      const rows = await matrix(ds);
      const of = (url: string) => rows.filter((r) => r.target === url && r.component.startsWith('orchestrator /'));
      // Grouped per node in settings order.
      expect(rows.filter((r) => r.component.startsWith('orchestrator /')).map((r) => r.target)).toEqual(
        env.sim.nodes.flatMap((n) => ORCH_ENDPOINTS.map(() => n.url))
      );
      for (const url of others) {
        const node = of(url);
        expect(node.map((r) => r.component)).toEqual(ORCH_ENDPOINTS);
        expect(node.filter((r) => r.component !== 'orchestrator /cluster/health').map((r) => r.status)).toEqual([
          'ok',
          'ok',
          'ok',
          'ok',
        ]);
        // A peer is down: the cluster is degraded, not failing.
        const ch = node.find((r) => r.component === 'orchestrator /cluster/health')!;
        expect(ch.status).toBe('warning');
        expect(ch.message).toMatch(
          /^degraded: orch-[ab] (leader|follower), leader orch-a, term 14, 1\/2 peers connected/
        );
        expect(node.find((r) => r.component === 'orchestrator /cluster/peers')!.message).toContain(
          `disconnected: ${down.instanceId}`
        );
        expect(node.every((r) => typeof r.last_success === 'number' && r.up === 1)).toBe(true);
      }
      // Each URL is named by the instance answering there; the down one by the peers advertising its address.
      for (const n of env.sim.nodes) {
        expect([...new Set(of(n.url).map((r) => r.instance))]).toEqual([n.instanceId]);
      }
      expect(rows.filter((r) => !r.component.startsWith('orchestrator /')).every((r) => r.instance === null)).toBe(
        true
      );
      const bad = of(downUrl);
      expect(bad.map((r) => r.status)).toEqual(['error', 'error', 'error', 'error', 'error']);
      for (const r of bad) {
        expect(r.message).toContain(`${downUrl} GET /${r.component.split(' /')[1]}: cannot connect`);
        expect(r.hint).toContain(COMMON_ISSUES.orchestratorDown);
        expect(r.last_success).toBeNull();
        expect(r.up).toBe(0);
      }

      // The node comes back, then goes down again: its last success is remembered by this instance.
      await env.sim.setFault(down.instanceId, { mode: 'none' });
      const back = (await matrix(ds)).filter((r) => r.target === downUrl && r.component === 'orchestrator /health')[0];
      expect(back.status).toBe('ok');
      expect(typeof back.last_success).toBe('number');
      await env.sim.setFault(down.instanceId, { mode: 'down' });
      const again = (await matrix(ds)).filter((r) => r.target === downUrl && r.component === 'orchestrator /health')[0];
      expect(again.status).toBe('error');
      expect(again.last_success).toBe(back.last_success);
    } finally {
      await ds.dispose();
    }
  });

  it('GET health/matrix serves the same rows as JSON', async () => {
    const ds = datasource(env);
    try {
      const res = await ds.callResource(
        {
          path: 'health/matrix',
          method: 'GET',
          url: '/health/matrix',
          query: new URLSearchParams(),
          headers: {},
          body: Buffer.alloc(0),
        },
        ctx()
      );
      expect(res.status).toBe(200);
      const checks = (res.body as { checks: Array<{ component: string; status: string; lastSuccess: number | null }> })
        .checks;
      expect(checks.filter((c) => c.component === 'orchestrator /cluster/runs').map((c) => c.status)).toEqual([
        'ok',
        'ok',
        'error',
      ]);
      expect(checks.every((c) => 'lastSuccess' in c)).toBe(true);
    } finally {
      await ds.dispose();
    }
  });

  it('orphans: the dead coordinator and the agent claims it left behind, as orchestrator analogues', async () => {
    const ds = datasource(env);
    try {
      const report = await orphans(ds);
      const by = Object.fromEntries(report.findings.map((f) => [f.kind, f]));
      expect(by.platform_orphaned_connections).toMatchObject({ status: 'not configured', count: null });
      expect(by.stale_agent_connections).toMatchObject({
        source: 'orchestrator analogue',
        count: 2,
        status: 'warning',
      });
      expect(by.ephemeral_awaiting_reaper.count).toBe(1);
      expect(by.dead_coordinators).toMatchObject({ count: 1, status: 'warning' });
      expect(report.items.filter((i) => i.kind === 'dead_coordinators').map((i) => i.id)).toEqual(['orch-c']);
      expect(report.items.filter((i) => i.kind === 'stale_agent_connections').every((i) => i.detail === 'orch-c')).toBe(
        true
      );
    } finally {
      await ds.dispose();
    }
  });
});

describe('healthy-single: agents, Platform, orphans', () => {
  let env: Env;
  let agentPort: number;
  beforeAll(async () => {
    env = await startEnv('healthy-single');
    const agent = env.sim.agents[0];
    agentPort = Number(new URL(agent.url).port);
    // Make the roster hostnames reachable on loopback: the agent that serves HTTP at 127.0.0.1, the other
    // connected agents at an address where nothing listens on that port.
    const c = new pg.Client({ connectionString: env.db.url });
    await c.connect();
    try {
      await c.query(
        `UPDATE host_roster SET hostname = CASE WHEN agent_id = $1 THEN '127.0.0.1' ELSE '127.0.0.2' END
          WHERE connected_instance_id IS NOT NULL`,
        [agent.agentId]
      );
    } finally {
      await c.end();
    }
  });
  afterAll(async () => {
    await env?.sim.stop();
    await env?.db.drop();
  });

  it('without agentHealthPort, agents are not probed and the matrix says so', async () => {
    const ds = datasource(env);
    try {
      const agents = (await matrix(ds)).filter((r) => r.component.startsWith('agent /'));
      expect(agents).toHaveLength(1);
      expect(agents[0]).toMatchObject({ component: 'agent /health', status: 'not configured', up: null });
      expect(agents[0].message).toContain('agentHealthPort is not set');
    } finally {
      await ds.dispose();
    }
  });

  it('probes the /health and /ready of every agent the roster lists as connected', async () => {
    const ds = datasource(env, { agentHealthPort: agentPort });
    try {
      const agents = (await matrix(ds)).filter((r) => r.component.startsWith('agent /'));
      const agentId = env.sim.agents[0].agentId;
      const ok = agents.filter((r) => r.target === `${agentId} (http://127.0.0.1:${agentPort})`);
      expect(ok.map((r) => [r.component, r.status])).toEqual([
        ['agent /health', 'ok'],
        ['agent /ready', 'ok'],
      ]);
      expect(ok[0].message).toMatch(/^KiCI agent 0\.9\.1, up .*, connected$/);
      expect(ok[1].message).toBe('ready (connected to orch-a)');
      // Two more connected agents (one of them stale) at an address with nothing listening; the
      // disconnected agent is not probed.
      const failing = agents.filter((r) => r.status === 'error');
      expect(failing).toHaveLength(4);
      expect(new Set(failing.map((r) => r.target.split(' ')[0]))).toEqual(
        new Set(['container-linux-x64-7f3e2a10', 'container-linux-x64-0c9d8e7f'])
      );
      for (const r of failing) {
        expect(r.message).toContain(`http://127.0.0.2:${agentPort} GET /`);
        expect(r.hint).toContain(COMMON_ISSUES.agentDown);
      }
      expect(agents.some((r) => r.target.startsWith('mac-mini-02'))).toBe(false);
    } finally {
      await ds.dispose();
    }
  });

  it('a connected-but-unready agent gets the "not connected or not pushed yet" hint', async () => {
    const agent = env.sim.agents[0];
    const ds = datasource(env, { agentHealthPort: agentPort });
    try {
      // The roster still names orch-a, but orch-a is down: the agent reports itself not connected.
      await env.sim.setFault(env.sim.nodes[0].instanceId, { mode: 'down' });
      const ready = (await matrix(ds)).find(
        (r) => r.component === 'agent /ready' && r.target.startsWith(agent.agentId)
      )!;
      expect(ready.status).toBe('error');
      expect(ready.message).toBe('not ready (HTTP 503): not connected to an orchestrator; host_roster names orch-a');
      expect(ready.hint).toBe(COMMON_ISSUES.agentNotConnected);
    } finally {
      await env.sim.setFault(env.sim.nodes[0].instanceId, { mode: 'none' });
      await ds.dispose();
    }
  });

  it('checks the Platform /health when configured, and names a wrong Platform URL', async () => {
    const ds = datasource(env, { platform: true });
    const wrong = datasource(env, { platform: true, platformUrl: 'http://127.0.0.1:1' });
    try {
      const rows = await matrix(ds);
      expect(rows.slice(-2).map((r) => [r.component, r.status])).toEqual([
        ['Platform', 'ok'],
        ['Platform /health', 'ok'],
      ]);
      const bad = (await matrix(wrong)).filter((r) => r.component.startsWith('Platform'));
      expect(bad.map((r) => r.status)).toEqual(['error', 'error']);
      expect(bad[1].hint).toContain(COMMON_ISSUES.platformDown);
    } finally {
      await ds.dispose();
      await wrong.dispose();
    }
  });

  it('orphans: the Platform count with the sweeper rule, and the roster analogues', async () => {
    const ds = datasource(env, { platform: true });
    try {
      const report = await orphans(ds);
      const by = Object.fromEntries(report.findings.map((f) => [f.kind, f]));
      expect(by.platform_orphaned_connections).toMatchObject({
        source: 'Platform',
        count: env.sim.spec.platform!.orphanedConnections,
        status: 'ok',
      });
      expect(by.platform_orphaned_connections.rule).toContain('older than 6 minutes');
      // c-0c9d8e7f: ephemeral, connected to orch-a, last seen 10 min ago.
      expect(by.stale_agent_connections).toMatchObject({ count: 1, status: 'warning' });
      expect(report.items).toEqual([
        expect.objectContaining({
          kind: 'stale_agent_connections',
          id: 'container-linux-x64-0c9d8e7f',
          detail: 'orch-a',
        }),
      ]);
      expect(by.ephemeral_awaiting_reaper.count).toBe(1);
      expect(by.ephemeral_past_reaper_ttl.count).toBe(0);
      expect(by.dead_coordinators).toMatchObject({ count: 0, status: 'ok' });
      expect(PLATFORM_WARNING).toContain('Platform instance instability');

      const res = await ds.query(
        {
          refId: 'O',
          queryType: 'orphanedConnections',
          maxDataPoints: 1,
          intervalMs: 1,
          timeRange: { from: 0, to: 1 },
          json: { refId: 'O' },
        },
        ctx()
      );
      const f = res.frames[0];
      expect(f.fields.find((x) => x.name === 'count')!.values).toEqual([0, 1, 1, 0, 0]);
      expect(f.fields.find((x) => x.name === 'source')!.values).toEqual([
        'Platform',
        'orchestrator analogue',
        'orchestrator analogue',
        'orchestrator analogue',
        'orchestrator analogue',
      ]);
    } finally {
      await ds.dispose();
    }
  });
});

describe('0.1 layout', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv('healthy-single', '0.1');
  });
  afterAll(async () => {
    await env?.sim.stop();
    await env?.db.drop();
  });

  it('has no coordinator heartbeat table: that finding is not available, the roster ones still are', async () => {
    const ds = datasource(env);
    try {
      const by = Object.fromEntries((await orphans(ds)).findings.map((f) => [f.kind, f]));
      expect(by.dead_coordinators).toMatchObject({ count: null, status: 'not available' });
      expect(by.stale_agent_connections.count).toBe(1);
    } finally {
      await ds.dispose();
    }
  });
});
