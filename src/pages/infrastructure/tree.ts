// The Infrastructure tree as the page renders it: orchestrators → scaler pools → agents, a stateful group per
// orchestrator, and stateful agents no orchestrator holds. Groups of agents are shown a page at a time, so a
// fleet of thousands renders only what is expanded.
import { filterAgents, filterOrchestrators, type InfrastructureFilter } from '../../datasource/infrastructure/filter';
import type { AgentNode, Infrastructure, OrchestratorNode, ScalerPool } from '../../datasource/infrastructure/model';

export const AGENT_PAGE_SIZE = 50;
/** A filter expands the agent groups it matched, as long as they hold at most this many agents together. */
export const AUTO_EXPAND_AGENTS = 200;
/** Up to this many orchestrators start expanded. */
export const AUTO_EXPAND_ORCHESTRATORS = 3;

export type AgentGroupKind = 'scaler' | 'unpooled' | 'stateful' | 'disconnected';

export interface AgentGroup {
  key: string;
  kind: AgentGroupKind;
  agents: AgentNode[];
}

export interface ScalerView {
  pool: ScalerPool;
  group: AgentGroup;
}

export interface OrchestratorView {
  key: string;
  node: OrchestratorNode;
  scalers: ScalerView[];
  /** Scaler-spawned agents whose pool this orchestrator does not list. */
  unpooled: AgentGroup;
  stateful: AgentGroup;
}

export interface TreeView {
  orchestrators: OrchestratorView[];
  /** Stateful agents no listed orchestrator holds (disconnected roster rows). */
  disconnected: AgentGroup;
  filtered: boolean;
  /** Agents in the tree after filtering (orchestrator groups + disconnected). */
  agentCount: number;
}

export function isFilterActive(f: InfrastructureFilter): boolean {
  return [f.text, f.host, f.label, f.version].some((v) => (v ?? '').trim() !== '');
}

export function orchestratorKey(o: Pick<OrchestratorNode, 'instanceId' | 'connectionId' | 'url'>, index: number) {
  return `o:${o.instanceId ?? o.connectionId ?? o.url ?? `#${index}`}`;
}

function viewOf(node: OrchestratorNode, key: string): OrchestratorView {
  const byPool = new Map<string, AgentNode[]>(node.scalers.map((s) => [s.name, []]));
  const unpooled: AgentNode[] = [];
  const stateful: AgentNode[] = [];
  for (const a of node.agents) {
    const pool = a.scalerName === null ? undefined : byPool.get(a.scalerName);
    if (pool) {
      pool.push(a);
    } else if (a.ephemeral || a.scalerName !== null) {
      unpooled.push(a);
    } else {
      stateful.push(a);
    }
  }
  return {
    key,
    node,
    scalers: node.scalers.map((pool) => ({
      pool,
      group: { key: `${key}/scaler:${pool.name}`, kind: 'scaler', agents: byPool.get(pool.name) ?? [] },
    })),
    unpooled: { key: `${key}/unpooled`, kind: 'unpooled', agents: unpooled },
    stateful: { key: `${key}/stateful`, kind: 'stateful', agents: stateful },
  };
}

export function buildTree(model: Infrastructure, filter: InfrastructureFilter): TreeView {
  const keys = new Map(model.orchestrators.map((o, i) => [o, orchestratorKey(o, i)]));
  const kept = filterOrchestrators(model.orchestrators, filter);
  // filterOrchestrators copies a node when it keeps only some of its agents: find the key by identity first.
  const orchestrators = kept.map((o) => {
    const key =
      keys.get(o) ??
      orchestratorKey(
        o,
        model.orchestrators.findIndex((x) => sameNode(x, o))
      );
    return viewOf(o, key);
  });
  const held = new Set(model.orchestrators.flatMap((o) => o.agents.map((a) => a.agentId)));
  const disconnected = filterAgents(
    model.statefulAgents.filter((a) => !held.has(a.agentId)),
    filter
  );
  return {
    orchestrators,
    disconnected: { key: 'disconnected', kind: 'disconnected', agents: disconnected },
    filtered: isFilterActive(filter),
    agentCount: orchestrators.reduce((n, o) => n + o.node.agents.length, 0) + disconnected.length,
  };
}

function sameNode(a: OrchestratorNode, b: OrchestratorNode): boolean {
  return a.instanceId === b.instanceId && a.connectionId === b.connectionId && a.url === b.url;
}

export function agentGroups(o: OrchestratorView): AgentGroup[] {
  return [...o.scalers.map((s) => s.group), o.unpooled, o.stateful];
}

/**
 * Which groups start expanded: a few orchestrators (or all kept by a filter), and, under a filter, the agent groups
 * it matched when they are small enough to show at once.
 */
export function defaultExpanded(tree: TreeView): Set<string> {
  const open = new Set<string>();
  if (tree.filtered || tree.orchestrators.length <= AUTO_EXPAND_ORCHESTRATORS) {
    tree.orchestrators.forEach((o) => open.add(o.key));
  }
  if (tree.filtered && tree.agentCount <= AUTO_EXPAND_AGENTS) {
    for (const g of [...tree.orchestrators.flatMap(agentGroups), tree.disconnected]) {
      if (g.agents.length) {
        open.add(g.key);
      }
    }
  }
  return open;
}

export function isExpanded(key: string, explicit: Record<string, boolean>, defaults: Set<string>): boolean {
  return explicit[key] ?? defaults.has(key);
}

/** The rows of a group to render, and how many are left behind "show more". */
export function visibleAgents(
  group: AgentGroup,
  shown: Record<string, number>
): { agents: AgentNode[]; remaining: number } {
  const limit = Math.max(AGENT_PAGE_SIZE, shown[group.key] ?? AGENT_PAGE_SIZE);
  return { agents: group.agents.slice(0, limit), remaining: Math.max(0, group.agents.length - limit) };
}
