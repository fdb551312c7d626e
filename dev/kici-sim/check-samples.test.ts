import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSamples, compareMetrics, compareShapes, planFor, shapeOf, type SampleEntry } from './check-samples';

const entry = (name: string, path: string, group = 'top'): SampleEntry => ({
  dir: '.',
  group,
  name,
  status: 200,
  path,
  contentType: 'application/json',
});

describe('shape comparison', () => {
  it('accepts the same keys and types, with null compatible with anything', () => {
    const sample = shapeOf({ status: 'unhealthy', leaderId: null, term: 6, peers: [] });
    const sim = shapeOf({ status: 'healthy', leaderId: 'orch-a', term: 14, peers: [{ instanceId: 'orch-b' }] });
    expect(compareShapes(sample, sim)).toEqual([]);
  });

  it('reports missing keys, extra keys and type changes with their path', () => {
    const sample = shapeOf({ events: [{ id: 'x', attempts: 5 }], limit: 50 });
    const sim = shapeOf({ events: [{ id: 'x', attempts: '5', extra: true }] });
    expect(compareShapes(sample, sim).sort()).toEqual([
      '$.events[].attempts: sample is number, sim is string',
      '$.events[].extra: not in the sample',
      '$.limit: missing in the sim',
    ]);
  });

  it('merges array elements of different kinds (orchestrator and agent nodes)', () => {
    const nodes = {
      nodes: [
        { kind: 'orchestrator', id: 'a', hostname: 'h', labels: {} },
        { kind: 'agent', id: 'b', labels: { linux: '' } },
      ],
    };
    expect(
      compareShapes(shapeOf(nodes), shapeOf({ nodes: [{ kind: 'agent', id: 'c', labels: { gpu: '' } }] }))
    ).toEqual(['$.nodes[].hostname: missing in the sim']);
  });

  it('compares metric families by name and type', () => {
    const sample =
      '# TYPE kici_orch_event_dlq_depth gauge\nkici_orch_event_dlq_depth 0\n# TYPE kici_orch_event_dlq_total counter\n';
    expect(
      compareMetrics(
        sample,
        '# TYPE kici_orch_event_dlq_depth gauge\nkici_orch_event_dlq_depth 3\n# TYPE kici_orch_event_dlq_total counter\nkici_orch_event_dlq_total 1\n'
      )
    ).toEqual([]);
    expect(compareMetrics(sample, '# TYPE kici_orch_event_dlq_depth counter\nkici_orch_event_dlq_depth 3\n')).toEqual([
      'metric family kici_orch_event_dlq_depth: sample gauge, sim counter',
      'metric family kici_orch_event_dlq_total (counter) missing',
    ]);
    expect(compareMetrics(sample, 'not { metrics')[0]).toMatch(/does not parse/);
  });
});

describe('planFor', () => {
  it('maps sampled endpoints to a scenario, target, method and auth', () => {
    expect(planFor(entry('health', '/health'))).toEqual({
      scenario: 'healthy-single',
      target: { node: 'orch-a' },
      method: 'GET',
      path: '/health',
      auth: true,
    });
    expect(planFor(entry('orch-b.cluster-peers', '/cluster/peers', 'cluster'))).toMatchObject({
      scenario: 'cluster-3',
      target: { node: 'orch-b' },
    });
    expect(planFor(entry('agent1.ready', '/ready'))).toMatchObject({ target: { agent: 0 } });
    expect(planFor(entry('admin-event-dlq.noauth', '/api/v1/admin/event-dlq'))).toMatchObject({ auth: false });
    expect(
      planFor(entry('api-event-dlq-retry', '/api/v1/admin/event-dlq/0237da4d-4f05-41fc-bec7-c370e7d2bfbe/retry', 'dlq'))
    ).toMatchObject({ method: 'POST' });
    expect(
      planFor(entry('api-event-dlq-discard', '/api/v1/admin/event-dlq/0237da4d-4f05-41fc-bec7-c370e7d2bfbe', 'dlq'))
    ).toMatchObject({ method: 'DELETE' });
    expect(planFor(entry('admin-tokens', '/api/v1/admin/tokens'))).toBeNull();
  });
});

describe('checkSamples against a running sim', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kici-samples-'));
    const index = [
      'health\t200\t/health\tapplication/json\t-',
      'root\t404\t/\ttext/plain; charset=UTF-8\t-',
      'admin-event-dlq.noauth\t401\t/api/v1/admin/event-dlq\tapplication/json\t-',
      'drifted\t200\t/api/v1/capabilities\tapplication/json\t-',
      'admin-tokens\t200\t/api/v1/admin/tokens\tapplication/json\t-',
    ].join('\n');
    await writeFile(join(dir, 'INDEX.tsv'), index + '\n');
    await writeFile(
      join(dir, 'health.json'),
      JSON.stringify({
        status: 'ok',
        timestamp: 't',
        uptime: 1,
        version: '0.9.1',
        buildDate: 'd',
        buildCommit: 'c',
        sdkVersion: 'v',
        sdkBundleHash: 'h',
        sharedVersion: 'v',
        sharedBundleHash: 'h',
        engineVersion: 'v',
        engineBundleHash: 'h',
      })
    );
    await writeFile(
      join(dir, 'health.headers'),
      'HTTP/1.1 200 OK\ncontent-type: application/json\nx-request-id: 8f81f0dd-4092-4668-ad29-d13e509c0de5\n'
    );
    await writeFile(join(dir, 'root.txt'), '404 Not Found');
    await writeFile(join(dir, 'admin-event-dlq.noauth.json'), '{"error":"Missing authorization"}');
    await writeFile(join(dir, 'drifted.json'), '{"orchestratorVersion":"0.9.1","protocolVersion":"1"}');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints one line per endpoint and counts drift', async () => {
    const { lines, drift } = await checkSamples(dir, process.env.KICI_TEST_PG_URL!);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^ok +health +GET \/health/);
    expect(lines[1]).toMatch(/^ok +root/);
    expect(lines[2]).toMatch(/^ok +admin-event-dlq.noauth/);
    expect(lines[3]).toMatch(
      /^DRIFT +drifted .*\$\.protocolVersion: sample is string, sim is number; \$\.minProtocolVersion: not in the sample/
    );
    expect(lines[4]).toMatch(/^skip +admin-tokens/);
    expect(drift).toBe(1);
  });
});
