import {
  EmbeddedScene,
  SceneAppPage,
  type SceneAppPageLike,
  SceneControlsSpacer,
  SceneRefreshPicker,
  SceneTimeRange,
} from '@grafana/scenes';
import type { DataSourceRef } from '@grafana/schema';

import { withDatasourceProblem } from '../../components/DatasourceProblem';
import { REFRESH_INTERVALS, ROUTES } from '../../constants';
import type { KiciAppSettings } from '../../datasource/query';
import { prefixRoute } from '../../utils/utils.routing';
import { DlqEventScene } from './DlqEventScene';
import { DlqTriageScene } from './DlqTriageScene';
import { dlqEventUrl } from './links';
import { withSignatures } from './signatures/layout';

export interface DlqPageOptions {
  /** Events per page of the list (default 50). */
  pageSize?: number;
}

export function dlqScene(
  datasource: DataSourceRef,
  settings: KiciAppSettings = {},
  options: DlqPageOptions = {}
): EmbeddedScene {
  return new EmbeddedScene({
    // The list's "Only within a time range" filter (its picker sits beside that switch, shown only while it is on)
    // and the refresh cadence; the stats count their own fixed windows, each card saying which.
    $timeRange: new SceneTimeRange({ from: 'now-24h', to: 'now' }),
    controls: [
      new SceneControlsSpacer(),
      new SceneRefreshPicker({
        refresh: REFRESH_INTERVALS.executionMetrics,
        intervals: ['10s', '30s', '1m', '5m'],
        isOnCanvas: true,
      }),
    ],
    body: withDatasourceProblem(
      datasource.uid ?? '',
      withSignatures(new DlqTriageScene({ datasource, settings, pageSize: options.pageSize }), datasource)
    ),
  });
}

export function dlqEventPage(
  datasource: DataSourceRef,
  settings: KiciAppSettings,
  eventId: string,
  parent: SceneAppPageLike
): SceneAppPage {
  return new SceneAppPage({
    title: 'DLQ event',
    subTitle: eventId,
    url: dlqEventUrl(eventId),
    routePath: ':eventId/*',
    getParentPage: () => parent,
    getScene: () =>
      new EmbeddedScene({
        body: withDatasourceProblem(
          datasource.uid ?? '',
          new DlqEventScene({ datasourceUid: datasource.uid ?? '', eventId, settings })
        ),
      }),
  });
}

/** The Event DLQ page (`/dlq`, filters in the URL) and its drilldown `/dlq/:eventId`. */
export function dlqPage(
  datasource: DataSourceRef,
  settings: KiciAppSettings = {},
  options: DlqPageOptions = {}
): SceneAppPage {
  return new SceneAppPage({
    title: 'Event DLQ',
    subTitle: 'Events that exhausted their dispatch attempts (kici_events.dlq_at): triage, retry, discard',
    url: prefixRoute(ROUTES.Dlq),
    routePath: `${ROUTES.Dlq}/*`,
    preserveUrlKeys: ['from', 'to', 'refresh'],
    getScene: () => dlqScene(datasource, settings, options),
    drilldowns: [
      {
        routePath: ':eventId/*',
        getPage: (match, parent) =>
          dlqEventPage(datasource, settings, decodeURIComponent(match.params.eventId ?? ''), parent),
      },
    ],
  });
}
