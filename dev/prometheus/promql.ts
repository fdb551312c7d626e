// What an expression reads (its selectors), which of its parts must return data (filters stripped), and whether
// kici-sim's scraped series can satisfy a selector.
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';

import type { Family, Labels } from '../kici-sim/http/prom-text';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  name: string;
  op: MatchOp;
  value: string;
}

export interface Selector {
  /** The selector as written, e.g. `up{job="x"}`. */
  text: string;
  /** The metric name, or null for `{__name__=~"…"}` style selectors (then it is a `__name__` matcher). */
  metric: string | null;
  matchers: LabelMatcher[];
}

/** A series as Prometheus stores it: `__name__` plus labels. */
export type Series = Labels & { __name__: string };

function parse(expr: string) {
  const tree = parser.parse(expr);
  const errors: number[] = [];
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) {
        errors.push(n.from);
      }
    },
  });
  if (errors.length > 0) {
    throw new Error(`PromQL syntax error at offset ${errors[0]}: ${expr}`);
  }
  return tree;
}

/** The value of a PromQL string literal (double, single or back quotes). */
export function unquote(literal: string): string {
  const quote = literal[0];
  const body = literal.slice(1, -1);
  if (quote === '`') {
    return body;
  }
  if (quote === "'") {
    return JSON.parse(`"${body.replace(/\\'/g, "'").replace(/"/g, '\\"')}"`);
  }
  return JSON.parse(literal);
}

function child(node: SyntaxNode, name: string): SyntaxNode | null {
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.name === name) {
      return c;
    }
  }
  return null;
}

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) {
    out.push(c);
  }
  return out;
}

const MATCH_OPS: Record<string, MatchOp> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

function selectorOf(node: SyntaxNode, expr: string): Selector {
  const text = expr.slice(node.from, node.to);
  const identifier = child(node, 'Identifier');
  const matchers: LabelMatcher[] = [];
  const list = child(node, 'LabelMatchers');
  for (const m of list ? children(list) : []) {
    if (m.name !== 'UnquotedLabelMatcher' && m.name !== 'QuotedLabelMatcher') {
      continue;
    }
    const nameNode = child(m, 'LabelName') ?? child(m, 'QuotedLabelName');
    const opNode = child(m, 'MatchOp')?.firstChild;
    const valueNode = child(m, 'StringLiteral');
    if (!nameNode || !opNode || !valueNode || !(opNode.name in MATCH_OPS)) {
      throw new Error(`unsupported label matcher ${expr.slice(m.from, m.to)} in ${text}`);
    }
    const rawName = expr.slice(nameNode.from, nameNode.to);
    matchers.push({
      name: nameNode.name === 'QuotedLabelName' ? unquote(rawName) : rawName,
      op: MATCH_OPS[opNode.name],
      value: unquote(expr.slice(valueNode.from, valueNode.to)),
    });
  }
  return { text, metric: identifier ? expr.slice(identifier.from, identifier.to) : null, matchers };
}

/** Every vector selector of an expression (inside range selectors and subqueries too). Throws on a syntax error. */
export function selectorsOf(expr: string): Selector[] {
  const found: Selector[] = [];
  parse(expr).iterate({
    enter: (n) => {
      if (n.name === 'VectorSelector') {
        found.push(selectorOf(n.node, expr));
        return false;
      }
      return undefined;
    },
  });
  return found;
}

function requiredIn(node: SyntaxNode, expr: string): Selector[] {
  if (node.name === 'VectorSelector') {
    return [selectorOf(node, expr)];
  }
  const parts = children(node);
  if (node.name === 'BinaryExpr' && parts.some((c) => c.name === 'Or')) {
    const left = requiredIn(parts[0], expr);
    const right = requiredIn(parts[parts.length - 1], expr);
    // `x or vector(0)`: the fallback answers when x has no series, so x is optional.
    return left.length === 0 || right.length === 0 ? [] : [...left, ...right];
  }
  return parts.flatMap((c) => requiredIn(c, expr));
}

/**
 * The selectors whose series the expression needs to return real data: all of them, except the left side of an
 * `or` with a selector-free fallback (`(sum(rate(x[5m])) or vector(0))`).
 */
export function requiredSelectors(expr: string): Selector[] {
  return requiredIn(parse(expr).topNode, expr);
}

/** True when the expression reads a range of samples (`m[5m]`, subqueries), i.e. depends on the scrape history. */
export function hasRangeSelector(expr: string): boolean {
  let found = false;
  parse(expr).iterate({
    enter: (n) => {
      if (n.name === 'MatrixSelector' || n.name === 'SubqueryExpr') {
        found = true;
      }
    },
  });
  return found;
}

const FILTERS = new Set(['Eql', 'Neq', 'Gtr', 'Gte', 'Lss', 'Lte']);
const FILTERING_FUNCTIONS = new Set(['absent', 'absent_over_time']);

function operandsOf(node: SyntaxNode, expr: string): string[] {
  if (node.name === 'PromQL' || node.name === 'ParenExpr') {
    const inner = children(node).find((c) => c.name !== '(' && c.name !== ')');
    return inner ? operandsOf(inner, expr) : [];
  }
  if (node.name === 'BinaryExpr') {
    const parts = children(node);
    const op = parts.find((c) => FILTERS.has(c.name) || ['And', 'Or', 'Unless'].includes(c.name));
    const isBool = parts.some((c) => c.name === 'BoolModifier');
    if (op && !isBool) {
      const [left, right] = [parts[0], parts[parts.length - 1]];
      // `a unless b`: b is usually empty on purpose; only a has to return data.
      const sides = op.name === 'Unless' ? [left] : [left, right];
      return sides.flatMap((side) => operandsOf(side, expr));
    }
  }
  if (node.name === 'FunctionCall') {
    const fn = child(node, 'FunctionIdentifier');
    const body = child(node, 'FunctionCallBody');
    if (fn && body && FILTERING_FUNCTIONS.has(expr.slice(fn.from, fn.to))) {
      const arg = children(body).find((c) => c.name !== '(' && c.name !== ')' && c.name !== ',');
      return arg ? operandsOf(arg, expr) : [];
    }
  }
  return [expr.slice(node.from, node.to).trim()];
}

/**
 * The parts of an expression that must return data for it to be meaningful: comparison filters (`> 0`, `== 0`
 * without `bool`), `and`/`or`/`unless` and `absent()` are taken apart, because an alert condition or a `> 0`
 * panel is empty by design while its operands have data. Operands without any selector (`0`, `6 * 3600`,
 * `vector(0)`, `time()`) are dropped.
 */
export function dataOperands(expr: string): string[] {
  const top = parse(expr).topNode;
  const out = operandsOf(top, expr).filter((o) => selectorsOf(o).length > 0);
  return [...new Set(out)];
}

function matcherHolds(m: LabelMatcher, value: string | undefined): boolean {
  const v = value ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return new RegExp(`^(?:${m.value})$`).test(v);
    case '!~':
      return !new RegExp(`^(?:${m.value})$`).test(v);
  }
}

export function selectorMatches(selector: Selector, series: Series): boolean {
  if (selector.metric !== null && series.__name__ !== selector.metric) {
    return false;
  }
  return selector.matchers.every((m) => matcherHolds(m, series[m.name]));
}

export interface ScrapeTarget {
  job: string;
  /** `host:port`, Prometheus's `instance` label. */
  instance: string;
}

/**
 * The series Prometheus stores from one scrape of a target (honor_labels: false): the target's `job` and `instance`
 * are attached and a scraped `job`/`instance` label becomes `exported_job`/`exported_instance`.
 */
export function scrapedSeries(families: Map<string, Family>, target: ScrapeTarget): Series[] {
  const out: Series[] = [];
  for (const family of families.values()) {
    for (const sample of family.samples) {
      const labels: Labels = {};
      for (const [k, v] of Object.entries(sample.labels)) {
        labels[k === 'job' || k === 'instance' ? `exported_${k}` : k] = v;
      }
      out.push({ ...labels, job: target.job, instance: target.instance, __name__: sample.name });
    }
  }
  return out;
}

/** The `up` series Prometheus writes for every target, reachable or not. */
export function upSeries(targets: ScrapeTarget[]): Series[] {
  return targets.map((t) => ({ __name__: 'up', job: t.job, instance: t.instance }));
}

/** The required selectors of an expression that no series satisfies (so no data can be expected from it). */
export function unmatchedSelectors(expr: string, series: Series[]): Selector[] {
  return requiredSelectors(expr).filter((s) => !series.some((x) => selectorMatches(s, x)));
}

/** Why a selector has no data: the metric is missing altogether, or present without a series that matches. */
export function whyUnmatched(selector: Selector, series: Series[]): string {
  if (selector.metric !== null && !series.some((x) => x.__name__ === selector.metric)) {
    return selector.metric;
  }
  return `${selector.text} (no such series)`;
}
