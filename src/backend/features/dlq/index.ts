// Event DLQ triage: `dlqEvents` and `dlqDepth` query types, and the `dlq/*` resources (detail,
// retry, discard, bulk retry, permissions). Reads come from kici_events; mutations go through the
// orchestrator admin API.
import type { KiciDb } from '../../kici/db';
import type { FrameNotice, ResourceResponse } from '../../protocol/types';
import { resolveSignatureFilter } from '../dlq-signatures/resolve';
import { toPluginError } from '../errors';
import type { FeatureEnv, QueryHandler, ResourceRoute } from '../types';
import { mutateDlqEvent, retryBatch, type MutationResult } from './actions';
import { detailBody, notInDlqMessage, parseBulkBody, requireEventId, type DlqDetailRow } from './detail';
import { dlqDepthFrame, dlqEventsFrame, dlqSeriesFrame, type DlqEventRow } from './frames';
import { checkedRange, dlqEventsOptions, modelFilters, seriesStepMs } from './options';
import { tokenMayManage, userMay, type DlqAction } from './permissions';
import { requireDb } from '../require-db';
import {
  buildDlqCountSql,
  buildDlqEventsSql,
  buildDlqOlderCountSql,
  buildDlqIdsSql,
  buildDlqSeriesSql,
  DLQ_DETAIL_SQL,
  type DlqFilters,
} from './sql';
import { findAdminToken } from './token';

/**
 * `filters` narrowed to the events of signature `sigId` (none: unchanged). Its texts are read without the time bounds,
 * which are kept: the narrowed filter also counts the signature's events outside the range.
 */
async function bySignature(
  db: KiciDb,
  sigId: string | undefined,
  filters: DlqFilters,
  signal: AbortSignal
): Promise<{ filters: DlqFilters; signature?: { id: string; text: string | null } }> {
  if (sigId === undefined) {
    return { filters };
  }
  const { from, to, ...rest } = filters;
  const r = await resolveSignatureFilter((sql, params) => db.read(sql, params, signal), sigId, rest);
  return {
    filters: { ...r.filter, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) },
    signature: { id: sigId, text: r.signature },
  };
}

/** Said when a signature filter matches no event now. */
export function noSignatureNotice(sigId: string): FrameNotice {
  return {
    severity: 'info',
    text: `No DLQ event has error signature ${sigId} now: its events were retried or discarded, or it never occurred`,
  };
}

export const dlqEventsQuery: QueryHandler = async (query, env) => {
  const db = requireDb(env.sources, 'the DLQ table');
  const options = dlqEventsOptions(query.model, query.raw.timeRange);
  const sig = await bySignature(db, query.model.signature, options.filters, env.ctx.signal);
  const q = { ...options, filters: sig.filters };
  const stmt = buildDlqEventsSql(q);
  // dlqDepth counts the whole DLQ: say how much of it a time-ranged table leaves out.
  const older = q.filters.from === undefined ? null : buildDlqOlderCountSql(q.filters, q.filters.from);
  const [rows, token, olderRows] = await Promise.all([
    db.read<DlqEventRow>(stmt.sql, stmt.params, env.ctx.signal),
    findAdminToken(env.sources, env.ctx.signal),
    older ? db.read<{ older: string }>(older.sql, older.params, env.ctx.signal) : Promise.resolve(null),
  ]);
  const olderOutsideRange = olderRows ? Number(olderRows[0]?.older ?? 0) : undefined;
  const notices: FrameNotice[] = [];
  if (sig.signature && sig.signature.text === null) {
    notices.push(noSignatureNotice(sig.signature.id));
  }
  if (olderOutsideRange) {
    notices.push({
      severity: 'info',
      text: `${olderOutsideRange} older ${olderOutsideRange === 1 ? 'event' : 'events'} outside the range: dlqEvents lists DLQ rows admitted within the dashboard time range; turn the time range off (useTimeRange: false) to list the whole DLQ`,
    });
  }
  if (token.kind === 'found' && token.routingKey) {
    notices.push({
      severity: 'info',
      text: `This table is read from the database and shows every routing key. The configured admin token is scoped to routing key ${token.routingKey}: Retry and Discard work only for its events.`,
    });
  }
  return {
    frames: [
      dlqEventsFrame(rows, q, {
        refId: query.refId,
        sql: stmt.sql,
        notices,
        olderOutsideRange,
        signature: sig.signature,
      }),
    ],
  };
};

export const dlqDepthQuery: QueryHandler = async (query, env) => {
  const db = requireDb(env.sources, 'the DLQ depth');
  const { filters } = await bySignature(db, query.model.signature, modelFilters(query.model), env.ctx.signal);
  if (!query.model.series) {
    const stmt = buildDlqCountSql(filters);
    const [row] = await db.read<{ depth: string }>(stmt.sql, stmt.params, env.ctx.signal);
    return { frames: [dlqDepthFrame(Number(row?.depth ?? 0), { refId: query.refId, sql: stmt.sql })] };
  }
  const range = checkedRange(query.raw.timeRange);
  const stepMs = seriesStepMs({
    range: query.raw.timeRange,
    intervalMs: query.raw.intervalMs,
    maxDataPoints: query.raw.maxDataPoints,
  });
  const stmt = buildDlqSeriesSql({ ...filters, ...range }, stepMs);
  const rows = await db.read<{ time: Date; admissions: string }>(stmt.sql, stmt.params, env.ctx.signal);
  const points = rows.map((r) => ({ time: r.time, admissions: Number(r.admissions) }));
  return { frames: [dlqSeriesFrame(points, { refId: query.refId, sql: stmt.sql, stepMs })] };
};

function errorResponse(err: unknown): ResourceResponse {
  const e = toPluginError(err);
  return { status: e.status, body: { error: e.message } };
}

function userLogin(env: FeatureEnv): string {
  return env.ctx.plugin.user?.login ?? '(no user)';
}

function logMutation(
  env: FeatureEnv,
  r: Pick<MutationResult, 'id' | 'action' | 'outcome' | 'status'> & { orchestrator?: string },
  batch?: string
) {
  env.ctx.log.info('DLQ action', {
    user: userLogin(env),
    eventId: r.id,
    action: r.action,
    outcome: r.outcome,
    status: r.status,
    ...(r.orchestrator ? { orchestrator: r.orchestrator } : {}),
    ...(batch ? { batch } : {}),
  });
}

/** 403 for a Grafana role below the action's minimum, logged like any other outcome. */
function refuseByRole(env: FeatureEnv, action: DlqAction, id: string): ResourceResponse | null {
  const verdict = userMay(env.ctx.plugin.user, action, env.sources.settings.discardMinRole);
  if (verdict.allowed) {
    return null;
  }
  logMutation(env, { id, action, outcome: 'refused', status: 403 });
  return { status: 403, body: { error: verdict.reason, id, action, outcome: 'refused' } };
}

async function mutate(action: DlqAction, rawId: string, env: FeatureEnv): Promise<ResourceResponse> {
  const refused = refuseByRole(env, action, rawId);
  if (refused) {
    return refused;
  }
  let id: string;
  try {
    id = requireEventId(rawId);
  } catch (err) {
    return errorResponse(err);
  }
  const r = await mutateDlqEvent(env.sources.orchestrators, action, id, env.ctx.signal);
  logMutation(env, r);
  const body = { id, action, outcome: r.outcome, message: r.message, orchestrator: r.orchestrator ?? null };
  return { status: r.status, body: r.ok ? body : { error: r.message, ...body } };
}

async function detail(rawId: string, env: FeatureEnv): Promise<ResourceResponse> {
  try {
    const id = requireEventId(rawId);
    const db = requireDb(env.sources, 'the DLQ event');
    const [row] = await db.read<DlqDetailRow>(DLQ_DETAIL_SQL, [id], env.ctx.signal);
    if (!row) {
      return {
        status: 404,
        body: { error: `event ${id} not found: it is not in kici_events (discarded, or expired after its TTL)` },
      };
    }
    if (row.dlq_at === null) {
      return { status: 404, body: { error: notInDlqMessage(row) } };
    }
    return { status: 200, body: detailBody(row) };
  } catch (err) {
    return errorResponse(err);
  }
}

async function bulkRetry(body: Buffer, env: FeatureEnv): Promise<ResourceResponse> {
  const refused = refuseByRole(env, 'retry', '(bulk)');
  if (refused) {
    return refused;
  }
  try {
    const req = parseBulkBody(body);
    let ids: string[];
    let matching: number | undefined;
    if (req.kind === 'ids') {
      ids = req.ids;
    } else {
      const db = requireDb(env.sources, 'a filtered bulk retry');
      const { filters } = await bySignature(db, req.signature, req.filter, env.ctx.signal);
      const list = buildDlqIdsSql(filters, req.limit);
      const count = buildDlqCountSql(filters);
      const [rows, [total]] = await Promise.all([
        db.read<{ id: string }>(list.sql, list.params, env.ctx.signal),
        db.read<{ depth: string }>(count.sql, count.params, env.ctx.signal),
      ]);
      ids = rows.map((r) => r.id);
      matching = Number(total?.depth ?? 0);
    }
    if (req.dryRun) {
      return {
        status: 200,
        body: { dryRun: true, ids, count: ids.length, ...(matching !== undefined ? { matching } : {}) },
      };
    }
    const batch = `${Date.now().toString(36)}-${ids.length}`;
    const result = await retryBatch(env.sources.orchestrators, ids, {
      signal: env.ctx.signal,
      onResult: (r) => logMutation(env, r, batch),
    });
    env.ctx.log.info('DLQ bulk retry', {
      user: userLogin(env),
      batch,
      requested: result.requested,
      succeeded: result.succeeded,
      failed: result.failed,
      skipped: result.skipped,
      ...(result.stoppedReason ? { stoppedReason: result.stoppedReason } : {}),
    });
    return { status: 200, body: { ...result, ...(matching !== undefined ? { matching } : {}) } };
  } catch (err) {
    return errorResponse(err);
  }
}

async function permissions(env: FeatureEnv): Promise<ResourceResponse> {
  const { sources, ctx } = env;
  const discardMinRole = sources.settings.discardMinRole;
  const user = ctx.plugin.user;
  const retry = userMay(user, 'retry', discardMinRole);
  const discard = userMay(user, 'discard', discardMinRole);
  const token = tokenMayManage(await findAdminToken(sources, ctx.signal));
  const orchestrators = sources.orchestrators.length;
  const blockers: string[] = [];
  if (orchestrators === 0) {
    blockers.push(
      'no orchestrator URL is configured (orchestratorUrls): DLQ actions go through the orchestrator admin API'
    );
  }
  if (token.canManage === false) {
    blockers.push(token.reason);
  }
  const verdict = (own: { allowed: boolean; reason: string }) => {
    const allowed = own.allowed && blockers.length === 0;
    return { allowed, reason: allowed ? '' : (own.allowed ? blockers : [own.reason, ...blockers]).join('; ') };
  };
  const canRetry = verdict(retry);
  const canDiscard = verdict(discard);
  return {
    status: 200,
    body: {
      canRetry: canRetry.allowed,
      retryReason: canRetry.reason,
      canDiscard: canDiscard.allowed,
      discardReason: canDiscard.reason,
      discardMinRole,
      user: user ? { login: user.login, role: user.role } : null,
      token: { configured: sources.settings.adminToken !== null, ...token },
      orchestrators,
    },
  };
}

export const dlqRoutes: ResourceRoute[] = [
  // Before `dlq/:id`: the router takes the first route whose method and path match.
  { method: 'GET', path: 'dlq/permissions', handler: async (_req, _p, env) => permissions(env) },
  { method: 'POST', path: 'dlq/retry', handler: async (req, _p, env) => bulkRetry(req.body, env) },
  { method: 'GET', path: 'dlq/:id', handler: async (_req, p, env) => detail(p.id, env) },
  { method: 'POST', path: 'dlq/:id/retry', handler: async (_req, p, env) => mutate('retry', p.id, env) },
  { method: 'DELETE', path: 'dlq/:id', handler: async (_req, p, env) => mutate('discard', p.id, env) },
];
