// Reads the PromQL we ship from the repository: the generated dashboards, the Grafana-managed alert rules and the
// Prometheus rules file.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

import {
  dashboardExpressions,
  dashboardVariables,
  grafanaRuleExpressions,
  prometheusRuleExpressions,
  type PromqlExpression,
  type QueryVariable,
} from './expressions';

export const DASHBOARDS_DIR = join('src', 'dashboards');
export const GRAFANA_RULES_DIR = join('provisioning', 'alerting');
export const PROMETHEUS_RULES_FILE = join('dev', 'prometheus', 'kici-rules.yaml');

export interface ShippedPromql {
  expressions: PromqlExpression[];
  variables: QueryVariable[];
  /** The parsed Prometheus rules file (a live Prometheus loads a copy). */
  prometheusRules: Record<string, any>;
  /** Names of its rules, to check their health in the live Prometheus. */
  prometheusRuleNames: string[];
}

/** Every PromQL expression of the dashboards and both rule sets, read from the repository at `root`. */
export function loadShippedPromql(root: string): ShippedPromql {
  const expressions: PromqlExpression[] = [];
  const variables: QueryVariable[] = [];
  const dashboardFiles = readdirSync(join(root, DASHBOARDS_DIR))
    .filter((f) => f.endsWith('.json'))
    .sort();
  for (const file of dashboardFiles) {
    const dashboard = JSON.parse(readFileSync(join(root, DASHBOARDS_DIR, file), 'utf8'));
    expressions.push(...dashboardExpressions(dashboard));
    variables.push(...dashboardVariables(dashboard));
  }
  const ruleFiles = readdirSync(join(root, GRAFANA_RULES_DIR))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  for (const file of ruleFiles) {
    expressions.push(...grafanaRuleExpressions(parseYaml(readFileSync(join(root, GRAFANA_RULES_DIR, file), 'utf8'))));
  }
  const prometheusRules = parseYaml(readFileSync(join(root, PROMETHEUS_RULES_FILE), 'utf8'));
  const ruleExpressions = prometheusRuleExpressions(prometheusRules);
  expressions.push(...ruleExpressions);
  return {
    expressions,
    variables,
    prometheusRules,
    prometheusRuleNames: ruleExpressions.map((e) => e.ruleName!),
  };
}
