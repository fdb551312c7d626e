// HTTP discipline shared by the orchestrator and Platform clients: per-request timeout, bounded
// body, one retry for idempotent GETs, zod-validated bodies, errors naming node + route + field.
// node:http(s) rather than global fetch: it behaves the same on Node and Bun, takes TLS options,
// and has no "bad port" list (fetch refuses e.g. :6000 or :10080). Never import undici here.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { z } from 'zod';

import { KiciSourceError, type KiciFailure, type KiciSourceKind } from './errors';
import { apiErrorSchema, describeZodError } from './schemas/common';

export const DEFAULT_MAX_RESPONSE_BYTES = 5 * 1024 * 1024;
export const RETRY_BACKOFF_MS = 150;

export interface HttpSourceOptions {
  source: KiciSourceKind;
  baseUrl: string;
  timeoutMs: number;
  maxResponseBytes?: number;
  userAgent?: string;
  /** https only: verify against this CA (PEM) / skip verification. */
  tls?: { ca?: string; rejectUnauthorized?: boolean };
}

export interface HttpRequest<T> {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path below the base URL, starting with `/`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  bearer?: string;
  schema: z.ZodType<T>;
  /** Statuses whose body is validated with `schema` (default 200 only). */
  okStatuses?: number[];
  signal?: AbortSignal;
  /** Override the source's timeout for this call. */
  timeoutMs?: number;
}

export interface HttpResult<T> {
  status: number;
  data: T;
  latencyMs: number;
  /** KiCI's `x-request-id`, for log correlation. */
  requestId?: string;
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);

export class HttpSource {
  readonly baseUrl: string;
  readonly source: KiciSourceKind;
  readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly userAgent: string;
  private readonly tls?: HttpSourceOptions['tls'];

  constructor(opts: HttpSourceOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.source = opts.source;
    this.timeoutMs = opts.timeoutMs;
    this.maxBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.tls = opts.tls;
    this.userAgent = opts.userAgent ?? 'kici-ops-datasource';
  }

  async request<T>(req: HttpRequest<T>): Promise<HttpResult<T>> {
    const attempts = req.method === 'GET' ? 2 : 1;
    let lastErr: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        return await this.once(req);
      } catch (err) {
        lastErr = err;
        const retryable =
          err instanceof KiciSourceError &&
          (err.failure === 'unreachable' ||
            (err.failure === 'http' && err.status !== undefined && RETRYABLE_STATUS.has(err.status)));
        // A timeout is not retried: a slow node would cost twice the budget of the check.
        if (!retryable || attempt === attempts || req.signal?.aborted) {
          throw err;
        }
        await sleep(RETRY_BACKOFF_MS, req.signal);
      }
    }
    throw lastErr;
  }

  private fail(
    req: HttpRequest<unknown>,
    failure: KiciFailure,
    message: string,
    extra: { status?: number; hint?: string; cause?: unknown } = {}
  ) {
    const route = `${req.method} ${req.path}`;
    return new KiciSourceError(`${this.baseUrl} ${route}: ${message}`, {
      source: this.source,
      failure,
      target: this.baseUrl,
      route,
      ...extra,
    });
  }

  private async once<T>(req: HttpRequest<T>): Promise<HttpResult<T>> {
    const timeoutMs = req.timeoutMs ?? this.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const url = new URL(this.baseUrl + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) {
      if (v !== undefined) {
        url.searchParams.set(k, String(v));
      }
    }
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.userAgent };
    if (req.bearer) {
      headers.authorization = `Bearer ${req.bearer}`;
    }
    const started = performance.now();
    const aborted = (cause: unknown) =>
      timeout.aborted && !req.signal?.aborted
        ? this.fail(req, 'timeout', `no answer within ${timeoutMs} ms`, {
            cause,
            hint: 'check the node, or raise httpTimeoutMs',
          })
        : this.fail(req, 'cancelled', 'request was cancelled', { cause });

    let res: IncomingMessage;
    try {
      res = await send(url, req.method, headers, signal, this.tls);
    } catch (err) {
      if (signal.aborted) {
        throw aborted(err);
      }
      const code = networkCode(err);
      throw this.fail(req, 'unreachable', `cannot connect (${code})`, {
        cause: err,
        hint: 'check the URL and that the orchestrator is running',
      });
    }

    let text: string;
    try {
      text = await readBounded(res, this.maxBytes);
    } catch (err) {
      res.destroy();
      if (err instanceof TooLarge) {
        throw this.fail(req, 'too-large', `response larger than ${this.maxBytes} bytes; refused`, {
          status: res.statusCode,
        });
      }
      if (signal.aborted) {
        throw aborted(err);
      }
      throw this.fail(req, 'unreachable', `connection broke while reading the response (${networkCode(err)})`, {
        cause: err,
      });
    }
    const latencyMs = Math.round(performance.now() - started);
    const rid = res.headers['x-request-id'];
    const requestId = typeof rid === 'string' ? rid : undefined;
    const status = res.statusCode ?? 0;
    const ok = req.okStatuses ?? [200];

    if (!ok.includes(status)) {
      const apiError = parseJson(text);
      const detail = apiErrorSchema.safeParse(apiError).success ? (apiError as { error: string }).error : snippet(text);
      const failure: KiciFailure =
        status === 401 ? 'auth' : status === 403 ? 'forbidden' : status === 404 ? 'not-found' : 'http';
      throw this.fail(req, failure, `HTTP ${status}${detail ? `: ${detail}` : ''}`, {
        status,
        hint: hintFor(status, req),
      });
    }

    const json = parseJson(text);
    if (json === PARSE_FAILED) {
      throw this.fail(req, 'invalid-response', `response is not JSON (${snippet(text) || 'empty body'})`, { status });
    }
    const parsed = req.schema.safeParse(json);
    if (!parsed.success) {
      throw this.fail(req, 'invalid-response', `unexpected response: ${describeZodError(parsed.error)}`, {
        status,
        hint: 'is this URL a KiCI orchestrator of a supported version?',
      });
    }
    return { status, data: parsed.data, latencyMs, requestId };
  }
}

function hintFor(status: number, req: HttpRequest<unknown>): string | undefined {
  if (status === 401) {
    return req.bearer
      ? 'the admin token is invalid, revoked or expired: create one with kici-admin token create'
      : 'set the admin token';
  }
  if (status === 403) {
    return 'the admin token lacks the permission or is restricted to one routing key';
  }
  if (status === 404 && req.path.startsWith('/api/v1/admin')) {
    return 'the admin API is mounted only when the orchestrator has secrets management configured';
  }
  if (status >= 300 && status < 400) {
    return 'the URL redirects: use the final orchestrator URL (including KICI_BASE_PATH)';
  }
  return undefined;
}

const PARSE_FAILED = Symbol('parse-failed');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return PARSE_FAILED;
  }
}

function snippet(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 120 ? `${oneLine.slice(0, 120)}…` : oneLine;
}

class TooLarge extends Error {}

function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  tls: HttpSourceOptions['tls']
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const opts = { method, headers, signal };
    const req =
      url.protocol === 'https:'
        ? httpsRequest(url, { ...opts, ...(tls ?? {}) }, resolve)
        : httpRequest(url, opts, resolve);
    req.once('error', reject);
    req.end();
  });
}

async function readBounded(res: IncomingMessage, max: number): Promise<string> {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    throw new TooLarge();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    total += chunk.byteLength;
    if (total > max) {
      throw new TooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** ECONNREFUSED etc. from the socket error (or its cause). */
function networkCode(err: unknown): string {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') {
      return code;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return err instanceof Error ? err.message : String(err);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true }
    );
  });
}
