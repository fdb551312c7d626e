// `secretBackends` query type and the secret-backend resources: GET the list (with whether the caller may
// act), POST Sync and Test through the admin API, role-checked and logged here because KiCI does not check roles.
import { errorMessage, KiciSourceError } from '../../kici/errors';
import type { BackendDescriptor } from '../../kici/schemas/backends';
import type { KiciSources } from '../../kici/sources';
import type { RequestContext, ResourceResponse } from '../../protocol/types';
import { PluginError } from '../../protocol/types';
import { hasRole, requireRole } from '../access';
import type { QueryHandler, ResourceRoute } from '../types';
import { firstAnswer } from '../fanout';
import { describeAdminError, judgeSync, onFirstAnswering, shouldTryNext } from './actions';
import { secretBackendsFrame } from './frame';
import { listBackends, readSyncState, typeLabel, type SecretBackend } from './sql';

/** Sync and Test need at least this Grafana role. */
export const BACKEND_ACTION_MIN_ROLE = 'Editor' as const;
const MAX_NAME_LENGTH = 255;

export const secretBackendsQuery: QueryHandler = async (query, env) => {
  const { backends, source } = await readBackends(env.sources, env.ctx.signal);
  const frame = secretBackendsFrame(backends, query.refId);
  if (source === 'admin API') {
    frame.meta = {
      ...frame.meta,
      notices: [{ severity: 'info', text: 'read through the orchestrator admin API: PostgreSQL is not configured' }],
    };
  }
  return { frames: [frame] };
};

/** The backends from the database, or without it from the admin API: one answer for the query and the resource. */
async function readBackends(
  sources: KiciSources,
  signal: AbortSignal
): Promise<{ backends: SecretBackend[]; source: 'database' | 'admin API' }> {
  if (sources.db) {
    return { backends: await listBackends(sources.db, signal), source: 'database' };
  }
  if (!actionsUnavailable(sources)) {
    // A read: every node is asked at once (Sync and Test, which change state, keep onFirstAnswering's serial order).
    let first;
    try {
      first = await firstAnswer(
        sources.orchestrators,
        (c, s) => c.backends(s),
        (err) => !shouldTryNext(err),
        signal
      );
    } catch (err) {
      throw describeAdminError(err, '');
    }
    if (!first.result) {
      throw describeAdminError(first.err, '');
    }
    return { backends: first.result.data.backends.map(fromDescriptor), source: 'admin API' };
  }
  throw new PluginError(
    'secret backends are read from the orchestrator database (set pgHost, pgDatabase, pgUser) or, without it, from the admin API (set adminToken and orchestratorUrls)',
    400
  );
}

function fromDescriptor(d: BackendDescriptor): SecretBackend {
  return {
    name: d.name,
    backendType: d.backendType,
    typeLabel: typeLabel(d.backendType),
    enabled: d.enabled,
    healthStatus: d.healthStatus,
    lastError: d.lastSyncError,
    syncIntervalMs: d.syncIntervalMs,
    scopeCount: d.scopeCount,
    scopeFilter: d.scopeFilter,
    lastSyncAt: d.lastSyncAt,
    lastHealthCheckAt: d.lastHealthCheckAt,
  };
}

function actionsUnavailable(sources: KiciSources): string | null {
  if (!sources.settings.adminToken) {
    return 'no admin token is configured (adminToken): Sync and Test go through the orchestrator admin API';
  }
  if (sources.orchestrators.length === 0) {
    return 'no orchestrator URL is configured (orchestratorUrls)';
  }
  return null;
}

function backendName(params: Record<string, string>): string {
  const name = params.name ?? '';
  if (name.trim() === '' || name.length > MAX_NAME_LENGTH) {
    throw new PluginError(`invalid secret backend name: 1 to ${MAX_NAME_LENGTH} characters`, 400);
  }
  return name;
}

function audit(
  ctx: RequestContext,
  action: 'sync' | 'test',
  backend: string,
  outcome: 'ok' | 'failed' | 'refused' | 'error',
  fields: Record<string, unknown> = {}
): void {
  const user = ctx.plugin.user;
  ctx.log.info('secret backend action', {
    action,
    backend,
    outcome,
    user: user?.login ?? '(none)',
    role: user?.role ?? '(none)',
    ...fields,
  });
}

/** Role check, then the action; every outcome (including a refusal) is logged with the Grafana user. */
async function guarded(
  ctx: RequestContext,
  action: 'sync' | 'test',
  backend: string,
  run: () => Promise<{ body: Record<string, unknown>; ok: boolean; fields?: Record<string, unknown> }>
): Promise<ResourceResponse> {
  try {
    requireRole(ctx, BACKEND_ACTION_MIN_ROLE);
  } catch (err) {
    audit(ctx, action, backend, 'refused', { error: errorMessage(err) });
    throw err;
  }
  try {
    const { body, ok, fields } = await run();
    audit(ctx, action, backend, ok ? 'ok' : 'failed', fields);
    return { status: 200, body };
  } catch (err) {
    const e = describeAdminError(err, backend);
    audit(ctx, action, backend, 'error', { status: e.status, error: e.message });
    throw e;
  }
}

export const secretBackendRoutes: ResourceRoute[] = [
  {
    method: 'GET',
    path: 'secret-backends',
    handler: async (_req, _params, env) => {
      const { sources, ctx } = env;
      const unavailable = actionsUnavailable(sources);
      const { backends, source } = await readBackends(sources, ctx.signal);
      const canManage = hasRole(ctx.plugin.user?.role, BACKEND_ACTION_MIN_ROLE);
      return {
        status: 200,
        body: {
          backends,
          source,
          canSync: canManage && !unavailable,
          canTest: canManage && !unavailable,
          minRole: BACKEND_ACTION_MIN_ROLE,
          disabledReason: !canManage
            ? `Sync and Test need the ${BACKEND_ACTION_MIN_ROLE} role`
            : (unavailable ?? undefined),
        },
      };
    },
  },
  {
    method: 'POST',
    path: 'secret-backends/:name/test',
    handler: async (_req, params, env) => {
      const { sources, ctx } = env;
      const name = backendName(params);
      return guarded(ctx, 'test', name, async () => {
        const { client, result } = await onFirstAnswering(
          sources.orchestrators,
          (c) => c.backendTest(name, ctx.signal),
          ctx.signal
        );
        const t = result.data;
        return {
          ok: t.ok,
          body: {
            action: 'test',
            backend: name,
            ok: t.ok,
            ...(t.error !== undefined ? { error: t.error } : {}),
            latencyMs: t.latencyMs,
            orchestrator: client.baseUrl,
          },
          fields: { orchestrator: client.baseUrl, latencyMs: t.latencyMs, ...(t.error ? { error: t.error } : {}) },
        };
      });
    },
  },
  {
    method: 'POST',
    path: 'secret-backends/:name/sync',
    handler: async (_req, params, env) => {
      const { sources, ctx } = env;
      const name = backendName(params);
      return guarded(ctx, 'sync', name, async () => {
        const db = sources.db;
        const before = db ? await readSyncState(db, name, ctx.signal) : null;
        const { client, result } = await onFirstAnswering(
          sources.orchestrators,
          (c) => c.backendSync(name, ctx.signal),
          ctx.signal
        );
        const after = db ? await readSyncState(db, name, ctx.signal) : undefined;
        const v = judgeSync(result.data, before, after);
        return {
          ok: v.ok,
          body: {
            action: 'sync',
            backend: name,
            ...v,
            reportedScopeCount: result.data.scopeCount,
            orchestrator: client.baseUrl,
          },
          fields: { orchestrator: client.baseUrl, verified: v.verified, ...(v.error ? { error: v.error } : {}) },
        };
      });
    },
  },
];
