import { selectors } from '@grafana/e2e-selectors';
import { type BackendSrv, type BackendSrvRequest, locationService, setBackendSrv } from '@grafana/runtime';
import { SceneApp, SceneRefreshPicker } from '@grafana/scenes';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import { type Observable, of, throwError } from 'rxjs';

import { NODE_COUNT_EXPLANATION } from '../../datasource/infrastructure/badges';
import type { Infrastructure } from '../../datasource/infrastructure/model';
import { PLATFORM_ONLY } from '../../datasource/infrastructure/model';
import { agentNode, orchestratorNode, scalerPool } from '../../datasource/infrastructure/testing';
import { testIds } from '../../components/testIds';
import { AtPath } from '../../utils/testing';
import { infrastructurePage, infrastructureScene } from './infrastructurePage';
import { fleet, infrastructure } from './testing';
import { AGENT_PAGE_SIZE } from './tree';

const ids = testIds.infrastructure;
const KICI = { uid: 'kici', type: 'kici-ops-datasource' };

const build01 = agentNode({
  agentId: 'build-01-1a2b3c4d',
  hostname: 'build-01',
  connectedInstanceId: 'orch-a',
  version: '0.1.24',
  labels: ['linux', 'kici:os:linux', 'kici:host:build-01'],
});
const fcAgent = agentNode({
  agentId: 'fc-vm-7',
  connectedInstanceId: 'orch-a',
  scalerName: 'fc-linux',
  ephemeral: true,
  version: '0.1.24',
  labels: ['linux', 'kici:scaler:fc-linux', 'kici:host:fc-vm-7'],
});
const offline = agentNode({
  agentId: 'build-02-9f8e7d6c',
  status: 'unreachable',
  labels: ['kici:host:build-02'],
});

const selfHosted: Infrastructure = infrastructure({
  source: 'self-hosted',
  orchestrators: [
    orchestratorNode({
      instanceId: 'orch-a',
      url: 'http://127.0.0.1:4001',
      hostname: 'ci-host-1',
      version: '0.9.1',
      role: 'coordinator',
      raftRole: 'leader',
      raftTerm: 3,
      processUptimeSeconds: 600,
      scalers: [
        scalerPool({ name: 'fc-linux', type: 'firecracker', maxAgents: 8, activeAgents: 1, spawnsOnLocalHost: true }),
      ],
      agents: [build01, fcAgent],
      missing: { cpuCount: PLATFORM_ONLY, totalMemoryMb: PLATFORM_ONLY, uptimeSeconds: PLATFORM_ONLY },
    }),
    orchestratorNode({ url: 'http://127.0.0.1:4003', reachable: false, error: 'connect ECONNREFUSED 127.0.0.1:4003' }),
  ],
  statefulAgents: [build01, offline],
  latestVersion: '0.9.1',
  latestVersionSource: 'fixed',
  agentMissing: { memoryUsedMb: PLATFORM_ONLY, uptimeSeconds: PLATFORM_ONLY },
});

let requests: BackendSrvRequest[];
let answer: () => Observable<unknown>;

beforeEach(() => {
  requests = [];
  answer = () => of({ data: selfHosted, status: 200, ok: true });
  setBackendSrv({
    fetch: (req: BackendSrvRequest) => {
      requests.push(req);
      return answer();
    },
  } as unknown as BackendSrv);
});

function renderPage(path = '/a/kici-ops-app/infrastructure') {
  const app = new SceneApp({ pages: [infrastructurePage(KICI)] });
  return render(
    <AtPath path={path}>
      <app.Component model={app} />
    </AtPath>
  );
}

const orchestrators = () => screen.getAllByTestId(ids.orchestrator);
const group = (container: HTMLElement, kind: string) =>
  within(container)
    .getAllByTestId(ids.agentGroup)
    .find((g) => g.getAttribute('data-group') === kind)!;

describe('infrastructure page', () => {
  it('loads GET infrastructure from the datasource and shows the tree', async () => {
    renderPage();
    await screen.findAllByTestId(ids.orchestrator);
    expect(requests.map((r) => [r.method, r.url])).toEqual([
      ['GET', '/api/datasources/uid/kici/resources/infrastructure'],
    ]);
    expect(screen.getByTestId(ids.nodeCount)).toHaveTextContent('2 nodes');
    expect(screen.getByTestId(ids.source)).toHaveTextContent('orchestrator database and URLs (self-hosted)');
    expect(screen.getByTestId(ids.latestVersion)).toHaveTextContent('latest published orchestrator: 0.9.1');
    expect(orchestrators().map((o) => o.getAttribute('data-name'))).toEqual(['orch-a', 'http://127.0.0.1:4003']);
    // Two orchestrators: both open, their scaler pools shown, agent groups closed.
    const [a, down] = orchestrators();
    expect(within(a).getByTestId(ids.scaler)).toHaveTextContent('fc-linux');
    expect(within(a).getByTestId(ids.scalerHostBadge)).toHaveTextContent('kici:host:ci-host-1');
    expect(within(a).queryAllByTestId(ids.agent)).toHaveLength(0);
    expect(within(down).getByTestId(ids.nodeError)).toHaveTextContent('connect ECONNREFUSED 127.0.0.1:4003');
    expect(within(a).getByTestId(ids.missing)).toHaveTextContent(`CPU, memory, OS uptime: ${PLATFORM_ONLY}`);
    expect(screen.getByTestId(ids.agentMissing)).toHaveTextContent(`Agent memory, uptime: ${PLATFORM_ONLY}`);
  });

  it('the header badge explains why billing counts differently', async () => {
    const user = userEvent.setup();
    renderPage();
    await user.hover(await screen.findByTestId(ids.nodeCount));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(NODE_COUNT_EXPLANATION);
  });

  it('expanding groups shows pool agents, the stateful group, and stateful agents no orchestrator holds', async () => {
    const user = userEvent.setup();
    renderPage();
    const [a] = await screen.findAllByTestId(ids.orchestrator);
    await user.click(group(a, 'scaler'));
    expect(
      within(a)
        .getAllByTestId(ids.agent)
        .map((x) => x.getAttribute('data-agent-id'))
    ).toEqual(['fc-vm-7']);
    // Ephemeral: no update badge although 0.1.24 < 0.9.1.
    expect(within(a).queryByTestId(ids.updateBadge)).toBeNull();

    await user.click(group(a, 'stateful'));
    const stateful = within(a)
      .getAllByTestId(ids.agent)
      .find((x) => x.getAttribute('data-agent-id') === 'build-01-1a2b3c4d')!;
    expect(within(stateful).getByTestId(ids.updateBadge)).toHaveTextContent('update available');
    expect(
      within(stateful)
        .getAllByTestId(ids.label)
        .map((l) => l.textContent)
    ).toEqual(['linux', 'kici:os:linux', 'kici:host:build-01']);

    const disconnected = screen.getByTestId(ids.disconnected);
    expect(within(disconnected).queryByTestId(ids.agent)).toBeNull();
    await user.click(group(disconnected, 'disconnected'));
    const row = within(disconnected).getByTestId(ids.agent);
    expect(row).toHaveAttribute('data-agent-id', 'build-02-9f8e7d6c');
    expect(row).toHaveTextContent('disconnected');
    expect(within(row).getByTestId(ids.label)).toHaveTextContent('kici:host:build-02');
  });

  it('reads the filter from the URL and opens what it matched', async () => {
    renderPage('/a/kici-ops-app/infrastructure?host=build-01');
    await screen.findAllByTestId(ids.orchestrator);
    expect(orchestrators().map((o) => o.getAttribute('data-name'))).toEqual(['orch-a']);
    expect(screen.getAllByTestId(ids.agent).map((x) => x.getAttribute('data-agent-id'))).toEqual(['build-01-1a2b3c4d']);
    expect(screen.queryByTestId(ids.disconnected)).toBeNull();
    expect(screen.getByDisplayValue('build-01')).toHaveAttribute('data-filter', 'host');
  });

  it('search writes the URL; clearing restores the tree; no match says so', async () => {
    const user = userEvent.setup();
    renderPage();
    await screen.findAllByTestId(ids.orchestrator);
    await user.type(screen.getByTestId(ids.search), 'zz-none');
    expect(screen.getByTestId(ids.noMatch)).toHaveTextContent('Nothing matches the filter.');
    expect(locationService.getSearchObject().search).toBe('zz-none');
    await user.click(screen.getByTestId(ids.clearFilters));
    expect(orchestrators()).toHaveLength(2);
    expect(locationService.getSearchObject().search).toBeUndefined();
    await user.type(
      screen.getAllByTestId(ids.filter).find((f) => f.getAttribute('data-filter') === 'label')!,
      'kici:host:build-02'
    );
    expect(screen.queryAllByTestId(ids.orchestrator)).toHaveLength(0);
    expect(within(screen.getByTestId(ids.disconnected)).getByTestId(ids.agent)).toHaveAttribute(
      'data-agent-id',
      'build-02-9f8e7d6c'
    );
  });

  it('an error says what the backend said, and a later refresh keeps the last snapshot on screen', async () => {
    answer = () =>
      throwError(() => ({
        status: 400,
        statusText: 'Bad Request',
        data: {
          error:
            'the infrastructure tree needs KiCI Platform, the orchestrator database or at least one orchestrator URL',
        },
        config: {},
      }));
    const user = userEvent.setup();
    renderPage();
    expect(await screen.findByTestId(ids.error)).toHaveTextContent(
      'the infrastructure tree needs KiCI Platform, the orchestrator database or at least one orchestrator URL'
    );
    expect(screen.queryByTestId(ids.orchestrator)).toBeNull();
    // The page-level message (issue 17 item 6) above the tree, with where to fix it.
    expect(await screen.findByTestId(testIds.datasourceProblem)).toHaveTextContent(
      'Fix it in the KiCI datasource settings'
    );

    answer = () => of({ data: selfHosted, status: 200, ok: true });
    await user.click(screen.getByTestId(selectors.components.RefreshPicker.runButtonV2));
    expect(await screen.findAllByTestId(ids.orchestrator)).toHaveLength(2);
    expect(screen.queryByTestId(ids.error)).toBeNull();
    await waitFor(() => expect(screen.queryByTestId(testIds.datasourceProblem)).toBeNull());

    answer = () => throwError(() => ({ status: 504, statusText: 'Gateway Timeout', data: {}, config: {} }));
    await user.click(screen.getByTestId(selectors.components.RefreshPicker.runButtonV2));
    expect(await screen.findByTestId(ids.error)).toHaveTextContent('HTTP 504 Gateway Timeout');
    expect(screen.getByTestId(ids.error)).toHaveTextContent('Showing the snapshot of 2026-11-24 06:40:00 UTC');
    expect(orchestrators()).toHaveLength(2);
    // Three loads of the tree; the health check is asked only after a failure, for the page-level message.
    expect(requests.filter((r) => r.url.endsWith('/resources/infrastructure'))).toHaveLength(3);
  });

  it('refreshes every 10 seconds, like the infrastructure section of KiCI monitoring page', () => {
    const picker = infrastructureScene(KICI).state.controls?.find(
      (c) => c instanceof SceneRefreshPicker
    ) as SceneRefreshPicker;
    expect(picker.state.refresh).toBe('10s');
  });
});

describe('a fleet of 50 orchestrators and 5,000 agents', () => {
  it('renders collapsed, then one page of a group at a time', async () => {
    const big = fleet(50, 5000);
    answer = () => of({ data: big, status: 200, ok: true });
    const user = userEvent.setup();
    renderPage();
    await screen.findAllByTestId(ids.orchestrator);
    expect(orchestrators()).toHaveLength(50);
    expect(screen.getByTestId(ids.nodeCount)).toHaveTextContent('50 nodes');
    expect(screen.queryAllByTestId(ids.agent)).toHaveLength(0);
    expect(screen.queryAllByTestId(ids.scaler)).toHaveLength(0);

    const first = orchestrators()[0];
    await user.click(within(first).getByTestId(ids.orchestratorToggle));
    expect(within(first).getAllByTestId(ids.scaler)).toHaveLength(2);
    // 100 agents per orchestrator: 40 in each pool, 20 stateful.
    expect(group(first, 'stateful')).toHaveTextContent('Stateful agents (20)');
    await user.click(group(first, 'scaler'));
    expect(screen.getAllByTestId(ids.agent)).toHaveLength(40);

    const bigGroup = fleet(1, 300);
    answer = () => of({ data: bigGroup, status: 200, ok: true });
    await user.click(screen.getByTestId(selectors.components.RefreshPicker.runButtonV2));
    // The refresh keeps what was open: the same pool now holds 120 agents, shown a page at a time.
    expect(await screen.findAllByTestId(ids.agent)).toHaveLength(AGENT_PAGE_SIZE);
    const only = orchestrators()[0];
    expect(group(only, 'scaler')).toHaveAttribute('aria-expanded', 'true');
    await user.click(within(only).getByTestId(ids.showMore));
    expect(screen.getAllByTestId(ids.agent)).toHaveLength(2 * AGENT_PAGE_SIZE);
  });
});

afterEach(() => {
  act(() => locationService.push('/'));
});
