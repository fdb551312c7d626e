import { asSentence, roleAtLeast, roleReason } from './roles';

describe('disabled-action wording (issue 17 item 15)', () => {
  it('names the needed role and the user role, not the login', () => {
    expect(roleReason('Retry', 'Editor', 'Viewer')).toBe(
      'Retry needs the Editor role in Grafana; you have the Viewer role.'
    );
    expect(roleReason('Sync and Test', 'Editor', 'Viewer')).toBe(
      'Sync and Test need the Editor role in Grafana; you have the Viewer role.'
    );
  });

  it('ranks the basic roles', () => {
    expect([roleAtLeast('Viewer', 'Editor'), roleAtLeast('Editor', 'Editor'), roleAtLeast('Admin', 'Editor')]).toEqual([
      false,
      true,
      true,
    ]);
    expect(roleAtLeast(undefined, 'Viewer')).toBe(false);
  });

  it('makes other reasons sentences', () => {
    expect(asSentence('the configured admin token has role auditor')).toBe(
      'The configured admin token has role auditor.'
    );
    expect(asSentence('Loading.')).toBe('Loading.');
  });
});
