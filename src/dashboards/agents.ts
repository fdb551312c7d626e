/* eslint-disable @typescript-eslint/no-deprecated -- classic (v1) dashboard JSON on purpose: Grafana 11.6 (our floor) cannot load the v2 schema. */
// Agents and scaler pools (Prometheus). An orchestrator re-exports its agents' metrics summed per `scaler`
// (contract §7.4): there is no per-agent label, and no `scaler` label at all without a scaler manager.
import {
  QueryVariableBuilder,
  RowBuilder,
  VariableRefresh,
  type Dashboard,
} from '@grafana/grafana-foundation-sdk/dashboard';

import { appPageUrl, DASHBOARD_UIDS, PROMETHEUS } from './constants';
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
} from './panels';

const AGENT_SCOPE = `${SCOPE}, scaler=~"$scaler"`;

function quantile(q: number, histogram: string, refId: string) {
  return prom(
    `histogram_quantile(${q}, sum by (scaler, le) (rate(${histogram}_bucket{${AGENT_SCOPE}}[$__rate_interval])))`,
    `p${q * 100} {{scaler}}`,
    refId
  );
}

export function buildAgentsDashboard(): Dashboard {
  const infrastructure = link('Infrastructure', appPageUrl('infrastructure'));
  const builder = dashboard(
    DASHBOARD_UIDS.agents,
    'KiCI agents',
    'Agents aggregated per scaler pool as the orchestrators re-export them, and the scalers that spawn them.'
  )
    .time({ from: 'now-6h', to: 'now' })
    .refresh('30s')
    .variables([
      prometheusVariable(),
      ...orchestratorScopeVariables(),
      new QueryVariableBuilder('scaler')
        .label('Scaler')
        .datasource(PROMETHEUS)
        .query(`label_values(kici_agent_connection_status{${SCOPE}}, scaler)`)
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .multi(true)
        .includeAll(true)
        // `.*` also matches series without a scaler label (stateful agents on a node without a scaler manager).
        .allValue('.*'),
    ])
    .link(infrastructure)
    .withRow(new RowBuilder('Fleet'))
    .withPanel(
      stat('Agents connected', "Agents in the coordinators' registries (node-local, summed).")
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
      stat('Agents reporting connected', "Sum of the agents' own connection status (1 each when connected).")
        .withTarget(prom(`sum(kici_agent_connection_status{${AGENT_SCOPE}})`, 'connected'))
        .dataLinks([infrastructure])
    )
    .withPanel(
      stat('Jobs running', 'Jobs running on agents right now.').withTarget(
        prom(`sum(kici_agent_jobs_active{${AGENT_SCOPE}})`, 'running')
      )
    )
    .withPanel(
      timeseries('Connected agents by scaler', '`stateful` = agents not managed by a scaler.')
        .withTarget(prom(`sum by (scaler) (kici_agent_connection_status{${AGENT_SCOPE}})`, '{{scaler}}'))
        .dataLinks([infrastructure])
    )
    .withPanel(
      timeseries('Jobs running by scaler', 'Running jobs per scaler pool.').withTarget(
        prom(`sum by (scaler) (kici_agent_jobs_active{${AGENT_SCOPE}})`, '{{scaler}}')
      )
    )
    .withRow(new RowBuilder('Jobs and steps'))
    .withPanel(
      timeseries(
        'Jobs completed per minute',
        'By scaler and status (agents emit success|failed). An agent leaving the pool lowers the sum, which rate() ' +
          'treats as a counter reset.'
      )
        .withTarget(
          prom(
            `60 * sum by (scaler, status) (rate(kici_agent_jobs_total{${AGENT_SCOPE}}[$__rate_interval]))`,
            '{{scaler}} {{status}}'
          )
        )
        .unit('cpm')
    )
    .withPanel(
      timeseries('Step duration', 'Step duration quantiles per scaler.')
        .withTarget(quantile(0.5, 'kici_agent_step_duration_seconds', 'A'))
        .withTarget(quantile(0.9, 'kici_agent_step_duration_seconds', 'B'))
        .unit('s')
    )
    .withPanel(
      timeseries('Git clone duration', 'Clone duration quantiles per scaler.')
        .withTarget(quantile(0.5, 'kici_agent_clone_duration_seconds', 'A'))
        .withTarget(quantile(0.9, 'kici_agent_clone_duration_seconds', 'B'))
        .unit('s')
    )
    .withRow(new RowBuilder('Log streaming'))
    .withPanel(
      timeseries('Log throughput', 'Log bytes streamed from agents to the orchestrators.')
        .withTarget(
          prom(`sum by (scaler) (rate(kici_agent_log_bytes_total{${AGENT_SCOPE}}[$__rate_interval]))`, '{{scaler}}')
        )
        .unit('Bps')
    )
    .withPanel(
      timeseries('Log backpressure', 'Agents in backpressure (by mode) and log lines dropped because of it.')
        .withTarget(
          prom(
            `sum by (scaler, mode) (kici_agent_log_backpressure_active{${AGENT_SCOPE}})`,
            'active {{scaler}} {{mode}}'
          )
        )
        .withTarget(
          prom(
            `sum by (scaler) (increase(kici_agent_log_lines_dropped_total{${AGENT_SCOPE}}[$__rate_interval]))`,
            'dropped {{scaler}}',
            'B'
          )
        )
    )
    .withRow(new RowBuilder('Scalers'))
    .withPanel(
      timeseries('CPU reservations', "Per coordinator and scaler (each coordinator's own scalers).")
        .withTarget(
          prom(
            `sum by (instance, scaler) (kici_orch_scaler_cpus_used{scaler!="__global__", ${SCOPE}})`,
            '{{instance}} {{scaler}}'
          )
        )
        .dataLinks([infrastructure])
    )
    .withPanel(
      timeseries('Memory reservations', "Per coordinator and scaler (each coordinator's own scalers).")
        .withTarget(
          prom(
            `sum by (instance, scaler) (kici_orch_scaler_memory_bytes_used{scaler!="__global__", ${SCOPE}})`,
            '{{instance}} {{scaler}}'
          )
        )
        .unit('bytes')
    )
    .withPanel(
      timeseries(
        'Spawn failures and cap refusals',
        'Spawn failures by backend (counter). Refusals due to resource caps: KiCI exports a cumulative *gauge*, so ' +
          'it is differenced with delta() (restarts clamped to 0), not rate().'
      )
        .withTarget(
          prom(
            `sum by (backend) (increase(kici_orch_scaler_spawn_failures_total{${SCOPE}}[$__rate_interval]))`,
            'failures {{backend}}'
          )
        )
        .withTarget(
          prom(
            `sum by (instance) (clamp_min(delta(kici_orch_scaler_spawn_refusals_total{${SCOPE}}[$__rate_interval]), 0))`,
            'refusals {{instance}}',
            'B'
          )
        )
    )
    .withPanel(
      timeseries('Warm pools', 'Ready agents against the target per scaler and label set (0.9.x).')
        .withTarget(
          prom(
            `max by (scaler, labelSet) (kici_orch_scaler_warm_pool_ready{${SCOPE}})`,
            'ready {{scaler}} {{labelSet}}'
          )
        )
        .withTarget(
          prom(
            `max by (scaler, labelSet) (kici_orch_scaler_warm_pool_target{${SCOPE}})`,
            'target {{scaler}} {{labelSet}}',
            'B'
          )
        )
    );
  return finalizeDashboard(builder.build());
}
