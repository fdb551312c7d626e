// The query model and settings shapes: the one contract between the frontend and the backend.
// Both sides import this file; it must stay free of runtime imports from either side.

export const QUERY_TYPES = [
  'health',
  'schemaInfo',
  'dlqEvents',
  'dlqDepth',
  'dlqSignatures',
  'eventDelivery',
  'executionMetrics',
  'executions',
  'secretBackends',
  'infrastructure',
  'orphanedConnections',
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
  /**
   * executionMetrics: use the dashboard time range instead of the last 24 hours.
   * dlqEvents: `false` lists the whole DLQ instead of rows whose dlqAt lies in the time range.
   */
  useTimeRange?: boolean;
  /** dlqEvents (and dlqDepth) filters: exact event name / routing key / repo, text in the last error. */
  eventName?: string;
  repo?: string;
  errorText?: string;
  /**
   * dlqEvents (and dlqDepth): only the events of this DLQ error signature, by its id (8 hex digits, the `signatureId`
   * field of dlqSignatures), computed as dlqSignatures computes it.
   */
  signature?: string;
  /**
   * dlqEvents order. Only 'dlqAt' is served (KiCI indexes DLQ rows by admission time alone); the others, which
   * saved queries may still carry, are refused with a 400 (backend dlq/options.ts OFFERED_DLQ_SORTS).
   */
  sort?: 'dlqAt' | 'createdAt' | 'attempts' | 'eventName';
  sortDirection?: 'asc' | 'desc';
  /** dlqEvents: rows per page, 1..500 (default 100). */
  limit?: number;
  /** Keyset cursor returned by the previous page (opaque). */
  cursor?: string;
  /**
   * dlqDepth: `true` returns DLQ admissions per interval over the time range (zero-filled, bins of the
   * panel's interval, at most maxDataPoints). Absent/false (e.g. an alert rule): one numeric field, the
   * current depth `count(*) WHERE dlq_at IS NOT NULL`.
   */
  series?: boolean;
  /**
   * dlqSignatures: `table` (default) is one row per signature with its times, names, sample and sparkline; `numbers` is
   * one number per signature (its event count) labelled `signature` and `signatureId`, the shape Grafana's alerting
   * reads as numbers with labels (one alert instance per signature).
   */
  format?: 'table' | 'numbers';
  /** dlqSignatures: only signatures whose first admission lies in the time range (new ones). */
  firstSeenInRange?: boolean;
  /** eventDelivery: only the `summary` frame (stat panels) or only the `leases` frame (table); both when absent. */
  section?: 'summary' | 'leases';
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
  /**
   * Port of the agents' own /health and /ready (their KICI_PORT, e.g. 8080). When set, the health matrix probes
   * `http://<host_roster.hostname>:<port>` for agents the roster says are connected; unset = agents are not probed.
   */
  agentHealthPort?: number;
  /** Lowest Grafana role allowed to discard DLQ events (retry and sync/test need Editor). */
  discardMinRole?: 'Editor' | 'Admin';
  /** Infrastructure: where the latest published orchestrator version comes from (default: the Platform's, else none). */
  latestVersionSource?: 'fixed' | 'npm' | 'none';
  /** With latestVersionSource `fixed`: the version to compare against, e.g. `0.9.1`. */
  latestVersion?: string;
  /** With latestVersionSource `npm`: the registry serving `@kici-dev/orchestrator` (default https://registry.npmjs.org). */
  npmRegistryUrl?: string;
  /** Infrastructure: how long one built tree is shared by every caller, in ms (default 5000, 0..300000). */
  infrastructureCacheMs?: number;
}

/** Datasource `secureJsonData`: only the backend ever reads these. */
export interface KiciSecureJsonData {
  pgPassword?: string;
  /** TLS CA certificate (PEM) for verify-ca / verify-full. */
  pgCaCert?: string;
  adminToken?: string;
  platformToken?: string;
}

/**
 * Exactly the keys of `T`, as a runtime list: a key missing from `keys` (or one `T` does not have) is a type error, so
 * the list cannot drift from the interface.
 */
function keysOf<T>() {
  return <const K extends ReadonlyArray<keyof T>>(
    keys: K & ([Exclude<keyof T, K[number]>] extends [never] ? unknown : never)
  ): K => keys;
}

/** Every datasource `jsonData` key (provisioning files and the config editor may use no other). */
export const DATASOURCE_JSON_DATA_KEYS = keysOf<KiciDataSourceOptions>()([
  'pgHost',
  'pgPort',
  'pgDatabase',
  'pgUser',
  'pgSslMode',
  'pgMaxConnections',
  'pgStatementTimeoutMs',
  'orchestratorUrls',
  'httpTimeoutMs',
  'platformUrl',
  'platformOrg',
  'agentHealthPort',
  'discardMinRole',
  'latestVersionSource',
  'latestVersion',
  'npmRegistryUrl',
  'infrastructureCacheMs',
]);

/** Every datasource `secureJsonData` key. */
export const DATASOURCE_SECURE_JSON_DATA_KEYS = keysOf<KiciSecureJsonData>()([
  'pgPassword',
  'pgCaCert',
  'adminToken',
  'platformToken',
]);

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

/** Every app `jsonData` key. */
export const APP_JSON_DATA_KEYS = keysOf<KiciAppSettings>()([
  'kiciDatasourceUid',
  'lokiDatasourceUid',
  'prometheusDatasourceUid',
]);
