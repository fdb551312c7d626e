import { endsConnection, mapPgError, poolConfig, tlsOptions } from './db';
import type { PgSettings } from './settings';

const s: PgSettings = {
  host: 'db.internal',
  port: 5432,
  database: 'kici',
  user: 'kici_reader',
  password: 'pw',
  sslMode: 'disable',
  maxConnections: 3,
  statementTimeoutMs: 2500,
};

describe('mapPgError', () => {
  it('names the user on a failed password', () => {
    const e = mapPgError(
      Object.assign(new Error('password authentication failed for user "kici_reader"'), { code: '28P01' }),
      s
    );
    expect(e.message).toBe('password authentication failed for user "kici_reader"');
    expect(e.failure).toBe('auth');
    expect(e.hint).toContain('user and password');
  });

  it('names host:port when unreachable', () => {
    const e = mapPgError(Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:5432'), { code: 'ECONNREFUSED' }), s);
    expect(e.message).toBe('cannot reach PostgreSQL at db.internal:5432 (ECONNREFUSED)');
    expect(e.failure).toBe('unreachable');
  });

  it('states the statement timeout', () => {
    const e = mapPgError(
      Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
      s
    );
    expect(e.message).toBe('query exceeded the statement timeout of 2500 ms');
    expect(e.failure).toBe('timeout');
  });

  it('maps a missing database, a missing privilege and a connect timeout', () => {
    expect(mapPgError(Object.assign(new Error('x'), { code: '3D000' }), s).message).toBe(
      'database "kici" does not exist on db.internal:5432'
    );
    const perm = mapPgError(Object.assign(new Error('permission denied for table admin_tokens'), { code: '42501' }), s);
    expect(perm.failure).toBe('forbidden');
    expect(perm.message).toContain('permission denied for table admin_tokens');
    expect(mapPgError(new Error('timeout exceeded when trying to connect'), s).failure).toBe('timeout');
  });

  it('tells an exhausted pool from a server that does not answer', () => {
    const exhausted = mapPgError(new Error('timeout exceeded when trying to connect'), s);
    expect(exhausted.message).toBe(
      'no free PostgreSQL connection: all 3 connections to db.internal:5432 stayed busy for the connection timeout (pool exhausted)'
    );
    expect(exhausted.hint).toContain('pgMaxConnections');
    const silent = mapPgError(new Error('Connection terminated due to connection timeout'), s);
    expect(silent.message).toBe('no answer from PostgreSQL at db.internal:5432 within the connection timeout');
    expect(silent.failure).toBe('timeout');
  });

  it('never includes the password', () => {
    const e = mapPgError(new Error('something odd'), s);
    expect(JSON.stringify({ m: e.message, h: e.hint })).not.toContain('pw"');
    expect(e.target).toBe('db.internal:5432/kici');
  });
});

describe('tlsOptions', () => {
  const ca = '-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----';
  it('follows libpq sslmode semantics', () => {
    expect(tlsOptions({ ...s, sslMode: 'disable' })).toBe(false);
    expect(tlsOptions({ ...s, sslMode: 'require' })).toEqual({ rejectUnauthorized: false });
    const verifyCa = tlsOptions({ ...s, sslMode: 'verify-ca', caCert: ca });
    expect(verifyCa).toMatchObject({ rejectUnauthorized: true, ca });
    expect(verifyCa && verifyCa.checkServerIdentity?.('other-host', {} as never)).toBeUndefined();
    const full = tlsOptions({ ...s, sslMode: 'verify-full', caCert: ca });
    expect(full).toEqual({ rejectUnauthorized: true, ca, servername: 'db.internal' });
  });
});

describe('poolConfig', () => {
  it('bounds the pool and sets per-connection timeouts and the application name', () => {
    const c = poolConfig(s, 1234);
    expect(c).toMatchObject({
      max: 3,
      connectionTimeoutMillis: 1234,
      application_name: 'kici-ops-datasource',
      statement_timeout: 2500,
      idle_in_transaction_session_timeout: 5000,
    });
  });
});

describe('endsConnection: which errors retire the pooled connection', () => {
  const withCode = (code?: string) => Object.assign(new Error('x'), code ? { code } : {});
  it.each([
    [undefined, true], // socket or protocol error
    ['08006', true], // connection_failure
    ['57P01', true], // admin_shutdown (pg_terminate_backend, a restart)
    ['57P03', true], // cannot_connect_now
    ['57014', false], // query_canceled: the session lives on
    ['42P01', false], // undefined_table
    ['23505', false],
  ])('%s → %s', (code, ends) => {
    expect(endsConnection(withCode(code))).toBe(ends);
  });
});
