import { bucketStepMs, metricsFrame, seriesFrame, SUCCESS_RATE_DEFINITION } from './frames';
import { metricsStatement, seriesStatement } from './sql';

describe('bucketStepMs', () => {
  it('uses the panel interval when the range fits in maxDataPoints', () => {
    expect(bucketStepMs({ from: 0, to: 3_600_000 }, 60_000, 1000)).toBe(60_000);
  });
  it('widens the step so the range fits in maxDataPoints, in whole seconds', () => {
    // 24 h over 100 points = 864 s
    expect(bucketStepMs({ from: 0, to: 86_400_000 }, 15_000, 100)).toBe(864_000);
    expect(bucketStepMs({ from: 0, to: 10_001 }, 0, 10)).toBe(2_000);
  });
  it('never goes below one second', () => {
    expect(bucketStepMs({ from: 0, to: 10 }, 1, 1000)).toBe(1_000);
  });
});

describe('seriesFrame', () => {
  const range = { from: 1_000_000, to: 1_000_000 + 4 * 60_000 };
  it('zero-fills every bucket and every known status, labelled {status}', () => {
    const f = seriesFrame(
      [
        { bucket: 0, status: 'success', runs: 2 },
        { bucket: 3, status: 'failed', runs: 1 },
        { bucket: 3, status: 'success', runs: 1 },
      ],
      range,
      60_000,
      'A'
    );
    expect(f.fields[0].values).toEqual([1_000_000, 1_060_000, 1_120_000, 1_180_000]);
    const byStatus = Object.fromEntries(f.fields.slice(1).map((x) => [x.labels!.status, x.values]));
    expect(byStatus.success).toEqual([2, 0, 0, 1]);
    expect(byStatus.failed).toEqual([0, 0, 0, 1]);
    expect(byStatus.running).toEqual([0, 0, 0, 0]);
    expect(Object.keys(byStatus)).toEqual([
      'success',
      'failed',
      'cancelled',
      'running',
      'pending',
      'cancelling',
      'held',
    ]);
    expect(f.fields.slice(1).every((x) => x.name === x.labels!.status)).toBe(true);
  });
  it('keeps a status KiCI adds later as its own series', () => {
    const f = seriesFrame([{ bucket: 1, status: 'timed_out', runs: 3 }], range, 60_000, 'A');
    const extra = f.fields.find((x) => x.labels?.status === 'timed_out')!;
    expect(extra.values).toEqual([0, 3, 0, 0]);
  });
});

describe('metricsFrame', () => {
  it('one numeric field per metric with units, active = queued + running, the success-rate definition', () => {
    const f = metricsFrame(
      {
        total_runs: 4,
        success_runs: 1,
        finished_runs: 3,
        success_rate_pct: 33.3,
        avg_duration_s: 48.3,
        queued_jobs: 1,
        running_jobs: 1,
      },
      { refId: 'M', windowText: 'in the last 24 h', executed: 'x' }
    );
    const field = (n: string) => f.fields.find((x) => x.name === n)!;
    expect(f.fields.every((x) => x.type === 'number' && x.values.length === 1)).toBe(true);
    expect(field('success_rate').values).toEqual([33.3]);
    expect(field('success_rate').config?.unit).toBe('percent');
    expect(field('success_rate').config?.description).toBe(SUCCESS_RATE_DEFINITION);
    expect(field('avg_duration').config?.unit).toBe('s');
    expect(field('active_jobs').values).toEqual([2]);
  });
  it('leaves the success rate empty when no run finished', () => {
    const f = metricsFrame(
      {
        total_runs: 1,
        success_runs: 0,
        finished_runs: 0,
        success_rate_pct: null,
        avg_duration_s: null,
        queued_jobs: 0,
        running_jobs: 0,
      },
      { refId: 'M', windowText: '', executed: '' }
    );
    const rate = f.fields.find((x) => x.name === 'success_rate')!;
    expect(rate.values).toEqual([null]);
    expect(rate.nullable).toBe(true);
  });
});

describe('statements', () => {
  it('passes the routing key and the range as parameters, never in the SQL text', () => {
    const st = metricsStatement({
      window: { kind: 'range', from: 0, to: 1000 },
      excludeTestRuns: true,
      routingKey: "github:42' OR 1=1 --",
    });
    expect(st.sql).not.toContain('github:42');
    expect(st.params).toEqual([new Date(0), new Date(1000), "github:42' OR 1=1 --", "github:42' OR 1=1 --"]);
    expect(st.sql).toContain('NOT r.is_test_run');
    expect(st.sql).toContain('r.routing_key = $3');
  });
  it('uses the database clock for the default 24 h window', () => {
    const st = metricsStatement({ window: { kind: 'last24h' }, excludeTestRuns: false });
    expect(st.params).toEqual([]);
    expect(st.sql).toContain(`now() - interval '24 hours'`);
    expect(st.sql).not.toContain('is_test_run');
  });
  it('buckets relative to the range start', () => {
    const st = seriesStatement({ window: { kind: 'range', from: 5, to: 10 }, excludeTestRuns: false }, 1000);
    expect(st.params).toEqual([new Date(5), new Date(10), 5, 1000]);
  });
});
