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

import { withDatasourceProblem } from '../../components/DatasourceProblem';
import { REFRESH_INTERVALS, ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { InfrastructureScene } from './InfrastructureScene';

/** The refresh picker reloads the tree through the time range's refresh, like panels' queries. */
export function infrastructureScene(datasource: DataSourceRef): EmbeddedScene {
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: 'now-5m', to: 'now' }),
    controls: [
      new SceneControlsSpacer(),
      new SceneRefreshPicker({
        refresh: REFRESH_INTERVALS.infrastructure,
        intervals: ['10s', '30s', '1m', '5m'],
        isOnCanvas: true,
      }),
    ],
    body: withDatasourceProblem(
      datasource.uid ?? '',
      new SceneFlexLayout({
        direction: 'column',
        children: [new SceneFlexItem({ key: 'infrastructure-tree', body: new InfrastructureScene({ datasource }) })],
      })
    ),
  });
}

export function infrastructurePage(datasource: DataSourceRef): SceneAppPage {
  return new SceneAppPage({
    title: 'Infrastructure',
    subTitle: 'Orchestrators, their scaler pools and agents, with every badge of KiCI monitoring page',
    url: prefixRoute(ROUTES.Infrastructure),
    routePath: `${ROUTES.Infrastructure}/*`,
    getScene: () => infrastructureScene(datasource),
  });
}
