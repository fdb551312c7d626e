// What a feature module receives. Features read KiCI through `sources` only.
import type { KiciSources } from '../kici/sources';
import type { QueryType } from '../../datasource/query';
import type { DataQuery, QueryResult, RequestContext, ResourceRequest, ResourceResponse } from '../protocol/types';
import type { KiciQueryModel } from './query-model';

export interface FeatureEnv {
  sources: KiciSources;
  ctx: RequestContext;
}

export interface FeatureQuery {
  refId: string;
  queryType: QueryType;
  model: KiciQueryModel;
  raw: DataQuery;
}

export type QueryHandler = (query: FeatureQuery, env: FeatureEnv) => Promise<QueryResult>;

export interface ResourceRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Below `/resources/`, segments like `:id` capture a parameter: `dlq/:id/retry`. */
  path: string;
  handler: (req: ResourceRequest, params: Record<string, string>, env: FeatureEnv) => Promise<ResourceResponse>;
}
