import type { KiciSources } from '../../kici/sources';
import type { CheckRow } from './checks';
import { COMMON_ISSUES, commonIssueHint, withCommonIssueHint } from './hints';
import { agentBaseUrl, orderRows, rememberSuccess } from './matrix';

const r = (
  component: CheckRow['component'],
  target: string,
  status: CheckRow['status'] = 'ok',
  failure?: string
): CheckRow => ({
  component,
  target,
  status,
  latencyMs: null,
  message: '',
  hint: '',
  ...(failure ? { failure } : {}),
});

describe('orderRows', () => {
  it('groups the endpoints of each orchestrator in settings order, agents in probe order', () => {
    const a = 'http://a:4000';
    const b = 'http://b:4000';
    const rows = orderRows(
      [
        r('PostgreSQL', 'db'),
        r('orchestrator /health', b),
        r('orchestrator /ready', b),
        r('orchestrator /health', a),
        r('orchestrator /ready', a),
        r('admin token', a),
        r('Platform', 'p'),
        r('orchestrator /cluster/health', a),
        r('orchestrator /cluster/runs', a),
        r('orchestrator /cluster/health', b),
        r('agent /health', 'x'),
        r('agent /ready', 'x'),
        r('agent /health', 'y'),
        r('agent /ready', 'y'),
        r('Platform /health', 'p'),
      ],
      [a, b]
    );
    expect(rows.map((x) => `${x.component} ${x.target}`)).toEqual([
      'PostgreSQL db',
      `orchestrator /health ${a}`,
      `orchestrator /ready ${a}`,
      `orchestrator /cluster/health ${a}`,
      `orchestrator /cluster/runs ${a}`,
      `orchestrator /health ${b}`,
      `orchestrator /ready ${b}`,
      `orchestrator /cluster/health ${b}`,
      `admin token ${a}`,
      'agent /health x',
      'agent /ready x',
      'agent /health y',
      'agent /ready y',
      'Platform p',
      'Platform /health p',
    ]);
  });
});

describe('rememberSuccess', () => {
  it('keeps the last success of a target that fails now, per datasource instance', () => {
    const sources = {} as KiciSources;
    const other = {} as KiciSources;
    const first = rememberSuccess(
      sources,
      [r('orchestrator /health', 'a'), r('orchestrator /ready', 'a', 'error')],
      1000
    );
    expect(first.map((x) => x.lastSuccess)).toEqual([1000, null]);
    const second = rememberSuccess(sources, [r('orchestrator /health', 'a', 'error')], 2000);
    expect(second[0].lastSuccess).toBe(1000);
    expect(rememberSuccess(other, [r('orchestrator /health', 'a', 'error')], 3000)[0].lastSuccess).toBeNull();
  });
});

describe('Common-issues hints', () => {
  it('gives the port/path hint to an unreachable orchestrator endpoint', () => {
    const row = withCommonIssueHint({
      ...r('orchestrator /cluster/peers', 'a', 'error', 'unreachable'),
      hint: 'check the URL',
    });
    expect(row.hint).toBe(`check the URL. ${COMMON_ISSUES.orchestratorDown}`);
    expect(row.hint).toContain('host.containers.internal');
  });
  it('explains a not-ready agent as not connected / not pushed yet', () => {
    expect(commonIssueHint(r('agent /ready', 'x', 'error'))).toBe(COMMON_ISSUES.agentNotConnected);
  });
  it('leaves passing rows and token errors alone', () => {
    expect(commonIssueHint(r('orchestrator /health', 'a'))).toBeNull();
    expect(commonIssueHint(r('admin token', 'a', 'error', 'auth'))).toBeNull();
  });
});

it('addresses an agent by its roster hostname and the configured port', () => {
  expect(agentBaseUrl('build-01', 8080)).toBe('http://build-01:8080');
  expect(agentBaseUrl('fe80::1', 8080)).toBe('http://[fe80::1]:8080');
});
