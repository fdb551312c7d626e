// Traces: find a requestId, runId, jobId, eventId or delivery id in KiCI's logs (Loki) and see its lines across the
// Platform, orchestrator and agent tiers, or continue in the Logs trace dashboard or Explore.
import {
  EmbeddedScene,
  SceneAppPage,
  SceneControlsSpacer,
  SceneFlexItem,
  SceneFlexLayout,
  SceneReactObject,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
} from '@grafana/scenes';
import { getDataSourceSrv } from '@grafana/runtime';
import { Alert, TextLink } from '@grafana/ui';
import React from 'react';

import { testIds } from '../../components/testIds';
import { ROUTES } from '../../constants';
import type { KiciAppSettings } from '../../datasource/query';
import { prefixRoute } from '../../utils/utils.routing';
import { type LokiChoice, resolveLokiDatasource } from './lokiDatasource';
import { TraceSearch } from './TraceSearch';

const APP_CONFIG_URL = '/plugins/kici-ops-app';

/** What to configure when the page has no usable Loki datasource. */
export function LokiNotConfigured({ choice }: { choice: Exclude<LokiChoice, { status: 'ok' }> }) {
  const available =
    'available' in choice && choice.available.length > 0 ? (
      <>
        {' '}
        Loki datasources in this Grafana: <b>{choice.available.join(', ')}</b>.
      </>
    ) : (
      <>
        {' '}
        This Grafana has no Loki datasource yet: <TextLink href="/connections/datasources/new">add one</TextLink>{' '}
        pointing at the Loki that receives KiCI&apos;s JSON logs (e.g. shipped by Grafana Alloy with the labels{' '}
        <code>env</code>, <code>host</code>, <code>service</code>, <code>instance</code>).
      </>
    );
  const title =
    choice.status === 'not-configured'
      ? 'Choose the Loki datasource with KiCI logs'
      : choice.status === 'missing'
        ? `The configured Loki datasource (uid ${choice.uid}) does not exist`
        : `The configured Loki datasource ${choice.name} is a ${choice.type} datasource`;
  return (
    <Alert severity="info" title={title} data-testid={testIds.traces.lokiMissing}>
      Traces are read from Loki. Pick the Loki datasource under <b>Loki</b> on the{' '}
      <TextLink href={APP_CONFIG_URL}>app configuration page</TextLink> (app setting <code>lokiDatasourceUid</code>, or{' '}
      <code>jsonData.lokiDatasourceUid</code> in the app&apos;s provisioning file).
      {available}
    </Alert>
  );
}

export function tracesScene(choice: LokiChoice): EmbeddedScene {
  const body =
    choice.status === 'ok'
      ? new TraceSearch({ lokiUid: choice.uid, lokiName: choice.name })
      : new SceneReactObject({ component: LokiNotConfigured, props: { choice } });
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: 'now-24h', to: 'now' }),
    controls:
      choice.status === 'ok'
        ? [new SceneControlsSpacer(), new SceneTimePicker({}), new SceneRefreshPicker({ isOnCanvas: true })]
        : [],
    body: new SceneFlexLayout({ direction: 'column', children: [new SceneFlexItem({ body })] }),
  });
}

export function tracesPage(settings: KiciAppSettings | undefined): SceneAppPage {
  return new SceneAppPage({
    title: 'Traces',
    subTitle:
      'Follow a requestId, runId, jobId, eventId or delivery id through the Platform, orchestrator and agent logs',
    url: prefixRoute(ROUTES.Traces),
    routePath: `${ROUTES.Traces}/*`,
    getScene: () => tracesScene(resolveLokiDatasource(settings, getDataSourceSrv().getList())),
  });
}
