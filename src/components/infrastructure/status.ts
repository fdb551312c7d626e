// Connection status of an orchestrator row and status of an agent row.
import type { Badge } from '../../datasource/infrastructure/badges';
import type { AgentNode, InfrastructureSource, OrchestratorNode } from '../../datasource/infrastructure/model';
import { formatTimestamp } from './format';

/**
 * With KiCI Platform: its WebSocket connection status. Self-hosted: whether the node answered the plugin (the Platform
 * connection itself is not visible without the Platform).
 */
export function connectionBadge(
  o: Pick<OrchestratorNode, 'connected' | 'connectedAt' | 'reachable' | 'error' | 'lastHeartbeat'>,
  source: InfrastructureSource
): Badge {
  if (o.error) {
    return { text: 'unreachable', color: 'red', tooltip: o.error };
  }
  if (source === 'platform' || o.connected !== null) {
    if (o.connected) {
      const since = o.connectedAt === null ? '' : ` since ${formatTimestamp(o.connectedAt)}`;
      return { text: 'connected', color: 'green', tooltip: `Connected to KiCI Platform${since}.` };
    }
    const last = o.lastHeartbeat === null ? '' : ` Last heartbeat ${formatTimestamp(o.lastHeartbeat)}.`;
    return { text: 'disconnected', color: 'red', tooltip: `Not connected to KiCI Platform.${last}` };
  }
  return o.reachable
    ? { text: 'reachable', color: 'green', tooltip: 'Answered the plugin on this refresh.' }
    : { text: 'unreachable', color: 'red', tooltip: 'Did not answer the plugin on this refresh.' };
}

export function agentStatusBadge(a: Pick<AgentNode, 'status' | 'lastHeartbeatAt'>): Badge {
  const seen = a.lastHeartbeatAt === null ? '' : ` Last heartbeat ${formatTimestamp(a.lastHeartbeatAt)}.`;
  switch (a.status) {
    case 'ready':
      return { text: 'ready', color: 'green', tooltip: `Connected and heard from recently.${seen}` };
    case 'stale':
      return {
        text: 'stale',
        color: 'orange',
        tooltip: `Scaler-spawned agent gone quiet; the roster reaper removes it after its TTL.${seen}`,
      };
    default:
      return { text: 'unreachable', color: 'red', tooltip: `Stateful agent gone quiet or disconnected.${seen}` };
  }
}
