// The DLQ stats: depth now, admissions (1 h, 24 h), retry backlog, lease expirations; each links to its detail.
import { css } from '@emotion/css';
import { type GrafanaTheme2, LoadingState } from '@grafana/data';
import {
  sceneGraph,
  type SceneComponentProps,
  SceneObjectBase,
  type SceneObjectState,
  SceneQueryRunner,
  type SceneObjectUrlSyncHandler,
  SceneTimeRange,
} from '@grafana/scenes';
import type { DataSourceRef } from '@grafana/schema';
import { Alert, Text, TextLink, useStyles2 } from '@grafana/ui';
import React from 'react';

import { PLUGIN_ID } from '../../constants';
import { testIds } from '../../components/testIds';
import { admissions, ADMISSION_POINTS, firstNumber, frameByRefId, promValue, statsQueries } from './data';
import { DLQ_PROMQL, eventDeliveryDashboardUrl, exploreUrl } from './links';

/** The stats' own fixed windows (1 h, 24 h): not the page's, so kept out of the URL (no `from-2`/`to-2`). */
export class StatsWindow extends SceneTimeRange {
  get urlSync(): SceneObjectUrlSyncHandler | undefined {
    return undefined;
  }
}

interface DlqStatsState extends SceneObjectState {
  /** 24 h of admissions for the stats; refreshed with the page's time range, never moved by the time picker. */
  $timeRange: SceneTimeRange;
  $data: SceneQueryRunner;
  /** Lease expirations from Prometheus; absent when the app has no Prometheus datasource. */
  prometheus?: SceneQueryRunner;
}

export class DlqStatsScene extends SceneObjectBase<DlqStatsState> {
  static Component = DlqStatsRenderer;

  constructor(datasource: DataSourceRef, prometheusUid: string | undefined) {
    super({
      $timeRange: new StatsWindow({ from: 'now-24h', to: 'now' }),
      $data: new SceneQueryRunner({
        datasource,
        queries: statsQueries(),
        maxDataPoints: ADMISSION_POINTS,
        minInterval: '1m',
      }),
      prometheus: prometheusUid
        ? new SceneQueryRunner({
            datasource: { type: 'prometheus', uid: prometheusUid },
            queries: PROMETHEUS_STATS.map(({ refId, expr }) => ({ refId, expr, instant: true, range: false })),
          })
        : undefined,
    });
    this.addActivationHandler(() => {
      // The page's refresh picker and time picker act on the page's range: follow them.
      const pageRange = this.parent ? sceneGraph.getTimeRange(this.parent) : undefined;
      const sub = pageRange?.subscribeToState(() => this.refresh());
      const prometheus = this.state.prometheus?.activate();
      return () => {
        sub?.unsubscribe();
        prometheus?.();
      };
    });
  }

  refresh() {
    this.state.$timeRange.onRefresh();
  }
}

/** With Prometheus, admissions come from KiCI's own counter (it also counts events retried since). */
export const PROMETHEUS_STATS = [
  { refId: 'admissions1h', expr: DLQ_PROMQL.admissions1h },
  { refId: 'admissions24h', expr: DLQ_PROMQL.admissions24h },
  { refId: 'leaseExpirations', expr: DLQ_PROMQL.leaseExpirations24h },
] as const;

export interface StatCard {
  key: 'depth' | 'admitted1h' | 'admitted24h' | 'retryBacklog' | 'leaseExpirations';
  title: string;
  value: number | null;
  caption: NonNullable<React.ReactNode>;
  link: { href: string; label: string };
}

function DlqStatsRenderer({ model }: SceneComponentProps<DlqStatsScene>) {
  const styles = useStyles2(getStyles);
  const { data } = model.state.$data.useState();
  const prometheusData = model.state.prometheus?.useState().data;
  const series = data?.series;
  // The end of the range the stats were read for.
  const now = data?.timeRange.to.valueOf() ?? 0;
  const adm = admissions(frameByRefId(series, 'admissions'), now);
  const delivery = frameByRefId(series, 'delivery');
  const error = data?.errors?.[0]?.message;
  const loading = data?.state === LoadingState.Loading && !series?.length;
  const prometheusUid = model.state.prometheus?.state.datasource?.uid;
  const prometheusError = prometheusData?.errors?.[0]?.message;
  const dueForRetry = firstNumber(delivery, 'dueForRetry');
  const promql = (refId: string) => PROMETHEUS_STATS.find((q) => q.refId === refId)!.expr;
  const promCaption = (refId: string, extra?: string) =>
    prometheusError ? (
      <span className={styles.error}>Prometheus: {prometheusError}</span>
    ) : (
      <>
        <code className={styles.code}>{promql(refId)}</code>
        {extra ? ` ${extra}` : ''}
      </>
    );
  const promExplore = (refId: string, range: { from: string; to: string }) => ({
    href: exploreUrl({ type: 'prometheus', uid: prometheusUid! }, promql(refId), range),
    label: 'Explore the PromQL',
  });
  const admittedCard = (
    key: 'admitted1h' | 'admitted24h',
    title: string,
    fromDb: number | null,
    refId: string,
    range: { from: string; to: string }
  ): StatCard =>
    prometheusUid
      ? {
          key,
          title,
          value: promValue(prometheusData?.series, refId),
          caption: promCaption(refId, fromDb === null ? undefined : `(${fromDb} of them still in the DLQ)`),
          link: promExplore(refId, range),
        }
      : {
          key,
          title,
          value: fromDb,
          caption: `Moved to the DLQ in the ${key === 'admitted1h' ? 'last hour' : 'last 24 hours'} and still there (database; a Prometheus datasource would also count those retried since)`,
          link: {
            href: eventDeliveryDashboardUrl(range),
            label: `Event delivery, ${key === 'admitted1h' ? '1 h' : '24 h'}`,
          },
        };

  const cards: StatCard[] = [
    {
      key: 'depth',
      title: 'DLQ depth',
      value: firstNumber(frameByRefId(series, 'depth'), 'depth'),
      caption: 'Events in the DLQ now, counted in the database (the Prometheus gauge is written by the leader only)',
      link: { href: '#dlq-events', label: 'The events' },
    },
    admittedCard('admitted1h', 'Admitted, last hour', adm?.lastHour ?? null, 'admissions1h', {
      from: 'now-1h',
      to: 'now',
    }),
    admittedCard('admitted24h', 'Admitted, last 24 h', adm?.last24h ?? null, 'admissions24h', {
      from: 'now-24h',
      to: 'now',
    }),
    {
      key: 'retryBacklog',
      title: 'Retry backlog',
      value: firstNumber(delivery, 'retryBacklog'),
      caption: `Undelivered events waiting for their next attempt${dueForRetry !== null ? ` (${dueForRetry} due now)` : ''}`,
      link: { href: eventDeliveryDashboardUrl(), label: 'Event delivery' },
    },
    prometheusUid
      ? {
          key: 'leaseExpirations',
          title: 'Lease expirations, 24 h',
          value: promValue(prometheusData?.series, 'leaseExpirations'),
          caption: promCaption('leaseExpirations'),
          link: promExplore('leaseExpirations', { from: 'now-24h', to: 'now' }),
        }
      : {
          key: 'leaseExpirations',
          title: 'Expired leases now',
          value: firstNumber(delivery, 'expiredLeases'),
          caption:
            'From the database. Lease expirations over time come from Prometheus: choose a Prometheus datasource on the app configuration page.',
          link: { href: `/plugins/${PLUGIN_ID}`, label: 'App configuration' },
        },
  ];

  return (
    <div data-testid={testIds.dlq.stats} className={styles.wrapper}>
      {error && (
        <Alert severity="error" title="DLQ stats unavailable">
          {error}
        </Alert>
      )}
      <div className={styles.grid}>
        {cards.map((c) => (
          <div key={c.key} className={styles.card} data-testid={testIds.dlq.stat} data-stat={c.key}>
            <Text color="secondary" variant="bodySmall">
              {c.title}
            </Text>
            <div className={styles.value} data-value>
              {c.value === null ? (loading ? '…' : '—') : c.value.toLocaleString('en-US')}
            </div>
            <Text color="secondary" variant="bodySmall">
              {c.caption}
            </Text>
            <TextLink href={c.link.href} variant="bodySmall" inline={false}>
              {c.link.label}
            </TextLink>
          </div>
        ))}
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrapper: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  grid: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(200px, 1fr))',
    gap: theme.spacing(1),
  }),
  card: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    padding: theme.spacing(1.5),
    background: theme.colors.background.secondary,
    borderRadius: theme.shape.radius.default,
  }),
  value: css({ fontSize: theme.typography.h2.fontSize, fontWeight: theme.typography.fontWeightMedium }),
  code: css({ fontSize: theme.typography.bodySmall.fontSize, wordBreak: 'break-all' }),
  error: css({ color: theme.colors.error.text }),
});
