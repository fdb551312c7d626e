import { asSentence } from '../../components/roles';
import { ADMIN, AUDITOR, AUDITOR_REASON, EDITOR } from './testing';
import { verdictOf } from './verdicts';

describe('verdictOf: one wording for a disabled action (issue 17 item 15)', () => {
  it('a role too low names the role needed and the role held, not the login', () => {
    const viewer = { ...EDITOR, canRetry: false, user: { login: 'viewer', role: 'Viewer' } };
    expect(verdictOf(viewer, undefined, 'retry')).toEqual({
      allowed: false,
      reason: 'Retry needs the Editor role in Grafana; you have the Viewer role.',
    });
    expect(verdictOf(EDITOR, undefined, 'discard').reason).toBe(
      'Discard needs the Admin role in Grafana; you have the Editor role.'
    );
  });

  it('other reasons (the admin token) as sentences', () => {
    expect(verdictOf(AUDITOR, undefined, 'retry').reason).toBe(asSentence(AUDITOR_REASON));
    expect(verdictOf(undefined, 'HTTP 502', 'retry').reason).toBe('Could not check permissions: HTTP 502.');
    expect(verdictOf(ADMIN, undefined, 'retry')).toEqual({ allowed: true, reason: '' });
  });
});
