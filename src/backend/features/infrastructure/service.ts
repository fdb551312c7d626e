// One Infrastructure service per datasource instance: builds the model from the Platform or the
// self-hosted sources, and shares it — a short cache plus single flight, so ten open browsers
// refreshing every 10 s cost one fan-out.
import type { Infrastructure, InfrastructureAlert } from '../../../datasource/infrastructure/model';
import { errorMessage, KiciSourceError } from '../../kici/errors';
import type { KiciSources } from '../../kici/sources';
import { shareRun } from '../single-flight';
import { readClusterDb, type ClusterDb } from './cluster-db';
import { createLatestVersionResolver, type LatestVersionResolver } from './latest-version';
import { withConfiguredOrchestrators } from './merge';
import { fromPlatform, fromSelfHosted } from './normalize';
import { probeAgents, probeOrchestrator, topologyHostname, type AgentTarget, type NodeProbe } from './probes';
import type { InfrastructureSettings } from './settings';

/** Hostnames come only from each node's (large) fleet topology; with the database at hand it is re-read this often. */
export const HOSTNAME_REFRESH_MS = 5 * 60_000;

export interface InfrastructureServiceOptions {
  now?: () => number;
}

export class InfrastructureService {
  private cached: { at: number; value: Infrastructure } | null = null;
  private readonly knownUrls = new Map<string, string>();
  private readonly hostnames = new Map<string, { at: number; hostname: string }>();
  private readonly latest: LatestVersionResolver;
  private readonly ttlMs: number;
  private readonly now: () => number;
  /** How many fan-outs ran (for tests and metrics). */
  builds = 0;

  constructor(
    private readonly sources: KiciSources,
    readonly settings: InfrastructureSettings,
    opts: InfrastructureServiceOptions = {}
  ) {
    this.ttlMs = settings.cacheMs;
    this.now = opts.now ?? Date.now;
    this.latest = createLatestVersionResolver(settings, { timeoutMs: sources.settings.httpTimeoutMs, now: this.now });
  }

  /**
   * The cached model when fresh, else the running build, else a new one. The caller's signal only stops its wait: a
   * build nobody waits for any more still finishes and fills the cache for the next caller.
   */
  snapshot(signal: AbortSignal): Promise<Infrastructure> {
    if (this.cached && this.now() - this.cached.at < this.ttlMs) {
      return Promise.resolve(this.cached.value);
    }
    return shareRun(
      this,
      'build',
      signal,
      async () => {
        const value = await this.build();
        this.cached = { at: this.now(), value };
        return value;
      },
      { keepRunning: true }
    );
  }

  private async build(): Promise<Infrastructure> {
    this.builds++;
    const { platform, db, orchestrators } = this.sources;
    if (!platform && !db && orchestrators.length === 0) {
      throw new KiciSourceError(
        'the infrastructure tree needs KiCI Platform, the orchestrator database or at least one orchestrator URL',
        {
          source: 'orchestrator',
          failure: 'not-configured',
          target: '',
          hint: 'set platformUrl/platformOrg/platformToken, or pgHost/pgDatabase/pgUser and orchestratorUrls',
        }
      );
    }
    if (!platform) {
      return this.buildSelfHosted([]);
    }
    if (!db && orchestrators.length === 0) {
      const r = await platform.infrastructure();
      return fromPlatform(r.data, await this.latest.resolve(r.data.latestVersion ?? null), this.now());
    }
    // The fallback is built while the Platform is asked, so a Platform that never answers costs one timeout, not
    // its timeout followed by the self-hosted probes' (when the Platform answers, only the probes of the configured
    // orchestrator URLs are kept: withConfiguredOrchestrators).
    const fallback = this.buildSelfHosted([]);
    fallback.catch(() => undefined);
    let fromPlatformModel: Infrastructure;
    try {
      const r = await platform.infrastructure();
      const latest = await this.latest.resolve(r.data.latestVersion ?? null);
      fromPlatformModel = fromPlatform(r.data, latest, this.now());
    } catch (err) {
      const model = await fallback;
      const alert: InfrastructureAlert = {
        type: 'platform_unavailable',
        message: `KiCI Platform could not be read (${errorMessage(err)}); showing what the database and orchestrators report`,
        severity: 'warning',
      };
      return { ...model, alerts: [alert, ...model.alerts] };
    }
    if (orchestrators.length === 0) {
      return fromPlatformModel;
    }
    // The configured URLs were probed meanwhile: their names and URLs join, and one the Platform does not list shows.
    const probed = await fallback.catch(() => null);
    return probed ? withConfiguredOrchestrators(fromPlatformModel, probed) : fromPlatformModel;
  }

  private async buildSelfHosted(alerts: InfrastructureAlert[]): Promise<Infrastructure> {
    const { db, schema, orchestrators, settings } = this.sources;
    const readDb = async (): Promise<{ db: ClusterDb | null; error: string | null }> => {
      if (!db || !schema) {
        return { db: null, error: null };
      }
      try {
        return { db: await readClusterDb(db, await schema()), error: null };
      } catch (err) {
        return { db: null, error: errorMessage(err) };
      }
    };
    const [dbResult, probes, latest] = await Promise.all([
      readDb(),
      Promise.all(
        orchestrators.map((c) => {
          // Without the database the topology is also the agent list: read it every time.
          const known = db ? this.hostnames.get(c.baseUrl) : undefined;
          const fresh = known !== undefined && this.now() - known.at < HOSTNAME_REFRESH_MS;
          return probeOrchestrator(c, { topology: !fresh, cachedHostname: known?.hostname });
        })
      ),
      this.latest.resolve(undefined),
    ]);

    let agentHealth = null;
    const port = this.settings.agentHealthPort;
    if (port !== null) {
      agentHealth = await probeAgents(agentTargets(dbResult.db, probes), port, settings.httpTimeoutMs);
    }

    const result = fromSelfHosted({
      nowMs: this.now(),
      probes,
      db: dbResult.db,
      dbError: dbResult.error,
      agentHealth,
      knownUrls: this.knownUrls,
      latest,
      alerts,
    });
    for (const o of result.orchestrators) {
      if (o.url && o.instanceId && o.reachable) {
        this.knownUrls.set(o.url, o.instanceId);
      }
    }
    for (const p of probes) {
      const own = topologyHostname(p);
      if (own && this.knownUrls.get(p.url) === own.instanceId) {
        this.hostnames.set(p.url, { at: this.now(), hostname: own.hostname });
      }
    }
    return result;
  }
}

/** Agents to probe: connected roster rows with a hostname, else the agents the fleet topology lists. */
export function agentTargets(db: ClusterDb | null, probes: NodeProbe[]): AgentTarget[] {
  if (db) {
    return db.roster.filter((r) => r.fresh && r.hostname).map((r) => ({ agentId: r.agentId, hostname: r.hostname! }));
  }
  const seen = new Map<string, AgentTarget>();
  for (const p of probes) {
    if (!p.topology?.ok) {
      continue;
    }
    for (const n of p.topology.value.nodes) {
      const host = Object.keys(n.labels).find((l) => l.startsWith('kici:host:'));
      if (n.kind === 'agent' && host && !seen.has(n.id)) {
        seen.set(n.id, { agentId: n.id, hostname: host.slice('kici:host:'.length) });
      }
    }
  }
  return [...seen.values()];
}
