// "Trace in KiCI" in Explore's toolbar (grafana/explore/toolbar/action) when a Loki query, or else the newest log line
// of its result, names a requestId, runId, jobId, eventId or delivery id: the Traces page on those ids. Pure.
import type { DataFrame, PanelData, RawTimeRange } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

import { ROUTES } from '../constants';
import { canonicalSearch, parseTraceInput, type TraceId } from '../pages/traces/traceQuery';
import { appPath, rangeParams } from './points';

/**
 * What Explore passes (public/app/features/explore/extensions/ToolbarExtensionPoint.tsx, 11.6 and 12.x): the pane's
 * queries, its query response (`ExplorePanelData`, a PanelData) and raw time range. Grafana does not export the type.
 */
export interface ExploreToolbarContext {
  exploreId?: string;
  targets?: Array<DataQuery & { expr?: string }>;
  data?: Pick<PanelData, 'series'>;
  timeRange?: RawTimeRange;
  timeZone?: string;
}

export const EXPLORE_LINK = {
  title: 'Trace in KiCI',
  description: 'Every KiCI log line of the ids in this Loki query, across tiers, on the KiCI Traces page',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Log lines looked at when the query names no id (Explore's newest first). */
const MAX_LINES = 200;

/** KiCI ids in a text: named ones (`requestId="…"`, `"runId":"…"`) keep their kind; other UUIDs only from a query. */
export function idsIn(text: string, namedOnly: boolean): TraceId[] {
  const parsed = parseTraceInput(text, 'any');
  return parsed.ids.filter((id) => UUID.test(id.value) && (!namedOnly || id.kind !== 'any'));
}

function lineValues(frame: DataFrame): string[] {
  // Loki log frames: `Line` (dataplane: `body`) holds the text.
  const field = frame.fields.find((f) => f.name === 'Line' || f.name === 'body');
  return field ? (Array.from(field.values) as unknown[]).filter((v): v is string => typeof v === 'string') : [];
}

export function configureExploreLink(context?: ExploreToolbarContext) {
  const loki = (context?.targets ?? []).filter((t) => t?.datasource?.type === 'loki' && !t.hide);
  if (loki.length === 0) {
    return undefined;
  }
  let ids = loki.flatMap((t) => idsIn(t.expr ?? '', false));
  let from = 'query';
  if (ids.length === 0) {
    const lines = (context?.data?.series ?? []).flatMap(lineValues).slice(0, MAX_LINES);
    const line = lines.find((l) => idsIn(l, true).length > 0);
    ids = line ? idsIn(line, true) : [];
    from = 'line';
  }
  if (ids.length === 0) {
    return undefined;
  }
  const id = canonicalSearch(ids, 'any');
  return {
    path: appPath(ROUTES.Traces, { id, ...rangeParams(context?.timeRange) }),
    description:
      from === 'query'
        ? `Trace ${id} (from the query) on the KiCI Traces page`
        : `Trace ${id} (from the newest log line that names an id) on the KiCI Traces page`,
  };
}
