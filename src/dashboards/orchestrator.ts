/* eslint-disable @typescript-eslint/no-deprecated -- classic (v1) dashboard JSON on purpose: Grafana 11.6 (our floor) cannot load the v2 schema. */
// Orchestrator health (Prometheus). HA rules (contract §7.5): gauges every coordinator reads from the shared
// database (dispatch queue, stale runs) are aggregated with max(); node-local gauges and all counters with sum().
import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';

import { appPageUrl, DASHBOARD_UIDS, dashboardUrl } from './constants';
import {
  dashboard,
  finalizeDashboard,
  link,
  orchestratorScopeVariables,
  prom,
  prometheusVariable,
  SCOPE,
  stat,
  thresholds,
  timeseries,
  valueText,
} from './panels';
import { increaseCountingBirths, RATE_INTERVAL_SECONDS, rateCountingBirths } from './counters';

const RUNTIME_SCOPE = `${SCOPE}, otel_scope_name="@opentelemetry/instrumentation-runtime-node"`;

// The duration histogram's series are born at a run's first observation, like every OTel instrument's (contract §7.1).
const durationRate = rateCountingBirths(
  `kici_orch_execution_duration_seconds_bucket{${SCOPE}}`,
  '$__rate_interval',
  RATE_INTERVAL_SECONDS
);

export function buildOrchestratorDashboard(): Dashboard {
  const infrastructure = link('Infrastructure', appPageUrl('infrastructure'));
  const builder = dashboard(
    DASHBOARD_UIDS.orchestrator,
    'KiCI orchestrator',
    'Coordinators: liveness, dispatch queue, executions, scheduled jobs, database and runtime.'
  )
    .time({ from: 'now-6h', to: 'now' })
    .refresh('30s')
    .variables([prometheusVariable(), ...orchestratorScopeVariables()])
    .link(link('Overview', appPageUrl('overview')))
    .link(infrastructure)
    .withRow(new RowBuilder('Health'))
    .withPanel(
      stat('Orchestrators up', 'Scrape targets answering /metrics (Prometheus `up`), out of those selected.')
        .withTarget(prom(`sum(up{${SCOPE}})`, 'up'))
        .withTarget(prom(`count(up{${SCOPE}})`, 'total', 'B'))
        .dataLinks([infrastructure])
    )
    .withPanel(
      stat('Draining', 'Coordinators in drain mode (`kici_orchestrator_draining`, 0.9.x).')
        .withTarget(prom(`sum(kici_orchestrator_draining{${SCOPE}}) or vector(0)`, 'draining'))
        .thresholds(
          thresholds([
            [null, 'green'],
            [1, 'orange'],
          ])
        )
        .dataLinks([infrastructure])
    )
    .withPanel(
      stat('Agents connected', 'Agents holding a WebSocket to a selected coordinator (node-local, so summed).')
        .withTarget(prom(`sum(kici_orch_agents_active{${SCOPE}})`, 'agents'))
        .thresholds(
          thresholds([
            [null, 'red'],
            [1, 'green'],
          ])
        )
        .dataLinks([infrastructure])
    )
    .withPanel(
      stat(
        'Pending jobs',
        'Jobs waiting in dispatch_queue. Every coordinator reports the same database count: max(), never sum().'
      )
        .withTarget(prom(`max(kici_orch_dispatch_queue_depth{status="pending", ${SCOPE}})`, 'pending'))
        .thresholds(
          thresholds([
            [null, 'green'],
            [50, 'orange'],
          ])
        )
    )
    .withPanel(
      stat('Stale runs', "Stale jobs found by each coordinator's last scan of the shared database (max).")
        .withTarget(prom(`max(kici_orch_stale_runs_current{${SCOPE}})`, 'stale'))
        .thresholds(
          thresholds([
            [null, 'green'],
            [1, 'red'],
          ])
        )
    )
    .withPanel(
      stat('DLQ admissions (range)', 'Internal events moved to the DLQ in the selected time range.')
        .withTarget(
          prom(`sum(${increaseCountingBirths(`kici_orch_event_dlq_total{${SCOPE}}`, '$__range')}) or vector(0)`, 'dlq')
        )
        .thresholds(
          thresholds([
            [null, 'green'],
            [1, 'red'],
          ])
        )
        .dataLinks([
          link('Event DLQ', appPageUrl('dlq')),
          link('Event delivery dashboard', dashboardUrl(DASHBOARD_UIDS.eventDelivery)),
        ])
    )
    .withRow(new RowBuilder('Coordinators'))
    .withPanel(
      timeseries('Scrape up', "1 = the coordinator's /metrics answered (a liveness proxy for /ready).")
        .withTarget(prom(`up{${SCOPE}}`, '{{instance}}'))
        .mappings(valueText({ '0': ['down', 'red'], '1': ['up', 'green'] }))
        .min(0)
        .max(1)
        .dataLinks([infrastructure])
    )
    .withPanel(
      timeseries('Agents connected by coordinator', "Agents registered in each coordinator's in-memory registry.")
        .withTarget(prom(`sum by (instance) (kici_orch_agents_active{${SCOPE}})`, '{{instance}}'))
        .dataLinks([infrastructure])
    )
    .withPanel(
      timeseries(
        'Dispatch queue',
        'dispatch_queue rows by status (shared database: max across coordinators).'
      ).withTarget(prom(`max by (status) (kici_orch_dispatch_queue_depth{${SCOPE}})`, '{{status}}'))
    )
    .withPanel(
      timeseries(
        'Pending jobs by runs_on label',
        'Pending jobs per requested label (multi-label jobs count once per label). A label that stays pending while ' +
          'agents are connected has no agent that can take it.'
      ).withTarget(
        prom(`max by (label) (kici_orch_dispatch_queue_depth_by_label{status="pending", ${SCOPE}}) > 0`, '{{label}}')
      )
    )
    .withRow(new RowBuilder('Executions'))
    .withPanel(
      timeseries(
        'Runs finished per minute',
        'Execution runs reaching a final status (`pending` is counted at creation).'
      )
        .withTarget(
          prom(
            `60 * sum by (status) (${rateCountingBirths(`kici_orch_executions_total{status!="pending", ${SCOPE}}`, '$__rate_interval', RATE_INTERVAL_SECONDS)})`,
            '{{status}}'
          )
        )
        .unit('cpm')
    )
    .withPanel(
      timeseries('Run duration', 'Execution run duration quantiles (all coordinators).')
        .withTarget(prom(`histogram_quantile(0.5, sum by (le) (${durationRate}))`, 'p50'))
        .withTarget(prom(`histogram_quantile(0.9, sum by (le) (${durationRate}))`, 'p90', 'B'))
        .unit('s')
    )
    .withRow(new RowBuilder('Scheduled jobs'))
    .withPanel(
      timeseries(
        'Time since last success',
        'Per scheduled job. KiCI names the job in a `job` label, which Prometheus renames to `exported_job` at scrape ' +
          'time (the target already has a `job`).'
      )
        .withTarget(
          prom(
            `time() - max by (exported_job) (kici_orch_job_last_success_timestamp_seconds{${SCOPE}})`,
            '{{exported_job}}'
          )
        )
        .unit('s')
    )
    .withPanel(
      timeseries('Consecutive failures', 'Failures since the last success, per scheduled job.')
        .withTarget(prom(`max by (exported_job) (kici_orch_job_consecutive_failures{${SCOPE}})`, '{{exported_job}}'))
        .thresholds(
          thresholds([
            [null, 'green'],
            [3, 'red'],
          ])
        )
    )
    .withRow(new RowBuilder('Database and runtime'))
    .withPanel(
      timeseries(
        'PostgreSQL client errors',
        'pg connection errors absorbed without a restart, per coordinator.'
      ).withTarget(
        prom(
          `sum by (instance, source) (${increaseCountingBirths(`kici_orch_pg_pool_client_errors_total{${SCOPE}}`, '$__rate_interval')})`,
          '{{instance}} {{source}}'
        )
      )
    )
    .withPanel(
      timeseries(
        'LISTEN subscriptions',
        '1 when the LISTEN on a channel is live (0.9.x); kici_event_channel carries events.'
      )
        .withTarget(
          prom(`min by (instance, channel) (kici_orch_pg_listen_connected{${SCOPE}})`, '{{instance}} {{channel}}')
        )
        .min(0)
        .max(1)
    )
    .withPanel(
      timeseries(
        'Event loop delay p99',
        "Ingest's event-loop delay p99 per coordinator (shedding starts at loop_lag_shed_ms)."
      )
        .withTarget(prom(`max by (instance) (kici_orch_ingest_event_loop_delay_p99_ms{${SCOPE}})`, '{{instance}}'))
        .unit('ms')
    )
    .withPanel(
      timeseries(
        'Heap used',
        "The coordinator's own V8 heap (agents' runtime series re-exported by the orchestrator are excluded)."
      )
        .withTarget(prom(`sum by (instance) (v8js_memory_heap_used{${RUNTIME_SCOPE}})`, '{{instance}}'))
        .unit('bytes')
    );
  return finalizeDashboard(builder.build());
}
