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
