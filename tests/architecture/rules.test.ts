import { findCycle, importsOf, layerViolations, type ImportGraph } from './imports';

const graphOf = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

it('resolves relative specifiers to repository files and leaves packages out', () => {
  const known = new Set(['src/pages/dlq/api.ts', 'src/datasource/query.ts', 'src/components/testIds.ts']);
  expect(
    importsOf(
      'src/pages/dlq/api.ts',
      ['../../datasource/query', '../../components/testIds.ts', '@grafana/ui', './x.css'],
      known
    )
  ).toEqual(['src/datasource/query.ts', 'src/components/testIds.ts']);
});

it('finds a cycle and names the files around it', () => {
  const graph = graphOf({ 'a.ts': ['b.ts'], 'b.ts': ['c.ts'], 'c.ts': ['a.ts'], 'd.ts': ['a.ts'] });
  expect(findCycle(graph)).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts']);
  expect(findCycle(graphOf({ 'a.ts': ['b.ts'], 'b.ts': [], 'c.ts': ['a.ts', 'b.ts'] }))).toBeNull();
});

it('names each broken layer rule, and lets tests reach across', () => {
  const graph = graphOf({
    'src/backend/protocol/server.ts': ['src/backend/features/registry.ts'],
    'src/backend/kici/db.ts': ['src/backend/features/types.ts', 'src/backend/protocol/types.ts'],
    'src/backend/features/dlq/index.ts': ['src/datasource/query.ts', 'src/components/testIds.ts'],
    'src/pages/overview/overviewPage.ts': ['src/backend/features/health/frame.ts', 'src/pages/traces/links.ts'],
    'src/components/infrastructure/AgentRow.tsx': ['src/pages/infrastructure/tree.ts'],
    'src/datasource/datasource.ts': ['dev/kici-sim/sim.ts'],
    'src/pages/overview/overviewPage.test.tsx': ['src/backend/features/health/frame.ts', 'dev/kici-sim/sim.ts'],
  });
  expect(layerViolations(graph)).toEqual([
    'src/backend/protocol/server.ts -> src/backend/features/registry.ts: the protocol layer knows nothing of KiCI',
    'src/backend/kici/db.ts -> src/backend/features/types.ts: KiCI data access does not know the features',
    'src/backend/features/dlq/index.ts -> src/components/testIds.ts: the backend shares only the contract with the frontend',
    'src/pages/overview/overviewPage.ts -> src/backend/features/health/frame.ts: the frontend never imports the backend',
    'src/pages/overview/overviewPage.ts -> src/pages/traces/links.ts: a page does not import another page',
    'src/components/infrastructure/AgentRow.tsx -> src/pages/infrastructure/tree.ts: components do not import pages or the app root',
    'src/datasource/datasource.ts -> dev/kici-sim/sim.ts: the plugin never depends on kici-sim, tests or benchmarks',
  ]);
});
