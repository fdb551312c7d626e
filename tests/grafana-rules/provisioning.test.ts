// Grafana's provisioning readers as tests: our real provisioning files pass them, and each rule rejects a bad
// example. The rules and the Grafana files they come from: ./grafana.ts (RULES, SOURCES).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

import {
  APP_JSON_DATA_KEYS,
  DATASOURCE_JSON_DATA_KEYS,
  DATASOURCE_SECURE_JSON_DATA_KEYS,
} from '../../src/datasource/query';
import { panelIdsByDashboard } from './dashboards';
import { failures, RULES, type Finding, type Json, type RuleId } from './grafana';
import { checkProvisioning, readProvisioning, type ProvisioningFile, type RepoContext } from './provisioning';

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const pluginJson = JSON.parse(read('plugin.json')) as Json & { includes: Json[] };
const compose = parse(read('docker-compose.yaml')) as {
  services: { grafana: { environment: Record<string, string> } };
};
const dashboardFiles = (pluginJson.includes as Array<{ type: string; path: string }>)
  .filter((i) => i.type === 'dashboard')
  .map((i) => i.path.replace(/^dashboards\//, 'src/dashboards/'));
const dashboards = dashboardFiles.map((f) => JSON.parse(read(f)) as Json);

const repo: RepoContext = {
  appId: String(pluginJson.id),
  datasourceId: String((JSON.parse(read('src/datasource/plugin.json')) as Json).id),
  env: new Set(Object.keys(compose.services.grafana.environment)),
  dashboardPanels: panelIdsByDashboard(dashboards),
};
const files = readProvisioning(ROOT);

const show = (fs: Finding[]) => fs.map((f) => `${f.rule} (${f.severity}) ${f.where}: ${f.message}`);

describe('our provisioning files, as Grafana reads them', () => {
  it('reads every provisioning file Grafana would read, and only the kinds it knows', () => {
    expect(files.map((f) => f.path)).toEqual([
      'provisioning/alerting/kici.yaml',
      'provisioning/datasources/kici.yaml',
      'provisioning/datasources/loki.yaml',
      'provisioning/datasources/prometheus.yaml',
      'provisioning/plugins/app.yaml',
    ]);
    const folders = readdirSync(join(ROOT, 'provisioning'), { withFileTypes: true }).filter((d) => d.isDirectory());
    expect(folders.map((d) => d.name).sort()).toEqual(['alerting', 'datasources', 'plugins']);
  });

  const findings = checkProvisioning(files, repo);

  it('has nothing Grafana refuses at startup or accepts but cannot use', () => {
    expect(show(failures(findings))).toEqual([]);
  });

  it('has nothing Grafana only logs either (reported here, asserted separately)', () => {
    const logged = findings.filter((f) => f.severity === 'logged');
    if (logged.length > 0) {
      console.warn(show(logged).join('\n'));
    }
    expect(show(logged)).toEqual([]);
  });

  it('links every alert rule to the panel that shows what it counts, and that panel exists', () => {
    const alerting = parse(read('provisioning/alerting/kici.yaml')) as { groups: Array<{ rules: Json[] }> };
    const titles = new Map(
      dashboards.flatMap((d) =>
        (d.panels as Json[])
          .flatMap((p) => [p, ...((p.panels as Json[]) ?? [])])
          .map((p) => [`${d.uid}/${p.id}`, p.title])
      )
    );
    const links = alerting.groups.flatMap((g) =>
      g.rules.map((r) => {
        const a = r.annotations as Record<string, string>;
        return `${r.uid} -> ${a.__dashboardUid__} / ${titles.get(`${a.__dashboardUid__}/${a.__panelId__}`)}`;
      })
    );
    expect(links).toEqual([
      'kici-dlq-backlog -> kici-ops-event-delivery / DLQ depth (database)',
      'kici-dlq-admissions -> kici-ops-event-delivery / DLQ admissions by event',
      'kici-lease-expirations -> kici-ops-event-delivery / Lease expirations',
      'kici-orchestrator-down -> kici-ops-orchestrator / Scrape up',
      'kici-retry-backlog-stuck -> kici-ops-event-delivery / Dispatch outcomes',
      'kici-scheduled-job-stale -> kici-ops-orchestrator / Time since last success',
      'kici-dispatch-backlog -> kici-ops-orchestrator / Dispatch queue',
      'kici-dlq-new-signature -> kici-ops-event-delivery / DLQ error signatures',
    ]);
  });

  it('lists only settings the plugin really reads (each key is used outside the contract file)', () => {
    const sources = [
      ...readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
        .filter((p) => /\.tsx?$/.test(p) && !p.endsWith('.test.ts') && !p.endsWith('.test.tsx'))
        .filter((p) => p !== join('datasource', 'query.ts'))
        .map((p) => readFileSync(join(ROOT, 'src', p), 'utf8')),
    ].join('\n');
    const unread = [...DATASOURCE_JSON_DATA_KEYS, ...DATASOURCE_SECURE_JSON_DATA_KEYS, ...APP_JSON_DATA_KEYS].filter(
      (key) => !new RegExp(`\\b${key}\\b`).test(sources)
    );
    expect(unread).toEqual([]);
  });
});

// deploy/helm/values.yaml carries provisioning a user copies: the chart writes `datasources.<file>` into
// provisioning/datasources and the values mount the app's file into provisioning/plugins. Grafana reads them as it reads
// ours; the environment is what the values' `kubectl create secret` line puts into the secret (`envFromSecret`).
describe('the Helm values example, as Grafana reads its provisioning', () => {
  const values = parse(read('deploy/helm/values.yaml')) as Json & {
    datasources: Record<string, unknown>;
    extraObjects: Array<{ data: Record<string, string> }>;
  };
  const secretKeys = [...read('deploy/helm/values.yaml').matchAll(/--from-literal=([A-Z_]+)=/g)].map((m) => m[1]);
  const helmFiles: ProvisioningFile[] = [
    ...Object.entries(values.datasources).map(([name, doc]) => ({
      path: `helm:datasources/${name}`,
      kind: 'datasources' as const,
      doc,
    })),
    ...values.extraObjects.flatMap((o) =>
      Object.entries(o.data).map(([name, yaml]) => ({
        path: `helm:plugins/${name}`,
        kind: 'plugins' as const,
        doc: parse(yaml),
      }))
    ),
  ];

  it('provisions the KiCI datasource and the app, with nothing Grafana refuses, cannot use or only logs', () => {
    expect(helmFiles.map((f) => f.path)).toEqual(['helm:datasources/kici.yaml', 'helm:plugins/kici-app.yaml']);
    expect(secretKeys).toEqual(['KICI_PG_PASSWORD', 'KICI_ADMIN_TOKEN']);
    expect(show(checkProvisioning(helmFiles, { ...repo, env: new Set(secretKeys) }))).toEqual([]);
  });

  it('is refused when it names a secret the documented secret does not hold', () => {
    const env = new Set(secretKeys.filter((k) => k !== 'KICI_ADMIN_TOKEN'));
    expect(show(failures(checkProvisioning(helmFiles, { ...repo, env }))).join('\n')).toContain('KICI_ADMIN_TOKEN');
  });
});

// Each case breaks our real files in one place; the rule must name it. Together they cover every rule in RULES that
// applies to provisioning files (the dashboard rules have their cases in dashboards.test.ts).
type Docs = Record<string, any>;
type Case = [RuleId, string, (d: Docs) => void];

const ALERT = 'provisioning/alerting/kici.yaml';
const KICI_DS = 'provisioning/datasources/kici.yaml';
const PROM_DS = 'provisioning/datasources/prometheus.yaml';
const APP = 'provisioning/plugins/app.yaml';
const PROVIDERS = 'provisioning/dashboards/kici.yaml';

const group = (d: Docs) => d[ALERT].groups[0];
const rule = (d: Docs, i = 0) => group(d).rules[i];
const ds = (d: Docs, path = KICI_DS) => d[path].datasources[0];
const app = (d: Docs) => d[APP].apps[0];
const provider = (d: Docs) => d[PROVIDERS].providers[0];
const threshold = (d: Docs) => rule(d).data[2].model;

const CASES: Case[] = [
  ['alert.group.name', 'blank group name', (d) => (group(d).name = ' ')],
  ['alert.group.folder', 'no folder', (d) => delete group(d).folder],
  ['alert.group.interval', 'interval "1 minute"', (d) => (group(d).interval = '1 minute')],
  ['alert.group.interval', 'no interval', (d) => delete group(d).interval],
  ['alert.group.intervalMultiple', 'interval 45s', (d) => (group(d).interval = '45s')],
  ['alert.group.org', 'orgId 2', (d) => (group(d).orgId = 2)],
  ['alert.group.nameLength', 'group name of 191 characters', (d) => (group(d).name = 'g'.repeat(191))],
  ['alert.rule.title', 'no title', (d) => delete rule(d).title],
  ['alert.rule.uid', 'uid with a dot', (d) => (rule(d).uid = 'kici.dlq')],
  ['alert.rule.uid', 'uid of 41 characters', (d) => (rule(d).uid = 'k'.repeat(41))],
  ['alert.rule.uidUnique', 'two rules, one uid', (d) => (rule(d, 1).uid = rule(d, 0).uid)],
  ['alert.rule.for', 'for "15 minutes"', (d) => (rule(d).for = '15 minutes')],
  ['alert.rule.noDataState', 'noDataState Foo', (d) => (rule(d).noDataState = 'Foo')],
  ['alert.rule.execErrState', 'execErrState NoData', (d) => (rule(d).execErrState = 'NoData')],
  ['alert.rule.stateNotAtFloor', 'noDataState KeepLast', (d) => (rule(d).noDataState = 'KeepLast')],
  ['alert.rule.dashboardPanelPair', 'no __panelId__', (d) => delete rule(d).annotations.__panelId__],
  ['alert.rule.dashboardPanelPair', '__panelId__ "two"', (d) => (rule(d).annotations.__panelId__ = 'two')],
  ['alert.rule.panelExists', 'panel 99', (d) => (rule(d).annotations.__panelId__ = '99')],
  ['alert.rule.panelExists', 'unknown dashboard', (d) => (rule(d).annotations.__dashboardUid__ = 'nope')],
  ['alert.rule.data', 'no data', (d) => (rule(d).data = [])],
  ['alert.rule.condition', 'no condition', (d) => delete rule(d).condition],
  ['alert.rule.conditionRef', 'condition D of A, B, C', (d) => (rule(d).condition = 'D')],
  ['alert.rule.reservedLabel', 'label __grafana_receiver__', (d) => (rule(d).labels.__grafana_receiver__ = 'x')],
  ['alert.rule.isPaused', 'isPaused "no"', (d) => (rule(d).isPaused = 'no')],
  ['alert.rule.interpolated', 'label team: $TEAM', (d) => (rule(d).labels.team = '$TEAM')],
  ['alert.rule.annotationBraces', 'summary with ${HOST}', (d) => (rule(d).annotations.summary = 'on ${HOST}')],
  ['alert.query.refId', 'two queries refId A', (d) => (rule(d).data[1].refId = 'A')],
  ['alert.query.relativeTimeRange', 'from "10m"', (d) => (rule(d).data[0].relativeTimeRange.from = '10m')],
  ['alert.query.relativeTimeRange', 'from 0 to 0 on a query', (d) => (rule(d).data[0].relativeTimeRange.from = 0)],
  ['alert.query.datasource', 'datasource uid "kici-prod"', (d) => (rule(d).data[0].datasourceUid = 'kici-prod')],
  ['alert.expr.type', 'expression type "sql"', (d) => (rule(d).data[1].model.type = 'sql')],
  ['alert.expr.reduce', 'reducer "avg"', (d) => (rule(d).data[1].model.reducer = 'avg')],
  ['alert.expr.reduce', 'reduce of Z', (d) => (rule(d).data[1].model.expression = 'Z')],
  ['alert.expr.reduce', 'mode dropNaN', (d) => (rule(d).data[1].model.settings.mode = 'dropNaN')],
  ['alert.expr.threshold', 'threshold "gte"', (d) => (threshold(d).conditions[0].evaluator.type = 'gte')],
  [
    'alert.expr.threshold',
    'within_range with one param',
    (d) => (threshold(d).conditions[0].evaluator.type = 'within_range'),
  ],
  ['alert.expr.threshold', 'two conditions', (d) => threshold(d).conditions.push(threshold(d).conditions[0])],
  ['alert.expr.math', 'math on $F', (d) => (rule(d, 4).data[4].model.expression = '$C > 0 && $F == 0')],
  [
    'alert.expr.classic',
    'classic condition on refId Q',
    (d) => {
      threshold(d).type = 'classic_conditions';
      threshold(d).conditions[0].query = { params: ['Q'] };
    },
  ],
  ['ds.org', 'orgId 3', (d) => (ds(d).orgId = 3)],
  ['ds.default', 'two defaults in org 1', (d) => (ds(d).isDefault = true)],
  ['ds.access', 'access "server"', (d) => (ds(d).access = 'server')],
  ['ds.apiVersion', 'no apiVersion', (d) => delete d[PROM_DS].apiVersion],
  ['ds.name', 'two datasources named Prometheus', (d) => (ds(d).name = 'Prometheus')],
  ['ds.uid', 'uid "kici ds"', (d) => (ds(d).uid = 'kici ds')],
  ['ds.uid', 'two datasources with uid prometheus', (d) => (ds(d).uid = 'prometheus')],
  ['ds.type', 'no type', (d) => delete ds(d, PROM_DS).type],
  ['ds.pluginKeys', 'jsonData.pgHostname', (d) => (ds(d).jsonData.pgHostname = 'db')],
  ['ds.pluginKeys', 'password in jsonData', (d) => (ds(d).jsonData.pgPassword = 'secret')],
  ['ds.pluginKeys', 'secureJsonData.token', (d) => (ds(d).secureJsonData.token = 'x')],
  ['provisioning.env', '$KICI_PG_PORT not in the environment', (d) => (ds(d).jsonData.pgPort = '$KICI_PG_PORT')],
  ['app.type', 'no type', (d) => delete app(d).type],
  ['app.installed', 'type kici-app', (d) => (app(d).type = 'kici-app')],
  ['app.org', 'org_id 2', (d) => (app(d).org_id = 2)],
  ['app.keys', 'enabled: true', (d) => (app(d).enabled = true)],
  ['app.pluginKeys', 'jsonData.tempoDatasourceUid', (d) => (app(d).jsonData.tempoDatasourceUid = 'tempo')],
  [
    'app.datasourceRefs',
    'lokiDatasourceUid names Prometheus',
    (d) => (app(d).jsonData.lokiDatasourceUid = 'prometheus'),
  ],
  ['dash.apiVersion', 'providers without apiVersion', (d) => delete d[PROVIDERS].apiVersion],
  ['dash.org', 'orgId 2', (d) => (provider(d).orgId = 2)],
  ['dash.type', 'type "git"', (d) => (provider(d).type = 'git')],
  ['dash.path', 'no options.path', (d) => (provider(d).options = {})],
  [
    'dash.foldersFromFilesStructure',
    'folder, folderUid and foldersFromFilesStructure',
    (d) => Object.assign(provider(d), { folder: 'KiCI', options: { path: '/x', foldersFromFilesStructure: true } }),
  ],
  ['dash.generalFolder', 'folderUid general', (d) => (provider(d).folderUid = 'general')],
  ['dash.folderUid', 'one folderUid, two providers', (d) => d[PROVIDERS].providers.push({ ...provider(d), name: 'b' })],
  ['dash.name', 'two providers named kici', (d) => d[PROVIDERS].providers.push({ ...provider(d), folderUid: 'x' })],
  [
    'dash.appIncludes',
    "a provider over the app's dashboards",
    (d) => (provider(d).options.path = '/var/lib/grafana/plugins/kici-ops-app/dashboards'),
  ],
];

/** Our files, plus a well-formed dashboards provider (we ship none) so its rules have something to break. */
function docs(): Docs {
  const d: Docs = Object.fromEntries(files.map((f) => [f.path, structuredClone(f.doc)]));
  d[PROVIDERS] = {
    apiVersion: 1,
    providers: [{ name: 'kici', folderUid: 'kici', type: 'file', options: { path: '/etc/dashboards/kici' } }],
  };
  return d;
}

function asFiles(d: Docs): ProvisioningFile[] {
  return Object.entries(d).map(([path, doc]) => ({ path, kind: path.split('/')[1] as ProvisioningFile['kind'], doc }));
}

describe('each rule rejects a bad example', () => {
  it('the unbroken examples pass', () => {
    expect(show(checkProvisioning(asFiles(docs()), repo))).toEqual([]);
  });

  it.each(CASES)('%s: %s', (ruleId, _name, breakIt) => {
    const d = docs();
    breakIt(d);
    const found = checkProvisioning(asFiles(d), repo);
    expect(found.map((f) => f.rule)).toContain(ruleId);
    const f = found.find((x) => x.rule === ruleId)!;
    expect(f.severity).toBe(RULES[ruleId].severity);
  });

  it('every provisioning rule has a case', () => {
    const covered = new Set(CASES.map(([id]) => id));
    const provisioningRules = (Object.keys(RULES) as RuleId[]).filter((id) => !id.startsWith('board.'));
    expect(provisioningRules.filter((id) => !covered.has(id))).toEqual([]);
  });
});
