// Infrastructure tree on cluster-3 (the Platform is the source): the two coordinators the Platform knows, orch-a
// the Raft leader (blue), orch-b a follower, both connected (green); orch-c has no Platform connection.
import { expect, test } from './fixtures';
import { InfrastructurePage } from './pages/InfrastructurePage';

test('the tree shows the badges of the cluster-3 scenario', async ({ page, scenario }) => {
  const sim = await scenario('cluster-3');
  expect(sim.platformUrl).not.toBeNull();
  const infra = new InfrastructurePage(page);
  await infra.goto();
  const nodes = (await infra.orchestrators()).sort((a, b) => a.name.localeCompare(b.name));
  expect(nodes).toEqual([
    { name: 'orch-a', raftRole: 'leader', raftColor: 'blue', connection: 'connected', connectionColor: 'green' },
    { name: 'orch-b', raftRole: 'follower', raftColor: 'neutral', connection: 'connected', connectionColor: 'green' },
  ]);
  expect(nodes.map((n) => n.name)).not.toContain('orch-c');
});
