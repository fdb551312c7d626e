// Stand-ins for Grafana's services in jest (no Grafana server): a datasource registry and settings records.
import type { DataSourceInstanceSettings, DataSourceRef } from '@grafana/data';
import { type DataSourceSrv, type GetDataSourceListFilters } from '@grafana/runtime';

export function dsSettings(uid: string, type: string, name = uid): DataSourceInstanceSettings {
  return {
    id: uid.length,
    uid,
    type,
    name,
    access: 'proxy',
    jsonData: {},
    readOnly: false,
    meta: { id: type, name: type, type: 'datasource', info: { logos: { small: '', large: '' } } },
  } as unknown as DataSourceInstanceSettings;
}

/** A DataSourceSrv over fixed settings; `get` returns `instances[uid]` when given, else the settings. */
export function dataSourceSrvStub(
  list: DataSourceInstanceSettings[],
  instances: Record<string, unknown> = {}
): DataSourceSrv {
  const find = (ref?: DataSourceRef | string | null) => {
    const key = typeof ref === 'string' ? ref : ref?.uid;
    return list.find((ds) => ds.uid === key || ds.name === key);
  };
  return {
    getList: (filters: GetDataSourceListFilters = {}) =>
      list.filter(
        (ds) =>
          (!filters.pluginId || ds.meta.id === filters.pluginId) &&
          (!filters.type || [filters.type].flat().includes(ds.type))
      ),
    getInstanceSettings: (ref?: DataSourceRef | string | null) => find(ref),
    get: async (ref?: DataSourceRef | string | null) => {
      const settings = find(ref);
      if (!settings) {
        throw new Error(`datasource ${JSON.stringify(ref)} not found`);
      }
      return (instances[settings.uid] ?? settings) as never;
    },
    reload: async () => {},
    registerRuntimeDataSource: () => {},
  } as unknown as DataSourceSrv;
}
