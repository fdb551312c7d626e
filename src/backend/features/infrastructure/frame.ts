// The `infrastructure` query type: one row per orchestrator node and per agent, for dashboard tables.
import { agentUpdateBadge, orchestratorUpdateBadge } from '../../../datasource/infrastructure/badges';
import type { Infrastructure } from '../../../datasource/infrastructure/model';
import type { Frame } from '../../protocol/types';

export function infrastructureFrame(m: Infrastructure, refId?: string): Frame {
  const rows: Array<{
    kind: 'orchestrator' | 'agent';
    id: string;
    parent: string | null;
    hostname: string | null;
    version: string | null;
    update: boolean;
    status: string;
    role: string | null;
    scaler: string | null;
    labels: string;
    platform: string | null;
    activeJobs: number | null;
    agents: number | null;
    error: string | null;
  }> = [];
  const seen = new Set<string>();
  for (const o of m.orchestrators) {
    const id = o.instanceId ?? o.connectionId ?? o.url ?? '';
    rows.push({
      kind: 'orchestrator',
      id,
      parent: null,
      hostname: o.hostname,
      version: o.version,
      update: orchestratorUpdateBadge(o, m.latestVersion) !== null,
      status: o.reachable ? 'up' : 'down',
      role: o.role === 'worker' ? 'worker' : (o.raftRole ?? o.role),
      scaler: o.scalers.length ? o.scalers.map((s) => `${s.name} (${s.type})`).join(', ') : null,
      labels: '',
      platform: null,
      activeJobs: o.runningJobs,
      agents: o.agentCount,
      error: o.error,
    });
    for (const a of o.agents) {
      seen.add(a.agentId);
      rows.push(agentRow(a, id, m.latestVersion));
    }
  }
  for (const a of m.statefulAgents) {
    if (!seen.has(a.agentId)) {
      rows.push(agentRow(a, a.connectedInstanceId, m.latestVersion));
    }
  }
  const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
  return {
    name: refId ?? 'infrastructure',
    fields: [
      { name: 'kind', type: 'string', values: col('kind') },
      { name: 'id', type: 'string', values: col('id') },
      { name: 'orchestrator', type: 'string', nullable: true, values: col('parent') },
      { name: 'hostname', type: 'string', nullable: true, values: col('hostname') },
      { name: 'version', type: 'string', nullable: true, values: col('version') },
      { name: 'update_available', type: 'boolean', values: col('update') },
      { name: 'status', type: 'string', values: col('status') },
      { name: 'role', type: 'string', nullable: true, values: col('role') },
      { name: 'scaler', type: 'string', nullable: true, values: col('scaler') },
      { name: 'labels', type: 'string', values: col('labels') },
      { name: 'platform', type: 'string', nullable: true, values: col('platform') },
      { name: 'active_jobs', type: 'number', nullable: true, values: col('activeJobs') },
      { name: 'agents', type: 'number', nullable: true, values: col('agents') },
      { name: 'error', type: 'string', nullable: true, values: col('error') },
    ],
    meta: {
      preferredVisualisationType: 'table',
      custom: { source: m.source, latestVersion: m.latestVersion, generatedAt: m.generatedAt },
      notices: m.alerts.map((a) => ({
        severity:
          a.severity === 'critical'
            ? ('error' as const)
            : a.severity === 'info'
              ? ('info' as const)
              : ('warning' as const),
        text: a.message,
      })),
    },
  };

  function agentRow(a: Infrastructure['statefulAgents'][number], parent: string | null, latest: string | null) {
    return {
      kind: 'agent' as const,
      id: a.agentId,
      parent,
      hostname: a.hostname,
      version: a.version,
      update: agentUpdateBadge(a, latest) !== null,
      status: a.status,
      role: a.ephemeral ? 'ephemeral' : 'stateful',
      scaler: a.scalerName,
      labels: a.labels.join(', '),
      platform: a.platform && a.arch ? `${a.platform}/${a.arch}` : a.platform,
      activeJobs: a.activeJobs,
      agents: null,
      error: a.error,
    };
  }
}
