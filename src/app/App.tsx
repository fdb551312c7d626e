import { type AppRootProps } from '@grafana/data';
import { SceneApp } from '@grafana/scenes';
import { Alert, EmptyState, TextLink } from '@grafana/ui';
import React, { useMemo } from 'react';
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

function KiciScenes({ settings }: { settings?: KiciAppSettings }) {
  const datasource = findKiciDatasource(settings);
  const uid = datasource?.ref.uid;
  // One SceneApp per datasource: a scene instance is never shared between datasources.
  const scene = useMemo(() => (datasource ? buildSceneApp(datasource, settings) : undefined), [uid]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!scene) {
    return <MissingDatasource />;
  }
  return (
    <>
      {datasource?.fallbackFrom && (
        <Alert severity="warning" title="Configured KiCI datasource not found">
          The app is configured with datasource uid <code>{datasource.fallbackFrom}</code>, which does not exist;
          showing <b>{datasource.name}</b> instead. Choose a datasource on the app configuration page.
        </Alert>
      )}
      <Routes>
        <Route index element={<Navigate to={prefixRoute(ROUTES.Overview)} replace />} />
        <Route path="*" element={<scene.Component model={scene} />} />
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
