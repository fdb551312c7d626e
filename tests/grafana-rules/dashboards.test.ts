// The bundled dashboards as Grafana 11.6.0 (the floor) loads them and as Grafana's plugin dashboard updater imports
// them. Rules and sources: ./grafana.ts (RULES board.*).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { checkDashboard, FLOOR_PANEL_TYPES, FLOOR_SCHEMA_VERSION } from './dashboards';
import { RULES, type Finding, type Json, type RuleId } from './grafana';

const ROOT = join(__dirname, '..', '..');
const pluginJson = JSON.parse(readFileSync(join(ROOT, 'plugin.json'), 'utf8')) as { includes: Json[] };
const included = pluginJson.includes.filter((i) => i.type === 'dashboard').map((i) => String(i.path));
const generated = readdirSync(join(ROOT, 'src', 'dashboards')).filter((f) => f.endsWith('.json'));
const load = (file: string) => JSON.parse(readFileSync(join(ROOT, 'src', 'dashboards', file), 'utf8')) as Json;
const show = (fs: Finding[]) => fs.map((f) => `${f.rule} ${f.where}: ${f.message}`);

it('the app includes every generated dashboard, and nothing else', () => {
  expect(included.sort()).toEqual(generated.map((f) => `dashboards/${f}`).sort());
});

it.each(generated)('%s loads at 11.6.0 and imports without inputs', (file) => {
  expect(show(checkDashboard(file, load(file)))).toEqual([]);
});

it('the floor facts are the ones read from @grafana/schema@11.6.0', () => {
  expect(FLOOR_SCHEMA_VERSION).toBe(41);
  for (const used of ['row', 'stat', 'timeseries', 'table', 'logs']) {
    expect(FLOOR_PANEL_TYPES).toContain(used);
  }
});

type Case = [RuleId, string, (d: any) => void];
const firstPanel = (d: any) => d.panels.find((p: any) => p.type !== 'row');

const CASES: Case[] = [
  ['board.schemaVersion', 'schemaVersion 42', (d) => (d.schemaVersion = 42)],
  ['board.panelType', 'panel type "grafana-polystat-panel"', (d) => (firstPanel(d).type = 'grafana-polystat-panel')],
  ['board.panelType', 'panel type "graph" (Angular, gone)', (d) => (firstPanel(d).type = 'graph')],
  ['board.datasourceRef', 'datasource by name', (d) => (firstPanel(d).datasource = 'Prometheus')],
  [
    'board.datasourceRef',
    'datasource by a literal uid',
    (d) => (firstPanel(d).datasource = { type: 'prometheus', uid: 'prom1' }),
  ],
  [
    'board.datasourceRef',
    '${prometheus} typed loki',
    (d) => (firstPanel(d).targets[0].datasource = { type: 'loki', uid: '${prometheus}' }),
  ],
  [
    'board.inputs',
    '__inputs',
    (d) => (d.__inputs = [{ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' }]),
  ],
  [
    'board.inputs',
    '${DS_PROMETHEUS}',
    (d) => (firstPanel(d).datasource = { type: 'prometheus', uid: '${DS_PROMETHEUS}' }),
  ],
];

describe('each dashboard rule rejects a bad example', () => {
  it.each(CASES)('%s: %s', (ruleId, _name, breakIt) => {
    const d = load('orchestrator.json');
    breakIt(d);
    const found = checkDashboard('orchestrator.json', d);
    expect(found.map((f) => f.rule)).toContain(ruleId);
  });

  it('every dashboard rule has a case', () => {
    const covered = new Set(CASES.map(([id]) => id));
    expect((Object.keys(RULES) as RuleId[]).filter((id) => id.startsWith('board.') && !covered.has(id))).toEqual([]);
  });
});
