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

import { REFRESH_INTERVALS, ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { healthMatrixPanel } from './healthMatrix';

/** The overview's sections, top to bottom (execution metrics, DLQ depth and cluster status join here). */
export function overviewSections(datasource: DataSourceRef): SceneFlexItem[] {
  return [new SceneFlexItem({ key: 'health-matrix', minHeight: 260, body: healthMatrixPanel(datasource) })];
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
    subTitle: 'Health of every KiCI endpoint the datasource reaches',
    url: prefixRoute(ROUTES.Overview),
    routePath: `${ROUTES.Overview}/*`,
    getScene: () => overviewScene(datasource),
  });
}
