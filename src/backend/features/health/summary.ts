// CheckHealth's answer from the check rows: OK lists what works, ERROR says what failed and what to do.
import type { HealthResult } from '../../protocol/types';
import type { CheckRow } from './checks';

export function describeRow(r: CheckRow): string {
  const where = r.target ? ` (${r.target})` : '';
  const hint = r.hint && (r.status === 'error' || r.status === 'warning') ? ` — ${r.hint}` : '';
  return `${r.component}${where}: ${r.message}${hint}`;
}

export function summarizeHealth(rows: CheckRow[]): HealthResult {
  const verboseMessage = rows.map((r) => `[${r.status}] ${describeRow(r)}`).join('\n');
  const details = { verboseMessage, checks: rows };

  const configured = (component: CheckRow['component']) =>
    rows.some((r) => r.component === component && r.status !== 'not configured');
  if (!configured('PostgreSQL') && !configured('orchestrator /health')) {
    return {
      status: 'ERROR',
      message: [
        'Nothing to check yet: set pgHost (with pgDatabase, pgUser and the password) for the orchestrator database and orchestratorUrls for the orchestrator HTTP API.',
        ...rows.filter((r) => r.component === 'settings' && r.status === 'error').map(describeRow),
      ].join('\n'),
      details,
    };
  }

  const errors = rows.filter((r) => r.status === 'error');
  if (errors.length) {
    const okCount = rows.filter((r) => r.status === 'ok').length;
    return {
      status: 'ERROR',
      message: `${errors.map(describeRow).join('\n')}${okCount ? `\n(${okCount} other check${okCount === 1 ? '' : 's'} passed)` : ''}`,
      details,
    };
  }

  const parts: string[] = [];
  for (const r of rows) {
    if (r.status === 'ok' || r.status === 'warning') {
      parts.push(describeRow(r));
    } else if (r.status === 'not configured') {
      parts.push(`${r.component}: not configured`);
    } else if (r.status === 'unknown') {
      parts.push(`${r.component}: ${r.message}`);
    }
  }
  return { status: 'OK', message: `KiCI datasource is working.\n${parts.join('\n')}`, details };
}
