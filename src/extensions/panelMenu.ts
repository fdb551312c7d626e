// "Open in KiCI" in the menu of a bundled dashboard's panel or of any panel querying the KiCI datasource
// (grafana/dashboard/panel/menu): the app page showing the same thing, with the panel's time range. Pure.
import type { PluginExtensionPanelContext } from '@grafana/data';

import { KICI_DATASOURCE_TYPE, ROUTES } from '../constants';
import { DASHBOARD_UIDS } from '../dashboards/constants';
import type { KiciQuery, QueryType } from '../datasource/query';
import { appPath, rangeParams } from './points';

export const PANEL_LINK = {
  title: 'Open in KiCI',
  description: 'The KiCI page showing what this panel shows, over the panel time range',
};

const PAGE_NAMES: Record<ROUTES, string> = {
  [ROUTES.Overview]: 'Overview',
  [ROUTES.Dlq]: 'Event DLQ',
  [ROUTES.Traces]: 'Traces',
  [ROUTES.Infrastructure]: 'Infrastructure',
  [ROUTES.SecretBackends]: 'Secret backends',
};

const PAGE_BY_QUERY_TYPE: Record<QueryType, ROUTES> = {
  health: ROUTES.Overview,
  schemaInfo: ROUTES.Overview,
  executionMetrics: ROUTES.Overview,
  executions: ROUTES.Overview,
  dlqEvents: ROUTES.Dlq,
  dlqDepth: ROUTES.Dlq,
  dlqSignatures: ROUTES.Dlq,
  eventDelivery: ROUTES.Dlq,
  secretBackends: ROUTES.SecretBackends,
  infrastructure: ROUTES.Infrastructure,
  orphanedConnections: ROUTES.Infrastructure,
};

const PAGE_BY_DASHBOARD: Record<string, ROUTES> = {
  [DASHBOARD_UIDS.logsTrace]: ROUTES.Traces,
  [DASHBOARD_UIDS.orchestrator]: ROUTES.Infrastructure,
  [DASHBOARD_UIDS.agents]: ROUTES.Infrastructure,
  [DASHBOARD_UIDS.platformRelay]: ROUTES.Overview,
  [DASHBOARD_UIDS.eventDelivery]: ROUTES.Dlq,
};

type Target = PluginExtensionPanelContext['targets'][number] & Partial<KiciQuery>;

function kiciTarget(targets: Target[] | undefined): Target | undefined {
  return targets?.find((t) => t?.datasource?.type === KICI_DATASOURCE_TYPE && !t.hide);
}

/** A DLQ query's filters as the DLQ page's URL keys (src/pages/dlq/filters.ts). */
function dlqParams(t: Target | undefined): Record<string, string | undefined> {
  if (!t) {
    // A Prometheus panel of the event delivery dashboard counts admissions over its range.
    return { inRange: '1' };
  }
  const inRange =
    t.queryType === 'dlqEvents' ? t.useTimeRange !== false : t.queryType === 'dlqDepth' ? t.series === true : false;
  return {
    eventName: t.eventName,
    routingKey: t.routingKey,
    repo: t.repo,
    errorText: t.errorText,
    inRange: inRange ? '1' : undefined,
  };
}

export function configurePanelLink(context?: PluginExtensionPanelContext) {
  if (!context) {
    return undefined;
  }
  const target = kiciTarget(context.targets as Target[]);
  const byQuery = target?.queryType ? PAGE_BY_QUERY_TYPE[target.queryType] : undefined;
  const page = byQuery ?? (target ? ROUTES.Overview : PAGE_BY_DASHBOARD[context.dashboard?.uid ?? '']);
  if (!page) {
    return undefined;
  }
  const params = { ...(page === ROUTES.Dlq ? dlqParams(target) : {}), ...rangeParams(context.timeRange) };
  return {
    title: `Open in KiCI ${PAGE_NAMES[page]}`,
    path: appPath(page, params),
  };
}
