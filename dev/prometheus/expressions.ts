// Every PromQL expression we ship (dashboard panels and variables, Grafana-managed alert rules, Prometheus rules),
// and Grafana's variable substitution with real values, so a live Prometheus can evaluate them as Grafana would.

type Json = Record<string, any>;

/** How the expression is evaluated where it is used: Grafana panels run range queries, rules and variables instant ones. */
export type EvalMode = 'instant' | 'range';

export interface PromqlExpression {
  /** Human-readable origin, e.g. `dashboard kici-ops-agents / Step duration / B`. */
  where: string;
  source: 'dashboard-panel' | 'dashboard-variable' | 'grafana-rule' | 'prometheus-rule';
  /** The expression as written, with Grafana variables. */
  expr: string;
  modes: EvalMode[];
  /** Dashboard uid for panel targets and variables (their variables are resolved per dashboard). */
  dashboardUid?: string;
  /** Alert or record name of a Prometheus rule. */
  ruleName?: string;
}

/** A Prometheus query variable of a dashboard (`label_values(<selector>, <label>)`). */
export interface QueryVariable {
  dashboardUid: string;
  name: string;
  selector: string;
  label: string;
  includeAll: boolean;
  /** Grafana's custom "All" value (e.g. `.+`); null = every value. */
  allValue: string | null;
}

function panelsOf(dashboard: Json): Json[] {
  return (dashboard.panels ?? []).flatMap((panel: Json) => [panel, ...panelsOf(panel)]);
}

/** `label_values(<selector>, <label>)` split in its parts, or null for another variable query. */
export function parseLabelValues(query: string): { selector: string; label: string } | null {
  const m = /^\s*label_values\(\s*(.+),\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$/s.exec(query);
  return m ? { selector: m[1], label: m[2] } : null;
}

/** The Prometheus query variables of a dashboard, in declaration order (later ones may use earlier ones). */
export function dashboardVariables(dashboard: Json): QueryVariable[] {
  const out: QueryVariable[] = [];
  for (const v of dashboard.templating?.list ?? []) {
    if (v.type !== 'query') {
      continue;
    }
    const query = typeof v.query === 'string' ? v.query : v.query?.query;
    const parsed = typeof query === 'string' ? parseLabelValues(query) : null;
    if (v.datasource?.type !== 'prometheus' || !parsed) {
      throw new Error(`dashboard ${dashboard.uid} / $${v.name}: unsupported variable query ${JSON.stringify(query)}`);
    }
    out.push({
      dashboardUid: dashboard.uid,
      name: v.name,
      selector: parsed.selector,
      label: parsed.label,
      includeAll: Boolean(v.includeAll),
      allValue: typeof v.allValue === 'string' && v.allValue !== '' ? v.allValue : null,
    });
  }
  return out;
}

/** Every PromQL expression of a dashboard: Prometheus panel targets and the selectors of its query variables. */
export function dashboardExpressions(dashboard: Json): PromqlExpression[] {
  const out: PromqlExpression[] = [];
  for (const panel of panelsOf(dashboard)) {
    for (const target of panel.targets ?? []) {
      const type = target.datasource?.type ?? panel.datasource?.type;
      if (type !== 'prometheus') {
        continue;
      }
      const where = `dashboard ${dashboard.uid} / ${panel.title} / ${target.refId}`;
      if (typeof target.expr !== 'string' || target.expr.trim() === '') {
        throw new Error(`${where}: Prometheus target without expr`);
      }
      const modes: EvalMode[] = [];
      // Grafana's defaults: a target is a range query unless it says instant only.
      if (target.range !== false || target.instant !== true) {
        modes.push('range');
      }
      if (target.instant === true) {
        modes.push('instant');
      }
      out.push({ where, source: 'dashboard-panel', expr: target.expr, modes, dashboardUid: dashboard.uid });
    }
  }
  for (const v of dashboardVariables(dashboard)) {
    out.push({
      where: `dashboard ${dashboard.uid} / $${v.name}`,
      source: 'dashboard-variable',
      expr: v.selector,
      modes: ['instant'],
      dashboardUid: dashboard.uid,
    });
  }
  return out;
}

/** Prometheus queries of Grafana-managed alert rules (provisioning file shape); server-side expressions are skipped. */
export function grafanaRuleExpressions(doc: Json): PromqlExpression[] {
  const out: PromqlExpression[] = [];
  for (const group of doc.groups ?? []) {
    for (const rule of group.rules ?? []) {
      for (const query of rule.data ?? []) {
        if (query.datasourceUid === '__expr__' || query.model?.datasource?.type !== 'prometheus') {
          continue;
        }
        const where = `grafana rule ${rule.uid} / ${query.refId}`;
        if (typeof query.model.expr !== 'string' || query.model.expr.trim() === '') {
          throw new Error(`${where}: Prometheus query without expr`);
        }
        out.push({
          where,
          source: 'grafana-rule',
          expr: query.model.expr,
          modes: query.model.range === true ? ['range'] : ['instant'],
        });
      }
    }
  }
  return out;
}

/** Expressions of a Prometheus rules file (alerting and recording rules). */
export function prometheusRuleExpressions(doc: Json): PromqlExpression[] {
  const out: PromqlExpression[] = [];
  for (const group of doc.groups ?? []) {
    for (const rule of group.rules ?? []) {
      const name = rule.alert ?? rule.record;
      if (typeof rule.expr !== 'string' || typeof name !== 'string') {
        throw new Error(`prometheus rule group ${group.name}: rule without name or expr`);
      }
      out.push({
        where: `prometheus rule ${name}`,
        source: 'prometheus-rule',
        expr: rule.expr,
        modes: ['instant'],
        ruleName: name,
      });
    }
  }
  return out;
}

/**
 * A copy of a Prometheus rules file whose groups are evaluated every `intervalS` seconds, so a short-lived
 * Prometheus evaluates each rule a few times.
 */
export function withRuleInterval(doc: Json, intervalS: number): Json {
  return { ...doc, groups: (doc.groups ?? []).map((g: Json) => ({ ...g, interval: `${intervalS}s` })) };
}

export interface Intervals {
  /** `$__interval`: the query step. */
  intervalS: number;
  /** `$__range`: the dashboard's time range. */
  rangeS: number;
  scrapeIntervalS: number;
}

/** Grafana's `$__rate_interval`: max($__interval + scrape interval, 4 × scrape interval). */
export function rateIntervalS({ intervalS, scrapeIntervalS }: Intervals): number {
  return Math.max(intervalS + scrapeIntervalS, 4 * scrapeIntervalS);
}

/** Grafana's regex escaping of one value inside a PromQL `=~"…"` string (prometheusSpecialRegexEscape). */
export function escapeRegexValue(value: string): string {
  return value.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}[\]'+?.()|]/g, '\\\\$&');
}

/**
 * What Grafana puts in for a multi-value variable in a Prometheus query when "All" is selected (its default):
 * the custom all value, else every value as an escaped alternation.
 */
export function allSelectedValue(variable: Pick<QueryVariable, 'includeAll' | 'allValue'>, values: string[]): string {
  if (variable.includeAll && variable.allValue !== null) {
    return variable.allValue;
  }
  if (values.length === 1) {
    return escapeRegexValue(values[0]);
  }
  return `(${values.map(escapeRegexValue).join('|')})`;
}

const BUILTIN_NAMES = 'rate_interval_ms|rate_interval|interval_ms|interval|range_ms|range_s|range';
const BUILTINS = new RegExp(`\\$__(${BUILTIN_NAMES})\\b|\\$\\{__(${BUILTIN_NAMES})\\}`, 'g');

/**
 * Replaces Grafana's interval variables and the dashboard's template variables (`$v`, `${v}`, `[[v]]`) with real
 * values. An unknown variable is an error: Prometheus would otherwise reject a literal `$v` far less clearly.
 */
export function substituteVariables(
  expr: string,
  intervals: Intervals,
  variables: Record<string, string> = {}
): string {
  const builtins: Record<string, string> = {
    rate_interval: `${rateIntervalS(intervals)}s`,
    rate_interval_ms: String(rateIntervalS(intervals) * 1000),
    interval: `${intervals.intervalS}s`,
    interval_ms: String(intervals.intervalS * 1000),
    range: `${intervals.rangeS}s`,
    range_s: String(intervals.rangeS),
    range_ms: String(intervals.rangeS * 1000),
  };
  const value = (name: string) => {
    if (!(name in variables)) {
      throw new Error(`unknown variable $${name} in ${expr}`);
    }
    return variables[name];
  };
  return expr
    .replace(BUILTINS, (_m, bare: string | undefined, braced: string | undefined) => builtins[bare ?? braced!])
    .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::[A-Za-z]+)?\}/g, (_m, name: string) => value(name))
    .replace(/\[\[([A-Za-z_][A-Za-z0-9_]*)\]\]/g, (_m, name: string) => value(name))
    .replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => value(name));
}
