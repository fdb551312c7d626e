import { createTheme, FieldType, getDisplayProcessor, MappingType, toDataFrame } from '@grafana/data';

import { SceneDataTransformer, type SceneQueryRunner } from '@grafana/scenes';

import { HEALTH_STATUS_SEVERITY, healthMatrixPanel, healthQuery, healthStatusMappings } from './healthMatrix';

describe('health matrix', () => {
  it('queries the health query type', () => {
    expect(healthQuery()).toEqual({ refId: 'health', queryType: 'health' });
  });

  it('maps every backend status to a colour by severity, keeping the status word', () => {
    const theme = createTheme();
    const field = toDataFrame({
      fields: [{ name: 'status', type: FieldType.string, values: [] }],
    }).fields[0];
    field.config = { mappings: healthStatusMappings() };
    const display = getDisplayProcessor({ field, theme });
    const color = (status: string) => display(status).color;

    expect(display('ok').text).toBe('ok');
    expect(color('ok')).toBe(theme.visualization.getColorByName('green'));
    expect(color('warning')).toBe(theme.visualization.getColorByName('orange'));
    expect(color('error')).toBe(theme.visualization.getColorByName('red'));
    expect(color('unreachable')).toBe(theme.visualization.getColorByName('red'));
    expect(color('not configured')).toBe(theme.visualization.getColorByName('transparent'));
  });

  it('has one value-map entry per known status', () => {
    const [mapping] = healthStatusMappings();
    expect(mapping.type).toBe(MappingType.ValueToText);
    expect(Object.keys(mapping.type === MappingType.ValueToText ? mapping.options : {})).toEqual(
      Object.keys(HEALTH_STATUS_SEVERITY)
    );
  });

  it('builds a table on the given datasource with the status column coloured and latency in ms', () => {
    const panel = healthMatrixPanel({ uid: 'kici', type: 'kici-ops-datasource' });
    expect(panel.state.pluginId).toBe('table');
    const transformer = panel.state.$data as SceneDataTransformer;
    expect(transformer.state.transformations).toEqual([{ id: 'organize', options: { excludeByName: { up: true } } }]);
    const runner = transformer.state.$data as SceneQueryRunner;
    expect(runner.state.datasource).toEqual({ uid: 'kici', type: 'kici-ops-datasource' });
    expect(runner.state.queries).toEqual([healthQuery()]);

    const overrides = panel.state.fieldConfig.overrides;
    const status = overrides.find((o) => o.matcher.options === 'status')!;
    expect(status.properties).toEqual(
      expect.arrayContaining([
        { id: 'mappings', value: healthStatusMappings() },
        { id: 'custom.cellOptions', value: { type: 'color-background' } },
      ])
    );
    const latency = overrides.find((o) => o.matcher.options === 'latency_ms')!;
    expect(latency.properties).toEqual(expect.arrayContaining([{ id: 'unit', value: 'ms' }]));
  });
});
