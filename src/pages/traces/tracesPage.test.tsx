import { type DataQueryRequest, type DataSourceApi, LoadingState, type PanelData } from '@grafana/data';
import { locationService, setDataSourceSrv, setRunRequest } from '@grafana/runtime';
import { SceneApp } from '@grafana/scenes';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import { of } from 'rxjs';

import { testIds } from '../../components/testIds';
import type { KiciAppSettings } from '../../datasource/query';
import { AtPath, dataSourceSrvStub, dsSettings } from '../../utils/testing';
import {
  DELIVERY_ID,
  GENERIC_DELIVERY_ID,
  GENERIC_ROWS,
  lokiLogFrame,
  REQUEST_ID,
  RUN_ID,
  TRACE_ROWS,
} from './fixtures';
import { tracesPage } from './tracesPage';
import { type LokiTraceQuery, traceLogQL } from './traceQuery';

const LOKI = dsSettings('loki', 'loki', 'Loki');

describe('traces page', () => {
  let requests: Array<DataQueryRequest<LokiTraceQuery>>;
  let answer: PanelData['series'];

  beforeEach(() => {
    requests = [];
    answer = [lokiLogFrame(TRACE_ROWS)];
    // runRequest is stubbed: the Loki instance only has to name itself.
    const lokiInstance = {
      uid: 'loki',
      type: 'loki',
      name: 'Loki',
      meta: LOKI.meta,
      getRef: () => ({ type: 'loki', uid: 'loki' }),
    };
    setDataSourceSrv(
      dataSourceSrvStub([LOKI, dsSettings('kici', 'kici-ops-datasource', 'KiCI')], { loki: lokiInstance })
    );
    setRunRequest((_ds: DataSourceApi, request: DataQueryRequest) => {
      requests.push(request as DataQueryRequest<LokiTraceQuery>);
      return of({ state: LoadingState.Done, series: answer, timeRange: request.range });
    });
  });

  function renderTraces(settings: KiciAppSettings, path = '/a/kici-ops-app/traces') {
    const app = new SceneApp({ pages: [tracesPage(settings)] });
    render(
      <AtPath path={path}>
        <app.Component model={app} />
      </AtPath>
    );
  }

  it('finds a generic webhook by the <routing_key>:<uuid> deliveryId its answer returned, kept whole', async () => {
    answer = [lokiLogFrame(GENERIC_ROWS)];
    renderTraces(
      { lokiDatasourceUid: 'loki' },
      `/a/kici-ops-app/traces?id=${encodeURIComponent(`{"deliveryId":"${GENERIC_DELIVERY_ID}"}`)}`
    );
    const lines = await screen.findAllByTestId(testIds.traces.line);
    expect(requests[0].targets[0].expr).toBe(traceLogQL([{ kind: 'deliveryId', value: GENERIC_DELIVERY_ID }]));
    expect(requests[0].targets[0].expr).toContain(`| deliveryId="${GENERIC_DELIVERY_ID}"`);
    expect(lines.map((l) => l.textContent)).toEqual([
      expect.stringContaining('Generic webhook accepted'),
      expect.stringContaining('Webhook processed'),
      expect.stringContaining('Request completed'),
    ]);
  });

  it('says where the ids are typed what each one is: X-Request-ID is not the pipeline requestId', async () => {
    renderTraces({ lokiDatasourceUid: 'loki' });
    const help = await screen.findByTestId(testIds.traces.idHelp);
    const items = within(help)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(items).toEqual([
      expect.stringMatching(/^deliveryId: .*`<routing_key>:<uuid>` for a generic webhook/),
      expect.stringMatching(/^X-Request-ID: not a requestId\. KiCI logs a caller's X-Request-ID only on/),
      expect.stringMatching(/^requestId: the webhook pipeline's own id, .*never returned to the sender/),
      expect.stringMatching(/^runId \/ jobId \/ eventId: .*`Job dispatched` names the job in `job`, not `jobId`/),
    ]);
  });

  it('searches the id from the URL on the configured Loki and shows the lines in time order, errors marked', async () => {
    renderTraces({ lokiDatasourceUid: 'loki' }, `/a/kici-ops-app/traces?id=${REQUEST_ID}`);

    const lines = await screen.findAllByTestId(testIds.traces.line);
    expect(requests).toHaveLength(1);
    expect(requests[0].targets).toEqual([
      expect.objectContaining({ expr: traceLogQL([{ kind: 'any', value: REQUEST_ID }]), direction: 'forward' }),
    ]);
    expect(requests[0].targets[0].datasource).toEqual({ type: 'loki', uid: 'loki' });

    expect(lines.map((l) => [l.dataset.tier, l.dataset.level])).toEqual([
      ['orchestrator', 'info'],
      ['orchestrator', 'info'],
      ['agent', 'info'],
      ['agent', 'info'],
      ['agent', 'error'],
    ]);
    expect(lines[0]).toHaveTextContent('Webhook relay stream started');
    expect(lines[3]).toHaveTextContent('via orchestrator');
    expect(lines[4]).toHaveTextContent('Step "test" exited with code 1');
    expect(screen.getByTestId(testIds.traces.matched)).toHaveTextContent(`${REQUEST_ID} found as requestId`);
    expect(screen.getByTestId(testIds.traces.logql)).toHaveTextContent(
      traceLogQL([{ kind: 'any', value: REQUEST_ID }])
    );

    const dashboard = new URL(screen.getByTestId(testIds.traces.dashboardLink).getAttribute('href')!, 'http://g');
    expect(dashboard.pathname).toBe('/d/kici-logs-trace');
    expect(dashboard.searchParams.get('var-requestId')).toBe(REQUEST_ID);
    expect(dashboard.searchParams.get('var-runId')).toBeNull();
    expect(dashboard.searchParams.get('var-loki')).toBe('loki');
    expect(dashboard.searchParams.get('from')).toBe('now-24h');

    const explore = new URL(screen.getByTestId(testIds.traces.exploreLink).getAttribute('href')!, 'http://g');
    expect(JSON.parse(explore.searchParams.get('panes')!).kici.queries[0].expr).toBe(
      traceLogQL([{ kind: 'any', value: REQUEST_ID }])
    );
  });

  it('groups the lines by tier on demand', async () => {
    renderTraces({ lokiDatasourceUid: 'loki' }, `/a/kici-ops-app/traces?id=${REQUEST_ID}`);
    await screen.findAllByTestId(testIds.traces.line);

    await userEvent.click(within(screen.getByTestId(testIds.traces.view)).getByLabelText('Grouped by tier'));
    const groups = screen.getAllByTestId(testIds.traces.tierGroup);
    expect(groups.map((g) => g.dataset.tier)).toEqual(['orchestrator', 'agent']);
    expect(within(groups[1]).getAllByTestId(testIds.traces.line)).toHaveLength(3);
    expect(groups[1]).toHaveTextContent('1 error');
  });

  it('runs a pasted trace header as a runId and requestId search, and follows a related id', async () => {
    renderTraces({ lokiDatasourceUid: 'loki' });
    expect(requests).toHaveLength(0);

    await userEvent.click(screen.getByTestId(testIds.traces.input));
    await userEvent.paste(`Run: ${RUN_ID} | Trace: ${REQUEST_ID}`);
    // Typing is no search: neither a query nor a URL change until Find.
    expect(locationService.getSearchObject().id).toBeUndefined();
    expect(requests).toHaveLength(0);
    await userEvent.click(screen.getByTestId(testIds.traces.submit));
    await screen.findAllByTestId(testIds.traces.line);
    expect(requests.at(-1)!.targets[0].expr).toBe(
      traceLogQL([
        { kind: 'runId', value: RUN_ID },
        { kind: 'requestId', value: REQUEST_ID },
      ])
    );
    // The box and the URL show what was understood.
    expect(screen.getByTestId(testIds.traces.input)).toHaveValue(`runId=${RUN_ID} requestId=${REQUEST_ID}`);
    expect(locationService.getSearchObject().id).toBe(`runId=${RUN_ID} requestId=${REQUEST_ID}`);

    await userEvent.click(
      within(screen.getByTestId(testIds.traces.related)).getByRole('button', { name: /deliveryId 72d3162e/ })
    );
    expect(requests.at(-1)!.targets[0].expr).toBe(traceLogQL([{ kind: 'deliveryId', value: DELIVERY_ID }]));
    expect(locationService.getSearchObject()).toMatchObject({ id: DELIVERY_ID, kind: 'deliveryId' });
  });

  it('says so when nothing matched, and refuses input that is no id without querying', async () => {
    answer = [];
    renderTraces({ lokiDatasourceUid: 'loki' }, `/a/kici-ops-app/traces?id=${RUN_ID}&kind=eventId`);
    expect(await screen.findByTestId(testIds.traces.empty)).toBeInTheDocument();
    expect(requests[0].targets[0].expr).toBe(traceLogQL([{ kind: 'eventId', value: RUN_ID }]));

    await userEvent.clear(screen.getByTestId(testIds.traces.input));
    await userEvent.type(screen.getByTestId(testIds.traces.input), 'a"b{enter}');
    expect(await screen.findByTestId(testIds.traces.problem)).toHaveTextContent('no quotes');
    expect(requests).toHaveLength(1);
  });

  it('an empty page says where the ids come from (issue 17 item 8)', async () => {
    renderTraces({ lokiDatasourceUid: 'loki' });
    const hint = await screen.findByTestId(testIds.traces.hint);
    expect(hint).toHaveTextContent('a requestId is the X-Request-ID header of every orchestrator answer');
    expect(hint).toHaveTextContent('an eventId is on the Event DLQ page');
    expect(requests).toHaveLength(0);
  });

  it('says what to configure when no Loki datasource is chosen', async () => {
    renderTraces({});
    const note = await screen.findByTestId(testIds.traces.lokiMissing);
    expect(note).toHaveTextContent('Choose the Loki datasource with KiCI logs');
    expect(note).toHaveTextContent('Loki datasources in this Grafana: Loki');
    expect(screen.queryByTestId(testIds.traces.input)).not.toBeInTheDocument();
    expect(requests).toHaveLength(0);
  });
});
