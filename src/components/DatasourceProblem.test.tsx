// The page-level datasource message from resource calls a page reports (Infrastructure, Secret backends): the health
// check's message once one failed, gone once the same call answers; another datasource's failure is not this page's.
import { setBackendSrv } from '@grafana/runtime';
import { EmbeddedScene, SceneFlexItem, SceneFlexLayout, SceneObjectBase, type SceneObjectState } from '@grafana/scenes';
import { act, render, screen } from '@testing-library/react';
import React from 'react';
import { of, throwError } from 'rxjs';

import { describeProblem, reportDatasourceResult, withDatasourceProblem } from './DatasourceProblem';
import { AtPath } from '../utils/testing';
import { testIds } from './testIds';

class Reader extends SceneObjectBase<SceneObjectState> {
  static Component = () => null;
}

function page() {
  const reader = new Reader({});
  const scene = new EmbeddedScene({
    body: withDatasourceProblem(
      'kici',
      new SceneFlexLayout({ direction: 'column', children: [new SceneFlexItem({ body: reader })] })
    ),
  });
  render(
    <AtPath path="/a/kici-ops-app/infrastructure">
      <scene.Component model={scene} />
    </AtPath>
  );
  return reader;
}

describe('DatasourceProblemScene with reported resource calls', () => {
  it('a failed GET says the health message and where to fix it; the same GET answering clears it', async () => {
    const healthCalls: string[] = [];
    setBackendSrv({
      fetch: (o: { url: string }) => {
        healthCalls.push(o.url);
        return throwError(() => ({
          status: 400,
          data: { status: 'ERROR', message: 'PostgreSQL: connection refused' },
        }));
      },
    } as never);
    const reader = page();
    expect(screen.queryByTestId(testIds.datasourceProblem)).toBeNull();
    act(() => reportDatasourceResult(reader, { datasourceUid: 'other', source: 'GET x', error: 'boom' }));
    expect(healthCalls).toEqual([]);
    act(() =>
      reportDatasourceResult(reader, { datasourceUid: 'kici', source: 'GET infrastructure', error: 'HTTP 502' })
    );
    const banner = await screen.findByTestId(testIds.datasourceProblem);
    expect(banner).toHaveTextContent('The KiCI datasource is failing its health check');
    expect(banner).toHaveTextContent('PostgreSQL: connection refused');
    expect(screen.getByRole('link', { name: 'Fix it in the KiCI datasource settings' })).toHaveAttribute(
      'href',
      '/connections/datasources/edit/kici'
    );
    expect(healthCalls).toEqual(['/api/datasources/uid/kici/health']);
    act(() => reportDatasourceResult(reader, { datasourceUid: 'kici', source: 'GET infrastructure' }));
    expect(screen.queryByTestId(testIds.datasourceProblem)).toBeNull();
  });

  it('a failed call while the health check passes is named as a partial failure with its own error', async () => {
    setBackendSrv({ fetch: () => of({ data: { status: 'OK', message: 'all good' } }) } as never);
    const reader = page();
    act(() =>
      reportDatasourceResult(reader, { datasourceUid: 'kici', source: 'GET secret-backends', error: 'HTTP 500' })
    );
    const banner = await screen.findByTestId(testIds.datasourceProblem);
    expect(banner).toHaveTextContent('1 request to the KiCI datasource failed');
    expect(banner).toHaveTextContent('HTTP 500 (the datasource health check passes: this is a partial failure)');
  });
});

describe('describeProblem', () => {
  it('counts the failed requests when the health check cannot be read', () => {
    expect(describeProblem('k', { count: 2, firstError: 'x' }, null)).toEqual({
      title: '2 requests to the KiCI datasource failed',
      message: 'x',
      fixUrl: '/connections/datasources/edit/k',
    });
  });
});
