// The host page: Grafana's shared modules and runtime services, then the built app plugin (dist/module.js) loaded
// through SystemJS like Grafana loads it, rendered at /a/<plugin id>/* in Grafana's dark theme (light with ?theme=light).
import { importPlugin, shareModules } from './systemjs'; // first: hides SystemJS's AMD define before UMD code runs

import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import {
  AppPlugin,
  type AppPluginMeta,
  createTheme,
  EventBusSrv,
  type ScopedVars,
  setTimeZoneResolver,
} from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import {
  config,
  locationService,
  LocationServiceProvider,
  setAppEvents,
  setBackendSrv,
  setDataSourceSrv,
  setPluginImportUtils,
  setRunRequest,
  setTemplateSrv,
  type TemplateSrv,
} from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import { GlobalStyles, ThemeContext } from '@grafana/ui';
import i18next from 'i18next';
import lodash from 'lodash';
import React, { useEffect, useState } from 'react';
import ReactDOM from 'react-dom';
import { createRoot } from 'react-dom/client';
import jsxRuntime from 'react/jsx-runtime';
import * as reactRouter from 'react-router';
import { Route, Router, Routes } from 'react-router';
import * as reactRouterDom from 'react-router-dom';
import * as rxjs from 'rxjs';
import * as rxjsOperators from 'rxjs/operators';

// Deep imports of the very module instances the bundle uses (no .d.ts ships for these files).
// @ts-expect-error TS7016: typed where used
import { setPluginPage } from '../../../node_modules/@grafana/runtime/dist/esm/components/PluginPage.mjs';
// @ts-expect-error TS7016: typed where used
import { sceneGraph } from '../../../node_modules/@grafana/scenes/dist/esm/core/sceneGraph/index.js';
import { createBackendSrv } from './backendSrv';
import { HostPluginPage, Shell } from './chrome';
import { createDataSourceSrv } from './dataSources';
import { ExtensionsPage } from './extensions';
import { getPanelPlugin } from './panels';
import { installRegistries } from './registries';
import { runRequest } from './runRequest';
import { sharedIdsAt } from '../../grafana-rules/shared-dependencies';

const APP_ID = 'kici-ops-app';
/** The @grafana/runtime version this bundle was built with (build.mjs): the Grafana the page stands for. */
declare const __HOST_GRAFANA_VERSION__: string;

/**
 * `?theme=light|dark` and `?tz=<zone>` (kept in localStorage like the role cookie): the user's preferences Grafana
 * would read from the profile. As Grafana's app.ts (12.4), the time zone resolver reads bootData.user.timezone.
 */
function applyUserPreferences() {
  const params = new URLSearchParams(window.location.search);
  for (const key of ['theme', 'tz']) {
    const v = params.get(key);
    if (v) {
      localStorage.setItem(`host.${key}`, v);
    }
  }
  const user = config.bootData.user as { lightTheme: boolean; theme: string; timezone: string };
  const mode = localStorage.getItem('host.theme') === 'light' ? 'light' : 'dark';
  config.theme2 = createTheme({ colors: { mode } });
  (config as { theme: unknown }).theme = config.theme2;
  user.lightTheme = mode === 'light';
  user.theme = mode;
  document.body.classList.remove('theme-dark', 'theme-light');
  document.body.classList.add(`theme-${mode}`);
  // Grafana's shell has no body margin; the browser default (8 px) would widen every page past the viewport.
  document.body.style.margin = '0';
  user.timezone = localStorage.getItem('host.tz') ?? user.timezone;
  setTimeZoneResolver(() => config.bootData.user.timezone);
}

applyUserPreferences();
installRegistries();
setBackendSrv(createBackendSrv());
setDataSourceSrv(createDataSourceSrv());
setRunRequest(runRequest as never);
setAppEvents(new EventBusSrv());
setPluginPage(HostPluginPage as never);
setPluginImportUtils({
  importPanelPlugin: async (id: string) => getPanelPlugin(id),
  getPanelPluginFromCache: (id: string) => getPanelPlugin(id),
});
setTemplateSrv({
  getVariables: () => [],
  containsTemplate: (target?: string) => Boolean(target && /\$/.test(target)),
  updateTimeRange: () => undefined,
  // Grafana core interpolates through the scene the query belongs to; so does the host, with its own scenes copy.
  replace: (target?: string, scopedVars?: ScopedVars, format?: string | Function) => {
    const scene = scopedVars?.__sceneObject?.value?.valueOf();
    return scene && target ? sceneGraph.interpolate(scene, target, scopedVars, format as never) : (target ?? '');
  },
} as unknown as TemplateSrv);

// The AMD dependencies of create-plugin builds, registered as Grafana's buildImportMap() does, and only those the
// Grafana version this page stands for shares (tests/grafana-rules/shared-dependencies.ts: react/jsx-runtime only from
// 11.6.11 / 12.0.10 / 12.1.7 / 12.2.5). After the setters: System.set copies the exports, so a `let` export such as
// PluginPage must already hold the host's value.
const sharedAtThisVersion = new Set(sharedIdsAt(__HOST_GRAFANA_VERSION__));
const hostModules: Record<string, object> = {
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  '@grafana/data': grafanaData,
  '@grafana/runtime': grafanaRuntime,
  '@grafana/ui': grafanaUi,
  i18next: { default: i18next, __useDefault: true },
  lodash: { default: lodash, __useDefault: true },
  react: { default: React, __useDefault: true },
  'react-dom': { default: ReactDOM, __useDefault: true },
  'react/jsx-runtime': { default: jsxRuntime, __useDefault: true },
  'react-router': reactRouter,
  'react-router-dom': reactRouterDom,
  rxjs,
  'rxjs/operators': rxjsOperators,
};
shareModules(Object.fromEntries(Object.entries(hostModules).filter(([id]) => sharedAtThisVersion.has(id))));

function useHistoryLocation() {
  const history = locationService.getHistory();
  const [location, setLocation] = useState(history.location);
  useEffect(() => history.listen((l: typeof location) => setLocation(l)), [history]);
  return { history, location };
}

function Host({ plugin, meta }: { plugin: AppPlugin; meta: AppPluginMeta }) {
  const { history, location } = useHistoryLocation();
  const Root = plugin.root!;
  return (
    <ThemeContext.Provider value={config.theme2}>
      <GlobalStyles />
      <LocationServiceProvider service={locationService}>
        <Router location={location} navigator={history as never}>
          <Shell meta={meta} pathname={location.pathname}>
            <Routes>
              <Route
                path="/a/:pluginId/*"
                element={
                  <Root
                    meta={meta}
                    basename={`/a/${APP_ID}`}
                    query={{}}
                    path={location.pathname}
                    onNavChanged={() => undefined}
                  />
                }
              />
              <Route path="/__host/extensions" element={<ExtensionsPage plugin={plugin} meta={meta} />} />
              <Route path="*" element={<p>The host serves the app under /a/{APP_ID}/.</p>} />
            </Routes>
          </Shell>
        </Router>
      </LocationServiceProvider>
    </ThemeContext.Provider>
  );
}

async function boot() {
  const meta = (await fetch(`/api/plugins/${APP_ID}/settings`).then((r) => r.json())) as AppPluginMeta;
  const exports = await importPlugin('/' + (meta as unknown as { module: string }).module);
  const plugin = exports.plugin;
  if (!(plugin instanceof AppPlugin)) {
    throw new Error(`${meta.module} did not export an AppPlugin built against the shared @grafana/data`);
  }
  plugin.meta = meta;
  plugin.setComponentsFromLegacyExports(exports);
  plugin.init(meta);
  createRoot(document.getElementById('reactRoot')!).render(<Host plugin={plugin} meta={meta} />);
}

boot().catch((err: Error) => {
  console.error('host boot failed:', err);
  document.getElementById('reactRoot')!.textContent = `Host boot failed: ${err.message}`;
});
