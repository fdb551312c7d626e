// Every link KiCI adds to Grafana, registered in module.tsx with AppPlugin.addLink (@grafana/data 11.6.0 and 12.4.2)
// and declared in plugin.json `extensions.addedLinks` (Grafana refuses an undeclared link: tests/grafana-rules).
import type { PluginExtensionAddedLinkConfig } from '@grafana/data';

import { ROUTES } from '../constants';
import {
  ALERT_DLQ_LINK,
  ALERT_INFRASTRUCTURE_LINK,
  type AlertInstanceContext,
  configureAlertDlqLink,
  configureAlertInfrastructureLink,
} from './alertInstance';
import { PALETTE_DLQ_LINK, PALETTE_TRACES_LINK } from './commandPalette';
import { configureExploreLink, EXPLORE_LINK, type ExploreToolbarContext } from './explore';
import { configurePanelLink, PANEL_LINK } from './panelMenu';
import { appPath, EXTENSION_POINTS } from './points';

type AnyLink = PluginExtensionAddedLinkConfig<object>;
const link = <C extends object>(config: PluginExtensionAddedLinkConfig<C>): AnyLink => config as AnyLink;

export const KICI_LINKS: AnyLink[] = [
  link<AlertInstanceContext>({
    ...ALERT_DLQ_LINK,
    targets: [EXTENSION_POINTS.alertInstance],
    icon: 'bug',
    path: appPath(ROUTES.Dlq),
    configure: configureAlertDlqLink,
  }),
  link<AlertInstanceContext>({
    ...ALERT_INFRASTRUCTURE_LINK,
    targets: [EXTENSION_POINTS.alertInstance],
    icon: 'sitemap',
    path: appPath(ROUTES.Infrastructure),
    configure: configureAlertInfrastructureLink,
  }),
  link({
    ...PANEL_LINK,
    targets: [EXTENSION_POINTS.panelMenu],
    icon: 'external-link-alt',
    path: appPath(ROUTES.Overview),
    configure: configurePanelLink,
  }),
  link<ExploreToolbarContext>({
    ...EXPLORE_LINK,
    targets: [EXTENSION_POINTS.exploreToolbar],
    icon: 'search',
    path: appPath(ROUTES.Traces),
    configure: configureExploreLink,
  }),
  link({ ...PALETTE_TRACES_LINK, targets: [EXTENSION_POINTS.commandPalette], icon: 'search' }),
  link({ ...PALETTE_DLQ_LINK, targets: [EXTENSION_POINTS.commandPalette], icon: 'bug' }),
];
