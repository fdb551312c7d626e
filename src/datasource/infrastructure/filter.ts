// Webhook sources parsed from routing keys, and the page's search/filter predicate.
import { agentHost } from './badges';
import type { AgentNode, OrchestratorNode } from './model';

export type WebhookSource =
  | { kind: 'github'; routingKey: string; appId: string; text: string }
  | { kind: 'generic'; routingKey: string; orgId: string; sourceId: string; text: string }
  | { kind: 'remote'; routingKey: string; orgId: string; text: string }
  | { kind: 'unknown'; routingKey: string; text: string };

/** `github:<appId>`, `generic:<orgId>:<sourceId>`, `remote:<orgId>` (contract §3.4); anything else is shown as is. */
export function parseRoutingKey(routingKey: string): WebhookSource {
  const [kind, ...rest] = routingKey.split(':');
  if (kind === 'github' && rest.length === 1 && rest[0]) {
    return { kind, routingKey, appId: rest[0], text: `GitHub App ${rest[0]}` };
  }
  if (kind === 'generic' && rest.length >= 2 && rest[0] && rest.slice(1).join(':')) {
    const sourceId = rest.slice(1).join(':');
    return { kind, routingKey, orgId: rest[0], sourceId, text: `Generic webhook ${sourceId} (org ${rest[0]})` };
  }
  if (kind === 'remote' && rest.length === 1 && rest[0]) {
    return { kind, routingKey, orgId: rest[0], text: `kici run remote (org ${rest[0]})` };
  }
  return { kind: 'unknown', routingKey, text: routingKey };
}

export function webhookSources(routingKeys: string[]): WebhookSource[] {
  return [...new Set(routingKeys)].map(parseRoutingKey);
}

export interface InfrastructureFilter {
  /** Free text: matched (case-insensitive substring) against host, labels, version and ids. */
  text?: string;
  host?: string;
  /** Exact label, e.g. `kici:os:linux`. */
  label?: string;
  version?: string;
}

function norm(s: string | undefined): string {
  return (s ?? '').trim().toLowerCase();
}

function isEmpty(f: InfrastructureFilter): boolean {
  return !norm(f.text) && !norm(f.host) && !norm(f.label) && !norm(f.version);
}

export function agentMatches(a: AgentNode, f: InfrastructureFilter): boolean {
  const host = norm(agentHost(a) ?? '');
  if (norm(f.host) && !host.includes(norm(f.host))) {
    return false;
  }
  if (norm(f.label) && !a.labels.some((l) => l.toLowerCase() === norm(f.label))) {
    return false;
  }
  if (norm(f.version) && norm(a.version ?? '') !== norm(f.version).replace(/^v/, '')) {
    return false;
  }
  const t = norm(f.text);
  if (t) {
    const hay = [a.agentId, host, a.version ?? '', a.scalerName ?? '', ...a.labels].map((x) => x.toLowerCase());
    return hay.some((x) => x.includes(t));
  }
  return true;
}

export function orchestratorMatches(o: OrchestratorNode, f: InfrastructureFilter): boolean {
  if (norm(f.host) && !norm(o.hostname ?? '').includes(norm(f.host))) {
    return false;
  }
  if (norm(f.label)) {
    const own = o.scalers.flatMap((s) => [...(s.labelSets ?? []).flat(), ...s.hosts.map((h) => `kici:host:${h}`)]);
    if (!own.some((l) => l.toLowerCase() === norm(f.label))) {
      return false;
    }
  }
  if (norm(f.version) && norm(o.version ?? '') !== norm(f.version).replace(/^v/, '')) {
    return false;
  }
  const t = norm(f.text);
  if (t) {
    const hay = [
      o.instanceId ?? '',
      o.connectionId ?? '',
      o.hostname ?? '',
      o.version ?? '',
      ...o.scalers.map((s) => s.name),
    ];
    return hay.some((x) => x.toLowerCase().includes(t));
  }
  return true;
}

/**
 * The tree filtered: an orchestrator stays when it matches itself (with all its agents) or when any of its agents
 * match (with only those agents). With an empty filter the input comes back unchanged.
 */
export function filterOrchestrators(orchestrators: OrchestratorNode[], f: InfrastructureFilter): OrchestratorNode[] {
  if (isEmpty(f)) {
    return orchestrators;
  }
  const out: OrchestratorNode[] = [];
  for (const o of orchestrators) {
    if (orchestratorMatches(o, f)) {
      out.push(o);
      continue;
    }
    const agents = o.agents.filter((a) => agentMatches(a, f));
    if (agents.length) {
      out.push({ ...o, agents });
    }
  }
  return out;
}

export function filterAgents(agents: AgentNode[], f: InfrastructureFilter): AgentNode[] {
  return isEmpty(f) ? agents : agents.filter((a) => agentMatches(a, f));
}
