// Grafana-managed alert rules, written as Grafana's file-provisioning YAML (`provisioning/alerting/kici.yaml`).
// Built with the foundation SDK, then reshaped into the provisioning format (GRAFANA-NOTES.md): `title`→`name`,
// folder by title, relative time ranges in seconds.
import * as cog from '@grafana/grafana-foundation-sdk/cog';
import { RuleBuilder, type Rule } from '@grafana/grafana-foundation-sdk/alerting';
import { TypeMathBuilder, TypeReduceBuilder, TypeThresholdBuilder } from '@grafana/grafana-foundation-sdk/expr';
import { DataqueryBuilder as PromQueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { stringify } from 'yaml';

import type { KiciQuery } from '../datasource/query';
import {
  ALERT_DATASOURCES,
  appPageUrl,
  DASHBOARD_UIDS,
  ORCHESTRATOR_JOB,
  type AppPage,
  type DashboardUid,
} from './constants';
import { increaseCountingBirths } from './counters';
import { buildDashboards } from './index';

export const ALERT_FOLDER = 'KiCI';
export const ALERT_GROUP = 'kici';
export const ALERT_GROUP_INTERVAL = '60s';
export const EXPRESSION_DATASOURCE_UID = '__expr__';

/** One query of a provisioned rule, as Grafana's provisioning file format spells it. */
export interface ProvisionedQuery {
  refId: string;
  datasourceUid: string;
  relativeTimeRange: { from: number; to: number };
  queryType?: string;
  model: Record<string, unknown>;
}

export interface ProvisionedRule {
  uid: string;
  title: string;
  condition: string;
  data: ProvisionedQuery[];
  noDataState: Rule['noDataState'];
  execErrState: Rule['execErrState'];
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  isPaused: boolean;
}

export interface ProvisionedGroup {
  orgId: number;
  name: string;
  folder: string;
  interval: string;
  rules: ProvisionedRule[];
}

interface QuerySpec {
  refId: string;
  /** Seconds of history the query reads. */
  from: number;
  model: cog.Builder<cog.Dataquery>;
  datasourceUid: string;
}

const EXPR_REF = { type: '__expr__', uid: EXPRESSION_DATASOURCE_UID };

function promQuery(refId: string, expr: string, from = 600): QuerySpec {
  return {
    refId,
    from,
    datasourceUid: ALERT_DATASOURCES.prometheus.uid,
    model: new PromQueryBuilder().datasource(ALERT_DATASOURCES.prometheus).expr(expr).instant().refId(refId),
  };
}

function kiciQuery(refId: string, query: Omit<KiciQuery, 'refId'>, from = 600): QuerySpec {
  const model: cog.Builder<cog.Dataquery> = {
    build: () => ({ refId, datasource: ALERT_DATASOURCES.kici, ...query }) as unknown as cog.Dataquery,
  };
  return { refId, from, datasourceUid: ALERT_DATASOURCES.kici.uid, model };
}

function reduceLast(refId: string, input: string): QuerySpec {
  return {
    refId,
    from: 0,
    datasourceUid: EXPRESSION_DATASOURCE_UID,
    model: new TypeReduceBuilder()
      .datasource(EXPR_REF)
      .refId(refId)
      .expression(input)
      .reducer('last')
      .settings({ mode: 'dropNN' }),
  };
}

function threshold(refId: string, input: string, type: 'gt' | 'lt', value: number): QuerySpec {
  return {
    refId,
    from: 0,
    datasourceUid: EXPRESSION_DATASOURCE_UID,
    model: new TypeThresholdBuilder()
      .datasource(EXPR_REF)
      .refId(refId)
      .expression(input)
      .conditions([{ evaluator: { type, params: [value] } }]),
  };
}

function math(refId: string, expression: string): QuerySpec {
  return {
    refId,
    from: 0,
    datasourceUid: EXPRESSION_DATASOURCE_UID,
    model: new TypeMathBuilder().datasource(EXPR_REF).refId(refId).expression(expression),
  };
}

interface RuleSpec {
  uid: string;
  title: string;
  queries: QuerySpec[];
  condition: string;
  for: string;
  noData: Rule['noDataState'];
  execErr: Rule['execErrState'];
  severity: 'critical' | 'warning' | 'info';
  summary: string;
  description: string;
  runbook: AppPage;
  /** The panel that shows what the rule counts: Grafana links the alert to it (`__dashboardUid__` + `__panelId__`). */
  panel?: PanelRef;
}

/** A panel of a generated dashboard, by dashboard uid and panel title (the id is looked up, never hard-coded). */
export interface PanelRef {
  dashboardUid: DashboardUid;
  title: string;
}

/**
 * The id of the panel `ref` names, in the dashboards as generated. Throws when the title is missing or ambiguous, so a
 * renamed panel fails generation instead of leaving the rule pointing at another panel.
 */
export function panelIdOf(ref: PanelRef): number {
  const found = buildDashboards()
    .filter(({ dashboard }) => dashboard.uid === ref.dashboardUid)
    .flatMap(({ dashboard }) => dashboard.panels ?? [])
    .flatMap((panel) => [panel, ...((panel as { panels?: Array<typeof panel> }).panels ?? [])])
    .filter((panel) => panel.title === ref.title);
  if (found.length !== 1 || typeof found[0].id !== 'number') {
    throw new Error(`${ref.dashboardUid}: expected exactly one panel titled "${ref.title}", found ${found.length}`);
  }
  return found[0].id;
}

function rule(spec: RuleSpec): ProvisionedRule {
  const built = new RuleBuilder(spec.title)
    .uid(spec.uid)
    .condition(spec.condition)
    .forDuration(spec.for)
    .noDataState(spec.noData)
    .execErrState(spec.execErr)
    .labels({ severity: spec.severity, team: 'kici' })
    .annotations({
      summary: spec.summary,
      description: spec.description,
      runbook_url: appPageUrl(spec.runbook),
      // Grafana requires both annotations or neither (ngalert models SetDashboardAndPanelFromAnnotations).
      ...(spec.panel ? { __dashboardUid__: spec.panel.dashboardUid, __panelId__: String(panelIdOf(spec.panel)) } : {}),
    })
    .build();
  return {
    uid: built.uid!,
    title: built.title,
    condition: built.condition,
    data: spec.queries.map((q) => ({
      refId: q.refId,
      datasourceUid: q.datasourceUid,
      relativeTimeRange: { from: q.from, to: 0 },
      model: JSON.parse(JSON.stringify(q.model.build())),
    })),
    noDataState: built.noDataState,
    execErrState: built.execErrState,
    for: built.for,
    labels: built.labels ?? {},
    annotations: built.annotations ?? {},
    isPaused: false,
  };
}

const ORCH = `job="${ORCHESTRATOR_JOB}"`;

export function buildAlertRules(): ProvisionedRule[] {
  return [
    rule({
      uid: 'kici-dlq-backlog',
      title: 'KiCI event DLQ has events awaiting triage',
      queries: [kiciQuery('A', { queryType: 'dlqDepth' }), reduceLast('B', 'A'), threshold('C', 'B', 'gt', 0)],
      condition: 'C',
      for: '15m',
      // The count comes straight from kici_events: no data or an error means the database is unreachable.
      noData: 'NoData',
      execErr: 'Error',
      severity: 'warning',
      summary: '{{ $values.B.Value }} event(s) in the KiCI event DLQ',
      description:
        'kici_events has {{ $values.B.Value }} dead-lettered event(s) (dlq_at IS NOT NULL) for 15 minutes. They are ' +
        'never retried or expired automatically: retry or discard them on the Event DLQ page.',
      runbook: 'dlq',
      panel: { dashboardUid: DASHBOARD_UIDS.eventDelivery, title: 'DLQ depth (database)' },
    }),
    rule({
      uid: 'kici-dlq-admissions',
      title: 'KiCI events moved to the DLQ',
      queries: [
        promQuery('A', `sum(${increaseCountingBirths('kici_orch_event_dlq_total', '15m')}) or vector(0)`, 900),
        reduceLast('B', 'A'),
        threshold('C', 'B', 'gt', 0),
      ],
      condition: 'C',
      for: '0s',
      // The counter only appears after the first admission; `or vector(0)` keeps the rule evaluating before that.
      noData: 'OK',
      execErr: 'Error',
      severity: 'warning',
      summary: '{{ $values.B.Value }} event(s) dead-lettered in the last 15 minutes',
      description:
        'Internal events exhausted their dispatch attempts (KICI_EVENT_ROUTER_MAX_DISPATCH_ATTEMPTS, default 5). ' +
        'The last_error column on the Event DLQ page says why; the logs trace shows the ' +
        '"Event moved to DLQ after exhausting retries" line.',
      runbook: 'dlq',
      panel: { dashboardUid: DASHBOARD_UIDS.eventDelivery, title: 'DLQ admissions by event' },
    }),
    rule({
      uid: 'kici-lease-expirations',
      title: 'KiCI event dispatch leases expiring',
      queries: [
        promQuery(
          'A',
          `sum(${increaseCountingBirths('kici_orch_event_lease_expirations_total', '15m')}) or vector(0)`,
          900
        ),
        reduceLast('B', 'A'),
        threshold('C', 'B', 'gt', 0),
      ],
      condition: 'C',
      for: '0s',
      noData: 'OK',
      execErr: 'Error',
      severity: 'warning',
      summary: '{{ $values.B.Value }} dispatch lease(s) expired in the last 15 minutes',
      description:
        'A coordinator claimed events and neither finished nor released them within 60 s: it crashed or hung ' +
        'mid-dispatch. Each expiry costs the event an attempt. Check which coordinator restarted on the ' +
        'Infrastructure page (the log line carries only a count, not the node).',
      runbook: 'infrastructure',
      panel: { dashboardUid: DASHBOARD_UIDS.eventDelivery, title: 'Lease expirations' },
    }),
    rule({
      uid: 'kici-orchestrator-down',
      title: 'KiCI orchestrator not answering',
      queries: [promQuery('A', `up{${ORCH}}`, 300), reduceLast('B', 'A'), threshold('C', 'B', 'lt', 1)],
      condition: 'C',
      for: '2m',
      // No series at all means Prometheus scrapes no orchestrator: as bad as all of them down.
      noData: 'Alerting',
      execErr: 'Error',
      severity: 'critical',
      summary: 'Orchestrator {{ $labels.instance }} is not answering /metrics',
      description:
        'Prometheus could not scrape {{ $labels.instance }} for 2 minutes: the process is down or unreachable. ' +
        'Its agents reconnect to another coordinator; check /health and /ready on the Infrastructure page.',
      runbook: 'infrastructure',
      panel: { dashboardUid: DASHBOARD_UIDS.orchestrator, title: 'Scrape up' },
    }),
    rule({
      uid: 'kici-retry-backlog-stuck',
      title: 'KiCI event retries not draining',
      queries: [
        promQuery('A', `sum(${increaseCountingBirths('kici_orch_event_retry_total', '15m')}) or vector(0)`, 900),
        promQuery(
          'B',
          `sum(${increaseCountingBirths('kici_orch_event_dispatch_success_total', '15m')}) or vector(0)`,
          900
        ),
        reduceLast('C', 'A'),
        reduceLast('D', 'B'),
        math('E', '$C > 0 && $D == 0'),
      ],
      condition: 'E',
      for: '15m',
      noData: 'OK',
      execErr: 'Error',
      severity: 'warning',
      summary: 'Event dispatches keep failing and none succeed',
      description:
        'For 15 minutes events were scheduled for retry ({{ $values.C.Value }} in the last 15 min) while no event ' +
        'was delivered: a downstream dependency is failing. They will reach the DLQ after their last attempt.',
      runbook: 'dlq',
      panel: { dashboardUid: DASHBOARD_UIDS.eventDelivery, title: 'Dispatch outcomes' },
    }),
    rule({
      uid: 'kici-scheduled-job-stale',
      title: 'KiCI scheduled job has not succeeded recently',
      queries: [
        promQuery('A', 'time() - max by (exported_job) (kici_orch_job_last_success_timestamp_seconds)', 300),
        reduceLast('B', 'A'),
        threshold('C', 'B', 'gt', 6 * 3600),
      ],
      condition: 'C',
      for: '10m',
      noData: 'OK',
      execErr: 'Error',
      severity: 'warning',
      summary: 'Scheduled job {{ $labels.exported_job }} last succeeded {{ humanizeDuration $values.B.Value }} ago',
      description:
        'No coordinator reported a successful tick of {{ $labels.exported_job }} for more than 6 hours (token, ' +
        'secret and log cleanups stop). kici_orch_job_consecutive_failures tells whether it fails or does not run.',
      runbook: 'overview',
      panel: { dashboardUid: DASHBOARD_UIDS.orchestrator, title: 'Time since last success' },
    }),
    rule({
      uid: 'kici-dispatch-backlog',
      title: 'KiCI jobs piling up in the dispatch queue',
      queries: [
        promQuery('A', 'max(kici_orch_dispatch_queue_depth{status="pending"})', 300),
        reduceLast('B', 'A'),
        threshold('C', 'B', 'gt', 50),
      ],
      condition: 'C',
      for: '10m',
      noData: 'OK',
      execErr: 'Error',
      severity: 'warning',
      summary: '{{ $values.B.Value }} jobs pending dispatch',
      description:
        'More than 50 jobs have waited in dispatch_queue for 10 minutes (max across coordinators: they all read ' +
        'the same table). Compare runs_on labels with the agents and scaler pools on the Infrastructure page.',
      runbook: 'infrastructure',
      panel: { dashboardUid: DASHBOARD_UIDS.orchestrator, title: 'Dispatch queue' },
    }),
    rule({
      uid: 'kici-dlq-new-signature',
      title: 'A new KiCI DLQ error signature appeared',
      // One number per signature first admitted in the last 15 minutes, labelled by it: one alert instance each
      // (the numbers frame is what Grafana's expressions read as labelled numbers; tests/grafana-rules/sse-numbers).
      queries: [
        kiciQuery('A', { queryType: 'dlqSignatures', format: 'numbers', firstSeenInRange: true }, 900),
        threshold('B', 'A', 'gt', 0),
      ],
      condition: 'B',
      for: '0s',
      // No new signature is no data: nothing new failed.
      noData: 'OK',
      execErr: 'Error',
      severity: 'warning',
      summary: 'New DLQ error signature: {{ $labels.signature }}',
      description:
        'DLQ events started failing for a reason not seen before in the last 15 minutes: "{{ $labels.signature }}" ' +
        '({{ $values.A.Value }} event(s) so far, signature {{ $labels.signatureId }}). Open the Event DLQ page, filter ' +
        'the list by this signature and read the sample error.',
      runbook: 'dlq',
      panel: { dashboardUid: DASHBOARD_UIDS.eventDelivery, title: 'DLQ error signatures' },
    }),
  ];
}

export function buildAlertGroups(): ProvisionedGroup[] {
  return [
    { orgId: 1, name: ALERT_GROUP, folder: ALERT_FOLDER, interval: ALERT_GROUP_INTERVAL, rules: buildAlertRules() },
  ];
}

export const ALERTING_FILE = 'provisioning/alerting/kici.yaml';

/** The provisioning file as checked in. */
export function alertingYaml(): string {
  const header =
    '# Generated by src/dashboards/generate.ts from src/dashboards/alerts.ts: edit those, then regenerate.\n' +
    '# Grafana-managed alert rules for KiCI. Datasource uids: `kici` (the KiCI datasource) and `prometheus`,\n' +
    '# as provisioned by this repository; change them to your own before provisioning elsewhere.\n';
  return header + stringify({ apiVersion: 1, groups: buildAlertGroups() }, { lineWidth: 0 });
}
