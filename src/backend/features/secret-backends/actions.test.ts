import { KiciSourceError } from '../../kici/errors';
import { describeAdminError, judgeSync, shouldTryNext } from './actions';

const err = (failure: KiciSourceError['failure'], message: string, status?: number) =>
  new KiciSourceError(`http://o:4000 POST /api/v1/admin/backends/x/sync: ${message}`, {
    source: 'orchestrator',
    failure,
    target: 'http://o:4000',
    status,
  });

describe('judgeSync', () => {
  const t = (iso: string) => new Date(iso);
  const state = (lastSyncAt: string | null, lastSyncError: string | null, scopeCount = 3) => ({
    lastSyncAt: lastSyncAt === null ? null : t(lastSyncAt),
    lastSyncError,
    scopeCount,
    healthStatus: 'healthy',
  });

  it('is a success when last_sync_at moved', () => {
    const v = judgeSync(
      { scopeCount: 14 },
      state('2026-11-24T06:00:00Z', null),
      state('2026-11-24T07:00:00Z', null, 14)
    );
    expect(v).toEqual({ ok: true, verified: true, scopeCount: 14, lastSyncAt: '2026-11-24T07:00:00.000Z' });
  });

  it('is a failure, with the stored error, when KiCI said synced:true but last_sync_at stayed', () => {
    const v = judgeSync(
      { scopeCount: 0 },
      state('2026-11-24T05:00:00Z', 'Health check failed'),
      state('2026-11-24T05:00:00Z', 'Vault request failed: connect ECONNREFUSED')
    );
    expect(v.ok).toBe(false);
    expect(v.verified).toBe(true);
    expect(v.error).toBe('Vault request failed: connect ECONNREFUSED');
  });

  it('is a failure for a never-synced backend that got an error', () => {
    expect(judgeSync({ scopeCount: 0 }, state(null, null), state(null, 'Vault is sealed')).ok).toBe(false);
  });

  it('cannot verify without the database', () => {
    const v = judgeSync({ scopeCount: 5 }, null, undefined);
    expect(v.ok).toBe(true);
    expect(v.verified).toBe(false);
    expect(v.note).toContain('synced:true even when the sync fails');
  });
});

describe('describeAdminError', () => {
  it('names the unscoped-token requirement', () => {
    const e = describeAdminError(
      err(
        'forbidden',
        'HTTP 403: Access denied: this route requires an unscoped admin token (the calling token is restricted to a single routing key)',
        403
      ),
      'vault-prod'
    );
    expect(e.status).toBe(502);
    expect(e.message).toBe(
      'the admin token is restricted to one routing key; secret-backend routes need an unscoped admin token'
    );
  });
  it('turns 401 into a message about the token, never a 401', () => {
    const e = describeAdminError(err('auth', 'HTTP 401: Invalid or expired token', 401), 'x');
    expect(e.status).toBe(502);
    expect(e.message).toContain('refused the admin token (invalid, revoked or expired)');
  });
  it('says which backend was not found', () => {
    const e = describeAdminError(err('not-found', 'HTTP 404: Backend not found', 404), 'nope');
    expect(e.status).toBe(404);
    expect(e.message).toBe('secret backend "nope" not found');
  });
  it('tells a missing admin API from a missing backend', () => {
    const e = describeAdminError(err('not-found', 'HTTP 404: Not Found', 404), 'x');
    expect(e.status).toBe(502);
    expect(e.message).toContain('secrets management');
  });
});

it('moves to the next orchestrator only when a node did not answer', () => {
  expect(shouldTryNext(err('unreachable', 'cannot connect (ECONNREFUSED)'))).toBe(true);
  expect(shouldTryNext(err('timeout', 'no answer'))).toBe(true);
  expect(shouldTryNext(err('http', 'HTTP 502', 502))).toBe(true);
  expect(shouldTryNext(err('auth', 'HTTP 401', 401))).toBe(false);
  expect(shouldTryNext(err('not-found', 'HTTP 404', 404))).toBe(false);
  expect(shouldTryNext(new Error('x'))).toBe(false);
});
