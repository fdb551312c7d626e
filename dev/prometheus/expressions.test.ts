import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  allSelectedValue,
  dashboardExpressions,
  dashboardVariables,
  escapeRegexValue,
  grafanaRuleExpressions,
  parseLabelValues,
  prometheusRuleExpressions,
  rateIntervalS,
  substituteVariables,
  withRuleInterval,
} from './expressions';
import { selectorMatches, selectorsOf, unquote } from './promql';
import { GRAFANA_RULES_DIR, loadShippedPromql } from './sources';

const ROOT = join(__dirname, '..', '..');
const intervals = { intervalS: 2, rangeS: 60, scrapeIntervalS: 1 };

const dashboard = {
  uid: 'd1',
  templating: {
    list: [
      { type: 'datasource', name: 'prometheus', query: 'prometheus' },
      {
        type: 'query',
        name: 'job',
        datasource: { type: 'prometheus', uid: '${prometheus}' },
        query: 'label_values(target_info{service_name="kici-orchestrator"}, job)',
        includeAll: true,
        allValue: '.+',
      },
      {
        type: 'query',
        name: 'scaler',
        datasource: { type: 'prometheus', uid: '${prometheus}' },
        query: { query: 'label_values(kici_agent_connection_status{job=~"$job"}, scaler)' },
        includeAll: true,
      },
    ],
  },
  panels: [
    {
      title: 'Row',
      type: 'row',
      panels: [
        {
          title: 'Nested',
          datasource: { type: 'prometheus', uid: '${prometheus}' },
          targets: [{ refId: 'A', expr: 'sum(up{job=~"$job"})' }],
        },
      ],
    },
    {
      title: 'Mixed',
      targets: [
        { refId: 'A', datasource: { type: 'prometheus' }, expr: 'x', instant: true, range: false },
        { refId: 'B', datasource: { type: 'loki' }, expr: '{service="orchestrator"}' },
        { refId: 'C', datasource: { type: 'kici-ops-datasource' }, queryType: 'dlqDepth' },
      ],
    },
  ],
};

describe('dashboardExpressions', () => {
  it('takes Prometheus targets of nested panels and the selectors of query variables, with their query kind', () => {
    expect(dashboardExpressions(dashboard)).toEqual([
      {
        where: 'dashboard d1 / Nested / A',
        source: 'dashboard-panel',
        expr: 'sum(up{job=~"$job"})',
        modes: ['range'],
        dashboardUid: 'd1',
      },
      {
        where: 'dashboard d1 / Mixed / A',
        source: 'dashboard-panel',
        expr: 'x',
        modes: ['instant'],
        dashboardUid: 'd1',
      },
      {
        where: 'dashboard d1 / $job',
        source: 'dashboard-variable',
        expr: 'target_info{service_name="kici-orchestrator"}',
        modes: ['instant'],
        dashboardUid: 'd1',
      },
      {
        where: 'dashboard d1 / $scaler',
        source: 'dashboard-variable',
        expr: 'kici_agent_connection_status{job=~"$job"}',
        modes: ['instant'],
        dashboardUid: 'd1',
      },
    ]);
  });

  it('rejects a Prometheus target without expr and a variable query it cannot evaluate', () => {
    expect(() =>
      dashboardExpressions({
        uid: 'd',
        panels: [{ title: 'P', targets: [{ refId: 'A', datasource: { type: 'prometheus' } }] }],
      })
    ).toThrow('dashboard d / P / A: Prometheus target without expr');
    expect(() =>
      dashboardVariables({
        uid: 'd',
        templating: {
          list: [{ type: 'query', name: 'v', datasource: { type: 'prometheus' }, query: 'label_names()' }],
        },
      })
    ).toThrow('dashboard d / $v: unsupported variable query "label_names()"');
  });
});

describe('dashboardVariables', () => {
  it('splits label_values queries and keeps the All settings', () => {
    expect(dashboardVariables(dashboard)).toEqual([
      {
        dashboardUid: 'd1',
        name: 'job',
        selector: 'target_info{service_name="kici-orchestrator"}',
        label: 'job',
        includeAll: true,
        allValue: '.+',
      },
      {
        dashboardUid: 'd1',
        name: 'scaler',
        selector: 'kici_agent_connection_status{job=~"$job"}',
        label: 'scaler',
        includeAll: true,
        allValue: null,
      },
    ]);
    expect(parseLabelValues('label_values(up{a="b, c"}, instance)')).toEqual({
      selector: 'up{a="b, c"}',
      label: 'instance',
    });
    expect(parseLabelValues('query_result(up)')).toBeNull();
  });
});

describe('rule expressions', () => {
  it('takes the Prometheus queries of Grafana rules and skips server-side expressions and other datasources', () => {
    const doc = {
      groups: [
        {
          rules: [
            {
              uid: 'r1',
              data: [
                { refId: 'A', datasourceUid: 'prometheus', model: { expr: 'up', datasource: { type: 'prometheus' } } },
                {
                  refId: 'B',
                  datasourceUid: 'kici',
                  model: { queryType: 'dlqDepth', datasource: { type: 'kici-ops-datasource' } },
                },
                { refId: 'C', datasourceUid: '__expr__', model: { expression: 'A', type: 'reduce' } },
                {
                  refId: 'D',
                  datasourceUid: 'prometheus',
                  model: { expr: 'rate(x[5m])', range: true, datasource: { type: 'prometheus' } },
                },
              ],
            },
          ],
        },
      ],
    };
    expect(grafanaRuleExpressions(doc)).toEqual([
      { where: 'grafana rule r1 / A', source: 'grafana-rule', expr: 'up', modes: ['instant'] },
      { where: 'grafana rule r1 / D', source: 'grafana-rule', expr: 'rate(x[5m])', modes: ['range'] },
    ]);
  });

  it('takes alerting and recording rules of a Prometheus rules file and shortens group intervals in a copy', () => {
    const doc = {
      groups: [
        {
          name: 'g',
          interval: '30s',
          rules: [
            { alert: 'A', expr: 'up == 0', for: '2m' },
            { record: 'r:x', expr: 'sum(x)' },
          ],
        },
      ],
    };
    expect(prometheusRuleExpressions(doc).map((e) => [e.where, e.ruleName, e.expr])).toEqual([
      ['prometheus rule A', 'A', 'up == 0'],
      ['prometheus rule r:x', 'r:x', 'sum(x)'],
    ]);
    expect(() => prometheusRuleExpressions({ groups: [{ name: 'g', rules: [{ alert: 'A' }] }] })).toThrow(
      'prometheus rule group g: rule without name or expr'
    );
    const copy = withRuleInterval(doc, 2);
    expect(copy.groups[0].interval).toBe('2s');
    expect(copy.groups[0].rules).toBe(doc.groups[0].rules);
    expect(doc.groups[0].interval).toBe('30s');
  });
});

describe('substituteVariables', () => {
  it("fills Grafana's interval variables like Grafana does for the step and scrape interval", () => {
    expect(rateIntervalS(intervals)).toBe(4);
    expect(rateIntervalS({ intervalS: 30, rangeS: 3600, scrapeIntervalS: 15 })).toBe(60);
    expect(rateIntervalS({ intervalS: 60, rangeS: 3600, scrapeIntervalS: 15 })).toBe(75);
    expect(
      substituteVariables(
        'rate(m[$__rate_interval]) + rate(m[${__rate_interval}]) + increase(m[$__range]) + avg_over_time(m[$__interval]) + $__interval_ms + $__range_s + ${__range_ms}',
        intervals
      )
    ).toBe('rate(m[4s]) + rate(m[4s]) + increase(m[60s]) + avg_over_time(m[2s]) + 2000 + 60 + 60000');
  });

  it('fills $__rate_interval_ms (the rate window in ms, Grafana global variable) without mistaking it for $__rate_interval', () => {
    expect(substituteVariables('rate(m[$__rate_interval]) / ($__rate_interval_ms / 1000)', intervals)).toBe(
      'rate(m[4s]) / (4000 / 1000)'
    );
  });

  it('fills template variables in every syntax and refuses unknown ones', () => {
    expect(
      substituteVariables('m{a=~"$job", b=~"${job}", c=~"${job:regex}", d=~"[[job]]"}', intervals, { job: '.+' })
    ).toBe('m{a=~".+", b=~".+", c=~".+", d=~".+"}');
    expect(() => substituteVariables('m{a=~"$nope"}', intervals, { job: 'x' })).toThrow('unknown variable $nope');
  });
});

describe('allSelectedValue', () => {
  it('uses the custom all value, else an escaped alternation of every value', () => {
    expect(allSelectedValue({ includeAll: true, allValue: '.+' }, ['a', 'b'])).toBe('.+');
    expect(allSelectedValue({ includeAll: true, allValue: null }, ['a', 'b'])).toBe('(a|b)');
    expect(allSelectedValue({ includeAll: false, allValue: null }, ['127.0.0.1:4000'])).toBe(
      '127\\\\.0\\\\.0\\\\.1:4000'
    );
  });

  it('escapes values so the PromQL regex matches them literally and nothing else', () => {
    const value = allSelectedValue({ includeAll: true, allValue: null }, ['127.0.0.1:4000', 'a+b(c)']);
    const [selector] = selectorsOf(`up{instance=~"${value}"}`);
    const series = (instance: string) => ({ __name__: 'up', instance });
    expect(selectorMatches(selector, series('127.0.0.1:4000'))).toBe(true);
    expect(selectorMatches(selector, series('a+b(c)'))).toBe(true);
    expect(selectorMatches(selector, series('127x0x0x1:4000'))).toBe(false);
    expect(selectorMatches(selector, series('aab(c)'))).toBe(false);
    expect(unquote(`"${escapeRegexValue('x.y')}"`)).toBe('x\\.y');
  });
});

describe('the shipped PromQL', () => {
  const shipped = loadShippedPromql(ROOT);

  it('covers every dashboard, every Grafana rule query on Prometheus and every Prometheus rule', () => {
    const where = shipped.expressions.map((e) => e.where);
    for (const uid of [
      'kici-ops-orchestrator',
      'kici-ops-agents',
      'kici-ops-platform-relay',
      'kici-ops-event-delivery',
    ]) {
      expect(where.filter((w) => w.startsWith(`dashboard ${uid} / `)).length).toBeGreaterThan(3);
    }
    expect(where.some((w) => w.startsWith('dashboard kici-logs-trace'))).toBe(false);
    const grafanaYaml = readFileSync(join(ROOT, GRAFANA_RULES_DIR, 'kici.yaml'), 'utf8');
    const prometheusQueries = grafanaYaml.match(/^\s+datasourceUid: prometheus$/gm) ?? [];
    expect(shipped.expressions.filter((e) => e.source === 'grafana-rule')).toHaveLength(prometheusQueries.length);
    expect(shipped.prometheusRuleNames).toContain('KiciOrchestratorDown');
    expect(shipped.expressions.find((e) => e.where === 'prometheus rule KiciOrchestratorDown')?.expr).toBe(
      'up{job="kici-orchestrator"} == 0'
    );
  });

  it('substitutes into valid PromQL that reads at least one metric', () => {
    const values: Record<string, Record<string, string>> = {};
    for (const v of shipped.variables) {
      values[v.dashboardUid] = { ...values[v.dashboardUid], [v.name]: allSelectedValue(v, ['x']) };
    }
    for (const e of shipped.expressions) {
      const query = substituteVariables(e.expr, intervals, e.dashboardUid ? values[e.dashboardUid] : {});
      expect({ where: e.where, dollar: query.includes('$') }).toEqual({ where: e.where, dollar: false });
      expect({ where: e.where, selectors: selectorsOf(query).length > 0 }).toEqual({ where: e.where, selectors: true });
    }
  });
});
