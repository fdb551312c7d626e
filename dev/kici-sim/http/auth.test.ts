import { AUTH_ERRORS, hasPermission, isMalformedValueError, parseBearer, permissionDenied } from './auth';

describe('auth', () => {
  it('follows KiCI rbac.ts for the DLQ: auditor reads, admin and owner manage', () => {
    expect(hasPermission('auditor', 'event_dlq.read')).toBe(true);
    expect(hasPermission('auditor', 'event_dlq.manage')).toBe(false);
    expect(hasPermission('admin', 'event_dlq.manage')).toBe(true);
    expect(hasPermission('owner', 'event_dlq.manage')).toBe(true);
    expect(hasPermission('admin', 'token.manage')).toBe(false);
    expect(hasPermission('owner', 'token.manage')).toBe(true);
    expect(hasPermission('reader', 'event_dlq.read')).toBe(false);
  });

  it('words errors exactly as KiCI does', () => {
    expect(permissionDenied('auditor', 'event_dlq.manage')).toBe(
      'Role "auditor" does not have permission "event_dlq.manage"'
    );
    expect(AUTH_ERRORS.missing).toBe('Missing authorization');
    expect(AUTH_ERRORS.invalid).toBe('Invalid or expired token');
  });

  it('parses Bearer credentials only', () => {
    expect(parseBearer('Bearer abc')).toBe('abc');
    expect(parseBearer('Basic abc')).toBeNull();
    expect(parseBearer('Bearer ')).toBeNull();
    expect(parseBearer(undefined)).toBeNull();
  });

  it('recognises pg invalid_text_representation', () => {
    expect(isMalformedValueError({ code: '22P02' })).toBe(true);
    expect(isMalformedValueError(new Error('x'))).toBe(false);
  });
});
