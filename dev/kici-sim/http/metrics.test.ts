import {
  renderAgentMetrics,
  renderOrchestratorMetrics,
  type OrchestratorMetricsInput,
  type RuntimeSnapshot,
} from './metrics';
import { parseExposition, sampleValue } from './prom-text';

const runtime: RuntimeSnapshot = {
  eventLoopUtilization: 0.02,
  eventLoopActiveSeconds: 1,
  eventLoopIdleSeconds: 50,
  delay: { min: 0.005, max: 0.05, mean: 0.01, stddev: 0.001, p50: 0.01, p90: 0.011, p99: 0.013 },
  heapLimit: 4_000_000_000,
  gcMinorSeconds: [0.004],
  heapSpaces: [{ name: 'old_space', size: 100, used: 80, available: 20, physical: 100 }],
};

function input(over: Partial<OrchestratorMetricsInput> = {}): OrchestratorMetricsInput {
  return {
    layout: '0.9',
    target: { hostname: 'ci-host-1', pid: 42, processOwner: 'kici', runtimeVersion: '22.11.0' },
    runtime,
    agentsActive: 3,
    draining: false,
    declaredHostsUnreachable: 1,
    staleRunsCurrent: 0,
    dispatchQueueDepth: { pending: 2, dispatched: 1 },
    eventDlqDepth: 4,
    eventDlqTotals: [{ eventName: 'deploy-complete', count: 2 }],
    eventLeaseExpirations: 1,
    eventRetries: [],
    eventDispatchSuccesses: [],
    eventAttempts: [{ eventName: 'deploy-complete', result: 'dlq', attempts: [5, 5] }],
    executions: [
      { status: 'pending', count: 3 },
      { status: 'success', count: 1 },
    ],
    executionDurationsSeconds: [95],
    scalers: [{ name: 'container-linux-x64', type: 'container', cpusUsed: 2, memoryBytesUsed: 1024 }],
    agentAggregates: [
      { scaler: 'container', connected: 2, jobsActive: 1, jobsSucceeded: 3, jobsFailed: 0 },
      { scaler: 'stateful', connected: 1, jobsActive: 0, jobsSucceeded: 0, jobsFailed: 1 },
    ],
    nowSeconds: 1_795_500_000,
    ...over,
  };
}

describe('renderOrchestratorMetrics', () => {
  const families = parseExposition(renderOrchestratorMetrics(input()));

  it('uses KiCI names, types and the otel_scope_name label', () => {
    expect(families.get('kici_orch_event_dlq_depth')!.type).toBe('gauge');
    expect(families.get('kici_orch_event_dlq_total')!.type).toBe('counter');
    expect(families.get('kici_orch_event_lease_expirations_total')!.type).toBe('counter');
    expect(families.get('kici_orch_scaler_spawn_refusals_total')!.type).toBe('gauge');
    expect(families.get('kici_orch_execution_duration_seconds')!.type).toBe('histogram');
    expect(sampleValue(families, 'kici_orch_event_dlq_depth', { otel_scope_name: 'kici-orchestrator' })).toBe(4);
    expect(
      sampleValue(families, 'kici_orch_event_dlq_total', { event_name: 'deploy-complete', reason: 'exhausted_retries' })
    ).toBe(2);
    expect(sampleValue(families, 'kici_orch_dispatch_queue_depth', { status: 'pending' })).toBe(2);
    expect(sampleValue(families, 'kici_orch_dispatch_queue_depth', { status: 'dispatched' })).toBe(1);
    expect(sampleValue(families, 'kici_orch_executions_total', { status: 'pending' })).toBe(3);
    expect(sampleValue(families, 'kici_orch_execution_duration_seconds_bucket', { le: '60' })).toBe(0);
    expect(sampleValue(families, 'kici_orch_execution_duration_seconds_bucket', { le: '120' })).toBe(1);
    expect(sampleValue(families, 'kici_orch_event_attempts_sum', { result: 'dlq' })).toBe(10);
  });

  it('emits target_info with service_version 0.0.0 as KiCI does', () => {
    const labels = families.get('target_info')!.samples[0].labels;
    expect(labels).toMatchObject({
      service_name: 'kici-orchestrator',
      service_version: '0.0.0',
      host_name: 'ci-host-1',
    });
  });

  it('aggregates agent series per scaler and never labels them by agent_id', () => {
    const status = families.get('kici_agent_connection_status')!;
    expect(status.help).toBeUndefined();
    expect(status.samples.map((s) => s.labels)).toEqual([{ scaler: 'container' }, { scaler: 'stateful' }]);
    expect(sampleValue(families, 'kici_agent_connection_status', { scaler: 'container' })).toBe(2);
    expect(sampleValue(families, 'kici_agent_jobs_total', { scaler: 'container', status: 'success' })).toBe(3);
    for (const f of families.values()) {
      for (const s of f.samples) {
        expect(s.labels).not.toHaveProperty('agent_id');
      }
    }
    // The aggregated runtime copy keeps the instrument name without _total, summed over the agents.
    expect(
      sampleValue(families, 'nodejs_eventloop_time', { scaler: 'container', nodejs_eventloop_state: 'idle' })
    ).toBe(100);
  });

  it('drops the 0.9-only families on the 0.1 layout and omits counters nothing incremented', () => {
    const old = parseExposition(
      renderOrchestratorMetrics(
        input({ layout: '0.1', eventDlqTotals: [], executions: [], executionDurationsSeconds: [] })
      )
    );
    expect(old.has('kici_orch_ingest_inflight')).toBe(false);
    expect(old.has('kici_orchestrator_draining')).toBe(false);
    expect(old.has('kici_orch_event_dlq_total')).toBe(false);
    expect(old.has('kici_orch_executions_total')).toBe(false);
    expect(old.has('kici_orch_event_dlq_depth')).toBe(true);
  });

  // KiCI's counters are OTel counters: a series exists only after its first add() (contract §7.1; the real
  // samples/metrics.txt of an idle 0.9.1 has no kici_orch_event_lease_expirations_total at all, and
  // samples/dlq/metrics.with-dlq.txt shows kici_orch_event_dlq_total born at 1 per event_name).
  it('has no lease-expiration series before the first expiry, and a series born at its first batch', () => {
    const idle = parseExposition(renderOrchestratorMetrics(input({ eventLeaseExpirations: 0 })));
    expect(idle.has('kici_orch_event_lease_expirations_total')).toBe(false);
    const firstBatch = parseExposition(renderOrchestratorMetrics(input({ eventLeaseExpirations: 2 })));
    expect(sampleValue(firstBatch, 'kici_orch_event_lease_expirations_total')).toBe(2);
  });

  it('has no scaler label at all without a scaler manager', () => {
    const f = parseExposition(
      renderOrchestratorMetrics(
        input({
          scalers: [],
          agentAggregates: [{ scaler: null, connected: 1, jobsActive: 0, jobsSucceeded: 0, jobsFailed: 0 }],
        })
      )
    );
    expect(f.get('kici_agent_connection_status')!.samples[0].labels).toEqual({});
    expect(f.has('kici_orch_scaler_cpus_used')).toBe(false);
  });
});

describe('renderAgentMetrics', () => {
  it('reports the connection status under the kici-agent scope', () => {
    const f = parseExposition(
      renderAgentMetrics({
        target: input().target,
        runtime,
        connected: false,
        activeJobs: 0,
        jobsSucceeded: 0,
        jobsFailed: 0,
      })
    );
    expect(sampleValue(f, 'kici_agent_connection_status', { otel_scope_name: 'kici-agent' })).toBe(0);
    expect(f.get('target_info')!.samples[0].labels.service_name).toBe('kici-agent');
    expect(f.get('nodejs_eventloop_time_total')!.type).toBe('counter');
  });
});
