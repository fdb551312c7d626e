// The one place mutating resources check the caller's Grafana role (any Viewer can reach resources).
import type { GrafanaRole, RequestContext } from '../protocol/types';
import { PluginError } from '../protocol/types';

const RANK: Record<GrafanaRole, number> = { None: 0, Viewer: 1, Editor: 2, Admin: 3 };

export function hasRole(role: GrafanaRole | undefined, min: Exclude<GrafanaRole, 'None'>): boolean {
  return role !== undefined && (RANK[role] ?? 0) >= RANK[min];
}

/** Throws 403 unless the calling user has at least `min`. */
export function requireRole(ctx: RequestContext, min: Exclude<GrafanaRole, 'None'>): void {
  const user = ctx.plugin.user;
  if (!user) {
    throw new PluginError(`this action needs the ${min} role, and the request carries no Grafana user`, 403);
  }
  if (!hasRole(user.role, min)) {
    throw new PluginError(`this action needs the ${min} role; ${user.login || 'the user'} has ${user.role}`, 403);
  }
}
