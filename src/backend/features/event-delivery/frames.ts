import type { Frame } from '../../protocol/types';

export interface SummaryRow extends Record<string, unknown> {
  retry_backlog: string;
  due_for_retry: string;
  live_leases: string;
  expired_leases: string;
  unprocessed: string;
  oldest_unprocessed_age_s: number | null;
}

export interface LeaseRow extends Record<string, unknown> {
  claimed_by: string | null;
  leases: string;
  oldest_claimed_at: Date;
  oldest_age_s: number;
  expired: string;
}

const num = (name: string, value: number, displayName: string, description: string, unit?: string) => ({
  name,
  type: 'number' as const,
  values: [value],
  config: { displayName, description, ...(unit ? { unit } : {}) },
});

/** One row of numbers for stat panels. */
export function summaryFrame(r: SummaryRow): Frame {
  return {
    name: 'summary',
    fields: [
      num(
        'retryBacklog',
        Number(r.retry_backlog),
        'Retry backlog',
        'Unprocessed events waiting for a retry (next_retry_at set)'
      ),
      num(
        'dueForRetry',
        Number(r.due_for_retry),
        'Due for retry',
        'Retry time passed; the leader re-notifies them every 10 s'
      ),
      num('liveLeases', Number(r.live_leases), 'Live leases', 'Events an orchestrator is dispatching right now'),
      num(
        'expiredLeases',
        Number(r.expired_leases),
        'Expired leases',
        'Leases older than the 60 s lease duration: the holder died or hung; the leader releases them (costs an attempt)'
      ),
      num('unprocessed', Number(r.unprocessed), 'Unprocessed', 'Events not yet delivered and not in the DLQ'),
      {
        name: 'oldestUnprocessedAge',
        type: 'number',
        nullable: true,
        values: [r.oldest_unprocessed_age_s === null ? null : Number(r.oldest_unprocessed_age_s)],
        config: { displayName: 'Oldest unprocessed', description: 'Age of the oldest undelivered event', unit: 's' },
      },
    ],
  };
}

/** One row per orchestrator holding leases; `expired` flags a node that stopped finishing its dispatches. */
export function leasesFrame(rows: LeaseRow[], leaseDurationMs: number): Frame {
  return {
    name: 'leases',
    fields: [
      {
        name: 'orchestrator',
        type: 'string',
        nullable: true,
        values: rows.map((r) => r.claimed_by),
        config: { displayName: 'Orchestrator (claimed_by)' },
      },
      { name: 'leases', type: 'number', values: rows.map((r) => Number(r.leases)), config: { displayName: 'Leases' } },
      {
        name: 'oldestClaimedAt',
        type: 'time',
        values: rows.map((r) => r.oldest_claimed_at),
        config: { displayName: 'Oldest lease since' },
      },
      {
        name: 'oldestAge',
        type: 'number',
        values: rows.map((r) => Number(r.oldest_age_s)),
        config: { displayName: 'Oldest lease age', unit: 's' },
      },
      {
        name: 'expiredLeases',
        type: 'number',
        values: rows.map((r) => Number(r.expired)),
        config: { displayName: `Older than ${leaseDurationMs / 1000} s` },
      },
      {
        name: 'expired',
        type: 'boolean',
        values: rows.map((r) => Number(r.expired) > 0),
        config: { displayName: 'Lease expired' },
      },
    ],
    meta: { preferredVisualisationType: 'table', custom: { leaseDurationMs } },
  };
}
