// Composition root of the KiCI backend: the protocol layer's main.ts calls createKiciPlugin().
import type { DatasourceInstance, DatasourcePlugin, DataSourceSettings, Logger } from './protocol/types';
import { PluginError } from './protocol/types';

export function createKiciPlugin(): DatasourcePlugin {
  return {
    createInstance(_settings: DataSourceSettings, _log: Logger): DatasourceInstance {
      return {
        async checkHealth() {
          return { status: 'ERROR', message: 'KiCI datasource backend is not implemented yet' };
        },
        async query() {
          throw new PluginError('not implemented yet', 501);
        },
        async callResource() {
          return { status: 404, body: { error: 'not found' } };
        },
        async dispose() {},
      };
    },
  };
}
