import { PLATFORM_ONLY } from '../../datasource/infrastructure/model';
import { describeFields, formatTimestamp, formatUptime, missingReason } from './format';

describe('formatUptime', () => {
  it('shows the two largest units', () => {
    expect(formatUptime(45)).toBe('45s');
    expect(formatUptime(12 * 60 + 5)).toBe('12m');
    expect(formatUptime(5 * 3600 + 12 * 60)).toBe('5h 12m');
    expect(formatUptime(3 * 86400 + 4 * 3600 + 59)).toBe('3d 4h');
    expect(formatUptime(-3)).toBe('0s');
  });
});

describe('formatTimestamp', () => {
  it('is UTC to the second', () => {
    expect(formatTimestamp(Date.UTC(2026, 10, 24, 6, 40, 5, 900))).toBe('2026-11-24 06:40:05 UTC');
  });
});

describe('describeFields', () => {
  it('shows present fields and groups the null ones by their reason', () => {
    const r = describeFields(
      [
        { label: 'CPU', field: 'cpuCount', text: null },
        { label: 'host', field: 'hostname', text: 'ci-host-1' },
        { label: 'memory', field: 'totalMemoryMb', text: null },
        { label: 'Raft role', field: 'raftRole', text: null },
      ],
      { cpuCount: PLATFORM_ONLY, totalMemoryMb: PLATFORM_ONLY, raftRole: 'the node did not answer' }
    );
    expect(r.shown).toEqual([{ label: 'host', text: 'ci-host-1' }]);
    expect(r.missing).toEqual([
      { labels: ['CPU', 'memory'], reason: PLATFORM_ONLY },
      { labels: ['Raft role'], reason: 'the node did not answer' },
    ]);
  });

  it('says "not reported" when the model gives no reason', () => {
    expect(missingReason({}, 'nodeVersion')).toBe('not reported');
  });
});
