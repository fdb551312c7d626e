// The whole local stack behind the host page, in one process: PostgreSQL (embedded, or a given superuser URL),
// one kici-sim per scenario (each in its own database), the real backend executable, and the bridge.
// Used by `npm run demo` (live mode) and by the Playwright web server (deterministic, no live mode).
import path from 'node:path';
import type { Writable } from 'node:stream';

import pg from 'pg';

import { createLive } from '../../../dev/kici-sim/live';
import { createKiciLogger, type KiciLogger } from '../../../dev/kici-sim/logs';
import { createRng } from '../../../dev/kici-sim/scenarios/common';
import { startSim, type Sim } from '../../../dev/kici-sim/sim';
import { startPlugin, type PluginProcess } from '../../../dev/testing/plugin-process';
import { startPostgres } from '../../../dev/testing/postgres';
import { LOKI_TYPE, LokiStore } from './loki';
import { readProvisioning } from './provisioning';
import { APP_ID, type Bridge, DATASOURCE_TYPE, type HostDatasource, startBridge } from './server';
import type { HostRole } from './session';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

/** The read-only role the plugin is meant to use (dev/postgres/01-kici-reader.sql, as in docker compose). */
const READER = { user: 'kici_reader', password: 'kici_reader' };

export interface StackOptions {
  /** The first one is the provisioned `kici` datasource; the others get uid `kici-<scenario>`. */
  scenarios: string[];
  /** A superuser URL to create the databases in; default: a private embedded PostgreSQL. */
  pgUrl?: string;
  live?: { ratePerSec: number };
  port?: number;
  defaultRole?: HostRole;
  /** Sim log lines (KiCI's JSON) go here when given. */
  simLogOut?: NodeJS.WritableStream;
  log?: (line: string) => void;
  /** Databases are `<prefix>_<scenario>`, dropped and re-created on start (default `kici_host`). */
  databasePrefix?: string;
  /**
   * Scenarios that get a burst of live-mode traffic (webhooks, dispatches, agent lines) right after seeding, so the
   * Loki stand-in holds requestIds that cross tiers even without --live. Their database then differs from the seed.
   */
  traffic?: string[];
  /** The host page bundle to serve (build.mjs --outdir); default tests/host/dist. */
  hostBuild?: string;
}

export interface ScenarioState {
  uid: string;
  name: string;
  scenario: string;
  nodes: Array<{ instanceId: string; url: string; fault: string }>;
  agents: Array<{ agentId: string; url: string }>;
  platformUrl: string | null;
  controlUrl: string;
}

export interface Stack {
  url: string;
  bridge: Bridge;
  plugin: PluginProcess;
  sims: Array<{ uid: string; sim: Sim }>;
  /** Every sim's log lines, as the Loki stand-in (datasource uid from provisioning, `loki`) serves them. */
  logs: LokiStore;
  state(): { scenarios: ScenarioState[] };
  stop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function createDatabase(superUrl: string, database: string): Promise<string> {
  const admin = new pg.Client({ connectionString: superUrl });
  await admin.connect();
  try {
    // Identifiers cannot be parameters; `database` is built from [a-z0-9_] only.
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${database}"`);
    await admin.query(`DO $$ BEGIN CREATE ROLE ${READER.user} LOGIN PASSWORD '${READER.password}';
      EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
  } finally {
    await admin.end();
  }
  return withDatabase(superUrl, database);
}

async function grantReader(dbUrl: string, database: string): Promise<void> {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  try {
    await c.query(`GRANT CONNECT ON DATABASE "${database}" TO ${READER.user}`);
    await c.query(`GRANT USAGE ON SCHEMA public TO ${READER.user}`);
    await c.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${READER.user}`);
    // The DLQ redrive's own state (README, "DLQ redrive"); KiCI's tables stay SELECT-only.
    await c.query(`CREATE SCHEMA IF NOT EXISTS kici_grafana AUTHORIZATION ${READER.user}`);
  } finally {
    await c.end();
  }
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const log = opts.log ?? (() => undefined);
  const cleanup: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const fn of cleanup.reverse()) {
      await fn().catch((err: Error) => log(`stop: ${err.message}`));
    }
  };
  try {
    let superUrl = opts.pgUrl;
    if (!superUrl) {
      const t = Date.now();
      const pgServer = await startPostgres();
      cleanup.push(pgServer.stop);
      superUrl = pgServer.url;
      log(`embedded PostgreSQL ready in ${Date.now() - t} ms`);
    }
    const su = new URL(superUrl);
    const sims: Array<{ uid: string; sim: Sim }> = [];
    const datasources: HostDatasource[] = [];
    let appJsonData: Record<string, unknown> = {};
    const logs = new LokiStore();
    let loki: HostDatasource | undefined;

    for (const [i, scenario] of opts.scenarios.entries()) {
      const database = `${opts.databasePrefix ?? 'kici_host'}_${scenario.replace(/[^a-z0-9]/gi, '_').toLowerCase()}`;
      const dbUrl = await createDatabase(superUrl, database);
      // One kici-sim file per scenario, as Alloy would tail it: `instance` is the file's name.
      const source = { env: 'host', instance: `kici-sim-${scenario}` };
      const logOut = logs.writable(source, opts.simLogOut);
      const sim = await startSim({ scenario, pgUrl: dbUrl, live: opts.live, logOut });
      cleanup.push(() => sim.stop());
      if (opts.traffic?.includes(scenario)) {
        log(`kici-sim ${scenario} traffic: ${(await traffic(sim, logOut)).join(', ')}`);
      }
      await grantReader(dbUrl, database);

      // The same provisioning files Grafana reads, interpolated from the environment this stack sets.
      const prov = readProvisioning(path.join(REPO_ROOT, 'provisioning'), {
        ...process.env,
        KICI_PG_HOST: su.hostname,
        KICI_PG_DATABASE: database,
        KICI_PG_USER: READER.user,
        KICI_PG_PASSWORD: READER.password,
        KICI_ADMIN_TOKEN: sim.tokens.admin,
      });
      const app = prov.apps.find((a) => a.type === APP_ID);
      if (!app) {
        throw new Error(`provisioning/plugins has no ${APP_ID} app`);
      }
      appJsonData = app.jsonData ?? {};
      const base =
        prov.datasources.find((d) => d.uid === appJsonData.kiciDatasourceUid) ??
        prov.datasources.find((d) => d.type === DATASOURCE_TYPE);
      if (!base) {
        throw new Error(`provisioning/datasources has no ${DATASOURCE_TYPE} datasource`);
      }
      const uid = i === 0 ? base.uid : `${base.uid}-${scenario}`;
      // What the YAML cannot know here: the random ports and the docker hostnames it names.
      const jsonData: Record<string, unknown> = {
        ...base.jsonData,
        pgPort: Number(su.port),
        orchestratorUrls: sim.nodes.map((n) => n.url),
      };
      const secureJsonData: Record<string, string> = { ...base.secureJsonData };
      if (sim.spec.platform && sim.platformUrl) {
        jsonData.platformUrl = sim.platformUrl;
        jsonData.platformOrg = sim.spec.platform.org;
        secureJsonData.platformToken = sim.spec.platform.token;
      }
      datasources.push({
        id: i + 1,
        uid,
        name: i === 0 ? base.name : `${base.name} (${scenario})`,
        type: base.type,
        jsonData,
        secureJsonData,
      });
      sims.push({ uid, sim });
      if (jsonData.platformUrl) {
        // The same cluster as a self-hosted install sees it (no Platform): the database and the orchestrators are the
        // only sources, so e.g. the infrastructure tree lists a coordinator the Platform no longer knows.
        const { platformUrl: _u, platformOrg: _o, ...selfHosted } = jsonData;
        const { platformToken: _t, ...selfHostedSecure } = secureJsonData;
        datasources.push({
          id: 50 + i,
          uid: `${uid}-self-hosted`,
          name: `${i === 0 ? base.name : `${base.name} (${scenario})`} self-hosted`,
          type: base.type,
          jsonData: selfHosted,
          secureJsonData: selfHostedSecure,
        });
      }
      if (i === 0) {
        // A datasource whose every query fails, as an operator meets it after a password rotation: the database
        // refuses the password and the orchestrator URL answers nothing (a closed loopback port).
        const { platformUrl: _pu, platformOrg: _po, ...failing } = jsonData;
        const { platformToken: _pt, ...failingSecure } = secureJsonData;
        datasources.push({
          id: 90,
          uid: `${uid}-failing`,
          name: `${base.name} failing`,
          type: base.type,
          jsonData: { ...failing, orchestratorUrls: ['http://127.0.0.1:9'] },
          secureJsonData: { ...failingSecure, pgPassword: 'not-the-password' },
        });
      }
      const lokiProv = prov.datasources.find((d) => d.type === LOKI_TYPE);
      if (lokiProv && !loki) {
        loki = {
          id: 100,
          uid: lokiProv.uid,
          name: lokiProv.name,
          type: LOKI_TYPE,
          jsonData: lokiProv.jsonData ?? {},
          secureJsonData: {},
        };
      }
      log(`kici-sim ${scenario} on ${sim.nodes.map((n) => n.url).join(', ')} (datasource ${uid})`);
    }

    if (loki) {
      datasources.push(loki);
    }
    // The host serves no Prometheus: the app runs as configured without one (as in a Grafana that has none), rather
    // than querying a datasource that does not exist here.
    for (const key of Object.keys(appJsonData)) {
      const uid = appJsonData[key];
      if (key !== 'kiciDatasourceUid' && key.endsWith('DatasourceUid') && !datasources.some((d) => d.uid === uid)) {
        log(`app setting ${key}=${String(uid)} dropped: the host serves no such datasource`);
        appJsonData = { ...appJsonData, [key]: undefined };
      }
    }

    const plugin = await startPlugin();
    cleanup.push(() => plugin.stop());
    log(`backend executable pid ${plugin.pid} (${plugin.handshake.line})`);

    const state = () => ({
      scenarios: sims.map(({ uid, sim }): ScenarioState => ({
        uid,
        name: datasources.find((d) => d.uid === uid)!.name,
        scenario: sim.spec.name,
        nodes: sim.nodes.map((n) => ({ ...n, fault: sim.faultOf(n.instanceId).mode })),
        agents: sim.agents,
        platformUrl: sim.platformUrl,
        controlUrl: sim.controlUrl,
      })),
    });
    const bridge = await startBridge({
      repoRoot: REPO_ROOT,
      plugin,
      datasources,
      appJsonData,
      defaultRole: opts.defaultRole,
      hostBuild: opts.hostBuild,
      port: opts.port,
      state,
      logs,
      log,
    });
    cleanup.push(() => bridge.close());
    return { url: bridge.url, bridge, plugin, sims, logs, state, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * kici-sim's live mode stepped by hand (seeded, no timer) until two webhooks were dispatched to agents: the run's
 * orchestrator lines, the agent's lines and the forwarded agent line all carry one requestId.
 */
async function traffic(sim: Sim, out: Writable, maxSteps = 80): Promise<string[]> {
  const orchestrators = new Map<string, KiciLogger>();
  const agent = createKiciLogger({ service: 'agent', out });
  const live = createLive({
    pool: sim.pool,
    store: sim.store,
    spec: sim.spec,
    rng: createRng(7),
    ratePerSec: 1,
    log: (service, instanceId = sim.spec.nodes[0].instanceId) => {
      if (service === 'agent') {
        return agent;
      }
      let l = orchestrators.get(instanceId);
      if (!l) {
        l = createKiciLogger({ service: 'orchestrator', instance: instanceId, out });
        orchestrators.set(instanceId, l);
      }
      return l;
    },
  });
  const steps: string[] = [];
  while (steps.filter((s) => s === 'webhook').length < 2 && steps.length < maxSteps) {
    steps.push(await live.step());
  }
  await live.stop();
  if (!steps.includes('webhook')) {
    throw new Error(`no webhook reached an agent in ${maxSteps} live steps: ${[...new Set(steps)].join(', ')}`);
  }
  return steps;
}
