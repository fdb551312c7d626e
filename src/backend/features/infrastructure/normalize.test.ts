import { PLATFORM_ONLY } from '../../../datasource/infrastructure/model';
import { platformInfrastructureSchema } from '../../kici/schemas/platform';
import { fromPlatform, fromSelfHosted, scalerNameFromLabels, type SelfHostedInput } from './normalize';
import type { FleetTopology } from '../../kici/schemas/cluster';
import type { NodeProbe } from './probes';
import { clusterDb, down, fail, input, NONE, NOW, ok, peer, probe, row } from './testing';

describe('self-hosted normalization', () => {
  it('fills an answering node from its own routes and marks Platform-only fields missing', () => {
    const m = fromSelfHosted(input({ probes: [probe('http://a', 'orch-a')], db: clusterDb() }));
    expect(m.source).toBe('self-hosted');
    expect(m.orchestrators).toHaveLength(1);
    const a = m.orchestrators[0];
    expect(a).toMatchObject({
      instanceId: 'orch-a',
      url: 'http://a',
      reachable: true,
      version: '0.9.1',
      mode: 'hybrid',
      role: 'coordinator',
      raftRole: 'leader',
      raftTerm: 14,
      raftLeaderId: 'orch-a',
      hostname: 'host-orch-a',
      processUptimeSeconds: 120.5,
      clusterName: 'acme-prod',
      routingKeys: ['generic:acme:deploy-hooks', 'github:42'],
      queuedJobs: 1,
      agentCount: 2,
      connectionId: null,
      runningAsUser: null,
      error: null,
    });
    expect(a.scalers).toEqual([
      expect.objectContaining({
        name: 'fc-linux',
        type: 'firecracker',
        spawnsOnLocalHost: true,
        hosts: ['host-orch-a'],
        maxAgents: null,
        activeAgents: 0,
      }),
    ]);
    expect(a.scalers[0].missing.maxAgents).toContain('KiCI Platform');
    expect(a.scalerBackends).toEqual(['firecracker']);
    expect(a.dependencyHealth?.map((c) => c.name)).toEqual(['Config validity', 'scaler:fc-linux']);
    for (const f of ['connectionId', 'runningAsUser', 'runningAsUid', 'cpuCount', 'deployment', 'uptimeSeconds']) {
      expect(a.missing[f]).toBe(PLATFORM_ONLY);
    }
    expect(a.missing.s3LogAccess).toContain('/cluster/peers');
    expect(m.agentMissing.memoryUsedMb).toBe(PLATFORM_ONLY);
    expect(m.agentMissing.version).toContain('agentHealthPort');
  });

  it('a down node known to its peers is one entry carrying its URL error (linked by elimination)', () => {
    const a = probe('http://a', 'orch-a', {
      peers: ok({ peers: [peer('orch-b', true, { capabilities: { s3LogAccess: false } }), peer('orch-c', false)] }),
    });
    const b = probe('http://b', 'orch-b', { peers: ok({ peers: [peer('orch-a', true), peer('orch-c', false)] }) });
    const m = fromSelfHosted(input({ probes: [a, b, down('http://c')] }));
    expect(m.orchestrators.map((o) => [o.instanceId, o.reachable, o.url])).toEqual([
      ['orch-a', true, 'http://a'],
      ['orch-b', true, 'http://b'],
      ['orch-c', false, 'http://c'],
    ]);
    const c = m.orchestrators[2];
    expect(c.error).toBe('http://c GET /cluster/health: cannot connect (ECONNREFUSED)');
    expect(c.role).toBe('coordinator');
    expect(c.lastHeartbeat).toBe(NOW - 10 * 60_000);
    expect(m.orchestrators[0].s3LogAccess).toBe(true);
    expect(m.orchestrators[1].s3LogAccess).toBe(false);
    expect(m.alerts).toContainEqual(
      expect.objectContaining({ type: 'orchestrator_unreachable', severity: 'critical' })
    );
    expect(m.alerts.find((x) => x.type === 'orchestrator_unreachable')!.message).toContain('orch-c');
  });

  it('links a silent URL by the peer address, and remembers URLs that answered before', () => {
    const a = probe('http://a', 'orch-a', {
      peers: ok({ peers: [peer('orch-x', false, { address: 'ws://10.0.0.9:4000/ws/peer' })] }),
    });
    const m = fromSelfHosted(input({ probes: [a, down('http://10.0.0.9:4000')] }));
    expect(m.orchestrators.map((o) => [o.instanceId, o.url])).toEqual([
      ['orch-a', 'http://a'],
      ['orch-x', 'http://10.0.0.9:4000'],
    ]);
    const remembered = fromSelfHosted(
      input({ probes: [down('http://z')], knownUrls: new Map([['http://z', 'orch-z']]) })
    );
    expect(remembered.orchestrators.map((o) => [o.instanceId, o.reachable, o.url])).toEqual([
      ['orch-z', false, 'http://z'],
    ]);
  });

  it('keeps an unmatched silent URL as its own entry rather than guessing', () => {
    const a = probe('http://a', 'orch-a', { peers: ok({ peers: [peer('orch-b', true)] }) });
    const m = fromSelfHosted(input({ probes: [a, down('http://c'), down('http://d')] }));
    expect(m.orchestrators.map((o) => [o.instanceId, o.url, o.error !== null])).toEqual([
      ['orch-a', 'http://a', false],
      ['orch-b', null, false],
      [null, 'http://c', true],
      [null, 'http://d', true],
    ]);
    expect(m.orchestrators[1].warnings).toEqual([
      'not in orchestratorUrls: shown as its peers and the database see it',
    ]);
    expect(m.orchestrators[2].missing.instanceId).toContain('ECONNREFUSED');
  });

  it('takes scaler capacity and local spawning from a peer, and roster agents with their status', () => {
    const cap = {
      name: 'container-linux-x64',
      type: 'container',
      labelSets: [['linux', 'docker']],
      maxAgents: 6,
      activeCount: 2,
      spawnsOnLocalHost: false,
      mandatoryLabels: [],
    };
    const a = probe('http://a', 'orch-a', { peers: ok({ peers: [peer('orch-b', true, { scalerCapacity: [cap] })] }) });
    const db = clusterDb({
      roster: [
        row('build-02', { connectedInstanceId: 'orch-b' }),
        row('c-1', {
          connectedInstanceId: 'orch-b',
          labels: ['kici:scaler:container-linux-x64'],
          scalerManaged: true,
          lifecycleClass: 'ephemeral',
        }),
        row('old-ephemeral', {
          connectedInstanceId: 'orch-b',
          fresh: false,
          lifecycleClass: 'ephemeral',
          labels: ['kici:scaler:container-linux-x64'],
        }),
        row('gone-static', { connectedInstanceId: null, fresh: false }),
        row('gone-ephemeral', { connectedInstanceId: null, fresh: false, scalerManaged: true }),
      ],
      runningJobsByAgent: new Map([['c-1', 1]]),
      instances: [
        {
          instanceId: 'orch-a',
          role: 'leader',
          version: '0.9.1',
          startedAtMs: NOW - 3600_000,
          lastHeartbeatMs: NOW - 3_000,
          live: true,
        },
        {
          instanceId: 'orch-b',
          role: 'follower',
          version: '0.9.0',
          startedAtMs: NOW - 3600_000,
          lastHeartbeatMs: NOW - 6_000,
          live: true,
        },
      ],
    });
    const m = fromSelfHosted(input({ probes: [a], db }));
    const b = m.orchestrators.find((o) => o.instanceId === 'orch-b')!;
    expect(b).toMatchObject({ reachable: false, error: null, version: '0.9.0', raftRole: 'follower', runningJobs: 1 });
    expect(b.scalers).toEqual([
      expect.objectContaining({
        maxAgents: 6,
        activeAgents: 2,
        spawnsOnLocalHost: false,
        hosts: [],
        labelSets: [['linux', 'docker']],
      }),
    ]);
    expect(b.agents.map((x) => [x.agentId, x.status, x.ephemeral, x.scalerName, x.activeJobs])).toEqual([
      ['build-02', 'ready', false, null, 0],
      ['c-1', 'ready', true, 'container-linux-x64', 1],
      ['old-ephemeral', 'stale', true, 'container-linux-x64', 0],
    ]);
    expect(b.statefulAgentCount).toBe(1);
    // Stateful agents across the fleet, including disconnected static roster rows; gone ephemeral rows drop out.
    expect(m.statefulAgents.map((x) => [x.agentId, x.status])).toEqual([
      ['build-02', 'ready'],
      ['gone-static', 'unreachable'],
    ]);
  });

  it('attaches agent versions from their own /health, and says why one is missing', () => {
    const db = clusterDb({ roster: [row('build-01'), row('build-09')] });
    const m = fromSelfHosted(
      input({
        probes: [probe('http://a', 'orch-a')],
        db,
        agentHealth: new Map([
          ['build-01', ok({ version: '0.1.24' })],
          ['build-09', fail('http://build-09:8080 GET /health: cannot connect (ENOTFOUND)')],
        ]),
      })
    );
    const agents = m.orchestrators[0].agents;
    expect(agents.map((x) => [x.agentId, x.version, x.error])).toEqual([
      ['build-01', '0.1.24', null],
      ['build-09', null, 'http://build-09:8080 GET /health: cannot connect (ENOTFOUND)'],
    ]);
    expect(m.agentMissing.version).toBeUndefined();
  });

  it('without a database: agents from the fleet topology, and the DB fields say why they are empty', () => {
    const p = probe('http://a', 'orch-a', {
      topology: ok<FleetTopology>({
        nodes: [
          { kind: 'orchestrator', id: 'orch-a', role: 'coordinator', hostname: 'vm', labels: {}, parentId: null },
          { kind: 'agent', id: 'dev-agent-1', labels: { linux: '', 'kici:host:vm': '' }, parentId: 'orch-a' },
        ],
      }),
    });
    const m = fromSelfHosted(input({ probes: [p] }));
    const a = m.orchestrators[0];
    expect(a.agents.map((x) => [x.agentId, x.hostname, x.labels])).toEqual([
      ['dev-agent-1', 'vm', ['linux', 'kici:host:vm']],
    ]);
    expect(a.clusterName).toBeNull();
    expect(a.missing.clusterName).toBe('needs the database (PostgreSQL is not configured)');
    expect(a.queuedJobs).toBeNull();
  });

  it('a database error becomes an alert and the reason of the DB fields', () => {
    const m = fromSelfHosted(
      input({ probes: [probe('http://a', 'orch-a')], dbError: 'cannot reach PostgreSQL at db:5432 (ECONNREFUSED)' })
    );
    expect(m.alerts[0]).toEqual({
      type: 'database_unavailable',
      message: 'The orchestrator database could not be read: cannot reach PostgreSQL at db:5432 (ECONNREFUSED)',
      severity: 'warning',
    });
    expect(m.orchestrators[0].missing.routingKeys).toContain('ECONNREFUSED');
  });

  it('partial failures of an answering node are warnings, and topology without a token is explained', () => {
    const p = probe('http://a', 'orch-a', {
      diagnose: fail('http://a GET /admin/diagnose: no answer within 5000 ms'),
      topology: null,
      noToken: true,
    });
    const a = fromSelfHosted(input({ probes: [p] })).orchestrators[0];
    expect(a.error).toBeNull();
    expect(a.warnings).toEqual(['http://a GET /admin/diagnose: no answer within 5000 ms']);
    expect(a.mode).toBeNull();
    expect(a.missing.mode).toBe('/admin/diagnose did not answer');
    expect(a.missing.hostname).toBe('/admin/fleet-topology needs the admin token (adminToken is not set)');
  });

  it('uses the cached hostname when the topology was not fetched this time', () => {
    const p = probe('http://a', 'orch-a', { topology: null, cachedHostname: 'ci-host-1' });
    const a = fromSelfHosted(input({ probes: [p], db: clusterDb() })).orchestrators[0];
    expect(a.hostname).toBe('ci-host-1');
    expect(a.missing.hostname).toBeUndefined();
    expect(a.warnings).toEqual([]);
  });

  it('alerts when no coordinator knows a leader', () => {
    const base = probe('http://a', 'orch-a');
    const p = {
      ...base,
      cluster: ok({ ...(base.cluster as { value: object }).value, role: 'candidate', leaderId: null }),
    } as NodeProbe;
    const m = fromSelfHosted(input({ probes: [p] }));
    expect(m.orchestrators[0].raftRole).toBe('candidate');
    expect(m.alerts.map((x) => x.type)).toContain('no_raft_leader');
  });
});

describe('KiCI 0.1.x roster (no scaler_managed column, issue 14 item 11)', () => {
  it('an agent whose host_roster.lifecycle_class is ephemeral is ephemeral, scaler label or not', () => {
    const a = probe('http://a', 'orch-a');
    const db = clusterDb({
      roster: [
        row('eph-no-token-type', { lifecycleClass: 'ephemeral', scalerManaged: null }),
        row('static-1', { lifecycleClass: 'static', scalerManaged: null }),
      ],
    });
    const m = fromSelfHosted(input({ probes: [a], db }));
    const agents = m.orchestrators.flatMap((o) => o.agents);
    expect(agents.map((x) => [x.agentId, x.ephemeral])).toEqual([
      ['eph-no-token-type', true],
      ['static-1', false],
    ]);
    expect(m.statefulAgents.map((x) => x.agentId)).toEqual(['static-1']);
  });

  it('scaler_managed, where KiCI has it, stays authoritative', () => {
    const db = clusterDb({ roster: [row('x', { lifecycleClass: 'ephemeral', scalerManaged: false })] });
    const m = fromSelfHosted(input({ probes: [probe('http://a', 'orch-a')], db }));
    expect(m.orchestrators[0].agents[0].ephemeral).toBe(false);
  });
});

describe('Platform normalization', () => {
  const dto = platformInfrastructureSchema.parse({
    orchestrators: [
      {
        connectionId: '7f3a9c1e-0000-4000-8000-000000000001',
        clusterName: 'prod',
        instanceId: 'orch-a',
        routingKeys: ['github:42'],
        connected: true,
        connectedAt: 1795500000000,
        lastHeartbeat: '2026-11-24T06:39:55.000Z',
        version: '0.9.1',
        mode: 'platform',
        role: 'coordinator',
        raftRole: 'leader',
        raftTerm: 14,
        raftLeaderId: 'orch-a',
        scalerBackends: ['container', 'firecracker'],
        deployment: { mode: 'systemd', containerName: null, containerRuntime: null },
        s3LogAccess: false,
        agentCount: 2,
        runningJobs: 0,
        queuedJobs: 0,
        pendingLabelGaps: [],
        agents: [
          {
            agentId: 'fc-1',
            labels: ['kici:scaler:fc'],
            platform: 'linux',
            arch: 'x64',
            activeJobs: 0,
            maxConcurrency: 1,
            lastHeartbeatAt: 1,
            registeredAt: 1,
            scalerName: 'fc',
          },
          {
            agentId: 'build-01',
            labels: ['linux'],
            platform: 'linux',
            arch: 'x64',
            activeJobs: 1,
            maxConcurrency: 2,
            lastHeartbeatAt: 1,
            registeredAt: 1,
            version: '0.9.1',
            memoryUsedMb: 900,
            memoryAvailableMb: 100,
            scalerName: null,
          },
        ],
        hostname: 'ci-host-1',
        cpuCount: 8,
        runningAsUser: 'root',
        runningAsUid: 0,
        statefulAgentCount: 1,
        scalers: [
          {
            name: 'remote',
            type: 'container',
            maxAgents: 4,
            activeAgents: 0,
            labelSets: [['linux']],
            config: { host: 'tcp://d:2376' },
          },
          {
            name: 'local',
            type: 'container',
            maxAgents: 4,
            activeAgents: 0,
            labelSets: [['linux']],
            config: { runtime: 'auto' },
          },
          { name: 'fc', type: 'firecracker', maxAgents: 8, activeAgents: 1, labelSets: [['vm']], hosts: ['ci-host-1'] },
        ],
      },
      {
        connectionId: 'b1b2b3b4-0000-4000-8000-000000000002',
        routingKeys: [],
        connected: false,
        scalerBackends: [],
        deployment: { mode: 'unknown', containerName: null, containerRuntime: null },
        agentCount: 0,
        runningJobs: 0,
        queuedJobs: 0,
        pendingLabelGaps: [],
        agents: [],
        statefulAgentCount: 0,
        scalers: [],
        error: 'Orchestrator did not answer the diagnostics request',
      },
    ],
    alerts: [{ type: 'orchestrator_disconnected', message: 'b1b2 is not connected', severity: 'critical' }],
    latestVersion: '0.9.1',
  });

  it('maps the DTO one to one, with timestamps as epoch ms', () => {
    const m = fromPlatform(dto, { version: '0.9.1', source: 'platform', error: null }, NOW);
    expect(m.source).toBe('platform');
    expect(m.latestVersion).toBe('0.9.1');
    expect(m.alerts).toEqual(dto.alerts);
    const a = m.orchestrators[0];
    expect(a).toMatchObject({
      instanceId: 'orch-a',
      connectionId: '7f3a9c1e-0000-4000-8000-000000000001',
      connected: true,
      reachable: true,
      connectedAt: 1795500000000,
      lastHeartbeat: Date.parse('2026-11-24T06:39:55.000Z'),
      runningAsUid: 0,
      deployment: { mode: 'systemd', containerName: null, containerRuntime: null },
    });
    expect(a.scalers.map((s) => [s.name, s.spawnsOnLocalHost, s.hosts])).toEqual([
      ['remote', false, []],
      ['local', true, ['ci-host-1']],
      ['fc', true, ['ci-host-1']],
    ]);
    expect(a.agents.map((x) => [x.agentId, x.ephemeral, x.connectedInstanceId])).toEqual([
      ['fc-1', true, 'orch-a'],
      ['build-01', false, 'orch-a'],
    ]);
    expect(m.statefulAgents.map((x) => x.agentId)).toEqual(['build-01']);
    expect(a.missing.osRelease).toBe('not reported by KiCI Platform for this orchestrator');
    expect(a.missing.runningAsUser).toBeUndefined();
  });

  it('a disconnected node keeps its row and its error', () => {
    const b = fromPlatform(dto, NONE, NOW).orchestrators[1];
    expect(b).toMatchObject({
      instanceId: null,
      connected: false,
      reachable: false,
      error: 'Orchestrator did not answer the diagnostics request',
    });
    expect(b.missing.version).toBe('not reported: Orchestrator did not answer the diagnostics request');
  });
});

it('scaler names come from kici:scaler: labels', () => {
  expect(scalerNameFromLabels(['linux', 'kici:scaler:fc-linux'])).toBe('fc-linux');
  expect(scalerNameFromLabels(['linux'])).toBeNull();
});
