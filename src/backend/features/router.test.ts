import { PluginError, type RequestContext, type ResourceRequest } from '../protocol/types';
import { requireRole } from './access';
import { createRouter, matchPath } from './router';
import type { FeatureEnv } from './types';

const req = (method: string, path: string): ResourceRequest => ({
  method,
  path,
  url: `/${path}`,
  query: new URLSearchParams(),
  headers: {},
  body: Buffer.alloc(0),
});
const env = {} as FeatureEnv;

describe('resource router', () => {
  const router = createRouter([
    { method: 'GET', path: 'health', handler: async () => ({ status: 200, body: { ok: true } }) },
    { method: 'POST', path: 'dlq/:id/retry', handler: async (_r, p) => ({ status: 200, body: p }) },
  ]);

  it('routes by path and method and captures parameters', async () => {
    expect(await router(req('GET', 'health'), env)).toEqual({ status: 200, body: { ok: true } });
    expect((await router(req('post', 'dlq/abc%20d/retry'), env)).body).toEqual({ id: 'abc d' });
  });

  it('answers 404 for unknown paths and 405 with Allow for wrong methods', async () => {
    const nf = await router(req('GET', 'nope'), env);
    expect(nf.status).toBe(404);
    expect(nf.body).toEqual({ error: 'no resource nope' });
    const na = await router(req('DELETE', 'health'), env);
    expect(na.status).toBe(405);
    expect(na.headers).toEqual({ Allow: ['GET'] });
    expect((na.body as { error: string }).error).toContain('DELETE');
  });

  it('matchPath ignores query strings and rejects length mismatches', () => {
    expect(matchPath('schema', 'schema?x=1')).toEqual({});
    expect(matchPath('dlq/:id', 'dlq')).toBeNull();
  });
});

describe('requireRole', () => {
  const ctx = (role?: 'Admin' | 'Editor' | 'Viewer' | 'None') =>
    ({ plugin: { user: role ? { login: 'kim', name: '', email: '', role } : undefined } }) as unknown as RequestContext;

  it('lets equal or higher roles through', () => {
    expect(() => requireRole(ctx('Editor'), 'Editor')).not.toThrow();
    expect(() => requireRole(ctx('Admin'), 'Editor')).not.toThrow();
  });

  it('refuses lower roles and missing users with 403', () => {
    for (const c of [ctx('Viewer'), ctx('None'), ctx(undefined)]) {
      let err: unknown;
      try {
        requireRole(c, 'Editor');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(PluginError);
      expect((err as PluginError).status).toBe(403);
    }
    expect(() => requireRole(ctx('Viewer'), 'Editor')).toThrow('this action needs the Editor role; kim has Viewer');
  });
});
