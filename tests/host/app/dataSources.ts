// DataSourceSrv over the datasources the bridge lists in bootData; `get()` loads the nested KiCI datasource's
// real frontend (dist/datasource/module.js) and instantiates its DataSource class, as Grafana does; Loki (a core
// plugin in Grafana) is the host's own stand-in.
import { type DataSourceApi, type DataSourceInstanceSettings, type DataSourcePlugin } from '@grafana/data';
import { config, type DataSourceSrv, type GetDataSourceListFilters } from '@grafana/runtime';
import type { DataSourceRef } from '@grafana/schema';

import { LokiStandIn } from './loki';
import { importPlugin } from './systemjs';

export function createDataSourceSrv(): DataSourceSrv {
  const list = () => Object.values(config.datasources) as DataSourceInstanceSettings[];
  const instances = new Map<string, Promise<DataSourceApi>>();

  const find = (ref?: DataSourceRef | string | null): DataSourceInstanceSettings | undefined => {
    if (ref === null || ref === undefined) {
      return list().find((d) => d.isDefault) ?? list()[0];
    }
    const key = typeof ref === 'string' ? ref : ref.uid;
    return list().find((d) => d.uid === key || d.name === key);
  };

  const load = async (settings: DataSourceInstanceSettings): Promise<DataSourceApi> => {
    if (settings.meta.module === 'core:plugin/loki') {
      const ds = new LokiStandIn(settings) as unknown as DataSourceApi;
      ds.meta = settings.meta;
      return ds;
    }
    const exports = await importPlugin('/' + settings.meta.module);
    const plugin = exports.plugin as DataSourcePlugin<DataSourceApi>;
    plugin.meta = settings.meta as never;
    const ds = new plugin.DataSourceClass(settings as never) as DataSourceApi;
    ds.components = plugin.components;
    ds.meta = settings.meta;
    return ds;
  };

  return {
    getList: (filters: GetDataSourceListFilters = {}) =>
      list().filter(
        (d) =>
          (!filters.pluginId || d.meta.id === filters.pluginId) &&
          (!filters.type || [filters.type].flat().includes(d.type))
      ),
    getInstanceSettings: (ref?: DataSourceRef | string | null) => find(ref),
    get: (ref?: DataSourceRef | string | null) => {
      const settings = find(ref);
      if (!settings) {
        return Promise.reject(new Error(`Datasource ${JSON.stringify(ref)} was not found`));
      }
      let p = instances.get(settings.uid);
      if (!p) {
        p = load(settings);
        instances.set(settings.uid, p);
      }
      return p;
    },
    reload: async () => undefined,
    registerRuntimeDataSource: () => undefined,
  } as unknown as DataSourceSrv;
}
