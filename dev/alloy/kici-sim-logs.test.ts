// What config.alloy (and the app's Traces page) assume about the log file kici-sim writes in the docker-compose stack,
// checked on a real live run: cluster-3 with `logFile`, stepped deterministically, the file read back.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startSim, type Sim } from '../kici-sim/sim';
import { createTestDatabase, type TestDatabase } from '../testing/postgres';

jest.setTimeout(120_000);

type Line = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// What Go's time.Parse(time.RFC3339, …) accepts for winston's ISO timestamps (Alloy's stage.timestamp).
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

let db: TestDatabase;
let sim: Sim;
let dir: string;
let lines: Line[];

beforeAll(async () => {
  db = await createTestDatabase('alloy_logs');
  dir = mkdtempSync(path.join(tmpdir(), 'kici-sim-logs-'));
  const logFile = path.join(dir, 'kici-sim.log');
  // A rate this low never fires during the test: only the manual steps below move the cluster.
  sim = await startSim({ scenario: 'cluster-3', pgUrl: db.url, live: { ratePerSec: 0.001 }, logFile });
  for (let i = 0; i < 120; i++) {
    await sim.live!.step();
  }
  await sim.stop();
  lines = readFileSync(logFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);
});

afterAll(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const withValue = (field: string, value: unknown) => lines.filter((l) => l[field] === value);

test('every line is winston JSON with an RFC 3339 timestamp and a KiCI tier as service', () => {
  expect(lines.length).toBeGreaterThan(100);
  for (const line of lines) {
    expect(typeof line.message).toBe('string');
    expect(String(line.timestamp)).toMatch(RFC3339);
    expect(['orchestrator', 'agent']).toContain(line.service);
  }
});

test("only forwarded agent lines carry logsSource (Alloy's cue for the orchestrator stream)", () => {
  const forwarded = lines.filter((l) => 'logsSource' in l);
  expect(forwarded.length).toBeGreaterThan(0);
  for (const line of forwarded) {
    expect(line).toMatchObject({ service: 'agent', agentId: expect.any(String) });
  }
  const ownAgentLines = lines.filter((l) => l.service === 'agent' && !('logsSource' in l));
  expect(ownAgentLines.length).toBeGreaterThan(0);
});

// KiCI 0.9.1 logs a generic webhook's deliveryId as `<routing_key>:<uuid>` (contract §9); a relayed GitHub delivery's is
// the bare X-GitHub-Delivery UUID.
const GENERIC_DELIVERY_ID = new RegExp(`^generic:.+:${UUID.source.replace(/^\^/, '')}`);

test('the trace fields shipped as structured metadata are plain strings, the ids UUIDs or generic delivery ids', () => {
  for (const field of ['requestId', 'runId', 'eventId', 'deliveryId']) {
    const carrying = lines.filter((l) => field in l);
    expect([field, carrying.length > 0]).toEqual([field, true]);
    for (const line of carrying) {
      const value = String(line[field]);
      const shape = field === 'deliveryId' && value.startsWith('generic:') ? GENERIC_DELIVERY_ID : UUID;
      expect([field, value]).toEqual([field, expect.stringMatching(shape)]);
    }
  }
  expect(lines.some((l) => String(l.deliveryId ?? '').startsWith('generic:'))).toBe(true);
  expect(lines.filter((l) => 'jobId' in l).every((l) => typeof l.jobId === 'string')).toBe(true);
  expect(lines.filter((l) => 'routingKey' in l).every((l) => /^(github|generic):/.test(String(l.routingKey)))).toBe(
    true
  );
});

test('one requestId joins ingress, dispatch and the agent across tiers; its delivery lines carry it too', () => {
  const ingress = lines.find(
    (l) =>
      (l.message === 'Webhook relay stream started' || l.message === 'Generic webhook accepted') &&
      withValue('requestId', l.requestId).some((x) => x.message === 'Job dispatched')
  )!;
  expect(ingress).toBeDefined();
  const trace = withValue('requestId', ingress.requestId);
  const messages = trace.map((l) => l.message);
  expect(messages).toContain('Webhook processed');
  expect(messages).toContain('Job dispatched');
  const runId = trace.find((l) => l.message === 'Job dispatched')!.runId;
  expect(messages).toContain(`Run: ${runId} | Trace: ${ingress.requestId}`);
  expect(new Set(trace.map((l) => l.service))).toEqual(new Set(['orchestrator', 'agent']));
  // Searching the delivery id finds lines that name the requestId to follow.
  expect(withValue('deliveryId', ingress.deliveryId).every((l) => l.requestId === ingress.requestId)).toBe(true);
});
