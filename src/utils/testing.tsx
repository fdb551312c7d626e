// Stand-ins for Grafana's services in jest (no Grafana server): a datasource registry and settings records.
import {
  type DataSourceInstanceSettings,
  type DisplayValue,
  type FieldConfigPropertyItem,
  formattedValueToString,
  PanelPlugin,
  type PanelProps,
  PluginType,
  standardFieldConfigEditorRegistry,
  standardTransformers,
  standardTransformersRegistry,
} from '@grafana/data';
import {
  type DataSourceSrv,
  type GetDataSourceListFilters,
  LocationServiceProvider,
  locationService,
  setPluginImportUtils,
} from '@grafana/runtime';
import type { DataSourceRef } from '@grafana/schema';
import React, { useLayoutEffect, useState } from 'react';
import { Route, Router, Routes } from 'react-router-dom';

export function dsSettings(uid: string, type: string, name = uid): DataSourceInstanceSettings {
  return {
    id: uid.length,
    uid,
    type,
    name,
    access: 'proxy',
    jsonData: {},
    readOnly: false,
    meta: { id: type, name: type, type: 'datasource', info: { logos: { small: '', large: '' } } },
  } as unknown as DataSourceInstanceSettings;
}

/** A DataSourceSrv over fixed settings; `get` returns `instances[uid]` when given, else the settings. */
export function dataSourceSrvStub(
  list: DataSourceInstanceSettings[],
  instances: Record<string, unknown> = {}
): DataSourceSrv {
  const find = (ref?: DataSourceRef | string | null) => {
    const key = typeof ref === 'string' ? ref : ref?.uid;
    return list.find((ds) => ds.uid === key || ds.name === key);
  };
  return {
    getList: (filters: GetDataSourceListFilters = {}) =>
      list.filter(
        (ds) =>
          (!filters.pluginId || ds.meta.id === filters.pluginId) &&
          (!filters.type || [filters.type].flat().includes(ds.type))
      ),
    getInstanceSettings: (ref?: DataSourceRef | string | null) => find(ref),
    get: async (ref?: DataSourceRef | string | null) => {
      const settings = find(ref);
      if (!settings) {
        throw new Error(`datasource ${JSON.stringify(ref)} not found`);
      }
      return (instances[settings.uid] ?? settings) as never;
    },
    reload: async () => {},
    registerRuntimeDataSource: () => {},
  } as unknown as DataSourceSrv;
}

/**
 * Grafana's table panel lives in Grafana itself; this stand-in renders the frames the VizPanel passes it, through each
 * field's display processor, so tests see the values, mappings and colours the real table would show.
 */
export function tablePanelStub(): PanelPlugin {
  const StubTable = ({ data }: PanelProps) => (
    <table>
      <tbody>
        {data.series.flatMap((frame, f) =>
          Array.from({ length: frame.length }, (_, row) => (
            <tr key={`${f}-${row}`} data-testid="table-row">
              {frame.fields.map((field) => {
                const shown: DisplayValue = field.display
                  ? field.display(field.values[row])
                  : { text: String(field.values[row]), numeric: NaN };
                return (
                  <td
                    key={field.name}
                    data-field={field.name}
                    data-color={shown.color}
                    data-cell-type={field.config.custom?.cellOptions?.type}
                  >
                    {formattedValueToString(shown)}
                  </td>
                );
              })}
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
  const NoEditor = () => null;
  const custom = (path: string) => ({
    id: path,
    path,
    name: path,
    editor: NoEditor,
    override: NoEditor,
    process: (value: unknown) => value,
    shouldApply: () => true,
  });
  const plugin = new PanelPlugin(StubTable).useFieldConfig({
    useCustomConfig: (builder) => builder.addCustomEditor(custom('cellOptions')).addCustomEditor(custom('width')),
  });
  plugin.meta = {
    id: 'table',
    name: 'Table',
    type: PluginType.panel,
    info: { logos: { small: '', large: '' } },
  } as never;
  return plugin;
}

let panelStubsInstalled = false;

/**
 * Grafana core registers the standard field options (unit, mappings, ...) at boot; without them VizPanel ignores
 * `fieldConfig`. These are the ones our panels set, processed as Grafana does (the value as given).
 */
function standardFieldConfigs(): FieldConfigPropertyItem[] {
  const NoEditor = () => null;
  return ['displayName', 'unit', 'decimals', 'mappings', 'noValue', 'min', 'max', 'thresholds', 'links', 'color'].map(
    (id) => ({
      id,
      path: id,
      name: id,
      editor: NoEditor,
      override: NoEditor,
      process: (value: unknown) => value,
      shouldApply: () => true,
    })
  );
}

/** Grafana allows setting the plugin importer once per page (here: per test file). */
export function installPanelStubs(): void {
  if (panelStubsInstalled) {
    return;
  }
  panelStubsInstalled = true;
  standardFieldConfigEditorRegistry.setInit(standardFieldConfigs);
  // Grafana core registers the transformations (with their editors) at boot; the transformers themselves are in data.
  standardTransformersRegistry.setInit(() => {
    const byId = new Map(Object.values(standardTransformers).map((t) => [t.id, t]));
    return [...byId.values()].map(
      (transformation) =>
        ({ id: transformation.id, name: transformation.name, transformation, editor: () => null }) as never
    );
  });
  const table = tablePanelStub();
  setPluginImportUtils({
    importPanelPlugin: async (id: string) => {
      if (id !== 'table') {
        throw new Error(`no stub for panel plugin ${id}`);
      }
      return table;
    },
    getPanelPluginFromCache: (id: string) => (id === 'table' ? table : undefined),
  });
}

/**
 * Renders `element` as Grafana would at `path`: the app root is mounted under `/a/<plugin id>/*`, and the router
 * follows locationService's history (Grafana's AppWrapper does the same), so a scene's navigation re-renders.
 */
export function AtPath({ path, children }: { path: string; children: React.ReactNode }) {
  const history = locationService.getHistory();
  const [location, setLocation] = useState(() => {
    locationService.push(path);
    return history.location;
  });
  // A layout effect: subscribed before any child's passive effect navigates (e.g. <Navigate> at the app root).
  useLayoutEffect(() => history.listen((l: typeof location) => setLocation(l)), [history]);
  return (
    <LocationServiceProvider service={locationService}>
      <Router location={location} navigator={history as never}>
        <Routes>
          <Route path="/a/kici-ops-app/*" element={children} />
        </Routes>
      </Router>
    </LocationServiceProvider>
  );
}
