import { filterAgents, filterOrchestrators, parseRoutingKey, webhookSources } from './filter';
import { agentNode, orchestratorNode, scalerPool } from './testing';

describe('webhook sources from routing keys', () => {
  it('parses github, generic and remote keys', () => {
    expect(parseRoutingKey('github:42')).toEqual({
      kind: 'github',
      routingKey: 'github:42',
      appId: '42',
      text: 'GitHub App 42',
    });
    expect(parseRoutingKey('generic:acme:deploy-hooks')).toEqual({
      kind: 'generic',
      routingKey: 'generic:acme:deploy-hooks',
      orgId: 'acme',
      sourceId: 'deploy-hooks',
      text: 'Generic webhook deploy-hooks (org acme)',
    });
    expect(parseRoutingKey('remote:org-1')).toEqual({
      kind: 'remote',
      routingKey: 'remote:org-1',
      orgId: 'org-1',
      text: 'kici run remote (org org-1)',
    });
  });

  it('keeps anything else as is, and de-duplicates', () => {
    expect(parseRoutingKey('github:')).toEqual({ kind: 'unknown', routingKey: 'github:', text: 'github:' });
    expect(parseRoutingKey('generic:acme')).toMatchObject({ kind: 'unknown' });
    expect(parseRoutingKey('gitlab:9')).toMatchObject({ kind: 'unknown', text: 'gitlab:9' });
    expect(webhookSources(['github:42', 'github:42', 'remote:o']).map((s) => s.kind)).toEqual(['github', 'remote']);
  });
});

describe('search/filter', () => {
  const build01 = agentNode({
    agentId: 'build-01-1a2b',
    hostname: 'build-01',
    labels: ['linux', 'kici:host:build-01'],
    version: '0.9.1',
  });
  const fc = agentNode({
    agentId: 'fc-1',
    hostname: 'fc-0a1b',
    labels: ['linux', 'vm', 'kici:scaler:fc-linux'],
    ephemeral: true,
    scalerName: 'fc-linux',
  });
  const old = agentNode({ agentId: 'build-02', labels: ['kici:host:build-02', 'x64'], version: '0.1.24' });
  const a = orchestratorNode({
    instanceId: 'orch-a',
    hostname: 'ci-host-1',
    version: '0.9.1',
    agents: [build01, fc],
    scalers: [
      scalerPool({ name: 'fc-linux', type: 'firecracker', labelSets: [['linux', 'vm']], hosts: ['ci-host-1'] }),
    ],
  });
  const b = orchestratorNode({ instanceId: 'orch-b', hostname: 'ci-host-2', version: '0.1.24', agents: [old] });

  it('an empty filter returns the input unchanged', () => {
    expect(filterOrchestrators([a, b], {})).toEqual([a, b]);
    expect(filterOrchestrators([a, b], { text: '  ' })).toEqual([a, b]);
  });

  it('by host: an orchestrator host keeps the whole node; an agent host keeps only that agent', () => {
    expect(filterOrchestrators([a, b], { host: 'ci-host-2' })).toEqual([b]);
    const r = filterOrchestrators([a, b], { host: 'BUILD-01' });
    expect(r.map((o) => o.instanceId)).toEqual(['orch-a']);
    expect(r[0].agents.map((x) => x.agentId)).toEqual(['build-01-1a2b']);
  });

  it('agent host falls back to the kici:host: label', () => {
    expect(filterAgents([build01, fc, old], { host: 'build-02' })).toEqual([old]);
  });

  it('by label: exact, case-insensitive, on agents and on scaler label sets', () => {
    expect(filterAgents([build01, fc, old], { label: 'kici:scaler:fc-linux' })).toEqual([fc]);
    expect(filterAgents([build01, fc, old], { label: 'kici:scaler' })).toEqual([]);
    expect(filterOrchestrators([a, b], { label: 'VM' }).map((o) => [o.instanceId, o.agents.length])).toEqual([
      ['orch-a', 2],
    ]);
    expect(filterOrchestrators([a, b], { label: 'kici:host:ci-host-1' })).toEqual([a]);
  });

  it('by version, with or without a leading v', () => {
    expect(filterOrchestrators([a, b], { version: 'v0.1.24' })).toEqual([b]);
    expect(filterAgents([build01, fc, old], { version: '0.9.1' })).toEqual([build01]);
  });

  it('free text over ids, hosts, versions, scalers and labels', () => {
    expect(filterAgents([build01, fc, old], { text: 'fc-LINUX' })).toEqual([fc]);
    expect(filterOrchestrators([a, b], { text: 'orch-b' })).toEqual([b]);
    expect(filterOrchestrators([a, b], { text: 'nothing-matches' })).toEqual([]);
  });

  it('criteria combine', () => {
    expect(filterAgents([build01, fc, old], { label: 'linux', host: 'fc' })).toEqual([fc]);
  });
});

// Mutation testing (issue 20): which nodes the Infrastructure page keeps for each filter a user types.
describe('search/filter: what each criterion keeps and drops (issue 20)', () => {
  const linuxAgent = agentNode({
    agentId: 'lx-1',
    hostname: 'lx-host',
    labels: ['linux', 'gpu'],
    version: '0.9.1',
    scalerName: 'pool-a',
  });
  const bare = agentNode({ agentId: 'bare-7', labels: [], version: null });
  const withLabels = orchestratorNode({
    instanceId: 'orch-l',
    connectionId: 'conn-77',
    hostname: 'orch-l-host',
    version: '0.9.1',
    agents: [linuxAgent, bare],
    scalers: [scalerPool({ name: 'pool-a', type: 'docker', labelSets: [['linux', 'docker']], hosts: ['h1'] })],
  });
  const noHost = orchestratorNode({ instanceId: 'orch-n', hostname: null, version: null, agents: [] });
  const ids = (os: ReturnType<typeof filterOrchestrators>) =>
    os.map((o) => [o.instanceId, o.agents.map((x) => x.agentId)]);

  it('a label no scaler and no agent carries keeps nothing, though the scalers carry other labels', () => {
    expect(filterOrchestrators([withLabels, noHost], { label: 'windows' })).toEqual([]);
    expect(filterOrchestrators([withLabels], { label: 'gpu' }).map((o) => o.agents.map((x) => x.agentId))).toEqual([
      ['lx-1'],
    ]);
    expect(ids(filterOrchestrators([withLabels], { label: 'Docker' }))).toEqual([['orch-l', ['lx-1', 'bare-7']]]);
    expect(ids(filterOrchestrators([withLabels], { label: 'kici:host:H1' }))).toEqual([['orch-l', ['lx-1', 'bare-7']]]);
    expect(filterOrchestrators([withLabels], { label: 'kici:host:h2' })).toEqual([]);
  });

  it('a version matches exactly (with or without v, any case), not as a prefix', () => {
    expect(ids(filterOrchestrators([withLabels, noHost], { version: 'V0.9.1' }))).toEqual([
      ['orch-l', ['lx-1', 'bare-7']],
    ]);
    expect(filterOrchestrators([withLabels, noHost], { version: '0.9' })).toEqual([]);
    expect(filterOrchestrators([withLabels, noHost], { version: '0.9.10' })).toEqual([]);
    expect(filterAgents([linuxAgent, bare], { version: 'v0.9.1' })).toEqual([linuxAgent]);
    expect(filterAgents([linuxAgent, bare], { version: '0.9' })).toEqual([]);
  });

  it('a node without a host or version is kept by no host or version filter', () => {
    expect(filterOrchestrators([noHost], { host: 'orch' })).toEqual([]);
    expect(filterAgents([bare], { host: 'bare' })).toEqual([]);
    expect(filterOrchestrators([noHost], { version: 'unknown' })).toEqual([]);
  });

  it('an orchestrator host that does not match keeps only the agents whose host does', () => {
    expect(ids(filterOrchestrators([withLabels, noHost], { host: ' LX-HOST ' }))).toEqual([['orch-l', ['lx-1']]]);
    expect(ids(filterOrchestrators([withLabels, noHost], { host: 'orch-l' }))).toEqual([
      ['orch-l', ['lx-1', 'bare-7']],
    ]);
  });

  it.each([
    ['conn-77', [['orch-l', ['lx-1', 'bare-7']]]],
    ['ORCH-L-HOST', [['orch-l', ['lx-1', 'bare-7']]]],
    ['pool-a', [['orch-l', ['lx-1', 'bare-7']]]],
    ['0.9.1', [['orch-l', ['lx-1', 'bare-7']]]],
    ['orch-n', [['orch-n', []]]],
    ['bare-7', [['orch-l', ['bare-7']]]],
    ['gpu', [['orch-l', ['lx-1']]]],
    ['lx-host', [['orch-l', ['lx-1']]]],
    ['zzz', []],
  ])('free text %j keeps %j', (text, expected) => {
    expect(ids(filterOrchestrators([withLabels, noHost], { text }))).toEqual(expected);
  });

  it.each([
    ['lx-1', ['lx-1']],
    ['LX-HOST', ['lx-1']],
    ['0.9', ['lx-1']],
    ['POOL', ['lx-1']],
    ['GPU', ['lx-1']],
    ['bare', ['bare-7']],
    ['nothing', []],
  ])('agents: free text %j keeps %j', (text, expected) => {
    expect(filterAgents([linuxAgent, bare], { text }).map((a) => a.agentId)).toEqual(expected);
  });

  it('agents: a label filter is exact, any case, and an empty filter returns the same list', () => {
    expect(filterAgents([linuxAgent, bare], { label: 'LINUX' })).toEqual([linuxAgent]);
    expect(filterAgents([linuxAgent, bare], { label: 'linu' })).toEqual([]);
    const list = [linuxAgent, bare];
    expect(filterAgents(list, { text: ' ', host: '', label: '  ', version: '' })).toBe(list);
    expect(filterOrchestrators([noHost], { host: '  ' })).toEqual([noHost]);
  });

  it.each([
    ['host', { host: 'qq' }],
    ['label', { label: 'qq' }],
    ['version', { version: 'qq' }],
  ])('a %s alone is a filter', (_what, f) => {
    expect(filterAgents([linuxAgent, bare], f)).toEqual([]);
    expect(filterOrchestrators([withLabels, noHost], f)).toEqual([]);
  });
});

describe('routing keys that are not KiCI shapes (issue 20)', () => {
  it.each(['github:1:2', 'github', 'remote:', 'remote:a:b', 'generic::x', 'generic:acme:', 'generic:', ''])(
    '%j is shown as is',
    (key) => {
      expect(parseRoutingKey(key)).toEqual({ kind: 'unknown', routingKey: key, text: key });
    }
  );

  it('a generic source id may hold colons', () => {
    expect(parseRoutingKey('generic:acme:a:b')).toEqual({
      kind: 'generic',
      routingKey: 'generic:acme:a:b',
      orgId: 'acme',
      sourceId: 'a:b',
      text: 'Generic webhook a:b (org acme)',
    });
  });

  it('sources keep the order of their first appearance', () => {
    expect(webhookSources(['remote:o', 'github:1', 'remote:o', 'gitlab:2']).map((s) => s.routingKey)).toEqual([
      'remote:o',
      'github:1',
      'gitlab:2',
    ]);
  });
});
