// Starts the compiled backend executable exactly as Grafana does (go-plugin's environment, stdin /dev/null,
// handshake on stdout, gRPC) and gives tests, benchmarks and the browser-host bridge a small typed client.
//
//   const plugin = await startPlugin();
//   const { A } = await plugin.queryData({ uid: 'kici', jsonData: {...} }, [{ refId: 'A', queryType: 'dlqDepth' }]);
//   await plugin.shutdown();   // GRPCController/Shutdown, like Grafana stopping the plugin
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

import * as grpc from '@grpc/grpc-js';

import { loadProtocol } from '../../src/backend/protocol/descriptor';
import type { GrafanaRole } from '../../src/backend/protocol/types';
import { decodeFrame, type DecodedFrame } from './plugin/decode';

export type { DecodedField, DecodedFrame } from './plugin/decode';
export { decodeFrame, isArrowFile } from './plugin/decode';

const REPO = path.resolve(__dirname, '../..');

/** `dist/datasource/gpx_kici_ops_<os>_<arch>` for this machine (what `npm run build:backend -- --host-only` makes). */
export function defaultExecutable(): string {
  const os = ({ linux: 'linux', darwin: 'darwin', win32: 'windows' } as Record<string, string>)[process.platform];
  const arch = ({ x64: 'amd64', arm64: 'arm64' } as Record<string, string>)[process.arch];
  return path.join(REPO, 'dist', 'datasource', `gpx_kici_ops_${os}_${arch}${os === 'windows' ? '.exe' : ''}`);
}

/** The environment go-plugin adds for Grafana's plugins (after the host's own environment). */
export const GRAFANA_PLUGIN_ENV = {
  grafana_plugin_type: 'datasource',
  PLUGIN_MIN_PORT: '10000',
  PLUGIN_MAX_PORT: '25000',
  PLUGIN_PROTOCOL_VERSIONS: '2',
} as const;

export interface StartOptions {
  executable?: string;
  /** Added to (or, with `undefined`, removed from) the host environment plus GRAFANA_PLUGIN_ENV. */
  env?: Record<string, string | undefined>;
  /** Rejects when no handshake arrives in time (go-plugin's default is 1 min). */
  startTimeoutMs?: number;
}

export interface DatasourceSettingsInput {
  uid: string;
  jsonData?: unknown;
  secureJsonData?: Record<string, string>;
  lastUpdatedMS?: number;
  name?: string;
  id?: number;
  /** The org the datasource belongs to (PluginContext.orgId); 1 unless given. */
  orgId?: number;
}

export interface UserInput {
  login?: string;
  name?: string;
  email?: string;
  role: GrafanaRole;
}

export interface QueryInput {
  refId: string;
  queryType?: string;
  /** The panel's query model; a string is sent as raw bytes (to test bad JSON). Defaults to `{refId, queryType}`. */
  json?: unknown;
  /** Epoch ms; defaults to the last hour. */
  timeRange?: { from: number; to: number };
  maxDataPoints?: number;
  intervalMs?: number;
}

export interface QueryResponse {
  frames: DecodedFrame[];
  /** Raw Arrow bytes, one per frame, for validators. */
  rawFrames: Buffer[];
  error?: string;
  status: number;
  errorSource?: string;
}

export interface ResourceInput {
  method: string;
  /** Below `/resources/`, e.g. `dlq/123/retry`. */
  path: string;
  body?: unknown;
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

export interface ResourceResult {
  status: number;
  headers: Record<string, string[]>;
  /** Parsed body when the content type is JSON. */
  json?: unknown;
  body: Buffer;
  /** Number of CallResourceResponse messages the body came in. */
  messages: number;
}

export interface HealthResponse {
  status: 'OK' | 'ERROR' | 'UNKNOWN';
  message: string;
  details?: unknown;
}

/** One go-hclog line from stderr. */
export interface HclogLine {
  '@level': string;
  '@message': string;
  '@timestamp': string;
  [key: string]: unknown;
}

export interface Handshake {
  line: string;
  coreVersion: number;
  appVersion: number;
  network: 'tcp' | 'unix';
  address: string;
  protocol: string;
}

export interface PluginProcess {
  pid: number;
  handshake: Handshake;
  queryData(
    settings: DatasourceSettingsInput,
    queries: QueryInput[],
    user?: UserInput
  ): Promise<Record<string, QueryResponse>>;
  callResource(settings: DatasourceSettingsInput, req: ResourceInput, user?: UserInput): Promise<ResourceResult>;
  checkHealth(settings: DatasourceSettingsInput, user?: UserInput): Promise<HealthResponse>;
  /** Prometheus text from Diagnostics.CollectMetrics. */
  collectMetrics(): Promise<string>;
  /** go-plugin's Ping: grpc.health.v1 Check for service "plugin". */
  ping(): Promise<string>;
  /** Opens plugin.GRPCStdio/StreamStdio like go-plugin >= 1.4; resolves with what it saw within `ms`. */
  probeStdio(ms?: number): Promise<{ open: boolean; messages: number; error?: string }>;
  /** Parsed hclog JSON lines written on stderr so far. */
  stderrLines(): HclogLine[];
  /** Everything written on stderr / stdout so far. */
  stderrText(): string;
  stdoutText(): string;
  /** GRPCController/Shutdown (what Grafana's Client.Kill() sends). */
  shutdown(): Promise<void>;
  kill(signal?: NodeJS.Signals): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Shutdown, wait up to 3 s, then SIGKILL; closes the gRPC channels. Safe to call twice. */
  stop(): Promise<void>;
}

export const DEFAULT_USER: UserInput = { login: 'admin', name: 'Admin', email: 'admin@localhost', role: 'Admin' };

export function parseHandshake(line: string): Handshake {
  const parts = line.trim().split('|');
  if (parts.length < 5 || (parts[2] !== 'tcp' && parts[2] !== 'unix')) {
    throw new Error(`not a go-plugin handshake line: ${JSON.stringify(line)}`);
  }
  return {
    line: line.trim(),
    coreVersion: Number(parts[0]),
    appVersion: Number(parts[1]),
    network: parts[2],
    address: parts[3],
    protocol: parts[4],
  };
}

function pluginContext(settings: DatasourceSettingsInput, user: UserInput | undefined) {
  return {
    orgId: settings.orgId ?? 1,
    pluginId: 'kici-ops-datasource',
    pluginVersion: '0.1.0',
    userAgent: 'Grafana/12.4.2 (plugin-process test client)',
    grafanaConfig: {},
    user: user
      ? {
          login: user.login ?? user.role.toLowerCase(),
          name: user.name ?? '',
          email: user.email ?? '',
          role: user.role,
        }
      : undefined,
    dataSourceInstanceSettings: {
      id: settings.id ?? 1,
      uid: settings.uid,
      name: settings.name ?? settings.uid,
      jsonData: Buffer.from(JSON.stringify(settings.jsonData ?? {})),
      decryptedSecureJsonData: settings.secureJsonData ?? {},
      lastUpdatedMS: settings.lastUpdatedMS ?? 1,
    },
  };
}

function headerLookup(headers: Record<string, string[]>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? headers[key][0] : undefined;
}

type AnyClient = grpc.Client & Record<string, any>;

export async function startPlugin(opts: StartOptions = {}): Promise<PluginProcess> {
  const executable = opts.executable ?? defaultExecutable();
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...GRAFANA_PLUGIN_ENV, ...opts.env })) {
    if (v !== undefined) {
      env[k] = v;
    }
  }
  const child: ChildProcess = spawn(executable, [], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal }))
  );
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));

  const handshake = await new Promise<Handshake>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no handshake within ${opts.startTimeoutMs ?? 30000} ms; stderr: ${stderr}`));
    }, opts.startTimeoutMs ?? 30000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      const first = !stdout.includes('\n');
      stdout += d;
      if (first && stdout.includes('\n')) {
        clearTimeout(timer);
        try {
          resolve(parseHandshake(stdout.slice(0, stdout.indexOf('\n'))));
        } catch (err) {
          child.kill('SIGKILL');
          reject(err);
        }
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`plugin exited before the handshake (code ${code}, signal ${signal}); stderr: ${stderr}`));
    });
  });

  const protocol = loadProtocol();
  const target = handshake.network === 'unix' ? `unix:${handshake.address}` : handshake.address;
  const creds = grpc.credentials.createInsecure();
  const options = {
    'grpc.max_receive_message_length': -1,
    'grpc.max_send_message_length': -1,
    // Grafana's client (grpc-go through go-plugin) grows its receive window by BDP estimation up to 16 MiB;
    // grpc-js keeps HTTP/2's 64 KiB unless told, which makes the plugin wait on window updates Grafana never
    // makes it wait on (bench/README.md, "Bun's HTTP/2 and many concurrent streams").
    'grpc-node.flow_control_window': 16 * 1024 * 1024,
  };
  const clients: AnyClient[] = [];
  const make = (ctor: grpc.ServiceClientConstructor): AnyClient => {
    const c = new ctor(target, creds, options) as AnyClient;
    clients.push(c);
    return c;
  };
  const data = make(protocol.pluginv2.Data);
  const diagnostics = make(protocol.pluginv2.Diagnostics);
  const resource = make(protocol.pluginv2.Resource);
  const health = make(protocol.health.Health);
  const stdio = make(protocol.goplugin.GRPCStdio);
  const controller = make(protocol.goplugin.GRPCController);

  const unary = <T>(client: AnyClient, method: string, req: unknown): Promise<T> =>
    new Promise((resolve, reject) =>
      client[method](req, (err: grpc.ServiceError | null, res: T) => (err ? reject(err) : resolve(res)))
    );

  let stopped: Promise<void> | undefined;

  const proc: PluginProcess = {
    pid: child.pid!,
    handshake,
    exited,

    async queryData(settings, queries, user = DEFAULT_USER) {
      const now = Date.now();
      const res = await unary<{ responses: Record<string, any> }>(data, 'QueryData', {
        pluginContext: pluginContext(settings, user),
        headers: {},
        queries: queries.map((q) => ({
          refId: q.refId,
          queryType: q.queryType ?? '',
          maxDataPoints: q.maxDataPoints ?? 1000,
          intervalMS: q.intervalMs ?? 1000,
          timeRange: { fromEpochMS: q.timeRange?.from ?? now - 3_600_000, toEpochMS: q.timeRange?.to ?? now },
          json: Buffer.from(
            typeof q.json === 'string' ? q.json : JSON.stringify(q.json ?? { refId: q.refId, queryType: q.queryType })
          ),
        })),
      });
      const out: Record<string, QueryResponse> = {};
      for (const [refId, r] of Object.entries(res.responses)) {
        const rawFrames = (r.frames as Uint8Array[]).map((f) => Buffer.from(f));
        out[refId] = {
          frames: rawFrames.map(decodeFrame),
          rawFrames,
          status: r.status,
          ...(r.error ? { error: r.error } : {}),
          ...(r.errorSource ? { errorSource: r.errorSource } : {}),
        };
      }
      return out;
    },

    callResource(settings, req, user = DEFAULT_USER) {
      const qs = req.query ? new URLSearchParams(req.query).toString() : '';
      const pathOnly = req.path.replace(/^\/+/, '');
      let body: Buffer;
      if (req.body === undefined) {
        body = Buffer.alloc(0);
      } else if (Buffer.isBuffer(req.body) || typeof req.body === 'string') {
        body = Buffer.from(req.body);
      } else {
        body = Buffer.from(JSON.stringify(req.body));
      }
      const headers: Record<string, { values: string[] }> = { Accept: { values: ['application/json'] } };
      if (req.body !== undefined && !Buffer.isBuffer(req.body) && typeof req.body !== 'string') {
        headers['Content-Type'] = { values: ['application/json'] };
      }
      for (const [k, v] of Object.entries(req.headers ?? {})) {
        headers[k] = { values: [v] };
      }
      return new Promise<ResourceResult>((resolve, reject) => {
        const messages: any[] = [];
        const stream = resource.CallResource({
          pluginContext: pluginContext(settings, user),
          path: pathOnly,
          method: req.method.toUpperCase(),
          url: qs ? `${pathOnly}?${qs}` : pathOnly,
          headers,
          body,
        });
        stream.on('data', (m: any) => messages.push(m));
        stream.on('error', reject);
        stream.on('end', () => {
          if (!messages.length) {
            reject(new Error('CallResource ended without a response message'));
            return;
          }
          const hdrs: Record<string, string[]> = {};
          for (const [k, v] of Object.entries(messages[0].headers ?? {})) {
            hdrs[k] = [...(v as { values: string[] }).values];
          }
          const buf = Buffer.concat(messages.map((m) => Buffer.from(m.body ?? [])));
          const contentType = headerLookup(hdrs, 'content-type') ?? '';
          let json: unknown;
          if (/json/i.test(contentType) && buf.length) {
            json = JSON.parse(buf.toString('utf8'));
          }
          resolve({ status: messages[0].code, headers: hdrs, json, body: buf, messages: messages.length });
        });
      });
    },

    async checkHealth(settings, user = DEFAULT_USER) {
      const r = await unary<{ status: HealthResponse['status']; message: string; jsonDetails: Uint8Array }>(
        diagnostics,
        'CheckHealth',
        { pluginContext: pluginContext(settings, user), headers: {} }
      );
      return {
        status: r.status,
        message: r.message,
        ...(r.jsonDetails?.length ? { details: JSON.parse(Buffer.from(r.jsonDetails).toString('utf8')) } : {}),
      };
    },

    async collectMetrics() {
      const r = await unary<{ metrics?: { prometheus: Uint8Array } }>(diagnostics, 'CollectMetrics', {});
      return Buffer.from(r.metrics?.prometheus ?? []).toString('utf8');
    },

    async ping() {
      const r = await unary<{ status: string }>(health, 'Check', { service: 'plugin' });
      return r.status;
    },

    probeStdio(ms = 300) {
      return new Promise((resolve) => {
        const stream = stdio.StreamStdio({}, { deadline: Date.now() + ms });
        let messages = 0;
        stream.on('data', () => messages++);
        stream.on('error', (err: grpc.ServiceError) => {
          resolve(
            err.code === grpc.status.DEADLINE_EXCEEDED
              ? { open: true, messages }
              : { open: false, messages, error: `${grpc.status[err.code]}: ${err.details}` }
          );
        });
        stream.on('end', () => resolve({ open: true, messages }));
      });
    },

    stderrLines() {
      return stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as HclogLine];
          } catch {
            return [];
          }
        });
    },
    stderrText: () => stderr,
    stdoutText: () => stdout,

    async shutdown() {
      await unary(controller, 'Shutdown', {});
    },

    kill(signal = 'SIGTERM') {
      child.kill(signal);
    },

    stop() {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          await proc.shutdown().catch(() => undefined);
          const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
          await exited;
          clearTimeout(timer);
        }
        for (const c of clients) {
          c.close();
        }
      })();
      return stopped;
    },
  };
  return proc;
}
