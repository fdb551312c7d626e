// What each fault mode does to an otherwise normal answer. `down`, `slow` and `tls` act on the
// connection (see listener.ts); the ones here rewrite the response:
//   garbage   200, the route's content type, a body that is neither JSON nor Prometheus text
//   oversized 200, the route's content type, a 20 MiB body (valid JSON/text, so only a size cap stops it)
//   error500  500 {"error":"Internal server error"} (KiCI's admin-errors body) on every route
import type { ServerResponse } from 'node:http';
import type { FaultMode, FaultSpec } from '../model';
import { JSON_TYPE, type SimResponse } from './router';

export const FAULT_MODES: FaultMode[] = ['none', 'down', 'slow', 'garbage', 'oversized', 'error500', 'tls'];

export const OVERSIZED_BYTES = 20 * 1024 * 1024;

export const GARBAGE_BODY = '{"status":"ok","checks":{<<kici-sim garbage: truncated \u0000 body';

export function parseFault(value: unknown): FaultSpec {
  if (!value || typeof value !== 'object') {
    throw new Error('fault must be an object like {"mode":"slow","delayMs":3000}');
  }
  const { mode, delayMs } = value as { mode?: unknown; delayMs?: unknown };
  if (typeof mode !== 'string' || !FAULT_MODES.includes(mode as FaultMode)) {
    throw new Error(`fault.mode must be one of ${FAULT_MODES.join(', ')}`);
  }
  if (delayMs !== undefined && (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0)) {
    throw new Error('fault.delayMs must be a non-negative number of milliseconds');
  }
  return delayMs === undefined ? { mode: mode as FaultMode } : { mode: mode as FaultMode, delayMs };
}

/** The response to send under `fault`, or `'oversized'` when the body must be streamed. */
export function faultResponse(fault: FaultSpec, normal: SimResponse): SimResponse | 'oversized' {
  switch (fault.mode) {
    case 'garbage':
      return { status: 200, contentType: normal.contentType, body: GARBAGE_BODY, headers: normal.headers };
    case 'oversized':
      return 'oversized';
    case 'error500':
      return {
        status: 500,
        contentType: JSON_TYPE,
        body: JSON.stringify({ error: 'Internal server error' }),
        headers: normal.headers,
      };
    default:
      return normal;
  }
}

/** Streams OVERSIZED_BYTES: JSON `{"padding":"xxx…"}` for JSON routes, comment lines for text routes. */
export function writeOversized(res: ServerResponse, normal: SimResponse): void {
  const isJson = normal.contentType.startsWith(JSON_TYPE);
  const head = isJson ? '{"padding":"' : '';
  const tail = isJson ? '"}' : '\n';
  const fillerLength = OVERSIZED_BYTES - head.length - tail.length;
  res.writeHead(200, { 'content-type': normal.contentType, 'content-length': OVERSIZED_BYTES, ...normal.headers });
  const line = isJson ? 'x'.repeat(1023) + 'x' : '#'.repeat(1023) + '\n';
  const chunk = Buffer.from(line.repeat(64));
  res.write(head);
  let left = fillerLength;
  const pump = () => {
    while (left > 0) {
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= piece.length;
      if (!res.write(piece)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end(tail);
  };
  pump();
}
