import { runbookSteps, type RunbookInputs } from './runbook';

const ID = '16c3fcf6-a5b6-42a6-8917-700fc6bcdd84';
const base: RunbookInputs = {
  depth: 3,
  admittedLastHour: 0,
  admittedSinceRetry: null,
  lastRetryAt: null,
  admittedRecently: 0,
  rowsShown: 3,
  eventsError: null,
  statsError: null,
  filtered: false,
  topEventName: { name: 'deploy-complete', count: 2 },
  firstEventId: ID,
  permissions: { canRetry: true, retryReason: '', canDiscard: true, discardReason: '' },
  formatTime: (ms) => new Date(ms).toISOString(),
};

const step = (i: RunbookInputs, key: string) => runbookSteps(i).find((s) => s.key === key)!;

describe('DLQ runbook', () => {
  it('has the six triage steps in order', () => {
    expect(runbookSteps(base).map((s) => s.title)).toEqual([
      'Confirm the alert',
      'Inspect the events',
      'Cross-check your logs',
      'Fix the root cause',
      'Decide retry vs discard',
      'Watch the depth recover',
    ]);
  });

  it('step 1 tells old events from events failing now', () => {
    expect(step(base, 'confirm')).toMatchObject({
      tone: 'info',
      live: expect.stringContaining('0 admitted in the last hour: the events are old'),
    });
    expect(step({ ...base, admittedLastHour: 4 }, 'confirm')).toMatchObject({
      tone: 'warning',
      live: 'DLQ depth 3, 4 admitted in the last hour: events are failing now',
    });
    expect(step({ ...base, depth: 0 }, 'confirm').tone).toBe('ok');
    expect(step({ ...base, depth: null }, 'confirm').tone).toBe('unknown');
    expect(step(base, 'confirm').commands.map((c) => c.text)).toEqual([
      'kici-admin event-dlq count',
      'max(kici_orch_event_dlq_depth)',
    ]);
  });

  it('uses the first listed event in the commands, a placeholder without one', () => {
    expect(step(base, 'logs').commands[0].text).toBe(`{service="orchestrator"} | json | eventId="${ID}"`);
    expect(step(base, 'decide').commands.map((c) => c.text)).toEqual([
      `kici-admin event-dlq retry ${ID}`,
      `kici-admin event-dlq discard ${ID}`,
    ]);
    expect(step({ ...base, firstEventId: null }, 'decide').commands[0].text).toBe(
      'kici-admin event-dlq retry <eventId>'
    );
  });

  it('step 5 says what this page may do and why not', () => {
    expect(step(base, 'decide').live).toBe('You can retry and discard from this page');
    const auditor = {
      canRetry: false,
      retryReason: 'the configured admin token has role auditor, which cannot manage the DLQ',
      canDiscard: false,
      discardReason: 'the configured admin token has role auditor, which cannot manage the DLQ',
    };
    expect(step({ ...base, permissions: auditor }, 'decide')).toMatchObject({
      tone: 'warning',
      live: expect.stringContaining('role auditor'),
    });
  });

  it('step 6 reports whether new events still land after a retry', () => {
    const retried = { ...base, lastRetryAt: Date.UTC(2026, 10, 24, 12), admittedRecently: null };
    expect(step({ ...retried, admittedSinceRetry: 0 }, 'watch')).toMatchObject({
      tone: 'ok',
      live: 'DLQ depth 3; no new event landed in the DLQ since your retry at 2026-11-24T12:00:00.000Z',
    });
    expect(step({ ...retried, admittedSinceRetry: 2 }, 'watch')).toMatchObject({
      tone: 'warning',
      live: expect.stringContaining('2 event(s) landed in the DLQ since your retry'),
    });
    expect(step({ ...base, admittedRecently: 5 }, 'watch').live).toBe(
      'DLQ depth 3; 5 admitted in the last 15 minutes: events are still landing'
    );
  });

  it('step 4 points at the most frequent event name', () => {
    expect(step(base, 'fix').live).toBe('Most frequent event shown: deploy-complete (2 of 3)');
  });

  it('reads unknown, never a pass, when the queries failed or have not answered (issue 17 item 5)', () => {
    const failed: RunbookInputs = {
      ...base,
      depth: null,
      admittedLastHour: null,
      admittedRecently: null,
      rowsShown: null,
      topEventName: null,
      firstEventId: null,
      eventsError: 'connection refused',
      statsError: 'connection refused',
    };
    const steps = runbookSteps(failed);
    // Only step 5 may pass: the permissions answer is a separate, successful call.
    expect(steps.filter((s) => s.tone === 'ok').map((s) => s.key)).toEqual(['decide']);
    expect(Object.fromEntries(steps.map((s) => [s.key, s.tone]))).toEqual({
      confirm: 'unknown',
      inspect: 'unknown',
      logs: 'unknown',
      fix: 'unknown',
      decide: 'ok',
      watch: 'unknown',
    });
    expect(step(failed, 'inspect').live).toBe('Unknown: the DLQ list could not be read (connection refused)');
    expect(step(failed, 'fix').live).toBe('Unknown: the DLQ list could not be read (connection refused)');
    expect(step(failed, 'watch').live).toBe(
      'DLQ depth unavailable; admissions in the last 15 minutes unknown (the stats could not be read: connection refused)'
    );
    expect(step({ ...failed, eventsError: null }, 'inspect')).toMatchObject({
      live: 'Unknown: the list is loading',
      tone: 'unknown',
    });
  });
});
