// Bearer admin-token auth and RBAC exactly as KiCI's admin routes answer (contract §4.2, §6.3, §6.4).
import type { AdminRole } from '../model';

export type Permission =
  | 'event_dlq.read'
  | 'event_dlq.manage'
  | 'run.read'
  | 'run.cancel'
  | 'event_log.read'
  | 'access_log.read'
  | 'audit.read'
  | 'context.read'
  | 'token.manage'
  | 'key.rotate';

// packages/orchestrator/src/secrets/rbac.ts (identical in 0.9.1).
const GRANTS: Record<AdminRole, ReadonlySet<Permission>> = {
  owner: new Set<Permission>([
    'event_dlq.read',
    'event_dlq.manage',
    'run.read',
    'run.cancel',
    'event_log.read',
    'access_log.read',
    'audit.read',
    'context.read',
    'token.manage',
    'key.rotate',
  ]),
  admin: new Set<Permission>([
    'event_dlq.read',
    'event_dlq.manage',
    'run.read',
    'run.cancel',
    'event_log.read',
    'access_log.read',
    'audit.read',
    'context.read',
  ]),
  auditor: new Set<Permission>([
    'event_dlq.read',
    'run.read',
    'event_log.read',
    'access_log.read',
    'audit.read',
    'context.read',
  ]),
};

export function hasPermission(role: string, permission: Permission): boolean {
  return (GRANTS as Record<string, ReadonlySet<Permission>>)[role]?.has(permission) ?? false;
}

export const AUTH_ERRORS = {
  missing: 'Missing authorization',
  invalid: 'Invalid or expired token',
  routingKeyMismatch:
    'Access denied: token is restricted to a single routing key and this request targets a different one',
  unscopedRequired:
    'Access denied: this route requires an unscoped admin token (the calling token is restricted to a single routing key)',
  dlqNotFound: 'DLQ event not found',
  malformed: 'Invalid request: malformed value for a typed field',
  internal: 'Internal server error',
  backendNotFound: 'Backend not found',
} as const;

export function permissionDenied(role: string, permission: Permission): string {
  return `Role "${role}" does not have permission "${permission}"`;
}

/** The token after `Bearer `, or null when the header is absent or not a Bearer credential. */
export function parseBearer(header: string | undefined): string | null {
  if (!header || !header.startsWith('Bearer ')) {
    return null;
  }
  const token = header.slice('Bearer '.length).trim();
  return token.length > 0 ? token : null;
}

/** pg's invalid_text_representation (a non-UUID id in a uuid comparison), which KiCI maps to 400. */
export function isMalformedValueError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '22P02';
}
