import { type CoreApp, type DataSourceInstanceSettings, type ScopedVars } from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';

import { DEFAULT_QUERY_TYPE, type KiciQuery } from './query';
import type { KiciJsonData } from './types';

/** Free-text query options that may hold template variables (e.g. `$routingKey`). */
const INTERPOLATED_OPTIONS = ['routingKey', 'eventName', 'repo', 'errorText'] as const;

type Replace = (value: string, scopedVars?: ScopedVars) => string;

/** Interpolates template variables in the string options; a query without a type becomes the default type. */
export function interpolateQuery<Q extends KiciQuery>(query: Q, replace: Replace, scopedVars?: ScopedVars): Q {
  const next: Q = { ...query, queryType: query.queryType ?? DEFAULT_QUERY_TYPE };
  for (const key of INTERPOLATED_OPTIONS) {
    const value = query[key];
    if (typeof value === 'string' && value !== '') {
      next[key] = replace(value, scopedVars);
    }
  }
  return next;
}

export class DataSource extends DataSourceWithBackend<KiciQuery, KiciJsonData> {
  constructor(instanceSettings: DataSourceInstanceSettings<KiciJsonData>) {
    super(instanceSettings);
  }

  getDefaultQuery(_app: CoreApp): Partial<KiciQuery> {
    return { queryType: DEFAULT_QUERY_TYPE };
  }

  filterQuery(query: KiciQuery): boolean {
    return !query.hide;
  }

  applyTemplateVariables(query: KiciQuery, scopedVars: ScopedVars): KiciQuery {
    const templateSrv = getTemplateSrv();
    return interpolateQuery(query, (value, vars) => templateSrv.replace(value, vars), scopedVars);
  }
}
