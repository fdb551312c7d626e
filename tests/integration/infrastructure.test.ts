// GET infrastructure and the `infrastructure` query through the compiled executable, against kici-sim
// (cluster-3: orch-a leader, orch-b follower, orch-c down) and a real PostgreSQL, in both schema
// layouts, self-hosted and Platform mode. Needs `npm run build:backend -- --host-only`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';

import type { Infrastructure, OrchestratorNode } from '../../src/datasource/infrastructure/model';
import { PLATFORM_ONLY } from '../../src/datasource/infrastructure/model';
import { NOT_LISTED_BY_PLATFORM } from '../../src/backend/features/infrastructure/merge';
import { startSim, type Sim } from '../../dev/kici-sim/sim';
import { startPlugin, type DatasourceSettingsInput, type PluginProcess } from '../../dev/testing/plugin-process';
import { createTestDatabase, type TestDatabase } from '../../dev/testing/postgres';

let plugin: PluginProcess;

beforeAll(async () => {
  plugin = await startPlugin();
});
afterAll(async () => {
  await plugin?.stop();
});

/** Counts the requests each sim node answered, from its `Request completed` log lines. */
class RequestLog extends Writable {
  readonly lines: Array<{ instance?: string; path?: string }> = [];
  _write(chunk: Buffer, _enc: string, cb: () => void) {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.includes('"Request completed"')) {
        this.lines.push(JSON.parse(line));
      }
    }
    cb();
  }
  count(path: string): number {
    return this.lines.filter((l) => l.path === path).length;
  }
}

function settings(
  sim: Sim,
  db: TestDatabase,
  extra: Record<string, unknown> = {},
  secure: Record<string, string> = {}
): DatasourceSettingsInput {
  const u = new URL(db.url);
  return {
    uid: `infra-${Math.random().toString(16).slice(2)}`,
    jsonData: {
      pgHost: u.hostname,
      pgPort: Number(u.port),
      pgDatabase: u.pathname.slice(1),
      pgUser: u.username,
      orchestratorUrls: sim.nodes.map((n) => n.url),
      httpTimeoutMs: 3000,
      ...extra,
    },
    secureJsonData: { pgPassword: decodeURIComponent(u.password), adminToken: sim.tokens.auditor, ...secure },
  };
}

async function infrastructure(ds: DatasourceSettingsInput): Promise<Infrastructure> {
  const res = await plugin.callResource(ds, { method: 'GET', path: 'infrastructure' });
  expect(res.status).toBe(200);
  return res.json as Infrastructure;
}

const byId = (m: Infrastructure, id: string): OrchestratorNode => {
  const o = m.orchestrators.find((x) => x.instanceId === id);
  if (!o) {
    throw new Error(`no orchestrator ${id} in ${m.orchestrators.map((x) => x.instanceId).join(', ')}`);
  }
  return o;
};

describe.each(['0.9', '0.1'] as const)('cluster-3, layout %s, self-hosted', (layout) => {
  let db: TestDatabase;
  let sim: Sim;
  const log = new RequestLog();

  beforeAll(async () => {
    db = await createTestDatabase(`infra_${layout.replace('.', '')}`);
    sim = await startSim({ scenario: 'cluster-3', layout, pgUrl: db.url, logOut: log });
  });
  afterAll(async () => {
    await sim?.stop();
    await db?.drop();
  });

  it('the two answering nodes are complete; the down one is one entry marked with its error', async () => {
    const m = await infrastructure(settings(sim, db));
    expect(m.source).toBe('self-hosted');
    expect(m.orchestrators.map((o) => [o.instanceId, o.reachable, o.url])).toEqual([
      ['orch-a', true, sim.nodes[0].url],
      ['orch-b', true, sim.nodes[1].url],
      ['orch-c', false, sim.nodes[2].url],
    ]);
    const version = layout === '0.9' ? '0.9.1' : '0.1.24';

    const a = byId(m, 'orch-a');
    expect(a).toMatchObject({
      version,
      hostname: 'ci-host-1',
      mode: 'hybrid',
      role: 'coordinator',
      raftRole: 'leader',
      raftTerm: 14,
      raftLeaderId: 'orch-a',
      s3LogAccess: true,
      clusterName: 'acme-prod',
      agentCount: 4,
      error: null,
      connectionId: null,
      runningAsUser: null,
    });
    expect(a.processUptimeSeconds).toEqual(expect.any(Number));
    expect(a.routingKeys).toContain('github:42');
    expect(a.missing.runningAsUser).toBe(PLATFORM_ONLY);
    expect(a.missing.connectionId).toBe(PLATFORM_ONLY);
    expect(a.dependencyHealth?.find((c) => c.name === 'Config validity')?.status).toBe('pass');
    // fc-linux: name/type from orch-a's /admin/diagnose, capacity from orch-b's /cluster/peers.
    expect(a.scalers).toEqual([
      expect.objectContaining({
        name: 'fc-linux',
        type: 'firecracker',
        maxAgents: 8,
        activeAgents: 3,
        spawnsOnLocalHost: true,
        hosts: ['ci-host-1'],
        labelSets: [['linux', 'vm', 'kici:agent:firecracker', 'kici:scaler:fc-linux']],
      }),
    ]);
    expect(a.agents.map((x) => [x.agentId, x.status, x.ephemeral, x.scalerName])).toEqual([
      ['build-01-1a2b3c4d', 'ready', false, null],
      ['fc-linux-0a1b2c3d', 'ready', true, 'fc-linux'],
      ['fc-linux-4e5f6a7b', 'ready', true, 'fc-linux'],
      ['fc-linux-8c9d0e1f', 'ready', true, 'fc-linux'],
    ]);
    expect(a.agents.find((x) => x.agentId === 'fc-linux-8c9d0e1f')!.activeJobs).toBe(1);
    expect(a.runningJobs).toBe(1);

    const b = byId(m, 'orch-b');
    expect(b).toMatchObject({ version, hostname: 'ci-host-2', raftRole: 'follower', agentCount: 3, error: null });
    expect(b.scalers).toEqual([
      expect.objectContaining({
        name: 'container-linux-x64',
        type: 'container',
        maxAgents: 6,
        spawnsOnLocalHost: false,
        hosts: [],
      }),
    ]);

    const c = byId(m, 'orch-c');
    expect(c.error).toMatch(/^http:\/\/127\.0\.0\.1:\d+ GET \/cluster\/health: cannot connect \(ECONNREFUSED\)$/);
    expect(c.version).toBe(layout === '0.9' ? version : null);
    expect(c.agents.map((x) => [x.agentId, x.status])).toEqual([
      ['bare-metal-arm-9a8b7c6d', 'stale'],
      ['build-03-3c4d5e6f', 'unreachable'],
    ]);
    expect(c.scalers.map((s) => [s.name, s.type, s.maxAgents])).toEqual([['bare-metal-arm', 'bare-metal', 2]]);
    expect(m.alerts.map((x) => x.type)).toEqual(['orchestrator_unreachable', 'agents_unreachable']);

    expect(m.statefulAgents.map((x) => [x.agentId, x.status])).toEqual([
      ['build-01-1a2b3c4d', 'ready'],
      ['build-02-2b3c4d5e', 'ready'],
      ['build-03-3c4d5e6f', 'unreachable'],
    ]);
    expect(m.latestVersion).toBeNull();
    expect(m.agentMissing.version).toContain('agentHealthPort');
  });

  it('the infrastructure query answers one row per orchestrator and agent', async () => {
    const out = await plugin.queryData(settings(sim, db), [{ refId: 'I', queryType: 'infrastructure' }]);
    expect(out.I.error).toBeUndefined();
    const f = out.I.frames[0];
    const col = (n: string) => f.fields.find((x) => x.name === n)!.values;
    expect(col('kind').filter((k) => k === 'orchestrator')).toHaveLength(3);
    expect(col('kind').filter((k) => k === 'agent')).toHaveLength(9);
    const i = col('id').indexOf('orch-c');
    expect(col('status')[i]).toBe('down');
    expect(String(col('error')[i])).toContain('ECONNREFUSED');
  });

  it('ten concurrent callers cost one fan-out (single flight, then the short cache)', async () => {
    const ds = settings(sim, db);
    const before = { health: log.count('/cluster/health'), peers: log.count('/cluster/peers') };
    const results = await Promise.all(Array.from({ length: 10 }, () => infrastructure(ds)));
    expect(new Set(results.map((r) => r.generatedAt)).size).toBe(1);
    // Two nodes answer; orch-c's port is closed and logs nothing.
    expect(log.count('/cluster/health') - before.health).toBe(2);
    expect(log.count('/cluster/peers') - before.peers).toBe(2);
    await infrastructure(ds);
    expect(log.count('/cluster/health') - before.health).toBe(2);
  });

  it('re-reads the large fleet topology only for hostnames it does not know yet', async () => {
    const ds = settings(sim, db, { infrastructureCacheMs: 0 });
    const before = { health: log.count('/cluster/health'), topology: log.count('/admin/fleet-topology') };
    await infrastructure(ds);
    const second = await infrastructure(ds);
    expect(log.count('/cluster/health') - before.health).toBe(4);
    expect(log.count('/admin/fleet-topology') - before.topology).toBe(2);
    expect(second.orchestrators.map((o) => o.hostname)).toEqual(['ci-host-1', 'ci-host-2', null]);
  });
});

describe('cluster-3, Platform mode', () => {
  let db: TestDatabase;
  let sim: Sim;

  beforeAll(async () => {
    db = await createTestDatabase('infra_platform');
    sim = await startSim({ scenario: 'cluster-3', layout: '0.9', pgUrl: db.url });
  });
  afterAll(async () => {
    await sim?.stop();
    await db?.drop();
  });

  const platform = () => ({ platformUrl: sim.platformUrl, platformOrg: sim.spec.platform!.org });

  it('takes the complete model from the Platform, including Platform-only fields', async () => {
    const m = await infrastructure(settings(sim, db, platform(), { platformToken: sim.spec.platform!.token }));
    expect(m.source).toBe('platform');
    expect(m.latestVersion).toBe('0.9.1');
    expect(m.latestVersionSource).toBe('platform');
    // orch-c has no Platform connection, so the Platform does not list it; it is configured and down, so it is still
    // a node (unknown connection, not reachable) with the alert that says so.
    expect(m.orchestrators.map((o) => [o.instanceId, o.connected, o.reachable])).toEqual([
      ['orch-a', true, true],
      ['orch-b', true, true],
      ['orch-c', null, false],
    ]);
    expect(byId(m, 'orch-c').warnings[0]).toBe(NOT_LISTED_BY_PLATFORM);
    expect(m.alerts.filter((a) => a.type === 'orchestrator_unreachable').map((a) => a.message)).toEqual([
      `Orchestrator orch-c (${byId(m, 'orch-c').url}) is not reachable: ${byId(m, 'orch-c').error}`,
    ]);
    expect(byId(m, 'orch-c').url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(byId(m, 'orch-c').error).toBe(`${byId(m, 'orch-c').url} GET /cluster/health: cannot connect (ECONNREFUSED)`);
    const a = byId(m, 'orch-a');
    expect(a.connectionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(a).toMatchObject({
      runningAsUser: 'kici',
      runningAsUid: 990,
      cpuCount: 8,
      totalMemoryMb: 32000,
      nodeVersion: '22.11.0',
      deployment: { mode: 'systemd', containerName: null, containerRuntime: null },
      hostname: 'ci-host-1',
    });
    expect(a.missing.runningAsUser).toBeUndefined();
    expect(a.scalers[0]).toMatchObject({
      name: 'fc-linux',
      spawnsOnLocalHost: true,
      hosts: ['ci-host-1'],
      maxAgents: 8,
    });
    expect(a.scalers[0].config).toEqual(
      expect.objectContaining({ warmPool: { minIdle: 0, maxIdle: 0, enabled: false } })
    );
    expect(byId(m, 'orch-b').deployment).toEqual({
      mode: 'compose',
      containerName: 'kici-orchestrator',
      containerRuntime: 'podman',
    });
    expect(byId(m, 'orch-b').scalers[0].spawnsOnLocalHost).toBe(false);
    expect(a.agents.find((x) => x.agentId === 'build-01-1a2b3c4d')).toMatchObject({
      version: '0.9.1',
      ephemeral: false,
    });
    // build-03 was last seen on orch-c (down, unknown to the Platform): the database still lists it, so it is shown.
    expect(m.statefulAgents.map((x) => x.agentId)).toEqual([
      'build-01-1a2b3c4d',
      'build-02-2b3c4d5e',
      'build-03-3c4d5e6f',
    ]);
    expect(byId(m, 'orch-c').agents.map((x) => x.agentId)).toContain('build-03-3c4d5e6f');
  });

  it('a fixed latest version overrides the Platform value', async () => {
    const m = await infrastructure(
      settings(
        sim,
        db,
        { ...platform(), latestVersionSource: 'fixed', latestVersion: '1.0.0' },
        { platformToken: sim.spec.platform!.token }
      )
    );
    expect([m.latestVersion, m.latestVersionSource]).toEqual(['1.0.0', 'fixed']);
  });

  it('falls back to the self-hosted sources when the Platform refuses the token, and says so', async () => {
    const m = await infrastructure(settings(sim, db, platform(), { platformToken: 'kpt_wrong' }));
    expect(m.source).toBe('self-hosted');
    expect(m.orchestrators.map((o) => o.instanceId)).toEqual(['orch-a', 'orch-b', 'orch-c']);
    const alert = m.alerts.find((x) => x.type === 'platform_unavailable')!;
    expect(alert.message).toContain('HTTP 401');
    expect(alert.message).not.toContain('kpt_wrong');
  });

  it('with only the Platform configured, a Platform failure is the resource error', async () => {
    await sim.setFault('platform', { mode: 'error500' });
    try {
      const res = await plugin.callResource(
        {
          uid: 'infra-platform-only',
          jsonData: { ...platform(), httpTimeoutMs: 2000 },
          secureJsonData: { platformToken: sim.spec.platform!.token },
        },
        { method: 'GET', path: 'infrastructure' }
      );
      expect(res.status).toBe(502);
      expect((res.json as { error: string }).error).toContain('/infrastructure: HTTP 500');
    } finally {
      await sim.setFault('platform', { mode: 'none' });
    }
  });

  it('nothing configured is a 400 that says what to set', async () => {
    const res = await plugin.callResource(
      { uid: 'infra-empty', jsonData: {} },
      { method: 'GET', path: 'infrastructure' }
    );
    expect(res.status).toBe(400);
    expect((res.json as { error: string }).error).toContain(
      'needs KiCI Platform, the orchestrator database or at least one orchestrator URL'
    );
  });
});

describe('agent versions and the npm latest version (loopback stubs)', () => {
  let db: TestDatabase;
  let sim: Sim;
  let registry: Server;
  let registryUrl: string;
  const registryHits: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('infra_agents');
    sim = await startSim({ scenario: 'cluster-3', layout: '0.9', pgUrl: db.url });
    // Every connected agent "lives" on 127.0.0.1: only build-01's own /health listens on the probed port.
    await sim.pool.query(
      `UPDATE host_roster SET hostname = '127.0.0.1' WHERE connected_instance_id IN ('orch-a', 'orch-b')`
    );
    registry = createServer((req, res) => {
      registryHits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ name: '@kici-dev/orchestrator', 'dist-tags': { latest: '0.9.2' } }));
    });
    await new Promise<void>((r) => registry.listen(0, '127.0.0.1', r));
    registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => registry?.close(() => r()));
    await sim?.stop();
    await db?.drop();
  });

  it("reads each agent's version from its own /health and never takes another agent's answer", async () => {
    const build01 = sim.agents.find((x) => x.agentId === 'build-01-1a2b3c4d')!;
    const port = Number(new URL(build01.url).port);
    const m = await infrastructure(
      settings(sim, db, { agentHealthPort: port, latestVersionSource: 'npm', npmRegistryUrl: registryUrl })
    );
    const agents = m.orchestrators.flatMap((o) => o.agents);
    expect(agents.find((x) => x.agentId === 'build-01-1a2b3c4d')).toMatchObject({ version: '0.9.1', error: null });
    const other = agents.find((x) => x.agentId === 'build-02-2b3c4d5e')!;
    expect(other.version).toBeNull();
    expect(other.error).toContain('answered as agent build-01-1a2b3c4d, not build-02-2b3c4d5e');
    // Stale rows (orch-c's agents) are not probed.
    expect(agents.find((x) => x.agentId === 'build-03-3c4d5e6f')).toMatchObject({ version: null, error: null });
    expect(m.agentMissing.version).toBeUndefined();

    expect([m.latestVersion, m.latestVersionSource, m.latestVersionError]).toEqual(['0.9.2', 'npm', null]);
    expect(registryHits).toEqual(['/@kici-dev/orchestrator']);
  });
});
