// The health matrix: the datasource checks plus every endpoint the monitoring page lists — each
// orchestrator's /cluster/health, /cluster/peers, /cluster/runs, the agents' /health and /ready
// (only when agentHealthPort is set), the Platform's /health — with the last success per target
// kept in the datasource instance's memory and the Common-issues hint on failing rows.
import { z } from 'zod';

import type { KiciDb } from '../../kici/db';
import { HttpSource } from '../../kici/http';
import type { OrchestratorClient } from '../../kici/orchestrator';
import { agentHealthSchema, readySchema } from '../../kici/schemas/health';
import type { KiciSources } from '../../kici/sources';
import {
  errorRow,
  formatUptime,
  row,
  HEALTH_MARGIN_MS,
  MAX_HEALTH_ORCHESTRATORS,
  runHealthChecks,
  since,
  withDeadline,
  type CheckRow,
  type HealthCheckOptions,
} from './checks';
import { withCommonIssueHint } from './hints';
import { emptySeen, orchestratorNames, type SeenNames } from './names';

/** At most this many agents are probed per query; the rest are summarised in one row. */
export const MAX_AGENT_PROBES = 50;
export const AGENT_PROBE_CONCURRENCY = 8;

export interface MatrixRow extends CheckRow {
  /** Epoch ms of the last time this check answered (ok or warning) in this datasource instance. */
  lastSuccess: number | null;
  /** Orchestrator rows: the instance id of the node at `target`, when known (names.ts). */
  instance: string | null;
}

const platformHealthSchema = z.looseObject({ status: z.string() });

async function probe(
  component: CheckRow['component'],
  target: string,
  signal: AbortSignal,
  fn: (signal: AbortSignal) => Promise<Omit<CheckRow, 'component' | 'target'>>
): Promise<CheckRow> {
  const t0 = performance.now();
  try {
    return { component, target, ...(await fn(signal)) };
  } catch (err) {
    return errorRow(component, target, err, since(t0));
  }
}

export async function checkCluster(
  client: OrchestratorClient,
  signal: AbortSignal,
  seen: SeenNames = emptySeen()
): Promise<CheckRow[]> {
  const target = client.baseUrl;
  return Promise.all([
    probe('orchestrator /cluster/health', target, signal, async (s) => {
      const r = await client.clusterHealth(s);
      const d = r.data;
      seen.answered.set(target, d.instanceId);
      const status = d.status === 'healthy' ? 'ok' : d.status === 'degraded' ? 'warning' : 'error';
      const leader =
        d.role === 'worker' ? 'worker' : `${d.role}${d.leaderId ? `, leader ${d.leaderId}` : ', no leader'}`;
      return {
        status,
        latencyMs: r.latencyMs,
        message: `${d.status}: ${d.instanceId} ${leader}, term ${d.term}, ${d.connectedPeers}/${d.peerCount} peers connected, ${d.agentCount} agents, ${d.activeRuns} active runs`,
        hint: '',
      };
    }),
    probe('orchestrator /cluster/peers', target, signal, async (s) => {
      const r = await client.clusterPeers(s);
      const peers = r.data.peers;
      for (const p of peers) {
        seen.peers.push({ address: p.address, instanceId: p.instanceId, connected: p.connected });
      }
      const down = peers.filter((p) => !p.connected).map((p) => p.instanceId);
      return {
        status: 'ok',
        latencyMs: r.latencyMs,
        message:
          peers.length === 0
            ? 'no peers (single orchestrator)'
            : `${peers.length} peer${peers.length === 1 ? '' : 's'}${down.length ? `; disconnected: ${down.join(', ')}` : ', all connected'}`,
        hint: down.length ? 'see the disconnected peers’ own rows' : '',
      };
    }),
    probe('orchestrator /cluster/runs', target, signal, async (s) => {
      const r = await client.clusterRuns(s);
      const n = r.data.activeRuns.length;
      return {
        status: 'ok',
        latencyMs: r.latencyMs,
        message: `${n} active run${n === 1 ? '' : 's'} tracked by this node`,
        hint: '',
      };
    }),
  ]);
}

interface RosterAgent extends Record<string, unknown> {
  agent_id: string;
  hostname: string | null;
  connected_instance_id: string;
}

export const CONNECTED_AGENTS_SQL = `
SELECT agent_id, hostname, connected_instance_id, count(*) OVER ()::int AS total
  FROM host_roster
 WHERE connected_instance_id IS NOT NULL
 ORDER BY agent_id
 LIMIT $1`;

export function agentBaseUrl(hostname: string, port: number): string {
  return `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${port}`;
}

export async function checkAgent(
  a: RosterAgent,
  port: number,
  timeoutMs: number,
  signal: AbortSignal
): Promise<CheckRow[]> {
  if (!a.hostname) {
    const target = a.agent_id;
    return [
      row({
        component: 'agent /health',
        target,
        status: 'unknown',
        message: 'host_roster has no hostname for this agent',
        hint: 'the agent registers its os.hostname(); without it the plugin cannot address the agent',
      }),
    ];
  }
  const baseUrl = agentBaseUrl(a.hostname, port);
  const http = new HttpSource({ source: 'agent', baseUrl, timeoutMs });
  const target = `${a.agent_id} (${baseUrl})`;
  return Promise.all([
    probe('agent /health', target, signal, async (s) => {
      const r = await http.request({ method: 'GET', path: '/health', schema: agentHealthSchema, signal: s });
      const d = r.data;
      return {
        status: 'ok',
        latencyMs: r.latencyMs,
        message: `KiCI agent ${d.version ?? '(version not reported)'}, up ${formatUptime(d.uptime)}, ${d.activeJobs} active job${d.activeJobs === 1 ? '' : 's'}, ${d.connected ? 'connected' : 'not connected'}`,
        hint: '',
      };
    }),
    probe('agent /ready', target, signal, async (s) => {
      const r = await http.request({
        method: 'GET',
        path: '/ready',
        schema: readySchema,
        okStatuses: [200, 503],
        signal: s,
      });
      const ready = r.data.status === 'ready';
      return {
        status: ready ? 'ok' : 'error',
        latencyMs: r.latencyMs,
        message: ready
          ? `ready (connected to ${a.connected_instance_id})`
          : `not ready (HTTP ${r.status}): not connected to an orchestrator; host_roster names ${a.connected_instance_id}`,
        hint: '',
      };
    }),
  ]);
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export async function checkAgents(sources: KiciSources, signal: AbortSignal, httpMs: number): Promise<CheckRow[]> {
  const port = sources.settings.agentHealthPort;
  if (port === null) {
    return [
      row({
        component: 'agent /health',
        target: '',
        status: 'not configured',
        message: 'agents are not probed (agentHealthPort is not set)',
        hint: "set agentHealthPort to the agents' KICI_PORT (default 8080) to probe the /health and /ready of every agent host_roster lists as connected",
      }),
    ];
  }
  const db: KiciDb | null = sources.db;
  if (!db) {
    return [
      row({
        component: 'agent /health',
        target: '',
        status: 'not configured',
        message: 'agents are found in host_roster: PostgreSQL is not configured',
        hint: 'set pgHost, pgDatabase and pgUser',
      }),
    ];
  }
  let agents: Array<RosterAgent & { total: number }>;
  const t0 = performance.now();
  try {
    agents = await db.read<RosterAgent & { total: number }>(CONNECTED_AGENTS_SQL, [MAX_AGENT_PROBES], signal);
  } catch (err) {
    return [errorRow('agent /health', 'host_roster', err, since(t0))];
  }
  if (agents.length === 0) {
    return [
      row({
        component: 'agent /health',
        target: '',
        status: 'unknown',
        message: 'host_roster lists no connected agent',
      }),
    ];
  }
  const rows = (
    await mapLimit(agents, AGENT_PROBE_CONCURRENCY, (a) =>
      withDeadline(
        httpMs,
        signal,
        (s) => checkAgent(a, port, sources.settings.httpTimeoutMs, s),
        () => [
          row({
            component: 'agent /health',
            target: `${a.agent_id} (${agentBaseUrl(a.hostname ?? '?', port)})`,
            status: 'error',
            message: `no answer within ${httpMs} ms`,
            failure: 'timeout',
          }),
        ]
      )
    )
  ).flat();
  const total = Number(agents[0].total);
  if (total > agents.length) {
    rows.push(
      row({
        component: 'agent /health',
        target: '',
        status: 'unknown',
        message: `${total - agents.length} more connected agents not probed (at most ${MAX_AGENT_PROBES} per query)`,
      })
    );
  }
  return rows;
}

export async function checkPlatformHealth(sources: KiciSources, signal: AbortSignal): Promise<CheckRow[]> {
  const p = sources.platform;
  if (!p) {
    return [];
  }
  const http = new HttpSource({ source: 'platform', baseUrl: p.baseUrl, timeoutMs: sources.settings.httpTimeoutMs });
  return [
    await probe('Platform /health', p.baseUrl, signal, async (s) => {
      const r = await http.request({ method: 'GET', path: '/health', schema: platformHealthSchema, signal: s });
      return {
        status: r.data.status === 'ok' ? 'ok' : 'warning',
        latencyMs: r.latencyMs,
        message: `status ${r.data.status}`,
        hint: '',
      };
    }),
  ];
}

const lastSuccessByInstance = new WeakMap<KiciSources, Map<string, number>>();
const namesByInstance = new WeakMap<KiciSources, Map<string, string>>();

/** Stamps answering rows with now and fills in the remembered last success of the others. */
export function rememberSuccess(
  sources: KiciSources,
  rows: CheckRow[],
  now = Date.now()
): Array<Omit<MatrixRow, 'instance'>> {
  let memory = lastSuccessByInstance.get(sources);
  if (!memory) {
    memory = new Map();
    lastSuccessByInstance.set(sources, memory);
  }
  return rows.map((r) => {
    const key = `${r.component}\u0000${r.target}`;
    if (r.status === 'ok' || r.status === 'warning') {
      memory.set(key, now);
    }
    return { ...r, lastSuccess: memory.get(key) ?? null };
  });
}

const ORDER: Array<CheckRow['component']> = [
  'settings',
  'PostgreSQL',
  'orchestrator /health',
  'orchestrator /ready',
  'orchestrator /cluster/health',
  'orchestrator /cluster/peers',
  'orchestrator /cluster/runs',
  'admin token',
  'agent /health',
  'agent /ready',
  'Platform',
  'Platform /health',
];

/** Orchestrator rows grouped per node (in settings order), the rest by component. */
export function orderRows(rows: CheckRow[], orchestratorUrls: string[]): CheckRow[] {
  const node = (r: CheckRow) => {
    if (!r.component.startsWith('orchestrator /')) {
      return -1;
    }
    const i = orchestratorUrls.indexOf(r.target);
    return i === -1 ? orchestratorUrls.length : i;
  };
  const group = (r: CheckRow) =>
    r.component.startsWith('orchestrator /')
      ? ORDER.indexOf('orchestrator /health')
      : r.component.startsWith('agent /')
        ? ORDER.indexOf('agent /health')
        : ORDER.indexOf(r.component);
  // Within a node: the endpoint order; agents keep their probe order (health, ready per agent).
  const sub = (r: CheckRow) => (r.component.startsWith('orchestrator /') ? ORDER.indexOf(r.component) : 0);
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => group(a.r) - group(b.r) || node(a.r) - node(b.r) || sub(a.r) - sub(b.r) || a.i - b.i)
    .map(({ r }) => r);
}

export async function runHealthMatrix(
  sources: KiciSources,
  signal: AbortSignal,
  opts: HealthCheckOptions = {}
): Promise<MatrixRow[]> {
  const httpMs = opts.httpDeadlineMs ?? sources.settings.httpTimeoutMs + HEALTH_MARGIN_MS;
  const late = (component: CheckRow['component'], target: string) => () =>
    row({ component, target, status: 'error', message: `no answer within ${httpMs} ms`, failure: 'timeout' });
  const seen = emptySeen();
  const cluster = Promise.all(
    sources.orchestrators.slice(0, MAX_HEALTH_ORCHESTRATORS).map((c) =>
      withDeadline(
        httpMs,
        signal,
        (s) => checkCluster(c, s, seen),
        () => [
          late('orchestrator /cluster/health', c.baseUrl)(),
          late('orchestrator /cluster/peers', c.baseUrl)(),
          late('orchestrator /cluster/runs', c.baseUrl)(),
        ]
      )
    )
  ).then((r) => r.flat());
  const [base, clusterRows, agentRows, platformRows] = await Promise.all([
    runHealthChecks(sources, signal, opts),
    cluster,
    checkAgents(sources, signal, httpMs),
    withDeadline(
      httpMs,
      signal,
      (s) => checkPlatformHealth(sources, s),
      () => [late('Platform /health', sources.platform?.baseUrl ?? '')()]
    ),
  ]);
  const rows = orderRows(
    [...base, ...clusterRows, ...agentRows, ...platformRows],
    sources.orchestrators.map((c) => c.baseUrl)
  );
  let remembered = namesByInstance.get(sources);
  if (!remembered) {
    remembered = new Map();
    namesByInstance.set(sources, remembered);
  }
  const names = orchestratorNames(
    sources.orchestrators.map((c) => c.baseUrl),
    seen,
    remembered
  );
  return rememberSuccess(sources, rows.map(withCommonIssueHint)).map((r) => ({
    ...r,
    instance: r.component.startsWith('orchestrator /') ? (names.get(r.target) ?? null) : null,
  }));
}
