import { FieldColorModeId } from '@grafana/data';
import {
  EmbeddedScene,
  PanelBuilders,
  type SceneAppDrilldownView,
  type SceneAppPageLike,
  SceneAppPage,
  SceneControlsSpacer,
  SceneDataTransformer,
  SceneFlexItem,
  SceneFlexLayout,
  SceneQueryRunner,
  SceneReactObject,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
  type VizPanel,
} from '@grafana/scenes';
import { type DataSourceRef, GraphDrawStyle, StackingMode } from '@grafana/schema';
import { Text, TextLink } from '@grafana/ui';
import React from 'react';

import { REFRESH_INTERVALS } from '../../constants';
import type { KiciQuery } from '../../datasource/query';
import { executionStatsRow, successRateDefinition } from './executionMetrics';
import { drilldownUrl, INFRASTRUCTURE_PAGE_URL, OVERVIEW_DRILLDOWNS } from './links';

export function executionsQuery(): KiciQuery {
  return { refId: 'executions', queryType: 'executions' };
}

/** KiCI's run statuses (ExecutionRunStatus) and their colours; the backend emits one series per status. */
export const RUN_STATUS_COLORS: Record<string, string> = {
  success: 'green',
  failed: 'red',
  cancelled: 'text',
  running: 'blue',
  pending: 'yellow',
  cancelling: 'orange',
  held: 'purple',
};

/** Runs not finished yet: waiting for dispatch, on an agent, being cancelled or held. */
export const IN_PROGRESS_STATUSES = ['pending', 'running', 'cancelling', 'held'];

/** Runs created per interval, one stacked bar series per status; `statuses` keeps only those series. */
export function runsByStatusPanel(datasource: DataSourceRef, opts: { title: string; statuses?: string[] }): VizPanel {
  const runner = new SceneQueryRunner({ datasource, queries: [executionsQuery()] });
  const data = opts.statuses
    ? new SceneDataTransformer({
        $data: runner,
        transformations: [{ id: 'filterFieldsByName', options: { include: { names: ['time', ...opts.statuses] } } }],
      })
    : runner;
  return PanelBuilders.timeseries()
    .setTitle(opts.title)
    .setDescription('Workflow runs created in each interval, by their current status (execution_runs)')
    .setData(data)
    .setUnit('none')
    .setDecimals(0)
    .setCustomFieldConfig('drawStyle', GraphDrawStyle.Bars)
    .setCustomFieldConfig('fillOpacity', 80)
    .setCustomFieldConfig('lineWidth', 1)
    .setCustomFieldConfig('stacking', { mode: StackingMode.Normal, group: 'runs' })
    .setOverrides((b) => {
      for (const [status, color] of Object.entries(RUN_STATUS_COLORS)) {
        b.matchFieldsWithName(status).overrideColor({ mode: FieldColorModeId.Fixed, fixedColor: color });
      }
    })
    .build();
}

function drilldownScene(children: SceneFlexItem[]): EmbeddedScene {
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: 'now-24h', to: 'now' }),
    controls: [
      new SceneControlsSpacer(),
      new SceneTimePicker({ isOnCanvas: true }),
      new SceneRefreshPicker({
        refresh: REFRESH_INTERVALS.executionMetrics,
        intervals: ['10s', '30s', '1m', '5m'],
        isOnCanvas: true,
      }),
    ],
    body: new SceneFlexLayout({ direction: 'column', children }),
  });
}

export function runsScene(datasource: DataSourceRef): EmbeddedScene {
  return drilldownScene([
    new SceneFlexItem({
      key: 'range-stats',
      height: 120,
      body: executionStatsRow(datasource, 'timeRange', ['total_runs', 'success_rate', 'avg_duration']),
    }),
    new SceneFlexItem({ key: 'success-rate-definition', ySizing: 'content', body: successRateDefinition() }),
    new SceneFlexItem({
      key: 'runs-by-status',
      minHeight: 320,
      body: runsByStatusPanel(datasource, { title: 'Runs by status' }),
    }),
  ]);
}

function QueueNote() {
  return (
    <Text variant="bodySmall" color="secondary">
      Queued jobs wait in the orchestrators’ dispatch queue for an agent with matching labels. Which agents and scaler
      pools serve them: <TextLink href={INFRASTRUCTURE_PAGE_URL}>Infrastructure</TextLink>.
    </Text>
  );
}

export function queueScene(datasource: DataSourceRef): EmbeddedScene {
  return drilldownScene([
    new SceneFlexItem({
      key: 'queue-stats',
      height: 120,
      body: executionStatsRow(datasource, 'last24h', ['active_jobs', 'queued_jobs', 'running_jobs']),
    }),
    new SceneFlexItem({ key: 'queue-note', ySizing: 'content', body: new SceneReactObject({ component: QueueNote }) }),
    new SceneFlexItem({
      key: 'runs-in-progress',
      minHeight: 320,
      body: runsByStatusPanel(datasource, { title: 'Runs not finished', statuses: IN_PROGRESS_STATUSES }),
    }),
  ]);
}

/** The overview stats' details: runs by status (Total runs, Success rate, Average duration) and the queue. */
export function overviewDrilldowns(datasource: DataSourceRef): SceneAppDrilldownView[] {
  const page = (
    drilldown: 'runs' | 'queue',
    title: string,
    subTitle: string,
    getScene: () => EmbeddedScene,
    parent: SceneAppPageLike
  ) =>
    new SceneAppPage({
      title,
      subTitle,
      url: drilldownUrl(drilldown),
      routePath: `${OVERVIEW_DRILLDOWNS[drilldown]}/*`,
      getParentPage: () => parent,
      getScene,
    });
  return [
    {
      // The drilldown page renders its own routes: its path ends in /*.
      routePath: `${OVERVIEW_DRILLDOWNS.runs}/*`,
      getPage: (_match, parent) =>
        page(
          'runs',
          'Runs by status',
          'Workflow runs created in the time range, per status',
          () => runsScene(datasource),
          parent
        ),
    },
    {
      routePath: `${OVERVIEW_DRILLDOWNS.queue}/*`,
      getPage: (_match, parent) =>
        page('queue', 'Queue', 'Jobs waiting for an agent and jobs running now', () => queueScene(datasource), parent),
    },
  ];
}
