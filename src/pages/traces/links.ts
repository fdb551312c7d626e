// Where a trace search continues: the bundled Logs trace dashboard (its id variables filled) and Explore (the exact
// LogQL the page ran), both on the same Loki datasource and time range.
import { ROUTES } from '../../constants';
import { DASHBOARD_UIDS } from '../../dashboards/constants';
import { TRACE_IDS } from '../../dashboards/logql';
import { prefixRoute } from '../../utils/utils.routing';
import type { TraceLine } from './traceLines';
import { carriesId, type LokiTraceQuery, type SearchKind, type TraceId } from './traceQuery';

/** The Logs trace dashboard's id variables (`requestId`, `runId`, `jobId`, `eventId`); it has none for deliveryId. */
export type DashboardVariable = (typeof TRACE_IDS)[number];

export interface UrlTimeRange {
  /** As Grafana writes it in URLs: relative (`now-24h`) or epoch milliseconds. */
  from: string;
  to: string;
}

function field(line: TraceLine, name: string): string {
  const value = line.fields[name];
  return typeof value === 'string' ? value : '';
}

/**
 * The dashboard variables for a search. Ids of a dashboard kind fill their variable. An `any` id fills the variables
 * of the fields the found lines carry it in, or all four when no line was found (the dashboard ORs its variables, so
 * that is the same search). A delivery id (the dashboard has no variable for it) becomes the requestId of the lines
 * carrying it. The first value per variable wins; empty when nothing can be filled.
 */
export function dashboardVariables(ids: TraceId[], lines: TraceLine[]): Partial<Record<DashboardVariable, string>> {
  const vars: Partial<Record<DashboardVariable, string>> = {};
  const set = (name: DashboardVariable, value: string) => {
    vars[name] ??= value;
  };
  const viaDelivery = (deliveryId: string) => {
    const carrier = lines.find(
      (line) => carriesId('deliveryId', field(line, 'deliveryId'), deliveryId) && field(line, 'requestId')
    );
    if (carrier) {
      set('requestId', field(carrier, 'requestId'));
    }
  };
  for (const id of ids) {
    if (id.kind === 'deliveryId') {
      viaDelivery(id.value);
    } else if (id.kind !== 'any') {
      set(id.kind, id.value);
    } else {
      const carried = TRACE_IDS.filter((name) => lines.some((line) => field(line, name) === id.value));
      if (carried.length > 0) {
        carried.forEach((name) => set(name, id.value));
      } else if (lines.some((line) => carriesId('deliveryId', field(line, 'deliveryId'), id.value))) {
        viaDelivery(id.value);
      } else {
        TRACE_IDS.forEach((name) => set(name, id.value));
      }
    }
  }
  return vars;
}

/** `/d/kici-logs-trace?var-loki=…&var-requestId=…&from=…&to=…` */
export function logsTraceDashboardUrl(
  vars: Partial<Record<DashboardVariable, string>>,
  lokiUid: string,
  range: UrlTimeRange
): string {
  const params = new URLSearchParams({ 'var-loki': lokiUid });
  for (const name of TRACE_IDS) {
    if (vars[name]) {
      params.set(`var-${name}`, vars[name]!);
    }
  }
  params.set('from', range.from);
  params.set('to', range.to);
  return `/d/${DASHBOARD_UIDS.logsTrace}?${params.toString()}`;
}

/** Explore with one pane: the Loki datasource, the query as the page ran it, the same time range. */
export function exploreUrl(query: LokiTraceQuery, lokiUid: string, range: UrlTimeRange): string {
  const panes = {
    kici: {
      datasource: lokiUid,
      queries: [{ ...query, refId: 'A', datasource: { type: 'loki', uid: lokiUid } }],
      range: { from: range.from, to: range.to },
    },
  };
  const params = new URLSearchParams({ schemaVersion: '1', panes: JSON.stringify(panes) });
  return `/explore?${params.toString()}`;
}

/** A scene time range as Grafana writes it in URLs: relative text as is, absolute times as epoch milliseconds. */
export function urlTimeRange(raw: { from: unknown; to: unknown }): UrlTimeRange {
  const one = (value: unknown) =>
    typeof value === 'string' ? value : String((value as { valueOf(): number } | undefined)?.valueOf() ?? '');
  return { from: one(raw.from), to: one(raw.to) };
}

/**
 * The Traces page searching `id` (other pages link here, e.g. the DLQ with an eventId):
 * `/a/kici-ops-app/traces?id=<id>&kind=<kind>`, plus the time range when given.
 */
export function tracesPageUrl(id: string, kind: SearchKind = 'any', range?: UrlTimeRange): string {
  const params = new URLSearchParams({ id });
  if (kind !== 'any') {
    params.set('kind', kind);
  }
  if (range) {
    params.set('from', range.from);
    params.set('to', range.to);
  }
  return `${prefixRoute(ROUTES.Traces)}?${params.toString()}`;
}
