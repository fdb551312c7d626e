// jest stand-ins for the stat and time series panels (Grafana core's own live in Grafana), next to the shared
// table stand-in of utils/testing.
import {
  FieldType,
  formattedValueToString,
  getFieldDisplayValues,
  PanelPlugin,
  type PanelProps,
  PluginType,
} from '@grafana/data';
import { config, getPluginImportUtils } from '@grafana/runtime';
import React from 'react';

import { installPanelStubs } from '../../utils/testing';

interface StatOptions {
  reduceOptions: { values?: boolean; calcs: string[]; fields?: string };
}

/** Shows what Grafana's stat panel would: each reduced value through its display processor, with its data link. */
export function statPanelStub(): PanelPlugin {
  const Stat = ({ data, options, fieldConfig, replaceVariables, timeZone }: PanelProps<StatOptions>) => {
    const values = getFieldDisplayValues({
      data: data.series,
      reduceOptions: options.reduceOptions,
      fieldConfig,
      replaceVariables,
      theme: config.theme2,
      timeZone,
    });
    return (
      <>
        {values.map((v, i) => {
          const text = formattedValueToString(v.display);
          const [link] = v.getLinks?.() ?? [];
          return (
            <div key={i} data-testid="stat" data-field={v.display.title} data-color={v.display.color}>
              {link ? <a href={link.href}>{text}</a> : text}
            </div>
          );
        })}
      </>
    );
  };
  return withMeta(new PanelPlugin<StatOptions>(Stat).useFieldConfig(), 'stat', 'Stat');
}

/** Lists each series of the frames with its display name and total, enough to check what a time series would plot. */
export function timeseriesPanelStub(): PanelPlugin {
  const Series = ({ data }: PanelProps) => (
    <ul>
      {data.series.flatMap((frame, f) =>
        frame.fields
          .filter((field) => field.type !== FieldType.time)
          .map((field) => (
            <li key={`${f}-${field.name}`} data-testid="series" data-color={field.config.color?.fixedColor}>
              {field.name}: {field.values.reduce((sum: number, v: number | null) => sum + (v ?? 0), 0)}
            </li>
          ))
      )}
    </ul>
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
  const plugin = new PanelPlugin(Series).useFieldConfig({
    useCustomConfig: (builder) =>
      ['drawStyle', 'fillOpacity', 'lineWidth', 'stacking'].forEach((p) => builder.addCustomEditor(custom(p))),
  });
  return withMeta(plugin, 'timeseries', 'Time series');
}

function withMeta<T extends PanelPlugin>(plugin: T, id: string, name: string): T {
  plugin.meta = { id, name, type: PluginType.panel, info: { logos: { small: '', large: '' } } } as never;
  return plugin;
}

let installed = false;

/**
 * The shared table stand-in plus stat and time series. Grafana's importer can be set only once per test file, so
 * the stat and time series stand-ins are added to the one utils/testing installed.
 */
export function installOverviewPanelStubs(): void {
  installPanelStubs();
  if (installed) {
    return;
  }
  installed = true;
  const utils = getPluginImportUtils();
  const extra: Record<string, PanelPlugin> = { stat: statPanelStub(), timeseries: timeseriesPanelStub() };
  const importTable = utils.importPanelPlugin;
  const cachedTable = utils.getPanelPluginFromCache;
  utils.importPanelPlugin = async (id: string) => extra[id] ?? importTable(id);
  utils.getPanelPluginFromCache = (id: string) => extra[id] ?? cachedTable(id);
}
