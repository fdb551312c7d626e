import type { SecretBackendList } from './api';
import { availability, confirmText, describeAnswer, describeFailure, formatInterval, healthColor } from './model';

const list = (over: Partial<SecretBackendList> = {}): SecretBackendList => ({
  backends: [],
  source: 'database',
  canSync: true,
  canTest: true,
  minRole: 'Editor',
  ...over,
});

describe('healthColor', () => {
  it('colours KiCI health statuses; anything else is unknown', () => {
    expect(['healthy', 'degraded', 'unreachable', 'unknown', 'sealed'].map(healthColor)).toEqual([
      'green',
      'orange',
      'red',
      'darkgrey',
      'darkgrey',
    ]);
  });
});

describe('formatInterval', () => {
  it('words sync_interval_ms', () => {
    expect(formatInterval(300_000)).toBe('every 5 min');
    expect(formatInterval(90_000)).toBe('every 1 min 30 s');
    expect(formatInterval(3_600_000)).toBe('every 1 h');
    expect(formatInterval(86_400_000 + 7_200_000)).toBe('every 1 d 2 h');
    expect(formatInterval(30_000)).toBe('every 30 s');
    expect(formatInterval(250)).toBe('every 250 ms');
    expect(formatInterval(0)).toBe('no periodic sync');
  });
});

describe('describeAnswer', () => {
  const at = 1_790_000_000_000;
  const sync = {
    action: 'sync' as const,
    backend: 'vault-prod',
    ok: true,
    verified: true,
    scopeCount: 1,
    lastSyncAt: '2026-11-24T12:00:00.000Z',
    reportedScopeCount: 1,
    orchestrator: 'http://orch-a:4000',
  };

  it('a verified sync: succeeded, with the stored scope count', () => {
    expect(describeAnswer(sync, at)).toEqual({
      action: 'sync',
      ok: true,
      title: 'Sync of “vault-prod” succeeded',
      detail: '1 scope synced.',
      at,
    });
  });

  it('a sync KiCI reported as done but last_sync_error says failed', () => {
    const o = describeAnswer({ ...sync, ok: false, error: 'permission denied' }, at);
    expect([o.ok, o.title, o.detail]).toEqual([false, 'Sync of “vault-prod” failed', 'permission denied']);
  });

  it('an unverified sync (no PostgreSQL) says only that it was requested, with the note', () => {
    const o = describeAnswer(
      { ...sync, verified: false, reportedScopeCount: 14, note: 'configure PostgreSQL so the result can be verified' },
      at
    );
    expect(o.title).toBe('Sync of “vault-prod” requested');
    expect(o.detail).toBe('The orchestrator reports 14 scopes. configure PostgreSQL so the result can be verified');
  });

  it('tests: passed with latency, failed with the reason', () => {
    const test = { action: 'test' as const, backend: 'pg', ok: true, latencyMs: 12, orchestrator: 'http://o:4000' };
    expect(describeAnswer(test, at).detail).toBe('Reachable in 12 ms (through http://o:4000).');
    const failed = describeAnswer({ ...test, ok: false, error: 'Backend status: unreachable', latencyMs: 5004 }, at);
    expect([failed.ok, failed.title, failed.detail]).toEqual([
      false,
      'Test of “pg” failed',
      'Backend status: unreachable (after 5004 ms, through http://o:4000).',
    ]);
  });

  it('a failed call', () => {
    expect(describeFailure('sync', 'pg', 'secret backend "pg" not found', at)).toEqual({
      action: 'sync',
      ok: false,
      title: 'Sync of “pg” failed',
      detail: 'secret backend "pg" not found',
      at,
    });
  });
});

describe('availability', () => {
  it('enabled when the resource allows it and nothing runs', () => {
    expect(availability(list(), 'sync', undefined)).toEqual({ enabled: true });
  });

  it('disabled with the resource’s reason', () => {
    const viewer = list({ canSync: false, canTest: false, disabledReason: 'Sync and Test need the Editor role' });
    expect(availability(viewer, 'sync', undefined)).toEqual({
      enabled: false,
      reason: 'Sync and Test need the Editor role.',
    });
    expect(availability(viewer, 'test', undefined).enabled).toBe(false);
  });

  it('a role too low reads the same as on the DLQ page (issue 17 item 15)', () => {
    const viewer = list({ canSync: false, canTest: false, disabledReason: 'Sync and Test need the Editor role' });
    expect(availability(viewer, 'sync', undefined, 'Viewer')).toEqual({
      enabled: false,
      reason: 'Sync and Test need the Editor role in Grafana; you have the Viewer role.',
    });
  });

  it('one action at a time, and nothing before the list is loaded', () => {
    expect(availability(list(), 'test', { action: 'sync', backend: 'pg' })).toEqual({
      enabled: false,
      reason: 'Waiting for the Sync of “pg” to finish',
    });
    expect(availability(undefined, 'sync', undefined).enabled).toBe(false);
  });
});

describe('confirmText', () => {
  it('names the backend and what happens', () => {
    expect(confirmText('sync', 'pg').title).toBe('Sync “pg” now?');
    expect(confirmText('test', 'pg').body).toMatch(/health status is not changed/);
  });
});
