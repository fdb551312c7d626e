// The health checks: PostgreSQL, each orchestrator's /health and /ready, the admin token, the
// Platform. Run in parallel, each with its own deadline; a failing one never hides the others.
import { createHash } from 'node:crypto';

import type { KiciDb } from '../../kici/db';
import { errorMessage, isKiciSourceError, KiciSourceError } from '../../kici/errors';
import type { OrchestratorClient } from '../../kici/orchestrator';
import { detectSchema } from '../../kici/schema';
import { firstAnswer } from '../fanout';
import type { KiciSources } from '../../kici/sources';
import type { SettingsFinding } from '../../kici/settings';

export type CheckStatus = 'ok' | 'warning' | 'error' | 'not configured' | 'unknown';

export interface CheckRow {
  component:
    | 'settings'
    | 'PostgreSQL'
    | 'orchestrator /health'
    | 'orchestrator /ready'
    | 'orchestrator /cluster/health'
    | 'orchestrator /cluster/peers'
    | 'orchestrator /cluster/runs'
    | 'agent /health'
    | 'agent /ready'
    | 'admin token'
    | 'Platform'
    | 'Platform /health';
  target: string;
  status: CheckStatus;
  latencyMs: number | null;
  message: string;
  hint: string;
  /** How a source failed (KiciSourceError.failure), for the matrix's hints. */
  failure?: string;
}

export interface HealthCheckOptions {
  /** Deadline for each HTTP check (default: the datasource's httpTimeoutMs + HEALTH_MARGIN_MS). */
  httpDeadlineMs?: number;
  /** Deadline for the PostgreSQL check (default: connect timeout + statement timeout). */
  pgDeadlineMs?: number;
}

/** Orchestrator URLs health checks (all at once); more are reported as a settings warning. */
export const MAX_HEALTH_ORCHESTRATORS = 64;
/**
 * What the health answer may take beyond one httpTimeoutMs: a refused connection's one retry (150 ms) and the
 * answer's own work. Every HTTP check runs concurrently under httpTimeoutMs + this.
 */
export const HEALTH_MARGIN_MS = 500;

export const row = (
  r: Omit<CheckRow, 'hint' | 'latencyMs'> & { hint?: string; latencyMs?: number | null }
): CheckRow => ({
  latencyMs: null,
  hint: '',
  ...r,
});

export function errorRow(
  component: CheckRow['component'],
  target: string,
  err: unknown,
  latencyMs: number | null
): CheckRow {
  return row({
    component,
    target,
    status: 'error',
    latencyMs,
    message: errorMessage(err),
    hint: isKiciSourceError(err) ? (err.hint ?? '') : '',
    ...(isKiciSourceError(err) ? { failure: err.failure } : {}),
  });
}

/** Runs `fn` with a signal that aborts at the deadline; past it, answers `onDeadline` instead. */
export async function withDeadline<T>(
  ms: number,
  parent: AbortSignal,
  fn: (signal: AbortSignal) => Promise<T>,
  onDeadline: () => T
): Promise<T> {
  const ac = new AbortController();
  const onParent = () => ac.abort();
  parent.addEventListener('abort', onParent, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<T>((resolve) => {
    timer = setTimeout(() => {
      ac.abort();
      resolve(onDeadline());
    }, ms);
  });
  try {
    return await Promise.race([fn(ac.signal), deadline]);
  } finally {
    clearTimeout(timer);
    parent.removeEventListener('abort', onParent);
  }
}

export const since = (t0: number) => Math.round(performance.now() - t0);

export function settingsRows(findings: SettingsFinding[]): CheckRow[] {
  return findings
    .filter((f) => f.kind === 'invalid')
    .map((f) =>
      row({
        component: 'settings',
        target: f.setting,
        status: 'error',
        message: f.message,
        hint: `fix ${f.setting} in the datasource settings`,
      })
    );
}

function pgNotConfiguredRow(sources: KiciSources): CheckRow {
  const pgFindings = sources.findings.filter((f) => f.setting.startsWith('pg'));
  const missing = pgFindings.filter((f) => f.kind === 'not configured').map((f) => f.setting);
  switch (sources.settings.pgState) {
    case 'incomplete':
      return row({
        component: 'PostgreSQL',
        target: '',
        status: 'error',
        message: `incomplete: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set`,
        hint: `set ${missing.join(', ')} in the datasource settings`,
      });
    case 'invalid':
      return row({
        component: 'PostgreSQL',
        target: '',
        status: 'error',
        message: `not usable: ${pgFindings.map((f) => f.message).join('; ')}`,
        hint: 'fix the PostgreSQL settings',
      });
    default:
      return row({
        component: 'PostgreSQL',
        target: '',
        status: 'not configured',
        message: 'not configured (pgHost)',
        hint: 'set pgHost, pgDatabase, pgUser and the password: DLQ, execution, infrastructure and secret-backend panels read the orchestrator database',
      });
  }
}

export async function checkPostgres(db: KiciDb, signal: AbortSignal): Promise<CheckRow> {
  const target = `${db.settings.user}@${db.target}`;
  const t0 = performance.now();
  try {
    const info = await detectSchema(db, signal);
    const [priv] = await db.read<{ can_write: boolean | null }>(
      `SELECT has_table_privilege(current_user, 'kici_events', 'INSERT,UPDATE,DELETE') AS can_write`,
      [],
      signal
    );
    const latencyMs = since(t0);
    const summary = `connected; KiCI ${info.layout} schema, ${info.migrationCount} migrations (latest ${info.latestMigration})`;
    if (priv?.can_write) {
      return row({
        component: 'PostgreSQL',
        target,
        status: 'warning',
        latencyMs,
        message: `${summary}; user "${db.settings.user}" can write to kici_events`,
        hint: 'use a read-only role (kici-admin db create-readonly-user): the plugin only reads the database',
      });
    }
    return row({ component: 'PostgreSQL', target, status: 'ok', latencyMs, message: summary });
  } catch (err) {
    return errorRow('PostgreSQL', target, err, since(t0));
  }
}

export async function checkOrchestrator(client: OrchestratorClient, signal: AbortSignal): Promise<CheckRow[]> {
  const target = client.baseUrl;
  const health = (async (): Promise<CheckRow> => {
    const t0 = performance.now();
    try {
      const r = await client.health(signal);
      return row({
        component: 'orchestrator /health',
        target,
        status: 'ok',
        latencyMs: r.latencyMs,
        message: `KiCI ${r.data.version ?? '(version not reported)'}, up ${formatUptime(r.data.uptime)}`,
      });
    } catch (err) {
      return errorRow('orchestrator /health', target, err, since(t0));
    }
  })();
  const ready = (async (): Promise<CheckRow> => {
    const t0 = performance.now();
    try {
      const r = await client.ready(signal);
      const checks = Object.entries(r.data.checks);
      const failed = checks.filter(([, ok]) => !ok).map(([k]) => k);
      if (r.data.status === 'ready' && failed.length === 0) {
        return row({
          component: 'orchestrator /ready',
          target,
          status: 'ok',
          latencyMs: r.latencyMs,
          message: checks.length ? `ready (${checks.map(([k]) => k).join(', ')})` : 'ready (worker: no database)',
        });
      }
      return row({
        component: 'orchestrator /ready',
        target,
        status: 'error',
        latencyMs: r.latencyMs,
        message: `not ready (HTTP ${r.status}): ${failed.length ? failed.map((k) => `${k}=false`).join(', ') : r.data.status}`,
        hint: failed.includes('database')
          ? 'the orchestrator cannot reach its database'
          : failed.includes('warm')
            ? 'the orchestrator is still recovering after start ("Orchestrator warm — ready to serve" not logged yet)'
            : 'see the orchestrator logs',
      });
    } catch (err) {
      return errorRow('orchestrator /ready', target, err, since(t0));
    }
  })();
  return Promise.all([health, ready]);
}

export function formatUptime(seconds: number): string {
  const s = Math.floor(seconds);
  if (s < 120) {
    return `${s} s`;
  }
  if (s < 7200) {
    return `${Math.floor(s / 60)} min`;
  }
  if (s < 172800) {
    return `${Math.floor(s / 3600)} h`;
  }
  return `${Math.floor(s / 86400)} d`;
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface TokenRole {
  role: string;
  routingKey: string | null;
  revoked: boolean;
  expired: boolean;
}

/** `admin_tokens` stores the SHA-256 hex of the plaintext; the plaintext never leaves the process. */
export async function lookupTokenRole(db: KiciDb, token: string, signal: AbortSignal): Promise<TokenRole | null> {
  const rows = await db.read<{ role: string; routing_key: string | null; revoked: boolean; expired: boolean }>(
    `SELECT role, routing_key, revoked, (expires_at IS NOT NULL AND expires_at <= now()) AS expired
       FROM admin_tokens WHERE token_hash = $1`,
    [tokenHash(token)],
    signal
  );
  const r = rows[0];
  return r ? { role: r.role, routingKey: r.routing_key, revoked: r.revoked, expired: r.expired } : null;
}

/** Pure: what the role means for the plugin's actions. */
export function describeRole(
  role: TokenRole | null | 'unknown',
  permissionNote?: string
): { text: string; scoped: boolean } {
  if (role === 'unknown') {
    return { text: `role unknown${permissionNote ? ` (${permissionNote})` : ''}`, scoped: false };
  }
  if (role === null) {
    return { text: 'not found in admin_tokens (a token of another cluster?)', scoped: false };
  }
  const can =
    role.role === 'owner' || role.role === 'admin'
      ? 'can retry and discard DLQ events'
      : role.role === 'auditor'
        ? 'read-only: DLQ Retry/Discard will be refused'
        : 'unknown role';
  const scope = role.routingKey
    ? `; restricted to routing key ${role.routingKey} (sees only its events; secret-backend routes refuse it)`
    : '';
  return { text: `role ${role.role}: ${can}${scope}`, scoped: role.routingKey !== null };
}

export async function checkAdminToken(sources: KiciSources, signal: AbortSignal): Promise<CheckRow> {
  const token = sources.settings.adminToken;
  if (!token) {
    return row({
      component: 'admin token',
      target: '',
      status: 'not configured',
      message: 'not configured (adminToken)',
      hint: 'optional: an auditor token enables the DLQ API and secret-backend views; admin/owner is needed for Retry/Discard',
    });
  }
  if (sources.orchestrators.length === 0) {
    return row({
      component: 'admin token',
      target: '',
      status: 'unknown',
      message: 'no orchestrator URL to test it against',
      hint: 'set orchestratorUrls',
    });
  }

  const rolePromise: Promise<{ role: TokenRole | null | 'unknown'; note?: string }> = sources.db
    ? lookupTokenRole(sources.db, token, signal).then(
        (role) => ({ role }),
        (err) => ({
          role: 'unknown' as const,
          note:
            err instanceof KiciSourceError && err.failure === 'forbidden'
              ? `the database user may not read admin_tokens`
              : `admin_tokens not readable: ${errorMessage(err)}`,
        })
      )
    : Promise.resolve({ role: 'unknown' as const, note: 'PostgreSQL not configured' });

  // The first orchestrator that answers decides (all are asked at once: a dead node costs no extra timeout);
  // unreachable ones are reported by their own rows.
  let answer: { client: OrchestratorClient; total?: number; err?: KiciSourceError; latencyMs: number } | undefined;
  let lastErr: unknown;
  const t0 = performance.now();
  try {
    const first = await firstAnswer(
      sources.orchestrators.slice(0, MAX_HEALTH_ORCHESTRATORS),
      (c, s) => c.dlqCount(s),
      (err) => isKiciSourceError(err) && ['auth', 'forbidden', 'not-found', 'invalid-response'].includes(err.failure),
      signal
    );
    answer = first.result
      ? { client: first.client, total: first.result.data.total, latencyMs: first.result.latencyMs }
      : { client: first.client, err: first.err as KiciSourceError, latencyMs: since(t0) };
  } catch (err) {
    lastErr = err;
  }
  const { role, note } = await rolePromise;
  const described = describeRole(role, note);

  if (!answer) {
    return row({
      component: 'admin token',
      target: '',
      status: 'unknown',
      message: `not verified: no orchestrator answered (${errorMessage(lastErr)}); ${described.text}`,
      hint: 'see the orchestrator rows',
    });
  }
  const target = answer.client.baseUrl;
  if (answer.err) {
    const dbState =
      role !== 'unknown' && role !== null && (role.revoked || role.expired)
        ? ` (admin_tokens says it is ${role.revoked ? 'revoked' : 'expired'})`
        : '';
    return row({
      component: 'admin token',
      target,
      status: 'error',
      latencyMs: answer.latencyMs,
      message: `${answer.err.message}${dbState}`,
      hint: answer.err.hint ?? '',
    });
  }
  return row({
    component: 'admin token',
    target,
    status: described.scoped ? 'warning' : 'ok',
    latencyMs: answer.latencyMs,
    message: `reads the DLQ (${answer.total} event${answer.total === 1 ? '' : 's'}); ${described.text}`,
    hint: described.scoped ? 'use an unscoped token to see every routing key and the secret backends' : '',
  });
}

export async function checkPlatform(sources: KiciSources, signal: AbortSignal): Promise<CheckRow> {
  const p = sources.platform;
  if (!p) {
    const partial = sources.findings.filter((f) => f.setting.startsWith('platform'));
    if (partial.length) {
      return row({
        component: 'Platform',
        target: '',
        status: 'error',
        message: partial.map((f) => f.message).join('; '),
        hint: 'set platformUrl, platformOrg and platformToken together, or clear them',
      });
    }
    return row({
      component: 'Platform',
      target: '',
      status: 'not configured',
      message: 'not configured (optional)',
      hint: 'set platformUrl, platformOrg and platformToken for Platform-only fields (orphaned connections, agent versions, OS details)',
    });
  }
  const t0 = performance.now();
  try {
    const r = await p.summary(signal);
    return row({
      component: 'Platform',
      target: `${p.baseUrl} (org ${p.org})`,
      status: 'ok',
      latencyMs: r.latencyMs,
      message: `reachable; ${r.data.orphanedConnections} orphaned connection${r.data.orphanedConnections === 1 ? '' : 's'}`,
    });
  } catch (err) {
    return errorRow('Platform', `${p.baseUrl} (org ${p.org})`, err, since(t0));
  }
}

export async function runHealthChecks(
  sources: KiciSources,
  signal: AbortSignal,
  opts: HealthCheckOptions = {}
): Promise<CheckRow[]> {
  const httpMs = opts.httpDeadlineMs ?? sources.settings.httpTimeoutMs + HEALTH_MARGIN_MS;
  const pgMs = opts.pgDeadlineMs ?? 5_000 + (sources.settings.pg?.statementTimeoutMs ?? 0);
  const late = (component: CheckRow['component'], target: string, ms: number) => () =>
    row({
      component,
      target,
      status: 'error',
      message: `no answer within ${ms} ms`,
      hint: "the check was abandoned; see the component's own timeout",
    });

  const db = sources.db;
  const pg: Promise<CheckRow[]> = db
    ? withDeadline(
        pgMs,
        signal,
        (s) => checkPostgres(db, s).then((r) => [r]),
        () => [late('PostgreSQL', `${db.settings.user}@${db.target}`, pgMs)()]
      )
    : Promise.resolve([pgNotConfiguredRow(sources)]);

  // Every listed node at once (the cap is the bound): the whole answer then takes one deadline, however many fail.
  const checked = sources.orchestrators.slice(0, MAX_HEALTH_ORCHESTRATORS);
  const capRows =
    sources.orchestrators.length > checked.length
      ? [
          row({
            component: 'settings',
            target: 'orchestratorUrls',
            status: 'warning',
            message: `orchestratorUrls lists ${sources.orchestrators.length} URLs: health checks the first ${MAX_HEALTH_ORCHESTRATORS}`,
            hint: 'list the coordinators only (workers are reached through them); a cluster rarely has more',
          }),
        ]
      : [];
  const orch: Promise<CheckRow[]> =
    checked.length === 0
      ? Promise.resolve([
          row({
            component: 'orchestrator /health',
            target: '',
            status: sources.findings.some((f) => f.setting === 'orchestratorUrls' && f.kind === 'invalid')
              ? 'error'
              : 'not configured',
            message: 'no orchestrator URL (orchestratorUrls)',
            hint: 'add the base URL of every coordinator, e.g. http://orch-a:4000',
          }),
        ])
      : Promise.all(
          checked.map((c) =>
            withDeadline(
              httpMs,
              signal,
              (s) => checkOrchestrator(c, s),
              () => [
                late('orchestrator /health', c.baseUrl, httpMs)(),
                late('orchestrator /ready', c.baseUrl, httpMs)(),
              ]
            )
          )
        ).then((rows) => rows.flat());

  const token = withDeadline(httpMs, signal, (s) => checkAdminToken(sources, s), late('admin token', '', httpMs));
  const platform = withDeadline(
    httpMs,
    signal,
    (s) => checkPlatform(sources, s),
    late('Platform', sources.platform?.baseUrl ?? '', httpMs)
  );

  const [pgRows, orchRows, tokenRow, platformRow] = await Promise.all([pg, orch, token, platform]);
  return [...settingsRows(sources.findings), ...capRows, ...pgRows, ...orchRows, tokenRow, platformRow];
}
