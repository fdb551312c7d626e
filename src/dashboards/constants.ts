// Identities every generated dashboard and alert rule refers to: uids, the app's pages, datasource references.

export const APP_ID = 'kici-ops-app';

/** The app's pages (DESIGN.md "Pages"); links from dashboards and alert runbooks may only target these. */
export const APP_PAGES = ['overview', 'infrastructure', 'secret-backends', 'dlq', 'traces'] as const;
export type AppPage = (typeof APP_PAGES)[number];

export function appPageUrl(page: AppPage, query = ''): string {
  return `/a/${APP_ID}/${page}${query ? `?${query}` : ''}`;
}

export const DASHBOARD_UIDS = {
  logsTrace: 'kici-logs-trace',
  orchestrator: 'kici-ops-orchestrator',
  agents: 'kici-ops-agents',
  platformRelay: 'kici-ops-platform-relay',
  eventDelivery: 'kici-ops-event-delivery',
} as const;

export type DashboardUid = (typeof DASHBOARD_UIDS)[keyof typeof DASHBOARD_UIDS];

/** `/d/<uid>` plus query parameters (e.g. `var-eventId=${__value.raw}`), always keeping the time range. */
export function dashboardUrl(uid: DashboardUid, params: string[] = []): string {
  return `/d/${uid}?${[...params, '${__url_time_range}'].join('&')}`;
}

/** Tag shared by every generated dashboard (the dashboards' link bar lists them by it). */
export const DASHBOARD_TAG = 'kici';

/** Datasource references used inside dashboards: always through the dashboard's datasource variables. */
export const PROMETHEUS = { type: 'prometheus', uid: '${prometheus}' };
export const LOKI = { type: 'loki', uid: '${loki}' };
export const KICI = { type: 'kici-ops-datasource', uid: '${kici}' };

/**
 * Datasource uids of provisioned alert rules (alert rules cannot use dashboard variables): the KiCI datasource and
 * the Prometheus datasource as provisioned by this repository's stack (`provisioning/datasources`, app `jsonData`).
 */
export const ALERT_DATASOURCES = {
  kici: { type: 'kici-ops-datasource', uid: 'kici' },
  prometheus: { type: 'prometheus', uid: 'prometheus' },
} as const;

/** Prometheus scrape job of the orchestrators (`dev/prometheus/prometheus.yml`); alert rules select it. */
export const ORCHESTRATOR_JOB = 'kici-orchestrator';
