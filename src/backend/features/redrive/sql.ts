// The plugin's own schema in the orchestrator database: where a redrive's state lives so that every Grafana replica
// (each with its own plugin process) sees the same redrive, and no two run at once. KiCI's tables stay read-only:
// this is the only place the plugin writes. Every value is a bind parameter.
import { dlqWhere, type DlqFilters } from '../dlq/sql';

export const SCHEMA = 'kici_grafana';

/** Serialises the idempotent CREATEs of several processes starting at once (CREATE … IF NOT EXISTS races). */
export const SCHEMA_LOCK_KEY = 'kici_grafana.redrive';

export const EXISTS_SQL = `SELECT to_regnamespace('kici_grafana') IS NOT NULL AS schema,
  to_regclass('kici_grafana.redrive') IS NOT NULL AND to_regclass('kici_grafana.redrive_event') IS NOT NULL AS ok`;

/** Only when the schema is missing: PostgreSQL checks CREATE on the database even for IF NOT EXISTS. */
export const CREATE_SCHEMA_SQL = 'CREATE SCHEMA IF NOT EXISTS kici_grafana';

export const CREATE_TABLES_SQL = [
  `CREATE TABLE IF NOT EXISTS kici_grafana.redrive (
    id uuid PRIMARY KEY,
    datasource_uid text NOT NULL,
    state text NOT NULL CHECK (state IN ('running', 'completed', 'cancelled', 'stopped', 'interrupted')),
    rate integer NOT NULL CHECK (rate BETWEEN 1 AND 500),
    filter jsonb NOT NULL,
    description text NOT NULL,
    matching integer NOT NULL,
    total integer NOT NULL,
    retried integer NOT NULL DEFAULT 0,
    failed integer NOT NULL DEFAULT 0,
    started_by text NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    owner text NOT NULL,
    heartbeat_at timestamptz NOT NULL DEFAULT now(),
    lease_until timestamptz NOT NULL,
    cancel_requested_by text,
    cancel_requested_at timestamptz,
    reason text
  )`,
  // One running redrive per datasource, whichever replica asks: the database refuses the second.
  `CREATE UNIQUE INDEX IF NOT EXISTS redrive_one_running ON kici_grafana.redrive (datasource_uid) WHERE state = 'running'`,
  `CREATE INDEX IF NOT EXISTS redrive_latest ON kici_grafana.redrive (datasource_uid, started_at DESC)`,
  `CREATE TABLE IF NOT EXISTS kici_grafana.redrive_event (
    redrive_id uuid NOT NULL REFERENCES kici_grafana.redrive (id) ON DELETE CASCADE,
    seq integer NOT NULL,
    event_id uuid NOT NULL,
    outcome text,
    message text,
    done_at timestamptz,
    PRIMARY KEY (redrive_id, seq)
  )`,
];

/** Marks running redrives whose owner stopped renewing its lease. */
export const REAP_SQL = `UPDATE kici_grafana.redrive
   SET state = 'interrupted', finished_at = now(),
       reason = 'the plugin process running it (' || owner || ') stopped renewing its lease at ' || to_char(heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '; events not tried stay in the DLQ'
 WHERE datasource_uid = $1 AND state = 'running' AND lease_until < now()
 RETURNING id::text AS id`;

export const INSERT_SQL = `INSERT INTO kici_grafana.redrive
    (id, datasource_uid, state, rate, filter, description, matching, total, started_by, owner, lease_until)
  VALUES ($1, $2, 'running', $3, $4, $5, 0, 0, $6, $7, now() + make_interval(secs => $8::double precision / 1000))
  ON CONFLICT (datasource_uid) WHERE state = 'running' DO NOTHING
  RETURNING id::text AS id`;

/** The fixed event set of a redrive: the matching DLQ events at start, oldest admission first. */
export function snapshotSql(redriveId: string, f: DlqFilters, limit: number): { sql: string; params: unknown[] } {
  const params: unknown[] = [redriveId];
  const where = dlqWhere(f, params);
  params.push(limit);
  return {
    sql: `INSERT INTO kici_grafana.redrive_event (redrive_id, seq, event_id)
      SELECT $1::uuid, row_number() OVER (ORDER BY dlq_at, id), id FROM (
        SELECT id, dlq_at FROM kici_events WHERE ${where.join(' AND ')} ORDER BY dlq_at, id LIMIT $${params.length}
      ) picked`,
    params,
  };
}

/** The fixed event set of a signature's redrive: its ids, resolved at start, in the order given (oldest first). */
export const SNAPSHOT_IDS_SQL = `INSERT INTO kici_grafana.redrive_event (redrive_id, seq, event_id)
  SELECT $1::uuid, ord, id FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, ord)`;

export const SET_TOTALS_SQL = `UPDATE kici_grafana.redrive SET total = $2, matching = $3 WHERE id = $1`;

export const PENDING_SQL = `SELECT seq, event_id::text AS event_id FROM kici_grafana.redrive_event
  WHERE redrive_id = $1 AND outcome IS NULL ORDER BY seq`;

/**
 * Writes a batch of outcomes, the counters and the lease in one statement, fenced on the owner: it changes nothing
 * (and returns no row) once the redrive is no longer this process's running redrive.
 */
export const FLUSH_SQL = `WITH done AS (
    UPDATE kici_grafana.redrive_event e
       SET outcome = r.outcome, message = r.message, done_at = now()
      FROM unnest($3::int[], $4::text[], $5::text[]) AS r(seq, outcome, message), kici_grafana.redrive d
     WHERE e.redrive_id = $1 AND e.seq = r.seq AND e.outcome IS NULL
       AND d.id = $1 AND d.owner = $2 AND d.state = 'running'
    RETURNING r.outcome
  )
  UPDATE kici_grafana.redrive
     SET retried = retried + (SELECT count(*) FROM done WHERE outcome = 'retried'),
         failed = failed + (SELECT count(*) FROM done WHERE outcome <> 'retried'),
         heartbeat_at = now(), lease_until = now() + make_interval(secs => $6::double precision / 1000)
   WHERE id = $1 AND owner = $2 AND state = 'running'
   RETURNING cancel_requested_by`;

export const FINISH_SQL = `UPDATE kici_grafana.redrive SET state = $3, finished_at = now(), reason = $4
  WHERE id = $1 AND owner = $2 AND state = 'running' RETURNING id`;

export const CANCEL_SQL = `UPDATE kici_grafana.redrive
   SET cancel_requested_by = COALESCE(cancel_requested_by, $3), cancel_requested_at = COALESCE(cancel_requested_at, now())
 WHERE id = $1 AND datasource_uid = $2 AND state = 'running'
 RETURNING id`;

const VIEW_COLUMNS = `id::text AS id, state, rate, filter, description, matching, total, retried, failed, started_by,
  started_at, finished_at, owner, heartbeat_at, lease_until, cancel_requested_by, cancel_requested_at, reason`;

export const RUNNING_SQL = `SELECT ${VIEW_COLUMNS} FROM kici_grafana.redrive WHERE datasource_uid = $1 AND state = 'running'`;

/** The running redrive, else the latest one. */
export const CURRENT_SQL = `SELECT ${VIEW_COLUMNS} FROM kici_grafana.redrive WHERE datasource_uid = $1
  ORDER BY (state = 'running') DESC, started_at DESC LIMIT 1`;

export const BY_ID_SQL = `SELECT ${VIEW_COLUMNS} FROM kici_grafana.redrive WHERE id = $1 AND datasource_uid = $2`;

/** The failures of a redrive, first ones first (the report lists at most `$2`). */
export const FAILURES_SQL = `SELECT event_id::text AS event_id, outcome, message FROM kici_grafana.redrive_event
  WHERE redrive_id = $1 AND outcome IS NOT NULL AND outcome <> 'retried' ORDER BY seq LIMIT $2`;

export const FAILURE_COUNTS_SQL = `SELECT outcome, count(*)::int AS n FROM kici_grafana.redrive_event
  WHERE redrive_id = $1 AND outcome IS NOT NULL AND outcome <> 'retried' GROUP BY outcome ORDER BY n DESC, outcome`;

export interface RedriveRow extends Record<string, unknown> {
  id: string;
  state: string;
  rate: number;
  filter: unknown;
  description: string;
  matching: number;
  total: number;
  retried: number;
  failed: number;
  started_by: string;
  started_at: Date;
  finished_at: Date | null;
  owner: string;
  heartbeat_at: Date;
  lease_until: Date;
  cancel_requested_by: string | null;
  cancel_requested_at: Date | null;
  reason: string | null;
}
