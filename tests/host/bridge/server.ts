// The host's Node side: serves the host page and the built plugin, and answers the Grafana HTTP API the pages
// call by calling the real backend executable over gRPC (QueryData, CallResource, CheckHealth), as Grafana's
// server does. Secure settings never leave this process; the browsing user's role comes from the session.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import type { PluginProcess, QueryInput, UserInput } from '../../../dev/testing/plugin-process';
import { toDataFrameJSON } from './frames';
import { LOKI_TYPE, LokiError, lokiFrame, LokiStore, selectLines } from './loki';
import { type HostRole, permissionsFor, type Session, SessionError, sessionFrom } from './session';

export const APP_ID = 'kici-ops-app';
export const DATASOURCE_TYPE = 'kici-ops-datasource';

export interface HostDatasource {
  uid: string;
  name: string;
  type: string;
  jsonData: Record<string, unknown>;
  /** Kept in the bridge; the browser only learns which keys are set. */
  secureJsonData: Record<string, string>;
  id: number;
}

export interface BridgeOptions {
  repoRoot: string;
  plugin: PluginProcess;
  datasources: HostDatasource[];
  /** The app's provisioned jsonData; `kiciDatasourceUid` is replaced by the session's choice. */
  appJsonData: Record<string, unknown>;
  defaultRole?: HostRole;
  /** The host page bundle to serve (build.mjs --outdir); default tests/host/dist. */
  hostBuild?: string;
  /** Extra JSON served at `/__host/state` (scenario facts for tests; never secrets). */
  state?: () => unknown;
  /** The sims' log lines: the `loki` datasource(s) answer from them (`GET /__host/logs` lists them). */
  logs?: LokiStore;
  /** Logged requests that failed on the bridge side. */
  log?: (line: string) => void;
}

export interface Bridge {
  url: string;
  server: Server;
  /** Icon paths the page asked for that @grafana/ui does not ship (Grafana serves them from its own public/). */
  missingAssets: Set<string>;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.mjs': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.html': 'text/html; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

const PLACEHOLDER_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="4" fill="currentColor"/></svg>';

/** System fonts standing in for the fonts Grafana ships in public/fonts (Debian: fonts-inter, fonts-dejavu-core). */
const FONT_CANDIDATES: Array<[RegExp, string[]]> = [
  [
    /Inter-Medium/,
    ['/usr/share/fonts/opentype/inter/Inter-Medium.otf', '/usr/share/fonts/truetype/inter/Inter-Medium.ttf'],
  ],
  [
    /Inter-(Regular|Italic|MediumItalic)/,
    ['/usr/share/fonts/opentype/inter/Inter-Regular.otf', '/usr/share/fonts/truetype/inter/Inter-Regular.ttf'],
  ],
  [/Inter/, ['/usr/share/fonts/opentype/inter/Inter-Regular.otf', '/usr/share/fonts/truetype/inter/Inter-Regular.ttf']],
  [/./, ['/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf']],
];

function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  type = 'text/plain; charset=utf-8',
  extra: Record<string, string | string[]> = {}
) {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...extra });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string | string[]> = {}) {
  send(res, status, JSON.stringify(body), 'application/json; charset=utf-8', extra);
}

/** Resolves `rel` inside `root`, refusing `..` escapes. */
function safeJoin(root: string, rel: string): string | undefined {
  const full = path.resolve(root, '.' + path.posix.normalize('/' + decodeURIComponent(rel)));
  return full === root || full.startsWith(root + path.sep) ? full : undefined;
}

function serveFile(res: ServerResponse, file: string | undefined): boolean {
  if (!file || !existsSync(file) || !statSync(file).isFile()) {
    return false;
  }
  send(res, 200, readFileSync(file), TYPES[path.extname(file)] ?? 'application/octet-stream');
  return true;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) {
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

function epochMs(value: unknown, now: number): number {
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value === 'string') {
    if (/^\d+$/.test(value)) {
      return Number(value);
    }
    const rel = /^now(?:-(\d+)([smhd]))?$/.exec(value);
    if (rel) {
      const unit = { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[(rel[2] ?? 's') as 's'];
      return now - Number(rel[1] ?? 0) * unit;
    }
  }
  throw new BadRequest(`time range value ${JSON.stringify(value)} is neither epoch milliseconds nor now[-Nu]`);
}

class BadRequest extends Error {}

/** The Grafana version and package folder build.mjs bundled the page with (`build-info.json` beside the bundle). */
function readHostBuildInfo(dir: string, repo: string): { grafanaVersion: string; packageRoot: string } {
  const file = path.join(dir, 'build-info.json');
  if (!existsSync(file)) {
    // Not built yet: the page itself answers 404 until it is; boot data then names the repository's version.
    const runtime = path.join(repo, 'node_modules', '@grafana', 'runtime', 'package.json');
    return { grafanaVersion: JSON.parse(readFileSync(runtime, 'utf8')).version, packageRoot: repo };
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

interface QueryBody {
  queries?: Array<Record<string, unknown>>;
  from?: unknown;
  to?: unknown;
}

export async function startBridge(opts: BridgeOptions & { port?: number; host?: string }): Promise<Bridge> {
  const repo = opts.repoRoot;
  const dist = path.join(repo, 'dist');
  const hostDir = path.join(repo, 'tests', 'host');
  const hostBuild = opts.hostBuild ?? path.join(hostDir, 'dist');
  const build = readHostBuildInfo(hostBuild, repo);
  const iconsDir = path.join(build.packageRoot, 'node_modules', '@grafana', 'ui', 'dist', 'public', 'img', 'icons');
  const missingAssets = new Set<string>();
  const log = opts.log ?? (() => undefined);
  const byUid = new Map(opts.datasources.map((d) => [d.uid, d]));
  const logs = opts.logs ?? new LokiStore();
  const defaultDs = String(opts.appJsonData.kiciDatasourceUid ?? opts.datasources[0]?.uid ?? '');

  const readPluginJson = (rel: string) => JSON.parse(readFileSync(path.join(dist, rel), 'utf8'));

  const session = (req: IncomingMessage, url: URL): Session =>
    sessionFrom(url.searchParams, req.headers.cookie, {
      role: opts.defaultRole ?? 'Admin',
      datasourceUid: defaultDs,
      datasourceUids: opts.datasources.map((d) => d.uid),
    });

  const user = (s: Session): UserInput => ({
    login: s.role.toLowerCase(),
    name: `Host ${s.role}`,
    email: `${s.role.toLowerCase()}@localhost`,
    role: s.role,
  });

  const datasourceMeta = () => {
    const meta = readPluginJson('datasource/plugin.json');
    return {
      ...meta,
      module: `public/plugins/${APP_ID}/datasource/module.js`,
      baseUrl: `public/plugins/${APP_ID}/datasource`,
    };
  };

  /** Grafana's core Loki plugin meta; the host page instantiates its own stand-in class for `core:plugin/loki`. */
  const lokiMeta = () => ({
    id: LOKI_TYPE,
    type: 'datasource',
    name: 'Loki',
    module: 'core:plugin/loki',
    baseUrl: 'public/app/plugins/datasource/loki',
    backend: true,
    logs: true,
    metrics: true,
    info: {
      author: { name: 'Grafana Labs' },
      description: "Host stand-in for Loki: the sims' log lines",
      links: [],
      logos: { small: '', large: '' },
      screenshots: [],
      updated: '',
      version: build.grafanaVersion,
    },
  });

  /** The browser's view of a datasource (Grafana's DataSourceInstanceSettings): no secure values. */
  const publicDatasource = (d: HostDatasource) => ({
    id: d.id,
    uid: d.uid,
    orgId: 1,
    name: d.name,
    type: d.type,
    typeName: d.type === LOKI_TYPE ? 'Loki' : 'KiCI',
    access: 'proxy',
    url: '',
    user: '',
    database: '',
    basicAuth: false,
    isDefault: d.uid === defaultDs,
    jsonData: d.jsonData,
    secureJsonFields: Object.fromEntries(Object.keys(d.secureJsonData).map((k) => [k, true])),
    readOnly: true,
    meta: d.type === LOKI_TYPE ? lokiMeta() : datasourceMeta(),
  });

  const appSettings = (s: Session) => {
    const meta = readPluginJson('plugin.json');
    return {
      ...meta,
      enabled: true,
      pinned: true,
      module: `public/plugins/${APP_ID}/module.js`,
      baseUrl: `public/plugins/${APP_ID}`,
      jsonData: { ...opts.appJsonData, kiciDatasourceUid: s.datasourceUid },
      secureJsonFields: {},
    };
  };

  const bootData = (s: Session) => {
    const pluginJson = readPluginJson('plugin.json');
    const datasources = Object.fromEntries(opts.datasources.map((d) => [d.name, publicDatasource(d)]));
    return {
      user: {
        id: 1,
        uid: 'host-user',
        login: s.role.toLowerCase(),
        name: `Host ${s.role}`,
        email: `${s.role.toLowerCase()}@localhost`,
        orgId: 1,
        orgName: 'Main Org.',
        orgRole: s.role,
        isGrafanaAdmin: s.role === 'Admin',
        isSignedIn: true,
        theme: 'dark',
        lightTheme: false,
        timezone: 'browser',
        weekStart: 'browser',
        locale: 'en-US',
        language: 'en-US',
        permissions: permissionsFor(s.role, pluginJson),
      },
      settings: {
        appSubUrl: '',
        appUrl: '/',
        buildInfo: { version: build.grafanaVersion, commit: 'host', env: 'production', edition: 'Open Source' },
        datasources,
        defaultDatasource: opts.datasources.find((d) => d.uid === defaultDs)?.name ?? '',
        featureToggles: {},
        apps: {
          [APP_ID]: {
            id: APP_ID,
            path: `public/plugins/${APP_ID}/module.js`,
            version: pluginJson.info?.version,
            preload: false,
            // Grafana's boot data carries each app's plugin.json `extensions` (the registry checks links against it).
            extensions: pluginJson.extensions,
          },
        },
        panels: {},
        theme2: { mode: 'dark' },
      },
      navTree: [],
      themePaths: {},
      assets: {},
    };
  };

  const indexHtml = (s: Session): string =>
    readFileSync(path.join(hostDir, 'index.html'), 'utf8').replace(
      '/*BOOT_DATA*/',
      `window.grafanaBootData = ${JSON.stringify(bootData(s)).replace(/</g, '\\u003c')};`
    );

  async function dsQuery(req: IncomingMessage, res: ServerResponse, s: Session) {
    const body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as QueryBody;
    const now = Date.now();
    const queries = body.queries ?? [];
    if (!queries.length) {
      throw new BadRequest('no queries found');
    }
    const groups = new Map<string, { ds: HostDatasource; queries: QueryInput[] }>();
    for (const q of queries) {
      const ref = (q.datasource ?? {}) as { uid?: string; type?: string };
      if (ref.uid === '__expr__' || ref.type === '__expr__') {
        throw new BadRequest('server-side expressions are not reproduced by the host');
      }
      const ds = ref.uid ? byUid.get(ref.uid) : undefined;
      if (!ds) {
        throw new BadRequest(`datasource ${JSON.stringify(ref.uid)} was not found`);
      }
      const range = (q.timeRange as { from?: unknown; to?: unknown } | undefined) ?? body;
      const group = groups.get(ds.uid) ?? { ds, queries: [] };
      group.queries.push({
        refId: String(q.refId ?? 'A'),
        queryType: typeof q.queryType === 'string' ? q.queryType : '',
        json: q,
        maxDataPoints: Number(q.maxDataPoints ?? 100),
        intervalMs: Number(q.intervalMs ?? 1000),
        timeRange: { from: epochMs(range.from ?? 'now-6h', now), to: epochMs(range.to ?? 'now', now) },
      });
      groups.set(ds.uid, group);
    }
    const results: Record<string, unknown> = {};
    let anyError = false;
    for (const { ds, queries: qs } of groups.values()) {
      if (ds.type === LOKI_TYPE) {
        for (const q of qs) {
          const r = lokiResult(q);
          anyError ||= r.status >= 400;
          results[q.refId] = r;
        }
        continue;
      }
      const out = await opts.plugin.queryData(settingsOf(ds), qs, user(s));
      for (const [refId, r] of Object.entries(out)) {
        const status = r.status || (r.error ? 500 : 200);
        anyError ||= Boolean(r.error);
        results[refId] = {
          status,
          frames: r.frames.map(toDataFrameJSON),
          ...(r.error ? { error: r.error, errorSource: r.errorSource ?? 'plugin' } : {}),
        };
      }
    }
    // Grafana answers 400 when any query failed (207 behind the datasourceQueryMultiStatus toggle).
    sendJson(res, anyError ? 400 : 200, { results });
  }

  const lokiResult = (q: QueryInput) => {
    const json = q.json as { expr?: unknown; maxLines?: unknown; direction?: unknown; queryType?: unknown };
    const query = {
      refId: q.refId,
      expr: typeof json.expr === 'string' ? json.expr : '',
      fromMs: q.timeRange?.from ?? 0,
      toMs: q.timeRange?.to ?? Date.now(),
      maxLines: Number(json.maxLines ?? 1000) || 1000,
      direction: json.direction === 'forward' ? ('forward' as const) : ('backward' as const),
    };
    try {
      if (json.queryType === 'instant') {
        throw new LokiError("the host's Loki stand-in answers range log queries only, not instant queries");
      }
      return { status: 200, frames: [lokiFrame(query, selectLines(logs, query))] };
    } catch (err) {
      if (!(err instanceof LokiError)) {
        throw err;
      }
      log(`loki ${q.refId}: ${err.message}`);
      return { status: 400, frames: [], error: err.message, errorSource: 'downstream' };
    }
  };

  const settingsOf = (ds: HostDatasource) => ({
    uid: ds.uid,
    id: ds.id,
    name: ds.name,
    jsonData: ds.jsonData,
    secureJsonData: ds.secureJsonData,
    lastUpdatedMS: 1,
  });

  async function resource(
    req: IncomingMessage,
    res: ServerResponse,
    s: Session,
    ds: HostDatasource,
    rest: string,
    search: string
  ) {
    const body = await readBody(req);
    const query = Object.fromEntries(new URLSearchParams(search));
    const headers: Record<string, string> = {};
    const ct = req.headers['content-type'];
    if (ct) {
      headers['Content-Type'] = ct;
    }
    const r = await opts.plugin.callResource(
      settingsOf(ds),
      { method: req.method ?? 'GET', path: rest, query, body: body.length ? body : undefined, headers },
      user(s)
    );
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(r.headers)) {
      if (!/^(content-length|transfer-encoding|connection)$/i.test(k)) {
        out[k] = v;
      }
    }
    res.writeHead(r.status, { 'Cache-Control': 'no-store', ...out });
    res.end(r.body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://host.invalid');
    const p = url.pathname;
    let s: Session;
    try {
      s = session(req, url);
    } catch (err) {
      if (err instanceof SessionError) {
        return send(res, 400, err.message);
      }
      throw err;
    }
    const cookies = s.setCookies.length ? { 'Set-Cookie': s.setCookies } : undefined;

    if (p.startsWith(`/public/plugins/${APP_ID}/`)) {
      return (
        serveFile(res, safeJoin(dist, p.slice(`/public/plugins/${APP_ID}/`.length))) || send(res, 404, 'Not found')
      );
    }
    if (p.startsWith('/public/build/img/icons/')) {
      const rel = p.slice('/public/build/img/icons/'.length);
      if (serveFile(res, safeJoin(iconsDir, rel))) {
        return;
      }
      missingAssets.add(p);
      return send(res, 200, PLACEHOLDER_SVG, 'image/svg+xml');
    }
    if (p.startsWith('/public/fonts/')) {
      const font = FONT_CANDIDATES.find(([re]) => re.test(p))?.[1].find((f) => existsSync(f));
      return font ? send(res, 200, readFileSync(font), 'font/woff2') : send(res, 404, 'font not installed');
    }
    if (p.startsWith('/host/')) {
      return (
        serveFile(res, safeJoin(hostBuild, p.slice('/host/'.length))) ||
        send(res, 404, 'Not found (run node tests/host/build.mjs)')
      );
    }
    if (p === '/__host/logs') {
      return sendJson(res, 200, {
        lines: logs.entries.map((e) => ({ tsNs: e.tsNs, stream: e.stream, line: e.line })),
      });
    }
    if (p === '/__host/state') {
      return sendJson(res, 200, { missingAssets: [...missingAssets], ...(opts.state?.() as object) });
    }
    if (p === `/api/plugins/${APP_ID}/settings`) {
      return sendJson(res, 200, appSettings(s));
    }
    if (p === `/api/plugins/${DATASOURCE_TYPE}/settings`) {
      return sendJson(res, 200, { ...datasourceMeta(), enabled: true, jsonData: {} });
    }
    if (p === '/api/datasources' && req.method === 'GET') {
      return sendJson(res, 200, opts.datasources.map(publicDatasource));
    }
    if (p === '/api/ds/query' && req.method === 'POST') {
      return dsQuery(req, res, s);
    }
    const dsRoute = /^\/api\/datasources\/uid\/([^/]+)(?:\/(health|resources)(?:\/(.*))?)?$/.exec(p);
    if (dsRoute) {
      const ds = byUid.get(decodeURIComponent(dsRoute[1]));
      if (!ds) {
        return sendJson(res, 404, { message: 'Data source not found' });
      }
      if (!dsRoute[2]) {
        return sendJson(res, 200, publicDatasource(ds));
      }
      if (dsRoute[2] === 'health' && ds.type === LOKI_TYPE) {
        return sendJson(res, 200, { status: 'OK', message: `Host Loki stand-in: ${logs.entries.length} lines` });
      }
      if (ds.type === LOKI_TYPE) {
        return sendJson(res, 404, { message: `the host's Loki stand-in has no resource ${dsRoute[3] ?? ''}` });
      }
      if (dsRoute[2] === 'health') {
        const h = await opts.plugin.checkHealth(settingsOf(ds), user(s));
        return sendJson(res, h.status === 'OK' ? 200 : 400, h);
      }
      return resource(req, res, s, ds, dsRoute[3] ?? '', url.search);
    }
    if (p.startsWith('/api/')) {
      return sendJson(res, 404, { message: `Not found: the host does not serve ${p}` });
    }
    if (p === '/favicon.ico') {
      return send(res, 200, PLACEHOLDER_SVG, 'image/svg+xml');
    }
    // Grafana's SPA: every other path is the page shell.
    return send(res, 200, indexHtml(s), 'text/html; charset=utf-8', cookies);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      const status = err instanceof BadRequest || err instanceof SyntaxError ? 400 : 500;
      log(`${req.method} ${req.url}: ${err.message}`);
      if (!res.headersSent) {
        sendJson(res, status, { message: err.message });
      } else {
        res.end();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${addr.port}`,
    server,
    missingAssets,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
