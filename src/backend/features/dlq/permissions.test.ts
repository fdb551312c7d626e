import type { GrafanaRole } from '../../protocol/types';
import { minRoleFor, tokenMayManage, userMay, type DlqAction } from './permissions';

const user = (role: GrafanaRole) => ({ login: `u-${role.toLowerCase()}`, name: '', email: '', role });

describe('userMay: the Grafana role matrix', () => {
  // [role, discardMinRole, action, allowed]
  const matrix: Array<[GrafanaRole, 'Editor' | 'Admin', DlqAction, boolean]> = [
    ['None', 'Admin', 'retry', false],
    ['Viewer', 'Admin', 'retry', false],
    ['Viewer', 'Editor', 'discard', false],
    ['Editor', 'Admin', 'retry', true],
    ['Editor', 'Admin', 'discard', false],
    ['Editor', 'Editor', 'discard', true],
    ['Admin', 'Admin', 'retry', true],
    ['Admin', 'Admin', 'discard', true],
    ['Admin', 'Editor', 'discard', true],
  ];
  it.each(matrix)('%s (discardMinRole %s) %s → %s', (role, min, action, allowed) => {
    const v = userMay(user(role), action, min);
    expect(v.allowed).toBe(allowed);
    expect(v.reason === '').toBe(allowed);
  });

  it('explains a refusal with the role needed and the setting', () => {
    expect(userMay(user('Editor'), 'discard', 'Admin').reason).toBe(
      'discard needs the Grafana Admin role (datasource setting discardMinRole); u-editor has Editor'
    );
    expect(userMay(user('Viewer'), 'retry', 'Admin').reason).toBe(
      'retry needs the Grafana Editor role; u-viewer has Viewer'
    );
    expect(userMay(undefined, 'retry', 'Admin')).toEqual({
      allowed: false,
      reason: 'retry needs the Editor role, and the request carries no Grafana user',
    });
  });

  it('retry needs Editor whatever discardMinRole says', () => {
    expect(minRoleFor('retry', 'Admin')).toBe('Editor');
    expect(minRoleFor('discard', 'Editor')).toBe('Editor');
    expect(minRoleFor('discard', 'Admin')).toBe('Admin');
  });
});

describe('tokenMayManage: the KiCI role of the admin token', () => {
  const found = (role: string, extra: { routingKey?: string; revoked?: boolean; expired?: boolean } = {}) =>
    tokenMayManage({
      kind: 'found',
      role,
      routingKey: extra.routingKey ?? null,
      revoked: !!extra.revoked,
      expired: !!extra.expired,
    });

  it('owner and admin manage; a scoped admin only its routing key', () => {
    expect(found('owner').canManage).toBe(true);
    expect(found('admin').canManage).toBe(true);
    const scoped = found('admin', { routingKey: 'github:42' });
    expect(scoped.canManage).toBe(true);
    expect(scoped.reason).toContain('only for events of routing key github:42');
  });

  it('auditor cannot, with the reason the page shows', () => {
    expect(found('auditor')).toEqual({
      canManage: false,
      role: 'auditor',
      routingKey: null,
      reason: 'the configured admin token has role auditor, which cannot manage the DLQ; use an admin or owner token',
    });
  });

  it('revoked, expired, missing and unconfigured tokens cannot; unknown is undecided', () => {
    expect(found('admin', { revoked: true }).reason).toMatch(/is revoked/);
    expect(found('admin', { expired: true }).reason).toMatch(/is expired/);
    expect(tokenMayManage({ kind: 'missing' }).canManage).toBe(false);
    expect(tokenMayManage({ kind: 'not-configured' }).canManage).toBe(false);
    const unknown = tokenMayManage({ kind: 'unknown', note: 'the database user may not read admin_tokens' });
    expect(unknown.canManage).toBeNull();
    expect(unknown.reason).toContain('the database user may not read admin_tokens');
  });
});

// Mutation testing (issue 20): every verdict the DLQ page shows, whole — the flag, the role and routing key it
// names, and the exact sentence — so a revoked token can never read as able to retry and discard.
describe('tokenMayManage: the whole verdict for each finding', () => {
  const found = (role: string, extra: { routingKey?: string; revoked?: boolean; expired?: boolean } = {}) =>
    tokenMayManage({
      kind: 'found',
      role,
      routingKey: extra.routingKey ?? null,
      revoked: !!extra.revoked,
      expired: !!extra.expired,
    });

  it('a revoked or expired admin or owner token cannot manage, and says which and what to do', () => {
    expect(found('admin', { revoked: true })).toEqual({
      canManage: false,
      role: 'admin',
      routingKey: null,
      reason: 'the configured admin token is revoked: create a new one with kici-admin token create --role admin',
    });
    expect(found('owner', { expired: true, routingKey: 'github:42' })).toEqual({
      canManage: false,
      role: 'owner',
      routingKey: 'github:42',
      reason: 'the configured admin token is expired: create a new one with kici-admin token create --role admin',
    });
    // Both: revoked is the one named (re-creating fixes both).
    expect(found('admin', { revoked: true, expired: true }).reason).toBe(
      'the configured admin token is revoked: create a new one with kici-admin token create --role admin'
    );
  });

  it('owner and admin manage everything; a scoped token names its routing key', () => {
    expect(found('owner')).toEqual({
      canManage: true,
      role: 'owner',
      routingKey: null,
      reason: 'the admin token has role owner: it can manage the DLQ',
    });
    expect(found('admin')).toEqual({
      canManage: true,
      role: 'admin',
      routingKey: null,
      reason: 'the admin token has role admin: it can manage the DLQ',
    });
    expect(found('admin', { routingKey: 'github:42' })).toEqual({
      canManage: true,
      role: 'admin',
      routingKey: 'github:42',
      reason:
        'the admin token has role admin: it can manage the DLQ, only for events of routing key github:42 (the token is scoped to it)',
    });
  });

  it('any other KiCI role cannot, and the page names it', () => {
    expect(found('operator', { routingKey: 'gitlab:7' })).toEqual({
      canManage: false,
      role: 'operator',
      routingKey: 'gitlab:7',
      reason:
        'the configured admin token has role operator, which KiCI does not allow event_dlq.manage; use an admin or owner token',
    });
  });

  it('no token, a token not in admin_tokens, and an unreadable role', () => {
    expect(tokenMayManage({ kind: 'not-configured' })).toEqual({
      canManage: false,
      role: null,
      routingKey: null,
      reason: 'no admin token is configured (adminToken): Retry and Discard go through the orchestrator admin API',
    });
    expect(tokenMayManage({ kind: 'missing' })).toEqual({
      canManage: false,
      role: null,
      routingKey: null,
      reason:
        'the configured admin token is not in admin_tokens (another cluster, or deleted): create one with kici-admin token create',
    });
    expect(tokenMayManage({ kind: 'unknown', note: 'permission denied for table admin_tokens' })).toEqual({
      canManage: null,
      role: null,
      routingKey: null,
      reason:
        "the admin token's role is unknown (permission denied for table admin_tokens); the orchestrator decides when you act",
    });
  });
});

describe('userMay: who is named in a refusal', () => {
  it('a user without a login is "the user"', () => {
    expect(userMay({ login: '', name: '', email: '', role: 'Viewer' }, 'discard', 'Editor')).toEqual({
      allowed: false,
      reason: 'discard needs the Grafana Editor role (datasource setting discardMinRole); the user has Viewer',
    });
  });

  it('an allowed action carries no reason', () => {
    expect(userMay(user('Admin'), 'discard', 'Admin')).toEqual({ allowed: true, reason: '' });
  });
});
