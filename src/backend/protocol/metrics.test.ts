import { PluginMetrics } from './metrics';

describe('PluginMetrics', () => {
  it('counts calls, errors and durations and appends the plugin text', async () => {
    const m = new PluginMetrics({ processMetrics: false });
    m.observe('QueryData', 'dlqDepth', false, 0.02);
    m.observe('QueryData', 'dlqDepth', true, 0.2);
    m.observe('CallResource', 'dlq', false, 0.001);
    m.setInstances(3);
    const text = await m.text(async () => 'kici_extra 1');
    expect(text).toContain('plugin_calls_total{service="QueryData",endpoint="dlqDepth"} 2');
    expect(text).toContain('plugin_call_errors_total{service="QueryData",endpoint="dlqDepth"} 1');
    expect(text).toContain('plugin_call_duration_seconds_count{service="CallResource",endpoint="dlq"} 1');
    expect(text).toContain('plugin_call_duration_seconds_bucket{le="0.025",service="QueryData",endpoint="dlqDepth"} 1');
    expect(text).toContain('plugin_active_instances 3');
    expect(text.endsWith('kici_extra 1\n')).toBe(true);
  });

  it('includes process metrics by default', async () => {
    const text = await new PluginMetrics().text();
    expect(text).toMatch(/process_resident_memory_bytes \d+/);
  });
});
