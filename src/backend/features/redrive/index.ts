// `dlq/redrive` resources: start a paced redrive of the DLQ events matching a filter, read its progress (from any
// replica), cancel it. One RedriveService per datasource instance, disposed with it (its running redrive is then
// marked interrupted).
import pg from 'pg';

import { poolConfig } from '../../kici/db';
import type { KiciSources } from '../../kici/sources';
import type { ResourceResponse } from '../../protocol/types';
import { UUID_RE } from '../dlq/cursor';
import { userMay } from '../dlq/permissions';
import { toPluginError } from '../errors';
import { requireDb } from '../require-db';
import type { FeatureEnv, ResourceRoute } from '../types';
import { RedriveService } from './service';
import { parseStartBody } from './state';

const services = new WeakMap<KiciSources, RedriveService>();
const pools = new WeakMap<KiciSources, pg.Pool>();

function serviceFor(env: FeatureEnv): RedriveService {
  const { sources } = env;
  const existing = services.get(sources);
  if (existing) {
    return existing;
  }
  const db = requireDb(sources, 'the redrive state');
  // Not the read-only pool: this one writes kici_grafana (and nothing else; see README, "Redrive").
  const pool = new pg.Pool({ ...poolConfig(db.settings), options: undefined, max: 2 });
  pool.on('error', (err) => env.ctx.log.warn('redrive PostgreSQL idle client error', { error: String(err) }));
  const service = new RedriveService({
    pool,
    pg: db.settings,
    orchestrators: sources.orchestrators,
    datasourceUid: env.ctx.plugin.datasource?.uid ?? '',
    log: env.ctx.log,
  });
  services.set(sources, service);
  pools.set(sources, pool);
  return service;
}

/** Called when the datasource instance is disposed. */
export async function disposeRedrive(sources: KiciSources): Promise<void> {
  const service = services.get(sources);
  const pool = pools.get(sources);
  services.delete(sources);
  pools.delete(sources);
  await service?.dispose();
  await pool?.end();
}

function login(env: FeatureEnv): string {
  return env.ctx.plugin.user?.login || '(no user)';
}

async function answer(env: FeatureEnv, fn: () => Promise<ResourceResponse>): Promise<ResourceResponse> {
  try {
    return await fn();
  } catch (err) {
    const e = toPluginError(err);
    if (e.status >= 500) {
      env.ctx.log.warn('redrive resource failed', { status: e.status, error: e.message });
    }
    return { status: e.status, body: { error: e.message } };
  }
}

function refused(env: FeatureEnv, what: string): ResourceResponse | null {
  const verdict = userMay(env.ctx.plugin.user, 'retry', env.sources.settings.discardMinRole);
  if (verdict.allowed) {
    return null;
  }
  env.ctx.log.info('DLQ redrive refused', { user: login(env), what, status: 403 });
  return { status: 403, body: { error: `${what}: ${verdict.reason}` } };
}

function checkId(id: string): ResourceResponse | null {
  return UUID_RE.test(id)
    ? null
    : { status: 400, body: { error: `"${id.slice(0, 80)}" is not a redrive id (a UUID)` } };
}

export const redriveRoutes: ResourceRoute[] = [
  {
    method: 'GET',
    path: 'dlq/redrive',
    handler: async (_req, _p, env) =>
      answer(env, async () => {
        try {
          return { status: 200, body: { redrive: await serviceFor(env).current() } };
        } catch (err) {
          // No schema or grant: the page loads quietly (there is no redrive to show); starting one says what to grant.
          const e = toPluginError(err);
          if (e.status === 503) {
            return { status: 200, body: { redrive: null, unavailable: e.message } };
          }
          throw err;
        }
      }),
  },
  {
    method: 'POST',
    path: 'dlq/redrive',
    handler: async (req, _p, env) =>
      answer(env, async () => {
        const no = refused(env, 'starting a redrive');
        if (no) {
          return no;
        }
        const body = parseStartBody(req.body);
        if (env.sources.orchestrators.length === 0) {
          return {
            status: 400,
            body: { error: 'cannot redrive: no orchestrator URL is configured (orchestratorUrls)' },
          };
        }
        if (env.sources.settings.adminToken === null) {
          return {
            status: 400,
            body: {
              error:
                'cannot redrive: no admin token is configured (adminToken); DLQ actions go through the orchestrator admin API',
            },
          };
        }
        return serviceFor(env).start(body, login(env), env.ctx.log);
      }),
  },
  {
    method: 'GET',
    path: 'dlq/redrive/:id',
    handler: async (_req, p, env) =>
      answer(env, async () => {
        const bad = checkId(p.id);
        if (bad) {
          return bad;
        }
        const view = await serviceFor(env).byId(p.id.toLowerCase());
        return view
          ? { status: 200, body: { redrive: view } }
          : { status: 404, body: { error: `no redrive ${p.id} for this datasource` } };
      }),
  },
  {
    method: 'POST',
    path: 'dlq/redrive/:id/cancel',
    handler: async (_req, p, env) =>
      answer(env, async () => {
        const no = refused(env, 'cancelling a redrive');
        if (no) {
          return no;
        }
        const bad = checkId(p.id);
        if (bad) {
          return bad;
        }
        return serviceFor(env).cancel(p.id.toLowerCase(), login(env), env.ctx.log);
      }),
  },
];
