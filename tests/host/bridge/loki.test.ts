// The Loki stand-in on real kici-sim log lines (the winston JSON the sim's logger writes): Alloy's labels, the LogQL
// the Traces page builds, and clear refusals for what it does not evaluate.
import { createKiciLogger } from '../../../dev/kici-sim/logs';
import { lokiTraceQuery, parseTraceInput } from '../../../src/pages/traces/traceQuery';
import { compileLogQL, LokiError, lokiFrame, LokiStore, selectLines } from './loki';

const REQ = '0b7c1a52-3c3e-4d1e-9b1a-4f6c2d8e9a01';
const RUN = '7d1e3f40-1111-4a2b-8c3d-5e6f7a8b9c0d';
const OTHER = 'ffffffff-0000-4000-8000-000000000000';

function filledStore(): LokiStore {
  let t = 1_700_000_000_000;
  const store = new LokiStore(1000, () => t++);
  const out = store.writable({ instance: 'cluster-3', env: 'host' });
  const orch = createKiciLogger({ service: 'orchestrator', instance: 'orch-a', out });
  const agent = createKiciLogger({ service: 'agent', out });
  orch
    .withContext({ requestId: REQ, routingKey: 'github:42' })
    .info('Webhook relay stream started', { deliveryId: OTHER });
  orch.withContext({ requestId: REQ, runId: RUN }).info('Job dispatched', { runId: RUN, job: 'build' });
  agent.withContext({ requestId: REQ, runId: RUN, jobId: 'build' }).info('Job dispatch received', { agentId: 'a1' });
  orch.forwardAgentLine(
    { level: 'info', message: `Run: ${RUN} | Trace: ${REQ}` },
    { agentId: 'a1', runId: RUN, requestId: REQ, jobId: 'build', logsSource: 'docker' }
  );
  orch.withContext({ requestId: OTHER }).warn('Request completed', { status: 404 });
  out.write('not json at all\n');
  return store;
}

const all = { refId: 'A', fromMs: 0, toMs: Number.MAX_SAFE_INTEGER };

it('labels lines as Alloy does: forwarded agent lines in the orchestrator stream, trace fields as metadata', () => {
  const store = filledStore();
  expect(store.entries.map((e) => e.stream.service)).toEqual([
    'orchestrator',
    'orchestrator',
    'agent',
    'orchestrator',
    'orchestrator',
    'unknown',
  ]);
  expect(store.entries[2].stream).toEqual({ instance: 'cluster-3', env: 'host', service: 'agent' });
  expect(store.entries[2].metadata).toEqual({ requestId: REQ, runId: RUN, jobId: 'build' });
  const ns = store.entries.map((e) => BigInt(e.tsNs));
  expect(ns.every((n, i) => i === 0 || n > ns[i - 1])).toBe(true);
});

it("answers the Traces page's own query with every tier's lines of the requestId, oldest first", () => {
  const store = filledStore();
  const q = lokiTraceQuery([{ kind: 'requestId', value: REQ }]);
  const rows = selectLines(store, { ...all, expr: q.expr, direction: 'forward', maxLines: q.maxLines });
  expect(rows.map((r) => JSON.parse(r.entry.line).message)).toEqual([
    'Webhook relay stream started',
    'Job dispatched',
    'Job dispatch received',
    `Run: ${RUN} | Trace: ${REQ}`,
  ]);
  expect(rows.map((r) => r.labels.kici_service)).toEqual(['orchestrator', 'orchestrator', 'agent', 'agent']);
  expect(rows[2].labels).toMatchObject({ service: 'agent', kici_level: 'info', requestId: REQ, jobId: 'build' });
  expect(rows[2].labels).not.toHaveProperty('__error__');

  const any = lokiTraceQuery([{ kind: 'any', value: RUN }]);
  expect(selectLines(store, { ...all, expr: any.expr }).length).toBe(3);
});

it('evaluates selectors, line filters, json and label filters like Loki', () => {
  const store = filledStore();
  const count = (expr: string) => selectLines(store, { ...all, expr }).length;
  expect(count('{service="agent"}')).toBe(1);
  expect(count('{service=~"orch.*"}')).toBe(4);
  expect(count('{service=~"orch"}')).toBe(0); // anchored
  expect(count('{service!="unknown"} != "Webhook"')).toBe(4);
  expect(count(`{instance="cluster-3"} |~ "Trace: [0-9a-f-]+" or "relay"`)).toBe(2);
  expect(count('{instance="cluster-3"} | json | __error__!=""')).toBe(1);
  expect(count('{instance="cluster-3"} | json | level="warn"')).toBe(1);
  expect(count('{instance="cluster-3"} | json | service_extracted="agent"')).toBe(2);
  expect(count('{instance="cluster-3"} | json | (requestId!="" and requestId="x") or status="404"')).toBe(1);
  expect(count('{instance="cluster-3"} | json lvl="level", r="requestId" | lvl="info", r=~"0b7c.*"')).toBe(4);
  // backward: the newest lines first, maxLines from that end
  const newest = selectLines(store, { ...all, expr: '{service="orchestrator"}', maxLines: 1 });
  expect(JSON.parse(newest[0].entry.line).message).toBe('Request completed');
});

it('refuses what it does not evaluate, with the reason', () => {
  expect(() => compileLogQL('count_over_time({service="agent"}[5m])')).toThrow(/log queries only/);
  expect(() => compileLogQL('{service="agent"} | logfmt')).toThrow(/does not support the stage \| logfmt/);
  expect(() => compileLogQL('{service="agent"} | line_format "{{.a}}"')).toThrow(/the stage \| line_format/);
  expect(() => compileLogQL('{service="agent"} | json | a > 5')).toThrow(LokiError);
  expect(() => compileLogQL('{service="agent"')).toThrow(/parse error/);
  expect(() => compileLogQL('{service=~"("}')).toThrow(/invalid regular expression/);
});

it('returns the frame Grafana builds for a Loki log query', () => {
  const store = filledStore();
  const q = { ...all, expr: '{service="agent"}' };
  const frame = lokiFrame(q, selectLines(store, q));
  expect(frame.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
    'labels:other',
    'Time:time',
    'Line:string',
    'tsNs:string',
    'id:string',
  ]);
  expect(frame.schema.meta).toMatchObject({ custom: { frameType: 'LabeledTimeValues' } });
  expect(frame.data.values[0]).toEqual([
    { instance: 'cluster-3', env: 'host', service: 'agent', requestId: REQ, runId: RUN, jobId: 'build' },
  ]);
  expect(frame.data.values[1]).toEqual([store.entries[2].timeMs]);
  expect(frame.data.values[3]).toEqual([store.entries[2].tsNs]);
});

// KiCI 0.9.1 logs a generic webhook's deliveryId as `<routing_key>:<uuid>` and returns that value to the sender
// (samples/logs/README.md); a relayed GitHub delivery keeps its bare X-GitHub-Delivery UUID.
it('finds a generic webhook by the deliveryId its answer returned, by its uuid part, and a bare GitHub delivery', () => {
  let t = 1_700_000_000_000;
  const store = new LokiStore(1000, () => t++);
  const out = store.writable({ instance: 'cluster-3', env: 'host' });
  const orch = createKiciLogger({ service: 'orchestrator', instance: 'orch-a', out });
  const generic = `generic:acme:deploy-hooks:${OTHER}`;
  const pipeline = orch.withContext({ requestId: REQ, routingKey: 'generic:acme:deploy-hooks' });
  pipeline.info('Generic webhook accepted', { deliveryId: generic, event: 'deploy', providerType: 'generic' });
  pipeline.info('Webhook processed', { deliveryId: generic, event: 'deploy', matchedWorkflows: 1, totalWorkflows: 3 });
  // The caller sent X-Request-ID: OTHER; KiCI logs it only here, and made it the uuid part of the deliveryId.
  orch.info('Request completed', {
    method: 'POST',
    path: '/webhook/acme/generic/deploy-hooks',
    status: 202,
    duration: '45ms',
    requestId: OTHER,
  });
  orch.withContext({ requestId: RUN }).info('Webhook relay stream started', { deliveryId: REQ, event: 'push' });
  const found = (text: string) => {
    const q = lokiTraceQuery(parseTraceInput(text).ids);
    return selectLines(store, { ...all, expr: q.expr, direction: 'forward' }).map(
      (r) => JSON.parse(r.entry.line).message
    );
  };
  expect(found(`{"deliveryId":"${generic}"}`)).toEqual(['Generic webhook accepted', 'Webhook processed']);
  expect(found(generic)).toEqual(['Generic webhook accepted', 'Webhook processed']);
  expect(found(`X-Request-ID: ${OTHER}`)).toEqual([
    'Generic webhook accepted',
    'Webhook processed',
    'Request completed',
  ]);
  expect(found(REQ)).toEqual(['Generic webhook accepted', 'Webhook processed', 'Webhook relay stream started']);
  expect(found(`X-GitHub-Delivery: ${REQ}`)).toEqual(['Webhook relay stream started']);
});
