/* eslint-disable @typescript-eslint/no-deprecated -- classic (v1) dashboard JSON on purpose: Grafana 11.6 (our floor) cannot load the v2 schema. */
// Every generated dashboard, keyed by the file it is checked in as (`src/dashboards/<file>`).
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';

import { buildAgentsDashboard } from './agents';
import { buildEventDeliveryDashboard } from './eventDelivery';
import { buildLogsTraceDashboard } from './logsTrace';
import { buildOrchestratorDashboard } from './orchestrator';
import { buildPlatformRelayDashboard } from './platformRelay';

export interface GeneratedDashboard {
  /** File name inside `src/dashboards/` (and `dashboards/` of the built plugin). */
  file: string;
  dashboard: Dashboard;
}

export function buildDashboards(): GeneratedDashboard[] {
  return [
    { file: 'logs-trace.json', dashboard: buildLogsTraceDashboard() },
    { file: 'orchestrator.json', dashboard: buildOrchestratorDashboard() },
    { file: 'agents.json', dashboard: buildAgentsDashboard() },
    { file: 'platform-relay.json', dashboard: buildPlatformRelayDashboard() },
    { file: 'event-delivery.json', dashboard: buildEventDeliveryDashboard() },
  ];
}
