import { FieldColorModeId, MappingType, ThresholdsMode, type ValueMapping } from '@grafana/data';
import { PanelBuilders, SceneDataTransformer, SceneQueryRunner, type VizPanel } from '@grafana/scenes';
import {
  BigValueColorMode,
  BigValueGraphMode,
  BigValueTextMode,
  type DataSourceRef,
  TableCellDisplayMode,
  TableCellHeight,
} from '@grafana/schema';

import type { KiciQuery } from '../../datasource/query';
import { STAT_COLORS } from './executionMetrics';
import { healthStatusMappings } from './healthMatrix';
import { DLQ_PAGE_URL } from './links';
import { wrapColumn } from './tableWrap';

// ---- DLQ depth now ----

export function dlqDepthQuery(): KiciQuery {
  // Without `series`: one number, the events in the DLQ now.
  return { refId: 'dlqDepth', queryType: 'dlqDepth' };
}

export function dlqDepthPanel(datasource: DataSourceRef): VizPanel {
  return PanelBuilders.stat()
    .setTitle('DLQ depth')
    .setDescription(
      'Events in the event DLQ now (kici_events.dlq_at set). Orange from 1, as KiCI’s EventDLQBacklog alert. Opens the Event DLQ page.'
    )
    .setData(new SceneQueryRunner({ datasource, queries: [dlqDepthQuery()] }))
    .setOption('reduceOptions', { values: false, calcs: ['lastNotNull'], fields: '' })
    .setOption('graphMode', BigValueGraphMode.None)
    .setOption('textMode', BigValueTextMode.Value)
    .setOption('colorMode', BigValueColorMode.Value)
    .setNoValue('—')
    .setColor({ mode: FieldColorModeId.Thresholds })
    .setThresholds({
      mode: ThresholdsMode.Absolute,
      steps: [
        { value: -Infinity, color: STAT_COLORS.ok },
        { value: 1, color: STAT_COLORS.warn },
      ],
    })
    .setLinks([{ title: 'Event DLQ', url: DLQ_PAGE_URL }])
    .build();
}

// ---- Cluster status: the /cluster/health row of each orchestrator, from the health matrix's query ----

export const CLUSTER_HEALTH_COMPONENT = 'orchestrator /cluster/health';

/** Reads the health query of its ancestors: the cluster status and the matrix share one health query. */
export function clusterStatusData(): SceneDataTransformer {
  return new SceneDataTransformer({
    transformations: [
      {
        id: 'filterByValue',
        options: {
          type: 'include',
          match: 'any',
          filters: [{ fieldName: 'component', config: { id: 'equal', options: { value: CLUSTER_HEALTH_COMPONENT } } }],
        },
      },
      {
        id: 'organize',
        options: {
          excludeByName: { component: true, latency_ms: true, up: true },
          // The node's name, then the URL it answers at (both, as the Infrastructure page shows them).
          indexByName: { instance: 0, target: 1, status: 2, message: 3, hint: 4, last_success: 5 },
        },
      },
    ],
  });
}

// The Cluster and What to do cells wrap (the advice is what an operator needs most) and open in Grafana's cell
// inspector (tableWrap.ts).
export function clusterStatusPanel(): VizPanel {
  return PanelBuilders.table()
    .setTitle('Cluster status')
    .setDescription(
      'Each orchestrator’s /cluster/health: healthy, degraded or unreachable, its Raft role and leader, connected peers, agents and active runs'
    )
    .setData(clusterStatusData())
    .setNoValue('—')
    .setOption('cellHeight', TableCellHeight.Sm)
    .setOverrides((b) =>
      b
        .matchFieldsWithName('instance')
        .overrideDisplayName('Orchestrator')
        .overrideCustomFieldConfig('width', 120)
        .matchFieldsWithName('target')
        .overrideDisplayName('URL')
        .overrideCustomFieldConfig('width', 200)
        .matchFieldsWithName('status')
        .overrideDisplayName('Status')
        .overrideMappings(healthStatusMappings())
        .overrideCustomFieldConfig('cellOptions', { type: TableCellDisplayMode.ColorBackground })
        .overrideCustomFieldConfig('width', 110)
        .matchFieldsWithName('target')
        .overrideCustomFieldConfig('wrapText', true)
    )
    .setOverrides((b) => wrapColumn(b, 'message', 'Cluster', true))
    .setOverrides((b) => wrapColumn(b, 'hint', 'What to do'))
    .build();
}

// ---- Orphaned connections: the Platform's count, or the orchestrator analogues labelled as such ----

export const PLATFORM_ORPHAN_RULE =
  'The orphan sweeper removes connection records older than 6 minutes, twice the maximum expected heartbeat interval.';
export const PLATFORM_ORPHAN_WARNING =
  'A high count may indicate Platform instance instability: investigate before the sweeper masks the problem.';

export function orphanedConnectionsQuery(): KiciQuery {
  return { refId: 'orphanedConnections', queryType: 'orphanedConnections' };
}

const ORPHAN_STATUS_COLORS: Record<string, string> = {
  ok: 'green',
  warning: 'orange',
  error: 'red',
  'not configured': 'transparent',
  'not available': 'transparent',
};

export function orphanStatusMappings(): ValueMapping[] {
  const options: Record<string, { color: string; index: number }> = {};
  Object.entries(ORPHAN_STATUS_COLORS).forEach(([status, color], index) => {
    options[status] = { color, index };
  });
  return [{ type: MappingType.ValueToText, options }];
}

export function orphanedConnectionsPanel(datasource: DataSourceRef): VizPanel {
  return PanelBuilders.table()
    .setTitle('Orphaned connections')
    .setDescription(
      `With KiCI Platform configured: its orphaned WebSocket connection records (${PLATFORM_ORPHAN_RULE} ${PLATFORM_ORPHAN_WARNING}) Self-hosted: the orchestrator’s analogues from its own database, labelled “orchestrator analogue”.`
    )
    .setData(
      new SceneDataTransformer({
        $data: new SceneQueryRunner({ datasource, queries: [orphanedConnectionsQuery()] }),
        transformations: [{ id: 'organize', options: { excludeByName: { kind: true } } }],
      })
    )
    .setNoValue('—')
    .setOption('cellHeight', TableCellHeight.Sm)
    .setOverrides((b) =>
      b
        .matchFieldsWithName('label')
        .overrideDisplayName('Finding')
        .overrideCustomFieldConfig('width', 260)
        .matchFieldsWithName('source')
        .overrideDisplayName('Source')
        .overrideCustomFieldConfig('width', 170)
        .matchFieldsWithName('count')
        .overrideDisplayName('Count')
        .overrideCustomFieldConfig('width', 80)
        .matchFieldsWithName('status')
        .overrideDisplayName('Status')
        .overrideMappings(orphanStatusMappings())
        .overrideCustomFieldConfig('cellOptions', { type: TableCellDisplayMode.ColorBackground })
        .overrideCustomFieldConfig('width', 120)
    )
    .setOverrides((b) => wrapColumn(b, 'message', 'Message'))
    .setOverrides((b) => wrapColumn(b, 'rule', 'Rule', true))
    .build();
}
