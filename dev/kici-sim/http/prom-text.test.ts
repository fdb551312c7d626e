import { ExpositionWriter, formatLabels, parseExposition, parseLabels, sampleValue } from './prom-text';

describe('prom-text', () => {
  it('writes and parses families, including histograms and escaped label values', () => {
    const text = new ExpositionWriter()
      .family(
        'kici_orch_event_dlq_depth',
        'gauge',
        'Current count of events sitting in the DLQ awaiting operator triage',
        [{ labels: { otel_scope_name: 'kici-orchestrator' }, value: 3 }]
      )
      .histogram(
        'kici_orch_execution_duration_seconds',
        'Duration of execution runs in seconds',
        [1, 60],
        [{ labels: { otel_scope_name: 'kici-orchestrator' }, observations: [0.5, 30, 95] }]
      )
      .family('target_info', 'gauge', 'Target metadata', [
        { labels: { process_command_args: '["node","x \\"y\\""]' }, value: 1 },
      ])
      .toString();
    const families = parseExposition(text);
    expect(families.get('kici_orch_event_dlq_depth')).toMatchObject({
      type: 'gauge',
      help: 'Current count of events sitting in the DLQ awaiting operator triage',
    });
    const h = families.get('kici_orch_execution_duration_seconds')!;
    expect(h.type).toBe('histogram');
    expect(sampleValue(families, 'kici_orch_execution_duration_seconds_count')).toBe(3);
    expect(sampleValue(families, 'kici_orch_execution_duration_seconds_sum')).toBe(125.5);
    expect(sampleValue(families, 'kici_orch_execution_duration_seconds_bucket', { le: '1' })).toBe(1);
    expect(sampleValue(families, 'kici_orch_execution_duration_seconds_bucket', { le: '60' })).toBe(2);
    expect(sampleValue(families, 'kici_orch_execution_duration_seconds_bucket', { le: '+Inf' })).toBe(3);
    expect(families.get('target_info')!.samples[0].labels.process_command_args).toBe('["node","x \\"y\\""]');
  });

  it('parses the empty label set and TYPE-only families of the agent aggregator', () => {
    const families = parseExposition('# TYPE kici_agent_connection_status gauge\nkici_agent_connection_status{} 1\n');
    expect(families.get('kici_agent_connection_status')!.type).toBe('gauge');
    expect(families.get('kici_agent_connection_status')!.help).toBeUndefined();
    expect(families.get('kici_agent_connection_status')!.samples[0]).toEqual({
      name: 'kici_agent_connection_status',
      labels: {},
      value: 1,
    });
  });

  it('merges a family declared twice, keeping the first type', () => {
    const families = parseExposition('# TYPE up gauge\nup 1\n\n# TYPE up gauge\nup{scaler="container"} 2\n');
    expect(families.get('up')!.samples.map((s) => s.value)).toEqual([1, 2]);
  });

  it('rejects malformed lines', () => {
    expect(() => parseExposition('kici_orch_x{a="1" 2')).toThrow(/line 1/);
    expect(() => parseExposition('kici_orch_x abc')).toThrow(/bad sample value/);
    expect(() => parseExposition('# TYPE x widget')).toThrow(/unknown metric type/);
    expect(() => parseLabels('a=1')).toThrow(/bad label set/);
  });

  it('formats labels in insertion order', () => {
    expect(formatLabels({ status: 'pending', otel_scope_name: 'kici-orchestrator' })).toBe(
      '{status="pending",otel_scope_name="kici-orchestrator"}'
    );
  });
});
