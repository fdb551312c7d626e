// Stand-ins for the places Grafana shows an app's added links, at /__host/extensions: the command palette, the menu of
// every panel of the bundled dashboards (context as Grafana's panel menu builds it), an alert instance's action menu
// (`?alert=<json context>`) and Explore's toolbar (`?explore=<json>`, `lines` become the Loki result frame). A click
// navigates like Grafana does for a path link (locationService.push).
import { type AppPlugin, type AppPluginMeta, FieldType, createDataFrame } from '@grafana/data';
import { config, locationService } from '@grafana/runtime';
import { Button, Stack } from '@grafana/ui';
import React, { useEffect, useMemo, useState } from 'react';

import { type AddedLinkConfig, buildRegistry, type DeclaredLink, type HostLink, linksAt } from './extensionRegistry';

const POINTS = {
  palette: 'grafana/commandpalette/action',
  panel: 'grafana/dashboard/panel/menu',
  alert: 'grafana/alerting/instance/action',
  explore: 'grafana/explore/toolbar/action',
};

interface Dashboard {
  uid: string;
  title: string;
  tags?: string[];
  time: { from: string; to: string };
  panels: Array<{ id: number; type: string; title: string; targets?: object[] }>;
}

function Links({ links, testId }: { links: HostLink[]; testId: string }) {
  return (
    <ul data-testid={testId}>
      {links.map((l) => (
        <li key={l.id}>
          <a
            href={l.path}
            title={l.description}
            data-testid="host-extension-link"
            onClick={(e) => {
              e.preventDefault();
              locationService.push(l.path);
            }}
          >
            {l.title}
          </a>
        </li>
      ))}
    </ul>
  );
}

function Panel({ links, dashboard, title }: { links: HostLink[]; dashboard: string; title: string }) {
  const [open, setOpen] = useState(false);
  return (
    <div data-testid="host-panel" data-dashboard={dashboard} data-title={title}>
      <Button
        size="sm"
        variant="secondary"
        fill="text"
        onClick={() => setOpen(!open)}
        aria-label={`Menu for panel ${title}`}
      >
        {title}
      </Button>
      {open && (links.length ? <Links links={links} testId="host-panel-extensions" /> : <em>No extensions</em>)}
    </div>
  );
}

function jsonParam(name: string): Record<string, unknown> | undefined {
  const raw = new URLSearchParams(window.location.search).get(name);
  return raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
}

export function ExtensionsPage({ plugin, meta }: { plugin: AppPlugin; meta: AppPluginMeta }) {
  const declared = ((config.apps[meta.id] as unknown as { extensions?: { addedLinks?: DeclaredLink[] } })?.extensions
    ?.addedLinks ?? []) as DeclaredLink[];
  const registry = useMemo(
    () => buildRegistry(meta.id, plugin.addedLinkConfigs as unknown as AddedLinkConfig[], declared),
    [plugin, meta.id, declared]
  );
  const [dashboards, setDashboards] = useState<Dashboard[]>([]);
  useEffect(() => {
    const files = (meta.includes ?? []).filter((i) => i.type === 'dashboard' && i.path).map((i) => i.path!);
    Promise.all(files.map((f) => fetch(`/public/plugins/${meta.id}/${f}`).then((r) => r.json() as Promise<Dashboard>)))
      .then(setDashboards)
      .catch((err: Error) => console.error('host: bundled dashboards', err));
  }, [meta]);

  const alert = jsonParam('alert');
  const explore = jsonParam('explore');
  const exploreContext = explore && {
    exploreId: 'left',
    targets: explore.targets,
    timeRange: explore.timeRange,
    timeZone: 'browser',
    data: {
      series: explore.lines
        ? [createDataFrame({ fields: [{ name: 'Line', type: FieldType.string, values: explore.lines as string[] }] })]
        : [],
    },
  };

  return (
    <div data-testid="host-extensions">
      <h1>Grafana extension points (host stand-ins)</h1>
      {registry.refused.length > 0 && <pre data-testid="host-extensions-refused">{registry.refused.join('\n')}</pre>}
      <section data-testid="host-command-palette">
        <h2>Command palette</h2>
        <Links links={linksAt(meta.id, registry, POINTS.palette, {}, 80)} testId="host-palette-actions" />
      </section>
      {alert && (
        <section data-testid="host-alert-instance">
          <h2>Alert instance</h2>
          <pre>{JSON.stringify((alert.instance as { labels?: object })?.labels ?? {})}</pre>
          <Links links={linksAt(meta.id, registry, POINTS.alert, alert, 3)} testId="host-alert-actions" />
        </section>
      )}
      {exploreContext && (
        <section data-testid="host-explore">
          <h2>Explore toolbar</h2>
          <Links links={linksAt(meta.id, registry, POINTS.explore, exploreContext)} testId="host-explore-actions" />
        </section>
      )}
      <section data-testid="host-dashboards">
        <h2>Bundled dashboards</h2>
        {dashboards.map((d) => (
          <Stack key={d.uid} direction="column" gap={0}>
            <h3>{d.title}</h3>
            {d.panels
              .filter((p) => p.type !== 'row')
              .map((p) => (
                <Panel
                  key={p.id}
                  dashboard={d.uid}
                  title={p.title}
                  links={linksAt(meta.id, registry, POINTS.panel, {
                    pluginId: p.type,
                    id: p.id,
                    title: p.title,
                    timeRange: d.time,
                    timeZone: 'browser',
                    dashboard: { uid: d.uid, title: d.title, tags: d.tags ?? [] },
                    targets: p.targets ?? [],
                  })}
                />
              ))}
          </Stack>
        ))}
      </section>
    </div>
  );
}
