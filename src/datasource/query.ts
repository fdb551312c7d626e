// The query model and settings shapes: the one contract between the frontend and the backend.
// Both sides import this file; it must stay free of runtime imports from either side.

export const QUERY_TYPES = [
  'health',
  'schemaInfo',
  'dlqEvents',
  'dlqDepth',
  'eventDelivery',
  'executionMetrics',
  'executions',
  'secretBackends',
  'infrastructure',
] as const;

export type QueryType = (typeof QUERY_TYPES)[number];

export const DEFAULT_QUERY_TYPE: QueryType = 'health';

/** A panel's query against the KiCI datasource. Options not used by a query type are ignored. */
export interface KiciQuery {
  refId: string;
  queryType?: QueryType;
  hide?: boolean;
  /** Scope a query to one routing key (e.g. `github:42`). */
  routingKey?: string;
  /** executionMetrics: leave CLI test runs (`is_test_run`) out. */
  excludeTestRuns?: boolean;
  /** executionMetrics: use the dashboard time range instead of the last 24 hours. */
  useTimeRange?: boolean;
  /** dlqEvents filters. */
  eventName?: string;
  repo?: string;
  errorText?: string;
  sort?: 'dlqAt' | 'createdAt' | 'attempts' | 'eventName';
  sortDirection?: 'asc' | 'desc';
  limit?: number;
  /** Keyset cursor returned by the previous page (opaque). */
  cursor?: string;
}

export type PostgresSslMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';

/** Datasource `jsonData`: everything about reaching KiCI that is not a secret. */
export interface KiciDataSourceOptions {
  pgHost?: string;
  pgPort?: number;
  pgDatabase?: string;
  pgUser?: string;
  pgSslMode?: PostgresSslMode;
  pgMaxConnections?: number;
  pgStatementTimeoutMs?: number;
  /** One base URL per coordinator, e.g. `http://orch-a:4000`. */
  orchestratorUrls?: string[];
  /** Per-request timeout for orchestrator and Platform calls. */
  httpTimeoutMs?: number;
  platformUrl?: string;
  platformOrg?: string;
  /** Lowest Grafana role allowed to discard DLQ events (retry and sync/test need Editor). */
  discardMinRole?: 'Editor' | 'Admin';
}

/** Datasource `secureJsonData`: only the backend ever reads these. */
export interface KiciSecureJsonData {
  pgPassword?: string;
  /** TLS CA certificate (PEM) for verify-ca / verify-full. */
  pgCaCert?: string;
  adminToken?: string;
  platformToken?: string;
}

export const DEFAULT_PG_PORT = 5432;
export const DEFAULT_PG_MAX_CONNECTIONS = 5;
export const DEFAULT_PG_STATEMENT_TIMEOUT_MS = 10_000;
export const DEFAULT_HTTP_TIMEOUT_MS = 5_000;

/** App plugin `jsonData`: which datasources the pages use. */
export interface KiciAppSettings {
  kiciDatasourceUid?: string;
  lokiDatasourceUid?: string;
  prometheusDatasourceUid?: string;
}
