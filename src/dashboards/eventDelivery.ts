/* eslint-disable @typescript-eslint/no-deprecated -- classic (v1) dashboard JSON on purpose: Grafana 11.6 (our floor) cannot load the v2 schema. */
// Internal event delivery and the DLQ. The database is the truth for DLQ depth (KiCI datasource); the Prometheus
// gauge `kici_orch_event_dlq_depth` is written only by the Raft leader, followers report 0 and an ex-leader keeps its
// last value forever (contract §7.5), so it is shown per coordinator for what it is. Admissions, retries and lease
// expirations are counters on the node that did the work: sum().
import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as TablePanelBuilder } from '@grafana/grafana-foundation-sdk/table';
import * as common from '@grafana/grafana-foundation-sdk/common';

import { appPageUrl, DASHBOARD_UIDS, dashboardUrl, KICI } from './constants';
import {
  dashboard,
  finalizeDashboard,
  KiciQueryBuilder,
  kiciVariable,
  link,
  orchestratorScopeVariables,
  prom,
  prometheusVariable,
  SCOPE,
  stat,
  thresholds,
  timeseries,
} from './panels';
import { increaseCountingBirths, RATE_INTERVAL_SECONDS, rateCountingBirths } from './counters';

/** rate() over `$__rate_interval` of a KiCI counter (or histogram series), counting series born in the window. */
const eventRate = (metric: string) =>
  rateCountingBirths(`${metric}{${SCOPE}}`, '$__rate_interval', RATE_INTERVAL_SECONDS);

export function buildEventDeliveryDashboard(): Dashboard {
  const dlqPage = link('Event DLQ', appPageUrl('dlq'));
  const logsTrace = link('Logs trace', dashboardUrl(DASHBOARD_UIDS.logsTrace));
  const builder = dashboard(
    DASHBOARD_UIDS.eventDelivery,
    'KiCI event delivery',
    'Internal events (kici_events): dispatch outcomes, retries, lease expirations and the dead-letter queue.'
  )
    .time({ from: 'now-24h', to: 'now' })
    .refresh('30s')
    .variables([prometheusVariable(), kiciVariable(), ...orchestratorScopeVariables()])
    .link(dlqPage)
    .link(logsTrace)
    .withRow(new RowBuilder('Dead-letter queue'))
    .withPanel(
      stat('DLQ depth (database)', 'Events in the DLQ now, counted in kici_events (dlq_at IS NOT NULL).')
        .datasource(KICI)
        .withTarget(new KiciQueryBuilder({ refId: 'A', queryType: 'dlqDepth' }))
        .graphMode(common.BigValueGraphMode.None)
        .thresholds(
          thresholds([
            [null, 'green'],
            [1, 'red'],
          ])
        )
        .dataLinks([dlqPage])
    )
    .withPanel(
      stat('DLQ admissions (range)', 'Events moved to the DLQ in the selected range, all coordinators.')
        .withTarget(
          prom(
            `sum(${increaseCountingBirths(`kici_orch_event_dlq_total{${SCOPE}}`, '$__range')}) or vector(0)`,
            'admitted'
          )
        )
        .thresholds(
          thresholds([
            [null, 'green'],
            [1, 'red'],
          ])
        )
        .dataLinks([dlqPage, logsTrace])
    )
    .withPanel(
      stat(
        'Lease expirations (range)',
        'Dispatch leases released by the leader because the holding node died or hung mid-dispatch; each costs the ' +
          'event an attempt.'
      )
        .withTarget(
          prom(
            `sum(${increaseCountingBirths(`kici_orch_event_lease_expirations_total{${SCOPE}}`, '$__range')}) or vector(0)`,
            'expired'
          )
        )
        .thresholds(
          thresholds([
            [null, 'green'],
            [1, 'orange'],
          ])
        )
        .dataLinks([link('Infrastructure', appPageUrl('infrastructure'))])
    )
    .withPanel(
      timeseries('DLQ admissions by event', 'Events moved to the DLQ after exhausting their attempts, by event name.')
        .withTarget(
          prom(
            `sum by (event_name) (${increaseCountingBirths(`kici_orch_event_dlq_total{${SCOPE}}`, '$__rate_interval')})`,
            '{{event_name}}'
          )
        )
        .drawStyle(common.GraphDrawStyle.Bars)
        .fillOpacity(60)
        .dataLinks([
          link(
            'Triage ${__field.labels.event_name} in the DLQ',
            appPageUrl('dlq', 'eventName=${__field.labels.event_name}')
          ),
          logsTrace,
        ])
    )
    .withPanel(
      timeseries(
        'DLQ depth gauge by coordinator',
        'kici_orch_event_dlq_depth as each coordinator reports it: only the current leader refreshes it; followers ' +
          'report 0 and an ex-leader keeps its last value. Trust the database count above; use this for history.'
      ).withTarget(prom(`kici_orch_event_dlq_depth{${SCOPE}}`, '{{instance}}'))
    )
    .withPanel(
      new TablePanelBuilder()
        .title('Latest DLQ events')
        .description('The newest dead-lettered events. The id opens the logs trace for that event.')
        .datasource(KICI)
        .withTarget(
          new KiciQueryBuilder({ refId: 'A', queryType: 'dlqEvents', sort: 'dlqAt', sortDirection: 'desc', limit: 20 })
        )
        .overrideByRegexp('^(id|eventId)$', [
          {
            id: 'links',
            value: [
              {
                title: 'Logs trace for this event',
                url: dashboardUrl(DASHBOARD_UIDS.logsTrace, ['var-eventId=${__value.raw}']),
              },
              { title: 'Open in the DLQ page', url: appPageUrl('dlq', 'eventId=${__value.raw}') },
            ],
          },
        ])
        .span(24)
        .height(8)
    )
    .withPanel(
      new TablePanelBuilder()
        .title('DLQ error signatures')
        .description(
          'The DLQ grouped by the reason events failed (the last error with ids, numbers, hosts and quoted values ' +
            'normalised away), most events first. The alert "A new KiCI DLQ error signature appeared" fires for each ' +
            'signature first admitted in the last 15 minutes.'
        )
        .datasource(KICI)
        .withTarget(new KiciQueryBuilder({ refId: 'A', queryType: 'dlqSignatures' }))
        .overrideByName('signatureId', [
          {
            id: 'links',
            value: [{ title: 'Filter the DLQ by this signature', url: appPageUrl('dlq', 'signature=${__value.raw}') }],
          },
        ])
        .span(24)
        .height(8)
    )
    .withRow(new RowBuilder('Dispatch'))
    .withPanel(
      timeseries('Dispatch outcomes', 'Per second: delivered, failed and scheduled for retry, dead-lettered.')
        .withTarget(prom(`sum(${eventRate('kici_orch_event_dispatch_success_total')})`, 'delivered'))
        .withTarget(prom(`sum(${eventRate('kici_orch_event_retry_total')})`, 'retry scheduled', 'B'))
        .withTarget(prom(`sum(${eventRate('kici_orch_event_dlq_total')})`, 'dead-lettered', 'C'))
        .unit('reqps')
    )
    .withPanel(
      timeseries('Retries by event', 'Dispatch failures that scheduled a retry, by event name.').withTarget(
        prom(
          `sum by (event_name) (${increaseCountingBirths(`kici_orch_event_retry_total{${SCOPE}}`, '$__rate_interval')})`,
          '{{event_name}}'
        )
      )
    )
    .withPanel(
      timeseries('Lease expirations', 'Expired dispatch leases released by the leader scanner.')
        .withTarget(
          prom(
            `sum(${increaseCountingBirths(`kici_orch_event_lease_expirations_total{${SCOPE}}`, '$__rate_interval')})`,
            'expired'
          )
        )
        .drawStyle(common.GraphDrawStyle.Bars)
        .fillOpacity(60)
    )
    .withPanel(
      timeseries(
        'Attempts at terminal outcome',
        'Mean and p90 dispatch attempts for delivered and dead-lettered events.'
      )
        .withTarget(
          prom(
            `sum by (result) (${eventRate('kici_orch_event_attempts_sum')}) / sum by (result) (${eventRate('kici_orch_event_attempts_count')})`,
            'mean {{result}}'
          )
        )
        .withTarget(
          prom(
            `histogram_quantile(0.9, sum by (result, le) (${eventRate('kici_orch_event_attempts_bucket')}))`,
            'p90 {{result}}',
            'B'
          )
        )
    )
    .withPanel(
      new TablePanelBuilder()
        .title('Event backlog by state (database)')
        .description('kici_events by state: pending, claimed, retrying, dead-lettered.')
        .datasource(KICI)
        .withTarget(new KiciQueryBuilder({ refId: 'A', queryType: 'eventDelivery' }))
        .span(12)
        .height(8)
    )
    .withPanel(
      timeseries(
        'Event LISTEN connection',
        '1 while the coordinator LISTENs on kici_event_channel (0.9.x); without it new events wait for the retry scanner.'
      )
        .withTarget(
          prom(
            `min by (instance) (kici_orch_pg_listen_connected{channel="kici_event_channel", ${SCOPE}})`,
            '{{instance}}'
          )
        )
        .min(0)
        .max(1)
    );
  return finalizeDashboard(builder.build());
}
