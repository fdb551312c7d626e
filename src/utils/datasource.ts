import type { DataSourceInstanceSettings } from '@grafana/data';
import type { DataSourceRef } from '@grafana/schema';
import { getDataSourceSrv } from '@grafana/runtime';

import { KICI_DATASOURCE_TYPE } from '../constants';
import type { KiciAppSettings } from '../datasource/query';

export interface ResolvedDatasource {
  ref: DataSourceRef;
  name: string;
  /** Set when the app's configured datasource is gone and another KiCI datasource stands in. */
  fallbackFrom?: string;
}

/** The app's configured KiCI datasource, else the first KiCI datasource, else undefined. */
export function resolveKiciDatasource(
  settings: KiciAppSettings | undefined,
  available: Array<Pick<DataSourceInstanceSettings, 'uid' | 'name' | 'type'>>
): ResolvedDatasource | undefined {
  const kici = available.filter((ds) => ds.type === KICI_DATASOURCE_TYPE);
  const configuredUid = settings?.kiciDatasourceUid;
  const configured = configuredUid ? kici.find((ds) => ds.uid === configuredUid) : undefined;
  const chosen = configured ?? kici[0];
  if (!chosen) {
    return undefined;
  }
  return {
    ref: { uid: chosen.uid, type: KICI_DATASOURCE_TYPE },
    name: chosen.name,
    ...(configuredUid && !configured ? { fallbackFrom: configuredUid } : {}),
  };
}

export function findKiciDatasource(settings: KiciAppSettings | undefined): ResolvedDatasource | undefined {
  return resolveKiciDatasource(settings, getDataSourceSrv().getList({ pluginId: KICI_DATASOURCE_TYPE }));
}
