// The self-hosted fan-out: every configured orchestrator's unauthenticated views (and the Bearer
// fleet topology), and optionally each connected agent's own /health. Every call is bounded by the
// client's per-request timeout, and nothing here throws: a failure is kept next to the node it concerns.
import { errorMessage } from '../../kici/errors';
import { HttpSource } from '../../kici/http';
import type { OrchestratorClient } from '../../kici/orchestrator';
import type { ClusterHealth, ClusterPeers, Diagnose, FleetTopology } from '../../kici/schemas/cluster';
import { agentHealthSchema, type OrchestratorHealth } from '../../kici/schemas/health';

export type Settled<T> = { ok: true; value: T } | { ok: false; error: string };

export async function settle<T>(p: Promise<{ data: T }>): Promise<Settled<T>> {
  try {
    return { ok: true, value: (await p).data };
  } catch (err) {
    return { ok: false, error: errorMessage(err) };
  }
}

export interface NodeProbe {
  url: string;
  health: Settled<OrchestratorHealth>;
  cluster: Settled<ClusterHealth>;
  peers: Settled<ClusterPeers>;
  diagnose: Settled<Diagnose>;
  /** null when not fetched: no admin token (`noToken`), or its hostname is still cached (`cachedHostname`). */
  topology: Settled<FleetTopology> | null;
  noToken: boolean;
  /** The node's hostname from an earlier topology, used when the topology is not fetched this time. */
  cachedHostname: string | null;
}

export interface ProbeOptions {
  /** Fetch /admin/fleet-topology (when an admin token is set); otherwise use `cachedHostname`. */
  topology: boolean;
  cachedHostname?: string | null;
  signal?: AbortSignal;
}

export async function probeOrchestrator(
  client: OrchestratorClient,
  opts: ProbeOptions = { topology: true }
): Promise<NodeProbe> {
  const { signal } = opts;
  const fetchTopology = client.hasAdminToken && opts.topology;
  const [health, cluster, peers, diagnose, topology] = await Promise.all([
    settle(client.health(signal)),
    settle(client.clusterHealth(signal)),
    settle(client.clusterPeers(signal)),
    settle(client.diagnose(signal)),
    fetchTopology ? settle(client.fleetTopology(signal)) : Promise.resolve(null),
  ]);
  return {
    url: client.baseUrl,
    health,
    cluster,
    peers,
    diagnose,
    topology,
    noToken: !client.hasAdminToken,
    cachedHostname: fetchTopology ? null : (opts.cachedHostname ?? null),
  };
}

/** The node's own hostname: the root of its fleet topology. */
export function topologyHostname(p: NodeProbe): { instanceId: string; hostname: string } | null {
  if (!p.topology?.ok) {
    return null;
  }
  const root = p.topology.value.nodes.find((n) => n.kind === 'orchestrator' && n.parentId === null);
  return root?.hostname ? { instanceId: root.id, hostname: root.hostname } : null;
}

export interface AgentTarget {
  agentId: string;
  hostname: string;
}

export const AGENT_PROBE_CONCURRENCY = 16;

export function agentBaseUrl(hostname: string, port: number): string {
  return `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${port}`;
}

/** Runs `fn` over `items` with at most `limit` in flight, keeping the input order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
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

/** The agent's running version from its own /health; an answer from a different agent id is refused. */
export async function probeAgent(
  target: AgentTarget,
  port: number,
  timeoutMs: number,
  signal?: AbortSignal
): Promise<Settled<{ version: string | null }>> {
  const http = new HttpSource({ source: 'orchestrator', baseUrl: agentBaseUrl(target.hostname, port), timeoutMs });
  const r = await settle(http.request({ method: 'GET', path: '/health', schema: agentHealthSchema, signal }));
  if (!r.ok) {
    return r;
  }
  if (r.value.agentId !== target.agentId) {
    return {
      ok: false,
      error: `${http.baseUrl} GET /health answered as agent ${r.value.agentId}, not ${target.agentId}: its version is not used`,
    };
  }
  return { ok: true, value: { version: r.value.version ?? null } };
}

export async function probeAgents(
  targets: AgentTarget[],
  port: number,
  timeoutMs: number,
  signal?: AbortSignal
): Promise<Map<string, Settled<{ version: string | null }>>> {
  const results = await mapLimit(targets, AGENT_PROBE_CONCURRENCY, (t) => probeAgent(t, port, timeoutMs, signal));
  return new Map(targets.map((t, i) => [t.agentId, results[i]]));
}
