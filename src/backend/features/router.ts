// A small resource router: exact segments and `:param` captures; 404 and 405 as JSON.
import type { ResourceRequest, ResourceResponse } from '../protocol/types';
import type { FeatureEnv, ResourceRoute } from './types';

export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('?')[0].split('/').filter(Boolean);
  if (p.length !== s.length) {
    return null;
  }
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) {
      try {
        params[p[i].slice(1)] = decodeURIComponent(s[i]);
      } catch {
        return null;
      }
    } else if (p[i] !== s[i]) {
      return null;
    }
  }
  return params;
}

export type Router = (req: ResourceRequest, env: FeatureEnv) => Promise<ResourceResponse>;

export function createRouter(routes: ResourceRoute[]): Router {
  return async (req, env) => {
    const method = req.method.toUpperCase();
    const matching = routes.map((r) => ({ r, params: matchPath(r.path, req.path) })).filter((m) => m.params !== null);
    if (matching.length === 0) {
      return { status: 404, body: { error: `no resource ${req.path || '/'}` } };
    }
    const hit = matching.find((m) => m.r.method === method);
    if (!hit) {
      const allow = [...new Set(matching.map((m) => m.r.method))];
      return {
        status: 405,
        headers: { Allow: [allow.join(', ')] },
        body: { error: `method ${method} not allowed on ${req.path}; use ${allow.join(', ')}` },
      };
    }
    return hit.r.handler(req, hit.params!, env);
  };
}
