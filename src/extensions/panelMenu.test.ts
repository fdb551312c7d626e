import { dateTime, type PluginExtensionPanelContext } from '@grafana/data';

import agents from '../dashboards/agents.json';
import eventDelivery from '../dashboards/event-delivery.json';
import logsTrace from '../dashboards/logs-trace.json';
import orchestrator from '../dashboards/orchestrator.json';
import platformRelay from '../dashboards/platform-relay.json';
import { configurePanelLink } from './panelMenu';

interface DashboardJson {
  uid: string;
  title: string;
  tags?: string[];
  time: { from: string; to: string };
  panels: Array<{ id: number; type: string; title: string; targets?: PluginExtensionPanelContext['targets'] }>;
}

/** The context Grafana builds for a panel menu (PluginExtensionPanelContext in @grafana/data). */
function contextOf(d: DashboardJson, panel: DashboardJson['panels'][number]): PluginExtensionPanelContext {
  return {
    pluginId: panel.type,
    id: panel.id,
    title: panel.title,
    timeRange: d.time,
    timeZone: 'browser',
    dashboard: { uid: d.uid, title: d.title, tags: d.tags ?? [] },
    targets: panel.targets ?? [],
  };
}

const pathOf = (d: DashboardJson, title: string) =>
  configurePanelLink(
    contextOf(
      d,
      d.panels.find((p) => p.title === title)!
    )
  )?.path;

describe('panel menu link', () => {
  it('gives every panel of the bundled dashboards its page', () => {
    const pages = (d: DashboardJson) =>
      new Set(
        d.panels.filter((p) => p.type !== 'row').map((p) => configurePanelLink(contextOf(d, p))?.path?.split('?')[0])
      );
    expect(pages(eventDelivery as DashboardJson)).toEqual(new Set(['/a/kici-ops-app/dlq']));
    expect(pages(orchestrator as DashboardJson)).toEqual(new Set(['/a/kici-ops-app/infrastructure']));
    expect(pages(agents as DashboardJson)).toEqual(new Set(['/a/kici-ops-app/infrastructure']));
    expect(pages(platformRelay as DashboardJson)).toEqual(new Set(['/a/kici-ops-app/overview']));
    expect(pages(logsTrace as DashboardJson)).toEqual(new Set(['/a/kici-ops-app/traces']));
  });

  it('filters the DLQ the way the panel counts, with the dashboard time range', () => {
    const d = eventDelivery as DashboardJson;
    expect(pathOf(d, 'DLQ depth (database)')).toBe('/a/kici-ops-app/dlq?from=now-24h&to=now');
    expect(pathOf(d, 'Latest DLQ events')).toBe('/a/kici-ops-app/dlq?inRange=1&from=now-24h&to=now');
    expect(pathOf(d, 'DLQ admissions by event')).toBe('/a/kici-ops-app/dlq?inRange=1&from=now-24h&to=now');
    expect(
      configurePanelLink(
        contextOf(
          d,
          d.panels.find((p) => p.title === 'Latest DLQ events')!
        )
      )?.title
    ).toBe('Open in KiCI Event DLQ');
  });

  it('follows a KiCI query on any dashboard, with its filters and an absolute range', () => {
    const context: PluginExtensionPanelContext = {
      pluginId: 'table',
      id: 7,
      title: 'My DLQ',
      timeRange: { from: dateTime(1_764_900_000_000), to: dateTime(1_764_903_600_000) },
      timeZone: 'utc',
      dashboard: { uid: 'team-board', title: 'Team', tags: [] },
      targets: [
        {
          refId: 'A',
          datasource: { type: 'kici-ops-datasource', uid: 'kici' },
          queryType: 'dlqEvents',
          eventName: 'run.completed',
          routingKey: 'github:42',
        } as PluginExtensionPanelContext['targets'][number],
      ],
    };
    expect(configurePanelLink(context)?.path).toBe(
      '/a/kici-ops-app/dlq?eventName=run.completed&routingKey=github%3A42&inRange=1&from=1764900000000&to=1764903600000'
    );
    const infra = { ...context, targets: [{ ...context.targets[0], queryType: 'infrastructure' }] };
    expect(configurePanelLink(infra)?.path).toBe('/a/kici-ops-app/infrastructure?from=1764900000000&to=1764903600000');
  });

  it('shows nothing on a foreign panel that does not query KiCI', () => {
    const context: PluginExtensionPanelContext = {
      pluginId: 'timeseries',
      id: 1,
      title: 'CPU',
      timeRange: { from: 'now-1h', to: 'now' },
      timeZone: 'utc',
      dashboard: { uid: 'node-exporter', title: 'Nodes', tags: [] },
      targets: [{ refId: 'A', datasource: { type: 'prometheus', uid: 'prom' } }],
    };
    expect(configurePanelLink(context)).toBeUndefined();
    expect(configurePanelLink(undefined)).toBeUndefined();
  });
});
