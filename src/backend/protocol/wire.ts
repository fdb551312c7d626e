import type {
  DataQuery,
  DataSourceSettings,
  GrafanaRole,
  PluginContext,
  ResourceRequest,
  ResourceResponse,
} from './types';

// Decoded pluginv2 messages (proto-loader: keepCase, longs as Number, enums as String, defaults on) and the pure
// mappings between them and the shapes in types.ts.

export interface WireUser {
  login: string;
  name: string;
  email: string;
  role: string;
}

export interface WireDataSourceSettings {
  id: number;
  name: string;
  url: string;
  user: string;
  database: string;
  basicAuthEnabled: boolean;
  basicAuthUser: string;
  jsonData: Uint8Array;
  decryptedSecureJsonData: Record<string, string>;
  lastUpdatedMS: number;
  uid: string;
  apiVersion: string;
}

export interface WirePluginContext {
  orgId: number;
  pluginId: string;
  user?: WireUser | null;
  dataSourceInstanceSettings?: WireDataSourceSettings | null;
  grafanaConfig: Record<string, string>;
  pluginVersion: string;
  userAgent: string;
  apiVersion: string;
}

export interface WireDataQuery {
  refId: string;
  maxDataPoints: number;
  intervalMS: number;
  timeRange?: { fromEpochMS: number; toEpochMS: number } | null;
  json: Uint8Array;
  queryType: string;
}

export interface WireQueryDataRequest {
  pluginContext?: WirePluginContext | null;
  headers: Record<string, string>;
  queries: WireDataQuery[];
}

export interface WireDataResponse {
  frames: Uint8Array[];
  error: string;
  status: number;
  errorSource: string;
}

export interface WireCallResourceRequest {
  pluginContext?: WirePluginContext | null;
  path: string;
  method: string;
  url: string;
  headers: Record<string, { values: string[] }>;
  body: Uint8Array;
}

export interface WireCallResourceResponse {
  code?: number;
  headers?: Record<string, { values: string[] }>;
  body: Uint8Array;
}

export interface WireCheckHealthResponse {
  status: 'UNKNOWN' | 'OK' | 'ERROR';
  message: string;
  jsonDetails: Uint8Array;
}

/** A request that cannot be served as sent (e.g. jsonData that is not JSON). */
export class BadRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadRequestError';
  }
}

const ROLES: GrafanaRole[] = ['Admin', 'Editor', 'Viewer', 'None'];

function parseJsonBytes(bytes: Uint8Array | undefined): { value: unknown; error?: string } {
  if (!bytes || bytes.length === 0) {
    return { value: {} };
  }
  try {
    return { value: JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) };
  } catch (err) {
    return { value: undefined, error: (err as Error).message };
  }
}

export function toDataSourceSettings(wire: WireDataSourceSettings): DataSourceSettings {
  const json = parseJsonBytes(wire.jsonData);
  if (json.error) {
    throw new BadRequestError(`datasource jsonData is not valid JSON: ${json.error}`);
  }
  return {
    id: Number(wire.id) || 0,
    uid: wire.uid ?? '',
    name: wire.name ?? '',
    url: wire.url ?? '',
    user: wire.user ?? '',
    database: wire.database ?? '',
    basicAuthEnabled: !!wire.basicAuthEnabled,
    basicAuthUser: wire.basicAuthUser ?? '',
    jsonData: json.value ?? {},
    decryptedSecureJsonData: { ...(wire.decryptedSecureJsonData ?? {}) },
    lastUpdatedMS: Number(wire.lastUpdatedMS) || 0,
    apiVersion: wire.apiVersion ?? '',
  };
}

export function toPluginContext(wire: WirePluginContext | null | undefined): PluginContext {
  const w = wire ?? ({} as Partial<WirePluginContext>);
  const user = w.user
    ? {
        login: w.user.login ?? '',
        name: w.user.name ?? '',
        email: w.user.email ?? '',
        role: (ROLES as string[]).includes(w.user.role) ? (w.user.role as GrafanaRole) : ('None' as const),
      }
    : undefined;
  return {
    orgId: Number(w.orgId) || 0,
    pluginId: w.pluginId ?? '',
    pluginVersion: w.pluginVersion ?? '',
    user,
    datasource: w.dataSourceInstanceSettings ? toDataSourceSettings(w.dataSourceInstanceSettings) : undefined,
    grafanaConfig: { ...(w.grafanaConfig ?? {}) },
    userAgent: w.userAgent ?? '',
  };
}

export function toDataQuery(wire: WireDataQuery): DataQuery {
  const json = parseJsonBytes(wire.json);
  return {
    refId: wire.refId ?? '',
    queryType: wire.queryType ?? '',
    maxDataPoints: Number(wire.maxDataPoints) || 0,
    intervalMs: Number(wire.intervalMS) || 0,
    timeRange: { from: Number(wire.timeRange?.fromEpochMS) || 0, to: Number(wire.timeRange?.toEpochMS) || 0 },
    json: json.value,
    ...(json.error ? { jsonError: `query JSON is not valid: ${json.error}` } : {}),
  };
}

export function toResourceRequest(wire: WireCallResourceRequest): ResourceRequest {
  const url = wire.url ?? '';
  const q = url.indexOf('?');
  const headers: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(wire.headers ?? {})) {
    headers[k] = [...(v?.values ?? [])];
  }
  const body = wire.body ?? new Uint8Array();
  return {
    path: (wire.path ?? '').replace(/^\/+/, ''),
    method: (wire.method || 'GET').toUpperCase(),
    url,
    query: new URLSearchParams(q >= 0 ? url.slice(q + 1) : ''),
    headers,
    body: Buffer.from(body.buffer, body.byteOffset, body.byteLength),
  };
}

export const RESOURCE_CHUNK_BYTES = 512 * 1024;

/** The stream of CallResourceResponse messages: code and headers first, the body split in chunks. */
export function toResourceMessages(
  res: ResourceResponse,
  chunkBytes = RESOURCE_CHUNK_BYTES
): WireCallResourceResponse[] {
  let body: Buffer;
  let contentType: string | undefined;
  if (res.body === undefined || res.body === null) {
    body = Buffer.alloc(0);
  } else if (Buffer.isBuffer(res.body) || res.body instanceof Uint8Array) {
    body = Buffer.from(res.body.buffer, res.body.byteOffset, res.body.byteLength);
    contentType = 'application/octet-stream';
  } else if (typeof res.body === 'string') {
    body = Buffer.from(res.body, 'utf8');
    contentType = 'text/plain; charset=utf-8';
  } else {
    body = Buffer.from(JSON.stringify(res.body), 'utf8');
    contentType = 'application/json';
  }
  const headers: Record<string, { values: string[] }> = {};
  for (const [k, v] of Object.entries(res.headers ?? {})) {
    headers[k] = { values: [...v] };
  }
  const hasContentType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
  if (contentType && !hasContentType) {
    headers['Content-Type'] = { values: [contentType] };
  }
  const messages: WireCallResourceResponse[] = [
    { code: res.status || 200, headers, body: body.subarray(0, chunkBytes) },
  ];
  for (let offset = chunkBytes; offset < body.length; offset += chunkBytes) {
    messages.push({ body: body.subarray(offset, offset + chunkBytes) });
  }
  return messages;
}
