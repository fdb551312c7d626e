// One datasource instance's redrives: start (fix the event set, take the one running slot of the datasource in the
// database), run (paced retries through the orchestrator admin API, progress and lease written as it goes), cancel,
// and read from any replica. The state lives in kici_grafana (sql.ts), so a reload or another replica sees the same.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type pg from 'pg';

import { mapPgError } from '../../kici/db';
import type { PgSettings } from '../../kici/settings';
import { PluginError, type Logger } from '../../protocol/types';
import { mutateDlqEvent, type DlqMutator, type MutationResult } from '../dlq/actions';
import { buildDlqCountSql } from '../dlq/sql';
import { inFlightFor, runPaced, systemClock, type Clock } from './pace';
import {
  BY_ID_SQL,
  CANCEL_SQL,
  CREATE_SCHEMA_SQL,
  CREATE_TABLES_SQL,
  CURRENT_SQL,
  EXISTS_SQL,
  FAILURE_COUNTS_SQL,
  FAILURES_SQL,
  FINISH_SQL,
  FLUSH_SQL,
  INSERT_SQL,
  PENDING_SQL,
  REAP_SQL,
  RUNNING_SQL,
  SCHEMA_LOCK_KEY,
  SET_TOTALS_SQL,
  SNAPSHOT_IDS_SQL,
  snapshotSql,
  type RedriveRow,
} from './sql';
import { resolveSignatureEvents } from '../dlq-signatures/resolve';
import {
  MAX_REDRIVE_EVENTS,
  remaining,
  signatureDescription,
  transition,
  type RedriveState,
  type StartRequest,
} from './state';
import type { RedriveView } from '../../../datasource/redrive';

export const DEFAULT_LEASE_MS = 30_000;
export const DEFAULT_FLUSH_MS = 500;
export const REPORT_FAILURES = 50;

export interface RedriveDeps {
  /** A writable pool on the orchestrator database, used for kici_grafana only. */
  pool: pg.Pool;
  pg: Pick<PgSettings, 'host' | 'port' | 'database' | 'user' | 'statementTimeoutMs' | 'sslMode'>;
  orchestrators: readonly DlqMutator[];
  datasourceUid: string;
  log: Logger;
  clock?: Clock;
  /** This process; shown as the redrive's owner. */
  owner?: string;
  leaseMs?: number;
  flushMs?: number;
  maxEvents?: number;
  /** Retries in flight at once (default: `inFlightFor(rate)`). */
  maxInFlight?: number;
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

interface Run {
  id: string;
  abort: AbortController;
  done: Promise<void>;
}

export class RedriveService {
  readonly owner: string;
  private readonly clock: Clock;
  private readonly leaseMs: number;
  private readonly flushMs: number;
  private readonly maxEvents: number;
  private readonly maxInFlight: number | undefined;
  private schemaReady: Promise<void> | null = null;
  private readonly runs = new Map<string, Run>();
  private abandoned = false;

  constructor(private readonly deps: RedriveDeps) {
    this.owner = deps.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.clock = deps.clock ?? systemClock;
    this.leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
    this.flushMs = deps.flushMs ?? DEFAULT_FLUSH_MS;
    this.maxEvents = deps.maxEvents ?? MAX_REDRIVE_EVENTS;
    this.maxInFlight = deps.maxInFlight;
  }

  /** Creates kici_grafana and its tables once per process, or throws a 503 naming the grant. */
  ensureSchema(): Promise<void> {
    this.schemaReady ??= this.createSchema().catch((err) => {
      this.schemaReady = null;
      throw err;
    });
    return this.schemaReady;
  }

  private async createSchema(): Promise<void> {
    const [row] = await this.query<{ schema: boolean; ok: boolean }>(EXISTS_SQL);
    if (row?.ok) {
      return;
    }
    await this.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [SCHEMA_LOCK_KEY]);
      if (!row?.schema) {
        await c.query(CREATE_SCHEMA_SQL);
      }
      for (const s of CREATE_TABLES_SQL) {
        await c.query(s);
      }
    });
  }

  async start(req: StartRequest, user: string, log: Logger): Promise<Answer> {
    await this.ensureSchema();
    const id = randomUUID();
    let description = req.description;
    const started = await this.tx(async (c) => {
      await c.query(REAP_SQL, [this.deps.datasourceUid]);
      // A signature's events are fixed by id (they match no SQL filter); resolved in this transaction, like the rest.
      const sig = req.signatureId ? await this.signatureEvents(c, req.signatureId, req) : null;
      if (sig) {
        description = signatureDescription(sig.signature, req.filter);
      }
      const ins = await c.query(INSERT_SQL, [
        id,
        this.deps.datasourceUid,
        req.rate,
        JSON.stringify(sig ? { ...req.filter, signatureId: req.signatureId, signature: sig.signature } : req.filter),
        description,
        user,
        this.owner,
        this.leaseMs,
      ]);
      if (ins.rowCount === 0) {
        const running = await c.query<RedriveRow>(RUNNING_SQL, [this.deps.datasourceUid]);
        return { conflict: running.rows[0] ?? null };
      }
      let taken: { rowCount: number | null };
      let matching: number;
      if (sig) {
        taken = await c.query(SNAPSHOT_IDS_SQL, [id, sig.ids.slice(0, this.maxEvents)]);
        matching = sig.ids.length;
      } else {
        const snap = snapshotSql(id, req.filter, this.maxEvents);
        taken = await c.query(snap.sql, snap.params);
        const count = buildDlqCountSql(req.filter);
        matching = Number((await c.query<{ depth: string }>(count.sql, count.params)).rows[0]?.depth ?? 0);
      }
      if (!taken.rowCount) {
        throw new PluginError(`nothing to redrive: no DLQ event matches ${req.description}`, 400);
      }
      await c.query(SET_TOTALS_SQL, [id, taken.rowCount, matching]);
      return { conflict: undefined };
    });
    if (started.conflict !== undefined) {
      const r = started.conflict;
      const who = r
        ? `redrive ${r.id} (started by ${r.started_by} at ${r.started_at.toISOString()}, ${r.retried + r.failed} of ${r.total} events tried)`
        : 'another redrive';
      return {
        status: 409,
        body: {
          error: `a redrive is already running for this datasource: ${who}; cancel it or wait for it to finish`,
          ...(r ? { running: await this.view(r) } : {}),
        },
      };
    }
    log.info('DLQ redrive started', {
      user,
      redrive: id,
      rate: req.rate,
      filter: description,
      ...(req.signatureId ? { signatureId: req.signatureId } : {}),
      owner: this.owner,
    });
    this.launch(id, user, log);
    const view = await this.byId(id);
    return { status: 201, body: { redrive: view } };
  }

  /** The signature's event ids now, oldest admission first, or a 400 naming the signature when none has it. */
  private async signatureEvents(
    c: pg.PoolClient,
    signatureId: string,
    req: StartRequest
  ): Promise<{ signature: string; ids: string[] }> {
    const { signature, events } = await resolveSignatureEvents(
      async (sql, params) => (await c.query(sql, params)).rows,
      signatureId,
      req.filter
    );
    if (signature === null || events.length === 0) {
      throw new PluginError(
        `invalid redrive: signatureId ${signatureId}: no DLQ event${Object.keys(req.filter).length ? ` matching ${req.description}` : ''} has this signature now (retried, discarded or never present)`,
        400
      );
    }
    return { signature, ids: events.map((e) => e.id).reverse() };
  }

  /** The running redrive, else the latest; a running one whose owner stopped is marked interrupted first. */
  async current(): Promise<RedriveView | null> {
    await this.ensureSchema();
    await this.query(REAP_SQL, [this.deps.datasourceUid]);
    const [row] = await this.query<RedriveRow>(CURRENT_SQL, [this.deps.datasourceUid]);
    return row ? this.view(row) : null;
  }

  async byId(id: string): Promise<RedriveView | null> {
    await this.ensureSchema();
    await this.query(REAP_SQL, [this.deps.datasourceUid]);
    const [row] = await this.query<RedriveRow>(BY_ID_SQL, [id, this.deps.datasourceUid]);
    return row ? this.view(row) : null;
  }

  /** Asks the running redrive to stop; the process running it (any replica) stops within one flush. */
  async cancel(id: string, user: string, log: Logger): Promise<Answer> {
    await this.ensureSchema();
    await this.query(REAP_SQL, [this.deps.datasourceUid]);
    const rows = await this.query(CANCEL_SQL, [id, this.deps.datasourceUid, user]);
    const view = await this.byId(id);
    if (!view) {
      return { status: 404, body: { error: `no redrive ${id} for this datasource` } };
    }
    if (rows.length === 0) {
      return {
        status: 409,
        body: { error: `redrive ${id} is not running (it is ${view.state}): nothing to cancel`, redrive: view },
      };
    }
    log.info('DLQ redrive cancel requested', { user, redrive: id, startedBy: view.startedBy });
    return { status: 202, body: { redrive: view } };
  }

  /** Resolves when the redrives this process runs have ended (tests). */
  async settled(): Promise<void> {
    await Promise.all([...this.runs.values()].map((r) => r.done));
  }

  /** Stops this process's redrives and marks them interrupted (a settings change or a shutdown). */
  async dispose(): Promise<void> {
    const runs = [...this.runs.values()];
    for (const r of runs) {
      r.abort.abort();
    }
    await Promise.all(runs.map((r) => r.done));
    for (const r of runs) {
      await this.finish(
        r.id,
        { kind: 'owner-disposed' },
        'the plugin process running it stopped it (datasource settings changed or the plugin shut down); events not tried stay in the DLQ'
      ).catch(() => undefined);
    }
  }

  /** Stops without writing anything, like a killed process (tests of the stale lease). */
  async abandon(): Promise<void> {
    this.abandoned = true;
    for (const r of this.runs.values()) {
      r.abort.abort();
    }
    await this.settled();
  }

  private launch(id: string, startedBy: string, log: Logger) {
    const abort = new AbortController();
    const done = this.run(id, startedBy, log, abort.signal)
      .catch((err) => log.error('DLQ redrive failed', { redrive: id, error: String(err) }))
      .finally(() => this.runs.delete(id));
    this.runs.set(id, { id, abort, done });
  }

  private async run(id: string, startedBy: string, log: Logger, signal: AbortSignal): Promise<void> {
    const [row] = await this.query<{ rate: number }>('SELECT rate FROM kici_grafana.redrive WHERE id = $1', [id]);
    const rate = row.rate;
    const pending = await this.query<{ seq: number; event_id: string }>(PENDING_SQL, [id]);
    let buffer: Array<{ seq: number; r: MutationResult }> = [];
    let lastFlush = this.clock.now();
    // Writes the buffered outcomes and renews the lease; says whether the redrive is still ours and not cancelled.
    const flush = async (): Promise<'ok' | 'cancel' | 'lost'> => {
      const batch = buffer;
      buffer = [];
      lastFlush = this.clock.now();
      const res = await this.query<{ cancel_requested_by: string | null }>(FLUSH_SQL, [
        id,
        this.owner,
        batch.map((b) => b.seq),
        batch.map((b) => b.r.outcome),
        batch.map((b) => b.r.message),
        this.leaseMs,
      ]);
      if (res.length === 0) {
        return 'lost';
      }
      return res[0].cancel_requested_by ? 'cancel' : 'ok';
    };
    let seen = 'ok' as 'ok' | 'cancel' | 'lost';
    let stopReason = null as string | null;
    // Up to inFlightFor(rate) retries overlap, each leaving at its slot; results are kept per event as they arrive.
    await runPaced(pending, {
      rate,
      maxInFlight: this.maxInFlight ?? inFlightFor(rate),
      clock: this.clock,
      signal,
      send: (item) => mutateDlqEvent(this.deps.orchestrators, 'retry', item.event_id, signal),
      settle: (item, r) => {
        log.info('DLQ action', {
          user: startedBy,
          eventId: item.event_id,
          action: 'retry',
          outcome: r.outcome,
          status: r.status,
          redrive: id,
          ...(r.orchestrator ? { orchestrator: r.orchestrator } : {}),
        });
        buffer.push({ seq: item.seq, r });
        if (r.stopBatch) {
          stopReason ??= r.message;
          return false;
        }
        return true;
      },
      beforeSend: async () => {
        if (this.clock.now() - lastFlush >= this.flushMs) {
          seen = await flush();
        }
        return seen === 'ok';
      },
    });
    // Aborted (settings change, shutdown): the outcomes of requests cut off are unknown, so they stay untried.
    if (signal.aborted) {
      return;
    }
    if (seen === 'lost') {
      log.warn('DLQ redrive lost its lease; another replica marked it interrupted', { redrive: id });
      return;
    }
    // The retries in flight when a cancel or a stop was seen have settled: write them before finishing.
    if ((await flush()) === 'lost') {
      return;
    }
    if (stopReason !== null) {
      await this.finish(id, { kind: 'stop', reason: stopReason }, stopReason, log);
    } else if (seen === 'cancel') {
      await this.finish(id, { kind: 'cancel-seen' }, null, log);
    } else {
      // A cancel that arrives after the last event changes nothing: every event was tried.
      await this.finish(id, { kind: 'all-tried' }, null, log);
    }
  }

  private async finish(
    id: string,
    event: Parameters<typeof transition>[1],
    reason: string | null,
    log?: Logger
  ): Promise<void> {
    if (this.abandoned) {
      return;
    }
    const to = transition('running', event);
    if (!to) {
      return;
    }
    const rows = await this.query(FINISH_SQL, [id, this.owner, to, reason]);
    if (rows.length > 0 && log) {
      const v = await this.byId(id);
      log.info('DLQ redrive finished', {
        redrive: id,
        state: to,
        startedBy: v?.startedBy,
        retried: v?.retried,
        failed: v?.failed,
        notTried: v ? remaining(v) : undefined,
        ...(v?.cancelRequestedBy ? { cancelledBy: v.cancelRequestedBy } : {}),
        ...(reason ? { reason } : {}),
      });
    }
  }

  private async view(r: RedriveRow): Promise<RedriveView> {
    const [failures, counts] = await Promise.all([
      this.query<{ event_id: string; outcome: string; message: string }>(FAILURES_SQL, [r.id, REPORT_FAILURES]),
      this.query<{ outcome: string; n: number }>(FAILURE_COUNTS_SQL, [r.id]),
    ]);
    const c = { total: r.total, retried: r.retried, failed: r.failed };
    return {
      id: r.id,
      state: r.state as RedriveState,
      rate: r.rate,
      filter: r.filter,
      description: r.description,
      signatureId: signatureOf(r.filter),
      matching: r.matching,
      total: r.total,
      retried: r.retried,
      failed: r.failed,
      remaining: remaining(c),
      startedBy: r.started_by,
      startedAt: r.started_at.toISOString(),
      finishedAt: r.finished_at ? r.finished_at.toISOString() : null,
      owner: r.owner,
      heartbeatAt: r.heartbeat_at.toISOString(),
      cancelRequestedBy: r.cancel_requested_by,
      reason: r.reason,
      failuresByOutcome: counts.map((x) => ({ outcome: x.outcome, count: x.n })),
      failures: failures.map((x) => ({ id: x.event_id, outcome: x.outcome, message: x.message })),
    };
  }

  private async query<R extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    try {
      return (await this.deps.pool.query<R>(sql, params)).rows;
    } catch (err) {
      throw this.mapError(err);
    }
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.deps.pool.connect();
    } catch (err) {
      throw this.mapError(err);
    }
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw this.mapError(err);
    } finally {
      client.release();
    }
  }

  private mapError(err: unknown): Error {
    if (err instanceof PluginError) {
      return err;
    }
    const e = err as { code?: string; message?: string };
    if (e?.code === '42501') {
      return new PluginError(grantMessage(this.deps.pg.user, e.message ?? ''), 503, 'plugin');
    }
    if (e?.code === '25006') {
      return new PluginError(
        `the redrive could not write its state (${e.message}): user "${this.deps.pg.user}" runs with default_transaction_read_only; the redrive needs write access to the schema kici_grafana only`,
        503,
        'plugin'
      );
    }
    return mapPgError(err, this.deps.pg);
  }
}

function signatureOf(filter: unknown): string | null {
  const v = (filter as { signatureId?: unknown } | null)?.signatureId;
  return typeof v === 'string' ? v : null;
}

/** What the operator must grant so the redrive can keep its state (and nothing on KiCI's own tables). */
export function grantMessage(user: string, pgMessage: string): string {
  const u = `"${user.replace(/"/g, '""')}"`;
  return (
    `the redrive keeps its state in the schema kici_grafana of the orchestrator database, and user ${u} may not create or write it (${pgMessage}): ` +
    `as a database owner run CREATE SCHEMA kici_grafana AUTHORIZATION ${u}; the plugin then creates its two tables there. ` +
    'Its access to KiCI’s own tables stays read-only; everything but the redrive works without this'
  );
}
