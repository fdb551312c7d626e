// Event delivery health from kici_events (contract §6.1–6.2): the retry backlog, events due for
// retry, live leases per orchestrator, the oldest unprocessed event. Ages use the database clock.

/** KiCI's default leaseDurationMs (KICI_EVENT_ROUTER_LEASE_DURATION_MS); older leases are about to be released. */
export const LEASE_DURATION_MS = 60_000;

/** $1 = lease duration as an interval. Uses idx_kici_events_retry_due / idx_kici_events_lease_expired predicates. */
export const DELIVERY_SUMMARY_SQL = `SELECT
       count(*) FILTER (WHERE next_retry_at IS NOT NULL) AS retry_backlog,
       count(*) FILTER (WHERE next_retry_at IS NOT NULL AND next_retry_at <= now()) AS due_for_retry,
       count(*) FILTER (WHERE claimed_at IS NOT NULL) AS live_leases,
       count(*) FILTER (WHERE claimed_at IS NOT NULL AND claimed_at < now() - $1::interval) AS expired_leases,
       count(*) AS unprocessed,
       extract(epoch FROM now() - min(created_at))::float8 AS oldest_unprocessed_age_s
  FROM kici_events
 WHERE processed = false AND dlq_at IS NULL`;

export const LEASES_BY_NODE_SQL = `SELECT claimed_by, count(*) AS leases, min(claimed_at) AS oldest_claimed_at,
       extract(epoch FROM now() - min(claimed_at))::float8 AS oldest_age_s,
       count(*) FILTER (WHERE claimed_at < now() - $1::interval) AS expired
  FROM kici_events
 WHERE processed = false AND dlq_at IS NULL AND claimed_at IS NOT NULL
 GROUP BY claimed_by
 ORDER BY claimed_by NULLS LAST`;

export const leaseInterval = (ms = LEASE_DURATION_MS) => `${ms} milliseconds`;
