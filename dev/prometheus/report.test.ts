import type { PromqlExpression } from './expressions';
import { outcomeOf, resultDigest, ruleProblems, summaryTable, verdict, type ExpressionCheck } from './report';

const expression = (where: string): PromqlExpression => ({
  where,
  source: 'prometheus-rule',
  expr: 'x',
  modes: ['instant'],
});
const data = { kind: 'data', series: 1, sample: '3' } as const;
const empty = { kind: 'empty' } as const;

describe('outcomeOf', () => {
  it('reads vectors, matrices, scalars and errors of the Prometheus HTTP API', () => {
    expect(
      outcomeOf(200, {
        status: 'success',
        data: {
          resultType: 'vector',
          result: [
            { metric: {}, value: [1, '2'] },
            { metric: { a: 'b' }, value: [1, '5'] },
          ],
        },
      })
    ).toEqual({ kind: 'data', series: 2, sample: '2' });
    expect(
      outcomeOf(200, {
        status: 'success',
        data: {
          resultType: 'matrix',
          result: [
            {
              metric: {},
              values: [
                [1, '1'],
                [3, '7'],
              ],
            },
          ],
        },
      })
    ).toEqual({ kind: 'data', series: 1, sample: '7' });
    expect(outcomeOf(200, { status: 'success', data: { resultType: 'vector', result: [] } })).toEqual({
      kind: 'empty',
    });
    expect(outcomeOf(200, { status: 'success', data: { resultType: 'scalar', result: [1, '42'] } })).toEqual({
      kind: 'data',
      series: 1,
      sample: '42',
    });
    expect(
      outcomeOf(400, { status: 'error', errorType: 'bad_data', error: 'parse error: unexpected end of input' })
    ).toEqual({ kind: 'error', message: 'bad_data: parse error: unexpected end of input' });
    expect(outcomeOf(502, null)).toEqual({ kind: 'error', message: 'HTTP 502' });
  });
});

describe('verdict', () => {
  it('fails on an evaluation error of the expression or of an operand', () => {
    const check: ExpressionCheck = {
      expression: expression('prometheus rule A'),
      query: 'x > 0',
      outcomes: { instant: { kind: 'error', message: 'bad_data: boom' } },
      operands: [
        { query: 'x > 0', notProduced: [], outcomes: { instant: { kind: 'error', message: 'bad_data: boom' } } },
      ],
    };
    expect(verdict(check)).toEqual({ ok: false, result: 'error', notes: ['instant expression: bad_data: boom'] });
    const operandOnly: ExpressionCheck = {
      ...check,
      query: 'x > 0 and y',
      outcomes: { instant: empty },
      operands: [{ query: 'y', notProduced: [], outcomes: { instant: { kind: 'error', message: 'timeout' } } }],
    };
    expect(verdict(operandOnly)).toEqual({ ok: false, result: 'empty', notes: ['instant operand y: timeout'] });
  });

  it('fails when an operand over series kici-sim produces comes back empty', () => {
    const check: ExpressionCheck = {
      expression: expression('dashboard d / P / A'),
      query: 'sum(rate(x[4s]))',
      outcomes: { instant: data, range: empty },
      operands: [{ query: 'sum(rate(x[4s]))', notProduced: [], outcomes: { instant: data, range: empty } }],
    };
    expect(verdict(check)).toEqual({
      ok: false,
      result: 'empty',
      notes: ['range result empty although kici-sim produces the series of sum(rate(x[4s]))'],
    });
  });

  it('accepts empty results over metrics kici-sim does not produce, and says which', () => {
    const check: ExpressionCheck = {
      expression: expression('dashboard d / P / A'),
      query: 'sum(rate(webhooks_total[4s]))',
      outcomes: { range: empty },
      operands: [
        { query: 'sum(rate(webhooks_total[4s]))', notProduced: ['webhooks_total'], outcomes: { range: empty } },
      ],
    };
    expect(verdict(check)).toEqual({
      ok: true,
      result: 'empty',
      notes: ['no data expected from kici-sim: webhooks_total'],
    });
  });

  it('accepts an alert condition that is not met while its operands have data', () => {
    const check: ExpressionCheck = {
      expression: expression('prometheus rule KiciStaleRunsPresent'),
      query: 'max(stale) > 0',
      outcomes: { instant: empty },
      operands: [{ query: 'max(stale)', notProduced: [], outcomes: { instant: data } }],
    };
    expect(verdict(check)).toEqual({
      ok: true,
      result: 'empty',
      notes: ['condition not met (its operands return data)'],
    });
  });
});

describe('ruleProblems', () => {
  it('reports rules that are missing or whose evaluation failed', () => {
    const body = {
      status: 'success',
      data: {
        groups: [
          {
            name: 'kici',
            rules: [
              { name: 'Ok', health: 'ok', lastError: '' },
              { name: 'Broken', health: 'err', lastError: 'vector cannot contain metrics with the same labelset' },
            ],
          },
        ],
      },
    };
    expect(ruleProblems(body, ['Ok', 'Broken', 'Missing'])).toEqual([
      { rule: 'Broken', problem: 'health err: vector cannot contain metrics with the same labelset' },
      { rule: 'Missing', problem: 'not loaded' },
    ]);
  });
});

describe('summaryTable', () => {
  it('prints one aligned line per expression with its notes', () => {
    const table = summaryTable([
      {
        expression: expression('prometheus rule Good'),
        query: 'up',
        outcomes: { instant: { kind: 'data', series: 3, sample: '1' } },
        operands: [{ query: 'up', notProduced: [], outcomes: { instant: data } }],
      },
      {
        expression: expression('prometheus rule Bad'),
        query: 'x',
        outcomes: { instant: { kind: 'error', message: 'bad_data: boom' }, range: empty },
        operands: [],
      },
    ]);
    expect(table.split('\n')).toEqual([
      'status  instant   range  expression',
      '------  --------  -----  ----------',
      'ok      data (3)  -      prometheus rule Good',
      'FAIL    error     empty  prometheus rule Bad',
      '                           - instant expression: bad_data: boom',
    ]);
  });
});

describe('resultDigest', () => {
  const vector = (result: Array<{ metric: Record<string, string>; value: [number, string] }>) => ({
    status: 'success',
    data: { resultType: 'vector', result },
  });

  it('is the same for the same series and values in any order, whatever the evaluation time', () => {
    const a = vector([
      { metric: { instance: 'b' }, value: [1, '1'] },
      { metric: { instance: 'a' }, value: [1, '2'] },
    ]);
    const b = vector([
      { metric: { instance: 'a' }, value: [2, '2'] },
      { metric: { instance: 'b' }, value: [2, '1'] },
    ]);
    expect(resultDigest(a)).toBe(resultDigest(b));
  });

  it('differs when "All" also reached another scrape job: a doubled count or an extra series', () => {
    const orchestrators = vector([{ metric: {}, value: [1, '2'] }]);
    expect(resultDigest(vector([{ metric: {}, value: [1, '3'] }]))).not.toBe(resultDigest(orchestrators));
    expect(
      resultDigest(
        vector([
          { metric: { job: 'kici-orchestrator' }, value: [1, '1'] },
          { metric: { job: 'kici-agent' }, value: [1, '1'] },
        ])
      )
    ).not.toBe(resultDigest(vector([{ metric: { job: 'kici-orchestrator' }, value: [1, '1'] }])));
  });

  it('is null for an error', () => {
    expect(resultDigest({ status: 'error', error: 'bad' })).toBeNull();
  });
});
