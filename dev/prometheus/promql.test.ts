import { parseExposition } from '../kici-sim/http/prom-text';
import {
  dataOperands,
  hasRangeSelector,
  requiredSelectors,
  scrapedSeries,
  selectorMatches,
  selectorsOf,
  unmatchedSelectors,
  unquote,
  upSeries,
  whyUnmatched,
} from './promql';

describe('selectorsOf', () => {
  it('lists every selector with its matchers, inside range selectors and subqueries too', () => {
    expect(
      selectorsOf(
        'sum(rate(a_total{x="1", y!="2"}[5m])) / max_over_time(b{z=~"p.*", w!~\'q\'}[10m:1m]) + {__name__="c"}'
      )
    ).toEqual([
      {
        text: 'a_total{x="1", y!="2"}',
        metric: 'a_total',
        matchers: [
          { name: 'x', op: '=', value: '1' },
          { name: 'y', op: '!=', value: '2' },
        ],
      },
      {
        text: 'b{z=~"p.*", w!~\'q\'}',
        metric: 'b',
        matchers: [
          { name: 'z', op: '=~', value: 'p.*' },
          { name: 'w', op: '!~', value: 'q' },
        ],
      },
      { text: '{__name__="c"}', metric: null, matchers: [{ name: '__name__', op: '=', value: 'c' }] },
    ]);
  });

  it('refuses an expression that does not parse', () => {
    expect(() => selectorsOf('sum(rate(a[5m])')).toThrow('PromQL syntax error');
  });

  it('unquotes every PromQL string form', () => {
    expect(unquote('"a\\"b\\\\."')).toBe('a"b\\.');
    expect(unquote("'it\\'s'")).toBe("it's");
    expect(unquote('`raw\\.`')).toBe('raw\\.');
  });
});

describe('hasRangeSelector', () => {
  it('is true for range vectors and subqueries only', () => {
    expect(hasRangeSelector('sum(rate(a[5m]))')).toBe(true);
    expect(hasRangeSelector('max_over_time(b[10m:1m])')).toBe(true);
    expect(hasRangeSelector('time() - max(b)')).toBe(false);
  });
});

describe('dataOperands', () => {
  it('takes alert conditions apart into the parts that must return data', () => {
    expect(
      dataOperands(`sum(agents{job="k"}) == 0
and on ()
max(depth{job="k", status="pending"}) > 0`)
    ).toEqual(['sum(agents{job="k"})', 'max(depth{job="k", status="pending"})']);
    expect(dataOperands('time() - max by (exported_job) (ts{job="k"}) > 6 * 3600')).toEqual([
      'time() - max by (exported_job) (ts{job="k"})',
    ]);
    expect(dataOperands('absent(up{job="k"})')).toEqual(['up{job="k"}']);
    expect(dataOperands('(sum(increase(s[15m])) or vector(0)) == 0')).toEqual(['sum(increase(s[15m]))']);
    expect(dataOperands('a unless b')).toEqual(['a']);
  });

  it('keeps expressions that are not filters whole', () => {
    expect(dataOperands('x > bool 1')).toEqual(['x > bool 1']);
    expect(dataOperands('sum by (r) (rate(s[5m])) / sum by (r) (rate(c[5m]))')).toEqual([
      'sum by (r) (rate(s[5m])) / sum by (r) (rate(c[5m]))',
    ]);
    expect(dataOperands('vector(1)')).toEqual([]);
  });
});

describe('requiredSelectors', () => {
  it('treats the left side of `or <constant>` as optional', () => {
    expect(
      requiredSelectors('60 * (sum(rate(a{s="p"}[5m])) - (sum(rate(a{s="g"}[5m])) or vector(0)))').map((s) => s.text)
    ).toEqual(['a{s="p"}']);
    expect(requiredSelectors('a or b').map((s) => s.text)).toEqual(['a', 'b']);
  });
});

const EXPOSITION = `# HELP kici_orch_job_runs_total Scheduled job runs
# TYPE kici_orch_job_runs_total counter
kici_orch_job_runs_total{job="retry-scanner",instance="orch-a",result="success"} 3
# TYPE kici_orch_dispatch_queue_depth gauge
kici_orch_dispatch_queue_depth{status="pending"} 4
kici_orch_dispatch_queue_depth{status="running"} 1
`;

describe('scrapedSeries', () => {
  const target = { job: 'kici-orchestrator', instance: '127.0.0.1:4000' };
  const series = [...scrapedSeries(parseExposition(EXPOSITION), target), ...upSeries([target])];

  it('attaches the target labels and renames scraped job/instance labels as Prometheus does (honor_labels: false)', () => {
    expect(series).toEqual([
      {
        __name__: 'kici_orch_job_runs_total',
        exported_job: 'retry-scanner',
        exported_instance: 'orch-a',
        result: 'success',
        job: 'kici-orchestrator',
        instance: '127.0.0.1:4000',
      },
      {
        __name__: 'kici_orch_dispatch_queue_depth',
        status: 'pending',
        job: 'kici-orchestrator',
        instance: '127.0.0.1:4000',
      },
      {
        __name__: 'kici_orch_dispatch_queue_depth',
        status: 'running',
        job: 'kici-orchestrator',
        instance: '127.0.0.1:4000',
      },
      { __name__: 'up', job: 'kici-orchestrator', instance: '127.0.0.1:4000' },
    ]);
  });

  it('says which selectors kici-sim cannot satisfy, and why', () => {
    const unmatched = (expr: string) => unmatchedSelectors(expr, series).map((s) => whyUnmatched(s, series));
    expect(unmatched('max(kici_orch_dispatch_queue_depth{status="pending", job=~".+"}) > 0')).toEqual([]);
    expect(unmatched('max by (exported_job) (kici_orch_job_runs_total{job="kici-orchestrator"})')).toEqual([]);
    expect(unmatched('max(kici_orch_dispatch_queue_depth{status="queued"})')).toEqual([
      'kici_orch_dispatch_queue_depth{status="queued"} (no such series)',
    ]);
    expect(unmatched('sum(rate(kici_orch_webhooks_received_total[5m]))')).toEqual([
      'kici_orch_webhooks_received_total',
    ]);
    expect(unmatched('up{job="kici-agent"}')).toEqual(['up{job="kici-agent"} (no such series)']);
  });

  it('anchors regex matchers and treats a missing label as empty', () => {
    const [re] = selectorsOf('up{instance=~"127.0.0.1:40"}');
    expect(selectorMatches(re, series[3])).toBe(false);
    const [absentLabel] = selectorsOf('kici_orch_dispatch_queue_depth{scaler=""}');
    expect(selectorMatches(absentLabel, series[1])).toBe(true);
    const [negative] = selectorsOf('kici_orch_dispatch_queue_depth{status!~"pend.*"}');
    expect(series.filter((s) => selectorMatches(negative, s)).map((s) => s.status)).toEqual(['running']);
  });
});
