// The configured admin token's KiCI role, read from admin_tokens (by SHA-256, as KiCI stores it) and
// cached per datasource instance for a minute: the table queries only need it for a notice.
import { errorMessage, KiciSourceError } from '../../kici/errors';
import type { KiciSources } from '../../kici/sources';
import { lookupTokenRole } from '../health/checks';
import type { TokenFinding } from './permissions';

export const TOKEN_CACHE_MS = 60_000;

const cache = new WeakMap<KiciSources, { at: number; finding: TokenFinding }>();

export async function findAdminToken(
  sources: KiciSources,
  signal: AbortSignal,
  now = Date.now()
): Promise<TokenFinding> {
  const token = sources.settings.adminToken;
  if (!token) {
    return { kind: 'not-configured' };
  }
  if (!sources.db) {
    return { kind: 'unknown', note: 'PostgreSQL is not configured' };
  }
  const hit = cache.get(sources);
  if (hit && now - hit.at < TOKEN_CACHE_MS) {
    return hit.finding;
  }
  let finding: TokenFinding;
  try {
    const role = await lookupTokenRole(sources.db, token, signal);
    finding = role ? { kind: 'found', ...role } : { kind: 'missing' };
  } catch (err) {
    // Not cached: a cancelled or failed read should not hide the role for a minute.
    return {
      kind: 'unknown',
      note:
        err instanceof KiciSourceError && err.failure === 'forbidden'
          ? 'the database user may not read admin_tokens'
          : `admin_tokens not readable: ${errorMessage(err)}`,
    };
  }
  cache.set(sources, { at: now, finding });
  return finding;
}
