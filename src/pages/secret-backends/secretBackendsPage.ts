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
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { SecretBackendsScene } from './SecretBackendsScene';

/** KiCI probes enabled backends every 60 s: refreshing faster shows nothing new. */
export const SECRET_BACKENDS_REFRESH = '1m';

export function secretBackendsScene(datasource: DataSourceRef): EmbeddedScene {
  return new EmbeddedScene({
    // The cards have no time axis; the time range only carries the refresh picker's ticks to the scene object.
    $timeRange: new SceneTimeRange({ from: 'now-24h', to: 'now' }),
    controls: [
      new SceneControlsSpacer(),
      new SceneRefreshPicker({
        refresh: SECRET_BACKENDS_REFRESH,
        intervals: ['30s', '1m', '5m', '15m'],
        isOnCanvas: true,
      }),
    ],
    body: withDatasourceProblem(
      datasource.uid ?? '',
      new SceneFlexLayout({
        direction: 'column',
        children: [new SceneFlexItem({ body: new SecretBackendsScene({ datasourceUid: datasource.uid ?? '' }) })],
      })
    ),
  });
}

export function secretBackendsPage(datasource: DataSourceRef): SceneAppPage {
  return new SceneAppPage({
    title: 'Secret backends',
    subTitle: 'Health of the PostgreSQL and Vault secret backends, with Sync and Test',
    url: prefixRoute(ROUTES.SecretBackends),
    routePath: `${ROUTES.SecretBackends}/*`,
    getScene: () => secretBackendsScene(datasource),
  });
}
