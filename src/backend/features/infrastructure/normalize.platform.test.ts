// The Platform DTO → infrastructure model at its edges (mutation testing, issue 20): timestamps KiCI Platform sends as
// text or numbers, a connected node that still reports an error, scalers without a usable config, and the reasons
// the page shows for every blank field.
import { platformInfrastructureSchema } from '../../kici/schemas/platform';
import { fromPlatform } from './normalize';
import { NONE, NOW } from './testing';

const orchestrator = (o: Record<string, unknown> = {}) => ({
  connectionId: '7f3a9c1e-0000-4000-8000-000000000001',
  routingKeys: [],
  connected: true,
  scalerBackends: [],
  deployment: { mode: 'systemd', containerName: null, containerRuntime: null },
  agentCount: 0,
  runningJobs: 0,
  queuedJobs: 0,
  pendingLabelGaps: [],
  agents: [],
  statefulAgentCount: 0,
  scalers: [],
  ...o,
});

const agent = (agentId: string, o: Record<string, unknown> = {}) => ({
  agentId,
  labels: ['linux'],
  platform: 'linux',
  arch: 'x64',
  activeJobs: 0,
  maxConcurrency: 1,
  lastHeartbeatAt: 1,
  registeredAt: 1,
  ...o,
});

const build = (orchestrators: Array<Record<string, unknown>>) =>
  fromPlatform(platformInfrastructureSchema.parse({ orchestrators, alerts: [] }), NONE, NOW);

describe('Platform normalization: edges', () => {
  it('timestamps as text or epoch ms; unreadable text is unknown, not 1970', () => {
    const [a, b, c] = build([
      orchestrator({ connectedAt: '2026-11-24T06:00:00.000Z', lastHeartbeat: 1795500000000 }),
      orchestrator({ connectedAt: 'yesterday', lastHeartbeat: null }),
      orchestrator({}),
    ]).orchestrators;
    expect([a.connectedAt, a.lastHeartbeat]).toEqual([Date.parse('2026-11-24T06:00:00.000Z'), 1795500000000]);
    expect([b.connectedAt, b.lastHeartbeat]).toEqual([null, null]);
    expect([c.connectedAt, c.lastHeartbeat]).toEqual([null, null]);
    expect(b.missing.connectedAt).toBe('not reported by KiCI Platform for this orchestrator');
  });

  it('a connected node that reports an error is not reachable, and its blank fields carry the error', () => {
    const [a] = build([orchestrator({ error: 'diagnostics timed out' })]).orchestrators;
    expect(a).toMatchObject({ connected: true, reachable: false, error: 'diagnostics timed out' });
    expect(a.missing.version).toBe('not reported: diagnostics timed out');
    expect(a.missing.dependencyHealth).toBe('not reported: diagnostics timed out');
    expect(a.missing.processUptimeSeconds).toBe("read from the orchestrator's own /health in self-hosted mode only");
    // Fields that have a value carry no reason.
    expect(a.missing.connectionId).toBeUndefined();
    expect(a.missing.routingKeys).toBeUndefined();
  });

  it('a scaler config that is not an object is not shown; a container pool without one is unknown', () => {
    const [a] = build([
      orchestrator({
        hostname: 'ci-host-1',
        scalers: [
          { name: 'list', type: 'container', maxAgents: 1, activeAgents: 0, labelSets: [], config: ['x'] },
          { name: 'none', type: 'container', maxAgents: 1, activeAgents: 0, labelSets: [] },
          { name: 'odd-host', type: 'container', maxAgents: 1, activeAgents: 0, labelSets: [], config: { host: 5 } },
          { name: 'empty-hosts', type: 'bare-metal', maxAgents: 1, activeAgents: 0, labelSets: [], hosts: [] },
          { name: 'k8s', type: 'kubernetes', maxAgents: 1, activeAgents: 0, labelSets: [], config: {}, hosts: ['n1'] },
        ],
      }),
    ]).orchestrators;
    expect(a.scalers.map((s) => [s.name, s.config, s.spawnsOnLocalHost, s.hosts, s.missing])).toEqual([
      ['list', null, null, [], { config: 'not reported by KiCI Platform for this scaler' }],
      ['none', null, null, [], { config: 'not reported by KiCI Platform for this scaler' }],
      // a host that is not text is no remote runtime: the local socket
      ['odd-host', { host: 5 }, true, ['ci-host-1'], {}],
      ['empty-hosts', null, true, ['ci-host-1'], { config: 'not reported by KiCI Platform for this scaler' }],
      // hosts reported by the Platform mean local spawning whatever the type
      ['k8s', {}, true, ['n1'], {}],
    ]);
  });

  it('a local pool on a node without a hostname names no host', () => {
    const [a] = build([
      orchestrator({
        scalers: [{ name: 'fc', type: 'firecracker', maxAgents: 1, activeAgents: 0, labelSets: [], config: {} }],
      }),
    ]).orchestrators;
    expect(a.scalers[0]).toMatchObject({ spawnsOnLocalHost: true, hosts: [] });
    expect(a.missing.hostname).toBe('not reported by KiCI Platform for this orchestrator');
  });

  it('dependency checks keep only what KiCI sent; none at all is unknown', () => {
    const [a, b] = build([
      orchestrator({
        dependencyHealth: [
          { name: 'Database connectivity', status: 'pass', message: 'ok', details: null, durationMs: null },
          { name: 'Disk space', status: 'warn', message: 'low', details: { availableGb: '1.0' }, durationMs: 3 },
        ],
      }),
      orchestrator({}),
    ]).orchestrators;
    expect(a.dependencyHealth).toEqual([
      { name: 'Database connectivity', status: 'pass', message: 'ok' },
      { name: 'Disk space', status: 'warn', message: 'low', details: { availableGb: '1.0' }, durationMs: 3 },
    ]);
    expect(a.dependencyHealth![0].details).toBeUndefined();
    expect(a.dependencyHealth![0].durationMs).toBeUndefined();
    expect(a.missing.dependencyHealth).toBeUndefined();
    expect(b.dependencyHealth).toBeNull();
    expect(b.missing.dependencyHealth).toBe('not reported by KiCI Platform for this orchestrator');
  });

  it('agents: ephemeral when a scaler spawned them; the stateful list across nodes, by agent id', () => {
    const m = build([
      orchestrator({
        instanceId: 'orch-b',
        agents: [agent('zeta'), agent('fc-1', { scalerName: 'fc', hostname: 'h1', version: '0.9.1' })],
      }),
      orchestrator({ instanceId: 'orch-a', agents: [agent('alpha'), agent('mid', { scalerName: null })] }),
      orchestrator({ instanceId: null, agents: [agent('alpha')] }),
    ]);
    expect(m.statefulAgents.map((a) => [a.agentId, a.connectedInstanceId])).toEqual([
      ['alpha', 'orch-a'],
      ['alpha', null],
      ['mid', 'orch-a'],
      ['zeta', 'orch-b'],
    ]);
    const fc = m.orchestrators[0].agents[1];
    expect(fc).toMatchObject({
      scalerName: 'fc',
      ephemeral: true,
      hostname: 'h1',
      version: '0.9.1',
      status: 'ready',
      error: null,
      osRelease: null,
    });
    expect(m.orchestrators[0].agents[0]).toMatchObject({
      scalerName: null,
      ephemeral: false,
      hostname: null,
      version: null,
    });
    expect(m.agentMissing).toEqual({});
    expect(m.generatedAt).toBe(new Date(NOW).toISOString());
    expect([m.latestVersion, m.latestVersionSource, m.latestVersionError]).toEqual([null, 'none', null]);
  });
});

describe('Platform normalization: more edges (issue 20)', () => {
  it('a config that is text is not shown; reported hosts that are empty do not make a remote pool local', () => {
    const [a] = build([
      orchestrator({
        hostname: 'ci-host-1',
        scalers: [
          { name: 'text', type: 'container', maxAgents: 1, activeAgents: 0, labelSets: [], config: 'runtime=auto' },
          {
            name: 'remote',
            type: 'container',
            maxAgents: 1,
            activeAgents: 0,
            labelSets: [],
            config: { host: 'tcp://d:2376' },
            hosts: [],
          },
        ],
      }),
    ]).orchestrators;
    expect(a.scalers.map((s) => [s.name, s.config, s.spawnsOnLocalHost, s.hosts])).toEqual([
      ['text', null, null, []],
      ['remote', { host: 'tcp://d:2376' }, false, []],
    ]);
    expect(a.warnings).toEqual([]);
  });
});
