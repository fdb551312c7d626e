// The infrastructure model built from a real KiCI 0.9.1 two-node cluster (dev/kici-sim/samples/0.9.1/cluster: orch-a
// the Raft leader, orch-b a follower, one agent on orch-a; admin-diagnose.json from the same release), without the
// database: what the Infrastructure page shows for each node, and why each blank field is blank.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { PLATFORM_ONLY } from '../../../datasource/infrastructure/model';
import {
  clusterHealthSchema,
  clusterPeersSchema,
  diagnoseSchema,
  fleetTopologySchema,
} from '../../kici/schemas/cluster';
import { orchestratorHealthSchema } from '../../kici/schemas/health';
import { fromSelfHosted, PLATFORM_ONLY_AGENT_FIELDS, PLATFORM_ONLY_ORCHESTRATOR_FIELDS } from './normalize';
import type { NodeProbe } from './probes';

const SAMPLES = join(__dirname, '../../../../dev/kici-sim/samples/0.9.1');
const sample = (name: string): unknown => JSON.parse(readFileSync(join(SAMPLES, name), 'utf8'));

const A_URL = 'http://127.0.0.1:4000';
const B_URL = 'http://127.0.0.1:4001';
const NOW = Date.parse('2026-11-24T06:36:30Z');
const NO_DB = 'needs the database (PostgreSQL is not configured)';
const A_DOWN = `${A_URL} GET /cluster/health: cannot connect (ECONNREFUSED)`;

function answering(id: 'orch-a' | 'orch-b', url: string): NodeProbe {
  return {
    url,
    health: { ok: true, value: orchestratorHealthSchema.parse(sample(`cluster/${id}.health.json`)) },
    cluster: { ok: true, value: clusterHealthSchema.parse(sample(`cluster/${id}.cluster-health.json`)) },
    peers: { ok: true, value: clusterPeersSchema.parse(sample(`cluster/${id}.cluster-peers.json`)) },
    diagnose: { ok: true, value: diagnoseSchema.parse(sample('admin-diagnose.json')) },
    topology: { ok: true, value: fleetTopologySchema.parse(sample(`cluster/${id}.admin-fleet-topology.json`)) },
    noToken: false,
    cachedHostname: null,
  };
}

function refused(url: string): NodeProbe {
  const no = (route: string) => ({ ok: false as const, error: `${url} GET ${route}: cannot connect (ECONNREFUSED)` });
  return {
    url,
    health: no('/health'),
    cluster: no('/cluster/health'),
    peers: no('/cluster/peers'),
    diagnose: no('/admin/diagnose'),
    topology: no('/admin/fleet-topology'),
    noToken: false,
    cachedHostname: null,
  };
}

const build = (probes: NodeProbe[]) =>
  fromSelfHosted({
    nowMs: NOW,
    probes,
    db: null,
    dbError: null,
    agentHealth: null,
    knownUrls: new Map(),
    latest: { version: null, source: 'none', error: null },
  });

const platformOnly = (fields: readonly string[]) => Object.fromEntries(fields.map((f) => [f, PLATFORM_ONLY]));

const DEV_AGENT_LABELS = [
  'linux',
  'x64',
  'dev',
  'kici:os:linux',
  'kici:arch:x64',
  'kici:arch:amd64',
  'kici:host:vm',
  'kici:role:builder',
  'kici:role:init-runner',
];

describe('KiCI 0.9.1 samples: both nodes answer, no database', () => {
  // Built in each test, not here: Stryker counts what runs while tests are collected as static (run for every test).
  const model = () => build([answering('orch-a', A_URL), answering('orch-b', B_URL)]);

  it('one row per node with what its own routes and its peer say', () => {
    const m = model();
    expect(m.source).toBe('self-hosted');
    expect(m.generatedAt).toBe('2026-11-24T06:36:30.000Z');
    const rows = m.orchestrators.map((o) => ({
      instanceId: o.instanceId,
      url: o.url,
      reachable: o.reachable,
      version: o.version,
      mode: o.mode,
      role: o.role,
      raftRole: o.raftRole,
      raftTerm: o.raftTerm,
      raftLeaderId: o.raftLeaderId,
      hostname: o.hostname,
      processUptimeSeconds: o.processUptimeSeconds,
      lastHeartbeat: o.lastHeartbeat,
      s3LogAccess: o.s3LogAccess,
      agentCount: o.agentCount,
      statefulAgentCount: o.statefulAgentCount,
      runningJobs: o.runningJobs,
      queuedJobs: o.queuedJobs,
      clusterName: o.clusterName,
      routingKeys: o.routingKeys,
      scalers: o.scalers,
      scalerBackends: o.scalerBackends,
      error: o.error,
      warnings: o.warnings,
    }));
    const common = {
      reachable: true,
      version: '0.9.1',
      mode: 'independent',
      role: 'coordinator',
      raftTerm: 14,
      raftLeaderId: 'orch-a',
      hostname: 'vm',
      s3LogAccess: false,
      runningJobs: null,
      queuedJobs: null,
      clusterName: null,
      routingKeys: [],
      scalers: [],
      scalerBackends: [],
      error: null,
      warnings: [],
    };
    expect(rows).toEqual([
      {
        ...common,
        instanceId: 'orch-a',
        url: A_URL,
        raftRole: 'leader',
        processUptimeSeconds: 52.273624162,
        // orch-b's /cluster/peers view of orch-a
        lastHeartbeat: 1795502165661,
        agentCount: 1,
        statefulAgentCount: 1,
      },
      {
        ...common,
        instanceId: 'orch-b',
        url: B_URL,
        raftRole: 'follower',
        processUptimeSeconds: 24.202554024,
        lastHeartbeat: 1795502165704,
        agentCount: 0,
        statefulAgentCount: 0,
      },
    ]);
  });

  it('the diagnose checks are shown as KiCI sent them', () => {
    const m = model();
    const checks = m.orchestrators[0].dependencyHealth!;
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['Database connectivity', 'pass'],
      ['DB backup freshness', 'fail'],
      ['Run history retention', 'pass'],
      ['Platform connectivity', 'warn'],
      ['Agent connectivity', 'warn'],
      ['Disk space', 'pass'],
      ['Config validity', 'pass'],
      ['TLS certificate', 'pass'],
      ['scaler', 'pass'],
      ['firecracker', 'pass'],
    ]);
    expect(checks[0]).toEqual({
      name: 'Database connectivity',
      status: 'pass',
      message: 'Connected (8ms latency)',
      details: { latencyMs: 8 },
      durationMs: 8,
    });
    // No details in KiCI's answer: none in the row (not `details: undefined`).
    expect(checks[1]).toEqual({
      name: 'DB backup freshness',
      status: 'fail',
      message:
        'No orchestrator DB backup has ever been recorded — run `kici-admin db backup`, then schedule it with `kici-admin db backup --install-timer`',
      durationMs: 10,
    });
    expect(Object.keys(checks[1])).toEqual(['name', 'status', 'message', 'durationMs']);
  });

  it('the agent once, under the node it is connected to, from the fleet topology', () => {
    const m = model();
    expect(m.orchestrators.map((o) => o.agents.map((a) => a.agentId))).toEqual([['dev-agent-1'], []]);
    expect(m.statefulAgents).toEqual([
      expect.objectContaining({
        agentId: 'dev-agent-1',
        labels: DEV_AGENT_LABELS,
        hostname: 'vm',
        connectedInstanceId: 'orch-a',
        status: 'ready',
        scalerName: null,
        ephemeral: false,
        platform: null,
        arch: null,
        activeJobs: null,
        version: null,
        error: null,
      }),
    ]);
  });

  it('each blank field says why: Platform-only, or the database', () => {
    const m = model();
    for (const o of m.orchestrators) {
      expect(o.missing).toEqual({
        ...platformOnly(PLATFORM_ONLY_ORCHESTRATOR_FIELDS),
        clusterName: NO_DB,
        queuedJobs: NO_DB,
        runningJobs: NO_DB,
        routingKeys: NO_DB,
      });
    }
    expect(m.agentMissing).toEqual({
      ...platformOnly(PLATFORM_ONLY_AGENT_FIELDS),
      version:
        "set agentHealthPort to read each agent's own /health, or use KiCI Platform (host_roster has no version)",
      platform: NO_DB,
      arch: NO_DB,
      lastHeartbeatAt: NO_DB,
      activeJobs: NO_DB,
    });
  });

  it('no alerts: a leader is known and both nodes answer', () => {
    const m = model();
    expect(m.alerts).toEqual([]);
    expect(m.latestVersion).toBeNull();
    expect(m.latestVersionSource).toBe('none');
  });
});

describe('KiCI 0.9.1 samples: the leader (orch-a) is down', () => {
  // orch-b's /cluster/peers gives orch-a's peer address ws://127.0.0.1:4000/ws/peer: the refused URL is linked to it.
  const model = () => build([refused(A_URL), answering('orch-b', B_URL)]);
  const orchA = (m: ReturnType<typeof model>) => m.orchestrators.find((o) => o.instanceId === 'orch-a')!;

  it('the refused URL is orch-a (by its peer address), unreachable, with the error of its URL', () => {
    const m = model();
    const a = orchA(m);
    expect(m.orchestrators.map((o) => [o.instanceId, o.url, o.reachable])).toEqual([
      ['orch-b', B_URL, true],
      ['orch-a', A_URL, false],
    ]);
    expect(a).toMatchObject({
      error: A_DOWN,
      warnings: [],
      role: 'coordinator',
      raftRole: null,
      raftTerm: null,
      raftLeaderId: null,
      version: null,
      mode: null,
      hostname: null,
      processUptimeSeconds: null,
      dependencyHealth: null,
      lastHeartbeat: 1795502165661,
      agentCount: 1,
      s3LogAccess: false,
    });
  });

  it('its blank fields name the error', () => {
    const m = model();
    const a = orchA(m);
    const silent = `the node did not answer (${A_DOWN})`;
    expect(a.missing).toEqual({
      ...platformOnly(PLATFORM_ONLY_ORCHESTRATOR_FIELDS),
      version: silent,
      hostname: `peers do not report hostnames; ${silent}`,
      mode: silent,
      processUptimeSeconds: silent,
      dependencyHealth: silent,
      raftRole: silent,
      scalers: 'the node did not answer and no peer reports its scalers',
      clusterName: NO_DB,
      queuedJobs: NO_DB,
      runningJobs: NO_DB,
      routingKeys: NO_DB,
    });
  });

  it('its agent is still listed under it (from orch-b topology), and the page alerts', () => {
    const m = model();
    const a = orchA(m);
    expect(a.agents.map((x) => [x.agentId, x.connectedInstanceId, x.hostname])).toEqual([
      ['dev-agent-1', 'orch-a', 'vm'],
    ]);
    expect(m.alerts).toEqual([
      {
        type: 'orchestrator_unreachable',
        message: `Orchestrator orch-a is not reachable: ${A_DOWN}`,
        severity: 'critical',
      },
    ]);
  });
});
