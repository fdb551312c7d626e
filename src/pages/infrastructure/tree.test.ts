import { agentNode, orchestratorNode, scalerPool } from '../../datasource/infrastructure/testing';
import { fleet, infrastructure } from './testing';
import {
  AGENT_PAGE_SIZE,
  agentGroups,
  buildTree,
  defaultExpanded,
  isExpanded,
  orchestratorKey,
  visibleAgents,
} from './tree';

const fcAgent = agentNode({ agentId: 'fc-1', scalerName: 'fc', ephemeral: true, labels: ['kici:scaler:fc'] });
const orphanSpawn = agentNode({ agentId: 'spawn-9', scalerName: null, ephemeral: true });
const gonePool = agentNode({ agentId: 'old-1', scalerName: 'removed-pool', ephemeral: true });
const build01 = agentNode({ agentId: 'build-01', hostname: 'build-01', labels: ['kici:host:build-01'] });
const offline = agentNode({ agentId: 'build-02', status: 'unreachable', labels: ['kici:host:build-02'] });
const a = orchestratorNode({
  instanceId: 'orch-a',
  hostname: 'ci-host-1',
  scalers: [scalerPool({ name: 'fc', type: 'firecracker' }), scalerPool({ name: 'idle', type: 'bare-metal' })],
  agents: [fcAgent, orphanSpawn, gonePool, build01],
});
const b = orchestratorNode({ url: 'http://orch-b:4000', error: 'timeout after 5000 ms', reachable: false });
const model = infrastructure({ orchestrators: [a, b], statefulAgents: [build01, offline] });

describe('buildTree', () => {
  it('groups agents under their pool, spawned agents of unknown pools apart, stateful ones in their own group', () => {
    const t = buildTree(model, {});
    expect(t.orchestrators.map((o) => o.key)).toEqual(['o:orch-a', 'o:http://orch-b:4000']);
    const [va] = t.orchestrators;
    expect(va.scalers.map((s) => [s.pool.name, s.group.agents.map((x) => x.agentId)])).toEqual([
      ['fc', ['fc-1']],
      ['idle', []],
    ]);
    expect(va.unpooled.agents.map((x) => x.agentId)).toEqual(['spawn-9', 'old-1']);
    expect(va.stateful.agents.map((x) => x.agentId)).toEqual(['build-01']);
    expect(agentGroups(va).map((g) => g.key)).toEqual([
      'o:orch-a/scaler:fc',
      'o:orch-a/scaler:idle',
      'o:orch-a/unpooled',
      'o:orch-a/stateful',
    ]);
  });

  it('stateful agents no orchestrator holds are listed once, apart', () => {
    const t = buildTree(model, {});
    expect(t.disconnected.agents.map((x) => x.agentId)).toEqual(['build-02']);
    expect(t.agentCount).toBe(5);
    expect(t.filtered).toBe(false);
  });

  it('a filter keeps the matching agents and their orchestrator, with the same key', () => {
    const t = buildTree(model, { host: 'build-01' });
    expect(t.filtered).toBe(true);
    expect(t.orchestrators.map((o) => o.key)).toEqual(['o:orch-a']);
    expect(t.orchestrators[0].stateful.agents.map((x) => x.agentId)).toEqual(['build-01']);
    expect(t.orchestrators[0].scalers[0].group.agents).toEqual([]);
    expect(t.disconnected.agents).toEqual([]);
    expect(buildTree(model, { label: 'kici:host:build-02' }).disconnected.agents).toEqual([offline]);
  });

  it('keys fall back to the connection id, the URL, then the position', () => {
    expect(orchestratorKey({ instanceId: null, connectionId: 'c1', url: 'http://x' }, 3)).toBe('o:c1');
    expect(orchestratorKey({ instanceId: null, connectionId: null, url: null }, 3)).toBe('o:#3');
  });
});

describe('expansion and paging', () => {
  it('a few orchestrators start open, agent groups closed', () => {
    const open = defaultExpanded(buildTree(model, {}));
    expect([...open]).toEqual(['o:orch-a', 'o:http://orch-b:4000']);
  });

  it('a large fleet starts fully collapsed', () => {
    expect(defaultExpanded(buildTree(fleet(50, 5000), {})).size).toBe(0);
  });

  it('a filter opens what it matched when it is small, and only the orchestrators when it is not', () => {
    const small = defaultExpanded(buildTree(model, { host: 'build-01' }));
    expect([...small].sort()).toEqual(['o:orch-a', 'o:orch-a/stateful']);
    const big = buildTree(fleet(50, 5000), { label: 'linux' });
    const open = defaultExpanded(big);
    expect(open.size).toBe(50);
    expect([...open].every((k) => !k.includes('/'))).toBe(true);
  });

  it('an explicit toggle wins over the default', () => {
    const defaults = new Set(['o:orch-a']);
    expect(isExpanded('o:orch-a', {}, defaults)).toBe(true);
    expect(isExpanded('o:orch-a', { 'o:orch-a': false }, defaults)).toBe(false);
    expect(isExpanded('o:orch-b', { 'o:orch-b': true }, defaults)).toBe(true);
  });

  it('shows a page of agents at a time', () => {
    const group = buildTree(fleet(1, 130), {}).orchestrators[0].stateful;
    expect(group.agents).toHaveLength(26);
    const pool = buildTree(fleet(1, 130), {}).orchestrators[0].scalers[0].group;
    expect(pool.agents).toHaveLength(52);
    expect(visibleAgents(pool, {}).agents).toHaveLength(AGENT_PAGE_SIZE);
    expect(visibleAgents(pool, {}).remaining).toBe(2);
    expect(visibleAgents(pool, { [pool.key]: 100 })).toEqual({ agents: pool.agents, remaining: 0 });
  });
});
