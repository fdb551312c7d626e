import { randomBytes } from 'node:crypto';
import { writeSync } from 'node:fs';
import { join } from 'node:path';

import * as grpc from '@grpc/grpc-js';

import { loadProtocol } from './descriptor';
import { handshakeLine, hasMagicCookie, type Listener, negotiateVersion, NOT_A_STANDALONE_PROGRAM } from './handshake';
import { InstanceManager } from './instances';
import { createLogger, type HclogLogger, levelFromEnv } from './logger';
import type { PluginMetrics } from './metrics';
import { FifoGate, sendGateInterceptor } from './send-gate';
import { createServices, type LoadedPlugin } from './services';
import type { DatasourcePlugin } from './types';

// The plugin process: a gRPC server speaking go-plugin + pluginv2, started the way Grafana expects.

/** The SDK plugin server's default receive limit; grpc-js would otherwise stop at 4 MiB. */
export const MAX_RECEIVE_BYTES = 16 * 1024 * 1024;
/**
 * Streams Grafana may have open on the plugin's one connection; further calls wait in Grafana's gRPC client, and
 * grpc-go does not hand freed slots out in order. With 64, 200 callers through go-plugin saw 2,736 of 18,000 calls
 * overtaken by more than 199 later ones (the slowest 6.3 s); with 256 none (the slowest 1.0 s), at the same
 * throughput (bench/README.md, "Item 2"). Above the callers, every call reaches the plugin and waits for the pool in
 * pg-pool's first-come-first-served queue, and Shutdown and CheckHealth still find a stream while every pooled
 * connection is stuck (tests/integration/stuck-queries.test.ts).
 */
export const MAX_CONCURRENT_STREAMS = 256;
/**
 * QueryData answers written at once; the rest wait their turn (send-gate.ts). Bun's HTTP/2 server does not share a
 * short flow-control window fairly: with a client that keeps 64 KiB windows, 200 callers left answers unsent for up
 * to 3.6 s, 4 turns bring the slowest transfer to 1.0 s without costing throughput when the window grows.
 */
export const SEND_SLOTS = 4;
/** go-plugin SIGKILLs 2 s after Shutdown; we aim to be gone well before. */
const SHUTDOWN_BUDGET_MS = 1500;

export interface ServerOptions {
  log?: HclogLogger;
  /** Listen on a unix socket in this directory instead of 127.0.0.1 (go-plugin's PLUGIN_UNIX_SOCKET_DIR). */
  unixSocketDir?: string;
  /** Called once after GRPCController/Shutdown has been answered and everything is closed. */
  onShutdown?: () => void;
  processMetrics?: boolean;
}

/**
 * The plugin, or a function loading it. With a function the handshake goes out before the plugin's modules
 * (pg, zod, features) are evaluated, and the first calls wait for it.
 */
export type PluginSource = DatasourcePlugin | (() => DatasourcePlugin | Promise<DatasourcePlugin>);

export interface RunningServer {
  listener: Listener;
  log: HclogLogger;
  /** Created right after the handshake. */
  metrics: Promise<PluginMetrics>;
  /** Resolves when the plugin is loaded; rejects when loading it failed (every call then says why). */
  ready: Promise<LoadedPlugin>;
  /** Cancels running calls, lets them answer, disposes every instance and closes the server. Idempotent. */
  stop(): Promise<void>;
}

function bind(server: grpc.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, port) =>
      err ? reject(err) : resolve(port)
    )
  );
}

/** Starts the gRPC services for `plugin`; knows nothing about stdout, signals or the process. */
export async function startServer(source: PluginSource, options: ServerOptions = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger({ level: 'info' });
  // prom-client and the plugin's modules load after the handshake line is out: go-plugin and Grafana wait for
  // that line, while the first calls simply wait for `ready`.
  let listening!: () => void;
  const afterHandshake = new Promise<void>((resolve) => (listening = resolve)).then(
    () => new Promise<void>((resolve) => setImmediate(resolve))
  );
  const metrics = afterHandshake.then(
    async () => new (await import('./metrics')).PluginMetrics({ processMetrics: options.processMetrics })
  );
  const ready = afterHandshake.then(async (): Promise<LoadedPlugin> => {
    const plugin = typeof source === 'function' ? await source() : source;
    const onCount = (n: number) => void metrics.then((m) => m.setInstances(n));
    return { plugin, instances: new InstanceManager(plugin, log, onCount) };
  });
  ready.catch((err) => log.error('Loading the plugin failed: every call will answer with this error', { error: err }));
  const shutdown = new AbortController();
  const protocol = loadProtocol();
  const services = createServices({ ready, metrics, log, shutdown: shutdown.signal });

  const server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_RECEIVE_BYTES,
    'grpc.max_send_message_length': -1,
    'grpc.max_concurrent_streams': MAX_CONCURRENT_STREAMS,
    // Unary only: a streamed answer (CallResource) would ask for a turn per message while holding one.
    interceptors: [sendGateInterceptor(new FifoGate(SEND_SLOTS), new Set(['/pluginv2.Data/QueryData']))],
  });
  server.addService(protocol.pluginv2.Data.service, services.data);
  server.addService(protocol.pluginv2.Diagnostics.service, services.diagnostics);
  server.addService(protocol.pluginv2.Resource.service, services.resource);

  const idleStreams = new Set<grpc.ServerWritableStream<unknown, unknown>>();
  server.addService(protocol.health.Health.service, {
    Check(call: grpc.ServerUnaryCall<{ service: string }, unknown>, callback: grpc.sendUnaryData<unknown>) {
      if (call.request.service === '' || call.request.service === 'plugin') {
        callback(null, { status: 'SERVING' });
      } else {
        callback({ code: grpc.status.NOT_FOUND, details: `unknown service ${call.request.service}` });
      }
    },
    Watch(call: grpc.ServerWritableStream<{ service: string }, unknown>) {
      const known = call.request.service === '' || call.request.service === 'plugin';
      call.write({ status: known ? 'SERVING' : 'SERVICE_UNKNOWN' });
      idleStreams.add(call);
      call.once('cancelled', () => idleStreams.delete(call));
    },
  });
  server.addService(protocol.goplugin.GRPCStdio.service, {
    // Nothing is ever forwarded (stdout stays empty after the handshake); the stream only keeps go-plugin quiet.
    StreamStdio(call: grpc.ServerWritableStream<unknown, unknown>) {
      idleStreams.add(call);
      call.once('cancelled', () => idleStreams.delete(call));
    },
  });

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      log.debug('Shutting down');
      shutdown.abort(new Error('the plugin is shutting down'));
      for (const call of idleStreams) {
        call.end();
      }
      idleStreams.clear();
      const drained = new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_BUDGET_MS / 2).unref());
      await Promise.race([drained, timeout]);
      server.forceShutdown();
      await Promise.race([
        ready.then(
          ({ instances }) => instances.disposeAll(SHUTDOWN_BUDGET_MS / 4),
          () => undefined
        ),
        new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_BUDGET_MS / 2).unref()),
      ]);
    })();
    return stopping;
  };

  server.addService(protocol.goplugin.GRPCController.service, {
    Shutdown(_call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) {
      callback(null, {});
      setImmediate(() => void stop().then(() => options.onShutdown?.()));
    },
  });

  let listener: Listener;
  if (options.unixSocketDir) {
    const path = join(options.unixSocketDir, `plugin${randomBytes(6).toString('hex')}`);
    await bind(server, `unix:${path}`);
    listener = { network: 'unix', path };
  } else {
    // `ipv4:` skips grpc-js's DNS resolver (tens of ms at start-up).
    const port = await bind(server, 'ipv4:127.0.0.1:0');
    listener = { network: 'tcp', host: '127.0.0.1', port };
  }
  listening();
  return { listener, log, metrics, ready, stop };
}

/** Sends console output and stray stdout writes to stderr: after the handshake go-plugin reads nothing there. */
function keepStdoutClean(log: HclogLogger): void {
  const toLog =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) =>
      log[level](
        args
          .map((a) => (typeof a === 'string' ? a : a instanceof Error ? (a.stack ?? a.message) : safeJson(a)))
          .join(' '),
        {
          source: 'console',
        }
      );
  const levels = { log: 'info', info: 'info', debug: 'debug', trace: 'debug', warn: 'warn', error: 'error' } as const;
  for (const [method, level] of Object.entries(levels)) {
    (console as unknown as Record<string, unknown>)[method] = toLog(level);
  }
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) =>
    (process.stderr.write as (...a: unknown[]) => boolean)(chunk, ...rest)) as typeof process.stdout.write;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * The one entry point of the executable: handshake with go-plugin, serve until Shutdown, SIGTERM or the
 * death of the parent. Never returns normally.
 */
export async function serve(plugin: PluginSource): Promise<void> {
  if (!hasMagicCookie(process.env)) {
    writeSync(2, NOT_A_STANDALONE_PROGRAM + '\n');
    process.exit(1);
  }
  const log = createLogger({ level: levelFromEnv(process.env) });
  keepStdoutClean(log);
  process.on('uncaughtException', (err) => log.error('Uncaught exception', { error: err, stack: err.stack }));
  process.on('unhandledRejection', (err) => log.error('Unhandled promise rejection', { error: err }));

  let running: RunningServer | undefined;
  let exiting = false;
  const exit = (code: number, why: string) => {
    if (exiting) {
      return;
    }
    exiting = true;
    log.debug('Plugin exiting', { reason: why });
    // Whatever happens, leave before go-plugin's 2 s SIGKILL.
    setTimeout(() => process.exit(code), SHUTDOWN_BUDGET_MS + 200).unref();
    void (running?.stop() ?? Promise.resolve()).finally(() => process.exit(code));
  };
  // Before the handshake line: a SIGTERM sent as soon as the line is read must find the handler in place.
  // go-plugin ignores os.Interrupt so a Ctrl-C on Grafana's terminal does not kill plugins before Grafana stops them.
  process.on('SIGINT', () => log.debug('Ignoring SIGINT'));
  process.on('SIGTERM', () => exit(0, 'SIGTERM'));

  const version = negotiateVersion(process.env.PLUGIN_PROTOCOL_VERSIONS);
  running = await startServer(plugin, {
    log,
    unixSocketDir: process.env.PLUGIN_UNIX_SOCKET_DIR || undefined,
    onShutdown: () => exit(0, 'GRPCController/Shutdown'),
  });
  // Synchronous, and the only bytes this process ever writes to fd 1.
  writeSync(1, handshakeLine(version, running.listener));

  // stdin is Grafana's own stdin (often /dev/null): never a lifecycle signal. A dead parent is noticed by re-parenting.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) {
      exit(0, 'parent process exited');
    }
  }, 1000).unref();

  log.info('Plugin started', {
    network: running.listener.network,
    protocolVersion: version,
    pid: process.pid,
    startupMs: Math.round(performance.now()),
  });
}
