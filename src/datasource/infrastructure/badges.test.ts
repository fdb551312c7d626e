import {
  agentHost,
  agentMemoryBadge,
  agentUpdateBadge,
  compareVersions,
  isAutoLabel,
  NODE_COUNT_EXPLANATION,
  nodeCountBadge,
  orchestratorName,
  orchestratorUpdateBadge,
  raftRoleBadge,
  runningUserBadge,
  scalerCapacityText,
  scalerHostBadges,
  spawnsOnLocalHost,
  updateBadge,
  upgradeCommands,
} from './badges';
import { PLATFORM_ONLY } from './model';
import { agentNode, orchestratorNode, scalerPool } from './testing';

describe('orchestrator name', () => {
  it('shows the explicit instance id in bold with conn: the first 8 chars of the connection id', () => {
    expect(
      orchestratorName(orchestratorNode({ instanceId: 'orch-a', connectionId: '5b9c7e0e-2f3a-4e51-9a61-0c1f7f0d2a11' }))
    ).toEqual({ name: 'orch-a', bold: true, conn: '5b9c7e0e' });
  });

  it('has no conn: next to an instance id when the connection id is unknown (self-hosted)', () => {
    expect(orchestratorName(orchestratorNode({ instanceId: 'orch-a' }))).toEqual({
      name: 'orch-a',
      bold: true,
      conn: null,
    });
  });

  it('falls back to the first 8 chars of the connection id, not bold, without conn:', () => {
    expect(orchestratorName(orchestratorNode({ connectionId: 'abcdef0123456789' }))).toEqual({
      name: 'abcdef01',
      bold: false,
      conn: null,
    });
  });

  it('names a node it never identified by its host or URL', () => {
    expect(orchestratorName(orchestratorNode({ url: 'http://orch-c:4000' })).name).toBe('http://orch-c:4000');
    expect(orchestratorName(orchestratorNode({ hostname: 'ci-host-3', url: 'http://x' })).name).toBe('ci-host-3');
    expect(orchestratorName(orchestratorNode()).name).toBe('unknown orchestrator');
  });
});

describe('Raft role badge', () => {
  it('leader is blue and explains the leader duties and dormant mode', () => {
    const b = raftRoleBadge(orchestratorNode({ raftRole: 'leader', raftTerm: 7, role: 'coordinator' }))!;
    expect(b.text).toBe('leader');
    expect(b.color).toBe('blue');
    expect(b.tooltip).toContain('term 7');
    expect(b.tooltip).toContain('dormant mode');
  });

  it('follower is neutral and names its leader', () => {
    const b = raftRoleBadge(orchestratorNode({ raftRole: 'follower', raftTerm: 14, raftLeaderId: 'orch-a' }))!;
    expect([b.text, b.color]).toEqual(['follower', 'neutral']);
    expect(b.tooltip).toBe('Raft follower (term 14): follows orch-a and stands for election if the leader is lost.');
  });

  it('candidate is orange: no leader known', () => {
    const b = raftRoleBadge(orchestratorNode({ raftRole: 'candidate' }))!;
    expect([b.text, b.color]).toEqual(['candidate', 'orange']);
    expect(b.tooltip).toContain('no leader is known');
  });

  it('workers get a worker badge, not a Raft role', () => {
    const b = raftRoleBadge(orchestratorNode({ role: 'worker', raftRole: null }))!;
    expect([b.text, b.color]).toEqual(['worker', 'purple']);
  });

  it('is absent when the role is unknown', () => {
    expect(raftRoleBadge(orchestratorNode())).toBeNull();
  });
});

describe('running-user badge', () => {
  const bm = scalerPool({ name: 'bm', type: 'bare-metal' });
  const fc = scalerPool({ name: 'fc', type: 'firecracker' });

  it('red for root with a bare-metal scaler (even next to Firecracker)', () => {
    const b = runningUserBadge(orchestratorNode({ runningAsUser: 'root', runningAsUid: 0, scalers: [fc, bm] }));
    expect([b.kind, b.color, b.text]).toEqual(['root-bare-metal', 'red', 'root (0)']);
    expect(b.tooltip).toContain('misconfiguration');
  });

  it('red also when only the configured backend list names bare-metal', () => {
    expect(
      runningUserBadge(orchestratorNode({ runningAsUid: 0, runningAsUser: 'root', scalerBackends: ['bare-metal'] }))
        .color
    ).toBe('red');
  });

  it('green for root with Firecracker', () => {
    const b = runningUserBadge(orchestratorNode({ runningAsUser: 'root', runningAsUid: 0, scalers: [fc] }));
    expect([b.kind, b.color]).toEqual(['root-firecracker', 'green']);
  });

  it('neutral for a non-root user, whatever the scalers', () => {
    const b = runningUserBadge(orchestratorNode({ runningAsUser: 'kici', runningAsUid: 990, scalers: [bm] }));
    expect([b.kind, b.color, b.text]).toEqual(['user', 'neutral', 'kici (990)']);
  });

  it('neutral root without bare-metal or Firecracker', () => {
    const b = runningUserBadge(orchestratorNode({ runningAsUser: 'root', runningAsUid: 0 }));
    expect([b.kind, b.color]).toEqual(['root', 'neutral']);
  });

  it('unknown when the user is not reported, with the missing reason', () => {
    const b = runningUserBadge(orchestratorNode({ missing: { runningAsUser: PLATFORM_ONLY }, scalers: [bm] }));
    expect([b.kind, b.color, b.text]).toEqual(['unknown', 'neutral', 'user unknown']);
    expect(b.tooltip).toBe(`OS user: ${PLATFORM_ONLY}`);
  });
});

describe('versions', () => {
  it('compares semver including pre-releases', () => {
    expect(compareVersions('0.1.24', '0.9.1')! < 0).toBe(true);
    expect(compareVersions('0.10.0', '0.9.1')! > 0).toBe(true);
    expect(compareVersions('v0.9.1', '0.9.1')).toBe(0);
    expect(compareVersions('1.0.0-rc.1', '1.0.0')! < 0).toBe(true);
    expect(compareVersions('1.0.0-rc.2', '1.0.0-rc.10')! < 0).toBe(true);
    expect(compareVersions('1.0.0-alpha', '1.0.0-alpha.1')! < 0).toBe(true);
    expect(compareVersions('unknown', '0.9.1')).toBeNull();
  });

  it('builds the two copy-ready upgrade lines', () => {
    expect(upgradeCommands('orchestrator', '0.9.1')).toEqual([
      'npm install -g @kici-dev/orchestrator@0.9.1',
      'kici-admin orchestrator upgrade --version 0.9.1 --yes',
    ]);
  });

  it('"update available" (orange) when the node is older than the latest', () => {
    const b = orchestratorUpdateBadge(orchestratorNode({ version: '0.1.24' }), '0.9.1')!;
    expect([b.text, b.color, b.latest]).toEqual(['update available', 'orange', '0.9.1']);
    expect(b.commands).toEqual([
      'npm install -g @kici-dev/orchestrator@0.9.1',
      'kici-admin orchestrator upgrade --version 0.9.1 --yes',
    ]);
  });

  it('no badge when current, newer, unparsable, or the latest is unknown', () => {
    expect(updateBadge('orchestrator', '0.9.1', '0.9.1')).toBeNull();
    expect(updateBadge('orchestrator', '0.10.0', '0.9.1')).toBeNull();
    expect(updateBadge('orchestrator', 'unknown', '0.9.1')).toBeNull();
    expect(updateBadge('orchestrator', '0.1.24', null)).toBeNull();
    expect(updateBadge('orchestrator', null, '0.9.1')).toBeNull();
  });

  it('agents: the agent package for stateful agents, never for ephemeral ones or unknown versions', () => {
    const b = agentUpdateBadge(agentNode({ agentId: 'a', version: '0.1.24' }), 'v0.9.1')!;
    expect(b.commands).toEqual([
      'npm install -g @kici-dev/agent@0.9.1',
      'kici-admin agent upgrade --version 0.9.1 --yes',
    ]);
    expect(agentUpdateBadge(agentNode({ agentId: 'a', version: '0.1.24', ephemeral: true }), '0.9.1')).toBeNull();
    expect(agentUpdateBadge(agentNode({ agentId: 'a', version: null }), '0.9.1')).toBeNull();
  });
});

describe('scaler kici:host: badge', () => {
  it('bare-metal and Firecracker spawn locally; containers only on a local socket; Kubernetes never', () => {
    expect(spawnsOnLocalHost('bare-metal')).toBe(true);
    expect(spawnsOnLocalHost('firecracker')).toBe(true);
    expect(spawnsOnLocalHost('container', null)).toBe(true);
    expect(spawnsOnLocalHost('container', 'tcp://docker-host:2376')).toBe(false);
    expect(spawnsOnLocalHost('container')).toBeNull();
    expect(spawnsOnLocalHost('kubernetes')).toBe(false);
  });

  it('shows the spawning host even while idle', () => {
    const s = scalerPool({ name: 'fc', type: 'firecracker', activeAgents: 0, maxAgents: 8, spawnsOnLocalHost: true });
    expect(scalerHostBadges(s, 'ci-host-1')).toEqual(['kici:host:ci-host-1']);
  });

  it('prefers the hosts the source reported', () => {
    const s = scalerPool({ name: 'bm', type: 'bare-metal', spawnsOnLocalHost: true, hosts: ['metal-1', 'metal-1'] });
    expect(scalerHostBadges(s, 'ci-host-1')).toEqual(['kici:host:metal-1']);
  });

  it('none for a container pool on a remote runtime, Kubernetes, or an unknown container runtime', () => {
    expect(scalerHostBadges(scalerPool({ name: 'c', type: 'container', spawnsOnLocalHost: false }), 'h')).toEqual([]);
    expect(scalerHostBadges(scalerPool({ name: 'k', type: 'kubernetes' }), 'h')).toEqual([]);
    expect(scalerHostBadges(scalerPool({ name: 'c', type: 'container' }), 'h')).toEqual([]);
  });

  it('none when the orchestrator host is unknown and no host was reported', () => {
    expect(scalerHostBadges(scalerPool({ name: 'fc', type: 'firecracker', spawnsOnLocalHost: true }), null)).toEqual(
      []
    );
  });

  it('active/max text marks unknown counts', () => {
    expect(scalerCapacityText({ activeAgents: 2, maxAgents: 8 })).toBe('2/8');
    expect(scalerCapacityText({ activeAgents: 3, maxAgents: null })).toBe('3/?');
  });
});

describe('agent memory badge', () => {
  it('green below 75 %, orange from 75 %, red from 90 %', () => {
    const at = (used: number, available: number) =>
      agentMemoryBadge({ memoryUsedMb: used, memoryAvailableMb: available, totalMemoryMb: null })!;
    expect([at(4096, 4096).color, at(4096, 4096).percent]).toEqual(['green', 50]);
    expect(at(4096, 4096).text).toBe('4.0 GB / 8.0 GB (50%)');
    expect(at(740, 260).color).toBe('green');
    expect(at(750, 250).color).toBe('orange');
    expect(at(899, 101).color).toBe('orange');
    expect(at(900, 100).color).toBe('red');
    expect(at(300, 200).text).toBe('300 MB / 500 MB (60%)');
  });

  it('uses the total when reported', () => {
    expect(agentMemoryBadge({ memoryUsedMb: 950, memoryAvailableMb: null, totalMemoryMb: 1000 })!.color).toBe('red');
  });

  it('is absent when memory is not reported (idle agents, self-hosted)', () => {
    expect(agentMemoryBadge({ memoryUsedMb: null, memoryAvailableMb: 100, totalMemoryMb: 200 })).toBeNull();
    expect(agentMemoryBadge({ memoryUsedMb: 100, memoryAvailableMb: null, totalMemoryMb: null })).toBeNull();
  });
});

describe('agent host and labels', () => {
  it('host from the hostname, else the kici:host: label', () => {
    expect(agentHost({ hostname: 'build-01', labels: ['kici:host:other'] })).toBe('build-01');
    expect(agentHost({ hostname: null, labels: ['linux', 'kici:host:build-02'] })).toBe('build-02');
    expect(agentHost({ hostname: null, labels: ['linux'] })).toBeNull();
  });

  it('kici: labels are auto-generated', () => {
    expect(isAutoLabel('kici:os:linux')).toBe(true);
    expect(isAutoLabel('linux')).toBe(false);
  });
});

describe('header node count', () => {
  it('counts coordinator, peers and standalones once each, with the billing explanation', () => {
    const b = nodeCountBadge([
      orchestratorNode({ instanceId: 'orch-a', role: 'coordinator' }),
      orchestratorNode({ instanceId: 'orch-b', role: 'coordinator' }),
      orchestratorNode({ instanceId: 'orch-c', role: 'worker' }),
      orchestratorNode({ instanceId: 'solo' }),
      orchestratorNode({ url: 'http://unknown:4000' }),
    ]);
    expect([b.count, b.text]).toEqual([5, '5 nodes']);
    expect(b.tooltip).toBe(NODE_COUNT_EXPLANATION);
    expect(b.tooltip).toContain('8 nodes here and 4 connections on billing');
  });

  it('does not count the same instance twice, and says "node" for one', () => {
    const b = nodeCountBadge([orchestratorNode({ instanceId: 'a' }), orchestratorNode({ instanceId: 'a' })]);
    expect([b.count, b.text]).toEqual([1, '1 node']);
  });
});

// Mutation testing (issue 20): each badge whole — text, colour and the tooltip the page shows — and the edges of
// the rules that pick it.
describe('badges in full (issue 20)', () => {
  const bm = scalerPool({ name: 'bm', type: 'bare-metal' });
  const fc = scalerPool({ name: 'fc', type: 'firecracker' });
  const BARE_METAL =
    'Runs as root with a bare-metal scaler: jobs run directly on this host with root privileges. ' +
    'A non-privileged user is safer; root here usually indicates a misconfiguration.';

  it('root reported by name only (no uid) with a bare-metal scaler is red', () => {
    expect(runningUserBadge(orchestratorNode({ runningAsUser: 'root', runningAsUid: null, scalers: [bm] }))).toEqual({
      kind: 'root-bare-metal',
      text: 'root',
      color: 'red',
      tooltip: BARE_METAL,
    });
  });

  it('uid 0 without a name is root too; a uid other than 0 is not root whatever the name', () => {
    expect(
      runningUserBadge(orchestratorNode({ runningAsUser: null, runningAsUid: 0, scalerBackends: ['firecracker'] }))
    ).toEqual({
      kind: 'root-firecracker',
      text: 'uid (0)',
      color: 'green',
      tooltip: 'Runs as root, as Firecracker scalers require for VM management.',
    });
    expect(runningUserBadge(orchestratorNode({ runningAsUser: 'root', runningAsUid: 1000, scalers: [bm] }))).toEqual({
      kind: 'user',
      text: 'root (1000)',
      color: 'neutral',
      tooltip: 'Runs as a non-root user.',
    });
    expect(runningUserBadge(orchestratorNode({ runningAsUser: 'kici', runningAsUid: null, scalers: [bm] }))).toEqual({
      kind: 'user',
      text: 'kici',
      color: 'neutral',
      tooltip: 'Runs as a non-root user.',
    });
    expect(
      runningUserBadge(
        orchestratorNode({
          runningAsUser: 'root',
          runningAsUid: 0,
          scalers: [scalerPool({ name: 'k', type: 'kubernetes' })],
        })
      )
    ).toEqual({
      kind: 'root',
      text: 'root (0)',
      color: 'neutral',
      tooltip: 'Runs as root; none of its scalers needs it.',
    });
  });

  it('an unreported user without a stated reason is the Platform-only explanation', () => {
    expect(runningUserBadge(orchestratorNode({ scalers: [fc] }))).toEqual({
      kind: 'unknown',
      text: 'user unknown',
      color: 'neutral',
      tooltip: `OS user: ${PLATFORM_ONLY}`,
    });
    expect(runningUserBadge(orchestratorNode({ missing: { runningAsUser: 'the orchestrator is down' } })).tooltip).toBe(
      'OS user: the orchestrator is down'
    );
  });

  it('Raft badges, whole', () => {
    expect(raftRoleBadge(orchestratorNode({ raftRole: 'leader', raftTerm: 3 }))).toEqual({
      text: 'leader',
      color: 'blue',
      tooltip:
        'Raft leader (term 3): runs the cluster-wide duties (event retry and lease scanner, roster reaper, orphan-run recovery). ' +
        'A single orchestrator elects itself leader (dormant mode).',
    });
    expect(raftRoleBadge(orchestratorNode({ raftRole: 'follower', raftTerm: null, raftLeaderId: null }))).toEqual({
      text: 'follower',
      color: 'neutral',
      tooltip: 'Raft follower: follows the leader and stands for election if the leader is lost.',
    });
    expect(raftRoleBadge(orchestratorNode({ raftRole: 'candidate', raftTerm: 0 }))).toEqual({
      text: 'candidate',
      color: 'orange',
      tooltip: 'Raft candidate (term 0): no leader is known right now and this node is standing for election.',
    });
    const worker = {
      text: 'worker',
      color: 'purple',
      tooltip:
        'Worker node: runs jobs for its coordinator and takes no part in Raft elections; it holds no database connection.',
    };
    expect(raftRoleBadge(orchestratorNode({ role: null, raftRole: 'worker' as never }))).toEqual(worker);
    expect(raftRoleBadge(orchestratorNode({ role: 'worker', raftRole: 'leader' }))).toEqual(worker);
    expect(raftRoleBadge(orchestratorNode({ role: 'coordinator', raftRole: null }))).toBeNull();
  });

  it('a node known by its connection id and host is named by the connection id', () => {
    expect(
      orchestratorName(orchestratorNode({ connectionId: '0123456789ab', hostname: 'h', url: 'http://u' }))
    ).toEqual({ name: '01234567', bold: false, conn: null });
    expect(orchestratorName(orchestratorNode({ hostname: 'h', url: 'http://u' }))).toEqual({
      name: 'h',
      bold: false,
      conn: null,
    });
  });

  it.each([
    ['1.0.0', '1.0.0-rc.1', 1],
    ['1.0.0-rc.1', '1.0.0-rc.1', 0],
    ['1.0.0-alpha.1', '1.0.0-alpha', 1],
    ['1.0.0-alpha.beta', '1.0.0-alpha.1', 1],
    ['1.0.0-alpha.1', '1.0.0-alpha.beta', -1],
    ['1.0.0-beta', '1.0.0-alpha', 1],
    ['1.0.0-alpha', '1.0.0-beta', -1],
    ['1.0.0-rc.10', '1.0.0-rc.2', 1],
    ['1.2.3+build.5', '1.2.3', 0],
    [' v1.2.3 ', '1.2.3', 0],
    ['2.0.0', '10.0.0', -1],
    ['1.2.0', '1.10.0', -1],
    ['1.0.2', '1.0.10', -1],
    ['1.0', '1.0.0', null],
    ['1.0.0.0', '1.0.0', null],
    ['x1.0.0', '1.0.0', null],
    ['1.0.0-', '1.0.0', null],
    ['1.0.0', 'latest', null],
  ] as const)('%s vs %s: %s', (a, b, sign) => {
    const c = compareVersions(a, b);
    expect(c === null ? null : Math.sign(c)).toBe(sign);
  });

  it('the update badge names the running and the published version, without a v', () => {
    expect(updateBadge('agent', 'v0.1.0', 'v0.2.0')).toEqual({
      text: 'update available',
      color: 'orange',
      tooltip: "Running v0.1.0; 0.2.0 is published. Run these on the agent's host:",
      latest: '0.2.0',
      commands: ['npm install -g @kici-dev/agent@0.2.0', 'kici-admin agent upgrade --version 0.2.0 --yes'],
    });
    expect(updateBadge('agent', '0.2.0', 'unknown')).toBeNull();
    expect(updateBadge('agent', '', '0.2.0')).toBeNull();
    expect(updateBadge('agent', '0.2.0', '')).toBeNull();
    expect(agentUpdateBadge(agentNode({ agentId: 'a', version: '0.9.1' }), '0.9.1')).toBeNull();
    expect(orchestratorUpdateBadge(orchestratorNode({ version: '0.9.1' }), '1.0.0')!.tooltip).toBe(
      "Running 0.9.1; 1.0.0 is published. Run these on the orchestrator's host:"
    );
  });

  it('scaler host badges: an unset local flag follows the type; reported hosts win', () => {
    expect(scalerHostBadges(scalerPool({ name: 'b', type: 'bare-metal', hosts: ['m1', 'm2'] }), 'h')).toEqual([
      'kici:host:m1',
      'kici:host:m2',
    ]);
    expect(scalerHostBadges(scalerPool({ name: 'b', type: 'bare-metal' }), 'h')).toEqual(['kici:host:h']);
    expect(scalerHostBadges(scalerPool({ name: 'k', type: 'kubernetes', spawnsOnLocalHost: true }), 'h')).toEqual([
      'kici:host:h',
    ]);
    expect(scalerHostBadges(scalerPool({ name: 'b', type: 'bare-metal', spawnsOnLocalHost: false }), 'h')).toEqual([]);
    expect(spawnsOnLocalHost('container', '')).toBe(true);
    expect(scalerCapacityText({ activeAgents: null, maxAgents: 0 })).toBe('?/0');
  });

  it('memory badge whole, and none when the total is not positive', () => {
    expect(agentMemoryBadge({ memoryUsedMb: 1536, memoryAvailableMb: 512, totalMemoryMb: null })).toEqual({
      text: '1.5 GB / 2.0 GB (75%)',
      color: 'orange',
      percent: 75,
      tooltip: "Memory used 75% (as of the agent's last status report)",
    });
    // 89.96 % shows as 90 % and stays orange; 74.96 % shows as 75 % and stays green.
    expect(agentMemoryBadge({ memoryUsedMb: 8996, memoryAvailableMb: null, totalMemoryMb: 10000 })).toMatchObject({
      color: 'orange',
      percent: 90,
    });
    expect(agentMemoryBadge({ memoryUsedMb: 7496, memoryAvailableMb: null, totalMemoryMb: 10000 })).toMatchObject({
      color: 'green',
      percent: 75,
    });
    expect(agentMemoryBadge({ memoryUsedMb: 0, memoryAvailableMb: 0, totalMemoryMb: null })).toBeNull();
    expect(agentMemoryBadge({ memoryUsedMb: 10, memoryAvailableMb: 5, totalMemoryMb: 0 })).toBeNull();
    expect(agentMemoryBadge({ memoryUsedMb: 1023.6, memoryAvailableMb: 0.4, totalMemoryMb: null })!.text).toBe(
      '1024 MB / 1.0 GB (100%)'
    );
  });

  it('agent host: a label that only contains kici:host: is not a host', () => {
    expect(agentHost({ hostname: '', labels: ['x-kici:host:a', 'kici:host:b'] })).toBe('b');
    expect(isAutoLabel('my-kici:x')).toBe(false);
  });

  it('node count: by instance id, else connection id, else URL; nodes known by nothing count one each', () => {
    const b = nodeCountBadge([
      orchestratorNode({ connectionId: 'c1' }),
      orchestratorNode({ connectionId: 'c1' }),
      orchestratorNode({ url: 'http://a' }),
      orchestratorNode({ url: 'http://a' }),
      orchestratorNode(),
      orchestratorNode(),
    ]);
    expect(b).toEqual({ count: 4, text: '4 nodes', color: 'neutral', tooltip: NODE_COUNT_EXPLANATION });
    expect(nodeCountBadge([]).text).toBe('0 nodes');
  });
});
