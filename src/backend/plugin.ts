// Composition root of the KiCI backend: the protocol layer's main.ts calls createKiciPlugin().
import { KiciDatasource } from './datasource';
import type { DatasourceInstance, DatasourcePlugin, DataSourceSettings, Logger } from './protocol/types';

export function createKiciPlugin(): DatasourcePlugin {
  return {
    createInstance(settings: DataSourceSettings, log: Logger): DatasourceInstance {
      return new KiciDatasource(settings, log.with({ datasourceUid: settings.uid }));
    },
  };
}
