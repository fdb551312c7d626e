import { type AppRootProps } from '@grafana/data';
import { SceneApp, useSceneApp } from '@grafana/scenes';
import { Alert, EmptyState, TextLink } from '@grafana/ui';
import React from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';

import { ROUTES } from '../constants';
import type { KiciAppSettings } from '../datasource/query';
import { dlqPage } from '../pages/dlq/dlqPage';
import { infrastructurePage } from '../pages/infrastructure/infrastructurePage';
import { overviewPage } from '../pages/overview/overviewPage';
import { secretBackendsPage } from '../pages/secret-backends/secretBackendsPage';
import { tracesPage } from '../pages/traces/tracesPage';
import { findKiciDatasource, type ResolvedDatasource } from '../utils/datasource';
import { PluginPropsContext } from '../utils/utils.plugin';
import { prefixRoute } from '../utils/utils.routing';
import { testIds } from '../components/testIds';

export function buildSceneApp(datasource: ResolvedDatasource, settings?: KiciAppSettings): SceneApp {
  return new SceneApp({
    pages: [
      overviewPage(datasource.ref),
      infrastructurePage(datasource.ref),
      tracesPage(settings),
      dlqPage(datasource.ref, settings),
      secretBackendsPage(datasource.ref),
    ],
    urlSyncOptions: { updateUrlOnInit: true, createBrowserHistorySteps: true },
  });
}

export function MissingDatasource() {
  return (
    <div data-testid={testIds.app.missingDatasource}>
      <EmptyState variant="call-to-action" message="Configure the KiCI datasource">
        The KiCI pages read from a <code>KiCI</code> datasource (orchestrator PostgreSQL, orchestrator URLs, admin
        token). <TextLink href="/connections/datasources/new">Add a KiCI datasource</TextLink>, then choose it on the{' '}
        <TextLink href="/plugins/kici-ops-app">app configuration page</TextLink>.
      </EmptyState>
    </div>
  );
}

/**
 * useSceneApp caches the SceneApp by the factory function's identity (scenes' SceneApp.tsx, sceneAppCache), so the
 * app's scene state survives a remount of the plugin root. One stable factory per datasource and settings: a scene
 * instance is never shared between datasources.
 */
const factories = new Map<string, () => SceneApp>();

function sceneAppFactory(datasource: ResolvedDatasource, settings?: KiciAppSettings): () => SceneApp {
  const key = `${datasource.ref.uid}\n${JSON.stringify(settings ?? {})}`;
  let factory = factories.get(key);
  if (!factory) {
    factory = () => buildSceneApp(datasource, settings);
    factories.set(key, factory);
  }
  return factory;
}

function KiciSceneApp({ datasource, settings }: { datasource: ResolvedDatasource; settings?: KiciAppSettings }) {
  const scene = useSceneApp(sceneAppFactory(datasource, settings));
  return <scene.Component model={scene} />;
}

function KiciScenes({ settings }: { settings?: KiciAppSettings }) {
  const datasource = findKiciDatasource(settings);
  if (!datasource) {
    return <MissingDatasource />;
  }
  return (
    <>
      {datasource.fallbackFrom && (
        <Alert severity="warning" title="Configured KiCI datasource not found">
          The app is configured with datasource uid <code>{datasource.fallbackFrom}</code>, which does not exist;
          showing <b>{datasource.name}</b> instead. Choose a datasource on the app configuration page.
        </Alert>
      )}
      <Routes>
        <Route index element={<Navigate to={prefixRoute(ROUTES.Overview)} replace />} />
        <Route path="*" element={<KiciSceneApp datasource={datasource} settings={settings} />} />
      </Routes>
    </>
  );
}

function App(props: AppRootProps<KiciAppSettings>) {
  return (
    <PluginPropsContext.Provider value={props}>
      <KiciScenes settings={props.meta.jsonData} />
    </PluginPropsContext.Provider>
  );
}

export default App;
