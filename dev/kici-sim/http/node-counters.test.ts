import type { ClusterSnapshot, EventRow, RunRow } from './cluster-data';
import { NodeCounters, ownerIndex } from './node-counters';

function snapshot(events: EventRow[], runs: RunRow[], leaderId = 'orch-a', dlqDepth = 0): ClusterSnapshot {
  return {
    takenAt: 0,
    roster: [],
    raft: { term: 1, leaderId },
    dispatchQueue: { pending: 0, dispatched: 0 },
    dlqDepth,
    staleRunning: 0,
    runningJobsByAgent: new Map(),
    runningJobs: 0,
    scalerReservations: new Map(),
    events,
    runs,
    routingKeys: [],
    execution24h: { totalRuns: 0, successRuns: 0, finishedRuns: 0, avgDurationSeconds: null },
  };
}

const dlqEvent = (id: string, at: string): EventRow => ({
  id,
  eventName: 'deploy-complete',
  attempts: 5,
  processed: true,
  dlqAt: new Date(at),
  leaseExpired: false,
  nextRetryAt: null,
});

describe('NodeCounters', () => {
  const ids = Array.from({ length: 40 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);

  it('splits events over the coordinators so the counters sum to the cluster total', () => {
    const nodes = ['orch-a', 'orch-b', 'orch-c'].map((id, i) => new NodeCounters(id, i, 3));
    const snap = snapshot(
      ids.map((id) => dlqEvent(id, '2026-11-24T06:00:00Z')),
      []
    );
    const totals = nodes.map((n) => {
      n.update(snap);
      return n.view().eventDlqTotals.reduce((a, t) => a + t.count, 0);
    });
    expect(totals.reduce((a, b) => a + b, 0)).toBe(40);
    expect(totals.every((t) => t > 0)).toBe(true);
    expect(ids.map((id) => ownerIndex(id, 1)).every((i) => i === 0)).toBe(true);
  });

  it('only grows: a discarded event stays counted, a re-DLQ after retry counts again', () => {
    const c = new NodeCounters('orch-a', 0, 1);
    c.update(snapshot([dlqEvent(ids[0], '2026-11-24T06:00:00Z')], []));
    c.update(snapshot([], []));
    expect(c.view().eventDlqTotals).toEqual([{ eventName: 'deploy-complete', count: 1 }]);
    c.update(snapshot([dlqEvent(ids[0], '2026-11-24T07:00:00Z')], []));
    expect(c.view().eventDlqTotals).toEqual([{ eventName: 'deploy-complete', count: 2 }]);
    expect(c.view().eventAttempts).toEqual([{ eventName: 'deploy-complete', result: 'dlq', attempts: [5, 5] }]);
  });

  it('refreshes the DLQ depth gauge and lease expirations only on the leader; an ex-leader keeps its value', () => {
    const leader = new NodeCounters('orch-a', 0, 2);
    const follower = new NodeCounters('orch-b', 1, 2);
    const lease: EventRow = {
      id: ids[1],
      eventName: 'x',
      attempts: 1,
      processed: false,
      dlqAt: null,
      leaseExpired: true,
      nextRetryAt: new Date('2026-11-24T06:00:00Z'),
    };
    for (const n of [leader, follower]) {
      n.update(snapshot([lease], [], 'orch-a', 7));
    }
    expect(leader.view()).toMatchObject({ eventDlqDepth: 7, eventLeaseExpirations: 1 });
    expect(follower.view()).toMatchObject({ eventDlqDepth: 0, eventLeaseExpirations: 0 });
    leader.update(snapshot([], [], 'orch-b', 3));
    expect(leader.view().eventDlqDepth).toBe(7);
  });

  it('counts runs at creation (pending) and at their terminal status with the duration', () => {
    const c = new NodeCounters('orch-a', 0, 1);
    c.update(
      snapshot(
        [],
        [{ runId: 'r1', status: 'running', durationMs: null, createdSinceStart: true, completedSinceStart: false }]
      )
    );
    c.update(
      snapshot(
        [],
        [{ runId: 'r1', status: 'success', durationMs: 95_000, createdSinceStart: true, completedSinceStart: true }]
      )
    );
    expect(c.view().executions).toEqual([
      { status: 'pending', count: 1 },
      { status: 'success', count: 1 },
    ]);
    expect(c.view().executionDurationsSeconds).toEqual([95]);
  });

  it('counts retries and deliveries', () => {
    const c = new NodeCounters('orch-a', 0, 1);
    c.update(
      snapshot(
        [
          {
            id: ids[2],
            eventName: 'build',
            attempts: 3,
            processed: true,
            dlqAt: null,
            leaseExpired: false,
            nextRetryAt: null,
          },
        ],
        []
      )
    );
    expect(c.view().eventDispatchSuccesses).toEqual([{ eventName: 'build', count: 1 }]);
    expect(c.view().eventRetries).toEqual([{ eventName: 'build', count: 2 }]);
  });
});
