// kici-sim: starts every HTTP surface a scenario describes (one loopback port per orchestrator node,
// per agent with serveHttp, the Platform when present, plus a control port for faults) over one
// PostgreSQL database, optionally seeding it and running live activity.
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pg from 'pg';
import { applySchema } from './db/schema';
import { SimStore } from './db/store';
import { createKiciLogger, KICI_LOG, type KiciLogger } from './logs';
import type { FaultSpec, ScenarioSpec, SchemaLayout } from './model';
import { startLive, type Live } from './live';
import { createRng } from './scenarios/common';
import { getScenario, tokensByRole, type TokenKey } from './scenarios/index';
import { createAgentRouter } from './http/agent';
import { ClusterData, topologySnapshot } from './http/cluster-data';
import { parseFault } from './http/faults';
import { startListener, type SimListener } from './http/listener';
import { quietPort } from '../testing/ports';
import { NodeCounters } from './http/node-counters';
import { answerOrchestrator, createOrchestratorRouter, type PlatformProbe } from './http/orchestrator';
import { createPlatformRouter } from './http/platform-routes';
import { json, notFound, Router, type RouteContext, type SimResponse } from './http/router';
import { stopRuntimeSampler } from './http/runtime';

export interface StartSimOptions {
  scenario: string | ScenarioSpec;
  /** Schema layout when `scenario` is a name (default 0.9). */
  layout?: SchemaLayout;
  pgUrl: string;
  /**
   * Apply the schema and seed the scenario's rows first (default true; a database that already has a KiCI
   * schema is then an error). `'if-empty'` seeds only a database without one and serves an existing one as is.
   */
  seed?: boolean | 'if-empty';
  /** The scenario's deterministic seed number (default: the scenario's own default). */
  seedNumber?: number;
  host?: string;
  /** Ports: node i = basePort+i, platform = basePort+90, control = basePort+99, agent j = basePort+100+j. absent = a quiet port (dev/testing/ports.ts). */
  basePort?: number;
  live?: { ratePerSec: number };
  /** Where the JSON log lines go (default: dropped). */
  logOut?: NodeJS.WritableStream;
  logFile?: string;
  now?: Date;
}

export interface Sim {
  spec: ScenarioSpec;
  layout: SchemaLayout;
  nodes: Array<{ instanceId: string; url: string }>;
  agents: Array<{ agentId: string; url: string }>;
  platformUrl: string | null;
  controlUrl: string;
  tokens: Record<TokenKey, string>;
  store: SimStore;
  pool: pg.Pool;
  /** The live-mode driver when `live` was given (tests call `live.step()` to advance deterministically). */
  live: Live | null;
  setFault(target: string, fault: FaultSpec): Promise<void>;
  faultOf(target: string): FaultSpec;
  stop(): Promise<void>;
}

const HEARTBEAT_MS = 10_000;

const discard = () =>
  new Writable({
    write(_chunk, _enc, cb) {
      cb();
    },
  });

function routeContext(req: IncomingMessage, requestId: string): Omit<RouteContext, 'params'> {
  const url = new URL(req.url ?? '/', 'http://kici-sim.invalid');
  return { req, method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, requestId };
}

/** The caller's X-Request-ID, if it sent a usable one. */
function callerRequestId(req: IncomingMessage): string | undefined {
  const header = req.headers['x-request-id'];
  const value = Array.isArray(header) ? header[0] : header;
  return value && value.length <= 200 ? value : undefined;
}

export async function startSim(opts: StartSimOptions): Promise<Sim> {
  const host = opts.host ?? '127.0.0.1';
  // Without a base port, ports that stay closed while a node is down (dev/testing/ports.ts).
  const port = async (offset: number) => (opts.basePort ? opts.basePort + offset : quietPort(host));
  const scenario =
    typeof opts.scenario === 'string'
      ? getScenario(opts.scenario, { layout: opts.layout, seed: opts.seedNumber })
      : null;
  const spec: ScenarioSpec = scenario ? scenario.spec : (opts.scenario as ScenarioSpec);
  const layout = spec.layout;
  const processStartedAt = Date.now();

  const pool = new pg.Pool({ connectionString: opts.pgUrl, max: 8 });
  // An idle client losing its server (the DB going away in a test) must not crash the sim.
  pool.on('error', () => undefined);
  const cleanup: Array<() => Promise<void> | void> = [async () => pool.end()];
  const listeners = new Map<string, SimListener>();
  const downSince = new Map<string, number>();

  try {
    const seed = opts.seed ?? true;
    if (seed) {
      if (!scenario) {
        throw new Error('seeding needs a scenario name (a bare ScenarioSpec has no seed function); pass seed: false');
      }
      const { rows } = await pool.query(`SELECT to_regclass('public.kysely_migration') IS NOT NULL AS present`);
      if (!rows[0].present) {
        await applySchema(pool, layout);
        await scenario.seed(pool, opts.now ?? new Date());
      } else if (seed !== 'if-empty') {
        throw new Error(
          'the database already has a KiCI schema (kysely_migration exists): use an empty database, or seed: false to serve it'
        );
      }
    }

    // Per-process counters count what happens from here on, not the seeded history.
    const startedAt = new Date();
    const out = opts.logOut ?? (opts.logFile ? undefined : discard());
    const loggers = new Map<string, KiciLogger>();
    const logFor = (instanceId: string) => {
      let l = loggers.get(instanceId);
      if (!l) {
        l = createKiciLogger({
          service: 'orchestrator',
          instance: instanceId,
          out: out as Writable | undefined,
          file: opts.logFile,
        });
        loggers.set(instanceId, l);
      }
      return l;
    };
    const leader = spec.nodes.find((n) => n.raftRole === 'leader') ?? spec.nodes[0];
    const store = new SimStore(pool, layout, { log: logFor(leader.instanceId) });
    const data = new ClusterData(pool, layout, startedAt, 1000, () => topologySnapshot(spec));

    const faults = new Map<string, FaultSpec>();
    for (const n of spec.nodes) {
      faults.set(n.instanceId, n.fault);
      if (n.fault.mode === 'down') {
        downSince.set(n.instanceId, processStartedAt - 10 * 60_000);
      }
    }
    for (const a of spec.agents) {
      faults.set(a.agentId, a.fault);
    }
    faults.set('platform', { mode: 'none' });
    const reachable = (id: string) => faults.get(id)?.mode !== 'down';
    const coordinators = spec.nodes.filter((n) => n.clusterRole === 'coordinator').map((n) => n.instanceId);

    // Ports are claimed before any router runs so every node can name its peers' addresses.
    const nodePorts = new Map<string, number>();
    const peerAddress = (id: string) => `ws://${host}:${nodePorts.get(id) ?? 0}/ws/peer`;
    const lastHeartbeatMs = (id: string) => downSince.get(id) ?? Date.now() - 1_500;

    let platformListener: SimListener | null = null;
    const probePlatform = async (): Promise<PlatformProbe | null> => {
      if (!platformListener) {
        return null;
      }
      const url = `${platformListener.url}/health`;
      const f = platformListener.fault;
      if (f.mode === 'down' || f.mode === 'tls') {
        return { url, ok: false, statusCode: null, latencyMs: 1, error: 'fetch failed' };
      }
      if (f.mode === 'error500') {
        return { url, ok: false, statusCode: 500, latencyMs: 3 };
      }
      return { url, ok: true, statusCode: 200, latencyMs: f.mode === 'slow' ? (f.delayMs ?? 5000) : 41 };
    };

    for (const [i, node] of spec.nodes.entries()) {
      const log = logFor(node.instanceId);
      const router = createOrchestratorRouter({
        self: node,
        spec,
        layout,
        store,
        data,
        counters: new NodeCounters(
          node.instanceId,
          Math.max(0, coordinators.indexOf(node.instanceId)),
          coordinators.length
        ),
        coordinators,
        reachable,
        peerAddress,
        lastHeartbeatMs,
        probePlatform,
        processStartedAt,
        onMutation: () => data.invalidate(),
      });
      const authenticate = async (ctx: RouteContext) => {
        const h = ctx.req.headers.authorization;
        const token = typeof h === 'string' && h.startsWith('Bearer ') ? h.slice(7).trim() : null;
        return token ? (await store.validateToken(token)) !== null : false;
      };
      const listener = await startListener({
        host,
        port: await port(i),
        fault: node.fault,
        handle: async (req) => {
          const requestId = callerRequestId(req) ?? randomUUID();
          let res: SimResponse;
          try {
            res = await answerOrchestrator(router, routeContext(req, requestId), authenticate);
          } catch {
            res = json(500, { error: 'Internal server error' });
          }
          return { ...res, headers: { ...res.headers, 'x-request-id': requestId } };
        },
        onAnswered: (req, status, durationMs) => {
          // A caller's X-Request-ID is logged here, and only here; without one the line has no requestId
          // (samples/logs/orchestrator-0.9.1.sample.jsonl, `Request completed`).
          const caller = callerRequestId(req);
          log.info(KICI_LOG.requestCompleted, {
            method: req.method,
            path: routeContext(req, '').path,
            status,
            duration: `${Math.round(durationMs)}ms`,
            ...(caller ? { requestId: caller } : {}),
          });
        },
      });
      nodePorts.set(node.instanceId, listener.port);
      listeners.set(node.instanceId, listener);
    }

    const serve =
      (router: Router) =>
      async (req: IncomingMessage): Promise<SimResponse> => {
        const ctx = routeContext(req, '');
        const found = router.match(ctx.method, ctx.path);
        return found ? found.handler({ ...ctx, params: found.params }) : notFound();
      };

    const agents: Array<{ agentId: string; url: string }> = [];
    for (const [j, agent] of spec.agents.filter((a) => a.serveHttp).entries()) {
      const listener = await startListener({
        host,
        port: await port(100 + j),
        fault: agent.fault,
        handle: serve(createAgentRouter({ agent, data, reachable, processStartedAt })),
      });
      listeners.set(agent.agentId, listener);
      agents.push({ agentId: agent.agentId, url: listener.url });
    }

    if (spec.platform) {
      platformListener = await startListener({
        host,
        port: await port(90),
        handle: serve(createPlatformRouter({ spec, data, reachable, connectedAtMs: processStartedAt - 3_600_000 })),
      });
      listeners.set('platform', platformListener);
    }

    const setFault = async (target: string, fault: FaultSpec) => {
      const listener = listeners.get(target);
      if (!listener) {
        throw new Error(`unknown fault target "${target}"; known: ${[...listeners.keys()].join(', ')}`);
      }
      const checked = parseFault(fault);
      if (checked.mode === 'down' && !downSince.has(target)) {
        downSince.set(target, Date.now());
      } else if (checked.mode !== 'down') {
        downSince.delete(target);
      }
      faults.set(target, checked);
      await listener.setFault(checked);
      data.invalidate();
    };

    const control = await startListener({
      host,
      port: await port(99),
      handle: async (req) => controlAnswer(req, { listeners, setFault }),
    });
    cleanup.push(() => control.close());

    // 0.9 coordinators upsert cluster_instances every 10 s; a down node stops heartbeating.
    const beat = async () => {
      for (const n of spec.nodes) {
        if (n.clusterRole === 'coordinator' && reachable(n.instanceId)) {
          await store.heartbeat(n.instanceId, n.raftRole, n.version).catch(() => undefined);
        }
      }
    };
    await beat();
    const heartbeat = setInterval(() => void beat(), HEARTBEAT_MS);
    heartbeat.unref();
    cleanup.push(() => clearInterval(heartbeat));

    for (const l of listeners.values()) {
      cleanup.push(() => l.close());
    }

    let liveDriver: Live | null = null;
    if (opts.live) {
      const agentLog = createKiciLogger({ service: 'agent', out: out as Writable | undefined, file: opts.logFile });
      const live = startLive({
        pool,
        store,
        spec,
        log: (service, instanceId) => (service === 'agent' ? agentLog : logFor(instanceId ?? leader.instanceId)),
        ratePerSec: opts.live.ratePerSec,
        rng: createRng(opts.seedNumber ?? 1),
      });
      // Manual steps (tests) must not be hidden behind the cached snapshot.
      liveDriver = {
        step: async () => {
          const what = await live.live.step();
          data.invalidate();
          return what;
        },
        scan: async () => {
          await live.live.scan();
          data.invalidate();
        },
        stop: () => live.live.stop(),
      };
      // Pushed last, so it stops first: no live step may run against a closing pool.
      cleanup.push(() => live.stop());
    }

    let stopped = false;
    return {
      spec,
      layout,
      nodes: spec.nodes.map((n) => ({ instanceId: n.instanceId, url: listeners.get(n.instanceId)!.url })),
      agents,
      platformUrl: platformListener?.url ?? null,
      controlUrl: control.url,
      tokens: tokensByRole(spec),
      store,
      pool,
      live: liveDriver,
      setFault,
      faultOf: (target) => faults.get(target) ?? { mode: 'none' },
      async stop() {
        if (stopped) {
          return;
        }
        stopped = true;
        await runCleanup(cleanup);
      },
    };
  } catch (err) {
    for (const l of listeners.values()) {
      cleanup.push(() => l.close());
    }
    await runCleanup(cleanup);
    throw err;
  }
}

async function runCleanup(cleanup: Array<() => Promise<void> | void>): Promise<void> {
  // Reverse order: timers and listeners first, the pool last.
  for (const fn of [...cleanup].reverse()) {
    await Promise.resolve()
      .then(fn)
      .catch(() => undefined);
  }
  stopRuntimeSampler();
}

async function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      throw new Error('body too large');
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The control port: `POST /__sim/fault` with `{"target":"orch-a"|"<agentId>"|"platform","mode":"slow","delayMs":3000}`
 * switches a fault; `GET /__sim/state` lists every target, its URL and its fault.
 */
async function controlAnswer(
  req: IncomingMessage,
  sim: { listeners: Map<string, SimListener>; setFault: (target: string, fault: FaultSpec) => Promise<void> }
): Promise<SimResponse> {
  const path = new URL(req.url ?? '/', 'http://control.invalid').pathname;
  if (req.method === 'GET' && path === '/__sim/state') {
    return json(200, {
      targets: [...sim.listeners.entries()].map(([target, l]) => ({ target, url: l.url, fault: l.fault })),
    });
  }
  if (req.method === 'POST' && path === '/__sim/fault') {
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return json(400, {
        error: 'body must be JSON: {"target":"<instanceId|agentId|platform>","mode":"<fault mode>","delayMs":<ms>}',
      });
    }
    const { target, ...fault } = (body ?? {}) as { target?: unknown };
    if (typeof target !== 'string' || !sim.listeners.has(target)) {
      return json(404, {
        error: `unknown target ${JSON.stringify(target)}; known: ${[...sim.listeners.keys()].join(', ')}`,
      });
    }
    let parsed: FaultSpec;
    try {
      parsed = parseFault(fault);
    } catch (err) {
      return json(400, { error: (err as Error).message });
    }
    await sim.setFault(target, parsed);
    return json(200, { target, fault: parsed });
  }
  return notFound();
}
