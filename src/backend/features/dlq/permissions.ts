// Who may act on the DLQ: the Grafana user's role (checked here, since any Viewer can reach resources)
// and the configured admin token's KiCI role (the orchestrator enforces it; we only predict it).
import type { GrafanaUser } from '../../protocol/types';
import { hasRole } from '../access';

export type DlqAction = 'retry' | 'discard';

export interface Verdict {
  allowed: boolean;
  /** Why not (or, when allowed, empty). */
  reason: string;
}

export function minRoleFor(action: DlqAction, discardMinRole: 'Editor' | 'Admin'): 'Editor' | 'Admin' {
  return action === 'retry' ? 'Editor' : discardMinRole;
}

/** Viewer never; Editor retries; discard needs `discardMinRole` (Admin by default). */
export function userMay(user: GrafanaUser | undefined, action: DlqAction, discardMinRole: 'Editor' | 'Admin'): Verdict {
  const min = minRoleFor(action, discardMinRole);
  if (!user) {
    return { allowed: false, reason: `${action} needs the ${min} role, and the request carries no Grafana user` };
  }
  if (hasRole(user.role, min)) {
    return { allowed: true, reason: '' };
  }
  const who = user.login || 'the user';
  const setting = action === 'discard' ? ' (datasource setting discardMinRole)' : '';
  return { allowed: false, reason: `${action} needs the Grafana ${min} role${setting}; ${who} has ${user.role}` };
}

/** What `lookupTokenRole` found for the configured admin token. */
export type TokenFinding =
  | { kind: 'not-configured' }
  | { kind: 'unknown'; note: string }
  | { kind: 'missing' }
  | { kind: 'found'; role: string; routingKey: string | null; revoked: boolean; expired: boolean };

export interface TokenVerdict {
  /** null: cannot tell without trying (the orchestrator decides). */
  canManage: boolean | null;
  role: string | null;
  routingKey: string | null;
  reason: string;
}

export function tokenMayManage(t: TokenFinding): TokenVerdict {
  switch (t.kind) {
    case 'not-configured':
      return {
        canManage: false,
        role: null,
        routingKey: null,
        reason: 'no admin token is configured (adminToken): Retry and Discard go through the orchestrator admin API',
      };
    case 'unknown':
      return {
        canManage: null,
        role: null,
        routingKey: null,
        reason: `the admin token's role is unknown (${t.note}); the orchestrator decides when you act`,
      };
    case 'missing':
      return {
        canManage: false,
        role: null,
        routingKey: null,
        reason:
          'the configured admin token is not in admin_tokens (another cluster, or deleted): create one with kici-admin token create',
      };
    case 'found': {
      const base = { role: t.role, routingKey: t.routingKey };
      if (t.revoked || t.expired) {
        return {
          ...base,
          canManage: false,
          reason: `the configured admin token is ${t.revoked ? 'revoked' : 'expired'}: create a new one with kici-admin token create --role admin`,
        };
      }
      if (t.role === 'owner' || t.role === 'admin') {
        const scope = t.routingKey
          ? `, only for events of routing key ${t.routingKey} (the token is scoped to it)`
          : '';
        return {
          ...base,
          canManage: true,
          reason: `the admin token has role ${t.role}: it can manage the DLQ${scope}`,
        };
      }
      if (t.role === 'auditor') {
        return {
          ...base,
          canManage: false,
          reason:
            'the configured admin token has role auditor, which cannot manage the DLQ; use an admin or owner token',
        };
      }
      return {
        ...base,
        canManage: false,
        reason: `the configured admin token has role ${t.role}, which KiCI does not allow event_dlq.manage; use an admin or owner token`,
      };
    }
  }
}
