import { MappingType, type ValueMapping } from '@grafana/data';
import { PanelBuilders, SceneDataTransformer, SceneQueryRunner, type VizPanel } from '@grafana/scenes';
import { type DataSourceRef, TableCellDisplayMode, TableCellHeight } from '@grafana/schema';

import type { KiciQuery } from '../../datasource/query';
import { wrapColumn } from './tableWrap';

type Severity = 'ok' | 'warning' | 'failing' | 'inactive';

const SEVERITY_COLORS: Record<Severity, string> = {
  ok: 'green',
  warning: 'orange',
  failing: 'red',
  inactive: 'transparent',
};

/** Every status word a check can report (backend checks plus KiCI's own health vocabularies), by severity. */
export const HEALTH_STATUS_SEVERITY: Record<string, Severity> = {
  ok: 'ok',
  pass: 'ok',
  healthy: 'ok',
  ready: 'ok',
  warn: 'warning',
  warning: 'warning',
  degraded: 'warning',
  unknown: 'warning',
  error: 'failing',
  fail: 'failing',
  failed: 'failing',
  unhealthy: 'failing',
  unreachable: 'failing',
  down: 'failing',
  'not ready': 'failing',
  'not configured': 'inactive',
  skipped: 'inactive',
};

export function healthQuery(): KiciQuery {
  return { refId: 'health', queryType: 'health' };
}

/** Colours the status cell by severity; the text stays the backend's own word. */
export function healthStatusMappings(): ValueMapping[] {
  const options: Record<string, { color: string; index: number }> = {};
  Object.entries(HEALTH_STATUS_SEVERITY).forEach(([status, severity], index) => {
    options[status] = { color: SEVERITY_COLORS[severity], index };
  });
  return [{ type: MappingType.ValueToText, options }];
}

/** `up` (1/0) exists for alert rules; the status column already says it. */
export const HEALTH_HIDDEN_COLUMNS = ['up'];

export function healthQueryRunner(datasource: DataSourceRef): SceneQueryRunner {
  return new SceneQueryRunner({ datasource, queries: [healthQuery()] });
}

/** Without `$data`, the matrix reads the health query of its ancestors (shared with the cluster status). */
export function healthMatrixData($data?: SceneQueryRunner): SceneDataTransformer {
  return new SceneDataTransformer({
    ...($data ? { $data } : {}),
    transformations: [
      {
        id: 'organize',
        options: { excludeByName: Object.fromEntries(HEALTH_HIDDEN_COLUMNS.map((name) => [name, true])) },
      },
    ],
  });
}

export function healthMatrixPanel(datasource: DataSourceRef): VizPanel {
  return healthMatrixTable(healthMatrixData(healthQueryRunner(datasource)));
}

export function healthMatrixTable(data: SceneDataTransformer): VizPanel {
  return PanelBuilders.table()
    .setTitle('Health')
    .setDescription(
      'Every KiCI endpoint the datasource reaches: PostgreSQL, each orchestrator, the admin token, Platform'
    )
    .setData(data)
    .setNoValue('—')
    .setOption('cellHeight', TableCellHeight.Sm)
    .setOverrides((b) =>
      b
        .matchFieldsWithName('component')
        .overrideDisplayName('Component')
        .matchFieldsWithName('target')
        .overrideDisplayName('Target')
        .matchFieldsWithName('instance')
        .overrideDisplayName('Orchestrator')
        .matchFieldsWithName('status')
        .overrideDisplayName('Status')
        .overrideMappings(healthStatusMappings())
        .overrideCustomFieldConfig('cellOptions', { type: TableCellDisplayMode.ColorBackground })
        .overrideCustomFieldConfig('width', 140)
        .matchFieldsWithName('latency_ms')
        .overrideDisplayName('Latency')
        .overrideUnit('ms')
        .overrideCustomFieldConfig('width', 100)
    )
    .setOverrides((b) => wrapColumn(b, 'message', 'Message', true))
    .setOverrides((b) => wrapColumn(b, 'hint', 'What to do'))
    .build();
}
