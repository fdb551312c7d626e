// The links KiCI adds to Grafana (src/extensions, registered in src/module.tsx) against Grafana's extension registry
// rules (extensions.ts names the Grafana files): every link registers, is declared in plugin.json under its title with
// all its targets, and every configure() result over the contexts Grafana passes is one Grafana accepts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { PluginExtensionAddedLinkConfig } from '@grafana/data';

import { KICI_LINKS } from '../../src/extensions';
import {
  type AddedLinkMeta,
  declarationShapeProblems,
  metaInfoProblems,
  overrideProblems,
  registrationProblems,
} from './extensions';

const repo = join(__dirname, '..', '..');
const pluginJson = JSON.parse(readFileSync(join(repo, 'plugin.json'), 'utf8')) as {
  id: string;
  extensions: { addedLinks: AddedLinkMeta[] };
};
const ID = pluginJson.id;
type Link = PluginExtensionAddedLinkConfig<object>;

/** Contexts as Grafana builds them for each point (the shapes are in src/extensions/*.ts). */
function contextsFor(target: string): Array<object | undefined> {
  const rules = [
    'kici-dlq-backlog',
    'kici-dlq-admissions',
    'kici-dlq-new-signature',
    'kici-retry-backlog-stuck',
    'kici-lease-expirations',
    'kici-orchestrator-down',
    'kici-dispatch-backlog',
    'kici-scheduled-job-stale',
    'not-kici',
  ];
  switch (target) {
    case 'grafana/alerting/instance/action':
      return rules.flatMap((uid) => [
        { rule: { rulerRule: { grafana_alert: { uid } } }, instance: { labels: { instance: 'orch-a:4000' } } },
        { rule: { uid }, instance: { labels: {}, activeAt: '2026-12-05T10:00:00Z' } },
      ]);
    case 'grafana/dashboard/panel/menu': {
      const dir = join(repo, 'src', 'dashboards');
      return readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .flatMap((f) => {
          const d = JSON.parse(readFileSync(join(dir, f), 'utf8'));
          return d.panels.map((p: { id: number; type: string; title: string; targets?: unknown[] }) => ({
            pluginId: p.type,
            id: p.id,
            title: p.title,
            timeRange: d.time,
            timeZone: 'browser',
            dashboard: { uid: d.uid, title: d.title, tags: d.tags },
            targets: p.targets ?? [],
          }));
        });
    }
    case 'grafana/explore/toolbar/action':
      return [
        {
          exploreId: 'left',
          targets: [{ refId: 'A', datasource: { type: 'loki' }, expr: '|= "0b9c7f3e-5d1a-4c2b-9f00-1a2b3c4d5e6f"' }],
          timeRange: { from: 'now-1h', to: 'now' },
        },
        { exploreId: 'left', targets: [{ refId: 'A', datasource: { type: 'prometheus' }, expr: 'up' }] },
      ];
    default:
      return [{}, undefined];
  }
}

function allProblems(links: Link[], declared: AddedLinkMeta[]): string[] {
  const problems: string[] = [];
  for (const link of links) {
    problems.push(...registrationProblems(ID, link), ...metaInfoProblems(link, declared));
    for (const target of Array.isArray(link.targets) ? link.targets : [link.targets]) {
      for (const context of contextsFor(target)) {
        problems.push(...overrideProblems(ID, link.title, link.configure?.(context as never)));
      }
    }
  }
  return problems;
}

describe('plugin extensions as Grafana registers them', () => {
  it('plugin.json declares addedLinks the way Grafana reads them', () => {
    expect(declarationShapeProblems(pluginJson.extensions)).toEqual([]);
  });

  it('src/module.tsx registers exactly the links of src/extensions', () => {
    const module = readFileSync(join(repo, 'src', 'module.tsx'), 'utf8');
    expect(module.match(/\.addLink\(/g)).toHaveLength(1);
    expect(module).toMatch(/for \(const link of KICI_LINKS\) \{\s*plugin\.addLink\(link\);\s*\}/);
  });

  it('every link registers, is declared with its targets, and configures to what Grafana accepts', () => {
    expect(KICI_LINKS.map((l) => l.title)).toEqual(pluginJson.extensions.addedLinks.map((l) => l.title));
    expect(allProblems(KICI_LINKS, pluginJson.extensions.addedLinks)).toEqual([]);
  });

  it('refuses planted defects: an undeclared link, a foreign path, a target not listed, a bad configure', () => {
    const [alertDlq, , panel] = KICI_LINKS;
    const declared = pluginJson.extensions.addedLinks.filter((l) => l.title !== alertDlq.title);
    const planted: Link[] = [
      alertDlq,
      {
        ...panel,
        path: '/d/kici-ops-event-delivery',
        targets: [...(panel.targets as string[]), 'grafana/traceview/details'],
      },
      { ...panel, title: 'Open in KiCI', configure: () => Promise.resolve({}) as never },
      { ...panel, configure: () => ({ path: '/explore', openInNewTab: true }) as never },
    ];
    // One line per distinct problem (configure() problems repeat for each of the bundled panels).
    expect([...new Set(allProblems(planted, declared))]).toEqual([
      '"Open the KiCI event DLQ" is not declared in plugin.json extensions.addedLinks[]',
      '"Open in KiCI": path "/d/kici-ops-event-delivery" does not start with "/a/kici-ops-app/"',
      '"Open in KiCI": target grafana/traceview/details is not listed in plugin.json',
      '"Open in KiCI": configure() returned a promise',
      '"Open in KiCI": configure() path "/explore" does not start with "/a/kici-ops-app/"',
      '"Open in KiCI": configure() overrides openInNewTab, which Grafana ignores',
    ]);
  });
});
