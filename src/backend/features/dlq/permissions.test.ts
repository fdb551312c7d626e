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
