// A tiny HTTP client for the kici-sim tests: real requests over loopback, nothing mocked.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Writable } from 'node:stream';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  bytes: number;
  json<T = any>(): T;
}

export interface CallOptions {
  method?: string;
  token?: string | null;
  headers?: Record<string, string>;
  body?: string;
  /** Abort (reject with "timeout") after this many ms without a complete answer. */
  timeoutMs?: number;
  /** https with the sim's self-signed certificate accepted. */
  tls?: boolean;
  /** Count the body's bytes without keeping more than this many characters of it. */
  keepChars?: number;
}

export function call(url: string, opts: CallOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) {
      headers.authorization = `Bearer ${opts.token}`;
    }
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
    }
    const target = opts.tls ? url.replace(/^http:/, 'https:') : url;
    const make = opts.tls ? httpsRequest : httpRequest;
    const req = make(
      target,
      { method: opts.method ?? 'GET', headers, agent: false, rejectUnauthorized: false },
      (res) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        let kept = 0;
        res.on('data', (c: Buffer) => {
          bytes += c.length;
          if (opts.keepChars === undefined || kept < opts.keepChars) {
            chunks.push(c);
            kept += c.length;
          }
        });
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, bytes, json: () => JSON.parse(body) });
        });
        res.on('error', reject);
      }
    );
    if (opts.timeoutMs !== undefined) {
      req.setTimeout(opts.timeoutMs, () => req.destroy(new Error('timeout')));
    }
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Collects written JSON log lines. */
export function logSink(): { out: Writable; lines: () => Array<Record<string, unknown>> } {
  let buffer = '';
  const out = new Writable({
    write(chunk, _enc, cb) {
      buffer += chunk.toString();
      cb();
    },
  });
  return {
    out,
    lines: () =>
      buffer
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l)),
  };
}
