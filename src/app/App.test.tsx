import { type AppRootProps, type DataQueryRequest, LoadingState, PluginType, toDataFrame } from '@grafana/data';
import { setDataSourceSrv, setRunRequest } from '@grafana/runtime';
import { render, screen } from '@testing-library/react';
import React from 'react';
import { of } from 'rxjs';

import { DataSource } from '../datasource/datasource';
import type { KiciAppSettings } from '../datasource/query';
import { AtPath, dataSourceSrvStub, dsSettings, installPanelStubs } from '../utils/testing';
import { testIds } from '../components/testIds';
import App from './App';

function appProps(jsonData: KiciAppSettings): AppRootProps<KiciAppSettings> {
  return {
    basename: '/a/kici-ops-app',
    meta: { id: 'kici-ops-app', name: 'KiCI', type: PluginType.app, enabled: true, jsonData },
    query: {},
    path: '/a/kici-ops-app',
    onNavChanged: () => {},
  } as unknown as AppRootProps<KiciAppSettings>;
}

describe('App', () => {
  let requested: string[];

  beforeEach(() => {
    requested = [];
    installPanelStubs();
    setRunRequest((_ds, request: DataQueryRequest) => {
      requested.push(...request.targets.map((t) => t.datasource?.uid ?? ''));
      const frame = toDataFrame({
        fields: [{ name: 'component', values: [`checked by ${request.targets[0].datasource?.uid}`] }],
      });
      return of({ state: LoadingState.Done, series: [frame], timeRange: request.range });
    });
  });

  it('asks to configure the KiCI datasource when none exists', () => {
    setDataSourceSrv(dataSourceSrvStub([dsSettings('loki', 'loki')]));
    render(
      <AtPath path="/a/kici-ops-app/overview">
        <App {...appProps({})} />
      </AtPath>
    );
    expect(screen.getByTestId(testIds.app.missingDatasource)).toBeInTheDocument();
    expect(screen.getByText('Configure the KiCI datasource')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Add a KiCI datasource' })).toHaveAttribute(
      'href',
      '/connections/datasources/new'
    );
  });

  it('opens the overview on the configured datasource from the app root', async () => {
    const list = [dsSettings('kici-a', 'kici-ops-datasource'), dsSettings('kici-b', 'kici-ops-datasource')];
    setDataSourceSrv(dataSourceSrvStub(list, { 'kici-b': new DataSource(list[1] as never) }));
    render(
      <AtPath path="/a/kici-ops-app">
        <App {...appProps({ kiciDatasourceUid: 'kici-b' })} />
      </AtPath>
    );
    // The app root redirects to the overview, whose panels all query the configured datasource.
    expect((await screen.findAllByText('checked by kici-b')).length).toBeGreaterThan(0);
    expect(requested.length).toBeGreaterThan(0);
    expect(new Set(requested)).toEqual(new Set(['kici-b']));
  });

  it('warns when the configured datasource is gone and uses another KiCI datasource', async () => {
    const list = [dsSettings('kici-a', 'kici-ops-datasource', 'KiCI A')];
    setDataSourceSrv(dataSourceSrvStub(list, { 'kici-a': new DataSource(list[0] as never) }));
    render(
      <AtPath path="/a/kici-ops-app/overview">
        <App {...appProps({ kiciDatasourceUid: 'deleted' })} />
      </AtPath>
    );
    expect(screen.getByText('Configured KiCI datasource not found')).toBeInTheDocument();
    expect((await screen.findAllByText('checked by kici-a')).length).toBeGreaterThan(0);
  });

  // The scenes-app template builds its SceneApp with useSceneApp (grafana/scenes packages/scenes/src/components/
  // SceneApp/SceneApp.tsx, sceneAppCache keyed by the factory, read at 8.19.0): when Grafana remounts the plugin root
  // (leaving the app and coming back), the same scene comes back with its data, and nothing is queried again.
  it('keeps the scene and its data when the app is remounted', async () => {
    const list = [dsSettings('kici-remount', 'kici-ops-datasource')];
    setDataSourceSrv(dataSourceSrvStub(list, { 'kici-remount': new DataSource(list[0] as never) }));
    const app = (
      <AtPath path="/a/kici-ops-app/overview">
        <App {...appProps({ kiciDatasourceUid: 'kici-remount' })} />
      </AtPath>
    );
    const first = render(app);
    expect((await screen.findAllByText('checked by kici-remount')).length).toBeGreaterThan(0);
    const queried = requested.length;
    expect(queried).toBeGreaterThan(0);
    first.unmount();

    render(app);
    expect(screen.getAllByText('checked by kici-remount').length).toBeGreaterThan(0);
    expect(requested).toHaveLength(queried);
  });
});
