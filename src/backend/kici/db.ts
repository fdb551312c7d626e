// The orchestrator's PostgreSQL: a small bounded pool, read-only transactions, cancellation, and
// pg errors turned into messages an operator can act on.
import pg from 'pg';
import type { ConnectionOptions } from 'node:tls';

import type { Logger } from '../protocol/types';
import { KiciSourceError } from './errors';
import type { PgSettings } from './settings';
import { kiciPgTypes } from './timestamps';

export const APPLICATION_NAME = 'kici-ops-datasource';
/** How long to wait for a TCP connection + auth before giving up. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

export interface KiciDb {
  /** Runs one statement read-only (`default_transaction_read_only`); rejects with a KiciSourceError. */
  read<R extends Record<string, unknown> = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
    signal?: AbortSignal
  ): Promise<R[]>;
  readonly target: string;
  readonly settings: PgSettings;
  end(): Promise<void>;
}

export function pgTarget(s: Pick<PgSettings, 'host' | 'port' | 'database'>): string {
  return `${s.host}:${s.port}/${s.database}`;
}

/** TLS options for an sslmode, following libpq's meaning of each mode. */
export function tlsOptions(s: Pick<PgSettings, 'sslMode' | 'caCert' | 'host'>): false | ConnectionOptions {
  switch (s.sslMode) {
    case 'disable':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
      // Chain must verify against the CA; the certificate's name is not checked.
      return { rejectUnauthorized: true, ca: s.caCert, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { rejectUnauthorized: true, ca: s.caCert, servername: isIp(s.host) ? undefined : s.host };
  }
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

export function poolConfig(s: PgSettings, connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS): pg.PoolConfig {
  return {
    host: s.host,
    port: s.port,
    database: s.database,
    user: s.user,
    password: s.password,
    ssl: tlsOptions(s),
    max: s.maxConnections,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: connectTimeoutMs,
    application_name: APPLICATION_NAME,
    statement_timeout: s.statementTimeoutMs,
    // Every statement runs read-only without a BEGIN/COMMIT round trip each (the role should be read-only too).
    options: '-c default_transaction_read_only=on',
    // A transaction left open (e.g. by a cancelled call) must not hold locks or a connection for long.
    idle_in_transaction_session_timeout: Math.max(s.statementTimeoutMs, 5_000),
    // Client-side backstop in case the server never answers (network partition).
    query_timeout: s.statementTimeoutMs + 5_000,
    types: kiciPgTypes,
  };
}

interface PgLikeError {
  code?: string;
  message?: string;
  errno?: number;
  syscall?: string;
  routine?: string;
}

/** No SQLSTATE (socket, protocol), class 08 (connection exception) or 57P0x (the server shut the session). */
export function endsConnection(err: Error): boolean {
  const code = (err as PgLikeError).code;
  return !code || code.startsWith('08') || code.startsWith('57P0');
}

/** Maps a pg / socket / TLS error into a KiciSourceError with an operator-facing message. */
export function mapPgError(
  err: unknown,
  s: Pick<PgSettings, 'host' | 'port' | 'database' | 'user' | 'statementTimeoutMs' | 'sslMode'> &
    Partial<Pick<PgSettings, 'maxConnections'>>
): KiciSourceError {
  if (err instanceof KiciSourceError) {
    return err;
  }
  const e = (err ?? {}) as PgLikeError;
  const msg = typeof e.message === 'string' ? e.message : String(err);
  const target = pgTarget(s);
  const hostPort = `${s.host}:${s.port}`;
  const make = (message: string, failure: KiciSourceError['failure'], hint?: string) =>
    new KiciSourceError(message, { source: 'postgres', failure, target, hint, cause: err });

  switch (e.code) {
    case '28P01':
      return make(
        `password authentication failed for user "${s.user}"`,
        'auth',
        'check the user and password in the datasource settings'
      );
    case '28000':
      return make(
        `PostgreSQL at ${hostPort} refused user "${s.user}" for database "${s.database}": ${msg}`,
        'auth',
        'check pg_hba.conf on the server, the user name and the sslmode'
      );
    case '3D000':
      return make(
        `database "${s.database}" does not exist on ${hostPort}`,
        'auth',
        "check pgDatabase (the orchestrator's KICI_DATABASE_URL names it)"
      );
    case '57014':
      if (/statement timeout/i.test(msg)) {
        return make(
          `query exceeded the statement timeout of ${s.statementTimeoutMs} ms`,
          'timeout',
          'narrow the time range or raise pgStatementTimeoutMs'
        );
      }
      return make('query was cancelled', 'cancelled');
    case '42501':
      return make(
        `user "${s.user}" lacks permission: ${msg}`,
        'forbidden',
        'grant SELECT to the datasource user (kici-admin db create-readonly-user)'
      );
    case '42P01':
      return make(
        `${msg} in database "${s.database}" — is this the orchestrator's database?`,
        'query',
        'check pgDatabase'
      );
    case '53300':
      return make(
        `PostgreSQL at ${hostPort} has no free connections: ${msg}`,
        'unreachable',
        'lower pgMaxConnections or raise max_connections on the server'
      );
    case '25006':
      return make(`refused a write in a read-only transaction: ${msg}`, 'query');
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ECONNRESET':
    case 'ETIMEDOUT':
      return make(
        `cannot reach PostgreSQL at ${hostPort} (${e.code})`,
        'unreachable',
        'check pgHost/pgPort and that the server accepts connections from Grafana'
      );
  }
  // pg-pool's wording when every pooled connection stayed checked out for the whole connection timeout.
  if (/timeout exceeded when trying to connect/i.test(msg)) {
    const size = s.maxConnections ? `all ${s.maxConnections} connections` : 'every connection';
    return make(
      `no free PostgreSQL connection: ${size} to ${hostPort} stayed busy for the connection timeout (pool exhausted)`,
      'timeout',
      'too many queries at once for pgMaxConnections: raise pgMaxConnections (within the server’s max_connections) or run fewer queries at once; a server that does not answer can also hold every connection'
    );
  }
  if (/Connection terminated due to connection timeout/i.test(msg)) {
    return make(
      `no answer from PostgreSQL at ${hostPort} within the connection timeout`,
      'timeout',
      'check pgHost/pgPort and firewalls'
    );
  }
  if (/Query read timeout/i.test(msg)) {
    return make(`PostgreSQL at ${hostPort} stopped answering (query read timeout)`, 'timeout');
  }
  if (/does not support SSL/i.test(msg)) {
    return make(
      `PostgreSQL at ${hostPort} does not support TLS`,
      'unreachable',
      'set pgSslMode to disable, or enable ssl on the server'
    );
  }
  if (/certificate|self[- ]signed|unable to verify|Hostname\/IP does not match|ERR_TLS/i.test(msg)) {
    return make(
      `TLS verification of PostgreSQL at ${hostPort} failed (sslmode ${s.sslMode}): ${msg}`,
      'unreachable',
      'provide the server CA in pgCaCert, or use sslmode require'
    );
  }
  if (/no pg_hba\.conf entry/i.test(msg)) {
    return make(
      `PostgreSQL at ${hostPort} refused the connection: ${msg}`,
      'auth',
      'check pg_hba.conf and the sslmode'
    );
  }
  if (/Connection terminated/i.test(msg)) {
    return make(`PostgreSQL at ${hostPort} closed the connection: ${msg}`, 'unreachable');
  }
  return make(`PostgreSQL error${e.code ? ` ${e.code}` : ''}: ${msg}`, 'query');
}

function abortError(s: PgSettings): KiciSourceError {
  return new KiciSourceError('query was cancelled', { source: 'postgres', failure: 'cancelled', target: pgTarget(s) });
}

export function createDb(s: PgSettings, log: Logger, opts: { connectTimeoutMs?: number } = {}): KiciDb {
  const config = poolConfig(s, opts.connectTimeoutMs);
  const pool = new pg.Pool(config);
  // Idle clients can error when the server goes away; without a listener that would crash the process.
  pool.on('error', (err) => log.warn('PostgreSQL idle client error', { error: mapPgError(err, s).message }));

  async function cancelBackend(pid: number): Promise<void> {
    const c = new pg.Client({ ...config, statement_timeout: undefined, query_timeout: 5_000 });
    try {
      await c.connect();
      await c.query('SELECT pg_cancel_backend($1)', [pid]);
    } catch (err) {
      log.debug('could not cancel PostgreSQL query', { error: mapPgError(err, s).message });
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  return {
    target: pgTarget(s),
    settings: s,
    async read<R extends Record<string, unknown>>(
      sql: string,
      params: unknown[] = [],
      signal?: AbortSignal
    ): Promise<R[]> {
      if (signal?.aborted) {
        throw abortError(s);
      }
      let client: pg.PoolClient;
      try {
        client = await raceAbort(
          pool.connect(),
          signal,
          (late) => late.then((c) => c.release()).catch(() => undefined),
          s
        );
      } catch (err) {
        throw mapPgError(err, s);
      }
      let broken: Error | undefined;
      let cancelled = false;
      const pid = (client as unknown as { processID?: number }).processID;
      const onAbort = () => {
        cancelled = true;
        if (pid) {
          void cancelBackend(pid);
        }
      };
      // The server can end the connection while it is checked out (57P01 on a terminate or a restart): pg then
      // emits 'error' on the client, and the pool listens only while it is idle. Unheard, that error was thrown
      // out of Bun's socket close handling and left the process spinning, deaf to every later call.
      const onClientError = (err: Error) => {
        broken ??= err;
      };
      client.on('error', onClientError);
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const res = await client.query<R>(sql, params);
        return res.rows;
      } catch (err) {
        broken = err as Error;
        if (cancelled) {
          throw abortError(s);
        }
        throw mapPgError(err, s);
      } finally {
        signal?.removeEventListener('abort', onAbort);
        client.off('error', onClientError);
        // A connection that saw a cancel, a protocol error or a connection-ending one is not reused.
        client.release(cancelled || (broken && endsConnection(broken)) ? true : undefined);
      }
    },
    async end() {
      await pool.end();
    },
  };
}

/** Waits for `p` unless the signal aborts first; `onLate` disposes of what `p` yields after the abort. */
function raceAbort<T>(
  p: Promise<T>,
  signal: AbortSignal | undefined,
  onLate: (p: Promise<T>) => void,
  s: PgSettings
): Promise<T> {
  if (!signal) {
    return p;
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      onLate(p);
      reject(abortError(s));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        if (!signal.aborted) {
          resolve(v);
        }
      },
      (err) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      }
    );
  });
}
