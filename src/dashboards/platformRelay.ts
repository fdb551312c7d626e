/* eslint-disable @typescript-eslint/no-deprecated -- classic (v1) dashboard JSON on purpose: Grafana 11.6 (our floor) cannot load the v2 schema. */
// Webhook ingress and the Platform relay (Prometheus): what enters the pipeline, how it is processed, and the
// ingest limiter and Platform WebSocket in front of it.
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
} from './panels';

// Every webhook entering the pipeline counts once with source="pipeline"; direct generic webhooks count a second
// time with source="generic" at ingress. Summing both double-counts them.
const PIPELINE = `kici_orch_webhooks_received_total{source="pipeline", ${SCOPE}}`;
const GENERIC = `kici_orch_webhooks_received_total{source="generic", ${SCOPE}}`;

export function buildPlatformRelayDashboard(): Dashboard {
  const logsTrace = link('Logs trace', dashboardUrl(DASHBOARD_UIDS.logsTrace));
  const builder = dashboard(
    DASHBOARD_UIDS.platformRelay,
    'KiCI platform relay and webhooks',
    'Webhooks relayed by the KiCI Platform or received directly, trigger matching, the ingest limiter and the ' +
      'Platform WebSocket.'
  )
    .time({ from: 'now-6h', to: 'now' })
    .refresh('30s')
    .variables([prometheusVariable(), ...orchestratorScopeVariables()])
    .link(link('Traces page', appPageUrl('traces')))
    .link(logsTrace)
    .withRow(new RowBuilder('Ingress'))
    .withPanel(
      stat('Webhooks per minute', 'Webhooks entering the pipeline (each counted once).')
        .withTarget(prom(`60 * sum(rate(${PIPELINE}[5m]))`, 'webhooks'))
        .unit('cpm')
        .dataLinks([logsTrace])
    )
    .withPanel(
      stat('Shedding', 'Coordinators whose ingest limiter is shedding load (0.9.x).')
        .withTarget(prom(`sum(kici_orch_ingest_shedding_active{${SCOPE}}) or vector(0)`, 'shedding'))
        .thresholds(
          thresholds([
            [null, 'green'],
            [1, 'red'],
          ])
        )
    )
    .withPanel(
      stat('Pipeline failures (range)', 'Webhook pipeline failures in the selected range (0.9.x).')
        .withTarget(
          prom(`sum(increase(kici_orch_webhook_pipeline_failures_total{${SCOPE}}[$__range])) or vector(0)`, 'failures')
        )
        .thresholds(
          thresholds([
            [null, 'green'],
            [1, 'red'],
          ])
        )
        .dataLinks([logsTrace])
    )
    .withPanel(
      timeseries(
        'Webhooks by path',
        'Direct generic webhooks (source="generic") against everything else entering the pipeline: relayed by the ' +
          'Platform or posted directly to the GitHub route.'
      )
        .withTarget(prom(`60 * sum(rate(${GENERIC}[$__rate_interval]))`, 'direct generic'))
        .withTarget(
          prom(
            `60 * (sum(rate(${PIPELINE}[$__rate_interval])) - (sum(rate(${GENERIC}[$__rate_interval])) or vector(0)))`,
            'relayed or direct GitHub',
            'B'
          )
        )
        .unit('cpm')
        .dataLinks([logsTrace])
    )
    .withPanel(
      timeseries('Webhooks by event', 'Pipeline webhooks per provider event.')
        .withTarget(prom(`60 * sum by (event) (rate(${PIPELINE}[$__rate_interval]))`, '{{event}}'))
        .unit('cpm')
    )
    .withRow(new RowBuilder('Processing'))
    .withPanel(
      timeseries('Webhooks processed by result', 'matched | skipped | handled | dispatched.')
        .withTarget(
          prom(
            `60 * sum by (result) (rate(kici_orch_webhooks_processed_total{${SCOPE}}[$__rate_interval]))`,
            '{{result}}'
          )
        )
        .unit('cpm')
    )
    .withPanel(
      timeseries('Trigger matching', 'Trigger match duration quantiles and deduplication cache hits.')
        .withTarget(
          prom(
            `histogram_quantile(0.9, sum by (le) (rate(kici_orch_trigger_match_duration_seconds_bucket{${SCOPE}}[$__rate_interval])))`,
            'p90 match'
          )
        )
        .withTarget(prom(`sum(rate(kici_orch_dedup_hits_total{${SCOPE}}[$__rate_interval]))`, 'dedup hits/s', 'B'))
        .unit('s')
        .overrideByName('dedup hits/s', [{ id: 'unit', value: 'reqps' }])
    )
    .withPanel(
      timeseries('Pipeline failures by phase', 'Webhook pipeline failures by phase (0.9.x).')
        .withTarget(
          prom(
            `sum by (phase) (increase(kici_orch_webhook_pipeline_failures_total{${SCOPE}}[$__rate_interval]))`,
            '{{phase}}'
          )
        )
        .dataLinks([logsTrace])
    )
    .withPanel(
      timeseries('Trust policy decisions', 'Decisions by action and arm (0.9.x).')
        .withTarget(
          prom(
            `sum by (action, arm) (rate(kici_orch_trust_policy_decisions_total{${SCOPE}}[$__rate_interval]))`,
            '{{action}} {{arm}}'
          )
        )
        .unit('reqps')
    )
    .withRow(new RowBuilder('Ingest limiter and Platform WebSocket'))
    .withPanel(
      timeseries('Ingest in flight and queued', 'Per coordinator (node-local).')
        .withTarget(prom(`sum by (instance) (kici_orch_ingest_inflight{${SCOPE}})`, 'in flight {{instance}}'))
        .withTarget(prom(`sum by (instance) (kici_orch_ingest_queue_depth{${SCOPE}})`, 'queued {{instance}}', 'B'))
        .withTarget(
          prom(`sum by (instance) (kici_orch_ingest_overflow_buffered{${SCOPE}})`, 'overflow {{instance}}', 'C')
        )
    )
    .withPanel(
      timeseries('Admitted and shed', 'Ingest admissions and sheds per second.')
        .withTarget(
          prom(
            `sum by (instance) (rate(kici_orch_ingest_admitted_total{${SCOPE}}[$__rate_interval]))`,
            'admitted {{instance}}'
          )
        )
        .withTarget(
          prom(
            `sum by (instance) (rate(kici_orch_ingest_shed_total{${SCOPE}}[$__rate_interval]))`,
            'shed {{instance}}',
            'B'
          )
        )
        .withTarget(
          prom(
            `sum by (instance) (rate(kici_orch_ingest_overflow_dropped_total{${SCOPE}}[$__rate_interval]))`,
            'dropped {{instance}}',
            'C'
          )
        )
        .unit('reqps')
    )
    .withPanel(
      timeseries(
        'Platform WebSocket anomalies',
        'NACKs from the Platform, unsupported messages sent, capability gaps (0.9.x).'
      )
        .withTarget(
          prom(
            `sum by (instance) (increase(kici_orch_ws_nack_received_total{${SCOPE}}[$__rate_interval]))`,
            'nack {{instance}}'
          )
        )
        .withTarget(
          prom(
            `sum by (instance) (increase(kici_orch_ws_unsupported_message_sent_total{${SCOPE}}[$__rate_interval]))`,
            'unsupported {{instance}}',
            'B'
          )
        )
        .withTarget(
          prom(
            `sum by (instance) (increase(kici_orch_ws_platform_capability_gap_total{${SCOPE}}[$__rate_interval]))`,
            'capability gap {{instance}}',
            'C'
          )
        )
        .dataLinks([link('Infrastructure', appPageUrl('infrastructure'))])
    );
  return finalizeDashboard(builder.build());
}
