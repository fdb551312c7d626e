/* eslint-disable @typescript-eslint/no-deprecated -- classic (v1) dashboard JSON on purpose: Grafana 11.6 (our floor) cannot load the v2 schema. */
// Small builders shared by the dashboards: datasource variables, queries, the panel kinds we use, and the
// final pass that gives every panel an id and every target a refId.
import * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import {
  CustomVariableBuilder,
  DashboardBuilder,
  DashboardLinkBuilder,
  DashboardLinkType,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  VariableRefresh,
  VariableSort,
  type Dashboard,
  type DashboardLink,
  type Panel,
  type RowPanel,
  type ValueMapping,
  MappingType,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder as LokiQueryBuilder, LokiQueryDirection } from '@grafana/grafana-foundation-sdk/loki';
import { DataqueryBuilder as PromQueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

import type { KiciQuery } from '../datasource/query';
import { DASHBOARD_TAG, KICI, LOKI, PROMETHEUS } from './constants';

export const prometheusVariable = () =>
  new DatasourceVariableBuilder('prometheus').label('Prometheus').type('prometheus');
export const lokiVariable = () => new DatasourceVariableBuilder('loki').label('Loki').type('loki');
export const kiciVariable = () =>
  new DatasourceVariableBuilder('kici').label('KiCI').type('kici-ops-datasource').regex('');

/**
 * `job` of the orchestrators, found through `target_info{service_name="kici-orchestrator"}` (every orchestrator
 * exports it; agents' series re-exported by an orchestrator carry that orchestrator's job/instance), and `instance` =
 * every target of those jobs in `up`, so an orchestrator that is down (no target_info) is still counted. This assumes
 * one scrape job per tier, as dev/prometheus/prometheus.yml has.
 * No custom "All" value: Grafana then puts in every value of the variable, so "All" means these orchestrators. A
 * catch-all like `.+` also matched every other scrape job, e.g. the agents' own `kici-agent` job in
 * dev/prometheus/prometheus.yml, and doubled agent series and counted agents as orchestrators.
 */
export function orchestratorScopeVariables() {
  return [
    new QueryVariableBuilder('job')
      .label('Job')
      .datasource(PROMETHEUS)
      .query('label_values(target_info{service_name="kici-orchestrator"}, job)')
      .refresh(VariableRefresh.OnTimeRangeChanged)
      .sort(VariableSort.AlphabeticalAsc)
      .multi(true)
      .includeAll(true),
    new QueryVariableBuilder('instance')
      .label('Orchestrator')
      .datasource(PROMETHEUS)
      .query('label_values(up{job=~"$job"}, instance)')
      .refresh(VariableRefresh.OnTimeRangeChanged)
      .sort(VariableSort.AlphabeticalAsc)
      .multi(true)
      .includeAll(true),
  ];
}

/** Label matchers scoping a selector to the chosen orchestrators. */
export const SCOPE = 'job=~"$job", instance=~"$instance"';

export function customVariable(name: string, label: string, values: string[], all: string) {
  return new CustomVariableBuilder(name)
    .label(label)
    .values(values.join(','))
    .multi(true)
    .includeAll(true)
    .allValue(all)
    .current({ text: 'All', value: '$__all', selected: true });
}

export function prom(expr: string, legendFormat = '__auto', refId = 'A') {
  return new PromQueryBuilder().datasource(PROMETHEUS).expr(expr).legendFormat(legendFormat).range().refId(refId);
}

export function promInstant(expr: string, legendFormat = '__auto', refId = 'A') {
  return new PromQueryBuilder().datasource(PROMETHEUS).expr(expr).legendFormat(legendFormat).instant().refId(refId);
}

export function loki(expr: string, refId = 'A', legendFormat?: string) {
  const query = new LokiQueryBuilder().datasource(LOKI).expr(expr).refId(refId);
  return legendFormat ? query.legendFormat(legendFormat) : query;
}

export function lokiLogs(expr: string, refId = 'A', direction = LokiQueryDirection.Forward) {
  return new LokiQueryBuilder()
    .datasource(LOKI)
    .expr(expr)
    .refId(refId)
    .queryType('range')
    .direction(direction)
    .maxLines(1000);
}

type KiciTarget = KiciQuery & { datasource: typeof KICI };

/** A query against the KiCI datasource (`src/datasource/query.ts` is the model). */
export class KiciQueryBuilder implements cog.Builder<cog.Dataquery> {
  private readonly query: KiciTarget;
  constructor(query: KiciQuery) {
    this.query = { ...query, datasource: KICI };
  }
  build(): cog.Dataquery {
    return this.query as unknown as cog.Dataquery;
  }
}

export function link(title: string, url: string): cog.Builder<DashboardLink> {
  return new DashboardLinkBuilder(title).type(DashboardLinkType.Link).url(url).targetBlank(false);
}

export function thresholds(steps: Array<[number | null, string]>) {
  return new ThresholdsConfigBuilder()
    .mode(ThresholdsMode.Absolute)
    .steps(steps.map(([value, color]) => ({ value, color })));
}

export function timeseries(title: string, description: string) {
  return new TimeseriesPanelBuilder()
    .title(title)
    .description(description)
    .datasource(PROMETHEUS)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom)
    )
    .tooltip(
      new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending)
    )
    .fillOpacity(10)
    .lineWidth(1)
    .span(12)
    .height(8);
}

export function stat(title: string, description: string) {
  return new StatPanelBuilder()
    .title(title)
    .description(description)
    .datasource(PROMETHEUS)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .graphMode(common.BigValueGraphMode.Area)
    .colorMode(common.BigValueColorMode.Value)
    .span(4)
    .height(4);
}

export function valueText(mappings: Record<string, [string, string]>): ValueMapping[] {
  const options: Record<string, { text: string; color: string; index: number }> = {};
  Object.entries(mappings).forEach(([value, [text, color]], index) => {
    options[value] = { text, color, index };
  });
  return [{ type: MappingType.ValueToText, options }];
}

/** The dashboard frame every generated dashboard shares: tags, time, links to its siblings and to the app. */
export function dashboard(uid: string, title: string, description: string) {
  return new DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags([DASHBOARD_TAG])
    .editable()
    .timezone('browser')
    .tooltip(1)
    .link(
      new DashboardLinkBuilder('KiCI dashboards')
        .type(DashboardLinkType.Dashboards)
        .tags([DASHBOARD_TAG])
        .asDropdown(true)
        .includeVars(false)
        .keepTime(true)
    );
}

const BUILT_IN_ANNOTATIONS = {
  list: [
    {
      builtIn: 1,
      datasource: { type: 'grafana', uid: '-- Grafana --' },
      enable: true,
      hide: true,
      iconColor: 'rgba(0, 211, 255, 1)',
      name: 'Annotations & Alerts',
      type: 'dashboard',
    },
  ],
};

type AnyPanel = Panel | RowPanel;

/**
 * The newest dashboard schemaVersion Grafana 11.6.0 (our floor) knows: its DashboardMigrator's DASHBOARD_SCHEMA_VERSION,
 * which `@grafana/schema@11.6.0` carries as `defaultDashboard.schemaVersion`. The SDK writes a newer one.
 */
export const FLOOR_SCHEMA_VERSION = 41;

/**
 * Gives every panel (rows and their children included) a stable id in layout order, every target a refId, and the
 * dashboard Grafana's built-in annotation list (the SDK leaves `annotations` empty, which older Grafana rejects) and
 * the floor's schemaVersion.
 */
export function finalizeDashboard(built: Dashboard): Dashboard {
  let nextId = 1;
  const visit = (panel: AnyPanel) => {
    panel.id = nextId++;
    if (panel.type === 'row') {
      ((panel as RowPanel).panels ?? []).forEach(visit);
      return;
    }
    const targets = ((panel as Panel).targets ?? []) as Array<{ refId?: string }>;
    targets.forEach((target, index) => {
      target.refId = target.refId ?? String.fromCharCode(65 + index);
    });
  };
  (built.panels ?? []).forEach((panel) => visit(panel as AnyPanel));
  return { ...built, annotations: BUILT_IN_ANNOTATIONS, schemaVersion: FLOOR_SCHEMA_VERSION } as Dashboard;
}

/** Serialised exactly as checked in: two-space JSON and a final newline. */
export function dashboardJson(built: Dashboard): string {
  return JSON.stringify(built, null, 2) + '\n';
}
