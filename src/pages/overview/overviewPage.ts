import {
  EmbeddedScene,
  SceneAppPage,
  SceneControlsSpacer,
  SceneFlexItem,
  SceneFlexLayout,
  SceneRefreshPicker,
  SceneTimeRange,
} from '@grafana/scenes';
import type { DataSourceRef } from '@grafana/schema';

import { DatasourceProblemScene } from '../../components/DatasourceProblem';
import { REFRESH_INTERVALS, ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { overviewDrilldowns } from './drilldowns';
import { executionStatsRow, successRateDefinition } from './executionMetrics';
import { healthMatrixData, healthMatrixTable, healthQueryRunner } from './healthMatrix';
import { clusterStatusPanel, dlqDepthPanel, orphanedConnectionsPanel } from './statusPanels';

/** The overview's sections, top to bottom. */
export function overviewSections(datasource: DataSourceRef): SceneFlexItem[] {
  return [
    new SceneFlexItem({
      key: 'datasource-problem',
      ySizing: 'content',
      body: new DatasourceProblemScene({ datasourceUid: datasource.uid ?? '' }),
    }),
    new SceneFlexItem({
      key: 'execution-metrics',
      ySizing: 'content',
      minHeight: 120,
      body: executionStatsRow(datasource, 'last24h'),
    }),
    new SceneFlexItem({ key: 'success-rate-definition', ySizing: 'content', body: successRateDefinition() }),
    new SceneFlexItem({
      key: 'status',
      body: new SceneFlexLayout({
        direction: 'column',
        // One health query feeds the cluster status and the matrix.
        $data: healthQueryRunner(datasource),
        children: [
          new SceneFlexItem({
            key: 'dlq-and-cluster',
            minHeight: 240,
            body: new SceneFlexLayout({
              direction: 'row',
              children: [
                new SceneFlexItem({ key: 'dlq-depth', width: 200, body: dlqDepthPanel(datasource) }),
                new SceneFlexItem({ key: 'cluster-status', body: clusterStatusPanel() }),
              ],
            }),
          }),
          new SceneFlexItem({
            key: 'orphaned-connections',
            // The wrapped Message and Rule cells need the room.
            minHeight: 300,
            body: orphanedConnectionsPanel(datasource),
          }),
          new SceneFlexItem({ key: 'health-matrix', minHeight: 260, body: healthMatrixTable(healthMatrixData()) }),
        ],
      }),
    }),
  ];
}

export function overviewScene(datasource: DataSourceRef): EmbeddedScene {
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: 'now-24h', to: 'now' }),
    controls: [
      new SceneControlsSpacer(),
      new SceneRefreshPicker({
        refresh: REFRESH_INTERVALS.executionMetrics,
        intervals: ['10s', '30s', '1m', '5m'],
        isOnCanvas: true,
      }),
    ],
    body: new SceneFlexLayout({ direction: 'column', children: overviewSections(datasource) }),
  });
}

export function overviewPage(datasource: DataSourceRef): SceneAppPage {
  return new SceneAppPage({
    title: 'Overview',
    subTitle:
      'Execution metrics, DLQ depth, cluster status, orphaned connections and the health of every KiCI endpoint',
    url: prefixRoute(ROUTES.Overview),
    routePath: `${ROUTES.Overview}/*`,
    getScene: () => overviewScene(datasource),
    drilldowns: overviewDrilldowns(datasource),
  });
}
