import type { CheckRow } from './checks';
import { COMMON_ISSUES, commonIssueHint, withCommonIssueHint } from './hints';

const row = (component: CheckRow['component'], status: CheckRow['status'], failure?: string, hint = ''): CheckRow => ({
  component,
  target: 'http://orch-a:4000',
  status,
  latencyMs: null,
  message: 'm',
  hint,
  ...(failure ? { failure } : {}),
});

const { orchestratorDown, agentDown, agentNotConnected, platformDown, clusterDegraded } = COMMON_ISSUES;

describe('commonIssueHint: which Common-issues row the monitoring page shows for a check', () => {
  it.each([
    // every way a node is out of reach is "down"
    ['orchestrator /health', 'error', 'unreachable', orchestratorDown],
    ['orchestrator /ready', 'error', 'timeout', orchestratorDown],
    ['orchestrator /cluster/runs', 'error', 'http', orchestratorDown],
    ['orchestrator /cluster/peers', 'warning', 'invalid-response', orchestratorDown],
    ['orchestrator /health', 'error', 'too-large', orchestratorDown],
    // reachable but unhappy: only the cluster row has a hint of its own
    ['orchestrator /cluster/health', 'error', undefined, clusterDegraded],
    ['orchestrator /cluster/health', 'warning', 'auth', clusterDegraded],
    ['orchestrator /cluster/health', 'error', 'timeout', orchestratorDown],
    ['orchestrator /health', 'error', 'auth', null],
    ['orchestrator /cluster/peers', 'error', undefined, null],
    ['agent /health', 'error', 'unreachable', agentDown],
    ['agent /health', 'warning', 'timeout', agentDown],
    ['agent /health', 'error', undefined, null],
    ['agent /ready', 'error', 'timeout', agentDown],
    ['agent /ready', 'warning', undefined, agentNotConnected],
    ['Platform', 'error', 'unreachable', platformDown],
    ['Platform /health', 'warning', 'http', platformDown],
    ['Platform', 'error', 'auth', null],
    ['Platform /health', 'error', undefined, null],
    ['PostgreSQL', 'error', 'unreachable', null],
    ['admin token', 'error', 'auth', null],
    ['settings', 'error', undefined, null],
  ] as const)('%s %s (%s) -> its hint', (component, status, failure, expected) => {
    expect(commonIssueHint(row(component, status, failure))).toBe(expected);
  });

  it.each(['ok', 'not configured', 'unknown'] as const)('a %s row gets none, even when its source failed', (status) => {
    expect(commonIssueHint(row('orchestrator /health', status, 'unreachable'))).toBeNull();
    expect(commonIssueHint(row('agent /ready', status))).toBeNull();
  });
});

describe('withCommonIssueHint', () => {
  it('puts the common hint after the row’s own, or alone when the row has none', () => {
    expect(withCommonIssueHint(row('agent /ready', 'error', undefined, 'agent build-01 not ready')).hint).toBe(
      `agent build-01 not ready. ${agentNotConnected}`
    );
    expect(withCommonIssueHint(row('agent /ready', 'error')).hint).toBe(agentNotConnected);
  });

  it('does not repeat it, and leaves rows without one unchanged', () => {
    const already = row('Platform', 'error', 'unreachable', `check platformUrl. ${platformDown}`);
    expect(withCommonIssueHint(already)).toEqual(already);
    const none = row('admin token', 'error', 'auth', 'the token was rejected');
    expect(withCommonIssueHint(none)).toEqual(none);
  });
});
