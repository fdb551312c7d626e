// Stand-ins for Grafana's core panel plugins (they live in Grafana, not on npm), built from @grafana/ui and
// @grafana/data: the values, display names, units, mappings and colours are the real field display pipeline;
// the layout and pixels are not Grafana's panels. Each carries data-testid `host-panel-<type>` for tests.
import {
  type DataFrame,
  type FieldConfigSource,
  type FieldDisplay,
  FieldType,
  formattedValueToString,
  getFieldDisplayName,
  getFieldDisplayValues,
  PanelPlugin,
  type PanelProps,
  PluginType,
  type ReduceDataOptions,
} from '@grafana/data';
import { LegendDisplayMode, TableCellDisplayMode } from '@grafana/schema';
import {
  BigValue,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueJustifyMode,
  BigValueTextMode,
  TimeSeries,
  useTheme2,
} from '@grafana/ui';
import React from 'react';

import { optionItem } from './registries';

const CUSTOM_OPTIONS = [
  'cellOptions',
  'width',
  'align',
  'hidden',
  'filterable',
  'inspect',
  'wrapText',
  'drawStyle',
  'lineWidth',
  'fillOpacity',
  'stacking',
  'axisLabel',
  'axisPlacement',
  'showPoints',
  'spanNulls',
  'gradientMode',
  'hideFrom',
  'thresholdsStyle',
  'barAlignment',
  'pointSize',
  'lineInterpolation',
  'axisSoftMin',
  'axisSoftMax',
];

function Empty({ type, data }: { type: string; data: PanelProps['data'] }) {
  return (
    <div data-testid={`host-panel-${type}`} data-empty="true" style={{ padding: 8, opacity: 0.7 }}>
      {data.state === 'Loading' ? 'Loading…' : 'No data'}
    </div>
  );
}

const hasRows = (series: DataFrame[]) => series.some((f) => f.length > 0);

function TablePanel({ data, height }: PanelProps) {
  const theme = useTheme2();
  if (!hasRows(data.series)) {
    return <Empty type="table" data={data} />;
  }
  return (
    <div data-testid="host-panel-table" style={{ height, overflow: 'auto' }}>
      {data.series.map((frame, f) => {
        const fields = frame.fields.filter((x) => !x.config.custom?.hidden);
        return (
          <table
            key={f}
            style={{ width: '100%', borderCollapse: 'collapse', fontSize: theme.typography.bodySmall.fontSize }}
          >
            <thead>
              <tr>
                {fields.map((field) => (
                  <th
                    key={field.name}
                    style={{
                      textAlign: 'left',
                      padding: '4px 8px',
                      borderBottom: `1px solid ${theme.colors.border.medium}`,
                      color: theme.colors.text.link,
                      width: field.config.custom?.width,
                    }}
                  >
                    {getFieldDisplayName(field, frame, data.series)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: frame.length }, (_, row) => (
                <tr
                  key={row}
                  data-testid="host-table-row"
                  style={{ borderBottom: `1px solid ${theme.colors.border.weak}` }}
                >
                  {fields.map((field) => {
                    const shown = field.display
                      ? field.display(field.values[row])
                      : { text: String(field.values[row] ?? ''), numeric: NaN };
                    const background =
                      field.config.custom?.cellOptions?.type === TableCellDisplayMode.ColorBackground &&
                      shown.color &&
                      shown.color !== 'transparent';
                    return (
                      <td
                        key={field.name}
                        data-field={field.name}
                        data-color={shown.color}
                        style={{
                          padding: '4px 8px',
                          background: background ? shown.color : undefined,
                          color: background ? theme.colors.getContrastText(shown.color!) : undefined,
                          // Grafana's table wraps a cell when the field asks for it (custom.wrapText).
                          whiteSpace: field.config.custom?.wrapText ? 'normal' : 'nowrap',
                          overflowWrap: field.config.custom?.wrapText ? 'break-word' : undefined,
                          verticalAlign: 'top',
                        }}
                      >
                        {formattedValueToString(shown)}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        );
      })}
    </div>
  );
}

interface StatOptions {
  reduceOptions?: ReduceDataOptions;
  colorMode?: BigValueColorMode;
  graphMode?: BigValueGraphMode;
  textMode?: BigValueTextMode;
}

function StatPanel({ data, width, height, options, fieldConfig, replaceVariables, timeZone }: PanelProps<StatOptions>) {
  const theme = useTheme2();
  const values: FieldDisplay[] = getFieldDisplayValues({
    data: data.series,
    fieldConfig: fieldConfig as FieldConfigSource,
    reduceOptions: options.reduceOptions ?? { calcs: ['lastNotNull'], values: false },
    replaceVariables,
    theme,
    timeZone,
  });
  if (!hasRows(data.series) || !values.length) {
    return <Empty type="stat" data={data} />;
  }
  const w = Math.max(60, Math.floor(width / values.length));
  return (
    <div data-testid="host-panel-stat" style={{ display: 'flex', width, height }}>
      {values.map((v, i) => (
        <div
          key={i}
          data-testid="host-stat-value"
          data-title={v.display.title ?? v.field.displayName ?? ''}
          data-text={formattedValueToString(v.display)}
          data-numeric={Number.isFinite(v.display.numeric) ? String(v.display.numeric) : ''}
        >
          <BigValue
            value={v.display}
            width={w}
            height={height}
            theme={theme}
            colorMode={options.colorMode ?? BigValueColorMode.Value}
            graphMode={BigValueGraphMode.None}
            justifyMode={BigValueJustifyMode.Auto}
            textMode={options.textMode ?? BigValueTextMode.Auto}
          />
        </div>
      ))}
    </div>
  );
}

function TimeSeriesPanel({ data, width, height, timeRange, timeZone }: PanelProps) {
  const frames = data.series.filter((f) => f.length > 0 && f.fields.some((x) => x.type === FieldType.time));
  if (!frames.length) {
    return <Empty type="timeseries" data={data} />;
  }
  return (
    <div data-testid="host-panel-timeseries">
      <TimeSeries
        frames={frames}
        width={width}
        height={height}
        timeRange={timeRange}
        timeZone={timeZone}
        legend={{ displayMode: LegendDisplayMode.List, placement: 'bottom', showLegend: true, calcs: [] }}
      >
        {() => null}
      </TimeSeries>
    </div>
  );
}

/** Any other panel type: each frame's fields and first values, so a page using it still shows its data. */
function summaryPanel(type: string) {
  return function SummaryPanel({ data }: PanelProps) {
    if (!hasRows(data.series)) {
      return <Empty type={type} data={data} />;
    }
    return (
      <div data-testid={`host-panel-${type}`} style={{ padding: 8, fontSize: 12 }}>
        <em>{type} (host stand-in)</em>
        {data.series.map((frame, i) => (
          <div key={i}>
            {frame.fields.map((f) => (
              <div key={f.name}>
                <b>{getFieldDisplayName(f, frame)}</b>:{' '}
                {f.values
                  .slice(0, 5)
                  .map((v) => (f.display ? formattedValueToString(f.display(v)) : String(v)))
                  .join(', ')}
              </div>
            ))}
          </div>
        ))}
      </div>
    );
  };
}

function make(id: string, component: React.ComponentType<PanelProps<any>>): PanelPlugin {
  const plugin = new PanelPlugin(component).useFieldConfig({
    useCustomConfig: (builder) => {
      for (const name of CUSTOM_OPTIONS) {
        builder.addCustomEditor(optionItem(name) as never);
      }
    },
  });
  plugin.meta = {
    id,
    name: id,
    type: PluginType.panel,
    module: `core:plugin/${id}`,
    baseUrl: '',
    info: {
      author: { name: 'host' },
      description: '',
      links: [],
      logos: { small: '', large: '' },
      screenshots: [],
      updated: '',
      version: '12.4.2',
    },
  } as never;
  return plugin;
}

const PANELS: Record<string, PanelPlugin> = {};

export function getPanelPlugin(id: string): PanelPlugin {
  if (!PANELS[id]) {
    const component =
      id === 'table'
        ? TablePanel
        : id === 'stat'
          ? StatPanel
          : id === 'timeseries'
            ? TimeSeriesPanel
            : summaryPanel(id);
    PANELS[id] = make(id, component);
  }
  return PANELS[id];
}
