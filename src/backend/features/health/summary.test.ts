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

describe('summarizeHealth: the exact Save & test message', () => {
  const NOTHING =
    'Nothing to check yet: set pgHost (with pgDatabase, pgUser and the password) for the orchestrator database and orchestratorUrls for the orchestrator HTTP API.';

  it('nothing configured: says what to set, then each settings error, and keeps every row in the details', () => {
    const rows = [
      r('settings', 'error', 'orchestratorUrls: "ftp://x" is not an http(s) URL', 'use http://host:4000'),
      r('settings', 'ok', 'parsed'),
      r('Platform', 'error', 'connection refused', '', 'http://platform:3000'),
      r('PostgreSQL', 'not configured', 'not configured (pgHost)'),
      r('orchestrator /health', 'not configured', 'no orchestrator URL (orchestratorUrls)'),
    ];
    expect(summarizeHealth(rows)).toEqual({
      status: 'ERROR',
      message: `${NOTHING}\nsettings: orchestratorUrls: "ftp://x" is not an http(s) URL — use http://host:4000`,
      details: {
        checks: rows,
        verboseMessage: [
          '[error] settings: orchestratorUrls: "ftp://x" is not an http(s) URL — use http://host:4000',
          '[ok] settings: parsed',
          '[error] Platform (http://platform:3000): connection refused',
          '[not configured] PostgreSQL: not configured (pgHost)',
          '[not configured] orchestrator /health: no orchestrator URL (orchestratorUrls)',
        ].join('\n'),
      },
    });
  });

  it('only PostgreSQL, or only orchestrators, configured is enough to check', () => {
    const onlyPg = summarizeHealth([
      r('PostgreSQL', 'ok', 'connected', 'a hint no one reads on an ok row', 'u@db:5432/kici'),
      r('orchestrator /health', 'not configured', 'no orchestrator URL (orchestratorUrls)'),
    ]);
    expect([onlyPg.status, onlyPg.message]).toEqual([
      'OK',
      'KiCI datasource is working.\nPostgreSQL (u@db:5432/kici): connected\norchestrator /health: not configured',
    ]);
    const onlyOrch = summarizeHealth([
      r('PostgreSQL', 'not configured', 'not configured (pgHost)'),
      r('orchestrator /health', 'ok', 'KiCI 0.9.1', '', 'http://o:4000'),
    ]);
    expect([onlyOrch.status, onlyOrch.message]).toEqual([
      'OK',
      'KiCI datasource is working.\nPostgreSQL: not configured\norchestrator /health (http://o:4000): KiCI 0.9.1',
    ]);
  });

  it('warning and unknown rows stay in an OK summary, a warning with its hint', () => {
    const res = summarizeHealth([
      r('orchestrator /health', 'ok', 'KiCI 0.9.1', '', 'http://o:4000'),
      r('orchestrator /cluster/health', 'warning', 'degraded: 2 of 3 peers', 'see /cluster/peers', 'http://o:4000'),
      r('admin token', 'unknown', 'role unknown (no access to admin_tokens)'),
    ]);
    expect(res.status).toBe('OK');
    expect(res.message).toBe(
      [
        'KiCI datasource is working.',
        'orchestrator /health (http://o:4000): KiCI 0.9.1',
        'orchestrator /cluster/health (http://o:4000): degraded: 2 of 3 peers — see /cluster/peers',
        'admin token: role unknown (no access to admin_tokens)',
      ].join('\n')
    );
  });

  it('errors: each failed row, then how many others passed (one is singular, none says nothing)', () => {
    const pgDown = r('PostgreSQL', 'error', 'connection refused', '', 'u@db:5432/kici');
    expect(summarizeHealth([pgDown, r('orchestrator /health', 'ok', 'KiCI 0.9.1', '', 'http://o:4000')]).message).toBe(
      'PostgreSQL (u@db:5432/kici): connection refused\n(1 other check passed)'
    );
    expect(
      summarizeHealth([pgDown, r('orchestrator /health', 'error', 'timeout', 'is it running?', 'http://o:4000')])
        .message
    ).toBe(
      'PostgreSQL (u@db:5432/kici): connection refused\norchestrator /health (http://o:4000): timeout — is it running?'
    );
  });
});
