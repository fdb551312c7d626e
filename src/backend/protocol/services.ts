import * as grpc from '@grpc/grpc-js';

import { redactUrlsIn } from './redact';
import type { InstanceManager } from './instances';
import type { HclogLogger } from './logger';
import { resourceEndpoint } from './labels';
import type { PluginMetrics, ServiceName } from './metrics';
import {
  type DatasourcePlugin,
  type DataQuery,
  type ErrorSource,
  type HealthResult,
  PluginError,
  type PluginContext,
  type RequestContext,
} from './types';
import {
  BadRequestError,
  toDataQuery,
  toPluginContext,
  toResourceMessages,
  toResourceRequest,
  type WireCallResourceRequest,
  type WireCallResourceResponse,
  type WireCheckHealthResponse,
  type WireDataResponse,
  type WirePluginContext,
  type WireQueryDataRequest,
} from './wire';

// gRPC handlers for pluginv2 Data, Diagnostics and Resource: wire messages in, calls on the datasource instance,
// wire messages out. A failure stays inside its refId / resource response; only a broken server errors the call.

export interface LoadedPlugin {
  plugin: DatasourcePlugin;
  instances: InstanceManager;
}

export interface ServiceDeps {
  /** Resolves once the plugin is loaded (the handshake does not wait for it); calls wait for it. */
  ready: Promise<LoadedPlugin>;
  /** Created after the handshake (prom-client is not on the start-up path); observations wait for it. */
  metrics: Promise<PluginMetrics>;
  log: HclogLogger;
  /** Aborted when the plugin shuts down: every call's signal follows it. */
  shutdown: AbortSignal;
}

type Call = grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown>;

/** A signal aborted when the caller cancels (Grafana's request context ends) or the plugin shuts down. */
export function callSignal(call: Call, shutdown: AbortSignal): AbortSignal {
  const cancelled = new AbortController();
  if (call.cancelled) {
    cancelled.abort(new Error('the caller cancelled the request'));
  } else {
    call.once('cancelled', () => cancelled.abort(new Error('the caller cancelled the request')));
  }
  return AbortSignal.any([cancelled.signal, shutdown]);
}

interface Failure {
  message: string;
  status: number;
  source: ErrorSource;
}

/** The answer for a failure; its message never carries a URL's userinfo, query string or fragment. */
export function describeFailure(err: unknown): Failure {
  if (err instanceof PluginError) {
    return { message: redactUrlsIn(err.message), status: err.status, source: err.source };
  }
  if (err instanceof BadRequestError) {
    return { message: redactUrlsIn(err.message), status: 400, source: 'plugin' };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { message: redactUrlsIn(message) || 'unknown error', status: 500, source: 'plugin' };
}

const HEALTH_STATUSES: unknown[] = ['OK', 'ERROR', 'UNKNOWN'];

const NO_DATASOURCE = new PluginError('the request carries no datasource settings', 400);

// The frame encoder is needed only once a query answers: loading it lazily keeps it off the start-up path.
let frameModule: Promise<typeof import('./frame')> | undefined;
const loadFrame = () => (frameModule ??= import('./frame'));

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

export function createServices(deps: ServiceDeps) {
  const { log } = deps;
  const observe = (service: ServiceName, endpoint: string, failed: boolean, secs: number) =>
    void deps.metrics.then((m) => m.observe(service, endpoint, failed, secs));

  function context(wire: WirePluginContext | null | undefined, call: Call, fields: Record<string, unknown>) {
    const plugin: PluginContext = toPluginContext(wire);
    const requestLog = log.with({
      ...(plugin.datasource ? { datasourceUid: plugin.datasource.uid } : {}),
      ...(plugin.user ? { user: plugin.user.login } : {}),
      ...fields,
    });
    return { plugin, log: requestLog, signal: callSignal(call, deps.shutdown) } satisfies RequestContext;
  }

  async function runQuery(
    query: DataQuery,
    base: RequestContext,
    run: (q: DataQuery, ctx: RequestContext) => Promise<{ frames: unknown }>
  ) {
    const start = process.hrtime.bigint();
    const ctx: RequestContext = { ...base, log: base.log.with({ refId: query.refId, queryType: query.queryType }) };
    let response: WireDataResponse;
    try {
      const result = await run(query, ctx);
      if (!result || !Array.isArray(result.frames)) {
        throw new Error('the query handler returned no frames array');
      }
      const { encodeFrame } = await loadFrame();
      response = {
        frames: result.frames.map((f) => encodeFrame(f, query.refId)),
        error: '',
        status: 200,
        errorSource: '',
      };
    } catch (err) {
      const f = describeFailure(err);
      (f.status >= 500 && f.source === 'plugin' ? ctx.log.error : ctx.log.warn)('Query failed', {
        error: f.message,
        status: f.status,
        errorSource: f.source,
      });
      response = { frames: [], error: f.message, status: f.status, errorSource: f.source };
    }
    observe('QueryData', query.queryType, response.status >= 400, seconds(start));
    return response;
  }

  const data = {
    QueryData(
      call: grpc.ServerUnaryCall<WireQueryDataRequest, { responses: Record<string, WireDataResponse> }>,
      callback: grpc.sendUnaryData<{ responses: Record<string, WireDataResponse> }>
    ) {
      void (async () => {
        const queries = (call.request.queries ?? []).map(toDataQuery);
        const responses: Record<string, WireDataResponse> = {};
        let ctx: RequestContext | undefined;
        let failAll: Failure | undefined;
        try {
          ctx = context(call.request.pluginContext, call, {});
          if (!ctx.plugin.datasource) {
            throw NO_DATASOURCE;
          }
        } catch (err) {
          failAll = describeFailure(err);
        }
        if (failAll || !ctx?.plugin.datasource) {
          const f = failAll ?? describeFailure(NO_DATASOURCE);
          log.warn('QueryData refused', { error: f.message });
          for (const q of queries) {
            responses[q.refId] = { frames: [], error: f.message, status: f.status, errorSource: f.source };
          }
          callback(null, { responses });
          return;
        }
        let lease;
        try {
          lease = (await deps.ready).instances.acquire(ctx.plugin.datasource, ctx.plugin.orgId);
        } catch (err) {
          const f = describeFailure(err);
          for (const q of queries) {
            responses[q.refId] = { frames: [], error: f.message, status: f.status, errorSource: f.source };
          }
          callback(null, { responses });
          return;
        }
        try {
          const base = ctx;
          const held = lease;
          const results = await Promise.all(
            queries.map((q) => runQuery(q, base, (query, c) => held.instance.query(query, c)))
          );
          queries.forEach((q, i) => (responses[q.refId] = results[i]));
        } finally {
          lease.release();
        }
        callback(null, { responses });
      })().catch((err) => {
        log.error('QueryData failed', { error: err });
        callback({ code: grpc.status.INTERNAL, details: describeFailure(err).message });
      });
    },
  };

  const diagnostics = {
    CheckHealth(
      call: grpc.ServerUnaryCall<{ pluginContext?: WirePluginContext | null }, WireCheckHealthResponse>,
      callback: grpc.sendUnaryData<WireCheckHealthResponse>
    ) {
      void (async () => {
        const start = process.hrtime.bigint();
        let result: HealthResult;
        let threw = false;
        try {
          const ctx = context(call.request.pluginContext, call, { call: 'CheckHealth' });
          if (!ctx.plugin.datasource) {
            throw NO_DATASOURCE;
          }
          const lease = (await deps.ready).instances.acquire(ctx.plugin.datasource, ctx.plugin.orgId);
          try {
            result = await lease.instance.checkHealth(ctx);
          } finally {
            lease.release();
          }
        } catch (err) {
          threw = true;
          const message = describeFailure(err).message;
          log.warn('Health check failed', { error: message });
          result = { status: 'ERROR', message: `Health check failed: ${message}` };
        }
        observe('CheckHealth', 'health', threw, seconds(start));
        if (!HEALTH_STATUSES.includes(result.status)) {
          result = {
            status: 'ERROR',
            message: `the plugin answered an unknown health status ${String(result.status)}`,
          };
        }
        callback(null, {
          status: result.status,
          message: redactUrlsIn(result.message ?? ''),
          jsonDetails: result.details === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(result.details)),
        });
      })().catch((err) => callback({ code: grpc.status.INTERNAL, details: describeFailure(err).message }));
    },

    CollectMetrics(
      _call: grpc.ServerUnaryCall<unknown, unknown>,
      callback: grpc.sendUnaryData<{ metrics: { prometheus: Buffer } }>
    ) {
      void (async () => {
        // A plugin that failed to load still gets its protocol metrics served.
        const plugin = await deps.ready.then(
          (r) => r.plugin,
          () => undefined
        );
        const extra = plugin?.collectMetrics?.bind(plugin);
        const metrics = await deps.metrics;
        const text = await metrics.text(
          extra
            ? () =>
                extra().catch((err) => {
                  log.warn('The plugin metrics collector failed', { error: err });
                  return '';
                })
            : undefined
        );
        callback(null, { metrics: { prometheus: Buffer.from(text, 'utf8') } });
      })().catch((err) => callback({ code: grpc.status.INTERNAL, details: describeFailure(err).message }));
    },
  };

  const resource = {
    CallResource(call: grpc.ServerWritableStream<WireCallResourceRequest, WireCallResourceResponse>) {
      void (async () => {
        const start = process.hrtime.bigint();
        const req = toResourceRequest(call.request);
        let messages: WireCallResourceResponse[];
        let status: number;
        try {
          const ctx = context(call.request.pluginContext, call, { path: req.path, method: req.method });
          if (!ctx.plugin.datasource) {
            throw NO_DATASOURCE;
          }
          const lease = (await deps.ready).instances.acquire(ctx.plugin.datasource, ctx.plugin.orgId);
          try {
            const res = await lease.instance.callResource(req, ctx);
            status = res.status || 200;
            messages = toResourceMessages({ ...res, status });
          } finally {
            lease.release();
          }
        } catch (err) {
          const f = describeFailure(err);
          (f.status >= 500 ? log.error : log.warn)('Resource call failed', {
            path: req.path,
            method: req.method,
            error: f.message,
            status: f.status,
          });
          status = f.status;
          messages = toResourceMessages({ status, body: { error: f.message } });
        }
        observe('CallResource', resourceEndpoint(req.path, status), status >= 500, seconds(start));
        for (const m of messages) {
          if (call.cancelled) {
            return;
          }
          call.write(m);
        }
        call.end();
      })().catch((err) => {
        log.error('CallResource failed', { error: err });
        call.destroy(err instanceof Error ? err : new Error(String(err)));
      });
    },
  };

  return { data, diagnostics, resource };
}
