// What the protocol layer hands to a plugin and expects back. Nothing here knows about KiCI:
// the protocol decodes gRPC messages into these shapes, a plugin implements `DatasourcePlugin`.

export type GrafanaRole = 'Admin' | 'Editor' | 'Viewer' | 'None';

export interface GrafanaUser {
  login: string;
  name: string;
  email: string;
  role: GrafanaRole;
}

export interface DataSourceSettings {
  id: number;
  uid: string;
  name: string;
  url: string;
  user: string;
  database: string;
  basicAuthEnabled: boolean;
  basicAuthUser: string;
  /** Parsed `jsonData` (`{}` when empty). */
  jsonData: unknown;
  decryptedSecureJsonData: Record<string, string>;
  lastUpdatedMS: number;
  apiVersion: string;
}

export interface PluginContext {
  orgId: number;
  pluginId: string;
  pluginVersion: string;
  user?: GrafanaUser;
  datasource?: DataSourceSettings;
  grafanaConfig: Record<string, string>;
  userAgent: string;
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  with(fields: Record<string, unknown>): Logger;
}

/** Passed with every call: who asks, a logger carrying the call's fields, and a cancellation signal. */
export interface RequestContext {
  plugin: PluginContext;
  log: Logger;
  signal: AbortSignal;
}

export interface TimeRange {
  /** Epoch milliseconds. */
  from: number;
  to: number;
}

export interface DataQuery {
  refId: string;
  queryType: string;
  maxDataPoints: number;
  intervalMs: number;
  timeRange: TimeRange;
  /** The panel's query model, parsed from JSON; `undefined` when the bytes were not JSON. */
  json: unknown;
  /** Set when the query JSON could not be parsed. */
  jsonError?: string;
}

export type FieldType = 'time' | 'number' | 'int64' | 'string' | 'boolean' | 'json';

export interface FieldConfig {
  displayName?: string;
  displayNameFromDS?: string;
  unit?: string;
  decimals?: number;
  description?: string;
  links?: Array<{ title: string; url: string; targetBlank?: boolean }>;
  [key: string]: unknown;
}

/**
 * One column. `time` values are epoch ms (number) or Date; `int64` values are number or bigint;
 * `json` values are any JSON-serialisable value. `null` is allowed only when `nullable`.
 */
export interface Field {
  name: string;
  type: FieldType;
  values: unknown[];
  nullable?: boolean;
  labels?: Record<string, string>;
  config?: FieldConfig;
}

export interface FrameNotice {
  severity: 'info' | 'warning' | 'error';
  text: string;
  link?: string;
}

export interface FrameMeta {
  type?: string;
  typeVersion?: [number, number];
  executedQueryString?: string;
  preferredVisualisationType?: string;
  notices?: FrameNotice[];
  custom?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Frame {
  name?: string;
  fields: Field[];
  meta?: FrameMeta;
}

export type ErrorSource = 'plugin' | 'downstream';

export interface QueryResult {
  frames: Frame[];
}

/** Thrown by a query or resource handler to fail with a given status and source. */
export class PluginError extends Error {
  constructor(
    message: string,
    readonly status = 500,
    readonly source: ErrorSource = 'plugin'
  ) {
    super(message);
    this.name = 'PluginError';
  }
}

export interface ResourceRequest {
  /** Path below `/resources/`, without a leading slash, e.g. `dlq/123/retry`. */
  path: string;
  method: string;
  /** The full URL as Grafana passes it (path and query string). */
  url: string;
  query: URLSearchParams;
  headers: Record<string, string[]>;
  body: Buffer;
}

export interface ResourceResponse {
  status: number;
  headers?: Record<string, string[]>;
  /** Sent as JSON unless it is a Buffer or string. */
  body?: unknown;
}

export type HealthStatus = 'OK' | 'ERROR' | 'UNKNOWN';

export interface HealthResult {
  status: HealthStatus;
  message: string;
  details?: unknown;
}

/** One per datasource instance (uid + lastUpdatedMS); disposed when its settings change. */
export interface DatasourceInstance {
  checkHealth(ctx: RequestContext): Promise<HealthResult>;
  /** Answers one query; a throw fails only that refId. */
  query(query: DataQuery, ctx: RequestContext): Promise<QueryResult>;
  callResource(req: ResourceRequest, ctx: RequestContext): Promise<ResourceResponse>;
  dispose(): Promise<void>;
}

export interface DatasourcePlugin {
  /** Must not throw for bad settings: return an instance whose calls explain what is wrong. */
  createInstance(settings: DataSourceSettings, log: Logger): DatasourceInstance;
  /** Extra Prometheus text appended to the plugin's own metrics (optional). */
  collectMetrics?(): Promise<string>;
}
