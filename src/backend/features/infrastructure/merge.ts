// With KiCI Platform and orchestrator URLs both configured: the Platform's tree, plus what the plugin's own probes of
// those URLs know. A Platform node gets the configured URL that answered as it; a configured orchestrator the Platform
// does not list (down, or never connected) is still a node of the page, with why it could not be read — the Overview's
// health matrix probes the same URLs, so both pages count the same orchestrators.
import {
  type Infrastructure,
  type InfrastructureAlert,
  type MissingFields,
  type OrchestratorNode,
  PLATFORM_ONLY,
} from '../../../datasource/infrastructure/model';
import { sortAgents } from './normalize';

export const NOT_LISTED_BY_PLATFORM = 'KiCI Platform does not list this configured orchestrator';

export function withConfiguredOrchestrators(platform: Infrastructure, probed: Infrastructure): Infrastructure {
  const nodes: OrchestratorNode[] = platform.orchestrators.map((o) => ({ ...o, warnings: [...o.warnings] }));
  const extra: OrchestratorNode[] = [];
  for (const s of probed.orchestrators) {
    if (!s.url) {
      continue; // seen only through peers or the database: the Platform's view of the cluster covers it
    }
    const match = s.instanceId ? nodes.find((n) => n.instanceId === s.instanceId) : undefined;
    if (match) {
      match.url = match.url ?? s.url;
      if (s.error) {
        match.warnings.push(`the plugin could not reach it at ${s.url}: ${s.error}`);
      }
      continue;
    }
    extra.push({
      ...s,
      reachable: s.reachable && !s.error,
      connected: s.error ? null : false,
      warnings: [NOT_LISTED_BY_PLATFORM, ...s.warnings],
      // "Reported only through KiCI Platform" would send the reader to a Platform that does not know the node.
      missing: notListed(s.missing),
      scalers: s.scalers.map((p) => ({ ...p, missing: notListed(p.missing) })),
    });
  }
  if (extra.length === 0) {
    return { ...platform, orchestrators: nodes };
  }
  const alerts: InfrastructureAlert[] = extra
    .filter((n) => n.error)
    .map((n) => ({
      type: 'orchestrator_unreachable',
      message: `Orchestrator ${n.instanceId ? `${n.instanceId} (${n.url})` : n.url} is not reachable: ${n.error}`,
      severity: 'critical',
    }));
  const known = new Set(platform.statefulAgents.map((a) => a.agentId));
  const stateful = extra.flatMap((n) => n.agents.filter((a) => !a.ephemeral && !known.has(a.agentId)));
  return {
    ...platform,
    orchestrators: [...nodes, ...extra],
    statefulAgents: sortAgents([...platform.statefulAgents, ...stateful]),
    alerts: [...platform.alerts, ...alerts],
  };
}

function notListed(missing: MissingFields): MissingFields {
  return Object.fromEntries(
    Object.entries(missing).map(([k, why]) => [k, why === PLATFORM_ONLY ? NOT_LISTED_BY_PLATFORM : why])
  );
}
