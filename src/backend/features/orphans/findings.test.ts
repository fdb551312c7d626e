import { analogueFindings, platformFinding, PLATFORM_RULE, PLATFORM_WARNING } from './findings';

describe('platformFinding', () => {
  it('warns with the sweeper rule when the Platform counts orphans', () => {
    const f = platformFinding({ configured: true, count: 3 });
    expect(f).toMatchObject({ source: 'Platform', count: 3, status: 'warning', rule: PLATFORM_RULE });
    expect(f.rule).toContain('older than 6 minutes (2× the maximum expected heartbeat interval)');
    expect(f.message).toBe(`3 orphaned connections. ${PLATFORM_WARNING}`);
  });
  it('is ok at zero', () => {
    expect(platformFinding({ configured: true, count: 0 })).toMatchObject({ count: 0, status: 'ok', message: 'none' });
  });
  it('says the count is Platform-only when no Platform is configured', () => {
    const f = platformFinding({ configured: false });
    expect(f.status).toBe('not configured');
    expect(f.count).toBeNull();
    expect(f.message).toContain('Platform-only');
  });
});

describe('analogueFindings', () => {
  it('labels every row as an orchestrator analogue and flags stale claims', () => {
    const rows = analogueFindings({ stale_claims: 2, ephemeral_awaiting: 1, ephemeral_past_ttl: 0 }, 1);
    expect(rows.map((r) => [r.kind, r.count, r.status])).toEqual([
      ['stale_agent_connections', 2, 'warning'],
      ['ephemeral_awaiting_reaper', 1, 'ok'],
      ['ephemeral_past_reaper_ttl', 0, 'ok'],
      ['dead_coordinators', 1, 'warning'],
    ]);
    expect(rows.every((r) => r.source === 'orchestrator analogue')).toBe(true);
  });
  it('has no coordinator row data on the 0.1 schema', () => {
    const dead = analogueFindings({ stale_claims: 0, ephemeral_awaiting: 0, ephemeral_past_ttl: 0 }, null)[3];
    expect(dead).toMatchObject({ kind: 'dead_coordinators', count: null, status: 'not available' });
  });
});

it('says one agent claims a connection, and the orchestrator it names (issue 14 item 11)', () => {
  const [stale] = analogueFindings({ stale_claims: 1, ephemeral_awaiting: 0, ephemeral_past_ttl: 0 }, 0);
  expect(stale.message).toBe('1 agent claims a connection that is not live; check the orchestrator it names');
  const [many] = analogueFindings({ stale_claims: 3, ephemeral_awaiting: 0, ephemeral_past_ttl: 0 }, 0);
  expect(many.message).toBe('3 agents claim a connection that is not live; check the orchestrators they name');
});
