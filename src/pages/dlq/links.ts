// Where the DLQ page points: its own routes, the Logs trace dashboard, Explore (Loki / Prometheus), the KiCI CLI.
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';

export const LOGS_TRACE_DASHBOARD_UID = 'kici-logs-trace';
export const EVENT_DELIVERY_DASHBOARD_UID = 'kici-ops-event-delivery';

export function dlqListUrl(params: Record<string, string> = {}): string {
  const query = new URLSearchParams(params).toString();
  return `${prefixRoute(ROUTES.Dlq)}${query ? `?${query}` : ''}`;
}

/** One event's page; `listParams` (the list's filters) ride along so its back link returns to the same list. */
export function dlqEventUrl(eventId: string, listParams: Record<string, string> = {}): string {
  const query = new URLSearchParams(listParams).toString();
  return `${prefixRoute(ROUTES.Dlq)}/${encodeURIComponent(eventId)}${query ? `?${query}` : ''}`;
}

/** A LogQL string literal: backslashes and double quotes escaped. */
export function logqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The runbook's query (contract §9): every event-router line tagged with the event id, retries and exception included. */
export function eventLogql(eventId: string): string {
  return `{service="orchestrator"} | json | eventId=${logqlString(eventId)}`;
}

/** Every DLQ admission, with the event id, name and last error (the runbook's log signal). */
export const DLQ_ADMISSIONS_LOGQL = '{service="orchestrator"} |= "Event moved to DLQ" | json';

/** PromQL of KiCI's DLQ metrics (contract §7): counters are per node (sum), the depth gauge is leader-only (max). */
export const DLQ_PROMQL = {
  leaseExpirations24h: 'sum(increase(kici_orch_event_lease_expirations_total[24h])) or vector(0)',
  admissions1h: 'sum(increase(kici_orch_event_dlq_total[1h])) or vector(0)',
  admissions24h: 'sum(increase(kici_orch_event_dlq_total[24h])) or vector(0)',
  depthGauge: 'max(kici_orch_event_dlq_depth)',
} as const;

/** The `kici-admin event-dlq` commands (contract §6.3) an operator would type for the same step. */
export const KICI_ADMIN = {
  count: 'kici-admin event-dlq count',
  list: 'kici-admin event-dlq list --limit 20',
  retry: (eventId: string) => `kici-admin event-dlq retry ${eventId}`,
  discard: (eventId: string) => `kici-admin event-dlq discard ${eventId}`,
};

export interface TimeWindow {
  from: number;
  to: number;
}

const MARGIN_MS = 5 * 60_000;

/** The event's life, created → moved to the DLQ, with five minutes either side (its logs lie inside). */
export function eventTimeWindow(
  event: { createdAt: string | null; dlqAt: string | null },
  now = Date.now()
): TimeWindow {
  const created = event.createdAt ? Date.parse(event.createdAt) : NaN;
  const dlq = event.dlqAt ? Date.parse(event.dlqAt) : NaN;
  const end = Number.isFinite(dlq) ? dlq : now;
  const start = Number.isFinite(created) ? created : end - 24 * 3600_000;
  return { from: start - MARGIN_MS, to: end + MARGIN_MS };
}

/** The Logs trace dashboard filtered by `var-eventId` and/or `var-runId`. */
export function logsTraceUrl(vars: { eventId?: string; runId?: string }, window?: TimeWindow): string {
  const params = new URLSearchParams();
  if (vars.eventId) {
    params.set('var-eventId', vars.eventId);
  }
  if (vars.runId) {
    params.set('var-runId', vars.runId);
  }
  if (window) {
    params.set('from', String(window.from));
    params.set('to', String(window.to));
  }
  return `/d/${LOGS_TRACE_DASHBOARD_UID}?${params.toString()}`;
}

export function eventDeliveryDashboardUrl(
  range: { from: string; to: string } = { from: 'now-24h', to: 'now' }
): string {
  return `/d/${EVENT_DELIVERY_DASHBOARD_UID}?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}`;
}

/** Explore with one query in one pane (Grafana ≥ 10 `panes` URL). */
export function exploreUrl(
  datasource: { type: string; uid: string },
  expr: string,
  range: { from: string | number; to: string | number },
  extra: Record<string, unknown> = {}
): string {
  const panes = {
    dlq: {
      datasource: datasource.uid,
      queries: [{ refId: 'A', expr, datasource, ...extra }],
      range: { from: String(range.from), to: String(range.to) },
    },
  };
  return `/explore?schemaVersion=1&panes=${encodeURIComponent(JSON.stringify(panes))}&orgId=1`;
}
