// Syntax checks for the LogQL and PromQL strings we ship, with Grafana's template variables replaced by stand-ins.
import { parser as logqlParser } from '@grafana/lezer-logql';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';

export interface ParseProblem {
  /** Offset in the text that was parsed (after variable substitution). */
  from: number;
  /** The text around the problem. */
  near: string;
}

const RANGE_VARIABLES = /\$__(auto|interval|rate_interval|range|interval_ms|range_s|range_ms)\b/g;

/**
 * Replaces Grafana variables with values the parsers accept: interval/range variables become `5m`
 * (they only appear where a duration goes), any other `$var`, `${var}` or `${var:format}` becomes `standin`
 * (they only appear inside quoted label values and line filters).
 */
export function substituteGrafanaVariables(text: string): string {
  return text
    .replace(/\$\{__(auto|interval|rate_interval|range)\}/g, '5m')
    .replace(RANGE_VARIABLES, '5m')
    .replace(/\$\{[A-Za-z_][A-Za-z0-9_]*(:[A-Za-z]+)?\}/g, 'standin')
    .replace(/\$[A-Za-z_][A-Za-z0-9_]*/g, 'standin');
}

function problems(tree: ReturnType<typeof logqlParser.parse>, text: string): ParseProblem[] {
  const found: ParseProblem[] = [];
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) {
        found.push({ from: node.from, near: text.slice(Math.max(0, node.from - 20), node.to + 20) });
      }
    },
  });
  return found;
}

/** Syntax problems of a LogQL query (log or metric query); empty when it parses cleanly. */
export function logqlProblems(query: string): ParseProblem[] {
  const text = substituteGrafanaVariables(query);
  if (text.trim() === '') {
    return [{ from: 0, near: '(empty query)' }];
  }
  return problems(logqlParser.parse(text), text);
}

/** Syntax problems of a PromQL expression; empty when it parses cleanly. */
export function promqlProblems(expr: string): ParseProblem[] {
  const text = substituteGrafanaVariables(expr);
  if (text.trim() === '') {
    return [{ from: 0, near: '(empty expression)' }];
  }
  return problems(promqlParser.parse(text), text);
}

/**
 * The PromQL inside a Prometheus template-variable query: `label_values(<selector>, label)` and
 * `query_result(<expr>)` wrap PromQL; `label_values(label)` and `label_names()` have none.
 */
export function promqlInVariableQuery(query: string): string | null {
  const labelValues = /^\s*label_values\(\s*(.+),\s*[A-Za-z_][A-Za-z0-9_]*\s*\)\s*$/s.exec(query);
  if (labelValues) {
    return labelValues[1];
  }
  const queryResult = /^\s*query_result\(\s*(.+)\s*\)\s*$/s.exec(query);
  if (queryResult) {
    return queryResult[1];
  }
  return null;
}

/**
 * For every selector of `metric` in a PromQL expression, the functions and aggregation operators that enclose it,
 * innermost first (e.g. `["sum", "increase"]` for `sum(increase(m[5m]))`). Used to check HA semantics.
 */
export function promqlEnclosing(expr: string, metric: string): string[][] {
  const text = substituteGrafanaVariables(expr);
  const tree = promqlParser.parse(text);
  const found: string[][] = [];
  tree.iterate({
    enter: (node) => {
      if (node.name !== 'VectorSelector') {
        return;
      }
      const selector = text.slice(node.from, node.to);
      if (!new RegExp(`^${metric}(\\{|$)`).test(selector)) {
        return;
      }
      const chain: string[] = [];
      for (let parent = node.node.parent; parent; parent = parent.parent) {
        if (parent.name === 'AggregateExpr' || parent.name === 'FunctionCall') {
          const head = /^[a-z_]+/.exec(text.slice(parent.from, parent.to));
          chain.push(head ? head[0] : parent.name);
        }
      }
      found.push(chain);
    },
  });
  return found;
}
