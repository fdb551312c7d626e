/* eslint-disable @typescript-eslint/no-deprecated -- classic (v1) dashboard JSON on purpose: Grafana 11.6 (our floor) cannot load the v2 schema. */
// Logs trace (Loki): follow one webhook request, run, job or internal event across the Platform, orchestrator
// and agent tiers, in time order.
import { TextBoxVariableBuilder, RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import * as common from '@grafana/grafana-foundation-sdk/common';
import { PanelBuilder as LogsPanelBuilder } from '@grafana/grafana-foundation-sdk/logs';
import { LokiQueryDirection } from '@grafana/grafana-foundation-sdk/loki';

import { appPageUrl, DASHBOARD_UIDS, LOKI } from './constants';
import {
  anyTraceIdFilter,
  KICI_MESSAGES,
  kiciLogs,
  LIFECYCLE_PATTERN,
  raw,
  tierFilter,
  TIERS,
  type Tier,
} from './logql';
import { customVariable, dashboard, finalizeDashboard, link, loki, lokiLogs, lokiVariable, timeseries } from './panels';

function logsPanel(title: string, description: string, expr: string, sortOrder = common.LogsSortOrder.Ascending) {
  const direction =
    sortOrder === common.LogsSortOrder.Ascending ? LokiQueryDirection.Forward : LokiQueryDirection.Backward;
  return new LogsPanelBuilder()
    .title(title)
    .description(description)
    .datasource(LOKI)
    .withTarget(lokiLogs(expr, 'A', direction))
    .showTime(true)
    .showLabels(false)
    .showCommonLabels(false)
    .wrapLogMessage(true)
    .prettifyLogMessage(false)
    .enableLogDetails(true)
    .sortOrder(sortOrder)
    .dedupStrategy(common.LogsDedupStrategy.None)
    .span(24)
    .height(12);
}

const TIER_TITLES: Record<Tier, string> = { platform: 'Platform', orchestrator: 'Orchestrator', agent: 'Agent' };

const TIER_DESCRIPTIONS: Record<Tier, string> = {
  platform: 'Lines whose JSON `service` is `platform` (the KiCI Platform relay, when its logs are shipped).',
  orchestrator: "The orchestrators' own lines (JSON `service` = `orchestrator`); forwarded agent lines are not here.",
  agent:
    "Agent lines from both places they appear: the agent's own stream, and the orchestrator's stream where the scaler " +
    'log forwarder re-emits them with `"service":"agent"` (the stream label then says `orchestrator`).',
};

export function buildLogsTraceDashboard(): Dashboard {
  const ids = anyTraceIdFilter();
  const builder = dashboard(
    DASHBOARD_UIDS.logsTrace,
    'KiCI logs trace',
    'Follow a requestId, runId, jobId or eventId through the Platform, orchestrator and agent logs. Fill in any of ' +
      'the ids; lines carrying any of them are shown in time order. KiCI never sets traceId/spanId.'
  )
    .time({ from: 'now-6h', to: 'now' })
    .refresh('')
    .withVariable(lokiVariable())
    .withVariable(
      new TextBoxVariableBuilder('requestId')
        .defaultValue('')
        .label('requestId')
        .description('Webhook request id (X-Request-ID; the agent logs it as `Run: <runId> | Trace: <requestId>`)')
    )
    .withVariable(new TextBoxVariableBuilder('runId').label('runId').defaultValue('').description('Execution run id'))
    .withVariable(
      new TextBoxVariableBuilder('jobId').label('jobId').defaultValue('').description('Job id within a run')
    )
    .withVariable(
      new TextBoxVariableBuilder('eventId')
        .label('eventId')
        .defaultValue('')
        .description('Internal event id (kici_events.id, DLQ)')
    )
    .withVariable(customVariable('tier', 'Tier', [...TIERS], '.+'))
    .link(link('Traces page', appPageUrl('traces')))
    .link(link('Event DLQ', appPageUrl('dlq')))
    .withRow(new RowBuilder('Request lifecycle'))
    .withPanel(
      logsPanel(
        'Lifecycle: webhook → relay → triggers matched → dispatched → executed',
        'The milestones KiCI really logs: `Generic webhook accepted` (direct ingress) or `Webhook relay stream ' +
          'started` (via the Platform), `Webhook processed` (matchedWorkflows = triggers matched), `Job dispatched`, ' +
          "the agent's `Run: <runId> | Trace: <requestId>`, `Execution completed`. `Execution completed` carries " +
          'runId but usually no requestId: enter the runId too to see it.',
        kiciLogs(
          `|~ ${raw(LIFECYCLE_PATTERN)}`,
          `| kici_message=~${raw(LIFECYCLE_PATTERN)}`,
          ids,
          '| line_format "{{ .kici_service }} · {{ .kici_message }}"'
        )
      ).height(10)
    )
    .withPanel(
      logsPanel(
        'Every line, all tiers (ascending)',
        'Every line carrying one of the ids, across the tiers picked in Tier, oldest first.',
        kiciLogs(tierFilter('$tier'), ids)
      ).height(14)
    )
    .withRow(new RowBuilder('By tier'));
  for (const tier of TIERS) {
    builder.withPanel(
      logsPanel(`${TIER_TITLES[tier]} lines`, TIER_DESCRIPTIONS[tier], kiciLogs(tierFilter(tier), ids)).height(10)
    );
  }
  builder
    .withRow(new RowBuilder('Context'))
    .withPanel(
      timeseries('Errors by tier', 'Error-level lines per tier (whole stack, not only the traced ids).')
        .datasource(LOKI)
        .withTarget(
          loki(
            `sum by (kici_service) (count_over_time(${kiciLogs(tierFilter('$tier'), '| kici_level="error"')} [$__auto]))`,
            'A',
            '{{kici_service}}'
          )
        )
        .drawStyle(common.GraphDrawStyle.Bars)
        .fillOpacity(60)
        .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
    )
    .withPanel(
      timeseries(
        'Jobs dispatched by routing key',
        '`Job dispatched` lines per routing key (the request context sets routingKey for relayed and direct webhooks).'
      )
        .datasource(LOKI)
        .withTarget(
          loki(
            `sum by (routingKey) (count_over_time(${kiciLogs(
              `|= "${KICI_MESSAGES.jobDispatched}"`,
              `| kici_message="${KICI_MESSAGES.jobDispatched}"`
            )} [$__auto]))`,
            'A',
            '{{routingKey}}'
          )
        )
        .drawStyle(common.GraphDrawStyle.Bars)
        .fillOpacity(60)
        .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
    )
    .withPanel(
      logsPanel(
        'Events moved to the DLQ',
        `\`${KICI_MESSAGES.eventMovedToDlq}\` lines (newest first), narrowed to the eventId when one is entered. ` +
          "Triage them on the app's Event DLQ page.",
        kiciLogs(
          `|= "${KICI_MESSAGES.eventMovedToDlq}"`,
          '|= "$eventId"',
          `| kici_message="${KICI_MESSAGES.eventMovedToDlq}"`
        ),
        common.LogsSortOrder.Descending
      ).height(8)
    )
    .withPanel(
      logsPanel(
        'Event retries and lease expirations',
        `\`${KICI_MESSAGES.eventDispatchFailedRetry}\` (per event) and \`${KICI_MESSAGES.releasingExpiredLeases}\` ` +
          "(the leader's scanner; it logs only a count, never the node that held the lease).",
        kiciLogs(
          `|~ ${raw(`${KICI_MESSAGES.eventDispatchFailedRetry}|Releasing expired dispatch leases`)}`,
          '|= "$eventId"'
        ),
        common.LogsSortOrder.Descending
      ).height(8)
    );
  return finalizeDashboard(builder.build());
}
