// The zod schemas against real KiCI 0.9.1 responses (copied from the shared samples) and, for the
// Platform, the DTO examples of contract §3.2 (no Platform samples exist).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';

import { backendsListSchema } from './backends';
import { clusterHealthSchema, clusterPeersSchema, diagnoseSchema, fleetTopologySchema } from './cluster';
import { describeZodError } from './common';
import { dlqCountSchema, dlqDiscardSchema, dlqListSchema, dlqRetrySchema } from './dlq';
import { agentHealthSchema, capabilitiesSchema, orchestratorHealthSchema, readySchema } from './health';
import { platformInfrastructureSchema, platformSummarySchema } from './platform';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, '__fixtures__', name), 'utf8'));

const cases: Array<[string, z.ZodType]> = [
  ['health.json', orchestratorHealthSchema],
  ['ready.json', readySchema],
  ['capabilities.json', capabilitiesSchema],
  ['cluster-health.json', clusterHealthSchema],
  ['cluster-health.follower.json', clusterHealthSchema],
  ['cluster-peers.json', clusterPeersSchema],
  ['admin-diagnose.json', diagnoseSchema],
  ['admin-fleet-topology.json', fleetTopologySchema],
  ['admin-event-dlq.json', dlqListSchema],
  ['admin-event-dlq.page1.json', dlqListSchema],
  ['admin-event-dlq-count.json', dlqCountSchema],
  ['admin-event-dlq-retry.json', dlqRetrySchema],
  ['admin-event-dlq-discard.json', dlqDiscardSchema],
  ['admin-backends.json', backendsListSchema],
  ['agent1.health.json', agentHealthSchema],
  ['platform-summary.json', platformSummarySchema],
  ['platform-infrastructure.json', platformInfrastructureSchema],
];

describe('KiCI response schemas', () => {
  it.each(cases)('%s parses', (name, schema) => {
    const r = schema.safeParse(fixture(name));
    expect(r.success ? 'ok' : describeZodError(r.error)).toBe('ok');
  });

  it('keeps the values of the real samples', () => {
    const health = orchestratorHealthSchema.parse(fixture('health.json'));
    expect(health.version).toBe('0.9.1');
    const dlq = dlqListSchema.parse(fixture('admin-event-dlq.json'));
    expect(dlq.events.map((e) => e.eventName)).toEqual(['demo.dlq-discard-me', 'demo.dlq-retry-me']);
    expect(dlq.events[0].attempts).toBe(5);
    expect(dlqListSchema.parse(fixture('admin-event-dlq.page1.json')).nextCursor).toBe('2026-11-24T06:35:18.398Z');
    const peers = clusterPeersSchema.parse(fixture('cluster-peers.json'));
    expect(peers.peers[0]).toMatchObject({ instanceId: 'orch-b', role: 'coordinator', scalerCapacity: null });
  });

  it('names the field that does not match', () => {
    const bad = { ...(fixture('cluster-health.json') as object), term: 'six' };
    const r = clusterHealthSchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(describeZodError(r.error!)).toMatch(/^term: .*expected number/);

    const dlq = fixture('admin-event-dlq.json') as { events: Array<Record<string, unknown>> };
    delete dlq.events[1].dlqAt;
    const r2 = dlqListSchema.safeParse(dlq);
    expect(describeZodError(r2.error!)).toMatch(/^events\[1\]\.dlqAt: /);
  });

  it('accepts a not-ready answer and refuses an unknown readiness status', () => {
    expect(readySchema.parse({ status: 'not ready', checks: { database: false } }).checks.database).toBe(false);
    expect(readySchema.safeParse({ status: 'maybe', checks: {} }).success).toBe(false);
  });
});
