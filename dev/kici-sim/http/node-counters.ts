// Per-process counters of one orchestrator node, derived from database rows: each event and run
// created since the sim started is "handled" by exactly one coordinator (a stable hash of its id), so
// summing a counter over the nodes gives the cluster total, and every counter only ever grows, as an
// OTel counter does. Leader-only series (lease expirations, the DLQ depth gauge) follow KiCI's HA
// semantics (contract §7.5): followers keep whatever they last saw.
import { createHash } from 'node:crypto';
import type { ClusterSnapshot } from './cluster-data';

const TERMINAL_RUN = new Set(['success', 'failed', 'cancelled']);

/** The coordinator (by index) that handles `id`. */
export function ownerIndex(id: string, count: number): number {
  if (count <= 1) {
    return 0;
  }
  return createHash('sha256').update(id).digest().readUInt32BE(0) % count;
}

export interface CounterView {
  eventDlqDepth: number;
  eventLeaseExpirations: number;
  eventDlqTotals: Array<{ eventName: string; count: number }>;
  eventRetries: Array<{ eventName: string; count: number }>;
  eventDispatchSuccesses: Array<{ eventName: string; count: number }>;
  eventAttempts: Array<{ eventName: string; result: 'success' | 'dlq'; attempts: number[] }>;
  executions: Array<{ status: string; count: number }>;
  executionDurationsSeconds: number[];
}

function tally(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

const sorted = (m: Map<string, number>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b));

export class NodeCounters {
  private dlqDepthGauge = 0;
  private readonly seen = new Set<string>();
  private readonly dlqByName = new Map<string, number>();
  private readonly successByName = new Map<string, number>();
  private readonly retriesByEvent = new Map<string, { name: string; retries: number }>();
  private readonly attempts = new Map<string, { eventName: string; result: 'success' | 'dlq'; attempts: number[] }>();
  private leaseExpirations = 0;
  private readonly executionsByStatus = new Map<string, number>();
  private readonly durations: number[] = [];

  /**
   * @param index this node's position among the coordinators
   * @param coordinatorCount how many coordinators share the work
   */
  constructor(
    private readonly instanceId: string,
    private readonly index: number,
    private readonly coordinatorCount: number
  ) {}

  private once(key: string): boolean {
    if (this.seen.has(key)) {
      return false;
    }
    this.seen.add(key);
    return true;
  }

  update(s: ClusterSnapshot): void {
    const isLeader = s.raft.leaderId === this.instanceId;
    if (isLeader) {
      this.dlqDepthGauge = s.dlqDepth;
    }
    for (const e of s.events) {
      if (isLeader && e.leaseExpired && this.once(`lease|${e.id}|${e.nextRetryAt?.toISOString()}`)) {
        this.leaseExpirations++;
      }
      if (ownerIndex(e.id, this.coordinatorCount) !== this.index) {
        continue;
      }
      if (e.dlqAt && this.once(`dlq|${e.id}|${e.dlqAt.toISOString()}`)) {
        tally(this.dlqByName, e.eventName);
        this.observeAttempts(e.eventName, 'dlq', e.attempts);
      } else if (e.processed && !e.dlqAt && this.once(`ok|${e.id}`)) {
        tally(this.successByName, e.eventName);
        this.observeAttempts(e.eventName, 'success', e.attempts);
      }
      const failures = e.processed ? e.attempts - 1 : e.nextRetryAt ? e.attempts : 0;
      const prev = this.retriesByEvent.get(e.id);
      if (failures > (prev?.retries ?? 0)) {
        this.retriesByEvent.set(e.id, { name: e.eventName, retries: failures });
      }
    }
    for (const r of s.runs) {
      if (ownerIndex(r.runId, this.coordinatorCount) !== this.index) {
        continue;
      }
      if (r.createdSinceStart && this.once(`run-created|${r.runId}`)) {
        tally(this.executionsByStatus, 'pending');
      }
      if (r.completedSinceStart && TERMINAL_RUN.has(r.status) && this.once(`run-done|${r.runId}`)) {
        tally(this.executionsByStatus, r.status);
        if (r.durationMs !== null) {
          this.durations.push(r.durationMs / 1000);
        }
      }
    }
  }

  private observeAttempts(eventName: string, result: 'success' | 'dlq', attempts: number): void {
    const key = `${eventName}|${result}`;
    const entry = this.attempts.get(key) ?? { eventName, result, attempts: [] };
    entry.attempts.push(attempts);
    this.attempts.set(key, entry);
  }

  view(): CounterView {
    const retries = new Map<string, number>();
    for (const { name, retries: n } of this.retriesByEvent.values()) {
      tally(retries, name, n);
    }
    return {
      eventDlqDepth: this.dlqDepthGauge,
      eventLeaseExpirations: this.leaseExpirations,
      eventDlqTotals: sorted(this.dlqByName).map(([eventName, count]) => ({ eventName, count })),
      eventRetries: sorted(retries)
        .filter(([, n]) => n > 0)
        .map(([eventName, count]) => ({ eventName, count })),
      eventDispatchSuccesses: sorted(this.successByName).map(([eventName, count]) => ({ eventName, count })),
      eventAttempts: [...this.attempts.values()],
      executions: sorted(this.executionsByStatus).map(([status, count]) => ({ status, count })),
      executionDurationsSeconds: [...this.durations],
    };
  }
}
