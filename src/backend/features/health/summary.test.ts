import type { CheckRow } from './checks';
import { describeRole, formatUptime } from './checks';
import { summarizeHealth } from './summary';

const r = (
  component: CheckRow['component'],
  status: CheckRow['status'],
  message: string,
  hint = '',
  target = ''
): CheckRow => ({
  component,
  target,
  status,
  latencyMs: null,
  message,
  hint,
});

describe('summarizeHealth', () => {
  it('is ERROR naming pgHost and orchestratorUrls when nothing is configured', () => {
    const res = summarizeHealth([
      r('PostgreSQL', 'not configured', 'not configured (pgHost)'),
      r('orchestrator /health', 'not configured', 'no orchestrator URL (orchestratorUrls)'),
      r('admin token', 'not configured', 'not configured (adminToken)'),
      r('Platform', 'not configured', 'not configured (optional)'),
    ]);
    expect(res.status).toBe('ERROR');
    expect(res.message).toContain('pgHost');
    expect(res.message).toContain('orchestratorUrls');
  });

  it('is ERROR naming the failed component and what to do', () => {
    const res = summarizeHealth([
      r(
        'PostgreSQL',
        'error',
        'password authentication failed for user "kici_reader"',
        'check the user and password in the datasource settings',
        'kici_reader@db:5432/kici'
      ),
      r('orchestrator /health', 'ok', 'KiCI 0.9.1, up 5 min', '', 'http://o:4000'),
      r('orchestrator /ready', 'ok', 'ready (database, warm)', '', 'http://o:4000'),
    ]);
    expect(res.status).toBe('ERROR');
    expect(res.message.split('\n')[0]).toBe(
      'PostgreSQL (kici_reader@db:5432/kici): password authentication failed for user "kici_reader" — check the user and password in the datasource settings'
    );
    expect(res.message).toContain('(2 other checks passed)');
  });

  it('is OK listing what works and what is not configured', () => {
    const res = summarizeHealth([
      r('PostgreSQL', 'ok', 'connected; KiCI 0.9 schema, 144 migrations (latest 144_x)', '', 'u@db:5432/kici'),
      r('orchestrator /health', 'ok', 'KiCI 0.9.1, up 5 min', '', 'http://o:4000'),
      r('orchestrator /ready', 'ok', 'ready (database, warm)', '', 'http://o:4000'),
      r('admin token', 'not configured', 'not configured (adminToken)'),
      r('Platform', 'not configured', 'not configured (optional)'),
    ]);
    expect(res.status).toBe('OK');
    expect(res.message).toContain('PostgreSQL (u@db:5432/kici): connected; KiCI 0.9 schema');
    expect(res.message).toContain('admin token: not configured');
    expect((res.details as { checks: CheckRow[] }).checks).toHaveLength(5);
  });
});

describe('describeRole', () => {
  it('says what each role may do', () => {
    expect(describeRole({ role: 'owner', routingKey: null, revoked: false, expired: false }).text).toBe(
      'role owner: can retry and discard DLQ events'
    );
    expect(describeRole({ role: 'auditor', routingKey: null, revoked: false, expired: false }).text).toContain(
      'read-only'
    );
    const scoped = describeRole({ role: 'admin', routingKey: 'github:42', revoked: false, expired: false });
    expect(scoped.scoped).toBe(true);
    expect(scoped.text).toContain('github:42');
    expect(describeRole('unknown', 'the database user may not read admin_tokens').text).toBe(
      'role unknown (the database user may not read admin_tokens)'
    );
  });
});

it('formats uptime', () => {
  expect([formatUptime(53.3), formatUptime(600), formatUptime(86400), formatUptime(864000)]).toEqual([
    '53 s',
    '10 min',
    '24 h',
    '10 d',
  ]);
});
