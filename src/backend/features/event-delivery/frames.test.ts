import { leasesFrame, summaryFrame } from './frames';

describe('eventDelivery frames', () => {
  it('summary: one row of numbers, counts from pg bigint strings', () => {
    const f = summaryFrame({
      retry_backlog: '15',
      due_for_retry: '3',
      live_leases: '3',
      expired_leases: '3',
      unprocessed: '18',
      oldest_unprocessed_age_s: 305.5,
    });
    expect(f.name).toBe('summary');
    expect(f.fields.map((x) => [x.name, x.type, x.values])).toEqual([
      ['retryBacklog', 'number', [15]],
      ['dueForRetry', 'number', [3]],
      ['liveLeases', 'number', [3]],
      ['expiredLeases', 'number', [3]],
      ['unprocessed', 'number', [18]],
      ['oldestUnprocessedAge', 'number', [305.5]],
    ]);
  });

  it('summary: no unprocessed event gives a null age, not 0', () => {
    const f = summaryFrame({
      retry_backlog: '0',
      due_for_retry: '0',
      live_leases: '0',
      expired_leases: '0',
      unprocessed: '0',
      oldest_unprocessed_age_s: null,
    });
    expect(f.fields.find((x) => x.name === 'oldestUnprocessedAge')!.values).toEqual([null]);
  });

  it('leases: one row per node, flagged when any lease outlived the lease duration', () => {
    const t = new Date('2026-11-24T06:00:00Z');
    const f = leasesFrame(
      [
        { claimed_by: 'orch-a', leases: '2', oldest_claimed_at: t, oldest_age_s: 240, expired: '2' },
        { claimed_by: 'orch-b', leases: '1', oldest_claimed_at: t, oldest_age_s: 4.2, expired: '0' },
      ],
      60_000
    );
    const col = (n: string) => f.fields.find((x) => x.name === n)!.values;
    expect(col('orchestrator')).toEqual(['orch-a', 'orch-b']);
    expect(col('leases')).toEqual([2, 1]);
    expect(col('expiredLeases')).toEqual([2, 0]);
    expect(col('expired')).toEqual([true, false]);
    expect(f.fields.find((x) => x.name === 'expiredLeases')!.config?.displayName).toBe('Older than 60 s');
  });
});
