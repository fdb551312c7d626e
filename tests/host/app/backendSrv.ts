// A fetch()-based BackendSrv: the calls @grafana/runtime makes (DataSourceWithBackend.query -> POST /api/ds/query,
// getResource/postResource -> /api/datasources/uid/<uid>/resources/...) go over real HTTP to the bridge.
import type { BackendSrv, BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';
import { from, lastValueFrom, type Observable } from 'rxjs';

function urlOf(options: BackendSrvRequest): string {
  let url = options.url;
  if (!/^(https?:)?\//.test(url)) {
    url = '/' + url;
  }
  const params = options.params as Record<string, unknown> | undefined;
  if (params && Object.keys(params).length) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      if (v !== undefined && v !== null) {
        (Array.isArray(v) ? v : [v]).forEach((x) => qs.append(k, String(x)));
      }
    }
    url += (url.includes('?') ? '&' : '?') + qs.toString();
  }
  return url;
}

async function doFetch<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
  const headers: Record<string, string> = { 'X-Grafana-Org-Id': '1', ...(options.headers ?? {}) };
  let body: BodyInit | undefined;
  if (options.data !== undefined && options.method && options.method.toUpperCase() !== 'GET') {
    if (typeof options.data === 'string' || options.data instanceof FormData) {
      body = options.data;
    } else {
      body = JSON.stringify(options.data);
      headers['Content-Type'] ??= 'application/json';
    }
  }
  const res = await fetch(urlOf(options), {
    method: options.method ?? 'GET',
    headers,
    body,
    credentials: 'same-origin',
  });
  const text = await res.text();
  let data: unknown = text;
  if (/json/.test(res.headers.get('content-type') ?? '') && text) {
    data = JSON.parse(text);
  }
  const response = {
    data: data as T,
    status: res.status,
    statusText: res.statusText,
    ok: res.ok,
    headers: res.headers,
    redirected: res.redirected,
    type: res.type,
    url: res.url,
    config: options,
  };
  if (!res.ok) {
    const err: FetchError = {
      status: res.status,
      statusText: res.statusText,
      data: (typeof data === 'object' && data ? data : { message: String(data) }) as never,
      config: options,
      isHandled: false,
    };
    throw err;
  }
  return response;
}

export function createBackendSrv(): BackendSrv {
  const request = <T>(options: BackendSrvRequest): Promise<T> => doFetch<T>(options).then((r) => r.data);
  const srv = {
    fetch: <T>(options: BackendSrvRequest): Observable<FetchResponse<T>> => from(doFetch<T>(options)),
    request,
    datasourceRequest: <T>(options: BackendSrvRequest) => doFetch<T>(options),
    get: <T>(url: string, params?: unknown, requestId?: string, options?: Partial<BackendSrvRequest>) =>
      request<T>({ ...options, url, params: params as BackendSrvRequest['params'], requestId, method: 'GET' }),
    delete: <T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) =>
      request<T>({ ...options, url, data, method: 'DELETE' }),
    post: <T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) =>
      request<T>({ ...options, url, data, method: 'POST' }),
    patch: <T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) =>
      request<T>({ ...options, url, data, method: 'PATCH' }),
    put: <T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) =>
      request<T>({ ...options, url, data, method: 'PUT' }),
    resolveCancelerIfExists: () => undefined,
    chunked: (options: BackendSrvRequest) => srv.fetch(options),
  };
  return srv as unknown as BackendSrv;
}

export { lastValueFrom };
