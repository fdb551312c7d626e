// The infrastructure normaliser's edges (mutation testing, issue 20): the exact reasons, errors, warnings and alerts
// the Infrastructure page shows, and which node, agent and scaler rows it shows, for each way a source can fall short.
import { PLATFORM_ONLY } from '../../../datasource/infrastructure/model';
import type { InstanceRow } from './cluster-db';
import { fromSelfHosted, PLATFORM_ONLY_ORCHESTRATOR_FIELDS } from './normalize';
import type { NodeProbe } from './probes';
import { clusterDb, down, fail, input, NOW, ok, peer, probe, row } from './testing';

const instance = (instanceId: string, o: Partial<InstanceRow> = {}): InstanceRow => ({
  instanceId,
  role: 'follower',
  version: '0.9.1',
  startedAtMs: NOW - 3600_000,
  lastHeartbeatMs: NOW - 3_000,
  live: true,
  ...o,
});

const withCluster = (p: NodeProbe, o: Record<string, unknown>): NodeProbe => ({
  ...p,
  cluster: ok({ ...(p.cluster as { value: object }).value, ...o }) as NodeProbe['cluster'],
});

/** orch-a answering and seeing `other` as a peer that is not connected, its last heartbeat `agoMs` ago. */
const lostPeer = (agoMs: number | null) =>
  fromSelfHosted(
    input({
      probes: [
        probe('http://a', 'orch-a', {
          peers: ok({ peers: [peer('orch-b', false, { lastHeartbeat: agoMs === null ? null : NOW - agoMs })] }),
        }),
      ],
    })
  ).orchestrators[1];

describe('a node only its peers know', () => {
  it.each([
    [null, 'not connected to orch-a'],
    [-5_000, 'not connected to orch-a (last heartbeat 0 s ago)'],
    [30_000, 'not connected to orch-a (last heartbeat 30 s ago)'],
    [119_000, 'not connected to orch-a (last heartbeat 119 s ago)'],
    [120_000, 'not connected to orch-a (last heartbeat 2 min ago)'],
    [7_199_000, 'not connected to orch-a (last heartbeat 120 min ago)'],
    [7_200_000, 'not connected to orch-a (last heartbeat 2 h ago)'],
    [30 * 3600_000, 'not connected to orch-a (last heartbeat 30 h ago)'],
  ])('lost %j ms ago: %s', (agoMs, error) => {
    const b = lostPeer(agoMs);
    expect(b.instanceId).toBe('orch-b');
    expect(b.error).toBe(error);
    expect(b.warnings).toEqual([]);
    expect(b.missing.version).toBe(`the node did not answer (${error})`);
  });

  it('a peer one node sees connected is not lost, even when another lost it', () => {
    const a = probe('http://a', 'orch-a', { peers: ok({ peers: [peer('orch-c', false)] }) });
    const b = probe('http://b', 'orch-b', {
      peers: ok({ peers: [peer('orch-c', true, { lastHeartbeat: NOW - 1_000 })] }),
    });
    const c = fromSelfHosted(input({ probes: [a, b, down('http://c')] })).orchestrators.find(
      (o) => o.instanceId === 'orch-c'
    )!;
    expect(c.error).toBeNull();
    expect(c.url).toBeNull();
    expect(c.lastHeartbeat).toBe(NOW - 1_000);
    expect(c.warnings).toEqual(['not in orchestratorUrls: shown as its peers and the database see it']);
    expect(c.missing.version).toBe('the node is not in orchestratorUrls');
    expect(c.missing.raftRole).toBe('the node is not in orchestratorUrls');
    expect(c.missing.hostname).toBe('peers do not report hostnames; the node is not in orchestratorUrls');
  });

  it('a node whose cluster_instances heartbeat stopped says when', () => {
    const db = clusterDb({
      instances: [
        instance('orch-a', { role: 'leader' }),
        instance('orch-c', { live: false, lastHeartbeatMs: NOW - 180_000 }),
        instance('orch-d', { live: false, lastHeartbeatMs: null }),
      ],
    });
    const m = fromSelfHosted(input({ probes: [probe('http://a', 'orch-a')], db }));
    expect(
      m.orchestrators.map((o) => [o.instanceId, o.reachable, o.error, o.role, o.raftRole, o.lastHeartbeat])
    ).toEqual([
      ['orch-a', true, null, 'coordinator', 'leader', NOW - 3_000],
      ['orch-c', false, 'its cluster_instances heartbeat stopped 3 min ago', 'coordinator', 'follower', NOW - 180_000],
      ['orch-d', false, 'its cluster_instances heartbeat stopped', 'coordinator', 'follower', null],
    ]);
    expect(m.alerts.filter((x) => x.type === 'orchestrator_unreachable').map((x) => x.message)).toEqual([
      'Orchestrator orch-c is not reachable: its cluster_instances heartbeat stopped 3 min ago',
      'Orchestrator orch-d is not reachable: its cluster_instances heartbeat stopped',
    ]);
  });

  it('lists answering nodes in the order of orchestratorUrls, then the others by instance id', () => {
    const db = clusterDb({
      instances: [instance('orch-z'), instance('orch-m')],
      roster: [
        row('r1', { connectedInstanceId: 'orch-k' }),
        row('r2', { connectedInstanceId: 'orch-stale', fresh: false }),
      ],
    });
    const m = fromSelfHosted(
      input({
        probes: [
          probe('http://b', 'orch-b', { peers: ok({ peers: [peer('orch-c', true)] }) }),
          probe('http://a', 'orch-a'),
        ],
        db,
      })
    );
    expect(m.orchestrators.map((o) => o.instanceId)).toEqual([
      'orch-b',
      'orch-a',
      'orch-c',
      'orch-k',
      'orch-m',
      'orch-z',
    ]);
    // A roster row that is not fresh does not make its instance a node; a static one is still a stateful agent.
    expect(m.statefulAgents.map((a) => [a.agentId, a.connectedInstanceId, a.status])).toEqual([
      ['r1', 'orch-k', 'ready'],
      ['r2', 'orch-stale', 'unreachable'],
    ]);
  });
});

describe('linking a URL that does not answer to an instance', () => {
  it.each([
    ['https://orch-x.example', 'wss://orch-x.example/ws/peer'],
    ['https://orch-x.example', 'wss://orch-x.example:443/ws/peer'],
    ['http://orch-x.example', 'ws://orch-x.example:80/ws/peer'],
    ['http://10.0.0.9:4000/', 'ws://10.0.0.9:4000/ws/peer'],
    // The default port written out, under the other scheme.
    ['https://orch-x.example', 'ws://orch-x.example:443/ws/peer'],
    ['http://orch-x.example', 'wss://orch-x.example:80/ws/peer'],
  ])('%s is the peer at %s', (url, address) => {
    const a = probe('http://a', 'orch-a', { peers: ok({ peers: [peer('orch-x', true, { address })] }) });
    const m = fromSelfHosted(input({ probes: [a, down(url), down('http://other')] }));
    expect(m.orchestrators.map((o) => [o.instanceId, o.url])).toEqual([
      ['orch-a', 'http://a'],
      ['orch-x', url],
      [null, 'http://other'],
    ]);
  });

  it.each([
    ['http://orch-x.example', 'wss://orch-x.example/ws/peer'],
    ['https://orch-x.example', 'ws://orch-x.example/ws/peer'],
    ['http://orch-x.example:4001', 'ws://orch-x.example:4000/ws/peer'],
  ])('%s is not the peer at %s (another port)', (url, address) => {
    const a = probe('http://a', 'orch-a', { peers: ok({ peers: [peer('orch-x', true, { address })] }) });
    const m = fromSelfHosted(input({ probes: [a, down(url)] }));
    expect(m.orchestrators.map((o) => [o.instanceId, o.url])).toEqual([
      ['orch-a', 'http://a'],
      ['orch-x', null],
      [null, url],
    ]);
  });

  it('by elimination only when exactly one URL and one lost instance are left', () => {
    const lost = probe('http://a', 'orch-a', { peers: ok({ peers: [peer('orch-c', false)] }) });
    const two = fromSelfHosted(input({ probes: [lost, down('http://c'), down('http://d')] }));
    expect(two.orchestrators.map((o) => [o.instanceId, o.url])).toEqual([
      ['orch-a', 'http://a'],
      ['orch-c', null],
      [null, 'http://c'],
      [null, 'http://d'],
    ]);
    // cluster_instances saying it is not live counts as lost too.
    const db = clusterDb({ instances: [instance('orch-a'), instance('orch-c', { live: false })] });
    const one = fromSelfHosted(input({ probes: [probe('http://a', 'orch-a'), down('http://c')], db }));
    expect(one.orchestrators.map((o) => [o.instanceId, o.url, o.error])).toEqual([
      ['orch-a', 'http://a', null],
      ['orch-c', 'http://c', 'http://c GET /cluster/health: cannot connect (ECONNREFUSED)'],
    ]);
    // A live one is not guessed at.
    const live = clusterDb({ instances: [instance('orch-a'), instance('orch-c')] });
    const none = fromSelfHosted(input({ probes: [probe('http://a', 'orch-a'), down('http://c')], db: live }));
    expect(none.orchestrators.map((o) => [o.instanceId, o.url])).toEqual([
      ['orch-a', 'http://a'],
      ['orch-c', null],
      [null, 'http://c'],
    ]);
  });

  it('a URL that matches nothing is a row of its own, its error named', () => {
    const m = fromSelfHosted(input({ probes: [down('http://c')] }));
    const error = 'http://c GET /cluster/health: cannot connect (ECONNREFUSED)';
    expect(m.orchestrators).toHaveLength(1);
    expect(m.orchestrators[0]).toMatchObject({ instanceId: null, url: 'http://c', reachable: false, error });
    expect(m.orchestrators[0].missing).toEqual({
      ...Object.fromEntries(PLATFORM_ONLY_ORCHESTRATOR_FIELDS.map((f) => [f, PLATFORM_ONLY])),
      instanceId: `the node did not answer (${error})`,
    });
    expect(m.alerts).toEqual([
      {
        type: 'orchestrator_unreachable',
        message: `Orchestrator http://c is not reachable: ${error}`,
        severity: 'critical',
      },
    ]);
  });
});

describe('an answering node whose routes partly fail', () => {
  it('each failing route is a warning, in route order; the fields they fill say which route', () => {
    const p = probe('http://a', 'orch-a', {
      health: fail('http://a GET /health: HTTP 500'),
      peers: fail('http://a GET /cluster/peers: HTTP 503'),
      diagnose: fail('http://a GET /admin/diagnose: HTTP 401'),
      topology: fail('http://a GET /admin/fleet-topology: no answer within 5000 ms'),
    });
    const a = fromSelfHosted(input({ probes: [p] })).orchestrators[0];
    expect(a.reachable).toBe(true);
    expect(a.error).toBeNull();
    expect(a.warnings).toEqual([
      'http://a GET /health: HTTP 500',
      'http://a GET /cluster/peers: HTTP 503',
      'http://a GET /admin/diagnose: HTTP 401',
      'http://a GET /admin/fleet-topology: no answer within 5000 ms',
    ]);
    expect(a.missing).toMatchObject({
      version: '/health did not report a version',
      processUptimeSeconds: '/health did not answer',
      mode: '/admin/diagnose did not answer',
      dependencyHealth: '/admin/diagnose did not answer',
      scalers: '/admin/diagnose did not answer',
      hostname: '/admin/fleet-topology did not answer',
    });
    expect(a.missing.fleetTopology).toBeUndefined();
    expect(a).toMatchObject({
      version: null,
      processUptimeSeconds: null,
      mode: null,
      dependencyHealth: null,
      scalers: [],
    });
  });

  it('without /cluster/health: the role from the peers, the Raft fields say which route failed', () => {
    const p = probe('http://a', 'orch-a', { cluster: fail('http://a GET /cluster/health: HTTP 500') });
    const b = probe('http://b', 'orch-b', { peers: ok({ peers: [peer('orch-a', true, { agentCount: 3 })] }) });
    const a = fromSelfHosted(input({ probes: [p, b], knownUrls: new Map([['http://a', 'orch-a']]) })).orchestrators[0];
    expect(a).toMatchObject({
      instanceId: 'orch-a',
      reachable: true,
      role: 'coordinator',
      raftRole: null,
      raftTerm: null,
      raftLeaderId: null,
      agentCount: 3,
      warnings: ['http://a GET /cluster/health: HTTP 500'],
    });
    expect(a.missing.raftRole).toBe('/cluster/health did not answer');
  });

  it('without the admin token the topology is not asked for, and the fields say so', () => {
    const a = fromSelfHosted(input({ probes: [probe('http://a', 'orch-a', { topology: null, noToken: true })] }))
      .orchestrators[0];
    expect(a.warnings).toEqual([]);
    expect(a.missing.fleetTopology).toBe('/admin/fleet-topology needs the admin token (adminToken is not set)');
    expect(a.missing.hostname).toBe('/admin/fleet-topology needs the admin token (adminToken is not set)');
  });

  it('a worker has no Raft role or term, and none is missing', () => {
    const p = withCluster(probe('http://w', 'orch-w'), { role: 'worker', leaderId: 'orch-a', term: 14 });
    const w = fromSelfHosted(input({ probes: [p], db: clusterDb() })).orchestrators[0];
    expect(w).toMatchObject({ role: 'worker', raftRole: null, raftTerm: null, raftLeaderId: 'orch-a' });
    expect(w.missing.raftRole).toBeUndefined();
    expect(w.missing.raftTerm).toBeUndefined();
  });

  it('a worker only its peers know has no Raft role or term either', () => {
    const a = probe('http://a', 'orch-a', { peers: ok({ peers: [peer('orch-w', true, { role: 'worker' })] }) });
    const db = clusterDb({ instances: [instance('orch-a'), instance('orch-w', { role: 'follower' })] });
    const w = fromSelfHosted(input({ probes: [a], db })).orchestrators[1];
    expect(w).toMatchObject({
      instanceId: 'orch-w',
      role: 'worker',
      raftRole: null,
      raftTerm: null,
      raftLeaderId: 'orch-a',
    });
    expect(w.missing.raftRole).toBeUndefined();
  });

  it('a node known only to the database is a coordinator with its Raft role, term and leader from there', () => {
    const db = clusterDb({ instances: [instance('orch-a'), instance('orch-b', { role: 'candidate' })] });
    const b = fromSelfHosted(input({ probes: [probe('http://a', 'orch-a')], db })).orchestrators[1];
    expect(b).toMatchObject({
      role: 'coordinator',
      raftRole: 'candidate',
      raftTerm: 14,
      raftLeaderId: 'orch-a',
      version: '0.9.1',
    });
  });

  it('the mode only from a string in the Config validity check', () => {
    const diagnose = (details: Record<string, unknown> | undefined) =>
      ok({ status: 'healthy', checks: [{ name: 'Config validity', status: 'pass', message: 'ok', details }] });
    const mode = (details: Record<string, unknown> | undefined) =>
      fromSelfHosted(
        input({ probes: [probe('http://a', 'orch-a', { diagnose: diagnose(details) as NodeProbe['diagnose'] })] })
      ).orchestrators[0];
    expect(mode({ mode: 'hybrid' }).mode).toBe('hybrid');
    expect(mode({ mode: 3 }).mode).toBeNull();
    expect(mode(undefined).mode).toBeNull();
    expect(mode(undefined).missing.mode).toBe('/admin/diagnose did not answer');
    // No scaler checks: no scalers, and none missing (the node answered).
    expect(mode(undefined).scalers).toEqual([]);
    expect(mode(undefined).missing.scalers).toBeUndefined();
  });
});

describe('scaler pools of a self-hosted node', () => {
  const diagnose = (checks: Array<{ name: string; details?: Record<string, unknown> }>) =>
    ok({
      status: 'healthy',
      checks: checks.map((c) => ({ status: 'pass', message: 'ok', ...c })),
    }) as NodeProbe['diagnose'];

  it('from the scaler checks of /admin/diagnose, each with what only the Platform or a peer could add', () => {
    const p = probe('http://a', 'orch-a', {
      diagnose: diagnose([
        { name: 'scaler:docker-local', details: { backendType: 'container' } },
        { name: 'scaler:metal', details: { backendType: 'bare-metal' } },
        { name: 'scaler:k8s', details: { backendType: 'kubernetes' } },
        { name: 'scaler:odd' },
        { name: 'Disk space' },
      ]),
    });
    const db = clusterDb({
      roster: [
        row('m-1', { labels: ['kici:scaler:metal'] }),
        row('m-2', { labels: ['kici:scaler:metal'], fresh: false }),
        row('d-1', { labels: ['kici:scaler:docker-local'] }),
      ],
    });
    const a = fromSelfHosted(input({ probes: [p], db })).orchestrators[0];
    const PEER = "reported only through KiCI Platform or a peer's /cluster/peers";
    const base = { maxAgents: null, labelSets: null, config: null };
    expect(a.scalers).toEqual([
      {
        ...base,
        name: 'docker-local',
        type: 'container',
        activeAgents: 1,
        spawnsOnLocalHost: null,
        hosts: [],
        missing: {
          config: PLATFORM_ONLY,
          maxAgents: PEER,
          labelSets: PEER,
          spawnsOnLocalHost:
            "whether this container pool uses a local runtime socket is reported only through KiCI Platform or a peer's /cluster/peers",
        },
      },
      {
        ...base,
        name: 'metal',
        type: 'bare-metal',
        activeAgents: 1,
        spawnsOnLocalHost: true,
        hosts: ['host-orch-a'],
        missing: { config: PLATFORM_ONLY, maxAgents: PEER, labelSets: PEER },
      },
      {
        ...base,
        name: 'k8s',
        type: 'kubernetes',
        activeAgents: 0,
        spawnsOnLocalHost: false,
        hosts: [],
        missing: { config: PLATFORM_ONLY, maxAgents: PEER, labelSets: PEER },
      },
      {
        ...base,
        name: 'odd',
        type: 'unknown',
        activeAgents: 0,
        spawnsOnLocalHost: false,
        hosts: [],
        missing: { config: PLATFORM_ONLY, maxAgents: PEER, labelSets: PEER },
      },
    ]);
    expect(a.scalerBackends).toEqual(['container', 'bare-metal', 'kubernetes', 'unknown']);
  });

  it('without the database the active count is unknown too, and says why', () => {
    const p = probe('http://a', 'orch-a', {
      topology: null,
      diagnose: diagnose([{ name: 'scaler:fc', details: { backendType: 'firecracker' } }]),
    });
    const s = fromSelfHosted(input({ probes: [p] })).orchestrators[0].scalers[0];
    expect(s).toMatchObject({ name: 'fc', activeAgents: null, spawnsOnLocalHost: true, hosts: [] });
    expect(s.missing.activeAgents).toBe("reported only through KiCI Platform or a peer's /cluster/peers");
  });

  it("a peer's capacity wins over the node's own check for type, counts and local spawning", () => {
    const cap = {
      name: 'pool',
      type: 'container',
      labelSets: [['linux']],
      maxAgents: 4,
      activeCount: 0,
      spawnsOnLocalHost: true,
      mandatoryLabels: [],
    };
    const a = probe('http://a', 'orch-a', {
      diagnose: diagnose([{ name: 'scaler:pool', details: { backendType: 'podman' } }]),
    });
    const b = probe('http://b', 'orch-b', { peers: ok({ peers: [peer('orch-a', true, { scalerCapacity: [cap] })] }) });
    const s = fromSelfHosted(
      input({ probes: [a, b], db: clusterDb({ roster: [row('x', { labels: ['kici:scaler:pool'] })] }) })
    ).orchestrators[0].scalers;
    expect(s).toEqual([
      {
        name: 'pool',
        type: 'container',
        maxAgents: 4,
        activeAgents: 0,
        labelSets: [['linux']],
        config: null,
        spawnsOnLocalHost: true,
        hosts: ['host-orch-a'],
        missing: { config: PLATFORM_ONLY },
      },
    ]);
  });
});

describe('agents and the database', () => {
  it('counts, jobs and the cluster fields from the database', () => {
    const db = clusterDb({
      roster: [
        row('a-1', { connectedInstanceId: 'orch-b' }),
        row('a-2', { connectedInstanceId: 'orch-b' }),
        row('a-3', { connectedInstanceId: 'orch-b', fresh: false }),
      ],
      runningJobsByAgent: new Map([
        ['a-1', 2],
        ['a-3', 1],
      ]),
      clusterName: null,
      queuedJobs: 7,
      raft: null,
    });
    const m = fromSelfHosted(input({ probes: [down('http://b')], db, knownUrls: new Map([['http://b', 'orch-b']]) }));
    const b = m.orchestrators[0];
    expect(b).toMatchObject({
      instanceId: 'orch-b',
      agentCount: 2,
      statefulAgentCount: 3,
      runningJobs: 3,
      queuedJobs: 7,
      clusterName: null,
      raftTerm: null,
      raftLeaderId: null,
    });
    expect(b.missing.clusterName).toBe('cluster_meta has no cluster_name');
    expect(b.missing.queuedJobs).toBeUndefined();
    expect(b.missing.routingKeys).toBeUndefined();
  });

  it('alerts about stateful agents holding a connection but not seen, not about ephemeral or disconnected ones', () => {
    const db = clusterDb({
      roster: [
        row('s-1', { fresh: false }),
        row('s-2', { fresh: false }),
        row('e-1', { fresh: false, lifecycleClass: 'ephemeral' }),
        row('gone', { fresh: false, connectedInstanceId: null }),
        row('ok'),
      ],
    });
    const m = fromSelfHosted(input({ probes: [probe('http://a', 'orch-a')], db }));
    expect(m.alerts).toEqual([
      {
        type: 'agents_unreachable',
        message: '2 stateful agent(s) hold a connection but were not seen for 5 min',
        severity: 'warning',
      },
    ]);
    expect(m.orchestrators[0].agents.map((a) => [a.agentId, a.status])).toEqual([
      ['s-1', 'unreachable'],
      ['s-2', 'unreachable'],
      ['e-1', 'stale'],
      ['ok', 'ready'],
    ]);
  });

  it('no Raft-leader alert when no coordinator answers; one when the answering coordinators know none', () => {
    expect(fromSelfHosted(input({ probes: [down('http://a')] })).alerts.map((x) => x.type)).toEqual([
      'orchestrator_unreachable',
    ]);
    const leaderless = withCluster(probe('http://a', 'orch-a'), { role: 'follower', leaderId: null });
    const worker = withCluster(probe('http://w', 'orch-w'), { role: 'worker', leaderId: null });
    expect(fromSelfHosted(input({ probes: [worker] })).alerts).toEqual([]);
    expect(fromSelfHosted(input({ probes: [leaderless, probe('http://b', 'orch-b')] })).alerts).toEqual([]);
    expect(fromSelfHosted(input({ probes: [leaderless] })).alerts).toEqual([
      {
        type: 'no_raft_leader',
        message: 'No Raft leader is known: the cluster is electing or has lost its majority',
        severity: 'critical',
      },
    ]);
  });

  it('caller alerts come first, then the database error', () => {
    const m = fromSelfHosted(
      input({
        probes: [probe('http://a', 'orch-a')],
        dbError: 'timeout',
        alerts: [{ type: 'platform_unavailable', message: 'Platform down', severity: 'warning' }],
      })
    );
    expect(m.alerts.map((x) => x.type)).toEqual(['platform_unavailable', 'database_unavailable']);
    expect(m.orchestrators[0].missing.clusterName).toBe('the database could not be read: timeout');
    expect(m.agentMissing.platform).toBe('the database could not be read: timeout');
  });

  it('topology agents carry their labels with values, and their own /health answers', () => {
    const p = probe('http://a', 'orch-a', {
      topology: ok({
        nodes: [
          { kind: 'orchestrator', id: 'orch-a', role: 'coordinator', hostname: 'vm', labels: {}, parentId: null },
          { kind: 'agent', id: 'b-1', labels: { linux: '', zone: 'eu-1' }, parentId: 'orch-a' },
          { kind: 'agent', id: 'fc-9', labels: { 'kici:scaler:fc': '' }, parentId: 'orch-a' },
          { kind: 'agent', id: 'loose', labels: {}, parentId: null },
        ],
      }) as NodeProbe['topology'],
    });
    const m = fromSelfHosted(
      input({
        probes: [p],
        agentHealth: new Map([
          ['b-1', ok({ version: '0.9.1' })],
          ['fc-9', fail('http://fc-9:8080 GET /health: cannot connect (ENOTFOUND)')],
        ]),
      })
    );
    expect(
      m.orchestrators[0].agents.map((a) => [
        a.agentId,
        a.labels,
        a.hostname,
        a.scalerName,
        a.ephemeral,
        a.version,
        a.error,
      ])
    ).toEqual([
      ['b-1', ['linux', 'zone=eu-1'], null, null, false, '0.9.1', null],
      ['fc-9', ['kici:scaler:fc'], null, 'fc', true, null, 'http://fc-9:8080 GET /health: cannot connect (ENOTFOUND)'],
    ]);
    expect(m.agentMissing.version).toBeUndefined();
    expect(m.agentMissing.platform).toBe('needs the database (PostgreSQL is not configured)');
    expect(m.statefulAgents.map((a) => a.agentId)).toEqual(['b-1']);
  });
});

// Survivors of the first mutation run of normalize.ts (issue 20), each a behaviour the page shows.
describe('more edges the page shows', () => {
  it('a node whose /cluster/health fails is known by the root of its fleet topology', () => {
    const p = probe('http://a', 'orch-a', { cluster: fail('http://a GET /cluster/health: HTTP 500') });
    const m = fromSelfHosted(input({ probes: [p] }));
    expect(m.orchestrators.map((o) => [o.instanceId, o.url, o.reachable, o.hostname])).toEqual([
      ['orch-a', 'http://a', true, 'host-orch-a'],
    ]);
  });

  it('the topology root is the orchestrator without a parent, wherever it is listed; without one, the URL is unidentified', () => {
    const topology = (nodes: Array<Record<string, unknown>>) =>
      ok({ nodes: nodes.map((n) => ({ role: 'coordinator', labels: {}, ...n })) }) as NodeProbe['topology'];
    const noCluster = (t: NodeProbe['topology']) =>
      probe('http://a', 'orch-a', { cluster: fail('http://a GET /cluster/health: HTTP 500'), topology: t });
    const rooted = noCluster(
      topology([
        { kind: 'agent', id: 'loose-agent', parentId: null },
        { kind: 'agent', id: 'dev-agent-1', parentId: 'orch-a' },
        { kind: 'orchestrator', id: 'orch-b', parentId: 'orch-a' },
        { kind: 'orchestrator', id: 'orch-a', parentId: null, hostname: 'vm' },
      ])
    );
    expect(fromSelfHosted(input({ probes: [rooted] })).orchestrators.map((o) => [o.instanceId, o.url])).toEqual([
      ['orch-a', 'http://a'],
    ]);
    const rootless = noCluster(topology([{ kind: 'orchestrator', id: 'orch-b', parentId: 'orch-a' }]));
    expect(fromSelfHosted(input({ probes: [rootless] })).orchestrators.map((o) => [o.instanceId, o.url])).toEqual([
      [null, 'http://a'],
    ]);
    // No topology either (no admin token): known by the URL it answered at before.
    const bare = probe('http://a', 'orch-a', { cluster: fail('x'), topology: null, noToken: true });
    const known = fromSelfHosted(input({ probes: [bare], knownUrls: new Map([['http://a', 'orch-a']]) }));
    expect(known.orchestrators.map((o) => [o.instanceId, o.url, o.reachable])).toEqual([['orch-a', 'http://a', true]]);
  });

  it('two URLs of the same node are one row, the first URL', () => {
    const m = fromSelfHosted(input({ probes: [probe('http://a', 'orch-a'), probe('http://a-alias', 'orch-a')] }));
    expect(m.orchestrators.map((o) => [o.instanceId, o.url])).toEqual([['orch-a', 'http://a']]);
  });

  it('the role a fleet topology gives a node that does not answer', () => {
    const a = probe('http://a', 'orch-a', {
      topology: ok({
        nodes: [
          { kind: 'orchestrator', id: 'orch-a', role: 'coordinator', hostname: 'vm', labels: {}, parentId: null },
          { kind: 'orchestrator', id: 'orch-w', role: 'worker', labels: {}, parentId: 'orch-a' },
        ],
      }) as NodeProbe['topology'],
    });
    const m = fromSelfHosted(input({ probes: [a, down('http://w')], knownUrls: new Map([['http://w', 'orch-w']]) }));
    expect(m.orchestrators.map((o) => [o.instanceId, o.role, o.raftRole])).toEqual([
      ['orch-a', 'coordinator', 'leader'],
      ['orch-w', 'worker', null],
    ]);
  });

  it('a URL is not linked to a node that answers at another URL', () => {
    const a = probe('http://a', 'orch-a');
    const b = probe('http://b', 'orch-b', {
      peers: ok({ peers: [peer('orch-a', true, { address: 'ws://10.0.0.1:4000/ws/peer' })] }),
    });
    const m = fromSelfHosted(input({ probes: [a, b, down('http://10.0.0.1:4000')] }));
    expect(m.orchestrators.map((o) => [o.instanceId, o.url])).toEqual([
      ['orch-a', 'http://a'],
      ['orch-b', 'http://b'],
      [null, 'http://10.0.0.1:4000'],
    ]);
  });

  it('by elimination, the lost instance, not a silent one still connected', () => {
    const a = probe('http://a', 'orch-a', { peers: ok({ peers: [peer('orch-b', true), peer('orch-c', false)] }) });
    const m = fromSelfHosted(input({ probes: [a, down('http://x')] }));
    expect(m.orchestrators.map((o) => [o.instanceId, o.url])).toEqual([
      ['orch-a', 'http://a'],
      ['orch-b', null],
      ['orch-c', 'http://x'],
    ]);
  });

  it('a lost instance that already has its URL is not given a second one', () => {
    const a = probe('http://a', 'orch-a', { peers: ok({ peers: [peer('orch-c', false)] }) });
    const m = fromSelfHosted(
      input({ probes: [a, down('http://c'), down('http://x')], knownUrls: new Map([['http://c', 'orch-c']]) })
    );
    expect(m.orchestrators.map((o) => [o.instanceId, o.url])).toEqual([
      ['orch-a', 'http://a'],
      ['orch-c', 'http://c'],
      [null, 'http://x'],
    ]);
  });

  it('a KiCI 0.1.x agent with a scaler label is ephemeral whatever its lifecycle class', () => {
    const db = clusterDb({ roster: [row('s-1', { labels: ['kici:scaler:pool'], lifecycleClass: 'static' })] });
    const m = fromSelfHosted(input({ probes: [probe('http://a', 'orch-a')], db }));
    expect(m.orchestrators[0].agents.map((x) => [x.agentId, x.scalerName, x.ephemeral])).toEqual([
      ['s-1', 'pool', true],
    ]);
    expect(m.statefulAgents).toEqual([]);
  });

  it('each scaler pool gets its own capacity from the peer', () => {
    const cap = (name: string, maxAgents: number) => ({
      name,
      type: 'container',
      labelSets: [[name]],
      maxAgents,
      activeCount: 1,
      spawnsOnLocalHost: false,
    });
    const diagnose = ok({
      status: 'healthy',
      checks: ['one', 'two'].map((n) => ({
        name: `scaler:${n}`,
        status: 'pass',
        message: 'ok',
        details: { backendType: 'container' },
      })),
    }) as NodeProbe['diagnose'];
    const a = probe('http://a', 'orch-a', { diagnose });
    const b = probe('http://b', 'orch-b', {
      peers: ok({ peers: [peer('orch-a', true, { scalerCapacity: [cap('one', 2), cap('two', 8)] })] }),
    });
    const s = fromSelfHosted(input({ probes: [a, b] })).orchestrators[0].scalers;
    expect(s.map((x) => [x.name, x.maxAgents, x.labelSets])).toEqual([
      ['one', 2, [['one']]],
      ['two', 8, [['two']]],
    ]);
  });

  it('with the database: the cluster name carries no reason, and agents miss only Platform-only fields', () => {
    const m = fromSelfHosted(input({ probes: [probe('http://a', 'orch-a')], db: clusterDb() }));
    expect(m.orchestrators[0].missing.clusterName).toBeUndefined();
    expect(m.orchestrators[0].missing.queuedJobs).toBeUndefined();
    expect(m.agentMissing).toEqual({
      ...Object.fromEntries(
        [
          'maxConcurrency',
          'registeredAt',
          'osRelease',
          'osVersion',
          'totalMemoryMb',
          'cpuCount',
          'nodeVersion',
          'memoryUsedMb',
          'memoryAvailableMb',
          'uptimeSeconds',
          'runningAsUser',
          'runningAsUid',
        ].map((f) => [f, PLATFORM_ONLY])
      ),
      version:
        "set agentHealthPort to read each agent's own /health, or use KiCI Platform (host_roster has no version)",
    });
  });

  it('a cached hostname is no missing topology', () => {
    const a = fromSelfHosted(input({ probes: [probe('http://a', 'orch-a', { topology: null, cachedHostname: 'h' })] }))
      .orchestrators[0];
    expect(a.missing.fleetTopology).toBeUndefined();
    expect(a.missing.hostname).toBeUndefined();
  });
});
