// Property: whatever URL-ish or secret settings a datasource carries, no answer shows a credential back. Over
// 10,000 generated settings (fixed fast-check seed, printed) with secret-looking parts planted in URL userinfo,
// query strings and fragments, pgHost, tokens (some with CR/LF) and the PostgreSQL password: no health message,
// no query frame or error, no resource body (for a Viewer, an Editor and an Admin) and no log line contains them.
//
// Runs a datasource instance in-process with the hclog logger writing into memory (the lines the executable puts
// on stderr). Every host it can reach is loopback: a closed port, a listener that refuses every token, or the
// test PostgreSQL with a wrong password.
import fc from 'fast-check';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { quietPort } from '../../dev/testing/ports';
import { KiciDatasource } from '../../src/backend/datasource';
import { toPluginError } from '../../src/backend/features/errors';
import { createLogger } from '../../src/backend/protocol/logger';
import type { GrafanaRole, RequestContext } from '../../src/backend/protocol/types';
import { datasourceSettings } from '../../src/backend/protocol/testing';

// 10,000 settings take about 2 minutes on an idle 2-core machine (each waits for refused connections and the
// HTTP client's retry); leave room for a loaded one.
jest.setTimeout(1_800_000);

const SEED = 14_002;
const RUNS = Number(process.env.KICI_SECRETS_RUNS ?? 10_000);
const ROLES: GrafanaRole[] = ['Viewer', 'Editor', 'Admin'];
const QUERY_TYPES = ['health', 'dlqDepth', 'infrastructure', 'secretBackends'] as const;
// `GET health` answers CheckHealth's rows (checked above); the matrix is what a Viewer reads on the Overview.
const RESOURCES = ['health/matrix', 'infrastructure', 'secret-backends'];

let closedPort: number;
let refusing: http.Server;
let refusingUrl: string;
let pgUrl: URL;

beforeAll(async () => {
  closedPort = await quietPort();
  refusing = http.createServer((_req, res) => {
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
  });
  await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
  refusingUrl = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
  pgUrl = new URL(process.env.KICI_TEST_PG_URL!);
});
afterAll(async () => {
  await new Promise((resolve) => refusing?.close(resolve));
});

// A secret that cannot occur in any message by chance: alternating case letters, 12 of them.
const secretArb = fc
  .array(fc.constantFrom(...'BCDFGHJKLMNPQRSTVWXZ'), { minLength: 12, maxLength: 12 })
  .map((cs) => cs.map((c, i) => (i % 2 ? c.toLowerCase() : c)).join(''));
// Separators a password may hold, which break naive URL parsing.
const sepArb = fc.constantFrom('', '', '/', '?', '#', ':', '%2F', '@', ' ');

type Host = 'closed' | 'refusing';
// Mostly a listener that answers 401 at once; a closed port (refused, then retried once) now and then.
const hostArb = fc.constantFrom<Host>('closed', 'refusing', 'refusing', 'refusing');

interface Planted {
  secrets: string[];
  jsonData: Record<string, unknown>;
  secure: Record<string, string>;
}

/** A URL-ish value carrying `s` in its userinfo, query or fragment, parsable or not, or a clean loopback URL. */
interface PlantedUrl {
  value: () => string;
  /** The parts of the secret that must never show (its halves: a separator may split it). */
  halves?: string[];
}

function urlArb(): fc.Arbitrary<PlantedUrl> {
  return fc.oneof(
    hostArb.map((h): PlantedUrl => ({ value: () => hostUrl(h) })),
    fc
      .tuple(
        secretArb,
        sepArb,
        fc.constantFrom('http', 'https', 'ftp', 'htp', 'file', 'HTTP'),
        fc.constantFrom('userinfo', 'password', 'query', 'fragment', 'unparsable', 'no-scheme', 'one-slash'),
        hostArb
      )
      .map(([s, sep, scheme, where, h]): PlantedUrl => {
        const pw = `${s.slice(0, 6)}${sep}${s.slice(6)}`;
        return {
          halves: [s.slice(0, 6), s.slice(6)],
          value: () => {
            const host = hostUrl(h).replace(/^http:\/\//, '');
            switch (where) {
              case 'userinfo':
                return `${scheme}://${pw}@${host}`;
              case 'password':
                return `${scheme}://kici:${pw}@${host}/base`;
              case 'query':
                return `${scheme}://${host}/?token=${pw}`;
              case 'fragment':
                return `${scheme}://${host}/#${pw}`;
              case 'unparsable':
                return `${scheme}://user:${pw}@127.0.0.1:999999`;
              case 'no-scheme':
                return `user:${pw}@${host}`;
              default:
                return `${scheme}:/user:${pw}@${host}?k=${pw}`;
            }
          },
        };
      })
  );
}

function hostUrl(h: Host): string {
  return h === 'closed' ? `http://127.0.0.1:${closedPort}` : refusingUrl;
}

const tokenArb = fc.oneof(
  secretArb.map((s) => ({ token: s, secret: s })),
  fc.tuple(secretArb, fc.constantFrom('\r\n', '\n', '\r', '\u0000', '\r\nX-Evil: 1')).map(([s, bad]) => ({
    token: `${s.slice(0, 6)}${bad}${s.slice(6)}`,
    secret: s,
  }))
);

const plantedArb: fc.Arbitrary<() => Planted> = fc
  .record({
    urls: fc.array(urlArb(), { minLength: 0, maxLength: 3 }),
    platform: fc.option(urlArb(), { nil: undefined }),
    npm: fc.option(urlArb(), { nil: undefined }),
    pgHost: fc.oneof(
      fc.constant({ kind: 'db' as const }),
      fc.constant({ kind: 'closed' as const }),
      fc.tuple(secretArb, fc.constantFrom('user:', '', 'kici:')).map(([s, pre]) => ({ kind: 'cred' as const, s, pre }))
    ),
    pgPassword: secretArb,
    adminToken: fc.option(tokenArb, { nil: undefined }),
    platformToken: tokenArb,
  })
  .map((g) => () => {
    const secrets: string[] = [g.pgPassword, g.platformToken.secret];
    const add = (u: PlantedUrl | undefined) => secrets.push(...(u?.halves ?? []));
    g.urls.forEach(add);
    add(g.platform);
    add(g.npm);
    const jsonData: Record<string, unknown> = {
      pgDatabase: pgUrl.pathname.slice(1),
      pgUser: pgUrl.username,
      pgPort: g.pgHost.kind === 'db' ? Number(pgUrl.port) : closedPort,
      pgHost: g.pgHost.kind === 'cred' ? `${g.pgHost.pre}${g.pgHost.s}@127.0.0.1` : '127.0.0.1',
      orchestratorUrls: g.urls.map((u) => u.value()),
      httpTimeoutMs: 1000,
      latestVersionSource: 'none',
    };
    if (g.pgHost.kind === 'cred') {
      secrets.push(g.pgHost.s);
    }
    if (g.platform) {
      jsonData.platformUrl = g.platform.value();
      jsonData.platformOrg = 'acme';
    }
    if (g.npm) {
      jsonData.npmRegistryUrl = g.npm.value();
      // Only a clean (loopback) registry is ever fetched: a rejected one falls back to the public default.
      jsonData.latestVersionSource = g.npm.halves ? 'none' : 'npm';
    }
    const secure: Record<string, string> = { pgPassword: g.pgPassword, platformToken: g.platformToken.token };
    if (g.adminToken) {
      secure.adminToken = g.adminToken.token;
      secrets.push(g.adminToken.secret);
    }
    return { secrets, jsonData, secure };
  });

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

it(`no answer or log line shows a planted credential, over ${RUNS} generated settings and every role`, async () => {
  const inputs = fc.sample(plantedArb, { seed: SEED, numRuns: RUNS });
  console.log(`secrets property: fast-check seed ${SEED}, ${inputs.length} settings`);
  const leaks: Array<{ secret: string; where: string; jsonData: unknown }> = [];
  const counts = { settings: 0, health: 0, queries: 0, resources: 0, logLines: 0 };
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const i = next++;
      const p = inputs[i]();
      const lines: string[] = [];
      const log = createLogger({ level: 'debug', write: (l) => lines.push(l) });
      const ds = new KiciDatasource(
        datasourceSettings(p.jsonData, p.secure, { uid: `secrets-${i}`, lastUpdatedMS: i }),
        log.with({ datasourceUid: `secrets-${i}` })
      );
      const seen: Array<[string, string]> = [];
      try {
        const ctx = (role: GrafanaRole): RequestContext => ({
          plugin: {
            orgId: 1,
            pluginId: 'kici-ops-datasource',
            pluginVersion: '0.1.0',
            user: { login: role.toLowerCase(), name: role, email: '', role },
            grafanaConfig: {},
            userAgent: 'secrets-property',
          },
          log,
          signal: new AbortController().signal,
        });
        const h = await ds.checkHealth(ctx('Viewer'));
        counts.health++;
        seen.push(['CheckHealth', json(h)]);
        const role = ROLES[i % ROLES.length];
        for (const queryType of QUERY_TYPES) {
          const q = {
            refId: 'A',
            queryType,
            maxDataPoints: 100,
            intervalMs: 1000,
            timeRange: { from: Date.now() - 3_600_000, to: Date.now() },
            json: { refId: 'A', queryType },
          };
          try {
            seen.push([`query ${queryType}`, json(await ds.query(q, ctx(role)))]);
          } catch (err) {
            seen.push([`query ${queryType} error`, toPluginError(err).message]);
          }
          counts.queries++;
        }
        // Each settings value is read by one role (they take turns), so every role reads a third of them.
        {
          const r = role;
          for (const path of RESOURCES) {
            const res = await ds.callResource(
              { method: 'GET', path, url: path, query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0) },
              ctx(r)
            );
            counts.resources++;
            seen.push([`${r} GET ${path}`, json(res.body)]);
          }
        }
      } finally {
        await ds.dispose();
      }
      counts.settings++;
      counts.logLines += lines.length;
      for (const l of lines) {
        seen.push(['log', l]);
      }
      for (const secret of p.secrets) {
        for (const [where, text] of seen) {
          if (text.includes(secret)) {
            const at = text.indexOf(secret);
            leaks.push({
              secret,
              where: `${where}: …${text.slice(Math.max(0, at - 150), at + 50)}…`,
              jsonData: p.jsonData,
            });
          }
        }
      }
    }
  };
  await Promise.all(Array.from({ length: 128 }, worker));
  console.log(`secrets property: ${JSON.stringify(counts)} in ${Math.round(performance.now() - t0)} ms`);
  expect(leaks.slice(0, 3)).toEqual([]);
  expect(counts.settings).toBe(RUNS);
});
