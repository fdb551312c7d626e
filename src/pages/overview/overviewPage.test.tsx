import {
  type DataQueryRequest,
  type DataSourceApi,
  FieldType,
  LoadingState,
  type PanelData,
  toDataFrame,
} from '@grafana/data';
import { config, setDataSourceSrv, setRunRequest } from '@grafana/runtime';
import { SceneApp, SceneRefreshPicker } from '@grafana/scenes';
import { render, screen, within } from '@testing-library/react';
import React from 'react';
import { of } from 'rxjs';

import { DataSource } from '../../datasource/datasource';
import type { KiciQuery } from '../../datasource/query';
import { AtPath, dataSourceSrvStub, dsSettings, installPanelStubs } from '../../utils/testing';
import { overviewPage, overviewScene } from './overviewPage';

const KICI = dsSettings('kici', 'kici-ops-datasource', 'KiCI');

const healthFrame = toDataFrame({
  refId: 'health',
  fields: [
    { name: 'component', type: FieldType.string, values: ['PostgreSQL', 'orchestrator /ready', 'Platform'] },
    { name: 'target', type: FieldType.string, values: ['postgres:5432/kici', 'http://kici-sim:4001', ''] },
    { name: 'status', type: FieldType.string, values: ['ok', 'error', 'not configured'] },
    { name: 'latency_ms', type: FieldType.number, values: [4, 5004, null] },
    {
      name: 'message',
      type: FieldType.string,
      values: ['schema 0.9 (42 migrations)', 'no answer', 'not configured (optional)'],
    },
    { name: 'hint', type: FieldType.string, values: ['', 'check the orchestrator URL', ''] },
    { name: 'up', type: FieldType.number, values: [1, 0, null] },
  ],
});

describe('overview page', () => {
  let requests: Array<DataQueryRequest<KiciQuery>>;

  beforeEach(() => {
    requests = [];
    installPanelStubs();
    setDataSourceSrv(dataSourceSrvStub([KICI], { kici: new DataSource(KICI as never) }));
    setRunRequest((_ds: DataSourceApi, request: DataQueryRequest) => {
      requests.push(request as DataQueryRequest<KiciQuery>);
      const data: PanelData = {
        state: LoadingState.Done,
        series: [healthFrame],
        timeRange: request.range,
      };
      return of(data);
    });
  });

  function renderOverview() {
    const app = new SceneApp({ pages: [overviewPage(KICI)] });
    render(
      <AtPath path="/a/kici-ops-app/overview">
        <app.Component model={app} />
      </AtPath>
    );
  }

  it('shows the health matrix rows the datasource returns, status coloured', async () => {
    renderOverview();
    const rows = await screen.findAllByTestId('table-row');
    expect(rows).toHaveLength(3);

    const cells = (row: HTMLElement) =>
      within(row)
        .getAllByRole('cell')
        .map((c) => c.textContent);
    expect(cells(rows[0])).toEqual([
      'PostgreSQL',
      'postgres:5432/kici',
      'ok',
      '4 ms',
      'schema 0.9 (42 migrations)',
      '—',
    ]);
    expect(cells(rows[1])[0]).toBe('orchestrator /ready');
    expect(cells(rows[1])[3]).toBe('5.00 s');
    // A check without a latency (not run) shows the no-value mark, not 0.
    expect(cells(rows[2])[3]).toBe('—');

    const status = (row: HTMLElement) => row.querySelector('[data-field="status"]')!.getAttribute('data-color');
    const named = (color: string) => config.theme2.visualization.getColorByName(color);
    expect(status(rows[0])).toBe(named('green'));
    expect(status(rows[1])).toBe(named('red'));
    expect(status(rows[2])).toBe('#00000000'); // transparent: no background for a check that did not run
    expect(new Set(rows.map(status)).size).toBe(3);
    expect(rows[0].querySelector('[data-field="status"]')!.getAttribute('data-cell-type')).toBe('color-background');
  });

  it('sends one health query to the KiCI datasource', async () => {
    renderOverview();
    await screen.findAllByTestId('table-row');
    expect(requests).toHaveLength(1);
    expect(requests[0].targets).toEqual([
      expect.objectContaining({
        refId: 'health',
        queryType: 'health',
        datasource: { uid: 'kici', type: 'kici-ops-datasource' },
      }),
    ]);
  });

  it('refreshes every 30 seconds, like the execution metrics on KiCI monitoring page', () => {
    const picker = overviewScene(KICI).state.controls?.find(
      (c) => c instanceof SceneRefreshPicker
    ) as SceneRefreshPicker;
    expect(picker.state.refresh).toBe('30s');
    renderOverview();
    expect(
      screen.getByRole('button', { name: 'Choose refresh time interval with current interval 30 seconds selected' })
    ).toBeInTheDocument();
  });
});
