// Rendering of every badge of the Infrastructure tree: which badge, which colour (the rule's, in data-color),
// which text, and when it is absent.
import { AppEvents, EventBusSrv } from '@grafana/data';
import { setAppEvents } from '@grafana/runtime';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { NODE_COUNT_EXPLANATION, nodeCountBadge } from '../../datasource/infrastructure/badges';
import { PLATFORM_ONLY, type OrchestratorNode } from '../../datasource/infrastructure/model';
import { agentNode, orchestratorNode, scalerPool } from '../../datasource/infrastructure/testing';
import { testIds } from '../testIds';
import { AgentRow } from './AgentRow';
import { LabelBadge } from './LabelBadge';
import { OrchestratorRow } from './OrchestratorRow';
import { RuleBadge } from './RuleBadge';
import { ScalerRow } from './ScalerRow';

const ids = testIds.infrastructure;

function renderNode(
  node: Partial<OrchestratorNode>,
  latest: string | null = '0.9.1',
  source: 'platform' | 'self-hosted' = 'platform'
) {
  return render(
    <OrchestratorRow
      node={orchestratorNode(node)}
      source={source}
      latestVersion={latest}
      latestUnknownReason="no latest-version source is configured"
      expanded={false}
      onToggle={() => {}}
    />
  );
}

const badge = (testId: string) => screen.getByTestId(testId);
const colorOf = (testId: string) => badge(testId).getAttribute('data-color');

describe('orchestrator identity', () => {
  it('orchestrator: the instance id in bold, conn: the first 8 chars dimmed, host: on the right', () => {
    renderNode({ instanceId: 'orch-a', connectionId: '5b9c7e0e-2f3a-4e51-9a61-0c1f7f0d2a11', hostname: 'ci-host-1' });
    const name = screen.getByTestId(ids.orchestratorName);
    expect(name).toHaveTextContent('orch-a');
    expect(name.className).not.toBe('');
    expect(screen.getByTestId(ids.orchestratorConn)).toHaveTextContent('conn: 5b9c7e0e');
    expect(screen.getByTestId(ids.orchestratorHost)).toHaveTextContent('host: ci-host-1');
    expect(screen.getByTestId(ids.orchestrator)).toHaveAttribute('data-name', 'orch-a');
  });

  it('without an instance id: the first 8 chars of the connection id, not bold, and no conn:', () => {
    renderNode({ connectionId: 'abcdef0123456789' });
    const name = screen.getByTestId(ids.orchestratorName);
    expect(name).toHaveTextContent(/^abcdef01$/);
    expect(name.className).toBe('');
    expect(screen.queryByTestId(ids.orchestratorConn)).toBeNull();
  });

  it('name and URL both: the configured URL that answered as the node, dimmed after its name', () => {
    renderNode({ instanceId: 'orch-a', url: 'http://127.0.0.1:7401' });
    expect(screen.getByTestId(ids.orchestratorName)).toHaveTextContent('orch-a');
    expect(screen.getByTestId(ids.orchestratorUrl)).toHaveTextContent(/^url: http:\/\/127\.0\.0\.1:7401$/);
  });

  it('a URL that is the only name is not repeated; no URL known, no url:', () => {
    renderNode({ url: 'http://127.0.0.1:7403', error: 'cannot connect' });
    expect(screen.getByTestId(ids.orchestratorName)).toHaveTextContent('http://127.0.0.1:7403');
    expect(screen.queryByTestId(ids.orchestratorUrl)).toBeNull();
    expect(badge(ids.connection)).toHaveTextContent('unreachable');
    expect(colorOf(ids.connection)).toBe('red');
  });

  it('an unknown host says why', () => {
    renderNode({ instanceId: 'orch-a', missing: { hostname: '/admin/fleet-topology needs the admin token' } });
    expect(screen.getByTestId(ids.orchestratorHost)).toHaveTextContent(
      'host: /admin/fleet-topology needs the admin token'
    );
  });
});

describe('Raft role badge', () => {
  it('leader: blue, explained on hover', async () => {
    const user = userEvent.setup();
    renderNode({ instanceId: 'orch-a', raftRole: 'leader', raftTerm: 7 });
    expect(badge(ids.raftRole)).toHaveTextContent('leader');
    expect(colorOf(ids.raftRole)).toBe('blue');
    await user.hover(badge(ids.raftRole));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(/Raft leader \(term 7\).*dormant mode/);
  });

  it('follower neutral, candidate orange, worker purple', () => {
    const { unmount } = renderNode({ raftRole: 'follower', raftLeaderId: 'orch-a' });
    expect([badge(ids.raftRole).textContent, colorOf(ids.raftRole)]).toEqual(['follower', 'neutral']);
    unmount();
    const c = renderNode({ raftRole: 'candidate' });
    expect([badge(ids.raftRole).textContent, colorOf(ids.raftRole)]).toEqual(['candidate', 'orange']);
    c.unmount();
    renderNode({ role: 'worker' });
    expect([badge(ids.raftRole).textContent, colorOf(ids.raftRole)]).toEqual(['worker', 'purple']);
  });

  it('absent when the role is unknown', () => {
    renderNode({ instanceId: 'orch-a' });
    expect(screen.queryByTestId(ids.raftRole)).toBeNull();
  });
});

describe('running-user badge', () => {
  const bm = scalerPool({ name: 'bm', type: 'bare-metal' });
  const fc = scalerPool({ name: 'fc', type: 'firecracker' });

  it('red: root with a bare-metal scaler', () => {
    renderNode({ runningAsUser: 'root', runningAsUid: 0, scalers: [fc, bm] });
    expect([badge(ids.runningUser).textContent, colorOf(ids.runningUser)]).toEqual(['root (0)', 'red']);
  });

  it('green: root with Firecracker', () => {
    renderNode({ runningAsUser: 'root', runningAsUid: 0, scalers: [fc] });
    expect(colorOf(ids.runningUser)).toBe('green');
  });

  it('neutral: a non-root user', () => {
    renderNode({ runningAsUser: 'kici', runningAsUid: 990, scalers: [bm] });
    expect([badge(ids.runningUser).textContent, colorOf(ids.runningUser)]).toEqual(['kici (990)', 'neutral']);
  });

  it('unknown, with the reason on hover, when only the Platform reports it', async () => {
    const user = userEvent.setup();
    renderNode({ missing: { runningAsUser: PLATFORM_ONLY }, scalers: [bm] });
    expect([badge(ids.runningUser).textContent, colorOf(ids.runningUser)]).toEqual(['user unknown', 'neutral']);
    await user.hover(badge(ids.runningUser));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(`OS user: ${PLATFORM_ONLY}`);
  });
});

describe('connection status', () => {
  it('Platform: connected green / disconnected red; self-hosted: unreachable red with the error', () => {
    const a = renderNode({ connected: true });
    expect([badge(ids.connection).textContent, colorOf(ids.connection)]).toEqual(['connected', 'green']);
    a.unmount();
    const b = renderNode({ connected: false });
    expect([badge(ids.connection).textContent, colorOf(ids.connection)]).toEqual(['disconnected', 'red']);
    b.unmount();
    renderNode({ url: 'http://orch-c:4000', reachable: false, error: 'timeout after 5000 ms' }, '0.9.1', 'self-hosted');
    expect([badge(ids.connection).textContent, colorOf(ids.connection)]).toEqual(['unreachable', 'red']);
    expect(screen.getByTestId(ids.nodeError)).toHaveTextContent('timeout after 5000 ms');
  });
});

describe('version and update available', () => {
  it('older than the latest: version next to latest and an orange "update available" whose popover has the two lines', async () => {
    const user = userEvent.setup();
    renderNode({ instanceId: 'orch-b', version: '0.1.24' });
    expect(screen.getByTestId(ids.version)).toHaveTextContent('0.1.24 (latest 0.9.1)');
    const update = badge(ids.updateBadge);
    expect([update.textContent, colorOf(ids.updateBadge)]).toEqual(['update available', 'orange']);
    expect(screen.queryByTestId(ids.updateCommands)).toBeNull();
    await user.click(update);
    const lines = await screen.findByTestId(ids.updateCommands);
    expect([...lines.querySelectorAll('code')].map((c) => c.textContent)).toEqual([
      'npm install -g @kici-dev/orchestrator@0.9.1',
      'kici-admin orchestrator upgrade --version 0.9.1 --yes',
    ]);
    expect(screen.getByText(/Nothing runs from here/)).toBeInTheDocument();
  });

  it('no badge when current, newer, or the latest is unknown (which says why)', async () => {
    const user = userEvent.setup();
    const a = renderNode({ version: '0.9.1' });
    expect(screen.queryByTestId(ids.updateBadge)).toBeNull();
    a.unmount();
    const b = renderNode({ version: '0.10.0' });
    expect(screen.queryByTestId(ids.updateBadge)).toBeNull();
    b.unmount();
    renderNode({ version: '0.1.24' }, null);
    expect(screen.queryByTestId(ids.updateBadge)).toBeNull();
    expect(screen.getByTestId(ids.version)).toHaveTextContent('0.1.24 (latest unknown)');
    await user.hover(screen.getByText('unknown'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent('no latest-version source is configured');
  });

  it('an unreported version says so', () => {
    renderNode({ missing: { version: '/health did not report a version' } });
    expect(screen.getByTestId(ids.version)).toHaveTextContent('version unknown (latest 0.9.1)');
  });
});

describe('host facts and missing fields', () => {
  it('CPU / memory / uptime when reported', () => {
    renderNode({ cpuCount: 8, totalMemoryMb: 16384, memoryUsedMb: 4096, uptimeSeconds: 3 * 86400 + 7200 });
    const row = screen.getByTestId(ids.orchestrator);
    expect(row).toHaveTextContent('CPU 8 CPUs');
    expect(row).toHaveTextContent('memory 4.0 GB / 16.0 GB');
    expect(row).toHaveTextContent('OS uptime 3d 2h');
    expect(screen.queryByTestId(ids.missing)).toBeNull();
  });

  it('Platform-only fields are shown with their reason, not hidden; the process uptime stands in', () => {
    renderNode({
      processUptimeSeconds: 3600,
      missing: { cpuCount: PLATFORM_ONLY, totalMemoryMb: PLATFORM_ONLY, uptimeSeconds: PLATFORM_ONLY },
    });
    expect(screen.getByTestId(ids.missing)).toHaveTextContent(`CPU, memory, OS uptime: ${PLATFORM_ONLY}`);
    expect(screen.getByTestId(ids.orchestrator)).toHaveTextContent('process uptime 1h 0m');
  });
});

describe('registration details and kici-admin helper', () => {
  it('the info icon shows webhook sources, mode, backends, S3, connected at, Node.js and OS', async () => {
    const user = userEvent.setup();
    renderNode({
      instanceId: 'orch-a',
      routingKeys: ['github:123456', 'generic:org-1:src-9', 'remote:org-1'],
      mode: 'platform',
      scalerBackends: ['firecracker', 'firecracker', 'container'],
      s3LogAccess: true,
      connectedAt: Date.UTC(2026, 10, 24, 6, 0, 0),
      nodeVersion: '22.11.0',
      osRelease: '6.8.0-45-generic',
      osVersion: '#45-Ubuntu SMP',
      deployment: { mode: 'systemd', containerName: null, containerRuntime: null },
      dependencyHealth: [
        { name: 'Database connectivity', status: 'pass', message: 'Connected (2ms latency)' },
        { name: 'Disk space', status: 'warn', message: 'Low disk space: 0.8GB available' },
      ],
    });
    await user.click(screen.getByTestId(ids.registrationInfo));
    const details = await screen.findByTestId(ids.registrationDetails);
    const value = (label: string) => within(details).getByText(label).nextElementSibling?.textContent;
    expect(value('Webhook sources')).toBe(
      'GitHub App 123456; Generic webhook src-9 (org org-1); kici run remote (org org-1)'
    );
    expect(value('Deployment mode')).toBe('platform');
    expect(value('Deployment')).toBe('systemd service');
    expect(value('Scaler backends')).toBe('firecracker, container');
    expect(value('S3 log access')).toBe('yes');
    expect(value('Connected at')).toBe('2026-11-24 06:00:00 UTC');
    expect(value('Node.js')).toBe('22.11.0');
    expect(value('OS')).toBe('6.8.0-45-generic — #45-Ubuntu SMP');
    expect(value('Dependency checks')).toBe('Database connectivity: pass; Disk space: warn');
  });

  it('self-hosted: the Platform-only details carry their reason', async () => {
    const user = userEvent.setup();
    renderNode(
      {
        instanceId: 'orch-a',
        missing: { connectedAt: PLATFORM_ONLY, nodeVersion: PLATFORM_ONLY, osRelease: PLATFORM_ONLY },
      },
      '0.9.1',
      'self-hosted'
    );
    await user.click(screen.getByTestId(ids.registrationInfo));
    const details = await screen.findByTestId(ids.registrationDetails);
    expect(within(details).getByText('Connected at').nextElementSibling).toHaveTextContent(PLATFORM_ONLY);
    expect(within(details).getByText('Node.js').nextElementSibling).toHaveTextContent(PLATFORM_ONLY);
  });

  it('the kici-admin helper shows the commands for the deployment shape', async () => {
    const user = userEvent.setup();
    renderNode({
      instanceId: 'orch-a',
      deployment: { mode: 'compose', containerName: 'kici-orchestrator', containerRuntime: 'docker' },
    });
    await user.click(screen.getByTestId(ids.adminHelper));
    const cmds = await screen.findByTestId(ids.adminCommands);
    expect([...cmds.querySelectorAll('code')].map((c) => c.textContent)).toContain(
      'kici-admin orchestrator status --platform compose'
    );
    expect(cmds).toHaveTextContent('docker logs --since 1h kici-orchestrator');
  });
});

describe('scaler rows', () => {
  const renderPool = (pool: Parameters<typeof scalerPool>[0], host: string | null = 'ci-host-1') =>
    render(<ScalerRow pool={scalerPool(pool)} orchestratorHostname={host} toggle={null} />);

  it('pool type, active/max, labels, and kici:host: of the orchestrator for a Firecracker pool even while idle', () => {
    renderPool({
      name: 'fc-linux',
      type: 'firecracker',
      activeAgents: 0,
      maxAgents: 8,
      labelSets: [
        ['linux', 'kici:agent:firecracker'],
        ['linux', 'vm'],
      ],
      spawnsOnLocalHost: true,
    });
    expect(screen.getByTestId(ids.scaler)).toHaveTextContent('firecracker');
    expect(screen.getByTestId(ids.scalerCapacity)).toHaveTextContent('0/8 agents');
    expect(screen.getAllByTestId(ids.scalerHostBadge).map((b) => b.textContent)).toEqual(['kici:host:ci-host-1']);
    expect(screen.getAllByTestId(ids.label).map((b) => b.textContent)).toEqual([
      'linux',
      'kici:agent:firecracker',
      'vm',
    ]);
  });

  it('bare-metal shows the hosts the source reported; a local-socket container pool too', () => {
    const a = renderPool({ name: 'bm', type: 'bare-metal', spawnsOnLocalHost: true, hosts: ['metal-1'] });
    expect(screen.getAllByTestId(ids.scalerHostBadge).map((b) => b.textContent)).toEqual(['kici:host:metal-1']);
    a.unmount();
    renderPool({ name: 'c', type: 'container', spawnsOnLocalHost: true });
    expect(screen.getByTestId(ids.scalerHostBadge)).toHaveTextContent('kici:host:ci-host-1');
  });

  it('no kici:host: badge for a remote container runtime or Kubernetes', () => {
    const a = renderPool({ name: 'c', type: 'container', spawnsOnLocalHost: false });
    expect(screen.queryByTestId(ids.scalerHostBadge)).toBeNull();
    a.unmount();
    renderPool({ name: 'k', type: 'kubernetes' });
    expect(screen.queryByTestId(ids.scalerHostBadge)).toBeNull();
  });

  it('the safe configuration in a popover, or the reason it is missing', async () => {
    const user = userEvent.setup();
    const a = renderPool({
      name: 'c',
      type: 'container',
      config: { runtime: 'podman', warmPool: { minIdle: 1, maxIdle: 2, enabled: true } },
    });
    await user.click(screen.getByTestId(ids.scalerConfigButton));
    const config = await screen.findByTestId(ids.scalerConfig);
    expect(within(config).getByText('runtime').nextElementSibling).toHaveTextContent('podman');
    expect(within(config).getByText('warmPool').nextElementSibling).toHaveTextContent(
      '{"minIdle":1,"maxIdle":2,"enabled":true}'
    );
    a.unmount();
    renderPool({ name: 'k', type: 'kubernetes', missing: { config: PLATFORM_ONLY } });
    expect(screen.queryByTestId(ids.scalerConfigButton)).toBeNull();
    expect(screen.getByTestId(ids.scaler)).toHaveTextContent(`configuration: ${PLATFORM_ONLY}`);
  });
});

describe('agent rows', () => {
  const renderAgent = (a: Parameters<typeof agentNode>[0], latest: string | null = '0.9.1', agentMissing = {}) =>
    render(<AgentRow agent={agentNode(a)} latestVersion={latest} agentMissing={agentMissing} />);

  it('memory badge coloured by usage: green, orange from 75 %, red from 90 %', () => {
    const a = renderAgent({ agentId: 'a', memoryUsedMb: 4096, memoryAvailableMb: 4096 });
    expect([badge(ids.agentMemory).textContent, colorOf(ids.agentMemory)]).toEqual(['4.0 GB / 8.0 GB (50%)', 'green']);
    a.unmount();
    const b = renderAgent({ agentId: 'a', memoryUsedMb: 750, memoryAvailableMb: 250 });
    expect([badge(ids.agentMemory).textContent, colorOf(ids.agentMemory)]).toEqual([
      '750 MB / 1000 MB (75%)',
      'orange',
    ]);
    b.unmount();
    renderAgent({ agentId: 'a', memoryUsedMb: 950, totalMemoryMb: 1000 });
    expect(colorOf(ids.agentMemory)).toBe('red');
  });

  it('no memory badge when not reported: a dash with the reason', () => {
    const a = renderAgent({ agentId: 'a' }, '0.9.1', { memoryUsedMb: PLATFORM_ONLY });
    expect(screen.queryByTestId(ids.agentMemory)).toBeNull();
    expect(screen.getAllByLabelText(PLATFORM_ONLY).length).toBeGreaterThan(0);
    a.unmount();
    renderAgent({ agentId: 'idle' });
    expect(screen.getByLabelText('not reported yet: agents report memory when a job ends')).toHaveTextContent('—');
  });

  it('id, platform, host (else the kici:host: label), status and uptime', () => {
    renderAgent({
      agentId: 'build-01-1a2b3c4d',
      platform: 'linux',
      arch: 'x64',
      labels: ['kici:host:build-01'],
      uptimeSeconds: 5400,
      status: 'ready',
    });
    const row = screen.getByTestId(ids.agent);
    expect(row).toHaveAttribute('data-agent-id', 'build-01-1a2b3c4d');
    expect(row).toHaveTextContent('linux/x64');
    expect(row).toHaveTextContent('host build-01');
    expect(row).toHaveTextContent('uptime 1h 30m');
    expect([badge(ids.agentStatus).textContent, colorOf(ids.agentStatus)]).toEqual(['ready', 'green']);
  });

  it('a stateful agent behind the latest gets "update available" with the agent package lines', async () => {
    const user = userEvent.setup();
    renderAgent({ agentId: 'build-01', version: '0.1.24' });
    await user.click(badge(ids.updateBadge));
    const lines = await screen.findByTestId(ids.updateCommands);
    expect([...lines.querySelectorAll('code')].map((c) => c.textContent)).toEqual([
      'npm install -g @kici-dev/agent@0.9.1',
      'kici-admin agent upgrade --version 0.9.1 --yes',
    ]);
  });

  it('ephemeral (scaler-spawned) agents get no update badge; unknown versions neither', () => {
    const a = renderAgent({ agentId: 'fc-1', version: '0.1.24', ephemeral: true, scalerName: 'fc' });
    expect(screen.queryByTestId(ids.updateBadge)).toBeNull();
    a.unmount();
    renderAgent({ agentId: 'x', version: null }, '0.9.1', { version: 'set agentHealthPort' });
    expect(screen.queryByTestId(ids.updateBadge)).toBeNull();
    expect(screen.getByLabelText('set agentHealthPort')).toBeInTheDocument();
  });

  it('labels: user labels first, then the auto-generated kici: ones, marked', () => {
    renderAgent({ agentId: 'a', labels: ['kici:os:linux', 'gpu', 'kici:host:build-01', 'linux'] });
    const labels = screen.getAllByTestId(ids.label);
    expect(labels.map((l) => [l.textContent, l.getAttribute('data-auto')])).toEqual([
      ['gpu', 'false'],
      ['linux', 'false'],
      ['kici:os:linux', 'true'],
      ['kici:host:build-01', 'true'],
    ]);
  });
});

describe('label badges copy their value', () => {
  it('a click copies the label and announces it', async () => {
    const user = userEvent.setup();
    const events = new EventBusSrv();
    const alerts: unknown[] = [];
    events.getStream({ type: AppEvents.alertSuccess.name } as never).subscribe((e) => alerts.push(e.payload));
    setAppEvents(events);
    render(<LabelBadge label="kici:host:build-01" />);
    await user.click(screen.getByRole('button', { name: 'Copy label kici:host:build-01' }));
    expect(await navigator.clipboard.readText()).toBe('kici:host:build-01');
    expect(alerts).toEqual([['Copied kici:host:build-01']]);
  });
});

describe('header node count', () => {
  it('counts every node and explains billing on hover', async () => {
    const user = userEvent.setup();
    const b = nodeCountBadge([
      orchestratorNode({ instanceId: 'orch-a' }),
      orchestratorNode({ instanceId: 'orch-b' }),
      orchestratorNode({ url: 'http://orch-c:4000' }),
    ]);
    render(<RuleBadge badge={b} testId={ids.nodeCount} />);
    expect([badge(ids.nodeCount).textContent, colorOf(ids.nodeCount)]).toEqual(['3 nodes', 'neutral']);
    await user.hover(badge(ids.nodeCount));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(NODE_COUNT_EXPLANATION);
  });
});
