// The `infrastructure` query type: one row per orchestrator node and per agent, for dashboard tables.
import { compareVersions } from '../../../datasource/infrastructure/badges';
import type { AgentNode, Infrastructure, MissingFields } from '../../../datasource/infrastructure/model';
import type { Frame, FrameNotice } from '../../protocol/types';

/**
 * true/false when both versions are known and comparable; null (unknown) otherwise. Agents are not published on
 * npm (the contract leaves their version line open), so the npm dist-tag says nothing about them.
 */
function updateAvailable(version: string | null, m: Infrastructure, isAgent: boolean): boolean | null {
  if (isAgent && m.latestVersionSource === 'npm') {
    return null;
  }
  if (!version || !m.latestVersion) {
    return null;
  }
  const cmp = compareVersions(version, m.latestVersion);
  return cmp === null ? null : cmp < 0;
}

// Frame column -> the model field whose `missing` reason explains a blank (orchestrator, agent).
const EXPLAINED: Array<{ column: string; orchestrator?: string; agent?: string }> = [
  { column: 'hostname', orchestrator: 'hostname', agent: 'hostname' },
  { column: 'version', orchestrator: 'version', agent: 'version' },
  { column: 'role', orchestrator: 'raftRole' },
  { column: 'scaler', orchestrator: 'scalers' },
  { column: 'platform', agent: 'platform' },
  { column: 'active_jobs', orchestrator: 'runningJobs', agent: 'activeJobs' },
  { column: 'agents', orchestrator: 'agentCount' },
];

export function infrastructureFrame(m: Infrastructure, refId?: string): Frame {
  const rows: Array<{
    kind: 'orchestrator' | 'agent';
    id: string;
    parent: string | null;
    hostname: string | null;
    version: string | null;
    update: boolean | null;
    status: string;
    /** Why blank values are blank, by model field. */
    missing: MissingFields;
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
      update: updateAvailable(o.version, m, false),
      // Not probed (not in orchestratorUrls) yet seen live by its peers or cluster_instances: say so, not `down`.
      status: o.reachable ? 'up' : o.error === null && o.url === null ? 'up (not in orchestratorUrls)' : 'down',
      missing: o.missing,
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
      rows.push(agentRow(a, id));
    }
  }
  for (const a of m.statefulAgents) {
    if (!seen.has(a.agentId)) {
      rows.push(agentRow(a, a.connectedInstanceId));
    }
  }
  const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
  const blanks = explainBlanks(rows);
  const described = (name: string) =>
    blanks.has(name) ? { config: { description: blanks.get(name)!.join('; ') } } : {};
  return {
    name: refId ?? 'infrastructure',
    fields: [
      { name: 'kind', type: 'string', values: col('kind') },
      { name: 'id', type: 'string', values: col('id') },
      { name: 'orchestrator', type: 'string', nullable: true, values: col('parent') },
      { name: 'hostname', type: 'string', nullable: true, values: col('hostname'), ...described('hostname') },
      { name: 'version', type: 'string', nullable: true, values: col('version'), ...described('version') },
      { name: 'update_available', type: 'boolean', nullable: true, values: col('update') },
      { name: 'status', type: 'string', values: col('status') },
      { name: 'role', type: 'string', nullable: true, values: col('role'), ...described('role') },
      { name: 'scaler', type: 'string', nullable: true, values: col('scaler'), ...described('scaler') },
      { name: 'labels', type: 'string', values: col('labels') },
      { name: 'platform', type: 'string', nullable: true, values: col('platform'), ...described('platform') },
      {
        name: 'active_jobs',
        type: 'number',
        nullable: true,
        values: col('activeJobs'),
        ...described('active_jobs'),
      },
      { name: 'agents', type: 'number', nullable: true, values: col('agents'), ...described('agents') },
      { name: 'error', type: 'string', nullable: true, values: col('error') },
    ],
    meta: {
      preferredVisualisationType: 'table',
      custom: { source: m.source, latestVersion: m.latestVersion, generatedAt: m.generatedAt },
      notices: [
        ...m.alerts.map((a): FrameNotice => ({
          severity: a.severity === 'critical' ? 'error' : a.severity === 'info' ? 'info' : 'warning',
          text: a.message,
        })),
        ...[...blanks].flatMap(([column, texts]) =>
          texts.map((t): FrameNotice => ({ severity: 'info', text: `${column} is ${t}` }))
        ),
      ],
    },
  };

  function agentRow(a: AgentNode, parent: string | null) {
    return {
      kind: 'agent' as const,
      id: a.agentId,
      parent,
      hostname: a.hostname,
      version: a.version,
      // A scaler recreates its agents at the current version: never an update to run by hand.
      update: a.ephemeral ? false : updateAvailable(a.version, m, true),
      missing: m.agentMissing,
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

/** Per column, "blank for n orchestrators: reason" for each reason the model gives for its blank values. */
function explainBlanks(
  rows: Array<{ kind: 'orchestrator' | 'agent'; missing: MissingFields } & Record<string, unknown>>
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of EXPLAINED) {
    const counts = new Map<string, { orchestrator: number; agent: number }>();
    for (const r of rows) {
      const field = r.kind === 'orchestrator' ? e.orchestrator : e.agent;
      const value = r[COLUMN_KEYS[e.column]];
      const reason = field ? r.missing[field] : undefined;
      if (reason && (value === null || value === undefined)) {
        const c = counts.get(reason) ?? { orchestrator: 0, agent: 0 };
        c[r.kind]++;
        counts.set(reason, c);
      }
    }
    const texts = [...counts].map(([reason, c]) => {
      const parts = [
        c.orchestrator ? `${c.orchestrator} ${c.orchestrator === 1 ? 'orchestrator' : 'orchestrators'}` : '',
        c.agent ? `${c.agent} ${c.agent === 1 ? 'agent' : 'agents'}` : '',
      ].filter(Boolean);
      return `blank for ${parts.join(' and ')}: ${reason}`;
    });
    if (texts.length) {
      out.set(e.column, texts);
    }
  }
  return out;
}

const COLUMN_KEYS: Record<string, string> = {
  hostname: 'hostname',
  version: 'version',
  role: 'role',
  scaler: 'scaler',
  platform: 'platform',
  active_jobs: 'activeJobs',
  agents: 'agents',
};
