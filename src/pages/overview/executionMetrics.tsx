import { type DataLink, FieldColorModeId, type ThresholdsConfig, ThresholdsMode } from '@grafana/data';
import {
  PanelBuilders,
  SceneDataTransformer,
  SceneFlexItem,
  SceneFlexLayout,
  SceneQueryRunner,
  SceneReactObject,
  type VizPanel,
} from '@grafana/scenes';
import {
  BigValueColorMode,
  BigValueGraphMode,
  BigValueJustifyMode,
  BigValueTextMode,
  type DataSourceRef,
} from '@grafana/schema';
import { Text } from '@grafana/ui';
import React from 'react';

import { testIds } from '../../components/testIds';
import type { KiciQuery } from '../../datasource/query';
import { drilldownUrl, keepTimeLink } from './links';

/**
 * Stat value colours readable on both themes' backgrounds (WCAG large text, 3:1): Grafana's plain "orange" is 2.64:1
 * and "green" 3.02:1 on the light theme (@grafana/data 12.4.2 visualization palette), these shades are ≥ 3.75:1 on both.
 */
export const STAT_COLORS = { ok: 'semi-dark-green', warn: 'dark-orange', bad: 'semi-dark-red' } as const;

/** The backend's definition (executions/frames.ts SUCCESS_RATE_DEFINITION), shown under the stats. */
export const SUCCESS_RATE_DEFINITION =
  'Successful runs ÷ finished runs (success, failed or cancelled), in %. Runs still pending, running, cancelling or held are not counted; empty when no run finished in the window.';

/** `window`: the last 24 h (KiCI's own snapshot) or the page's time range (drilldowns). */
export type MetricsWindow = 'last24h' | 'timeRange';

export function executionMetricsQuery(window: MetricsWindow = 'last24h'): KiciQuery {
  return {
    refId: 'executionMetrics',
    queryType: 'executionMetrics',
    ...(window === 'timeRange' ? { useTimeRange: true } : {}),
  };
}

export interface ExecutionStat {
  /** Field of the executionMetrics frame. */
  field: string;
  title: string;
  description: string;
  link: DataLink;
  thresholds?: ThresholdsConfig;
}

const neutral = (): ThresholdsConfig => ({
  mode: ThresholdsMode.Absolute,
  steps: [{ value: -Infinity, color: 'text' }],
});

/** KiCI's own alert QueueDepthSaturated fires above 50 pending dispatch_queue rows. */
export const QUEUE_SATURATED_AT = 50;

export function executionStats(window: MetricsWindow): ExecutionStat[] {
  const when = window === 'last24h' ? 'in the last 24 h' : 'in the time range';
  const runs = keepTimeLink('Runs by status', drilldownUrl('runs'));
  const queue = keepTimeLink('Queue', drilldownUrl('queue'));
  return [
    {
      field: 'total_runs',
      title: 'Total runs',
      description: `Workflow runs created ${when}.`,
      link: runs,
    },
    {
      field: 'success_rate',
      title: 'Success rate',
      description: SUCCESS_RATE_DEFINITION,
      link: runs,
      thresholds: {
        mode: ThresholdsMode.Absolute,
        steps: [
          { value: -Infinity, color: STAT_COLORS.bad },
          { value: 80, color: STAT_COLORS.warn },
          { value: 95, color: STAT_COLORS.ok },
        ],
      },
    },
    {
      field: 'avg_duration',
      title: 'Average duration',
      description: `Mean duration of the runs created ${when} that completed.`,
      link: runs,
    },
    {
      field: 'active_jobs',
      title: 'Active jobs',
      description: 'Queued + running jobs, now.',
      link: queue,
    },
    {
      field: 'queued_jobs',
      title: 'Queued jobs',
      description: `Jobs waiting for an agent now (dispatch_queue pending). Orange above ${QUEUE_SATURATED_AT}, where KiCI's QueueDepthSaturated alert fires.`,
      link: queue,
      thresholds: {
        mode: ThresholdsMode.Absolute,
        steps: [
          { value: -Infinity, color: STAT_COLORS.ok },
          { value: QUEUE_SATURATED_AT + 1, color: STAT_COLORS.warn },
        ],
      },
    },
    {
      field: 'running_jobs',
      title: 'Running jobs',
      description: 'Jobs running now.',
      link: queue,
    },
  ];
}

/**
 * One stat of one field of the (parent's) executionMetrics frame; the whole value links to its detail. The field is
 * picked by name with a transformation: the stat's own field regexp would match the backend's display name.
 */
export function executionStatPanel(stat: ExecutionStat): VizPanel {
  return PanelBuilders.stat()
    .setTitle(stat.title)
    .setDescription(stat.description)
    .setData(
      new SceneDataTransformer({
        transformations: [{ id: 'filterFieldsByName', options: { include: { names: [stat.field] } } }],
      })
    )
    .setOption('reduceOptions', { values: false, calcs: ['lastNotNull'], fields: '' })
    .setOption('graphMode', BigValueGraphMode.None)
    .setOption('textMode', BigValueTextMode.Value)
    .setOption('justifyMode', BigValueJustifyMode.Center)
    .setOption('colorMode', stat.thresholds ? BigValueColorMode.Value : BigValueColorMode.None)
    .setNoValue('—')
    .setColor({ mode: FieldColorModeId.Thresholds })
    .setThresholds(stat.thresholds ?? neutral())
    .setLinks([stat.link])
    .build();
}

/** A row of stats over one executionMetrics query. */
export function executionStatsRow(
  datasource: DataSourceRef,
  window: MetricsWindow,
  fields?: string[]
): SceneFlexLayout {
  const stats = executionStats(window).filter((s) => !fields || fields.includes(s.field));
  return new SceneFlexLayout({
    direction: 'row',
    // Narrow screens: the stats wrap to a second row instead of widening the page past the viewport.
    wrap: 'wrap',
    $data: new SceneQueryRunner({ datasource, queries: [executionMetricsQuery(window)] }),
    children: stats.map(
      (stat) => new SceneFlexItem({ key: stat.field, minWidth: 150, height: 120, body: executionStatPanel(stat) })
    ),
  });
}

function SuccessRateDefinition() {
  return (
    <div data-testid={testIds.overview.successRateDefinition}>
      <Text variant="bodySmall" color="secondary">
        Success rate = {SUCCESS_RATE_DEFINITION}
      </Text>
    </div>
  );
}

export function successRateDefinition(): SceneReactObject {
  return new SceneReactObject({ component: SuccessRateDefinition });
}
