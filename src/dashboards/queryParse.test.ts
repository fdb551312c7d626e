/**
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
import {
  logqlProblems,
  promqlEnclosing,
  promqlInVariableQuery,
  promqlProblems,
  substituteGrafanaVariables,
} from './queryParse';

describe('substituteGrafanaVariables', () => {
  it('turns interval variables into durations and other variables into plain words', () => {
    expect(
      substituteGrafanaVariables('rate(x{job=~"$job", i="${instance:regex}"}[$__rate_interval]) [${__range}]')
    ).toBe('rate(x{job=~"standin", i="standin"}[5m]) [5m]');
  });
});

describe('logqlProblems', () => {
  it('accepts the query shapes the dashboards use', () => {
    expect(
      logqlProblems(
        '{service=~"a|b"} |~ `x \\| y` | json s="service" | __error__="" | (r!="" and r="$r") or (j!="" and j="$j") | line_format "{{ .s }}"'
      )
    ).toEqual([]);
    expect(logqlProblems('sum by (s) (count_over_time({service="a"} | json s="service" [$__auto]))')).toEqual([]);
  });

  it('reports broken queries', () => {
    expect(logqlProblems('{service="a" | json')).not.toEqual([]);
    expect(logqlProblems('sum by (s) (count_over_time({service="a"}))')).not.toEqual([]);
    expect(logqlProblems('  ')).not.toEqual([]);
  });
});

describe('promqlProblems', () => {
  it('accepts valid expressions with Grafana variables', () => {
    expect(promqlProblems('sum(increase(m{job=~"$job"}[$__range])) or vector(0)')).toEqual([]);
  });

  it('reports broken expressions', () => {
    expect(promqlProblems('max by (instance) (m')).not.toEqual([]);
    expect(promqlProblems('sum(rate(m[5m])) by (')).not.toEqual([]);
    expect(promqlProblems('')).not.toEqual([]);
  });
});

describe('promqlInVariableQuery', () => {
  it('extracts the PromQL of label_values and query_result', () => {
    expect(promqlInVariableQuery('label_values(up{job="a"}, instance)')).toBe('up{job="a"}');
    expect(promqlInVariableQuery('query_result(topk(3, up))')).toBe('topk(3, up)');
    expect(promqlInVariableQuery('label_values(instance)')).toBeNull();
  });
});

describe('promqlEnclosing', () => {
  it('lists the functions and aggregations around each selector of a metric, innermost first', () => {
    expect(promqlEnclosing('sum(increase(m_total{a="b"}[5m])) / max(g)', 'm_total')).toEqual([['increase', 'sum']]);
    expect(promqlEnclosing('max by (status) (g) + sum(g)', 'g')).toEqual([['max'], ['sum']]);
    expect(promqlEnclosing('g_other', 'g')).toEqual([]);
  });
});
