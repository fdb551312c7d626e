// Texts of the page header: where the snapshot came from, why the latest version is unknown, and the agent fields
// no agent of this snapshot has (said once instead of on every row).
import type { MissingGroup } from '../../components/infrastructure/format';
import type { Infrastructure, MissingFields } from '../../datasource/infrastructure/model';

export const SOURCE_TEXT: Record<Infrastructure['source'], string> = {
  platform: 'KiCI Platform',
  'self-hosted': 'orchestrator database and URLs (self-hosted)',
};

export function latestUnknownReason(m: Pick<Infrastructure, 'latestVersionError' | 'latestVersionSource'>): string {
  if (m.latestVersionError) {
    return `latest version unknown: ${m.latestVersionError}`;
  }
  return m.latestVersionSource === 'none'
    ? 'no latest-version source is configured (datasource settings: a fixed version or the npm dist-tag)'
    : 'the latest version is not known';
}

/** The agent fields shown on rows, in row order, as the header names them. */
const AGENT_FIELD_LABELS: Array<[string, string]> = [
  ['platform', 'platform'],
  ['arch', 'arch'],
  ['memoryUsedMb', 'memory'],
  ['uptimeSeconds', 'uptime'],
  ['version', 'version'],
  ['lastHeartbeatAt', 'last heartbeat'],
  ['activeJobs', 'active jobs'],
  ['maxConcurrency', 'concurrency'],
  ['registeredAt', 'registered at'],
  ['cpuCount', 'CPU'],
  ['osRelease', 'OS'],
  ['nodeVersion', 'Node.js'],
  ['runningAsUser', 'OS user'],
];

/** "Agent memory, uptime: reported only through KiCI Platform", one group per reason. */
export function agentMissingGroups(missing: MissingFields): MissingGroup[] {
  const byReason = new Map<string, string[]>();
  for (const [field, label] of AGENT_FIELD_LABELS) {
    const reason = missing[field];
    if (reason) {
      byReason.set(reason, [...(byReason.get(reason) ?? []), label]);
    }
  }
  return [...byReason].map(([reason, labels]) => ({ reason, labels: [`Agent ${labels[0]}`, ...labels.slice(1)] }));
}

/** Alerts that say a configured source of the datasource failed (not a finding about the cluster). */
const SOURCE_ALERTS = new Set(['database_unavailable', 'platform_unavailable']);

/**
 * Whether the snapshot says the datasource itself is failing, for the page-level message: a configured source could
 * not be read, or no orchestrator answered at all. One node down in a cluster is a finding, not a datasource problem.
 */
export function datasourceProblemOf(m: Pick<Infrastructure, 'alerts' | 'orchestrators'>): string | undefined {
  const sources = m.alerts.filter((a) => SOURCE_ALERTS.has(a.type)).map((a) => a.message);
  const nodes = m.orchestrators;
  if (nodes.length > 0 && nodes.every((o) => o.error)) {
    sources.push(`no orchestrator answered: ${nodes[0].error}`);
  }
  return sources.length > 0 ? sources.join('; ') : undefined;
}
