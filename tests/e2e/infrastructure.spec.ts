// Infrastructure tree on cluster-3. Through the Platform (`kici`): the two coordinators it knows, orch-a the Raft
// leader (blue), orch-b a follower, both connected (green); scaler pools with the `kici:host:` badge where the backend
// spawns agents on the orchestrator's own host; stateful agents apart; a label copies on click. As a self-hosted
// install sees the same cluster (`kici-self-hosted`: database + orchestrator URLs): orch-c too, down, with its error.
import { cluster3, CLUSTER_3_KNOWN } from '../../dev/kici-sim/scenarios/cluster-3';
import { testIds } from '../../src/components/testIds';
import { expect, test } from './fixtures';
import { InfrastructurePage } from './pages/InfrastructurePage';

const spec = cluster3().spec;
const statefulOf = (instanceId: string) =>
  spec.agents.filter((a) => a.scalerName === null && a.connectedInstanceId === instanceId).map((a) => a.agentId);

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test('through the Platform the tree shows the badges of the cluster-3 scenario', async ({ page, scenario }) => {
  const sim = await scenario('cluster-3');
  expect(sim.platformUrl).not.toBeNull();
  const infra = new InfrastructurePage(page);
  await infra.goto();
  await expect(infra.source()).toContainText('KiCI Platform');

  // The Platform lists the two coordinators it knows; orch-c, configured (orchestratorUrls) but down, is a node too:
  // unreachable with its reason, as the Overview's health matrix counts it (issue 17 item 7).
  const url = (id: string) => sim.nodes.find((n) => n.instanceId === id)!.url;
  const down = sim.nodes.find((n) => n.fault === 'down')!;
  const nodes = await infra.orchestrators();
  expect(nodes.map(({ error: _e, ...n }) => n)).toEqual([
    {
      name: CLUSTER_3_KNOWN.leader,
      url: url(CLUSTER_3_KNOWN.leader),
      raftRole: 'leader',
      raftColor: 'blue',
      connection: 'connected',
      connectionColor: 'green',
    },
    {
      name: 'orch-b',
      url: url('orch-b'),
      raftRole: 'follower',
      raftColor: 'neutral',
      connection: 'connected',
      connectionColor: 'green',
    },
    {
      // Its role is what its peers and the database last saw (neutral, not a pass); its connection is unknown.
      name: down.instanceId,
      url: down.url,
      raftRole: 'follower',
      raftColor: 'neutral',
      connection: 'unreachable',
      connectionColor: 'red',
    },
  ]);
  expect(nodes.slice(0, 2).map((n) => n.error)).toEqual([null, null]);
  expect(nodes[2].error).toContain(`${down.url} GET /cluster/health: cannot connect`);
  await expect(page.getByTestId(testIds.infrastructure.nodeCount)).toHaveText('3 nodes');

  // fc-linux (firecracker) spawns VMs on orch-a's own host; container-linux-x64 talks to a remote Docker host.
  const leaderHost = await infra.hostOf('orch-a');
  expect(leaderHost).not.toBe('');
  expect(await infra.scalerHostBadges('fc-linux')).toEqual([`kici:host:${leaderHost}`]);
  expect(await infra.scalerHostBadges('container-linux-x64')).toEqual([]);

  // Stateful agents (no scaler) are their own section under their orchestrator. How many still count as connected
  // depends on the time since seeding (the sim is not live): whatever the section lists must be orch-a's stateful ones.
  const stateful = infra
    .orchestrator('orch-a')
    .getByTestId(testIds.infrastructure.agentGroup)
    .and(page.locator('[data-group="stateful"]'));
  await expect(stateful).toContainText(/Stateful agents \(\d+\)/);
  const listed = Number(/\((\d+)\)/.exec((await stateful.textContent()) ?? '')![1]);
  expect(listed).toBeLessThanOrEqual(statefulOf('orch-a').length);
  if (listed > 0) {
    await stateful.click();
    const agents = infra.orchestrator('orch-a').getByTestId(testIds.infrastructure.agent);
    await expect(agents).toHaveCount(listed);
    const ids = await agents.evaluateAll((els) => els.map((e) => e.getAttribute('data-agent-id') ?? ''));
    ids.forEach((id) => expect(statefulOf('orch-a')).toContain(id));
  }

  // A label badge copies its value.
  const badge = infra.scaler('fc-linux').getByTestId(testIds.infrastructure.scalerHostBadge);
  await badge.click();
  await expect(infra.toast(`Copied kici:host:${leaderHost}`)).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`kici:host:${leaderHost}`);
});

test('as a self-hosted install sees it, the down coordinator is listed with its error', async ({ page, scenario }) => {
  const sim = await scenario('cluster-3');
  const down = sim.nodes.find((n) => n.fault === 'down')!;
  expect(down.instanceId).toBe('orch-c');
  const infra = new InfrastructurePage(page);
  await infra.goto({ ds: 'kici-self-hosted' });
  await expect(infra.source()).toContainText('self-hosted');

  const nodes = await infra.orchestrators();
  expect(nodes.map((n) => n.name)).toEqual(['orch-a', 'orch-b', 'orch-c']);
  expect(nodes[0]).toMatchObject({ raftRole: 'leader', raftColor: 'blue', connectionColor: 'green', error: null });
  expect(nodes[2]).toMatchObject({ connection: 'unreachable', connectionColor: 'red' });
  expect(nodes[2].error).toContain(`${down.url} GET /cluster/health: cannot connect`);
  // Its scaler pool is still listed (from the database), under the node that cannot be asked.
  await expect(infra.scaler('bare-metal-arm')).toBeVisible();
});
