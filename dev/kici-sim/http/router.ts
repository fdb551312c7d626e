// A tiny method + path router with KiCI's (Hono's) response conventions: JSON as `application/json`
// (no charset), unknown routes as `404 Not Found` in `text/plain; charset=UTF-8`, `X-Request-ID` on
// every orchestrator response.
import type { IncomingMessage } from 'node:http';

export interface SimResponse {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

export interface RouteContext {
  req: IncomingMessage;
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  requestId: string;
}

export type Handler = (ctx: RouteContext) => SimResponse | Promise<SimResponse>;

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

export const JSON_TYPE = 'application/json';
export const NOT_FOUND_TYPE = 'text/plain; charset=UTF-8';

export function json(status: number, value: unknown): SimResponse {
  return { status, contentType: JSON_TYPE, body: JSON.stringify(value) };
}

export function text(status: number, body: string, contentType = 'text/plain'): SimResponse {
  return { status, contentType, body };
}

export const notFound = (): SimResponse => text(404, '404 Not Found', NOT_FOUND_TYPE);

export class Router {
  private readonly routes: Route[] = [];

  get(pattern: string, handler: Handler): this {
    return this.add('GET', pattern, handler);
  }

  post(pattern: string, handler: Handler): this {
    return this.add('POST', pattern, handler);
  }

  delete(pattern: string, handler: Handler): this {
    return this.add('DELETE', pattern, handler);
  }

  add(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, segments: splitPath(pattern), handler });
    return this;
  }

  /** The first route whose method and path match (`:name` segments capture one URL-decoded segment). */
  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | null {
    const parts = splitPath(path);
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== parts.length) {
        continue;
      }
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const seg = route.segments[i];
        if (seg.startsWith(':')) {
          try {
            params[seg.slice(1)] = decodeURIComponent(parts[i]);
          } catch {
            ok = false;
          }
        } else {
          ok = seg === parts[i];
        }
      }
      if (ok) {
        return { handler: route.handler, params };
      }
    }
    return null;
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}
