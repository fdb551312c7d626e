// Datasource instances through the compiled executable: two orgs may each have a datasource with the same uid
// saved in the same second. Grafana's Go SDK keys instances by the numeric datasource id (assigned globally) and
// the tenant, and replaces one only when its `Updated` changes (grafana-plugin-sdk-go v0.296.3,
// backend/datasource/instance_provider.go instanceKey/NeedsUpdate, backend/instancemgmt/instance_manager.go Get).
// Needs `npm run build:backend -- --host-only`.
import { startSim, type Sim } from '../../dev/kici-sim/sim';
import { DLQ_BACKLOG_KNOWN } from '../../dev/kici-sim/scenarios/dlq-backlog';
import { startPlugin, type DatasourceSettingsInput, type PluginProcess } from '../../dev/testing/plugin-process';
import { createTestDatabase, type TestDatabase } from '../../dev/testing/postgres';

jest.setTimeout(90_000);

let plugin: PluginProcess;
const dbs: TestDatabase[] = [];
const sims: Sim[] = [];

beforeAll(async () => {
  dbs.push(await createTestDatabase('org1_kici'), await createTestDatabase('org2_kici'));
  sims.push(await startSim({ scenario: 'dlq-backlog', layout: '0.9', pgUrl: dbs[0].url }));
  sims.push(await startSim({ scenario: 'healthy-single', layout: '0.9', pgUrl: dbs[1].url }));
  plugin = await startPlugin();
});
afterAll(async () => {
  await plugin?.stop();
  for (const s of sims) {
    await s.stop();
  }
  for (const d of dbs) {
    await d.drop();
  }
});

/** The datasource `kici` of one org: its own database, its own orchestrators, its own token. */
function orgDatasource(org: 1 | 2, lastUpdatedMS: number, adminToken: string): DatasourceSettingsInput {
  const u = new URL(dbs[org - 1].url);
  return {
    orgId: org,
    id: org === 1 ? 7 : 19,
    uid: 'kici',
    lastUpdatedMS,
    jsonData: {
      pgHost: u.hostname,
      pgPort: Number(u.port),
      pgDatabase: u.pathname.slice(1),
      pgUser: u.username,
      orchestratorUrls: sims[org - 1].nodes.map((n) => n.url),
    },
    secureJsonData: { pgPassword: decodeURIComponent(u.password), adminToken },
  };
}

async function depth(settings: DatasourceSettingsInput): Promise<number> {
  const out = await plugin.queryData(settings, [{ refId: 'A', queryType: 'dlqDepth' }]);
  expect(out.A.error).toBeUndefined();
  return Number(out.A.frames[0].fields[0].values[0]);
}

const replacements = () =>
  plugin.stderrLines().filter((l) => l['@message'] === 'Datasource settings changed: replacing its instance').length;

it('two orgs with the same uid saved in the same second each read their own database with their own token', async () => {
  const savedAt = 1_764_000_000_000; // Grafana stores `updated` to the second: both saves land on it
  const org1 = orgDatasource(1, savedAt, sims[0].tokens.auditor);
  const org2 = orgDatasource(2, savedAt, 'org-2-token-that-kici-rejects');
  const org2Depth = await depth(org2); // org 2 first: a shared instance would answer org 1 from it
  expect(await depth(org1)).toBe(DLQ_BACKLOG_KNOWN.dlqDepth);
  expect(org2Depth).not.toBe(DLQ_BACKLOG_KNOWN.dlqDepth);
  expect(await depth(org2)).toBe(org2Depth);

  const h1 = await plugin.checkHealth(org1);
  const h2 = await plugin.checkHealth(org2);
  expect(h1.message).toContain(sims[0].nodes[0].url);
  expect(h1.message).toContain('role auditor');
  expect(h2.message).toContain(sims[1].nodes[0].url);
  expect(h2.message).not.toContain(sims[0].nodes[0].url);
  expect(h2.message).not.toContain('role auditor');
});

it('alternating calls from two orgs with the same uid and different update times do not evict each other', async () => {
  const org1 = orgDatasource(1, 1_764_000_100_000, sims[0].tokens.auditor);
  const org2 = orgDatasource(2, 1_764_000_101_000, sims[1].tokens.auditor);
  expect(await depth(org1)).toBe(DLQ_BACKLOG_KNOWN.dlqDepth);
  const org2Depth = await depth(org2);
  const before = replacements();
  for (let i = 0; i < 3; i++) {
    expect(await depth(org1)).toBe(DLQ_BACKLOG_KNOWN.dlqDepth);
    expect(await depth(org2)).toBe(org2Depth);
  }
  expect(replacements()).toBe(before);
  expect(await plugin.collectMetrics()).toMatch(/^plugin_active_instances 2$/m);
});
