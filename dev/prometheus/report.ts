// Verdicts of the live PromQL check and the summary table it prints.
import type { EvalMode, PromqlExpression } from './expressions';

export type Outcome =
  { kind: 'data'; series: number; sample: string } | { kind: 'empty' } | { kind: 'error'; message: string };

type Json = Record<string, any>;

/** Reads a Prometheus HTTP API answer (`/api/v1/query` or `/query_range`) into an outcome. */
export function outcomeOf(httpStatus: number, body: Json | null): Outcome {
  if (!body || body.status !== 'success') {
    const message = body?.error ? `${body.errorType ?? 'error'}: ${body.error}` : `HTTP ${httpStatus}`;
    return { kind: 'error', message };
  }
  const { resultType, result } = body.data ?? {};
  if (resultType === 'scalar' || resultType === 'string') {
    return { kind: 'data', series: 1, sample: String(result?.[1]) };
  }
  if (!Array.isArray(result)) {
    return { kind: 'error', message: `unexpected result ${JSON.stringify(body.data).slice(0, 200)}` };
  }
  if (result.length === 0) {
    return { kind: 'empty' };
  }
  const first = result[0];
  const value = first.value ? first.value[1] : first.values?.[first.values.length - 1]?.[1];
  return { kind: 'data', series: result.length, sample: String(value) };
}

/**
 * A canonical text of an instant query's answer (every series' labels and value, sorted; not the evaluation time),
 * so two queries can be compared for the same answer; null for an error.
 */
export function resultDigest(body: Json | null): string | null {
  if (!body || body.status !== 'success') {
    return null;
  }
  const { resultType, result } = body.data ?? {};
  if (resultType === 'scalar' || resultType === 'string') {
    return String(result?.[1]);
  }
  const rows = (Array.isArray(result) ? result : []).map((r: Json) => {
    const labels = Object.entries(r.metric ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(',');
    return `{${labels}} ${r.value?.[1]}`;
  });
  return rows.sort().join('\n');
}

export interface OperandCheck {
  /** The operand with variables substituted. */
  query: string;
  /** Required selectors kici-sim has no series for (empty = kici-sim produces everything this operand reads). */
  notProduced: string[];
  outcomes: Partial<Record<EvalMode, Outcome>>;
}

export interface ExpressionCheck {
  expression: PromqlExpression;
  /** The expression with variables substituted, as sent to Prometheus. */
  query: string;
  outcomes: Partial<Record<EvalMode, Outcome>>;
  operands: OperandCheck[];
}

export interface Verdict {
  ok: boolean;
  /** What the expression itself returned: error wins over empty, empty over data. */
  result: 'error' | 'empty' | 'data';
  notes: string[];
}

function worst(outcomes: Partial<Record<EvalMode, Outcome>>): Outcome['kind'] | null {
  const kinds = Object.values(outcomes).map((o) => o!.kind);
  for (const k of ['error', 'empty', 'data'] as const) {
    if (kinds.includes(k)) {
      return k;
    }
  }
  return null;
}

/**
 * Fails on any evaluation error, and on an empty result of an operand that reads only series kici-sim produces.
 * An expression that is empty while its operands have data (an alert condition not met, `> 0` with nothing above
 * zero) is fine.
 */
export function verdict(check: ExpressionCheck): Verdict {
  const notes: string[] = [];
  let ok = true;
  const errors = [
    ...Object.entries(check.outcomes).map(([mode, o]) => ({ mode, o: o!, what: 'expression' })),
    ...check.operands
      // An operand that is the whole expression has already been reported as the expression.
      .filter((op) => op.query !== check.query)
      .flatMap((op) => Object.entries(op.outcomes).map(([mode, o]) => ({ mode, o: o!, what: `operand ${op.query}` }))),
  ].filter((e) => e.o.kind === 'error');
  for (const e of errors) {
    ok = false;
    notes.push(`${e.mode} ${e.what}: ${(e.o as { message: string }).message}`);
  }
  const notProduced = new Set<string>();
  for (const op of check.operands) {
    if (op.notProduced.length > 0) {
      op.notProduced.forEach((m) => notProduced.add(m));
      continue;
    }
    for (const [mode, o] of Object.entries(op.outcomes)) {
      if (o!.kind === 'empty') {
        ok = false;
        notes.push(`${mode} result empty although kici-sim produces the series of ${op.query}`);
      }
    }
  }
  for (const m of notProduced) {
    notes.push(`no data expected from kici-sim: ${m}`);
  }
  const result = worst(check.outcomes) ?? 'error';
  if (result === 'empty' && ok && notProduced.size === 0 && check.operands.length > 0) {
    notes.push('condition not met (its operands return data)');
  }
  return { ok, result, notes };
}

export interface RuleProblem {
  rule: string;
  problem: string;
}

/** Rules of `/api/v1/rules` that Prometheus has not evaluated yet or whose evaluation failed. */
export function ruleProblems(body: Json, expected: string[]): RuleProblem[] {
  const seen = new Map<string, Json>();
  for (const group of body?.data?.groups ?? []) {
    for (const rule of group.rules ?? []) {
      seen.set(rule.name, rule);
    }
  }
  const problems: RuleProblem[] = [];
  for (const name of expected) {
    const rule = seen.get(name);
    if (!rule) {
      problems.push({ rule: name, problem: 'not loaded' });
    } else if (rule.health !== 'ok') {
      problems.push({ rule: name, problem: `health ${rule.health}${rule.lastError ? `: ${rule.lastError}` : ''}` });
    }
  }
  return problems;
}

function describe(o: Outcome | undefined): string {
  if (!o) {
    return '-';
  }
  if (o.kind === 'data') {
    return `data (${o.series})`;
  }
  return o.kind;
}

/** A fixed-width table: status, instant and range outcome, where the expression lives, and its notes. */
export function summaryTable(checks: ExpressionCheck[]): string {
  const rows = checks.map((c) => {
    const v = verdict(c);
    return {
      status: v.ok ? 'ok' : 'FAIL',
      instant: describe(c.outcomes.instant),
      range: describe(c.outcomes.range),
      where: c.expression.where,
      notes: v.notes,
    };
  });
  const header = { status: 'status', instant: 'instant', range: 'range', where: 'expression' };
  const width = (k: 'status' | 'instant' | 'range') => Math.max(header[k].length, ...rows.map((r) => r[k].length));
  const [ws, wi, wr] = [width('status'), width('instant'), width('range')];
  const line = (r: { status: string; instant: string; range: string; where: string }) =>
    `${r.status.padEnd(ws)}  ${r.instant.padEnd(wi)}  ${r.range.padEnd(wr)}  ${r.where}`;
  const out = [
    line(header),
    line({ status: '-'.repeat(ws), instant: '-'.repeat(wi), range: '-'.repeat(wr), where: '-'.repeat(10) }),
  ];
  for (const r of rows) {
    out.push(line(r));
    for (const n of r.notes) {
      out.push(`${' '.repeat(ws + wi + wr + 6)}  - ${n}`);
    }
  }
  return out.join('\n');
}
