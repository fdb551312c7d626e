import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import { LabelLimiter } from './labels';

// The plugin's own metrics, served through Diagnostics.CollectMetrics (Grafana exposes them at
// /metrics/plugins/<plugin id>).

export type ServiceName = 'QueryData' | 'CallResource' | 'CheckHealth';

export class PluginMetrics {
  readonly registry = new Registry();
  private readonly calls: Counter<'service' | 'endpoint'>;
  private readonly errors: Counter<'service' | 'endpoint'>;
  private readonly duration: Histogram<'service' | 'endpoint'>;
  private readonly instances: Gauge;
  private readonly endpoints = new LabelLimiter();

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.calls = new Counter({
      name: 'plugin_calls_total',
      help: 'Calls handled, by service and query type or resource route.',
      labelNames: ['service', 'endpoint'],
      registers,
    });
    this.errors = new Counter({
      name: 'plugin_call_errors_total',
      help: 'Calls that failed (a query error, a resource status >= 500, a health check that threw).',
      labelNames: ['service', 'endpoint'],
      registers,
    });
    this.duration = new Histogram({
      name: 'plugin_call_duration_seconds',
      help: 'Call duration, by service and query type or resource route.',
      labelNames: ['service', 'endpoint'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.instances = new Gauge({
      name: 'plugin_active_instances',
      help: 'Datasource instances currently alive (one per datasource and settings version).',
      registers,
    });
    if (options.processMetrics !== false) {
      try {
        collectDefaultMetrics({ register: this.registry });
      } catch {
        // A runtime without some perf_hooks feature still serves the plugin's own metrics.
      }
    }
  }

  observe(service: ServiceName, endpoint: string, failed: boolean, seconds: number): void {
    const labels = { service, endpoint: this.endpoints.value(endpoint) };
    this.calls.inc(labels);
    if (failed) {
      this.errors.inc(labels);
    }
    this.duration.observe(labels, seconds);
  }

  setInstances(count: number): void {
    this.instances.set(count);
  }

  /** Prometheus text: ours, then the plugin's (a failing plugin collector costs only its part). */
  async text(extra?: () => Promise<string>): Promise<string> {
    let text = await this.registry.metrics();
    if (extra) {
      const more = await extra();
      if (more) {
        text += (text.endsWith('\n') ? '' : '\n') + more + (more.endsWith('\n') ? '' : '\n');
      }
    }
    return text;
  }
}
