import { PluginExtensionPoints } from '@grafana/data';

import { EXTENSION_POINTS, rangeParams, timeParam } from './points';

describe('extension point ids', () => {
  it('are the values of PluginExtensionPoints in the @grafana/data the plugin is built with (12.4.2)', () => {
    expect(EXTENSION_POINTS).toEqual({
      alertInstance: PluginExtensionPoints.AlertInstanceAction,
      panelMenu: PluginExtensionPoints.DashboardPanelMenu,
      exploreToolbar: PluginExtensionPoints.ExploreToolbarAction,
      commandPalette: PluginExtensionPoints.CommandPalette,
    });
  });

  it('are the values @grafana/data 11.6.0 declares too (dist/esm/index.d.mts, enum PluginExtensionPoints)', () => {
    // Read from the 11.6.0 package (npm pack @grafana/data@11.6.0): the lowest Grafana the plugin declares.
    const v11_6_0 = {
      AlertInstanceAction: 'grafana/alerting/instance/action',
      CommandPalette: 'grafana/commandpalette/action',
      DashboardPanelMenu: 'grafana/dashboard/panel/menu',
      ExploreToolbarAction: 'grafana/explore/toolbar/action',
    };
    expect(Object.values(EXTENSION_POINTS).sort()).toEqual(Object.values(v11_6_0).sort());
  });
});

describe('time range parameters', () => {
  it('keeps relative times and turns DateTimes into epoch ms', () => {
    expect(timeParam('now-6h')).toBe('now-6h');
    expect(timeParam({ valueOf: () => 1_700_000_000_123 })).toBe('1700000000123');
    expect(timeParam(undefined)).toBeUndefined();
    expect(rangeParams({ from: 'now-24h', to: 'now' })).toEqual({ from: 'now-24h', to: 'now' });
    expect(rangeParams({ from: 'now-24h' })).toEqual({});
  });
});
