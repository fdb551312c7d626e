// The monitoring page's "Common issues" table, matched to a failing row of the health matrix.
import type { CheckRow } from './checks';

export const COMMON_ISSUES = {
  orchestratorDown:
    'Service not running or wrong port/path: verify the URL matches the orchestrator\'s KICI_PORT (default 4000) and KICI_BASE_PATH. From inside a container, localhost does not reach the host: use host.containers.internal:<port>. A Prometheus scrape target on this node shows "down" for the same reasons.',
  agentDown:
    'Service not running or wrong port: agentHealthPort must match the agents\' KICI_PORT (default 8080) and the host_roster hostname must resolve from Grafana (from a container use host.containers.internal). A Prometheus target on this agent shows "down" for the same reasons.',
  agentNotConnected:
    "Agent not connected to its orchestrator (or has not pushed yet): its metrics are missing from the orchestrator's /metrics until it reconnects; wait ~30 s for the next push and check the agent's WebSocket connection status in its logs.",
  platformDown: 'Service not running or wrong port/path: verify platformUrl points at the Platform base URL.',
  clusterDegraded:
    'A peer is disconnected or the Raft majority is lost: see /cluster/peers for the node that dropped out and its logs.',
} as const;

const UNREACHABLE = new Set(['unreachable', 'timeout', 'http', 'invalid-response', 'too-large']);

/** The Common-issues hint for a failing row, or null when none applies. */
export function commonIssueHint(r: CheckRow): string | null {
  if (r.status !== 'error' && r.status !== 'warning') {
    return null;
  }
  const down = r.failure !== undefined && UNREACHABLE.has(r.failure);
  if (r.component.startsWith('orchestrator /')) {
    if (down) {
      return COMMON_ISSUES.orchestratorDown;
    }
    return r.component === 'orchestrator /cluster/health' ? COMMON_ISSUES.clusterDegraded : null;
  }
  if (r.component === 'agent /health') {
    return down ? COMMON_ISSUES.agentDown : null;
  }
  if (r.component === 'agent /ready') {
    return down ? COMMON_ISSUES.agentDown : COMMON_ISSUES.agentNotConnected;
  }
  if (r.component === 'Platform' || r.component === 'Platform /health') {
    return down ? COMMON_ISSUES.platformDown : null;
  }
  return null;
}

/** Adds the Common-issues hint after the row's own (specific) hint. */
export function withCommonIssueHint(r: CheckRow): CheckRow {
  const common = commonIssueHint(r);
  if (!common || r.hint.includes(common)) {
    return r;
  }
  return { ...r, hint: r.hint ? `${r.hint}. ${common}` : common };
}
