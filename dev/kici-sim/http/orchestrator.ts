// One simulated orchestrator node's HTTP routes (contract §1, §3.3, §4.2, §6.3, §7, §8): bodies, key
// order, status codes and content types as the real 0.9.1 answers them (samples/).
import { statfs } from 'node:fs/promises';
import type { OrchestratorNodeSpec, ScenarioSpec, SchemaLayout } from '../model';
import type { SimStore, TokenIdentity } from '../db/store';
import {
  AUTH_ERRORS,
  hasPermission,
  isMalformedValueError,
  parseBearer,
  permissionDenied,
  type Permission,
} from './auth';
import { buildInfo } from './build-info';
import type { ClusterData, ClusterSnapshot } from './cluster-data';
import { renderOrchestratorMetrics, type AgentAggregate } from './metrics';
import { ownerIndex, type NodeCounters } from './node-counters';
import { json, notFound, Router, text, type RouteContext, type SimResponse } from './router';
import { readRuntime } from './runtime';
import {
  clusterHealth,
  clusterPeers,
  connectedAgents,
  diagnose,
  fleetTopology,
  ROSTER_GRACE_MS,
  type NodeView,
} from './views';

export interface PlatformProbe {
  url: string;
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  error?: string;
}

export interface OrchestratorNodeDeps {
  self: OrchestratorNodeSpec;
  spec: ScenarioSpec;
  layout: SchemaLayout;
  store: SimStore;
  data: ClusterData;
  counters: NodeCounters;
  /** Coordinators in scenario order: a run or event is tracked by exactly one of them. */
  coordinators: string[];
  reachable: (instanceId: string) => boolean;
  peerAddress: (instanceId: string) => string;
  lastHeartbeatMs: (instanceId: string) => number;
  /** null = this node has no Platform URL configured. */
  probePlatform: () => Promise<PlatformProbe | null>;
  processStartedAt: number;
  /** Called after a DLQ mutation so cached numbers are re-read. */
  onMutation?: () => void;
}

function nodeView(deps: OrchestratorNodeDeps, snap: ClusterSnapshot): NodeView {
  return {
    self: deps.self,
    nodes: deps.spec.nodes,
    reachable: deps.reachable,
    raft: snap.raft,
    roster: snap.roster,
    peerAddress: deps.peerAddress,
    lastHeartbeatMs: deps.lastHeartbeatMs,
    nowMs: Date.now(),
  };
}

/** The `scaler` label KiCI's agent aggregator puts on re-exported agent series (contract §7.4). */
function agentScalerLabel(deps: OrchestratorNodeDeps, labels: string[]): string {
  const scalerName = labels.find((l) => l.startsWith('kici:scaler:'))?.slice('kici:scaler:'.length);
  if (!scalerName) {
    return 'stateful';
  }
  if (deps.layout === '0.1') {
    return scalerName;
  }
  // 0.9.1 labels by backend type.
  for (const node of deps.spec.nodes) {
    const s = node.scalers.find((x) => x.name === scalerName);
    if (s) {
      return s.type;
    }
  }
  return scalerName;
}

export function metricsInput(deps: OrchestratorNodeDeps, snap: ClusterSnapshot, nowMs: number) {
  deps.counters.update(snap);
  const counters = deps.counters.view();
  const mine = connectedAgents(nodeView(deps, snap), deps.self.instanceId);
  const groups = new Map<string | null, AgentAggregate>();
  for (const a of mine) {
    const scaler = deps.self.scalers.length === 0 ? null : agentScalerLabel(deps, a.labels);
    const g = groups.get(scaler) ?? { scaler, connected: 0, jobsActive: 0, jobsSucceeded: 0, jobsFailed: 0 };
    g.connected++;
    g.jobsActive += snap.runningJobsByAgent.get(a.agentId) ?? 0;
    groups.set(scaler, g);
  }
  const isLeader = snap.raft.leaderId === deps.self.instanceId;
  const unreachableStatic = snap.roster.filter(
    (r) =>
      r.lifecycleClass === 'static' &&
      !(r.connectedInstanceId !== null && nowMs - r.lastSeen.getTime() <= ROSTER_GRACE_MS)
  ).length;
  return {
    layout: deps.layout,
    target: {
      hostname: deps.self.hostname,
      pid: process.pid,
      processOwner: deps.self.runningAsUser,
      runtimeVersion: deps.self.nodeVersion,
    },
    runtime: readRuntime(),
    agentsActive: mine.length,
    draining: false,
    // Leader-only refresh (host-roster reaper); followers report their initial 0.
    declaredHostsUnreachable: isLeader ? unreachableStatic : 0,
    staleRunsCurrent: snap.staleRunning,
    dispatchQueueDepth: snap.dispatchQueue,
    ...counters,
    scalers: deps.self.scalers.map((s) => ({
      name: s.name,
      type: s.type,
      cpusUsed: snap.scalerReservations.get(s.name)?.cpus ?? 0,
      memoryBytesUsed: snap.scalerReservations.get(s.name)?.memBytes ?? 0,
    })),
    agentAggregates: [...groups.values()],
    nowSeconds: nowMs / 1000,
  };
}

type Authed = { token: TokenIdentity } | { response: SimResponse };

export function createOrchestratorRouter(deps: OrchestratorNodeDeps): Router {
  const { self, store, data } = deps;
  const info = buildInfo(self.version);
  const myIndex = deps.coordinators.indexOf(self.instanceId);

  const authenticate = async (ctx: RouteContext): Promise<Authed> => {
    const header = ctx.req.headers.authorization;
    const bearer = parseBearer(Array.isArray(header) ? header[0] : header);
    if (!header) {
      return { response: json(401, { error: AUTH_ERRORS.missing }) };
    }
    const token = bearer ? await store.validateToken(bearer) : null;
    return token ? { token } : { response: json(401, { error: AUTH_ERRORS.invalid }) };
  };

  const withPermission = async (ctx: RouteContext, permission: Permission): Promise<Authed> => {
    const auth = await authenticate(ctx);
    if ('response' in auth) {
      return auth;
    }
    if (!hasPermission(auth.token.role, permission)) {
      return { response: json(403, { error: permissionDenied(auth.token.role, permission) }) };
    }
    return auth;
  };

  const unscoped = async (ctx: RouteContext): Promise<Authed> => {
    const auth = await authenticate(ctx);
    if ('response' in auth) {
      return auth;
    }
    if (auth.token.routingKey) {
      return { response: json(403, { error: AUTH_ERRORS.unscopedRequired }) };
    }
    return auth;
  };

  // KiCI's admin error mapper (routes/admin-errors.ts): pg 22P02 -> 400, anything else -> 500.
  const adminErrors = async (run: () => Promise<SimResponse>): Promise<SimResponse> => {
    try {
      return await run();
    } catch (err) {
      if (isMalformedValueError(err)) {
        return json(400, { error: AUTH_ERRORS.malformed });
      }
      return json(500, { error: AUTH_ERRORS.internal });
    }
  };

  const router = new Router();

  router.get('/health', () =>
    json(200, {
      status: 'ok',
      timestamp: new Date().toISOString(),
      uptime: (Date.now() - deps.processStartedAt) / 1000,
      version: self.version,
      buildDate: info.buildDate,
      buildCommit: info.buildCommit,
      sdkVersion: self.version,
      sdkBundleHash: info.sdkBundleHash,
      sharedVersion: self.version,
      sharedBundleHash: info.sharedBundleHash,
      engineVersion: self.version,
      engineBundleHash: info.engineBundleHash,
    })
  );

  router.get('/ready', async () => {
    if (self.clusterRole === 'worker') {
      return json(200, { status: 'ready', checks: {} });
    }
    const database = await store.ready();
    const checks = deps.layout === '0.9' ? { database, warm: true } : { database };
    return json(database ? 200 : 503, { status: database ? 'ready' : 'not ready', checks });
  });

  router.get('/metrics', async () => {
    const snap = await data.snapshotOrLast();
    return text(200, renderOrchestratorMetrics(metricsInput(deps, snap, Date.now())));
  });

  router.get('/api/v1/capabilities', () =>
    json(200, { orchestratorVersion: self.version, protocolVersion: 1, minProtocolVersion: 1 })
  );

  // The run tracker lives in memory: without the database a node still answers, from what it last knew.
  let lastRuns: Awaited<ReturnType<SimStore['activeRuns']>> = [];
  const myActiveRuns = async () => {
    try {
      lastRuns = (await store.activeRuns()).filter((r) => ownerIndex(r.runId, deps.coordinators.length) === myIndex);
    } catch {
      // keep lastRuns
    }
    return lastRuns;
  };

  router.get('/cluster/health', async () => {
    const snap = await data.snapshotOrLast();
    const active = self.clusterRole === 'worker' ? 0 : (await myActiveRuns()).length;
    return json(200, clusterHealth(nodeView(deps, snap), active));
  });

  router.get('/cluster/peers', async () => json(200, clusterPeers(nodeView(deps, await data.snapshotOrLast()))));

  router.get('/cluster/runs', async () =>
    json(200, { activeRuns: self.clusterRole === 'worker' ? [] : await myActiveRuns() })
  );

  router.get('/admin/diagnose', async () => {
    const started = Date.now();
    let db: { ok: true; latencyMs: number } | { ok: false; error: string; latencyMs: number };
    try {
      await store.pool.query('SELECT 1');
      db = { ok: true, latencyMs: Date.now() - started };
    } catch (err) {
      db = { ok: false, error: (err as Error).message, latencyMs: Date.now() - started };
    }
    const agentCount = db.ok ? connectedAgents(nodeView(deps, await data.snapshot()), self.instanceId).length : 0;
    let disk: { availableBytes: number } | null = null;
    try {
      const s = await statfs('/');
      disk = { availableBytes: Number(s.bavail) * Number(s.bsize) };
    } catch {
      disk = null;
    }
    return json(
      200,
      diagnose({
        layout: deps.layout,
        self,
        agentCount,
        db,
        platform: await deps.probePlatform(),
        disk,
        lastBackupAgoHours: 6,
        now: new Date(),
      })
    );
  });

  router.get('/admin/fleet-topology', async (ctx) => {
    const auth = await authenticate(ctx);
    if ('response' in auth) {
      return auth.response;
    }
    return json(200, fleetTopology(nodeView(deps, await data.snapshot())));
  });

  // ---- event DLQ (routes/admin-event-dlq.ts) ----

  router.get('/api/v1/admin/event-dlq', (ctx) =>
    adminErrors(async () => {
      const auth = await withPermission(ctx, 'event_dlq.read');
      if ('response' in auth) {
        return auth.response;
      }
      const page = await store.dlqList({
        limit: ctx.query.get('limit') ?? undefined,
        before: ctx.query.get('before') ?? undefined,
        routingKey: auth.token.routingKey,
      });
      return json(200, page);
    })
  );

  router.get('/api/v1/admin/event-dlq/count', (ctx) =>
    adminErrors(async () => {
      const auth = await withPermission(ctx, 'event_dlq.read');
      if ('response' in auth) {
        return auth.response;
      }
      return json(200, { total: await store.dlqCount(auth.token.routingKey) });
    })
  );

  const mutation = (kind: 'retry' | 'discard') => (ctx: RouteContext) =>
    adminErrors(async () => {
      const auth = await withPermission(ctx, 'event_dlq.manage');
      if ('response' in auth) {
        return auth.response;
      }
      const id = ctx.params.id;
      const actor = { keyId: auth.token.id, requestId: ctx.requestId };
      const result =
        kind === 'retry'
          ? await store.dlqRetry(id, actor, auth.token.routingKey)
          : await store.dlqDiscard(id, actor, auth.token.routingKey);
      if (result === 'not_found') {
        return json(404, { error: AUTH_ERRORS.dlqNotFound });
      }
      if (result === 'routing_key_mismatch') {
        return json(403, { error: AUTH_ERRORS.routingKeyMismatch });
      }
      deps.onMutation?.();
      return json(200, kind === 'retry' ? { retried: true, id } : { discarded: true, id });
    });

  router.post('/api/v1/admin/event-dlq/:id/retry', mutation('retry'));
  router.delete('/api/v1/admin/event-dlq/:id', mutation('discard'));

  // ---- secret backends (routes/admin-backends.ts): token + unscoped only, no RBAC (as KiCI) ----

  router.get('/api/v1/admin/backends', (ctx) =>
    adminErrors(async () => {
      const auth = await unscoped(ctx);
      return 'response' in auth ? auth.response : json(200, { backends: await store.backendsList() });
    })
  );

  router.get('/api/v1/admin/backends/:name', (ctx) =>
    adminErrors(async () => {
      const auth = await unscoped(ctx);
      if ('response' in auth) {
        return auth.response;
      }
      const backend = await store.backendGet(ctx.params.name);
      return backend ? json(200, backend) : json(404, { error: AUTH_ERRORS.backendNotFound });
    })
  );

  router.post('/api/v1/admin/backends/:name/test', (ctx) =>
    adminErrors(async () => {
      const auth = await unscoped(ctx);
      if ('response' in auth) {
        return auth.response;
      }
      const result = await store.backendTest(ctx.params.name);
      return result ? json(200, result) : json(404, { error: AUTH_ERRORS.backendNotFound });
    })
  );

  router.post('/api/v1/admin/backends/:name/sync', (ctx) =>
    adminErrors(async () => {
      const auth = await unscoped(ctx);
      if ('response' in auth) {
        return auth.response;
      }
      const result = await store.backendSync(ctx.params.name);
      return result ? json(200, result) : json(404, { error: AUTH_ERRORS.backendNotFound });
    })
  );

  return router;
}

/**
 * Dispatch for a node: a matched route, or — like KiCI's admin middleware on `/api/v1/admin/*` — a 401
 * before the 404 for unknown admin paths, and the plain-text 404 for everything else.
 */
export async function answerOrchestrator(
  router: Router,
  ctx: Omit<RouteContext, 'params'>,
  authenticate: (ctx: RouteContext) => Promise<boolean>
): Promise<SimResponse> {
  const found = router.match(ctx.method, ctx.path);
  if (found) {
    return found.handler({ ...ctx, params: found.params });
  }
  if (ctx.path.startsWith('/api/v1/admin/') && !(await authenticate({ ...ctx, params: {} }))) {
    return json(401, { error: ctx.req.headers.authorization ? AUTH_ERRORS.invalid : AUTH_ERRORS.missing });
  }
  return notFound();
}
