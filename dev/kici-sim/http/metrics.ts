// The /metrics bodies of an orchestrator node and of an agent, with KiCI 0.9.1's real family names,
// types, HELP texts and label sets (samples/metrics.txt, samples/cluster/*.metrics.txt,
// samples/agent1.metrics.txt, contract §7). Pure: everything dynamic comes in through the input.
import type { SchemaLayout } from '../model';
import { ExpositionWriter, type Labels } from './prom-text';

const ORCH_SCOPE: Labels = { otel_scope_name: 'kici-orchestrator' };
const AGENT_SCOPE: Labels = { otel_scope_name: 'kici-agent' };
const RUNTIME_SCOPE: Labels = {
  otel_scope_name: '@opentelemetry/instrumentation-runtime-node',
  otel_scope_version: '0.31.0',
};

export const EXECUTION_DURATION_BUCKETS = [1, 5, 10, 30, 60, 120, 300, 600, 1800];
const JOB_DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120, 600];
const EVENT_ATTEMPTS_BUCKETS = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

export interface RuntimeSnapshot {
  eventLoopUtilization: number;
  eventLoopActiveSeconds: number;
  eventLoopIdleSeconds: number;
  /** min, max, mean, stddev, p50, p90, p99 in seconds. */
  delay: { min: number; max: number; mean: number; stddev: number; p50: number; p90: number; p99: number };
  heapLimit: number;
  /** Observed minor GC pauses (seconds). */
  gcMinorSeconds: number[];
  heapSpaces: Array<{ name: string; size: number; used: number; available: number; physical: number }>;
}

/** One group of agents as KiCI's aggregator sums them: per `scaler` label (absent without a scaler manager). */
export interface AgentAggregate {
  scaler: string | null;
  connected: number;
  jobsActive: number;
  jobsSucceeded: number;
  jobsFailed: number;
}

export interface OrchestratorMetricsInput {
  layout: SchemaLayout;
  target: { hostname: string; pid: number; processOwner: string; runtimeVersion: string };
  runtime: RuntimeSnapshot;
  agentsActive: number;
  draining: boolean;
  declaredHostsUnreachable: number;
  staleRunsCurrent: number;
  dispatchQueueDepth: { pending: number; dispatched: number };
  /** The gauge as this node last refreshed it: only the Raft leader's retry scanner refreshes it. */
  eventDlqDepth: number;
  /** kici_orch_event_dlq_total by event name (series exist once the node has moved one). */
  eventDlqTotals: Array<{ eventName: string; count: number }>;
  eventLeaseExpirations: number;
  eventRetries: Array<{ eventName: string; count: number }>;
  eventDispatchSuccesses: Array<{ eventName: string; count: number }>;
  eventAttempts: Array<{ eventName: string; result: 'success' | 'dlq'; attempts: number[] }>;
  /** kici_orch_executions_total by status (pending at creation, terminal at the end). */
  executions: Array<{ status: string; count: number }>;
  executionDurationsSeconds: number[];
  /** Scaler reservations, one row per configured scaler (empty = no scaler manager). */
  scalers: Array<{ name: string; type: string; cpusUsed: number; memoryBytesUsed: number }>;
  agentAggregates: AgentAggregate[];
  nowSeconds: number;
}

/** One label set of runtime series; `scale` sums a group of identical agents. */
interface RuntimeSeries {
  labels: Labels;
  scale: number;
}

/**
 * The @opentelemetry/instrumentation-runtime-node families, once per entry of `series`. The agent
 * aggregator's copy (`aggregated`) has no HELP and keeps the instrument name `nodejs_eventloop_time`.
 */
function runtimeFamilies(w: ExpositionWriter, rt: RuntimeSnapshot, series: RuntimeSeries[], aggregated: boolean): void {
  const help = (text: string) => (aggregated ? undefined : text);
  const each = (extra: Labels, value: (scale: number) => number) =>
    series.map((s) => ({ labels: { ...extra, ...s.labels }, value: value(s.scale) }));
  w.family(
    'nodejs_eventloop_utilization',
    'gauge',
    help('Event loop utilization'),
    each({}, () => rt.eventLoopUtilization)
  );
  w.family(
    aggregated ? 'nodejs_eventloop_time' : 'nodejs_eventloop_time_total',
    'counter',
    help('Cumulative duration of time the event loop has been in each state.'),
    [
      ...each({ nodejs_eventloop_state: 'active' }, (k) => rt.eventLoopActiveSeconds * k),
      ...each({ nodejs_eventloop_state: 'idle' }, (k) => rt.eventLoopIdleSeconds * k),
    ]
  );
  const delays: Array<[keyof RuntimeSnapshot['delay'], string]> = [
    ['min', 'Event loop minimum delay.'],
    ['max', 'Event loop maximum delay.'],
    ['mean', 'Event loop mean delay.'],
    ['stddev', 'Event loop standard deviation delay.'],
    ['p50', 'Event loop 50 percentile delay.'],
    ['p90', 'Event loop 90 percentile delay.'],
    ['p99', 'Event loop 99 percentile delay.'],
  ];
  for (const [key, text] of delays) {
    w.family(
      `nodejs_eventloop_delay_${key}`,
      'gauge',
      help(text),
      each({}, (k) => rt.delay[key] * k)
    );
  }
  w.histogram(
    'v8js_gc_duration',
    help('Garbage collection duration by kind, one of major, minor, incremental or weakcb.'),
    [0.01, 0.1, 1, 10],
    series.map((s) => ({ labels: { v8js_gc_type: 'minor', ...s.labels }, observations: rt.gcMinorSeconds }))
  );
  w.family(
    'v8js_memory_heap_limit',
    'gauge',
    help('Maximum heap size allowed by the V8 engine, as set by --max-old-space-size or V8 defaults.'),
    each({}, (k) => rt.heapLimit * k)
  );
  const spaces: Array<[string, string, 'size' | 'used' | 'available' | 'physical']> = [
    ['v8js_memory_heap_space_size', 'Total heap memory size pre-allocated for a heap space.', 'size'],
    ['v8js_memory_heap_used', 'Heap Memory size allocated.', 'used'],
    ['v8js_memory_heap_space_available_size', 'Heap space available size.', 'available'],
    ['v8js_memory_heap_space_physical_size', 'Committed size of a heap space.', 'physical'],
  ];
  for (const [name, text, key] of spaces) {
    w.family(
      name,
      'gauge',
      help(text),
      rt.heapSpaces.flatMap((space) => each({ v8js_heap_space_name: space.name }, (k) => space[key] * k))
    );
  }
}

function targetInfo(w: ExpositionWriter, service: string, t: OrchestratorMetricsInput['target'], script: string): void {
  w.family('target_info', 'gauge', 'Target metadata', [
    {
      labels: {
        host_name: t.hostname,
        host_arch: 'amd64',
        process_pid: String(t.pid),
        process_executable_name: '/usr/local/bin/node',
        process_executable_path: '/usr/local/bin/node',
        process_command_args: JSON.stringify(['/usr/local/bin/node', script]),
        process_runtime_version: t.runtimeVersion,
        process_runtime_name: 'nodejs',
        process_runtime_description: 'Node.js',
        process_command: script,
        process_owner: t.processOwner,
        service_name: service,
        // KiCI never passes serviceVersion to the OTel resource (contract §7.1).
        service_version: '0.0.0',
      },
      value: 1,
    },
  ]);
}

const o = (extra: Labels = {}): Labels => ({ ...extra, ...ORCH_SCOPE });
const gauge = (w: ExpositionWriter, name: string, help: string, value: number, extra: Labels = {}) =>
  w.family(name, 'gauge', help, [{ labels: o(extra), value }]);

export function renderOrchestratorMetrics(m: OrchestratorMetricsInput): string {
  const v09 = m.layout === '0.9';
  const w = new ExpositionWriter();
  targetInfo(w, 'kici-orchestrator', m.target, '/opt/kici/orchestrator/dist/standalone.js');
  runtimeFamilies(w, m.runtime, [{ labels: RUNTIME_SCOPE, scale: 1 }], false);

  if (v09) {
    w.family(
      'kici_orch_deferred_index_builds_total',
      'counter',
      'Total post-boot deferred index builds by outcome',
      [
        'execution_runs_status_created_at_idx',
        'execution_jobs_created_at_idx',
        'execution_steps_created_at_idx',
        'event_log_received_at_idx',
        'access_log_created_at_idx',
        'held_runs_status_created_at_idx',
        'execution_runs_parent_run_id_idx',
      ].map((name) => ({ labels: o({ name, outcome: 'ok' }), value: 1 }))
    );
  }
  gauge(w, 'kici_orch_agents_active', 'Current number of active agents connected', m.agentsActive);
  gauge(w, 'kici_orch_config_version', 'Current shared config version number', 0);
  if (v09) {
    gauge(
      w,
      'kici_orchestrator_draining',
      'Whether this coordinator is draining (1) or accepting new jobs (0)',
      m.draining ? 1 : 0
    );
  }
  gauge(
    w,
    'kici_orch_declared_hosts_unreachable',
    'Number of declared (static) roster hosts currently unreachable',
    m.declaredHostsUnreachable
  );
  gauge(w, 'kici_orch_stale_runs_current', 'Current number of stale runs detected in last scan', m.staleRunsCurrent);
  if (v09) {
    gauge(w, 'kici_orch_pending_attestations_current', 'Deferred attestations awaiting a later mint', 0);
    gauge(
      w,
      'kici_orch_pending_attestation_oldest_age_seconds',
      'Age of the oldest deferred attestation in the outbox',
      0
    );
    gauge(
      w,
      'kici_orch_rejected_attestations_current',
      'Deferred attestations permanently rejected (run/job absent on Platform); terminal, re-attempted only via kici-admin attestations retry --include-rejected',
      0
    );
    gauge(
      w,
      'kici_orch_db_collation_drift',
      '1 when the orchestrator DB stamped collation version differs from the running libc (text indexes may silently miss present rows); 0 when consistent.',
      0,
      { database: 'kici' }
    );
  }
  if (m.scalers.length > 0) {
    const cpus = [
      {
        labels: o({ scaler: '__global__', scalerType: '__global__' }),
        value: m.scalers.reduce((a, s) => a + s.cpusUsed, 0),
      },
      ...m.scalers.map((s) => ({ labels: o({ scaler: s.name, scalerType: s.type }), value: s.cpusUsed })),
    ];
    const mem = [
      {
        labels: o({ scaler: '__global__', scalerType: '__global__' }),
        value: m.scalers.reduce((a, s) => a + s.memoryBytesUsed, 0),
      },
      ...m.scalers.map((s) => ({ labels: o({ scaler: s.name, scalerType: s.type }), value: s.memoryBytesUsed })),
    ];
    w.family(
      'kici_orch_scaler_cpus_used',
      'gauge',
      'Current CPU reservations summed by scaler / pool (scaler="__global__" is the cluster-wide total)',
      cpus
    );
    w.family(
      'kici_orch_scaler_memory_bytes_used',
      'gauge',
      'Current memory reservations (bytes) summed by scaler / pool (scaler="__global__" is the cluster-wide total)',
      mem
    );
  }
  gauge(
    w,
    'kici_orch_scaler_spawn_refusals_total',
    'Cumulative count of scaler spawn requests refused due to resource caps (maxAgents, resourceCap, globalResourceCap, machinePool).',
    0
  );
  if (v09) {
    gauge(
      w,
      'kici_orch_scaler_reap_unseen_provisions',
      'Event-scaler provisions whose agent has been registered on no coordinator for at least the flap grace, being timed by the leader-gated reaper.',
      0
    );
    gauge(
      w,
      'kici_orch_scaler_reap_blocked',
      'Whether the event-scaler provision reaper is standing down for lack of any connected coordinator peer (1) or sweeping (0).',
      0
    );
  }
  w.family('kici_orch_dispatch_queue_depth', 'gauge', 'Current dispatch_queue depth per status (pending, dispatched)', [
    { labels: o({ status: 'pending' }), value: m.dispatchQueueDepth.pending },
    { labels: o({ status: 'dispatched' }), value: m.dispatchQueueDepth.dispatched },
  ]);
  if (v09) {
    gauge(w, 'kici_orch_ingest_inflight', 'Current in-flight webhook ingest pipelines', 0);
    gauge(w, 'kici_orch_ingest_queue_depth', 'Current webhook ingest admission queue depth (HTTP direct ingress)', 0);
    gauge(
      w,
      'kici_orch_ingest_shedding_active',
      'Delay circuit breaker engaged (1) — loop-lag gate open or CoDel dropping',
      0
    );
    gauge(
      w,
      'kici_orch_ingest_event_loop_delay_p99_ms',
      'Event-loop delay p99 (ms) observed by the ingest admission sampler',
      m.runtime.delay.p99 * 1000
    );
    gauge(
      w,
      'kici_orch_ingest_event_loop_delay_max_ms',
      'Event-loop delay max (ms) observed by the ingest admission sampler',
      m.runtime.delay.max * 1000
    );
    gauge(
      w,
      'kici_orch_ingest_max_concurrency',
      'Configured global in-flight concurrency cap G (KICI_INGEST_MAX_CONCURRENCY)',
      256
    );
    gauge(
      w,
      'kici_orch_ingest_max_queue_depth',
      'Configured CoDel queue depth cap Q (KICI_INGEST_MAX_QUEUE_DEPTH)',
      1000
    );
    gauge(
      w,
      'kici_orch_ingest_org_max_concurrency',
      'Configured per-org fairness cap cluster default P (KICI_INGEST_ORG_MAX_CONCURRENCY)',
      32
    );
    gauge(
      w,
      'kici_orch_ingest_loop_lag_shed_ms',
      'Configured loop-lag shed threshold L_shed (KICI_INGEST_LOOP_LAG_SHED_MS)',
      200
    );
    gauge(
      w,
      'kici_orch_ingest_loop_lag_resume_ms',
      'Configured loop-lag hysteresis resume threshold L_resume (KICI_INGEST_LOOP_LAG_RESUME_MS)',
      150
    );
    gauge(
      w,
      'kici_orch_ingest_overflow_buffered',
      'Current webhook-ingest overflow buffer depth (buffered rows awaiting replay)',
      0
    );
    gauge(w, 'kici_orch_ingest_overflow_max', 'Configured overflow buffer row cap (KICI_INGEST_OVERFLOW_MAX)', 5000);
  }
  gauge(
    w,
    'kici_orch_event_dlq_depth',
    'Current count of events sitting in the DLQ awaiting operator triage',
    m.eventDlqDepth
  );
  if (v09) {
    w.family(
      'kici_orch_pg_listen_connected',
      'gauge',
      '1 when the LISTEN subscription on this channel holds a live connection',
      ['sources_change', 'generic_sources_change', 'dashboard_write_policy_change', 'kici_event_channel'].map(
        (channel) => ({
          labels: o({ channel }),
          value: 1,
        })
      )
    );
  }
  // OTel counters exist only after their first add() (contract §7.1, PrometheusSerializer): an idle 0.9.1 has no
  // lease-expiration series at all (samples/metrics.txt), so the first batch after a (re)start is born at its size.
  if (m.eventLeaseExpirations > 0) {
    w.family(
      'kici_orch_event_lease_expirations_total',
      'counter',
      'Dispatch leases that timed out before the holding node finalised them (signals node crash mid-dispatch)',
      [{ labels: o(), value: m.eventLeaseExpirations }]
    );
  }
  if (m.eventRetries.length > 0) {
    w.family(
      'kici_orch_event_retry_total',
      'counter',
      'Internal-event dispatch failures that triggered a retry (lease released, next_retry_at scheduled)',
      m.eventRetries.map((r) => ({ labels: o({ event_name: r.eventName }), value: r.count }))
    );
  }
  if (m.eventDispatchSuccesses.length > 0) {
    w.family(
      'kici_orch_event_dispatch_success_total',
      'counter',
      'Internal events delivered to all matching workflows successfully (after the lease commits processed=true)',
      m.eventDispatchSuccesses.map((r) => ({ labels: o({ event_name: r.eventName }), value: r.count }))
    );
  }
  if (m.eventAttempts.length > 0) {
    w.histogram(
      'kici_orch_event_attempts',
      'Distribution of dispatch attempts at terminal outcome (success or DLQ)',
      EVENT_ATTEMPTS_BUCKETS,
      m.eventAttempts.map((a) => ({
        labels: o({ event_name: a.eventName, result: a.result }),
        observations: a.attempts,
      }))
    );
  }
  if (m.eventDlqTotals.length > 0) {
    w.family(
      'kici_orch_event_dlq_total',
      'counter',
      'Internal events moved to the DLQ after exhausting retries',
      m.eventDlqTotals.map((r) => ({
        labels: o({ event_name: r.eventName, reason: 'exhausted_retries' }),
        value: r.count,
      }))
    );
  }
  if (m.executions.length > 0) {
    w.family(
      'kici_orch_executions_total',
      'counter',
      'Total number of execution runs',
      m.executions.map((e) => ({ labels: o({ status: e.status }), value: e.count }))
    );
  }
  if (m.executionDurationsSeconds.length > 0) {
    w.histogram(
      'kici_orch_execution_duration_seconds',
      'Duration of execution runs in seconds',
      EXECUTION_DURATION_BUCKETS,
      [{ labels: o(), observations: m.executionDurationsSeconds }]
    );
  }
  w.histogram('kici_orch_job_duration_seconds', 'Scheduled job tick duration in seconds', JOB_DURATION_BUCKETS, [
    { labels: o({ job: 'unroutable-probe' }), observations: [0.003] },
  ]);
  w.family('kici_orch_job_runs_total', 'counter', 'Scheduled job run outcomes, by job and result (success/failure)', [
    { labels: o({ job: 'unroutable-probe', result: 'success' }), value: 1 },
  ]);
  gauge(
    w,
    'kici_orch_job_last_success_timestamp_seconds',
    'Unix timestamp of the most recent successful scheduled job tick',
    Math.floor(m.nowSeconds),
    { job: 'unroutable-probe' }
  );
  gauge(
    w,
    'kici_orch_job_consecutive_failures',
    'Consecutive failures for each scheduled job since its last success',
    0,
    {
      job: 'unroutable-probe',
    }
  );

  // The agent aggregator's text follows after a blank line: TYPE only, no HELP, no otel_scope_name,
  // summed per `scaler` and never labelled by agent_id (contract §7.4).
  if (m.agentAggregates.length > 0) {
    w.blank();
    renderAgentAggregates(w, m.agentAggregates, m.runtime);
  }
  return w.toString();
}

function renderAgentAggregates(w: ExpositionWriter, groups: AgentAggregate[], rt: RuntimeSnapshot): void {
  const lbl = (g: AgentAggregate, extra: Labels = {}): Labels =>
    g.scaler === null ? { ...extra } : { ...extra, scaler: g.scaler };
  w.family(
    'kici_agent_connection_status',
    'gauge',
    undefined,
    groups.map((g) => ({ labels: lbl(g), value: g.connected }))
  );
  w.family(
    'kici_agent_jobs_active',
    'gauge',
    undefined,
    groups.map((g) => ({ labels: lbl(g), value: g.jobsActive }))
  );
  const jobs = groups.flatMap((g) => [
    ...(g.jobsSucceeded > 0 ? [{ labels: lbl(g, { status: 'success' }), value: g.jobsSucceeded }] : []),
    ...(g.jobsFailed > 0 ? [{ labels: lbl(g, { status: 'failed' }), value: g.jobsFailed }] : []),
  ]);
  if (jobs.length > 0) {
    w.family('kici_agent_jobs_total', 'counter', undefined, jobs);
  }
  // Runtime families are summed over the group's agents (hence the scale).
  runtimeFamilies(
    w,
    rt,
    groups.map((g) => ({ labels: lbl(g), scale: g.connected })),
    true
  );
}

export interface AgentMetricsInput {
  target: OrchestratorMetricsInput['target'];
  runtime: RuntimeSnapshot;
  connected: boolean;
  activeJobs: number;
  jobsSucceeded: number;
  jobsFailed: number;
}

/** An agent's own port-8080 /metrics (samples/agent1.metrics.txt). */
export function renderAgentMetrics(m: AgentMetricsInput): string {
  const w = new ExpositionWriter();
  targetInfo(w, 'kici-agent', m.target, '/opt/kici/agent/dist/server.js');
  w.family(
    'kici_agent_connection_status',
    'gauge',
    'Orchestrator WebSocket connection status (0=disconnected, 1=connected)',
    [{ labels: { ...AGENT_SCOPE }, value: m.connected ? 1 : 0 }]
  );
  w.family('kici_agent_jobs_active', 'gauge', 'Number of currently running jobs', [
    { labels: { ...AGENT_SCOPE }, value: m.activeJobs },
  ]);
  const jobs = [
    ...(m.jobsSucceeded > 0 ? [{ labels: { status: 'success', ...AGENT_SCOPE }, value: m.jobsSucceeded }] : []),
    ...(m.jobsFailed > 0 ? [{ labels: { status: 'failed', ...AGENT_SCOPE }, value: m.jobsFailed }] : []),
  ];
  if (jobs.length > 0) {
    w.family('kici_agent_jobs_total', 'counter', 'Total number of completed jobs', jobs);
  }
  runtimeFamilies(w, m.runtime, [{ labels: RUNTIME_SCOPE, scale: 1 }], false);
  return w.toString();
}
